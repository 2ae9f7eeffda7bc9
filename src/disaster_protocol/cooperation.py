"""Cooperation between institutions: match one member's gaps to its peers' tested strengths.

The CISS and the Inter-American Social Protection Network cooperate on a model of supply and
demand: every member has experience to offer and needs to state, members with the same need
meet in a workshop hosted by one that has solved it, and cooperation is evaluated afterwards.

* :func:`match` reads a :class:`~disaster_protocol.Portfolio` (built with
  ``keep_assessments=True``) and returns a :class:`CooperationPlan`: the offers and demands, the
  bilateral matches (a minimum-cost flow, see :mod:`._matching`), the workshops, the demands no
  member can meet, what each member gives and receives, and a supply-demand matrix.
* :func:`evaluate` compares a later round with the plan: how the matched gaps moved beside
  the unmatched ones (a difference of differences, an association and not proof of cause).

The method is documented in docs/cooperation.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import computed_field

from ._frozen import Frozen, ReadOnly
from ._i18n import Lang
from .assessment import ProtocolRef
from .errors import require_type
from .model import Text
from .portfolio import Portfolio
from .profile import DEFAULT_CAPACITY, Institution

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PREFERENCES",
    "CooperationPlan",
    "Demand",
    "Evaluation",
    "Match",
    "MatchOutcome",
    "Member",
    "Offer",
    "RecipientOutcome",
    "Settings",
    "Unmet",
    "Workshop",
    "evaluate",
    "match",
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
    follow the portfolio's order (one per institution, its latest assessment).
    ``total_cost`` is the flow's objective, for comparing plans.
    """

    protocol: ProtocolRef
    settings: Settings
    phases: tuple[str, ...]
    titles: ReadOnly[str, Text]
    members: tuple[Member, ...]
    offers: tuple[Offer, ...]
    demands: tuple[Demand, ...]
    matches: tuple[Match, ...]
    workshops: tuple[Workshop, ...]
    unmet: tuple[Unmet, ...]
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


class MatchOutcome(Frozen):
    """How a recipient's level on one action moved between the rounds (``after`` is None
    when the later round does not assess the action or finds it no longer applies)."""

    provider: str | None
    recipient: str
    action: str
    matched: bool
    before: int
    after: int | None
    change: int | None


class RecipientOutcome(Frozen):
    """One recipient's mean change on its matched and on its unmatched gaps, and their
    difference (``None`` where a side has no gap measured)."""

    institution: str
    matched_change: float | None
    unmatched_change: float | None
    difference: float | None


class Evaluation(Frozen):
    """The result of :func:`evaluate`: an association between being matched and improving,
    not proof that the cooperation caused it."""

    protocol: ProtocolRef
    outcomes: tuple[MatchOutcome, ...]
    recipients: tuple[RecipientOutcome, ...]
    not_reassessed: tuple[str, ...]
    matched_change: float | None
    unmatched_change: float | None
    difference: float | None

    def __repr__(self) -> str:
        shown = "n/a" if self.difference is None else f"{self.difference:+.2f}"
        return (f"Evaluation({len(self.recipients)} recipients, matched minus unmatched "
                f"change {shown} levels)")

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


def match(portfolio: Portfolio, *, capacity: int | None = None, min_offer_level: int = 4,
          min_group: int = 3, prefer: Sequence[str] = PREFERENCES) -> CooperationPlan:
    """Match every member's gaps to its peers' strengths.

    Parameters
    ----------
    portfolio : Portfolio
        Built with ``keep_assessments=True`` (or from profiles in memory). An institution
        assessed more than once takes part with its latest assessment.
    capacity : int, optional
        Exchanges a member hosts in the round when its profile states none (default 3). A
        workshop is one exchange for its host.
    min_offer_level : {4, 3}
        4: only tested capabilities are offered (and what members state at level 3 or more);
        3: also implemented ones with evidence.
    min_group : int
        An action needed by this many members or more becomes one workshop, when a provider
        has capacity for it (default 3).
    prefer : sequence of "language", "subregion", "type"
        What a provider should share with a recipient, most important first; a larger level
        gap comes after them all. Leave one out to ignore it.

    Returns
    -------
    CooperationPlan

    Raises
    ------
    ValueError
        If the portfolio was built without its assessments (an empty portfolio gives an
        empty plan), or a setting is out of range.
    TypeError
        If ``portfolio`` is not a Portfolio.
    """
    from ._matching import plan

    require_type(portfolio, Portfolio, "portfolio", "a Portfolio (from assess_many)")
    if portfolio.summaries and not portfolio.assessments:
        raise ValueError("match needs the members' full assessments: build the portfolio with "
                         "assess_many(..., keep_assessments=True)")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)
                                 or capacity < 0):
        raise ValueError(f"capacity must be a whole number of 0 or more (got {capacity!r})")
    if min_offer_level not in (3, 4) or isinstance(min_offer_level, bool):
        raise ValueError(f"min_offer_level must be 3 or 4 (got {min_offer_level!r})")
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 2:
        raise ValueError(f"min_group must be a whole number of 2 or more (got {min_group!r})")
    chosen = tuple(prefer)
    if any(p not in PREFERENCES for p in chosen) or len(set(chosen)) != len(chosen):
        raise ValueError(f"prefer takes each of {', '.join(PREFERENCES)} at most once "
                         f"(got {chosen!r})")
    settings = Settings.model_validate({
        "capacity": DEFAULT_CAPACITY if capacity is None else capacity,
        "min_offer_level": min_offer_level, "min_group": min_group, "prefer": chosen})
    return plan(portfolio, settings)


def evaluate(plan: CooperationPlan, before: Portfolio, after: Portfolio) -> Evaluation:
    """How the recipients' matched gaps moved between two rounds, beside their unmatched gaps.

    For every recipient: the mean change in effective level on the actions it was matched
    for, and on its demands that stayed unmet, and the difference of the two (a difference
    of differences); the same pooled over all recipients. It is an association: members
    that were matched may differ from the others in ways the plan does not see.

    Parameters
    ----------
    plan : CooperationPlan
        Made from ``before``.
    before, after : Portfolio
        The round the plan was made from, and a later one (with assessments kept).

    Raises
    ------
    ValueError
        If the portfolios lack assessments, or were scored against another protocol than the
        plan's.
    """
    from ._matching import evaluation

    require_type(plan, CooperationPlan, "plan", "a CooperationPlan (from match)")
    for name, portfolio in (("before", before), ("after", after)):
        require_type(portfolio, Portfolio, name, "a Portfolio (from assess_many)")
        if portfolio.summaries and not portfolio.assessments:
            raise ValueError(f"{name} needs the full assessments: build it with "
                             "assess_many(..., keep_assessments=True)")
        if portfolio.protocol != plan.protocol:
            raise ValueError(f"{name} was scored against {portfolio.protocol.id} "
                             f"{portfolio.protocol.version}, the plan against "
                             f"{plan.protocol.id} {plan.protocol.version}")
    return evaluation(plan, before, after)
