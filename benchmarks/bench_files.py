"""Reading and scoring many profile files, against parsing the same files with C-YAML alone.

This is the work of a batch run on one worker: read each file, check it against the protocol,
assess it. The floor reads each file and parses it with ``yaml.load`` and ``CSafeLoader``. The
aim (issue 10) is at most 3x the floor. The files are the example profiles, written many times
over with other institution ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import disaster_protocol as dp

from .conftest import ratio_to_floor

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "profiles"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PROTOCOL = dp.load_protocol()


def write_profiles(folder: Path, n: int) -> list[Path]:
    """``n`` profile files in ``folder``: the YAML examples, each with its own institution id."""
    sources = [EXAMPLES / "caja_intermedia.yaml", EXAMPLES / "instituto_avanzado.yaml"]
    originals = [(p.read_text(encoding="utf-8"), dp.load_profile(p, PROTOCOL).institution.id)
                 for p in sources]
    paths = []
    for i in range(n):
        text, ident = originals[i % len(originals)]
        path = folder / f"p{i:05d}.yaml"
        path.write_text(text.replace(f"id: {ident}", f"id: {ident}-{i}", 1), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("n", [10_000])
def test_reading_and_scoring_files_vs_parsing_them(n: int, tmp_path: Path,
                                                   benchmark: Any) -> None:
    paths = write_profiles(tmp_path, 50 if benchmark.disabled else n)

    def score_all() -> object:
        return [dp.assess(PROTOCOL, dp.load_profile(p, PROTOCOL)) for p in paths]

    def parse_all() -> object:
        return [yaml.load(p.read_text(encoding="utf-8"), Loader=Loader) for p in paths]

    benchmark.pedantic(score_all, rounds=1)
    result = ratio_to_floor(score_all, parse_all, 1 if benchmark.disabled else 3)
    print(f"\n{len(paths)} files: {result['target_min_s']:.1f} s read, checked and assessed, "
          f"{result['ratio_min']:.2f}x parsing them with C-YAML "
          f"({1000 * result['target_min_s'] / len(paths):.2f} ms a file)")
    benchmark.extra_info.update({k: round(v, 4) for k, v in result.items()})
    assert result["ratio_min"] > 0
