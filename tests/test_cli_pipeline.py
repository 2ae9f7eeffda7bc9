"""What an audit pipeline relies on (issue 25): no pass with nothing checked, JUnit XML,
--quiet, the line after -o, plan --format, csv on stdin, and the config file."""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from disaster_protocol.cli import ExitCode, main

from .conftest import ROOT

REGION = ROOT / "examples" / "region"
PROFILE = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"
CSV_PROFILE = ROOT / "examples" / "profiles" / "mutual_inicial.csv"


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """Run in an empty folder (no config file applies), then come back."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_a_folder_of_folders_is_an_error_with_the_hint() -> None:
    code, out, err = run("batch", str(REGION), "--fail-under", "90", "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert err == (f"disaster-protocol batch: error: {REGION}: no profile file (.yaml, .yml, "
                   ".json, .csv) in this folder; its sub-folders 2026, 2027 hold some: pass "
                   "--recursive to search them\n")
    for lang, said in (("es", "sus subcarpetas 2026, 2027 tienen: use --recursive"),
                       ("pt", "suas subpastas 2026, 2027 têm alguns: use --recursive"),
                       ("fr", "ses sous-dossiers 2026, 2027 en contiennent : ajoutez "
                              "--recursive")):
        code, _, err = run("batch", str(REGION), "--lang", lang)
        assert code == ExitCode.BAD_INPUT
        assert said in err


def test_recursive_scores_them_and_the_threshold_fails() -> None:
    code, out, err = run("batch", str(REGION), "--recursive", "--fail-under", "90",
                         "--lang", "en")
    assert code == ExitCode.THRESHOLD
    assert len(out.splitlines()) == 41  # header and 20 institutions in each of two years
    assert "failed a threshold" in err


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("batch", str(tmp_path), "--recursive", "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert "in this folder or under it" in err


def test_batch_junit_names_each_blocking_gap(tmp_path: Path) -> None:
    target = tmp_path / "region.xml"
    code, out, err = run("batch", str(REGION / "2026"), "--format", "junit", "-o", str(target),
                         "--fail-on-blocking", "--lang", "en")
    assert code == ExitCode.THRESHOLD
    assert out == ""
    root = ET.parse(target).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 20
    batch = run("batch", str(REGION / "2026"), "--format", "json")[1]
    rows = {r["institution"]["id"]: r for r in json.loads(batch)["summaries"]}
    for suite in suites:
        ident = suite.get("name", "").split()[0]
        failed = [c.get("name", "").split()[0] for c in suite.findall("testcase")
                  if c.get("classname") == f"{ident}.critical" and c.find("failure") is not None]
        assert failed == list(rows[ident]["blocking"])  # each blocking gap, by name
        skipped = [c.get("name", "").split()[0] for c in suite.findall("testcase")
                   if c.find("skipped") is not None]
        assert skipped == list(rows[ident]["evidence_needed"])
        threshold = [c for c in suite.findall("testcase")
                     if c.get("classname") == f"{ident}.threshold"]
        assert len(threshold) == 1
        assert (threshold[0].find("failure") is not None) == bool(rows[ident]["blocking"])
    cases = len(list(root.iter("testcase")))
    assert err.splitlines()[0] == f"wrote {cases} test cases to {target}"


def test_check_junit_and_by_refuses_it() -> None:
    code, out, _ = run("check", str(PROFILE), "--format", "junit", "--fail-under", "90")
    assert code == ExitCode.THRESHOLD
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == str(len(out.split("<failure ")) - 1)
    code, _, err = run("batch", str(REGION / "2026"), "--format", "junit", "--by", "country",
                       "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert "leave out --by" in err


def test_summary_line_after_o_and_quiet(tmp_path: Path) -> None:
    target = tmp_path / "region.csv"
    code, _, err = run("batch", str(REGION / "2026"), "-o", str(target), "--lang", "en")
    assert code == ExitCode.OK
    assert err == f"wrote 20 rows to {target}\n"
    code, _, err = run("batch", str(REGION / "2026"), "-o", str(target))
    assert err == f"20 filas escritas en {target}\n"
    code, _, err = run("batch", str(REGION / "2026"), "-o", str(target), "--quiet")
    assert (code, err) == (ExitCode.OK, "")
    code, _, err = run("check", str(PROFILE), "-o", str(tmp_path / "r.html"), "--format",
                       "html", "--lang", "en")
    assert err == f"wrote {tmp_path / 'r.html'}\n"
    code, _, err = run("check", str(PROFILE), "--fail-under", "90", "-q", "-o",
                       str(tmp_path / "r.txt"), "--lang", "en")
    assert code == ExitCode.THRESHOLD  # --quiet never hides a failed threshold
    assert "below --fail-under 90" in err


def test_plan_formats_and_output(tmp_path: Path) -> None:
    code, text, _ = run("plan", str(PROFILE), "--top", "2")
    assert code == ExitCode.OK
    code, data, _ = run("plan", str(PROFILE), "--top", "2", "--format", "json")
    steps = json.loads(data)["steps"]
    assert [s["rank"] for s in steps] == [1, 2]
    assert [s["action"] for s in steps] == [line.split()[1] for line in text.splitlines()[1:]]
    target = tmp_path / "plan.csv"
    code, out, err = run("plan", str(PROFILE), "--format", "csv", "-o", str(target), "--top",
                         "3")
    assert (code, out) == (ExitCode.OK, "")
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4
    assert err == f"3 filas escritas en {target}\n"
    assert run("plan", str(PROFILE), "--format", "md")[1].startswith("| # |")


def test_batch_reads_a_csv_profile_on_stdin() -> None:
    csv_text = CSV_PROFILE.read_text(encoding="utf-8")
    code, out, _ = run("batch", "-", "--input-format", "csv", "--institution-id", "x",
                       "--institution-name", "X", "--country", "PE", "--assessed-on",
                       "2026-01-01", stdin=csv_text)
    assert code == ExitCode.OK
    assert out.splitlines()[1].startswith("x,X,PE,2026-01-01,")
    check = run("check", "-", "--input-format", "csv", "--institution-id", "x",
                "--institution-name", "X", "--country", "PE", "--assessed-on", "2026-01-01",
                "--format", "csv", stdin=csv_text)
    assert check[0] == ExitCode.OK
    code, _, err = run("batch", "-", "--input-format", "csv", "--lang", "en", stdin=csv_text)
    assert code == ExitCode.BAD_INPUT  # no institution: reported like a broken file
    assert "institution is missing" in err
    code, _, err = run("batch", "-", "--input-format", "wide", "--lang", "en", stdin=csv_text)
    assert code == ExitCode.BAD_INPUT
    assert "read a wide table from a file" in err


def test_config_file_sets_thresholds_and_language(elsewhere: Path) -> None:
    (elsewhere / "disaster-protocol.toml").write_text(
        'lang = "en"\nfail-under = 90\n', encoding="utf-8")
    code, out, err = run("check", str(PROFILE))
    assert code == ExitCode.THRESHOLD
    assert "Score: 44.0/100" in out
    assert "below --fail-under 90" in err
    code, out, _ = run("check", str(PROFILE), "--fail-under", "40", "--lang", "es")
    assert code == ExitCode.OK  # the command line wins
    assert "Puntaje: 44.0/100" in out


def test_pyproject_table_from_a_sub_folder(elsewhere: Path) -> None:
    (elsewhere / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.disaster-protocol]\nfail-on-blocking = true\n',
        encoding="utf-8")
    (elsewhere / "sub").mkdir()
    os.chdir(elsewhere / "sub")
    code, _, err = run("check", str(PROFILE), "--lang", "en")
    assert code == ExitCode.THRESHOLD
    assert "22 blocking gaps" in err


def test_a_pyproject_without_the_table_is_not_a_config(elsewhere: Path) -> None:
    (elsewhere / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert run("check", str(PROFILE))[0] == ExitCode.OK


@pytest.mark.parametrize(("text", "expected"), [
    ('lang = "en"\nfail-under = 190\n',
     "disaster-protocol.toml:2:1: fail-under: must be a score between 0 and 100 (got 190) "
     "[invalid-value]"),
    ('lang = "de"\n',
     "disaster-protocol.toml:1:1: lang: must be one of es, en, fr, pt (got 'de') [invalid-value]"),
    ('\n  fail-undr = 90\n',
     "disaster-protocol.toml:2:3: fail-undr: unknown setting; choose one of: lang, "
     "fail-under, fail-on-blocking, fail-under-coverage, min-coverage, strict, "
     "suppress-under [unknown-key]"),
    ('fail-under = \n',
     "disaster-protocol.toml:1:14: Invalid value; fix the TOML syntax [syntax-error]"),
    ('strict = "yes"\n',
     "disaster-protocol.toml:1:1: strict: must be true or false (got 'yes') [invalid-value]"),
])
def test_a_bad_config_file_is_a_located_error(elsewhere: Path, text: str,
                                              expected: str) -> None:
    (elsewhere / "disaster-protocol.toml").write_text(text, encoding="utf-8")
    code, out, err = run("check", str(PROFILE), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert err == f"{elsewhere / expected}\n"


def test_a_bad_pyproject_names_the_table(elsewhere: Path) -> None:
    (elsewhere / "pyproject.toml").write_text(
        "[tool.disaster-protocol]\nsuppress-under = 0\n", encoding="utf-8")
    code, _, err = run("batch", str(REGION / "2026"), "--lang", "en")
    assert code == ExitCode.BAD_INPUT
    assert err == (f"{elsewhere / 'pyproject.toml'}:2:1: tool.disaster-protocol.suppress-under:"
                   " must be a whole number of at least 1 (got 0) [invalid-value]\n")


@pytest.mark.parametrize(("args", "expected"), [
    ((), "strict: debe ser true o false (se obtuvo 'yes') [invalid-value]\n"
         "{f}:3:1: colour: ajuste desconocido; elija uno de: lang, fail-under, "
         "fail-on-blocking, fail-under-coverage, min-coverage, strict, suppress-under "
         "[unknown-key]"),
    (("--lang", "pt"), "strict: deve ser true ou false (veio 'yes') [invalid-value]\n"
     "{f}:3:1: colour: configuração desconhecida; escolha uma de: lang, "
     "fail-under, fail-on-blocking, fail-under-coverage, min-coverage, strict, suppress-under "
     "[unknown-key]"),
    (("--lang=fr",), "strict: doit être true ou false (reçu 'yes') [invalid-value]\n"
     "{f}:3:1: colour: paramètre inconnu ; choisissez l'un de : lang, "
     "fail-under, fail-on-blocking, fail-under-coverage, min-coverage, strict, suppress-under "
     "[unknown-key]"),
])
def test_a_bad_config_file_is_said_in_the_command_line_language(
        elsewhere: Path, args: tuple[str, ...], expected: str) -> None:
    (elsewhere / "disaster-protocol.toml").write_text(
        'lang = "en"\nstrict = "yes"\ncolour = 1\n', encoding="utf-8")
    code, out, err = run("check", str(PROFILE), *args)
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    # the file's own lang = "en" is not trusted while the file is refused
    where = elsewhere / "disaster-protocol.toml"
    assert err == f"{where}:2:1: {expected.format(f=where)}\n"


@pytest.mark.parametrize(("lang", "expected"), [
    ("es", "no es texto UTF-8 válido; guarde el archivo como UTF-8"),
    ("pt", "não é texto UTF-8 válido"),
    ("fr", "n'est pas du texte UTF-8 valide"),
])
def test_a_config_file_that_is_not_text_is_refused_in_the_language(
        elsewhere: Path, lang: str, expected: str) -> None:
    (elsewhere / "disaster-protocol.toml").write_bytes(b"lang = \"\xff\"\n")
    code, _, err = run("batch", str(REGION / "2026"), "--lang", lang)
    assert code == ExitCode.BAD_INPUT
    assert expected in err
    assert "[not-text]" in err


def test_batch_junit_lists_an_unreadable_file_as_an_error(tmp_path: Path) -> None:
    good = (REGION / "2026" / "bo-caja.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("schema_version: 1\nactions: {GOV-01: 9}\n",
                                     encoding="utf-8")
    code, out, err = run("batch", str(tmp_path), "--format", "junit", "--lang", "en")
    assert code == ExitCode.BAD_INPUT  # after the report is written
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert [s.get("name", "").split()[0] for s in suites] == ["bo-caja", "unreadable"]
    assert root.get("errors") == "1"
    error = suites[1].find("testcase/error")
    assert error is not None
    assert error.get("message") == (f"{tmp_path / 'b.yaml'}:2:19: actions.GOV-01.level: must "
                                    "be 0-4, n/a or unknown (got 9) [invalid-level]")
    assert "could not be read" in err


def test_batch_pages_sort_as_asked() -> None:
    def ids(*extra: str) -> list[str]:
        out = run("batch", str(REGION / "2026"), "--format", "md", *extra)[1]
        return re.findall(r"^\| [^|]*\(`([\w-]+)`\)", out, flags=re.M)[:3]

    assert ids("--sort", "id") == ["ar-anses", "bb-nis", "bo-caja"]
    assert ids() == ["mx-imss", "cl-mutual", "pe-salud"]  # 88.3, 87.3, 82.9 (batch CSV)
    code, _, err = run("batch", str(REGION / "2026"), "--sort", "colour")
    assert code == ExitCode.BAD_INPUT
    assert "invalid choice: 'colour'" in err
