"""Profiles from the field: one reader for wide tables, one row per institution.

A wide table is what a survey round produces: the CSV or XLSX export of KoboToolbox or ODK
(many submissions of the form ``disaster-protocol form`` writes), or a spreadsheet people filled
with one institution per row and one column per action. Each row becomes one profile, checked
as a file would be; a broken row is reported with its row and column while the others are
read. Spreadsheets are read as people write them: ``N/A``, ``NA`` or ``no aplica`` for n/a,
``3,0`` for 3, ids in any case, extra columns kept aside with a warning, and ``15/10/2026``
when the order of day and month is stated (``dates=`` or a ``date_format`` column): never
guessed.

Examples
--------
>>> import disaster_protocol as dp
>>> round_ = dp.read_submissions("examples/field/round_2026.csv")
>>> [s.profile.institution.id for s in round_ if s.profile], len(round_.failures)
(['caja-norte', 'instituto-sur'], 0)
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from . import _reading
from ._i18n import Term, in_every_language, problem_said
from ._reading import Document, KeyPath
from ._sheet import Cell, Table, read_table
from ._wide_names import (
    ACTION_FIELDS,
    EXPORT_COLUMNS,
    EXPORT_MARKS,
    INSTITUTION,
    LEVEL,
    NOT_APPLICABLE,
    NOT_APPLICABLE_NORMAL,
    REQUIRED,
    SLASHED,
    TOP,
    UNKNOWN,
    Target,
)
from .errors import InputWarning, Problem, ProfileError, require_type
from .loader import bundled_protocol, profile_from_document
from .model import Protocol
from .profile import LATEST_DATE, Profile

__all__ = ["DateOrder", "Submission", "Submissions", "from_frame", "is_wide",
           "read_submissions"]

DateOrder = Literal["iso", "day-first", "month-first"]
"""How dates written with slashes are read: ``iso`` refuses them (``YYYY-MM-DD`` only)."""



@dataclass(frozen=True)
class Submission:
    """One row of a wide table: its profile, or the problems that kept it from being read.

    ``source`` names the row (``round.csv:3``); ``extra`` holds the row's values in columns
    that are not part of a profile (kept aside, not scored).
    """

    source: str
    line: int
    profile: Profile | None
    problems: tuple[Problem, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submissions:
    """Every row of a wide table, in order; iterate it for the :class:`Submission` values."""

    source: str
    rows: tuple[Submission, ...]
    extra_columns: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Submission]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def profiles(self) -> tuple[Profile, ...]:
        """The profiles of the rows that were read."""
        return tuple(s.profile for s in self.rows if s.profile is not None)

    @property
    def failures(self) -> tuple[Submission, ...]:
        """The rows that could not be read, each with its problems."""
        return tuple(s for s in self.rows if s.profile is None)


# ----------------------------------------------------------------------------- public

def read_submissions(path: str | os.PathLike[str], protocol: Protocol | None = None, *,
                     dates: DateOrder = "iso",
                     max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Submissions:
    """Read a wide table (``.csv`` or ``.xlsx``): one profile per row.

    Parameters
    ----------
    path : str or Path
        A KoboToolbox or ODK export of the form ``disaster-protocol form`` writes, or a
        spreadsheet with one institution per row (docs/collection.md lists the columns).
    protocol : Protocol, optional
        Default: the bundled one.
    dates : {"iso", "day-first", "month-first"}
        How ``15/10/2026`` is read; with ``iso`` (the default) such a date is a problem unless
        the row's ``date_format`` column says ``DD/MM/YYYY`` or ``MM/DD/YYYY``.
    max_bytes : int
        Refuse larger files (default 5 MB).

    Returns
    -------
    Submissions
        A row that could not be read carries its problems (row and column); the others their
        profiles. Columns that are not part of a profile are warned about
        (:class:`~disaster_protocol.errors.InputWarning`) and kept in ``extra``.

    Raises
    ------
    ProfileError
        If the file cannot be read as a table, or its header lacks a column every profile
        needs (every problem of the header at once).
    ImportError
        For XLSX without openpyxl (the ``forms`` extra).
    """
    require_type(path, (str, os.PathLike), "path", "a file path (str or pathlib.Path)")
    _check_dates(dates)
    protocol = bundled_protocol() if protocol is None else protocol
    return _submissions(read_table(os.fspath(path), max_bytes=max_bytes), protocol, dates)


def from_frame(frame: object, protocol: Protocol | None = None, *, source: str = "<frame>",
               dates: DateOrder = "iso") -> Submissions:
    """Read a pandas DataFrame laid out as a wide table (one institution per row).

    Rows are numbered as in a spreadsheet (the header is row 1, the first row 2); empty cells
    (``NaN``, ``None``) are empty; timestamps are dates. See :func:`read_submissions`.

    Raises
    ------
    ProfileError
        As :func:`read_submissions`.
    TypeError
        If ``frame`` is not a DataFrame.
    """
    columns = getattr(frame, "columns", None)
    rows = getattr(frame, "itertuples", None)
    if columns is None or rows is None:
        raise TypeError(f"frame must be a pandas DataFrame (got {type(frame).__name__})")
    _check_dates(dates)
    protocol = bundled_protocol() if protocol is None else protocol
    table = Table(source, tuple(str(c).strip() for c in columns),
                  tuple((i, tuple(_frame_cell(v) for v in values))
                        for i, values in enumerate(rows(index=False, name=None), start=2)))
    return _submissions(table, protocol, dates)


def is_wide(header: tuple[str, ...] | list[str], protocol: Protocol | None = None) -> bool:
    """Whether a header is a wide table's: it names an action column or an export's metadata
    column, and no ``action_id`` column (a long, one-row-per-action CSV profile has one)."""
    protocol = bundled_protocol() if protocol is None else protocol
    keys = _keys(protocol)
    names = [_normal(h) for h in header]
    if any(n in ("action_id", "accion", "id_accion") for n in names):
        return False
    return any(n in EXPORT_MARKS or (_find(n, keys) or ("",))[0] == "actions" for n in names)


# ----------------------------------------------------------------------------- columns

def _check_dates(dates: object) -> None:
    if dates not in ("iso", "day-first", "month-first"):
        raise ValueError(f"dates must be 'iso', 'day-first' or 'month-first' (got {dates!r})")


def _frame_cell(value: object) -> Cell:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return "" if text in ("NaT", "<NA>", "nan") else text


def _normal(name: str) -> str:
    """``Último ejercicio`` -> ``ultimo_ejercicio``; ``GOV-01`` -> ``gov_01``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", bare.lower()).strip("_")


