"""One institution over time: :func:`compare` two assessments, :func:`trend` three or more.

A :class:`Comparison` says what changed between two assessments of one institution against one
protocol version: the score and grade, every group score, the actions that rose, fell or
stayed (and those that became n/a or apply again, and those assessed only once: a first
measurement is not a rise, silence is not a fall), the blocking gaps closed and opened, the
findings new and resolved, and the plan steps done. A :class:`Trend` lists the scores of three
or more dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Literal

from ._frozen import Frozen, ReadOnly
from ._i18n import Lang
from .assessment import Assessment, Finding, FindingKind, ProtocolRef
from .errors import require_type
from .profile import Institution, Profile

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ActionChange", "Comparison", "GroupChange", "Trend", "TrendPoint", "compare",
           "trend"]

GROUP_FAMILIES = ("by_phase", "by_priority", "by_role", "by_hazard")


class GroupChange(Frozen):
    """A group score before and after (``None`` where nothing in the group applies)."""

    before: float | None
    after: float | None
    change: float | None


class ActionChange(Frozen):
    """One action's effective level before and after (``None``: n/a)."""

    action: str
    before: int | None
    after: int | None


class Comparison(Frozen):
    """What changed between two assessments of one institution (see :func:`compare`)."""

    protocol: ProtocolRef
    institution: Institution
    before: date
    after: date
    score_before: float
    score_after: float
    score_change: float
    grade_before: Literal["A", "B", "C"]
    grade_after: Literal["A", "B", "C"]
    groups: ReadOnly[str, ReadOnly[str, GroupChange]]
    rose: tuple[ActionChange, ...]
    fell: tuple[ActionChange, ...]
    stayed: tuple[str, ...]
    rescoped: tuple[ActionChange, ...]
    newly_assessed: tuple[ActionChange, ...] = ()
    """Actions not assessed before (left out or ``unknown``) and assessed now: a first
    measurement, not a rise (``before`` is ``None``)."""
    no_longer_assessed: tuple[ActionChange, ...] = ()
    """Actions assessed before and not now: not a fall (``after`` is ``None``)."""
    blocking_closed: tuple[str, ...]
    blocking_opened: tuple[str, ...]
    findings_new: tuple[tuple[FindingKind, str], ...]
    findings_resolved: tuple[tuple[FindingKind, str], ...]
    plan_done: tuple[str, ...]
    to_review: tuple[str, ...] | None = None
    """Actions of the later profile still marked ``needs_review`` (carried by ``renew`` and
    not yet confirmed); ``None`` when the later profile was not given to :func:`compare`."""
    confirmed: tuple[str, ...] | None = None
    """Actions the later profile answers and no longer marks for review."""

    def to_frame(self, kind: Literal["actions"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per action: before, after, change and how (needs the
        ``analysis`` extra)."""
        from .frames import comparison_frame

        return comparison_frame(self, kind, lang)

    def __repr__(self) -> str:
        return (f"Comparison({self.institution.id}: {self.before} {self.score_before:.1f} -> "
                f"{self.after} {self.score_after:.1f}, {len(self.rose)} rose, "
                f"{len(self.fell)} fell)")

    __str__ = __repr__

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text."""
        from .report.compare import comparison_json

        return comparison_json(self)

    def to_csv(self) -> str:
        """One row per action whose level changed: id, before, after."""
        from .report.compare import comparison_csv

        return comparison_csv(self)

    def to_markdown(self, lang: Lang = "es") -> str:
        """A Markdown report of the changes."""
        from .report.compare import comparison_markdown

        return comparison_markdown(self, lang)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page of the changes."""
        from .report.compare import comparison_html

        return comparison_html(self, lang)

    def _repr_html_(self) -> str:
        from .report.compare import comparison_html

        return comparison_html(self, "es", fragment=True)


class TrendPoint(Frozen):
    """One date of a trend."""

    as_of: date
    score: float
    grade: Literal["A", "B", "C"]
    coverage: float
    blocking: int
    by_phase: ReadOnly[str, float | None]
    by_priority: ReadOnly[str, float | None]

    def __repr__(self) -> str:
        return (f"TrendPoint({self.as_of}: score {self.score:.1f} ({self.grade}), coverage "
                f"{self.coverage:.0%}, {self.blocking} blocking)")

    __str__ = __repr__


class Trend(Frozen):
    """The scores of one institution at three or more dates, oldest first."""

    protocol: ProtocolRef
    institution: Institution
    points: tuple[TrendPoint, ...]

    def to_frame(self, kind: Literal["points", "groups"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per date (the default) or per date and group score
        (needs the ``analysis`` extra)."""
        from .frames import trend_frame

        return trend_frame(self, kind, lang)

    def __repr__(self) -> str:
        first, last = self.points[0], self.points[-1]
        return (f"Trend({self.institution.id}: {len(self.points)} dates, {first.as_of} "
                f"{first.score:.1f} -> {last.as_of} {last.score:.1f})")

    __str__ = __repr__

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_csv(self) -> str:
        """One row per date: score, grade, coverage, blocking gaps, scores by phase."""
        from .report.compare import trend_csv

        return trend_csv(self)


def _key(finding: Finding) -> tuple[FindingKind, str]:
    """What a finding is about: its action, else its role, else its unit."""
    unit = finding.params.get("unit")
    return finding.kind, finding.action or finding.role or (unit if isinstance(unit, str) else "")


def _check_pair(before: Assessment, after: Assessment, allow_other_institution: bool) -> None:
    require_type(before, Assessment, "before", "an Assessment (from assess)")
    require_type(after, Assessment, "after", "an Assessment (from assess)")
    if before.protocol != after.protocol:
        raise ValueError(f"the assessments were made against different protocols "
                         f"({before.protocol.id} {before.protocol.version} and "
                         f"{after.protocol.id} {after.protocol.version}); assess both profiles "
                         "against one protocol")
    if before.institution.id != after.institution.id and not allow_other_institution:
        raise ValueError(f"the assessments are of different institutions "
                         f"({before.institution.id!r} and {after.institution.id!r}); pass "
                         "allow_other_institution=True to compare them anyway")


def compare(before: Assessment, after: Assessment, *,
            allow_other_institution: bool = False,
            after_profile: Profile | None = None) -> Comparison:
    """What changed from ``before`` to ``after``.

    Given ``after_profile`` (the profile ``after`` was scored from), the comparison also tells
    the actions confirmed from those still marked for review (``to_review``, ``confirmed``):
    what a round started with ``renew`` has left to check.

    Raises
    ------
    ValueError
        If the assessments were made against different protocol versions, or are of
        different institutions (unless ``allow_other_institution``).
    TypeError
        If either is not an :class:`~disaster_protocol.Assessment`.

    Examples
    --------
    >>> import disaster_protocol as dp
    >>> protocol = dp.load_protocol()
    >>> head = ("schema_version: 1\\ninstitution: {id: x, name: X, country: MX}\\n"
    ...         "assessed_on: 2026-01-31\\n")
    >>> old = dp.assess(protocol, dp.loads_profile(head + "actions: {GOV-01: 1}", protocol))
    >>> new = dp.assess(protocol, dp.loads_profile(head + "actions: {GOV-01: 3}", protocol))
    >>> change = compare(old, new)
    >>> [(c.action, c.before, c.after) for c in change.rose], change.plan_done
    ([('GOV-01', 1, 3)], ('GOV-01',))
    """
    _check_pair(before, after, allow_other_institution)
    old = {r.action: r.effective for r in before.actions}
    new = {r.action: r.effective for r in after.actions}
    known_before = {r.action for r in before.actions if r.status in ("assessed", "n/a")}
    known_after = {r.action for r in after.actions if r.status in ("assessed", "n/a")}
    rose, fell, stayed, rescoped, first, dropped = [], [], [], [], [], []
    for action, level in new.items():
        was = old.get(action)
        change = ActionChange(action=action, before=was, after=level)
        if (action in known_before) != (action in known_after):  # measured once only
            if action in known_after:
                first.append(ActionChange(action=action, before=None, after=level))
            else:
                dropped.append(ActionChange(action=action, before=was, after=None))
        elif action not in known_after:
            stayed.append(action)  # not assessed either time
        elif (was is None) != (level is None):
            rescoped.append(change)  # became n/a, or applies again
        elif level is not None and was is not None and level > was:
            rose.append(change)
        elif level is not None and was is not None and level < was:
            fell.append(change)
        else:
            stayed.append(action)
    findings_old = {_key(f) for f in before.findings}
    findings_new = {_key(f) for f in after.findings}
    return Comparison(
        protocol=after.protocol, institution=after.institution, before=before.as_of,
        after=after.as_of, score_before=before.score, score_after=after.score,
        score_change=round(after.score - before.score, 1), grade_before=before.grade,
        grade_after=after.grade, groups=_groups(before, after), rose=tuple(rose),
        fell=tuple(fell), stayed=tuple(stayed), rescoped=tuple(rescoped),
        newly_assessed=tuple(first), no_longer_assessed=tuple(dropped),
        blocking_closed=tuple(a for a in before.blocking if a not in after.blocking
                              and a not in after.evidence_needed),
        blocking_opened=tuple(a for a in after.blocking if a not in before.blocking),
        findings_new=tuple(k for k in _ordered(after) if k not in findings_old),
        findings_resolved=tuple(k for k in _ordered(before) if k not in findings_new),
        plan_done=tuple(s.action for s in before.plan if (new.get(s.action) or 0) >= 3),
        **_review(after_profile))


def _review(profile: Profile | None) -> dict[str, tuple[str, ...]]:
    """The actions of ``profile`` still to review and those confirmed (none given: none)."""
    if profile is None:
        return {}
    require_type(profile, Profile, "after_profile", "a Profile (the later one)")
    return {"to_review": tuple(a for a, s in profile.actions.items() if s.needs_review),
            "confirmed": tuple(a for a, s in profile.actions.items() if not s.needs_review)}


def _ordered(assessment: Assessment) -> list[tuple[FindingKind, str]]:
    return list(dict.fromkeys(_key(f) for f in assessment.findings))


def _groups(before: Assessment, after: Assessment) -> dict[str, dict[str, GroupChange]]:
    out: dict[str, dict[str, GroupChange]] = {}
    for family in GROUP_FAMILIES:
        old, new = getattr(before, family), getattr(after, family)
        out[family] = {key: GroupChange(
            before=old.get(key), after=value,
            change=None if value is None or old.get(key) is None
            else round(value - old[key], 1)) for key, value in new.items()}
    return out


def trend(assessments: Iterable[Assessment]) -> Trend:
    """The scores of one institution at three or more dates, oldest first.

    Raises
    ------
    ValueError
        With fewer than three assessments, several institutions or protocol versions, or two
        assessments of the same date.
    """
    items = list(assessments)
    for item in items:
        require_type(item, Assessment, "assessments", "Assessments (from assess)")
    if len(items) < 3:
        raise ValueError(f"a trend needs three or more assessments (got {len(items)}); "
                         "compare two with compare()")
    if len({a.institution.id for a in items}) > 1 or len({a.protocol for a in items}) > 1:
        raise ValueError("a trend follows one institution against one protocol version")
    items.sort(key=lambda a: a.as_of)
    if len({a.as_of for a in items}) < len(items):
        raise ValueError("two assessments have the same date; keep one per date")
    return Trend(protocol=items[0].protocol, institution=items[-1].institution, points=tuple(
        TrendPoint(as_of=a.as_of, score=a.score, grade=a.grade, coverage=a.coverage,
                   blocking=len(a.blocking), by_phase=a.by_phase, by_priority=a.by_priority)
        for a in items))
