"""Every way in: protocols and profiles read from files, text or plain data, in stages.

1. **read**: size limit, text check; **parse**: safe YAML (or JSON, or CSV) with a side table of
   positions;
2. **version**: ``schema_version`` is read first, before anything else;
3. **structure**: the pydantic models (every unknown key, missing field and wrong type);
4. **meaning**: the check tables of :mod:`._checks` (references, cycles, ids the protocol has).

Each stage collects every problem it finds and raises them together in one
:class:`~disaster_protocol.errors.ProtocolError` or
:class:`~disaster_protocol.errors.ProfileError`; later stages do not run after a failing one.
The bundled protocol is read once per process and shared (it is immutable).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path as FsPath
from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from . import _reading
from ._checks import control_characters, may_hold_controls, profile_problems, protocol_problems
from ._i18n import in_every_language, problem_said, translate_data
from ._plain import paused_gc
from ._reading import Document
from ._table import parse_csv
from ._validation import check_version, problems_from_validation
from .errors import InputWarning, Problem, ProfileError, ProtocolError, require_type, show_value
from .model import Protocol
from .profile import LEVELS, Institution, Profile, ProfileActions, ProfileMeta

__all__ = [
    "ProfileFormat",
    "bundled_folder",
    "bundled_protocol",
    "bundled_protocol_path",
    "load_profile",
    "load_protocol",
    "loads_profile",
    "loads_protocol",
    "profile_from_dict",
    "profile_from_document",
    "read_profile_document",
]

ProfileFormat = Literal["yaml", "json", "csv"]
"""How a profile's text is written; files are told apart by their suffix."""

_BUNDLED_NAME = "sendai_ciss.yaml"
_M = TypeVar("_M", bound=BaseModel)
_PATH_TYPES = (str, os.PathLike)


# ----------------------------------------------------------------------------- protocols

def bundled_protocol_path() -> FsPath:
    """Path of the bundled CISS/Sendai protocol file.

    Installed packages carry it as package data; a source checkout reads it from
    ``protocols/`` at the repository root.
    """
    packaged = resources.files("disaster_protocol") / "_data" / _BUNDLED_NAME
    if packaged.is_file():
        return FsPath(str(packaged))
    return FsPath(__file__).resolve().parents[2] / "protocols" / _BUNDLED_NAME


def bundled_folder(name: str) -> FsPath:
    """A folder of data shipped beside the bundled protocol (``migrations``, ``crosswalks``):
    package data when installed, ``protocols/<name>`` in a source checkout."""
    packaged = resources.files("disaster_protocol") / "_data" / name
    if packaged.is_dir():
        return FsPath(str(packaged))
    return FsPath(__file__).resolve().parents[2] / "protocols" / name


