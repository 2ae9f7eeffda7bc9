"""Tables read as cells with their positions: CSV (comma or semicolon) and XLSX.

A wide table (a KoboToolbox or ODK export, a spreadsheet with one institution per row) is read
here into a header and rows of cells, each row with its line (the spreadsheet's row number), so
that a problem points at the cell. XLSX needs openpyxl (the ``forms`` extra), imported only
when an XLSX file is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import _reading
from ._i18n import problem_said
from .errors import Problem, ProfileError

__all__ = ["FORMS_EXTRA", "Cell", "Table", "read_table", "table_from_text"]

FORMS_EXTRA = "pip install 'disaster-protocol[forms]'"
"""How to install what reading and writing XLSX needs."""

Cell = str | date
"""A cell as read: text, or a date where the spreadsheet stored one (XLSX)."""

MAX_CELLS = 2_000_000
"""Most cells a table may hold (a round of 5,000 institutions answers about 300 columns)."""


@dataclass(frozen=True)
class Table:
    """A header and rows of cells, each row with its line number (1 is the header)."""

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def read_table(path: str | Path, *, max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Table:
    """The table in a ``.csv`` or ``.xlsx`` file (the first sheet of a workbook).

    Raises
    ------
    ProfileError
        If the file cannot be read, is too large, or is not a table.
    ImportError
        For XLSX without openpyxl (the ``forms`` extra).
    """
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        return _xlsx(target, str(path), max_bytes)
    text = _reading.read_text(target, error=ProfileError, max_bytes=max_bytes)
    return table_from_text(text, str(path))


def table_from_text(text: str, source: str) -> Table:
    """The table in CSV text: commas, or semicolons where the header uses more of them."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    try:
        header = next(reader, None)
        budget = MAX_CELLS
        for row in reader:
            budget -= len(row)
            if budget < 0:
                raise _too_many(source, reader.line_num)
            rows.append((reader.line_num, tuple(row)))
    except csv.Error as exc:
        raise ProfileError([Problem(file=source, line=reader.line_num, column=1,
                                    code="syntax-error",
                                    **problem_said(("problem.table-csv", {"what": exc})))]
                           ) from None
    return _table(source, header, rows)


def _table(source: str, header: list[str] | None,
           rows: list[tuple[int, tuple[Cell, ...]]]) -> Table:
    if not header or not any(str(c).strip() for c in header):
        raise ProfileError([Problem(file=source, line=1, column=1, code="empty-file",
                                    **problem_said(("problem.table-empty", {})))])
    return Table(source, tuple(str(c).strip() for c in header), tuple(rows))


def _unreadable(source: str, exc: Exception) -> ProfileError:
    return ProfileError([Problem(file=source, code="syntax-error", **problem_said((
        "problem.xlsx-unreadable", {"what": type(exc).__name__})))])


def _too_many(source: str, line: int) -> ProfileError:
    return ProfileError([Problem(file=source, line=line, column=1, code="too-many-values",
                                 **problem_said(("problem.too-many-cells",
                                                 {"limit": f"{MAX_CELLS:,}"})))])


def _xlsx(target: Path, source: str, max_bytes: int) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(f"reading XLSX needs openpyxl, which is not installed: "
                          f"{FORMS_EXTRA}") from None
    try:
        size = target.stat().st_size
    except OSError as exc:
        raise ProfileError([Problem(file=source, code="unreadable-file", **problem_said((
            "problem.cannot-read-file", {"what": exc.strerror or exc})))]) from None
    if size > max_bytes:
        raise ProfileError([Problem(file=source, code="file-too-large", **problem_said((
            "problem.workbook-too-large", {"limit": f"{max_bytes:,}"})))])
    _check_unpacked(target, source, max_bytes)
    header, rows = _workbook_rows(openpyxl, target, source)
    return _table(source, [_text(v) for v in header] if header else None,
                  [(line, tuple(_cell(v) for v in values)) for line, values in rows])


# A damaged workbook makes openpyxl, zipfile, zlib and the XML parser raise almost anything
# (zlib.error, EOFError, IndexError, NotImplementedError, ParseError, ...): only their calls
# are inside these guards, so that each becomes one located problem and a bug of ours is not
# hidden behind it.
_Raw = tuple[object, ...]


def _workbook_rows(openpyxl: Any, target: Path, source: str
                   ) -> tuple[_Raw | None, list[tuple[int, _Raw]]]:
    """The first sheet's header and rows, as openpyxl reads them."""
    try:
        book = openpyxl.load_workbook(target, read_only=True, data_only=True)
    except Exception as exc:  # see above
        raise _unreadable(source, exc) from None
    rows: list[tuple[int, _Raw]] = []
    try:
        lines = book.worksheets[0].iter_rows(values_only=True)
        header = next(lines, None)
        budget = MAX_CELLS
        for line, values in enumerate(lines, start=2):
            budget -= len(values)
            if budget < 0:
                raise _too_many(source, line)
            rows.append((line, values))
    except ProfileError:
        raise
    except Exception as exc:  # see above
        raise _unreadable(source, exc) from None
    finally:
        book.close()
    return header, rows


UNPACKED_RATIO = 20
"""A workbook may unpack to this many times the size limit (XML is verbose; a real export
unpacks to 5-10 times its size); a larger one is refused before it is read."""


def _check_unpacked(target: Path, source: str, max_bytes: int) -> None:
    """Refuse a workbook whose parts unpack past the limit (a zip bomb), before reading it."""
    try:
        with zipfile.ZipFile(target) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # a damaged archive raises almost anything
        raise _unreadable(source, exc) from None
    if unpacked > UNPACKED_RATIO * max_bytes:
        raise ProfileError([Problem(file=source, code="file-too-large", **problem_said((
            "problem.unpacks-too-large", {"size": f"{unpacked:,}", "ratio": UNPACKED_RATIO,
                                          "limit": f"{max_bytes:,}"})))])


def _cell(value: object) -> Cell:
    """A spreadsheet value as the reader takes it: dates stay dates, the rest is text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _text(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
