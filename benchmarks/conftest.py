"""Benchmark helpers: every measurement is taken beside a floor in the same run.

Machines are shared and noisy, so absolute times mean little; what is reported is the ratio of
the code under test to a floor (the cheapest thing that does comparable work), both measured
alternately in the same process so that load on the machine affects them alike.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest


def _once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ratio_to_floor(target: Callable[[], object], floor: Callable[[], object],
                   rounds: int) -> dict[str, float]:
    """Time ``target`` and ``floor`` alternately; return their best and median times and ratios."""
    target(), floor()  # warm caches and imports
    t_times, f_times = [], []
    for _ in range(rounds):
        t_times.append(_once(target))
        f_times.append(_once(floor))
    return {
        "target_min_s": min(t_times),
        "floor_min_s": min(f_times),
        "ratio_min": min(t_times) / min(f_times),
        "ratio_median": statistics.median(t_times) / statistics.median(f_times),
    }


def _smoke(target: Callable[[], object], floor: Callable[[], object]) -> dict[str, float]:
    """One run of each, no warming: enough to show both still work, too little to compare."""
    t, f = _once(target), _once(floor)
    return {"target_min_s": t, "floor_min_s": f, "ratio_min": t / f, "ratio_median": t / f}


@pytest.fixture
def compare(benchmark: Any, request: pytest.FixtureRequest) -> Callable[..., dict[str, float]]:
    """Benchmark ``target`` with pytest-benchmark and record its ratio to ``floor``.

    Under ``--benchmark-disable`` (as in CI) the target and the floor run once each, as a smoke
    test (the 5 MB hostile shapes of bench_limits.py spent minutes of CI parsing their floor
    again to warm it).
    """

    def run(target: Callable[[], object], floor: Callable[[], object],
            rounds: int = 30) -> dict[str, float]:
        if benchmark.disabled:  # a smoke run: the target once, the floor once
            return _smoke(lambda: benchmark(target), floor)
        benchmark(target)
        result = ratio_to_floor(target, floor, rounds)
        benchmark.extra_info.update({k: round(v, 6) for k, v in result.items()})
        print(f"\n{request.node.name}: {result['ratio_min']:.2f}x the floor "
              f"(median {result['ratio_median']:.2f}x)")
        return result

    return run


def cpu_time(fn: Callable[[], object]) -> float:
    """CPU time of this process for one call: time spent descheduled by other jobs on a shared
    machine does not count, which makes growth figures far steadier than wall-clock time."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def per_doubling(times: dict[int, float], small: int, large: int) -> float:
    """The time multiplier per doubling of size between two sizes (linear growth is 2.0)."""
    return float(2 ** (math.log(times[large] / times[small]) / math.log(large / small)))
