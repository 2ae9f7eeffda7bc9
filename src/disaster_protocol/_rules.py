"""The rules of the assessment: how a claim is judged, and the table of findings.

The level rules (evidence, freshness, shown capability, foundations) are written here once, as
small predicates that :mod:`.assess` applies to compute the effective levels and that the
finding rules apply again to say why a level was lowered. Each finding rule reads the
:class:`Context` (levels already computed by :mod:`.assess`, as lists by slot of the compiled
protocol) and yields :class:`~disaster_protocol.assessment.Finding` values: a kind, the action
and role it concerns, and the parameters its sentence is written from (the sentences live in
:mod:`._i18n` and are rendered only when read). Adding a rule is adding a function and an entry
in :data:`RULES`.
"""

from __future__ import annotations

import calendar
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress

from ._frozen import FrozenDict, trusted
from ._index import ProtocolIndex
from .assessment import IMPLEMENTED, Finding, FindingKind, ParamValue
from .model import Action, Protocol, Role, joined_text
from .profile import ActionStatus, Profile

__all__ = ["RULES", "Context", "about", "blocking", "blocking_finding", "dependency_finding",
           "evidence_needed", "evidence_needed_finding", "finding", "foundation_cap",
           "keep_shown", "lacks_evidence", "months_earlier", "overloaded_units",
           "shared_finding", "shown", "stale", "stale_finding", "unassessed_finding",
           "unassigned_role_finding", "unsupported_finding", "waiver_findings"]


@dataclass(frozen=True)
class Context:
    """What every rule may read; the lists are indexed by slot (``protocol.actions[slot]``)."""

    protocol: Protocol
    index: ProtocolIndex
    profile: Profile
    as_of: date
    strict: bool
    freshness_months: int
    max_roles_per_unit: int
    cutoff: date  # an exercise before this day is stale
    statuses: Sequence[ActionStatus | None]  # None: left out
    claimed: Sequence[int | None]  # None: n/a; 0 where not assessed
    assessed: Sequence[bool]  # False: left out or ``unknown``
    shown: Sequence[bool]  # a capability shown (see :func:`shown`)
    supported: Sequence[int | None]  # after the evidence and freshness rules
    effective: Sequence[int | None]  # after the foundations rule
    held: Sequence[bool]  # the foundations rule bit (the claim stands above its foundations)
    waived: frozenset[str]


# ----------------------------------------------------------------------------- level rules

def lacks_evidence(claimed: int, status: ActionStatus, strict: bool) -> bool:
    """The evidence rule: in strict mode a claim of 3 or 4 with no evidence counts as 2."""
    return strict and claimed >= IMPLEMENTED and not status.evidence


def stale(claimed: int, status: ActionStatus, cutoff: date) -> bool:
    """The freshness rule: a claim of 4 (tested) whose last exercise is missing or before
    ``cutoff`` counts as 3."""
    return claimed == 4 and (status.last_exercised is None or status.last_exercised < cutoff)


def shown(claimed: int, status: ActionStatus, cutoff: date) -> bool:
    """A capability shown: claimed at 3 or 4, with evidence, and exercised in a drill or a
    real event on or after ``cutoff``. The foundations rule never takes it below 3."""
    return (claimed >= IMPLEMENTED and bool(status.evidence)
            and status.last_exercised is not None and status.last_exercised >= cutoff)


def foundation_cap(level: int, prerequisites: Iterable[int | None]) -> int:
    """The foundations rule: at most one level above the lowest prerequisite given.

    Only assessed prerequisites are given (n/a ones, ``None``, are passed over): a
    prerequisite nobody assessed caps nothing.

    Examples
    --------
    >>> foundation_cap(4, [1, 3]), foundation_cap(2, [3]), foundation_cap(4, [None])
    (2, 2, 4)
    """
    for cap in prerequisites:
        if cap is not None and level > cap + 1:
            level = cap + 1
    return level


def keep_shown(capped: int, is_shown: bool) -> int:
    """A capability :func:`shown` is never taken below 3 (implemented) by its foundations.

    Examples
    --------
    >>> keep_shown(2, True), keep_shown(2, False), keep_shown(4, True)
    (3, 2, 4)
    """
    return IMPLEMENTED if is_shown and capped < IMPLEMENTED else capped


