"""Many institutions: assess_many, the Portfolio value and its renderers, the batch command."""

from __future__ import annotations

import csv
import io
import json
import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol.cli import ExitCode, main
from disaster_protocol.portfolio import Failure, Summary, collect, profile_files

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
        row = Summary.of(alone, summary.source).model_dump()
        assert summary.model_dump() == {**row, "rank": summary.rank,
                                        "rank_supported": summary.rank_supported}
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
    md = portfolio.to_markdown(lang)
    page = portfolio.to_html(lang)
    heading = "Files that could not be read" if lang == "en" else "Archivos que no se pudieron"
    for text in (md, page):
        assert "inst-049" in text
        assert heading in text
    assert "[invalid-level]" in page
    assert "\\[invalid-level\\]" in md  # brackets of file text escaped: shows [invalid-level]
    assert portfolio._repr_html_().startswith('<div class="dp-report">')


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
        f"{N + 1} filas escritas en {target}",
        f"{region / 'broken.yaml'}:4:19: actions.GOV-01.level: debe ser 0-4, n/a o unknown "
        "(se obtuvo 9) "
        "[invalid-level]",
        f"disaster-protocol batch: 1 de {N + 1} perfiles no se pudieron leer; todos los demás "
        "se puntuaron"]
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_batch_thresholds_exit_1_and_a_clean_run_exits_0(tmp_path: Path) -> None:
    write_region(tmp_path, 4)
    code, out, _ = run("batch", str(tmp_path), "--format", "json")
    assert code == ExitCode.OK
    assert len(json.loads(out)["summaries"]) == 4
    code, _, err = run("batch", str(tmp_path), "--fail-on-blocking")
    assert code == ExitCode.THRESHOLD
    assert "4 instituciones no alcanzaron un umbral" in err
    assert run("batch", str(tmp_path), "--fail-under", "1")[0] == ExitCode.OK


# ----------------------------------------------------------------------------- summaries

CASES = Path(__file__).parent / "cases" / "protocol.yaml"


def _small_portfolio() -> dp.Portfolio:
    """Four institutions of the four-action case protocol, whose numbers are worked by hand.

    Weights A1 1, A2 2, A3 2, A4 1 (24 points at level 4); A1 aligns to P1, the rest to P4.
    pe-1 all at 3: 75.0, B. pe-2 all at 2: 50.0, B, blocking A2 A3. pe-3 A1-A3 at 2, A4 at 1:
    (2 + 4 + 4 + 1)/24 = 45.8, C, blocking A2 A3. mx-1 all at 4, exercised: 100.0, A.
    """
    protocol = dp.load_protocol(CASES)
    fresh = {"level": 4, "last_exercised": "2026-05-01"}
    levels = {"pe-1": dict.fromkeys(("A1", "A2", "A3", "A4"), 3),
              "pe-2": dict.fromkeys(("A1", "A2", "A3", "A4"), 2),
              "pe-3": {"A1": 2, "A2": 2, "A3": 2, "A4": 1},
              "mx-1": dict.fromkeys(("A1", "A2", "A3", "A4"), fresh)}
    profiles = [dp.profile_from_dict({
        "schema_version": 1, "assessed_on": "2026-06-30",
        "institution": {"id": ident, "name": ident.upper(), "country": ident[:2].upper(),
                        "subregion": "Andina" if ident[:2] == "pe" else "Norte"},
        "actions": actions}, protocol) for ident, actions in levels.items()]
    return dp.assess_many(protocol, profiles)


def test_the_hand_worked_portfolio_scores_as_worked() -> None:
    portfolio = _small_portfolio()
    assert [(s.institution.id, s.score, s.grade, s.blocking) for s in portfolio.summaries] == [
        ("pe-1", 75.0, "B", ()), ("pe-2", 50.0, "B", ("A2", "A3")),
        ("pe-3", 45.8, "C", ("A2", "A3")), ("mx-1", 100.0, "A", ())]
    assert [dict(s.by_priority) for s in portfolio.summaries][2] == {"P1": 50.0, "P4": 45.0}


