"""The command line: exit codes, output on stdout, errors on stderr, never a traceback."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from disaster_protocol.cli import ExitCode, main

from .conftest import DATA, ROOT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_validate_bundled_prints_counts_and_provenance(bundled: dp.Protocol) -> None:
    code, out, err = run("validate", "--lang", "en")
    assert code == ExitCode.OK
    assert err == ""
    assert f"{len(bundled.actions)} actions" in out
    assert "verified" in out
    assert "derived" in out
    assert "proposed" in out
    assert len(out.splitlines()) == 1


def test_validate_broken_file_exits_2_with_located_lines_on_stderr() -> None:
    path = Path(__file__).parent / "invalid" / "many_problems.yaml"
    code, out, err = run("validate", str(path))
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in err


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", b"a: [unclosed\n", b""])
def test_validate_non_yaml_files_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    code, _, err = run("validate", str(path))
    assert code == ExitCode.BAD_INPUT
    assert err.startswith(f"{path}:")


def test_validate_unreadable_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "missing.yaml"), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert "file not found" in err


def test_debug_reraises_for_developers(tmp_path: Path) -> None:
    with pytest.raises(dp.ProtocolError):
        main(["--debug", "validate", str(tmp_path / "missing.yaml")])


def test_usage_error_exits_2() -> None:
    assert run("no-such-command")[0] == ExitCode.BAD_INPUT
    assert run()[0] == ExitCode.BAD_INPUT


def test_show_filters_by_phase_and_hazard_in_spanish_by_default(bundled: dp.Protocol) -> None:
    code, out, _ = run("show", "--phase", "RESP", "--hazard", "epidemic")
    assert code == ExitCode.OK
    shown = [line.split()[0] for line in out.splitlines() if line[:1].isalpha()]
    expected = [a.id for a in bundled.actions if a.phase == "RESP"
                and ("epidemic" in a.hazards or "all" in a.hazards)]
    assert shown == expected
    assert bundled.action(expected[0]).title.es in out
    assert out.splitlines()[-1] == f"{len(expected)} acciones"


def test_show_role_includes_led_and_supported_actions(bundled: dp.Protocol) -> None:
    _, out, _ = run("show", "--role", "BOARD", "--format", "json", "--lang", "en")
    got = [row["id"] for row in json.loads(out)]
    assert got == [a.id for a in bundled.actions if "BOARD" in (a.lead, *a.support)]


def test_show_priority_covers_secondary_paragraphs(bundled: dp.Protocol) -> None:
    _, out, _ = run("show", "--priority", "P3", "--format", "json")
    got = {row["id"] for row in json.loads(out)}
    assert "PREP-01" in got  # main priority P4, paragraph 30(o) belongs to P3
    assert bundled.action("PREP-01").sendai.priority == "P4"


def test_show_json_uses_the_yaml_keys_and_values() -> None:
    _, out, _ = run("show", "--protocol", str(DATA / "minimal.yaml"), "--format", "json")
    rows = json.loads(out)
    raw = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))["actions"]
    assert [set(r) - {"critical", "weight", "support", "requires", "evidence"} for r in rows] \
        == [set(r) - {"critical", "weight", "support", "requires", "evidence"} for r in raw]
    assert rows[1]["lead"] == raw[1]["lead"]
    assert rows[1]["requires"] == raw[1]["requires"]
    assert dp.model.Action.model_validate(rows[1]) == dp.loads_protocol(
        (DATA / "minimal.yaml").read_text(encoding="utf-8")).actions[1]


@pytest.mark.parametrize(("flag", "value", "suggestion"), [
    ("--phase", "RSP", "RESP"), ("--role", "BORD", "BOARD"), ("--hazard", "flod", "flood"),
    ("--priority", "P9", None)])
def test_show_unknown_filter_exits_2_with_suggestion(flag: str, value: str,
                                                     suggestion: str | None) -> None:
    code, out, err = run("show", flag, value, "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert "unknown" in err
    assert repr(value) in err
    if suggestion:
        assert f"did you mean {suggestion!r}" in err
    assert "¿quiso decir" in run("show", flag, value)[2] or suggestion is None  # default: es


def test_docs_writes_markdown_atomically(tmp_path: Path) -> None:
    target = tmp_path / "protocol.md"
    code, out, _ = run("docs", "-o", str(target))
    assert code == ExitCode.OK
    assert out == ""
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in tmp_path.iterdir()] == ["protocol.md"]


def test_docs_into_missing_directory_exits_2_without_a_file(tmp_path: Path) -> None:
    code, _, err = run("docs", "-o", str(tmp_path / "no" / "such" / "dir.md"))
    assert code == ExitCode.BAD_INPUT
    assert "error" in err
    assert list(tmp_path.iterdir()) == []


def test_console_script_and_module_entry_points_work() -> None:
    result = subprocess.run([sys.executable, "-m", "disaster_protocol", "validate", "--lang",
                             "en"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_broken_pipe_is_not_a_traceback() -> None:
    script = ("import subprocess, sys\n"
              "p = subprocess.Popen([sys.executable, '-m', 'disaster_protocol', 'show'],"
              " stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
              "p.stdout.read(10); p.stdout.close(); err = p.stderr.read(); p.wait()\n"
              "sys.stdout.write(err.decode())\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert "Traceback" not in result.stdout


def test_playbook_json_lists_steps_in_execution_order(bundled: dp.Protocol) -> None:
    code, out, _ = run("playbook", "--hazard", "flood", "--format", "json", "--lang", "en")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert data["hazard"] == "flood"
    steps = data["steps"]
    assert {"action", "phase", "lead", "support", "requires", "title"} <= set(steps[0])
    seen: set[str] = set()
    applicable = {s["action"] for s in steps}
    for step in steps:
        assert all(r in seen for r in step["requires"] if r in applicable)
        seen.add(step["action"])
    assert steps[0]["title"] == bundled.action(steps[0]["action"]).title.en


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_playbook_text_and_markdown_group_steps_by_phase(fmt: str) -> None:
    code, out, _ = run("playbook", "--hazard", "epidemic", "--phase", "RESP", "--format", fmt)
    assert code == ExitCode.OK
    assert "RESP-15" in out
    assert "RESP-03" not in out
    assert "Respuesta y continuidad de los servicios" in out


def test_playbook_unknown_hazard_exits_2_with_suggestion() -> None:
    code, out, err = run("playbook", "--hazard", "eartquake", "--lang", "pt")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert "ameaça desconhecida 'eartquake' (você quis dizer 'earthquake'?)" in err


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot", "mermaid"])
def test_graph_writes_each_format_to_a_file(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"g.{fmt}"
    code, out, _ = run("graph", "--format", fmt, "-o", str(target))
    assert code == ExitCode.OK
    assert out == ""
    assert target.stat().st_size > 1000


EXAMPLES = ROOT / "examples" / "profiles"
CASE_PROTOCOL = Path(__file__).parent / "cases" / "protocol.yaml"


def test_check_prints_score_grade_and_plan() -> None:
    code, out, err = run("check", str(EXAMPLES / "caja_intermedia.yaml"), "--lang", "en")
    assert code == ExitCode.OK
    assert err == ""
    assert "Score: " in out
    assert "Grade: " in out
    assert "Action plan" in out


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "csv"])
def test_check_writes_every_format_atomically(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, _ = run("check", str(EXAMPLES / "mutual_inicial.csv"), "--format", fmt,
                       "-o", str(target))
    assert code == ExitCode.OK
    assert out == ""
    assert target.stat().st_size > 200
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_check_json_is_the_assessment(bundled: dp.Protocol) -> None:
    path = EXAMPLES / "instituto_avanzado.yaml"
    _, out, _ = run("check", str(path), "--format", "json", "--strict")
    expected = dp.assess(bundled, dp.load_profile(path, bundled), strict=True)
    assert out == expected.to_json()


def test_check_thresholds_exit_1_but_still_write_the_report() -> None:
    path = str(EXAMPLES / "caja_intermedia.yaml")
    code, out, err = run("check", path, "--fail-under", "90")
    assert code == ExitCode.THRESHOLD
    assert "Puntaje" in out
    assert "por debajo de --fail-under 90" in err
    assert run("check", path, "--fail-under", "1")[0] == ExitCode.OK
    code, _, err = run("check", path, "--fail-on-blocking")
    assert code == ExitCode.THRESHOLD
    assert "brechas que bloquean" in err


def test_evidence_needed_fails_coverage_not_blocking_and_reads_as_not_assessed() -> None:
    # tests/cases/group_not_assessed_is_null: half the weight assessed, A3 critical unknown
    path = str(CASE_PROTOCOL.parent / "group_not_assessed_is_null" / "profile.yaml")
    case = ("--protocol", str(CASE_PROTOCOL))
    code, out, err = run("check", path, *case, "--fail-on-blocking", "--lang", "en")
    assert (code, err) == (ExitCode.OK, "")  # no documented gap
    assert "Grade: C (provisional)" in out
    assert "Evidence needed (critical actions not assessed) (1): A3" in out
    assert "RESP not assessed" in out
    assert "level 0" not in out
    code, _, err = run("check", path, *case, "--fail-under-coverage", "60")
    assert code == ExitCode.THRESHOLD
    assert "cobertura 50% por debajo de --fail-under-coverage 60" in err
    assert run("check", path, *case, "--fail-under-coverage", "50")[0] == ExitCode.OK
    _, out, _ = run("check", path, *case, "--format", "json")
    data = json.loads(out)
    assert data["by_phase"] == {"PREP": 66.7, "RESP": None}
    assert data["groups"]["by_phase"]["RESP"] == {"score": None, "coverage": 0.0,
                                                  "score_range": None}
    assert (data["blocking"], data["evidence_needed"]) == ([], ["A3"])
    # a lower threshold: the grade stays provisional while A3, critical, is unknown
    _, out, _ = run("check", path, *case, "--format", "json", "--min-coverage", "40")
    assert json.loads(out)["provisional"] is True


def test_batch_fails_under_coverage_per_institution(tmp_path: Path) -> None:
    for name in ("group_not_assessed_is_null", "all_implemented"):
        (tmp_path / f"{name}.yaml").write_text(
            (CASE_PROTOCOL.parent / name / "profile.yaml").read_text(encoding="utf-8")
            .replace("id: case", f"id: {name}"), encoding="utf-8")
    code, out, err = run("batch", str(tmp_path), "--protocol", str(CASE_PROTOCOL),
                         "--fail-under-coverage", "80")
    assert code == ExitCode.THRESHOLD
    assert "group_not_assessed_is_null" in err
    assert "all_implemented" not in err
    rows = {r["institution"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["group_not_assessed_is_null"]["coverage"], rows["all_implemented"]["coverage"]
            ) == ("0.5", "1")


def test_check_as_of_changes_freshness() -> None:
    path = str(CASE_PROTOCOL.parent / "all_tested_recently" / "profile.yaml")
    _, out, _ = run("check", path, "--protocol", str(CASE_PROTOCOL), "--format", "json")
    _, later, _ = run("check", path, "--protocol", str(CASE_PROTOCOL), "--format", "json",
                      "--as-of", "2029-01-01")
    assert json.loads(out)["score"] == 100.0
    assert json.loads(later)["score"] == 75.0


@pytest.mark.parametrize("argv", [
    ["--as-of", "yesterday"], ["--fail-under", "120"], ["--fail-under", "x"],
    ["--format", "pdf"]])
def test_check_bad_options_exit_2(argv: list[str]) -> None:
    assert run("check", str(EXAMPLES / "caja_intermedia.yaml"), *argv)[0] == \
        ExitCode.BAD_INPUT


def test_check_broken_profile_exits_2_with_located_message(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
                    "assessed_on: 2026-01-01\nactions: {GOV-01: 9}\n", encoding="utf-8")
    code, out, err = run("check", str(path), "-o", str(tmp_path / "out.html"))
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert err == f"{path}:4:19: actions.GOV-01.level: debe ser 0-4, n/a o unknown (se obtuvo 9) " \
                  "[invalid-level]\n"
    assert not (tmp_path / "out.html").exists()


def test_check_csv_with_options_instead_of_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("action_id,level,evidence,last_exercised,justification,note\n"
                    "GOV-01,3,acta.pdf,,,\n", encoding="utf-8")
    code, out, err = run("check", str(path), "--institution-id", "x", "--institution-name",
                         "X", "--country", "MX", "--assessed-on", "2026-02-01",
                         "--format", "json")
    assert code == ExitCode.OK, err
    assert json.loads(out)["institution"] == {"id": "x", "name": "X", "country": "MX",
                                              "subregion": None, "type": None,
                                              "language": None}
    assert run("check", str(path), "--institution-id", "x")[0] == ExitCode.BAD_INPUT


def test_plan_top_limits_rows(bundled: dp.Protocol) -> None:
    code, out, _ = run("plan", str(EXAMPLES / "caja_intermedia.yaml"), "--top", "3")
    assert code == ExitCode.OK
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("#")
    result = dp.assess(bundled, dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled))
    assert [line.split()[1] for line in lines[1:]] == [s.action for s in result.plan[:3]]


def test_template_csv_writes_sidecar_and_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "nuevo.csv"
    assert run("template", "--format", "csv", "-o", str(target))[0] == ExitCode.OK
    sidecar = tmp_path / "nuevo.meta.yaml"
    assert sidecar.is_file()
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(
        "assessed_on:  # YYYY-MM-DD", "assessed_on: 2026-03-01"), encoding="utf-8")
    code, out, err = run("check", str(target), "--format", "json")
    assert code == ExitCode.OK, err
    assert json.loads(out)["score"] == 0.0


def test_template_yaml_lists_every_action_with_its_title(bundled: dp.Protocol) -> None:
    _, out, _ = run("template", "--lang", "en")
    for action in bundled.actions:
        assert f"  {action.id}: unknown  # {action.title.en}" in out


def test_a_blank_template_half_filled_scores_only_what_was_filled(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    # the blank says "unknown", not 0: what the user has not filled is not assessed as none
    _, out, _ = run("template", "--lang", "en")
    first = bundled.actions[0].id
    text = (out.replace("id: change-me", "id: x").replace("country: XX", "country: MX")
            .replace("assessed_on:  #", "assessed_on: 2026-06-30  #")
            .replace(f"  {first}: unknown", f"  {first}: 3"))
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = dp.assess(bundled, dp.load_profile(path, bundled))
    assert [r.action for r in result.actions if r.status == "assessed"] == [first]
    assert result.blocking == ()
    assert result.provisional


@pytest.mark.parametrize("kind", ["profile", "protocol", "assessment"])
def test_schema_prints_json_schema(kind: str) -> None:
    code, out, _ = run("schema", kind)
    assert code == ExitCode.OK
    assert json.loads(out)["$schema"].startswith("https://json-schema.org/")


def test_invalid_institution_option_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("action_id,level,evidence,last_exercised,justification,note\n",
                    encoding="utf-8")
    code, _, err = run("check", str(path), "--institution-id", "bad id", "--institution-name",
                       "X", "--country", "MX", "--assessed-on", "2026-01-01")
    assert code == ExitCode.BAD_INPUT
    assert "invalid institution option (id:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("top", ["0", "-2", "x"])
def test_plan_top_must_be_positive(top: str) -> None:
    assert run("plan", str(EXAMPLES / "caja_intermedia.yaml"), "--top", top)[0] == \
        ExitCode.BAD_INPUT


@pytest.mark.parametrize("argv", [["--debug", "validate"], ["validate", "--debug"]])
def test_debug_is_accepted_before_or_after_the_command(argv: list[str], tmp_path: Path) -> None:
    with pytest.raises(dp.ProtocolError):
        main([*argv, str(tmp_path / "missing.yaml")])


def test_without_debug_the_error_is_a_line_not_a_traceback(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "missing.yaml"), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert err == f"{tmp_path / 'missing.yaml'}: file not found; check the path " \
                  "[unreadable-file]\n"


def test_output_into_a_directory_names_the_directory(tmp_path: Path) -> None:
    code, out, err = run("docs", "-o", str(tmp_path))
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert err == f"disaster-protocol docs: error: {tmp_path}: is a directory; give a file " \
                  "name\n"
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_directory_names_the_file_given(tmp_path: Path) -> None:
    target = tmp_path / "no" / "report.md"
    code, _, err = run("docs", "-o", str(target))
    assert code == ExitCode.BAD_INPUT
    assert err == f"disaster-protocol docs: error: {target}: No such file or directory\n"


@pytest.mark.parametrize("flag", ["--as-of", "--assessed-on"])
@pytest.mark.parametrize("day", ["0001-06-01", "3000-01-01"])
def test_out_of_range_date_options_exit_2_with_a_message(flag: str, day: str) -> None:
    code, out, err = run("check", str(EXAMPLES / "caja_intermedia.yaml"), flag, day)
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert f"{day} is out of range; give a date from 1900-01-01 to 2999-12-31" in err
    assert "Traceback" not in err


def test_out_of_range_profile_date_exits_2_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
                    "assessed_on: 0002-01-01\n", encoding="utf-8")
    code, out, err = run("check", str(path))
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert err == f"{path}:3:14: assessed_on: must be a date from 1900-01-01 to 2999-12-31 " \
                  "(got 0002-01-01) [invalid-date]\n"


def test_every_command_declares_the_common_options_alike() -> None:
    from disaster_protocol.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        options = {a.dest: a for a in command._actions}
        assert options["debug"].option_strings == ["--debug"], name
        if "protocol" in options:
            assert options["protocol"].metavar == "PATH", name
        if "lang" in options:
            assert options["lang"].choices == ("es", "en", "fr", "pt"), name
            assert options["lang"].default == "es", name
        if "output" in options:
            assert options["output"].option_strings == ["-o", "--output"], name
        if "format" in options:
            assert options["format"].default == options["format"].choices[0], name


def test_usage_errors_go_to_the_stream_given() -> None:
    code, out, err = run("check")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert "the following arguments are required: PROFILE" in err


def test_template_csv_writes_neither_file_when_the_sidecar_cannot_be(tmp_path: Path) -> None:
    (tmp_path / "x.meta.yaml").mkdir()
    code, _, err = run("template", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert code == ExitCode.BAD_INPUT
    assert "x.meta.yaml: is a directory" in err
    assert not (tmp_path / "x.csv").exists()


def test_a_csv_sidecar_that_is_a_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("action_id,level,evidence,last_exercised,justification,"
                                    "note\nGOV-01,1,,,,\n", encoding="utf-8")
    (tmp_path / "p.meta.yaml").mkdir()
    code, _, err = run("check", str(tmp_path / "p.csv"), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert err == f"{tmp_path / 'p.meta.yaml'}: is a directory, not a file [unreadable-file]\n"


def test_an_unexpected_error_has_its_own_exit_code_and_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from disaster_protocol.cli import explore

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(explore, "protocol_summary", broken)
    code, out, err = run("validate")
    assert code == ExitCode.INTERNAL
    assert int(code) == 3
    assert out == ""
    assert err.startswith("disaster-protocol validate: internal error (RuntimeError: boom); "
                          "this is a bug")
    assert len(err.splitlines()) == 1
    with pytest.raises(RuntimeError, match="boom"):
        main(["validate", "--debug"])


def test_a_replaced_report_keeps_its_permissions(tmp_path: Path) -> None:
    import stat

    target = tmp_path / "protocol.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run("docs", "-o", str(target))[0] == ExitCode.OK
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_template_csv_does_not_replace_a_sidecar_without_force(tmp_path: Path) -> None:
    sidecar = tmp_path / "mine.meta.yaml"
    sidecar.write_text("institution: mine\n", encoding="utf-8")
    code, _, err = run("template", "--format", "csv", "-o", str(tmp_path / "mine.csv"))
    assert code == ExitCode.BAD_INPUT
    assert "pass --force to replace it" in err
    assert sidecar.read_text(encoding="utf-8") == "institution: mine\n"
    assert not (tmp_path / "mine.csv").exists()
    assert run("template", "--format", "csv", "-o", str(tmp_path / "mine.csv"),
               "--force")[0] == ExitCode.OK
    assert sidecar.read_text(encoding="utf-8").startswith("schema_version: 1")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_check_reads_a_profile_from_stdin(fmt: str, bundled: dp.Protocol) -> None:
    path = EXAMPLES / "caja_intermedia.yaml"
    profile = dp.load_profile(path, bundled)
    text = (path.read_text(encoding="utf-8") if fmt == "yaml"
            else json.dumps(profile.model_dump(mode="json")))
    out = io.StringIO()
    code = main(["check", "-", "--input-format", fmt, "--format", "json"], stdout=out,
                stderr=io.StringIO(), stdin=io.StringIO(text))
    assert code == ExitCode.OK
    assert out.getvalue() == dp.assess(bundled, profile).to_json()


def test_a_broken_profile_on_stdin_is_located_as_stdin() -> None:
    err = io.StringIO()
    code = main(["check", "-"], stdout=io.StringIO(), stderr=err,
                stdin=io.StringIO("schema_version: 1\nactions: {GOV-01: 9}\n"))
    assert code == ExitCode.BAD_INPUT
    assert err.getvalue().startswith("<stdin>:2:19: actions.GOV-01.level: debe ser 0-4")


def test_batch_scores_a_profile_from_stdin_beside_the_files(bundled: dp.Protocol) -> None:
    piped = (EXAMPLES / "caja_intermedia.yaml").read_text(encoding="utf-8").replace(
        "caja-ejemplo-b", "caja-piped")
    out = io.StringIO()
    code = main(["batch", str(EXAMPLES / "instituto_avanzado.yaml"), "-", "--format", "json"],
                stdout=out, stderr=io.StringIO(), stdin=io.StringIO(piped))
    assert code == ExitCode.OK
    rows = json.loads(out.getvalue())["summaries"]
    assert [r["institution"]["id"] for r in rows][-1] == "caja-piped"
    expected = dp.assess(bundled, dp.loads_profile(piped, bundled))
    assert rows[-1]["score"] == expected.score


def test_batch_reports_a_broken_profile_on_stdin_and_scores_the_rest() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["batch", str(EXAMPLES), "-", "--format", "json"], stdout=out, stderr=err,
                stdin=io.StringIO("schema_version: 1\nactions: {GOV-01: 9}\n"))
    assert code == ExitCode.BAD_INPUT
    assert len(json.loads(out.getvalue())["summaries"]) == 3
    assert "<stdin>:2:19: actions.GOV-01.level: debe ser 0-4" in err.getvalue()
    assert "1 de 4 perfiles no se pudieron leer" in err.getvalue()


def test_batch_refuses_stdin_given_twice() -> None:
    code, _, err = run("batch", "-", "-")
    assert code == ExitCode.BAD_INPUT
    assert "standard input (-) can be given once" in err


def test_check_prints_input_warnings_and_escapes_the_text_it_shows(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("schema_version: 1\ninstitution: {id: x, name: \"Caja \\e[31mRoja\", "
                    "country: MX}\nassessed_on: 2026-01-01\nactions: {GOV-01: 3}\n",
                    encoding="utf-8")
    code, out, err = run("check", str(path))
    assert code == ExitCode.OK
    assert err == (f"warning: {path}:2:28: institution.name: holds the control character "
                   "\\x1b; reports show it escaped: remove it [control-character]\n")
    assert "Caja \\x1b[31mRoja" in out
    assert "\x1b" not in out + err


def test_cooperate_writes_the_plan_of_the_profiles_given(bundled: dp.Protocol) -> None:
    code, out, err = run("cooperate", str(EXAMPLES), "--format", "json")
    assert (code, err) == (ExitCode.OK, "")
    portfolio = dp.assess_many(bundled, [EXAMPLES], keep_assessments=True)
    assert out == dp.cooperation.match(portfolio).to_json()
    code, out, _ = run("cooperate", str(EXAMPLES), "--capacity", "0", "--min-offer-level",
                       "3", "--lang", "en")
    assert code == ExitCode.OK
    assert "Bilateral exchanges of round 1 (0)" in out
    assert "Offers from level 3;" in out
    assert "and 0 exchanges per host" in out
    code, out, _ = run("cooperate", str(EXAMPLES), "--workshops", "0", "--bilateral", "1",
                       "--rounds", "2", "--format", "json")
    plan = json.loads(out)
    assert (code, plan["settings"]["bilateral"], plan["settings"]["rounds"]) == (
        ExitCode.OK, 1, 2)
    assert [r["bilateral"] for r in plan["roadmap"]] == [1, 1]
    assert plan["workshops"] == []


def test_cooperate_refuses_a_workshop_smaller_than_its_minimum_group() -> None:
    code, _, err = run("cooperate", str(EXAMPLES), "--participants", "2", "--min-group", "3")
    assert code == ExitCode.BAD_INPUT
    assert "--participants (2) must be at least --min-group (3)" in err


def test_cooperate_reports_a_broken_profile_and_plans_with_the_others(tmp_path: Path) -> None:
    for name in ("caja_intermedia.yaml", "instituto_avanzado.yaml"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("schema_version: 1\nactions: {GOV-01: 9}\n",
                                          encoding="utf-8")
    target = tmp_path / "plan.md"
    code, _, err = run("cooperate", str(tmp_path), "--format", "md", "-o", str(target))
    assert code == ExitCode.BAD_INPUT
    assert "broken.yaml:2:19: actions.GOV-01.level: debe ser 0-4" in err
    assert "1 de 3 perfiles no se pudieron leer" in err
    assert "2 instituciones" in target.read_text(encoding="utf-8")


def test_cooperate_refuses_a_capacity_that_is_not_a_whole_number() -> None:
    code, _, err = run("cooperate", str(EXAMPLES), "--capacity", "-2")
    assert code == ExitCode.BAD_INPUT
    assert "is not a whole number of 0 or more" in err


def test_cooperate_refuses_a_workshop_of_one() -> None:
    code, _, err = run("cooperate", str(EXAMPLES), "--min-group", "1")
    assert code == ExitCode.BAD_INPUT
    assert "is not a whole number of at least 2" in err


REGION = ROOT / "examples" / "region"


def test_evaluate_plans_the_earlier_round_and_measures_the_later_one(
        bundled: dp.Protocol) -> None:
    code, out, err = run("evaluate", str(REGION / "2026"), str(REGION / "2027"), "--format",
                         "json", "--capacity", "2")
    assert (code, err) == (ExitCode.OK, "")
    first = dp.assess_many(bundled, [REGION / "2026"], keep_assessments=True)
    later = dp.assess_many(bundled, [REGION / "2027"], keep_assessments=True)
    plan = dp.cooperation.match(first, capacity=2)
    assert out == dp.cooperation.evaluate(plan, first, later).to_json()
    code, out, _ = run("evaluate", str(REGION / "2026"), str(REGION / "2027"), "--lang", "en")
    assert code == ExitCode.OK
    assert "Gaps measured in both rounds:" in out
    assert "By recipient" in out


def test_evaluate_reports_a_broken_profile_of_either_round_and_refuses_stdin(
        tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for folder in (before, after):
        folder.mkdir()
        for name in ("caja_intermedia.yaml", "instituto_avanzado.yaml"):
            (folder / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"),
                                       encoding="utf-8")
    (after / "broken.yaml").write_text("schema_version: 1\nactions: {GOV-01: 9}\n",
                                       encoding="utf-8")
    target = tmp_path / "evaluation.csv"
    code, _, err = run("evaluate", str(before), str(after), "--format", "csv", "-o",
                       str(target))
    assert code == ExitCode.BAD_INPUT
    assert "broken.yaml:2:19: actions.GOV-01.level: debe ser 0-4" in err
    assert "1 de 3 perfiles no se pudieron leer" in err
    assert target.read_text(encoding="utf-8").startswith("recipient,action,provider,")
    code, out, err = run("evaluate", "-", str(after))
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert "standard input (-) cannot be one" in err


_HEAVY = ("pandas", "matplotlib", "networkx")


def _modules_after(script: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after ``script``."""
    done = subprocess.run(
        [sys.executable, "-c", f"{script}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, cwd=ROOT)
    return set(done.stdout.split())


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """Start-up is most of a one-profile check: the command line imports the graph library
    (and never pandas or matplotlib) only for a command that needs it (issue 28)."""
    loaded = _modules_after("import disaster_protocol.cli")
    assert not loaded & set(_HEAVY)
    checked = _modules_after(
        "from disaster_protocol.cli import main\n"
        "assert main(['check', 'examples/profiles/caja_intermedia.yaml', '-o', '/dev/null']) "
        "in (0, 1)")
    assert not checked & set(_HEAVY)
    graphed = _modules_after(
        "from disaster_protocol.cli import main\n"
        "assert main(['graph', '--format', 'dot', '-o', '/dev/null']) == 0")
    assert "networkx" in graphed  # the graph is built only where it is asked for
    assert not graphed & {"pandas", "matplotlib"}


def test_the_version_is_read_when_asked_for() -> None:
    out = io.StringIO()
    assert main(["--version"], stdout=out) == ExitCode.OK
    assert out.getvalue() == f"disaster-protocol {dp.__version__}\n"
