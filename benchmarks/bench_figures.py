"""Drawing the figures of ``plots`` at their default size and saving them as PNG, against
saving an empty figure of the same size (the cost of the canvas alone); and a frame of every
action of a region against building the same rows into a bare pandas DataFrame."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")
pd = pytest.importorskip("pandas")
from disaster_protocol import plots  # noqa: E402

REGION = Path(__file__).resolve().parents[1] / "examples" / "region"


@pytest.fixture(scope="module")
def region() -> dp.Portfolio:
    return dp.assess_many(dp.load_protocol(), [REGION / "2026"], keep_assessments=True)


def _saved(draw: Callable[[], Any]) -> Callable[[], None]:
    """Draw, save as PNG in memory, close."""
    def run() -> None:
        figure = draw().figure
        figure.savefig(io.BytesIO(), format="png")
        plt.close(figure)
    return run


def _empty(size: Any) -> Callable[[], None]:
    def run() -> None:
        figure = plt.figure(figsize=size)
        figure.savefig(io.BytesIO(), format="png")
        plt.close(figure)
    return run


@pytest.mark.parametrize("name", ["radar", "heatmap", "dependency_graph", "cooperation_matrix"])
def test_a_figure_vs_an_empty_canvas(compare: Callable[..., dict[str, float]],
                                     region: dp.Portfolio, name: str) -> None:
    protocol = dp.load_protocol()
    plan = dp.cooperation.match(region)
    draw: dict[str, Callable[[], Any]] = {
        "radar": lambda: plots.radar(region.assessments[:2]),
        "heatmap": lambda: plots.heatmap(region),
        "dependency_graph": lambda: plots.dependency_graph(protocol),
        "cooperation_matrix": lambda: plots.cooperation_matrix(plan),
    }
    size = draw[name]().figure.get_size_inches()
    plt.close("all")
    result = compare(target=_saved(draw[name]), floor=_empty(size), rounds=5)
    assert result["ratio_min"] > 0


def test_a_frame_of_every_action_vs_a_bare_dataframe(compare: Callable[..., dict[str, float]],
                                                     region: dp.Portfolio) -> None:
    rows = [{"institution": a.institution.id, "action": r.action, "phase": r.phase,
             "effective": r.effective} for a in region.assessments for r in a.actions]
    result = compare(target=lambda: region.to_frame("actions"),
                     floor=lambda: pd.DataFrame(rows), rounds=10)
    assert result["ratio_min"] > 0
