"""Profiles from the field: the XLSForm, survey exports and spreadsheets read as wide tables,
renewal and states (docs/collection.md)."""

from __future__ import annotations

import csv
import io
import json
import sys
import warnings
from datetime import date
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from disaster_protocol._i18n import LANGS, text
from disaster_protocol.cli import ExitCode, main
from disaster_protocol.errors import InputWarning
from disaster_protocol.report.form import xlsform, xlsform_rows
from disaster_protocol.report.schema import json_schema

from .conftest import ROOT

openpyxl = pytest.importorskip("openpyxl")


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- the form

def test_the_form_converts_with_pyxform_without_errors_or_warnings(tmp_path: Path) -> None:
    convert = pytest.importorskip("pyxform.xls2xform").convert
    path = tmp_path / "survey.xlsx"
    code, _, err = run("form", "-o", str(path))
    assert code == ExitCode.OK
    assert f"{len(dp.load_protocol().actions)} " in err
    result = convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    for lang in LANGS:  # every language is a translation of the form
        assert f'<translation lang="{text("form.language", lang)} ({lang})"' in result.xform


def test_the_form_has_a_label_column_per_language_and_every_action(bundled: dp.Protocol
                                                                   ) -> None:
    sheets = xlsform_rows(bundled)
    survey = sheets["survey"]
    for lang in LANGS:
        column = next(k for k in survey[1] if k.startswith("label::") and k.endswith(f"({lang})"))
        assert all(row.get(column) for row in survey if row["type"] not in ("end_group",
                                                                             "calculate"))
    names = {row["name"]: row for row in survey}
    for action in bundled.actions:
        row = names[action.id]
        assert row["type"] == "select_one level"
        assert row["required"] == "yes"
        assert action.title.es in row["label::Español (es)"]
        assert action.description.en in row["hint::English (en)"]
        justification = names[f"{action.id}_justification"]
        assert justification["required"] == "yes"
        assert justification["relevant"] == f"selected(${{{action.id}}}, 'na')"
        for extra in ("evidence", "last_exercised"):
            assert names[f"{action.id}_{extra}"]["relevant"] == (
                f"selected(${{{action.id}}}, '3') or selected(${{{action.id}}}, '4')")
    groups = [row["name"] for row in survey if row["type"] == "begin_group"]
    assert groups == ["institution", "roles", *(f"phase_{p.id}" for p in bundled.phases)]
    levels = [c for c in sheets["choices"] if c["list_name"] == "level"]
    assert [c["name"] for c in levels] == ["0", "1", "2", "3", "4", "na", "unknown"]
    assert levels[3]["label::English (en)"].startswith("3 — Implemented: In place across")


def test_a_critical_action_says_so_in_its_hint(bundled: dp.Protocol) -> None:
    critical = next(a for a in bundled.actions if a.critical)
    row = next(r for r in xlsform_rows(bundled)["survey"] if r["name"] == critical.id)
    assert row["hint::English (en)"].startswith("Critical action.")


def test_the_form_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, bundled: dp.Protocol
                                                   ) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match=r"disaster-protocol\[forms\]"):
        xlsform(bundled)
    code, _, err = run("form", "-o", str(tmp_path / "s.xlsx"))
    assert code == ExitCode.BAD_INPUT
    assert "forms" in err
    assert "Traceback" not in err
    assert not (tmp_path / "s.xlsx").exists()


def test_the_form_refuses_a_name_that_is_not_a_workbook(tmp_path: Path) -> None:
    code, _, err = run("form", "-o", str(tmp_path / "s.csv"))
    assert code == ExitCode.BAD_INPUT
    assert ".xlsx" in err
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- exports

def _export_header(protocol: dp.Protocol) -> list[str]:
    """The columns KoboToolbox writes for the form: group/name, then its own columns."""
    groups: list[str] = []
    header = ["start", "end"]
    for row in xlsform_rows(protocol)["survey"]:
        if row["type"] == "begin_group":
            groups.append(row["name"])
        elif row["type"] == "end_group":
            groups.pop()
        else:
            header.append("/".join([*groups, row["name"]]))
    return [*header, "__version__", "meta/instanceID", "_id", "_uuid", "_submission_time",
            "_validation_status", "_index"]


