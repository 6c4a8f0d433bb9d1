"""How much each benchmark mode measures, and the emulator replies it uses.

Replies are emulator directives (see minimax_backend/emulator/faults.py): `chunks=100;
interval_ms=20` is a 2-second reply of 100 tokens, `chunks=2000;interval_ms=1` a fast one
(~750 tokens/s, several times faster than any MiniMax model streams).
"""
from __future__ import annotations

from dataclasses import dataclass

MODEL = "MiniMax-Text-01"  # no thinking, so both apps show the very first chunk
MAX_TOKENS = 2048  # the model's default; both apps send it


@dataclass(frozen=True)
class Profile:
    name: str
    startup_runs: int  # start-ups timed per app (the servers used for the rest count as one)
    warmup_visits: int  # per app, before anything is timed
    ttft_samples: int  # per app, interleaved with raw requests to the emulator
    ttft_reply: str
    browser_runs: int  # for this app (a few seconds each)
    browser_baseline_runs: int  # for the baseline (tens of seconds each)
    browser_watch_s: float  # stop watching this long after the upstream's last byte
    browser_reply: str
    crowds: tuple[int, ...]  # visitors pressing Enter at once
    crowd_reply: str
    # Visitors at once through two replicas (bench/fleet_phase.py); 0: none (the smoke run's:
    # tests/test_fleet.py runs the same crowd machinery on the set).
    fleet_crowd: int = 200


_TTFT_REPLY = "chunks=3;interval_ms=20"
_BROWSER_REPLY = "chunks=2000;interval_ms=1"
_CROWDS, _CROWD_REPLY = (1, 10, 50), "chunks=100;interval_ms=20"

PROFILES = {
    # The smoke test's: every phase, tiny; it checks the machinery, not performance.
    "smoke": Profile("smoke", startup_runs=1, warmup_visits=1, ttft_samples=3,
                     ttft_reply="chunks=3;interval_ms=10", browser_runs=1,
                     browser_baseline_runs=1, browser_watch_s=30,
                     browser_reply="chunks=200;interval_ms=1", crowds=(1, 3),
                     crowd_reply="chunks=10;interval_ms=20", fleet_crowd=0),
    # Under 3 minutes on 2 cores. Most of it is the stock baseline serving 61 visitors one by
    # one (~130 s), so its page is watched for at most 3 s after the reply's last byte: a
    # lower bound for a page that lags further (the full run watches to the end).
    "quick": Profile("quick", startup_runs=1, warmup_visits=1, ttft_samples=8,
                     ttft_reply=_TTFT_REPLY, browser_runs=2, browser_baseline_runs=1,
                     browser_watch_s=3, browser_reply=_BROWSER_REPLY, crowds=_CROWDS,
                     crowd_reply=_CROWD_REPLY),
    "full": Profile("full", startup_runs=5, warmup_visits=3, ttft_samples=40,
                    ttft_reply=_TTFT_REPLY, browser_runs=5, browser_baseline_runs=3,
                    browser_watch_s=300, browser_reply=_BROWSER_REPLY, crowds=_CROWDS,
                    crowd_reply=_CROWD_REPLY),
}
