"""Coalescing a blocking event stream into at most one page update per interval."""
import asyncio
import threading
import time
from contextlib import aclosing

import pytest

from ui.chat.coalesce import coalesce


class Arrivals:
    """A blocking iterator like the backend's reading a socket: item i arrives
    `first_delay + i * delay` seconds after the first read. One that came while nobody read
    waits in the buffer and is returned at once; `waits` counts the reads that blocked."""

    def __init__(self, items, delay=0.0, first_delay=0.0):
        self.items, self.delay, self.first_delay = list(items), delay, first_delay
        self.start, self.index, self.waits = None, 0, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.start is None:
            self.start = time.monotonic()
        if self.index >= len(self.items):
            raise StopIteration
        arrives = self.start + self.first_delay + self.index * self.delay
        if arrives > time.monotonic():
            self.waits += 1
            time.sleep(arrives - time.monotonic())
        self.index += 1
        return self.items[self.index - 1]


def paced(items, delay=0.0, first_delay=0.0):
    return Arrivals(items, delay, first_delay)


def collect(source, **kwargs):
    """[(seconds since start, batch), ...]"""
    async def run():
        start, out = time.monotonic(), []
        async for batch in coalesce(source, **kwargs):
            out.append((time.monotonic() - start, batch))
        return out
    return asyncio.run(run())


def test_a_fast_stream_arrives_whole_in_few_updates():
    batches = collect(paced(range(2000)), interval=0.04)
    assert [item for _, batch in batches for item in batch] == list(range(2000))
    assert len(batches) < 20


def test_updates_are_spaced_by_the_interval_and_the_last_is_flushed():
    batches = collect(paced(range(100), delay=0.004), interval=0.05, heartbeat=5)
    assert [item for _, batch in batches for item in batch] == list(range(100))
    gaps = [b[0] - a[0] for a, b in zip(batches, batches[1:], strict=False)]
    # Every update but the final flush waits out the interval (small slack for timer rounding).
    assert all(gap >= 0.045 for gap in gaps[:-1]), gaps
    assert len(batches) <= 0.4 / 0.05 + 4


def test_the_reader_reads_once_an_update_not_once_a_token():
    """Between updates the reader rests and what came meanwhile is read in one go: each read
    that waits for the network wakes a thread that takes the GIL from the event loop."""
    source = paced(range(100), delay=0.004)
    batches = collect(source, interval=0.05, heartbeat=5)
    assert [item for _, batch in batches for item in batch] == list(range(100))
    assert source.waits <= 2 * len(batches) + 2, (source.waits, len(batches))
    assert batches[-1][0] < 0.4 + 2 * 0.05  # resting delays no item past its next update


def test_the_first_event_is_shown_at_once():
    batches = collect(paced(["first", "second"], delay=0.5), interval=0.04, heartbeat=5)
    assert batches[0][1] == ["first"]
    assert batches[0][0] < 0.2


def test_a_slow_stream_shows_each_event_as_it_comes():
    batches = collect(paced(["a", "b", "c"], delay=0.15), interval=0.04, heartbeat=5)
    assert [batch for _, batch in batches] == [["a"], ["b"], ["c"]]


def test_an_error_comes_after_the_events_before_it():
    def failing():
        yield "partial"
        yield "reply"
        raise RuntimeError("upstream dropped")

    async def run():
        seen = []
        with pytest.raises(RuntimeError, match="upstream dropped"):
            async for batch in coalesce(failing(), interval=0.04):
                seen.extend(batch)
        return seen

    assert asyncio.run(run()) == ["partial", "reply"]


def test_silence_yields_empty_heartbeats():
    batches = collect(paced(["late"], first_delay=0.35), interval=0.04, heartbeat=0.1)
    assert [batch for _, batch in batches if batch] == [["late"]]
    assert sum(1 for _, batch in batches if not batch) >= 2


def test_a_consumer_that_leaves_closes_the_source():
    closed = threading.Event()

    def endless():
        try:
            while True:
                yield "tick"
                time.sleep(0.01)
        finally:
            closed.set()

    async def run():
        async with aclosing(coalesce(endless(), interval=0.02)) as batches:
            async for _ in batches:
                break

    asyncio.run(run())
    assert closed.wait(2), "the reader thread kept the source open"


def test_page_interval_spaces_updates_out_only_under_load():
    from ui.chat.coalesce import MAX_INTERVAL, page_interval

    assert page_interval(0.04, 1) == 0.04 and page_interval(0.04, 10) == 0.04
    assert page_interval(0.04, 50) == pytest.approx(0.2)
    assert page_interval(0.04, 500) == MAX_INTERVAL


def test_interval_may_be_a_function_asked_after_every_batch():
    import asyncio

    asked = []

    def pace():
        asked.append(1)
        return 0.0

    def slow():
        for x in range(3):
            time.sleep(0.02)
            yield x

    async def main():
        return [batch async for batch in coalesce(slow(), interval=pace)]

    batches = asyncio.run(main())
    assert [x for batch in batches for x in batch] == [0, 1, 2] and asked


def test_page_interval_grows_with_a_long_reply_as_the_page_renders_it_slower():
    from ui.chat.coalesce import MAX_INTERVAL, SMOOTH_CHARS, page_interval

    assert page_interval(0.04, 1, SMOOTH_CHARS) == 0.04
    assert page_interval(0.04, 1, 4 * SMOOTH_CHARS) == pytest.approx(0.16)
    assert page_interval(0.04, 50, 4 * SMOOTH_CHARS) == pytest.approx(0.2)  # the load's is longer
    assert page_interval(0.04, 1, 100 * SMOOTH_CHARS) == MAX_INTERVAL


def test_a_stream_read_more_often_than_it_is_shown_ends_at_once():
    """Updates 1 s apart, reads every 20 ms: the last items, 0.1 s in, are yielded when they
    come, not when the next update would be due. Read at the updates' pace, they wait for it."""
    batches = collect(paced(range(10), delay=0.01), interval=1.0, heartbeat=5, read_every=0.02)
    assert [item for _, batch in batches for item in batch] == list(range(10))
    assert batches[-1][0] < 0.5  # ~0.12 s; the next update was due at 1 s
    held = collect(paced(range(10), delay=0.01), interval=1.0, heartbeat=5)
    assert held[-1][0] >= 0.9


def test_reads_between_updates_keep_a_fast_stream_whole_and_its_updates_spaced():
    batches = collect(paced(range(600), delay=0.001), interval=0.2, heartbeat=5, read_every=0.02)
    assert [item for _, batch in batches for item in batch] == list(range(600))
    gaps = [b[0] - a[0] for a, b in zip(batches, batches[1:], strict=False)]
    assert len(batches) <= 6 and all(gap >= 0.15 for gap in gaps[:-1])
