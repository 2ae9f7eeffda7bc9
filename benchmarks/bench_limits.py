"""Hostile 5 MB profiles: refusing each, beside the bare C-YAML parse of the same text.

A ratio below 1 means reading stopped at the value budget before the parser alone would have
finished. Peak memory is measured in a fresh interpreter per shape (its resident high-water
mark, beside the same once it has loaded the protocol), since the C parser's memory is
invisible to tracemalloc. Linux only (it reads /proc).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from benchmarks.hostile import SHAPES

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PEAK = """
import sys
import disaster_protocol as dp
def peak():  # this process's own high-water mark (ru_maxrss would include the parent's)
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
dp.load_protocol()
base = peak()
try:
    dp.load_profile(sys.argv[1])
except dp.ProfileError:
    pass
print(base, peak())
"""


def _peaks_mb(path: Path) -> tuple[float, float]:
    """Peak resident memory of a fresh interpreter once it has loaded the bundled protocol,
    and once it has also read ``path``."""
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], check=True,
                         capture_output=True, text=True)
    base, peak = (int(v) / 1024 for v in out.stdout.split())
    return base, peak


def _refuse(text: str) -> None:
    try:
        dp.loads_profile(text)
    except dp.ProfileError:
        return
    raise AssertionError("a hostile profile was accepted")


@pytest.mark.parametrize("shape", list(SHAPES))
def test_refusing_a_hostile_profile_vs_c_yaml_parse(
        shape: str, compare: Callable[..., dict[str, float]], tmp_path: Path) -> None:
    text = SHAPES[shape]()
    result = compare(target=lambda: _refuse(text),
                     floor=lambda: yaml.load(text, Loader=Loader), rounds=2)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    base, peak = _peaks_mb(path)
    print(f"{shape}: {result['ratio_min']:.3f}x the bare parse, {result['target_min_s']:.2f} s, "
          f"peak {peak:.0f} MB (the interpreter with the protocol loaded: {base:.0f} MB)")
    assert result["ratio_min"] > 0
