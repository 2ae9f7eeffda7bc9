"""Many institutions: assess_many, the Portfolio value and its renderers, the batch command."""

from __future__ import annotations

import csv
import io
import json
import pickle
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.cli import ExitCode, main
from disaster_protocol.portfolio import Failure, Summary, profile_files

from .conftest import ROOT

EXAMPLES = ROOT / "examples" / "profiles"
N = 50


def write_region(folder: Path, n: int = N) -> list[Path]:
    """``n`` profiles: the YAML examples with their own ids, levels lowered one by one."""
    sources = [EXAMPLES / "caja_intermedia.yaml", EXAMPLES / "instituto_avanzado.yaml"]
    texts = [(p.read_text(encoding="utf-8"), dp.load_profile(p).institution.id)
             for p in sources]
    paths = []
    for i in range(n):
        text, ident = texts[i % 2]
        text = text.replace(f"id: {ident}", f"id: inst-{i:03d}", 1)
        if i % 5 == 0:  # a weaker twin: the first level-3 action at level 1
            text = text.replace("{level: 3,", "{level: 1,", 1)
        path = folder / f"inst-{i:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    write_region(folder)
    (folder / "broken.yaml").write_text("schema_version: 1\ninstitution: {id: b, name: B, "
                                        "country: MX}\nassessed_on: 2026-01-01\n"
                                        "actions: {GOV-01: 9}\n", encoding="utf-8")
    return folder


def test_a_folder_is_scored_and_a_broken_file_reported(region: Path,
                                                        bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [region])
    assert len(portfolio.summaries) == N
    assert [s.institution.id for s in portfolio.summaries] == [f"inst-{i:03d}"
                                                              for i in range(N)]
    assert portfolio.failures == (Failure(source=str(region / "broken.yaml"), problems=(
        dp.Problem(file=str(region / "broken.yaml"), line=4, column=19,
                   path="actions.GOV-01.level", message="must be 0-4, n/a or unknown (got 9)",
                   code="invalid-level"),)),)


def test_each_row_is_the_summary_of_the_profile_assessed_alone(region: Path,
                                                               bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [region], strict=True)
    for summary in portfolio.summaries[:6]:
        assert summary.source is not None
        alone = dp.assess(bundled, dp.load_profile(summary.source, bundled), strict=True)
        assert summary == Summary.of(alone, summary.source)
    weaker, twin = portfolio.summaries[0], portfolio.summaries[2]  # inst-000 has a level lowered
    assert weaker.score < twin.score


def test_two_workers_give_the_same_portfolio(region: Path, bundled: dp.Protocol) -> None:
    one = dp.assess_many(bundled, [region])
    two = dp.assess_many(bundled, [region], workers=2)
    assert two == one
    assert two.to_json() == one.to_json()


def test_assessments_are_kept_when_asked_and_for_profiles_in_memory(
        region: Path, bundled: dp.Protocol) -> None:
    files = sorted(region.glob("inst-00*.yaml"))[:3]
    kept = dp.assess_many(bundled, files, keep_assessments=True, workers=2)
    assert [a.institution.id for a in kept.assessments] == ["inst-000", "inst-001", "inst-002"]
    assert kept.assessments[1] == dp.assess(bundled, dp.load_profile(files[1], bundled))
    assert dp.assess_many(bundled, files).assessments == ()
    profiles = [dp.load_profile(f, bundled) for f in files]
    in_memory = dp.assess_many(bundled, [profiles[0], files[1], profiles[2]])
    assert [s.source for s in in_memory.summaries] == [None, str(files[1]), None]
    assert in_memory.assessments == ()  # the file's assessment was not kept


def test_progress_is_told_once_per_profile(region: Path, bundled: dp.Protocol) -> None:
    ticks: list[int] = []
    dp.assess_many(bundled, [region], progress=ticks.append)
    assert sum(ticks) == N + 1  # the broken file counts too


def test_a_portfolio_pickles_and_its_json_reads_back(region: Path,
                                                     bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [region])
    assert pickle.loads(pickle.dumps(portfolio)) == portfolio
    assert dp.Portfolio.model_validate(json.loads(portfolio.to_json())) == portfolio
    assert repr(portfolio) == f"Portfolio(sendai_ciss {bundled.version}: {N} institutions, " \
                              "1 unreadable)"


def test_csv_has_a_row_per_institution_and_per_unreadable_file(region: Path,
                                                               bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [region])
    rows = list(csv.DictReader(io.StringIO(portfolio.to_csv())))
    assert len(rows) == N + 1
    assert rows[0]["institution"] == "inst-000"
    assert float(rows[0]["score"]) == portfolio.summaries[0].score
    assert rows[0]["phase:GOV"] == str(portfolio.summaries[0].by_phase["GOV"])
    assert rows[-1]["institution"] == ""
    assert rows[-1]["problems"].endswith("[invalid-level]")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_reports_list_institutions_and_unreadable_files(region: Path, bundled: dp.Protocol,
                                                        lang: str) -> None:
    portfolio = dp.assess_many(bundled, [region])
    md = portfolio.to_markdown(lang)  # type: ignore[arg-type]
    page = portfolio.to_html(lang)  # type: ignore[arg-type]
    heading = "Files that could not be read" if lang == "en" else "Archivos que no se pudieron"
    for text in (md, page):
        assert "inst-049" in text
        assert heading in text
        assert "[invalid-level]" in text
    assert portfolio._repr_html_().startswith("<div>")


def test_profile_files_leaves_out_sidecars_and_searches_on_request(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.json").write_text("x", encoding="utf-8")
    assert profile_files([tmp_path]) == [tmp_path / "a.csv"]
    assert profile_files([tmp_path], recursive=True) == [tmp_path / "a.csv",
                                                         tmp_path / "sub" / "b.json"]
    assert profile_files([tmp_path / "missing.yaml"]) == [tmp_path / "missing.yaml"]


def test_wrong_arguments_are_refused(bundled: dp.Protocol) -> None:
    with pytest.raises(ValueError, match="workers must be at least 1"):
        dp.assess_many(bundled, [], workers=0)
    with pytest.raises(TypeError, match="profiles must be Profiles or paths"):
        dp.assess_many(bundled, [42])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="protocol must be a Protocol"):
        dp.assess_many("bundled", [])  # type: ignore[arg-type]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_batch_writes_the_summary_and_exits_2_for_a_broken_file(region: Path,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    code, out, err = run("batch", str(region), "-o", str(target), "--workers", "2")
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == N + 2
    assert err.splitlines() == [
        f"{region / 'broken.yaml'}:4:19: actions.GOV-01.level: must be 0-4, n/a or unknown (got 9) "
        "[invalid-level]",
        f"disaster-protocol batch: 1 of {N + 1} profile(s) could not be read; every other one "
        "was scored"]
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_batch_thresholds_exit_1_and_a_clean_run_exits_0(tmp_path: Path) -> None:
    write_region(tmp_path, 4)
    code, out, _ = run("batch", str(tmp_path), "--format", "json")
    assert code == ExitCode.OK
    assert len(json.loads(out)["summaries"]) == 4
    code, _, err = run("batch", str(tmp_path), "--fail-on-blocking")
    assert code == ExitCode.THRESHOLD
    assert "4 institution(s) failed a threshold" in err
    assert run("batch", str(tmp_path), "--fail-under", "1")[0] == ExitCode.OK
