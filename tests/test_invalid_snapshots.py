"""Every kind of broken protocol gives an exact, located message (snapshot per case).

Each ``tests/invalid/<name>.yaml`` sits beside ``<name>.expected.txt`` holding the exact lines
the loader must report; a domain expert can add a case without writing Python.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import disaster_protocol as dp

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.stem for p in INVALID.glob("*.yaml"))

REQUIRED_KINDS = {
    "syntax_error", "duplicate_key", "unknown_key_with_suggestion", "missing_field", "wrong_type",
    "yaml_boolean_for_text", "unknown_reference", "duplicate_id", "cycle", "unknown_sendai_code",
    "unsupported_schema_version", "alias_bomb", "binary",
}


def test_every_required_kind_of_broken_input_has_a_snapshot() -> None:
    assert set(CASES) >= REQUIRED_KINDS
    for name in CASES:
        assert (INVALID / f"{name}.expected.txt").is_file(), f"{name} has no expected message"


@pytest.mark.parametrize("name", CASES)
def test_broken_protocol_reports_exact_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    expected = (INVALID / f"{name}.expected.txt").read_text(encoding="utf-8")
    with pytest.raises(dp.ProtocolError) as info:
        dp.load_protocol(f"{name}.yaml")
    assert str(info.value) + "\n" == expected


@pytest.mark.parametrize("name", CASES)
def test_every_problem_line_names_file_position_and_code(name: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    with pytest.raises(dp.ProtocolError) as info:
        dp.load_protocol(f"{name}.yaml")
    for problem in info.value.problems:
        assert problem.file == f"{name}.yaml"
        assert problem.line >= 1
        assert problem.column >= 1
        assert str(problem).startswith(f"{name}.yaml:{problem.line}:{problem.column}: ")
        assert str(problem).endswith(f"[{problem.code}]")
