"""The readiness profile of one institution: values only.

A profile says, for each protocol action, how far it is in place (a level 0-4, or ``n/a`` with a
justification), with evidence and the date it was last exercised. Read one with
:func:`disaster_protocol.load_profile` (YAML, JSON or CSV), or build one from plain data with
:func:`disaster_protocol.profile_from_dict`: both check it against the protocol. Constructing the
models directly checks only their shape.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ._frozen import Frozen, FrozenDict, Id, ReadOnly

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

    def __repr__(self) -> str:
        return (f"Profile({self.institution.id} {self.assessed_on}: {len(self.actions)} "
                f"actions, {len(self.roles)} roles, {len(self.waivers)} waivers)")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from .report.display import profile_fragment

        return profile_fragment(self, "es")
