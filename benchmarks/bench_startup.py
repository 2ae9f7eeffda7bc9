"""Start-up: one ``check`` of an example profile, the whole process, against the cheapest
Python process that reads YAML (``python -c "import yaml"``).

A person running ``disaster-protocol check`` waits for the interpreter, the imports, the
bundled protocol and one assessment; the floor is the interpreter and the YAML library alone.
Both run as fresh processes, alternately, so that load on the machine touches them alike. The
aim (issue 28): a third of a second on two shared cores; the ratio to the floor is the figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import ratio_to_floor

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"


def _run(*args: str) -> None:
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_check_one_profile_as_a_whole_process(benchmark: Any) -> None:
    def check() -> None:
        _run("-m", "disaster_protocol", "check", str(PROFILE), "-o", os.devnull)

    def floor() -> None:
        _run("-c", "import yaml")

    benchmark.pedantic(check, rounds=1 if benchmark.disabled else 5)
    result = ratio_to_floor(check, floor, 1 if benchmark.disabled else 7)
    print(f"\ncheck, whole process: {1000 * result['target_min_s']:.0f} ms, "
          f"{result['ratio_min']:.1f}x python -c 'import yaml' "
          f"({1000 * result['floor_min_s']:.0f} ms; median ratio {result['ratio_median']:.1f}x; "
          f"load {os.getloadavg()[0]:.2f})")
    benchmark.extra_info.update({k: round(v, 4) for k, v in result.items()})
    assert result["ratio_min"] > 0
