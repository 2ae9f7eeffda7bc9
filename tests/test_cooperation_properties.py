"""Properties of the cooperation matching on random small regions, and its optimality
against a brute-force search that re-implements the documented costs independently."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

SMALL = dp.load_protocol(ROOT / "tests" / "cases" / "protocol.yaml")
ACTIONS = ("A1", "A2", "A3", "A4")

# The documented costs (docs/cooperation.md), written out again here on purpose.
PREFERENCE = (1000, 100, 10)
BONUS = 500


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions(), st.sampled_from([3, 4]), st.integers(2, 4))
def test_every_plan_keeps_capacity_offer_levels_and_never_self_matches(
        profiles: list[dp.Profile], min_offer_level: int, min_group: int) -> None:
    plan = plan_of(profiles, min_offer_level=min_offer_level, min_group=min_group)
    capacity = {m.institution.id: m.capacity for m in plan.members}
    hosted = {m.institution.id: m.gives for m in plan.members}
    for ident, used in hosted.items():
        assert used <= capacity[ident]
    assert sum(hosted.values()) == len(plan.workshops) + sum(
        1 for m in plan.matches if m.workshop is None)
    offers = {(o.institution, o.action): o for o in plan.offers}
    for m in plan.matches:
        assert m.provider != m.recipient
        offer = offers[(m.provider, m.action)]
        assert m.provider_level == offer.level >= (3 if offer.stated else min_offer_level)
        assert m.recipient_level < 3
    # each demand is met once or listed unmet, never both
    met = [(m.recipient, m.action) for m in plan.matches]
    unmet = [(u.institution, u.action) for u in plan.unmet]
    assert sorted(met + unmet) == sorted((d.institution, d.action) for d in plan.demands)
    assert len(set(met)) == len(met)


@settings(max_examples=60, deadline=None)
@given(regions())
def test_a_demand_with_an_eligible_provider_with_spare_capacity_is_never_unmet(
        profiles: list[dp.Profile]) -> None:
    plan = plan_of(profiles)
    left = {m.institution.id: m.capacity - m.gives for m in plan.members}
    for u in plan.unmet:
        spare = [o.institution for o in plan.offers
                 if o.action == u.action and left[o.institution] > 0]
        assert spare == [], (u, spare)
        assert u.reason == ("no-capacity" if any(o.action == u.action for o in plan.offers)
                            else "no-offer")


@settings(max_examples=30, deadline=None)
@given(regions())
def test_the_same_region_gives_the_same_plan(profiles: list[dp.Profile]) -> None:
    assert plan_of(profiles).to_json() == plan_of(list(profiles)).to_json()


def _pair_cost(provider: dp.Institution, recipient: dp.Institution, gap: int) -> int:
    cost = 0 if provider.language == recipient.language else PREFERENCE[0]
    cost += 0 if provider.subregion == recipient.subregion else PREFERENCE[1]
    cost += PREFERENCE[2]  # no institution here has a type
    return cost + 4 - gap


def _unmet_cost(demand: cooperation.Demand) -> int:
    tier = 3 if demand.stated else 2 if demand.blocking else 1
    return 10_000 * tier + 10 * round(demand.uplift)


def _brute_force(plan: cooperation.CooperationPlan) -> int:
    people = {m.institution.id: m.institution for m in plan.members}
    capacity = {m.institution.id: m.capacity for m in plan.members}
    options = []
    for d in plan.demands:
        choices: list[tuple[str | None, int]] = [(None, _unmet_cost(d))]
        for o in plan.offers:
            if o.action == d.action:
                choices.append((o.institution, _pair_cost(people[o.institution],
                                                          people[d.institution],
                                                          o.level - d.level)))
        options.append(choices)
    best = None
    for pick in itertools.product(*options):
        used: dict[str, int] = {}
        for provider, _ in pick:
            if provider is not None:
                used[provider] = used.get(provider, 0) + 1
        if any(n > capacity[p] for p, n in used.items()):
            continue
        total = sum(c for _, c in pick) - BONUS * len(used)
        best = total if best is None else min(best, total)
    assert best is not None
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(regions(most=3))
def test_without_workshops_the_plan_costs_what_a_brute_force_optimum_costs(
        profiles: list[dp.Profile]) -> None:
    plan = plan_of(profiles, min_group=99)
    choices = 1
    for d in plan.demands:
        choices *= 1 + sum(o.action == d.action for o in plan.offers)
    assume(choices <= 20_000)
    assert plan.total_cost == _brute_force(plan)


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
