"""Score a readiness profile against the protocol: :func:`assess` -> :class:`Assessment`.

A pure function of two frozen values: no I/O, no clock (``as_of`` is an argument, defaulting to
the profile's own date), no state that changes a result (the memo on the compiled protocol only
hands out equal frozen values again). Equal inputs give equal output, byte for byte.

The method (documented in docs/scoring.md):

1. **Effective level** of each action: the claimed level (``n/a`` excluded; an action left out
   or ``unknown`` is not assessed: it counts 0, once, and caps nothing), lowered where the
   claim is not supported:

   - *strict* mode: level 3 or 4 without evidence counts as 2;
   - level 4 whose last exercise is missing or older than the freshness window counts as 3;
   - a capability cannot stand more than one level above its foundations: an action counts
     at most one level above the lowest of its assessed prerequisites (in execution order,
     so the cap carries down chains), except that a capability *shown* (claimed 3-4 with
     evidence and exercised within the window) is never taken below 3.
2. **Scores** 0-100, weighted by action weight: overall, and by phase, Sendai priority, lead
   role and hazard, each with its **coverage** (share of the applicable weight assessed) and
   **score range** (the best case: every unassessed action at level 3); ``None`` for a group
   with nothing assessed; and the **reliability** of the whole.
3. **Grade** A (>= 80), B (>= 50), C; a critical action assessed below level 3 and not waived
   is a *blocking* gap and keeps the grade at B at best; a critical action not assessed is
   *evidence needed* and, like a coverage under ``min_coverage``, makes the grade provisional.
4. **Findings** a person can act on, and a **plan**: assessed actions below level 3 whose
   assessed prerequisites are at 3 or more, critical first, then how much they unlock, weight
   and phase order, each with the exact overall score gain (``uplift``) if it reached level 3.

The values it returns live in :mod:`.assessment`; the finding rules in :mod:`._rules`. Scoring
runs on the compiled protocol (``protocol.index``: lists by slot), and the results are built
without validating again what was computed here from validated input.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import compress
from typing import Literal

from ._frozen import FrozenDict, trusted
from ._index import ProtocolIndex
from ._rules import (
    RULES,
    Context,
    foundation_cap,
    keep_shown,
    lacks_evidence,
    months_earlier,
    shown,
    stale,
)
from ._rules import blocking as _blocking
from ._rules import evidence_needed as _evidence_needed
from .assessment import (
    FINDING_KINDS,
    FRESHNESS_MONTHS,
    GRADE_A,
    GRADE_B,
    IMPLEMENTED,
    MAX_ROLES_PER_UNIT,
    MIN_COVERAGE,
    ActionResult,
    Assessment,
    Finding,
    GroupScore,
    Method,
    PlanStep,
    ProtocolRef,
    Reliability,
)
from .errors import Problem, ProfileError, require_type
from .model import Action, Protocol
from .profile import EARLIEST_DATE, ActionStatus, Profile

__all__ = ["assess"]

_KIND_ORDER = {k: i for i, k in enumerate(FINDING_KINDS)}
_MAX_FRESHNESS_MONTHS = 1200

Levels = list[int | None]


# ----------------------------------------------------------------------------- levels and scores

@dataclass
class _Levels:
    """Every slot's claim as the rules read it (lists by slot)."""

    claimed: Levels  # None: n/a; 0 where not assessed
    supported: Levels  # after the evidence and freshness rules
    assessed: list[bool]  # False: left out or ``unknown``
    shown: list[bool]  # a capability shown: never taken below 3 by its foundations


def _levels(statuses: Sequence[ActionStatus | None], strict: bool, cutoff: date) -> _Levels:
    """The claimed level of every slot, and what the evidence supports (rules in ._rules)."""
    out = _Levels([], [], [], [])
    for status in statuses:
        if status is None or status.level == "unknown" or status.level == "n/a":
            applies = status is None or status.level == "unknown"
            level = 0 if applies else None  # not assessed: 0 in the score; n/a: out of it
            out.claimed.append(level)
            out.supported.append(level)
            out.assessed.append(not applies)  # n/a is an answer; it caps nothing (None)
            out.shown.append(False)
            continue
        claimed: int = status.level
        out.claimed.append(claimed)
        out.assessed.append(True)
        if claimed < IMPLEMENTED:  # the evidence, freshness and shown rules judge 3-4 claims
            out.shown.append(False)
            out.supported.append(claimed)
            continue
        out.shown.append(shown(claimed, status, cutoff))
        level = claimed
        if lacks_evidence(claimed, status, strict):
            level = IMPLEMENTED - 1
        elif stale(claimed, status, cutoff):
            level = IMPLEMENTED
        out.supported.append(level)
    return out


