"""Score a readiness profile against the protocol: :func:`assess` -> :class:`Assessment`.

A pure function of two frozen values: no I/O, no clock (``as_of`` is an argument, defaulting to
the profile's own date), no global state. Equal inputs give equal output, byte for byte.

The method (documented in docs/scoring.md):

1. **Effective level** of each action: the claimed level (unassessed = 0; ``n/a`` excluded),
   lowered where the claim is not supported:

   - *strict* mode: level 3 or 4 without evidence counts as 2;
   - level 4 whose last exercise is missing or older than the freshness window counts as 3;
   - a capability cannot stand more than one level above its foundations: an action counts
     at most one level above the lowest of its prerequisites (in execution order, so the cap
     carries down chains).
2. **Scores** 0-100, weighted by action weight: overall, and by phase, Sendai priority, lead
   role and hazard.
3. **Grade** A (>= 80), B (>= 50), C; a critical action below level 3 and not waived is
   *blocking* and keeps the grade at B at best.
4. **Findings** a person can act on, and a **plan**: actions below level 3 whose prerequisites
   are at 3 or more, critical first, then how much they unlock, weight and phase order, each
   with the exact overall score gain (``uplift``) if it reached level 3.

The values it returns live in :mod:`.assessment`; the finding rules in :mod:`._rules`.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from datetime import date
from typing import Literal

from ._rules import RULES, Context, months_earlier
from .assessment import (
    FINDING_KINDS,
    FRESHNESS_MONTHS,
    GRADE_A,
    GRADE_B,
    IMPLEMENTED,
    MAX_ROLES_PER_UNIT,
    ActionResult,
    Assessment,
    Method,
    PlanStep,
    ProtocolRef,
)
from .errors import Problem, ProfileError, require_type
from .model import Protocol
from .profile import EARLIEST_DATE, ActionStatus, Profile

__all__ = ["assess"]


def _supported_level(status: ActionStatus | None, strict: bool, cutoff: date) -> int | None:
    if status is None:
        return 0
    if status.level == "n/a":
        return None
    level = int(status.level)
    if strict and level >= IMPLEMENTED and not status.evidence:
        level = IMPLEMENTED - 1
    if level == 4 and (status.last_exercised is None or status.last_exercised < cutoff):
        level = IMPLEMENTED
    return level


def _propagate(protocol: Protocol, supported: Mapping[str, int | None]
               ) -> dict[str, int | None]:
    """Apply the prerequisite rule in execution order."""
    effective: dict[str, int | None] = {}
    index = protocol.action_index
    for action_id in protocol.index.order:
        level = supported[action_id]
        if level is not None:
            for req in index[action_id].requires:
                cap = effective[req]
                if cap is not None and level > cap + 1:
                    level = cap + 1
        effective[action_id] = level
    return effective


def _score(ids: tuple[str, ...] | list[str], weights: dict[str, float],
           effective: Mapping[str, int | None]) -> float | None:
    total = weight = 0.0
    for action_id in ids:
        level = effective[action_id]
        if level is not None:
            w = weights[action_id]
            total += w * level
            weight += w
    return None if weight == 0 else 100.0 * total / (4.0 * weight)


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _grade(score: float, blocking: bool) -> Literal["A", "B", "C"]:
    if score >= GRADE_A and not blocking:
        return "A"
    return "B" if score >= GRADE_B else "C"


def _uplift(ctx: Context, action_id: str, weights: dict[str, float],
            scored_weight: float) -> float:
    """Score points gained if ``action_id`` reached level 3, caps on its dependants included.

    Only the action and what rests on it can change, so only they are recomputed, in
    execution order, stopping where nothing changes.
    """
    protocol, effective = ctx.protocol, ctx.effective
    index, actions = protocol.index, protocol.action_index
    new = {action_id: IMPLEMENTED}
    delta = weights[action_id] * (IMPLEMENTED - (effective[action_id] or 0))
    rank = index.rank
    # A heap by execution rank: a node is recomputed only after every changed prerequisite.
    pending = [(rank[d], d) for d in index.dependants[action_id]]
    heapq.heapify(pending)
    seen = {d for _, d in pending}
    while pending:
        _, node = heapq.heappop(pending)
        level = ctx.supported[node]
        if level is None:
            continue
        for req in actions[node].requires:
            cap = new.get(req, effective[req])
            if cap is not None and level > cap + 1:
                level = cap + 1
        if level != effective[node]:
            new[node] = level
            delta += weights[node] * (level - (effective[node] or 0))
            for dep in index.dependants[node]:
                if dep not in seen:
                    seen.add(dep)
                    heapq.heappush(pending, (rank[dep], dep))
    return 100.0 * delta / (4.0 * scored_weight) if scored_weight else 0.0


def _plan(ctx: Context, weights: dict[str, float]) -> tuple[PlanStep, ...]:
    protocol, effective = ctx.protocol, ctx.effective
    index = protocol.index
    scored_weight = sum(weights[a] for a, level in effective.items() if level is not None)
    candidates = []
    for a in protocol.actions:
        level = effective[a.id]
        if level is None or level >= IMPLEMENTED:
            continue
        if any(effective[r] is not None and effective[r] < IMPLEMENTED  # type: ignore[operator]
               for r in a.requires):
            continue
        candidates.append((a, _unlocks(index.downstream(a.id), effective),
                           round(_uplift(ctx, a.id, weights, scored_weight), 2)))
    candidates.sort(key=lambda c: (not c[0].critical, -c[1], -c[0].weight,
                                   index.position[c[0].id]))
    units = ctx.profile.roles
    return tuple(
        PlanStep(rank=i, action=a.id, phase=a.phase, lead=a.lead,
                 unit=units[a.lead].unit if a.lead in units else None, critical=a.critical,
                 unlocks=unlocks, weight=a.weight, uplift=uplift, title=a.title)
        for i, (a, unlocks, uplift) in enumerate(candidates, start=1))


def _unlocks(downstream: set[str], effective: Mapping[str, int | None]) -> int:
    """How many of the actions downstream are still below level 3 (n/a ones do not count)."""
    count = 0
    for node in downstream:
        level = effective[node]
        if level is not None and level < IMPLEMENTED:
            count += 1
    return count


def assess(protocol: Protocol, profile: Profile, *, as_of: date | None = None,
           strict: bool = False, freshness_months: int = FRESHNESS_MONTHS,
           max_roles_per_unit: int = MAX_ROLES_PER_UNIT) -> Assessment:
    """Score ``profile`` against ``protocol``.

    Parameters
    ----------
    protocol : Protocol
        The protocol the profile answers.
    profile : Profile
        One institution's readiness profile (checked against ``protocol`` when loaded).
    as_of : date, optional
        The date freshness and waivers are judged at; default: ``profile.assessed_on``.
    strict : bool
        Count level 3-4 claims without evidence as level 2.
    freshness_months : int
        How recent an exercise must be for level 4 (default 24).
    max_roles_per_unit : int
        More roles than this on one unit is an ``overloaded-unit`` finding (default 3).

    Returns
    -------
    Assessment

    Raises
    ------
    ProfileError
        If the profile names actions or roles the protocol does not have (a profile loaded
        against another protocol).
    TypeError
        If an argument is not of the documented type (a date given as text, say).
    ValueError
        If ``as_of`` is before 1900-01-01 or ``freshness_months`` is not 1 to 1200.

    Examples
    --------
    >>> import disaster_protocol as dp
    >>> protocol = dp.load_protocol()
    >>> text = ("schema_version: 1\\ninstitution: {id: x, name: X, country: MX}\\n"
    ...         "assessed_on: 2026-01-31\\nactions: {GOV-01: 3, GOV-02: 2}\\n")
    >>> result = dp.assess(protocol, dp.loads_profile(text, protocol))
    >>> result.grade, result.plan[0].action
    ('C', 'GOV-02')
    """
    _check_arguments(protocol, profile, as_of, strict, freshness_months, max_roles_per_unit)
    _check_compatible(protocol, profile)
    when = as_of or profile.assessed_on
    claimed, supported = _claimed_and_supported(protocol, profile, strict,
                                                months_earlier(when, freshness_months))
    effective = _propagate(protocol, supported)
    waived = frozenset(w.action for w in profile.waivers if w.expires >= when)
    ctx = Context(protocol, profile, when, strict, freshness_months, max_roles_per_unit,
                  claimed, supported, effective, waived)
    findings = [f for _, rule in RULES for f in rule(ctx)]
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    position = protocol.index.position
    findings.sort(key=lambda f: (order[f.kind], position.get(f.action or "", (-1, -1))))
    weights = {a.id: a.weight for a in protocol.actions}
    score = round(_score(protocol.index.order, weights, effective) or 0.0, 1)
    blocking = tuple(f.action for f in findings if f.kind == "blocking-gap" and f.action)
    groups = {name: {key: _one_decimal(_score(ids, weights, effective))
                     for key, ids in group.items()}
              for name, group in protocol.index.groups.items()}
    return Assessment(
        protocol=ProtocolRef(id=protocol.id, version=protocol.version),
        institution=profile.institution, as_of=when, score=score,
        grade=_grade(score, bool(blocking)),
        by_phase=groups["by_phase"], by_priority=groups["by_priority"],
        by_role=groups["by_role"], by_hazard=groups["by_hazard"], blocking=blocking,
        findings=tuple(findings), plan=_plan(ctx, weights),
        actions=_action_results(protocol, profile, claimed, effective, waived),
        labels={**{p.id: p.title for p in protocol.phases},
                **{p.id: p.title for p in protocol.sendai.priorities},
                **{r.id: r.title for r in protocol.roles},
                **{h.id: h.label for h in protocol.hazards}},
        method=Method(freshness_months=freshness_months, strict=strict,
                      max_roles_per_unit=max_roles_per_unit,
                      rules=tuple(name for name, _ in RULES)))


def _claimed_and_supported(protocol: Protocol, profile: Profile, strict: bool, cutoff: date
                           ) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """The claimed level of every action (``None``: n/a), and what the evidence supports."""
    claimed: dict[str, int | None] = {}
    supported: dict[str, int | None] = {}
    for a in protocol.actions:
        status = profile.actions.get(a.id)
        claimed[a.id] = None if status is not None and status.level == "n/a" else (
            0 if status is None else int(status.level))
        supported[a.id] = _supported_level(status, strict, cutoff)
    return claimed, supported


def _action_results(protocol: Protocol, profile: Profile, claimed: Mapping[str, int | None],
                    effective: Mapping[str, int | None], waived: frozenset[str]
                    ) -> tuple[ActionResult, ...]:
    results = []
    for a in protocol.actions:
        status = profile.actions.get(a.id)
        results.append(ActionResult(
            action=a.id, title=a.title, phase=a.phase, lead=a.lead, critical=a.critical,
            weight=a.weight,
            status="unassessed" if status is None else (
                "n/a" if claimed[a.id] is None else "assessed"),
            claimed=claimed[a.id], effective=effective[a.id], waived=a.id in waived,
            evidence=0 if status is None else len(status.evidence)))
    return tuple(results)


_MAX_FRESHNESS_MONTHS = 1200


def _check_arguments(protocol: object, profile: object, as_of: object, strict: object,
                     freshness_months: object, max_roles_per_unit: object) -> None:
    """Wrong types are a programming error (TypeError); impossible values a ValueError."""
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    require_type(profile, Profile, "profile", "a Profile (from load_profile)")
    if as_of is not None:
        require_type(as_of, date, "as_of", "a datetime.date or None")
    require_type(strict, bool, "strict", "True or False")
    require_type(freshness_months, int, "freshness_months", "a whole number of months")
    require_type(max_roles_per_unit, int, "max_roles_per_unit", "a whole number")
    assert isinstance(freshness_months, int)
    if not 1 <= freshness_months <= _MAX_FRESHNESS_MONTHS:
        raise ValueError(f"freshness_months must be 1 to {_MAX_FRESHNESS_MONTHS} (got "
                         f"{freshness_months})")
    if isinstance(as_of, date) and as_of < EARLIEST_DATE:
        raise ValueError(f"as_of must be {EARLIEST_DATE} or later (got {as_of})")


def _check_compatible(protocol: Protocol, profile: Profile) -> None:
    unknown = sorted(set(profile.actions) - set(protocol.action_index))
    unknown += sorted(w.action for w in profile.waivers if w.action not in protocol.action_index)
    roles = {r.id for r in protocol.roles}
    unknown_roles = sorted(set(profile.roles) - roles)
    if unknown or unknown_roles:
        names = ", ".join(unknown + unknown_roles)
        raise ProfileError([Problem(file="<profile>", message=f"the profile names {names}, "
                                    f"which protocol {protocol.id} {protocol.version} does not "
                                    "have; load the profile against this protocol",
                                    code="unknown-action")])
