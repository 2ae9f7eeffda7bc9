"""The render entry point, its registry of formats, and JUnit XML (report/registry.py,
report/junit.py); the CLI's --format junit is in tests/test_cli_pipeline.py."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.report import Thresholds, formats, register, registry

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent

PROFILE = """\
schema_version: 1
institution: {id: case, name: "Caso \\x1b[31m <de> & prueba", country: XX}
assessed_on: 2026-06-30
roles: {RMU: Riesgos, ICT: Tecnología, BEN: Prestaciones, HLTH: Salud}
actions: {A1: 3, A2: 1, A4: 3}
"""


@pytest.fixture(scope="module")
def protocol() -> dp.Protocol:
    return dp.load_protocol(CASES / "protocol.yaml")


def _profile(protocol: dp.Protocol, ident: str = "case") -> dp.Profile:
    with warnings.catch_warnings():  # the escape character in the name is warned about
        warnings.simplefilter("ignore", dp.InputWarning)
        return dp.loads_profile(PROFILE.replace("id: case", f"id: {ident}"), protocol,
                                source="p.yaml")


@pytest.fixture(scope="module")
def result(protocol: dp.Protocol) -> dp.Assessment:
    # A1 3, A2 1 (critical: a documented blocking gap), A3 left out (critical: evidence
    # needed), A4 3.
    return dp.assess(protocol, _profile(protocol))


def test_the_case_is_what_the_junit_tests_assume(result: dp.Assessment) -> None:
    assert result.blocking == ("A2",)
    assert result.evidence_needed == ("A3",)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json", "csv"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_render_gives_what_the_to_methods_give(result: dp.Assessment, fmt: str,
                                               lang: dp.Lang) -> None:
    method: dict[str, Callable[[], str]] = {
        "text": lambda: dp.report.assessment_text(result, lang),
        "md": lambda: result.to_markdown(lang), "html": lambda: result.to_html(lang),
        "json": result.to_json, "csv": lambda: result.to_csv(lang)}
    assert dp.render(result, fmt, lang=lang) == method[fmt]()


def test_every_value_renders_through_the_registry() -> None:
    assert formats(dp.Assessment) == ("csv", "html", "json", "junit", "md", "text")
    assert formats(dp.Assessment, view="plan") == ("csv", "json", "md", "text")
    assert formats(dp.Portfolio) == ("csv", "html", "json", "junit", "md")
    assert formats(dp.Comparison) == ("csv", "html", "json", "md", "text")
    assert formats(dp.Trend) == ("csv",)
    assert formats(dp.cooperation.CooperationPlan) == ("csv", "html", "json", "md", "text")


def test_an_unknown_format_names_those_there_are(result: dp.Assessment) -> None:
    with pytest.raises(ValueError, match=r"no format 'xlsx' for Assessment; choose one of: "
                                         r"csv, html, json, junit, md, text"):
        dp.render(result, "xlsx")
    with pytest.raises(ValueError, match="no format 'html' for Assessment \\(view 'plan'\\)"):
        dp.render(result, "html", view="plan")
    with pytest.raises(ValueError, match="no format 'text' for str; choose one of: none"):
        dp.render("a string", "text")
    with pytest.raises(ValueError, match="unknown language"):
        dp.render(result, "text", lang="de")


def test_a_new_format_is_one_registration(result: dp.Assessment) -> None:
    saved = dict(registry._REGISTRY)
    try:
        register(dp.Assessment, "grade", lambda a, lang: f"{a.grade} ({lang})\n")
        assert dp.render(result, "grade", lang="en") == f"{result.grade} (en)\n"
        assert "grade" in formats(dp.Assessment)
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
    assert "grade" not in formats(dp.Assessment)


def test_the_plan_view_in_every_format(result: dp.Assessment) -> None:
    steps = [s.action for s in result.plan]
    assert dp.render(result, "text", view="plan") == dp.report.plan_text(result, "es")
    csv_lines = dp.render(result, "csv", view="plan", lang="en").splitlines()
    assert csv_lines[0].startswith("institution,as_of,rank,action,")
    assert [line.split(",")[3] for line in csv_lines[1:]] == steps
    top = dp.render(result, "json", view="plan", top=1)
    assert '"format_version": 1' in top
    assert top.count('"rank"') == 1
    assert dp.render(result, "md", view="plan").startswith("| # |")


def _parse(xml: str) -> ET.Element:
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    for suite in root:
        assert suite.tag == "testsuite"
        for child in suite:
            assert child.tag in ("properties", "testcase")
    return root


def test_junit_has_a_case_per_critical_action_and_per_threshold(result: dp.Assessment) -> None:
    xml = dp.render(result, "junit", lang="en",
                    thresholds=Thresholds(score=90, blocking=True, coverage=50))
    root = _parse(xml)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    # two critical actions (A2, A3) and three thresholds
    assert [c.get("classname") for c in cases] == ["case.critical"] * 2 + ["case.threshold"] * 3
    a2, a3, score, blocking, coverage = cases
    assert a2.get("name", "").startswith("A2 ")
    failure = a2.find("failure")
    assert failure is not None
    assert failure.get("type") == "blocking-gap"
    assert "A2" in failure.get("message", "")
    assert "level 1" in failure.get("message", "")
    skipped = a3.find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("Evidence needed: A3")
    assert a3.find("failure") is None
    assert score.find("failure") is not None  # the score is below 90
    assert blocking.find("failure") is not None  # A2 blocks
    said = blocking.find("failure")
    assert said is not None
    assert "1 blocking gap(s): A2" in said.get("message", "")
    # coverage: A1, A2, A4 assessed; well over 50 %: passes
    assert coverage.find("failure") is None
    assert len(coverage) == 0
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "3", "1")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "3", "1")


def test_junit_without_thresholds_and_in_spanish(result: dp.Assessment) -> None:
    root = _parse(result.to_junit("es"))
    names = [c.get("name", "").split()[0] for c in root.iter("testcase")]
    assert names == ["A2", "A3"]
    skipped = root.find(".//skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("Falta evidencia: A3")


def test_junit_has_no_control_character_and_escapes_markup(result: dp.Assessment) -> None:
    xml = dp.render(result, "junit")
    assert "\x1b" not in xml
    assert "\\x1b[31m" in xml
    suite = _parse(xml).find("testsuite")
    assert suite is not None
    assert suite.get("name") == "case Caso \\x1b[31m <de> & prueba"


def test_portfolio_junit_needs_the_assessments(protocol: dp.Protocol,
                                               result: dp.Assessment) -> None:
    kept = dp.assess_many(protocol, [_profile(protocol), _profile(protocol, "other")])
    root = _parse(kept.to_junit("en"))
    assert [s.get("name", "").split()[0] for s in root.findall("testsuite")] == ["case",
                                                                                "other"]
    assert root.get("failures") == "2"
    assert root.get("skipped") == "2"
    summaries = kept.model_copy(update={"assessments": ()})
    with pytest.raises(ValueError, match="keep_assessments=True"):
        dp.render(summaries, "junit")


def test_assess_many_refuses_a_folder_without_profiles(tmp_path: Path) -> None:
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "a.yaml").write_text(PROFILE.replace("\\x1b[31m ", ""),
                                              encoding="utf-8")
    (tmp_path / "empty").mkdir()
    protocol = dp.load_protocol(CASES / "protocol.yaml")
    with pytest.raises(ValueError, match=r"its sub-folders 2026 hold some: pass "
                                         r"recursive=True"):
        dp.assess_many(protocol, [tmp_path])
    assert len(dp.assess_many(protocol, [tmp_path], recursive=True).summaries) == 1
    with pytest.raises(ValueError, match=r"no profile file .* in this folder or under it"):
        dp.assess_many(protocol, [tmp_path / "empty"], recursive=True)
    with pytest.raises(ValueError, match=r"in this folder or its sub-folders$"):
        dp.assess_many(protocol, [tmp_path / "empty"])


def test_every_builtin_entry_names_a_real_kind_and_renderer() -> None:
    for kind, _view, _fmt, renderer in registry._BUILTIN:
        module, name = kind.rsplit(".", 1)
        value_type = getattr(importlib.import_module(module), name)
        assert f"{value_type.__module__}.{value_type.__qualname__}" == kind
        assert callable(registry._load(renderer.lstrip("-")))


def test_rendering_one_assessment_loads_only_its_renderer() -> None:
    code = ("import sys, disaster_protocol as dp; p = dp.load_protocol(); "
            "a = dp.assess(p, dp.load_profile('examples/profiles/caja_intermedia.yaml', p)); "
            "dp.render(a, 'text'); "
            "print(sorted(m for m in sys.modules if m.startswith('disaster_protocol.report')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    loaded = set(ast.literal_eval(out))
    assert "disaster_protocol.report.text" in loaded
    assert not loaded & {"disaster_protocol.report.junit", "disaster_protocol.report.html",
                         "disaster_protocol.report.cooperation"}
