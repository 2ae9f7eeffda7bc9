"""DataFrames of results (the optional ``analysis`` extra), checked on hand-sized cases."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

pd = pytest.importorskip("pandas")

CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples" / "profiles"


@pytest.fixture(scope="module")
def small() -> dp.Protocol:
    return dp.load_protocol(CASES / "protocol.yaml")


@pytest.fixture(scope="module")
def not_applicable(small: dp.Protocol) -> dp.Assessment:
    profile = dp.load_profile(CASES / "not_applicable_is_excluded" / "profile.yaml", small)
    return dp.assess(small, profile)


def test_the_actions_frame_has_one_typed_row_per_action(not_applicable: dp.Assessment) -> None:
    frame = not_applicable.to_frame("actions", lang="en")
    assert list(frame["action"]) == ["A1", "A2", "A3", "A4"]
    assert frame["effective"].dtype == "Int64"
    assert frame["critical"].dtype == "boolean"
    assert list(frame["effective"].iloc[:3]) == [3, 3, 3]
    assert frame["effective"].isna().tolist() == [False, False, False, True]  # A4 is n/a
    assert frame.loc[3, "status"] == "n/a"
    assert list(frame["critical"]) == [False, True, True, False]
    assert frame["weight"].sum() == 6.0
    titles_es = not_applicable.to_frame("actions", lang="es")["title"]
    assert list(titles_es) != list(frame["title"])


def test_plan_findings_and_group_frames_follow_the_assessment(
        small: dp.Protocol) -> None:
    profile = dp.load_profile(CASES / "prerequisite_caps_claims" / "profile.yaml", small)
    a = dp.assess(small, profile)
    plan = a.to_frame("plan")
    assert list(plan["action"]) == [s.action for s in a.plan]
    assert list(plan["uplift"]) == [s.uplift for s in a.plan]
    findings = a.to_frame("findings", lang="en")
    assert len(findings) == len(a.findings)
    assert list(findings["message"]) == [f.text("en") for f in a.findings]
    groups = a.to_frame("groups")
    phases = groups[groups["family"] == "phase"]
    assert dict(zip(phases["group"], phases["score"], strict=True)) == dict(a.by_phase)
    with pytest.raises(ValueError, match="unknown frame kind"):
        a.to_frame("colours")  # type: ignore[arg-type]


def test_a_portfolio_frame_has_a_row_per_institution_and_long_forms(
        bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "profiles"], keep_assessments=True)
    frame = portfolio.to_frame()
    assert list(frame["institution"]) == [s.institution.id for s in portfolio.summaries]
    assert list(frame["score"]) == [s.score for s in portfolio.summaries]
    assert str(frame["as_of"].dtype).startswith("datetime64")
    actions = portfolio.to_frame("actions")
    assert len(actions) == 3 * len(bundled.actions)
    groups = portfolio.to_frame("groups")
    assert set(groups["family"]) == {"phase", "priority"}
    thin = dp.assess_many(bundled, [ROOT / "examples" / "profiles"])
    with pytest.raises(ValueError, match="keep_assessments=True"):
        thin.to_frame("actions")


def test_comparison_plan_and_protocol_frames(bundled: dp.Protocol, small: dp.Protocol) -> None:
    before = dp.assess(small, dp.load_profile(CASES / "all_zero" / "profile.yaml", small))
    after = dp.assess(small, dp.load_profile(CASES / "all_implemented" / "profile.yaml", small))
    change = dp.compare(before, after, allow_other_institution=True).to_frame()
    assert set(change["how"]) <= {"rose", "fell", "stayed", "rescoped"}
    assert change.set_index("action")["change"].to_dict() == {"A1": 3, "A2": 3, "A3": 3,
                                                              "A4": 3}
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                               keep_assessments=True)
    plan = cooperation.match(portfolio)
    frame = plan.to_frame(lang="en")
    assert len(frame) == len(plan.matches) + len(plan.unmet)
    assert (frame["kind"] == "unmet").sum() == len(plan.unmet)
    assert frame.loc[frame["kind"] != "unmet", "round"].max() == len(plan.roadmap)
    protocol = bundled.to_frame(lang="en")
    assert len(protocol) == len(bundled.actions)
    assert set(protocol["provenance"]) <= {"verified", "derived", "proposed"}
    by_id = protocol.set_index("action")
    assert by_id.loc["RESP-09", "indicators"] == "D-8"
    assert by_id.loc["RESP-09", "custom_indicators"] == "CI-PAY"


def test_the_core_imports_without_pandas_and_says_which_extra_to_install() -> None:
    script = (
        "import sys; sys.modules['pandas'] = None\n"
        "import disaster_protocol as dp\n"
        "assert 'matplotlib' not in sys.modules\n"
        "p = dp.load_protocol()\n"
        "try:\n    p.to_frame()\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert "pip install 'disaster-protocol[analysis]'" in out.stdout


def test_importing_the_package_does_not_import_pandas() -> None:
    out = subprocess.run([sys.executable, "-c", "import sys, disaster_protocol as dp; "
                          "dp.assess(dp.load_protocol(), dp.load_profile("
                          "'examples/profiles/caja_intermedia.yaml')); "
                          "print('pandas' in sys.modules)"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_breakdown_and_evaluation_frames(small: dp.Protocol, bundled: dp.Protocol) -> None:
    first = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                           keep_assessments=True)
    later = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2027"],
                           keep_assessments=True)
    breakdown = first.summary("subregion")
    frame = breakdown.to_frame()
    assert list(frame["group"]) == [g.group for g in breakdown.groups] + ["Total"]
    assert int(frame["institutions"].iloc[-1]) == 20
    plan = cooperation.match(first)
    evaluation = cooperation.evaluate(plan, first, later).to_frame()
    assert int(evaluation["matched"].sum()) == sum(
        1 for o in cooperation.evaluate(plan, first, later).outcomes if o.matched)
    assert evaluation["change"].dtype == "Int64"
    assert evaluation["claimed_change"].dtype == "Int64"
    assert set(evaluation["status"]) <= {"measured", "unassessed-before", "unassessed-after",
                                         "unassessed-both", "not-applicable"}


def _values(bundled: dp.Protocol) -> dict[str, object]:
    """One value of every type that has ``to_frame``."""
    first = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                           keep_assessments=True)
    later = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2027"],
                           keep_assessments=True)
    plan = cooperation.match(first)
    a, b = first.assessments[0], later.assessments[0]
    return {"Assessment": a, "Portfolio": first, "Breakdown": first.summary("subregion"),
            "Comparison": dp.compare(a, b), "Trend": dp.trend([a, b, b.model_copy(update={
                "as_of": b.as_of.replace(year=b.as_of.year + 1)})]),
            "CooperationPlan": plan, "Evaluation": cooperation.evaluate(plan, first, later),
            "Protocol": bundled}


def test_every_value_has_one_to_frame_signature(bundled: dp.Protocol) -> None:
    import inspect

    from disaster_protocol.frames import KINDS

    values = _values(bundled)
    assert set(values) == set(KINDS)
    for name, value in values.items():
        signature = inspect.signature(type(value).to_frame)  # type: ignore[attr-defined]
        params = list(signature.parameters.values())
        assert [p.name for p in params] == ["self", "kind", "lang"], name
        assert params[1].default is None
        assert params[1].kind is params[1].POSITIONAL_OR_KEYWORD
        assert params[2].default == "es"
        assert params[2].kind is params[2].KEYWORD_ONLY
        for kind in KINDS[name]:
            frame = value.to_frame(kind, lang="en")  # type: ignore[attr-defined]
            assert isinstance(frame, pd.DataFrame), (name, kind)
        default = value.to_frame()  # type: ignore[attr-defined]
        assert list(default.columns) == list(
            value.to_frame(KINDS[name][0]).columns)  # type: ignore[attr-defined]
        with pytest.raises(ValueError, match=f"unknown frame kind 'colours' of a {name}"):
            value.to_frame("colours")  # type: ignore[attr-defined]
        with pytest.raises(ValueError, match="language"):
            value.to_frame(lang="xx")  # type: ignore[attr-defined]


def test_a_language_where_the_kind_goes_still_works_with_a_warning(
        bundled: dp.Protocol) -> None:
    with pytest.warns(DeprecationWarning, match=r"to_frame\(lang='en'\)") as caught:
        frame = bundled.to_frame("en")  # type: ignore[arg-type]
    assert caught[0].filename == __file__  # the warning names the caller's line
    assert frame.loc[0, "title"] == bundled.actions[0].title.en


def _ordered(column: Any) -> list[str] | None:
    """The categories of an ordered categorical column, None for any other column."""
    dtype = column.dtype
    return list(dtype.categories) if getattr(dtype, "ordered", False) else None


def test_phase_grade_priority_and_reliability_are_ordered_categoricals(
        bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                               keep_assessments=True)
    institutions = portfolio.to_frame()
    assert _ordered(institutions["grade"]) == ["C", "B", "A"]
    assert _ordered(institutions["reliability"]) == ["low", "medium", "high"]
    phases = [p.id for p in bundled.phases]
    actions = portfolio.to_frame("actions")
    assert _ordered(actions["phase"]) == phases
    # groupby follows the protocol's order, not the alphabet (GOV is not first)
    by_phase = actions.groupby("phase", observed=True)["effective"].mean()
    assert list(by_phase.index) == phases != sorted(phases)
    protocol = bundled.to_frame()
    assert _ordered(protocol["priority"]) == ["P1", "P2", "P3", "P4"]
    assert protocol["phase"].isna().sum() == 0  # no phase fell outside the categories
    assessment = portfolio.assessments[0].to_frame("plan")
    assert _ordered(assessment["phase"]) == phases


def test_a_trend_frame_has_a_row_per_date(bundled: dp.Protocol) -> None:
    a, b = (dp.assess(bundled, dp.load_profile(EXAMPLES / n, bundled))
            for n in ("caja_intermedia.yaml", "instituto_avanzado.yaml"))
    late = b.model_copy(update={"as_of": b.as_of.replace(year=b.as_of.year + 1)})
    trend = dp.trend([a, b.model_copy(update={"institution": a.institution}),
                      late.model_copy(update={"institution": a.institution})])
    frame = trend.to_frame()
    assert list(frame["score"]) == [p.score for p in trend.points]
    assert list(frame["grade"].astype(str)) == [p.grade for p in trend.points]
    assert str(frame["as_of"].dtype).startswith("datetime64")
    groups = trend.to_frame("groups")
    assert len(groups) == 3 * (len(a.by_phase) + len(a.by_priority))
    assert repr(trend).startswith(f"Trend({a.institution.id}: 3 dates, ")
    assert len(repr(trend)) < 120


def test_the_total_row_says_total_and_reprs_are_short(bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"])
    breakdown = portfolio.summary("country")
    frame = breakdown.to_frame(lang="en")
    assert frame["group"].iloc[-1] == "Total"
    assert int(frame["institutions"].iloc[-1]) == 20
    suppressed = sum(g.suppressed for g in breakdown.groups)
    assert repr(breakdown) == (
        f"Breakdown(by country: {len(breakdown.groups)} groups, "
        f"{len(breakdown.groups) - suppressed} shown, {suppressed} suppressed under k=3; "
        f"20 institutions, mean score {breakdown.total.mean_score:.1f})")
    for value in (breakdown, breakdown.total, *breakdown.groups, portfolio.summaries[0]):
        assert len(repr(value)) < 160, repr(value)[:200]


def test_the_parts_of_results_print_one_short_line(bundled: dp.Protocol) -> None:
    region = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                            keep_assessments=True)
    later = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2027"],
                           keep_assessments=True)
    a = region.assessments[0]
    plan = cooperation.match(region)
    evaluation = cooperation.evaluate(plan, region, later)
    parts = [a.actions[0], a.findings[0], a.plan[0], plan.members[0], plan.workshops[0],
             evaluation.recipients[0], bundled.actions[0]]
    for part in parts:
        line = repr(part)
        assert line.startswith(f"{type(part).__name__}("), line
        assert "\n" not in line
        assert len(line) < 120, line
    assert repr(plan.workshops[0]) == (
        f"Workshop({plan.workshops[0].id} {plan.workshops[0].action}, host "
        f"{plan.workshops[0].host}: {len(plan.workshops[0].participants)} participants)")
    step = a.plan[0]
    assert repr(step).startswith(f"PlanStep(1. {step.action} ({step.phase}, lead {step.lead}")
