"""Reading a survey round as a wide table, against building the same profiles from plain data.

The target reads a CSV export of 1,000 submissions (one column per action of the bundled
protocol) into checked profiles with :func:`disaster_protocol.read_submissions`: the header
matched, every cell read as people write it, every row checked as a file is. The floor builds
the same 1,000 profiles with :func:`disaster_protocol.profile_from_dict` from dicts already in
memory: the checks alone, without the table.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

import disaster_protocol as dp

PROTOCOL = dp.load_protocol()


def _round(n: int) -> tuple[list[list[str]], list[dict[str, object]]]:
    rng = random.Random(24)
    header = ["institution_id", "institution_name", "country", "assessed_on",
              *(a.id for a in PROTOCOL.actions)]
    rows, dicts = [header], []
    for i in range(n):
        levels = [rng.randint(0, 4) for _ in PROTOCOL.actions]
        rows.append([f"inst-{i}", f"Inst {i}", "MX", "2026-10-15", *map(str, levels)])
        dicts.append({"schema_version": 1, "assessed_on": "2026-10-15",
                      "institution": {"id": f"inst-{i}", "name": f"Inst {i}", "country": "MX"},
                      "actions": dict(zip((a.id for a in PROTOCOL.actions), levels,
                                          strict=True))})
    return rows, dicts


def test_a_wide_table_vs_profiles_from_dicts(tmp_path: Path,
                                            compare: Callable[..., dict[str, float]]) -> None:
    rows, dicts = _round(1_000)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = compare(target=lambda: dp.read_submissions(path, PROTOCOL),
                     floor=lambda: [dp.profile_from_dict(d, PROTOCOL) for d in dicts],
                     rounds=3)
    assert result["ratio_min"] > 0
    assert len(dp.read_submissions(path, PROTOCOL).profiles) == 1_000
