"""The readiness profile of one institution, and how to read it (YAML, JSON or CSV).

A profile says, for each protocol action, how far it is in place (a level 0-4, or ``n/a`` with a
justification), with evidence and the date it was last exercised. YAML and JSON profiles hold
everything; a CSV holds one row per action and takes the institution data from a sidecar file
``<name>.meta.yaml`` beside it or from keyword arguments.

Reading runs in stages like the protocol loader (read → version → structure → meaning against
the protocol) and raises one :class:`~disaster_protocol.errors.ProfileError` listing every
problem of the failing stage with its file, line and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path as FsPath
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from . import _yaml
from ._validation import check_version, problems_from_validation, suggest
from ._yaml import Document, Path, display_path
from .errors import Problem, ProfileError
from .loader import load_protocol
from .model import Id, NonEmpty, Protocol, _Frozen

_M = TypeVar("_M", bound=BaseModel)

__all__ = [
    "CSV_COLUMNS",
    "ActionStatus",
    "Institution",
    "Level",
    "Profile",
    "RoleAssignment",
    "Waiver",
    "load_profile",
    "loads_profile",
]

Level = Literal[0, 1, 2, 3, 4, "n/a"]
"""0 none, 1 planned, 2 partial, 3 implemented, 4 tested; ``n/a`` when it does not apply."""

CSV_COLUMNS = ("action_id", "level", "evidence", "last_exercised", "justification", "note")
"""Columns of a CSV profile, in order; evidence items are separated by ``;``."""

_LEVELS = (0, 1, 2, 3, 4)


class Institution(_Frozen):
    """Who is assessed."""

    id: Id
    name: NonEmpty
    country: NonEmpty


class RoleAssignment(_Frozen):
    """The unit that fills a protocol role (``RMU: "Coordinación de Riesgos"`` is shorthand)."""

    unit: NonEmpty
    alternate: NonEmpty | None = None


class ActionStatus(_Frozen):
    """How far one action is in place (``PREP-07: 3`` is shorthand for ``{level: 3}``)."""

    level: Level
    evidence: tuple[NonEmpty, ...] = ()
    last_exercised: date | None = None
    justification: NonEmpty | None = None
    note: NonEmpty | None = None


class Waiver(_Frozen):
    """A formally accepted gap: the action does not block the grade until ``expires``."""

    action: Id
    reason: NonEmpty
    approved_by: NonEmpty
    expires: date


class _ProfileMeta(_Frozen):
    """Everything in a profile but the actions (the content of a CSV sidecar)."""

    schema_version: Literal[1]
    institution: Institution
    assessed_on: date
    roles: dict[Id, RoleAssignment] = Field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()


class _ProfileActions(_Frozen):
    actions: dict[Id, ActionStatus] = Field(default_factory=dict)


class Profile(_ProfileMeta):
    """The readiness profile of one institution at one date.

    ``roles`` and ``actions`` are keyed by protocol ids and must not be modified; actions
    missing from ``actions`` are unassessed and count as level 0.
    """

    actions: dict[Id, ActionStatus] = Field(default_factory=dict)


def load_profile(path: str | FsPath, protocol: Protocol | None = None, *,
                 institution: Institution | None = None, assessed_on: date | None = None,
                 max_bytes: int = _yaml.DEFAULT_MAX_BYTES) -> Profile:
    """Read and check a readiness profile.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml``, ``.json`` or ``.csv``.
    protocol : Protocol, optional
        The protocol the profile answers (default: the bundled one); action and role ids are
        checked against it.
    institution, assessed_on : optional
        For CSV profiles: override or replace the ``<name>.meta.yaml`` sidecar.
    max_bytes : int
        Refuse larger files (default 5 MB).

    Raises
    ------
    ProfileError
        Every problem of the first failing stage, each with file:line:column.

    Examples
    --------
    >>> import disaster_protocol as dp
    >>> text = "schema_version: 1\\ninstitution: {id: x, name: X, country: MX}\\n" \\
    ...        "assessed_on: 2026-01-31\\nactions: {GOV-01: 3}\\n"
    >>> dp.loads_profile(text).actions["GOV-01"].level
    3
    """
    target = FsPath(path)
    text = _yaml.read_text(target, error=ProfileError, max_bytes=max_bytes)
    if target.suffix.lower() == ".csv":
        sidecar = target.with_name(target.stem + ".meta.yaml")
        meta = None
        if sidecar.is_file():
            meta = _yaml.parse_text(_yaml.read_text(sidecar, error=ProfileError,
                                                    max_bytes=max_bytes),
                                    str(sidecar), error=ProfileError)
        return loads_profile_csv(text, protocol, source=str(path), meta=meta,
                                 institution=institution, assessed_on=assessed_on)
    return loads_profile(text, protocol, source=str(path),
                         json=target.suffix.lower() == ".json")


def loads_profile(text: str, protocol: Protocol | None = None, *,
                  source: str = "<string>", json: bool = False) -> Profile:
    """Check a YAML or JSON profile given as text (see :func:`load_profile`).

    ``json=True`` reads the text with the JSON parser (``.json`` files do so automatically).
    """
    doc = (_yaml.parse_json(text, source, error=ProfileError) if json
           else _yaml.parse_text(text, source, error=ProfileError))
    check_version(doc, ProfileError, "profile")
    assert isinstance(doc.data, dict)
    _expand_shorthand(doc.data)
    _raise_if(list(_level_problems(doc)))
    profile = _validated(Profile, doc)
    _raise_if(list(_semantic_problems(profile, doc, doc, protocol or load_protocol())))
    return profile


def loads_profile_csv(text: str, protocol: Protocol | None = None, *,
                      source: str = "<string>", meta: Document | None = None,
                      institution: Institution | None = None,
                      assessed_on: date | None = None) -> Profile:
    """Check a CSV profile: one row per action, the rest from ``meta`` or the arguments.

    ``meta`` is the parsed sidecar (``<name>.meta.yaml``): ``schema_version``, ``institution``,
    ``assessed_on`` and optionally ``roles`` and ``waivers``. ``institution`` and
    ``assessed_on`` given here take precedence over it.
    """
    rows, positions, problems = _read_csv(text, source)
    _raise_if(problems)
    actions_doc = Document({"actions": rows}, source, positions, dict(positions), {})
    _raise_if(list(_level_problems(actions_doc)))
    actions = _validated(_ProfileActions, actions_doc)
    if meta is None:
        meta = Document({"schema_version": 1}, source, {(): (0, 0)}, {}, {})
    else:
        check_version(meta, ProfileError, "profile sidecar")
    meta_data = meta.data
    assert isinstance(meta_data, dict)
    if "actions" in meta_data:
        _raise_if([meta.problem(("actions",), "actions belong in the CSV, not in the sidecar",
                                "unknown-key", shown="actions", key=True)])
    if institution is not None:
        meta_data["institution"] = institution.model_dump()
    if assessed_on is not None:
        meta_data["assessed_on"] = assessed_on
    _raise_if([Problem(meta.source, 0, 0, "", f"{key} is missing: put it in the sidecar "
                       f"{FsPath(source).stem}.meta.yaml beside the CSV, or pass it as an "
                       "option", "missing-field")
               for key in ("institution", "assessed_on") if key not in meta_data])
    _expand_shorthand(meta_data)
    head = _validated(_ProfileMeta, meta)
    profile = Profile.model_validate({**head.model_dump(), "actions": actions.actions})
    _raise_if(list(_semantic_problems(profile, actions_doc, meta,
                                      protocol or load_protocol())))
    return profile


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ProfileError(sorted(problems))


def _validated(model: type[_M], doc: Document) -> _M:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ProfileError(problems_from_validation(exc, doc, model)) from None


def _read_csv(text: str, source: str) -> tuple[dict[str, object], dict[Path, tuple[int, int]],
                                               list[Problem]]:
    """Rows keyed by action id; positions are (line, field number)."""
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    rows: dict[str, object] = {}
    positions: dict[Path, tuple[int, int]] = {}
    header = next(reader, None)
    if header is None:
        raise ProfileError([Problem(source, 1, 1, "", "the CSV is empty; its first line must "
                                    f"be the header: {','.join(CSV_COLUMNS)}", "empty-file")])
    header = [h.strip() for h in header]
    if header[:len(CSV_COLUMNS)] != list(CSV_COLUMNS) or len(header) > len(CSV_COLUMNS):
        raise ProfileError([Problem(source, 1, 1, "", "the header must be exactly: "
                                    f"{','.join(CSV_COLUMNS)} (got {','.join(header)})",
                                    "wrong-type")])
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_COLUMNS):
            problems.append(Problem(source, line, 1, "", f"expected {len(CSV_COLUMNS)} fields, "
                                    f"got {len(row)}", "wrong-type"))
            continue
        cells = dict(zip(CSV_COLUMNS, (c.strip() for c in row), strict=True))
        action = cells["action_id"]
        if action in first_line:
            problems.append(Problem(source, line, 1, f"actions.{action}", f"action {action!r} "
                                    f"is listed twice (first on line {first_line[action]})",
                                    "duplicate-key"))
            continue
        first_line[action] = line
        entry: dict[str, object] = {"level": _csv_level(cells["level"])}
        if cells["evidence"]:
            entry["evidence"] = [e.strip() for e in cells["evidence"].split(";") if e.strip()]
        for key in ("last_exercised", "justification", "note"):
            if cells[key]:
                entry[key] = cells[key]
        rows[action] = entry
        positions[("actions", action)] = (line, 1)
        for col, key in enumerate(CSV_COLUMNS[1:], start=2):
            positions[("actions", action, key)] = (line, col)
    positions[()] = (1, 1)
    return rows, positions, problems


def _csv_level(cell: str) -> object:
    return int(cell) if cell.isdigit() else cell


def _expand_shorthand(data: dict[str, object]) -> None:
    """``ACTION: 3`` -> ``{level: 3}`` and ``ROLE: "unit"`` -> ``{unit: "unit"}`` (in place).

    An empty ``roles:``, ``actions:`` or ``waivers:`` key means none.
    """
    for key, empty in (("roles", {}), ("actions", {}), ("waivers", [])):
        if key in data and data[key] is None:
            data[key] = empty
    actions = data.get("actions")
    if isinstance(actions, dict):
        for key, value in actions.items():
            if not isinstance(value, dict):
                actions[key] = {"level": value}
    roles = data.get("roles")
    if isinstance(roles, dict):
        for key, value in roles.items():
            if isinstance(value, str):
                roles[key] = {"unit": value}


def _level_problems(doc: Document) -> Iterator[Problem]:
    """Levels are checked first, for a message that lists what is allowed."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    if not isinstance(actions, dict):
        return
    for action_id, entry in actions.items():
        if not isinstance(entry, dict) or "level" not in entry:
            continue
        level = entry["level"]
        ok = level == "n/a" or (isinstance(level, int) and not isinstance(level, bool)
                                and level in _LEVELS)
        if not ok:
            path = ("actions", action_id, "level")
            shown = repr(level) if not isinstance(level, bool) else \
                f"{doc.plain_scalars.get(path, level)!r}, read by YAML as {level}"
            yield doc.problem(path, f"must be 0-4 or n/a (got {shown})", "invalid-level",
                              shown=f"actions.{action_id}.level")


