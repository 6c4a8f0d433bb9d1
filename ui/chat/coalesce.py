"""Batches a fast blocking stream into at most one page update per interval.

Gradio sends one message, and the browser re-renders, per `yield`; yielding every upstream
chunk leaves the page seconds behind a fast reply. `coalesce` reads the blocking iterator in a
thread and hands the event loop a batch whenever `interval` has passed since the last one, so
the first event shows at once, later ones at most every `interval`, and the last is never held.
"""
from __future__ import annotations

import _thread
import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

INTERVAL = 0.04  # seconds between page updates while chunks pour in
HEARTBEAT = 0.5  # an empty batch after this much silence (keeps timers on the page live)

_ITEM, _END, _ERROR = range(3)

# Every page update of every stream costs the one server process CPU (gradio diffs and sends
# it). Past this many replies at once, updates are spaced out in proportion, so 50 visitors
# cost about as much as 10; one visitor still gets an update every 40 ms.
SMOOTH_STREAMS = 10
MAX_INTERVAL = 0.5
READ_AHEAD = 0.005  # the reader wakes this long before an update is due, to read what came


# The page renders a reply's whole text again at every update, in time that grows with the
# text: 100-150 ms at 7,000 characters in Chromium on this 2-core machine, and a phone is
# slower. Updates coming faster than that piled up in the page, and a long reply's last words
# showed up to 0.35 s after its last byte. Past this many characters, updates are spaced in
# proportion (the reply is still read at the load's pace, so its end shows at once).
SMOOTH_CHARS = 2000


def page_interval(base: float, streaming: int, shown_chars: int = 0) -> float:
    """Seconds between page updates of one reply, `shown_chars` long so far, while
    `streaming` replies are running."""
    load = max(1.0, streaming / SMOOTH_STREAMS, shown_chars / SMOOTH_CHARS)
    return min(max(base, MAX_INTERVAL), base * load)


Interval = float | Callable[[], float]


class _Handoff:
    """Items from the reader thread to the event loop. The loop is woken only when the
    consumer waits for what was sent: for any item while its batch is empty, for the end
    (or an error) while it waits out the interval. Waking it for every chunk cost a
    cross-thread call and a loop turn per token, 100 replies at 50 tokens a second each."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.lock = threading.Lock()
        self.items: list[tuple[int, object]] = []
        self.waiter: asyncio.Future[None] | None = None
        self.wake_on_items = False
        self.closed = threading.Event()
        self.due = 0.0  # `time.monotonic()` of the consumer's next update (the loop's clock)

    def send(self, kind: int, value: object) -> None:
        with self.lock:
            self.items.append((kind, value))
            waiter = self.waiter
            if waiter is None or (kind == _ITEM and not self.wake_on_items):
                return
            self.waiter = None
        try:
            self.loop.call_soon_threadsafe(_wake, waiter)
        except RuntimeError:  # the event loop is gone (server shutting down)
            self.closed.set()

    def rest(self) -> None:
        """In the reader, after an item: wait (in this thread) until just before the next
        update is due, or the consumer leaves. Chunks meanwhile wait in the socket's buffer and
        are then read in one go. Reading each as it came woke the reader, and took the GIL from
        the event loop, once per token: 5,000 times a second with 100 replies streaming."""
        wait = self.due - time.monotonic() - READ_AHEAD
        if wait > 0:
            self.closed.wait(wait)

    def take(self) -> list[tuple[int, object]]:
        with self.lock:
            items, self.items = self.items, []
            return items

    async def wait(self, timeout: float, for_items: bool) -> None:
        """Until something the consumer waits for was sent, or `timeout` seconds."""
        with self.lock:
            if self.items and (for_items or any(k != _ITEM for k, _ in self.items)):
                return
            waiter = self.waiter = self.loop.create_future()
            self.wake_on_items = for_items
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            with self.lock:
                if self.waiter is waiter:
                    self.waiter = None


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def coalesce(source: Iterable[T], interval: Interval = INTERVAL,
                   heartbeat: float = HEARTBEAT, read_every: Interval | None = None,
                   ) -> AsyncGenerator[list[T], None]:
    """Yield lists of `source`'s items, at most one list per `interval` seconds (a number,
    or a function asked again after every batch, so the pace can follow the server's load).
    `read_every` (at most `interval`; the same by default) is how often the reader takes what
    came meanwhile: the end of `source` is yielded at most that long after it came.

    An empty list means nothing arrived for `heartbeat` seconds. An exception raised by
    `source` is raised here after every item before it was yielded. When the consumer stops
    early, the reader stops at the next item and closes `source`; a blocked read is not
    interrupted here (the backend's CancelToken does that).
    """
    pace = interval if callable(interval) else (lambda: interval)
    reads = read_every if callable(read_every) else \
        (pace if read_every is None else (lambda: read_every))
    loop = asyncio.get_running_loop()
    handoff = _Handoff(loop)

    def read() -> None:
        iterator = iter(source)
        try:
            for item in iterator:
                if handoff.closed.is_set():
                    break
                handoff.send(_ITEM, item)
                handoff.rest()
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, not swallowed
            handoff.send(_ERROR, exc)
        else:
            handoff.send(_END, None)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    # Not `threading.Thread(...).start()`: it waits until the new thread has run, and under a
    # crowd that wait is the event loop's, behind every other reader holding the GIL (4.5 ms a
    # reply with 100 replies starting at once, 7% of the loop). This thread is a daemon too.
    _thread.start_new_thread(read, ())
    batch: list[T] = []
    next_flush = loop.time()
    try:
        while True:
            holding = bool(batch)
            if holding:  # hold it until the interval is over, unless the stream ends first
                await handoff.wait(max(0.0, min(next_flush, handoff.due) - loop.time()),
                                   for_items=False)
            else:
                await handoff.wait(heartbeat, for_items=True)
            ended: tuple[int, object] | None = None
            for kind, value in handoff.take():
                if kind == _ITEM:
                    batch.append(value)  # type: ignore[arg-type]
                else:
                    ended = (kind, value)
            if ended is not None:
                if batch:
                    yield batch
                if ended[0] == _ERROR:
                    raise ended[1]  # type: ignore[misc]
                return
            now = loop.time()
            if now >= next_flush or not batch:
                # Due, or a heartbeat (an empty batch after `heartbeat` seconds of silence).
                yield batch
                batch, next_flush = [], loop.time() + pace()
                handoff.due = min(next_flush, loop.time() + reads())
            elif holding:  # a read before the update is due: the reader took what came
                handoff.due = min(next_flush, now + reads())  # and rests until the next
    finally:
        handoff.closed.set()
