"""An ASGI response that plays a script of writes, pauses, stalls and drops.

Starlette's StreamingResponse can't cut a connection on purpose, so this speaks raw ASGI.
To drop, it raises `DropConnection`: uvicorn then closes the transport without the chunked
terminator, and the client sees an incomplete read. `quiet_drops()` keeps those intended
drops out of uvicorn's error log.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from .script import Pause, Stall, Step, Write


class DropConnection(Exception):
    """Raised inside a response to make the server cut the connection."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DropConnection)


def quiet_drops() -> None:
    """Hide intended drops from uvicorn's error log (idempotent; other errors still show)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in logger.filters):
        logger.addFilter(_QuietDrops())


async def _disconnect(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class ScriptedResponse:
    """Send headers (after `head_delay`), then play `steps`; end cleanly unless told to drop."""

    def __init__(self, status: int, headers: list[tuple[str, str]], steps: Iterable[Step], *,
                 head_delay: float = 0.0, stopping: asyncio.Event | None = None) -> None:
        self.status_code = status
        self.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        self.steps = steps
        self.head_delay = head_delay
        self.stopping = stopping

    async def __call__(self, scope, receive, send) -> None:
        left = asyncio.ensure_future(_disconnect(receive))
        try:
            if self.head_delay and await self._silence(self.head_delay, left):
                return
            await send({"type": "http.response.start", "status": self.status_code,
                        "headers": self.raw_headers})
            for step in self.steps:
                if left.done():  # the client went away: stop writing into the void
                    return
                if isinstance(step, Write):
                    await send({"type": "http.response.body", "body": step.data, "more_body": True})
                elif isinstance(step, Pause):
                    await asyncio.sleep(step.seconds)
                elif isinstance(step, Stall):
                    if await self._silence(step.seconds, left):
                        return
                else:
                    raise DropConnection("emulated connection drop")
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            left.cancel()

    async def _silence(self, seconds: float, left: asyncio.Future) -> bool:
        """Wait quietly; True if the client left. A stopping emulator cuts the wait short."""
        waits = {left}
        stop = asyncio.ensure_future(self.stopping.wait()) if self.stopping else None
        if stop:
            waits.add(stop)
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if stop:
                stop.cancel()
        if self.stopping and self.stopping.is_set():
            raise DropConnection("emulator stopping")
        return left.done()
