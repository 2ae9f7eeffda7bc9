"""The compiled protocol: execution order, group membership and dependants, computed once.

:func:`compile_index` derives these look-ups from a validated
:class:`~disaster_protocol.model.Protocol`; ``protocol.index`` caches the result, which is
read-only. Assessing a profile reads only this index and the profile.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

from ._frozen import FrozenDict
from .model import Protocol, Text

_T = TypeVar("_T")

__all__ = ["CLOSURE_LIMIT", "MEMO_PER_ACTION", "ProtocolIndex", "compile_index", "ordered_actions"]


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
    """The protocol compiled for scoring: look-ups by id, and plain arrays by slot.

    An action's *slot* is its place in the protocol file (``protocol.actions[slot]``); the
    arrays below are indexed by slot, so scoring a profile is arithmetic on lists of numbers.
    Everything here is read-only and computed once per protocol.

    Attributes
    ----------
    order : tuple of str
        Execution order: every prerequisite first, then phase order, then file order.
    rank : mapping
        Action id -> its place in ``order``.
    position : mapping
        Action id -> (phase position, position in the file).
    dependants : mapping
        Action id -> the actions that require it directly.
    priorities : mapping
        Action id -> every Sendai priority it aligns to (main one first, then through its
        key-activity paragraphs).
    groups : mapping
        ``by_phase``, ``by_priority``, ``by_role`` (lead), ``by_hazard`` -> group id -> the
        action ids in it. A hazard's group holds its own actions and the multi-hazard ones
        (``all`` holds only the multi-hazard ones).
    ids, slot : tuple, mapping
        The action ids by slot, and the slot of each id.
    weight, critical : tuple
        Each slot's weight and critical flag.
    phase_of : tuple of int
        Each slot's phase, as its place in the phase order.
    sequence : tuple of int
        The slots in execution order.
    step : tuple of int
        Each slot's place in ``sequence``.
    requires, needed_by : tuple of tuple of int
        Each slot's prerequisites (in the file's order) and direct dependants (once each).
    members : mapping
        ``groups`` as slots.
    critical_slots : tuple of int
        The slots of critical actions.
    scale, units : int, tuple of int
        Weights as exact integers: ``units[s] / scale == weight[s]`` (``scale`` is 1 when every
        weight is a whole number), so sums of weights times levels are exact in any order.
    cells, blocks : tuple, mapping
        Slots in exactly the same groups of a family share a *block*, numbered across the
        four families; ``cells[s]`` lists the blocks slot ``s`` adds to,
        and ``blocks[family][group]`` the blocks that make up a group. So one pass over the
        slots fills every block, and a group's sum adds a few block sums instead of visiting
        every member (every hazard group shares the block of the multi-hazard actions).
    role_slots : tuple of tuple of int
        For each role of ``protocol.roles``, the slots it leads or supports.
    labels : mapping
        Phase, Sendai priority, role and hazard id -> its bilingual name.
    memo : dict
        Result values already built for this protocol, shared by every assessment that
        reaches the same ones (see :meth:`interned`).
    """

    order: tuple[str, ...]
    rank: Mapping[str, int]
    position: Mapping[str, tuple[int, int]]
    dependants: Mapping[str, tuple[str, ...]]
    priorities: Mapping[str, tuple[str, ...]]
    groups: Mapping[str, Mapping[str, tuple[str, ...]]]
    ids: tuple[str, ...]
    slot: Mapping[str, int]
    weight: tuple[float, ...]
    critical: tuple[bool, ...]
    phase_of: tuple[int, ...]
    sequence: tuple[int, ...]
    step: tuple[int, ...]
    requires: tuple[tuple[int, ...], ...]
    needed_by: tuple[tuple[int, ...], ...]
    members: Mapping[str, Mapping[str, tuple[int, ...]]]
    critical_slots: tuple[int, ...]
    scale: int
    units: tuple[int, ...]
    cells: tuple[tuple[int, ...], ...]
    block_count: int
    blocks: Mapping[str, Mapping[str, tuple[int, ...]]]
    role_slots: tuple[tuple[int, ...], ...]
    labels: Mapping[str, Text]
    memo: dict[Hashable, object] = field(default_factory=dict, repr=False, compare=False)

    def interned(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """The value made for ``key``, made once and then shared.

        For frozen result values that depend only on ``key`` (an action's result at given
        levels, the finding about a critical action at a level): a batch builds each once.
        The memo is bounded: past :data:`MEMO_PER_ACTION` values per action it starts over.
        """
        memo = self.memo
        value = memo.get(key)
        if value is None:
            if len(memo) >= MEMO_PER_ACTION * (len(self.ids) + 1):
                memo.clear()
            value = memo[key] = make()
        return value  # type: ignore[return-value]  # stored by this method under this key

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

    @cached_property
    def closure(self) -> tuple[int, ...] | None:
        """Each slot's direct and indirect dependants as a bitset (bit ``s`` for slot ``s``),
        for protocols of at most :data:`CLOSURE_LIMIT` actions (``None`` above: the sets
        would take ``n**2 / 8`` bytes; scoring then sweeps the graph once per assessment)."""
        if len(self.ids) > CLOSURE_LIMIT:
            return None
        below: list[int] = [0] * len(self.ids)
        for s in reversed(self.sequence):
            bits = 0
            for d in self.needed_by[s]:
                bits |= below[d] | (1 << d)
            below[s] = bits
        return tuple(below)


MEMO_PER_ACTION = 64
"""How many shared result values per action a protocol's memo holds before it starts over."""

