"""Semantic checks of protocols and profiles: two tables of small functions.

Each check reads a context (the validated value, the document it came from, the id pools
computed once) and yields located problems, the way jsonschema maps keywords to functions.
Adding a check is adding a function and a table entry. The loader runs every check of a table
and raises their problems together, sorted by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ._i18n import in_every_language, said_in_every_language
from ._reading import Document, KeyPath, display_path
from ._validation import suggest, suggestion
from .errors import CONTROL_CHARACTERS, MAX_LISTED, Problem, ProblemCode, escaped
from .model import Action, Protocol, Provenance
from .profile import Profile

__all__ = ["PROFILE_CHECKS", "PROTOCOL_CHECKS", "profile_problems", "protocol_problems"]


# ----------------------------------------------------------------------------- protocols

@dataclass(frozen=True)
class ProtocolContext:
    """What every protocol check may read."""

    protocol: Protocol
    doc: Document

    def at(self, path: KeyPath, message: str, code: ProblemCode) -> Problem:
        """A problem located at ``path`` of the document."""
        return self.doc.problem(path, message, code, shown=display_path(self.doc.data, path))

    @cached_property
    def pools(self) -> Mapping[str, frozenset[str]]:
        """Every kind of id that a reference may name, computed once per protocol."""
        p = self.protocol
        s = p.sendai
        return {
            "source": frozenset(x.id for x in p.sources),
            "hazard": frozenset(x.id for x in p.hazards),
            "phase": frozenset(x.id for x in p.phases),
            "role": frozenset(x.id for x in p.roles),
            "action": frozenset(x.id for x in p.actions),
            "Sendai priority": frozenset(x.id for x in s.priorities),
            "Sendai target": frozenset(x.id for x in s.targets),
            "Sendai indicator": frozenset(i.id for t in s.targets for i in t.indicators),
            "Sendai guiding principle": frozenset(x.id for x in s.principles),
            "Sendai custom indicator": frozenset(x.id for x in s.custom_indicators),
            "Sendai key activity paragraph": frozenset(
                [f"{x.paragraph}({a.letter})" for x in s.priorities for a in x.activities]
                + [f"{x.regional_paragraph}({a.letter})" for x in s.priorities
                   for a in x.regional_activities]),
        }

    def ref(self, path: KeyPath, value: str, what: str,
            code: ProblemCode = "unknown-reference") -> Iterator[Problem]:
        """A problem if ``value`` is not an id of kind ``what``."""
        known = self.pools[what]
        if value not in known:
            yield self.at(path, f"unknown {what} {value!r}{suggest(value, sorted(known))}", code)

    def refs(self, path: KeyPath, values: Iterable[str], what: str,
             code: ProblemCode = "unknown-reference") -> Iterator[Problem]:
        """:meth:`ref` for every item of a list at ``path``."""
        for j, value in enumerate(values):
            yield from self.ref((*path, j), value, what, code)


def _unique_ids(c: ProtocolContext) -> Iterator[Problem]:
    p = c.protocol
    groups: list[tuple[KeyPath, list[str], str]] = [
        (("sources",), [s.id for s in p.sources], "id"),
        (("hazards",), [h.id for h in p.hazards], "id"),
        (("phases",), [x.id for x in p.phases], "id"),
        (("roles",), [r.id for r in p.roles], "id"),
        (("actions",), [a.id for a in p.actions], "id"),
        (("sendai", "priorities"), [x.id for x in p.sendai.priorities], "id"),
        (("sendai", "targets"), [t.id for t in p.sendai.targets], "id"),
        (("sendai", "principles"), [x.id for x in p.sendai.principles], "id"),
        (("sendai", "custom_indicators"), [x.id for x in p.sendai.custom_indicators], "id"),
        (("maturity_levels",), [str(m.level) for m in p.maturity_levels], "level"),
    ]
    for base, ids, key in groups:
        seen: dict[str, int] = {}
        for i, ident in enumerate(ids):
            if ident in seen:
                first = c.doc.where((*base, seen[ident], key))[0]
                yield c.at((*base, i, key), f"duplicate {key} {ident!r} (first defined on line "
                           f"{first}); each {key} must be unique", "duplicate-id")
            else:
                seen[ident] = i


def _unique_indicators(c: ProtocolContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for ti, target in enumerate(c.protocol.sendai.targets):
        for ii, indicator in enumerate(target.indicators):
            if indicator.id in seen:
                yield c.at(("sendai", "targets", ti, "indicators", ii, "id"),
                           f"duplicate indicator id {indicator.id!r}; ids must be unique",
                           "duplicate-id")
            seen.add(indicator.id)


def _shared_ids(c: ProtocolContext) -> Iterator[Problem]:
    """Ids become graph node keys, so one id may not name two kinds of thing."""
    p = c.protocol
    kinds: list[tuple[str, KeyPath, list[str]]] = [
        ("phase", ("phases",), [x.id for x in p.phases]),
        ("role", ("roles",), [x.id for x in p.roles]),
        ("hazard", ("hazards",), [x.id for x in p.hazards]),
        ("action", ("actions",), [x.id for x in p.actions]),
        ("Sendai priority", ("sendai", "priorities"), [x.id for x in p.sendai.priorities]),
        ("Sendai target", ("sendai", "targets"), [x.id for x in p.sendai.targets]),
        ("Sendai principle", ("sendai", "principles"), [x.id for x in p.sendai.principles]),
    ]
    kinds += [("Sendai indicator", ("sendai", "targets", ti, "indicators"),
               [i.id for i in t.indicators]) for ti, t in enumerate(p.sendai.targets)]
    kinds.append(("Sendai custom indicator", ("sendai", "custom_indicators"),
                  [x.id for x in p.sendai.custom_indicators]))
    owners: dict[str, tuple[str, KeyPath]] = {}
    for kind, base, ids in kinds:
        for i, ident in enumerate(ids):
            path = (*base, i, "id")
            owner_kind, first = owners.setdefault(ident, (kind, path))
            if owner_kind != kind:
                yield c.at(path, f"id {ident!r} of this {kind} is already used by "
                           f"{'an' if owner_kind[0] in 'aeiou' else 'a'} {owner_kind} "
                           f"on line {c.doc.where(first)[0]}; ids must be unique across phases, "
                           "roles, hazards, actions and Sendai codes", "duplicate-id")


def _provenances(p: Protocol) -> Iterator[tuple[KeyPath, Provenance]]:
    """Every provenance record (a node's, or a priority's paragraph numbers'), with its path."""
    s = p.sendai
    flat: tuple[tuple[KeyPath, Sequence[Any]], ...] = (
        (("phases",), p.phases), (("roles",), p.roles), (("actions",), p.actions),
        (("sendai", "principles"), s.principles),
        (("sendai", "custom_indicators"), s.custom_indicators))
    for base, nodes in flat:
        for i, node in enumerate(nodes):
            yield (*base, i, "provenance"), node.provenance
    for i, prio in enumerate(s.priorities):
        yield ("sendai", "priorities", i, "provenance"), prio.provenance
        if prio.paragraph_provenance is not None:
            yield ("sendai", "priorities", i, "paragraph_provenance"), prio.paragraph_provenance
        for level in ("activities", "regional_activities"):
            for j, activity in enumerate(getattr(prio, level)):
                yield ("sendai", "priorities", i, level, j, "provenance"), activity.provenance
    for i, target in enumerate(s.targets):
        yield ("sendai", "targets", i, "provenance"), target.provenance
        for j, indicator in enumerate(target.indicators):
            yield ("sendai", "targets", i, "indicators", j, "provenance"), indicator.provenance


def _provenance_sources(c: ProtocolContext) -> Iterator[Problem]:
    for path, provenance in _provenances(c.protocol):
        yield from c.refs((*path, "sources"), provenance.sources, "source")


def _maturity_levels(c: ProtocolContext) -> Iterator[Problem]:
    levels = sorted(m.level for m in c.protocol.maturity_levels)
    if levels and levels != list(range(len(levels))):
        yield c.at(("maturity_levels",), "maturity levels must run 0, 1, 2, ... without gaps",
                   "invalid-value")


def _action_references(c: ProtocolContext) -> Iterator[Problem]:
    for i, a in enumerate(c.protocol.actions):
        base: KeyPath = ("actions", i)
        yield from c.ref((*base, "phase"), a.phase, "phase")
        yield from c.ref((*base, "lead"), a.lead, "role")
        yield from c.refs((*base, "support"), a.support, "role")
        yield from c.refs((*base, "requires"), a.requires, "action")
        yield from c.refs((*base, "hazards"), a.hazards, "hazard")


def _action_rules(c: ProtocolContext) -> Iterator[Problem]:
    for i, a in enumerate(c.protocol.actions):
        base: KeyPath = ("actions", i)
        for j, role in enumerate(a.support):
            if role == a.lead:
                yield c.at((*base, "support", j), f"role {role!r} is already the lead; remove "
                           "it from support", "invalid-value")
        for j, req in enumerate(a.requires):
            if req == a.id:
                yield c.at((*base, "requires", j), "an action cannot require itself", "cycle")
        if a.critical and a.critical_reason is None:
            yield c.at(base, "a critical action must say why in critical_reason",
                       "missing-field")


def _sendai_alignment(c: ProtocolContext) -> Iterator[Problem]:
    owner = {i.id: t.id for t in c.protocol.sendai.targets for i in t.indicators}
    for i, a in enumerate(c.protocol.actions):
        s, sp = a.sendai, ("actions", i, "sendai")
        if s.priority is None:
            yield c.at(sp, "action has no Sendai priority; add sendai.priority",
                       "missing-priority")
        else:
            yield from c.ref((*sp, "priority"), s.priority, "Sendai priority",
                             "unknown-sendai-code")
        yield from c.refs((*sp, "paragraph"), s.paragraph, "Sendai key activity paragraph",
                          "unknown-sendai-code")
        yield from c.refs((*sp, "targets"), s.targets, "Sendai target", "unknown-sendai-code")
        yield from c.refs((*sp, "indicators"), s.indicators, "Sendai indicator",
                          "unknown-sendai-code")
        for j, ind in enumerate(s.indicators):
            if ind in owner and owner[ind] not in s.targets:
                yield c.at((*sp, "indicators", j), f"indicator {ind!r} belongs to target "
                           f"{owner[ind]!r}, which is not in sendai.targets", "invalid-value")
        yield from c.refs((*sp, "custom_indicators"), s.custom_indicators,
                          "Sendai custom indicator", "unknown-sendai-code")
        yield from c.refs((*sp, "principles"), s.principles, "Sendai guiding principle",
                          "unknown-sendai-code")


def _cycles(c: ProtocolContext) -> Iterator[Problem]:
    """Each cycle in ``requires``, printed as the chain of "requires" that closes it."""
    index = {a.id: i for i, a in enumerate(c.protocol.actions)}
    if _acyclic(c.protocol.actions, index):
        return  # the usual case, told without the graph library
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(index)
    for a in c.protocol.actions:
        graph.add_edges_from((req, a.id) for req in a.requires if req in index and req != a.id)
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        start = min(component, key=index.__getitem__)
        cycle = nx.find_cycle(graph.subgraph(component), source=start)
        names = [edge[0] for edge in cycle] + [cycle[0][0]]
        # Edges run prerequisite -> dependant; print the chain of "requires" instead.
        chain = " -> ".join(reversed(names))
        yield c.at(("actions", index[names[0]], "requires"),
                   f"prerequisites form a cycle: {chain}; break one link", "cycle")


def _acyclic(actions: Sequence[Action], index: Mapping[str, int]) -> bool:
    """Whether the ``requires`` links among ``actions`` form no cycle (Kahn's method); with a
    duplicate id it does not say (False), and the graph library looks."""
    if len(index) != len(actions):
        return False
    waiting = [0] * len(actions)
    dependants: list[list[int]] = [[] for _ in actions]
    for i, a in enumerate(actions):
        for req in set(a.requires):
            r = index.get(req)
            if r is not None and req != a.id:
                waiting[i] += 1
                dependants[r].append(i)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    done = 0
    while ready:
        i = ready.pop()
        done += 1
        for d in dependants[i]:
            waiting[d] -= 1
            if waiting[d] == 0:
                ready.append(d)
    return done == len(actions)


def _later_phase_prerequisites(c: ProtocolContext) -> Iterator[Problem]:
    p = c.protocol
    order = p.phase_order
    for i, a in enumerate(p.actions):
        if a.phase not in order or a.requires_note is not None:
            continue
        for j, req in enumerate(a.requires):
            other = p.action_index.get(req)
            if other is not None and order.get(other.phase, -1) > order[a.phase]:
                yield c.at(("actions", i, "requires", j),
                           f"prerequisite {req!r} is in the later phase {other.phase!r}; say why "
                           "in requires_note or move one of them", "later-phase-prerequisite")


def _unused_nodes(c: ProtocolContext) -> Iterator[Problem]:
    p = c.protocol
    phases = {a.phase for a in p.actions}
    roles = {r for a in p.actions for r in (a.lead, *a.support)}
    hazards = {h for a in p.actions for h in a.hazards}
    for i, phase in enumerate(p.phases):
        if phase.id not in phases:
            yield c.at(("phases", i), f"phase {phase.id!r} has no actions",
                       "phase-without-actions")
    for i, role in enumerate(p.roles):
        if role.id not in roles:
            yield c.at(("roles", i), f"role {role.id!r} neither leads nor supports any action; "
                       "assign it or remove it", "unused-role")
    for i, hazard in enumerate(p.hazards):
        if hazard.id not in hazards:
            yield c.at(("hazards", i), f"hazard {hazard.id!r} is not used by any action",
                       "unused-hazard")


ProtocolCheck = Callable[[ProtocolContext], Iterator[Problem]]

PROTOCOL_CHECKS: tuple[tuple[str, ProtocolCheck], ...] = (
    ("unique-ids", _unique_ids),
    ("unique-indicators", _unique_indicators),
    ("shared-ids", _shared_ids),
    ("provenance-sources", _provenance_sources),
    ("maturity-levels", _maturity_levels),
    ("action-references", _action_references),
    ("action-rules", _action_rules),
    ("sendai-alignment", _sendai_alignment),
    ("cycles", _cycles),
    ("later-phase-prerequisites", _later_phase_prerequisites),
    ("unused-nodes", _unused_nodes),
)
"""The protocol check table: each function reads the context and yields problems."""


def protocol_problems(protocol: Protocol, doc: Document) -> list[Problem]:
    """Every reference, uniqueness and graph problem of a structurally valid protocol, sorted
    by position."""
    context = ProtocolContext(protocol, doc)
    return sorted(p for _, check in PROTOCOL_CHECKS for p in check(context))


# ----------------------------------------------------------------------------- profiles

@dataclass(frozen=True)
class ProfileContext:
    """What every profile check may read: action problems are located in ``actions_doc``, the
    rest in ``meta_doc`` (the same document unless the actions came from a CSV)."""

    profile: Profile
    protocol: Protocol
    actions_doc: Document
    meta_doc: Document

    def at(self, path: KeyPath, message: str | Mapping[str, str], code: ProblemCode, *,
           key: bool = False) -> Problem:
        """A problem located at ``path`` of the document it belongs to; ``message`` in
        English or by language."""
        doc = self.actions_doc if path[0] == "actions" else self.meta_doc
        return doc.problem(path, message, code, shown=display_path(doc.data, path), key=key)

    def unknown_action(self, path: KeyPath, action_id: str, *, key: bool = False) -> Problem:
        """An unknown action id, with the closest one the protocol has."""
        known = list(self.protocol.action_index)
        protocol = f"{self.protocol.id} {self.protocol.version}"
        return self.at(path, said_in_every_language(
            ("problem.unknown-action", {"action": action_id}),
            *_did_you_mean(action_id, known), ("problem.no-such-action", {"protocol": protocol})),
            "unknown-action", key=key)


def _did_you_mean(word: str, known: list[str]) -> list[tuple[str, Mapping[str, object]]]:
    """The catalogue's "did you mean" for the closest of ``known``, if one is close."""
    match = suggestion(word, known)
    return [("problem.did-you-mean", {"match": match})] if match else []


def _known_actions(c: ProfileContext) -> Iterator[Problem]:
    unknown = [a for a in c.profile.actions if a not in c.protocol.action_index]
    for action_id in unknown[:MAX_LISTED]:
        yield c.unknown_action(("actions", action_id), action_id, key=True)
    if len(unknown) > MAX_LISTED:
        yield c.at(("actions",), in_every_language(
            "problem.more-unknown-actions", n=f"{len(unknown) - MAX_LISTED:,}",
            protocol=f"{c.protocol.id} {c.protocol.version}"), "unknown-action")


def _justified_not_applicable(c: ProfileContext) -> Iterator[Problem]:
    for action_id, status in c.profile.actions.items():
        if status.level == "n/a" and status.justification is None:
            yield c.at(("actions", action_id), in_every_language(
                "problem.missing-justification"), "missing-justification")


def _exercise_dates(c: ProfileContext) -> Iterator[Problem]:
    assessed_on = c.profile.assessed_on
    for action_id, status in c.profile.actions.items():
        if status.last_exercised is not None and status.last_exercised > assessed_on:
            yield c.at(("actions", action_id, "last_exercised"), in_every_language(
                "problem.exercised-after", last=status.last_exercised, assessed=assessed_on),
                "invalid-date")


def _known_roles(c: ProfileContext) -> Iterator[Problem]:
    roles = [r.id for r in c.protocol.roles]
    for role_id in c.profile.roles:
        if role_id not in roles:
            yield c.at(("roles", role_id), said_in_every_language(
                ("problem.unknown-role", {"role": role_id}), *_did_you_mean(role_id, roles)),
                "unknown-role", key=True)


def _waived_actions(c: ProfileContext) -> Iterator[Problem]:
    for i, waiver in enumerate(c.profile.waivers):
        if waiver.action not in c.protocol.action_index:
            known = list(c.protocol.action_index)
            yield c.at(("waivers", i, "action"), said_in_every_language(
                ("problem.unknown-action", {"action": waiver.action}),
                *_did_you_mean(waiver.action, known)), "unknown-action")


def _cooperation(c: ProfileContext) -> Iterator[Problem]:
    stated = c.profile.cooperation
    if stated is None:
        return
    for kind in ("offers", "demands"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(stated, kind)):
            path = ("cooperation", kind, i, "action")
            if item.action not in c.protocol.action_index:
                yield c.unknown_action(path, item.action)
            elif item.action in seen:
                yield c.at(path, in_every_language("problem.listed-twice", action=item.action,
                                                   kind=kind), "duplicate-id")
            seen.add(item.action)
    for i, item in enumerate(stated.offers):
        status = c.profile.actions.get(item.action)
        level = status.level if status is not None else "unknown"
        if item.action in c.protocol.action_index and not (isinstance(level, int)
                                                            and level >= 3):
            key = "problem.offer-unassessed" if level == "unknown" else "problem.offer-below"
            yield c.at(("cooperation", "offers", i, "action"), in_every_language(
                key, action=item.action, level=level), "invalid-value")
    for i, item in enumerate(stated.demands):
        if item.action in {o.action for o in stated.offers}:
            yield c.at(("cooperation", "demands", i, "action"), in_every_language(
                "problem.offered-and-asked", action=item.action), "invalid-value")


ProfileCheck = Callable[[ProfileContext], Iterator[Problem]]

PROFILE_CHECKS: tuple[tuple[str, ProfileCheck], ...] = (
    ("known-actions", _known_actions),
    ("justified-not-applicable", _justified_not_applicable),
    ("exercise-dates", _exercise_dates),
    ("known-roles", _known_roles),
    ("waived-actions", _waived_actions),
    ("cooperation", _cooperation),
)
"""The profile check table: each function reads the context and yields problems."""


def _protocol_version(c: ProfileContext) -> Iterator[Problem]:
    """A profile that names its protocol must name this one, at this version."""
    named, protocol = c.profile.protocol, c.protocol
    if named is None:
        return
    if named.id != protocol.id:
        yield c.at(("protocol", "id"), in_every_language(
            "problem.other-protocol", named=named.id, protocol=protocol.id), "other-protocol")
    elif named.version != protocol.version:
        source = c.meta_doc.source
        csv = c.actions_doc is not c.meta_doc or source.lower().endswith(".meta.yaml")
        yield c.at(("protocol", "version"), in_every_language(
            f"problem.other-version.{'csv' if csv else 'migrate'}", named=named.id,
            version=named.version, current=protocol.version, source=source),
            "other-protocol-version")


def profile_problems(profile: Profile, protocol: Protocol, actions_doc: Document,
                     meta_doc: Document) -> list[Problem]:
    """Every problem of ``profile`` against ``protocol``, sorted by position. A profile of
    another protocol or version gets that problem alone: its ids mean something else."""
    context = ProfileContext(profile, protocol, actions_doc, meta_doc)
    other = list(_protocol_version(context))
    if other:
        return other
    return sorted(p for _, check in PROFILE_CHECKS for p in check(context))


def may_hold_controls(text: str) -> bool:
    """Whether a document read from ``text`` can hold a control character: not when the
    text has none and no escape sequence (``"\\e"`` in YAML, ``"\\u001b"`` in JSON)."""
    return "\\" in text or CONTROL_CHARACTERS.search(text) is not None


def control_characters(doc: Document) -> list[Problem]:
    """A ``control-character`` problem (issued as a warning) for each text value of ``doc``
    that holds one; reports escape them, but they are almost always a copy-and-paste slip."""
    found: list[Problem] = []
    todo: list[tuple[KeyPath, object]] = [((), doc.data)]
    while todo and len(found) < MAX_LISTED:
        path, value = todo.pop()
        if isinstance(value, str):
            match = CONTROL_CHARACTERS.search(value)
            if match is not None:
                found.append(doc.problem(path, f"holds the control character "
                                         f"{escaped(match.group())}; reports show it escaped: "
                                         "remove it", "control-character",
                                         shown=display_path(doc.data, path)))
        elif isinstance(value, dict):
            todo += [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            todo += [((*path, i), item) for i, item in enumerate(value)]
    return sorted(found)
