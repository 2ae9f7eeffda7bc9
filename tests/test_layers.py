"""Data flows one way: no module imports from a layer above its own.

base <- values <- loading <- graph <- assess <- many institutions <- output <- cli

The checker reads every import from the source, in every form (``import disaster_protocol.x``,
``from disaster_protocol import x``, ``from . import x``, ``from ..x import y`` in the
sub-packages, ``importlib.import_module("disaster_protocol.x")``), at module level, inside
functions and under ``if TYPE_CHECKING:``, and names the top-level room (module or
sub-package) each one reaches. Then:

* an import of a lower layer is free;
* an import of the same layer is allowed only where ``SAME_LAYER`` lists the pair (modules
  inside one sub-package, ``report/`` or ``cli/``, import each other freely);
* an import of a higher layer is allowed only inside a function or for type checking, and only
  where ``DELEGATIONS`` lists the pair: the ``to_*`` renderers of the values and the
  derived accessors of ``Protocol`` (the way pandas' ``DataFrame.to_csv`` reaches
  ``pandas.io.formats`` late);
* counting every import but those delegations, the rooms form no cycle;
* no entry of ``LAYERS``, ``SAME_LAYER`` or ``DELEGATIONS`` is stale.

docs/development.md draws the same table for people; keep the two in step.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "disaster_protocol"
NAME = "disaster_protocol"

LAYERS: dict[str, int] = {
    # 0: base: errors, words, file output and the frozen base
    "errors": 0, "_i18n": 0, "_datapaths": 0, "_output": 0, "_frozen": 0,
    # 1: values
    "model": 1, "profile": 1, "assessment": 1,
    # 2: loading
    "_reading": 2, "_plain": 2, "_validation": 2, "_table": 2, "_checks": 2, "loader": 2,
    "migration": 2, "partners": 2, "_sheet": 2, "_wide_names": 2,
    "collection": 2, "renewal": 2,
    # 3: the compiled protocol and its graph
    "_index": 3, "graph": 3,
    # 4: scoring
    "_rules": 4, "_assess": 4, "_kernel": 4,
    # 5: many institutions: values (_summary, _plan), engines (_breakdown, _matching), entry
    # points (portfolio, _compare, cooperation, crosswalk)
    "_summary": 5, "_plan": 5, "_breakdown": 5, "_ranking": 5, "_matching": 5,
    "portfolio": 5, "_compare": 5, "cooperation": 5, "crosswalk": 5,
    # 6: output
    "report": 6, "frames": 6, "plots": 6,
    # 7: the command line, and the package itself
    "cli": 7, "__main__": 7, "__init__": 7,
}

SAME_LAYER: dict[tuple[str, str], str] = {
    # base: every output is sanitised with the one definition of the characters to escape
    ("_output", "errors"): "CONTROL_CHARACTERS and escaped",
    ("_i18n", "errors"): "TranslationWarning, the warning of a text shown in its fallback",
    ("_i18n", "_datapaths"): "the keys of the bundled texts, shared with scripts/i18n.py",
    # values: an assessment carries the protocol's words and the profile's institution
    ("assessment", "model"): "Text",
    ("assessment", "profile"): "Institution and Cooperation",
    # loading: the plain reader at the bottom, then the careful reader, then the checks that
    # read positions, then the loader, then migration which loads the profile it rewrites
    ("_reading", "_plain"): "tries the plain reader first; shares its loader, tags and limits",
    ("_validation", "_reading"): "positions of pydantic errors",
    ("_table", "_reading"): "CSV cells carry the reader's positions",
    ("_table", "_validation"): "did-you-mean for unknown columns",
    ("_checks", "_reading"): "positions of semantic problems",
    ("_checks", "_validation"): "did-you-mean for unknown ids",
    ("loader", "_plain"): "the fast reader",
    ("loader", "_reading"): "the careful reader",
    ("loader", "_table"): "CSV profiles",
    ("loader", "_validation"): "pydantic errors -> problems, schema_version",
    ("loader", "_checks"): "the semantic checks",
    ("migration", "_reading"): "reads migration files",
    ("migration", "_validation"): "validates migration files",
    ("migration", "loader"): "reads the profile it migrates",
    ("_sheet", "_reading"): "reads a table's text with the size limit and text checks",
    ("collection", "_sheet"): "reads the cells of a wide table",
    ("collection", "_wide_names"): "the columns and words of wide tables",
    ("collection", "_reading"): "a row as a Document with the cells' positions",
    ("collection", "loader"): "checks each row as a profile file is checked",
    ("renewal", "loader"): "reads the profile it renews",
    ("renewal", "migration"): "migrates a profile of an older protocol version first",
    ("partners", "_reading"): "reads partners files",
    ("partners", "_validation"): "validates partners files",
    ("partners", "_checks"): "control-character warnings",
    ("partners", "loader"): "the bundled protocol by default",
    # graph: the graph walks the compiled order
    ("graph", "_index"): "execution order",
    # assess: the rule table below assess
    ("_assess", "_rules"): "the rule table",
    ("_kernel", "_assess"): "the batch ends as assess ends (assembled, the memoised values)",
    ("_kernel", "_rules"): "the findings, made as the rules make them",
    # many: values (_summary, _plan) below engines (_breakdown, _matching) below entry points
    ("_breakdown", "_summary"): "builds a Breakdown of Summary rows",
    ("portfolio", "_summary"): "Summary.of; re-exports the values",
    ("portfolio", "_breakdown"): "Portfolio.summary",
    ("_ranking", "_summary"): "sets the rank interval of Summary rows",
    ("portfolio", "_ranking"): "a portfolio's rows ranked when it is put together",
    ("_matching", "_plan"): "builds the plan and the evaluation",
    ("_matching", "portfolio"): "reads a Portfolio's assessments",
    ("cooperation", "_plan"): "re-exports the values",
    ("cooperation", "_matching"): "match and evaluate",
    ("cooperation", "portfolio"): "checks the Portfolio it is given",
    # the command line: python -m disaster_protocol, and --version
    ("__main__", "cli"): "runs main",
    ("cli", "__init__"): "__version__ for --version",
}

DELEGATIONS: dict[tuple[str, str], str] = {
    ("model", "graph"): "Protocol.graph, built on first use",
    ("model", "_index"): "Protocol.index, compiled on first use",
    ("model", "frames"): "Protocol.to_frame",
    ("model", "report"): "Protocol._repr_html_",
    ("profile", "report"): "Profile._repr_html_",
    ("graph", "report"): "Playbook._repr_html_",
    ("assessment", "report"): "Assessment.to_json/to_markdown/to_html/to_csv/to_junit/_repr_html_",
    ("assessment", "frames"): "Assessment.to_frame",
    ("portfolio", "report"): "Portfolio.to_json/to_markdown/to_html/to_csv/to_junit/_repr_html_",
    ("portfolio", "frames"): "Portfolio.to_frame",
    ("_summary", "report"): "Breakdown.to_*",
    ("_summary", "frames"): "Breakdown.to_frame",
    ("_compare", "report"): "Comparison.to_* and Trend.to_csv",
    ("_compare", "frames"): "Comparison.to_frame",
    ("_plan", "report"): "CooperationPlan.to_* and Evaluation.to_*",
    ("_plan", "frames"): "CooperationPlan.to_frame and Evaluation.to_frame",
}

Where = Literal["module", "function", "type-checking"]


@dataclass(frozen=True)
class Import:
    """One import of the package's own code: which room reaches which, where and how."""

    file: Path
    line: int
    source: str
    target: str
    where: Where

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.source} imports {self.target} ({self.where})"


