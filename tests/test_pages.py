"""The HTML pages a director reads (issue 25): rows in the order asked, grades in colour,
titles beside ids, every label in the page's language, and a dark theme for notebooks."""

from __future__ import annotations

import re

import pytest

import disaster_protocol as dp
from disaster_protocol._i18n import LANGS
from disaster_protocol.report.html import DARK, DARK_HOSTS, LIGHT
from disaster_protocol.report.portfolio import SORTS, breakdown_markdown, portfolio_html

from .conftest import ROOT

REGION = ROOT / "examples" / "region"


@pytest.fixture(scope="module")
def region(bundled: dp.Protocol) -> dp.Portfolio:
    return dp.assess_many(bundled, [REGION / "2026"], keep_assessments=True)


@pytest.fixture(scope="module")
def comparison(bundled: dp.Protocol) -> dp.Comparison:
    before, after = (dp.assess(bundled, dp.load_profile(REGION / year / "ar-anses.yaml",
                                                        bundled))
                     for year in ("2026", "2027"))
    return dp.compare(before, after)


def _row_ids(page: str) -> list[str]:
    """The institution ids of a portfolio page's table, top to bottom."""
    return re.findall(r"<div class=name>[^<]*<br><code>([^<]+)</code>", page)


def test_a_portfolio_lists_the_highest_score_first(region: dp.Portfolio) -> None:
    ids = _row_ids(region.to_html("en"))
    by_score = sorted(region.summaries, key=lambda s: (-s.score, s.institution.id))
    assert ids == [s.institution.id for s in by_score]
    assert ids[0] == "mx-imss"
    assert ids[-1] == "bo-caja"
    assert ids != sorted(ids)  # not the order of the files
    assert _row_ids(portfolio_html(region, "en", sort="id")) == sorted(ids)
    markdown = region.to_markdown("en")
    assert markdown.index("`mx-imss`") < markdown.index("`bo-caja`")
    with pytest.raises(ValueError, match="unknown order 'size'"):
        portfolio_html(region, "en", sort="size")
    assert "score" in SORTS


def test_portfolio_grades_are_coloured_and_ids_do_not_break(region: dp.Portfolio) -> None:
    page = region.to_html("es")
    grades = re.findall(r"<span class='g ([ABC])'>\1</span>", page)
    assert sorted(set(grades)) == ["B", "C"]  # the example has no A
    assert len(grades) == len(region.summaries)
    assert "code,.id{white-space:nowrap}" in page
    assert "Cobertura por institución" in page  # the headline figure


def test_a_breakdown_speaks_the_page_language(region: dp.Portfolio) -> None:
    summary = region.summary("subregion")
    es = summary.to_html("es")
    assert "<h1>Resumen por subregión</h1>" in es
    cells = re.findall(r"<td>([^<]*)</td>", es)
    for english in ("andean", "caribbean", "central", "southern"):  # the group ids
        assert english not in cells
    assert {"Andina", "Caribe", "Cono Sur", "Centroamérica"} <= set(cells)
    headers = re.findall(r"<th>([^<]*)</th>", es)
    assert headers[0] == "Subregión"
    assert all(h[:1].isupper() for h in headers), headers
    # each common gap with its title, each weakest priority with its short name
    assert "<code>GOV-08</code> Sucesión y delegación de autoridad" in es
    assert "P2 Gobernanza del riesgo" in es
    # highest mean score first, the total last
    order = [c for c in cells if c in {"Andina", "Caribe", "Cono Sur", "Centroamérica"}]
    assert order == ["Cono Sur", "Centroamérica", "Caribe", "Andina"]
    assert re.search(r"<strong>Total</strong>", es)
    md = breakdown_markdown(region.summary("type"), "es")
    assert md.startswith("# Resumen por tipo de institución")
    assert "| Pensiones |" in md
    assert "pensions" not in md
    assert "Summary by subregion" in summary.to_html("en")