def load_protocol(path: str | os.PathLike[str] | None = None, *,
                  max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Protocol:
    """Load and fully validate a protocol file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file. ``None`` loads the bundled CISS Disaster Protocol, read once per
        process and shared afterwards (it is immutable).
    max_bytes : int
        Refuse files larger than this (default 5 MB).

    Returns
    -------
    Protocol
        The validated, frozen protocol.

    Raises
    ------
    ProtocolError
        Listing every problem of the first failing stage, each with file:line:column.
    TypeError
        If ``path`` is not a path.

    Examples
    --------
    >>> protocol = load_protocol()
    >>> protocol.id, protocol is load_protocol()
    ('sendai_ciss', True)
    """
    if path is None and max_bytes == _reading.DEFAULT_MAX_BYTES:
        return _bundled_protocol()
    if path is not None:
        require_type(path, _PATH_TYPES, "path", "a file path (str or pathlib.Path)")
    target = bundled_protocol_path() if path is None else FsPath(path)
    shown = str(path) if path is not None else _display_bundled(target)
    text = _reading.read_text(target, error=ProtocolError, max_bytes=max_bytes)
    return _protocol_from_text(text, shown, max_bytes)


@lru_cache(maxsize=1)
def _bundled_protocol() -> Protocol:
    target = bundled_protocol_path()
    return _protocol_from_text(_reading.read_text(target, error=ProtocolError),
                               _display_bundled(target), _reading.DEFAULT_MAX_BYTES)


def loads_protocol(text: str, *, source: str = "<string>",
                   max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Protocol:
    """Validate a protocol given as YAML text.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Name used in error messages.
    max_bytes : int
        Refuse texts larger than this, in UTF-8 bytes (default 5 MB).

    Raises
    ------
    ProtocolError
        As :func:`load_protocol`.
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> loads_protocol("schema_version: 2\\n", source="p.yaml")
    Traceback (most recent call last):
    ...
    disaster_protocol.errors.ProtocolError: p.yaml:1:17: schema_version: version 2 is newer ...
    """
    require_type(text, str, "text", "the protocol's YAML text (str)")
    _check_size(text, source, max_bytes, ProtocolError)
    return _protocol_from_text(text, source, max_bytes)


def _protocol_from_text(text: str, source: str, max_bytes: int) -> Protocol:
    # Real protocols spend 7 to 20 bytes a value: a larger size limit, set on purpose,
    # raises the value budget with it.
    budget = max(_reading.DEFAULT_MAX_VALUES, max_bytes // 8)
    with paused_gc():  # a large protocol is millions of objects and no cycles
        doc = _reading.parse_text(text, source, error=ProtocolError, what="protocol",
                               max_values=budget)
        check_version(doc, ProtocolError, "protocol")
        translate_data(doc.data)
        protocol = _validated(Protocol, doc, ProtocolError)
        _raise_if(protocol_problems(protocol, doc), ProtocolError)
    return protocol


def _display_bundled(target: FsPath) -> str:
    try:
        return str(target.relative_to(FsPath.cwd()))
    except ValueError:
        return str(target)


# ----------------------------------------------------------------------------- profiles

def load_profile(path: str | os.PathLike[str], protocol: Protocol | None = None, *,
                 institution: Institution | None = None, assessed_on: date | None = None,
                 max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Profile:
    """Read and check a readiness profile.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml``, ``.json`` or ``.csv`` (with its ``<name>.meta.yaml`` sidecar).
    protocol : Protocol, optional
        The protocol the profile answers (default: the bundled one); action and role ids are
        checked against it.
    institution, assessed_on : optional
        For CSV profiles: override or replace the sidecar's values.
    max_bytes : int
        Refuse larger files (default 5 MB).

    Raises
    ------
    ProfileError
        Every problem of the first failing stage, each with file:line:column.
    TypeError
        If an argument is not of the documented type.

    Examples
    --------
    >>> profile = load_profile("examples/profiles/caja_intermedia.yaml")
    >>> profile.institution.id, profile.actions["GOV-01"].level
    ('caja-ejemplo-b', 3)
    """
    require_type(path, _PATH_TYPES, "path", "a file path (str or pathlib.Path)")
    protocol = _protocol_or_bundled(protocol)
    target = FsPath(path)
    text = _reading.read_text(target, error=ProfileError, max_bytes=max_bytes)
    suffix = target.suffix.lower()
    if suffix != ".csv":
        return _profile_from_text(text, protocol, str(path), "json" if suffix == ".json"
                                  else "yaml")
    sidecar = target.with_name(target.stem + ".meta.yaml")
    meta = None
    if sidecar.exists():  # a directory there is reported, not passed over
        meta = _reading.parse_text(_reading.read_text(sidecar, error=ProfileError,
                                                max_bytes=max_bytes),
                                str(sidecar), error=ProfileError,
                                max_values=_profile_values(protocol), what="profile")
    return _profile_from_csv(text, protocol, str(path), meta, institution, assessed_on)


def loads_profile(text: str, protocol: Protocol | None = None, *, source: str = "<string>",
                  format: ProfileFormat = "yaml", sidecar: str | None = None,
                  institution: Institution | None = None, assessed_on: date | None = None,
                  max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Profile:
    """Check a profile given as text (see :func:`load_profile`).

    Parameters
    ----------
    text : str
        The profile.
    protocol : Protocol, optional
        Default: the bundled protocol.
    source : str
        Name used in error messages.
    format : {"yaml", "json", "csv"}
        How ``text`` is written. JSON is read by the :mod:`json` module.
    sidecar : str, optional
        For CSV: the text of the sidecar (``schema_version``, ``institution``, ``assessed_on``,
        optionally ``roles`` and ``waivers``); its problems are reported as
        ``<source stem>.meta.yaml``.
    institution, assessed_on : optional
        For CSV: override or replace the sidecar's values.
    max_bytes : int
        Refuse texts larger than this, in UTF-8 bytes (default 5 MB).

    Raises
    ------
    ProfileError
        Every problem of the first failing stage.
    TypeError, ValueError
        If an argument has the wrong type, or ``format`` is not one of the three.

    Examples
    --------
    >>> text = "schema_version: 1\\ninstitution: {id: x, name: X, country: MX}\\n" \\
    ...        "assessed_on: 2026-01-31\\nactions: {GOV-01: 3}\\n"
    >>> loads_profile(text).actions["GOV-01"].level
    3
    """
    require_type(text, str, "text", "the profile's text (str)")
    protocol = _protocol_or_bundled(protocol)
    if format not in ("yaml", "json", "csv"):
        raise ValueError(f"unknown profile format {format!r}; choose 'yaml', 'json' or 'csv'")
    _check_size(text, source, max_bytes, ProfileError)
    if format != "csv":
        return _profile_from_text(text, protocol, source, format)
    meta = None
    if sidecar is not None:
        require_type(sidecar, str, "sidecar", "the sidecar's YAML text (str)")
        name = str(FsPath(source).with_name(FsPath(source).stem + ".meta.yaml"))
        _check_size(sidecar, name, max_bytes, ProfileError)
        meta = _reading.parse_text(sidecar, name, error=ProfileError,
                                max_values=_profile_values(protocol), what="profile")
    return _profile_from_csv(text, protocol, source, meta, institution, assessed_on)


def profile_from_dict(data: Mapping[str, object], protocol: Protocol | None = None, *,
                      source: str = "<dict>") -> Profile:
    """Check a profile built in code, exactly as a file would be checked.

    ``data`` has the keys of a YAML profile; dates may be :class:`datetime.date` values or
    ``YYYY-MM-DD`` text, and the shorthands ``"GOV-01": 3`` and ``"RMU": "unit"`` are accepted.
    ``data`` itself is not changed.

    Raises
    ------
    ProfileError
        Every problem of the first failing stage, each with its path (there are no lines).
    TypeError
        If ``data`` is not a mapping or ``protocol`` not a Protocol.

    Examples
    --------
    >>> profile = profile_from_dict({"schema_version": 1, "assessed_on": "2026-01-31",
    ...     "institution": {"id": "x", "name": "X", "country": "MX"}, "actions": {"GOV-1": 3}})
    Traceback (most recent call last):
    ...
    disaster_protocol.errors.ProfileError: <dict>: actions.GOV-1: unknown action 'GOV-1' \
(did you mean 'GOV-01'?); ...
    """
    require_type(data, Mapping, "data", "a mapping of profile keys to values")
    protocol = _protocol_or_bundled(protocol)
    doc = Document(dict(data), source)
    profile = _profile_from_document(doc, protocol)
    _warn_controls(None, doc, stacklevel=3)
    return profile


def _protocol_or_bundled(protocol: Protocol | None) -> Protocol:
    if protocol is None:
        return _bundled_protocol()
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    return protocol


PROFILE_MAX_VALUES = 100_000
"""Most values a profile may hold (or 20 per action of its protocol, if more): a full profile
of the bundled protocol holds a few hundred, and a 5 MB file of tiny repeated entries holds
about a million, which is refused at this budget's cost (docs/errors.md)."""


def _profile_values(protocol: Protocol) -> int:
    return max(PROFILE_MAX_VALUES, 20 * len(protocol.action_index))


def _profile_from_text(text: str, protocol: Protocol, source: str,
                       format: Literal["yaml", "json"]) -> Profile:
    budget = _profile_values(protocol)
    doc = (_reading.parse_json(text, source, error=ProfileError, max_values=budget, what="profile")
           if format == "json" else
           _reading.parse_text(text, source, error=ProfileError, max_values=budget, what="profile"))
    profile = _profile_from_document(doc, protocol)
    _warn_controls(text, doc)
    return profile


def bundled_protocol() -> Protocol:
    """The bundled protocol, read once per process and shared."""
    return _bundled_protocol()


def profile_from_document(doc: Document, protocol: Protocol) -> Profile:
    """A profile checked from plain data with positions (a row of a wide table): every stage
    of a file's checks, problems located through ``doc``; text holding control characters
    is warned about (:class:`InputWarning`) as in a file."""
    profile = _profile_from_document(doc, protocol)
    _warn_controls(None, doc, stacklevel=5)
    return profile


def _profile_from_document(doc: Document, protocol: Protocol) -> Profile:
    doc, profile = _profile_shape(doc)
    _raise_if(profile_problems(profile, protocol, doc, doc), ProfileError)
    return profile


def _profile_shape(doc: Document) -> tuple[Document, Profile]:
    """The profile's version and shape checked, shorthand levels expanded; no protocol yet."""
    check_version(doc, ProfileError, "profile")
    assert isinstance(doc.data, dict)
    doc = doc.with_data(_expanded(doc.data))
    _raise_if(list(_level_problems(doc)), ProfileError)
    return doc, _validated(Profile, doc, ProfileError)


def read_profile_document(path: str | os.PathLike[str], *,
                          max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> tuple[Document, str]:
    """A YAML or JSON profile read and shape-checked without a protocol: what ``migrate``
    rewrites, with the text it was read from. Shorthand levels come back expanded
    (``{level: 3}``)."""
    target = FsPath(path)
    if target.suffix.lower() == ".csv" or target.name.lower().endswith(".meta.yaml"):
        raise ProfileError([Problem(file=str(path), code="invalid-value",
                                    **problem_said(("problem.migrate-csv", {})))])
    text = _reading.read_text(target, error=ProfileError, max_bytes=max_bytes)
    parse = _reading.parse_json if target.suffix.lower() == ".json" else _reading.parse_text
    doc = parse(text, str(path), error=ProfileError, max_values=PROFILE_MAX_VALUES,
                what="profile")
    return _profile_shape(doc)[0], text


def _profile_from_csv(text: str, protocol: Protocol, source: str, meta: Document | None,
                      institution: Institution | None, assessed_on: date | None) -> Profile:
    actions_doc, problems = parse_csv(text, source, _profile_values(protocol))
    _raise_if(problems, ProfileError)
    _raise_if(list(_level_problems(actions_doc)), ProfileError)
    actions = _validated(ProfileActions, actions_doc, ProfileError)
    if meta is None:
        meta = Document({"schema_version": 1}, source)
    else:
        check_version(meta, ProfileError, "profile sidecar")
    assert isinstance(meta.data, dict)
    data = _expanded(meta.data)
    if "actions" in data:
        _raise_if([meta.problem(("actions",), in_every_language("problem.sidecar-actions"),
                                "unknown-key", shown="actions", key=True)], ProfileError)
    if institution is not None:
        require_type(institution, Institution, "institution", "an Institution")
        data["institution"] = institution
    if assessed_on is not None:
        require_type(assessed_on, date, "assessed_on", "a datetime.date")
        data["assessed_on"] = assessed_on
    _raise_if([Problem(file=meta.source, code="missing-field", **problem_said((
                   "problem.sidecar-missing", {"key": key, "stem": FsPath(source).stem})))
               for key in ("institution", "assessed_on") if key not in data], ProfileError)
    meta = meta.with_data(data)
    head = _validated(ProfileMeta, meta, ProfileError)
    profile = Profile.model_validate({**dict(head), "actions": actions.actions})
    _raise_if(profile_problems(profile, protocol, actions_doc, meta), ProfileError)
    _warn_controls(text, actions_doc)
    _warn_controls(None, meta)
    return profile


def _warn_controls(text: str | None, doc: Document, *, stacklevel: int = 4) -> None:
    """Warn (:class:`InputWarning`) about text values holding control characters, at the
    caller of the public function (``stacklevel`` frames up)."""
    if text is not None and not may_hold_controls(text):
        return  # the common case, decided on the raw text
    for problem in control_characters(doc):
        warnings.warn(InputWarning(problem), stacklevel=stacklevel)


def _expanded(data: Mapping[str, object]) -> dict[str, object]:
    """A copy with ``ACTION: 3`` as ``{level: 3}`` and ``ROLE: "unit"`` as ``{unit: "unit"}``.

    An empty ``roles:``, ``actions:`` or ``waivers:`` key means none. In ``cooperation``,
    ``offers`` and ``demands`` may list bare action ids.
    """
    out = dict(data)
    for key, empty in (("roles", {}), ("actions", {}), ("waivers", [])):
        if key in out and out[key] is None:
            out[key] = empty
    actions = out.get("actions")
    if isinstance(actions, Mapping):
        out["actions"] = {k: v if isinstance(v, Mapping) else {"level": v}
                          for k, v in actions.items()}
    roles = out.get("roles")
    if isinstance(roles, Mapping):
        out["roles"] = {k: {"unit": v} if isinstance(v, str) else v for k, v in roles.items()}
    cooperation = out.get("cooperation")
    if isinstance(cooperation, Mapping):
        cooperation = dict(cooperation)
        for key in ("offers", "demands", "languages"):
            if key in cooperation and cooperation[key] is None:
                cooperation[key] = []
        for key in ("offers", "demands"):
            items = cooperation.get(key)
            if isinstance(items, list):
                cooperation[key] = [{"action": v} if isinstance(v, str) else v for v in items]
        out["cooperation"] = cooperation
    return out


def _level_problems(doc: Document) -> Iterator[Problem]:
    """Levels are checked first, for a message that lists what is allowed."""
    actions = doc.data.get("actions") if isinstance(doc.data, dict) else None
    if not isinstance(actions, dict):
        return
    for action_id, entry in actions.items():
        if not isinstance(entry, Mapping) or "level" not in entry:
            continue
        level = entry["level"]
        if level in ("n/a", "unknown") or (type(level) is int and level in LEVELS):
            continue
        path = ("actions", action_id, "level")
        written = doc.plain_scalars.get(path, doc.plain_scalars.get(path[:-1], level))
        said = (in_every_language("problem.invalid-level.boolean", written=show_value(written),
                                  value=level) if isinstance(level, bool) else
                in_every_language("problem.invalid-level", got=show_value(level)))
        yield doc.problem(path, said, "invalid-level", shown=f"actions.{action_id}.level")


# ----------------------------------------------------------------------------- shared stages

def _check_size(text: str, source: str, max_bytes: int,
                error: type[ProtocolError] | type[ProfileError]) -> None:
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise error([Problem(file=source, message=f"text is larger than the {max_bytes:,} byte "
                             "limit; split it or raise the limit explicitly",
                             code="file-too-large")])


def _validated(model: type[_M], doc: Document,
               error: type[ProtocolError] | type[ProfileError]) -> _M:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise error(problems_from_validation(exc, doc, model)) from None


def _raise_if(problems: list[Problem], error: type[ProtocolError] | type[ProfileError]) -> None:
    if problems:
        raise error(sorted(problems))
