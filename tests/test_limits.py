"""Resource limits: the input shapes that once took seconds and hundreds of megabytes.

Each shape is built near the default 5 MB file limit. Work is shown to be bounded by where
reading stopped (a line far before the end of the file) and by how many problems come back,
not by timing: timings are taken in benchmarks/bench_limits.py beside a bare parse.
"""

from __future__ import annotations

import json

import pytest
from benchmarks.hostile import HEAD, SHAPES

import disaster_protocol as dp
from disaster_protocol import _reading
from disaster_protocol._reading import DEFAULT_MAX_BYTES
from disaster_protocol.errors import MAX_LISTED, Problem
from disaster_protocol.loader import PROFILE_MAX_VALUES, ProfileFormat
from disaster_protocol.profile import MAX_EVIDENCE, MAX_NAME, MAX_PROSE

from .conftest import ROOT


def refusal(text: str, fmt: ProfileFormat = "yaml",
            sidecar: str | None = None) -> list[Problem]:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(text, source="big", format=fmt, sidecar=sidecar)
    return list(info.value.problems)


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_five_megabyte_profile_of_tiny_values_is_refused_where_its_budget_ends(
        shape: str) -> None:
    text = SHAPES[shape]()
    assert len(text.encode()) <= DEFAULT_MAX_BYTES
    problems = refusal(text)
    assert [p.code for p in problems] == ["too-many-values"]
    (problem,) = problems
    assert f"more than {PROFILE_MAX_VALUES:,} values" in problem.message
    assert problem.line >= 1
    assert problem.column >= 1
    # reading stopped at the budget: well before the end of the file
    assert _offset(text, problem.line, problem.column) < len(text) * 0.6


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def test_json_of_tiny_values_is_refused_by_the_same_budget() -> None:
    data = {"schema_version": 1, "assessed_on": "2026-01-01",
            "institution": {"id": "x", "name": "X", "country": "MX"},
            "actions": {"GOV-01": {"level": 3, "evidence": ["a"] * (PROFILE_MAX_VALUES + 10)}}}
    problems = refusal(json.dumps(data), "json")
    assert [p.code for p in problems] == ["too-many-values"]
    assert problems[0].line > 0


def test_json_the_yaml_reader_cannot_follow_is_still_counted() -> None:
    # a surrogate-pair escape reads differently in YAML 1.1: the JSON data alone is counted
    data = {"schema_version": 1, "assessed_on": "2026-01-01",
            "institution": {"id": "x", "name": "X \ud83d\ude00", "country": "MX"},
            "actions": {"GOV-01": {"level": 3, "evidence": ["a"] * (PROFILE_MAX_VALUES + 10)}}}
    problems = refusal(json.dumps(data), "json")
    assert [p.code for p in problems] == ["too-many-values"]


def test_a_csv_of_repeated_rows_is_refused_where_its_budget_ends() -> None:
    text = "action_id,level\n" + "GOV-01,3\n" * 500_000
    problems = refusal(text, "csv", "schema_version: 1\nassessed_on: 2026-01-01\n"
                       "institution: {id: x, name: X, country: MX}\n")
    assert [p.code for p in problems] == ["too-many-values"]
    assert problems[0].line == PROFILE_MAX_VALUES // 2 + 2  # the header is line 1


def test_many_duplicate_keys_under_the_budget_are_listed_up_to_the_cap_and_counted() -> None:
    problems = refusal(HEAD + "  GOV-01: 3\n" * 30_001)
    assert len(problems) == MAX_LISTED + 1
    assert all(p.code == "duplicate-key" for p in problems)
    assert problems[0].line == 6
    assert "first given on line 5" in problems[0].message
    assert "and 29,900 more duplicate keys" in problems[-1].message


def test_many_repeated_csv_rows_under_the_budget_are_listed_up_to_the_cap_and_counted() -> None:
    text = "action_id,level\n" + "GOV-01,3\n" * 20_001
    problems = refusal(text, "csv", "schema_version: 1\nassessed_on: 2026-01-01\n"
                       "institution: {id: x, name: X, country: MX}\n")
    assert len(problems) == MAX_LISTED + 1
    assert [p.line for p in problems[:2]] == [3, 4]
    assert "and 19,900 more rows not read" in problems[-1].message
    assert problems[-1].line == 103


