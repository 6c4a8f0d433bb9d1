"""Idle and slow connections are closed: each one holds a socket and memory in the one process.

uvicorn closes a kept-alive connection 5 s after a response, but waits forever for the first
request's head, for the rest of a head sent a byte at a time, and for a body that stops
arriving. Here a request's head must arrive whole within APP_IDLE_TIMEOUT seconds (default
`IDLE_TIMEOUT_S`) of the connection opening or of the previous response, and a body may pause
that long at most. `install_idle_timeout` gives uvicorn the protocol that times heads (gradio
builds uvicorn's Config itself, so the protocol is chosen through uvicorn's own table);
`SlowBody` times bodies as ASGI middleware.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

from uvicorn import config as uvicorn_config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from minimax_backend import ValidationError

IDLE_TIMEOUT_S = 10.0


def idle_timeout_from_env(env: Mapping[str, str] | None = None) -> float:
    """Seconds from APP_IDLE_TIMEOUT (default IDLE_TIMEOUT_S); raises ValidationError naming
    the variable for anything but a number of seconds ≥ 1."""
    env = os.environ if env is None else env
    raw = (env.get("APP_IDLE_TIMEOUT") or "").strip()
    if not raw:
        return IDLE_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not seconds >= 1:  # also refuses nan
        raise ValidationError("APP_IDLE_TIMEOUT", "setting", got=raw, expected="a number of seconds ≥ 1")
    return seconds


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (it parses in C: under a crowd uvicorn's pure-Python h11
    was a fifth of the one event loop's time), closing a connection whose next request head
    has not arrived whole `head_timeout` seconds after it opened or after the previous
    response."""

    head_timeout = IDLE_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()  # a whole head came
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._arm()  # before: a pipelined request handled inside it disarms the timer again
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _timed_out(self) -> None:
        self._head_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if busy or self.transport.is_closing() or self.transport.get_protocol() is not self:
            return  # a request is being served, or the connection was handed on (WebSocket)
        self.transport.close()


def install_idle_timeout(seconds: float) -> None:
    """Serve HTTP with `HeadTimeoutProtocol` timing heads at `seconds`; call before `launch()`."""
    HeadTimeoutProtocol.head_timeout = seconds
    uvicorn_config.HTTP_PROTOCOLS["auto"] = f"{__name__}:HeadTimeoutProtocol"


class _Stalled(Exception):
    pass


class SlowBody:
    """ASGI middleware: a request body that pauses longer than `timeout` seconds is answered
    408 and its connection closed. Only the body is timed: a stream's later wait for the
    visitor to leave is not."""

    def __init__(self, app: Any, timeout: float | None = None) -> None:
        self.app = app
        self.timeout = idle_timeout_from_env() if timeout is None else timeout

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body_done, started, answered = False, False, False

        async def timed_receive() -> dict:
            nonlocal body_done, answered
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout(self.timeout):
                    message = await receive()
            except TimeoutError:
                # Answered here: the app may turn the exception below into a reply of its own.
                if not started:
                    answered = True
                    await _timed_out(send)
                raise _Stalled() from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        async def guarded_send(message: dict) -> None:
            nonlocal started
            if answered:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed_receive, guarded_send)
        except _Stalled:
            pass


async def _timed_out(send: Any) -> None:
    body = b"Request body timed out"
    await send({"type": "http.response.start", "status": 408,
                "headers": [(b"content-type", b"text/plain"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
