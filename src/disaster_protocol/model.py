"""The protocol as frozen, closed pydantic models.

A :class:`Protocol` is the validated form of ``protocols/sendai_ciss.yaml``: Sendai Framework
reference data, hazards, ordered phases, roles and actions. Models only describe the *shape*
of the data; whether references resolve is checked by :mod:`disaster_protocol.loader`.

Every label an institution reads is a :class:`Text` with Spanish and English.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "ActionSendai",
    "Hazard",
    "Indicator",
    "KeyActivity",
    "MaturityLevel",
    "Phase",
    "Principle",
    "Priority",
    "Protocol",
    "ProtocolIndex",
    "Provenance",
    "ProvenanceStatus",
    "Role",
    "Sendai",
    "Source",
    "Target",
    "Text",
]

SCHEMA_VERSION = 1
"""The file format version of protocols and profiles (independent of the package version)."""

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
ProvenanceStatus = Literal["verified", "derived", "proposed"]
Lang = Literal["es", "en"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Text(_Frozen):
    """A label in Spanish and English; both are required.

    Examples
    --------
    >>> Text(es="Respuesta", en="Response").get("es")
    'Respuesta'
    """

    es: NonEmpty
    en: NonEmpty

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang`` (``"es"`` or ``"en"``)."""
        return self.es if lang == "es" else self.en


class Provenance(_Frozen):
    """Where a node comes from and how sure we are of it.

    ``verified``: a cited source states it and was read. ``derived``: built from another cited
    authoritative text. ``proposed``: a design choice no source states.
    """

    status: ProvenanceStatus
    sources: tuple[Id, ...] = ()
    note: NonEmpty | None = None


class Source(_Frozen):
    """A bibliographic entry that provenance records cite by ``id``.

    ``year`` is left out where the source itself does not state it: never guessed.
    """

    id: Id
    title: NonEmpty
    publisher: NonEmpty
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    url: NonEmpty | None = None
    note: NonEmpty | None = None


class MaturityLevel(_Frozen):
    """One step of the 0-4 readiness scale."""

    level: Annotated[int, Field(ge=0, le=4)]
    label: Text
    description: Text


class KeyActivity(_Frozen):
    """A lettered national/local key activity of a Sendai priority (e.g. 33(g))."""

    letter: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    label: Text
    provenance: Provenance


class Priority(_Frozen):
    """A Sendai priority for action, with its national/local key activities."""

    id: Id
    paragraph: Annotated[int, Field(ge=1)]
    title: Text
    activities: tuple[KeyActivity, ...]
    provenance: Provenance


class Indicator(_Frozen):
    """A Sendai Framework Monitor global indicator such as ``D-8``."""

    id: Id
    title: Text
    compound: bool = False
    provenance: Provenance


class Target(_Frozen):
    """A Sendai global target (A-G) with its indicators."""

    id: Id
    paragraph: NonEmpty
    title: Text
    indicators: tuple[Indicator, ...]
    provenance: Provenance


class Principle(_Frozen):
    """A Sendai guiding principle (paragraph 19, letters a-m)."""

    id: Id
    paragraph: NonEmpty
    title: Text
    provenance: Provenance


class Sendai(_Frozen):
    """The Sendai Framework 2015-2030 reference structure."""

    priorities: tuple[Priority, ...]
    targets: tuple[Target, ...]
    principles: tuple[Principle, ...]


class Hazard(_Frozen):
    """A hazard family that actions can be scoped to; ``all`` means multi-hazard."""

    id: Id
    label: Text
    description: Text | None = None


class Phase(_Frozen):
    """A management phase; phases are ordered as listed in the file."""

    id: Id
    title: Text
    description: Text
    provenance: Provenance


class Role(_Frozen):
    """An organisational role inside the institution that leads or supports actions."""

    id: Id
    title: Text
    description: Text
    provenance: Provenance


class ActionSendai(_Frozen):
    """How an action aligns to Sendai.

    ``paragraph`` lists national/local key activities as ``"33(g)"``; ``targets`` and
    ``indicators`` are global target letters and indicator codes; ``principles`` are guiding
    principle letters.
    """

    priority: Id | None = None
    paragraph: tuple[Annotated[str, StringConstraints(pattern=r"^\d+\([a-z]\)$")], ...] = ()
    targets: tuple[Id, ...] = ()
    indicators: tuple[Id, ...] = ()
    principles: tuple[Id, ...] = ()


class Action(_Frozen):
    """One thing the institution should have in place, with who does it and why."""

    id: Id
    phase: Id
    title: Text
    description: Text
    lead: Id
    support: tuple[Id, ...] = ()
    requires: tuple[Id, ...] = ()
    requires_note: NonEmpty | None = None
    critical: bool = False
    critical_reason: Text | None = None
    weight: Annotated[float, Field(gt=0, le=100)] = 1.0
    hazards: tuple[Id, ...]
    sendai: ActionSendai
    evidence: tuple[Text, ...] = ()
    provenance: Provenance


