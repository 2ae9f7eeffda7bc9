"""Portfolio summaries by group, with small-group suppression.

Each institution counts once, by its latest assessment. A group with fewer than ``k``
institutions shows how many it has and nothing else. Where the
institutions left out that way number fewer than ``k`` in all, the totals would give them away
(the total minus the other groups), so the smallest groups still shown are left out too
(secondary suppression) until the groups left out hold ``k`` institutions or more, or every
group is left out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from ._frozen import FrozenDict
from ._summary import Breakdown, GroupStats, Summary

__all__ = ["GROUP_KEYS", "breakdown", "group_key"]

GROUP_KEYS = ("country", "subregion", "type", "language")


def group_key(summary: Summary, by: str) -> str:
    """The value of institution attribute ``by`` for one row (``-`` where it is not given)."""
    value = getattr(summary.institution, by)
    return "-" if value is None else str(value)


def breakdown(summaries: Sequence[Summary], by: str, k: int) -> Breakdown:
    """A portfolio's rows (``summaries``) grouped by institution attribute ``by``."""
    if by not in GROUP_KEYS:
        raise ValueError(f"cannot group by {by!r}; choose one of: {', '.join(GROUP_KEYS)}")
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1 (got {k!r})")
    latest = _latest(summaries)
    rows: dict[str, list[Summary]] = {}
    for summary in latest:
        rows.setdefault(group_key(summary, by), []).append(summary)
    hidden = _suppressed({key: len(members) for key, members in rows.items()}, k)
    groups = tuple(_stats(key, members, key in hidden) for key, members in sorted(rows.items()))
    total = _stats("", latest, len(latest) < k)
    return Breakdown(by=by, k=k, groups=groups, total=total)


def _latest(summaries: Sequence[Summary]) -> list[Summary]:
    """One row per institution: its latest assessment (the last given, on equal dates), so
    that a group counts institutions, not files, and no date is averaged with another."""
    latest: dict[str, Summary] = {}
    for summary in summaries:
        known = latest.get(summary.institution.id)
        if known is None or summary.as_of >= known.as_of:
            latest[summary.institution.id] = summary
    return list(latest.values())


def _suppressed(sizes: dict[str, int], k: int) -> set[str]:
    """Primary suppression (groups under ``k``), then secondary until the hidden hold k."""
    hidden = {key for key, n in sizes.items() if n < k}
    shown = sorted((n, key) for key, n in sizes.items() if key not in hidden)
    while hidden and sum(sizes[key] for key in hidden) < k and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


def _stats(group: str, members: Sequence[Summary], suppressed: bool) -> GroupStats:
    if suppressed or not members:
        return GroupStats(group=group, institutions=len(members), suppressed=bool(members))
    scores = [s.score for s in members]
    blocking = Counter(gap for s in members for gap in s.blocking)
    priorities: dict[str, list[float]] = {}
    for s in members:
        for priority, value in s.by_priority.items():
            if value is not None:
                priorities.setdefault(priority, []).append(value)
    means = {p: sum(v) / len(v) for p, v in priorities.items()}
    return GroupStats(
        group=group, institutions=len(members), suppressed=False,
        mean_score=round(sum(scores) / len(scores), 1),
        median_score=round(statistics.median(scores), 1),
        mean_coverage=round(sum(s.coverage for s in members) / len(members), 4),
        grades=FrozenDict({g: sum(s.grade == g for s in members) for g in "ABC"}),
        common_blocking=tuple(gap for gap, _ in sorted(blocking.items(),
                                                       key=lambda item: (-item[1], item[0]))[:3]),
        weakest_priority=min(means, key=lambda p: (means[p], p)) if means else None)