def test_a_group_under_k_shows_its_count_and_the_other_is_hidden_with_it() -> None:
    summary = _small_portfolio().summary("country", k=3)
    mx, pe = summary.groups
    # MX has 1 < 3 institutions; shown, PE would give MX away as the total minus PE.
    assert (mx.group, mx.institutions, mx.suppressed, mx.mean_score) == ("MX", 1, True, None)
    assert (pe.group, pe.institutions, pe.suppressed, pe.mean_score) == ("PE", 3, True, None)
    total = summary.total
    assert total.institutions == 4
    assert total.mean_score == 67.7  # (75 + 50 + 45.8 + 100) / 4
    assert total.median_score == 62.5  # (50 + 75) / 2
    assert total.mean_coverage == 1.0
    assert dict(total.grades or {}) == {"A": 1, "B": 2, "C": 1}
    assert total.common_blocking == ("A2", "A3")
    assert total.weakest_priority == "P4"  # P4 (75 + 50 + 45 + 100)/4 = 67.5 < P1 68.75


def test_groups_at_k_or_more_are_shown() -> None:
    summary = _small_portfolio().summary("country", k=1)
    mx, pe = summary.groups
    assert not mx.suppressed
    assert (pe.institutions, pe.mean_score, pe.median_score) == (3, 56.9, 50.0)
    assert pe.weakest_priority == "P4"  # P4 (75 + 50 + 45)/3 = 56.7 < P1 58.3
    assert mx.grades == {"A": 1, "B": 0, "C": 0}


def test_secondary_suppression_hides_the_smallest_shown_group_only() -> None:
    from disaster_protocol._breakdown import _suppressed

    assert _suppressed({"a": 1, "b": 3, "c": 5}, 3) == {"a", "b"}
    assert _suppressed({"a": 1, "b": 2, "c": 5}, 3) == {"a", "b"}  # 1 + 2 hold 3
    assert _suppressed({"a": 4, "b": 5}, 3) == set()
    assert _suppressed({"a": 1}, 3) == {"a"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_summary_reports_state_the_rule_and_hide_suppressed_numbers(lang: str) -> None:
    summary = _small_portfolio().summary("subregion", k=3)
    md = summary.to_markdown(lang)
    rule = "fewer than 3 institutions" if lang == "en" else "menos de 3 instituciones"
    assert rule in md
    assert "67.7" in md
    rows = list(csv.DictReader(io.StringIO(summary.to_csv())))
    assert [r["group"] for r in rows] == ["Andina", "Norte", "*"]
    assert rows[1]["mean_score"] == ""  # Norte has one institution
    assert json.loads(summary.to_json())["total"]["institutions"] == 4
    assert "<table>" in summary.to_html(lang)


def test_summary_refuses_an_unknown_attribute_and_a_bad_k() -> None:
    portfolio = _small_portfolio()
    with pytest.raises(ValueError, match="cannot group by 'colour'"):
        portfolio.summary("colour")
    with pytest.raises(ValueError, match="k must be a whole number"):
        portfolio.summary("country", k=0)


def test_batch_by_writes_the_summary(tmp_path: Path) -> None:
    write_region(tmp_path, 4)
    code, out, _ = run("batch", str(tmp_path), "--by", "country", "--suppress-under", "2")
    assert code == ExitCode.OK
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["group"], r["institutions"]) for r in rows] == [("MX", "2"), ("PE", "2"),
                                                              ("*", "4")]


def test_the_same_work_maps_over_a_dask_bag(region: Path, bundled: dp.Protocol) -> None:
    bag = pytest.importorskip("dask.bag")
    from disaster_protocol.portfolio import ranked, score_file

    paths = [str(p) for p in profile_files([region])]
    mapped = bag.from_sequence(paths, npartitions=3).map(score_file, protocol=bundled)
    results = mapped.compute(scheduler="synchronous")
    portfolio = dp.assess_many(bundled, [region])
    rows = [r for r in results if isinstance(r, Summary)]
    assert all(r.rank is None for r in rows)  # a rank needs the whole list
    assert ranked(rows) == portfolio.summaries
    assert [r for r in results if isinstance(r, Failure)] == list(portfolio.failures)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes of a ``dask.distributed`` cluster, shared by the tests below."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as started, \
            distributed.Client(started) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        yield client


