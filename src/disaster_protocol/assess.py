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

Each rule is a small function in ``RULES``; adding a rule is adding a function and an entry.
"""

from __future__ import annotations

import calendar
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .model import Protocol, Text, _Frozen
from .profile import ActionStatus, Institution, Profile

__all__ = [
    "FINDING_KINDS",
    "FRESHNESS_MONTHS",
    "GRADE_A",
    "GRADE_B",
    "IMPLEMENTED",
    "ActionResult",
    "Assessment",
    "Finding",
    "Method",
    "PlanStep",
    "assess",
]

IMPLEMENTED = 3
"""Level 3: documented, resourced and assigned."""
FRESHNESS_MONTHS = 24
"""A level-4 claim needs an exercise or real use within this many months."""
GRADE_A = 80.0
GRADE_B = 50.0
MAX_ROLES_PER_UNIT = 3

FindingKind = Literal["blocking-gap", "unsupported-claim", "stale-exercise",
                      "dependency-inconsistency", "waiver-expired", "waived", "unassigned-role",
                      "overloaded-unit", "unassessed-action"]
FINDING_KINDS: tuple[FindingKind, ...] = (
    "blocking-gap", "unsupported-claim", "stale-exercise", "dependency-inconsistency",
    "waiver-expired", "waived", "unassigned-role", "overloaded-unit", "unassessed-action")
"""Every finding kind, in the order findings are listed."""


class Finding(_Frozen):
    """Something to act on: what kind, which action and role (where one applies), and why."""

    kind: FindingKind
    action: str | None
    role: str | None
    message: Text


class PlanStep(_Frozen):
    """A next step: an action below level 3 whose prerequisites are in place."""

    rank: int
    action: str
    phase: str
    lead: str
    unit: str | None
    critical: bool
    unlocks: int
    weight: float
    uplift: float
    title: Text


class ActionResult(_Frozen):
    """Claimed and effective level of one action (``None`` where ``n/a``)."""

    action: str
    phase: str
    lead: str
    critical: bool
    weight: float
    status: Literal["assessed", "unassessed", "n/a"]
    claimed: int | None
    effective: int | None
    waived: bool
    evidence: int


class ProtocolRef(_Frozen):
    id: str
    version: str


class Method(_Frozen):
    """The parameters the assessment used, recorded with the result."""

    scale: str = "0 none, 1 planned, 2 partial, 3 implemented, 4 tested"
    implemented_level: int = IMPLEMENTED
    freshness_months: int
    strict: bool
    grade_a_from: float = GRADE_A
    grade_b_from: float = GRADE_B
    max_roles_per_unit: int
    rules: tuple[str, ...]
    documentation: str = "docs/scoring.md"


class Assessment(_Frozen):
    """The result of :func:`assess`. Render it with ``to_dict``, ``to_json``, ``to_markdown``,
    ``to_html`` or ``to_csv``; in Jupyter it displays itself as HTML.

    ``labels`` names every phase, Sendai priority, role and hazard id used as a group key, in
    Spanish and English."""

    protocol: ProtocolRef
    institution: Institution
    as_of: date
    score: float
    grade: Literal["A", "B", "C"]
    by_phase: dict[str, float | None]
    by_priority: dict[str, float | None]
    by_role: dict[str, float | None]
    by_hazard: dict[str, float | None]
    blocking: tuple[str, ...]
    findings: tuple[Finding, ...]
    plan: tuple[PlanStep, ...]
    actions: tuple[ActionResult, ...]
    labels: dict[str, Text]
    method: Method

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data; messages and titles carry both languages."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text (same input, same bytes)."""
        from .report import assessment_json

        return assessment_json(self)

    def to_markdown(self, lang: Literal["es", "en"] = "es") -> str:
        """A Markdown report for pasting into documents."""
        from .report import assessment_markdown

        return assessment_markdown(self, lang)

    def to_html(self, lang: Literal["es", "en"] = "es") -> str:
        """A self-contained HTML page (no external assets), printable."""
        from .report import assessment_html

        return assessment_html(self, lang)

    def to_csv(self, lang: Literal["es", "en"] = "es") -> str:
        """One row per action: claimed and effective level and its findings."""
        from .report import assessment_csv

        return assessment_csv(self, lang)

    def _repr_html_(self) -> str:
        from .report import assessment_html

        return assessment_html(self, "es", fragment=True)


