"""The rule table of the assessment: small pure functions that yield findings.

Each rule reads the :class:`Context` (levels already computed by :mod:`.assess`) and yields
:class:`~disaster_protocol.assessment.Finding` values: a kind, the action and role it concerns,
and the parameters its sentence is written from (the sentences live in :mod:`._i18n`). Adding a
rule is adding a function and an entry in :data:`RULES`.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from .assessment import IMPLEMENTED, Finding, FindingKind, ParamValue
from .model import Action, Protocol, Text
from .profile import Profile

__all__ = ["RULES", "Context", "months_earlier"]


@dataclass(frozen=True)
class Context:
    """What every rule may read."""

    protocol: Protocol
    profile: Profile
    as_of: date
    strict: bool
    freshness_months: int
    max_roles_per_unit: int
    claimed: Mapping[str, int | None]  # None: n/a
    supported: Mapping[str, int | None]  # after the evidence and freshness rules
    effective: Mapping[str, int | None]  # after the prerequisite rule
    waived: frozenset[str]


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


def _about(action: Action, kind: FindingKind, **params: ParamValue) -> Finding:
    """A finding about ``action``, addressed to its lead role."""
    return Finding(kind=kind, action=action.id, role=action.lead,
                   params={"action": action.id, **params})


def _rule_blocking(ctx: Context) -> Iterator[Finding]:
    for a in ctx.protocol.actions:
        level = ctx.effective[a.id]
        if a.critical and level is not None and level < IMPLEMENTED and a.id not in ctx.waived:
            yield _about(a, "blocking-gap", title=a.title, level=level, lead=a.lead)


def _rule_unsupported(ctx: Context) -> Iterator[Finding]:
    if not ctx.strict:
        return
    for a in ctx.protocol.actions:
        status, claimed = ctx.profile.actions.get(a.id), ctx.claimed[a.id]
        if status is None or claimed is None or claimed < IMPLEMENTED or status.evidence:
            continue
        if a.evidence:
            asks = a.evidence[:2]
            yield _about(a, "unsupported-claim", claimed=claimed, evidence=Text(
                es="; ".join(e.es for e in asks), en="; ".join(e.en for e in asks)))
        else:
            yield _about(a, "unsupported-claim", claimed=claimed, variant="generic")


def _rule_stale(ctx: Context) -> Iterator[Finding]:
    cutoff = months_earlier(ctx.as_of, ctx.freshness_months)
    for a in ctx.protocol.actions:
        status = ctx.profile.actions.get(a.id)
        if status is None or ctx.claimed[a.id] != 4:
            continue
        when = status.last_exercised
        if when is None:
            yield _about(a, "stale-exercise", variant="undated")
        elif when < cutoff:
            yield _about(a, "stale-exercise", last_exercised=when.isoformat(),
                         months=ctx.freshness_months, cutoff=cutoff.isoformat())


def _rule_dependency(ctx: Context) -> Iterator[Finding]:
    effective, position = ctx.effective, ctx.protocol.index.position
    for a in ctx.protocol.actions:
        supported, level = ctx.supported[a.id], effective[a.id]
        if supported is None or level is None or level >= supported:
            continue
        low = min((r for r in a.requires if effective[r] is not None),
                  key=lambda r: (effective[r], position[r]))
        yield _about(a, "dependency-inconsistency", claimed=supported, prerequisite=low,
                     prerequisite_level=effective[low] or 0, level=level)


def _rule_waivers(ctx: Context) -> Iterator[Finding]:
    index = ctx.protocol.action_index
    for w in ctx.profile.waivers:
        action = index[w.action]
        if w.expires < ctx.as_of:
            yield _about(action, "waiver-expired", expires=w.expires.isoformat())
        else:
            yield _about(action, "waived", approved_by=w.approved_by,
                         expires=w.expires.isoformat(), reason=w.reason)


def _unassigned_roles(ctx: Context) -> Iterator[Finding]:
    needed = {r for a in ctx.protocol.actions if ctx.claimed[a.id] is not None
              for r in (a.lead, *a.support)}
    for role in ctx.protocol.roles:
        if role.id in needed and role.id not in ctx.profile.roles:
            yield Finding(kind="unassigned-role", action=None, role=role.id,
                          params={"role": role.id, "title": role.title})


def _overloaded_units(ctx: Context) -> Iterator[Finding]:
    by_unit: dict[str, list[str]] = defaultdict(list)
    for role_id, assignment in ctx.profile.roles.items():
        by_unit[assignment.unit].append(role_id)
    for unit, roles in sorted(by_unit.items()):
        if len(roles) > ctx.max_roles_per_unit:
            yield Finding(kind="overloaded-unit", action=None, role=None, params={
                "unit": unit, "count": len(roles), "roles": ", ".join(roles),
                "max": ctx.max_roles_per_unit})


def _rule_roles(ctx: Context) -> Iterator[Finding]:
    yield from _unassigned_roles(ctx)
    yield from _overloaded_units(ctx)


def _rule_unassessed(ctx: Context) -> Iterator[Finding]:
    for a in ctx.protocol.actions:
        if a.id not in ctx.profile.actions:
            yield _about(a, "unassessed-action")


Rule = Callable[[Context], Iterator[Finding]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("blocking-gap", _rule_blocking),
    ("unsupported-claim", _rule_unsupported),
    ("stale-exercise", _rule_stale),
    ("dependency-inconsistency", _rule_dependency),
    ("waivers", _rule_waivers),
    ("roles", _rule_roles),
    ("unassessed-action", _rule_unassessed),
)
"""The rule table: each function reads the context and yields findings."""