def test_assess_bag_on_a_local_cluster_equals_the_serial_run(region: Path,
                                                               bundled: dp.Protocol,
                                                               cluster: Any) -> None:
    """Files and profiles in memory in one bag: the same rows and failures as
    ``assess_many`` in this process."""
    bag = pytest.importorskip("dask.bag")
    from disaster_protocol.portfolio import assess_bag, ranked

    paths = [str(p) for p in profile_files([region])]
    in_memory = [dp.load_profile(p, bundled) for p in paths[-6:]]
    serial = dp.assess_many(bundled, [*paths, *in_memory], as_of=date(2026, 12, 1))
    items = bag.from_sequence([*paths, *in_memory], npartitions=4)
    scored = assess_bag(bundled, items, as_of=date(2026, 12, 1))
    results = scored.compute()  # type: ignore[no-untyped-call]
    rows = [r for r in results if isinstance(r, Summary)]
    assert len(results) == len(paths) + len(in_memory)
    assert ranked(rows) == serial.summaries
    assert [r for r in results if isinstance(r, Failure)] == list(serial.failures)
    assert collect(scored) == results  # the same list, each partition crossing in one piece


def test_collect_brings_each_partition_back_in_one_piece(cluster: Any) -> None:
    """``dask.distributed`` sends a list's items each in frames of their own; a partition of
    ``assess_bag`` is not a list, and crosses whole. ``collect`` computes any bag."""
    bag = pytest.importorskip("dask.bag")
    from distributed.protocol.serialize import Serialize, serialize

    from disaster_protocol.portfolio import _Rows

    items = [Failure(source=f"f{i}.yaml", problems=()) for i in range(50)]
    assert len(serialize(Serialize(items))[1]) >= 50  # type: ignore[no-untyped-call]
    rows = _Rows(items)
    assert len(serialize(Serialize(rows))[1]) <= 2  # type: ignore[no-untyped-call]
    assert list(rows) == items
    assert (len(rows), rows[3], rows[1:3], rows.index(items[4])) == (
        50, items[3], tuple(items[1:3]), 4)
    assert pickle.loads(pickle.dumps(rows)) == rows
    assert collect(bag.from_sequence(range(7), npartitions=3).map(lambda x: x * 2)) == [
        0, 2, 4, 6, 8, 10, 12]
    assert collect(bag.from_sequence([], npartitions=1)) == []
    with pytest.raises(TypeError, match=r"dask\.bag\.Bag"):
        collect([1, 2])  # type: ignore[arg-type]


def test_assess_bag_of_profiles_in_memory_equals_assess_many(region: Path,
                                                             bundled: dp.Protocol,
                                                             cluster: Any) -> None:
    """Profiles in memory alone cross packed, a partition at a time, and come back as the
    rows ``assess_many`` gives for them, in order and exactly; so does a bag derived from
    theirs (which crosses profile by profile)."""
    bag = pytest.importorskip("dask.bag")
    from disaster_protocol.portfolio import _packed_partitions, _Partition, assess_bag, ranked

    profiles = [dp.load_profile(p, bundled) for p in profile_files([region])
                if p.name != "broken.yaml"]
    serial = dp.assess_many(bundled, profiles)
    items = bag.from_sequence(profiles, npartitions=3)
    moved = _packed_partitions(items)
    assert moved.npartitions == 3
    assert all(type(v) is _Partition for v in dict(moved.__dask_graph__()).values())
    rows = assess_bag(bundled, items).compute()  # type: ignore[no-untyped-call]
    assert [r.institution.id for r in rows] == [p.institution.id for p in profiles]
    assert ranked(rows) == serial.summaries
    derived = items.filter(lambda p: True)
    assert _packed_partitions(derived) is derived  # not a from_sequence bag: left as it is
    assert ranked(assess_bag(bundled, derived).compute()  # type: ignore[no-untyped-call]
                  ) == serial.summaries


