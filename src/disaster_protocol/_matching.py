"""The method behind :func:`disaster_protocol.cooperation.match` and ``evaluate``.

1. Each member takes part with its latest assessment. Its **offers** are the actions at
   effective level 4 (or 3 with evidence, with ``min_offer_level=3``) and the ones it states
   at level 3 or more; its **demands** are the actions assessed below 3 (an action nobody
   assessed, left out or ``unknown``, only where the member states it), stated
   ones first, then blocking gaps, then by uplift.
2. **Workshops**: an action demanded by ``min_group`` members or more goes, most demanded
   first, to the provider with capacity left whose summed cost to the participants is least
   (a member's first exchange earns the giving bonus), passing over one whose last exchange
   is the only one left for another needed action; it uses one exchange of its host.
3. **Bilateral matches**: the other demands go through one minimum-cost flow (networkx
   network simplex, integer costs). Each demand is one unit that either reaches a provider
   of its action or stays unmet; each provider passes at most its capacity. Costs:

   * a pair: :data:`PREFERENCE_COSTS` for each preference the two do not share (language,
     subregion, type, in the order asked), plus ``4 - gap`` for the provider's level lead;
   * a member's first exchange: minus :data:`GIVE_BONUS`, so that every member with an offer
     tends to give something;
   * a demand left unmet: :data:`UNMET_COST` per priority tier (stated 3, blocking 2, other 1)
     plus :data:`UPLIFT_COST` per point of uplift, always more than any pair costs, so a demand
     with a provider that has capacity is never left unmet.

   Demands and providers enter the network through classes (same action, languages,
   subregion, type and level): equal members cost the same, so the network stays small and
   the optimum is unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from ._frozen import FrozenDict, trusted
from ._plan import (
    CooperationPlan,
    Demand,
    Evaluation,
    Match,
    MatchOutcome,
    Measure,
    Member,
    Offer,
    Preference,
    RecipientOutcome,
    Settings,
    Unmet,
    Withdrawn,
    Workshop,
)
from .assessment import Assessment
from .model import Text
from .portfolio import Portfolio

__all__ = [
    "GIVE_BONUS",
    "PREFERENCE_COSTS",
    "UNMET_COST",
    "UPLIFT_COST",
    "PairCosts",
    "evaluation",
    "plan",
]

PREFERENCE_COSTS = (1000, 100, 10)
"""Cost of a pair not sharing the first, second and third preference."""
GIVE_BONUS = 500
"""Cost taken off a member's first exchange as provider."""
UNMET_COST = 10_000
"""Cost of leaving a demand unmet, per priority tier."""
UPLIFT_COST = 10
"""Added to the cost of leaving a demand unmet, per point of uplift (rounded)."""


@dataclass
class _Member:
    """One institution as the matcher sees it."""

    assessment: Assessment
    order: int
    languages: frozenset[str]
    capacity: int
    offers: list[Offer] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    withdrawn: list[Withdrawn] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.assessment.institution.id

    @cached_property
    def kind(self) -> tuple[object, ...]:
        """What the costs depend on: members alike in it cost the same (sorted, so that it
        prints the same in every process)."""
        i = self.assessment.institution
        return (tuple(sorted(self.languages)), i.subregion, i.type)


def _latest(assessments: Iterable[Assessment]) -> dict[str, Assessment]:
    """Each institution's latest assessment (the later one given, on equal dates), in the
    order the institutions first appear."""
    latest: dict[str, Assessment] = {}
    for a in assessments:
        known = latest.get(a.institution.id)
        if known is None or a.as_of >= known.as_of:
            latest[a.institution.id] = a
    return latest