def _propagate(index: ProtocolIndex, levels: _Levels, supported: Levels | None = None,
               assessed: Sequence[bool] | None = None) -> tuple[Levels, list[bool]]:
    """Apply the foundations rule in execution order (to ``supported`` and ``assessed`` in
    place of the profile's, for the best case); and where it bit."""
    effective = list(levels.supported if supported is None else supported)
    known = levels.assessed if assessed is None else assessed
    floor, requires = levels.shown, index.requires
    held = [False] * len(effective)
    for s in index.sequence:
        level = effective[s]
        if level is not None and known[s] and requires[s]:
            capped = foundation_cap(level, [effective[r] for r in requires[s] if known[r]])
            if capped < level:
                held[s] = True
                effective[s] = keep_shown(capped, floor[s])
    return effective, held


def _sums(index: ProtocolIndex, effective: Levels, assessed: Sequence[bool]
          ) -> tuple[list[int], list[int], list[int]]:
    """Per block, and for the whole protocol in the last place: the sum of weight units times
    level, the applicable weight units, and the weight units assessed."""
    units, cells, whole = index.units, index.cells, index.block_count
    total, weight, known = ([0] * (whole + 1) for _ in range(3))
    all_total = all_weight = all_known = 0
    for s, level in enumerate(effective):
        if level is None:
            continue
        u = units[s]
        all_weight += u
        if assessed[s]:  # an action not assessed is at 0: it adds weight only
            v = u * level
            all_total += v
            all_known += u
            for b in cells[s]:
                total[b] += v
                weight[b] += u
                known[b] += u
        else:
            for b in cells[s]:
                weight[b] += u
    total[whole], weight[whole], known[whole] = all_total, all_weight, all_known
    return total, weight, known


def _groups(index: ProtocolIndex, now: tuple[list[int], list[int], list[int]],
            best: list[int]) -> dict[str, dict[str, GroupScore]]:
    """Every group's score, coverage and range: ``None`` where nothing was assessed."""
    total, weight, known = now
    scale = index.scale
    groups: dict[str, dict[str, GroupScore]] = {}
    for name, family in index.blocks.items():
        scores: dict[str, GroupScore] = {}
        for key, blocks in family.items():
            if len(blocks) == 1:
                b = blocks[0]
                t, w, k, h = total[b], weight[b], known[b], best[b]
            else:
                t, w, k, h = (sum(map(v.__getitem__, blocks))
                              for v in (total, weight, known, best))
            score = _score(t, w, scale) if k else None
            high = _top(score, _score(h, w, scale)) if k else None
            scores[key] = _group(score, round(k / w, 4) if w else None,
                                 None if score is None or high is None else (score, high))
        groups[name] = scores
    return groups


def _top(score: float | None, best: float | None) -> float | None:
    """The top of a range: the best case, never below the score itself. Filling in an
    unassessed prerequisite at 3 can cap a dependant claimed at 4 (without the evidence that
    would keep it), so a group holding the dependant but not the prerequisite could fall."""
    return best if score is None or best is None else max(score, best)


@lru_cache(maxsize=4096)
def _group(score: float | None, coverage: float | None,
           score_range: tuple[float, float] | None) -> GroupScore:
    return trusted(GroupScore, {"score": score, "coverage": coverage,
                                "score_range": score_range})


def _best(index: ProtocolIndex, levels: _Levels) -> list[int]:
    """The block sums of the best case: every unassessed action at level 3 (and then a
    foundation like any other), the foundations rule applied again."""
    supported = [IMPLEMENTED if not known and level is not None else level
                 for level, known in zip(levels.supported, levels.assessed, strict=True)]
    everything = [True] * len(supported)
    return _sums(index, _propagate(index, levels, supported, everything)[0], everything)[0]