ANSWERS = {
    "caja-a": {"institution/institution_name": "Caja A", "institution/country": "MX",
               "institution/assessed_on": "2026-10-15", "roles/role_RMU": "Riesgos",
               "phase_GOV/GOV-01": "3", "phase_GOV/GOV-01_evidence": "acta.pdf; plan.pdf",
               "phase_GOV/GOV-01_last_exercised": "2026-05-01",
               "phase_GOV/GOV-02": "na", "phase_GOV/GOV-02_justification": "Sin consejo",
               "phase_PREP/PREP-07": "4", "phase_PREP/PREP-07_evidence": "simulacro.pdf",
               "phase_PREP/PREP-07_last_exercised": "2026-09-02",
               "_validation_status": "validation_status_approved"},
    "caja-b": {"institution/institution_name": "Caja B", "institution/country": "CL",
               "institution/assessed_on": "2026-10-20", "phase_GOV/GOV-01": "2",
               "phase_KNOW/KNOW-01": "unknown", "phase_PREP/PREP-07": "1"},
    "caja-c": {"institution/institution_name": "Caja C", "institution/country": "PE",
               "institution/assessed_on": "2026-13-40", "phase_GOV/GOV-01": "7",
               "phase_GOV/GOV-02": "na"},
}
YAML_TWINS = {
    "caja-a": {"schema_version": 1, "institution": {"id": "caja-a", "name": "Caja A",
                                                    "country": "MX"},
               "assessed_on": "2026-10-15", "roles": {"RMU": "Riesgos"},
               "actions": {"GOV-01": {"level": 3, "evidence": ["acta.pdf", "plan.pdf"],
                                      "last_exercised": "2026-05-01"},
                           "GOV-02": {"level": "n/a", "justification": "Sin consejo"},
                           "PREP-07": {"level": 4, "evidence": ["simulacro.pdf"],
                                       "last_exercised": "2026-09-02"}}},
    "caja-b": {"schema_version": 1, "institution": {"id": "caja-b", "name": "Caja B",
                                                    "country": "CL"},
               "assessed_on": "2026-10-20",
               "actions": {"GOV-01": 2, "KNOW-01": "unknown", "PREP-07": 1}},
}


def _export_rows(protocol: dp.Protocol) -> list[list[str]]:
    header = _export_header(protocol)
    rows = [header]
    for i, (ident, answers) in enumerate(ANSWERS.items()):
        cells = {"institution/institution_id": ident, "_uuid": f"uuid-{i}",
                 "institution/protocol_id": protocol.id,
                 "institution/protocol_version": protocol.version, **answers}
        rows.append([cells.get(column, "") for column in header])
    return rows


@pytest.fixture
def export_csv(tmp_path: Path, bundled: dp.Protocol) -> Path:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(_export_rows(bundled))
    return path


@pytest.fixture
def export_xlsx(tmp_path: Path, bundled: dp.Protocol) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in _export_rows(bundled):
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_of_three_submissions_one_broken(kind: str, export_csv: Path,
                                                   export_xlsx: Path, bundled: dp.Protocol
                                                   ) -> None:
    path = export_csv if kind == "csv" else export_xlsx
    round_ = dp.read_submissions(path, bundled)
    assert [s.profile.institution.id for s in round_ if s.profile] == ["caja-a", "caja-b"]
    (broken,) = round_.failures
    assert broken.source == f"{path}:4"
    header = _export_header(bundled)
    date_col = header.index("institution/assessed_on") + 1
    level_col = header.index("phase_GOV/GOV-01") + 1
    na_col = header.index("phase_GOV/GOV-02") + 1  # the n/a that lacks its justification
    assert [(p.line, p.column, p.code) for p in broken.problems] == [
        (4, date_col, "invalid-date"), (4, level_col, "invalid-level"),
        (4, na_col, "missing-justification")]
    for twin_id, twin in YAML_TWINS.items():
        from_form = next(p for p in round_.profiles if p.institution.id == twin_id)
        written = dp.loads_profile(yaml.safe_dump(twin), bundled)
        assert dp.assess(bundled, from_form).score == dp.assess(bundled, written).score
        assert from_form.actions == written.actions
        assert from_form.roles == written.roles
    states = [p.state.status for p in round_.profiles if p.state]
    assert states == ["validated", "submitted"]


