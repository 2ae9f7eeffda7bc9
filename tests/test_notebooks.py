"""The notebooks: committed as notebooks/build.py writes them (no outputs), and each runs."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat")
FOLDER = ROOT / "notebooks"
NAMES = sorted(p.name for p in FOLDER.glob("*.ipynb"))


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build", FOLDER / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_three_notebooks_as_the_build_script_writes_them(tmp_path: Path) -> None:
    assert NAMES == ["01_one_institution.ipynb", "02_region.ipynb", "03_cooperation.ipynb"]
    for path in _build().write(tmp_path):
        assert path.read_text(encoding="utf-8") == (FOLDER / path.name).read_text(
            encoding="utf-8"), f"{path.name} is stale: run python notebooks/build.py"


@pytest.mark.parametrize("name", NAMES)
def test_a_notebook_is_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(FOLDER / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.fixture(scope="module")
def executed() -> dict[str, tuple[Any, BaseException | None]]:
    """Every notebook run top to bottom, each in its own kernel, the three at once (a kernel
    spends most of its time importing: run side by side, the notebooks overlap)."""
    nbclient = pytest.importorskip("nbclient")
    books = {name: nbformat.read(FOLDER / name, as_version=4) for name in NAMES}
    # each cell gets a minute (a whole notebook takes a few seconds here)
    clients = [nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                                       resources={"metadata": {"path": str(FOLDER)}})
               for nb in books.values()]

    async def run_all() -> list[object]:
        started = []
        try:  # one kernel at a time: kernels started together may pick the same ports
            for client in clients:
                client.create_kernel_manager()
                started.append(client)
                await client.async_start_new_kernel()
                await client.async_start_new_kernel_client()
        except BaseException:
            for client in started:
                await client._async_cleanup_kernel()
            raise
        done: list[object] = await asyncio.gather(*(c.async_execute() for c in clients),
                                                  return_exceptions=True)
        return done

    results = asyncio.run(run_all())
    return {name: (nb, result if isinstance(result, BaseException) else None)
            for (name, nb), result in zip(books.items(), results, strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_notebook_runs_top_to_bottom_without_an_error(
        executed: dict[str, tuple[Any, BaseException | None]], name: str) -> None:
    nb, failure = executed[name]
    assert failure is None, failure
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len(outputs) >= sum(c.cell_type == "code" for c in nb.cells) - 1