def _members(portfolio: Portfolio, settings: Settings) -> list[_Member]:
    """The members, by institution id: the plan never depends on the order they were given
    in (ties anywhere below are broken by this order)."""
    members = []
    latest = sorted(_latest(portfolio.assessments).values(), key=lambda a: a.institution.id)
    for order, a in enumerate(latest):
        stated = a.cooperation
        languages = {a.institution.language} if a.institution.language else set()
        if stated is not None:
            languages.update(stated.languages)
        capacity = settings.capacity if stated is None or stated.capacity is None \
            else stated.capacity
        member = _Member(a, order, frozenset(languages), capacity)
        member.offers = _offers(a, settings)
        member.withdrawn = _withdrawn(a)
        member.demands = _demands(a)
        members.append(member)
    return members


def _offers(a: Assessment, settings: Settings) -> list[Offer]:
    """What the member has shown: the level its claim's own evidence and freshness support
    (not what a weak prerequisite leaves of it in the score)."""
    stated = {o.action: o.note for o in a.cooperation.offers} if a.cooperation else {}
    offers = []
    for r in a.actions:
        level = r.supported
        if r.status != "assessed" or level is None or level < 3:
            continue
        if r.action in stated or level == 4 or (settings.min_offer_level == 3 and r.evidence):
            offers.append(trusted(Offer, {
                "institution": a.institution.id, "action": r.action, "phase": r.phase,
                "level": level, "stated": r.action in stated, "note": stated.get(r.action)}))
    return offers


def _withdrawn(a: Assessment) -> list[Withdrawn]:
    """The stated offers the assessment cannot honour, each with its reason."""
    results = {r.action: r for r in a.actions}
    out = []
    for o in a.cooperation.offers if a.cooperation else ():
        r = results[o.action]
        if r.status == "assessed" and r.supported is not None and r.supported >= 3:
            continue
        reason = ("not-applicable" if r.status == "n/a" else
                  "not-assessed" if r.status != "assessed" else "unsupported")
        out.append(trusted(Withdrawn, {
            "institution": a.institution.id, "action": r.action, "phase": r.phase,
            "claimed": r.claimed if r.status == "assessed" else None,
            "level": r.supported, "reason": reason}))
    return out


def _demands(a: Assessment) -> list[Demand]:
    """The member's own gaps: assessed actions whose claim stands below 3 (an action held
    back only by a weak prerequisite is not one: the prerequisite is), and what it asks
    for."""
    stated = {d.action: d.note for d in a.cooperation.demands} if a.cooperation else {}
    uplifts = {s.action: s.uplift for s in a.plan}
    weight = sum(r.weight for r in a.actions if r.status != "n/a") or 1.0
    blocking = set(a.blocking)
    demands = []
    for position, r in enumerate(a.actions):
        level = (r.supported or 0) if r.status == "assessed" else 0
        if r.status == "n/a" or level >= 3 or (r.status != "assessed" and r.action not in stated):
            continue
        uplift = uplifts.get(r.action, round(100 * r.weight * (3 - level) / (4 * weight), 2))
        demands.append((r.action not in stated, r.action not in blocking, -uplift, position,
                        trusted(Demand, {
                            "institution": a.institution.id, "action": r.action,
                            "phase": r.phase, "level": level, "stated": r.action in stated,
                            "blocking": r.action in blocking, "uplift": uplift,
                            "note": stated.get(r.action)})))
    return [d for *_, d in sorted(demands, key=lambda t: t[:4])]


class PairCosts:
    """The cost of a provider helping a recipient, and what the two share.

    The part that depends on who they are is kept per pair of kinds (languages, subregion,
    type): a region has few kinds, and a large one asks for the same pairs many times.
    """

    def __init__(self, prefer: tuple[Preference, ...]) -> None:
        self.prefer = prefer
        self.known: dict[tuple[object, object], tuple[int, tuple[Preference, ...]]] = {}

    def __call__(self, provider: _Member, recipient: _Member, provider_level: int,
                 recipient_level: int) -> tuple[int, tuple[Preference, ...]]:
        key = (provider.kind, recipient.kind)
        known = self.known.get(key)
        if known is None:
            shared = tuple(p for p in self.prefer if _shares(provider, recipient, p))
            known = (sum(PREFERENCE_COSTS[i] for i, p in enumerate(self.prefer)
                         if p not in shared), shared)
            self.known[key] = known
        return known[0] + 4 - (provider_level - recipient_level), known[1]