def _dotted(relative: Path) -> str:
    """``report/html.py`` -> ``disaster_protocol.report.html``; ``__init__.py`` -> the package."""
    parts = relative.with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((NAME, *parts))


def _room(dotted: str) -> str:
    """The top-level room of a module: ``disaster_protocol.report.html`` -> ``report``."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _room_of_file(relative: Path) -> str:
    return _room(_dotted(relative))


def _package_of(relative: Path) -> str:
    """The package a relative import starts from (for ``from . import x``)."""
    dotted = _dotted(relative)
    return dotted if relative.name == "__init__.py" else dotted.rpartition(".")[0]


def _targets(node: ast.AST, relative: Path, modules: set[str]) -> list[str]:
    """The package modules one import statement (or import_module call) loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == NAME]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = _package_of(relative).split(".")
            base = base[:len(base) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        if module.split(".")[0] != NAME:
            return []
        return list(dict.fromkeys(f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules
                                  else module for alias in node.names))
    if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and ast.unparse(node.func).split(".")[-1] == "import_module"
            and node.args[0].value.split(".")[0] == NAME):
        return [node.args[0].value]
    return []


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in {
        "TYPE_CHECKING", "typing.TYPE_CHECKING"}


def _walk(node: ast.AST, where: Where) -> Iterator[tuple[ast.AST, Where]]:
    """Every node under ``node``, with where it runs: at import, in a function, for types."""
    for child in ast.iter_child_nodes(node):
        yield child, where
        inner = where
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inner = "function" if where == "module" else where
        elif _is_type_checking(child):
            inner = "type-checking"
        yield from _walk(child, inner)