def _keys(protocol: Protocol) -> dict[str, Target]:
    """Every column a wide table may have, by its normal name."""
    keys: dict[str, Target] = {k: ("institution", v) for k, v in INSTITUTION.items()}
    keys.update(TOP)
    for role in protocol.roles:
        for prefix in ("role", "rol"):
            keys.setdefault(f"{prefix}_{_normal(role.id)}", ("roles", role.id, "unit"))
    for action in protocol.actions:
        for suffix, key in ACTION_FIELDS.items():
            name = _normal(action.id) + (f"_{suffix}" if suffix else "")
            keys.setdefault(name, ("actions", action.id, key))
    return keys


def _prefixes(protocol: Protocol) -> tuple[str, ...]:
    """The group names the form uses, which exports put before a field's name."""
    return ("institution_", "institucion_", "roles_", "meta_",
            *(f"phase_{_normal(p.id)}_" for p in protocol.phases))


def _find(name: str, keys: dict[str, Target], prefixes: tuple[str, ...] = ()
          ) -> Target | None:
    if name in keys:
        return keys[name]
    for prefix in prefixes:
        if name.startswith(prefix) and name[len(prefix):] in keys:
            return keys[name[len(prefix):]]
    return None


@dataclass
class _Layout:
    columns: dict[int, Target]
    extra: dict[int, str]
    width: int


