"""Cooperation between institutions: match one member's gaps to its peers' tested strengths.

The CISS and the Inter-American Social Protection Network cooperate on a model of supply and
demand: every member has experience to offer and needs to state, members with the same need
meet in a workshop hosted by one that has solved it, and cooperation is evaluated afterwards.

* :func:`match` reads a :class:`~disaster_protocol.Portfolio` (built with
  ``keep_assessments=True``) and returns a :class:`CooperationPlan`: the offers and demands,
  round 1 under a budget (a few workshops, a few bilateral exchanges, see :mod:`._matching`),
  the roadmap of later rounds, the demands no member can meet, what each member gives and
  receives, and a supply-demand matrix.
* :func:`evaluate` compares a later round with the plan: how the matched gaps moved beside
  the unmatched ones (a difference of differences, an association and not proof of cause).

The values live in :mod:`._plan` (re-exported here), below the engine :mod:`._matching` that
builds them. The method is documented in docs/cooperation.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import _matching
from ._frozen import trusted
from ._plan import (
    BILATERAL,
    PARTICIPANTS,
    PREFERENCES,
    ROUNDS,
    WORKSHOPS,
    CooperationPlan,
    Demand,
    Evaluation,
    Match,
    MatchOutcome,
    Member,
    Offer,
    ProposedPartner,
    RecipientOutcome,
    Round,
    Settings,
    Unmet,
    Withdrawn,
    Workshop,
)
from .errors import require_type
from .partners import Partner, Partners, partners_for
from .portfolio import Portfolio
from .profile import DEFAULT_CAPACITY

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
    "Member",
    "Offer",
    "ProposedPartner",
    "RecipientOutcome",
    "Round",
    "Settings",
    "Unmet",
    "Withdrawn",
    "Workshop",
    "evaluate",
    "match",
]


def match(portfolio: Portfolio, *, capacity: int | None = None, min_offer_level: int = 4,
          min_group: int = 3, prefer: Sequence[str] = PREFERENCES,
          partners: Partners | None = None, workshops: int = WORKSHOPS,
          participants: int = PARTICIPANTS, bilateral: int = BILATERAL,
          rounds: int = ROUNDS) -> CooperationPlan:
    """Match every member's gaps to its peers' strengths, a round at a time, under a budget.

    Round 1 is the round at hand; what does not fit goes to round 2, 3, ... (the roadmap)
    until every demand some member can meet is scheduled, or ``rounds`` rounds are full.

    Parameters
    ----------
    portfolio : Portfolio
        Built with ``keep_assessments=True`` (or from profiles in memory). An institution
        assessed more than once takes part with its latest assessment.
    capacity : int, optional
        Exchanges a member hosts in a round when its profile states none (default 3). A
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
    partners : Partners, optional
        Organisations outside the membership (:func:`~disaster_protocol.partners.load_partners`):
        the plan proposes, in the file's order, those that list an action no member offers
        (``plan.partners``), with how many members need what each could support.
    workshops : int
        Workshops in a round (default 4; 0 for none).
    participants : int
        Members a workshop seats besides its host (default 12; at least ``min_group``).
    bilateral : int
        Bilateral exchanges in a round (default 8; 0 for none).
    rounds : int
        Rounds the roadmap may take (default 10); the demands that would come later are
        unmet with the reason ``beyond-roadmap``.

    Returns
    -------
    CooperationPlan

    Raises
    ------
    ValueError
        If the portfolio was built without its assessments (an empty portfolio gives an
        empty plan), or a setting is out of range (``participants`` below ``min_group``).
    TypeError
        If ``portfolio`` is not a Portfolio.
    """
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
    for name, value, least in (("workshops", workshops, 0), ("participants", participants, 2),
                               ("bilateral", bilateral, 0), ("rounds", rounds, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number of {least} or more "
                             f"(got {value!r})")
    if participants < min_group:
        raise ValueError(f"participants ({participants}) must be at least min_group "
                         f"({min_group}): no workshop could be formed")
    chosen = tuple(prefer)
    if any(p not in PREFERENCES for p in chosen) or len(set(chosen)) != len(chosen):
        raise ValueError(f"prefer takes each of {', '.join(PREFERENCES)} at most once "
                         f"(got {chosen!r})")
    if partners is not None:
        require_type(partners, Partners, "partners", "Partners (from load_partners)")
    settings = Settings.model_validate({
        "capacity": DEFAULT_CAPACITY if capacity is None else capacity,
        "min_offer_level": min_offer_level, "min_group": min_group, "prefer": chosen,
        "workshops": workshops, "participants": participants, "bilateral": bilateral,
        "rounds": rounds})
    plan = _matching.plan(portfolio, settings)
    return plan if partners is None else _propose(plan, partners)


def _propose(plan: CooperationPlan, partners: Partners) -> CooperationPlan:
    """The plan with the partners that could support the actions no member offers."""
    needed: dict[str, set[str]] = {}
    for u in plan.unmet:
        if u.reason == "no-offer":
            needed.setdefault(u.action, set()).add(u.institution)
    proposed = []
    for partner, actions in _by_partner(partners, needed).items():
        proposed.append(trusted(ProposedPartner, {
            "id": partner.id, "name": partner.name, "kind": partner.kind,
            "languages": partner.languages, "actions": actions,
            "members": len(set().union(*(needed[a] for a in actions))),
            "source": partner.source}))
    return trusted(CooperationPlan, {**dict(plan), "partners": tuple(proposed)})


def _by_partner(partners: Partners, needed: dict[str, set[str]]
                ) -> dict[Partner, tuple[str, ...]]:
    """Each partner that lists a needed action, with those actions (file order)."""
    found: dict[str, list[str]] = {}
    listed = partners_for(partners, sorted(needed))
    for action, supporters in listed.items():
        for p in supporters:
            found.setdefault(p.id, []).append(action)
    return {p: tuple(found[p.id]) for p in partners.partners if p.id in found}


def evaluate(plan: CooperationPlan, before: Portfolio, after: Portfolio) -> Evaluation:
    """How the recipients' matched gaps moved between two rounds, beside their unmatched gaps.

    For every recipient of round 1: the mean change in effective level on the actions it was
    matched for in round 1, and on its other demands (later rounds or unmet), and the
    difference of the two (a difference
    of differences); the same pooled over all recipients. It is an association: members
    that were matched may differ from the others in ways the plan does not see.

    Only a demand assessed (level 0-4) in both rounds is measured. One left out or marked
    ``unknown`` in either round, or ``n/a`` in one, is *not measured*: counted apart (its
    ``status`` says why) and never a change, so a first measurement is not a rise. The
    headline figures use the effective level (what scores); the same means on the claimed
    level sit beside them (``claimed_*``), where work done under a prerequisite's cap shows.

    Parameters
    ----------
    plan : CooperationPlan
        Made from ``before``.
    before, after : Portfolio
        The round the plan was made from, and a later one (with assessments kept).

    Returns
    -------
    Evaluation
        Per demanded action (``outcomes``), per recipient with the counts of gaps behind
        each mean (``recipients``), and pooled.

    Raises
    ------
    ValueError
        If the portfolios lack assessments, or were scored against another protocol than the
        plan's.
    """
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
    return _matching.evaluation(plan, before, after)