def test_a_comparison_leads_with_the_score_change(comparison: dp.Comparison) -> None:
    page = comparison.to_html("es")
    body = page[page.index("<body>"):]
    assert body.index("+6.4") < body.index("<svg")  # the change before anything else
    assert "class='delta up'" in body
    assert "<span class='g B'>B</span> → <span class='g B'>B</span>" in body
    # titles beside ids, finding kinds in Spanish, never the English codes
    assert "<code>GOV-07</code> Definir niveles de alerta" in body
    assert "dependencia incoherente" in body
    assert "dependency-inconsistency" not in body
    assert "blocking-gap" not in body
    md = comparison.to_markdown("es").splitlines()
    assert md[2] == "**+6.4** — Puntaje 53.9 → 60.3; Calificación B → B"  # the change first
    assert "  - `GOV-07` Definir niveles de alerta, criterios de activación y mando (2 → 3)" in md
    text = dp.render(comparison, "text", lang="es")
    assert "dependency-inconsistency" not in text
    assert "dependencia incoherente" in text


def test_the_check_page_names_priorities_and_gaps(region: dp.Portfolio) -> None:
    a = next(x for x in region.assessments if x.institution.id == "ar-anses")
    page = a.to_html("es")
    assert "P1 Comprender el riesgo" in page
    assert "Escala 0-100" in page
    assert ">100</text>" in page
    assert ">25</text>" in page
    titles = {r.action: r.title.es for r in a.actions}
    blocking = re.search(r"<ul class=ids>(.*?)</ul>", page)
    assert blocking is not None
    listed = re.findall(r"<li><code>([^<]+)</code> ([^<]+)</li>", blocking.group(1))
    assert listed == [(i, titles[i]) for i in a.blocking]
    assert len(listed) == 18
    for kind in {f.kind for f in a.findings}:  # finding kinds in words, never their codes
        assert f">{kind}<" not in page
        assert f"| {kind} |" not in a.to_markdown("es")
    assert "<td>brecha que bloquea</td>" in page
    # the hazards by name (their keys are English words)
    assert "<td>Sequía y calor extremo</td>" in page
    assert "drought_heat" not in page
    # the Findings table does not repeat the title its message gives
    gap = next(f for f in a.findings if f.kind == "blocking-gap")
    assert f"<td><code>{gap.action}</code></td><td>{gap.text('es')}" in page.replace(
        "&#x27;", "'").replace("&quot;", '"')


def test_pages_read_in_a_dark_theme(region: dp.Portfolio) -> None:
    page = region.to_html("es")
    assert "@media (prefers-color-scheme:dark){:root{" + DARK + "}}" in page
    assert "color-scheme:light dark" in page
    fragment = region._repr_html_()
    for host in DARK_HOSTS:  # JupyterLab, classic Notebook, VS Code, documentation themes
        assert f"{host} .dp-report" in fragment
    assert '[data-jp-theme-light="false"] .dp-report' in fragment
    assert "prefers-color-scheme" not in fragment  # a light notebook on a dark system
    # text, rules and chart text follow the variables: light on dark, never near-black
    colours = dict(part.split(":") for part in DARK.split(";"))
    assert colours["--dp-fg"] == "#e8e8e8"
    assert colours["--dp-bg"] == "#161616"
    assert ".dp-report svg text{fill:var(--dp-fg)}" in fragment
    assert "color:var(--dp-fg)" in fragment
    assert "#1b1b1b" not in fragment.replace(LIGHT, "")


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_no_english_group_id_or_finding_code_on_other_pages(region: dp.Portfolio,
                                                            comparison: dp.Comparison,
                                                            lang: str) -> None:
    cells = re.findall(r"<td>([^<]*)</td>", region.summary("subregion").to_html(lang))
    assert not {"andean", "caribbean", "central", "southern"} & set(cells)
    types = region.summary("type").to_html(lang)
    assert "<td>pensions</td>" not in types
    assert "<td>health</td>" not in types
    page = comparison.to_html(lang)
    assert "dependency-inconsistency" not in page
    assert "blocking-gap" not in page
    assert "drought_heat" not in region.assessments[0].to_html(lang)
