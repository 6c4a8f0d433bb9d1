"""What visitors have spent: amounts in a sliding time window, and the tokens a request and
its reply cost. `ui/protect/guard.py` decides with these who may send what."""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from minimax_backend import ChatRequest


class SlidingWindow:
    """Amounts spent per key over the last `window` seconds; thread-safe and bounded."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._lock = threading.Lock()
        self._spent: OrderedDict[str, deque[list]] = OrderedDict()  # key -> [[at, amount], ...]
        self._max_keys = max_keys

    def _entries(self, key: str, now: float) -> deque[list]:
        entries = self._spent.get(key)
        if entries is None:
            entries = self._spent[key] = deque()
            while len(self._spent) > self._max_keys:  # the least recently seen visitor goes
                self._spent.popitem(last=False)
        self._spent.move_to_end(key)
        while entries and entries[0][0] <= now - self.window:
            entries.popleft()
        return entries

    def left(self, key: str) -> int | None:
        """How much `key` may still spend now; None when there is no limit."""
        if not self.limit:
            return None
        with self._lock:
            return self.limit - sum(n for _, n in self._entries(key, self.clock()))

    def retry_after(self, key: str, amount: int = 1) -> float:
        """0 if `amount` more fits in the window now, else seconds until it will."""
        if not self.limit:
            return 0.0
        with self._lock:
            now = self.clock()
            entries = self._entries(key, now)
            spent = sum(n for _, n in entries)
            if spent + amount <= self.limit:
                return 0.0
            # Wait until enough of the oldest spending has left the window.
            for at, n in entries:
                spent -= n
                if spent + amount <= self.limit:
                    return max(0.0, at + self.window - now)
            return max(0.0, entries[-1][0] + self.window - now) if entries else 0.0

    def add(self, key: str, amount: int) -> list | None:
        """Record `amount` spent by `key` now; the entry, for `settle`."""
        if not self.limit or amount <= 0:
            return None
        with self._lock:
            now = self.clock()
            entry = [now, amount]
            self._entries(key, now).append(entry)
            return entry

    def settle(self, entry: list | None, amount: int) -> None:
        """Change what an earlier `add` recorded (a reservation, once the real cost is known)."""
        if entry is not None:
            with self._lock:
                entry[1] = max(0, amount)


class Reservation:
    """Tokens held for one reply on the host's key, at most `reply_tokens` for the reply
    (None: no budget set); `settle` puts the real cost in their place, through `window`
    (a SlidingWindow, or a RedisWindow), in each of its `entries`."""

    def __init__(self, window: Any = None, entries: tuple = (),
                 reply_tokens: int | None = None) -> None:
        self._window, self._entries = window, entries
        self.reply_tokens = reply_tokens
        self.settled = False

    def settle(self, tokens: int) -> None:
        if self.settled:
            return
        self.settled = True
        for entry in self._entries:
            if self._window is not None:
                self._window.settle(entry, tokens)


def estimate_tokens(*texts: str) -> int:
    """Tokens for text when MiniMax reports no usage: about one per CJK character or four
    other characters, rounded up (MiniMax counts prompt and reply alike)."""
    total = 0
    for text in texts:
        wide = sum(1 for ch in text if ord(ch) > 0x2E80)
        total += wide + math.ceil((len(text) - wide) / 4)
    return total


def prompt_tokens(request: ChatRequest) -> int:
    """The estimated tokens of what a request sends."""
    return estimate_tokens(request.system, *(message.content for message in request.messages))


def reply_tokens(request: ChatRequest, reply: Any) -> tuple[int, bool]:
    """Tokens a reply cost, and whether that is an estimate: MiniMax's usage when it reported
    any, else estimated from the prompt and the text received; nothing if nothing came."""
    usage = reply.usage
    if usage is not None and (usage.total_tokens or usage.prompt_tokens or usage.completion_tokens):
        return usage.total_tokens or usage.prompt_tokens + usage.completion_tokens, False
    if not (reply.text or reply.reasoning):
        return 0, True
    return prompt_tokens(request) + estimate_tokens(reply.text, reply.reasoning), True
