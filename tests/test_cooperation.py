"""Cooperation: offers and demands stated in profiles, the matching, workshops, evaluation."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

BASE = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
        "assessed_on: 2026-01-01\n")


def test_a_profile_states_offers_and_demands_with_bare_ids_or_notes() -> None:
    profile = dp.loads_profile(BASE + "actions: {GOV-01: 4, GOV-02: 3}\ncooperation:\n"
                               "  offers: [GOV-01, {action: GOV-02, note: manual listo}]\n"
                               "  demands: [KNOW-04]\n  capacity: 2\n  languages: [pt]\n")
    stated = profile.cooperation
    assert stated is not None
    assert [(o.action, o.note) for o in stated.offers] == [("GOV-01", None),
                                                            ("GOV-02", "manual listo")]
    assert [d.action for d in stated.demands] == ["KNOW-04"]
    assert (stated.capacity, stated.languages) == (2, ("pt",))
    assert dp.assess(dp.load_protocol(), profile).cooperation == stated


def test_an_empty_cooperation_list_means_none() -> None:
    profile = dp.loads_profile(BASE + "cooperation: {offers: , demands: }\n")
    assert profile.cooperation is not None
    assert profile.cooperation.offers == ()
    assert profile.cooperation.capacity is None


@pytest.mark.parametrize(("section", "message"), [
    ("{offers: [GOV-1]}", "unknown action 'GOV-1' (did you mean 'GOV-01'?)"),
    ("{offers: [GOV-01]}", "offers GOV-01, which is at level 1"),
    ("{offers: [GOV-03]}", "offers GOV-03, which is not assessed"),
    ("{demands: [GOV-02, GOV-02]}", "GOV-02 is listed twice in demands"),
    ("{offers: [GOV-04], demands: [GOV-04]}", "GOV-04 is both offered and asked for"),
    ("{capacity: -1}", "greater than or equal to 0"),
    ("{languages: [de]}", "must be 'es', 'en', 'pt' or 'fr'"),
])
def test_a_stated_cooperation_that_cannot_hold_is_a_located_problem(section: str,
                                                                     message: str) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(BASE + "actions: {GOV-01: 1, GOV-04: 3}\ncooperation: " + section
                         + "\n", source="c.yaml")
    assert message in str(info.value)
    assert all(p.line == 5 for p in info.value.problems)


# ----------------------------------------------------------------------------- matching
# On the four-action protocol of tests/cases (A1 <- A2 <- A3, A1 <- A4; A2 and A3 critical),
# where every cost can be worked out by hand (docs/cooperation.md gives the formula).

CASES = ROOT / "tests" / "cases" / "protocol.yaml"


@pytest.fixture(scope="module")
def small() -> dp.Protocol:
    return dp.load_protocol(CASES)


def member(protocol: dp.Protocol, ident: str, levels: dict[str, int], *,
           language: str | None = None, subregion: str | None = None,
           kind: str | None = None, cooperation: dict[str, object] | None = None) -> dp.Profile:
    actions = {a: {"level": lv, "evidence": ["e.pdf"], **({"last_exercised": "2026-06-01"}
                                                         if lv == 4 else {})}
               for a, lv in levels.items()}
    institution: dict[str, object] = {"id": ident, "name": ident.upper(), "country": "XX"}
    for key, value in (("language", language), ("subregion", subregion), ("type", kind)):
        if value is not None:
            institution[key] = value
    data: dict[str, object] = {"schema_version": 1, "assessed_on": "2026-06-30",
                               "institution": institution, "actions": actions}
    if cooperation is not None:
        data["cooperation"] = cooperation
    return dp.profile_from_dict(data, protocol)


def region(protocol: dp.Protocol, *profiles: dp.Profile) -> dp.Portfolio:
    return dp.assess_many(protocol, list(profiles))


def pairs(plan: cooperation.CooperationPlan, round_: int = 1) -> set[tuple[str, str, str]]:
    """Who helps whom on what in one round of the roadmap."""
    return {(m.provider, m.recipient, m.action) for m in plan.round(round_)[1]}


def three(small: dp.Protocol, p_capacity: int | None = None) -> dp.Portfolio:
    """P tests A1 and A2; Q tests A1 and A4 and lacks A2, A3; R lacks everything."""
    coop: dict[str, object] | None = {"capacity": p_capacity} if p_capacity is not None else None
    return region(small,
                  member(small, "p", {"A1": 4, "A2": 4, "A3": 3, "A4": 3}, language="es",
                         subregion="andean", cooperation=coop),
                  member(small, "q", {"A1": 4, "A2": 1, "A3": 0, "A4": 4}, language="es",
                         subregion="caribbean"),
                  member(small, "r", {"A1": 1, "A2": 0, "A3": 0, "A4": 0}, language="en",
                         subregion="andean"))


def test_three_members_are_matched_as_worked_out_by_hand(small: dp.Protocol) -> None:
    plan = cooperation.match(three(small))
    # Q-A2: only P offers A2. R-A1: P (1,011: no language, no type, same subregion, gap 3)
    # beats Q (1,111). R-A2: P. R-A4: only Q tests A4. A3: nobody tests it.
    assert pairs(plan) == {("p", "q", "A2"), ("p", "r", "A1"), ("p", "r", "A2"),
                           ("q", "r", "A4")}
    costs = {(m.recipient, m.action): m.cost for m in plan.matches}
    assert costs == {("q", "A2"): 111, ("r", "A1"): 1011, ("r", "A2"): 1010,
                     ("r", "A4"): 1110}
    by = {(m.recipient, m.action): m for m in plan.matches}
    assert by[("q", "A2")].shared == ("language",)
    assert by[("r", "A1")].shared == ("subregion",)
    assert (by[("r", "A4")].gap, by[("r", "A4")].recipient_level) == (4, 0)
    assert {(u.institution, u.action, u.reason) for u in plan.unmet} == {
        ("q", "A3", "no-offer"), ("r", "A3", "no-offer")}
    assert all(u.blocking for u in plan.unmet)  # A3 is critical
    assert [(m.institution.id, m.gives, m.receives, m.role) for m in plan.members] == [
        ("p", 3, 0, "only-gives"), ("q", 1, 1, "both"), ("r", 0, 3, "only-receives")]
    assert plan.only_give == ("p",)
    assert plan.only_receive == ("r",)
    assert plan.workshops == ()


def test_a_full_provider_passes_the_cheapest_move_to_another(small: dp.Protocol) -> None:
    plan = cooperation.match(three(small, p_capacity=2))
    # P can host two: Q-A2 and R-A2 have no one else; R-A1 moves to Q (+100: other subregion)
    assert pairs(plan) == {("p", "q", "A2"), ("q", "r", "A1"), ("p", "r", "A2"),
                           ("q", "r", "A4")}
    assert next(m for m in plan.members if m.institution.id == "p").gives == 2


def test_with_no_capacity_anywhere_every_demand_is_unmet_for_want_of_capacity(
        small: dp.Protocol) -> None:
    plan = cooperation.match(three(small), capacity=0)
    assert plan.matches == ()
    reasons = {(u.institution, u.action): u.reason for u in plan.unmet}
    assert reasons[("r", "A1")] == "no-capacity"
    assert reasons[("r", "A3")] == "no-offer"


def test_a_shared_language_outweighs_subregion_type_and_gap(small: dp.Protocol) -> None:
    plan = cooperation.match(region(
        small,
        member(small, "near", {"A1": 4}, language="en", subregion="andean", kind="health"),
        member(small, "speaks", {"A1": 4}, language="pt", subregion="caribbean"),
        member(small, "r", {"A1": 2}, language="pt", subregion="andean", kind="health")))
    assert ("speaks", "r", "A1") in pairs(plan)


def test_the_order_of_preference_can_be_changed(small: dp.Protocol) -> None:
    portfolio = region(
        small,
        member(small, "near", {"A1": 4}, language="en", subregion="andean"),
        member(small, "speaks", {"A1": 4}, language="pt", subregion="caribbean"),
        member(small, "r", {"A1": 2}, language="pt", subregion="andean"))
    plan = cooperation.match(portfolio, prefer=("subregion", "language"))
    assert ("near", "r", "A1") in pairs(plan)
    assert plan.settings.prefer == ("subregion", "language")


def test_a_member_with_an_offer_is_given_the_chance_to_give(small: dp.Protocol) -> None:
    # P is nearer to R on A1 (same subregion), but Q has nothing else to give: its first
    # exchange earns the giving bonus (500 > the 100 of another subregion).
    plan = cooperation.match(region(
        small,
        member(small, "p", {"A1": 4, "A2": 4}, language="es", subregion="andean"),
        member(small, "q", {"A1": 4, "A2": 3}, language="es", subregion="caribbean"),
        member(small, "r", {"A1": 1, "A2": 0}, language="es", subregion="andean")))
    assert pairs(plan) >= {("q", "r", "A1"), ("p", "r", "A2")}
    assert {m.institution.id: m.role for m in plan.members}["q"] != "neither"


def test_an_action_many_members_need_becomes_one_workshop(small: dp.Protocol) -> None:
    plan = cooperation.match(region(
        small,
        member(small, "host", {"A1": 4}, language="es"),
        member(small, "other", {"A1": 4}, language="en"),
        *(member(small, f"m{i}", {"A1": i}, language="es") for i in range(3))))
    (workshop,) = plan.workshops
    assert (workshop.action, workshop.host, workshop.participants) == ("A1", "host",
                                                                       ("m0", "m1", "m2"))
    assert {m.recipient for m in plan.matches if m.workshop == workshop.id} == {"m0", "m1",
                                                                                 "m2"}
    host = next(m for m in plan.members if m.institution.id == "host")
    assert host.gives == 1  # a workshop is one exchange for its host
    assert cooperation.match(region(
        small, member(small, "host", {"A1": 4}),
        *(member(small, f"m{i}", {"A1": i}) for i in range(3))), min_group=4).workshops == ()


# ----------------------------------------------------------------------------- budget
# One host h (A1 tested, es) and five members needing A1: m0, m1 at level 0, m2, m3 at 1,
# m4 at 2 (the lower the level, the larger the uplift, the more urgent).

def five(small: dp.Protocol) -> dp.Portfolio:
    return region(small, member(small, "h", {"A1": 4}, language="es"),
                  *(member(small, f"m{i}", {"A1": level}, language="es")
                    for i, level in enumerate((0, 0, 1, 1, 2))))


def test_a_round_keeps_its_budget_and_the_rest_waits_for_the_next(small: dp.Protocol) -> None:
    plan = cooperation.match(five(small), workshops=1, participants=2, min_group=2,
                             bilateral=1)
    # round 1: a workshop seats the two most urgent (m0, m1); the one bilateral exchange
    # goes to the next (m2). Round 2: m3 and m4 are two, a workshop again.
    (w1, w2) = plan.workshops
    assert (w1.round, w1.id, w1.host, w1.participants) == (1, "W1.1", "h", ("m0", "m1"))
    assert (w2.round, w2.id, w2.participants) == (2, "W2.1", ("m3", "m4"))
    assert pairs(plan) == {("h", "m0", "A1"), ("h", "m1", "A1"), ("h", "m2", "A1")}
    assert [(m.recipient, m.workshop) for m in plan.round(1)[1] if m.workshop is None] == [
        ("m2", None)]
    assert [(r.round, r.workshops, r.bilateral, r.demands) for r in plan.roadmap] == [
        (1, 1, 1, 3), (2, 1, 0, 2)]
    assert plan.unmet == ()
    h = next(m for m in plan.members if m.institution.id == "h")
    assert (h.gives, h.receives) == (2, 0)  # round 1: a workshop and an exchange
    assert {m.institution.id: m.later for m in plan.members}["m4"] == 1


def test_what_the_roadmap_cannot_reach_is_unmet_with_the_reason(small: dp.Protocol) -> None:
    one = cooperation.match(five(small), workshops=1, participants=2, min_group=2,
                            bilateral=1, rounds=1)
    assert {(u.institution, u.reason) for u in one.unmet} == {("m3", "beyond-roadmap"),
                                                               ("m4", "beyond-roadmap")}
    none = cooperation.match(five(small), workshops=0, bilateral=0)
    assert none.matches == ()
    assert none.roadmap == ()
    assert {u.reason for u in none.unmet} == {"no-capacity"}


def test_a_workshop_seats_those_who_share_the_host_s_language_or_flags_interpretation(
        small: dp.Protocol) -> None:
    needing = [member(small, "e0", {"A1": 0}, language="es"),
               member(small, "e1", {"A1": 0}, language="es"),
               member(small, "x", {"A1": 1}, language="en")]
    host = member(small, "h", {"A1": 4}, language="es")
    alone = cooperation.match(region(small, host, *needing), min_group=2, bilateral=0)
    (w,) = alone.workshops  # nobody offering A1 speaks English: x is seated, flagged
    assert (w.language, w.participants, w.interpretation) == ("es", ("e0", "e1", "x"),
                                                              ("x",))
    g = member(small, "g", {"A1": 4}, language="en")
    both = cooperation.match(region(small, host, g, *needing), min_group=2)
    (w,) = both.workshops  # g speaks English: x waits for g and meets it bilaterally
    assert (w.host, w.participants, w.interpretation) == ("h", ("e0", "e1"), ())
    assert ("g", "x", "A1") in pairs(both)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"workshops": -1}, "workshops must be"), ({"participants": 1}, "participants must be"),
    ({"bilateral": True}, "bilateral must be"), ({"rounds": 0}, "rounds must be"),
    ({"participants": 2, "min_group": 3}, "must be at least min_group"),
])
def test_a_budget_out_of_range_is_refused(small: dp.Protocol, kwargs: dict[str, object],
                                          message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cooperation.match(five(small), **kwargs)  # type: ignore[arg-type]


def test_stated_demands_come_first_and_stated_offers_count_at_level_3(
        small: dp.Protocol) -> None:
    plan = cooperation.match(region(
        small,
        member(small, "p", {"A1": 4, "A4": 3}, cooperation={"offers": ["A4"], "capacity": 1}),
        member(small, "r", {"A1": 1, "A4": 1}, cooperation={"demands": ["A4"]})))
    # P hosts one exchange: R's stated demand A4 (offered at level 3 because P states it)
    # wins over A1, which P has tested.
    assert pairs(plan) == {("p", "r", "A4")}
    demands = [d.action for d in plan.demands if d.institution == "r"]
    assert demands[0] == "A4"
    assert next(d for d in plan.demands if d.action == "A4").stated


def test_min_offer_level_3_offers_implemented_actions_with_evidence(small: dp.Protocol) -> None:
    portfolio = region(small, member(small, "p", {"A1": 3}), member(small, "r", {"A1": 1}))
    assert cooperation.match(portfolio).matches == ()
    assert pairs(cooperation.match(portfolio, min_offer_level=3)) == {("p", "r", "A1")}


def test_an_institution_takes_part_once_with_its_latest_assessment(small: dp.Protocol) -> None:
    old = member(small, "r", {"A1": 0})
    new = dp.profile_from_dict({**old.model_dump(mode="json"), "assessed_on": "2026-12-01",
                                "actions": {"A1": {"level": 2, "evidence": ["e"]}}}, small)
    plan = cooperation.match(region(small, old, member(small, "p", {"A1": 4}), new))
    assert [m.institution.id for m in plan.members] == ["p", "r"]  # once each, by id
    assert next(d for d in plan.demands if d.action == "A1").level == 2


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"capacity": -1}, "capacity must be"), ({"min_offer_level": 2}, "min_offer_level"),
    ({"min_group": 1}, "min_group"), ({"prefer": ("language", "colour")}, "prefer takes"),
])
def test_settings_out_of_range_are_refused(small: dp.Protocol, kwargs: dict[str, object],
                                           message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cooperation.match(three(small), **kwargs)  # type: ignore[arg-type]


def test_a_portfolio_without_assessments_is_refused_with_what_to_do() -> None:
    portfolio = dp.assess_many(dp.load_protocol(), [ROOT / "examples" / "profiles"])
    with pytest.raises(ValueError, match="keep_assessments=True"):
        cooperation.match(portfolio)


def test_the_plan_renders_in_both_languages_and_every_format(small: dp.Protocol) -> None:
    plan = cooperation.match(three(small))
    assert json.loads(plan.to_json()) == plan.to_dict()
    assert plan.to_dict()["format_version"] == 2
    rows = list(csv.reader(io.StringIO(plan.to_csv())))
    assert rows[0][:5] == ["kind", "round", "provider", "recipient", "action"]
    assert ["match", "1", "p", "q", "A2"] in [row[:5] for row in rows]
    assert len(rows) == 1 + len(plan.matches) + len(plan.unmet)
    text = plan.to_text("en")
    # the headline: 3 of the 4 blocking demands met (A2 of Q and R; A3 of both is offered
    # by nobody), the roadmap in a sentence
    assert ("Round 1: 0 workshops and 4 bilateral exchanges among 3 institutions; they meet "
            "2 of the 4 blocking demands (50%).") in text
    assert "Roadmap: 1 rounds schedule 4 of 6 demands; 0 would come after" in text
    assert "Bilateral exchanges of round 1 (4)" in text
    assert "Intercambios bilaterales de la ronda 1 (4)" in plan.to_text("es")
    # the unmet demands once per action: A3, needed by Q and R, blocking for both
    assert "## No member offers it: candidates for cooperation beyond the region" in \
        plan.to_markdown("en")
    assert "| A3 Pagar prestaciones | 2 | 2 | q, r | - |" in plan.to_markdown("es")
    page = plan.to_html("en")
    assert page.startswith("<!DOCTYPE html>")
    assert "<span class=id>A2</span>" not in page  # no hyphen: nothing to keep together
    assert "Ningún miembro lo ofrece" in plan.to_html("es")
    assert repr(plan) == ("CooperationPlan(3 members, round 1: 0 workshops, 4 bilateral "
                          "exchanges; 1 rounds schedule 4 of 6 demands)")


# ----------------------------------------------------------------------------- evaluation

def test_evaluation_sets_matched_gaps_beside_unmatched_ones_worked_by_hand(
        small: dp.Protocol) -> None:
    before = three(small)
    plan = cooperation.match(before)
    # a year later R has A1 4 (matched, from 1: +3), A2 2 (matched, from 0: +2), A4 1
    # (matched, +1) and A3 still 0 (unmatched, +0); Q has A2 3 (matched, from 1: +2) and A3
    # 1 (unmatched, +1).
    after = region(small,
                   member(small, "p", {"A1": 4, "A2": 4, "A3": 3, "A4": 3}),
                   member(small, "q", {"A1": 4, "A2": 3, "A3": 1, "A4": 4}),
                   member(small, "r", {"A1": 4, "A2": 2, "A3": 0, "A4": 1}))
    result = cooperation.evaluate(plan, before, after)
    by = {r.institution: r for r in result.recipients}
    assert (by["r"].matched_change, by["r"].unmatched_change, by["r"].difference) == (
        2.0, 0.0, 2.0)
    assert (by["q"].matched_change, by["q"].unmatched_change, by["q"].difference) == (
        2.0, 1.0, 1.0)
    # pooled: matched +3 +2 +1 +2 = 8 over 4; unmatched +0 +1 over 2
    assert (result.matched_change, result.unmatched_change, result.difference) == (2.0, 0.5,
                                                                                    1.5)
    outcome = next(o for o in result.outcomes if (o.recipient, o.action) == ("r", "A1"))
    assert (outcome.provider, outcome.before, outcome.after, outcome.matched) == ("p", 1, 4,
                                                                                  True)
    assert "not proof of cause" in result.to_text("en")
    assert "no una prueba de causa" in result.to_markdown("es")
    assert json.loads(result.to_json())["difference"] == 1.5


def test_an_action_the_later_round_does_not_assess_is_not_read_as_a_fall(
        small: dp.Protocol) -> None:
    before = three(small)
    after = region(small, member(small, "q", {"A1": 4, "A2": 3, "A4": 4}),  # A3 left out
                   member(small, "r", {"A1": 4, "A2": 2, "A4": 1}))
    result = cooperation.evaluate(cooperation.match(before), before, after)
    by = {r.institution: r for r in result.recipients}
    assert by["q"].unmatched_change is None
    assert by["q"].difference is None
    left_out = next(o for o in result.outcomes if (o.recipient, o.action) == ("q", "A3"))
    assert (left_out.after, left_out.change) == (None, None)


def test_a_workshop_goes_to_a_host_that_is_nobody_s_only_provider(small: dp.Protocol) -> None:
    # h (capacity 1) is the cheapest host for the A4 workshop (same subregion) but the only
    # provider of A3, which x asks for; g hosts the workshop instead and every demand is met
    # in round 1.
    plan = cooperation.match(region(
        small,
        member(small, "h", {"A1": 4, "A2": 4, "A3": 4, "A4": 4}, language="es",
               cooperation={"capacity": 1}),
        member(small, "g", {"A1": 4, "A2": 4, "A3": 3, "A4": 4}, language="es",
               subregion="andean"),
        *(member(small, f"w{i}", {"A1": 4, "A2": 4, "A3": 3, "A4": 1}, language="es")
          for i in range(3)),
        member(small, "x", {"A1": 4, "A2": 4, "A3": 1, "A4": 3}, language="es",
               cooperation={"demands": ["A3"]})))
    assert [(w.action, w.host) for w in plan.workshops] == [("A4", "g")]
    assert ("h", "x", "A3") in pairs(plan)
    assert plan.unmet == ()
    assert [r.round for r in plan.roadmap] == [1]


def test_a_recipient_missing_from_the_later_round_is_listed_not_guessed(
        small: dp.Protocol) -> None:
    before = three(small)
    after = region(small, member(small, "q", {"A1": 4, "A2": 3, "A3": 1, "A4": 4}))
    result = cooperation.evaluate(cooperation.match(before), before, after)
    assert result.not_reassessed == ("r",)
    assert [r.institution for r in result.recipients] == ["q"]


def test_evaluation_refuses_a_round_scored_against_another_protocol(small: dp.Protocol) -> None:
    before = three(small)
    other = dp.assess_many(dp.load_protocol(), [ROOT / "examples" / "profiles"],
                           keep_assessments=True)
    with pytest.raises(ValueError, match="after was scored against sendai_ciss"):
        cooperation.evaluate(cooperation.match(before), before, other)


# ----------------------------------------------------------------------------- the region

def test_the_region_generator_reproduces_the_committed_examples(tmp_path: Path) -> None:
    script = ROOT / "examples" / "region" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.write(tmp_path)
    assert len(written) == 40
    for path in written:
        committed = ROOT / "examples" / "region" / path.relative_to(tmp_path)
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), path


def test_the_region_plans_and_evaluates_across_languages_and_subregions() -> None:
    protocol = dp.load_protocol()
    first = dp.assess_many(protocol, [ROOT / "examples" / "region" / "2026"],
                           keep_assessments=True)
    later = dp.assess_many(protocol, [ROOT / "examples" / "region" / "2027"],
                           keep_assessments=True)
    assert (len(first.summaries), first.failures) == (20, ())
    languages = {s.institution.language for s in first.summaries}
    assert languages == {"es", "en", "pt"}
    plan = cooperation.match(first)
    assert plan.workshops
    assert all(m.provider != m.recipient for m in plan.matches)
    evaluation = cooperation.evaluate(plan, first, later)
    assert evaluation.difference is not None
    assert len(evaluation.recipients) > 10


def test_the_example_region_s_plan_is_one_a_secretariat_can_run() -> None:
    # issue 21's "done when", through the command line, the files given in both orders
    from disaster_protocol.cli import main

    files = sorted(str(p) for p in (ROOT / "examples" / "region" / "2026").glob("*.yaml"))
    outputs = []
    for order in (files, files[::-1]):
        out, err = io.StringIO(), io.StringIO()
        assert main(["cooperate", *order, "--format", "json"], stdout=out, stderr=err) == 0
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    plan = json.loads(outputs[0])
    settings = plan["settings"]
    round1 = [m for m in plan["matches"] if m["round"] == 1]
    assert sum(m["workshop"] is None for m in round1) >= 1  # bilateral exchanges
    languages = {}
    for path in files:
        profile = dp.load_profile(path)
        stated = profile.cooperation.languages if profile.cooperation else ()
        languages[profile.institution.id] = {profile.institution.language, *stated}
    for w in plan["workshops"]:
        assert len(w["participants"]) <= settings["participants"]
        host = languages[w["host"]]
        silent = {p for p in w["participants"] if not host & languages[p]}
        assert silent == set(w["interpretation"]), w
    assert len(plan["roadmap"]) > 1
    text = cooperation.match(dp.assess_many(
        dp.load_protocol(), [ROOT / "examples" / "region" / "2026"],
        keep_assessments=True)).to_text("en")
    assert "After the roadmap: demands no round schedules" in text
    after = text.split("After the roadmap")[1].split("\n\n")[0].splitlines()[2:]
    assert len({line.split()[0] for line in after}) == len(after)  # one row per action
    page = cooperation.match(dp.assess_many(
        dp.load_protocol(), [ROOT / "examples" / "region" / "2026"],
        keep_assessments=True)).to_html("es")
    assert "(<span class=id>mx-imss</span>)" in page  # ids never break at their hyphen
    assert "<span class=id>mx-\nimss" not in page


def test_the_plan_page_charts_the_blocking_demands_scheduled_round_by_round(
        small: dp.Protocol) -> None:
    plan = cooperation.match(five(small), workshops=1, participants=2, min_group=2,
                             bilateral=1)
    page = plan.to_html("en")  # A1 blocks nobody's grade: the chart counts every demand
    assert "<figcaption>Demands scheduled by the end of each round (%)</figcaption>" in page
    assert page.count("<svg class=chart") == 1
    assert page.count("class=bar-value") == len(plan.roadmap) == 2  # one bar per round
    assert "width='186.0'" in page
    assert "width='310.0'" in page
    blocking = cooperation.match(three(small)).to_html("en")
    assert "<figcaption>Blocking demands scheduled by the end" in blocking


def test_left_out_and_unknown_give_the_same_demands(small: dp.Protocol) -> None:
    # R assessed only A1 (at 1); its other actions left out, or marked unknown: either way
    # they are no documented gap, so R asks only for A1 (issue 20: a missing piece of
    # evidence counts once).
    left_out = member(small, "r", {"A1": 1}, language="en", subregion="andean")
    unknown = dp.profile_from_dict({
        "schema_version": 1, "assessed_on": "2026-06-30",
        "institution": {"id": "r", "name": "R", "country": "XX", "language": "en",
                        "subregion": "andean"},
        "actions": {"A1": {"level": 1, "evidence": ["e.pdf"]}, "A2": "unknown",
                    "A3": "unknown", "A4": "unknown"}}, small)
    p = member(small, "p", {"A1": 4, "A2": 4, "A3": 3, "A4": 3}, language="es",
               subregion="andean")
    one = cooperation.match(region(small, p, left_out))
    two = cooperation.match(region(small, p, unknown))
    assert [(d.institution, d.action) for d in one.demands] == [("r", "A1")]
    assert one.demands == two.demands
    assert one.matches == two.matches


def test_a_capped_capability_is_offered_and_its_weak_prerequisite_is_the_demand(
        small: dp.Protocol) -> None:
    # P tested A2 (level 4, evidence, exercised 2026-06-01) but A1, its prerequisite, is at 1:
    # A2 scores 3 (a capability shown is kept at 3), yet what P has shown is a tested A2, and
    # it offers A2 at 4. P's own gap is A1 (at 1), not A2. Q needs A2 (at 1 on A1 at 3).
    p = member(small, "p", {"A1": 1, "A2": 4, "A3": 3, "A4": 3}, language="es",
               cooperation={"offers": ["A2"]})
    q = member(small, "q", {"A1": 3, "A2": 1, "A3": 3, "A4": 3}, language="es")
    plan = cooperation.match(region(small, p, q))
    offers = {(o.institution, o.action): o.level for o in plan.offers}
    assert offers[("p", "A2")] == 4
    assert [(d.institution, d.action, d.level) for d in plan.demands] == [
        ("p", "A1", 1), ("q", "A2", 1)]
    assert plan.withdrawn == ()
    assert ("p", "q", "A2") in pairs(plan)


def test_a_stated_offer_that_cannot_be_honoured_is_listed_as_withdrawn(
        small: dp.Protocol) -> None:
    # Strict mode: P states A4 at 3 with no evidence, so it counts as 2 and cannot be offered.
    # (A stated offer of an action the profile does not assess is refused when it is read.)
    p = dp.profile_from_dict({
        "schema_version": 1, "assessed_on": "2026-06-30",
        "institution": {"id": "p", "name": "P", "country": "XX", "language": "es"},
        "actions": {"A1": {"level": 3, "evidence": ["e.pdf"]}, "A4": 3},
        "cooperation": {"offers": ["A4"]}}, small)
    q = member(small, "q", {"A1": 3, "A2": 3, "A3": 3, "A4": 1}, language="es")
    plan = cooperation.match(dp.assess_many(small, [p, q], strict=True))
    assert [(x.institution, x.action, x.claimed, x.level, x.reason)
            for x in plan.withdrawn] == [("p", "A4", 3, 2, "unsupported")]
    assert ("p", "A4") not in {(o.institution, o.action) for o in plan.offers}
    text = plan.to_text("en")
    assert "Stated offers withdrawn (1)" in text
    assert "the claim's own evidence or freshness does not reach level 3" in text


@pytest.mark.parametrize("level", [3, 4])
def test_the_same_members_in_any_order_give_the_same_plan_byte_for_byte(
        bundled: dp.Protocol, level: int) -> None:
    from itertools import permutations

    # four members of three languages and subregions: all 24 orders (five, all 120 orders,
    # gave 10 different plans before the members were taken by id)
    paths = sorted((ROOT / "examples" / "region" / "2026").glob("*.yaml"))[:4]
    profiles = [dp.load_profile(p, bundled) for p in paths]
    plans = {cooperation.match(dp.assess_many(bundled, list(order)),
                               min_offer_level=level).to_json()
             for order in permutations(profiles)}
    assert len(plans) == 1


def with_unknown(protocol: dp.Protocol, ident: str, levels: dict[str, int],
                 unknown: tuple[str, ...]) -> dp.Profile:
    """A member whose ``unknown`` actions are marked so (the others as ``member`` gives)."""
    data = member(protocol, ident, levels).model_dump(mode="json", exclude_none=True)
    data["actions"] = {**data["actions"], **dict.fromkeys(unknown, "unknown")}
    return dp.profile_from_dict(data, protocol)


def test_a_first_measurement_is_not_measured_never_a_change(small: dp.Protocol) -> None:
    # R assessed A1 (1) and asked for A2, which it left out; S assessed A1 (1) and A4 (0).
    # P (capacity 3) meets R-A1, R-A2 and S-A1; nobody tests A4, so S-A4 stays unmet.
    before = region(small, member(small, "p", {"A1": 4, "A2": 4, "A3": 3, "A4": 3}),
                    member(small, "r", {"A1": 1}, cooperation={"demands": ["A2"]}),
                    member(small, "s", {"A1": 1, "A4": 0}))
    plan = cooperation.match(before)
    assert pairs(plan) == {("p", "r", "A1"), ("p", "r", "A2"), ("p", "s", "A1")}
    # a year later R assesses A2 for the first time (3) and A1 at 2 (+1); S marks A1
    # unknown and has A4 at 2 (+2, unmatched).
    after = region(small, member(small, "r", {"A1": 2, "A2": 3}),
                   with_unknown(small, "s", {"A4": 2}, ("A1",)))
    result = cooperation.evaluate(plan, before, after)
    by = {(o.recipient, o.action): o for o in result.outcomes}
    first = by[("r", "A2")]
    assert (first.status, first.before, first.after, first.change) == (
        "unassessed-before", None, 3, None)
    assert (first.claimed_before, first.claimed_change) == (None, None)
    assert (by[("s", "A1")].status, by[("s", "A1")].change) == ("unassessed-after", None)
    assert (by[("r", "A1")].status, by[("r", "A1")].change) == ("measured", 1)
    rows = {r.institution: r for r in result.recipients}
    assert (rows["r"].matched, rows["r"].unmatched, rows["r"].not_measured) == (1, 0, 1)
    assert (rows["r"].matched_change, rows["r"].unmatched_change, rows["r"].difference) == (
        1.0, None, None)
    assert (rows["s"].matched, rows["s"].unmatched, rows["s"].not_measured) == (0, 1, 1)
    assert (rows["s"].matched_change, rows["s"].unmatched_change) == (None, 2.0)
    # pooled: matched R-A1 +1 (the +3 of R-A2 is no change); unmatched S-A4 +2
    assert (result.matched, result.unmatched, result.not_measured) == (1, 1, 2)
    assert (result.matched_change, result.unmatched_change, result.difference) == (1.0, 2.0,
                                                                                    -1.0)
    page = result.to_text("en")
    assert "not measured: not assessed in the earlier round" in page
    assert "Gaps measured in both rounds: 1 matched and 1 unmatched; 2 not measured" in page
    assert "sin medir: no evaluada en la ronda posterior" in result.to_markdown("es")


def test_a_claimed_rise_under_a_cap_shows_beside_the_effective_level(small: dp.Protocol) -> None:
    # R has A1 at 1 and A2 at 2 (A2 requires A1: capped at A1 + 1 = 2). P meets R-A1 and
    # R-A2 and Q-A2, Q meets R-A4; A3 stays unmet.
    before = region(small,
                    member(small, "p", {"A1": 4, "A2": 4, "A3": 3, "A4": 3}, language="es",
                           subregion="andean"),
                    member(small, "q", {"A1": 4, "A2": 1, "A3": 0, "A4": 4}, language="es",
                           subregion="caribbean"),
                    member(small, "r", {"A1": 1, "A2": 2, "A3": 0, "A4": 0}, language="en",
                           subregion="andean"))
    plan = cooperation.match(before)
    assert {(p, a) for p, r, a in pairs(plan) if r == "r"} == {("p", "A1"), ("p", "A2"),
                                                                ("q", "A4")}
    # a year later R claims A2 at 3, still capped at 2 by A1 (1): effective +0, claimed +1.
    # Q: A2 1 -> 3 (matched, +2 on both), A3 0 -> 0 (unmatched).
    after = region(small, member(small, "q", {"A1": 4, "A2": 3, "A3": 0, "A4": 4}),
                   member(small, "r", {"A1": 1, "A2": 3, "A3": 0, "A4": 0}))
    result = cooperation.evaluate(plan, before, after)
    capped = next(o for o in result.outcomes if (o.recipient, o.action) == ("r", "A2"))
    assert (capped.before, capped.after, capped.change) == (2, 2, 0)
    assert (capped.claimed_before, capped.claimed_after, capped.claimed_change) == (2, 3, 1)
    r = next(x for x in result.recipients if x.institution == "r")
    # matched A1 +0, A2 +0 / +1, A4 +0: effective 0, claimed 1/3; unmatched A3 +0
    assert (r.matched, r.unmatched, r.not_measured) == (3, 1, 0)
    assert (r.matched_change, r.claimed_matched_change) == (0.0, 0.3333)
    assert (r.difference, r.claimed_difference) == (0.0, 0.3333)
    # pooled: matched R 0, 0, 0 and Q +2: effective 0.5, claimed (0 + 1 + 0 + 2) / 4 = 0.75
    assert (result.difference, result.claimed_difference) == (0.5, 0.75)
    assert "2 → 2 (+0)" in result.to_text("en")
    assert "2 → 3 (+1)" in result.to_text("en")


def test_the_evaluation_renders_labelled_in_every_format(small: dp.Protocol) -> None:
    before = three(small)
    after = region(small, member(small, "q", {"A1": 4, "A2": 3, "A3": 1, "A4": 4}),
                   member(small, "r", {"A1": 4, "A2": 2, "A3": 0, "A4": 1}))
    result = cooperation.evaluate(cooperation.match(before), before, after)
    data = json.loads(result.to_json())
    assert next(iter(data)) == "format_version"
    assert data["format_version"] == 2
    assert data["recipients"][0]["matched"] == 1
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == ["recipient", "action", "provider", "matched", "status", "before",
                       "after", "change", "claimed_before", "claimed_after", "claimed_change"]
    assert ["r", "A1", "p", "1", "measured", "1", "4", "3", "1", "4", "3"] in rows
    assert len(rows) == 1 + len(result.outcomes)
    text = result.to_text("en")
    assert "Recipient  Matched  Unmatched  Not measured  Change, matched" in text
    assert "By action (6)" in text
    assert "A1 Risk unit" in text
    page = result.to_html("en")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<details>") == 2  # one per recipient, its actions folded
    assert "R (r): 4 demands, 3 matched, 0 not measured" in page
    assert "Por acción" in result.to_html("es")
    assert "<style>" in result._repr_html_()
    assert repr(result) == ("Evaluation(2 recipients, 6 gaps measured, 0 not measured: "
                            "matched minus unmatched change +1.50 levels)")


PARTNERS = """schema_version: 1
partners:
- {id: far, name: Far Agency, kind: development-agency, languages: [en], actions: [A1]}
- {id: ops, name: Organización Panamericana, kind: international-organisation,
   languages: [es, en], actions: [A3, A1], source: A public guideline}