def _layout(table: Table, protocol: Protocol) -> _Layout:
    keys, prefixes = _keys(protocol), _prefixes(protocol)
    columns: dict[int, Target] = {}
    extra: dict[int, str] = {}
    problems: list[Problem] = []
    first: dict[Target, int] = {}
    for col, cell in enumerate(table.header, start=1):
        name = _normal(cell)
        target = _find(name, keys, prefixes)
        if target is None:
            if name and name not in EXPORT_COLUMNS and not name.startswith("meta_"):
                extra[col] = cell
            continue
        if target in first:
            problems.append(Problem(file=table.source, line=1, column=col, code="duplicate-key",
                                    **problem_said(("problem.column-twice",
                                                    {"cell": cell, "first": first[target]}))))
            continue
        first[target] = col
        columns[col] = target
    problems += [Problem(file=table.source, line=1, column=1, code="missing-field",
                         **problem_said(("problem.column-missing", {"column": ".".join(t)})))
                 for t in REQUIRED if t not in first]
    if problems:
        raise ProfileError(problems)
    for col, cell in extra.items():
        warnings.warn(InputWarning(Problem(
            file=table.source, line=1, column=col, code="extra-column",
            **problem_said(("problem.column-extra", {"cell": cell})))), stacklevel=4)
    return _Layout(columns, extra, len(table.header))


# ----------------------------------------------------------------------------- rows

def _submissions(table: Table, protocol: Protocol, dates: DateOrder) -> Submissions:
    layout = _layout(table, protocol)
    export = any(_normal(h) in EXPORT_MARKS for h in table.header)
    review = next((i for i, h in enumerate(table.header)
                   if _normal(h) in ("validation_status", "reviewstate")), None)
    rows = []
    for line, cells in table.rows:
        if not any(isinstance(c, date) or c.strip() for c in cells):
            continue
        rows.append(_row(table.source, line, cells, layout, protocol, dates,
                         export, review))
    return Submissions(table.source, tuple(rows), tuple(layout.extra.values()))


@dataclass
class _Row:
    source: str
    line: int
    dates: DateOrder
    data: dict[str, object] = field(default_factory=dict)
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, col: int, path: str, message: Mapping[str, str], code: str) -> None:
        """A problem of this row, its ``message`` by language."""
        said = tuple((lang, text) for lang, text in message.items() if lang != "en")
        self.problems.append(Problem(file=self.source, line=self.line, column=col, path=path,
                                     message=message["en"], said=said,
                                     code=code))  # type: ignore[arg-type]

    def put(self, target: Target, value: object, col: int) -> None:
        node = self.data
        for key in target[:-1]:
            child = node.setdefault(key, {})
            assert isinstance(child, dict)
            node = child
            self.positions.setdefault(target[:target.index(key) + 1], (self.line, col))
        node[target[-1]] = value
        self.positions[target] = (self.line, col)


def _row(source: str, line: int, cells: tuple[Cell, ...], layout: _Layout, protocol: Protocol,
         dates: DateOrder, export: bool, review: int | None) -> Submission:
    row = _Row(source, line, _row_dates(cells, layout, dates))
    if any(isinstance(c, date) or c.strip() for c in cells[layout.width:]):
        row.problem(layout.width + 1, "", in_every_language(
            "problem.row-cells", n=len(cells), width=layout.width), "wrong-type")
        return Submission(f"{source}:{line}", line, None, tuple(row.problems))
    row.data["schema_version"] = 1
    for col, target in layout.columns.items():
        cell = cells[col - 1] if col <= len(cells) else ""
        if target == ("date_format",):
            continue
        value = _value(row, target, cell, col)
        if value is not None:
            row.put(target, value, col)
    if export and "state" not in row.data:
        status = "submitted"
        if review is not None and review < len(cells):
            status = "validated" if str(cells[review]).strip().lower() in (
                "validation_status_approved", "approved") else "submitted"
        row.put(("state", "status"), status, 1)
    extra = {name: str(cells[c - 1]).strip() for c, name in layout.extra.items()
             if c <= len(cells) and str(cells[c - 1]).strip()}
    row.positions[()] = (line, 1)
    profile = _checked(row, protocol)
    if row.problems:
        return Submission(f"{source}:{line}", line, None, tuple(sorted(row.problems)), extra)
    return Submission(f"{source}:{line}", line, profile, (), extra)


_STAND_INS: dict[str, object] = {"institution.id": "x", "institution.name": "x",
                                  "institution.country": "x",
                                  "assessed_on": LATEST_DATE.isoformat()}


