"""The server settles its heap once built (ui/server/heap.py): what exists then is left out of
later collections, and what comes after is still collected, its full collections in quiet
moments. Whatever changes the collector's settings runs in a fresh interpreter, so this
test's process keeps its own collector as it was."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ui.server.heap import FULL_AFTER, QuietCollector

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import gc, json, weakref
import gradio  # the bulk of a server's heap
from ui.server.heap import settle_heap

class Node:
    pass

old = Node(); old.me = old  # a cycle alive at the start, dropped later
old_ref = weakref.ref(old)
alive = len(gc.get_objects())
frozen = settle_heap()
del old
new = Node(); new.me = new  # a cycle made afterwards
new_ref = weakref.ref(new)
del new
gc.collect()
print(json.dumps({"alive": alive, "frozen": frozen, "old_kept": old_ref() is not None,
                  "new_collected": new_ref() is None, "left": len(gc.get_objects())}))
"""


def test_what_lives_at_the_start_is_set_aside_and_later_garbage_still_goes():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["frozen"] >= seen["alive"] * 0.9 > 100_000  # gradio's heap, set aside
    assert seen["left"] < seen["frozen"] / 10  # later collections walk only a little
    assert seen["new_collected"]  # a cycle made after the start is still collected
    assert seen["old_kept"]  # the price: cyclic garbage from before the start stays


# In a fresh interpreter: a cycle that reached the oldest generation, dropped while
# QuietCollector runs. Ten collections of the middle generation make a full one due; Python
# would run it then, the collector at its next check, the process being idle.
QUIET_PROBE = """
import asyncio, gc, json, weakref
from ui.server.heap import FULL_AFTER, NEVER, QuietCollector

class Node:
    pass

async def main():
    collector = QuietCollector()
    task = asyncio.create_task(collector.run(check_s=0.05))
    await asyncio.sleep(0)  # the collector starts, and holds Python's full collections
    held = gc.get_threshold()[2]
    old = Node(); old.me = old
    gc.collect(1); gc.collect(1)  # it survives two young collections: in the oldest now
    ref = weakref.ref(old)
    del old
    for _ in range(FULL_AFTER):
        gc.collect(1)  # not the oldest generation: the cycle stays
    due_alive = ref() is not None
    for _ in range(40):
        await asyncio.sleep(0.05)
        if ref() is None:
            break
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    print(json.dumps({"held": held == NEVER, "due_alive": due_alive, "collected": ref() is None,
                      "quiet": collector.quiet, "after": gc.get_threshold()[2]}))

asyncio.run(main())
"""


def test_a_due_full_collection_runs_once_the_process_is_quiet_and_python_takes_over_after():
    out = subprocess.run([sys.executable, "-c", QUIET_PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["held"]  # Python's own full collections are off while it runs
    assert seen["due_alive"]  # due, but not yet run: Python did not start it itself
    assert seen["collected"] and seen["quiet"] >= 1  # run by the collector, in a quiet moment
    assert seen["after"] == FULL_AFTER  # Python's rule is back once it stops


class _Clocks:
    """A process's CPU time and the time, moved by the test."""

    def __init__(self) -> None:
        self.cpu, self.now, self.collections = 0.0, 100.0, 0

    def collector(self) -> QuietCollector:
        return QuietCollector(quiet_cpu_s=0.03, max_defer_s=30.0, cpu=lambda: self.cpu,
                              clock=lambda: self.now, collect=self.collect)

    def collect(self) -> None:
        self.collections += 1


def test_a_busy_process_defers_a_due_collection_then_runs_it_once_quiet(monkeypatch):
    monkeypatch.setattr("ui.server.heap.gc.get_count", lambda: (0, 0, FULL_AFTER))  # due
    clocks = _Clocks()
    collector = clocks.collector()
    for _ in range(3):  # a crowd: half a core's CPU each check
        clocks.cpu += 0.12
        clocks.now += 0.25
        assert not collector.step()
    clocks.now += 0.25  # its end: no CPU since the last check
    assert collector.step()
    assert (clocks.collections, collector.quiet, collector.forced) == (1, 1, 0)


def test_a_process_never_quiet_still_collects_after_the_longest_wait(monkeypatch):
    monkeypatch.setattr("ui.server.heap.gc.get_count", lambda: (0, 0, FULL_AFTER))
    clocks = _Clocks()
    collector = clocks.collector()
    checks = 0
    while True:  # busy at every check
        clocks.cpu += 0.2
        checks += 1
        if collector.step():
            break
        clocks.now += 0.25
    assert checks == 30 / 0.25 + 1  # due at the first check, run 30 s later
    assert (clocks.collections, collector.quiet, collector.forced) == (1, 0, 1)


def test_nothing_is_collected_before_python_would_have(monkeypatch):
    monkeypatch.setattr("ui.server.heap.gc.get_count", lambda: (0, 0, FULL_AFTER - 1))
    clocks = _Clocks()
    collector = clocks.collector()
    for _ in range(200):  # quiet, and long past the longest wait
        clocks.now += 0.25
        assert not collector.step()
    assert clocks.collections == 0
