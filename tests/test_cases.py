"""Behaviour cases as data: tests/cases/<scenario>/{profile.yaml, expected.yaml}.

The cases run against ``tests/cases/protocol.yaml``, a four-action protocol small enough that
every expected number can be worked out by hand (each expected.yaml says how). ``expected.yaml``
lists only what the case is about; ``options`` (``strict``, ``as_of``) are passed to ``assess``.
Findings are compared as ``[kind, action or role]`` pairs, in order; a dotted key
(``groups.by_phase``) reaches inside the JSON of the assessment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import disaster_protocol as dp

CASES = Path(__file__).parent / "cases"
SCENARIOS = sorted(p.name for p in CASES.iterdir() if (p / "expected.yaml").is_file())


@pytest.fixture(scope="module")
def case_protocol() -> dp.Protocol:
    return dp.load_protocol(CASES / "protocol.yaml")


def test_there_are_at_least_twelve_scenarios() -> None:
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(scenario: str, case_protocol: dp.Protocol) -> None:
    folder = CASES / scenario
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    profile = dp.load_profile(folder / "profile.yaml", case_protocol)
    result = dp.assess(case_protocol, profile, **expected.pop("options", {}))
    got: dict[str, Any] = result.to_dict()
    for key, want in expected.items():
        if key == "findings":
            pairs = [[f.kind, f.action if f.action is not None else f.role]
                     for f in result.findings]
            assert pairs == want, key
        elif key == "plan":
            steps = [{k: step[k] for k in item} for step, item in zip(got["plan"], want,
                                                                         strict=False)]
            assert len(got["plan"]) == len(want), key
            assert steps == want, key
        elif key == "effective":
            assert {r.action: r.effective for r in result.actions} == want
        elif key == "as_of":
            assert result.as_of == want
        else:
            value: Any = got
            for part in key.split("."):
                value = value[part]
            assert value == want, key


def test_the_worked_examples_of_the_scoring_method_are_these_cases(
        case_protocol: dp.Protocol) -> None:
    """docs/scoring.md works three cases by hand; their scores and plan uplifts, in bold
    there, are the ones the method computes for the same files."""
    scoring = (CASES.parent.parent / "docs" / "scoring.md").read_text(encoding="utf-8")
    named = sorted(set(re.findall(r"tests/cases/([a-z_]+)/", scoring)))
    assert {"prerequisite_caps_claims", "shown_capability_stays_implemented",
            "unassessed_prerequisite_caps_nothing"} <= set(named)
    bold = set(re.findall(r"\*\*([0-9.]+)\*\*", scoring))
    for scenario in named:
        result = dp.assess(case_protocol, dp.load_profile(CASES / scenario / "profile.yaml",
                                                          case_protocol))
        assert f"{result.score:.1f}" in bold, scenario
        if result.plan and scenario != "unassessed_prerequisite_caps_nothing":
            assert f"{result.plan[0].uplift:g}" in bold, scenario