def _reliability(statuses: Sequence[ActionStatus | None], levels: _Levels, cutoff: date,
                 coverage: float, min_coverage: float) -> Reliability:
    """Coverage, the share of 3-4 claims with evidence and of 4 claims exercised in time."""
    high = [st for st, c in zip(statuses, levels.claimed, strict=True)
            if st is not None and c is not None and c >= IMPLEMENTED]
    tested = [st for st in high if st.level == 4]
    return reliability((len(high), sum(1 for st in high if st.evidence), len(tested),
                        sum(1 for st in tested if not stale(4, st, cutoff))),
                       coverage, min_coverage)


def reliability(claims: tuple[int, int, int, int], coverage: float, min_coverage: float
                ) -> Reliability:
    """The reliability from the counts of 3-4 claims, of those with evidence, of 4 claims and
    of those exercised within the window (``_reliability``; the batch kernel counts them as
    arrays)."""
    high, with_evidence, tested, fresh_ones = claims
    evidenced = round(with_evidence / high, 4) if high else None
    fresh = round(fresh_ones / tested, 4) if tested else None
    if coverage < min_coverage or (evidenced is not None and evidenced < 0.5):
        level: Literal["high", "medium", "low"] = "low"
    elif coverage >= 0.9 and all(x is None or x >= 0.8 for x in (evidenced, fresh)):
        level = "high"
    else:
        level = "medium"
    return trusted(Reliability, {"coverage": coverage, "evidenced": evidenced, "fresh": fresh,
                                 "level": level})


def _score(total: int, weight: int, scale: int) -> float | None:
    """``100 * mean level / 4``, weighted, to one decimal (``None`` when nothing counts)."""
    return None if weight == 0 else round(100.0 * (total / scale) / (4.0 * (weight / scale)), 1)


def _grade(score: float, blocking: bool) -> Literal["A", "B", "C"]:
    if score >= GRADE_A and not blocking:
        return "A"
    return "B" if score >= GRADE_B else "C"


# ----------------------------------------------------------------------------- the plan

def _uplift(ctx: Context, s: int, scored_weight: float) -> float:
    """Score points gained if slot ``s`` reached level 3, caps on its dependants included.

    Only the action and what rests on it can change, so only they are recomputed, in
    execution order, stopping where nothing changes.
    """
    index, effective, supported = ctx.index, ctx.effective, ctx.supported
    assessed, floor = ctx.assessed, ctx.shown
    weights, requires, needed_by, step = index.weight, index.requires, index.needed_by, index.step
    new = {s: IMPLEMENTED}
    delta = weights[s] * (IMPLEMENTED - (effective[s] or 0))
    # A heap by execution step: a node is recomputed only after every changed prerequisite.
    pending = [(step[d], d) for d in needed_by[s]]
    heapq.heapify(pending)
    seen = {d for _, d in pending}
    while pending:
        _, node = heapq.heappop(pending)
        level = supported[node]
        if level is None or not assessed[node]:
            continue
        level = keep_shown(foundation_cap(level, [new.get(r, effective[r])
                                                  for r in requires[node] if assessed[r]]),
                           floor[node])
        if level != effective[node]:
            new[node] = level
            delta += weights[node] * (level - (effective[node] or 0))
            for d in needed_by[node]:
                if d not in seen:
                    seen.add(d)
                    heapq.heappush(pending, (step[d], d))
    return 100.0 * delta / (4.0 * scored_weight) if scored_weight else 0.0


_BITS = bytes.maketrans(b"\x00\x01", b"01")


def _mask(flags: list[bool]) -> int:
    """The flags as a bitset: bit ``s`` set where ``flags[s]``."""
    return int(bytes(flags)[::-1].translate(_BITS), 2) if flags else 0


def _unlocks(index: ProtocolIndex, candidates: list[int], pending: list[bool]
             ) -> dict[int, int]:
    """For each candidate, how many actions downstream of it are still below level 3.

    Small protocols keep every action's dependants as a bitset; larger ones sweep the graph
    once in reverse execution order, keeping only the bitsets still needed.
    """
    closure = index.closure
    if closure is not None:
        below = _mask(pending)
        return {s: (closure[s] & below).bit_count() for s in candidates}
    # Bit ``last - d`` stands for slot ``d``: dependants mostly sit after their prerequisites
    # in the file, so the sets of the late slots, swept first, stay short integers.
    last = len(pending) - 1
    below = _mask(pending[::-1])
    wanted = set(candidates)
    waiting = [len(r) for r in index.requires]  # prerequisites yet to read each bitset
    sets: dict[int, int] = {}
    counts: dict[int, int] = {}
    for s in reversed(index.sequence):
        bits = 0
        for d in index.needed_by[s]:
            bits |= sets[d] | (1 << (last - d))
            waiting[d] -= 1
            if waiting[d] == 0:
                del sets[d]
        if s in wanted:
            counts[s] = (bits & below).bit_count()
            wanted.discard(s)
            if not wanted:
                break  # every candidate counted: what precedes them all is not needed
        if waiting[s]:
            sets[s] = bits
    return counts


