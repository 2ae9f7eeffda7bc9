"""The method behind :func:`disaster_protocol.cooperation.match` and ``evaluate``.

1. Each member takes part with its latest assessment. Its **offers** are the actions at
   effective level 4 (or 3 with evidence, with ``min_offer_level=3``) and the ones it states
   at level 3 or more; its **demands** are the actions below 3 (n/a and unknown aside), stated
   ones first, then blocking gaps, then by uplift.
2. **Workshops**: an action demanded by ``min_group`` members or more goes, most demanded
   first, to the provider with capacity left whose summed cost to the participants is least
   (a member's first exchange earns the giving bonus); it uses one exchange of its host.
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
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from ._frozen import FrozenDict, trusted
from .assessment import Assessment
from .cooperation import (
    CooperationPlan,
    Demand,
    Evaluation,
    Match,
    MatchOutcome,
    Member,
    Offer,
    Preference,
    RecipientOutcome,
    Settings,
    Unmet,
    Workshop,
)
from .model import Text
from .portfolio import Portfolio

__all__ = ["GIVE_BONUS", "PREFERENCE_COSTS", "UNMET_COST", "UPLIFT_COST", "evaluation",
           "pair_cost", "plan"]

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

    @property
    def id(self) -> str:
        return self.assessment.institution.id

    @property
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
    members = []
    for order, a in enumerate(_latest(portfolio.assessments).values()):
        stated = a.cooperation
        languages = {a.institution.language} if a.institution.language else set()
        if stated is not None:
            languages.update(stated.languages)
        capacity = settings.capacity if stated is None or stated.capacity is None \
            else stated.capacity
        member = _Member(a, order, frozenset(languages), capacity)
        member.offers = _offers(a, settings)
        member.demands = _demands(a)
        members.append(member)
    return members


def _offers(a: Assessment, settings: Settings) -> list[Offer]:
    stated = {o.action: o.note for o in a.cooperation.offers} if a.cooperation else {}
    offers = []
    for r in a.actions:
        level = r.effective
        if r.status != "assessed" or level is None or level < 3:
            continue
        if r.action in stated or level == 4 or (settings.min_offer_level == 3 and r.evidence):
            offers.append(trusted(Offer, {
                "institution": a.institution.id, "action": r.action, "phase": r.phase,
                "level": level, "stated": r.action in stated, "note": stated.get(r.action)}))
    return offers


def _demands(a: Assessment) -> list[Demand]:
    stated = {d.action: d.note for d in a.cooperation.demands} if a.cooperation else {}
    uplifts = {s.action: s.uplift for s in a.plan}
    weight = sum(r.weight for r in a.actions if r.status != "n/a") or 1.0
    blocking = set(a.blocking)
    demands = []
    for position, r in enumerate(a.actions):
        level = r.effective or 0
        if r.status == "n/a" or level >= 3 or (r.status == "unknown" and r.action not in stated):
            continue
        uplift = uplifts.get(r.action, round(100 * r.weight * (3 - level) / (4 * weight), 2))
        demands.append((r.action not in stated, r.action not in blocking, -uplift, position,
                        trusted(Demand, {
                            "institution": a.institution.id, "action": r.action,
                            "phase": r.phase, "level": level, "stated": r.action in stated,
                            "blocking": r.action in blocking, "uplift": uplift,
                            "note": stated.get(r.action)})))
    return [d for *_, d in sorted(demands, key=lambda t: t[:4])]


def pair_cost(provider: _Member, recipient: _Member, provider_level: int, recipient_level: int,
              prefer: tuple[Preference, ...]) -> tuple[int, tuple[Preference, ...]]:
    """The cost of ``provider`` helping ``recipient``, and what the two share."""
    shared = tuple(p for p in prefer if _shares(provider, recipient, p))
    cost = sum(PREFERENCE_COSTS[i] for i, p in enumerate(prefer) if p not in shared)
    return cost + 4 - (provider_level - recipient_level), shared


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
    matches: list[Match] = field(default_factory=list)
    workshops: list[Workshop] = field(default_factory=list)
    unmet: list[Unmet] = field(default_factory=list)

    def pair(self, provider: _Member, offer: Offer, demand: Demand,
             workshop: str | None) -> Match:
        recipient = self.members[demand.institution]
        cost, shared = pair_cost(provider, recipient, offer.level, demand.level,
                                 self.settings.prefer)
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

        def host_cost(entry: tuple[_Member, Offer], group: list[Demand] = group) -> int:
            m, o = entry
            total = sum(pair_cost(m, state.members[d.institution], o.level, d.level,
                                  state.settings.prefer)[0] for d in group)
            return total - (GIVE_BONUS if m.id not in state.gave else 0)

        host, offer = min(hosts, key=lambda e: (host_cost(e), e[0].order))
        state.left[host.id] -= 1
        state.gave.add(host.id)
        workshop = f"W{len(state.workshops) + 1}"
        state.workshops.append(trusted(Workshop, {
            "id": workshop, "action": action, "phase": offer.phase, "host": host.id,
            "host_level": offer.level, "participants": tuple(d.institution for d in group)}))
        state.matches += [state.pair(host, offer, d, workshop) for d in group]
        taken.update((d.institution, action) for d in group)
    return [d for d in demands if (d.institution, d.action) not in taken]


Node = tuple[object, ...] | str
Classes = dict[tuple[object, ...], list[int]]
Signatures = dict[tuple[object, ...], list[tuple[_Member, Offer]]]


def _flow(state: _Round, demands: list[Demand],
          providers: dict[str, list[tuple[_Member, Offer]]]) -> None:
    """Match ``demands`` bilaterally by one minimum-cost flow; record matches and unmet."""
    graph: nx.DiGraph[Node] = nx.DiGraph()
    graph.add_node("sink", demand=len(demands))
    classes = _demand_classes(state, demands, graph)
    signatures = _provider_signatures(state, providers)
    _pair_edges(state, demands, classes, signatures, graph)
    _capacity_edges(state, signatures, graph)
    _, flow = nx.network_simplex(graph)
    _record(state, demands, classes, signatures, flow, providers)


def _demand_classes(state: _Round, demands: list[Demand], graph: nx.DiGraph[Node]) -> Classes:
    """One node per demand (a unit to route, or to leave unmet at its cost), joined to the
    node of its class: same action, same kind of recipient, same level."""
    classes: Classes = defaultdict(list)
    for i, d in enumerate(demands):
        key = ("c", d.action, *state.members[d.institution].kind, d.level)
        graph.add_node(("d", i), demand=-1)
        graph.add_edge(("d", i), "sink", capacity=1, weight=_unmet_cost(d))
        graph.add_edge(("d", i), key, capacity=1, weight=0)
        classes[key].append(i)
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


def _pair_edges(state: _Round, demands: list[Demand], classes: Classes,
                signatures: Signatures, graph: nx.DiGraph[Node]) -> None:
    """Class -> signature at the pair's cost; signature -> each provider in it."""
    by_action: dict[object, list[tuple[object, ...]]] = defaultdict(list)
    for sig in signatures:
        by_action[sig[1]].append(sig)
    for key, indexes in classes.items():
        first = demands[indexes[0]]
        recipient = state.members[first.institution]
        for sig in by_action.get(key[1], []):
            provider, offer = signatures[sig][0]
            cost = pair_cost(provider, recipient, offer.level, first.level,
                             state.settings.prefer)[0]
            graph.add_edge(key, sig, weight=cost)
    for sig, entries in signatures.items():
        for m, _ in entries:
            graph.add_edge(sig, ("p", m.id), weight=0)


