"""Assess many profiles at once: the arithmetic of :func:`~disaster_protocol.assess` as arrays.

:func:`assess_batch` gives, for each profile, the very :class:`Assessment` that ``assess`` gives
(equal values, the same JSON byte for byte; a property test compares them). The stages that
visit every action of every profile (the levels the evidence supports, the foundations rule,
the group sums, the best case, what each plan step unlocks and gains) run as numpy operations
over every profile at once, one slot at a time; what is left per profile is picking the
results out: the findings, plan steps and action results, shared between assessments through
the protocol's memo as ``assess`` shares them.

Numpy comes with the ``analysis`` extra; without it, for small batches, or where the arrays
could not hold the sums exactly (weights with long binary fractions on large protocols),
``assess`` runs profile by profile: the results are the same either way, only the time
differs.

Layout: arrays are ``(slots, profiles)``, so the column of one slot over every profile is
contiguous; a level is ``-1`` where the action does not apply (``n/a``, ``None`` in
``assess``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from itertools import pairwise, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from ._assess import (
    _action_result,
    _as_of,
    _check_arguments,
    _fits,
    _group,
    _judged_on,
    _method,
    _score,
    _top,
    assembled,
    headline,
    reliability,
)
from ._frozen import trusted
from ._index import CLOSURE_LIMIT, ProtocolIndex
from ._rules import (
    blocking_finding,
    dependency_finding,
    evidence_needed_finding,
    months_earlier,
    overloaded_units,
    stale_finding,
    unassessed_finding,
    unassigned_role_finding,
    unsupported_finding,
    waiver_findings,
)
from .assessment import (
    FRESHNESS_MONTHS,
    IMPLEMENTED,
    MAX_ROLES_PER_UNIT,
    MIN_COVERAGE,
    ActionResult,
    Assessment,
    Finding,
    GroupScore,
    PlanStep,
)
from .model import Protocol
from .profile import Glance, Profile, unpacked

if TYPE_CHECKING:
    from numpy import ndarray

__all__ = ["MIN_BATCH", "assess_batch", "batchable", "summarise_batch"]

_CODE = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, "n/a": 5, "unknown": 6, None: 7}
"""A status's level as a number; 7 is an action left out of the profile."""


_NA, _UNKNOWN, _MISSING = 5, 6, 7
_KIND = {_NA: "n/a", _UNKNOWN: "unknown", _MISSING: "unassessed"}
_EXACT = 2 ** 53  # sums of weight units times levels stay exact in float64 below this
_DAYS = 1 << 22  # every date's ordinal is below this (date.max is 3,652,059)

_ROW_FAMILIES = ("by_phase", "by_priority")
"""The families of group scores a summary row shows (``Summary.by_phase``, ``by_priority``)."""

MIN_BATCH = 128
"""Fewer profiles than this are assessed one by one: the arrays' fixed cost (a few thousand
small numpy calls, whatever the batch's size) outweighs what they save on so few."""


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy comes with the analysis extra (dev has it)
        return None
    return numpy


def batchable(protocol: Protocol) -> bool:
    """Whether :func:`assess_batch` runs ``protocol`` as arrays (numpy is installed, the
    protocol has at most :data:`~._index.CLOSURE_LIMIT` actions, and its weighted sums stay
    exact in floating point); otherwise it assesses profile by profile."""
    index = protocol.index
    return (_numpy() is not None and 0 < len(index.ids) <= CLOSURE_LIMIT
            and max(index.units) * 4 * len(index.ids) < _EXACT)


def assess_batch(protocol: Protocol, profiles: Sequence[Profile], *,
                 as_of: date | None = None, strict: bool = False,
                 freshness_months: int = FRESHNESS_MONTHS,
                 max_roles_per_unit: int = MAX_ROLES_PER_UNIT,
                 min_coverage: float = MIN_COVERAGE) -> list[Assessment | Exception]:
    """``[assess(protocol, p, ...) for p in profiles]``, computed together.

    Fewer than :data:`MIN_BATCH` profiles are assessed one by one. A profile ``assess``
    refuses gets the exception ``assess`` raises (a
    :class:`~disaster_protocol.ProfileError` for a profile of another protocol) in its place;
    wrong arguments (types, ranges) raise at once, as ``assess`` raises them.
    """
    options = (as_of, strict, freshness_months, max_roles_per_unit, min_coverage)
    results, batch, taken = _batched(protocol, profiles, options, detail=True)
    if batch is not None:
        for i, assessment in zip(taken, batch.assessments(), strict=True):
            results[i] = assessment
    return results  # every place is filled above


