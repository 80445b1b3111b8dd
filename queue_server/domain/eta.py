"""Estimated wait: people ahead x typical service time / counters working on that queue."""

from __future__ import annotations

import math
from statistics import median


def typical_service_minutes(recent_service_seconds: list[float], standard_minutes: float,
                            minimum_samples: int = 5) -> float:
    """The median of recent service times, or the citizen-manual standard until there are enough.

    The median, not the mean: one forgotten "finish" must not double everybody's estimate.
    """
    if len(recent_service_seconds) < minimum_samples:
        return standard_minutes
    return median(recent_service_seconds) / 60.0


def estimate_wait_minutes(ahead: int, service_minutes: float, counters_open: int) -> int | None:
    """Whole minutes until called; None when no open counter serves the queue."""
    if counters_open <= 0:
        return None
    if ahead <= 0:
        return 0
    return math.ceil(ahead * service_minutes / counters_open)
