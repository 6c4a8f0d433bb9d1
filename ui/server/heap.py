"""The server's heap: settled once the app is built, and fully collected only in a quiet
moment.

A full collection holds every thread while it walks the heap. Two were taken off the crowd's
way here (measured with `gc.callbacks` while 100 visitors sent at once):
- What exists once the app is built lives as long as the process: `gc.freeze()` moves
  gradio's ~240k start-up objects out of the collector's reach (a full walk of them took
  200-360 ms). Later collections walk only what came after (gradio's lazy imports, the
  sessions, their chats and replies).
- What came after grows with the sessions gradio keeps (up to `APP_MAX_SESSIONS`): a full walk
  of it took ~55 ms in a fresh server and ~250 ms with a thousand sessions kept, and Python
  started one or two in every 100-visitor crowd, at whatever moment its counters said.
  `QuietCollector` turns Python's own full collections off and runs each one when it would
  have been due and the process has gone quiet, or when it has waited `MAX_DEFER_S`. Young
  collections are Python's as before.

Collections were also made rarer (thresholds 10,000, 10, 100) for a while, which left the
server ~30 MB fuller after a crowd than `tests/test_load.py` allows: the young generations'
thresholds are Python's own.
"""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass

# Python's own rule: a full collection after this many collections of the middle generation.
FULL_AFTER = 10
# Python skips its full collection when this threshold is not reached: never, here.
NEVER = 1_000_000_000
CHECK_S = 0.25
# The process used at most this much CPU over the last check (12% of a core): nothing that a
# visitor would see waits on it. Streaming one reply uses less; a crowd's start far more.
QUIET_CPU_S = 0.03
# A process that never goes quiet still collects, as late as this after the collection was due.
MAX_DEFER_S = 30.0
_running = 0  # collectors running in this process (a test may start several servers)


def settle_heap() -> int:
    """Collect what the start left behind, then leave everything alive now out of every later
    collection; the number of objects set aside."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@dataclass
class QuietCollector:
    """Runs the full collections Python would have run, each at the first quiet check after
    it was due (`step`, every `CHECK_S` in `run`). `cpu` and `clock` read the process's CPU
    time and the time; `collect` does the collection."""

    quiet_cpu_s: float = QUIET_CPU_S
    max_defer_s: float = MAX_DEFER_S
    cpu: Callable[[], float] = time.process_time
    clock: Callable[[], float] = time.monotonic
    collect: Callable[[], object] = gc.collect
    quiet: int = 0  # full collections run in a quiet moment
    forced: int = 0  # full collections run because they had waited `max_defer_s`

    def __post_init__(self) -> None:
        self._cpu_seen = self.cpu()
        self._due_since: float | None = None

    def step(self) -> bool:
        """One check: collect if a full collection is due and the process was quiet since the
        last check, or it has been due for `max_defer_s`; whether it collected."""
        cpu = self.cpu()
        used, self._cpu_seen = cpu - self._cpu_seen, cpu
        if gc.get_count()[2] < FULL_AFTER:
            self._due_since = None
            return False
        now = self.clock()
        if self._due_since is None:
            self._due_since = now
        quiet = used <= self.quiet_cpu_s
        if not quiet and now - self._due_since < self.max_defer_s:
            return False
        self.collect()
        if quiet:
            self.quiet += 1
        else:
            self.forced += 1
        self._due_since, self._cpu_seen = None, self.cpu()  # the collection's own CPU is not use
        return True

    async def run(self, check_s: float = CHECK_S) -> None:
        """Hold Python's full collections and run them here until cancelled; Python's own
        rule comes back when the process's last collector stops."""
        global _running
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        _running += 1
        try:
            while True:
                await asyncio.sleep(check_s)
                self.step()
        finally:
            _running -= 1
            if not _running:
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, FULL_AFTER)