@pytest.mark.slow
def test_a_larger_protocol_raises_the_profile_budget_with_it() -> None:
    from benchmarks.synthetic import synthetic_protocol
    protocol = synthetic_protocol(6_000)
    ids = list(protocol.action_index)
    lines = "".join(f"  {a}: {{level: 2, evidence: [e1, e2, e3]}}\n" for a in ids)
    profile = dp.loads_profile(HEAD + lines, protocol)  # 6,000 x 6 values: over 20 per action
    assert len(profile.actions) == 6_000
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(HEAD + lines + "  extra: [" + "1," * 100_000 + "1]\n", protocol)
    assert [p.code for p in info.value.problems] == ["too-many-values"]


@pytest.mark.parametrize(("field", "limit"), [
    ("institution: {id: x, name: NAME, country: MX}", MAX_NAME),
    ("institution: {id: x, name: X, country: NAME}", MAX_NAME),
    ("roles: {RMU: NAME}", MAX_NAME),
    ("actions: {GOV-01: {level: 3, evidence: [NAME]}}", MAX_NAME),
    ("actions: {GOV-01: {level: 3, note: NAME}}", MAX_PROSE),
    ("actions: {GOV-01: {level: n/a, justification: NAME}}", MAX_PROSE),
])
def test_free_text_longer_than_a_report_repeats_is_a_located_problem(field: str,
                                                                      limit: int) -> None:
    base = {"institution": "institution: {id: x, name: X, country: MX}",
            "actions": "actions: {GOV-01: 3}", "roles": "roles: {}"}
    base[field.split(":")[0]] = field
    text = "schema_version: 1\nassessed_on: 2026-01-01\n" + "\n".join(base.values()) + "\n"
    assert dp.loads_profile(text.replace("NAME", "a" * limit)) is not None
    problems = refusal(text.replace("NAME", "a" * (limit + 1)))
    assert [p.code for p in problems] == ["invalid-value"]
    assert f"is {limit + 1:,} characters long; at most {limit:,}" in problems[0].message
    assert problems[0].line > 0


def test_an_evidence_list_longer_than_the_cap_says_how_many_items_it_has() -> None:
    items = ", ".join(f"e{i}" for i in range(MAX_EVIDENCE + 1))
    problems = refusal(HEAD + f"  GOV-01: {{level: 3, evidence: [{items}]}}\n")
    assert [p.code for p in problems] == ["invalid-value"]
    assert f"has {MAX_EVIDENCE + 1:,} items; at most {MAX_EVIDENCE:,}" in problems[0].message


def test_a_protocol_has_its_own_larger_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A protocol may hold ``DEFAULT_MAX_VALUES`` values (1,000,000, as docs/errors.md says), or
    one per 8 bytes of a ``max_bytes`` raised on purpose. The logic is measured on a budget of
    10,000, set where the loader reads it, with a size limit scaled alike (40 kB stands for the
    default 5 MB: 8 bytes a value is under the budget in both): ten thousand values parsed
    instead of a million."""
    assert _reading.DEFAULT_MAX_VALUES == 1_000_000
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert f"a protocol over {_reading.DEFAULT_MAX_VALUES:,} (or one per 8 bytes" in errors_md
    assert DEFAULT_MAX_BYTES // 8 < _reading.DEFAULT_MAX_VALUES  # as 40_000 // 8 < 10,000
    budget = 10_000
    monkeypatch.setattr(_reading, "DEFAULT_MAX_VALUES", budget)
    text = "schema_version: 1\nx: [" + "1," * (budget + 1) + "1]\n"  # over the budget
    for max_bytes in (40_000, 8 * budget):  # at 8 bytes a value: still the budget
        with pytest.raises(dp.ProtocolError) as info:
            dp.loads_protocol(text, max_bytes=max_bytes)
        assert [p.code for p in info.value.problems] == ["too-many-values"]
        assert f"more than {budget:,} values" in info.value.problems[0].message
        assert "no protocol is this large" in info.value.problems[0].message
    # a size limit raised on purpose raises the value budget with it: the same text is read
    # (and then refused for what it says, not for its size)
    for max_bytes in (8 * (budget + 100), 100_000_000):
        with pytest.raises(dp.ProtocolError) as info:
            dp.loads_protocol(text, max_bytes=max_bytes)
        assert "too-many-values" not in info.value.codes
