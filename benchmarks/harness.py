"""A small timing harness: median and spread over repetitions, ours against a peer.

Each ``benchmarks/bench_<module>.py`` defines ``cases()``, returning a list of :class:`Case`.
``benchmarks/run.py`` runs them and prints a Markdown table.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class Case:
    """One line of the results table.

    ``ours`` and ``peer`` are zero-argument callables: all set-up (loading, random data) is done
    before, outside them. ``quality(ours_result, peer_result)`` returns a short text (for instance the
    relative difference of two distances, or a remaining distance), with ``peer_result`` ``None`` when
    there is no peer.
    """

    operation: str
    size: str
    ours: Callable[[], Any]
    peer: Optional[Callable[[], Any]] = None
    peer_name: str = ""
    quality: Optional[Callable[[Any, Any], str]] = None
    target: str = ""
    repeat: int = 5
    extra: dict = field(default_factory=dict)


@dataclass
class Timing:
    median: float
    low: float
    high: float
    runs: int
    result: Any = None

    def __str__(self):
        return f"{format_seconds(self.median)} ({format_seconds(self.low)}-{format_seconds(self.high)})"


def format_seconds(t):
    if t is None:
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1.0:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def measure(fn, repeat=5, warmup=1, budget=30.0):
    """Median, min and max wall time of ``fn()`` over ``repeat`` runs after ``warmup`` runs.

    Fewer runs are made when one run is long (the total is kept under about ``budget`` seconds).
    """
    result = None
    first = None
    for _ in range(warmup):
        t0 = time.perf_counter()
        result = fn()
        first = time.perf_counter() - t0
    if first is not None and first * repeat > budget:
        repeat = max(1, int(budget // max(first, 1e-9)))
    times = []
    gc.collect()
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return Timing(times[len(times) // 2], times[0], times[-1], len(times), result)


def relative_difference(ours, peer):
    """Quality figure for two numbers that should agree: ``|ours - peer| / |peer|``."""
    return f"rel. diff {abs(ours - peer) / abs(peer):.1e}"
