"""Behaviour cases as data: tests/cases/<scenario>/{profile.yaml, expected.yaml}.

The cases run against ``tests/cases/protocol.yaml``, a four-action protocol small enough that
every expected number can be worked out by hand (each expected.yaml says how). ``expected.yaml``
lists only what the case is about; ``options`` (``strict``, ``as_of``) are passed to ``assess``.
Findings are compared as ``[kind, action or role]`` pairs, in order.
"""

from __future__ import annotations

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
            assert got[key] == want, key
