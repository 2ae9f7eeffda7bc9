"""The method behind :func:`disaster_protocol.cooperation.match` and ``evaluate``.

1. Each member takes part with its latest assessment. Its **offers** are the actions at
   effective level 4 (or 3 with evidence, with ``min_offer_level=3``) and the ones it states
   at level 3 or more; its **demands** are the actions assessed below 3 (an action nobody
   assessed, left out or ``unknown``, only where the member states it), stated
   ones first, then blocking gaps, then by uplift.
2. **Rounds under a budget** (``Settings``): each round has at most ``workshops`` workshops
   of at most ``participants`` members, at most ``bilateral`` bilateral exchanges, and each
   member hosts at most its ``capacity`` exchanges (a workshop is one). What does not fit
   waits for the next round, up to ``rounds`` rounds (the roadmap).
3. **Workshops**, one at a time: the action whose most urgent waiting demands weigh most
   (stated 3, blocking 2, other 1, over its first ``participants`` demands), hosted by the
   provider that seats the most participants at the least summed pair cost. A host seats
   members that share one of its languages first (then stated, blocking, other, the same
   subregion, the larger uplift); one that shares none is seated, flagged for
   interpretation, only where no member offering the action works in its language.
4. **Bilateral exchanges**: the most urgent waiting demands in turn (stated, blocking, other,
   then larger uplift), each with its cheapest provider that has capacity left. Pair cost:
   :data:`PREFERENCE_COSTS` for each preference the two do not share (language, subregion,
   type, in the order asked), plus ``4 - gap`` for the provider's level lead, less
   :data:`GIVE_BONUS` for a member's first exchange of the round.

Both steps are greedy and deterministic; docs/cooperation.md states what they guarantee
and why an exact optimisation was set aside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

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
    Round,
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
    "PairCosts",
    "evaluation",
    "plan",
]

PREFERENCE_COSTS = (1000, 100, 10)
"""Cost of a pair not sharing the first, second and third preference."""
GIVE_BONUS = 500
"""Cost taken off a member's first exchange of a round as provider (so that every member
with an offer tends to give something)."""


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


def _tier(demand: Demand) -> int:
    """A demand's priority tier: stated 3, blocking 2, any other gap 1."""
    return 3 if demand.stated else 2 if demand.blocking else 1


Host = tuple[_Member, Offer]


class _Capacity:
    """What the members can still host in one round, and who has given in it."""

    def __init__(self, members: Iterable[_Member], offered: dict[str, tuple[str, ...]],
                 able: dict[str, int]) -> None:
        self.left = {m.id: m.capacity for m in members}
        self.gave: set[str] = set()
        self.offered = offered
        """Per member, the actions it offers (the same every round)."""
        self.able: dict[str, int] = defaultdict(int, able)
        """Per action, how many of its providers can still host."""

    @staticmethod
    def offers_of(members: Iterable[_Member]) -> tuple[dict[str, tuple[str, ...]],
                                                       dict[str, int]]:
        """Per member the actions it offers, and per action how many members with capacity
        offer it: what every round starts from, worked out once."""
        offered: dict[str, tuple[str, ...]] = {}
        able: dict[str, int] = defaultdict(int)
        for m in members:
            offered[m.id] = tuple(o.action for o in m.offers)
            if m.capacity > 0:
                for action in offered[m.id]:
                    able[action] += 1
        return offered, dict(able)

    def use(self, member: _Member) -> None:
        """One exchange of ``member``'s."""
        self.left[member.id] -= 1
        self.gave.add(member.id)
        if self.left[member.id] == 0:
            for action in self.offered[member.id]:
                self.able[action] -= 1

    def bonus(self, member: _Member) -> int:
        """The giving bonus, on a member's first exchange of the round."""
        return 0 if member.id in self.gave else GIVE_BONUS

    def scarce(self, member: _Member, action: str, waiting: dict[str, list[Demand]]) -> bool:
        """Whether ``member``'s last exchange is the only one left for another action some
        waiting demand needs."""
        return self.left[member.id] == 1 and any(
            other != action and self.able[other] == 1 and waiting.get(other)
            for other in self.offered[member.id])


