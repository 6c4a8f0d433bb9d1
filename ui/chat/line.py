"""The line: at most `capacity` replies stream at once; the rest wait their turn in order.

One process serves every visitor from one event loop, and each streaming reply costs it CPU
for every page update: past its capacity, more replies at once would make everyone's first
token late. So a reply beyond it waits, first come first served, and its visitor sees their
place and an estimate (`Place`), updated as the line moves. A line longer than
`max_waiting` takes no newcomers: they are told to come back later (`full`), before their
message leaves the box.

The estimate is honest: it comes from how long the replies finished here lately took, and
how long the running ones have been going; before any reply has finished there is none.
"""
from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass

from ..protect.limits import LINE_LENGTH, REPLIES_AT_ONCE
from ..text.strings import text

RECENT = 50  # replies the estimate averages over
UPDATE_S = 1.0  # a waiting visitor's place is refreshed at most this often


@dataclass(frozen=True)
class Place:
    """Where a waiting reply stands: 1 is next. `eta_s`: seconds until it may start, or None
    before any reply has finished here (nothing to estimate from)."""

    position: int
    eta_s: float | None

    def seconds(self) -> int | None:
        """The estimate as shown: whole seconds, at least 1."""
        return None if self.eta_s is None else max(1, math.ceil(self.eta_s))

    def words(self, lang: str) -> str:
        """The place as the waiting visitor reads it."""
        seconds = self.seconds()
        if seconds is None:
            return text("in_line_unknown", lang, position=self.position)
        return text("in_line", lang, position=self.position, seconds=seconds)


class Ticket:
    """One reply's place: waiting, then running until `leave`."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self.started: float | None = None  # when it got its turn
        self.turn: asyncio.Future[None] | None = None
        self.left = False

    async def wait(self, update_s: float = UPDATE_S) -> AsyncGenerator[Place, None]:
        """Yields the place now and then while waiting; returns once it is this reply's turn."""
        while self.started is None:
            assert self.turn is not None
            yield self.line.place(self)
            try:
                await asyncio.wait_for(asyncio.shield(self.turn), update_s)
            except TimeoutError:
                pass

    def leave(self) -> None:
        """Done (finished, stopped, failed or dropped): frees its slot or its place."""
        self.line._leave(self)


class Line:
    """A process's replies: running ones, and the line of waiting ones."""

    def __init__(self, capacity: int, max_waiting: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity, self.max_waiting, self._clock = capacity, max_waiting, clock
        self._lock = threading.Lock()
        self._running: set[Ticket] = set()
        self._waiting: deque[Ticket] = deque()
        self._durations: deque[float] = deque(maxlen=RECENT)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Line:
        """The line APP_MAX_REPLIES_AT_ONCE and APP_MAX_LINE describe; raises
        ValidationError naming a bad one."""
        env = os.environ if env is None else env
        return cls(REPLIES_AT_ONCE.read(env), LINE_LENGTH.read(env))

    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def refusal(self, lang: str) -> str:
        """What a newcomer to a full line is told."""
        return text("line_full", lang, waiting=self.waiting())

    def full(self) -> bool:
        """True when a newcomer would find no free slot and the line at its longest."""
        with self._lock:
            return len(self._running) >= self.capacity and len(self._waiting) >= self.max_waiting

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def join(self) -> Ticket | None:
        """A ticket (running at once if a slot is free), or None when the line is full."""
        ticket = Ticket(self)
        with self._lock:
            if len(self._running) < self.capacity and not self._waiting:
                ticket.started = self._clock()
                self._running.add(ticket)
            elif len(self._waiting) >= self.max_waiting:
                return None
            else:
                ticket.turn = asyncio.get_running_loop().create_future()
                self._waiting.append(ticket)
        return ticket

    def place(self, ticket: Ticket) -> Place:
        """Where `ticket` stands now."""
        with self._lock:
            try:
                position = self._waiting.index(ticket) + 1
            except ValueError:
                return Place(0, 0.0)
            return Place(position, self._estimate(position))

    def _estimate(self, position: int) -> float | None:
        """Seconds until the `position`-th waiting reply may start: the running ones end at
        the recent average duration (any moment, once past it), and each later round of
        `capacity` replies takes that average again."""
        if not self._durations:
            return None
        average = sum(self._durations) / len(self._durations)
        now = self._clock()
        ends = sorted(max(0.0, average - (now - t.started)) for t in self._running
                      if t.started is not None)
        ends += [0.0] * (self.capacity - len(ends))  # a slot about to be handed over
        rounds, index = divmod(position - 1, self.capacity)
        return ends[index] + rounds * average

    def _leave(self, ticket: Ticket) -> None:
        wake: list[Ticket] = []
        with self._lock:
            if ticket.left:
                return
            ticket.left = True
            if ticket in self._running:
                self._running.discard(ticket)
                assert ticket.started is not None
                self._durations.append(self._clock() - ticket.started)
            elif ticket in self._waiting:
                self._waiting.remove(ticket)
            while self._waiting and len(self._running) < self.capacity:
                nxt = self._waiting.popleft()
                nxt.started = self._clock()
                self._running.add(nxt)
                wake.append(nxt)
        for nxt in wake:
            assert nxt.turn is not None
            nxt.turn.get_loop().call_soon_threadsafe(_set, nxt.turn)


def _set(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
