"""Data flows one way: no module imports from a layer above its own.

values <- loading <- graph <- assess <- portfolio/compare/cooperation <- report/frames/plots <- cli

Imports are read from the source (module level and inside functions). A value may reach a layer
above only inside a function (or for type checking alone), for the few convenience accessors
listed in ``DELEGATIONS`` (``protocol.graph``, ``assessment.to_html()``...); each is named here
so adding one is a choice.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "disaster_protocol"

LAYERS: dict[str, int] = {
    # 0: words, errors, file output and the frozen base: no package imports but each other
    "errors": 0, "_i18n": 0, "_output": 0, "_frozen": 0,
    # 1: values
    "model": 1, "profile": 1, "assessment": 1,
    # 2: loading
    "_reading": 2, "_plain": 2, "_validation": 2, "_table": 2, "_checks": 2, "loader": 2,
    "migration": 2,
    # 3: the compiled protocol and its graph
    "_index": 3, "graph": 3,
    # 4: scoring
    "_rules": 4, "assess": 4,
    # 5: many institutions
    "portfolio": 5, "_breakdown": 5, "_summary": 5, "compare": 5, "cooperation": 5, "_matching": 5,
    "_plan": 5, "crosswalk": 5,
    # 6: output
    "report": 6, "frames": 6, "plots": 6,
    # 7: the command line, and the package itself
    "cli": 7, "__main__": 7, "__init__": 7,
}

DELEGATIONS: set[tuple[str, str]] = {
    ("model", "graph"),  # Protocol.graph, built on first use
    ("model", "_index"),  # Protocol.index, compiled on first use
    ("assessment", "report"),  # Assessment.to_json/to_markdown/to_html/to_csv/_repr_html_
    ("portfolio", "report"),  # Portfolio.to_json/to_markdown/to_html/to_csv/_repr_html_
    ("_summary", "report"),  # Breakdown.to_*
    ("compare", "report"),  # Comparison.to_* and Trend.to_csv
    ("_plan", "report"),  # CooperationPlan.to_* and Evaluation.to_*
    ("model", "frames"),  # Protocol.to_frame
    ("assessment", "frames"),  # Assessment.to_frame
    ("portfolio", "frames"),  # Portfolio.to_frame
    ("_summary", "frames"),  # Breakdown.to_frame
    ("compare", "frames"),  # Comparison.to_frame
    ("_plan", "frames"),  # CooperationPlan.to_frame and Evaluation.to_frame
}


def _module_of(relative: Path) -> str:
    """The top-level room of a file: ``report/html.py`` -> ``report``."""
    return relative.with_suffix("").parts[0]


def _imports(relative: Path, source: str) -> list[tuple[str, bool]]:
    """(imported room, inside a function) for every package import in one file."""
    depth = len(relative.parts) - 1  # 0 for a module, 1 inside a sub-package
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
                isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING")
            if isinstance(child, ast.ImportFrom) and child.level > depth:
                if child.module:
                    found.append((child.module.split(".")[0], inner))
                else:
                    found.extend((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and (child.module or "").startswith(
                    "disaster_protocol."):
                found.append((str(child.module).split(".")[1], inner))
            visit(child, inner)

    visit(ast.parse(source), False)
    return found


def _violations(relative: Path, source: str) -> list[str]:
    room = _module_of(relative)
    out = []
    for target, nested in _imports(relative, source):
        if target == room or target not in LAYERS:
            continue
        if LAYERS[target] > LAYERS[room] and not (nested and (room, target) in DELEGATIONS):
            out.append(f"{relative} (layer {LAYERS[room]}) imports {target} "
                       f"(layer {LAYERS[target]})")
    return out


FILES = sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    rooms = {_module_of(p) for p in FILES}
    assert rooms <= set(LAYERS), rooms - set(LAYERS)


@pytest.mark.parametrize("relative", FILES, ids=str)
def test_no_module_imports_from_a_layer_above(relative: Path) -> None:
    assert _violations(relative, (PACKAGE / relative).read_text(encoding="utf-8")) == []


def test_module_level_imports_form_no_circle() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for relative in FILES:
        room = _module_of(relative)
        graph.add_node(room)
        source = (PACKAGE / relative).read_text(encoding="utf-8")
        graph.add_edges_from((room, target) for target, nested in _imports(relative, source)
                             if not nested and target != room and target in LAYERS)
    assert list(nx.simple_cycles(graph)) == []


@pytest.mark.parametrize(("relative", "line", "expected"), [
    ("model.py", "from .assess import assess", ["model.py (layer 1) imports assess (layer 4)"]),
    ("report/html.py", "from ..cli import main",
     ["report/html.py (layer 6) imports cli (layer 7)"]),
    ("profile.py", "def f():\n    from .graph import build_graph",
     ["profile.py (layer 1) imports graph (layer 3)"]),
    ("profile.py", "if TYPE_CHECKING:\n    from .graph import build_graph",
     ["profile.py (layer 1) imports graph (layer 3)"]),
    ("model.py", "def f():\n    from .graph import build_graph", []),  # a listed delegation
    ("report/html.py", "from .text import plan_text", []),  # a sibling in the same package
    ("assess.py", "from disaster_protocol.cli import main", ["assess.py (layer 4) imports cli "
                                                             "(layer 7)"]),
])
def test_the_checker_sees_upward_imports(relative: str, line: str, expected: list[str]) -> None:
    assert _violations(Path(relative), line + "\n") == expected