def _capacity_edges(state: _Round, signatures: Signatures, graph: nx.DiGraph[Node]) -> None:
    """Provider -> sink up to its capacity left, the first unit at the giving bonus."""
    for m_id, left in state.left.items():
        node = ("p", m_id)
        if left <= 0 or not graph.has_node(node):
            continue
        if m_id in state.gave:
            graph.add_edge(node, "sink", capacity=left, weight=0)
            continue
        graph.add_edge(node, ("f", m_id), capacity=1, weight=-GIVE_BONUS)
        graph.add_edge(("f", m_id), "sink", capacity=1, weight=0)
        if left > 1:
            graph.add_edge(node, "sink", capacity=left - 1, weight=0)


def _record(state: _Round, demands: list[Demand], classes: Classes, signatures: Signatures,
            flow: dict[Node, dict[Node, int]],
            providers: dict[str, list[tuple[_Member, Offer]]]) -> None:
    """Turn the flow into matches: within a class or a signature every member is alike, so
    units are handed out in order."""
    served: dict[int, tuple[_Member, Offer]] = {}
    to_provider: dict[Node, list[tuple[_Member, Offer]]] = {}
    for sig, entries in signatures.items():
        queue: list[tuple[_Member, Offer]] = []
        for m, o in entries:
            queue += [(m, o)] * flow[sig].get(("p", m.id), 0)
        to_provider[sig] = queue
    for key, indexes in classes.items():
        waiting = [i for i in indexes if flow[("d", i)].get(key, 0)]
        for target, count in flow[key].items():  # in the order the edges were added
            for _ in range(count):
                served[waiting.pop(0)] = to_provider[target].pop(0)
    for i, d in enumerate(demands):
        if i in served:
            provider, offer = served[i]
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
    gave = {mt.provider for mt in state.matches}
    unmet = {(u.institution, u.action) for u in state.unmet}
    total = (sum(mt.cost for mt in state.matches)
             + sum(_unmet_cost(d) for m in members for d in m.demands
                   if (d.institution, d.action) in unmet)
             - GIVE_BONUS * len(gave))
    return CooperationPlan(
        protocol=portfolio.protocol, settings=state.settings, phases=phases,
        titles=FrozenDict(titles),
        members=tuple(trusted(Member, {
            "institution": m.assessment.institution, "capacity": m.capacity,
            "offers": len(m.offers), "demands": len(m.demands), "gives": hosted[m.id],
            "receives": received[m.id]}) for m in members),
        offers=tuple(o for m in members for o in m.offers),
        demands=tuple(d for m in members for d in m.demands),
        matches=tuple(state.matches), workshops=tuple(state.workshops),
        unmet=tuple(state.unmet), matrix=matrix, total_cost=total)


