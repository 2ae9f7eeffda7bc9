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
    first = portfolio.summaries[0]
    assert grid[0, 0] == pytest.approx(first.by_phase[bundled.phases[0].id])
    assert next(t.get_text() for t in ax.get_yticklabels()) == first.institution.id


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
    ax: Any = plots.dependency_graph(bundled, lang="en")
    (nodes,) = [c for c in ax.collections if len(c.get_offsets()) == len(bundled.actions)]
    assert nodes is not None
    arrows = [p for p in ax.patches]
    assert len(arrows) == sum(len(a.requires) for a in bundled.actions)
    red = [p for p in arrows if p.get_edgecolor()[:3] == matplotlib.colors.to_rgb("#b30000")]
    critical = {a.id for a in bundled.actions if a.critical}
    assert len(red) == sum(1 for a in bundled.actions if a.id in critical
                           for r in a.requires if r in critical)
    assert next(t.get_text() for t in ax.get_xticklabels()).startswith(bundled.phases[0].id)


def test_the_cooperation_network_draws_members_matches_and_workshops(
        bundled: dp.Protocol) -> None:
    portfolio = dp.assess_many(bundled, [ROOT / "examples" / "region" / "2026"],
                               keep_assessments=True)
    plan = cooperation.match(portfolio, min_group=8)
    ax: Any = plots.cooperation_network(plan)
    counts = sorted(len(c.get_offsets()) for c in ax.collections)
    assert counts == sorted([len(plan.members), len(plan.workshops)])
    bilateral = sum(1 for m in plan.matches if m.workshop is None)
    in_workshops = sum(1 + len(w.participants) for w in plan.workshops)
    assert len(ax.patches) == bilateral + in_workshops


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
    labels = [t.get_text() for t in radar.get_xticklabels()]
    assert labels[0] == f"P1 {bundled.sendai.priorities[0].title.get(lang)}"
    graph: Any = plots.dependency_graph(bundled, lang=lang)
    assert graph.get_title() == f"{bundled.title.get(lang)} {bundled.version}"
    graph.figure.savefig(tmp_path / f"graph-{lang}.png")
    radar.figure.savefig(tmp_path / f"radar-{lang}.png")
    assert (tmp_path / f"radar-{lang}.png").stat().st_size > 5_000