def summarise_batch(protocol: Protocol, profiles: Sequence[Profile | Glance], *,
                    as_of: date | None = None, strict: bool = False,
                    min_coverage: float = MIN_COVERAGE
                    ) -> list[dict[str, Any] | Assessment | Exception]:
    """What each profile's summary row holds (``Summary.of_parts`` makes the row), computed
    together without the findings, plan and action results a row does not show; with
    ``assess``'s default freshness window and roles threshold (a batch's options).

    Profiles may be given packed (a :class:`~.profile.Glance`: the profile is not rebuilt).
    Where the batch assesses a profile alone (fewer than :data:`MIN_BATCH`, no numpy), its
    whole :class:`Assessment` is in its place (``Summary.of`` makes the row); a profile
    ``assess`` refuses gets the exception ``assess`` raises, as in :func:`assess_batch`.
    """
    options = (as_of, strict, FRESHNESS_MONTHS, MAX_ROLES_PER_UNIT, min_coverage)
    results, batch, taken = _batched(protocol, profiles, options, detail=False)
    if batch is not None:
        for i, parts in zip(taken, batch.summaries(), strict=True):
            results[i] = parts
    return results


def _batched(protocol: Protocol, profiles: Sequence[Profile | Glance],
             options: tuple[date | None, bool, int, int, float], *, detail: bool
             ) -> tuple[list[Any], _Batch | None, list[int]]:
    """Each profile's place in the results: the exception ``assess`` raises for it, its
    assessment where it is assessed alone, or (left ``None``) its place in the batch; and
    the batch, with the places of its profiles."""
    _check_arguments(protocol, *options)
    results: list[Any] = [None] * len(profiles)
    whens: list[date] = []
    taken: list[int] = []
    items: list[Profile | Glance] = []
    np = _numpy() if len(profiles) >= MIN_BATCH and batchable(protocol) else None
    for i, profile in enumerate(profiles):
        if isinstance(profile, Glance):
            when = _glance_when(protocol, profile, options[0])
            if when is not None and np is not None and not detail:
                taken.append(i)
                whens.append(when)
                items.append(profile)
                continue
            profile = unpacked(profile.blob)  # to be refused, assessed alone or in full
        try:
            when = _as_of(protocol, profile, *options)
        except (TypeError, ValueError):
            raise
        except Exception as exc:
            results[i] = exc
            continue
        if np is None:
            from ._assess import assess

            as_of, strict, freshness_months, max_roles_per_unit, min_coverage = options
            results[i] = assess(protocol, profile, as_of=as_of, strict=strict,
                                freshness_months=freshness_months,
                                max_roles_per_unit=max_roles_per_unit,
                                min_coverage=min_coverage)
            continue
        taken.append(i)
        whens.append(when)
        items.append(profile)
    if not taken:
        return results, None, taken
    return results, _Batch(np, protocol, items, whens, options[1], *options[2:],
                           detail=detail), taken


def _glance_when(protocol: Protocol, glance: Glance, as_of: date | None) -> date | None:
    """The date a packed profile is judged at; ``None`` where it names a protocol version,
    actions or roles this protocol does not have (unpacked, it gets ``assess``'s error).

    Raises
    ------
    ValueError
        As ``assess`` does, if ``as_of`` is before 1900-01-01.
    """
    if not _fits(protocol, glance.protocol, (row[0] for row in glance.actions), glance.roles,
                 (action for action, _ in glance.waivers)):
        return None
    return _judged_on(as_of, glance.assessed_on)


