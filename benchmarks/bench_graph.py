"""Graph build and protocol index (execution order) on synthetic protocols of growing size.

Floor, measured in the same run: a bare networkx DiGraph of the ``requires`` edges and an
unordered topological sort of it — the least work any graph of prerequisites needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from disaster_protocol._index import compile_index
from disaster_protocol.graph import build_graph

from .conftest import cpu_time, per_doubling
from .synthetic import synthetic_protocol

SIZES = (100, 1_000, 10_000, 50_000)


def _build_and_order(n: int) -> Callable[[], object]:
    """Build the graph and the protocol index (execution order, dependants, groups) from
    scratch: ``protocol.graph`` and ``protocol.index`` are cached, so call what they wrap."""
    protocol = synthetic_protocol(n)
    return lambda: (build_graph(protocol), compile_index(protocol))


def _floor(n: int) -> Callable[[], object]:
    protocol = synthetic_protocol(n)
    edges = [(r, a.id) for a in protocol.actions for r in a.requires]
    ids = [a.id for a in protocol.actions]

    def run() -> object:
        g: nx.DiGraph[str] = nx.DiGraph()
        g.add_nodes_from(ids)
        g.add_edges_from(edges)
        return list(nx.topological_sort(g))

    return run


@pytest.mark.parametrize("n", SIZES)
def test_build_graph_and_order_vs_bare_networkx(n: int,
                                                compare: Callable[..., dict[str, float]]) -> None:
    result = compare(target=_build_and_order(n), floor=_floor(n), rounds=5 if n > 5000 else 20)
    assert result["ratio_min"] > 0


def test_time_grows_linearly_with_protocol_size(benchmark: Any) -> None:
    """Report the CPU-time multiplier per doubling of actions between successive sizes.

    Linear growth is 2.0x per doubling; the aim is at most ~2.2x.
    """
    disabled = benchmark.disabled
    sizes = SIZES[:2] if disabled else SIZES
    benchmark.pedantic(_build_and_order(sizes[-1]), rounds=1)
    best, floor = {}, {}
    for n in sizes:
        run, bare = _build_and_order(n), _floor(n)
        run(), bare()
        best[n] = min(cpu_time(run) for _ in range(1 if disabled else 5))
        floor[n] = min(cpu_time(bare) for _ in range(1 if disabled else 5))
    for small, large in itertools.pairwise(sizes):
        growth = per_doubling(best, small, large)
        print(f"\n{small:>6} -> {large:>6} actions: x{best[large] / best[small]:.1f} time, "
              f"{growth:.2f}x per doubling (floor: "
              f"{per_doubling(floor, small, large):.2f}x)")
        benchmark.extra_info[f"per_doubling_{small}_{large}"] = round(growth, 3)