# ----------------------------------------------------------------------------- evaluation

def _levels(a: Assessment) -> dict[str, int | None]:
    return {r.action: None if r.status == "n/a" else (r.effective or 0) for r in a.actions}


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 4)


def evaluation(plan: CooperationPlan, before: Portfolio, after: Portfolio) -> Evaluation:
    """The difference of differences between matched and unmatched gaps (see ``evaluate``)."""
    earlier = {k: _levels(a) for k, a in _latest(before.assessments).items()}
    later = {k: _levels(a) for k, a in _latest(after.assessments).items()}
    provider = {(m.recipient, m.action): m.provider for m in plan.matches}
    recipients = list(dict.fromkeys(m.recipient for m in plan.matches))
    outcomes: list[MatchOutcome] = []
    rows: list[RecipientOutcome] = []
    missing: list[str] = []
    pooled: dict[bool, list[int]] = {True: [], False: []}
    for r in recipients:
        if r not in later:
            missing.append(r)
            continue
        changes: dict[bool, list[int]] = {True: [], False: []}
        for d in (d for d in plan.demands if d.institution == r):
            start = earlier.get(r, {}).get(d.action)
            start = d.level if start is None else start
            end = later[r].get(d.action)
            change = None if end is None else end - start
            matched = (r, d.action) in provider
            outcomes.append(trusted(MatchOutcome, {
                "provider": provider.get((r, d.action)), "recipient": r, "action": d.action,
                "matched": matched, "before": start, "after": end, "change": change}))
            if change is not None:
                changes[matched].append(change)
                pooled[matched].append(change)
        m, u = _mean(changes[True]), _mean(changes[False])
        rows.append(trusted(RecipientOutcome, {"institution": r, "matched_change": m,
                                               "unmatched_change": u,
                                               "difference": _difference(m, u)}))
    m, u = _mean(pooled[True]), _mean(pooled[False])
    return trusted(Evaluation, {
        "protocol": plan.protocol, "outcomes": tuple(outcomes), "recipients": tuple(rows),
        "not_reassessed": tuple(missing), "matched_change": m, "unmatched_change": u,
        "difference": _difference(m, u)})