class _Batch:
    """The arrays of one batch, and the assessments picked out of them."""

    def __init__(self, np: Any, protocol: Protocol, profiles: Sequence[Profile | Glance],
                 whens: list[date], strict: bool, freshness_months: int,
                 max_roles_per_unit: int, min_coverage: float, *, detail: bool = True
                 ) -> None:
        self.np, self.protocol, self.index = np, protocol, protocol.index
        self.detail = detail  # keep what findings name (the prerequisite that held an action)
        self.profiles, self.whens, self.strict = profiles, whens, strict
        self.freshness_months, self.max_roles = freshness_months, max_roles_per_unit
        self.method = _method(freshness_months, strict, max_roles_per_unit, min_coverage)
        self.min_coverage = min_coverage
        self.cutoffs = [months_earlier(w, freshness_months) for w in whens]
        index = self.index
        ids = index.ids
        self.by_position = np.array(sorted(range(len(ids)), key=lambda s: index.position[ids[s]]),
                                    dtype=np.int64)
        self.code, self.evidence, self.exercised_on = _read(np, index, profiles)
        self.cutoff = np.array([c.toordinal() for c in self.cutoffs], dtype=np.int64)
        self.waived = np.zeros(self.code.shape, dtype=bool)  # a waiver in force
        slot = index.slot
        for i, (profile, when) in enumerate(zip(profiles, whens, strict=True)):
            if isinstance(profile, Glance):
                today = when.toordinal()
                for action, expires in profile.waivers:
                    if expires >= today:
                        self.waived[slot[action], i] = True
                continue
            for w in profile.waivers:
                if w.expires >= when:
                    self.waived[slot[w.action], i] = True
        self._levels(self.exercised_on, self.cutoff)

    # ------------------------------------------------------------------ arrays

    def _levels(self, exercised_on: ndarray, cutoff: ndarray) -> None:
        """The claimed, supported and effective levels, as ``_assess`` computes them."""
        np, code = self.np, self.code
        self.assessed = code <= _NA  # n/a is an answer: assessed, at no level
        self.applies = code != _NA
        level = np.where(code <= 4, code, 0).astype(np.int64)  # left out or unknown: 0
        high = (code >= IMPLEMENTED) & (code <= 4)
        has_evidence = self.evidence > 0
        self.fresh = (exercised_on != 0) & (exercised_on >= cutoff)
        self.shown = high & has_evidence & self.fresh
        lacks = high & ~has_evidence if self.strict else np.zeros_like(high)
        stale = (code == 4) & ~self.fresh
        supported = np.where(lacks, IMPLEMENTED - 1, np.where(stale, IMPLEMENTED, level))
        self.supported = np.where(self.applies, supported, -1)
        self.high, self.has_evidence = high, has_evidence
        self.effective, self.held, self.low, self.low_level = self._propagate(
            self.supported, self.assessed, findings=self.detail)
        units = np.array(self.index.units, dtype=np.float64)[:, None]
        self.counted = counted = self.assessed & self.applies  # at a level, in the score
        self.total = units * np.where(counted, self.effective, 0)
        self.weight = units * self.applies
        self.known = units * counted
        if self.assessed.all():
            self.best = self.total
        else:  # the best case: every unassessed action at level 3, then the foundations rule
            best_supported = np.where(self.applies & ~self.assessed, IMPLEMENTED,
                                      self.supported)
            everything = np.ones_like(self.assessed)
            best = self._propagate(best_supported, everything, findings=False)[0]
            self.best = units * np.where(self.applies, best, 0)

    def _propagate(self, supported: ndarray, assessed: ndarray, *, findings: bool = True
                   ) -> tuple[ndarray, ndarray, ndarray, ndarray]:
        """The foundations rule in execution order, over every profile at once; where it bit,
        and (for the findings) the prerequisite that held each action back and its level:
        the lowest, then the first by phase and place in the file."""
        np, index = self.np, self.index
        effective = supported.copy()
        held = np.zeros_like(assessed)
        low = np.full(effective.shape, -1, dtype=np.int64)
        low_level = np.full(effective.shape, -1, dtype=np.int64)
        requires, phase_of = index.requires, index.phase_of
        no = np.zeros(effective.shape[1], dtype=bool)  # the rule first; shown is kept below
        for s in index.sequence:
            prerequisites = requires[s]
            if not prerequisites:
                continue
            level = effective[s]
            cap = self._cap(level, ((effective[r], assessed[r]) for r in prerequisites), no)
            bit = (level >= 0) & assessed[s] & (cap < level)
            if not bit.any():
                continue
            held[s] = bit
            kept = np.where(self.shown[s] & (cap < IMPLEMENTED), IMPLEMENTED, cap)
            effective[s] = np.where(bit, kept, level)
            if findings:
                lowest = np.full(level.shape, 99, dtype=np.int64)
                which = np.full(level.shape, -1, dtype=np.int64)
                for r in sorted(prerequisites, key=lambda r: (phase_of[r], r)):
                    at = effective[r]
                    lower = assessed[r] & (at >= 0) & (at < lowest)
                    lowest = np.where(lower, at, lowest)
                    which = np.where(lower, r, which)
                low[s], low_level[s] = which, lowest
        return effective, held, low, low_level

    def _group_scores(self, families: Sequence[str] | None = None
                      ) -> tuple[list[tuple[str, str]], list[list[GroupScore]]]:
        """Every (family, group) of ``families`` (default: all), and for each profile its
        groups' scores.

        A group's score depends only on four sums (weight units times levels, applicable
        units, units assessed, the best case); each different four is scored once."""
        np, index = self.np, self.index
        stacked = np.concatenate([self.total, self.weight, self.known, self.best], axis=1)
        keys = [(family, key) for family, groups in index.members.items()
                if families is None or family in families for key in groups]
        member = np.zeros((len(keys), len(index.ids)), dtype=np.float64)
        for g, (family, key) in enumerate(keys):
            member[g, list(index.members[family][key])] = 1.0
        p = len(self.profiles)
        sums = np.rint(member @ stacked).astype(np.int64).reshape(len(keys), 4, p
                                                                 ).transpose(1, 0, 2)
        bits = max(1, int(sums.max()).bit_length())
        if 4 * bits > 63:  # too wide to pack in one number: every profile's sums as they are
            rows = np.transpose(sums, (2, 1, 0)).tolist()
            scale = index.scale
            return keys, [[_group_score(*four, scale) for four in row] for row in rows]
        packed = ((sums[0] << bits | sums[1]) << bits | sums[2]) << bits | sums[3]
        mask = (1 << bits) - 1

        def score(value: int) -> GroupScore:
            return _group_score(value >> 3 * bits, value >> 2 * bits & mask,
                                value >> bits & mask, value & mask, index.scale)

        return keys, self._made(packed, score).T.tolist()

    def _below(self) -> ndarray:
        """Row s: 1 at every slot downstream of slot s (kept on the protocol's memo)."""
        np, index = self.np, self.index
        below = index.memo.get(_BELOW)
        if below is None:
            n = len(index.ids)
            below = np.zeros((n, n), dtype=np.float32)
            for s, slots in enumerate(_downstream(index)):
                below[s, slots] = 1.0
            index.memo[_BELOW] = below
        kept: ndarray = below  # type: ignore[assignment]  # stored above
        return kept

    def _unlocks(self, pending: ndarray) -> ndarray:
        """For every slot and profile, how many actions downstream are still below level 3
        (exact in float32: the counts stay below 2**24)."""
        np = self.np
        counts: ndarray = np.rint(self._below() @ pending.astype(np.float32)).astype(np.int64)
        return counts

    def _cap(self, level: ndarray, prerequisites: Iterable[tuple[ndarray, ndarray]],
             shown: ndarray) -> ndarray:
        """The foundations rule for one slot over every column: ``level`` at most one above
        each prerequisite (its levels, and whether it was assessed) that has a level, a
        capability shown kept at 3."""
        np = self.np
        cap = level
        for at, assessed in prerequisites:
            cap = np.where(assessed & (at >= 0) & (cap > at + 1), at + 1, cap)
        capped: ndarray = np.where(shown & (cap < IMPLEMENTED), IMPLEMENTED, cap)
        return capped

    def _uplifts(self, candidates: ndarray) -> ndarray:
        """At every plan step (slot, profile), the score delta in weight times levels if that
        action reached level 3, caps on its dependants included. Slot by slot, over the
        profiles where it is a step, as ``_assess._uplift`` computes it: only the dependants
        of what changed (in any of those profiles) are recomputed, in execution order, each
        change added in that order (a dependant no change reaches would recompute to its own
        level and add nothing)."""
        np, index = self.np, self.index
        gains: ndarray = np.zeros(self.effective.shape, dtype=np.float64)
        weights = np.array(index.weight, dtype=np.float64)
        requires, needed_by, step = index.requires, index.needed_by, index.step
        for s in np.flatnonzero(candidates.any(axis=1)).tolist():
            rows = np.flatnonzero(candidates[s])
            new = {s: np.full(rows.size, IMPLEMENTED, dtype=self.effective.dtype)}
            delta = weights[s] * (IMPLEMENTED - self.effective[s, rows]).astype(np.float64)
            pending = [(step[d], d) for d in needed_by[s]]
            heapq.heapify(pending)
            seen = set(needed_by[s])
            while pending:
                _, d = heapq.heappop(pending)
                level, effective = self.supported[d, rows], self.effective[d, rows]
                cap = self._cap(level, ((new[r] if r in new else self.effective[r, rows],
                                         self.assessed[r, rows]) for r in requires[d]),
                                self.shown[d, rows])
                changed = (level >= 0) & self.assessed[d, rows] & (cap != effective)
                if not changed.any():
                    continue
                new[d] = np.where(changed, cap, effective)
                gain = weights[d] * (cap - effective).astype(np.float64)
                delta = np.where(changed, delta + gain, delta)
                for e in needed_by[d]:
                    if e not in seen:
                        seen.add(e)
                        heapq.heappush(pending, (step[e], e))
            gains[s, rows] = delta
        return gains

    # ------------------------------------------------------------------ results

    def _pairs(self, mask: ndarray) -> tuple[ndarray, ndarray, list[int]]:
        """Where ``mask`` holds: the profiles and slots, by profile and then in the order
        findings are listed (by phase, then by place in the file), and where each profile's
        run starts and ends."""
        np, order = self.np, self.by_position
        profile, column = np.nonzero(mask.T[:, order])
        counts = np.bincount(profile, minlength=len(self.profiles))
        return profile, order[column], [0, *np.cumsum(counts).tolist()]

    def _made(self, numbers: ndarray, make: Callable[[int], Any]) -> ndarray:
        """``numbers`` replaced by the values ``make`` makes of them, each different number
        made once for the whole batch."""
        np = self.np
        distinct, where = np.unique(numbers, return_inverse=True)
        table = np.empty(len(distinct), dtype=object)
        for j, number in enumerate(distinct.tolist()):
            table[j] = make(number)
        made: ndarray = table[where.reshape(numbers.shape)]
        return made

    def _where(self, mask: ndarray, *values: ndarray) -> list[list[list[Any]]]:
        """For each profile: the slots where ``mask`` holds (see :meth:`_pairs`), and each of
        ``values`` at those slots (Python lists, converted in one go for the batch)."""
        profile, slot, bounds = self._pairs(mask)
        columns = [slot.tolist(), *(v.T[profile, slot].tolist() for v in values)]
        return [[column[a:b] for column in columns] for a, b in pairwise(bounds)]

    def _shared(self, mask: ndarray, code: ndarray, make: Callable[[int], Finding]
                ) -> list[list[Finding]]:
        """For each profile, the findings at the slots where ``mask`` holds, in the order
        findings are listed; ``code`` numbers each finding by its slot and parameters, and
        ``make`` makes the finding a number stands for, once for the whole batch."""
        profile, slot, bounds = self._pairs(mask)
        if not profile.size:
            return [[] for _ in self.profiles]
        found = self._made(code.T[profile, slot], make).tolist()
        return [found[a:b] for a, b in pairwise(bounds)]

    def _shared_findings(self, critical: ndarray) -> list[list[list[Finding]]]:
        """Each profile's findings of the kinds the arrays decide, kind by kind in the order
        of ``_assess._findings`` (blocking gaps, evidence needed, unsupported claims, stale
        exercises, dependency inconsistencies; the unassessed actions last)."""
        np, index, actions = self.np, self.index, self.protocol.actions
        n, day = len(index.ids), _DAYS
        slots = np.arange(n, dtype=np.int64)[:, None]
        code, effective, supported = self.code.astype(np.int64), self.effective, self.supported
        counted = self.counted

        def blocking(number: int) -> Finding:
            return blocking_finding(index, actions, *divmod(number, 8))

        def needed(number: int) -> Finding:
            return evidence_needed_finding(index, actions, number)

        def unsupported(number: int) -> Finding:
            s, claimed = divmod(number, 8)
            return unsupported_finding(actions[s], claimed)

        months = self.freshness_months

        def stale(number: int) -> Finding:
            rest, cutoff = divmod(number, day)
            s, exercised = divmod(rest, day)
            made = stale_finding(actions[s], date.fromordinal(exercised) if exercised else None,
                                 date.fromordinal(cutoff), months)
            assert made is not None  # stale: never exercised, or before the cutoff
            return made

        def dependency(number: int) -> Finding:
            rest, exercised = divmod(number, day)
            rest, shown = divmod(rest, 2)
            rest, level = divmod(rest, 8)
            rest, low_level = divmod(rest, 8)
            rest, claimed = divmod(rest, 8)
            s, low = divmod(rest, n)
            return dependency_finding(index, actions, s, claimed, low, low_level, level,
                                      date.fromordinal(exercised) if shown else None)

        def unassessed(number: int) -> Finding:
            s, unknown = divmod(number, 2)
            return unassessed_finding(index, actions, s, bool(unknown))

        tested, shown = code == 4, self.shown
        kinds = [
            self._shared(critical & counted & (effective < IMPLEMENTED),
                         slots * 8 + effective, blocking),
            self._shared(critical & ~self.assessed, slots + 0 * code, needed),
            self._shared(self.high & ~self.has_evidence, slots * 8 + code, unsupported)
            if self.strict else None,
            self._shared(tested & ~self.fresh,
                         (slots * day + self.exercised_on) * day + self.cutoff, stale),
            self._shared(self.held, ((((((slots * n + self.low) * 8 + supported) * 8
                                        + self.low_level) * 8 + effective) * 2 + shown) * day
                                     + np.where(shown, self.exercised_on, 0)), dependency),
            self._shared(~self.assessed & ~critical, slots * 2 + (code == _UNKNOWN),
                         unassessed),
        ]
        return [[kind[i] if kind is not None else [] for kind in kinds]
                for i in range(len(self.profiles))]

    def assessments(self) -> list[Assessment]:
        """Each profile's assessment, picked out of the arrays."""
        np, index = self.np, self.index
        pending = self.counted & (self.effective < IMPLEMENTED)
        waiting = np.zeros_like(pending)  # a prerequisite is pending too
        for s, prerequisites in enumerate(index.requires):
            for r in prerequisites:
                waiting[s] |= pending[r]
        candidates = pending & ~waiting
        gains = self._uplifts(candidates)
        critical = self._critical()
        picked = zip(self._shared_findings(critical),
                     self._where(candidates, self._unlocks(pending), gains), strict=True)
        total, weight, known, best, claims = self._sums()
        groups, group_scores = self._group_scores()
        roles = (np.stack([self.applies[list(slots)].any(axis=0) for slots in index.role_slots]
                          ).T.tolist() if index.role_slots else [[] for _ in self.profiles])
        out = []
        for i, (profile, chosen, results, counts, role_row) in enumerate(zip(
                cast(list[Profile], self.profiles),  # detail: the batch holds profiles
                picked, self._results(), claims, roles, strict=True)):
            coverage = round(known[i] / weight[i], 4) if weight[i] else 0.0
            shared, plan = chosen
            out.append(assembled(
                self.protocol, profile, self.whens[i], (total[i], weight[i], best[i]),
                self._groups(groups, group_scores[i]),
                self._ids_in_file_order(shared[0]), self._ids_in_file_order(shared[1]),
                reliability(counts, coverage, self.min_coverage),
                self._findings(profile, self.whens[i], shared, role_row),
                self._plan(profile, plan, weight[i] / index.scale), results,
                self.method))
        return out

    def summaries(self) -> list[dict[str, Any]]:
        """Each profile's summary row, without its findings, plan and action results: the
        institution, the date, the parts of :func:`~._assess.headline`, the blocking gaps
        and the critical actions not assessed (``Summary.of_parts`` makes the row)."""
        np, ids = self.np, self.index.ids
        critical = self._critical()
        found = []
        for mask in (critical & self.counted & (self.effective < IMPLEMENTED),
                     critical & ~self.assessed):
            profile, slot = np.nonzero(mask.T)  # by profile, then by slot: the file's order
            bounds = [0, *np.cumsum(np.bincount(profile, minlength=len(self.profiles))
                                    ).tolist()]
            named = [ids[s] for s in slot.tolist()]
            found.append([tuple(named[a:b]) for a, b in pairwise(bounds)])
        total, weight, known, best, claims = self._sums()
        groups, group_scores = self._group_scores(_ROW_FAMILIES)
        out = []
        for i, (profile, counts, blocking, needed) in enumerate(zip(
                self.profiles, claims, *found, strict=True)):
            coverage = round(known[i] / weight[i], 4) if weight[i] else 0.0
            out.append({
                "institution": profile.institution, "as_of": self.whens[i],
                **headline(self.protocol, (total[i], weight[i], best[i]),
                           self._groups(groups, group_scores[i], _ROW_FAMILIES), blocking,
                           needed, reliability(counts, coverage, self.min_coverage),
                           self.min_coverage),
                "blocking": blocking, "evidence_needed": needed})
        return out

    def _critical(self) -> ndarray:
        """The critical actions of each profile that no waiver in force covers (a waived one
        is neither a blocking gap nor evidence needed)."""
        critical = self.np.zeros((len(self.index.ids), 1), dtype=bool)
        critical[list(self.index.critical_slots)] = True
        return critical & ~self.waived  # type: ignore[no-any-return]

    def _sums(self) -> tuple[list[int], list[int], list[int], list[int],
                             Iterable[tuple[int, int, int, int]]]:
        """Each profile's weight units times levels, applicable units, units assessed, best
        case; and its counts of 3-4 claims, of those with evidence, of 4 claims and of those
        exercised within the window (for :func:`~._assess.reliability`)."""
        np = self.np
        total, weight, known, best = (v.sum(axis=0).astype(np.int64).tolist() for v in (
            self.total, self.weight, self.known, self.best))
        tested = self.code == 4
        claims = zip(*(v.sum(axis=0).tolist() for v in (
            self.high, self.high & self.has_evidence, tested, tested & self.fresh)), strict=True)
        return total, weight, known, best, claims

    def _ids_in_file_order(self, found: list[Finding]) -> tuple[str, ...]:
        """The actions of ``found`` (blocking gaps, evidence needed) in the file's order, as
        ``Assessment.blocking`` and ``evidence_needed`` list them."""
        slot = self.index.slot
        return tuple(sorted((f.action for f in found if f.action), key=slot.__getitem__))

    def _groups(self, keys: list[tuple[str, str]], scores: list[GroupScore],
                named: Sequence[str] | None = None) -> dict[str, dict[str, GroupScore]]:
        """The scores of ``keys`` by family (of the families ``named``; default: all)."""
        families: dict[str, dict[str, GroupScore]] = {
            family: {} for family in self.index.members if named is None or family in named}
        for (family, key), score in zip(keys, scores, strict=True):
            families[family][key] = score
        return families

    def _findings(self, profile: Profile, when: date, shared: list[list[Finding]],
                  roles_apply: list[bool]) -> tuple[Finding, ...]:
        """The findings of ``_rules.RULES``, kind by kind in the order of
        ``_assess._findings``: those the arrays decide (``shared``, each kind already in the
        order of phases and places in the file), and the roles' read from the profile."""
        blocking, needed, unsupported, stale, dependency, unassessed = shared
        roles = [unassigned_role_finding(role) for role, applies
                 in zip(self.protocol.roles, roles_apply, strict=True)
                 if applies and role.id not in profile.roles]
        waivers = sorted(waiver_findings(self.index, self.protocol.actions, profile, when),
                         key=self._waiver_order) if profile.waivers else ()
        return (*blocking, *needed, *unsupported, *stale, *dependency, *waivers, *roles,
                *overloaded_units(profile, self.max_roles), *unassessed)

    def _waiver_order(self, found: Finding) -> tuple[bool, tuple[int, int]]:
        """Expired waivers first, then those in force; each by phase and place in the file."""
        return found.kind == "waived", self.index.position[found.action or ""]

    def _plan(self, profile: Profile, candidates: list[list[Any]], scored_weight: float
              ) -> tuple[PlanStep, ...]:
        index, actions = self.index, self.protocol.actions
        position, ids, critical, weight = index.position, index.ids, index.critical, \
            index.weight
        slots, unlocks, gains = candidates
        order = sorted(range(len(slots)), key=lambda j: (
            not critical[slots[j]], -unlocks[j], -weight[slots[j]], position[ids[slots[j]]]))
        units = profile.roles
        steps = []
        for rank, j in enumerate(order, start=1):
            a = actions[slots[j]]
            gain = 100.0 * gains[j] / (4.0 * scored_weight) if scored_weight else 0.0
            steps.append(trusted(PlanStep, {
                "rank": rank, "action": a.id, "phase": a.phase, "lead": a.lead,
                "unit": units[a.lead].unit if a.lead in units else None,
                "critical": a.critical, "unlocks": unlocks[j], "weight": a.weight,
                "uplift": round(gain, 2), "title": a.title}))
        return tuple(steps)

    def _results(self) -> list[tuple[ActionResult, ...]]:
        """Each profile's action results, shared through the protocol's memo as ``assess``
        shares them: each different one (by slot, claim, levels and evidence) is looked up
        once for the batch."""
        np, index = self.np, self.index
        n = len(index.ids)
        state = (((self.code.astype(np.int64) * 6 + (self.effective + 1)) * 6
                  + (self.supported + 1)) * 2 + self.waived)  # below 576
        keys = (self.evidence * 576 + state) * n + np.arange(n, dtype=np.int64)[:, None]
        actions = self.protocol.actions

        def result(key: int) -> ActionResult:
            s, rest = key % n, key // n
            evidence, state_of = divmod(rest, 576)
            state_of, waived = divmod(state_of, 2)
            c, levels = divmod(state_of, 36)
            level, supported = (v - 1 for v in divmod(levels, 6))
            kind = _KIND.get(c, "assessed")
            claimed = None if c == _NA else (c if c <= 4 else 0)
            memo_key = ("result", s, kind, claimed, None if c == _NA else level,
                        bool(waived), evidence, supported if kind == "assessed" else None)
            return index.interned(memo_key, lambda: _action_result(actions[s], memo_key))

        return [tuple(row) for row in self._made(keys, result).T.tolist()]


