"""Rank intervals: the best and the worst place each institution's score range allows.

League tables of hospitals are published with intervals, not bare ranks (Goldstein and
Spiegelhalter, 1996); here the interval comes from what is *not known*, not from sampling: an
institution's score lies between its score as given (every unassessed action at 0) and its
best case (each at level 3). Its best place counts only the others certainly above it (their
lowest score above its highest); its worst place counts every other that could be above it
(their highest score above its lowest). With every profile complete, the interval is the plain
rank (ties share the better place).

A place is *not supported* by the evidence when the grade is provisional (too little assessed,
or a critical action unknown) or when the interval spans more than a quarter of the list.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ._frozen import trusted
from ._summary import Summary

__all__ = ["ranked"]


def ranked(summaries: Sequence[Summary]) -> tuple[Summary, ...]:
    """The same rows with ``rank`` and ``rank_supported`` set, in the order given.

    Examples
    --------
    >>> from datetime import date
    >>> from disaster_protocol.profile import Institution
    >>> def row(i: str, low: float, high: float) -> Summary:
    ...     return Summary(source=None, institution=Institution(id=i, name=i, country="MX"),
    ...                    as_of=date(2026, 1, 1), score=low, grade="C", coverage=1.0,
    ...                    score_range=(low, high), blocking=(), by_phase={}, by_priority={})
    >>> [s.rank for s in ranked([row("a", 40, 40), row("b", 30, 60), row("c", 20, 20)])]
    [(1, 2), (1, 2), (3, 3)]
    """
    n = len(summaries)
    ranges = [s.score_range or (s.score, s.score) for s in summaries]
    lows = sorted(low for low, _ in ranges)
    highs = sorted(high for _, high in ranges)
    out = []
    for s, (low, high) in zip(summaries, ranges, strict=True):
        # others certainly above: lowest score above this one's highest (never itself)
        best = 1 + n - bisect_right(lows, high)
        # others possibly above: highest score above this one's lowest (less itself, counted
        # there when its own range is open)
        worst = 1 + n - bisect_right(highs, low) - (high > low)
        supported = not s.provisional and (worst - best) <= n / 4
        out.append(trusted(Summary, {**dict(s), "rank": (best, worst),
                                     "rank_supported": supported}))
    return tuple(out)