def _shares(provider: _Member, recipient: _Member, what: Preference) -> bool:
    if what == "language":
        return bool(provider.languages & recipient.languages)
    mine = getattr(provider.assessment.institution, what)
    return mine is not None and mine == getattr(recipient.assessment.institution, what)


def _unmet_cost(demand: Demand) -> int:
    tier = 3 if demand.stated else 2 if demand.blocking else 1
    return UNMET_COST * tier + UPLIFT_COST * round(demand.uplift)


@dataclass
class _Round:
    """What the matching has decided so far."""

    members: dict[str, _Member]
    settings: Settings
    left: dict[str, int]
    gave: set[str] = field(default_factory=set)
    cost: PairCosts = field(init=False)
    matches: list[Match] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)
    unmet: list[Unmet] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cost = PairCosts(self.settings.prefer)

    def pair(self, provider: _Member, offer: Offer, demand: Demand,
             workshop: str | None) -> Match:
        recipient = self.members[demand.institution]
        cost, shared = self.cost(provider, recipient, offer.level, demand.level)
        return trusted(Match, {
            "provider": provider.id, "recipient": demand.institution, "action": demand.action,
            "phase": demand.phase, "provider_level": offer.level,
            "recipient_level": demand.level, "gap": offer.level - demand.level,
            "uplift": demand.uplift, "shared": shared, "workshop": workshop, "cost": cost})


def plan(portfolio: Portfolio, settings: Settings) -> CooperationPlan:
    """The cooperation plan of a portfolio (see the module's description)."""
    members = _members(portfolio, settings)
    by_id = {m.id: m for m in members}
    providers: dict[str, list[tuple[_Member, Offer]]] = defaultdict(list)
    for m in members:
        for o in m.offers:
            providers[o.action].append((m, o))
    state = _Round(by_id, settings, {m.id: m.capacity for m in members})
    demands = [d for m in members for d in m.demands]
    rest = _workshops(state, demands, providers)
    _flow(state, rest, providers)
    return _plan(portfolio, members, state, providers)


def _workshops(state: _Round, demands: list[Demand],
               providers: dict[str, list[tuple[_Member, Offer]]]) -> list[Demand]:
    """Form the workshops; return the demands left for bilateral matching."""
    by_action: dict[str, list[Demand]] = defaultdict(list)
    for d in demands:
        by_action[d.action].append(d)
    order = {a: i for i, a in enumerate(by_action)}
    taken: set[tuple[str, str]] = set()
    for action in sorted(by_action, key=lambda a: (-len(by_action[a]), order[a])):
        group = by_action[action]
        hosts = [(m, o) for m, o in providers.get(action, []) if state.left[m.id] > 0]
        if len(group) < state.settings.min_group or not hosts:
            continue
        cost = _host_cost(state, group)
        scarce = _scarce(state, by_action, providers, action) if len(hosts) > 1 else set()
        host, offer = min(hosts, key=lambda e: (e[0].id in scarce, *cost(e)))
        state.left[host.id] -= 1
        state.gave.add(host.id)
        workshop = f"W{len(state.workshops) + 1}"
        state.workshops.append(trusted(Workshop, {
            "id": workshop, "action": action, "phase": offer.phase, "host": host.id,
            "host_level": offer.level, "participants": tuple(d.institution for d in group)}))
        state.matches += [state.pair(host, offer, d, workshop) for d in group]
        taken.update((d.institution, action) for d in group)
    return [d for d in demands if (d.institution, d.action) not in taken]


