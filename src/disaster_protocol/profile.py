"""The readiness profile of one institution: values only.

A profile says, for each protocol action, how far it is in place (a level 0-4, or ``n/a`` with a
justification), with evidence and the date it was last exercised. Read one with
:func:`disaster_protocol.load_profile` (YAML, JSON or CSV), or build one from plain data with
:func:`disaster_protocol.profile_from_dict`: both check it against the protocol. Constructing the
models directly checks only their shape.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Mapping
from datetime import date
from hashlib import blake2b
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

from pydantic import Field, StringConstraints, model_validator

from ._frozen import Frozen, FrozenDict, Id, ReadOnly, _restore

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_CAPACITY",
    "EARLIEST_DATE",
    "LATEST_DATE",
    "LEVELS",
    "MAX_EVIDENCE",
    "MAX_NAME",
    "MAX_PROSE",
    "ActionStatus",
    "Cooperation",
    "CooperationItem",
    "Institution",
    "Language",
    "Level",
    "Profile",
    "ProfileMeta",
    "ProfileState",
    "ProfileStatus",
    "ProtocolVersion",
    "RoleAssignment",
    "Version",
    "Waiver",
]

Level = Literal[0, 1, 2, 3, 4, "n/a", "unknown"]
"""0 none, 1 planned, 2 partial, 3 implemented, 4 tested; ``n/a`` when it does not apply;
``unknown`` when it was not assessed (it counts as 0, and is reported apart from a 0)."""

LEVELS = (0, 1, 2, 3, 4)

CSV_COLUMNS = ("action_id", "level", "evidence", "last_exercised", "justification", "note")
"""Columns of a CSV profile, in order; evidence items are separated by ``;``."""

EARLIEST_DATE = date(1900, 1, 1)
"""The earliest date a profile may give (assessment, exercise, waiver expiry)."""
LATEST_DATE = date(2999, 12, 31)
"""The latest date a profile may give."""

ProfileDate = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]

MAX_NAME = 300
"""Longest name of an institution, country, subregion or unit, and evidence reference, in
characters. Reports repeat names (a unit beside every step it leads), so they are bounded."""
MAX_PROSE = 5_000
"""Longest justification, note or waiver text, in characters (about a page)."""
MAX_EVIDENCE = 200
"""Most evidence references for one action (point to an index document beyond that)."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Prose = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PROSE)]


Language = Literal["es", "en", "pt", "fr"]
"""The languages an institution works in (cooperation prefers a shared one)."""

InstitutionType = Literal["health", "pensions", "work-injury", "mixed"]
"""What kind of social security institution: health, pensions, work injury, or several."""


class Institution(Frozen):
    """Who is assessed; ``subregion``, ``type`` and ``language`` group portfolios and guide
    cooperation."""

    id: Id
    name: Name
    country: Name
    subregion: Name | None = None
    type: InstitutionType | None = None
    language: Language | None = None


class RoleAssignment(Frozen):
    """The unit that fills a protocol role (``RMU: "Coordinación de Riesgos"`` is shorthand)."""

    unit: Name
    alternate: Name | None = None


class ActionStatus(Frozen):
    """How far one action is in place (``PREP-07: 3`` is shorthand for ``{level: 3}``)."""

    level: Level
    evidence: Annotated[tuple[Name, ...], Field(max_length=MAX_EVIDENCE)] = ()
    last_exercised: ProfileDate | None = None
    justification: Prose | None = None
    note: Prose | None = None
    needs_review: bool = False
    """Carried from an earlier round by ``renew`` and not yet confirmed: remove the flag (or
    set it false) once the answer is checked."""


class Waiver(Frozen):
    """A formally accepted gap: the action does not block the grade until ``expires``."""

    action: Id
    reason: Prose
    approved_by: Name
    expires: ProfileDate


DEFAULT_CAPACITY = 3
"""Exchanges an institution can host in a cooperation round when it states no capacity."""


class CooperationItem(Frozen):
    """One action an institution offers or asks for (``PREP-07`` is shorthand for
    ``{action: PREP-07}``), with an optional note for its peers."""

    action: Id
    note: Prose | None = None


class Cooperation(Frozen):
    """What an institution states about cooperation: the experience it offers (at level 3 or
    more), the help it asks for (asked first), how many exchanges it can host in the round,
    and the languages it can work in besides its own."""

    offers: tuple[CooperationItem, ...] = ()
    demands: tuple[CooperationItem, ...] = ()
    capacity: Annotated[int, Field(ge=0, le=100)] | None = None
    languages: tuple[Language, ...] = ()


Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
"""A protocol content version, ``MAJOR.MINOR.PATCH``."""


