"""Uploads (a chat import, or the images of one message): a few files a request, and a disk budget.

gradio writes every file of an upload request to its temp folder (up to 1,000 files, each
under `max_file_size`) and deletes them with the rest of its cache on the Blocks'
`delete_cache` schedule. Here an upload is read whole (it is small: `BodyLimit` caps it at
the body cap) and passed on only if it holds at most `MAX_FILES` files and fits the budgets: per address
and in all, the bytes uploaded over the time a file may stay on disk (`CACHE_SWEEP`: files
older than two minutes go at the next sweep, every minute), so the upload folder never
holds more than `all_bytes`.
"""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .budget import Window, client_address, declared_length, refuse

CACHE_SWEEP = (60, 120)  # gradio's delete_cache: every 60 s, files older than 120 s
KEPT_S = sum(CACHE_SWEEP)  # the longest an uploaded file stays on disk
# A visitor who picks a message's four images in one dialog sends them in one request (the
# page's limit per message: ui/protect/images.py MAX_IMAGES); a script gets no more.
MAX_FILES = 4
ADDRESS_BYTES = 20_000_000  # four largest images, or ten imports of the largest file, per address
ALL_BYTES = 100_000_000
_BOUNDARY = re.compile(rb'boundary="?([^";,\s]+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class UploadBudget:
    address_bytes: int = ADDRESS_BYTES
    all_bytes: int = ALL_BYTES
    seconds: float = KEPT_S
    refusal_delay_s: float = 1.0


def is_upload(scope: dict) -> bool:
    return scope.get("method") == "POST" and scope.get("path", "").rstrip("/").endswith(
        "/gradio_api/upload")


def parts(content_type: bytes, body: bytes) -> int:
    """How many parts a multipart/form-data body holds (0 when it names no boundary)."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        return 0
    delimiter = b"--" + found.group(1)
    count = body.count(b"\r\n" + delimiter) + body.startswith(delimiter)
    return max(0, count - 1)  # the last delimiter closes the body


class UploadGuard:
    """ASGI middleware for `/gradio_api/upload`: at most `MAX_FILES` files per request, within
    `UploadBudget`."""

    def __init__(self, app: Any, budget: UploadBudget | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.budget = app, budget or UploadBudget()
        self.by_address = Window(self.budget.address_bytes, self.budget.seconds, clock)
        self.in_all = Window(self.budget.all_bytes, self.budget.seconds, clock)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not is_upload(scope):
            return await self.app(scope, receive, send)
        address, length = client_address(scope), declared_length(scope) or 0
        mine, everyone = self.by_address.wait(address, length), self.in_all.wait("", length)
        if mine or everyone:
            await asyncio.sleep(self.budget.refusal_delay_s)
            if mine:
                return await refuse(send, 429, "Too many uploads from this address", mine)
            return await refuse(send, 503, "Too many uploads just now; try again shortly",
                                everyone)
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        if parts(content_type, body) > MAX_FILES:
            return await refuse(send, 413, f"At most {MAX_FILES} files per upload")
        self.by_address.add(address, len(body))
        self.in_all.add("", len(body))
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if replayed:  # the body was handed on; what follows is the client leaving
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
