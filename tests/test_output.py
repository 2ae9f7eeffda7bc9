"""Atomic output: temporary files of killed runs are cleared, others' files are left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from disaster_protocol._output import STALE_AFTER_S, write_atomic


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           check=True, capture_output=True, text=True)
    return int(child.stdout)


def test_a_temporary_file_left_by_a_killed_run_is_removed_on_the_next_write(
        tmp_path: Path) -> None:
    stale = tmp_path / f".report.html.{_dead_pid()}-0123456789ab.tmp"
    stale.write_text("half a report", encoding="utf-8")
    write_atomic(tmp_path / "report.html", "<p>done</p>")
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_temporary_file_of_a_running_writer_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / f".report.html.{os.getpid()}-0123456789ab.tmp"
    live.write_text("being written", encoding="utf-8")
    write_atomic(tmp_path / "report.html", "x")
    assert live.exists()


def test_a_day_old_temporary_file_is_stale_whoever_has_its_number(tmp_path: Path) -> None:
    old = tmp_path / f".report.html.{os.getpid()}-0123456789ab.tmp"
    old.write_text("old", encoding="utf-8")
    then = time.time() - STALE_AFTER_S - 60
    os.utime(old, (then, then))
    write_atomic(tmp_path / "report.html", "x")
    assert not old.exists()


def test_files_that_only_resemble_the_pattern_are_never_touched(tmp_path: Path) -> None:
    dead = _dead_pid()
    kept = [f".other.html.{dead}-0123456789ab.tmp",  # another target's
            f".report.html.{dead}-notahexvalue.tmp", ".report.html.tmp", "report.html.bak"]
    for name in kept:
        (tmp_path / name).write_text("mine", encoding="utf-8")
    write_atomic(tmp_path / "report.html", "x")
    assert all((tmp_path / name).exists() for name in kept)


def test_a_written_file_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "one")
    write_atomic(tmp_path / "a.txt", "two")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "two"