def _checked(row: _Row, protocol: Protocol) -> Profile | None:
    """The row checked as a profile file is; where its shape fails, the failing cells are
    stood in for (or left out) and the row checked once more, so that the problems of
    meaning (an n/a without justification) are reported with those of shape."""
    for attempt in range(2):
        doc = Document(row.data, row.source, (row.positions, dict(row.positions), {}))
        try:
            profile = profile_from_document(doc, protocol)
        except ProfileError as exc:  # a cell already refused is not reported again
            said = {p.path for p in row.problems}
            new = [p for p in exc.problems if p.path not in said]
            row.problems += new
            if attempt or not _stand_in(row.data, [p.path for p in exc.problems]):
                return None
            continue
        return None if row.problems else profile
    return None


def _stand_in(data: dict[str, object], paths: list[str]) -> bool:
    """Replace or drop the values at ``paths``; whether anything changed."""
    changed = False
    for path in paths:
        keys = path.split(".")
        node: object = data
        for key in keys[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict) or keys[-1] == "level":
            continue
        if path in _STAND_INS:
            node[keys[-1]] = _STAND_INS[path]
            changed = True
        elif keys[-1] in node:
            del node[keys[-1]]
            changed = True
    return changed


def _row_dates(cells: tuple[Cell, ...], layout: _Layout, dates: DateOrder) -> DateOrder:
    """The order the row's ``date_format`` column states, else the option's."""
    for col, target in layout.columns.items():
        if target == ("date_format",) and col <= len(cells):
            said = str(cells[col - 1]).strip().upper().replace("-", "/").replace(".", "/")
            if said.startswith(("DD/MM", "DIA/MES", "D/M")):
                return "day-first"
            if said.startswith(("MM/DD", "MES/DIA", "M/D")):
                return "month-first"
    return dates


def _value(row: _Row, target: Target, cell: Cell, col: int) -> object:
    """The cell as a profile value: ``None`` when empty (or not applicable where n/a is not
    an answer)."""
    if isinstance(cell, date):
        return cell.isoformat()
    text = cell.strip()
    key = target[-1]
    if key == "level":
        level = _level(text)
        if level is not None and not isinstance(level, int) and level not in ("n/a",
                                                                               "unknown"):
            row.problem(col, ".".join(target), in_every_language("problem.row-level", got=text),
                        "invalid-level")
            return "unknown"  # reported: the row's other checks still run
        return level
    if not text or (key != "justification" and _normal(text) in NOT_APPLICABLE_NORMAL):
        return None
    if key in ("assessed_on", "last_exercised", "on"):
        return _date(row, text, col, ".".join(map(str, target)))
    if key == "evidence":
        return [e.strip() for e in re.split(r"[;\n]", text) if e.strip()]
    if key in ("type", "language", "status"):
        return text.lower()
    return text


def _level(text: str) -> object:
    """A level as written: ``3``, ``3,0``, ``3 — Implemented``, ``N/A``, ``no aplica — ...``,
    ``sin evaluar``; anything else is returned as written (and refused)."""
    if not text:
        return None
    lowered = " ".join(text.lower().split())
    said = re.split(r"\s+[-:\u2013\u2014]\s*", lowered, maxsplit=1)[0]  # a choice's label
    if said in NOT_APPLICABLE or said.replace("/", "") == "na":
        return "n/a"
    if said in UNKNOWN:
        return "unknown"
    match = LEVEL.match(lowered)
    return int(match.group(1)) if match else text


def _date(row: _Row, text: str, col: int, path: str) -> str | None:
    head = text[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", head) and (len(text) == 10 or text[10] in "T "):
        try:
            return date.fromisoformat(head).isoformat()  # ISO, or a timestamp's date
        except ValueError:
            row.problem(col, path, in_every_language("problem.row-not-date", value=text),
                        "invalid-date")
            return None
    match = SLASHED.match(text)
    if match is None:
        row.problem(col, path, in_every_language("cli.not-a-date", value=text), "invalid-date")
        return None
    if row.dates == "iso":
        row.problem(col, path, in_every_language("problem.row-ambiguous-date", value=text),
                    "ambiguous-date")
        return None
    first, second, year = (int(g) for g in match.groups())
    day, month = (first, second) if row.dates == "day-first" else (second, first)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        order = Term("order.day-first" if row.dates == "day-first" else "order.month-first")
        row.problem(col, path, in_every_language("problem.row-date-order", value=text,
                                                 order=order), "invalid-date")
        return None