class _Roadmap:
    """Rounds of the plan, each filled under the budget from the demands still waiting."""

    def __init__(self, members: list[_Member], settings: Settings) -> None:
        self.members = {m.id: m for m in members}
        self.settings = settings
        self.cost = PairCosts(settings.prefer)
        self.providers: dict[str, list[Host]] = defaultdict(list)
        for m in members:
            for o in m.offers:
                self.providers[o.action].append((m, o))
        ranked = [(-_tier(d), -d.uplift, m.order, i, d)
                  for m in members for i, d in enumerate(m.demands)]
        self.waiting: list[Demand] = [d for *_, d in sorted(ranked)]  # (order, i) unique
        """Every demand not scheduled yet, most urgent first (stated, blocking, then larger
        uplift; then by member and the member's own order)."""
        self.rank = {id(d): i for i, d in enumerate(self.waiting)}
        self.by_action: dict[str, list[Demand]] = defaultdict(list)
        for d in self.waiting:
            self.by_action[d.action].append(d)
        self.first = {a: i for i, a in enumerate(self.by_action)}
        self.speaks: dict[str, frozenset[str]] = {
            a: frozenset().union(*(m.languages for m, _ in hosts if m.capacity > 0))
            for a, hosts in self.providers.items()}
        """The languages some member offering the action (with any capacity) works in."""
        self.offered, self.able = _Capacity.offers_of(members)
        self.done: set[int] = set()
        self.matches: list[Match] = []
        self.workshops: list[Workshop] = []
        self.rounds: list[Round] = []

    def run(self) -> list[Unmet]:
        """Fill rounds until every demand some member can meet is scheduled, the budget
        takes no more, or the roadmap has its last round; the rest is unmet."""
        ended_full = False
        for number in range(1, self.settings.rounds + 1):
            if not self._round(number):
                break
            ended_full = number == self.settings.rounds
        return [self._unmet(d, ended_full) for m in self.members.values() for d in m.demands
                if id(d) not in self.done]

    def _unmet(self, d: Demand, ended_full: bool) -> Unmet:
        hosts = self.providers.get(d.action, [])
        reason = "no-offer" if not hosts else "no-capacity"
        if hosts and ended_full and self.able.get(d.action, 0) > 0 and (
                self.settings.bilateral > 0 or (
                    self.settings.workshops > 0
                    and len(self.by_action[d.action]) >= self.settings.min_group)):
            reason = "beyond-roadmap"
        return trusted(Unmet, {
            "institution": d.institution, "action": d.action, "phase": d.phase,
            "level": d.level, "stated": d.stated, "blocking": d.blocking, "reason": reason})

    def _round(self, number: int) -> bool:
        """Schedule one round; whether it scheduled anything."""
        capacity = _Capacity(self.members.values(), self.offered, self.able)
        workshops = self._workshops(number, capacity)
        bilateral = self._bilateral(number, capacity)
        scheduled = workshops + bilateral
        if not scheduled:
            return False
        self.rounds.append(trusted(Round, {
            "round": number, "workshops": sum(w.round == number for w in self.workshops),
            "bilateral": len(bilateral), "demands": len(scheduled),
            "stated": sum(d.stated for d in scheduled),
            "blocking": sum(d.blocking for d in scheduled)}))
        return True

    def _schedule(self, demands: list[Demand]) -> None:
        """Take ``demands`` off the waiting lists."""
        self.done.update(id(d) for d in demands)
        for action in {d.action for d in demands}:
            self.by_action[action] = [d for d in self.by_action[action]
                                      if id(d) not in self.done]

    def pair(self, number: int, host: Host, demand: Demand, workshop: str | None) -> Match:
        provider, offer = host
        recipient = self.members[demand.institution]
        cost, shared = self.cost(provider, recipient, offer.level, demand.level)
        return trusted(Match, {
            "round": number, "provider": provider.id, "recipient": demand.institution,
            "action": demand.action, "phase": demand.phase, "provider_level": offer.level,
            "recipient_level": demand.level, "gap": offer.level - demand.level,
            "uplift": demand.uplift, "shared": shared, "workshop": workshop, "cost": cost})

    # ------------------------------------------------------------------------- workshops

    def _workshops(self, number: int, capacity: _Capacity) -> list[Demand]:
        """Up to ``settings.workshops`` workshops, one at a time: the action whose most
        urgent waiting demands weigh most, with the host that seats the most participants
        at the least cost."""
        s = self.settings
        scheduled: list[Demand] = []
        passed: set[str] = set()
        made = 0
        while made < s.workshops:
            candidates = [a for a, waiting in self.by_action.items()
                          if len(waiting) >= s.min_group and a not in passed
                          and capacity.able[a] > 0]
            if not candidates:
                break
            action = min(candidates, key=lambda a: (
                -sum(_tier(d) for d in self.by_action[a][:s.participants]),
                -len(self.by_action[a]), self.first[a]))
            best = self._host(action, capacity)
            if best is None:
                passed.add(action)
                continue
            (host, offer), seated = best
            made += 1
            capacity.use(host)
            workshop = f"W{number}.{made}"
            shares = [lang for lang in sorted(host.languages, key=lambda x: (
                -sum(x in self.members[d.institution].languages for d in seated),
                x != host.assessment.institution.language, x))]
            self.workshops.append(trusted(Workshop, {
                "round": number, "id": workshop, "action": action, "phase": offer.phase,
                "host": host.id, "host_level": offer.level,
                "language": shares[0] if shares else None,
                "participants": tuple(sorted(d.institution for d in seated)),
                "interpretation": tuple(sorted(
                    d.institution for d in seated
                    if not host.languages & self.members[d.institution].languages))}))
            self.matches += [self.pair(number, (host, offer), d, workshop) for d in seated]
            self._schedule(seated)
            scheduled += seated
        return scheduled

    def _host(self, action: str, capacity: _Capacity) -> tuple[Host, list[Demand]] | None:
        """The host of a workshop on ``action`` and its participants, or None when no host
        with capacity left can seat ``min_group`` of them: the one that seats the most,
        passing over one whose last exchange is the only one left for another action some
        member waits for, then the least summed cost."""
        s = self.settings
        by_seating: dict[tuple[object, ...], list[Host]] = defaultdict(list)
        for m, o in self.providers[action]:
            if capacity.left[m.id] > 0:  # whom it seats depends on its languages, subregion
                by_seating[m.kind[:2]].append((m, o))
        groups = self._groups(action)
        best: tuple[tuple[int, bool, int, int], Host, list[Demand]] | None = None
        for hosts in by_seating.values():
            seated = self._seats(action, hosts[0][0], groups)
            if len(seated) < s.min_group:
                continue
            for m, o in hosts:
                cost = sum(self.cost(m, self.members[d.institution], o.level, d.level)[0]
                           for d in seated) - capacity.bonus(m)
                key = (-len(seated), capacity.scarce(m, action, self.by_action), cost,
                       m.order)
                if best is None or key < best[0]:
                    best = (key, (m, o), seated)
        return None if best is None else (best[1], best[2])

    def _groups(self, action: str) -> dict[tuple[object, ...], list[Demand]]:
        """The action's waiting demands by kind of member and tier, each list in priority
        order and cut at ``participants`` (no workshop seats more of one group)."""
        groups: dict[tuple[object, ...], list[Demand]] = defaultdict(list)
        limit = self.settings.participants
        for d in self.by_action[action]:
            group = groups[(self.members[d.institution].kind, _tier(d))]
            if len(group) < limit:
                group.append(d)
        return groups

    def _seats(self, action: str, host: _Member,
               groups: dict[tuple[object, ...], list[Demand]]) -> list[Demand]:
        """Who a host of ``action`` seats: members sharing one of its languages first (then
        the stated, blocking and other demands, the same subregion, the larger uplift); a
        member that shares none is seated, flagged for interpretation, only when no member
        offering the action works in its language."""
        speaks = self.speaks[action]
        buckets: dict[tuple[bool, int, bool], list[Demand]] = defaultdict(list)
        for group in groups.values():
            recipient, tier = self.members[group[0].institution], _tier(group[0])
            talks = _shares(host, recipient, "language")
            if not talks and recipient.languages & speaks:
                continue  # a member offering it speaks its language: wait for that one
            buckets[(not talks, -tier, not _shares(host, recipient, "subregion"))] += group
        limit = self.settings.participants
        seated: list[Demand] = []
        for bucket in sorted(buckets):
            seated += sorted(buckets[bucket],
                             key=lambda d: self.rank[id(d)])[:limit - len(seated)]
            if len(seated) >= limit:
                break
        return seated

    # ------------------------------------------------------------------------- bilateral

    def _bilateral(self, number: int, capacity: _Capacity) -> list[Demand]:
        """Up to ``settings.bilateral`` exchanges: the most urgent waiting demands, each with
        its cheapest provider that has capacity left this round; a member receives a second
        one only when every other member's waiting demands have had their turn."""
        scheduled: list[Demand] = []
        if self.settings.bilateral <= 0:
            return scheduled
        served: set[str] = set()
        for spread in (True, False):
            for d in self.waiting:
                if len(scheduled) >= self.settings.bilateral:
                    break
                if id(d) in self.done or (spread and d.institution in served):
                    continue
                host = self._provider(d, capacity)
                if host is None:
                    continue
                capacity.use(host[0])
                served.add(d.institution)
                self.matches.append(self.pair(number, host, d, None))
                self.done.add(id(d))
                scheduled.append(d)
        self._schedule(scheduled)
        return scheduled

    def _provider(self, d: Demand, capacity: _Capacity) -> Host | None:
        """The cheapest provider of ``d``'s action with capacity left (its first exchange of
        the round at the giving bonus; ties to the first by institution id)."""
        if capacity.able[d.action] <= 0:
            return None
        recipient = self.members[d.institution]
        best: tuple[tuple[int, int], Host] | None = None
        for m, o in self.providers.get(d.action, ()):
            if capacity.left[m.id] <= 0:
                continue
            key = (self.cost(m, recipient, o.level, d.level)[0] - capacity.bonus(m), m.order)
            if best is None or key < best[0]:
                best = (key, (m, o))
        return None if best is None else best[1]