def _scarce(state: _Round, by_action: dict[str, list[Demand]],
            providers: dict[str, list[tuple[_Member, Offer]]], action: str) -> set[str]:
    """Providers whose last exchange is the only one left for another action someone needs:
    a workshop goes to another host when it can, so as not to leave that need unmet."""
    scarce: set[str] = set()
    for other in by_action:
        if other == action:
            continue
        able = [m.id for m, _ in providers.get(other, []) if state.left[m.id] > 0]
        if len(able) == 1 and state.left[able[0]] == 1:
            scarce.add(able[0])
    return scarce


Node = tuple[object, ...] | str
Classes = dict[tuple[object, ...], list[int]]
Signatures = dict[tuple[object, ...], list[tuple[_Member, Offer]]]


def _host_cost(state: _Round, group: list[Demand]
               ) -> Callable[[tuple[_Member, Offer]], tuple[int, int]]:
    """How much hosting ``group`` costs a provider (its giving bonus taken off), and its
    order for ties. Participants alike (kind and level) cost alike, and so do hosts: the
    sum is worked out once per kind of host and of participant."""
    classes: dict[tuple[object, ...], list[Any]] = {}
    for d in group:
        recipient = state.members[d.institution]
        entry = classes.setdefault((recipient.kind, d.level), [recipient, d.level, 0])
        entry[2] += 1
    sums: dict[tuple[object, ...], int] = {}

    def cost(entry: tuple[_Member, Offer]) -> tuple[int, int]:
        m, o = entry
        key = (m.kind, o.level)
        if key not in sums:
            sums[key] = sum(n * state.cost(m, r, o.level, level)[0]
                            for r, level, n in classes.values())
        return sums[key] - (GIVE_BONUS if m.id not in state.gave else 0), m.order

    return cost


def _flow(state: _Round, demands: list[Demand],
          providers: dict[str, list[tuple[_Member, Offer]]]) -> None:
    """Match ``demands`` bilaterally by one minimum-cost flow; record matches and unmet.

    The flow runs from the providers' capacity to the demands: a unit of capacity reaches a
    class of demands at the pair's cost minus what leaving one of them unmet would cost
    (a gain), or stays idle at no cost. This is the documented objective less the constant
    cost of leaving every demand unmet, with as many units as there is capacity (far fewer
    than demands in a large region, which keeps the simplex short).
    """
    graph: nx.DiGraph[Node] = nx.DiGraph()
    signatures = _provider_signatures(state, providers)
    routed = _contenders(state, demands, signatures)
    classes = _demand_classes(state, routed, graph)
    asked = {key[1] for key in classes}
    signatures = {sig: entries for sig, entries in signatures.items() if sig[1] in asked}
    supply = _capacity_edges(state, signatures, graph)
    _pair_edges(state, routed, classes, signatures, graph)
    graph.add_node("source", demand=-supply)
    graph.add_node("sink", demand=supply)
    graph.add_edge("source", "sink", weight=0)  # capacity left idle
    _, flow = nx.network_simplex(graph)
    _record(state, demands, _served(routed, classes, signatures, flow), providers)


def _contenders(state: _Round, demands: list[Demand], signatures: Signatures) -> list[Demand]:
    """The demands some optimum may serve, in order; the others stay unmet.

    A demand of an action nobody with capacity left offers cannot be served. Where an
    action's providers can host ``C`` more exchanges and ``C`` other demands gain at worst
    (against their costliest provider) at least what this one gains at best, it is never
    needed: swapping it for one of them, with the same provider, costs no more. This keeps
    the network to the demands that compete for capacity.
    """
    reps: dict[str, list[tuple[_Member, Offer]]] = defaultdict(list)
    capacity: dict[str, int] = defaultdict(int)
    for sig, entries in signatures.items():
        reps[str(sig[1])].append(entries[0])
        capacity[str(sig[1])] += sum(state.left[m.id] for m, _ in entries)
    by_action: dict[str, list[Demand]] = defaultdict(list)
    for d in demands:
        if d.action in reps:
            by_action[d.action].append(d)
    keep: set[int] = set()
    for action, group in by_action.items():
        if len(group) <= capacity[action]:
            keep.update(id(d) for d in group)
            continue
        gains = []
        for d in group:
            recipient, unmet = state.members[d.institution], _unmet_cost(d)
            costs = [state.cost(m, recipient, o.level, d.level)[0] for m, o in reps[action]]
            gains.append((unmet - max(costs), unmet - min(costs), d))
        threshold = sorted((worst for worst, _, _ in gains), reverse=True)[capacity[action] - 1]
        keep.update(id(d) for _, best, d in gains if best >= threshold)
    return [d for d in demands if id(d) in keep]