def test_a_partition_packs_only_when_pickled(bundled: dp.Protocol) -> None:
    from disaster_protocol.portfolio import _Partition
    from disaster_protocol.profile import packed

    profile = dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled)
    unchecked = dp.Profile.model_construct(**dict(profile))
    part = _Partition([profile, "a/path.yaml", unchecked])
    assert list(part) == [profile, "a/path.yaml", unchecked]  # in this process, as they are
    arrived = pickle.loads(pickle.dumps(part))
    assert arrived.items == (packed(profile), "a/path.yaml", unchecked)
    assert arrived.packed_at == b"\x01\x00\x00"
    assert list(arrived) == [profile, "a/path.yaml", unchecked]
    again = pickle.loads(pickle.dumps(arrived))  # a scheduler passing it on
    assert again.items == arrived.items
    assert len(again) == 3


def test_a_packed_partition_is_scored_without_rebuilding_its_profiles(
        bundled: dp.Protocol, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a worker, summary rows are computed from the packed rows themselves; only a
    profile the protocol refuses is rebuilt, to say why. Whole assessments need the profiles
    rebuilt, and come back equal to ``assess``'s."""
    pytest.importorskip("numpy")
    from benchmarks.bench_assess import random_profiles

    from disaster_protocol import _kernel, portfolio
    from disaster_protocol.portfolio import _Options, _Partition, _Rows, _score_partition
    from disaster_protocol.profile import ActionStatus, unpacked

    profiles = random_profiles(_kernel.MIN_BATCH + 2, seed=21)
    stranger = dp.Profile.model_validate(profiles[5].model_copy(
        update={"actions": {"NOPE-01": ActionStatus(level=1)},
                "institution": profiles[5].institution.model_copy(
                    update={"id": "stranger"})}).model_dump())
    items = [*profiles[:7], stranger, "no/such/file.yaml", *profiles[7:]]
    arrived = pickle.loads(pickle.dumps(_Partition(items)))
    rebuilt: list[str] = []

    def counted(blob: bytes) -> dp.Profile:
        profile = unpacked(blob)
        rebuilt.append(profile.institution.id)
        return profile

    monkeypatch.setattr(_kernel, "unpacked", counted)
    monkeypatch.setattr(portfolio, "unpacked", counted)
    scored = _score_partition(arrived, bundled, _Options(None, False, False))
    assert type(scored) is _Rows  # crosses back in one piece
    rows = list(scored)
    assert rebuilt == ["stranger", "stranger"]  # to learn that it fails, and to say why
    assert rows[:7] + rows[9:] == [Summary.of(dp.assess(bundled, p)) for p in profiles]
    assert isinstance(rows[7], Failure)
    assert rows[7].problems[0].code == "unknown-action"
    assert rows[7].source == f"<profile of {stranger.institution.id}>"
    assert isinstance(rows[8], Failure)
    assert rows[8].source == "no/such/file.yaml"
    whole = _score_partition(pickle.loads(pickle.dumps(_Partition(profiles))), bundled,
                             _Options(None, True, True))
    assert list(whole) == [dp.assess(bundled, p, strict=True) for p in profiles]


def test_assess_bag_keeps_assessments_and_sends_the_protocol_once(
        region: Path, bundled: dp.Protocol) -> None:
    bag = pytest.importorskip("dask.bag")
    from disaster_protocol.portfolio import assess_bag

    paths = sorted(str(p) for p in region.glob("inst-00*.yaml"))
    scored = assess_bag(bundled, bag.from_sequence(paths, npartitions=3),
                        keep_assessments=True, strict=True)
    graph = dict(scored.__dask_graph__())
    shipped = [k for k, v in graph.items() if v is bundled or getattr(v, "value", None)
               is bundled]
    assert len(shipped) == 1  # one task holds the protocol; every partition depends on it
    results = scored.compute(scheduler="synchronous")  # type: ignore[no-untyped-call]
    assert results == [dp.assess(bundled, dp.load_profile(p, bundled), strict=True)
                       for p in paths]
    with pytest.raises(TypeError, match=r"dask\.bag\.Bag"):
        assess_bag(bundled, paths)  # type: ignore[arg-type]


def test_dask_names_values_by_their_content(bundled: dp.Protocol) -> None:
    """``from_sequence`` names a bag by hashing its items: equal values, equal names."""
    base = pytest.importorskip("dask.base")
    one = dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled)
    again = dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled)
    other = dp.load_profile(EXAMPLES / "instituto_avanzado.yaml", bundled)
    assert base.tokenize(one) == base.tokenize(again)
    assert base.tokenize(one) != base.tokenize(other)
    unchecked = dp.Profile.model_construct(**dict(one))
    assert base.tokenize(unchecked) != base.tokenize(one)  # named by its JSON instead
    assert unchecked.__dask_tokenize__() == ("disaster_protocol.profile.Profile",
                                             one.model_dump_json())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_batch_shows_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    write_region(tmp_path, 3)
    terminal, out = _Terminal(), io.StringIO()
    assert main(["batch", str(tmp_path)], stdout=out, stderr=terminal) == ExitCode.OK
    assert "0/3 [" in terminal.getvalue()  # the bar, counting the three profiles
    assert "profile/s" in terminal.getvalue()
    assert run("batch", str(tmp_path))[2] == ""  # not a terminal: quiet


