"""Plots are checked by what the figure holds (lines, bars, cells, nodes, labels), not pixels."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol import cooperation
from disaster_protocol._i18n import LANGS

from .conftest import ROOT

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")
from disaster_protocol import plots  # noqa: E402

CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples" / "profiles"


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield None
    plt.close("all")


@pytest.fixture(scope="module")
def two(bundled: dp.Protocol) -> list[dp.Assessment]:
    return [dp.assess(bundled, dp.load_profile(EXAMPLES / name, bundled))
            for name in ("caja_intermedia.yaml", "instituto_avanzado.yaml")]


def test_a_radar_draws_one_closed_line_per_assessment_labelled_by_priority(
        two: list[dp.Assessment]) -> None:
    ax: Any = plots.radar(two, lang="en")
    assert ax.name == "polar"
    lines = ax.get_lines()
    assert len(lines) == 2
    keys = list(two[0].by_priority)
    assert len(lines[0].get_ydata()) == len(keys) + 1  # closed
    assert list(lines[0].get_ydata())[:-1] == [two[0].by_priority[k] or 0 for k in keys]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0].startswith(keys[0])
    assert ax.get_title() == "By Sendai priority"
    by_phase: Any = plots.radar(two[0], by="phase", lang="es")
    assert len(by_phase.get_lines()[0].get_ydata()) == len(two[0].by_phase) + 1
    assert by_phase.get_title() == "Por etapa"


def test_a_radar_draws_on_the_axes_it_is_given(two: list[dp.Assessment]) -> None:
    fig = plt.figure()
    given = fig.add_subplot(projection="polar")
    assert plots.radar(two, ax=given) is given


def test_a_heatmap_has_a_cell_per_institution_and_phase(bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"])
    ax: Any = plots.heatmap(portfolio, lang="en")
    grid = ax.get_images()[0].get_array()
    assert grid.shape == (20, len(bundled.phases))
    names = [t.get_text() for t in ax.get_yticklabels()]
    by_id = {s.institution.id: s for s in portfolio.summaries}
    first = by_id[names[0]]
    assert grid[0, 0] == pytest.approx(first.by_phase[bundled.phases[0].id])
    means = [sum(grid[i]) / len(bundled.phases) for i in range(20)]  # every cell assessed
    assert means == sorted(means, reverse=True)  # the best row first
    cells = [t.get_text() for t in ax.texts]  # every cell says its value
    assert len(cells) == 20 * len(bundled.phases)
    assert cells[0] == f"{grid[0, 0]:.0f}"
    assert ax.get_xlabel() == ""  # nothing suppressed, no note


def test_a_heatmap_by_group_leaves_suppressed_groups_blank(bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"])
    ax: Any = plots.heatmap(portfolio, by="country", columns="priority")
    grid = ax.get_images()[0].get_array()
    blank = grid.mask if hasattr(grid, "mask") else [[math.isnan(v) for v in r] for r in grid]
    breakdown = portfolio.summary("country")
    for row, group in enumerate(breakdown.groups):
        assert bool(any(blank[row])) == group.suppressed, group.group  # all or nothing
        assert bool(all(blank[row])) == group.suppressed, group.group
    assert any(g.suppressed for g in breakdown.groups)  # most countries have under 3 members
    hidden = sum(g.suppressed for g in breakdown.groups)
    assert ax.get_xlabel().replace("\n", " ") == (
        f"{hidden} de {len(breakdown.groups)} grupos tienen menos de 3 instituciones: "
        "suprimidos, sin valores.")
    assert [t.get_text() for t in ax.texts].count("suprimido") == hidden


def test_a_heatmap_by_subregion_has_content_and_puts_suppressed_groups_last(
        bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"])
    ax: Any = plots.heatmap(portfolio, by="subregion", columns="priority", k=5, lang="en")
    grid = ax.get_images()[0].get_array()
    shown = [g for g in portfolio.summary("subregion", k=5).groups if not g.suppressed]
    blank = [bool(all(math.isnan(v) for v in row)) for row in grid.filled(math.nan)]
    assert blank == sorted(blank)  # suppressed rows at the bottom
    assert blank.count(False) == len(shown) > 0
    assert ax.get_xlabel().startswith(f"{blank.count(True)} of {len(blank)} groups")


def test_a_trend_line_has_a_point_per_date(small_trend: dp.Trend) -> None:
    ax: Any = plots.trend_line(small_trend, lang="en")
    score, coverage = ax.get_lines()
    assert list(score.get_ydata()) == [p.score for p in small_trend.points]
    assert list(coverage.get_ydata()) == [100 * p.coverage for p in small_trend.points]


@pytest.fixture
def small_trend() -> dp.Trend:
    protocol = dp.load_protocol(CASES / "protocol.yaml")
    points = []
    for i, name in enumerate(("all_zero", "prerequisite_caps_claims", "all_implemented")):
        profile = dp.load_profile(CASES / name / "profile.yaml", protocol)
        profile = profile.model_copy(update={"assessed_on": profile.assessed_on.replace(
            year=2024 + i), "institution": profile.institution.model_copy(update={"id": "x"})})
        points.append(dp.assess(protocol, profile))
    return dp.trend(points)


def test_comparison_bars_put_before_and_after_side_by_side(bundled: dp.Protocol) -> None:
    protocol = dp.load_protocol(CASES / "protocol.yaml")
    before, after = (dp.assess(protocol, dp.load_profile(CASES / n / "profile.yaml", protocol))
                     for n in ("all_zero", "all_implemented"))
    change = dp.compare(before, after, allow_other_institution=True)
    ax: Any = plots.comparison_bars(change, lang="en")
    bars = ax.patches
    phases = list(change.groups["by_phase"])
    assert len(bars) == 2 * len(phases)
    assert [b.get_height() for b in bars[len(phases):]] == [
        change.groups["by_phase"][p].after or 0 for p in phases]
    assert next(t.get_text() for t in ax.get_legend().get_texts()).startswith("Before")


def test_the_dependency_graph_draws_every_action_and_prerequisite(bundled: dp.Protocol) -> None:
    ax: Any = plots.dependency_graph(bundled, lang="en", scope="all")
    (nodes,) = [c for c in ax.collections if len(c.get_offsets()) == len(bundled.actions)]
    assert nodes is not None
    arrows = [p for p in ax.patches]
    assert len(arrows) == sum(len(a.requires) for a in bundled.actions)
    red = [p for p in arrows if p.get_edgecolor()[:3] == matplotlib.colors.to_rgb("#b30000")]
    critical = {a.id for a in bundled.actions if a.critical}
    assert len(red) == sum(1 for a in bundled.actions if a.id in critical
                           for r in a.requires if r in critical)
    assert next(t.get_text() for t in ax.get_xticklabels()).startswith(bundled.phases[0].id)
    assert sorted(t.get_text() for t in ax.texts) == sorted(a.id for a in bundled.actions)
    # each node sits in its phase's column
    column = {p.id: i for i, p in enumerate(bundled.phases)}
    for label in ax.texts:
        action = bundled.action_index[label.get_text()]
        assert label.xy[0] == column[action.phase]


def test_the_dependency_graph_shows_the_critical_subgraph_by_default(
        bundled: dp.Protocol) -> None:
    ax: Any = plots.dependency_graph(bundled)
    critical = [a for a in bundled.actions if a.critical]
    ids = {a.id for a in critical}
    assert sorted(t.get_text() for t in ax.texts) == sorted(ids)
    assert len(ax.patches) == sum(r in ids for a in critical for r in a.requires)
    assert ax.get_xlabel().startswith(f"Solo las {len(critical)} acciones críticas de "
                                      f"{len(bundled.actions)}")
    with pytest.raises(ValueError, match="unknown scope"):
        plots.dependency_graph(bundled, scope="some")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def plan(bundled: dp.Protocol) -> cooperation.CooperationPlan:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                               keep_assessments=True)
    return cooperation.match(portfolio)


def test_the_cooperation_matrix_aggregates_round_1_with_workshops_labelled(
        plan: cooperation.CooperationPlan) -> None:
    ax: Any = plots.cooperation_matrix(plan, lang="en")
    held, matches = plan.round(1)
    bilateral = [m for m in matches if m.workshop is None]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[:len(held)] == [f"{w.id} {w.action} · {w.host}" for w in held]
    assert set(rows[len(held):]) == {m.provider for m in bilateral}
    grid = ax.get_images()[0].get_array().filled(0)
    columns = [t.get_text() for t in ax.get_xticklabels()]
    for i, w in enumerate(held):
        assert {columns[j] for j, v in enumerate(grid[i]) if v} == set(w.participants)
    assert grid[len(held):].sum() == len(bilateral)
    assert ax.get_title() == (f"Round 1: {len(held)} workshops, {len(bilateral)} bilateral "
                              "exchanges")
    later: Any = plots.cooperation_matrix(plan, 2, lang="en")
    assert later.get_title().startswith("Round 2: ")


def test_the_cooperation_network_is_deprecated_for_the_matrix(
        plan: cooperation.CooperationPlan) -> None:
    with pytest.warns(DeprecationWarning, match="cooperation_matrix"):
        ax: Any = plots.cooperation_network(plan)
    assert ax.get_title().startswith("Ronda 1: ")


def test_plots_without_matplotlib_say_which_extra_to_install() -> None:
    script = ("import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.pyplot']"
              " = None\nimport disaster_protocol as dp\nfrom disaster_protocol import plots\n"
              "a = dp.assess(dp.load_protocol(), dp.load_profile("
              "'examples/profiles/caja_intermedia.yaml'))\n"
              "try:\n    plots.radar(a)\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert "pip install 'disaster-protocol[analysis]'" in out.stdout


def test_a_group_not_assessed_is_a_gap_in_the_radar_not_a_zero(bundled: dp.Protocol) -> None:
    profile = dp.loads_profile(
        "schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
        "assessed_on: 2026-06-30\nactions: {GOV-01: 3, KNOW-01: 2}\n", bundled)
    result = dp.assess(bundled, profile)
    assert result.by_phase["PREP"] is None
    axes = dp.plots.radar(result, by="phase", lang="en")
    radii = [float(r) for r in axes.lines[0].get_ydata()]  # type: ignore[union-attr, arg-type]
    phases = list(result.by_phase)
    assert math.isnan(radii[phases.index("PREP")])
    assert radii[phases.index("GOV")] == result.by_phase["GOV"]
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert labels[phases.index("PREP")].endswith("(not assessed)")
    assert not labels[phases.index("GOV")].endswith("(not assessed)")
    html_page = result.to_html("en")
    assert ">not assessed</text>" in html_page  # the phase bars say it inside the bar
    plt.close("all")


@pytest.mark.parametrize("lang", ["pt", "fr"])
def test_figures_speak_every_language(two: list[dp.Assessment], bundled: dp.Protocol,
                                      lang: str, tmp_path: Path) -> None:
    from disaster_protocol._i18n import text

    radar: Any = plots.radar(two, lang=lang)
    assert radar.get_title() == text("by_priority", lang)
    first = " ".join(radar.get_xticklabels()[0].get_text().split())  # wrapped to fit
    title = bundled.sendai.priorities[0].title.get(lang)
    assert first.startswith(f"P1 {' '.join(title.split()[:2])}")
    graph: Any = plots.dependency_graph(bundled, lang=lang)
    assert " ".join(graph.get_title().split()) == f"{bundled.title.get(lang)} {bundled.version}"
    graph.figure.savefig(tmp_path / f"graph-{lang}.png")
    radar.figure.savefig(tmp_path / f"radar-{lang}.png")
    assert (tmp_path / f"radar-{lang}.png").stat().st_size > 5_000


def _drawn_texts(fig: Any) -> list[tuple[str, Any]]:
    """Every text the figure draws (titles, axis labels, tick labels of the ticks drawn,
    annotations, legends) with its extent in pixels, after a full draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found: list[Any] = [*fig.texts]
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
                  *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():
                found += [tick.label1, tick.label2]
        legend = ax.get_legend()
        if legend is not None:
            found += [*legend.get_texts(), legend.get_title()]
    for legend in fig.legends:
        found += [*legend.get_texts(), legend.get_title()]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in found
            if t.get_visible() and t.get_text().strip()]


