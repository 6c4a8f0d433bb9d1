"""The line of replies waiting for the host's account, served round-robin among visitors.

Within one process, replies that may not go yet wait here, in turn by visitor: each visitor's
first waiting reply, then each one's second, and so on, so one visitor's many tabs or scripted
requests cannot take every slot. Only the line's head asks the shared count (`AccountGate`),
for itself and as many after it as the count lets go at once, so a crowd under the limit goes
in one step, and no reply shows a waiting note unless the count said wait. Across replicas that
count is what is shared, each process keeping its own fair order, and so is who goes next:
a process lets a reply go only if no other replica's line head has waited longer
(`line_heads.py`, with Redis).

A visitor is their address (the guard's `ip:` key): tabs are sessions, so a session key would
let a tab farm take turn after turn; visitors behind one NAT share a turn.
"""
from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis.exceptions import RedisError

from .line_heads import LineHeads

log = logging.getLogger(__name__)

POLL = 2.0  # seconds between a waiting reply's looks at the line (and its note's refresh)
# Another replica's head not seen for this long is gone (it died): several polls, and at least
# STALE_S, since a loaded replica's look at the line can come late.
STALE_POLLS, STALE_S = 5, 10.0
BATCH = 64  # replies the head may let go at once (the app streams at most 64 at a time)


class Gate(Protocol):
    """What the line needs of the account's count (`AccountGate`, or a test's fake)."""

    def take(self, tokens: int = 0) -> float: ...

    def slot_seconds(self) -> float: ...

    def back_off(self, err: Any) -> float: ...

    def spend(self, tokens: int) -> None: ...

    @property
    def max_wait(self) -> float: ...

    def line_heads(self, stale: float) -> LineHeads | None: ...

    @property
    def local(self) -> bool: ...


class AccountBusy(Exception):
    """No slot on the host's account comes within the wait allowed (`max_wait` seconds)."""

    def __init__(self, max_wait: float) -> None:
        super().__init__(f"no free slot on the host's account within {max_wait:.0f} s")
        self.max_wait = max(1, math.ceil(max_wait))


@dataclass(eq=False)
class Ticket:
    """One reply waiting in the line."""

    visitor: str
    tokens: int
    joined: float  # wall clock, comparable across replicas; 0 for one sent back to the front
    woken: asyncio.Event = field(default_factory=asyncio.Event)
    granted: bool = False  # the gate has counted it: it goes


