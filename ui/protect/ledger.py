"""The per-visitor counts a guard decides with, kept in this process or in a shared Redis.

A visitor is admitted in one step: every count of theirs is checked and, if all have room,
every one is added, so two replies asked for at once (or on two replicas) cannot both take
the last slot. `MemoryLedger` does it under a lock; `RedisLedger` (redis_ledger.py) in one
Lua script. Which one a guard uses follows `shared.storage()`: Redis at APP_REDIS_URL.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from limits.storage import RedisStorage, Storage

from .spending import Reservation, SlidingWindow

MINUTE, HOUR = 60.0, 3600.0
UNAVAILABLE_RETRY_S = 10  # what a visitor is told to wait when the shared counts are down


class LimitExceeded(Exception):
    """The visitor is over a limit; `retry_after` in whole seconds, `what` names the limit."""

    def __init__(self, what: str, retry_after: float, limit: int) -> None:
        super().__init__(f"{what} limit {limit} reached; retry in {retry_after:.0f} s")
        self.what, self.limit = what, limit
        self.retry_after = max(1, math.ceil(retry_after))


class CountsUnavailable(LimitExceeded):
    """The shared counts (Redis) could not be reached, so nothing was counted or sent: the
    limits protect the host's key, and a message they cannot check is refused (fail closed)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__("counts_down", UNAVAILABLE_RETRY_S, 0)
        self.args = (f"shared counts unavailable ({type(cause).__name__}); message refused",)


class Window(Protocol):
    """What a limit's counts answer (tests and logs read them)."""

    limit: int

    def left(self, key: str) -> int | None: ...
    def retry_after(self, key: str, amount: int = 1) -> float: ...


class Ledger(Protocol):
    """Where a guard's counts are kept; `admit` checks and counts one message."""

    @property
    def messages(self) -> Window: ...
    @property
    def demo_messages(self) -> Window: ...
    @property
    def tokens(self) -> Window: ...

    def admit(self, keys: tuple[str, ...], prompt: int | None, reply: int,
              demo: bool) -> Reservation: ...


class MemoryLedger:
    """The counts of one process: three sliding windows, one lock for check-and-count."""

    def __init__(self, messages: int, demo_messages: int, tokens: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.messages = SlidingWindow(messages, MINUTE, clock)
        self.demo_messages = SlidingWindow(demo_messages, MINUTE, clock)
        self.tokens = SlidingWindow(tokens, HOUR, clock)
        self._lock = threading.Lock()

    def admit(self, keys: tuple[str, ...], prompt: int | None, reply: int,
              demo: bool) -> Reservation:
        messages = self.demo_messages if demo else self.messages
        with self._lock:
            wait = max(messages.retry_after(key, 1) for key in keys)
            if wait:  # the longest wait: a retry must fit under both the session and the address
                raise LimitExceeded("messages", wait, messages.limit)
            reservation = Reservation()
            if prompt is not None and self.tokens.limit:
                room = min(self.tokens.left(key) or 0 for key in keys) - prompt  # an int: limit is set
                if room < 1:
                    wait = max(self.tokens.retry_after(key, prompt + 1) for key in keys)
                    raise LimitExceeded("tokens", wait or self.tokens.window, self.tokens.limit)
                share = min(reply, room)
                entries = tuple(self.tokens.add(key, prompt + share) for key in keys)
                reservation = Reservation(self.tokens, entries, share)
            for key in keys:
                messages.add(key, 1)
            return reservation


def ledger_for(storage: Storage, messages: int, demo_messages: int, tokens: int,
               clock: Callable[[], float] = time.monotonic) -> Ledger:
    """A Redis ledger when `storage` is Redis (time is then Redis's own clock, shared by every
    replica), else one in this process's memory."""
    if isinstance(storage, RedisStorage):
        from .redis_ledger import RedisLedger
        return RedisLedger(storage.storage, messages, demo_messages, tokens)
    return MemoryLedger(messages, demo_messages, tokens, clock)
