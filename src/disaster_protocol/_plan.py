"""The values of cooperation: a plan (:class:`CooperationPlan` and its offers, demands,
matches, workshops and unmet demands) and the evaluation of a later round (:class:`Evaluation`).

They sit below :mod:`._matching`, the engine that builds them, and below
:mod:`.cooperation`, which re-exports them beside the entry points ``match`` and ``evaluate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import computed_field

from ._frozen import Frozen, ReadOnly
from ._i18n import Lang
from .assessment import ProtocolRef
from .model import Text
from .profile import Institution

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PREFERENCES",
    "CooperationPlan",
    "Demand",
    "Evaluation",
    "Match",
    "MatchOutcome",
    "Measure",
    "Member",
    "Offer",
    "Preference",
    "ProposedPartner",
    "RecipientOutcome",
    "Settings",
    "Unmet",
    "Withdrawn",
    "Workshop",
]

Preference = Literal["language", "subregion", "type"]
PREFERENCES: tuple[Preference, ...] = ("language", "subregion", "type")
"""What a provider may share with a recipient, in the default order of preference."""


class Offer(Frozen):
    """An action one member can help others with: tested (level 4), or implemented (level 3)
    where stated by the member or allowed by ``min_offer_level=3`` with evidence."""

    institution: str
    action: str
    phase: str
    level: int
    stated: bool
    note: str | None = None


class Withdrawn(Frozen):
    """A stated offer the assessment cannot honour, and why: ``unsupported`` (the claim's
    own evidence or freshness does not reach level 3, as in strict mode without evidence),
    ``not-assessed`` or ``not-applicable``. Listed, never silently dropped."""

    institution: str
    action: str
    phase: str
    claimed: int | None
    level: int | None
    reason: Literal["unsupported", "not-assessed", "not-applicable"]


class Demand(Frozen):
    """An action one member needs help with (below level 3): stated ones come first, then
    blocking gaps, then by ``uplift``, the score points the member gains at level 3."""

    institution: str
    action: str
    phase: str
    level: int
    stated: bool
    blocking: bool
    uplift: float
    note: str | None = None


class Match(Frozen):
    """One provider helping one recipient on one action (in a workshop when ``workshop``
    names it). ``shared`` lists what they have in common (language, subregion, type) and
    ``gap`` how many levels the provider is ahead; ``cost`` is the flow's cost of the pair."""

    provider: str
    recipient: str
    action: str
    phase: str
    provider_level: int
    recipient_level: int
    gap: int
    uplift: float
    shared: tuple[Preference, ...]
    workshop: str | None
    cost: int


class Workshop(Frozen):
    """An action several members need, taught by one host to all of them at once."""

    id: str
    action: str
    phase: str
    host: str
    host_level: int
    participants: tuple[str, ...]


class Unmet(Frozen):
    """A demand no member can meet: no member offers the action (``no-offer``), or every
    one that does is at capacity (``no-capacity``). Candidates for cooperation beyond the
    region."""

    institution: str
    action: str
    phase: str
    level: int
    stated: bool
    blocking: bool
    reason: Literal["no-offer", "no-capacity"]


class ProposedPartner(Frozen):
    """An organisation outside the membership (from a partners file) that could support
    actions no member offers: triangular cooperation. ``actions`` are those of the plan's
    unmet demands it lists; ``members`` how many members need them."""

    id: str
    name: str
    kind: str
    languages: tuple[str, ...]
    actions: tuple[str, ...]
    members: int
    source: str | None = None


class Member(Frozen):
    """What one member brings and takes: its offers and demands, the exchanges it hosts
    (bilateral matches and workshops) and those it receives."""

    institution: Institution
    capacity: int
    offers: int
    demands: int
    gives: int
    receives: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def role(self) -> Literal["both", "only-gives", "only-receives", "neither"]:
        """Whether the member gives, receives, both or neither in this plan."""
        if self.gives and self.receives:
            return "both"
        if self.gives:
            return "only-gives"
        return "only-receives" if self.receives else "neither"


class Settings(Frozen):
    """How a plan was made (see :func:`match`)."""

    capacity: int
    min_offer_level: Literal[3, 4]
    min_group: int
    prefer: tuple[Preference, ...]