class ProtocolVersion(Frozen):
    """The protocol and content version a file was written for (``1.1.0``). A profile or a
    crosswalk that names one is refused by any other version, with what to do."""

    id: Id
    version: Version


ProfileStatus = Literal["draft", "submitted", "validated"]
"""Where a profile stands in a collection round: being filled, handed in, or checked by the
coordinator."""


class ProfileState(Frozen):
    """Where a profile stands (``draft``, ``submitted``, ``validated``), who put it there and
    when."""

    status: ProfileStatus
    by: Name | None = None
    on: ProfileDate | None = None


class ProfileMeta(Frozen):
    """Everything in a profile but the actions (the content of a CSV sidecar)."""

    schema_version: Literal[1]
    protocol: ProtocolVersion | None = None
    institution: Institution
    assessed_on: ProfileDate
    roles: ReadOnly[Id, RoleAssignment] = Field(default_factory=FrozenDict)
    waivers: tuple[Waiver, ...] = ()
    cooperation: Cooperation | None = None
    state: ProfileState | None = None


class ProfileActions(Frozen):
    """The actions of a profile alone (the content of a CSV file)."""

    actions: ReadOnly[Id, ActionStatus] = Field(default_factory=FrozenDict)


class Profile(ProfileMeta):
    """The readiness profile of one institution at one date.

    ``roles`` and ``actions`` are read-only mappings keyed by protocol ids; actions missing
    from ``actions`` are unassessed, like those marked ``unknown``: they add nothing to the
    score and cap nothing (docs/scoring.md).
    """

    actions: ReadOnly[Id, ActionStatus] = Field(default_factory=FrozenDict)

    @model_validator(mode="after")
    def _checked(self) -> Self:
        # Validated: it may travel in its packed form (see "The packed form" below).
        self.__dict__[_PACKED] = None
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        blob = packed(self)
        return super().__reduce__() if blob is None else (unpacked, (blob,))

    def __dask_tokenize__(self) -> tuple[str, str]:
        """Dask's name for the profile: the digest of its packed form (which pickling then
        reuses), or, for a profile not validated when built, its JSON."""
        blob = packed(self)
        if blob is None:
            return super().__dask_tokenize__()
        return "disaster_protocol.profile.Profile", blob[2:_BODY].hex()

    def __repr__(self) -> str:
        return (f"Profile({self.institution.id} {self.assessed_on}: {len(self.actions)} "
                f"actions, {len(self.roles)} roles, {len(self.waivers)} waivers)")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from .report.display import profile_fragment

        return profile_fragment(self, "es")


# The packed form ---------------------------------------------------------------------------
#
# A profile crosses to another process (a Dask worker, a process pool) as one bytes value: its
# fields as plain tuples, strings and numbers (dates as ordinals; which fields each value was
# given with as a bit mask), written by ``marshal`` at version 0 (plain data only, and the same
# bytes for the same fields in the same order, so the digest also names the profile for Dask),
# behind a BLAKE2b digest. Only a profile that pydantic validated when it was built is packed (or
# one unpacked from such a form): anything else pickles as its fields, as every value does, and
# comes back exactly as unchecked as it left. Unpacking checks the digest before it reads
# anything, so damaged bytes raise ``pickle.UnpicklingError`` instead of yielding a different
# profile; the profile is then rebuilt without validating it again, as an equal copy of a
# validated one. (Unpickling runs code by design: never unpickle bytes you do not trust.) Packing
# takes a fifth of the time pickling the values themselves takes, unpacking half of the time
# unpickling them takes (benchmarks/README.md).
#
# A field added to one of these classes must be added here, and FORMAT raised:
# tests/test_profile.py pins the fields.

_PACKED = "_packed"
"""The key of a profile's ``__dict__`` that marks it validated and, once packed, keeps the
packed bytes (a cache: equality, dumps and pickles look at fields only)."""
FORMAT = 1
_MAGIC = bytes((ord("P"), FORMAT))
_BODY = 2 + 16  # magic, digest


