"""DataFrames of results (the optional ``analysis`` extra), checked on hand-sized cases."""

from __future__ import annotations

import subprocess
import sys

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation

from .conftest import ROOT

pd = pytest.importorskip("pandas")

CASES = ROOT / "tests" / "cases"


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
    frame = plan.to_frame("en")
    assert len(frame) == len(plan.matches) + len(plan.unmet)
    assert (frame["kind"] == "unmet").sum() == len(plan.unmet)
    assert frame.loc[frame["kind"] != "unmet", "round"].max() == len(plan.roadmap)
    protocol = bundled.to_frame("en")
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
    assert list(frame["group"]) == [g.group for g in breakdown.groups] + [breakdown.total.group]
    assert int(frame["institutions"].iloc[-1]) == 20
    plan = cooperation.match(first)
    evaluation = cooperation.evaluate(plan, first, later).to_frame()
    assert int(evaluation["matched"].sum()) == sum(
        1 for o in cooperation.evaluate(plan, first, later).outcomes if o.matched)
    assert evaluation["change"].dtype == "Int64"
    assert evaluation["claimed_change"].dtype == "Int64"
    assert set(evaluation["status"]) <= {"measured", "unassessed-before", "unassessed-after",
                                         "unassessed-both", "not-applicable"}