def _plan(ctx: Context, scored_weight: float) -> tuple[PlanStep, ...]:
    index, actions = ctx.index, ctx.protocol.actions
    requires = index.requires
    # Assessed below level 3 (n/a excluded); a candidate is pending and none of its
    # prerequisites is. An action nobody assessed is neither: it is to be assessed first.
    pending = [level is not None and level < IMPLEMENTED and known
               for level, known in zip(ctx.effective, ctx.assessed, strict=True)]
    candidates = [s for s in compress(range(len(pending)), pending)
                  if not any(map(pending.__getitem__, requires[s]))]
    unlocks = _unlocks(index, candidates, pending)
    position = index.position
    candidates.sort(key=lambda s: (not index.critical[s], -unlocks[s], -index.weight[s],
                                   position[index.ids[s]]))
    units = ctx.profile.roles
    steps = []
    for rank, s in enumerate(candidates, start=1):
        a = actions[s]
        steps.append(trusted(PlanStep, {
            "rank": rank, "action": a.id, "phase": a.phase, "lead": a.lead,
            "unit": units[a.lead].unit if a.lead in units else None, "critical": a.critical,
            "unlocks": unlocks[s], "weight": a.weight,
            "uplift": round(_uplift(ctx, s, scored_weight), 2), "title": a.title}))
    return tuple(steps)


# ----------------------------------------------------------------------------- the result

def assess(protocol: Protocol, profile: Profile, *, as_of: date | None = None,
           strict: bool = False, freshness_months: int = FRESHNESS_MONTHS,
           max_roles_per_unit: int = MAX_ROLES_PER_UNIT,
           min_coverage: float = MIN_COVERAGE) -> Assessment:
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
    min_coverage : float
        Below this share of the applicable weight assessed (0 to 1, default 0.8) the grade is
        marked provisional, as it is while a critical action was not assessed.

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
        If ``as_of`` is before 1900-01-01, ``freshness_months`` is not 1 to 1200 or
        ``min_coverage`` not 0 to 1.

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
    when = _as_of(protocol, profile, as_of, strict, freshness_months, max_roles_per_unit,
                  min_coverage)
    index = protocol.index
    statuses = [profile.actions.get(action_id) for action_id in index.ids]
    cutoff = months_earlier(when, freshness_months)
    levels = _levels(statuses, strict, cutoff)
    effective, held = _propagate(index, levels)
    waived = frozenset(w.action for w in profile.waivers if w.expires >= when)
    ctx = Context(protocol, index, profile, when, strict, freshness_months, max_roles_per_unit,
                  cutoff, statuses, levels.claimed, levels.assessed, levels.shown,
                  levels.supported, effective, held, waived)
    findings = _findings(ctx)
    now = _sums(index, effective, levels.assessed)
    complete = all(levels.assessed)
    best = now[0] if complete else _best(index, levels)
    total, weight, known = (v[-1] for v in now)
    coverage = round(known / weight, 4) if weight else 0.0
    return assembled(
        protocol, profile, when, (total, weight, best[-1]), _groups(index, now, best),
        tuple(index.ids[s] for s in _blocking(ctx)),
        tuple(index.ids[s] for s in _evidence_needed(ctx)),
        _reliability(statuses, levels, cutoff, coverage, min_coverage), findings,
        _plan(ctx, weight / index.scale), _action_results(ctx),
        _method(freshness_months, strict, max_roles_per_unit, min_coverage))


