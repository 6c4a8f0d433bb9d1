"""Batches a fast blocking stream into at most one page update per interval.

Gradio sends one message, and the browser re-renders, per `yield`; yielding every upstream
chunk leaves the page seconds behind a fast reply. `coalesce` reads the blocking iterator in a
thread and hands the event loop a batch whenever `interval` has passed since the last one, so
the first event shows at once, later ones at most every `interval`, and the last is never held.
"""
from __future__ import annotations

import asyncio
import threading
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
MAX_INTERVAL = 0.25


def page_interval(base: float, streaming: int) -> float:
    """Seconds between page updates of one reply while `streaming` replies are running."""
    return min(max(base, MAX_INTERVAL), base * max(1.0, streaming / SMOOTH_STREAMS))


Interval = float | Callable[[], float]


async def coalesce(source: Iterable[T], interval: Interval = INTERVAL,
                   heartbeat: float = HEARTBEAT) -> AsyncGenerator[list[T], None]:
    """Yield lists of `source`'s items, at most one list per `interval` seconds (a number,
    or a function asked again after every batch, so the pace can follow the server's load).

    An empty list means nothing arrived for `heartbeat` seconds. An exception raised by
    `source` is raised here after every item before it was yielded. When the consumer stops
    early, the reader stops at the next item and closes `source`; a blocked read is not
    interrupted here (the backend's CancelToken does that).
    """
    pace = interval if callable(interval) else (lambda: interval)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[int, object]] = asyncio.Queue()
    closed = threading.Event()

    def send(kind: int, value: object) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
        except RuntimeError:  # the event loop is gone (server shutting down)
            closed.set()

    def read() -> None:
        iterator = iter(source)
        try:
            for item in iterator:
                if closed.is_set():
                    break
                send(_ITEM, item)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, not swallowed
            send(_ERROR, exc)
        else:
            send(_END, None)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    threading.Thread(target=read, name="chat-stream-reader", daemon=True).start()
    batch: list[T] = []
    next_flush = loop.time()
    try:
        while True:
            timeout = max(0.0, next_flush - loop.time()) if batch else heartbeat
            try:
                kind, value = await asyncio.wait_for(queue.get(), timeout)
            except TimeoutError:
                yield batch
                batch, next_flush = [], loop.time() + pace()
                continue
            while kind == _ITEM:  # take everything already waiting
                batch.append(value)  # type: ignore[arg-type]
                try:
                    kind, value = queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
            if kind != _ITEM:
                if batch:
                    yield batch
                if kind == _ERROR:
                    raise value  # type: ignore[misc]
                return
            if loop.time() >= next_flush:
                yield batch
                batch, next_flush = [], loop.time() + pace()
    finally:
        closed.set()