def plan(portfolio: Portfolio, settings: Settings) -> CooperationPlan:
    """The cooperation plan of a portfolio (see the module's description)."""
    members = _members(portfolio, settings)
    roadmap = _Roadmap(members, settings)
    unmet = roadmap.run()
    return _plan(portfolio, members, roadmap, unmet)


def _plan(portfolio: Portfolio, members: list[_Member], roadmap: _Roadmap,
          unmet: list[Unmet]) -> CooperationPlan:
    first = members[0].assessment if members else None
    phases = tuple(dict.fromkeys(r.phase for r in first.actions)) if first else ()
    titles: dict[str, Text] = {}
    if first is not None:
        titles.update({p: first.labels[p] for p in phases if p in first.labels})
        titles.update({r.action: r.title for r in first.actions})
    hosted: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    later: dict[str, int] = defaultdict(int)
    for w in roadmap.workshops:
        if w.round == 1:
            hosted[w.host] += 1
    for mt in roadmap.matches:
        if mt.round > 1:
            later[mt.recipient] += 1
            continue
        received[mt.recipient] += 1
        if mt.workshop is None:
            hosted[mt.provider] += 1
    matrix = FrozenDict({m.id: FrozenDict({
        p: (sum(o.phase == p for o in m.offers), sum(d.phase == p for d in m.demands))
        for p in phases}) for m in members})
    order = {w.id: i for i, w in enumerate(roadmap.workshops)}
    matches = sorted(roadmap.matches, key=lambda mt: (
        mt.round, mt.workshop is None, order.get(mt.workshop or "", 0)))
    return CooperationPlan(
        protocol=portfolio.protocol, settings=roadmap.settings, phases=phases,
        titles=FrozenDict(titles),
        members=tuple(trusted(Member, {
            "institution": m.assessment.institution, "capacity": m.capacity,
            "offers": len(m.offers), "demands": len(m.demands), "gives": hosted[m.id],
            "receives": received[m.id], "later": later[m.id]}) for m in members),
        offers=tuple(o for m in members for o in m.offers),
        withdrawn=tuple(x for m in members for x in m.withdrawn),
        demands=tuple(d for m in members for d in m.demands),
        matches=tuple(matches), workshops=tuple(roadmap.workshops),
        unmet=tuple(unmet), roadmap=tuple(roadmap.rounds), matrix=matrix)


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
    done = plan.round(1)[1]  # the round the two portfolios stand on either side of
    provider = {(m.recipient, m.action): m.provider for m in done}
    recipients = sorted({m.recipient for m in done})
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
