"""The values a portfolio is summarised into: one row per institution (:class:`Summary`) and
the rows grouped by an institution attribute (:class:`Breakdown` of :class:`GroupStats`).

They sit below :mod:`._breakdown`, the engine that builds a breakdown, and below
:mod:`.portfolio`, which re-exports them and whose :meth:`~.portfolio.Portfolio.summary` calls
that engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from ._frozen import Frozen, ReadOnly, trusted
from ._i18n import Lang
from .assessment import Assessment
from .profile import Institution

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Breakdown", "GroupStats", "Summary"]


class Summary(Frozen):
    """One institution's row in a portfolio: what an aggregate needs, nothing more.

    Beside the score: whether the grade is provisional, the coverage, the score range (as
    given, and with every unassessed action at level 3), the reliability level and the
    critical actions nobody assessed. In a portfolio, ``rank`` is the best and the worst place
    the score ranges allow (1 is the highest score), and ``rank_supported`` is ``False`` where
    the evidence cannot support a place: a provisional grade, or a place that could move by
    more than a quarter of the list (see :mod:`._ranking`).
    """

    source: str | None
    institution: Institution
    as_of: date
    score: float
    grade: Literal["A", "B", "C"]
    provisional: bool = False
    coverage: float
    score_range: tuple[float, float] | None = None
    reliability: Literal["high", "medium", "low"] | None = None
    blocking: tuple[str, ...]
    evidence_needed: tuple[str, ...] = ()
    rank: tuple[int, int] | None = None
    rank_supported: bool | None = None
    by_phase: ReadOnly[str, float | None]
    by_priority: ReadOnly[str, float | None]

    def __repr__(self) -> str:
        return (f"Summary({self.institution.id} {self.as_of}: score {self.score:.1f} "
                f"({self.grade}), coverage {self.coverage:.0%}, {len(self.blocking)} blocking)")

    __str__ = __repr__

    @classmethod
    def of(cls, assessment: Assessment, source: str | None = None) -> Summary:
        """The summary row of ``assessment`` (read from ``source``, when it came from a file);
        its rank is set when the portfolio is put together."""
        return cls.of_parts(vars(assessment), source)

    @classmethod
    def of_parts(cls, parts: Mapping[str, Any], source: str | None = None) -> Summary:
        """The summary row made of an assessment's fields (``parts``: the fields of
        :class:`Assessment` a row shows, as the batch kernel computes them without the rest)."""
        return trusted(cls, {
            "source": source, "institution": parts["institution"], "as_of": parts["as_of"],
            "score": parts["score"], "grade": parts["grade"],
            "provisional": parts["provisional"], "coverage": parts["coverage"],
            "score_range": parts["score_range"], "reliability": parts["reliability"].level,
            "blocking": parts["blocking"], "evidence_needed": parts["evidence_needed"],
            "rank": None, "rank_supported": None, "by_phase": parts["by_phase"],
            "by_priority": parts["by_priority"]})


class GroupStats(Frozen):
    """What a group of institutions looks like; only the count where it is suppressed."""

    group: str
    institutions: int
    suppressed: bool
    mean_score: float | None = None
    median_score: float | None = None
    mean_coverage: float | None = None
    grades: ReadOnly[str, int] | None = None
    common_blocking: tuple[str, ...] = ()
    weakest_priority: str | None = None

    def __repr__(self) -> str:
        if self.suppressed:
            return f"GroupStats({self.group or 'total'}: {self.institutions}, suppressed)"
        score = "n/a" if self.mean_score is None else f"{self.mean_score:.1f}"
        return (f"GroupStats({self.group or 'total'}: {self.institutions} institutions, "
                f"mean score {score})")

    __str__ = __repr__


class Breakdown(Frozen):
    """A portfolio summarised by one institution attribute (``country``, ``subregion``...).

    Every average comes with the number of institutions it covers and their mean coverage.
    Groups under ``k`` institutions show their count alone, and enough others are left out
    that the total does not give them away (see :mod:`._breakdown`).
    """

    by: str
    k: int
    groups: tuple[GroupStats, ...]
    total: GroupStats

    def to_frame(self, kind: Literal["groups"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per group and the total (needs the ``analysis``
        extra)."""
        from .frames import breakdown_frame

        return breakdown_frame(self, kind, lang)

    def __repr__(self) -> str:
        shown = sum(not g.suppressed for g in self.groups)
        score = ("n/a" if self.total.mean_score is None
                 else f"mean score {self.total.mean_score:.1f}")
        return (f"Breakdown(by {self.by}: {len(self.groups)} groups, {shown} shown, "
                f"{len(self.groups) - shown} suppressed under k={self.k}; "
                f"{self.total.institutions} institutions, {score})")

    __str__ = __repr__

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text."""
        from .report.portfolio import breakdown_json

        return breakdown_json(self)

    def to_csv(self) -> str:
        """One row per group, then the total."""
        from .report.portfolio import breakdown_csv

        return breakdown_csv(self)

    def to_markdown(self, lang: Lang = "es") -> str:
        """A Markdown table of the groups, with the suppression rule stated."""
        from .report.portfolio import breakdown_markdown

        return breakdown_markdown(self, lang)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page of the groups."""
        from .report.portfolio import breakdown_html

        return breakdown_html(self, lang)

    def _repr_html_(self) -> str:
        from .report.portfolio import breakdown_html

        return breakdown_html(self, "es", fragment=True)