def _demand_classes(state: _Round, demands: list[Demand], graph: nx.DiGraph[Node]) -> Classes:
    """One node per class of demands (same action, kind of recipient and level), passing a
    unit to the sink per demand served, at minus the cost of leaving it unmet: one arc per
    distinct cost, so the flow serves the demands that cost most to leave unmet first."""
    classes: Classes = defaultdict(list)
    for i, d in enumerate(demands):
        key = ("c", d.action, *state.members[d.institution].kind, d.level)
        classes[key].append(i)
    for key, indexes in classes.items():
        costs: dict[int, int] = defaultdict(int)
        for i in indexes:
            costs[_unmet_cost(demands[i])] += 1
        if len(costs) == 1:  # the common case: one arc straight to the sink
            graph.add_edge(key, "sink", capacity=len(indexes), weight=-next(iter(costs)))
        for cost, count in sorted(costs.items(), reverse=True) if len(costs) > 1 else ():
            graph.add_edge(key, ("u", key, cost), capacity=count, weight=-cost)
            graph.add_edge(("u", key, cost), "sink", capacity=count, weight=0)
        indexes.sort(key=lambda i: -_unmet_cost(demands[i]))  # served first, then plan order
    return classes


def _provider_signatures(state: _Round,
                         providers: dict[str, list[tuple[_Member, Offer]]]) -> Signatures:
    """Providers with capacity left, grouped by action, kind of member and level."""
    signatures: Signatures = defaultdict(list)
    for action, offered in providers.items():
        for m, o in offered:
            if state.left[m.id] > 0:
                signature = ("g", action, *m.kind, o.level)
                signatures[signature].append((m, o))
    return signatures


def _capacity_edges(state: _Round, signatures: Signatures, graph: nx.DiGraph[Node]) -> int:
    """Source -> each provider up to its capacity left (the first unit of a member that has
    not given yet at the giving bonus), provider -> its signatures; the units supplied."""
    supply = 0
    for sig, entries in signatures.items():
        for m, _ in entries:
            graph.add_edge(("p", m.id), sig, weight=0)
    for m_id, left in state.left.items():
        node = ("p", m_id)
        if left <= 0 or not graph.has_node(node):
            continue
        supply += left
        if m_id in state.gave:
            graph.add_edge("source", node, capacity=left, weight=0)
            continue
        graph.add_edge("source", ("f", m_id), capacity=1, weight=-GIVE_BONUS)
        graph.add_edge(("f", m_id), node, capacity=1, weight=0)
        if left > 1:
            graph.add_edge("source", node, capacity=left - 1, weight=0)
    return supply


def _pair_edges(state: _Round, demands: list[Demand], classes: Classes,
                signatures: Signatures, graph: nx.DiGraph[Node]) -> None:
    """Signature -> class at the pair's cost, for every class of the same action."""
    by_action: dict[object, list[tuple[object, ...]]] = defaultdict(list)
    for key in classes:
        by_action[key[1]].append(key)
    for sig, entries in signatures.items():
        provider, offer = entries[0]
        for key in by_action.get(sig[1], []):
            first = demands[classes[key][0]]
            cost = state.cost(provider, state.members[first.institution], offer.level,
                              first.level)[0]
            graph.add_edge(sig, key, weight=cost)


