"""A reply's life, from its handler's start to the moment it is forgotten, in one place.

Each reply is in one `State`, changed only by `Runs`, under its one lock:

    STREAMING --Stop--------------------> STOPPED    ends as last shown, marked "stopped"
    STREAMING --New chat, a newer reply--> CANCELLED  dropped: no last update brings it back
    any of those --its handler's end-----> DONE       the last update is out; forgotten
    any but DONE --gradio closed it------> CLOSED     (Stop, a closed tab) kept for a Stop
                                                      handler that runs just after

A handler lives through `Runs.open(...)`, a context manager (`Lifecycle`): whichever way
the handler ends, its upstream is cancelled, the reply is charged and logged once, the run
is forgotten or kept as CLOSED, and `ended` is set for New chat, which waits on it.
"""
from __future__ import annotations

import enum
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from minimax_backend import CancelToken

from .reply import Reply


class State(enum.Enum):
    STREAMING = "streaming"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    DONE = "done"
    CLOSED = "closed"


@dataclass(eq=False)
class Run:
    """One reply being streamed for one session: what Stop needs to cancel and freeze it."""

    base: list[dict]  # the history the reply is appended to
    reply: Reply  # the reply as last shown to the visitor
    cancel: CancelToken = field(default_factory=CancelToken)
    state: State = State.STREAMING  # written only by `Runs`, under its lock
    closed_at: float | None = None  # when it became CLOSED
    ended: threading.Event = field(default_factory=threading.Event)  # its handler returned


def session_of(request: Any) -> str:
    """The visitor's gradio session, which `Runs` keys replies by."""
    return getattr(request, "session_hash", None) or "anonymous"


Charge = Callable[[Reply, Reply], None]  # (all that was received, what was shown)


class Runs:
    """The running reply of each session, keyed by gradio's session hash."""

    def __init__(self, capacity: int = 2048, keep_closed_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[str, Run] = OrderedDict()
        # A CLOSED run stays `keep_closed_s` for the Stop handler, which may run just after
        # gradio closed the reply; past `capacity`, the oldest that no longer stream go first.
        self._capacity, self._keep_closed_s, self._clock = capacity, keep_closed_s, clock

    def open(self, session: str, base: list[dict], reply: Reply, charge: Charge) -> Lifecycle:
        """The context manager a streaming handler lives in (see the module note)."""
        return Lifecycle(self, session, Run(base=base, reply=reply.snapshot()), reply, charge)

    def start(self, session: str, run: Run) -> None:
        """Record `run` as the session's reply, cancelling any earlier one."""
        with self._lock:
            previous = self._runs.pop(session, None)
            if previous is not None and previous.state is State.STREAMING:
                previous.state = State.CANCELLED
            self._runs[session] = run
            expired = self._clock() - self._keep_closed_s
            for key in [key for key, old in self._runs.items()
                        if old.state is State.CLOSED and (old.closed_at or 0) < expired]:
                del self._runs[key]
            while len(self._runs) > self._capacity:
                stale = next((key for key, old in self._runs.items()
                              if old.state is not State.STREAMING), None)
                if stale is None:
                    break
                del self._runs[stale]
        if previous is not None:
            previous.cancel.cancel()

    def stop(self, session: str, freeze: bool = True) -> Run | None:
        """Cancel the session's reply; the run, unless it was done. `freeze`: it stays in
        the chat as last shown (Stop), else it is dropped (New chat)."""
        with self._lock:
            run = self._runs.pop(session, None)
            if run is None or run.state is State.DONE:
                return None
            if run.state is State.STREAMING:
                run.state = State.STOPPED if freeze else State.CANCELLED
        run.cancel.cancel()
        return run

    def end(self, session: str, run: Run) -> State:
        """`run`'s handler reached its end: the state it ended in; it is DONE and forgotten."""
        with self._lock:
            ended, run.state = run.state, State.DONE
            if self._runs.get(session) is run:
                del self._runs[session]
        return ended

    def close(self, session: str, run: Run) -> None:
        """`run`'s handler is gone: forgotten if DONE, else CLOSED and kept a while for Stop."""
        with self._lock:
            if run.state is State.DONE:
                if self._runs.get(session) is run:
                    del self._runs[session]
            else:
                run.state, run.closed_at = State.CLOSED, self._clock()

    def streaming(self) -> int:
        """How many replies are streaming now, over all sessions."""
        with self._lock:
            return sum(1 for run in self._runs.values() if run.state is State.STREAMING)

    def busy(self, session: str) -> bool:
        """True while a reply is streaming for the session."""
        with self._lock:
            run = self._runs.get(session)
            return run is not None and run.state is State.STREAMING


class Lifecycle:
    """One streaming handler's reply, from `with` to its end (made by `Runs.open`)."""

    def __init__(self, runs: Runs, session: str, run: Run, reply: Reply, charge: Charge) -> None:
        self.run, self.reply = run, reply  # `reply` receives the events; `run.reply` is shown
        self._runs, self._session, self._charge = runs, session, charge
        self._charged = False

    def __enter__(self) -> Lifecycle:
        self._runs.start(self._session, self.run)
        return self

    @property
    def cancel(self) -> CancelToken:
        return self.run.cancel

    def renew_cancel(self) -> CancelToken:
        """A fresh token for another attempt at the reply; the last one is cancelled. Stop
        cancels whichever is current: it sets the state first, so a caller that checks
        `streaming` after this call misses no Stop."""
        old, self.run.cancel = self.run.cancel, CancelToken()
        old.cancel()
        return self.run.cancel

    @property
    def streaming(self) -> bool:
        """False once Stop, New chat or a newer reply ended it."""
        return self.run.state is State.STREAMING

    def show(self) -> None:
        """The reply, as it is now, was sent to the page: Stop freezes it there."""
        self.run.reply = self.reply.snapshot()

    def finish(self, failure: BaseException | None = None) -> Reply | None:
        """End the reply, charge it, and return what to show last: the whole reply, the one
        Stop froze (as last shown, marked), or None when New chat or a newer reply dropped it."""
        ended = self._runs.end(self._session, self.run)
        stopped = ended is not State.STREAMING
        shown = self.run.reply.snapshot() if stopped else self.reply
        shown.end(stopped=stopped, error=None if stopped else failure)
        self._settle(shown)
        return shown if ended in (State.STREAMING, State.STOPPED) else None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.run.cancel.cancel()  # closes the upstream too when the visitor leaves mid-reply
        try:
            if not self._charged:  # gradio closed the handler mid-reply: Stop, a closed tab
                self.reply.end(stopped=True)
                self._settle(self.reply)
        finally:
            self._runs.close(self._session, self.run)
            self.run.ended.set()

    def _settle(self, shown: Reply) -> None:
        self._charged = True
        self._charge(self.reply, shown)