"""


def test_partners_are_proposed_for_what_no_member_offers(small: dp.Protocol) -> None:
    from disaster_protocol.partners import loads_partners

    # In three(), nobody tests A3 and Q and R need it; A1 is offered by P, so Far Agency
    # (A1 only) is not proposed, and OPS is proposed for A3 alone.
    plan = cooperation.match(three(small), partners=loads_partners(PARTNERS, small))
    assert [(p.id, p.actions, p.members, p.source) for p in plan.partners] == [
        ("ops", ("A3",), 2, "A public guideline")]
    md = plan.to_markdown("en")
    assert "| A3 Pay benefits | 2 | 2 | q, r | Organización Panamericana |" in md
    assert "## Partners beyond the region" in md
    assert cooperation.match(three(small)).partners == ()  # no file, no proposal


def test_cooperate_takes_a_partners_file_and_refuses_a_broken_one(
        small: dp.Protocol, tmp_path: Path) -> None:
    from disaster_protocol.cli import main

    folder = tmp_path / "region"
    folder.mkdir()
    for profile in three(small).assessments:
        text = yaml.safe_dump({"schema_version": 1, "assessed_on": "2026-06-30",
                               "institution": profile.institution.model_dump(
                                   exclude_none=True),
                               "actions": {r.action: {"level": r.claimed,
                                                      "evidence": ["e.pdf"],
                                                      "last_exercised": "2026-06-01"}
                                           for r in profile.actions
                                           if r.status == "assessed"}})
        (folder / f"{profile.institution.id}.yaml").write_text(text, encoding="utf-8")
    good, bad = tmp_path / "partners.yaml", tmp_path / "broken.yaml"
    good.write_text(PARTNERS, encoding="utf-8")
    bad.write_text(PARTNERS.replace("actions: [A3, A1]", "actions: [A9]"), encoding="utf-8")
    case = ("--protocol", str(ROOT / "tests" / "cases" / "protocol.yaml"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["cooperate", str(folder), *case, "--partners", str(good), "--lang", "en"],
                stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    assert "Organización Panamericana" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = main(["cooperate", str(folder), *case, "--partners", str(bad), "--lang", "en"],
                stdout=out, stderr=err)
    assert code == 2
    assert f"{bad}:5:" in err.getvalue()
    assert "unknown action 'A9'" in err.getvalue()
