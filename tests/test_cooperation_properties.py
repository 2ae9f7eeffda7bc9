"""Properties of the cooperation rounds on random small regions: the budget is kept, the
greedy steps' guarantees hold (docs/cooperation.md), and evaluations count every demand once."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

SMALL = dp.load_protocol(ROOT / "tests" / "cases" / "protocol.yaml")
ACTIONS = ("A1", "A2", "A3", "A4")


@st.composite
def regions(draw: st.DrawFn, most: int = 5) -> list[dp.Profile]:
    profiles = []
    for i in range(draw(st.integers(2, most))):
        levels = {a: draw(st.sampled_from([0, 1, 2, 3, 4, 4, 4])) for a in ACTIONS}
        actions = {a: {"level": lv, "evidence": ["e"],
                       **({"last_exercised": "2026-06-01"} if lv == 4 else {})}
                   for a, lv in levels.items()}
        institution = {"id": f"m{i}", "name": f"M{i}", "country": "XX",
                       "language": draw(st.sampled_from(["es", "en", "pt"])),
                       "subregion": draw(st.sampled_from(["andean", "caribbean"]))}
        data = {"schema_version": 1, "assessed_on": "2026-06-30", "institution": institution,
                "actions": actions,
                "cooperation": {"capacity": draw(st.integers(0, 3))}}
        profiles.append(dp.profile_from_dict(data, SMALL))
    return profiles


def plan_of(profiles: list[dp.Profile], **kwargs: object) -> cooperation.CooperationPlan:
    return cooperation.match(dp.assess_many(SMALL, profiles), **kwargs)  # type: ignore[arg-type]


def _exchanges(plan: cooperation.CooperationPlan, number: int) -> Counter[str]:
    """What each member hosts in one round (a workshop is one exchange)."""
    workshops, matches = plan.round(number)
    return Counter([w.host for w in workshops]
                   + [m.provider for m in matches if m.workshop is None])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions(), st.sampled_from([3, 4]), st.integers(2, 4), st.integers(0, 2),
       st.integers(4, 6), st.integers(0, 3))
def test_every_round_keeps_its_budget_capacity_and_offer_levels(
        profiles: list[dp.Profile], min_offer_level: int, min_group: int, workshops: int,
        participants: int, bilateral: int) -> None:
    plan = plan_of(profiles, min_offer_level=min_offer_level, min_group=min_group,
                   workshops=workshops, participants=participants, bilateral=bilateral)
    capacity = {m.institution.id: m.capacity for m in plan.members}
    assert [r.round for r in plan.roadmap] == list(range(1, len(plan.roadmap) + 1))
    for r in plan.roadmap:
        held, matches = plan.round(r.round)
        assert len(held) == r.workshops <= workshops
        assert r.bilateral == sum(m.workshop is None for m in matches) <= bilateral
        assert r.demands == len(matches)
        for w in held:
            assert min_group <= len(w.participants) <= participants
            assert w.host not in w.participants
            assert set(w.interpretation) <= set(w.participants)
        for ident, used in _exchanges(plan, r.round).items():
            assert used <= capacity[ident]
    assert {m.institution.id: m.gives for m in plan.members if m.gives} == dict(
        _exchanges(plan, 1))
    offers = {(o.institution, o.action): o for o in plan.offers}
    for m in plan.matches:
        assert m.provider != m.recipient
        offer = offers[(m.provider, m.action)]
        assert m.provider_level == offer.level >= (3 if offer.stated else min_offer_level)
        assert m.recipient_level < 3
    # each demand is scheduled once or listed unmet, never both
    met = [(m.recipient, m.action) for m in plan.matches]
    unmet = [(u.institution, u.action) for u in plan.unmet]
    assert sorted(met + unmet) == sorted((d.institution, d.action) for d in plan.demands)
    assert len(set(met)) == len(met)


@settings(max_examples=60, deadline=None)
@given(regions(), st.integers(0, 3))
def test_a_demand_waits_beside_spare_capacity_only_when_the_bilateral_budget_is_full(
        profiles: list[dp.Profile], bilateral: int) -> None:
    plan = plan_of(profiles, bilateral=bilateral, rounds=50)
    capacity = {m.institution.id: m.capacity for m in plan.members}
    scheduled = {(m.recipient, m.action): m.round for m in plan.matches}
    for r in plan.roadmap:
        if r.bilateral == bilateral:
            continue  # a full budget may leave a demand waiting beside spare capacity
        used = _exchanges(plan, r.round)
        for d in plan.demands:
            if scheduled.get((d.institution, d.action), 10**6) > r.round:  # still waiting
                spare = [o.institution for o in plan.offers if o.action == d.action
                         and used[o.institution] < capacity[o.institution]]
                assert spare == [], (r.round, d, spare)


@settings(max_examples=60, deadline=None)
@given(regions())
def test_a_roadmap_with_room_schedules_every_demand_some_member_can_meet(
        profiles: list[dp.Profile]) -> None:
    plan = plan_of(profiles, rounds=50)
    capacity = {m.institution.id: m.capacity for m in plan.members}
    for u in plan.unmet:
        offered = [o.institution for o in plan.offers if o.action == u.action]
        assert [i for i in offered if capacity[i] > 0] == [], u
        assert u.reason == ("no-capacity" if offered else "no-offer")


@settings(max_examples=30, deadline=None)
@given(regions())
def test_the_same_region_gives_the_same_plan(profiles: list[dp.Profile]) -> None:
    assert plan_of(profiles).to_json() == plan_of(list(profiles)).to_json()


@st.composite
def later_rounds(draw: st.DrawFn, before: list[dp.Profile]) -> list[dp.Profile]:
    """The same members a round later, each action at any level, ``unknown`` or left out."""
    profiles = []
    for p in before:
        actions: dict[str, object] = {}
        for a in ACTIONS:
            level = draw(st.sampled_from([0, 1, 2, 3, 4, "unknown", None]))
            if level == "unknown":
                actions[a] = "unknown"
            elif level is not None:
                actions[a] = {"level": level, "evidence": ["e"],
                              **({"last_exercised": "2027-06-01"} if level == 4 else {})}
        data = {"schema_version": 1, "assessed_on": "2027-06-30", "actions": actions,
                "institution": p.institution.model_dump(mode="json", exclude_none=True)}
        profiles.append(dp.profile_from_dict(data, SMALL))
    return profiles


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_evaluation_counts_every_demand_once_and_only_measured_ones_change(
        data: st.DataObject) -> None:
    before = data.draw(regions(4))
    after = data.draw(later_rounds(before))
    first = dp.assess_many(SMALL, before)
    plan = cooperation.match(first)
    result = cooperation.evaluate(plan, first, dp.assess_many(SMALL, after))
    for o in result.outcomes:
        measured = o.status == "measured"
        assert (o.change is not None, o.claimed_change is not None) == (measured, measured)
        assert o.before is not None  # every demand here was assessed in the earlier round
    assert result.matched + result.unmatched + result.not_measured == len(result.outcomes)
    for name in ("matched", "unmatched", "not_measured"):
        assert sum(getattr(r, name) for r in result.recipients) == getattr(result, name)
    same = cooperation.evaluate(plan, first, first)  # nothing moved: every change is 0
    assert same.not_measured == 0
    assert all(o.change == o.claimed_change == 0 for o in same.outcomes)