def _served(routed: list[Demand], classes: Classes, signatures: Signatures,
            flow: dict[Node, dict[Node, int]]) -> dict[int, tuple[_Member, Offer]]:
    """Who serves each demand the flow routed (keyed by ``id`` of the demand): within a class
    or a signature every member is alike, so units are handed out in order."""
    served: dict[int, tuple[_Member, Offer]] = {}
    waiting: dict[Node, Iterator[int]] = {key: iter(ix) for key, ix in classes.items()}
    for sig, entries in signatures.items():
        units: list[tuple[_Member, Offer]] = []
        for m, o in entries:
            units += [(m, o)] * flow.get(("p", m.id), {}).get(sig, 0)
        handed = iter(units)
        for key, count in flow[sig].items():  # in the order the edges were added
            for _ in range(count):
                served[id(routed[next(waiting[key])])] = next(handed)
    return served


def _record(state: _Round, demands: list[Demand], served: dict[int, tuple[_Member, Offer]],
            providers: dict[str, list[tuple[_Member, Offer]]]) -> None:
    """Every demand, in order, as a match or as unmet (demands of actions that no provider
    with capacity left offers never entered the network)."""
    for d in demands:
        if id(d) in served:
            provider, offer = served[id(d)]
            state.matches.append(state.pair(provider, offer, d, None))
            state.gave.add(provider.id)
        else:
            state.unmet.append(trusted(Unmet, {
                "institution": d.institution, "action": d.action, "phase": d.phase,
                "level": d.level, "stated": d.stated, "blocking": d.blocking,
                "reason": "no-capacity" if providers.get(d.action) else "no-offer"}))


def _plan(portfolio: Portfolio, members: list[_Member], state: _Round,
          providers: dict[str, list[tuple[_Member, Offer]]]) -> CooperationPlan:
    first = members[0].assessment if members else None
    phases = tuple(dict.fromkeys(r.phase for r in first.actions)) if first else ()
    titles: dict[str, Text] = {}
    if first is not None:
        titles.update({p: first.labels[p] for p in phases if p in first.labels})
        titles.update({r.action: r.title for r in first.actions})
    hosted: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    for w in state.workshops:
        hosted[w.host] += 1
    for mt in state.matches:
        received[mt.recipient] += 1
        if mt.workshop is None:
            hosted[mt.provider] += 1
    matrix = FrozenDict({m.id: FrozenDict({
        p: (sum(o.phase == p for o in m.offers), sum(d.phase == p for d in m.demands))
        for p in phases}) for m in members})
    unmet = {(u.institution, u.action) for u in state.unmet}
    total = (sum(mt.cost for mt in state.matches)
             + sum(_unmet_cost(d) for m in members for d in m.demands
                   if (d.institution, d.action) in unmet)
             - GIVE_BONUS * len(state.gave))  # every member that hosts or gives
    return CooperationPlan(
        protocol=portfolio.protocol, settings=state.settings, phases=phases,
        titles=FrozenDict(titles),
        members=tuple(trusted(Member, {
            "institution": m.assessment.institution, "capacity": m.capacity,
            "offers": len(m.offers), "demands": len(m.demands), "gives": hosted[m.id],
            "receives": received[m.id]}) for m in members),
        offers=tuple(o for m in members for o in m.offers),
        withdrawn=tuple(x for m in members for x in m.withdrawn),
        demands=tuple(d for m in members for d in m.demands),
        matches=tuple(state.matches), workshops=tuple(state.workshops),
        unmet=tuple(state.unmet), matrix=matrix, total_cost=total)


# ----------------------------------------------------------------------------- evaluation

Levels = dict[str, tuple[str, int | None, int | None]]
"""Per action: its status in a round (``measured``, ``unassessed`` or ``not-applicable``),
its effective and its claimed level (``None`` unless measured)."""