class CooperationPlan(Frozen):
    """The result of :func:`match`.

    ``matrix`` maps each member and phase to its counts of offers and demands; ``members``
    are sorted by institution id (one per institution, its latest assessment), so the plan
    is the same, byte for byte, whatever the order the members were given in.
    ``total_cost`` is the flow's objective, for comparing plans.
    """

    protocol: ProtocolRef
    settings: Settings
    phases: tuple[str, ...]
    titles: ReadOnly[str, Text]
    members: tuple[Member, ...]
    offers: tuple[Offer, ...]
    withdrawn: tuple[Withdrawn, ...] = ()
    demands: tuple[Demand, ...]
    matches: tuple[Match, ...]
    workshops: tuple[Workshop, ...]
    unmet: tuple[Unmet, ...]
    partners: tuple[ProposedPartner, ...] = ()
    matrix: ReadOnly[str, ReadOnly[str, tuple[int, int]]]
    total_cost: int

    def to_frame(self, lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per match and per unmet demand (needs the
        ``analysis`` extra)."""
        from .frames import plan_frame

        return plan_frame(self, lang)

    def __repr__(self) -> str:
        return (f"CooperationPlan({len(self.members)} members: {len(self.matches)} matches, "
                f"{len(self.workshops)} workshops, {len(self.unmet)} unmet of "
                f"{len(self.demands)} demands)")

    __str__ = __repr__

    @property
    def only_receive(self) -> tuple[str, ...]:
        """Members that receive and give nothing."""
        return tuple(m.institution.id for m in self.members if m.role == "only-receives")

    @property
    def only_give(self) -> tuple[str, ...]:
        """Members that give and receive nothing."""
        return tuple(m.institution.id for m in self.members if m.role == "only-gives")

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text (same input, same bytes)."""
        from .report.cooperation import plan_json

        return plan_json(self)

    def to_csv(self) -> str:
        """One row per match (workshop participations included), then the unmet demands."""
        from .report.cooperation import plan_csv

        return plan_csv(self)

    def to_text(self, lang: Lang = "es") -> str:
        """The plan for a terminal."""
        from .report.cooperation import plan_text

        return plan_text(self, lang)

    def to_markdown(self, lang: Lang = "es") -> str:
        """The plan as Markdown."""
        from .report.cooperation import plan_markdown

        return plan_markdown(self, lang)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page of the plan."""
        from .report.cooperation import plan_html

        return plan_html(self, lang)

    def _repr_html_(self) -> str:
        from .report.cooperation import plan_fragment

        return plan_fragment(self, "es")


Measure = Literal["measured", "unassessed-before", "unassessed-after", "unassessed-both",
                  "not-applicable"]
"""Whether a demand's level could be compared between the rounds: ``measured`` (assessed in
both), not assessed (left out or ``unknown``) in the earlier round, the later one or both, or
``not-applicable`` (``n/a`` in a round). Only ``measured`` outcomes have a change."""


class MatchOutcome(Frozen):
    """How a recipient's level on one demanded action moved between the rounds.

    ``before`` and ``after`` are the effective levels (what scores), ``claimed_before`` and
    ``claimed_after`` the levels the institution claimed (a prerequisite or missing evidence
    may hold the effective level below them). Each is ``None`` where that round did not assess
    the action or found it does not apply; the changes are ``None`` unless ``status`` is
    ``measured``: a first measurement is not a change.
    """

    provider: str | None
    recipient: str
    action: str
    matched: bool
    status: Measure
    before: int | None
    after: int | None
    change: int | None
    claimed_before: int | None
    claimed_after: int | None
    claimed_change: int | None


class RecipientOutcome(Frozen):
    """One recipient's mean change on its matched and on its unmatched gaps, and their
    difference, on the effective and on the claimed level (``None`` where a side has no gap
    measured). ``matched`` and ``unmatched`` count the measured gaps behind each mean;
    ``not_measured`` the demands left out of both (not assessed, or not applicable, in a
    round)."""

    institution: str
    name: str
    matched: int
    unmatched: int
    not_measured: int
    matched_change: float | None
    unmatched_change: float | None
    difference: float | None
    claimed_matched_change: float | None
    claimed_unmatched_change: float | None
    claimed_difference: float | None


class Evaluation(Frozen):
    """The result of :func:`evaluate`: an association between being matched and improving,
    not proof that the cooperation caused it.

    The headline ``difference`` (and ``matched_change``, ``unmatched_change``) is on the
    effective level, the one that scores; the ``claimed_*`` figures set beside it the levels
    the institutions claimed, where work done under a cap shows. ``matched``, ``unmatched``
    and ``not_measured`` count the demands behind the pooled means, over the recipients
    assessed again; ``titles`` names the actions. ``format_version`` is the shape of its JSON
    (2 since issue 21).
    """

    format_version: Literal[2] = 2
    protocol: ProtocolRef
    titles: ReadOnly[str, Text]
    outcomes: tuple[MatchOutcome, ...]
    recipients: tuple[RecipientOutcome, ...]
    not_reassessed: tuple[str, ...]
    matched: int
    unmatched: int
    not_measured: int
    matched_change: float | None
    unmatched_change: float | None
    difference: float | None
    claimed_matched_change: float | None
    claimed_unmatched_change: float | None
    claimed_difference: float | None

    def __repr__(self) -> str:
        shown = "n/a" if self.difference is None else f"{self.difference:+.2f}"
        return (f"Evaluation({len(self.recipients)} recipients, "
                f"{self.matched + self.unmatched} gaps measured, {self.not_measured} not "
                f"measured: matched minus unmatched change {shown} levels)")

    __str__ = __repr__

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Stable JSON text."""
        from .report.cooperation import evaluation_json

        return evaluation_json(self)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per recipient and demanded action (needs the
        ``analysis`` extra)."""
        from .frames import evaluation_frame

        return evaluation_frame(self)

    def to_text(self, lang: Lang = "es") -> str:
        """The evaluation for a terminal."""
        from .report.cooperation import evaluation_text

        return evaluation_text(self, lang)

    def to_markdown(self, lang: Lang = "es") -> str:
        """The evaluation as Markdown."""
        from .report.cooperation import evaluation_markdown

        return evaluation_markdown(self, lang)

    def to_csv(self) -> str:
        """One row per recipient and demanded action: matched or not, measured or not, the
        effective and claimed levels in both rounds and their changes."""
        from .report.cooperation import evaluation_csv

        return evaluation_csv(self)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page of the evaluation."""
        from .report.cooperation import evaluation_html

        return evaluation_html(self, lang)

    def _repr_html_(self) -> str:
        from .report.cooperation import evaluation_fragment

        return evaluation_fragment(self, "es")