def imports_of(sources: Mapping[Path, str], modules: Iterable[Path] = ()) -> list[Import]:
    """Every import of the package's own modules in ``sources`` (paths relative to the
    package folder), in a package made of those files and ``modules``."""
    known = {_dotted(relative) for relative in (*sources, *modules)}
    return [Import(relative, getattr(node, "lineno", 0), _room_of_file(relative), _room(target),
                   where)
            for relative, source in sorted(sources.items())
            for node, where in _walk(ast.parse(source), "module")
            for target in _targets(node, relative, known)]


def violations(imports: Iterable[Import]) -> list[str]:
    """Every import that breaks the layers, as ``file:line: what``."""
    out = []
    for imp in imports:
        source, target = imp.source, imp.target
        if source == target:
            continue
        if source not in LAYERS or target not in LAYERS:
            out.append(f"{imp}: a room without a layer")
        elif LAYERS[target] > LAYERS[source]:
            if imp.where == "module" or (source, target) not in DELEGATIONS:
                out.append(f"{imp}: layer {LAYERS[source]} reaches up to layer "
                           f"{LAYERS[target]}")
        elif LAYERS[target] == LAYERS[source] and (source, target) not in SAME_LAYER:
            out.append(f"{imp}: same layer {LAYERS[source]}, not listed in SAME_LAYER")
    return out