def assembled(protocol: Protocol, profile: Profile, when: date,
              sums: tuple[int, int, int], groups: dict[str, dict[str, GroupScore]],
              blocking: tuple[str, ...], needed: tuple[str, ...], reliability: Reliability,
              findings: tuple[Finding, ...], plan: tuple[PlanStep, ...],
              actions: tuple[ActionResult, ...], method: Method) -> Assessment:
    """The assessment made of its computed parts (``sums``: the weight units times levels,
    the applicable weight units and the best case's units times levels, over the protocol);
    :func:`assess` and the batch kernel (:mod:`._kernel`) both end here."""
    return trusted(Assessment, {
        "format_version": 2, "protocol": _protocol_ref(protocol.id, protocol.version),
        "institution": profile.institution, "as_of": when,
        **headline(protocol, sums, groups, blocking, needed, reliability, method.min_coverage),
        "groups": FrozenDict({name: FrozenDict(family) for name, family in groups.items()}),
        "blocking": blocking, "evidence_needed": needed,
        "findings": findings, "plan": plan, "actions": actions,
        "labels": protocol.index.labels, "method": method,
        "cooperation": profile.cooperation})


def headline(protocol: Protocol, sums: tuple[int, int, int],
             groups: dict[str, dict[str, GroupScore]], blocking: tuple[str, ...],
             needed: tuple[str, ...], reliability: Reliability, min_coverage: float
             ) -> dict[str, object]:
    """The score, grade, provisional flag, coverage, score range, reliability and each
    family's group scores, as an assessment and its summary row give them (the arguments as
    for :func:`assembled`)."""
    total, weight, best = sums
    scale = protocol.index.scale
    score = _score(total, weight, scale) or 0.0
    coverage = reliability.coverage
    return {
        "score": score, "grade": _grade(score, bool(blocking)),
        "provisional": coverage < min_coverage or bool(needed), "coverage": coverage,
        "score_range": (score, _top(score, _score(best, weight, scale)) or 0.0),
        "reliability": reliability,
        **{name: FrozenDict({k: g.score for k, g in family.items()})
           for name, family in groups.items()}}


def _findings(ctx: Context) -> tuple[Finding, ...]:
    """Every rule's findings, by kind, then by the action's phase and place in the file."""
    position = ctx.index.position
    findings = [f for _, rule in RULES for f in rule(ctx)]
    findings.sort(key=lambda f: (_KIND_ORDER[f.kind],
                                 position[f.action] if f.action else (-1, -1)))
    return tuple(findings)


def _action_results(ctx: Context) -> tuple[ActionResult, ...]:
    claimed, effective, waived = ctx.claimed, ctx.effective, ctx.waived
    supported = ctx.supported
    actions, interned, known = ctx.protocol.actions, ctx.index.interned, ctx.index.memo.get
    results = []
    for s, status in enumerate(ctx.statuses):
        kind = "unassessed" if status is None else (
            "n/a" if claimed[s] is None else "unknown" if status.level == "unknown"
            else "assessed")
        key = ("result", s, kind, claimed[s], effective[s], actions[s].id in waived,
               0 if status is None else len(status.evidence),
               supported[s] if kind == "assessed" else None)
        result = known(key)
        if result is None:  # the first assessment to reach it makes it
            result = interned(key, lambda: _action_result(actions[s], key))  # noqa: B023
        results.append(result)
    return tuple(results)  # type: ignore[arg-type]  # the memo holds ActionResults here


def _action_result(a: Action, key: tuple[object, ...]) -> ActionResult:
    _, _, status, claimed, effective, waived, evidence, supported = key
    return trusted(ActionResult, {
        "action": a.id, "title": a.title, "phase": a.phase, "lead": a.lead,
        "critical": a.critical, "weight": a.weight, "status": status, "claimed": claimed,
        "supported": supported,
        "effective": effective, "waived": waived, "evidence": evidence})


@lru_cache(maxsize=64)
def _method(freshness_months: int, strict: bool, max_roles_per_unit: int,
            min_coverage: float) -> Method:
    return Method(freshness_months=freshness_months, strict=strict,
                  max_roles_per_unit=max_roles_per_unit, min_coverage=min_coverage,
                  rules=tuple(name for name, _ in RULES))


@lru_cache(maxsize=64)
def _protocol_ref(protocol_id: str, version: str) -> ProtocolRef:
    return ProtocolRef(id=protocol_id, version=version)