@dataclass(frozen=True)
class _Context:
    """What every rule may read."""

    protocol: Protocol
    profile: Profile
    as_of: date
    strict: bool
    freshness_months: int
    max_roles_per_unit: int
    claimed: dict[str, int | None]  # None: n/a
    supported: dict[str, int | None]  # after the evidence and freshness rules
    effective: dict[str, int | None]  # after the prerequisite rule
    waived: frozenset[str]


def _t(es: str, en: str) -> Text:
    return Text(es=es, en=en)


def _months_earlier(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _status(ctx: _Context, action_id: str) -> ActionStatus | None:
    return ctx.profile.actions.get(action_id)


# ----------------------------------------------------------------------------- the rules

def _rule_blocking(ctx: _Context) -> Iterator[Finding]:
    for a in ctx.protocol.actions:
        level = ctx.effective[a.id]
        if a.critical and level is not None and level < IMPLEMENTED and a.id not in ctx.waived:
            yield Finding(kind="blocking-gap", action=a.id, role=a.lead, message=_t(
                f"{a.id} «{a.title.es}» es crítica y está en nivel {level}; llevarla a nivel 3 "
                f"(implementada) es condición para la calificación A. Responsable: {a.lead}.",
                f"{a.id} '{a.title.en}' is critical and at level {level}; bringing it to "
                f"level 3 (implemented) is required for grade A. Lead: {a.lead}."))


def _rule_unsupported(ctx: _Context) -> Iterator[Finding]:
    if not ctx.strict:
        return
    for a in ctx.protocol.actions:
        status, claimed = _status(ctx, a.id), ctx.claimed[a.id]
        if status is not None and claimed is not None and claimed >= IMPLEMENTED \
                and not status.evidence:
            asks = "; ".join(e.en for e in a.evidence[:2]) or "documents that show it"
            pide = "; ".join(e.es for e in a.evidence[:2]) or "documentos que lo muestren"
            yield Finding(kind="unsupported-claim", action=a.id, role=a.lead, message=_t(
                f"{a.id} declara nivel {claimed} sin evidencia y cuenta como 2; adjunte, por "
                f"ejemplo: {pide}.",
                f"{a.id} claims level {claimed} without evidence and counts as 2; attach, "
                f"for example: {asks}."))


def _rule_stale(ctx: _Context) -> Iterator[Finding]:
    cutoff = _months_earlier(ctx.as_of, ctx.freshness_months)
    for a in ctx.protocol.actions:
        status = _status(ctx, a.id)
        if status is None or ctx.claimed[a.id] != 4:
            continue
        when = status.last_exercised
        if when is None:
            yield Finding(kind="stale-exercise", action=a.id, role=a.lead, message=_t(
                f"{a.id} declara nivel 4 (probada) sin fecha del último ejercicio y cuenta como "
                "3; registre last_exercised o realice un simulacro.",
                f"{a.id} claims level 4 (tested) with no date of last exercise and counts as 3; "
                "record last_exercised or run a drill."))
        elif when < cutoff:
            yield Finding(kind="stale-exercise", action=a.id, role=a.lead, message=_t(
                f"{a.id} se ejercitó por última vez el {when}, antes de la ventana de "
                f"{ctx.freshness_months} meses (desde {cutoff}); cuenta como 3 hasta un nuevo "
                "simulacro.",
                f"{a.id} was last exercised on {when}, outside the {ctx.freshness_months}-month "
                f"window (since {cutoff}); it counts as 3 until it is exercised again."))


def _rule_dependency(ctx: _Context) -> Iterator[Finding]:
    for a in ctx.protocol.actions:
        supported, effective = ctx.supported[a.id], ctx.effective[a.id]
        if supported is None or effective is None or effective >= supported:
            continue
        low = min((r for r in a.requires if ctx.effective[r] is not None),
                  key=lambda r: (ctx.effective[r], ctx.protocol.index.position[r]))
        yield Finding(kind="dependency-inconsistency", action=a.id, role=a.lead, message=_t(
            f"{a.id} declara nivel {supported}, pero su requisito {low} está en nivel "
            f"{ctx.effective[low]}; cuenta como {effective} hasta que {low} avance.",
            f"{a.id} claims level {supported}, but its prerequisite {low} is at level "
            f"{ctx.effective[low]}; it counts as {effective} until {low} improves."))


def _rule_waivers(ctx: _Context) -> Iterator[Finding]:
    index = ctx.protocol.action_index
    for w in ctx.profile.waivers:
        lead = index[w.action].lead
        if w.expires < ctx.as_of:
            yield Finding(kind="waiver-expired", action=w.action, role=lead, message=_t(
                f"La dispensa de {w.action} venció el {w.expires} y ya no cuenta; renuévela "
                "o cierre la brecha.",
                f"The waiver for {w.action} expired on {w.expires} and no longer counts; renew "
                "it or close the gap."))
        else:
            yield Finding(kind="waived", action=w.action, role=lead, message=_t(
                f"Brecha de {w.action} aceptada por {w.approved_by} hasta el {w.expires}: "
                f"{w.reason}",
                f"Gap in {w.action} accepted by {w.approved_by} until {w.expires}: {w.reason}"))


def _rule_roles(ctx: _Context) -> Iterator[Finding]:
    needed = {r for a in ctx.protocol.actions if ctx.claimed[a.id] is not None
              for r in (a.lead, *a.support)}
    for role in ctx.protocol.roles:
        if role.id in needed and role.id not in ctx.profile.roles:
            yield Finding(kind="unassigned-role", action=None, role=role.id, message=_t(
                f"Ninguna unidad tiene asignado el rol {role.id} ({role.title.es}); indique en "
                "roles qué unidad lo cumple.",
                f"No unit is assigned to role {role.id} ({role.title.en}); say under roles "
                "which unit fills it."))
    by_unit: dict[str, list[str]] = defaultdict(list)
    for role_id, assignment in ctx.profile.roles.items():
        by_unit[assignment.unit].append(role_id)
    for unit, roles in sorted(by_unit.items()):
        if len(roles) > ctx.max_roles_per_unit:
            listed = ", ".join(roles)
            yield Finding(kind="overloaded-unit", action=None, role=None, message=_t(
                f"La unidad «{unit}» cumple {len(roles)} roles ({listed}), más de "
                f"{ctx.max_roles_per_unit}; en una emergencia no podrá atenderlos todos. "
                "Reparta roles o designe suplentes.",
                f"The unit '{unit}' fills {len(roles)} roles ({listed}), more than "
                f"{ctx.max_roles_per_unit}; in an emergency it cannot cover them all. Spread "
                "the roles or name alternates."))


def _rule_unassessed(ctx: _Context) -> Iterator[Finding]:
    for a in ctx.protocol.actions:
        if a.id not in ctx.profile.actions:
            yield Finding(kind="unassessed-action", action=a.id, role=a.lead, message=_t(
                f"{a.id} no fue evaluada y cuenta como nivel 0; agréguela al perfil.",
                f"{a.id} was not assessed and counts as level 0; add it to the profile."))


RULES: tuple[tuple[str, Callable[[_Context], Iterator[Finding]]], ...] = (
    ("blocking-gap", _rule_blocking),
    ("unsupported-claim", _rule_unsupported),
    ("stale-exercise", _rule_stale),
    ("dependency-inconsistency", _rule_dependency),
    ("waivers", _rule_waivers),
    ("roles", _rule_roles),
    ("unassessed-action", _rule_unassessed),
)
"""The rule table: each function reads the context and yields findings."""


# ----------------------------------------------------------------------------- levels and scores

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


def _propagate(protocol: Protocol, supported: dict[str, int | None]) -> dict[str, int | None]:
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
           effective: dict[str, int | None]) -> float | None:
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


