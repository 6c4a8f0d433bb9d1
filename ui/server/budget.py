"""How much work one client address may ask of the server, before its request is read.

Every step the page runs outside the queue (`POST /gradio_api/run/predict`) is parsed,
checked and answered by gradio as it arrives: a limit inside a handler would come after the
costly part (parsing a 7.5 MB body, ~0.6 CPU-s for a save of the largest stored chats).
So the budget is kept here, from the request line and headers alone:

- per address, at most `posts` requests and `body_bytes` of request bodies a minute; over
  either, 429 with the seconds until the oldest leaves the window;
- in all, one request with a body of `heavy_bytes` or more is read and answered at a time,
  so however many addresses send large bodies, replies keep the CPU they need (with two
  at once, a crowd's saves took a reply from 0.6 s to 1.6 s; with one, to 1.0 s); the rest
  wait, and after `heavy_wait_s` get 503. No message of a chat within the history limits is
  that large (100,000 characters are at most ~0.4 MB): only saves of large stores, exports
  of long chats and imports wait their turn.

A refusal is answered after `refusal_delay_s`: a script that retries at once is slowed to
that pace for free (a sleeping request costs no CPU), and a browser never gets there.
The address is the visitor's, as `forwarded.py` put it in the request (behind a trusted
proxy, the hop that proxy names), the same one the per-visitor message limits count.
"""
from __future__ import annotations

import asyncio
import ipaddress
import json
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

POSTS_PER_MINUTE = 240  # a visitor's page sends ~4 per message, 10 messages a minute at most
BODY_BYTES_PER_MINUTE = 64_000_000  # ~20 saves of a chat at the store's 1 MB, plus its history
HEAVY_BYTES = 1_000_000
HEAVY_AT_ONCE = 1
HEAVY_WAIT_S = 15.0
REFUSAL_DELAY_S = 1.0
WINDOW_S = 60.0


class Window:
    """Amounts per key over the last `seconds`; the least recently seen keys are forgotten
    past `max_keys` (a few MB at most). Single-threaded: used from the event loop only."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.clock, self.max_keys = limit, seconds, clock, max_keys
        self._entries: OrderedDict[str, deque[tuple[float, int]]] = OrderedDict()
        self._totals: dict[str, int] = {}

    def _fresh(self, key: str) -> deque[tuple[float, int]]:
        entries = self._entries.get(key)
        if entries is None:
            entries = self._entries[key] = deque()
            self._totals[key] = 0
            while len(self._entries) > self.max_keys:
                gone, _ = self._entries.popitem(last=False)
                self._totals.pop(gone, None)
        self._entries.move_to_end(key)
        horizon = self.clock() - self.seconds
        while entries and entries[0][0] <= horizon:
            self._totals[key] -= entries.popleft()[1]
        return entries

    def wait(self, key: str, amount: int) -> float:
        """0 if `amount` more fits now, else seconds until it will (inf if it never can)."""
        entries = self._fresh(key)
        if self._totals[key] + amount <= self.limit:
            return 0.0
        if amount > self.limit:
            return math.inf
        spent, now = self._totals[key], self.clock()
        for at, n in entries:
            spent -= n
            if spent + amount <= self.limit:
                return at + self.seconds - now
        return self.seconds

    def add(self, key: str, amount: int) -> None:
        self._fresh(key).append((self.clock(), amount))
        self._totals[key] += amount


@dataclass(frozen=True)
class Budget:
    posts: int = POSTS_PER_MINUTE
    body_bytes: int = BODY_BYTES_PER_MINUTE
    heavy_bytes: int = HEAVY_BYTES
    heavy_at_once: int = HEAVY_AT_ONCE
    heavy_wait_s: float = HEAVY_WAIT_S
    refusal_delay_s: float = REFUSAL_DELAY_S


def client_address(scope: dict) -> str:
    """Who a budget is kept for: the peer's IPv4 address, or the /64 network of an IPv6 one
    (one home or server is given a whole /64, and can pick a new address per request)."""
    client = scope.get("client")
    host = client[0] if client else "unknown"
    if ":" in host:
        try:
            return str(ipaddress.IPv6Network(f"{host}/64", strict=False))
        except ValueError:
            pass
    return host


def declared_length(scope: dict) -> int | None:
    """The Content-Length header as a number; None if absent or not a number."""
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return max(0, int(value))
            except ValueError:
                return None
    return None


def _chunked(scope: dict) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers") or ())


async def refuse(send: Any, status: int, detail: str, retry_after: float | None = None) -> None:
    """A short JSON refusal, with Retry-After in whole seconds when given."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, math.ceil(retry_after))).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestBudget:
    """ASGI middleware holding every address to `Budget` for its POSTs."""

    def __init__(self, app: Any, budget: Budget | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.budget = app, budget or Budget()
        self.posts = Window(self.budget.posts, WINDOW_S, clock)
        self.bytes = Window(self.budget.body_bytes, WINDOW_S, clock)
        self._heavy: asyncio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        budget, address = self.budget, client_address(scope)
        length = declared_length(scope)
        if length is None and _chunked(scope):  # the budget needs the size before the body
            return await refuse(send, 411, "Content-Length required")
        length = length or 0
        wait = max(self.posts.wait(address, 1), self.bytes.wait(address, length))
        if wait:
            await asyncio.sleep(budget.refusal_delay_s)
            return await refuse(send, 429, "Too many requests from this address",
                                min(wait, WINDOW_S))
        self.posts.add(address, 1)
        self.bytes.add(address, length)
        if length < budget.heavy_bytes:
            return await self.app(scope, receive, send)
        if self._heavy is None:
            self._heavy = asyncio.Semaphore(budget.heavy_at_once)
        try:
            await asyncio.wait_for(self._heavy.acquire(), budget.heavy_wait_s)
        except TimeoutError:
            return await refuse(send, 503, "The server is busy; try again shortly", 5)
        try:
            await self.app(scope, receive, send)
        finally:
            self._heavy.release()