def test_every_problem_of_a_broken_row_is_located(export_csv: Path, bundled: dp.Protocol
                                                  ) -> None:
    (broken,) = dp.read_submissions(export_csv, bundled).failures
    header = _export_header(bundled)
    where = {p.code: (p.line, p.column) for p in broken.problems}
    assert where["invalid-date"] == (4, header.index("institution/assessed_on") + 1)
    assert where["invalid-level"] == (4, header.index("phase_GOV/GOV-01") + 1)
    assert "missing-justification" in where


def test_batch_reads_an_export_directly(export_csv: Path, export_xlsx: Path,
                                        bundled: dp.Protocol) -> None:
    for path in (export_csv, export_xlsx):
        code, out, err = run("batch", str(path), "--format", "json")
        assert code == ExitCode.BAD_INPUT  # one row could not be read
        data = json.loads(out)
        assert sorted(s["source"] for s in data["summaries"]) == [f"{path}:2", f"{path}:3"]
        assert [f["source"] for f in data["failures"]] == [f"{path}:4"]
        assert "1 de 3 perfiles no se pudieron leer" in err
        assert f"{path}:4:" in err
        assert "Traceback" not in err


def test_batch_only_validated_says_how_many_it_left_out(export_csv: Path) -> None:
    code, out, err = run("batch", str(export_csv), "--only-validated", "--format", "json")
    assert code == ExitCode.BAD_INPUT  # the broken row is still reported
    assert [s["institution"]["id"] for s in json.loads(out)["summaries"]] == ["caja-a"]
    assert "1 profile(s) left out (not validated)" in err


def test_cooperate_reads_an_export_directly(export_csv: Path) -> None:
    code, out, err = run("cooperate", str(export_csv), "--format", "json")
    assert code == ExitCode.BAD_INPUT
    assert "caja-a" in out
    assert "caja-b" in out
    assert "caja-c" not in out
    assert "1 de 3 perfiles no se pudieron leer" in err


def test_input_format_overrides_the_guess(export_csv: Path) -> None:
    code, _, err = run("batch", str(export_csv), "--input-format", "csv", "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert "is not a column" in err  # read as a one-row-per-action profile
    code, _, err = run("batch", "-", "--input-format", "wide", "--lang", "en", stdin="x")
    assert code == ExitCode.BAD_INPUT
    assert "standard input" in err


def test_a_long_csv_profile_is_not_taken_for_a_wide_table() -> None:
    code, out, _ = run("batch", "examples/profiles/mutual_inicial.csv")
    assert code == ExitCode.OK
    assert "mutual" in out


# ----------------------------------------------------------------------------- spreadsheets

CLEAN = ("institution_id,institution_name,country,assessed_on,GOV-01,GOV-01_evidence,GOV-02,"
         "GOV-02_justification,PREP-07,PREP-07_last_exercised\n"
         "caja-a,Caja A,MX,2026-10-15,3,acta.pdf,n/a,Sin consejo,4,2026-09-02\n"
         "caja-b,Caja B,CL,2026-10-20,2,,n/a,No aplica por ley,1,\n")
QUIRKY = ("Institucion ID;Nombre;País;Fecha evaluación;gov_01;Gov-01 Evidencia;gov-02 nivel;"
          "GOV-02_justificacion;prep.07;PREP-07 último ejercicio;Comentarios\n"
          "caja-a;Caja A;MX;15/10/2026;3,0;acta.pdf;N/A;Sin consejo;4;02/09/2026;ok\n"
          "caja-b;Caja B;CL;20/10/2026;2;;no aplica;No aplica por ley;1,0;;revisar\n")


def test_a_quirky_spreadsheet_scores_as_its_clean_twin(tmp_path: Path, bundled: dp.Protocol
                                                       ) -> None:
    (tmp_path / "clean.csv").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "quirky.csv").write_text(QUIRKY, encoding="utf-8")
    clean = dp.read_submissions(tmp_path / "clean.csv", bundled)
    with pytest.warns(InputWarning, match="Comentarios.*kept aside"):
        quirky = dp.read_submissions(tmp_path / "quirky.csv", bundled, dates="day-first")
    assert quirky.failures == ()
    assert clean.failures == ()
    assert [p.model_dump() for p in quirky.profiles] == [p.model_dump() for p in clean.profiles]
    assert [s.extra for s in quirky] == [{"Comentarios": "ok"}, {"Comentarios": "revisar"}]
    assert quirky.extra_columns == ("Comentarios",)
    scores = [[dp.assess(bundled, p).score for p in r.profiles] for r in (clean, quirky)]
    assert scores[0] == scores[1]