def _semantic_problems(profile: Profile, actions_doc: Document, meta: Document,
                       protocol: Protocol) -> Iterator[Problem]:
    """Check the profile against the protocol; action problems are located in ``actions_doc``,
    the rest in ``meta`` (the same document unless the actions came from a CSV)."""

    def at(path: Path, message: str, code: str, *, key: bool = False) -> Problem:
        doc = actions_doc if path[0] == "actions" else meta
        return doc.problem(path, message, code, shown=display_path(doc.data, path), key=key)

    actions = protocol.action_index
    roles = [r.id for r in protocol.roles]
    for action_id, status in profile.actions.items():
        path: Path = ("actions", action_id)
        if action_id not in actions:
            yield at(path, f"unknown action {action_id!r}{suggest(action_id, list(actions))}; "
                     f"the protocol {protocol.id} {protocol.version} has no such action",
                     "unknown-action", key=True)
        if status.level == "n/a" and status.justification is None:
            yield at(path, "n/a needs a justification: say why this action does not apply",
                     "missing-justification")
        if status.last_exercised is not None and status.last_exercised > profile.assessed_on:
            yield at((*path, "last_exercised"), f"last exercised on {status.last_exercised}, "
                     f"after the assessment date {profile.assessed_on}; check the date",
                     "invalid-date")
    for role_id in profile.roles:
        if role_id not in roles:
            yield at(("roles", role_id), f"unknown role {role_id!r}{suggest(role_id, roles)}",
                     "unknown-role", key=True)
    for i, waiver in enumerate(profile.waivers):
        if waiver.action not in actions:
            yield at(("waivers", i, "action"), f"unknown action {waiver.action!r}"
                     f"{suggest(waiver.action, list(actions))}", "unknown-action")
