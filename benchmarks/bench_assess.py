"""Assessing profiles, against a bare loop that reads every level of the same profiles.

The aims (issue 10): one assessment of the bundled protocol at most 1 ms and at most 30x the
loop; ten thousand in at most 5 s on one core. Issue 28 asks for at most 10x the loop and ten
thousand in at most 3 s: ``assess_many`` of profiles in memory (the batch kernel) is measured
for that beside ``assess`` one by one (see benchmarks/README.md).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import _assess
from disaster_protocol._plain import paused_gc
from disaster_protocol._rules import months_earlier
from disaster_protocol.assessment import FRESHNESS_MONTHS
from disaster_protocol.profile import ActionStatus, Institution, Level, Profile, RoleAssignment

from .conftest import ratio_to_floor

PROTOCOL = dp.load_protocol()
LEVELS: tuple[Level, ...] = (0, 1, 2, 3, 4, "n/a")


def random_profiles(n: int, seed: int = 30) -> list[Profile]:
    """``n`` plausible in-memory profiles: every action assessed, a few n/a and exercises."""
    rng = random.Random(seed)
    roles = [r.id for r in PROTOCOL.roles]
    out = []
    for i in range(n):
        actions = {}
        for a in PROTOCOL.actions:
            level: Level = rng.choices(LEVELS, weights=(3, 3, 3, 3, 1, 0.2))[0]
            actions[a.id] = ActionStatus(
                level=level, evidence=("acta.pdf",) if rng.random() < 0.7 else (),
                last_exercised=date(2025, rng.randint(1, 12), 1) if level == 4 else None,
                justification="no aplica" if level == "n/a" else None)
        out.append(Profile(schema_version=1,
                           institution=Institution(id=f"inst-{i}", name=f"Inst {i}",
                                                   country="MX"),
                           assessed_on=date(2026, 6, 30), actions=actions,
                           roles={r: RoleAssignment(unit=f"U{rng.randint(1, 8)}")
                                  for r in roles}))
    return out


def levels_floor(profiles: list[Profile], protocol: dp.Protocol = PROTOCOL
                 ) -> Callable[[], object]:
    """The floor: a bare loop that reads every level of the profiles."""
    ids = [a.id for a in protocol.actions]

    def run() -> object:
        total = 0
        for profile in profiles:
            actions = profile.actions
            for action_id in ids:
                level = actions[action_id].level
                total += level if isinstance(level, int) else 0
        return total

    return run


def scores_alone(protocol: dp.Protocol, profile: Profile) -> object:
    """The first stages of ``assess`` alone, as it runs them: the levels the evidence supports,
    the foundations rule, the sums, the best case and the group scores. No findings, plan,
    action results or assembled value: what an ``Assessment`` built on demand would still
    compute up front (issue 28: how far such a design could go)."""
    when = profile.assessed_on
    index = protocol.index
    statuses = [profile.actions.get(action_id) for action_id in index.ids]
    levels = _assess._levels(statuses, False, months_earlier(when, FRESHNESS_MONTHS))
    effective, _ = _assess._propagate(index, levels)
    now = _assess._sums(index, effective, levels.assessed)
    best = now[0] if all(levels.assessed) else _assess._best(index, levels)
    return _assess._groups(index, now, best)


def test_assess_one_profile_vs_reading_its_levels(
        compare: Callable[..., dict[str, float]]) -> None:
    profile = random_profiles(1)[0]
    result = compare(target=lambda: dp.assess(PROTOCOL, profile),
                     floor=levels_floor([profile]), rounds=200)
    assert result["ratio_min"] > 0


def test_the_scores_alone_vs_reading_its_levels(
        compare: Callable[..., dict[str, float]]) -> None:
    """What one profile's score costs without anything a person reads beside it (findings,
    plan, action results): the part of ``assess`` no lazily built result could skip."""
    profile = random_profiles(1)[0]
    scores = scores_alone(PROTOCOL, profile)
    assert scores == _assess.assess(PROTOCOL, profile).groups  # the same stages as assess
    result = compare(target=lambda: scores_alone(PROTOCOL, profile),
                     floor=levels_floor([profile]), rounds=200)
    assert result["ratio_min"] > 0


@pytest.mark.parametrize("n", [10_000])
def test_assess_ten_thousand_profiles(n: int, compare: Callable[..., dict[str, float]],
                                      benchmark: object) -> None:
    """Ten thousand results kept in a list, as a batch keeps them; the aim is at most 5 s.

    Keeping many results makes Python's cyclic garbage collector walk them again and again;
    the figure is also taken with the collector paused, as a batch run does it.
    """
    profiles = random_profiles(100 if getattr(benchmark, "disabled", False) else n)

    def paused() -> object:
        with paused_gc():
            return [dp.assess(PROTOCOL, p) for p in profiles]

    result = compare(target=lambda: [dp.assess(PROTOCOL, p) for p in profiles],
                     floor=levels_floor(profiles), rounds=3)
    quiet = ratio_to_floor(paused, levels_floor(profiles), rounds=3)
    print(f"  {len(profiles)} profiles: {result['target_min_s']:.1f} s "
          f"({1000 * result['target_min_s'] / len(profiles):.2f} ms each); with the collector "
          f"paused {quiet['target_min_s']:.1f} s, {quiet['ratio_min']:.0f}x the floor")
    assert result["ratio_min"] > 0


@pytest.mark.parametrize("n", [10_000])
def test_assess_many_of_ten_thousand_profiles_in_memory(n: int, benchmark: Any) -> None:
    """The aim (issue 28): ten thousand in-memory profiles on one core in at most 3 s, and
    at most ten times the bare loop over their levels. ``assess_many`` scores profiles held
    in memory with the batch kernel (``_kernel.py``, numpy); ``assess`` one by one, with the
    collector paused as ``assess_many`` pauses it, is measured in the same run."""
    profiles = random_profiles(200 if getattr(benchmark, "disabled", False) else n)

    def one_by_one() -> object:
        with paused_gc():
            return [dp.assess(PROTOCOL, p) for p in profiles]

    rounds = 1 if getattr(benchmark, "disabled", False) else 3
    batch = ratio_to_floor(lambda: dp.assess_many(PROTOCOL, profiles),
                           levels_floor(profiles), rounds=rounds)
    alone = ratio_to_floor(one_by_one, levels_floor(profiles), rounds=rounds)
    benchmark.pedantic(lambda: None, rounds=1)
    benchmark.extra_info.update({
        "batch_s": round(batch["target_min_s"], 3), "batch_ratio": round(batch["ratio_min"], 2),
        "assess_s": round(alone["target_min_s"], 3), "assess_ratio": round(alone["ratio_min"], 2)})
    print(f"\n  {len(profiles)} profiles in memory (load {os.getloadavg()[0]:.2f}): assess_many "
          f"{batch['target_min_s']:.2f} s, {batch['ratio_min']:.1f}x the bare loop "
          f"({batch['floor_min_s']:.2f} s); assess one by one {alone['target_min_s']:.2f} s, "
          f"{alone['ratio_min']:.1f}x; the batch "
          f"{alone['target_min_s'] / batch['target_min_s']:.2f}x faster")
    assert batch["target_min_s"] > 0