def test_summaries_built_without_validation_equal_validated_ones(region: Path,
                                                                 bundled: dp.Protocol) -> None:
    for summary in dp.assess_many(bundled, [region]).summaries[:3]:
        checked = Summary.model_validate(summary.model_dump())
        assert checked == summary
        assert checked.model_dump_json() == summary.model_dump_json()


def test_a_profile_in_memory_for_another_protocol_is_a_failure_not_a_stop(
        bundled: dp.Protocol) -> None:
    cases = dp.load_protocol(CASES)
    foreign = dp.profile_from_dict({
        "schema_version": 1, "institution": {"id": "z", "name": "Z", "country": "MX"},
        "assessed_on": "2026-06-30", "actions": {"A1": 3}}, cases)
    mine = dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled)
    portfolio = dp.assess_many(bundled, [foreign, mine])
    assert [s.institution.id for s in portfolio.summaries] == ["caja-ejemplo-b"]
    assert portfolio.failures[0].source == "<profile of z>"
    assert portfolio.failures[0].problems[0].code == "unknown-action"


def test_an_institution_counts_once_by_its_latest_assessment() -> None:
    protocol = dp.load_protocol(CASES)
    rows = [dp.profile_from_dict({
        "schema_version": 1, "assessed_on": day,
        "institution": {"id": "solo", "name": "Solo", "country": "ZZ"},
        "actions": {"A1": level}}, protocol) for day, level in
        (("2024-06-30", 1), ("2026-06-30", 3), ("2025-06-30", 2))]
    summary = dp.assess_many(protocol, rows).summary("country", k=3)
    (group,) = summary.groups
    assert (group.institutions, group.suppressed) == (1, True)  # three files, one institution
    shown = dp.assess_many(protocol, rows).summary("country", k=1)
    assert shown.total.mean_score == 12.5  # the 2026 assessment alone: A1 at 3 of 24 points


def test_a_single_path_is_refused_rather_than_read_letter_by_letter(
        bundled: dp.Protocol) -> None:
    with pytest.raises(TypeError, match="wrap a single one in"):
        dp.assess_many(bundled, "examples/profiles")


# ----------------------------------------------------------------------------- honest ranks