def _action_rows(actions: Mapping[str, ActionStatus]) -> tuple[tuple[Any, ...], ...]:
    bits = _BITS[_ACTION]
    rows = []
    seen: set[str] | None = None  # neighbouring actions are mostly given the same fields
    mask = 0
    for key, status in actions.items():
        d = status.__dict__
        given = status.__pydantic_fields_set__
        if given != seen:
            seen, mask = given, _mask(bits, given)
        last = d["last_exercised"]
        rows.append((key, mask, d["level"], d["evidence"],
                     None if last is None else last.toordinal(), d["justification"],
                     d["note"], d["needs_review"]))
    return tuple(rows)


def _actions(rows: tuple[tuple[Any, ...], ...]) -> FrozenDict[str, ActionStatus]:
    # Most of a profile: one loop with everything local (a third faster than _value).
    new, put, cls, given, day = _new, _set, ActionStatus, _ACTION_GIVEN, date.fromordinal
    out = {}
    for key, mask, level, evidence, last, justification, note, review in rows:
        status = new(cls)
        put(status, "__dict__", {"level": level, "evidence": evidence,
                                 "last_exercised": None if last is None else day(last),
                                 "justification": justification, "note": note,
                                 "needs_review": review})
        put(status, "__pydantic_fields_set__", given[mask])
        put(status, "__pydantic_extra__", None)
        put(status, "__pydantic_private__", None)
        out[key] = status
    return FrozenDict(out)


def _mask(bits: dict[str, int], given: set[str] | frozenset[str]) -> int:
    mask = 0
    for name in given:
        mask |= bits[name]
    return mask


_MASKS: dict[tuple[type[Frozen], int], frozenset[str]] = {}


def _given(cls: type[Frozen], mask: int) -> frozenset[str]:
    key = (cls, mask)
    found = _MASKS.get(key)
    if found is None:
        found = _MASKS[key] = frozenset(n for i, n in enumerate(PACKED_FIELDS[cls])
                                        if mask >> i & 1)
    return found


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


_new = object.__new__
_set = object.__setattr__


def _value(cls: type[Frozen], mask: int, values: dict[str, Any]) -> Any:
    return _restore(cls, values, _given(cls, mask))


_ACTION = ("level", "evidence", "last_exercised", "justification", "note", "needs_review")
_INSTITUTION = ("id", "name", "country", "subregion", "type", "language")
_PROFILE = ("schema_version", "protocol", "institution", "assessed_on", "roles", "waivers",
            "cooperation", "state", "actions")
PACKED_FIELDS: dict[type[Frozen], tuple[str, ...]] = {
    Profile: _PROFILE, ProtocolVersion: ("id", "version"), Institution: _INSTITUTION,
    RoleAssignment: ("unit", "alternate"),
    Waiver: ("action", "reason", "approved_by", "expires"),
    Cooperation: ("offers", "demands", "capacity", "languages"),
    CooperationItem: ("action", "note"), ProfileState: ("status", "by", "on"),
    ActionStatus: _ACTION,
}
"""The fields the packed form carries, class by class (a test checks they are all)."""
_BITS = {names: {n: 1 << i for i, n in enumerate(names)} for names in PACKED_FIELDS.values()}
_ACTION_GIVEN = [frozenset(n for i, n in enumerate(_ACTION) if mask >> i & 1)
                 for mask in range(1 << len(_ACTION))]


def _flat(value: Frozen, names: tuple[str, ...]) -> tuple[Any, ...]:
    d = value.__dict__
    return (_mask(_BITS[names], value.__pydantic_fields_set__), *(d[n] for n in names))


def _items(items: tuple[CooperationItem, ...]) -> tuple[Any, ...]:
    return tuple(_flat(i, ("action", "note")) for i in items)


def packed(profile: Profile) -> bytes | None:
    """The packed form of ``profile`` (kept with it), or None for a profile that was not
    validated when it was built (or is of a subclass, which pickles as its fields)."""
    d = profile.__dict__
    if _PACKED not in d or type(profile) is not Profile:
        return None
    blob: bytes | None = d[_PACKED]
    if blob is not None:
        return blob
    coop, state = profile.cooperation, profile.state
    body = marshal.dumps((
        _mask(_BITS[_PROFILE], profile.__pydantic_fields_set__), profile.schema_version,
        None if profile.protocol is None else _flat(profile.protocol, ("id", "version")),
        _flat(profile.institution, _INSTITUTION), profile.assessed_on.toordinal(),
        tuple((k, *_flat(r, ("unit", "alternate"))) for k, r in profile.roles.items()),
        tuple((_mask(_BITS[PACKED_FIELDS[Waiver]], w.__pydantic_fields_set__), w.action, w.reason,
               w.approved_by, w.expires.toordinal()) for w in profile.waivers),
        None if coop is None else (_mask(_BITS[PACKED_FIELDS[Cooperation]],
                                         coop.__pydantic_fields_set__),
                                   _items(coop.offers), _items(coop.demands), coop.capacity,
                                   coop.languages),
        None if state is None else (_mask(_BITS[PACKED_FIELDS[ProfileState]],
                                          state.__pydantic_fields_set__),
                                    state.status, state.by, _ordinal(state.on)),
        _action_rows(profile.actions)), 0)
    blob = _MAGIC + blake2b(body, digest_size=16).digest() + body
    d[_PACKED] = blob
    return blob