CLOSURE_LIMIT = 4096
"""Largest protocol whose dependant sets are kept as bitsets (about 2 MB at this size)."""


def compile_index(protocol: Protocol) -> ProtocolIndex:
    """Compile ``protocol`` into its index (prefer the cached ``protocol.index``).

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> index = compile_index(load_protocol())
    >>> index.order[:2], index.ids[index.sequence[0]]
    (('GOV-01', 'GOV-02'), 'GOV-01')
    """
    actions = protocol.actions
    phase_order = protocol.phase_order
    slot = {a.id: i for i, a in enumerate(actions)}
    position = {a.id: (phase_order.get(a.phase, 0), i) for i, a in enumerate(actions)}
    dependants: dict[str, list[str]] = {a.id: [] for a in actions}
    for a in actions:
        for req in a.requires:
            dependants[req].append(a.id)
    owner = protocol.sendai.paragraph_owners()
    priorities = {
        a.id: tuple(dict.fromkeys([*([a.sendai.priority] if a.sendai.priority else []),
                                   *(owner[ref.split("(")[0]] for ref in a.sendai.paragraph)]))
        for a in actions}
    requires = {a.id: a.requires for a in actions}
    order = tuple(ordered_actions(position, requires, position.__getitem__))
    sequence = tuple(slot[i] for i in order)
    step = [0] * len(actions)
    for k, s in enumerate(sequence):
        step[s] = k
    groups = _groups(protocol, priorities)
    members = {name: {key: tuple(slot[i] for i in ids) for key, ids in group.items()}
               for name, group in groups.items()}
    scale, units = _exact_weights([a.weight for a in actions])
    cells, blocks = _blocks(members, len(actions))
    return ProtocolIndex(
        order=order,
        rank=MappingProxyType({action_id: i for i, action_id in enumerate(order)}),
        position=MappingProxyType(position),
        dependants=MappingProxyType({k: tuple(v) for k, v in dependants.items()}),
        priorities=MappingProxyType(priorities),
        groups=groups,
        ids=tuple(slot),
        slot=MappingProxyType(slot),
        weight=tuple(a.weight for a in actions),
        critical=tuple(a.critical for a in actions),
        phase_of=tuple(phase_order.get(a.phase, 0) for a in actions),
        sequence=sequence,
        step=tuple(step),
        requires=tuple(tuple(slot[r] for r in a.requires) for a in actions),
        needed_by=tuple(tuple(dict.fromkeys(slot[d] for d in dependants[a.id]))
                        for a in actions),
        members=MappingProxyType({name: MappingProxyType(group)
                                  for name, group in members.items()}),
        critical_slots=tuple(i for i, a in enumerate(actions) if a.critical),
        scale=scale,
        units=units,
        cells=cells,
        block_count=1 + max((b for c in cells for b in c), default=-1),
        blocks=blocks,
        role_slots=_role_slots(protocol),
        labels=FrozenDict({**{p.id: p.title for p in protocol.phases},
                           **{p.id: p.title for p in protocol.sendai.priorities},
                           **{r.id: r.title for r in protocol.roles},
                           **{h.id: h.label for h in protocol.hazards}}))


def _exact_weights(weights: list[float]) -> tuple[int, tuple[int, ...]]:
    """A power of two and integers such that ``units[i] / scale == weights[i]`` exactly."""
    ratios = [w.as_integer_ratio() for w in weights]  # denominators are powers of two
    scale = max((d for _, d in ratios), default=1)
    return scale, tuple(n * (scale // d) for n, d in ratios)


def _blocks(families: Mapping[str, Mapping[str, tuple[int, ...]]], n: int
            ) -> tuple[tuple[tuple[int, ...], ...], Mapping[str, Mapping[str, tuple[int, ...]]]]:
    """Number the blocks of every family: slots in exactly the same groups form one block."""
    cells: list[list[int]] = [[] for _ in range(n)]
    blocks: dict[str, Mapping[str, tuple[int, ...]]] = {}
    count = 0
    for name, groups in families.items():
        signature: list[list[str]] = [[] for _ in range(n)]
        for key, slots in groups.items():
            for s in slots:
                signature[s].append(key)
        numbers: dict[tuple[str, ...], int] = {}
        for s, sig in enumerate(signature):
            if sig:
                block = numbers.setdefault(tuple(sig), count + len(numbers))
                cells[s].append(block)
        blocks[name] = MappingProxyType(
            {key: tuple(b for sig, b in numbers.items() if key in sig) for key in groups})
        count += len(numbers)
    return tuple(tuple(c) for c in cells), MappingProxyType(blocks)


def _role_slots(protocol: Protocol) -> tuple[tuple[int, ...], ...]:
    """For each role, the slots of the actions it leads or supports."""
    by_role: dict[str, list[int]] = {r.id: [] for r in protocol.roles}
    for i, a in enumerate(protocol.actions):
        for role in dict.fromkeys((a.lead, *a.support)):
            by_role[role].append(i)
    return tuple(tuple(by_role[r.id]) for r in protocol.roles)


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
