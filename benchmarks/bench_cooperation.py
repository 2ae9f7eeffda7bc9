"""Planning a region of 60, 500, 2,000 and 5,000 institutions (the whole ``match`` call: round
1 and the roadmap of later rounds, default budget), beside a bare loop over the same data.

The floor reads every action result of every assessment once: what any matcher must at least
look at. Reported: the ratio of ``match`` to it at each size, how ``match`` grows per doubling
of institutions (CPU time, steadier than wall time on a shared machine), and the peak memory
``match`` allocates at 5,000 (tracemalloc). Targets (issue 28): 5,000 institutions in at most
10 s and 400 MB, at most 2.1x per doubling. Under ``--benchmark-disable`` (CI) only 60 run,
once.
"""

from __future__ import annotations

import itertools
import random
import tracemalloc
from functools import cache, partial
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import cpu_time, per_doubling

SIZES = (60, 500, 2000, 5000)
DOUBLINGS = (625, 1250, 2500, 5000)
LANGUAGES = ("es", "es", "es", "en", "pt", "fr")
SUBREGIONS = ("andean", "central", "caribbean", "southern", "north")
TYPES = ("health", "pensions", "work-injury", "mixed")


@cache
def region(n: int, seed: int = 2015) -> dp.Portfolio:
    """``n`` random institutions at three stages of readiness, as a portfolio."""
    protocol = dp.load_protocol()
    rng = random.Random(seed)
    profiles = []
    for i in range(n):
        low = rng.choice((0, 1, 2))
        actions: dict[str, Any] = {}
        for a in protocol.actions:
            level = min(4, rng.randint(low, low + 2))
            entry: dict[str, Any] = {"level": level, "evidence": ["e.pdf"]}
            if level == 4:
                entry["last_exercised"] = "2026-06-01"
            actions[a.id] = entry
        profiles.append(dp.profile_from_dict({
            "schema_version": 1, "assessed_on": "2026-10-01", "actions": actions,
            "institution": {"id": f"i{i:04d}", "name": f"Institución {i}", "country": "XX",
                            "language": rng.choice(LANGUAGES),
                            "subregion": rng.choice(SUBREGIONS), "type": rng.choice(TYPES)}},
            protocol))
    return dp.assess_many(protocol, profiles)


def bare_loop(portfolio: dp.Portfolio) -> int:
    """Read every action result once."""
    seen = 0
    for a in portfolio.assessments:
        for r in a.actions:
            if r.effective is not None and r.effective >= 3:
                seen += 1
    return seen


@pytest.mark.parametrize("n", SIZES)
def test_match_vs_bare_loop(n: int, benchmark: Any) -> None:
    if benchmark.disabled and n > SIZES[0]:
        pytest.skip("larger regions are measured by hand")
    portfolio = region(n)
    plan = benchmark.pedantic(cooperation.match, args=(portfolio,), rounds=1, iterations=1)
    floor = min(cpu_time(lambda: bare_loop(portfolio)) for _ in range(3))
    spent = cpu_time(lambda: cooperation.match(portfolio))
    print(f"\n{n} institutions: match {spent:.3f} s CPU, {spent / floor:.0f}x the bare loop "
          f"({floor:.3f} s); {len(plan.roadmap)} rounds, {len(plan.matches)} matches, "
          f"{len(plan.workshops)} workshops, {len(plan.unmet)} unmet of {len(plan.demands)}")
    assert plan.members


def test_match_growth_per_doubling(benchmark: Any) -> None:
    if benchmark.disabled:
        pytest.skip("growth is measured by hand")
    times = {n: min(cpu_time(partial(cooperation.match, region(n))) for _ in range(2))
             for n in DOUBLINGS}
    floors = {n: min(cpu_time(partial(bare_loop, region(n))) for _ in range(3))
              for n in DOUBLINGS}
    benchmark.extra_info.update({f"match_{n}": t for n, t in times.items()})
    steps = [per_doubling(times, a, b) for a, b in itertools.pairwise(DOUBLINGS)]
    print("\nmatch per doubling: " + ", ".join(f"{x:.2f}x" for x in steps)
          + f" (bare loop {per_doubling(floors, DOUBLINGS[0], DOUBLINGS[-1]):.2f}x); "
          + ", ".join(f"{n}: {t:.2f} s ({t / floors[n]:.0f}x the loop)"
                      for n, t in times.items()))
    benchmark(lambda: None)


def test_match_memory_at_5000(benchmark: Any) -> None:
    if benchmark.disabled:
        pytest.skip("memory is measured by hand")
    portfolio = region(5000)
    tracemalloc.start()
    try:
        cooperation.match(portfolio)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    benchmark.extra_info["peak_mb"] = peak / 1e6
    print(f"\nmatch at 5,000 institutions: peak {peak / 1e6:.0f} MB allocated (tracemalloc)")
    benchmark(lambda: None)