def test_a_slashed_date_is_never_guessed(tmp_path: Path, bundled: dp.Protocol) -> None:
    path = tmp_path / "q.csv"
    path.write_text(QUIRKY.replace(";Comentarios", "").replace(";ok", "")
                    .replace(";revisar", ""), encoding="utf-8")
    round_ = dp.read_submissions(path, bundled)
    assert round_.profiles == ()
    codes = [(p.line, p.column, p.code) for s in round_ for p in s.problems]
    assert codes == [(2, 4, "ambiguous-date"), (2, 10, "ambiguous-date"),
                     (3, 4, "ambiguous-date")]
    month_first = dp.read_submissions(path, bundled, dates="month-first")
    assert [(p.line, p.column, p.code) for s in month_first for p in s.problems] == [
        (2, 4, "invalid-date"), (3, 4, "invalid-date")]  # 02/09/2026 is 9 February
    assert "15/10/2026" in str(month_first.rows[0].problems[0])


def test_a_broken_spreadsheet_lists_every_problem_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("institution_id,institution_name,country,assessed_on,GOV-01,GOV-02,"
                    "KNOW-01\n"
                    "caja a,Caja A,MX,2026-10-15,7,n/a,3\n"
                    "caja-b,Caja B,CL,2026-02-30,2,1,cinco\n"
                    "caja-c,Caja C,PE,2026-10-01,1,2,3\n", encoding="utf-8")
    code, out, err = run("batch", str(path))
    assert code == ExitCode.BAD_INPUT
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert [line.split(" ")[0] for line in lines] == [
        f"{path}:2:1:", f"{path}:2:5:", f"{path}:2:6:", f"{path}:3:4:", f"{path}:3:7:"]
    assert "2 de 3 perfiles no se pudieron leer" in err
    assert "caja-c" in out


def test_a_header_without_required_columns_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("nombre,GOV-01,gov_01\nCaja,3,3\n", encoding="utf-8")
    with pytest.raises(dp.ProfileError) as caught:
        dp.read_submissions(path)
    shown = str(caught.value)
    assert "h.csv:1:3: column 'gov_01' says what column 2 already says" in shown
    assert "no institution.id column" in shown
    assert "no assessed_on column" in shown


def test_a_spreadsheet_from_a_frame_reads_as_its_file(tmp_path: Path, bundled: dp.Protocol
                                                      ) -> None:
    pandas = pytest.importorskip("pandas")
    (tmp_path / "clean.csv").write_text(CLEAN, encoding="utf-8")
    frame = pandas.read_csv(tmp_path / "clean.csv", dtype=str, keep_default_na=False)
    from_frame = dp.from_frame(frame, bundled)
    from_file = dp.read_submissions(tmp_path / "clean.csv", bundled)
    assert from_frame.profiles == from_file.profiles
    frame.loc[1, "GOV-01"] = "9"
    (broken,) = dp.from_frame(frame, bundled, source="mine").failures
    assert str(broken.problems[0]).startswith("mine:3:5: actions.GOV-01.level: must be 0-4")
    with pytest.raises(TypeError):
        dp.from_frame([["a"]])


def test_an_xlsx_that_is_not_a_workbook_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    code, _out, err = run("batch", str(path), "--lang", "pt")
    assert code == ExitCode.BAD_INPUT
    assert f"{path}: não é uma pasta de trabalho XLSX legível (BadZipFile); salve-a de novo " \
           "como Excel (.xlsx) ou exporte-a como CSV [syntax-error]" in err
    assert "Traceback" not in err


def test_an_xlsx_keeps_its_date_cells(tmp_path: Path, bundled: dp.Protocol) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["institution_id", "institution_name", "country", "assessed_on", "GOV-01"])
    sheet.append(["caja-a", "Caja A", "MX", date(2026, 10, 15), 3])
    book.save(tmp_path / "d.xlsx")
    (profile,) = dp.read_submissions(tmp_path / "d.xlsx", bundled).profiles
    assert profile.assessed_on == date(2026, 10, 15)
    assert profile.actions["GOV-01"].level == 3