def _crowded(fig: Any) -> list[str]:
    """Texts that overlap another (by more than a pixel) or leave the figure."""
    texts = _drawn_texts(fig)
    inside = fig.bbox.padded(1)
    problems = [f"clipped: {name!r}" for name, box in texts
                if not (inside.containsx(box.x0) and inside.containsx(box.x1)
                        and inside.containsy(box.y0) and inside.containsy(box.y1))]
    shrunk = [(name, box.padded(-1)) for name, box in texts]
    for i, (first, a) in enumerate(shrunk):
        problems += [f"overlap: {first!r} and {second!r}" for second, b in shrunk[i + 1:]
                     if a.overlaps(b)]
    return problems


def test_the_text_check_finds_overlapping_and_clipped_text() -> None:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
    ax.text(0.52, 0.52, "second label", transform=ax.transAxes)
    ax.set_title("a title much too long to fit in a figure three inches wide, surely")
    problems = _crowded(fig)
    assert "overlap: 'first label' and 'second label'" in problems
    assert any(p.startswith("clipped: 'a title much") for p in problems)
    tidy, axes = plt.subplots(figsize=(3, 2), layout="constrained")
    axes.set_title("short")
    assert _crowded(tidy) == []


@pytest.fixture(scope="module")
def figures(bundled: dp.Protocol, plan: cooperation.CooperationPlan) -> dict[str, Any]:
    """Every figure of ``plots`` as drawn at its default size, by a function of ``lang``."""
    region = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                            keep_assessments=True)
    later = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2027"],
                           keep_assessments=True)
    first = region.assessments[0]
    again = next(a for a in later.assessments if a.institution.id == first.institution.id)
    third = again.model_copy(update={"as_of": again.as_of.replace(year=again.as_of.year + 1)})
    two = [dp.assess(bundled, dp.load_profile(EXAMPLES / name, bundled))
           for name in ("caja_intermedia.yaml", "instituto_avanzado.yaml")]
    trend = dp.trend([first, again, third])
    change = dp.compare(first, again)
    return {
        "radar": lambda lang: plots.radar(two, lang=lang),
        "radar by phase": lambda lang: plots.radar(two[0], by="phase", lang=lang),
        "heatmap": lambda lang: plots.heatmap(region, lang=lang),
        "heatmap by country": lambda lang: plots.heatmap(region, by="country",
                                                         columns="priority", lang=lang),
        "heatmap by subregion": lambda lang: plots.heatmap(region, by="subregion", lang=lang),
        "trend": lambda lang: plots.trend_line(trend, lang=lang),
        "comparison": lambda lang: plots.comparison_bars(change, lang=lang),
        "comparison by priority": lambda lang: plots.comparison_bars(change, by="priority",
                                                                     lang=lang),
        "dependencies": lambda lang: plots.dependency_graph(bundled, lang=lang),
        "every dependency": lambda lang: plots.dependency_graph(bundled, lang=lang,
                                                                scope="all"),
        "cooperation": lambda lang: plots.cooperation_matrix(plan, lang=lang),
        "cooperation round 2": lambda lang: plots.cooperation_matrix(plan, 2, lang=lang),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_no_figure_has_overlapping_or_clipped_text_at_its_default_size(
        figures: dict[str, Any], lang: str) -> None:
    problems = {}
    for name, draw in figures.items():
        found = _crowded(draw(lang).figure)
        if found:
            problems[name] = found
        plt.close("all")
    assert problems == {}
