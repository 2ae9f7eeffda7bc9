"""The result of an assessment: values only (:func:`disaster_protocol.assess` makes them).

An :class:`Assessment` holds the scores, grade, findings, plan and per-action levels. Findings
carry a ``kind`` and structured ``params``; their sentences come from the word catalogue
(:mod:`._i18n`) in any language, so every later report, frame and plot says them the same way.
Results never print and never read a file; they render through :mod:`disaster_protocol.report`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import computed_field, model_validator

from ._frozen import Frozen, ReadOnly
from ._i18n import Lang, finding_key, in_every_language
from ._i18n import text as _text
from .model import Text
from .profile import Cooperation, Institution

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FINDING_KINDS",
    "FRESHNESS_MONTHS",
    "GRADE_A",
    "GRADE_B",
    "IMPLEMENTED",
    "MAX_ROLES_PER_UNIT",
    "MIN_COVERAGE",
    "ActionResult",
    "Assessment",
    "Finding",
    "FindingKind",
    "GroupScore",
    "Method",
    "ParamValue",
    "PlanStep",
    "ProtocolRef",
    "Reliability",
]

IMPLEMENTED = 3
"""Level 3: documented, resourced and assigned."""
FRESHNESS_MONTHS = 24
"""A level-4 claim needs an exercise or real use within this many months."""
GRADE_A = 80.0
"""Lowest score of grade A (when nothing blocks it)."""
GRADE_B = 50.0
"""Lowest score of grade B."""
MAX_ROLES_PER_UNIT = 3
"""More roles than this on one unit is an ``overloaded-unit`` finding."""
MIN_COVERAGE = 0.8
"""Below this coverage (share of the applicable weight assessed) the grade is provisional."""

FindingKind = Literal["blocking-gap", "evidence-needed", "unsupported-claim", "stale-exercise",
                      "dependency-inconsistency", "waiver-expired", "waived", "unassigned-role",
                      "overloaded-unit", "unassessed-action"]
FINDING_KINDS: tuple[FindingKind, ...] = (
    "blocking-gap", "evidence-needed", "unsupported-claim", "stale-exercise",
    "dependency-inconsistency", "waiver-expired", "waived", "unassigned-role", "overloaded-unit",
    "unassessed-action")
"""Every finding kind, in the order findings are listed."""

ParamValue = int | str | Text
"""A finding parameter: a number, an id or date as text, or a bilingual protocol label."""


class Finding(Frozen):
    """Something to act on: what kind, which action and role (where one applies), and the
    parameters its message is written from.

    ``message`` (every language) and :meth:`text` (one) are rendered from the word catalogue;
    JSON output carries ``message`` for readers that do not have the catalogue.
    """

    kind: FindingKind
    action: str | None
    role: str | None
    params: ReadOnly[str, ParamValue]

    @model_validator(mode="before")
    @classmethod
    def _drop_rendered_message(cls, data: Any) -> Any:
        # JSON written by to_json() carries the rendered message; it is derived, not input.
        if isinstance(data, dict) and "message" in data:
            return {k: v for k, v in data.items() if k != "message"}
        return data

    def text(self, lang: Lang = "es") -> str:
        """The finding as a sentence a person can act on, in ``lang``."""
        return _text(finding_key(self.kind, self.params), lang, **self.params)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> Text:
        """The sentence in every language its parameters have (a user-supplied protocol's
        titles may lack some: that language is left out, not said half in another)."""
        return Text.model_validate(
            in_every_language(finding_key(self.kind, self.params), **self.params))

    def __repr__(self) -> str:
        about = self.action or self.role or "-"
        return f"Finding({self.kind} {about}: {self.text('en')[:60]})"

    __str__ = __repr__


class PlanStep(Frozen):
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

    def __repr__(self) -> str:
        return (f"PlanStep({self.rank}. {self.action} ({self.phase}, lead {self.lead}"
                f"{', critical' if self.critical else ''}): unlocks {self.unlocks}, "
                f"uplift {self.uplift:g})")

    __str__ = __repr__


class ActionResult(Frozen):
    """Claimed and effective level of one action (``None`` where ``n/a``).

    ``supported`` is what the claim's own evidence and freshness support, before the
    foundations rule (``None`` unless assessed): what the institution has shown, which is
    what it can offer a peer; ``effective`` is what it scores.
    """

    action: str
    title: Text
    phase: str
    lead: str
    critical: bool
    weight: float
    status: Literal["assessed", "unassessed", "unknown", "n/a"]
    claimed: int | None
    supported: int | None = None
    effective: int | None
    waived: bool
    evidence: int

    def __repr__(self) -> str:
        return (f"ActionResult({self.action} {self.status}: claimed {self.claimed}, effective "
                f"{self.effective}{', critical' if self.critical else ''})")

    __str__ = __repr__


class GroupScore(Frozen):
    """One group's score (a phase, Sendai priority, lead role or hazard) and how much of it is
    known.

    ``score`` is ``None`` when nothing in the group was assessed (or nothing applies);
    ``coverage`` is the share of the group's applicable weight that was assessed (``None``
    when nothing applies); ``score_range`` is the score as given and in the best case (each
    unassessed action of the group at level 3), ``None`` with the score.
    """

    score: float | None
    coverage: float | None
    score_range: tuple[float, float] | None


class Reliability(Frozen):
    """How far the evidence behind a score reaches (shown beside it, as INFORM does).

    ``coverage`` is the share of the applicable weight assessed; ``evidenced`` the share of
    level 3-4 claims that list evidence; ``fresh`` the share of level-4 claims exercised
    within the freshness window (``None`` where there is no such claim). ``level`` sums them
    up: ``high`` with coverage at least 0.9 and both shares (where they exist) at least 0.8;
    ``low`` with coverage below the provisional threshold (``min_coverage``) or fewer than
    half the 3-4 claims evidenced; ``medium`` otherwise.
    """

    coverage: float
    evidenced: float | None
    fresh: float | None
    level: Literal["high", "medium", "low"]


class ProtocolRef(Frozen):
    """Which protocol, and which version of it, an assessment was made against."""

    id: str
    version: str


class Method(Frozen):
    """The parameters the assessment used, recorded with the result."""

    scale: str = "0 none, 1 planned, 2 partial, 3 implemented, 4 tested"
    implemented_level: int = IMPLEMENTED
    freshness_months: int
    strict: bool
    grade_a_from: float = GRADE_A
    grade_b_from: float = GRADE_B
    max_roles_per_unit: int
    min_coverage: float = MIN_COVERAGE
    rules: tuple[str, ...]
    documentation: str = "docs/scoring.md"


class Assessment(Frozen):
    """The result of :func:`~disaster_protocol.assess`.

    Render it with ``to_dict``, ``to_json`` (every language), ``to_markdown``, ``to_html`` or
    ``to_csv`` (one language, ``lang="es"``, ``"en"``, ``"pt"`` or ``"fr"``); in Jupyter it
    displays itself as HTML. ``labels`` names every phase, Sendai priority, role and hazard id
    used as a group key, in every language. ``coverage`` is the share of the applicable weight
    whose level was assessed (0-4), and ``score_range`` the score as given (every unassessed or
    ``unknown`` action at 0) and in the best case (each of them at level 3), so a thin profile
    is not read as a weak or a strong institution; ``groups`` holds the same for every group
    score, and ``reliability`` how far the evidence reaches. ``blocking`` lists the documented
    gaps (critical actions assessed below level 3, not waived); ``evidence_needed`` the critical
    actions nobody assessed, which do not cap the grade but make it ``provisional``, as a
    coverage below ``method.min_coverage`` does. ``format_version`` is the shape of its JSON
    (CHANGELOG.md): 2 since groups, reliability and evidence needed were added. """

    format_version: Literal[2] = 2
    protocol: ProtocolRef
    institution: Institution
    as_of: date
    score: float
    grade: Literal["A", "B", "C"]
    provisional: bool
    coverage: float
    score_range: tuple[float, float]
    reliability: Reliability
    by_phase: ReadOnly[str, float | None]
    by_priority: ReadOnly[str, float | None]
    by_role: ReadOnly[str, float | None]
    by_hazard: ReadOnly[str, float | None]
    groups: ReadOnly[str, ReadOnly[str, GroupScore]]
    blocking: tuple[str, ...]
    evidence_needed: tuple[str, ...]
    findings: tuple[Finding, ...]
    plan: tuple[PlanStep, ...]
    actions: tuple[ActionResult, ...]
    labels: ReadOnly[str, Text]
    method: Method
    cooperation: Cooperation | None = None
    """What the profile states about cooperation (offers, demands, capacity), passed on."""

    def to_frame(self, kind: Literal["actions", "findings", "plan", "groups"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per action, finding, plan step or group score
        (needs the ``analysis`` extra; see :mod:`disaster_protocol.frames`)."""
        from .frames import assessment_frame

        return assessment_frame(self, kind, lang)

    def __repr__(self) -> str:
        return (f"Assessment({self.institution.id} {self.as_of}, {self.protocol.id} "
                f"{self.protocol.version}: score {self.score:.1f} ({self.grade}"
                f"{', provisional' if self.provisional else ''}), coverage "
                f"{self.coverage:.0%}, {len(self.blocking)} blocking, "
                f"{len(self.evidence_needed)} evidence needed, {len(self.findings)} "
                f"findings, {len(self.plan)} plan steps)")

    __str__ = __repr__

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data; messages and titles carry every language."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text in every language (same input, same bytes)."""
        from .report.data import assessment_json

        return assessment_json(self)

    def to_markdown(self, lang: Lang = "es") -> str:
        """A Markdown report for pasting into documents."""
        from .report.markdown import assessment_markdown

        return assessment_markdown(self, lang)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page (no external assets), printable."""
        from .report.html import assessment_html

        return assessment_html(self, lang)

    def to_csv(self, lang: Lang = "es") -> str:
        """One row per action: ids, claimed and effective level, findings, title in ``lang``."""
        from .report.data import assessment_csv

        return assessment_csv(self, lang)

    def to_junit(self, lang: Lang = "es") -> str:
        """JUnit XML for CI systems: a test case per critical action, a failure for each
        documented blocking gap (:mod:`disaster_protocol.report.junit`)."""
        from .report.junit import assessment_junit

        return assessment_junit(self, lang)

    def _repr_html_(self) -> str:
        from .report.html import assessment_html

        return assessment_html(self, "es", fragment=True)