# ----------------------------------------------------------------------------- renewal

def test_renew_then_compare_reports_the_actions_still_to_review(tmp_path: Path) -> None:
    old = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"
    new = tmp_path / "caja-2027.yaml"
    code, out, _ = run("renew", str(old), "--as-of", "2027-10-01", "--lang", "en",
                       "-o", str(new))
    assert code == ExitCode.OK
    renewed = yaml.safe_load(new.read_text(encoding="utf-8"))
    assert renewed["assessed_on"] == "2027-10-01"
    assert renewed["state"] == {"status": "draft", "on": "2027-10-01"}
    assert all(a["needs_review"] for a in renewed["actions"].values())
    count = len(renewed["actions"])
    assert f"{count} answers carried from 2026-10-15" in out
    renewed["actions"]["GOV-01"]["needs_review"] = False  # confirmed
    new.write_text(yaml.safe_dump(renewed, allow_unicode=True), encoding="utf-8")
    code, out, _err = run("compare", str(old), str(new), "--lang", "en")
    assert code == ExitCode.OK
    assert f"To review (carried from the last round): {count - 1}: " in out
    assert "Confirmed: 1: GOV-01" in out
    code, out, _ = run("compare", str(old), str(new), "--format", "json")
    data = json.loads(out)
    assert data["confirmed"] == ["GOV-01"]
    assert len(data["to_review"]) == count - 1


def test_renew_migrates_an_older_version_first_and_says_so(tmp_path: Path,
                                                           bundled: dp.Protocol) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("schema_version: 1\nprotocol: {id: sendai_ciss, version: 1.0.0}\n"
                   "institution: {id: x, name: X, country: MX}\nassessed_on: 2025-10-01\n"
                   "actions: {GOV-01: 3}\n", encoding="utf-8")
    renewal = dp.renew(old, as_of=date(2026, 10, 1), protocol=bundled)
    assert renewal.migration is not None
    assert renewal.migration.from_version == "1.0.0"
    assert renewal.profile.protocol is not None
    assert renewal.profile.protocol.version == bundled.version
    code, out, err = run("renew", str(old), "--as-of", "2026-10-01", "--lang", "en")
    assert code == ExitCode.OK
    assert f"answered protocol version 1.0.0: it was migrated to {bundled.version} first" \
        in err
    assert out.startswith("# Renewed from 2025-10-01")


def test_renew_refuses_a_date_that_is_not_later(tmp_path: Path) -> None:
    old = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"
    code, _out, err = run("renew", str(old), "--as-of", "2026-10-15", "-o",
                         str(tmp_path / "x.yaml"), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert "--as-of (2026-10-15) must be later" in err
    assert not (tmp_path / "x.yaml").exists()
    with pytest.raises(ValueError, match="must be later"):
        dp.renew(old, as_of=date(2020, 1, 1))


def test_a_profile_state_is_read_and_checked(bundled: dp.Protocol) -> None:
    head = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
            "assessed_on: 2026-01-31\n")
    profile = dp.loads_profile(head + "state: {status: validated, by: CISS, on: 2026-02-01}\n",
                               bundled)
    assert profile.state == dp.ProfileState(status="validated", by="CISS",
                                            on=date(2026, 2, 1))
    with pytest.raises(dp.ProfileError, match=r"state\.status"):
        dp.loads_profile(head + "state: {status: approved}\n", bundled)


# ----------------------------------------------------------------------------- schema

def test_the_form_schema_speaks_the_language_and_accepts_what_the_loader_does(
        bundled: dp.Protocol) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(json_schema("profile", protocol=bundled, lang="en"))
    level = schema["$defs"]["ActionStatus"]["properties"]["level"]
    assert [c["const"] for c in level["oneOf"]] == [0, 1, 2, 3, 4, "n/a", "unknown"]
    assert level["oneOf"][4]["title"] == "4 — Tested"
    actions = schema["properties"]["actions"]["anyOf"][0]
    assert list(actions["properties"]) == [a.id for a in bundled.actions]
    assert actions["properties"]["GOV-01"]["title"].startswith("GOV-01 · ")
    for path in sorted((ROOT / "examples" / "profiles").glob("*o.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")),
                                     default=str))
        jsonschema.validate(data, schema)
    data["actions"]["GOV-1"] = 3  # the loader refuses an unknown id: so does the schema
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    code, out, _ = run("schema", "profile", "--for-form", "es")
    assert code == ExitCode.OK
    assert "Implementado" in out
    code, _, err = run("schema", "protocol", "--for-form", "es")
    assert code == ExitCode.BAD_INPUT
    assert "profile" in err


