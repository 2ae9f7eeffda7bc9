"""Rendered reports: self-contained HTML, Markdown, CSV, text, templates and schemas."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser

import pytest

import disaster_protocol as dp
from disaster_protocol._i18n import LANGS, text
from disaster_protocol.report import json_schema, profile_template_yaml

from .conftest import ROOT

EXAMPLES = ROOT / "examples" / "profiles"


@pytest.fixture(scope="module")
def result() -> dp.Assessment:
    protocol = dp.load_protocol()
    return dp.assess(protocol, dp.load_profile(EXAMPLES / "caja_intermedia.yaml", protocol))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_self_contained_and_in_the_chosen_language(result: dp.Assessment,
                                                          lang: str) -> None:
    page = result.to_html(lang)
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "link" not in parser.tags
    assert "img" not in parser.tags
    assert parser.urls == []
    assert not re.search(r"url\(|@import|https?://", page)
    assert f"<html lang={lang}>" in page
    assert "@media print" in page
    assert text("report", lang) in html.unescape(page)
    assert result.institution.name in page


def test_html_escapes_institution_text(bundled: dp.Protocol) -> None:
    profile = dp.loads_profile("schema_version: 1\ninstitution: {id: x, name: '<b>X & Y</b>', "
                               "country: MX}\nassessed_on: 2026-01-01\n", bundled)
    page = dp.assess(bundled, profile).to_html()
    assert "<b>X" not in page
    assert "&lt;b&gt;X &amp; Y&lt;/b&gt;" in page


def test_jupyter_display_is_an_html_fragment(result: dp.Assessment) -> None:
    fragment = result._repr_html_()
    assert fragment.startswith('<div class="dp-report"><style>')
    assert "<html" not in fragment


def test_a_fragment_styles_only_what_is_inside_its_own_root(result: dp.Assessment) -> None:
    import re

    style = re.search(r"<style>(.*?)</style>", result._repr_html_(), re.S)
    assert style is not None
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", style.group(1))
                 for s in rule.split(",")]
    assert len(selectors) > 10
    from disaster_protocol.report.html import DARK_HOSTS

    # inside its root, or its root inside a dark notebook: never the notebook itself
    dark = {f"{host} .dp-report" for host in DARK_HOSTS}
    assert all(s == ".dp-report" or s.startswith(".dp-report ") or s in dark
               for s in selectors), selectors
    assert dark <= set(selectors)
    assert "@media" not in style.group(1)  # printing belongs to whole pages
    page = result.to_html()
    assert "body{" in page
    assert "@media print" in page


def test_markdown_lists_plan_and_findings(result: dp.Assessment) -> None:
    text = result.to_markdown("en")
    assert text.startswith("# Disaster readiness assessment: ")
    assert f"**Grade: {result.grade}**" in text
    assert f"`{result.plan[0].action}`" in text
    assert text.count("| blocking gap |") == len(result.blocking)  # the kind in words


def test_csv_has_one_row_per_action_with_claimed_and_effective(result: dp.Assessment) -> None:
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert len(rows) == len(result.actions)
    by_id = {r["action"]: r for r in rows}
    for action in result.actions:
        row = by_id[action.action]
        assert row["effective"] == ("" if action.effective is None else str(action.effective))
    blocked = by_id[result.blocking[0]]
    assert "blocking-gap" in blocked["findings"].split(";")


def test_json_round_trips_into_the_model(result: dp.Assessment) -> None:
    assert dp.Assessment.model_validate(json.loads(result.to_json())) == result


def test_template_loads_once_institution_and_date_are_filled(bundled: dp.Protocol) -> None:
    text = profile_template_yaml(bundled, "en").replace(
        "assessed_on:  # YYYY-MM-DD", "assessed_on: 2026-01-01")
    profile = dp.loads_profile(text, bundled)
    assert set(profile.actions) == {a.id for a in bundled.actions}
    assert dp.assess(bundled, profile).score == 0.0


def test_unfilled_template_points_at_the_date(bundled: dp.Protocol) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(profile_template_yaml(bundled), bundled, source="t.yaml")
    assert "assessed_on" in str(info.value)


@pytest.mark.parametrize("kind", ["profile", "protocol", "assessment", "crosswalk", "migration",
                                  "partners"])
def test_committed_schemas_match_the_models(kind: str) -> None:
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(kind), (  # type: ignore[arg-type]
        f"schemas/{kind}.schema.json is stale: run "
        f"`disaster-protocol schema {kind} -o schemas/{kind}.schema.json`")


@pytest.mark.parametrize("name", ["instituto_avanzado.yaml", "caja_intermedia.yaml",
                                  "mutual_inicial.meta.yaml", "../region/2026/br-saude.yaml",
                                  "../region/2027/cl-mutual.yaml"])
def test_example_profiles_validate_against_the_committed_schema_as_written(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # YAML dates as the JSON text they are
    if name.endswith(".meta.yaml"):
        data["actions"] = None  # a sidecar holds everything but the actions
    jsonschema.validate(data, schema)  # shorthands (GOV-01: 3, RMU: unit) as written


def test_the_schema_accepts_a_cooperation_section_as_the_loader_does() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    data = {"schema_version": 1, "assessed_on": "2026-01-01",
            "institution": {"id": "x", "name": "X", "country": "MX"},
            "actions": {"GOV-01": 4}, "cooperation": {
                "offers": ["GOV-01"], "demands": [{"action": "KNOW-04", "note": "n"}],
                "languages": None, "capacity": 2}}
    jsonschema.validate(data, schema)
    data["cooperation"]["languages"] = ["de"]  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("change", [
    {"actions": {"GOV-01": 7}}, {"actions": {"GOV-01": {"level": 3, "colour": "red"}}},
    {"roles": {"RMU": ""}}, {"colour": "red"}])
def test_the_profile_schema_refuses_what_the_loader_refuses(change: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")

    schema = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    data = {"schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
            "assessed_on": "2026-06-30", **change}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    with pytest.raises(dp.ProfileError):
        dp.profile_from_dict(data)


def test_csv_title_follows_the_language(result: dp.Assessment, bundled: dp.Protocol) -> None:
    first = result.actions[0].action
    langs: tuple[dp.Lang, ...] = ("es", "en")
    for lang in langs:
        rows = list(csv.DictReader(io.StringIO(result.to_csv(lang))))
        assert rows[0]["title"] == bundled.action(first).title.get(lang)
    spanish, english = result.to_csv("es"), result.to_csv("en")
    assert spanish.splitlines()[0] == english.splitlines()[0]  # the header is for machines
    assert spanish != english


def test_json_carries_every_language_and_takes_no_language(result: dp.Assessment) -> None:
    data = json.loads(result.to_json())
    assert set(data["findings"][0]["message"]) == set(LANGS)
    with pytest.raises(TypeError):
        result.to_json(lang="en")  # type: ignore[call-arg]


@pytest.mark.parametrize("render", ["to_markdown", "to_html", "to_csv"])
def test_every_renderer_refuses_an_unknown_language(result: dp.Assessment, render: str) -> None:
    with pytest.raises(ValueError, match=r"choose es \(español\), en \(English\), fr "):
        getattr(result, render)("de")


@pytest.mark.parametrize("render", ["to_markdown", "to_html"])
def test_reports_carry_the_findings_in_the_chosen_language(result: dp.Assessment,
                                                           render: str) -> None:
    import html

    pairs: tuple[tuple[dp.Lang, dp.Lang], ...] = (("es", "en"), ("en", "es"))
    for lang, other in pairs:
        page = html.unescape(getattr(result, render)(lang)).replace("\\|", "|")
        for finding in result.findings:
            assert finding.text(lang) in page
            assert finding.text(other) not in page


def test_text_of_an_unknown_language_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        dp.Text(es="Respuesta", en="Response").get("de")


def test_other_renderers_refuse_an_unknown_language(bundled: dp.Protocol) -> None:
    from disaster_protocol.graph import playbook
    from disaster_protocol.report import export_graph, playbook_text

    with pytest.raises(ValueError, match="unknown language"):
        profile_template_yaml(bundled, "de")
    with pytest.raises(ValueError, match="unknown language"):
        playbook_text(playbook(bundled, "flood"), bundled, "EN")
    with pytest.raises(ValueError, match="unknown language"):
        export_graph(bundled, "dot", lang="de")


def test_markdown_and_text_print_names_as_text_not_markup(bundled: dp.Protocol) -> None:
    from disaster_protocol.report import assessment_text

    name = "Caja <script>alert(1)</script>\n# Injected\x1b[31m"
    with pytest.warns(dp.InputWarning, match="control character"):
        profile = dp.profile_from_dict({
            "schema_version": 1, "institution": {"id": "x", "name": name, "country": "MX"},
            "assessed_on": "2026-01-01", "roles": {"RMU": "Unit | <b>bold</b>"}}, bundled)
    result = dp.assess(bundled, profile)
    md = result.to_markdown("en")
    assert "<script>" not in md
    assert "&lt;script&gt;" in md
    assert "\n# Injected" not in md
    assert "\x1b" not in md
    text = assessment_text(result, "en")
    assert "\x1b" not in text
    assert "\\x1b[31m" in text
    assert text.splitlines()[0].startswith("Caja <script>alert(1)</script> # Injected")


def test_the_first_screen_names_the_next_five_steps_with_titles_and_units(
        result: dp.Assessment) -> None:
    page = result.to_html("en")
    first = page[page.index("The most important next steps"):page.index("<h2>By phase")]
    assert first.count("<li>") == min(5, len(result.plan))
    for step in result.plan[:5]:
        assert f"<code>{step.action}</code> {step.title.en}" in first
        if step.unit:
            assert f"({step.unit})" in first
    assert first.count("<svg class=chart") == 2


def test_the_charts_are_inline_svg_drawn_from_the_scores(result: dp.Assessment) -> None:
    import re

    page = result.to_html("es")
    radar = re.search(r"<polygon class=score points='([^']*)'", page)
    assert radar is not None
    assert len(radar.group(1).split()) == len(result.by_priority)
    bars = re.findall(r"class=bar-value x='70' y='[\d.]+' width='([\d.]+)'", page)
    applicable = [v for v in result.by_phase.values() if v is not None]
    assert [float(b) for b in bars] == [pytest.approx(250 * v / 100, abs=0.06)
                                        for v in applicable]


def test_the_report_explains_the_method_and_names_finding_kinds_in_its_language(
        result: dp.Assessment) -> None:
    es, en = result.to_html("es"), result.to_html("en")
    assert f"Calificación A desde {result.method.grade_a_from:g}" in es
    assert f"Grade A from {result.method.grade_a_from:g}, B from " in en
    assert "<td>brecha que bloquea</td>" in es
    assert "<td>blocking gap</td>" in en
    gap = next(f for f in result.findings if f.kind == "blocking-gap")
    title = next(r.title.en for r in result.actions if r.action == gap.action)
    assert f"<code>{gap.action}</code> {title}" in en


def test_a_radar_puts_a_full_score_on_the_outer_ring() -> None:
    from disaster_protocol.report.svg import bars_svg, radar_svg

    svg = radar_svg(["P1", "P2", "P3", "P4"], [100, 0, None, 50], title="t", size=300)
    import re

    points = re.search(r"class=score points='([^']*)'", svg)
    assert points is not None
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = (tuple(map(float, p.split(",")))
                                              for p in points.group(1).split())
    assert (x1, y1) == (150.0, 48.0)  # the top, radius 102 from the centre
    assert (x2, y2) == (150.0, 150.0) == (x3, y3)  # 0 and n/a at the centre
    assert x4 == pytest.approx(150 - 51)
    assert y4 == pytest.approx(150)
    assert "<title>t</title>" in svg
    bars = bars_svg(["GOV", "RESP"], [40.0, None], title="b")
    assert bars.count("class=bar-value") == 1
    assert ">-</text>" in bars


def test_portfolio_and_comparison_pages_carry_their_charts(bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [EXAMPLES])
    page = portfolio.to_html("en")
    assert page.count("<svg class=chart") == 2  # coverage by institution, mean by phase
    assert "<figcaption>Coverage by institution</figcaption>" in page
    assert "<figcaption>By phase</figcaption>" in page
    old = dp.assess(bundled, dp.load_profile(EXAMPLES / "caja_intermedia.yaml", bundled))
    new = dp.assess(bundled, dp.load_profile(EXAMPLES / "instituto_avanzado.yaml", bundled))
    change = dp.compare(old, new, allow_other_institution=True).to_html("en")
    assert change.count("<svg class=chart") == 2
    assert f"<figcaption>Before {old.as_of}</figcaption>" in change


def test_protocol_profile_and_playbook_display_themselves_in_jupyter(
        bundled: dp.Protocol) -> None:
    page = bundled._repr_html_()
    assert page.startswith('<div class="')
    assert "<style>" in page
    assert f"{bundled.title.es} {bundled.version}" in page
    for phase in bundled.phases:
        count = sum(a.phase == phase.id for a in bundled.actions)
        assert f"<td><code>{phase.id}</code></td><td>{phase.title.es}</td><td>{count}</td>" in page
    profile = dp.load_profile(ROOT / "examples" / "profiles" / "caja_intermedia.yaml", bundled)
    shown = profile._repr_html_()
    assert profile.institution.name in shown
    assert shown.count("<tr>") == len(profile.actions) + 1  # the header and one per action
    book = dp.graph.playbook(bundled, "earthquake", phase="RESP")
    listed = book._repr_html_()
    assert listed.count("<tr>") == len(book.steps) + 1
    assert f"<td>1</td><td><code>{book.steps[0].action}</code></td>" in listed
