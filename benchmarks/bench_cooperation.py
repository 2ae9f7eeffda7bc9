"""Matching a region of 60, 500 and 2,000 institutions, beside a bare loop over the same data.

The floor reads every action result of every assessment once: what any matcher must at least
look at. Reported: the ratio of ``match`` to it at each size, and how ``match`` grows per
doubling of institutions (CPU time, steadier than wall time on a shared machine). The target
(issue 12): 60 institutions in under 1 s here. Under ``--benchmark-disable`` (CI) only 60 run,
once.
"""

from __future__ import annotations

import random
from functools import cache, partial
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import cpu_time, per_doubling

SIZES = (60, 500, 2000)
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
    print(f"\n{n} institutions: match {spent:.3f} s CPU, {spent / floor:.0f}x the bare loop; "
          f"{len(plan.matches)} matches, {len(plan.workshops)} workshops, "
          f"{len(plan.unmet)} unmet of {len(plan.demands)}")
    assert plan.members


def test_match_growth_per_doubling(benchmark: Any) -> None:
    if benchmark.disabled:
        pytest.skip("growth is measured by hand")
    times = {n: min(cpu_time(partial(cooperation.match, region(n))) for _ in range(2))
             for n in SIZES}
    bilateral = {n: cpu_time(partial(cooperation.match, region(n), min_group=10**6))
                 for n in SIZES[:2]}  # 2,000 bilateral only takes minutes (README.md)
    benchmark.extra_info.update({f"match_{n}": t for n, t in times.items()})
    print(f"\nmatch: {per_doubling(times, 60, 500):.2f}x per doubling from 60 to 500, "
          f"{per_doubling(times, 500, 2000):.2f}x from 500 to 2,000 ("
          + ", ".join(f"{n}: {t:.2f} s" for n, t in times.items())
          + f"); bilateral only (no workshops): {per_doubling(bilateral, 60, 500):.2f}x from "
          f"60 to 500 (" + ", ".join(f"{n}: {t:.2f} s" for n, t in bilateral.items()) + ")")
    benchmark(lambda: None)
