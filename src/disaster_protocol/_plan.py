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
    "BILATERAL",
    "PARTICIPANTS",
    "PREFERENCES",
    "ROUNDS",
    "WORKSHOPS",
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
    "Round",
    "Settings",
    "Unmet",
    "Withdrawn",
    "Workshop",
]

WORKSHOPS = 4
"""Workshops in a round, by default: the Inter-American Social Protection Network ran a few a
year."""
PARTICIPANTS = 12
"""Participants in a workshop besides its host, by default: with the host, 13 institutions,
the low end of the 13-15 countries the Network's subregional workshops gathered."""
BILATERAL = 8
"""Bilateral exchanges in a round, by default: a handful, as the Network funded."""
ROUNDS = 10
"""Rounds the roadmap may take, by default; what comes later is listed, not scheduled."""

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
    """One provider helping one recipient on one action, in round ``round`` of the roadmap
    (in a workshop when ``workshop`` names it). ``shared`` lists what they have in common
    (language, subregion, type) and ``gap`` how many levels the provider is ahead; ``cost``
    is the pair's cost (docs/cooperation.md)."""

    round: int
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
    """An action several members need, taught by one host to all of them at once, in round
    ``round``. ``language`` is the host's language most participants share;
    ``interpretation`` names the participants who share none of the host's languages (they
    need interpretation: no member offering the action works in their language)."""

    round: int
    id: str
    action: str
    phase: str
    host: str
    host_level: int
    language: str | None
    participants: tuple[str, ...]
    interpretation: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (f"Workshop({self.id} {self.action}, host {self.host}: "
                f"{len(self.participants)} participants)")

    __str__ = __repr__


class Unmet(Frozen):
    """A demand the roadmap does not schedule: no member offers the action (``no-offer``:
    a candidate for cooperation beyond the region), the members that offer it can host no
    exchange under the budget (``no-capacity``), or it would come after the roadmap's last
    round (``beyond-roadmap``)."""

    institution: str
    action: str
    phase: str
    level: int
    stated: bool
    blocking: bool
    reason: Literal["no-offer", "no-capacity", "beyond-roadmap"]


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


class Round(Frozen):
    """One round of the roadmap at a glance: its workshops and bilateral exchanges, and the
    demands they schedule (of them, how many are stated and how many blocking)."""

    round: int
    workshops: int
    bilateral: int
    demands: int
    stated: int
    blocking: int


class Member(Frozen):
    """What one member brings and takes: its offers and demands, the exchanges it hosts
    (bilateral matches and workshops) and those it receives in round 1, and how many of its
    demands later rounds schedule."""

    institution: Institution
    capacity: int
    offers: int
    demands: int
    gives: int
    receives: int
    later: int = 0

    def __repr__(self) -> str:
        return (f"Member({self.institution.id}: {self.offers} offers, {self.demands} demands; "
                f"round 1 gives {self.gives}, receives {self.receives}; {self.later} later)")

    __str__ = __repr__

    @computed_field  # type: ignore[prop-decorator]
    @property
    def role(self) -> Literal["both", "only-gives", "only-receives", "neither"]:
        """Whether the member gives, receives, both or neither in round 1."""
        if self.gives and self.receives:
            return "both"
        if self.gives:
            return "only-gives"
        return "only-receives" if self.receives else "neither"


class Settings(Frozen):
    """How a plan was made (see :func:`match`): the round's budget (``workshops``,
    ``participants`` per workshop, ``bilateral`` exchanges, each host's ``capacity``), how
    many ``rounds`` the roadmap may take, and how offers and groups are read."""

    capacity: int
    min_offer_level: Literal[3, 4]
    min_group: int
    prefer: tuple[Preference, ...]
    workshops: int
    participants: int
    bilateral: int
    rounds: int


class CooperationPlan(Frozen):
    """The result of :func:`match`.

    ``matches`` and ``workshops`` hold every round of the roadmap (each says its ``round``;
    round 1 is the one at hand, :meth:`round` picks one); ``roadmap`` gives each round at a
    glance. ``members`` count what each gives and receives in round 1. ``matrix`` maps each
    member and phase to its counts of offers and demands. Members are sorted by institution
    id (one per institution, its latest assessment), so the plan is the same, byte for byte,
    whatever the order the members were given in.
    """

    format_version: Literal[2] = 2
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
    roadmap: tuple[Round, ...] = ()
    matrix: ReadOnly[str, ReadOnly[str, tuple[int, int]]]

    def round(self, number: int = 1) -> tuple[tuple[Workshop, ...], tuple[Match, ...]]:
        """The workshops and the matches of one round of the roadmap (round 1 by default)."""
        return (tuple(w for w in self.workshops if w.round == number),
                tuple(m for m in self.matches if m.round == number))

    def to_frame(self, kind: Literal["matches", "workshops", "roadmap"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per match and per unmet demand (the default), per
        workshop or per round of the roadmap (needs the ``analysis`` extra; see
        :mod:`disaster_protocol.frames`)."""
        from .frames import plan_frame

        return plan_frame(self, kind, lang)

    def __repr__(self) -> str:
        workshops, matches = self.round(1)
        return (f"CooperationPlan({len(self.members)} members, round 1: "
                f"{len(workshops)} workshops, "
                f"{sum(m.workshop is None for m in matches)} bilateral exchanges; "
                f"{len(self.roadmap)} rounds schedule "
                f"{len(self.demands) - len(self.unmet)} of {len(self.demands)} demands)")

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

    def __repr__(self) -> str:
        shown = "n/a" if self.difference is None else f"{self.difference:+.2f}"
        return (f"RecipientOutcome({self.institution}: {self.matched} matched, "
                f"{self.unmatched} unmatched, difference {shown})")

    __str__ = __repr__


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

    def to_frame(self, kind: Literal["outcomes"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per recipient and demanded action (needs the
        ``analysis`` extra)."""
        from .frames import evaluation_frame

        return evaluation_frame(self, kind, lang)

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
