"""One visitor's SSE connection to gradio's queue, shared by all its queued events.

The page keeps a single `GET /gradio_api/queue/data?session_hash=…` open per session and
routes messages by `event_id`; two readers of one session would steal each other's messages.
The server closes the stream (`close_stream`) when the session has no pending event left, so
an event that joins afterwards needs the stream opened again.
"""
from __future__ import annotations

import asyncio

import aiohttp

from .gradio_protocol import SSEDecoder, loads

MAX_REOPENS = 20


class QueueStream:
    """Routes a session's queue messages to one inbox per event."""

    def __init__(self, client: aiohttp.ClientSession, api: str, session: str,
                 headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}
        self.url = api + "/queue/data"
        self.session = session
        self.inboxes: dict[str, asyncio.Queue] = {}  # events still waiting to complete
        self.unclaimed: dict[str, list[dict]] = {}  # messages that beat their join's response
        self.reader: asyncio.Task | None = None

    def inbox(self, event_id: str) -> asyncio.Queue:
        """The messages of a just-joined event, ending with `process_completed` or an error."""
        inbox: asyncio.Queue = asyncio.Queue()
        early = self.unclaimed.pop(event_id, [])
        for message in early:
            inbox.put_nowait(message)
        if not any(m.get("msg") == "process_completed" for m in early):
            self.inboxes[event_id] = inbox
            if self.reader is None or self.reader.done():
                self.reader = asyncio.create_task(self._read())
        return inbox

    async def _read(self) -> None:
        reopens = 0
        try:
            while self.inboxes and reopens <= MAX_REOPENS:
                reopens += 1
                await self._read_once()
        except (aiohttp.ClientError, TimeoutError) as err:
            self._fail_all(f"{type(err).__name__}: {err}")
        if self.inboxes:
            self._fail_all("the queue stream kept closing before its events completed")

    async def _read_once(self) -> None:
        decoder = SSEDecoder()
        async with self.client.get(self.url, params={"session_hash": self.session},
                                   headers=self.headers) as response:
            if response.status != 200:
                self._fail_all(f"queue/data: HTTP {response.status}")
                return
            async for chunk in response.content.iter_any():
                for payload in decoder.feed(chunk):
                    message = loads(payload)
                    kind, event_id = message.get("msg"), message.get("event_id")
                    if kind == "close_stream":
                        return  # reopened by _read if an event joined meanwhile
                    if kind == "unexpected_error":
                        self._fail_all(f"unexpected_error: {message.get('message')}")
                        return
                    if event_id is None:
                        continue  # heartbeat
                    inbox = self.inboxes.get(event_id)
                    if inbox is None:
                        self.unclaimed.setdefault(event_id, []).append(message)
                        continue
                    inbox.put_nowait(message)
                    if kind == "process_completed":
                        del self.inboxes[event_id]

    def _fail_all(self, why: str) -> None:
        for inbox in self.inboxes.values():
            inbox.put_nowait({"msg": "unexpected_error", "message": why})
        self.inboxes.clear()