def _read(np: Any, index: ProtocolIndex, profiles: Sequence[Profile | Glance]
          ) -> tuple[ndarray, ndarray, ndarray]:
    """Every action's level (as a code of :data:`_CODE`), its number of evidence items and
    the ordinal of its last exercise (0: never), as ``(slots, profiles)`` arrays; read from
    validated profiles or from the packed rows of a :class:`~.profile.Glance`."""
    slot, code, fields = index.slot, _CODE.__getitem__, attrgetter(
        "level", "evidence", "last_exercised")
    columns: list[int] = []
    slots: list[int] = []
    codes: list[int] = []
    counts: list[int] = []
    days: list[int] = []
    for i, profile in enumerate(profiles):
        if isinstance(profile, Glance):
            if not profile.actions:
                continue
            keys, _, level, proof, last, *_ = zip(*profile.actions, strict=True)
            days += [0 if day is None else day for day in last]
        else:
            actions = profile.actions
            if not actions:
                continue
            keys = tuple(actions)
            level, proof, last = zip(*map(fields, actions.values()), strict=True)
            days += [0 if day is None else day.toordinal() for day in last]
        slots += map(slot.__getitem__, keys)
        codes += map(code, level)
        counts += map(len, proof)
        columns += repeat(i, len(keys))
    shape = (len(index.ids), len(profiles))
    levels = np.full(shape, _MISSING, dtype=np.int8)
    evidence = np.zeros(shape, dtype=np.int64)
    exercised = np.zeros(shape, dtype=np.int64)
    at = (np.array(slots, dtype=np.int64), np.array(columns, dtype=np.int64))
    levels[at] = np.array(codes, dtype=np.int8)
    evidence[at] = np.array(counts, dtype=np.int64)
    exercised[at] = np.array(days, dtype=np.int64)
    return levels, evidence, exercised


@lru_cache(maxsize=8192)
def _group_score(total: int, weight: int, known: int, best: int, scale: int) -> GroupScore:
    """A group's score from its sums, as ``_assess._groups`` computes it."""
    score = _score(total, weight, scale) if known else None
    high = _top(score, _score(best, weight, scale)) if known else None
    return _group(score, round(known / weight, 4) if weight else None,
                  None if score is None or high is None else (score, high))


def _downstream(index: ProtocolIndex) -> list[list[int]]:
    """Each slot's direct and indirect dependants, in execution order (kept on the memo)."""
    kept = index.memo.get(_DOWNSTREAM)
    if kept is None:
        step = index.step
        out = []
        for bits in index.closure or ():
            slots = []
            while bits:
                low = bits & -bits
                slots.append(low.bit_length() - 1)
                bits ^= low
            out.append(sorted(slots, key=step.__getitem__))
        kept = index.memo[_DOWNSTREAM] = out
    return kept  # type: ignore[return-value]  # stored above


_DOWNSTREAM = ("kernel", "downstream")
_BELOW = ("kernel", "below")
