"""The line of replies waiting for the host's account, served round-robin among visitors.

Within one process, replies that may not go yet wait here, in turn by visitor: each visitor's
first waiting reply, then each one's second, and so on, so one visitor's many tabs or scripted
requests cannot take every slot. Only the line's head asks the shared count (`AccountGate`);
across replicas that count is what is shared, each process keeping its own fair order.

A visitor is their address (the guard's `ip:` key): tabs are sessions, so a session key would
let a tab farm take turn after turn; visitors behind one NAT share a turn.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

POLL = 2.0  # seconds between a waiting reply's looks at the line (and its note's refresh)


class Gate(Protocol):
    """What the line needs of the account's count (`AccountGate`, or a test's fake)."""

    def take(self, tokens: int = 0) -> float: ...

    def slot_seconds(self) -> float: ...

    def back_off(self, err: Any) -> float: ...

    def spend(self, tokens: int) -> None: ...

    @property
    def max_wait(self) -> float: ...


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
    woken: asyncio.Event = field(default_factory=asyncio.Event)


class AccountLine:
    """Waiting replies, per visitor, served round-robin when the gate has room."""

    def __init__(self, gate: Gate, clock: Callable[[], float] = time.monotonic,
                 poll: float = POLL) -> None:
        self.gate, self.clock, self._poll = gate, clock, poll
        self._visitors: OrderedDict[str, deque[Ticket]] = OrderedDict()  # the rotation
        self._head_wait = 0.0  # what the head last heard from the gate

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
        ticket = Ticket(visitor, tokens)
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
        head = next(iter(self.order()), None)
        if head is not None:
            head.woken.set()

    async def turn(self, visitor: str, tokens: int = 0, since: float | None = None,
                   max_wait: float | None = None, first: bool = False) -> AsyncIterator[float]:
        """Wait for a slot: yields the estimated seconds left now and then, and ends once the
        gate has counted this request. Raises AccountBusy once `max_wait` seconds have passed
        `since` (this line's clock; default: now)."""
        deadline = None if max_wait is None else (self.clock() if since is None else since) + max_wait
        ticket = self.join(visitor, tokens, first)
        served = False
        try:
            while True:
                ticket.woken.clear()  # a wake from here on cuts the next nap short
                order = self.order()
                head = order[0] is ticket
                if head:
                    wait = await asyncio.to_thread(self.gate.take, ticket.tokens)
                    if not wait:
                        served = True
                        return
                    self._head_wait = wait
                    nap = min(wait, self._poll)
                else:
                    wait = self._head_wait + order.index(ticket) * self.gate.slot_seconds()
                    nap = self._poll
                if deadline is not None:
                    left = deadline - self.clock()
                    if left <= 0 or (head and wait > left):  # past it, or the gate says too late
                        raise AccountBusy(max_wait or 0)
                    nap = min(nap, left)
                yield wait
                try:
                    await asyncio.wait_for(ticket.woken.wait(), nap)
                except TimeoutError:
                    pass
        finally:
            self.leave(ticket, served)
