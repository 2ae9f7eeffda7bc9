"""The protocol as a graph, and the questions people ask of it.

:func:`build_graph` turns a validated :class:`~disaster_protocol.model.Protocol` into a frozen
:class:`networkx.DiGraph`; ``protocol.graph`` caches it. Node keys are ids and every node has a
``kind`` (``phase``, ``role``, ``action``, ``hazard``, ``priority``, ``target``, ``indicator``,
``principle``); every edge has a ``relation``:

=============== ============================ =========================================
relation        from -> to                   meaning
=============== ============================ =========================================
``in_phase``    action -> phase              the action belongs to the phase
``led_by``      action -> role               the role leads the action
``supported_by`` action -> role              the role supports the action
``requires``    action -> action             the first needs the second in place first
``applies_to``  action -> hazard             the action is for that hazard
``aligns_to``   action -> Sendai node        priority (with ``paragraphs``), target,
                                             indicator or guiding principle
``part_of``     indicator -> target          the indicator measures that target
``precedes``    phase -> phase               phase order
=============== ============================ =========================================

The query functions are free functions over the protocol, in the manner of networkx.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._i18n import LANGS, Lang
from ._index import ordered_actions
from .model import Action, Protocol, Text

if TYPE_CHECKING:  # imported where a graph is built: scoring and reading never need it
    import networkx as nx

__all__ = [
    "Coverage",
    "Playbook",
    "PlaybookStep",
    "actions_aligned_to",
    "actions_for_role",
    "actions_in_phase",
    "actions_matching",
    "build_graph",
    "critical_chains",
    "dependants",
    "execution_order",
    "playbook",
    "prerequisites",
    "role_matrix",
    "sendai_coverage",
]


def build_graph(protocol: Protocol) -> nx.DiGraph[str]:
    """Build the frozen protocol graph (prefer the cached ``protocol.graph``).

    Parameters
    ----------
    protocol : Protocol
        A validated protocol (ids are unique across node kinds).

    Returns
    -------
    networkx.DiGraph
        Frozen: attempts to modify it raise ``networkx.NetworkXError``.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> g = load_protocol().graph
    >>> g.nodes["GOV-01"]["kind"], g.edges["GOV-02", "GOV-01"]["relation"]
    ('action', 'requires')
    """
    import networkx as nx

    g: nx.DiGraph[str] = nx.DiGraph(protocol=protocol.id, version=protocol.version)
    _add_organisation(g, protocol)
    _add_sendai(g, protocol)
    _add_actions(g, protocol)
    nx.freeze(g)
    return g


def _labels(label: Text) -> dict[str, str]:
    """``label_<lang>`` for every language the label has."""
    return {f"label_{lang}": value for lang in LANGS
            if (value := getattr(label, lang)) is not None}


def _add_organisation(g: nx.DiGraph[str], protocol: Protocol) -> None:
    """Phases (in order, linked by ``precedes``), roles and hazards."""
    previous = None
    for order, phase in enumerate(protocol.phases):
        g.add_node(phase.id, kind="phase", order=order, **_labels(phase.title),
                   provenance=phase.provenance.status)
        if previous is not None:
            g.add_edge(previous, phase.id, relation="precedes")
        previous = phase.id
    for role in protocol.roles:
        g.add_node(role.id, kind="role", **_labels(role.title),
                   provenance=role.provenance.status)
    for hazard in protocol.hazards:
        g.add_node(hazard.id, kind="hazard", **_labels(hazard.label))


def _add_sendai(g: nx.DiGraph[str], protocol: Protocol) -> None:
    """Sendai priorities, targets with their indicators, and guiding principles."""
    sendai = protocol.sendai
    for prio in sendai.priorities:
        g.add_node(prio.id, kind="priority", **_labels(prio.title),
                   paragraph=prio.paragraph)
    for target in sendai.targets:
        g.add_node(target.id, kind="target", **_labels(target.title))
        for ind in target.indicators:
            g.add_node(ind.id, kind="indicator", **_labels(ind.title))
            g.add_edge(ind.id, target.id, relation="part_of")
    for principle in sendai.principles:
        g.add_node(principle.id, kind="principle", **_labels(principle.title))
    for custom in sendai.custom_indicators:
        g.add_node(custom.id, kind="custom_indicator", **_labels(custom.title))


def _add_actions(g: nx.DiGraph[str], protocol: Protocol) -> None:
    """Action nodes and every edge that leaves an action."""
    g.add_nodes_from((a.id, {"kind": "action", **_labels(a.title),
                             "phase": a.phase, "critical": a.critical, "weight": a.weight,
                             "provenance": a.provenance.status}) for a in protocol.actions)
    # Edges are gathered per relation and added in one call each, as plain pairs: on large
    # protocols per-call overhead and per-edge allocations (networkx makes its own attribute
    # dict for every edge) dominate the cost.
    actions = protocol.actions
    g.add_edges_from(((a.id, a.phase) for a in actions), relation="in_phase")
    g.add_edges_from(((a.id, a.lead) for a in actions), relation="led_by")
    g.add_edges_from(((a.id, r) for a in actions for r in a.support), relation="supported_by")
    g.add_edges_from(((a.id, r) for a in actions for r in a.requires), relation="requires")
    g.add_edges_from(((a.id, h) for a in actions for h in a.hazards), relation="applies_to")
    g.add_edges_from(((a.id, c) for a in actions for c in (
        *a.sendai.targets, *a.sendai.indicators, *a.sendai.custom_indicators,
        *a.sendai.principles)),
        relation="aligns_to", paragraphs="")
    owner = protocol.sendai.paragraph_owners()
    for a in actions:
        paragraphs: dict[str, list[str]] = defaultdict(list)
        if a.sendai.priority:
            paragraphs[a.sendai.priority] = []
        for ref in a.sendai.paragraph:
            paragraphs[owner[ref.split("(")[0]]].append(ref)
        for prio_id, refs in paragraphs.items():
            g.add_edge(a.id, prio_id, relation="aligns_to", paragraphs=",".join(refs))


def _related(protocol: Protocol, node: str, relation: str) -> list[Action]:
    """Actions with an edge of ``relation`` into ``node``, in protocol order."""
    g = protocol.graph
    if node not in g:
        return []
    ids = {u for u, _, data in g.in_edges(node, data=True) if data["relation"] == relation}
    return [a for a in protocol.actions if a.id in ids]


def actions_in_phase(protocol: Protocol, phase: str) -> list[Action]:
    """Actions of ``phase``, in protocol order.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> [a.id for a in actions_in_phase(load_protocol(), "RECO")][:3]
    ['RECO-01', 'RECO-02', 'RECO-03']
    """
    return _related(protocol, phase, "in_phase")


def actions_for_role(protocol: Protocol, role: str, *, lead: bool = True,
                     support: bool = True) -> list[Action]:
    """Actions that ``role`` leads and/or supports, in protocol order.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> [a.id for a in actions_for_role(load_protocol(), "BOARD", support=False)]
    ['GOV-01']
    """
    ids = set()
    if lead:
        ids |= {a.id for a in _related(protocol, role, "led_by")}
    if support:
        ids |= {a.id for a in _related(protocol, role, "supported_by")}
    return [a for a in protocol.actions if a.id in ids]


def actions_aligned_to(protocol: Protocol, code: str) -> list[Action]:
    """Actions aligned to a Sendai priority, target, indicator or guiding principle.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> [a.id for a in actions_aligned_to(load_protocol(), "G-3")]
    ['KNOW-08']
    """
    return _related(protocol, code, "aligns_to")


def execution_order(protocol: Protocol, actions: list[str] | None = None) -> list[str]:
    """An order that puts every prerequisite first and otherwise follows phase order.

    Among the actions whose prerequisites are all placed, the one in the earliest phase (then
    the earliest in the file) comes next. Where a prerequisite sits in a later phase (a
    ``requires_note`` says why), the dependant waits for it.

    Parameters
    ----------
    protocol : Protocol
    actions : list of str, optional
        Order only these (prerequisites outside the list are ignored). Default: all.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> order = execution_order(load_protocol())
    >>> order[:3], order.index("KNOW-05") < order.index("GOV-05")
    (['GOV-01', 'GOV-02', 'GOV-03'], True)
    """
    index = protocol.index
    if actions is None:
        return list(index.order)
    requires = {a.id: a.requires for a in protocol.actions}
    return ordered_actions(actions, requires, index.position.__getitem__)


def prerequisites(protocol: Protocol, action: str) -> list[str]:
    """Every action that ``action`` needs first, directly or not, in execution order.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> prerequisites(load_protocol(), "GOV-04")
    ['GOV-01', 'GOV-03']
    """
    index = protocol.action_index
    needed: set[str] = set()
    stack = list(index[action].requires)
    while stack:
        node = stack.pop()
        if node not in needed:
            needed.add(node)
            stack.extend(index[node].requires)
    return sorted(needed, key=protocol.index.rank.__getitem__)


def dependants(protocol: Protocol, action: str) -> list[str]:
    """Every action that depends on ``action``, directly or not, in execution order.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> len(dependants(load_protocol(), "GOV-01")) > 50
    True
    """
    return sorted(protocol.index.downstream(action), key=protocol.index.rank.__getitem__)


def critical_chains(protocol: Protocol) -> dict[str, list[str]]:
    """For each critical action, the heaviest chain of prerequisites that ends in it.

    The chain maximises the sum of action weights; ties go to the chain met first in
    execution order. Useful to see which foundations a critical capability really rests on.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> critical_chains(load_protocol())["RESP-09"][-1]
    'RESP-09'
    """
    best: dict[str, tuple[float, list[str]]] = {}
    index = protocol.action_index
    for action_id in execution_order(protocol):
        action = index[action_id]
        base: tuple[float, list[str]] = (0.0, [])
        for req in action.requires:
            if best[req][0] > base[0]:
                base = best[req]
        best[action_id] = (base[0] + action.weight, [*base[1], action_id])
    return {a.id: best[a.id][1] for a in protocol.actions if a.critical}


def role_matrix(protocol: Protocol) -> list[dict[str, str]]:
    """Who leads (``L``) and who supports (``S``) each action, one row per action.

    Each row has ``action``, ``phase``, then one column per role id (``""`` where the role has
    no part); ready for ``pandas.DataFrame(rows)``.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> row = role_matrix(load_protocol())[0]
    >>> row["action"], row["BOARD"], row["EXEC"], row["ICT"]
    ('GOV-01', 'L', 'S', '')
    """
    roles = [r.id for r in protocol.roles]
    rows = []
    for a in protocol.actions:
        row = {"action": a.id, "phase": a.phase}
        row.update({r: "L" if r == a.lead else ("S" if r in a.support else "") for r in roles})
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Coverage:
    """Which actions serve each Sendai priority, target and indicator, and what no action serves."""

    by_priority: dict[str, tuple[str, ...]]
    by_target: dict[str, tuple[str, ...]]
    by_indicator: dict[str, tuple[str, ...]]
    uncovered_targets: tuple[str, ...] = ()
    uncovered_indicators: tuple[str, ...] = ()


def sendai_coverage(protocol: Protocol) -> Coverage:
    """Actions per Sendai priority, target and indicator, with the targets and indicators that
    no action serves.

    An action serves a target directly, or through one of that target's indicators.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> cov = sendai_coverage(load_protocol())
    >>> len(cov.by_indicator), "A-3" in cov.uncovered_indicators
    (38, True)
    """
    sendai = protocol.sendai

    def ids(node: str) -> tuple[str, ...]:
        return tuple(a.id for a in actions_aligned_to(protocol, node))

    by_indicator = {i.id: ids(i.id) for t in sendai.targets for i in t.indicators}
    by_target = {}
    for t in sendai.targets:
        served = set(ids(t.id)).union(*(by_indicator[i.id] for i in t.indicators))
        by_target[t.id] = tuple(a.id for a in protocol.actions if a.id in served)
    return Coverage(
        by_priority={p.id: ids(p.id) for p in sendai.priorities},
        by_target=by_target,
        by_indicator=by_indicator,
        uncovered_targets=tuple(t for t, acts in by_target.items() if not acts),
        uncovered_indicators=tuple(i for i, acts in by_indicator.items() if not acts),
    )


@dataclass(frozen=True)
class PlaybookStep:
    """One step of a hazard playbook."""

    action: str
    phase: str
    lead: str
    support: tuple[str, ...]
    requires: tuple[str, ...]
    title: Text
    critical: bool


@dataclass(frozen=True)
class Playbook:
    """The ordered checklist for one hazard (optionally one phase)."""

    hazard: str
    phase: str | None
    steps: tuple[PlaybookStep, ...]

    def __repr__(self) -> str:
        scope = f", phase {self.phase}" if self.phase else ""
        return f"Playbook({self.hazard}{scope}: {len(self.steps)} steps)"

    def _repr_html_(self) -> str:
        from .report.display import playbook_fragment

        return playbook_fragment(self, "es")

    def to_dict(self, lang: Lang = "es") -> dict[str, object]:
        """Plain data for JSON: ``{"hazard", "phase", "steps": [...]}`` in execution order."""
        return {
            "hazard": self.hazard,
            "phase": self.phase,
            "steps": [{"action": s.action, "phase": s.phase, "lead": s.lead,
                       "support": list(s.support), "requires": list(s.requires),
                       "critical": s.critical, "title": s.title.get(lang)}
                      for s in self.steps],
        }


def playbook(protocol: Protocol, hazard: str, phase: str | None = None) -> Playbook:
    """The checklist for ``hazard``: actions for that hazard or for all hazards, in order.

    Steps follow :func:`execution_order` over the applicable actions, so each comes after
    what it waits for. ``requires`` lists every prerequisite, applicable or not.

    Raises
    ------
    KeyError
        If the protocol has no such hazard or phase.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> book = playbook(load_protocol(), "earthquake", phase="RESP")
    >>> book.steps[0].action, book.steps[0].lead
    ('RESP-01', 'EOC')
    """
    if hazard not in {h.id for h in protocol.hazards}:
        raise KeyError(hazard)
    if phase is not None and phase not in protocol.phase_order:
        raise KeyError(phase)
    applicable = [a.id for a in actions_matching(protocol, hazard=hazard)]
    index = protocol.action_index
    steps = []
    for action_id in execution_order(protocol, applicable):
        a = index[action_id]
        if phase is None or a.phase == phase:
            steps.append(PlaybookStep(a.id, a.phase, a.lead, a.support, a.requires, a.title,
                                      a.critical))
    return Playbook(hazard, phase, tuple(steps))


def actions_matching(protocol: Protocol, *, phase: str | None = None, role: str | None = None,
                     priority: str | None = None, hazard: str | None = None) -> list[Action]:
    """Actions that match every filter given, in protocol order.

    Parameters
    ----------
    protocol : Protocol
        A validated protocol.
    phase : str, optional
        Keep actions in this phase.
    role : str, optional
        Keep actions this role leads or supports.
    priority : str, optional
        Keep actions aligned to this Sendai priority (as main priority or through a key
        activity paragraph of that priority).
    hazard : str, optional
        Keep actions that apply to this hazard, including multi-hazard (``all``) actions.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> p = load_protocol()
    >>> [a.id for a in actions_matching(p, phase="GOV", role="BOARD")][:2]
    ['GOV-01', 'GOV-02']
    """
    aligned = protocol.index.priorities
    selected = []
    for action in protocol.actions:
        if phase is not None and action.phase != phase:
            continue
        if role is not None and role != action.lead and role not in action.support:
            continue
        if priority is not None and priority not in aligned[action.id]:
            continue
        if hazard is not None and hazard not in action.hazards and "all" not in action.hazards:
            continue
        selected.append(action)
    return selected
