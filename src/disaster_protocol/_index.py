"""The compiled protocol: execution order, group membership and dependants, computed once.

:func:`compile_index` derives these look-ups from a validated
:class:`~disaster_protocol.model.Protocol`; ``protocol.index`` caches the result, which is
read-only. Assessing a profile reads only this index and the profile.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .model import Protocol

__all__ = ["ProtocolIndex", "compile_index", "ordered_actions"]


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
    waiting, dependants = _slots(members, requires)
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


def _slots(members: list[str], requires: Mapping[str, Iterable[str]]
           ) -> tuple[list[int], list[list[int]]]:
    """For each member (by its slot): how many prerequisites it waits for among the members,
    and which slots wait for it."""
    slot = {node: i for i, node in enumerate(members)}
    waiting = [0] * len(members)
    dependants: list[list[int]] = [[] for _ in members]
    for i, node in enumerate(members):
        for req in set(requires.get(node, ())):
            j = slot.get(req)
            if j is not None:
                waiting[i] += 1
                dependants[j].append(i)
    return waiting, dependants


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
    rank: Mapping[str, int]
    position: Mapping[str, tuple[int, int]]
    dependants: Mapping[str, tuple[str, ...]]
    priorities: Mapping[str, tuple[str, ...]]
    groups: Mapping[str, Mapping[str, tuple[str, ...]]]

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


def compile_index(protocol: Protocol) -> ProtocolIndex:
    """Compile ``protocol`` into its index (prefer the cached ``protocol.index``).

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> compile_index(load_protocol()).order[:2]
    ('GOV-01', 'GOV-02')
    """
    phase_order = protocol.phase_order
    position = {a.id: (phase_order.get(a.phase, 0), i) for i, a in enumerate(protocol.actions)}
    dependants: dict[str, list[str]] = {a.id: [] for a in protocol.actions}
    for a in protocol.actions:
        for req in a.requires:
            dependants[req].append(a.id)
    owner = {str(p.paragraph): p.id for p in protocol.sendai.priorities}
    priorities = {
        a.id: tuple(dict.fromkeys([*([a.sendai.priority] if a.sendai.priority else []),
                                   *(owner[ref.split("(")[0]] for ref in a.sendai.paragraph)]))
        for a in protocol.actions}
    requires = {a.id: a.requires for a in protocol.actions}
    order = tuple(ordered_actions(position, requires, position.__getitem__))
    return ProtocolIndex(
        order=order,
        rank=MappingProxyType({action_id: i for i, action_id in enumerate(order)}),
        position=MappingProxyType(position),
        dependants=MappingProxyType({k: tuple(v) for k, v in dependants.items()}),
        priorities=MappingProxyType(priorities),
        groups=_groups(protocol, priorities))


def _groups(protocol: Protocol, priorities: Mapping[str, tuple[str, ...]]
            ) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """The members of every phase, Sendai priority, lead role and hazard, in file order."""
    groups: dict[str, dict[str, list[str]]] = {
        "by_phase": {p.id: [] for p in protocol.phases},
        "by_priority": {p.id: [] for p in protocol.sendai.priorities},
        "by_role": {r.id: [] for r in protocol.roles},
        "by_hazard": {h.id: [] for h in protocol.hazards}}
    hazards = groups["by_hazard"]
    for a in protocol.actions:
        groups["by_phase"][a.phase].append(a.id)
        for prio in priorities[a.id]:
            groups["by_priority"][prio].append(a.id)
        groups["by_role"][a.lead].append(a.id)
        for hazard in hazards if "all" in a.hazards else dict.fromkeys(a.hazards):
            hazards[hazard].append(a.id)
    return MappingProxyType({name: MappingProxyType({k: tuple(v) for k, v in group.items()})
                             for name, group in groups.items()})