def months_earlier(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the last day of a shorter month).

    Examples
    --------
    >>> months_earlier(date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def finding(kind: FindingKind, action: str | None, role: str | None,
            params: dict[str, ParamValue]) -> Finding:
    """A finding built from values the assessment computed itself (not validated again)."""
    return trusted(Finding, {"kind": kind, "action": action, "role": role,
                             "params": FrozenDict(params)})


def about(action: Action, kind: FindingKind, **params: ParamValue) -> Finding:
    """A finding about ``action``, addressed to its lead role."""
    return finding(kind, action.id, action.lead, {"action": action.id, **params})


def shared_finding(index: ProtocolIndex, actions: Sequence[Action], s: int, kind: FindingKind,
                   *varying: Hashable, **params: ParamValue) -> Finding:
    """:func:`about` the action in slot ``s``, for findings whose ``params`` depend only on
    the slot and the ``varying`` values: made once per protocol and shared by every
    assessment that reaches the same ones."""
    key = (kind, s, *varying)
    found = index.memo.get(key)
    if found is not None:  # the usual case in a batch: made by an earlier assessment
        return found  # type: ignore[return-value]  # interned() stores Findings under these keys
    return index.interned(key, lambda: about(actions[s], kind, **params))


def blocking(ctx: Context) -> Iterator[int]:
    """The slots of the documented gaps: critical, assessed below 3, not waived."""
    actions, effective, waived, assessed = ctx.protocol.actions, ctx.effective, ctx.waived, \
        ctx.assessed
    for s in ctx.index.critical_slots:
        level = effective[s]
        if (level is not None and level < IMPLEMENTED and assessed[s]
                and actions[s].id not in waived):
            yield s


def evidence_needed(ctx: Context) -> Iterator[int]:
    """The slots of the critical actions nobody assessed (left out or ``unknown``), not
    waived: they do not cap the grade, they make it provisional."""
    actions, assessed, waived = ctx.protocol.actions, ctx.assessed, ctx.waived
    for s in ctx.index.critical_slots:
        if not assessed[s] and actions[s].id not in waived:
            yield s


# Each finding is made by one function below, which the rules call slot by slot and the batch
# kernel (:mod:`._kernel`) calls for the slots its arrays pick out: the sentences' parameters
# are written once.

def blocking_finding(index: ProtocolIndex, actions: Sequence[Action], s: int,
                     level: int) -> Finding:
    """The documented gap of the critical action in slot ``s``, at ``level``."""
    hit = index.memo.get(("blocking-gap", s, level))
    if hit is not None:
        return hit  # type: ignore[return-value]  # interned() stores Findings under these keys
    a = actions[s]
    return shared_finding(index, actions, s, "blocking-gap", level, title=a.title,
                          level=level, lead=a.lead)


def evidence_needed_finding(index: ProtocolIndex, actions: Sequence[Action], s: int
                            ) -> Finding:
    """The critical action in slot ``s``, which nobody assessed."""
    a = actions[s]
    return shared_finding(index, actions, s, "evidence-needed", title=a.title, lead=a.lead)


def unsupported_finding(action: Action, claimed: int) -> Finding:
    """A claim of 3-4 without evidence, counted as 2 (strict mode)."""
    if action.evidence:
        return about(action, "unsupported-claim", claimed=claimed,
                     evidence=joined_text(action.evidence[:2], "; "))
    return about(action, "unsupported-claim", claimed=claimed, variant="generic")


def stale_finding(action: Action, when: date | None, cutoff: date, months: int
                  ) -> Finding | None:
    """A claim of 4 exercised ``when`` (never: ``None``), if that is before ``cutoff``."""
    if when is None:
        return about(action, "stale-exercise", variant="undated")
    if when < cutoff:
        return about(action, "stale-exercise", last_exercised=when.isoformat(), months=months,
                     cutoff=cutoff.isoformat())
    return None


def dependency_finding(index: ProtocolIndex, actions: Sequence[Action], s: int, claimed: int,
                       low: int, low_level: int, level: int, shown_on: date | None
                       ) -> Finding:
    """Slot ``s``, claimed (as supported) at ``claimed``, held at ``level`` by its lowest
    prerequisite ``low`` at ``low_level``; ``shown_on`` is the last exercise of a capability
    shown (``None`` otherwise), which keeps it at 3."""
    prerequisite = index.ids[low]
    if shown_on is not None:
        return about(actions[s], "dependency-inconsistency", variant="shown", claimed=claimed,
                     prerequisite=prerequisite, prerequisite_level=low_level, level=level,
                     last_exercised=shown_on.isoformat())
    hit = index.memo.get(("dependency-inconsistency", s, claimed, low, low_level, level))
    if hit is not None:
        return hit  # type: ignore[return-value]  # interned() stores Findings under these keys
    return shared_finding(index, actions, s, "dependency-inconsistency", claimed, low,
                          low_level, level, claimed=claimed, prerequisite=prerequisite,
                          prerequisite_level=low_level, level=level)


def unassigned_role_finding(role: Role) -> Finding:
    """A role that leads or supports an action that applies, with no unit assigned."""
    return finding("unassigned-role", None, role.id, {"role": role.id, "title": role.title})


def unassessed_finding(index: ProtocolIndex, actions: Sequence[Action], s: int,
                       unknown: bool) -> Finding:
    """The action in slot ``s``, left out of the profile or answered ``unknown``."""
    if unknown:
        return shared_finding(index, actions, s, "unassessed-action", "unknown",
                              variant="unknown")
    return shared_finding(index, actions, s, "unassessed-action")


def _rule_blocking(ctx: Context) -> Iterator[Finding]:
    index, actions, effective = ctx.index, ctx.protocol.actions, ctx.effective
    for s in blocking(ctx):
        yield blocking_finding(index, actions, s, effective[s] or 0)


def _rule_evidence_needed(ctx: Context) -> Iterator[Finding]:
    for s in evidence_needed(ctx):
        yield evidence_needed_finding(ctx.index, ctx.protocol.actions, s)


def _rule_unsupported(ctx: Context) -> Iterator[Finding]:
    if not ctx.strict:
        return
    actions = ctx.protocol.actions
    for s, status in enumerate(ctx.statuses):
        claimed = ctx.claimed[s]
        if status is None or claimed is None or not lacks_evidence(claimed, status, True):
            continue
        yield unsupported_finding(actions[s], claimed)


def _rule_stale(ctx: Context) -> Iterator[Finding]:
    cutoff = ctx.cutoff
    actions, claimed = ctx.protocol.actions, ctx.claimed
    for s, status in enumerate(ctx.statuses):
        level = claimed[s]
        if status is None or level is None or not stale(level, status, cutoff):
            continue
        found = stale_finding(actions[s], status.last_exercised, cutoff, ctx.freshness_months)
        if found is not None:
            yield found


def _rule_dependency(ctx: Context) -> Iterator[Finding]:
    effective, requires = ctx.effective, ctx.index.requires
    phase_of, assessed, supported_at = ctx.index.phase_of, ctx.assessed, ctx.supported
    # Held back by the foundations rule: assessed, with a level, and capped (see _propagate).
    for s in compress(range(len(ctx.held)), ctx.held):
        level, supported = effective[s], supported_at[s]
        if supported is None or level is None or not assessed[s]:
            continue
        # The prerequisite that holds it back: the lowest, then the first by phase and file.
        low_level, _, low = min((at, phase_of[r], r) for r in requires[s]
                                if assessed[r] and (at := effective[r]) is not None)
        status = ctx.statuses[s]
        shown_on = status.last_exercised if ctx.shown[s] and status is not None else None
        yield dependency_finding(ctx.index, ctx.protocol.actions, s, supported, low,
                                 low_level, level, shown_on)


def waiver_findings(index: ProtocolIndex, actions: Sequence[Action], profile: Profile,
                    as_of: date) -> Iterator[Finding]:
    """Each waiver of ``profile``: expired before ``as_of``, or in force."""
    slot = index.slot
    for w in profile.waivers:
        action = actions[slot[w.action]]
        if w.expires < as_of:
            yield about(action, "waiver-expired", expires=w.expires.isoformat())
        else:
            yield about(action, "waived", approved_by=w.approved_by,
                        expires=w.expires.isoformat(), reason=w.reason)


def _rule_waivers(ctx: Context) -> Iterator[Finding]:
    yield from waiver_findings(ctx.index, ctx.protocol.actions, ctx.profile, ctx.as_of)


def _unassigned_roles(ctx: Context) -> Iterator[Finding]:
    claimed, assigned = ctx.claimed, ctx.profile.roles
    for role, slots in zip(ctx.protocol.roles, ctx.index.role_slots, strict=True):
        if role.id not in assigned and any(claimed[s] is not None for s in slots):
            yield unassigned_role_finding(role)


def overloaded_units(profile: Profile, most: int) -> Iterator[Finding]:
    """The units of ``profile`` that hold more than ``most`` roles, in the order of units."""
    by_unit: dict[str, list[str]] = defaultdict(list)
    for role_id, assignment in profile.roles.items():
        by_unit[assignment.unit].append(role_id)
    for unit, roles in sorted(by_unit.items()):
        if len(roles) > most:
            yield finding("overloaded-unit", None, None, {
                "unit": unit, "count": len(roles), "roles": ", ".join(roles), "max": most})


def _rule_roles(ctx: Context) -> Iterator[Finding]:
    yield from _unassigned_roles(ctx)
    yield from overloaded_units(ctx.profile, ctx.max_roles_per_unit)


def _rule_unassessed(ctx: Context) -> Iterator[Finding]:
    needed = set(evidence_needed(ctx))
    statuses, index, actions = ctx.statuses, ctx.index, ctx.protocol.actions
    for s in compress(range(len(statuses)), map(operator.not_, ctx.assessed)):
        status = statuses[s]  # not assessed: left out (None) or ``unknown``
        if s not in needed:
            yield unassessed_finding(index, actions, s, status is not None)


Rule = Callable[[Context], Iterator[Finding]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("blocking-gap", _rule_blocking),
    ("evidence-needed", _rule_evidence_needed),
    ("unsupported-claim", _rule_unsupported),
    ("stale-exercise", _rule_stale),
    ("dependency-inconsistency", _rule_dependency),
    ("waivers", _rule_waivers),
    ("roles", _rule_roles),
    ("unassessed-action", _rule_unassessed),
)
"""The rule table: each function reads the context and yields findings."""