def ordered_actions(ids: Iterable[str], requires: Mapping[str, Iterable[str]],
                    key: Callable[[str], tuple[int, int]]) -> list[str]:
    """Order ``ids`` so every prerequisite comes first, smallest ``key`` first among the ready.

    Prerequisites outside ``ids`` are ignored. A pointer walks the actions in ``key`` order and
    takes each one that is ready; an action that only becomes ready after the pointer has
    passed it (its prerequisite sits later in ``key`` order) waits in a small heap. So the cost
    is linear, plus a logarithm only for those few actions.

    Raises
    ------
    ValueError
        If the prerequisites among ``ids`` form a cycle.

    Examples
    --------
    >>> ordered_actions(["b", "a", "c"], {"b": ["c"]}, key=lambda i: (0, ord(i[0])))
    ['a', 'c', 'b']
    """
    members = sorted(ids, key=key)
    slot = {node: i for i, node in enumerate(members)}
    waiting = [0] * len(members)
    dependants: list[list[int]] = [[] for _ in members]
    for i, node in enumerate(members):
        for req in set(requires.get(node, ())):
            j = slot.get(req)
            if j is not None:
                waiting[i] += 1
                dependants[j].append(i)
    late: list[int] = []  # ready slots the pointer has already passed
    order: list[str] = []
    pointer = 0
    while True:
        while pointer < len(members) and waiting[pointer] != 0:
            pointer += 1  # not ready yet; it will join `late` when it is
        if late and (pointer == len(members) or late[0] < pointer):
            current = heapq.heappop(late)
        elif pointer < len(members):
            current = pointer
            waiting[current] = -1  # taken
            pointer += 1
        else:
            break
        order.append(members[current])
        for dep in dependants[current]:
            waiting[dep] -= 1
            if waiting[dep] == 0 and dep < pointer:
                heapq.heappush(late, dep)
    if len(order) != len(members):
        raise ValueError("prerequisites form a cycle")
    return order


@dataclass(frozen=True)
class ProtocolIndex:
    """Derived look-ups used on every assessment, computed once per protocol.

    Attributes
    ----------
    order : tuple of str
        Execution order: every prerequisite first, then phase order, then file order.
    rank : dict
        Action id -> its place in ``order``.
    position : dict
        Action id -> (phase position, position in the file).
    dependants : dict
        Action id -> the actions that require it directly.
    priorities : dict
        Action id -> every Sendai priority it aligns to (main one first, then through its
        key-activity paragraphs).
    groups : dict
        ``by_phase``, ``by_priority``, ``by_role`` (lead), ``by_hazard`` -> group id -> the
        action ids in it. A hazard's group holds its own actions and the multi-hazard ones
        (``all`` holds only the multi-hazard ones).
    """

    order: tuple[str, ...]
    rank: dict[str, int]
    position: dict[str, tuple[int, int]]
    dependants: dict[str, tuple[str, ...]]
    priorities: dict[str, tuple[str, ...]]
    groups: dict[str, dict[str, tuple[str, ...]]]

    def downstream(self, action_id: str) -> set[str]:
        """Every action that depends on ``action_id``, directly or not."""
        seen: set[str] = set()
        stack = list(self.dependants[action_id])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(self.dependants[node])
        return seen


class Protocol(_Frozen):
    """A whole protocol: reference data, phases, roles and actions.

    Build one with :func:`disaster_protocol.load_protocol`, which also checks that every
    reference resolves; constructing the model directly checks only the shape.
    """

    schema_version: Literal[1]
    id: Id
    version: NonEmpty
    title: Text
    sources: tuple[Source, ...]
    maturity_levels: tuple[MaturityLevel, ...]
    sendai: Sendai
    hazards: tuple[Hazard, ...]
    phases: tuple[Phase, ...]
    roles: tuple[Role, ...]
    actions: tuple[Action, ...]

    @cached_property
    def action_index(self) -> dict[str, Action]:
        """Actions by id."""
        return {a.id: a for a in self.actions}

    @cached_property
    def phase_order(self) -> dict[str, int]:
        """Position of each phase id in the phase sequence (0-based)."""
        return {p.id: i for i, p in enumerate(self.phases)}

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The protocol as a frozen networkx graph, built once on first use.

        See :func:`disaster_protocol.graph.build_graph` for its nodes and edges.
        """
        from .graph import build_graph  # the graph is derived from the model, never the reverse

        return build_graph(self)

    @cached_property
    def index(self) -> ProtocolIndex:
        """Execution order, dependants and priority alignment, computed once."""
        phase_order = self.phase_order
        position = {a.id: (phase_order.get(a.phase, 0), i) for i, a in enumerate(self.actions)}
        requires = {a.id: a.requires for a in self.actions}
        dependants: dict[str, list[str]] = {a.id: [] for a in self.actions}
        for a in self.actions:
            for req in a.requires:
                dependants[req].append(a.id)
        owner = {str(p.paragraph): p.id for p in self.sendai.priorities}
        priorities = {
            a.id: tuple(dict.fromkeys([*([a.sendai.priority] if a.sendai.priority else []),
                                       *(owner[ref.split("(")[0]] for ref in a.sendai.paragraph)]))
            for a in self.actions}
        groups: dict[str, dict[str, list[str]]] = {
            "by_phase": {p.id: [] for p in self.phases},
            "by_priority": {p.id: [] for p in self.sendai.priorities},
            "by_role": {r.id: [] for r in self.roles},
            "by_hazard": {h.id: [] for h in self.hazards}}
        for a in self.actions:
            groups["by_phase"][a.phase].append(a.id)
            for prio in priorities[a.id]:
                groups["by_priority"][prio].append(a.id)
            groups["by_role"][a.lead].append(a.id)
            for hazard, members in groups["by_hazard"].items():
                if hazard in a.hazards or (hazard != "all" and "all" in a.hazards):
                    members.append(a.id)
        order = tuple(ordered_actions(position, requires, position.__getitem__))
        return ProtocolIndex(
            order=order,
            rank={action_id: i for i, action_id in enumerate(order)},
            position=position,
            dependants={k: tuple(v) for k, v in dependants.items()},
            priorities=priorities,
            groups={name: {k: tuple(v) for k, v in group.items()}
                    for name, group in groups.items()})

    def action(self, action_id: str) -> Action:
        """Return the action with ``action_id``.

        Raises
        ------
        KeyError
            If the protocol has no such action.
        """
        return self.action_index[action_id]