def _as_of(protocol: object, profile: object, as_of: object, strict: object,
           freshness_months: object, max_roles_per_unit: object, min_coverage: object) -> date:
    """Check the arguments and return the date to judge at.

    Wrong types are a programming error (TypeError); impossible values a ValueError; a profile
    that names what the protocol does not have, a ProfileError.
    """
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    require_type(profile, Profile, "profile", "a Profile (from load_profile)")
    _check_arguments(protocol, as_of, strict, freshness_months, max_roles_per_unit,
                     min_coverage)
    assert isinstance(protocol, Protocol)  # narrowed for the type checker, checked above
    assert isinstance(profile, Profile)
    when = _judged_on(as_of, profile.assessed_on)
    _check_compatible(protocol, profile)
    return when


def _judged_on(as_of: object, assessed_on: date) -> date:
    """``as_of`` (a date, or the day of a datetime), or else the profile's ``assessed_on``.

    Raises
    ------
    ValueError
        If it is before 1900-01-01.
    """
    when = as_of if isinstance(as_of, date) else assessed_on
    when = when.date() if isinstance(when, datetime) else when
    if when < EARLIEST_DATE:
        raise ValueError(f"as_of must be {EARLIEST_DATE} or later (got {when})")
    return when


def _check_arguments(protocol: object, as_of: object, strict: object,
                     freshness_months: object, max_roles_per_unit: object,
                     min_coverage: object) -> None:
    """Raise TypeError or ValueError for an argument of :func:`assess` (but the profile) of
    the wrong type or out of range."""
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    if as_of is not None:
        require_type(as_of, date, "as_of", "a datetime.date or None")
    require_type(strict, bool, "strict", "True or False")
    require_type(freshness_months, int, "freshness_months", "a whole number of months")
    require_type(max_roles_per_unit, int, "max_roles_per_unit", "a whole number")
    assert isinstance(max_roles_per_unit, int)
    if max_roles_per_unit < 1:
        raise ValueError(f"max_roles_per_unit must be at least 1 (got {max_roles_per_unit})")
    if isinstance(min_coverage, bool) or not isinstance(min_coverage, (int, float)):
        raise TypeError(f"min_coverage must be a number from 0 to 1 (got "
                        f"{type(min_coverage).__name__})")
    if not 0 <= min_coverage <= 1:
        raise ValueError(f"min_coverage must be from 0 to 1 (got {min_coverage})")
    assert isinstance(freshness_months, int)
    if not 1 <= freshness_months <= _MAX_FRESHNESS_MONTHS:
        raise ValueError(f"freshness_months must be 1 to {_MAX_FRESHNESS_MONTHS} (got "
                         f"{freshness_months})")


def _fits(protocol: Protocol, named: tuple[str, str] | None, actions: Iterable[str],
          roles: Iterable[str], waived: Iterable[str]) -> bool:
    """Whether a profile naming the protocol ``named`` (id, version; or none), these actions,
    roles and waived actions can be scored against ``protocol`` (the batch kernel asks it of
    a packed profile; :func:`_check_compatible` says why not)."""
    if named is not None and named != (protocol.id, protocol.version):
        return False
    known = protocol.index.slot.keys()
    return (known >= set(actions) and protocol.role_index.keys() >= set(roles)
            and known >= set(waived))


def _check_compatible(protocol: Protocol, profile: Profile) -> None:
    named = profile.protocol
    if _fits(protocol, None if named is None else (named.id, named.version), profile.actions,
             profile.roles, (w.action for w in profile.waivers)):
        return
    if named is not None and (named.id, named.version) != (protocol.id, protocol.version):
        raise ProfileError([Problem(
            file="<profile>", code="other-protocol-version",
            message=f"the profile was written for {named.id} {named.version}, and the protocol "
                    f"is {protocol.id} {protocol.version}: rewrite it with `disaster-protocol "
                    f"migrate PROFILE --to {protocol.version}` (or disaster_protocol.migrate)")])
    known = protocol.index.slot
    roles = protocol.role_index
    unknown = sorted(set(profile.actions) - set(known))
    unknown += sorted(w.action for w in profile.waivers if w.action not in known)
    unknown += sorted(set(profile.roles) - set(roles))
    raise ProfileError([Problem(file="<profile>", message=f"the profile names "
                                f"{', '.join(unknown)}, which protocol {protocol.id} "
                                f"{protocol.version} does not have; load the profile against "
                                "this protocol", code="unknown-action")])