def cycles(imports: Iterable[Import]) -> list[list[str]]:
    """The cycles between rooms, counting every import but the listed delegations."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from((imp.source, imp.target) for imp in imports
                         if imp.source != imp.target
                         and (imp.where == "module" or (imp.source, imp.target) not in DELEGATIONS))
    return [sorted(cycle) for cycle in nx.simple_cycles(graph)]


def stale(imports: Iterable[Import]) -> list[str]:
    """Entries of SAME_LAYER and DELEGATIONS that no import uses any more."""
    used = {(imp.source, imp.target) for imp in imports}
    late = {(imp.source, imp.target) for imp in imports if imp.where != "module"}
    return ([f"SAME_LAYER {pair}" for pair in sorted(set(SAME_LAYER) - used)]
            + [f"DELEGATIONS {pair}" for pair in sorted(set(DELEGATIONS) - late)])


def read_package(folder: Path) -> dict[Path, str]:
    """Every Python file under ``folder``, by path relative to it."""
    return {p.relative_to(folder): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.py"))}


SOURCES = read_package(PACKAGE)
IMPORTS = imports_of(SOURCES)


def replaced(relative: str, source: str) -> list[Import]:
    """The package's imports with one file's source replaced (or added)."""
    path = Path(relative)
    return ([imp for imp in IMPORTS if imp.file != path]
            + imports_of({path: source}, modules=SOURCES))


def test_every_room_has_a_layer_and_every_layer_entry_has_a_room() -> None:
    rooms = {_room_of_file(p) for p in SOURCES}
    assert rooms == set(LAYERS), (rooms - set(LAYERS), set(LAYERS) - rooms)


@pytest.mark.parametrize("relative", sorted(SOURCES), ids=str)
def test_no_module_imports_against_the_layers(relative: Path) -> None:
    assert violations(imp for imp in IMPORTS if imp.file == relative) == []


def test_the_rooms_form_no_cycle_counting_imports_inside_functions() -> None:
    assert cycles(IMPORTS) == []


def test_no_listed_exception_is_stale() -> None:
    assert stale(IMPORTS) == []


def test_the_listed_exceptions_keep_their_direction() -> None:
    assert all(LAYERS[a] == LAYERS[b] for a, b in SAME_LAYER)
    assert all(LAYERS[a] < LAYERS[b] for a, b in DELEGATIONS)


def test_the_checker_sees_the_imports_it_must() -> None:
    """A spot check on the real package: forms that an older checker missed are seen."""
    seen = {(imp.source, imp.target, imp.where) for imp in IMPORTS}
    assert ("cooperation", "_matching", "module") in seen  # from . import _matching
    assert ("__main__", "cli", "module") in seen
    assert ("assessment", "report", "function") in seen  # a delegation, inside a method
    assert ("model", "_index", "type-checking") in seen


WRONG = [
    # (file, source, the room it wrongly reaches); every form of import
    ("report/html.py", "from ..cli import main", "cli"),
    ("report/html.py", "from .. import cli", "cli"),
    ("report/html.py", "from disaster_protocol import cli", "cli"),
    ("report/html.py", "import disaster_protocol.cli", "cli"),
    ("report/html.py", "import disaster_protocol.cli._app as app", "cli"),
    ("report/html.py", "from disaster_protocol.cli import main", "cli"),
    ("report/html.py", "def f():\n    from ..cli import main", "cli"),
    ("report/html.py", "if TYPE_CHECKING:\n    from ..cli import main", "cli"),
    ("report/html.py", "import importlib\nimportlib.import_module('disaster_protocol.cli')",
     "cli"),
    ("report/__init__.py", "from ..cli import main", "cli"),
    ("report/__init__.py", "from .. import cli", "cli"),
    ("model.py", "from ._assess import assess", "_assess"),
    ("model.py", "from . import _assess", "_assess"),
    ("profile.py", "def f():\n    from .graph import build_graph", "graph"),
    ("profile.py", "class P:\n    def f(self):\n        from . import graph", "graph"),
    ("profile.py", "if TYPE_CHECKING:\n    from .graph import build_graph", "graph"),
    ("_assess.py", "from disaster_protocol.cli import main", "cli"),
    ("_plan.py", "from ._matching import plan", "_matching"),  # a value above its engine
    ("_compare.py", "from .cooperation import match", "cooperation"),  # same layer, not listed
    ("model.py", "from .graph import build_graph", "graph"),  # a delegation, at module level
    ("errors.py", "from disaster_protocol import Problem", "__init__"),  # the whole package
]


@pytest.mark.parametrize(("relative", "source", "target"), WRONG)
def test_a_wrong_import_in_any_form_fails(relative: str, source: str, target: str) -> None:
    found = [v for v in violations(replaced(relative, source + "\n"))
             if v.startswith(f"{relative}:")]
    assert len(found) == 1, found
    assert f"imports {target} " in found[0]


@pytest.mark.parametrize(("relative", "source"), [
    ("model.py", "def f():\n    from .graph import build_graph"),  # a listed delegation
    ("report/html.py", "from .text import plan_text"),  # a sibling in the same package
    ("report/html.py", "from . import svg"),
    ("report/html.py", "import os.path\nfrom collections import abc"),
    ("_compare.py", "from ._assess import assess"),  # a lower layer
])
def test_a_right_import_passes(relative: str, source: str) -> None:
    assert violations(replaced(relative, source + "\n")) == []


def test_a_new_same_layer_cycle_fails_twice() -> None:
    """``_breakdown`` importing ``portfolio`` back is an unlisted same-layer import and a cycle
    (portfolio -> _breakdown -> portfolio), even inside a function."""
    imports = replaced("_breakdown.py", SOURCES[Path("_breakdown.py")]
                       + "\n\ndef f():\n    from .portfolio import Portfolio\n")
    assert any("_breakdown imports portfolio (function)" in v for v in violations(imports))
    assert ["_breakdown", "portfolio"] in cycles(imports)


def test_a_delegation_no_longer_used_is_stale() -> None:
    found = stale(replaced("model.py", "from ._frozen import Frozen\n"))
    assert found == ["DELEGATIONS ('model', '_index')", "DELEGATIONS ('model', 'frames')",
                     "DELEGATIONS ('model', 'graph')", "DELEGATIONS ('model', 'report')"]


def test_a_same_layer_import_no_longer_used_is_stale() -> None:
    assert stale(replaced("graph.py", "from .model import Protocol\n")) == [
        "SAME_LAYER ('graph', '_index')", "DELEGATIONS ('graph', 'report')"]


def test_the_checker_reads_a_package_from_disk(tmp_path: Path) -> None:
    """A tiny fake package: the folder walk, sub-packages and relative imports end to end."""
    (tmp_path / "report").mkdir()
    (tmp_path / "cli").mkdir()
    files = {
        "__init__.py": "from . import report\n",
        "errors.py": "",
        "report/__init__.py": "from .html import page\n",
        "report/html.py": "from ..errors import X\n\ndef page():\n    from .. import cli\n",
        "cli/__init__.py": "from ..report import page\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = violations(imports_of(read_package(tmp_path)))
    assert found == ["report/html.py:4: report imports cli (function): layer 6 reaches up to "
                     "layer 7"]