class AccountLine:
    """Waiting replies, per visitor, served round-robin when the gate has room."""

    def __init__(self, gate: Gate, clock: Callable[[], float] = time.monotonic,
                 poll: float = POLL) -> None:
        self.gate, self.clock, self._poll = gate, clock, poll
        self._visitors: OrderedDict[str, deque[Ticket]] = OrderedDict()  # the rotation
        self._blocked = 0.0  # the wait the gate last gave the head; 0 while replies go
        self._heads: LineHeads | None = None
        self._heads_known = False  # the gate's storage is only opened in a worker thread
        self._said = False  # this line's head is among the replicas' (`_take`)
        self._unsaying: set[asyncio.Task] = set()

    def order(self) -> list[Ticket]:
        """Who goes next, in order: every visitor's first, then every visitor's second …"""
        queues = list(self._visitors.values())
        depth = max((len(queue) for queue in queues), default=0)
        return [queue[i] for i in range(depth) for queue in queues if i < len(queue)]

    def waiting(self) -> int:
        return sum(len(queue) for queue in self._visitors.values())

    def join(self, visitor: str, tokens: int = 0, first: bool = False) -> Ticket:
        """A place in the line; `first`: before everyone (a reply MiniMax refused for the
        account's rate had its turn already)."""
        ticket = Ticket(visitor, tokens, 0.0 if first else time.time())
        queue = self._visitors.setdefault(visitor, deque())
        if first:
            queue.appendleft(ticket)
            self._visitors.move_to_end(visitor, last=False)
        else:
            queue.append(ticket)
        return ticket

    def leave(self, ticket: Ticket, served: bool = False) -> None:
        """Out of the line; a served visitor goes to the back of the rotation."""
        queue = self._visitors.get(ticket.visitor)
        if queue is None or ticket not in queue:
            return
        queue.remove(ticket)
        if not queue:
            del self._visitors[ticket.visitor]
        elif served:
            self._visitors.move_to_end(ticket.visitor)
        head = next((t for t in self.order() if not t.granted), None)
        if head is not None:
            head.woken.set()
        elif self._said:  # nobody waits here any more: other replicas need not wait for us
            self._said = False
            task = asyncio.get_running_loop().create_task(asyncio.to_thread(self._unsay))
            self._unsaying.add(task)
            task.add_done_callback(self._unsaying.discard)

    async def turn(self, visitor: str, tokens: int = 0, since: float | None = None,
                   max_wait: float | None = None, first: bool = False) -> AsyncIterator[float]:
        """Wait for a slot: yields the estimated seconds left while the gate says wait, and
        ends once it has counted this request. Raises AccountBusy once `max_wait` seconds
        have passed `since` (this line's clock; default: now)."""
        deadline = None if max_wait is None else (self.clock() if since is None else since) + max_wait
        ticket = self.join(visitor, tokens, first)
        try:
            while not ticket.granted:
                ticket.woken.clear()  # a wake from here on cuts the next nap short
                order = [t for t in self.order() if not t.granted]
                if order[0] is ticket:
                    wait = await self._grant(order)
                    if ticket.granted:
                        return
                    nap = min(wait, self._poll)
                else:
                    wait = self._blocked + order.index(ticket) * self.gate.slot_seconds()
                    nap = self._poll
                if deadline is not None:
                    left = deadline - self.clock()
                    if left <= 0 or (order[0] is ticket and wait > left):  # the gate says too late
                        raise AccountBusy(max_wait or 0)
                    nap = min(nap, left)
                if self._blocked:  # no note while the line merely moves
                    yield wait
                try:
                    await asyncio.wait_for(ticket.woken.wait(), nap)
                except TimeoutError:
                    pass
        finally:
            self.leave(ticket, ticket.granted)

    async def _grant(self, order: list[Ticket]) -> float:
        """The head asks the gate for the next replies in order, as many as it lets go at once
        (one thread hop for a crowd, not one each); 0, or the wait the gate gave the first one
        it refused."""
        batch = order[:BATCH]
        if self.gate.local:  # counts in memory: asked at once, as a thread hop costs more
            granted, wait = self._take(batch, len(order))
        else:  # Redis: a round trip, off the loop
            granted, wait = await asyncio.to_thread(self._take, batch, len(order))
        for ticket in batch[:granted]:
            ticket.granted = True
            ticket.woken.set()
        was_blocked, self._blocked = self._blocked, wait
        if wait and not was_blocked:  # the line just stopped: everyone says so now
            for other in order[granted:]:
                other.woken.set()
        return wait

    def _take(self, batch: list[Ticket], waiting: int) -> tuple[int, float]:
        """In a worker thread: count `batch` in order while the gate lets them go and no other
        replica's head has waited longer; how many went, and the wait for the first that did
        not. `waiting`: the whole line's length (all went: this line says it waits no more)."""
        # The head tells the other replicas when it joined only while the count holds it back:
        # a line whose replies go needs nobody to wait for it. Said always, two replicas' heads
        # made each other wait a slot's time (1 s with no account limit) in turn, and 200
        # visitors' replies started over 11 s instead of at once.
        before = self._say(batch[0].joined if self._blocked else None)
        for done, ticket in enumerate(batch):
            if before is not None and ticket.joined > before:  # another replica's turn first
                return done, self.gate.slot_seconds()
            wait = self.gate.take(ticket.tokens)
            if wait:
                return done, wait
        if len(batch) == waiting:
            self._say(None)
        return len(batch), 0.0

    def _unsay(self) -> None:
        try:
            self._say(None)
        except RedisError as err:  # the others forget this line's head once it is stale
            log.warning("account line: could not leave the replicas' line: %s", type(err).__name__)

    def _say(self, joined: float | None) -> float | None:
        """Tell the other replicas when this line's head joined (None: nobody waits here);
        when the longest-waiting of theirs did (None: none waits, or there are no others)."""
        if not self._heads_known:
            self._heads = self.gate.line_heads(max(STALE_S, STALE_POLLS * self._poll))
            self._heads_known = True
        if self._heads is None:
            return None
        self._said = joined is not None
        return self._heads.earliest_elsewhere(joined)
