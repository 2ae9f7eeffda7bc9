"""Crosswalks to national and international frameworks (protocols/crosswalks/)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol.cli import main
from disaster_protocol.crosswalk import (
    CREDIT,
    REVERSE,
    CrosswalkError,
    Relationship,
    by_framework,
    crosswalk_names,
    load_crosswalk,
)

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"

HEAD = """schema_version: 1
id: t
title: {es: Prueba, en: Test}
protocol: {id: sendai_ciss, version: "1.2.0"}
framework:
  name: {es: Marco, en: Framework}
  jurisdiction: XX
  sources: [{id: SRC, title: T, publisher: P}]
codes:
- {code: ONE, title: {es: Uno, en: One}}
- {code: TWO, title: {es: Dos, en: Two}}
- {code: HALF, title: {es: Media, en: Half}}
- {code: MIX, title: {es: Mezcla, en: Mix}}
- {code: NONE, title: {es: Nada, en: Nothing}}
provenance: {status: proposed, sources: [SRC]}
rows:
"""


def _row(node: str, code: str, rel: str) -> str:
    return (f"- {{node: {node}, code: {code}, relationship: {rel}, "
            "rationale: {es: r, en: r}, source: SRC}\n")


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(HEAD + rows, encoding="utf-8")
    return path


def test_every_bundled_crosswalk_loads_and_covers_each_of_its_codes(bundled: dp.Protocol) -> None:
    names = crosswalk_names()
    assert set(names) == {"br-lei-12608", "co-ley-1523", "cr-plan-nacional", "ec-ley-grd",
                          "issa-cor", "pe-sinagerd"}
    for name in names:
        cw = load_crosswalk(name, bundled)
        assert cw.id == name
        assert {r.code for r in cw.rows} == {c.code for c in cw.codes}, name
        assert cw.provenance.status != "verified"  # the mappings are design choices
        unread = [s for s in cw.framework.sources if s.note and "not read" in s.note.lower()]
        for source in unread:  # a framework whose text was not read says so, with no URL
            assert source.url is None, (name, source.id)


def test_the_1_1_0_review_of_the_crosswalks_is_carried_out(bundled: dp.Protocol) -> None:
    def rows(name: str) -> dict[tuple[str, str], str]:
        return {(r.node, r.code): r.relationship for r in load_crosswalk(name, bundled).rows}

    assert rows("pe-sinagerd")[("PREP", "PRP")] == "intersect"  # it only overlaps
    assert rows("issa-cor")[("PREP", "B")] == "intersect"
    issa = {c.code: c.title for c in load_crosswalk("issa-cor", bundled).codes}
    assert issa["B"].es == "Capacidad y resiliencia institucional para hacer frente a las crisis"
    assert issa["D"].es == "Ejecución de las medidas de respuesta"
    assert issa["E"].es == "Consideraciones específicas de cada rama"
    ecuador = load_crosswalk("ec-ley-grd", bundled)
    law = "Ley Orgánica para la Gestión Integral del Riesgo de Desastres"
    assert law in ecuador.framework.name.es
    codes = {c.code for c in ecuador.codes}
    assert {"CGR-COE", "MTT", "UGR"} <= codes
    assert not {"CGR", "COE"} & codes  # one structure, not two committees
    assert rows("ec-ley-grd")[("GOV-03", "UGR")] == "equal"
    colombia = load_crosswalk("co-ley-1523", bundled)
    assert "4(11)" not in " ".join(r.rationale.en for r in colombia.rows)
    assert rows("co-ley-1523")[("GOV-05", "PGRDEPP")] == "subset"
    costa_rica = load_crosswalk("cr-plan-nacional", bundled)
    assert {s.id for s in costa_rica.framework.sources} == {"CR-PNGR", "CR-8488"}
    assert "2016-2020" in costa_rica.framework.sources[0].title
    brazil = load_crosswalk("br-lei-12608", bundled)
    assert [c.code for c in brazil.codes] == ["PRV", "MIT", "PRP", "RES", "REC"]
    assert brazil.framework.jurisdiction == "BR"


def test_partial_relationships_give_the_stated_partial_credit(bundled: dp.Protocol,
                                                               tmp_path: Path) -> None:
    rows = (_row("GOV", "ONE", "equal") + _row("KNOW", "TWO", "subset")
            + _row("PREP", "TWO", "subset") + _row("RESP", "HALF", "subset")
            + _row("GOV", "MIX", "equal") + _row("RECO", "MIX", "intersect")
            + _row("RECO", "NONE", "not-related"))
    cw = load_crosswalk(_write(tmp_path, rows), bundled)
    a = dp.assess(bundled, dp.load_profile(EXAMPLE, bundled))
    phases = [a.by_phase[p] for p in ("GOV", "KNOW", "PREP", "RESP", "RECO")]
    gov, know, prep, resp, reco = phases
    assert isinstance(gov, float)
    assert isinstance(know, float)
    assert isinstance(prep, float)
    assert isinstance(resp, float)
    assert isinstance(reco, float)
    view = {c.code.code: c for c in by_framework(a, cw).codes}
    assert view["ONE"].score == pytest.approx(gov)  # equal: the node's score
    assert view["TWO"].score == pytest.approx((know + prep) / 2)  # two halves: their mean
    assert view["HALF"].score == pytest.approx(resp / 2)  # one half: half the score
    assert view["HALF"].related == pytest.approx(resp)
    assert view["HALF"].partial
    assert view["MIX"].score == pytest.approx((gov + 0.25 * reco) / 1.25)
    assert view["MIX"].credit == pytest.approx(1.25)
    assert view["NONE"].score is None  # not-related gives nothing
    assert view["NONE"].credit == 0


def test_actions_as_nodes_score_by_their_effective_level(bundled: dp.Protocol,
                                                         tmp_path: Path) -> None:
    cw = load_crosswalk(_write(tmp_path, _row("GOV-01", "ONE", "equal")
                               + _row("GOV-02", "TWO", "equal") + _row("GOV-03", "HALF",
                                                                       "equal")
                               + _row("GOV-04", "MIX", "equal") + _row("GOV-05", "NONE",
                                                                       "equal")), bundled)
    a = dp.assess(bundled, dp.load_profile(EXAMPLE, bundled))
    effective = {r.action: r.effective for r in a.actions}
    view = {c.code.code: c for c in by_framework(a, cw).codes}
    for code, action in (("ONE", "GOV-01"), ("TWO", "GOV-02"), ("HALF", "GOV-03"),
                         ("MIX", "GOV-04"), ("NONE", "GOV-05")):
        level = effective[action]
        assert level is not None
        assert view[code].score == pytest.approx(100 * level / 4)
        assert not view[code].partial


def test_a_superset_node_gives_full_credit_and_intersections_partial(bundled: dp.Protocol,
                                                                     tmp_path: Path) -> None:
    cw = load_crosswalk(_write(tmp_path, _row("KNOW", "ONE", "superset")
                               + _row("RESP", "TWO", "intersect") + _row("GOV", "HALF", "equal")
                               + _row("PREP", "MIX", "equal") + _row("RECO", "NONE", "equal")),
                        bundled)
    a = dp.assess(bundled, dp.load_profile(EXAMPLE, bundled))
    view = {c.code.code: c for c in by_framework(a, cw).codes}
    assert view["ONE"].score == pytest.approx(a.by_phase["KNOW"])
    assert not view["ONE"].partial
    assert view["TWO"].partial
    assert view["TWO"].score == pytest.approx(0.25 * a.by_phase["RESP"])  # type: ignore[operator]


def test_a_crosswalk_of_another_version_is_refused_until_checked(bundled: dp.Protocol,
                                                                 tmp_path: Path) -> None:
    path = _write(tmp_path, _row("GOV", "ONE", "equal"))
    path.write_text(path.read_text(encoding="utf-8").replace('"1.2.0"', '"9.9.9"'),
                    encoding="utf-8")
    with pytest.raises(CrosswalkError) as info:
        load_crosswalk(path, bundled)
    assert info.value.codes == ("other-protocol-version",)
    assert info.value.problems[0].line == 4


@given(st.sampled_from(sorted(REVERSE)))
def test_reversing_twice_gives_the_relationship_back(rel: Relationship) -> None:
    assert REVERSE[REVERSE[rel]] == rel
    assert (rel in ("subset", "superset")) == (REVERSE[rel] != rel)
    assert 0 <= CREDIT[rel] <= 1


def test_reverse_reads_a_code_from_its_side(bundled: dp.Protocol) -> None:
    cw = load_crosswalk("co-ley-1523", bundled)
    forward = {(r.node, r.relationship) for r in cw.rows if r.code == "MAN"}
    assert ("RESP", "subset") in forward
    assert ("RESP", "superset") in {(r.node, r.relationship) for r in cw.reverse("MAN")}


@pytest.mark.parametrize(("rows", "line", "message"), [
    (_row("GOVV", "ONE", "equal"), 17,
     "unknown protocol phase or action 'GOVV' (did you mean 'GOV'?)"),
    (_row("GOV", "THREE", "equal"), 17, "unknown code 'THREE'"),
    (_row("GOV", "ONE", "equal") + _row("GOV", "ONE", "subset"), 18, "already stated on line 17"),
    (_row("GOV", "ONE", "same"), 17, "relationship"),
])
def test_broken_crosswalk_rows_are_located(bundled: dp.Protocol, tmp_path: Path, rows: str,
                                           line: int, message: str) -> None:
    with pytest.raises(CrosswalkError) as info:
        load_crosswalk(_write(tmp_path, rows), bundled)
    problem = info.value.problems[0]
    assert problem.line == line
    assert message in str(info.value)


def test_an_unknown_crosswalk_name_lists_the_bundled_ones() -> None:
    with pytest.raises(CrosswalkError, match=r"did you mean 'pe-sinagerd'.*co-ley-1523"):
        load_crosswalk("pe-sinagerdd")


def test_crosswalk_command_lists_shows_and_scores(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["crosswalk", "--list"], stdout=out) == 0
    assert out.getvalue().count("\n") == 6
    out = io.StringIO()
    assert main(["crosswalk", "issa-cor", "--format", "csv"], stdout=out) == 0
    assert out.getvalue().splitlines()[0].startswith("node,code,relationship,reverse")
    target = tmp_path / "view.json"
    assert main(["crosswalk", "pe-sinagerd", "--profile", str(EXAMPLE), "--format", "json",
                 "-o", str(target)], stdout=io.StringIO()) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [c["code"] for c in data["codes"]][:3] == ["EST", "PRV", "RED"]
    assert data["credit"]["subset"] == 0.5
    out = io.StringIO()
    assert main(["crosswalk", "co-ley-1523", "--profile", str(EXAMPLE), "--lang", "en"],
                stdout=out) == 0
    assert "Partial credit (proposed)" in out.getvalue()
    err = io.StringIO()
    assert main(["crosswalk", "nowhere", "--lang", "en"], stdout=io.StringIO(), stderr=err) == 2
    assert "the bundled ones are" in err.getvalue()
