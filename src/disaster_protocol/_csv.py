"""CSV profiles read into plain data with a side table of positions, like :mod:`._yaml`.

A CSV profile holds one row per action under the header :data:`~.profile.CSV_COLUMNS`; the
positions recorded are (line, field number), so problems point at the cell.
"""

from __future__ import annotations

import _csv
import csv
import io

from ._yaml import Document, Path
from .errors import Problem, ProfileError
from .profile import CSV_COLUMNS

__all__ = ["parse_csv"]

_OPTIONAL = ("last_exercised", "justification", "note")


def parse_csv(text: str, source: str) -> tuple[Document, list[Problem]]:
    """Rows keyed by action id as ``{"actions": {...}}``, and the problems of single rows.

    Raises
    ------
    ProfileError
        If the text is empty or its header is not exactly :data:`CSV_COLUMNS`.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        return _rows(reader, source)
    except csv.Error as exc:  # a field over the csv module's limit, a broken quote
        raise ProfileError([Problem(file=source, line=reader.line_num, column=1, message=(
            f"the CSV cannot be read here ({exc}); check the quoting of this line"),
            code="syntax-error")]) from None


def _rows(reader: _csv.Reader, source: str) -> tuple[Document, list[Problem]]:
    _check_header(next(reader, None), source)
    problems: list[Problem] = []
    rows: dict[str, object] = {}
    positions: dict[Path, tuple[int, int]] = {(): (1, 1)}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_COLUMNS):
            problems.append(Problem(file=source, line=line, column=1, message=(
                f"expected {len(CSV_COLUMNS)} fields, got {len(row)}"), code="wrong-type"))
            continue
        cells = dict(zip(CSV_COLUMNS, (c.strip() for c in row), strict=True))
        action = cells["action_id"]
        if action in first_line:
            problems.append(Problem(file=source, line=line, column=1, path=f"actions.{action}",
                                    message=f"action {action!r} is listed twice (first on line "
                                    f"{first_line[action]})", code="duplicate-key"))
            continue
        first_line[action] = line
        rows[action] = _entry(cells)
        positions[("actions", action)] = (line, 1)
        for col, key in enumerate(CSV_COLUMNS[1:], start=2):
            positions[("actions", action, key)] = (line, col)
    return Document({"actions": rows}, source, (positions, dict(positions), {})), problems


def _check_header(header: list[str] | None, source: str) -> None:
    expected = ",".join(CSV_COLUMNS)
    if header is None:
        raise ProfileError([Problem(file=source, line=1, column=1, message=(
            f"the CSV is empty; its first line must be the header: {expected}"),
            code="empty-file")])
    names = [h.strip() for h in header]
    if names != list(CSV_COLUMNS):
        raise ProfileError([Problem(file=source, line=1, column=1, message=(
            f"the header must be exactly: {expected} (got {','.join(names)})"),
            code="wrong-type")])


def _entry(cells: dict[str, str]) -> dict[str, object]:
    level = cells["level"]
    number = level.isascii() and level.isdigit() and len(level) < 5
    entry: dict[str, object] = {"level": int(level) if number else level}
    if cells["evidence"]:
        entry["evidence"] = [e.strip() for e in cells["evidence"].split(";") if e.strip()]
    entry.update((key, cells[key]) for key in _OPTIONAL if cells[key])
    return entry