def _three_ranked() -> dp.Portfolio:
    """On the four-action case protocol (weights 1, 2, 2, 1; a score is 100 x sum / 24):
    A has every action at 3: 75.0, complete. B assessed only A1 at 3: 12.5, best case 75.0,
    provisional (A2 and A3 critical and unknown). C has every action at 1: 25.0, complete."""
    cases = dp.load_protocol(CASES)

    def one(ident: str, actions: dict[str, int]) -> dp.Profile:
        return dp.profile_from_dict({
            "schema_version": 1, "institution": {"id": ident, "name": ident.upper(),
                                                 "country": "MX"},
            "assessed_on": "2026-06-30", "actions": actions}, cases)

    every = ("A1", "A2", "A3", "A4")
    return dp.assess_many(cases, [one("a", dict.fromkeys(every, 3)), one("b", {"A1": 3}),
                                  one("c", dict.fromkeys(every, 1))])


def test_ranks_are_intervals_worked_by_hand() -> None:
    rows = {s.institution.id: s for s in _three_ranked().summaries}
    assert [(i, s.score, s.score_range) for i, s in rows.items()] == [
        ("a", 75.0, (75.0, 75.0)), ("b", 12.5, (12.5, 75.0)), ("c", 25.0, (25.0, 25.0))]
    # A: nobody certainly or possibly above (B's best 75 is not above 75): 1st.
    # B: nobody certainly above its 75; A and C possibly above its 12.5: 1st to 3rd.
    # C: A certainly above (75 > 25), B possibly (75 > 25): 2nd to 3rd.
    assert {i: s.rank for i, s in rows.items()} == {"a": (1, 1), "b": (1, 3), "c": (2, 3)}
    # B is provisional; C could move by one place, more than a quarter of three rows.
    assert {i: s.rank_supported for i, s in rows.items()} == {"a": True, "b": False,
                                                              "c": False}
    assert (rows["b"].provisional, rows["b"].evidence_needed, rows["b"].reliability) == (
        True, ("A2", "A3"), "low")


def test_complete_profiles_rank_plainly_ties_sharing_the_better_place() -> None:
    from disaster_protocol.portfolio import ranked

    def row(ident: str, score: float) -> Summary:
        return Summary(source=None, institution=dp.Institution(id=ident, name=ident,
                                                               country="MX"),
                       as_of=date(2026, 1, 1), score=score, grade="C", coverage=1.0,
                       score_range=(score, score), blocking=(), by_phase={}, by_priority={})

    got = ranked([row("a", 50.0), row("b", 70.0), row("c", 50.0), row("d", 10.0),
                  row("e", 90.0)])
    # a and c tie at 50: neither is above the other, both are 3rd, and d is 5th
    assert [s.rank for s in got] == [(3, 3), (2, 2), (3, 3), (5, 5), (1, 1)]
    assert all(s.rank_supported for s in got)


def test_every_portfolio_output_carries_range_reliability_and_rank() -> None:
    portfolio = _three_ranked()
    rows = list(csv.DictReader(io.StringIO(portfolio.to_csv())))
    b = next(r for r in rows if r["institution"] == "b")
    assert {k: b[k] for k in ("provisional", "score_low", "score_high", "reliability",
                              "evidence_needed", "rank_best", "rank_worst",
                              "rank_supported")} == {
        "provisional": "1", "score_low": "12.5", "score_high": "75.0", "reliability": "low",
        "evidence_needed": "2", "rank_best": "1", "rank_worst": "3", "rank_supported": "0"}
    data = json.loads(portfolio.to_json())
    assert data["summaries"][2]["rank"] == [2, 3]
    assert data["summaries"][2]["rank_supported"] is False
    for page, lang, words in ((portfolio.to_markdown("en"), "en", "cannot support a rank"),
                              (portfolio.to_html("es"), "es", "no se puede ordenar")):
        assert words in page, lang
        assert "12.5 (12.5-75.0)" in page
        assert "1-3 *" in page or "1-3 \\*" in page
    frame = portfolio.to_frame()
    assert list(frame["rank_worst"]) == [1, 3, 3]
    assert list(frame["rank_supported"]) == [True, False, False]
    assert list(frame["score_high"]) == [75.0, 75.0, 25.0]