def test_no_warning_escapes_a_clean_round(bundled: dp.Protocol) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        round_ = dp.read_submissions(ROOT / "examples" / "field" / "round_2026.csv", bundled)
    assert len(round_.profiles) == 2


def test_rows_keep_their_source_when_scored_at_another_date(export_csv: Path) -> None:
    code, out, _ = run("batch", str(export_csv), "--as-of", "2027-01-01", "--format", "json")
    assert code == ExitCode.BAD_INPUT
    assert sorted(s["source"] for s in json.loads(out)["summaries"]) == [
        f"{export_csv}:2", f"{export_csv}:3"]


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "a" * 3_000_000)
    with pytest.raises(dp.ProfileError, match=r"unpacks to 3,000,000 bytes") as caught:
        dp.read_submissions(path, max_bytes=100_000)
    assert caught.value.problems[0].code == "file-too-large"


def test_control_characters_in_a_row_are_warned_about(tmp_path: Path,
                                                      bundled: dp.Protocol) -> None:
    path = tmp_path / "c.csv"
    path.write_text("institution_id,institution_name,country,assessed_on,GOV-01\n"
                    "caja-a,Caja \x1b[31mA,MX,2026-10-15,3\n", encoding="utf-8")
    with pytest.warns(InputWarning, match="control"):
        (profile,) = dp.read_submissions(path, bundled).profiles
    assert profile.institution.name == "Caja \x1b[31mA"


def test_mutated_exports_are_read_or_refused_never_a_crash(export_csv: Path,
                                                          bundled: dp.Protocol) -> None:
    import random

    raw = export_csv.read_bytes()
    rng = random.Random(24)
    tokens = [b"\x00", b'"', b";", b",", b"\n", b"=cmd|' /C calc'!A0", b"9" * 500,
              b"31/02/2026", b"\xff\xfe", b"N/A", b"\x1b"]
    for _ in range(150):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[at:at + rng.randint(1, 40)] = rng.choice(tokens)
            else:
                data[at] = rng.randrange(256)
        export_csv.write_bytes(bytes(data))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            try:
                round_ = dp.read_submissions(export_csv, bundled)
            except dp.ProfileError as exc:
                refused = exc.problems
                round_ = None
        if round_ is None:
            assert refused
            continue
        for row in round_:
            assert (row.profile is None) == bool(row.problems)


@pytest.mark.parametrize(("written", "level"), [
    ("3", 3), ("3,0", 3), ("3.0", 3), ("3 — Implementado: Aplicado en toda la institución", 3),
    ("N/A", "n/a"), ("NA", "n/a"), ("no aplica", "n/a"), ("No Aplica", "n/a"),
    ("n/a — No aplica a esta institución (justifíquelo)", "n/a"), ("unknown", "unknown"),
    ("Sin evaluar — aún no se sabe", "unknown"), ("Not assessed - not known yet", "unknown"),
])
def test_levels_as_people_write_them(written: str, level: object, tmp_path: Path,
                                     bundled: dp.Protocol) -> None:
    path = tmp_path / "l.csv"
    path.write_text("institution_id,institution_name,country,assessed_on,GOV-01,"
                    f'GOV-01_justification\ncaja-a,Caja A,MX,2026-10-15,"{written}",porque\n',
                    encoding="utf-8")
    (profile,) = dp.read_submissions(path, bundled).profiles
    assert profile.actions["GOV-01"].level == level


@pytest.mark.parametrize("written", ["2,5", "7", "tres", "-1", "3 4"])
def test_a_level_that_is_none_of_them_is_located(written: str, tmp_path: Path,
                                                 bundled: dp.Protocol) -> None:
    path = tmp_path / "l.csv"
    path.write_text("institution_id,institution_name,country,assessed_on,GOV-01\n"
                    f'caja-a,Caja A,MX,2026-10-15,"{written}"\n', encoding="utf-8")
    (row,) = dp.read_submissions(path, bundled)
    assert [str(p) for p in row.problems] == [
        f"{path}:2:5: actions.GOV-01.level: must be 0-4, n/a or unknown (got {written!r}) "
        "[invalid-level]"]