def _levels(a: Assessment) -> Levels:
    """Each action's status, effective and claimed level in one round."""
    levels: Levels = {}
    for r in a.actions:
        if r.status == "assessed":
            levels[r.action] = ("measured", r.effective or 0, r.claimed or 0)
        else:
            levels[r.action] = ("not-applicable" if r.status == "n/a" else "unassessed",
                                None, None)
    return levels


_NOT_MEASURED = ("unassessed", None, None)


def _status(before: str, after: str) -> Measure:
    """Whether a demand can be measured, from its status in each round."""
    if "not-applicable" in (before, after):
        return "not-applicable"
    if before == after == "unassessed":
        return "unassessed-both"
    if before == "unassessed":
        return "unassessed-before"
    return "unassessed-after" if after == "unassessed" else "measured"


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 4)


def _means(measured: list[MatchOutcome], not_measured: int) -> dict[str, object]:
    """The counts of measured outcomes (matched, unmatched) and of the others, and the means
    of the measured ones on the effective and on the claimed level."""
    sides = {side: [o for o in measured if o.matched is side] for side in (True, False)}
    out: dict[str, object] = {"matched": len(sides[True]), "unmatched": len(sides[False]),
                              "not_measured": not_measured}
    for prefix, field_ in (("", "change"), ("claimed_", "claimed_change")):
        m, u = (_mean([getattr(o, field_) for o in sides[side]]) for side in (True, False))
        out.update({f"{prefix}matched_change": m, f"{prefix}unmatched_change": u,
                    f"{prefix}difference": _difference(m, u)})
    return out


def evaluation(plan: CooperationPlan, before: Portfolio, after: Portfolio) -> Evaluation:
    """The difference of differences between matched and unmatched gaps (see ``evaluate``):
    only demands assessed in both rounds are measured; the others are counted apart."""
    earlier = {k: _levels(a) for k, a in _latest(before.assessments).items()}
    later = {k: _levels(a) for k, a in _latest(after.assessments).items()}
    names = {m.institution.id: m.institution.name for m in plan.members}
    provider = {(m.recipient, m.action): m.provider for m in plan.matches}
    recipients = list(dict.fromkeys(m.recipient for m in plan.matches))
    demands: dict[str, list[Demand]] = defaultdict(list)
    for d in plan.demands:
        demands[d.institution].append(d)
    outcomes: list[MatchOutcome] = []
    rows: list[RecipientOutcome] = []
    missing: list[str] = []
    for r in recipients:
        if r not in later:
            missing.append(r)
            continue
        mine: list[MatchOutcome] = []
        for d in demands[r]:
            was, start, claimed_start = earlier.get(r, {}).get(d.action, _NOT_MEASURED)
            now, end, claimed_end = later[r].get(d.action, _NOT_MEASURED)
            status = _status(was, now)
            measured = status == "measured"
            mine.append(trusted(MatchOutcome, {
                "provider": provider.get((r, d.action)), "recipient": r, "action": d.action,
                "matched": (r, d.action) in provider, "status": status,
                "before": start, "after": end,
                "change": end - start if measured and start is not None
                and end is not None else None,
                "claimed_before": claimed_start, "claimed_after": claimed_end,
                "claimed_change": claimed_end - claimed_start if measured
                and claimed_start is not None and claimed_end is not None else None}))
        measured_ = [o for o in mine if o.status == "measured"]
        rows.append(trusted(RecipientOutcome, {
            "institution": r, "name": names.get(r, r),
            **_means(measured_, len(mine) - len(measured_))}))
        outcomes += mine
    measured_ = [o for o in outcomes if o.status == "measured"]
    asked = dict.fromkeys(o.action for o in outcomes)
    return trusted(Evaluation, {
        "format_version": 2, "protocol": plan.protocol,
        "titles": FrozenDict({a: plan.titles[a] for a in asked if a in plan.titles}),
        "outcomes": tuple(outcomes), "recipients": tuple(rows),
        "not_reassessed": tuple(missing),
        **_means(measured_, len(outcomes) - len(measured_))})
