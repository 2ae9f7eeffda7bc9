"""CSV profiles read into plain data with a side table of positions, like :mod:`._reading`.

A CSV profile holds one row per action under a header naming its columns (the canonical one is
:data:`~.profile.CSV_COLUMNS`); the positions recorded are (line, field number), so problems
point at the cell.
"""

from __future__ import annotations

import _csv
import csv
import io
import unicodedata
from collections.abc import Mapping

from ._i18n import problem_said
from ._reading import Document, KeyPath
from ._validation import suggestion
from .errors import MAX_LISTED, Problem, ProfileError
from .profile import CSV_COLUMNS

__all__ = ["parse_csv"]

_OPTIONAL = ("last_exercised", "justification", "note")


HEADER_NAMES: dict[str, str] = {
    **{name: name for name in CSV_COLUMNS},
    "accion": "action_id", "id_accion": "action_id", "nivel": "level",
    "evidencia": "evidence", "ultimo_ejercicio": "last_exercised",
    "justificacion": "justification", "nota": "note",
}
"""Header names accepted (case, spaces and accents aside), English and Spanish."""

REQUIRED = ("action_id", "level")


def parse_csv(text: str, source: str, max_values: int) -> tuple[Document, list[Problem]]:
    """Rows keyed by action id as ``{"actions": {...}}``, and the problems of single rows.

    The header names the columns: any of :data:`HEADER_NAMES` (case, spaces and accents do not
    matter), in any order, ``action_id`` and ``level`` among them; empty header cells at the
    end are ignored. Fields are separated by commas, or by semicolons where the header uses
    them (as spreadsheets in Spanish write).

    Raises
    ------
    ProfileError
        If the text is empty, its header names an unknown column or lacks a required one, or
        it holds more than ``max_values`` cells (reading stops there).
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some spreadsheets write
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _rows(reader, source, max_values)
    except csv.Error as exc:  # a field over the csv module's limit, a broken quote
        raise ProfileError([Problem(file=source, line=reader.line_num, column=1,
                                    code="syntax-error", **problem_said(
                                        ("problem.csv-unreadable", {"reason": exc})))]) from None


def _rows(reader: _csv.Reader, source: str,
          max_values: int) -> tuple[Document, list[Problem]]:
    columns = _columns(next(reader, None), source)
    budget = max_values
    problems: list[Problem] = []
    rows: dict[str, object] = {}
    unlisted, unlisted_from = 0, 0  # rows past MAX_LISTED problems: counted, not read
    positions: dict[KeyPath, tuple[int, int]] = {(): (1, 1)}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        budget -= len(row)
        if budget < 0:
            raise ProfileError([Problem(file=source, line=line, column=1, code="too-many-values",
                                        message=f"holds more than {max_values:,} cells (reading "
                                        "stopped here); no profile is this large: look for "
                                        "repeated or generated rows")])
        if not any(cell.strip() for cell in row):
            continue
        if len(problems) >= MAX_LISTED:
            unlisted, unlisted_from = unlisted + 1, unlisted_from or line
            continue
        if len(row) < len(columns) or any(c.strip() for c in row[len(columns):]):
            problems.append(Problem(file=source, line=line, column=1, code="wrong-type",
                                    **problem_said(("problem.csv-fields", {
                                        "expected": len(columns), "got": len(row)}))))
            continue
        cells = {name: row[i].strip() for i, name in enumerate(columns)}
        action = cells["action_id"]
        if action in first_line:
            problems.append(Problem(file=source, line=line, column=1, path=f"actions.{action}",
                                    code="duplicate-key", **problem_said(("problem.csv-twice", {
                                        "action": action, "first": first_line[action]}))))
            continue
        first_line[action] = line
        rows[action] = _entry(cells)
        positions[("actions", action)] = (line, columns.index("action_id") + 1)
        for col, key in enumerate(columns, start=1):
            positions[("actions", action, key)] = (line, col)
    if unlisted:
        problems.append(Problem(file=source, line=unlisted_from, column=1,
                                code=problems[-1].code, **problem_said(
                                    ("problem.csv-more-rows", {"n": f"{unlisted:,}"}))))
    return Document({"actions": rows}, source, (positions, dict(positions), {})), problems


def _normal(name: str) -> str:
    """``Último ejercicio`` -> ``ultimo_ejercicio``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return "_".join(bare.strip().lower().split())


def _header_problem(name: str | None, shown: str,
                    cell: str) -> list[tuple[str, Mapping[str, object]]]:
    """What is wrong with one header cell: given twice, or no column (and the closest)."""
    columns = {"columns": ",".join(CSV_COLUMNS)}
    if name:
        return [("problem.csv-header-twice", {"header": shown, **columns})]
    match = suggestion(_normal(cell), list(HEADER_NAMES))
    return [("problem.csv-header-unknown", {"header": shown}),
            *([("problem.did-you-mean", {"match": match})] if match else []),
            ("problem.csv-columns", columns)]


def _columns(header: list[str] | None, source: str) -> list[str]:
    """The column each header cell names, trailing empty cells left out."""
    canonical = ",".join(CSV_COLUMNS)
    if header is None:
        raise ProfileError([Problem(file=source, line=1, column=1, code="empty-file",
                                    **problem_said(("problem.csv-empty",
                                                    {"columns": canonical})))])
    while header and not header[-1].strip():
        header = header[:-1]
    problems: list[Problem] = []
    columns: list[str] = []
    unlisted = 0
    for i, cell in enumerate(header, start=1):
        name = HEADER_NAMES.get(_normal(cell))
        if (name is None or name in columns) and len(problems) >= MAX_LISTED:
            unlisted += 1  # counted, not listed (and no costly suggestion): docs/profile.md
        elif name is None or name in columns:
            shown = cell.strip() if len(cell.strip()) <= 40 else cell.strip()[:37] + "..."
            problems.append(Problem(file=source, line=1, column=i, code="unknown-key",
                                    **problem_said(*_header_problem(name, shown, cell))))
        columns.append(name or "")
    if unlisted:
        problems.append(Problem(file=source, line=1, column=1, code="unknown-key",
                                **problem_said(("problem.csv-more-headers",
                                                {"n": f"{unlisted:,}"}))))
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        problems.append(Problem(file=source, line=1, column=1, code="missing-field",
                                **problem_said(("problem.csv-lacks", {
                                    "missing": " and ".join(missing), "columns": canonical}))))
    if problems:
        raise ProfileError(problems)
    return columns


def _entry(cells: dict[str, str]) -> dict[str, object]:
    level = cells["level"]
    number = level.isascii() and level.isdigit() and len(level) < 5
    entry: dict[str, object] = {"level": int(level) if number else level}
    if cells.get("evidence"):
        entry["evidence"] = [e.strip() for e in cells["evidence"].split(";") if e.strip()]
    entry.update((key, cells[key]) for key in _OPTIONAL if cells.get(key))
    return entry