def test_a_row_longer_than_its_header_is_refused_not_shifted(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("institution_id,institution_name,country,assessed_on,GOV-01,GOV-02\n"
                    "caja-a,Caja A,MX,2026-10-15,3,0,2\n"
                    "caja-b,Caja B,MX,2026-10-15,3,2\n", encoding="utf-8")
    round_ = dp.read_submissions(path)
    assert [p.institution.id for p in round_.profiles] == ["caja-b"]
    assert [str(p) for p in round_.rows[0].problems] == [
        f"{path}:2:7: this row has 7 cells but the header names 6 columns; a value holding "
        "the separator (3,0 in a comma-separated file) must be quoted [wrong-type]"]


def test_an_odk_central_export_is_read(tmp_path: Path, bundled: dp.Protocol) -> None:
    path = tmp_path / "central.csv"
    path.write_text("SubmissionDate,institution-institution_id,institution-institution_name,"
                    "institution-country,institution-assessed_on,phase_GOV-GOV-01,"
                    "phase_GOV-GOV-01_evidence,KEY,ReviewState\n"
                    "2026-10-16T10:00:00Z,caja-a,Caja A,MX,2026-10-15,3,acta.pdf,uuid:1,"
                    "approved\n"
                    "2026-10-17T10:00:00Z,caja-b,Caja B,CL,2026-10-14,1,,uuid:2,hasIssues\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the tool's own columns are not "extra"
        round_ = dp.read_submissions(path, bundled)
    assert [(p.institution.id, p.state.status if p.state else None) for p in round_.profiles] \
        == [("caja-a", "validated"), ("caja-b", "submitted")]
    assert round_.profiles[0].actions["GOV-01"].evidence == ("acta.pdf",)


def _titles(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["title"]] if isinstance(node.get("title"), str) else []
        return own + [t for key, value in node.items() if key != "title"
                      for t in _titles(value)]
    if isinstance(node, list):
        return [t for item in node for t in _titles(item)]
    return []


def test_the_form_schema_has_no_english_title_in_spanish(bundled: dp.Protocol) -> None:
    spanish = _titles(json.loads(json_schema("profile", protocol=bundled, lang="es")))
    english = _titles(json.loads(json_schema("profile", protocol=bundled, lang="en")))
    assert len(spanish) == len(english)
    same = [(es, en) for es, en in zip(spanish, english, strict=True) if es == en]
    assert same == [("Roles", "Roles")]  # the one word both languages share
    plain = _titles(json.loads(json_schema("profile")))
    assert "Level" in plain  # the committed schema keeps pydantic's titles


def test_damaged_workbooks_are_refused_never_a_crash(tmp_path: Path) -> None:
    import random

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["institution_id", "institution_name", "country", "assessed_on", "GOV-01"])
    sheet.append(["caja-a", "Caja A", "MX", "2026-10-15", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    raw = buffer.getvalue()
    rng = random.Random(3)
    path = tmp_path / "x.xlsx"
    read, refused = 0, []
    for _ in range(300):  # zlib, EOF, index and XML errors met before: each one a problem
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            try:
                dp.read_submissions(path)
                read += 1
            except dp.ProfileError as exc:
                refused.append(exc.problems[0].file)
    assert len(refused) > 250
    assert set(refused) == {str(path)}
    assert read > 0


def test_a_folder_s_workbooks_are_read_beside_its_profiles(tmp_path: Path,
                                                            export_xlsx: Path) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    export_xlsx.rename(folder / "export.xlsx")
    (folder / "caja.yaml").write_text(
        (ROOT / "examples" / "profiles" / "caja_intermedia.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    code, out, err = run("batch", str(folder), "--format", "json")
    assert code == ExitCode.BAD_INPUT  # the broken row of the export
    ids = sorted(s["institution"]["id"] for s in json.loads(out)["summaries"])
    assert ids == ["caja-a", "caja-b", "caja-ejemplo-b"]
    assert "1 de 4 perfiles no se pudieron leer" in err