def _fields(blob: bytes) -> tuple[Any, ...]:
    """The plain fields packed in ``blob``, its digest checked first."""
    if not isinstance(blob, bytes) or blob[:2] != _MAGIC:
        raise pickle.UnpicklingError(
            f"not a packed profile of format {FORMAT} (pickled by another version of "
            "disaster-protocol?)")
    body = blob[_BODY:]
    if blake2b(body, digest_size=16).digest() != blob[2:_BODY]:
        raise pickle.UnpicklingError("a packed profile was damaged: its digest does not "
                                     "match its content")
    fields: tuple[Any, ...] = marshal.loads(body)
    return fields


class Glance(NamedTuple):
    """What scoring reads of a packed profile, without rebuilding the profile
    (:func:`glance`): the rest stays in ``blob`` (:func:`unpacked` gives the whole)."""

    institution: Institution
    assessed_on: date
    protocol: tuple[str, str] | None  # (id, version) the profile names
    roles: tuple[str, ...]  # the roles it assigns
    waivers: tuple[tuple[str, int], ...]  # (action, the ordinal of its expiry)
    actions: tuple[tuple[Any, ...], ...]  # (action, given, level, evidence, last exercised
    # as an ordinal or None, justification, note, needs review): the packed rows
    blob: bytes


def glance(blob: bytes) -> Glance:
    """The parts of the packed profile ``blob`` that scoring reads (its digest checked).

    Raises
    ------
    pickle.UnpicklingError
        As :func:`unpacked`.
    """
    _, _, protocol, inst, assessed_on, roles, waivers, _, _, actions = _fields(blob)
    return Glance(
        _value(Institution, inst[0], dict(zip(_INSTITUTION, inst[1:], strict=True))),
        date.fromordinal(assessed_on), None if protocol is None else protocol[1:],
        tuple(r[0] for r in roles), tuple((w[1], w[4]) for w in waivers), actions, blob)


def unpacked(blob: bytes) -> Profile:
    """The profile ``blob`` was packed from (see :func:`packed`).

    Raises
    ------
    pickle.UnpicklingError
        If the bytes are not a packed profile of this format, or were damaged.
    """
    (mask, schema_version, protocol, inst, assessed_on, roles, waivers, coop, state,
     actions) = _fields(blob)
    values = {
        "schema_version": schema_version,
        "protocol": None if protocol is None else _value(
            ProtocolVersion, protocol[0], {"id": protocol[1], "version": protocol[2]}),
        "institution": _value(Institution, inst[0], dict(zip(_INSTITUTION, inst[1:], strict=True))),
        "assessed_on": date.fromordinal(assessed_on),
        "roles": FrozenDict({r[0]: _value(RoleAssignment, r[1],
                                          {"unit": r[2], "alternate": r[3]}) for r in roles}),
        "waivers": tuple(_value(Waiver, w[0], {"action": w[1], "reason": w[2],
                                               "approved_by": w[3],
                                               "expires": date.fromordinal(w[4])})
                         for w in waivers),
        "cooperation": None if coop is None else _value(Cooperation, coop[0], {
            "offers": tuple(_value(CooperationItem, i[0], {"action": i[1], "note": i[2]})
                            for i in coop[1]),
            "demands": tuple(_value(CooperationItem, i[0], {"action": i[1], "note": i[2]})
                             for i in coop[2]),
            "capacity": coop[3], "languages": coop[4]}),
        "state": None if state is None else _value(
            ProfileState, state[0], {"status": state[1], "by": state[2],
                                     "on": _day(state[3])}),
        "actions": _actions(actions),
        _PACKED: blob,
    }
    return _value(Profile, mask, values)  # type: ignore[no-any-return]
