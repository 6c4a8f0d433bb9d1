"""Summaries of timing samples."""
from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), interpolating between closest ranks; None if empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float | None:
    return percentile(samples, 50)


def ms(seconds: float | None) -> float | None:
    """Seconds to milliseconds, rounded to 0.1 ms."""
    return None if seconds is None else round(seconds * 1000, 1)


def ratio(baseline: float | None, app: float | None) -> float | None:
    """baseline / app for a lower-is-better metric (>1: this app is better); None if
    undefined (a missing value, or an app value of zero or less)."""
    if baseline is None or app is None or app <= 0:
        return None
    return round(baseline / app, 2)
