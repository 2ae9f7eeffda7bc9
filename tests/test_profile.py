"""Reading readiness profiles: YAML, JSON and CSV, shorthand, and every error path."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol.profile import Institution

from .conftest import ROOT

CASES = Path(__file__).parent / "cases"
EXAMPLES = ROOT / "examples" / "profiles"
HEAD = "schema_version: 1\ninstitution: {id: x, name: X, country: MX}\nassessed_on: 2026-06-30\n"


@pytest.fixture(scope="module")
def cases() -> dp.Protocol:
    return dp.load_protocol(CASES / "protocol.yaml")


def errors(text: str, protocol: dp.Protocol) -> list[str]:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(text, protocol, source="p.yaml")
    return str(info.value).splitlines()


def test_shorthand_and_full_forms_mean_the_same(cases: dp.Protocol) -> None:
    short = dp.loads_profile(HEAD + "roles: {RMU: Riesgos}\nactions: {A1: 3}\n", cases)
    full = dp.loads_profile(HEAD + "roles: {RMU: {unit: Riesgos}}\nactions: {A1: {level: 3}}\n",
                            cases)
    assert short == full
    assert short.actions["A1"].level == 3
    assert short.roles["RMU"].unit == "Riesgos"


def test_json_profile_reads_like_yaml(cases: dp.Protocol, tmp_path: Path) -> None:
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", "actions": {"A1": 3, "A2": {"level": "n/a",
                                                                     "justification": "no"}}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    profile = dp.load_profile(path, cases)
    assert profile.assessed_on == date(2026, 6, 30)
    assert profile.actions["A2"].level == "n/a"


def test_invalid_level_names_position_and_allowed_values(cases: dp.Protocol) -> None:
    lines = errors(HEAD + "actions:\n  A1: 7\n  A2: {level: -1}\n  A3: {level: yes}\n", cases)
    assert lines == [
        "p.yaml:5:7: actions.A1.level: must be 0-4, n/a or unknown (got 7) [invalid-level]",
        "p.yaml:6:15: actions.A2.level: must be 0-4, n/a or unknown (got -1) [invalid-level]",
        "p.yaml:7:15: actions.A3.level: must be 0-4, n/a or unknown (got 'yes', read by YAML "
        "as True) [invalid-level]",
    ]


def test_unknown_ids_get_did_you_mean(cases: dp.Protocol) -> None:
    lines = errors(HEAD + "roles: {RMX: Riesgos}\nactions: {A11: 3}\n", cases)
    assert lines == [
        "p.yaml:4:9: roles.RMX: unknown role 'RMX' (did you mean 'RMU'?) [unknown-role]",
        "p.yaml:5:11: actions.A11: unknown action 'A11' (did you mean 'A1'?); the protocol "
        "cases 0.1 has no such action [unknown-action]",
    ]


def test_not_applicable_needs_a_justification(cases: dp.Protocol) -> None:
    lines = errors(HEAD + "actions: {A4: n/a}\n", cases)
    assert lines == ["p.yaml:4:15: actions.A4: n/a needs a justification: say why this action "
                     "does not apply [missing-justification]"]


def test_exercise_after_assessment_date_is_an_error(cases: dp.Protocol) -> None:
    lines = errors(HEAD + "actions: {A1: {level: 4, last_exercised: 2027-01-01}}\n", cases)
    assert lines[0].endswith("[invalid-date]")
    assert "p.yaml:4:42:" in lines[0]


def test_waiver_for_unknown_action(cases: dp.Protocol) -> None:
    text = HEAD + ("waivers:\n- {action: A9, reason: r, approved_by: b, expires: 2027-01-01}\n")
    assert errors(text, cases)[0].endswith("[unknown-action]")


def test_structure_errors_are_located(cases: dp.Protocol) -> None:
    lines = errors("schema_version: 1\ninstitution: {id: x, name: X}\nassessed_on: soon\n"
                   "actions: {A1: {level: 3, evidnce: [a]}}\n", cases)
    assert lines == [
        "p.yaml:2:14: institution.country: required field 'country' is missing [missing-field]",
        "p.yaml:3:14: assessed_on: must be a date (YYYY-MM-DD) (got 'soon') [wrong-type]",
        "p.yaml:4:26: actions.A1.evidnce: unknown key 'evidnce' (did you mean 'evidence'?) "
        "[unknown-key]",
    ]


def test_newer_schema_version_says_upgrade(cases: dp.Protocol) -> None:
    lines = errors("schema_version: 3\n", cases)
    assert "upgrade disaster-protocol" in lines[0]


def test_unassessed_actions_are_simply_absent(cases: dp.Protocol) -> None:
    profile = dp.loads_profile(HEAD, cases)
    assert profile.actions == {}


def test_csv_with_sidecar(cases: dp.Protocol, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        "action_id,level,evidence,last_exercised,justification,note\n"
        "A1,3,acta.pdf; plan.pdf,,,\nA2,4,,2026-01-10,,probado en enero\n"
        "A4,n/a,,,Sin hospitales,\n", encoding="utf-8")
    (tmp_path / "p.meta.yaml").write_text(HEAD + "roles: {RMU: Riesgos}\n", encoding="utf-8")
    profile = dp.load_profile(tmp_path / "p.csv", cases)
    assert profile.institution.id == "x"
    assert profile.actions["A1"].evidence == ("acta.pdf", "plan.pdf")
    assert profile.actions["A2"].last_exercised == date(2026, 1, 10)
    assert profile.actions["A4"].justification == "Sin hospitales"
    assert profile.roles["RMU"].unit == "Riesgos"


def test_csv_problems_are_located_by_line_and_field(cases: dp.Protocol, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        "action_id,level,evidence,last_exercised,justification,note\n"
        "A1,9,,,,\nA7,1,,,,\nA2,2,,yesterday,,\n", encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(tmp_path / "p.csv", cases, assessed_on=date(2026, 6, 30),
                        institution=Institution(id="x", name="X", country="MX"))
    assert str(info.value) == f"{tmp_path / 'p.csv'}:2:2: actions.A1.level: must be 0-4, n/a " \
                              "or unknown (got 9) [invalid-level]"


def test_csv_without_institution_data_says_where_to_put_it(cases: dp.Protocol,
                                                            tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("action_id,level,evidence,last_exercised,justification,"
                                    "note\nA1,1,,,,\n", encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(tmp_path / "p.csv", cases)
    assert info.value.codes == ("missing-field", "missing-field")
    assert "p.meta.yaml" in str(info.value)


@pytest.mark.parametrize(("text", "code"), [
    ("action_id,nota\nA1,1\n", "missing-field"),
    ("action_id,level,colour\nA1,1,red\n", "unknown-key"),
    ("", "empty-file"),
    ("action_id,level,evidence,last_exercised,justification,note\nA1,1,,,\n", "wrong-type"),
    ("action_id,level,evidence,last_exercised,justification,note\nA1,1,,,,\nA1,2,,,,\n",
     "duplicate-key"),
])
def test_malformed_csv(cases: dp.Protocol, text: str, code: str) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(text, cases, source="p.csv", format="csv",
                         assessed_on=date(2026, 1, 1),
                         institution=Institution(id="x", name="X", country="MX"))
    assert info.value.codes == (code,)


def test_options_override_the_sidecar(cases: dp.Protocol, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("action_id,level,evidence,last_exercised,justification,"
                                    "note\nA1,1,,,,\n", encoding="utf-8")
    (tmp_path / "p.meta.yaml").write_text(HEAD, encoding="utf-8")
    profile = dp.load_profile(tmp_path / "p.csv", cases, assessed_on=date(2026, 7, 1))
    assert profile.assessed_on == date(2026, 7, 1)


def test_sidecar_problems_are_located_in_the_sidecar(cases: dp.Protocol, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("action_id,level,evidence,last_exercised,justification,"
                                    "note\nA1,1,,,,\n", encoding="utf-8")
    (tmp_path / "p.meta.yaml").write_text(HEAD + "roles: {RMX: Riesgos}\n", encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(tmp_path / "p.csv", cases)
    assert str(info.value).startswith(f"{tmp_path / 'p.meta.yaml'}:4:9: roles.RMX")


@pytest.mark.parametrize("name", ["instituto_avanzado.yaml", "caja_intermedia.yaml",
                                  "mutual_inicial.csv"])
def test_example_profiles_load_against_the_bundled_protocol(name: str,
                                                            bundled: dp.Protocol) -> None:
    profile = dp.load_profile(EXAMPLES / name, bundled)
    assert "ilustrativ" in profile.institution.name
    assert len(profile.actions) == len(bundled.actions)


def test_json_profile_with_escapes_yaml_would_misread(cases: dp.Protocol, tmp_path: Path) -> None:
    data = {"schema_version": 1, "institution": {"id": "x", "name": "Caja \U0001F3E5",
                                                 "country": "MX"},
            "assessed_on": "2026-06-30", "actions": {"A1": {"level": 3, "note": "ok \U0001F44D"}}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, indent="\t"), encoding="utf-8")  # ASCII escapes, tabs
    profile = dp.load_profile(path, cases)
    assert profile.institution.name == "Caja \U0001F3E5"
    assert profile.actions["A1"].note == "ok \U0001F44D"


def test_json_syntax_error_is_located(cases: dp.Protocol, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{\n  "schema_version": 1,\n  "actions": {"A1": 3,}\n}\n', encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(path, cases)
    assert str(info.value).startswith(f"{path}:3:")
    assert info.value.codes == ("syntax-error",)


def test_json_duplicate_keys_are_reported_with_lines(cases: dp.Protocol, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"schema_version": 1,\n"schema_version": 1}\n', encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(path, cases)
    assert info.value.codes == ("duplicate-key",)
    assert "first given on line 1" in str(info.value)


CSV_HEADER = "action_id,level,evidence,last_exercised,justification,note\n"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_loads_profile_reads_the_format_it_is_told(cases: dp.Protocol, fmt: str) -> None:
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", "actions": {"A1": 3}}
    text = json.dumps(data) if fmt == "json" else HEAD + "actions: {A1: 3}\n"
    profile = dp.loads_profile(text, cases, format=fmt)  # type: ignore[arg-type]
    assert profile.actions["A1"].level == 3


def test_loads_profile_reads_csv_text_with_a_sidecar_text(cases: dp.Protocol) -> None:
    profile = dp.loads_profile(CSV_HEADER + "A1,3,acta.pdf,,,\n", cases, format="csv",
                               sidecar=HEAD + "roles: {RMU: Riesgos}\n")
    assert profile.actions["A1"].evidence == ("acta.pdf",)
    assert profile.roles["RMU"].unit == "Riesgos"


def test_csv_sidecar_text_problems_name_the_sidecar(cases: dp.Protocol) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(CSV_HEADER + "A1,3,,,,\n", cases, source="data/p.csv", format="csv",
                         sidecar=HEAD + "roles: {RMX: Riesgos}\n")
    assert str(info.value).startswith("data/p.meta.yaml:4:9: roles.RMX: unknown role")


def test_unknown_profile_format_is_a_value_error(cases: dp.Protocol) -> None:
    with pytest.raises(ValueError, match="choose 'yaml', 'json' or 'csv'"):
        dp.loads_profile(HEAD, cases, format="xml")  # type: ignore[arg-type]


def test_profile_from_dict_checks_like_a_file(cases: dp.Protocol) -> None:
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": date(2026, 6, 30), "roles": {"RMU": "Riesgos"},
            "actions": {"A1": 3, "A2": {"level": 4, "last_exercised": "2026-01-10"}}}
    profile = dp.profile_from_dict(data, cases)
    assert profile == dp.loads_profile(HEAD + "roles: {RMU: Riesgos}\nactions: {A1: 3, A2: "
                                       "{level: 4, last_exercised: 2026-01-10}}\n", cases)
    assert data["actions"] == {"A1": 3, "A2": {"level": 4, "last_exercised": "2026-01-10"}}
    assert data["roles"] == {"RMU": "Riesgos"}  # the caller's data is left as it was


def test_profile_from_dict_reports_every_problem_with_its_path(cases: dp.Protocol) -> None:
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", "roles": {"RMX": "Riesgos"},
            "actions": {"A1": 9, "A11": 2}}
    with pytest.raises(dp.ProfileError) as info:
        dp.profile_from_dict(data, cases, source="form")
    assert str(info.value) == "form: actions.A1.level: must be 0-4, n/a or unknown (got 9) " \
                              "[invalid-level]"
    del data["actions"]["A1"]  # type: ignore[attr-defined]
    with pytest.raises(dp.ProfileError) as info:
        dp.profile_from_dict(data, cases, source="form")
    assert str(info.value).splitlines() == [
        "form: actions.A11: unknown action 'A11' (did you mean 'A1'?); the protocol cases 0.1 "
        "has no such action [unknown-action]",
        "form: roles.RMX: unknown role 'RMX' (did you mean 'RMU'?) [unknown-role]",
    ]


def test_profile_from_dict_needs_a_mapping(cases: dp.Protocol) -> None:
    with pytest.raises(TypeError, match="data must be a mapping"):
        dp.profile_from_dict([("schema_version", 1)], cases)  # type: ignore[arg-type]


def test_profile_mappings_are_read_only(cases: dp.Protocol) -> None:
    profile = dp.loads_profile(HEAD + "roles: {RMU: Riesgos}\nactions: {A1: 3}\n", cases)
    with pytest.raises(TypeError, match="frozen value"):
        profile.actions["A1"] = dp.ActionStatus(level=4)  # type: ignore[index]
    with pytest.raises(TypeError, match="frozen value"):
        profile.roles.pop("RMU")  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="frozen value"):
        profile.actions.update({})  # type: ignore[attr-defined]
    assert profile.actions == {"A1": dp.ActionStatus(level=3)}


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD.replace("2026-06-30", "0002-01-01"),
     "p.yaml:3:14: assessed_on: must be a date from 1900-01-01 to 2999-12-31 (got 0002-01-01) "
     "[invalid-date]"),
    (HEAD + "actions: {A1: {level: 4, last_exercised: 1850-01-01}}\n",
     "p.yaml:4:42: actions.A1.last_exercised: must be a date from 1900-01-01 to 2999-12-31 "
     "(got 1850-01-01) [invalid-date]"),
    (HEAD + "waivers:\n- {action: A1, reason: r, approved_by: b, expires: 3001-01-01}\n",
     "p.yaml:5:52: waivers[0].expires: must be a date from 1900-01-01 to 2999-12-31 (got "
     "3001-01-01) [invalid-date]"),
])
def test_out_of_range_dates_are_located_errors(cases: dp.Protocol, text: str,
                                               expected: str) -> None:
    assert errors(text, cases) == [expected]


def test_zero_padding_is_normalised_before_suggesting(bundled: dp.Protocol) -> None:
    text = HEAD + "actions: {PREP-2: 3, gov-1: 2}\n"
    lines = errors(text, bundled)
    assert "unknown action 'PREP-2' (did you mean 'PREP-02'?)" in lines[0]
    assert "unknown action 'gov-1' (did you mean 'GOV-01'?)" in lines[1]


@pytest.mark.parametrize("call", [
    lambda p: dp.load_profile(42, p),  # type: ignore[arg-type]
    lambda p: dp.load_profile(EXAMPLES / "caja_intermedia.yaml", "bundled"),  # type: ignore[arg-type]
    lambda p: dp.loads_profile(HEAD.encode(), p),  # type: ignore[arg-type]
])
def test_wrong_argument_types_are_a_type_error(cases: dp.Protocol,
                                                call: Callable[[dp.Protocol], object]) -> None:
    with pytest.raises(TypeError, match="must be"):
        call(cases)


def test_json_values_yaml_would_misread_keep_their_positions(cases: dp.Protocol,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"schema_version": 1,\n "institution": {"id": "x", "name": "X", '
                    '"country": "MX"},\n "assessed_on": "2026-06-30",\n'
                    ' "actions": {"A1": 1e400}}\n', encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(path, cases)
    assert str(info.value).startswith(f"{path}:4:20: actions.A1.level: must be 0-4")


def test_a_shorthand_boolean_level_names_what_was_written(cases: dp.Protocol) -> None:
    assert errors(HEAD + "actions: {A1: yes}\n", cases) == [
        "p.yaml:4:15: actions.A1.level: must be 0-4, n/a or unknown (got 'yes', read by YAML "
        "as True) [invalid-level]"]


def test_a_schema_version_written_as_a_float_is_unsupported(cases: dp.Protocol) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(HEAD.replace("schema_version: 1", "schema_version: 1.0"), cases)
    assert info.value.codes == ("unsupported-schema-version",)


@pytest.mark.parametrize(("value", "expected"), [
    ("!!timestamp x", "p.yaml:4:15: cannot read 'x' as timestamp; write the value plainly "
                      "(quote it if it is text) [wrong-type]"),
    ("!!bool x", "p.yaml:4:15: cannot read 'x' as bool; write the value plainly (quote it if "
                 "it is text) [wrong-type]"),
    ("!!int ''", "p.yaml:4:15: cannot read '' as int; write the value plainly (quote it if it "
                 "is text) [wrong-type]"),
    ("9" * 5000, "p.yaml:4:15: cannot read '9999999999999999999999999999999999999...' as int; "
                 "write the value plainly (quote it if it is text) [wrong-type]"),
])
def test_values_yaml_cannot_construct_are_located_problems(cases: dp.Protocol, value: str,
                                                           expected: str) -> None:
    assert errors(HEAD + f"actions: {{A1: {value}}}\n", cases) == [expected]


def test_a_json_number_too_long_to_read_is_a_problem(cases: dp.Protocol) -> None:
    text = ('{"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"}, '
            '"assessed_on": "2026-06-30", "actions": {"A1": ' + "9" * 5000 + "}}")
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(text, cases, source="p.json", format="json")
    assert info.value.codes == ("wrong-type",)


def test_a_csv_field_over_the_csv_limit_is_a_located_problem(cases: dp.Protocol) -> None:
    text = CSV_HEADER + "A1,1," + "a" * 140_000 + ",,,\n"
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(text, cases, source="p.csv", format="csv", sidecar=HEAD)
    assert str(info.value).startswith("p.csv:2:1: the CSV cannot be read here (field larger")


def test_many_unknown_actions_are_counted_after_the_first_hundred(cases: dp.Protocol) -> None:
    import time

    actions = {f"Z{i:06d}": 1 for i in range(50_000)}
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", "actions": actions}
    start = time.process_time()
    with pytest.raises(dp.ProfileError) as info:
        dp.profile_from_dict(data, cases)
    assert time.process_time() - start < 10  # a "did you mean" for 100 ids, not 50,000
    assert len(info.value.problems) == 101
    assert "<dict>: actions: and 49,900 more unknown actions; is this a profile for protocol " \
           "cases 0.1? [unknown-action]" in str(info.value).splitlines()


@pytest.mark.parametrize("text", [
    "action_id;level;evidence\nA1;3;acta.pdf\n",  # a Spanish-locale spreadsheet
    "Acción,Nivel,Evidencia,,\nA1,3,acta.pdf,,\n",  # Spanish names, trailing empty columns
    " LEVEL ,Action_ID,evidence\n3,A1,acta.pdf\n",  # any order, case and spaces aside
    "\ufeffaccion;nivel;evidencia;Último ejercicio\nA1;3;acta.pdf;\n",  # with a BOM
])
def test_csv_as_spreadsheets_write_it(cases: dp.Protocol, text: str) -> None:
    profile = dp.loads_profile(text, cases, format="csv", sidecar=HEAD)
    assert profile.actions["A1"] == dp.ActionStatus(level=3, evidence=("acta.pdf",))


def test_csv_header_problems_are_located_with_suggestions(cases: dp.Protocol) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile("action_id,levl,level,level\nA1,1,1,1\n", cases, source="p.csv",
                         format="csv", sidecar=HEAD)
    assert str(info.value).splitlines() == [
        "p.csv:1:2: header 'levl' is not a column (did you mean 'level'?); the columns are "
        "action_id,level,evidence,last_exercised,justification,note [unknown-key]",
        "p.csv:1:4: header 'level' is given twice; the columns are "
        "action_id,level,evidence,last_exercised,justification,note [unknown-key]",
    ]


def test_csv_cells_are_located_by_their_own_column(cases: dp.Protocol) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile("note,level,action_id\nx,9,A1\n", cases, source="p.csv",
                         format="csv", sidecar=HEAD)
    assert str(info.value).startswith("p.csv:2:2: actions.A1.level: must be 0-4")


def test_a_very_long_number_in_a_name_still_gets_a_suggestion_or_none(
        cases: dp.Protocol) -> None:
    from disaster_protocol._validation import suggest

    assert suggest("A" + "9" * 5000, ["A1", "A2"]) == ""
    assert suggest("A" + "0" * 5000 + "1", ["A1", "A2"]) == " (did you mean 'A1'?)"
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(f"{'9' * 5000},level\nA1,1\n", cases, source="p.csv", format="csv",
                         sidecar=HEAD)
    assert str(info.value).startswith("p.csv:1:1: header '9999999999999999999999999999999999999"
                                      "...' is not a column;")


# The packed form a profile pickles as (see "The packed form" in profile.py) ------------------

EVERY_FIELD = {
    "schema_version": 1,
    "protocol": {"id": "sendai_ciss", "version": "1.2.0"},
    "institution": {"id": "inst-1", "name": "Instituto Uno", "country": "MX",
                    "subregion": "Norte", "type": "health", "language": "es"},
    "assessed_on": "2026-03-01",
    "roles": {"RMU": {"unit": "Riesgos", "alternate": "Dirección"}, "OPS": {"unit": "Ops"}},
    "waivers": [{"action": "GOV-01", "reason": "Reforma", "approved_by": "Junta",
                 "expires": "2027-01-31"}],
    "cooperation": {"offers": [{"action": "PREP-07", "note": "Simulacros"}],
                    "demands": [{"action": "GOV-02"}], "capacity": 4,
                    "languages": ["en", "pt"]},
    "state": {"status": "validated", "by": "Coordinación", "on": "2026-03-02"},
    "actions": {
        "GOV-01": {"level": 2, "evidence": ["acta 3", "plan"], "last_exercised": "2025-11-30",
                   "justification": "En curso", "note": "Revisar", "needs_review": True},
        "GOV-02": {"level": "n/a", "justification": "No aplica"},
        "PREP-07": {"level": "unknown"},
        "PREP-08": {"level": 0},
    },
}


def _parts(profile: dp.Profile) -> list[tuple[str, object, object]]:
    """Every value inside ``profile``: its class, fields and which fields it was given with."""
    values: list[object] = [profile, profile.institution, profile.protocol, profile.state,
                            profile.cooperation, *profile.roles.values(), *profile.waivers,
                            *profile.actions.values()]
    if profile.cooperation is not None:
        values += [*profile.cooperation.offers, *profile.cooperation.demands]
    return [(type(v).__name__, v, getattr(v, "model_fields_set", None)) for v in values]


@pytest.mark.parametrize("source", ["every field", "caja_intermedia", "instituto_avanzado"])
def test_a_profile_pickles_packed_and_comes_back_equal(source: str, bundled: dp.Protocol
                                                       ) -> None:
    import pickle

    from disaster_protocol.profile import packed

    profile = (dp.Profile.model_validate(EVERY_FIELD) if source == "every field"
               else dp.load_profile(ROOT / "examples" / "profiles" / f"{source}.yaml", bundled))
    blob = pickle.dumps(profile)
    form = packed(profile)
    assert form is not None
    assert form in blob  # it travelled packed
    clone = pickle.loads(blob)
    assert clone == profile
    assert clone.model_dump_json() == profile.model_dump_json()
    assert _parts(clone) == _parts(profile)  # every value and the fields it was given with
    assert type(clone.actions) is type(profile.actions)
    assert pickle.dumps(clone) == blob  # and pickles again to the same bytes


def test_the_packed_form_carries_every_field() -> None:
    from disaster_protocol.profile import PACKED_FIELDS

    for cls, names in PACKED_FIELDS.items():
        assert set(names) == set(cls.model_fields), cls.__name__  # a new field: pack it
    assert dp.Profile.model_validate(EVERY_FIELD).model_fields_set == set(PACKED_FIELDS[
        dp.Profile])  # the test profile sets every field ...
    action = dp.Profile.model_validate(EVERY_FIELD).actions["GOV-01"]
    assert action.model_fields_set == set(type(action).model_fields)  # ... one action too


def test_damaged_packed_bytes_are_refused(bundled: dp.Protocol) -> None:
    import pickle

    from disaster_protocol.profile import packed, unpacked

    profile = dp.load_profile(ROOT / "examples" / "profiles" / "caja_intermedia.yaml", bundled)
    blob = packed(profile)
    assert blob is not None
    level = blob.index(b"GOV-01") + 20  # somewhere in the first action's row
    damaged = blob[:level] + bytes([blob[level] ^ 1]) + blob[level + 1:]
    with pytest.raises(pickle.UnpicklingError, match="damaged"):
        unpacked(damaged)
    with pytest.raises(pickle.UnpicklingError, match="damaged"):
        pickle.loads(pickle.dumps(profile).replace(blob, damaged))
    with pytest.raises(pickle.UnpicklingError, match="not a packed profile of format 1"):
        unpacked(b"P\x02" + blob[2:])  # another format


class _MyProfile(dp.Profile):
    pass


def test_an_unchecked_profile_pickles_as_its_fields_and_stays_unchecked() -> None:
    """Only a profile pydantic validated travels packed: one built without checks comes back
    exactly as it left, no more trusted (here with a level no check would accept)."""
    import pickle

    from disaster_protocol.profile import ActionStatus, Institution, packed

    unchecked = dp.Profile.model_construct(
        schema_version=1, institution=Institution(id="x", name="X", country="MX"),
        assessed_on=date(2026, 1, 1), actions={"GOV-01": ActionStatus.model_construct(level=9)})
    assert packed(unchecked) is None
    clone = pickle.loads(pickle.dumps(unchecked))
    assert clone == unchecked
    assert clone.actions["GOV-01"].level == 9
    assert packed(clone) is None  # still not known to be valid
    checked = dp.Profile.model_validate(EVERY_FIELD)
    assert packed(checked) is not None
    mine = _MyProfile.model_validate(EVERY_FIELD)  # a subclass keeps its class
    assert packed(mine) is None
    assert type(pickle.loads(pickle.dumps(mine))) is _MyProfile
    assert packed(checked.model_copy(update={"assessed_on": date(2026, 4, 1)})) is not None
    assert "_packed" not in checked.model_dump()
    assert "_packed" not in dict(checked)


_texts = st.sampled_from(["acta.pdf", "plan", "Revisión 2", "ñandú"])
_days = st.dates(date(1900, 1, 1), date(2999, 12, 31))
_statuses = st.fixed_dictionaries({"level": st.sampled_from([0, 1, 2, 3, 4, "n/a", "unknown"])},
                                  optional={"evidence": st.lists(_texts, max_size=3),
                                            "last_exercised": st.none() | _days,
                                            "justification": st.none() | _texts,
                                            "note": st.none() | _texts,
                                            "needs_review": st.booleans()})
_items = st.lists(st.fixed_dictionaries({"action": st.sampled_from(["GOV-01", "PREP-07"])},
                                        optional={"note": _texts}), max_size=2)
_profiles = st.fixed_dictionaries(
    {"schema_version": st.just(1),
     "institution": st.fixed_dictionaries({"id": st.just("x"), "name": _texts,
                                           "country": st.just("MX")},
                                          optional={"type": st.sampled_from(["health", "mixed"]),
                                                    "language": st.sampled_from(["es", "fr"])}),
     "assessed_on": _days},
    optional={"protocol": st.just({"id": "sendai_ciss", "version": "1.2.0"}),
              "actions": st.dictionaries(st.sampled_from(["GOV-01", "GOV-02", "PREP-07"]),
                                         _statuses),
              "roles": st.dictionaries(
                  st.sampled_from(["RMU", "OPS"]), st.fixed_dictionaries(
                  {"unit": _texts}, optional={"alternate": st.none() | _texts})),
              "waivers": st.lists(st.fixed_dictionaries({
                  "action": st.just("GOV-01"), "reason": _texts, "approved_by": _texts,
                  "expires": _days}), max_size=2),
              "cooperation": st.none() | st.fixed_dictionaries({}, optional={
                  "offers": _items, "demands": _items,
                  "capacity": st.none() | st.integers(0, 100),
                  "languages": st.lists(st.sampled_from(["en", "pt"]), max_size=2)}),
              "state": st.none() | st.fixed_dictionaries(
                  {"status": st.sampled_from(["draft", "validated"])},
                  optional={"by": st.none() | _texts, "on": st.none() | _days})})


@given(_profiles)
@settings(max_examples=200, deadline=None)
def test_any_valid_profile_comes_back_from_its_packed_form(data: dict[str, object]) -> None:
    import pickle

    profile = dp.Profile.model_validate(data)
    clone = pickle.loads(pickle.dumps(profile))
    assert clone == profile
    assert clone.model_dump_json() == profile.model_dump_json()
    assert _parts(clone) == _parts(profile)