def _uplift(ctx: _Context, action_id: str, weights: dict[str, float],
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


def _plan(ctx: _Context, weights: dict[str, float]) -> tuple[PlanStep, ...]:
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


def _unlocks(downstream: set[str], effective: dict[str, int | None]) -> int:
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
    _check_compatible(protocol, profile)
    when = as_of or profile.assessed_on
    cutoff = _months_earlier(when, freshness_months)
    claimed: dict[str, int | None] = {}
    supported: dict[str, int | None] = {}
    for a in protocol.actions:
        status = profile.actions.get(a.id)
        claimed[a.id] = None if status is not None and status.level == "n/a" else (
            0 if status is None else int(status.level))
        supported[a.id] = _supported_level(status, strict, cutoff)
    effective = _propagate(protocol, supported)
    waived = frozenset(w.action for w in profile.waivers if w.expires >= when)
    ctx = _Context(protocol, profile, when, strict, freshness_months, max_roles_per_unit,
                   claimed, supported, effective, waived)
    findings = [f for _, rule in RULES for f in rule(ctx)]
    order = {k: i for i, k in enumerate(FINDING_KINDS)}
    position = protocol.index.position
    findings.sort(key=lambda f: (order[f.kind], position.get(f.action or "", (-1, -1))))
    weights = {a.id: a.weight for a in protocol.actions}
    overall = _score(protocol.index.order, weights, effective) or 0.0
    blocking = tuple(f.action for f in findings if f.kind == "blocking-gap" and f.action)
    groups = {name: {key: _one_decimal(_score(ids, weights, effective))
                     for key, ids in group.items()}
              for name, group in protocol.index.groups.items()}
    results = tuple(
        ActionResult(action=a.id, phase=a.phase, lead=a.lead, critical=a.critical,
                     weight=a.weight,
                     status="unassessed" if a.id not in profile.actions else (
                         "n/a" if claimed[a.id] is None else "assessed"),
                     claimed=claimed[a.id], effective=effective[a.id], waived=a.id in waived,
                     evidence=len(profile.actions[a.id].evidence) if a.id in profile.actions
                     else 0)
        for a in protocol.actions)
    score = round(overall, 1)
    return Assessment(
        protocol=ProtocolRef(id=protocol.id, version=protocol.version),
        institution=profile.institution, as_of=when, score=score,
        grade=_grade(score, bool(blocking)),
        by_phase=groups["by_phase"], by_priority=groups["by_priority"],
        by_role=groups["by_role"], by_hazard=groups["by_hazard"], blocking=blocking,
        findings=tuple(findings), plan=_plan(ctx, weights), actions=results,
        labels={**{p.id: p.title for p in protocol.phases},
                **{p.id: p.title for p in protocol.sendai.priorities},
                **{r.id: r.title for r in protocol.roles},
                **{h.id: h.label for h in protocol.hazards}},
        method=Method(freshness_months=freshness_months, strict=strict,
                      max_roles_per_unit=max_roles_per_unit,
                      rules=tuple(name for name, _ in RULES)))


def _check_compatible(protocol: Protocol, profile: Profile) -> None:
    from .errors import Problem, ProfileError

    unknown = sorted(set(profile.actions) - set(protocol.action_index))
    unknown += sorted(w.action for w in profile.waivers if w.action not in protocol.action_index)
    roles = {r.id for r in protocol.roles}
    unknown_roles = sorted(set(profile.roles) - roles)
    if unknown or unknown_roles:
        names = ", ".join(unknown + unknown_roles)
        raise ProfileError([Problem("<profile>", 0, 0, "", f"the profile names {names}, which "
                                    f"protocol {protocol.id} {protocol.version} does not have; "
                                    "load the profile against this protocol",
                                    "unknown-action")])
