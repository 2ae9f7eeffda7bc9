"""Documentation is executed and kept in step with the code."""

from __future__ import annotations

import argparse
import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.cli import build_parser

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MODULES = ["disaster_protocol", *sorted(
    m.name for m in pkgutil.walk_packages(dp.__path__, "disaster_protocol.")
    if not m.name.endswith("__main__"))]
"""The package and every module of every package in it: ``report/`` and ``cli/`` included."""


SETUP = re.search(r"```sh\n(.*?)```", README, re.S)


def test_readme_starts_with_two_setup_lines_install_and_run_then_test(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two lines, as a newcomer types them. The first sets up and shows the main job: one
    step creates ``.venv``, one installs the package with its ``dev`` extra, and the rest run
    the command line (scoring an example profile among them), each a step joined by ``&&``
    and nothing else. The second runs the tests exactly as CI does."""
    import io

    from disaster_protocol.cli import main

    assert SETUP is not None
    lines = SETUP.group(1).strip().splitlines()
    assert len(lines) == 2
    assert not re.search(r";|\|\||(?<!\|)\|(?!\|)|`|\$\(", lines[0])  # only && joins steps
    steps = [step.strip() for step in lines[0].split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert steps[1] == ".venv/bin/pip install '.[dev]'"
    runs = steps[2:]
    assert runs
    assert all(step.startswith(".venv/bin/disaster-protocol ") for step in runs)
    assert any(step.split()[1] == "check" and "examples/profiles/" in step for step in runs)
    monkeypatch.chdir(ROOT)
    for step in runs:
        assert main(step.split()[1:], stdout=io.StringIO()) == 0, step
    assert lines[1] == ".venv/bin/python -m pytest"


def test_ci_runs_the_readme_test_command() -> None:
    assert SETUP is not None
    test_command = SETUP.group(1).strip().splitlines()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def _brings(extras: list[str], table: dict[str, list[str]]) -> set[str]:
    """The requirements a set of extras installs, following ``disaster-protocol[...]``."""
    found: set[str] = set()
    todo = list(extras)
    while todo:
        for requirement in table[todo.pop()]:
            inner = re.fullmatch(r"disaster-protocol\[(.*)\]", requirement)
            if inner:
                todo += inner.group(1).split(",")
            else:
                found.add(requirement)
    return found


def test_the_readme_install_brings_everything_ci_installs() -> None:
    """So that ``python -m pytest`` after the README's first line skips nothing for want of a
    package: the notebooks, the DataFrames and the Dask bag are tested on a new machine."""
    tomllib = pytest.importorskip("tomllib")
    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    ci = re.search(r"pip install --quiet '\.\[([a-z,]+)\]'",
                   (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert ci is not None
    assert SETUP is not None
    readme = re.search(r"pip install '\.\[([a-z,]+)\]'", SETUP.group(1))
    assert readme is not None
    ci_brings = _brings(ci.group(1).split(","), table)
    assert ci_brings <= _brings(readme.group(1).split(","), table)
    assert {"nbclient>=0.8", "ipykernel>=6.20", "pandas>=2.0"} <= ci_brings


DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PYTHON_BLOCKS = [(f"{path.name} block {i}", block) for path in DOC_FILES
                 for i, block in enumerate(re.findall(r"```python\n(.*?)```",
                                                      path.read_text(encoding="utf-8"), re.S))]


@pytest.mark.parametrize(("name", "block"), PYTHON_BLOCKS, ids=[n for n, _ in PYTHON_BLOCKS])
def test_python_blocks_in_the_docs_run(name: str, block: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(block, name, "exec"), {})
    assert capsys.readouterr().out


@pytest.mark.parametrize("module", MODULES)
def test_module_docstring_examples_pass(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_doctests_cover_every_module_of_every_package() -> None:
    files = {p.relative_to(ROOT / "src").with_suffix("") for p in
             (ROOT / "src" / "disaster_protocol").rglob("*.py") if p.stem != "__main__"}
    names = {".".join(f.parts[:-1] if f.name == "__init__" else f.parts) for f in files}
    assert set(MODULES) == names
    assert {"disaster_protocol.report.html", "disaster_protocol.cli._app"} <= set(MODULES)


def test_every_cli_command_has_help_and_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    docs = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for name, subparser in sub.choices.items():
        helps = {a.dest: a.help for a in sub._choices_actions}
        assert helps.get(name), f"{name} has no help"
        assert f"disaster-protocol {name}" in docs, f"{name} is not documented"
        for action in subparser._actions:
            assert action.help, f"{name} {action.option_strings} has no help"


def test_every_error_code_is_documented() -> None:
    from disaster_protocol.errors import PROBLEM_CODES

    documented = set(re.findall(r"^\| `([a-z-]+)` \|", (ROOT / "docs" / "errors.md")
                                .read_text(encoding="utf-8"), re.M))
    assert documented == set(PROBLEM_CODES)


def test_every_finding_kind_is_documented_in_the_scoring_method() -> None:
    from disaster_protocol.assessment import FINDING_KINDS

    scoring = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z-]+)` \|", scoring, re.M)
    assert [k for k in documented if k in FINDING_KINDS] == list(FINDING_KINDS)


def test_readme_cli_excerpt_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from disaster_protocol.cli import main

    excerpt = re.search(r"```console\n\$ disaster-protocol (.*?)\n(.*?)```", README, re.S)
    assert excerpt is not None
    out = io.StringIO()
    monkeypatch.chdir(ROOT)
    main(excerpt.group(1).split(), stdout=out)
    real = out.getvalue().splitlines()
    for line in excerpt.group(2).splitlines():
        if line != "...":
            assert line in real, line


LINKED = [ROOT / "README.md", ROOT / "benchmarks" / "README.md",
          *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("path", LINKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(path: Path) -> None:
    text = re.sub(r"`[^`\n]*`", "", path.read_text(encoding="utf-8"))  # code is not a link
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    broken = [t for t in targets if "://" not in t and not t.startswith("mailto:")
              and not (path.parent / t).exists()]
    assert broken == []


def test_the_maintainers_map_lists_every_module_in_the_layer_test() -> None:
    from .test_layers import LAYERS

    development = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    missing = [room for room in LAYERS if room not in {"__init__", "__main__"}
               and f"`{room}" not in development]
    assert missing == []


def test_the_slow_tests_run_by_default_and_in_ci() -> None:
    tomllib = pytest.importorskip("tomllib")
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"]["ini_options"]
    assert any(marker.startswith("slow:") for marker in ini["markers"])
    assert not any(option.startswith("-m") for option in ini["addopts"])  # nothing deselected
    assert "not slow" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
