"""Load and validate protocol files in stages.

1. **read**: size limit, text check; **parse**: safe YAML with a side table of positions;
2. **version**: ``schema_version`` is read first, before anything else;
3. **structure**: the pydantic models (every unknown key, missing field and wrong type);
4. **semantics**: duplicate ids, unknown references, cycles, Sendai codes, unused nodes.

Each stage collects every problem it finds and raises them together in one
:class:`~disaster_protocol.errors.ProtocolError`; later stages do not run after a failing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path as FsPath

import networkx as nx
from pydantic import ValidationError

from . import _yaml
from ._validation import check_version, problems_from_validation, suggest
from ._yaml import Document, Path, display_path
from .errors import Problem, ProtocolError
from .model import Protocol, Provenance

__all__ = ["bundled_protocol_path", "load_protocol", "loads_protocol"]

_BUNDLED_NAME = "sendai_ciss.yaml"

_At = Callable[[Path, str, str], Problem]


def bundled_protocol_path() -> FsPath:
    """Path of the bundled CISS/Sendai protocol file.

    Installed packages carry it as package data; a source checkout reads it from
    ``protocols/`` at the repository root.
    """
    packaged = resources.files("disaster_protocol") / "_data" / _BUNDLED_NAME
    if packaged.is_file():
        return FsPath(str(packaged))
    return FsPath(__file__).resolve().parents[2] / "protocols" / _BUNDLED_NAME


def load_protocol(path: str | FsPath | None = None, *,
                  max_bytes: int = _yaml.DEFAULT_MAX_BYTES) -> Protocol:
    """Load and fully validate a protocol file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file. ``None`` loads the bundled CISS Disaster Protocol.
    max_bytes : int
        Refuse files larger than this (default 5 MB).

    Returns
    -------
    Protocol
        The validated, frozen protocol.

    Raises
    ------
    ProtocolError
        Listing every problem of the first failing stage, each with file:line:column.

    Examples
    --------
    >>> protocol = load_protocol()
    >>> protocol.id
    'sendai_ciss'
    """
    target = bundled_protocol_path() if path is None else FsPath(path)
    shown = str(path) if path is not None else _display_bundled(target)
    text = _yaml.read_text(target, error=ProtocolError, max_bytes=max_bytes)
    return loads_protocol(text, source=shown)


def loads_protocol(text: str, *, source: str = "<string>") -> Protocol:
    """Validate a protocol given as YAML text.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Name used in error messages.

    Raises
    ------
    ProtocolError
        As :func:`load_protocol`.

    Examples
    --------
    >>> loads_protocol("schema_version: 2\\n", source="p.yaml")
    Traceback (most recent call last):
    ...
    disaster_protocol.errors.ProtocolError: p.yaml:1:17: schema_version: version 2 is newer ...
    """
    if len(text.encode("utf-8")) > _yaml.DEFAULT_MAX_BYTES:
        raise ProtocolError([Problem(source, 0, 0, "", "text is larger than the "
                                     f"{_yaml.DEFAULT_MAX_BYTES:,} byte limit",
                                     "file-too-large")])
    doc = _yaml.parse_text(text, source, error=ProtocolError)
    check_version(doc, ProtocolError, "protocol")
    try:
        protocol = Protocol.model_validate(doc.data)
    except ValidationError as exc:
        raise ProtocolError(problems_from_validation(exc, doc, Protocol)) from None
    problems = sorted(_semantic_problems(protocol, doc))
    if problems:
        raise ProtocolError(problems)
    return protocol


def _display_bundled(target: FsPath) -> str:
    try:
        return str(target.relative_to(FsPath.cwd()))
    except ValueError:
        return str(target)


def _semantic_problems(p: Protocol, doc: Document) -> Iterator[Problem]:
    """Every reference, uniqueness and graph problem of a structurally valid protocol."""

    def at(path: Path, message: str, code: str) -> Problem:
        return doc.problem(path, message, code, shown=display_path(doc.data, path))

    groups: list[tuple[str, Iterable[str]]] = [
        ("sources", (s.id for s in p.sources)),
        ("hazards", (h.id for h in p.hazards)),
        ("phases", (x.id for x in p.phases)),
        ("roles", (r.id for r in p.roles)),
        ("actions", (a.id for a in p.actions)),
        ("sendai.priorities", (x.id for x in p.sendai.priorities)),
        ("sendai.targets", (t.id for t in p.sendai.targets)),
        ("sendai.principles", (x.id for x in p.sendai.principles)),
    ]
    for name, ids in groups:
        yield from _duplicates(name, list(ids), doc, at)
    yield from _duplicates("maturity_levels", [str(m.level) for m in p.maturity_levels], doc,
                           at, key="level")
    yield from _duplicates_flat(
        "sendai.targets", [(ti, ii, ind.id) for ti, t in enumerate(p.sendai.targets)
                           for ii, ind in enumerate(t.indicators)], at)

    yield from _shared_ids(p, doc, at)
    sources = {s.id for s in p.sources}
    hazards = {h.id for h in p.hazards}
    phases = {x.id for x in p.phases}
    roles = {r.id for r in p.roles}
    actions = {a.id for a in p.actions}
    priorities = {x.id: x for x in p.sendai.priorities}
    targets = {t.id for t in p.sendai.targets}
    indicators = {i.id: t.id for t in p.sendai.targets for i in t.indicators}
    principles = {x.id for x in p.sendai.principles}
    paragraphs = {f"{x.paragraph}({a.letter})": x.id for x in p.sendai.priorities
                  for a in x.activities}

    def ref(path: Path, value: str, pool: Iterable[str], what: str,
            code: str = "unknown-reference") -> Iterator[Problem]:
        known = set(pool)
        if value not in known:
            yield at(path, f"unknown {what} {value!r}{suggest(value, sorted(known))}", code)

    def sourced(path: Path, cited: Iterable[str]) -> Iterator[Problem]:
        for i, sid in enumerate(cited):
            yield from ref((*path, "sources", i), sid, sources, "source")

    for path, provenance in _provenances(p):
        yield from sourced((*path, "provenance"), provenance.sources)
    if p.maturity_levels and sorted(m.level for m in p.maturity_levels) != list(
            range(len(p.maturity_levels))):
        yield at(("maturity_levels",), "maturity levels must run 0, 1, 2, ... without gaps",
                 "invalid-value")

    used_roles: set[str] = set()
    used_hazards: set[str] = set()
    used_phases: set[str] = set()
    for i, a in enumerate(p.actions):
        base: Path = ("actions", i)
        used_phases.add(a.phase)
        used_roles.update((a.lead, *a.support))
        used_hazards.update(a.hazards)
        yield from ref((*base, "phase"), a.phase, phases, "phase")
        yield from ref((*base, "lead"), a.lead, roles, "role")
        for j, role in enumerate(a.support):
            yield from ref((*base, "support", j), role, roles, "role")
            if role == a.lead:
                yield at((*base, "support", j), f"role {role!r} is already the lead; remove it "
                         "from support", "invalid-value")
        for j, req in enumerate(a.requires):
            yield from ref((*base, "requires", j), req, actions, "action")
            if req == a.id:
                yield at((*base, "requires", j), "an action cannot require itself", "cycle")
        for j, haz in enumerate(a.hazards):
            yield from ref((*base, "hazards", j), haz, hazards, "hazard")
        if a.critical and a.critical_reason is None:
            yield at(base, "a critical action must say why in critical_reason", "missing-field")
        s, sp = a.sendai, (*base, "sendai")
        if s.priority is None:
            yield at(sp, "action has no Sendai priority; add sendai.priority", "missing-priority")
        else:
            yield from ref((*sp, "priority"), s.priority, priorities, "Sendai priority",
                           "unknown-sendai-code")
        for j, para in enumerate(s.paragraph):
            yield from ref((*sp, "paragraph", j), para, paragraphs,
                           "Sendai key activity paragraph", "unknown-sendai-code")
        for j, tgt in enumerate(s.targets):
            yield from ref((*sp, "targets", j), tgt, targets, "Sendai target",
                           "unknown-sendai-code")
        for j, ind in enumerate(s.indicators):
            yield from ref((*sp, "indicators", j), ind, indicators, "Sendai indicator",
                           "unknown-sendai-code")
            if ind in indicators and indicators[ind] not in s.targets:
                yield at((*sp, "indicators", j), f"indicator {ind!r} belongs to target "
                         f"{indicators[ind]!r}, which is not in sendai.targets", "invalid-value")
        for j, pr in enumerate(s.principles):
            yield from ref((*sp, "principles", j), pr, principles, "Sendai guiding principle",
                           "unknown-sendai-code")

    yield from _order_problems(p, doc, at)
    for i, ph in enumerate(p.phases):
        if ph.id not in used_phases:
            yield at(("phases", i), f"phase {ph.id!r} has no actions", "phase-without-actions")
    for i, role_node in enumerate(p.roles):
        if role_node.id not in used_roles:
            yield at(("roles", i), f"role {role_node.id!r} neither leads nor supports any action; "
                     "assign it or remove it", "unused-role")
    for i, hazard_node in enumerate(p.hazards):
        if hazard_node.id not in used_hazards:
            yield at(("hazards", i), f"hazard {hazard_node.id!r} is not used by any action",
                     "unused-hazard")


def _shared_ids(p: Protocol, doc: Document, at: _At) -> Iterator[Problem]:
    """Ids become graph node keys, so one id may not name two kinds of thing."""
    owners: dict[str, tuple[str, Path]] = {}
    kinds: list[tuple[str, Path, list[str]]] = [
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
    for kind, base, ids in kinds:
        for i, ident in enumerate(ids):
            path = (*base, i, "id")
            owner_kind, first = owners.setdefault(ident, (kind, path))
            if owner_kind != kind:
                yield at(path, f"id {ident!r} of this {kind} is already used by "
                         f"{'an' if owner_kind[0] in 'aeiou' else 'a'} {owner_kind} "
                         f"on line {doc.where(first)[0]}; ids must be unique across phases, "
                         "roles, hazards, actions and Sendai codes", "duplicate-id")


def _provenances(p: Protocol) -> Iterator[tuple[Path, Provenance]]:
    """Every node that carries a provenance record, with its path."""
    for i, phase in enumerate(p.phases):
        yield ("phases", i), phase.provenance
    for i, role in enumerate(p.roles):
        yield ("roles", i), role.provenance
    for i, action in enumerate(p.actions):
        yield ("actions", i), action.provenance
    for i, prio in enumerate(p.sendai.priorities):
        yield ("sendai", "priorities", i), prio.provenance
        for j, activity in enumerate(prio.activities):
            yield ("sendai", "priorities", i, "activities", j), activity.provenance
    for i, target in enumerate(p.sendai.targets):
        yield ("sendai", "targets", i), target.provenance
        for j, indicator in enumerate(target.indicators):
            yield ("sendai", "targets", i, "indicators", j), indicator.provenance
    for i, principle in enumerate(p.sendai.principles):
        yield ("sendai", "principles", i), principle.provenance


def _order_problems(p: Protocol, doc: Document, at: _At) -> Iterator[Problem]:
    """Cycles in ``requires`` and prerequisites placed in a later phase without a note."""
    index = {a.id: i for i, a in enumerate(p.actions)}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(index)
    for a in p.actions:
        graph.add_edges_from((req, a.id) for req in a.requires if req in index and req != a.id)
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        start = min(component, key=index.__getitem__)
        cycle = nx.find_cycle(graph.subgraph(component), source=start)
        names = [edge[0] for edge in cycle] + [cycle[0][0]]
        # Edges run prerequisite -> dependant; print the chain of "requires" instead.
        chain = " -> ".join(reversed(names))
        yield at(("actions", index[names[0]], "requires"),
                 f"prerequisites form a cycle: {chain}; break one link", "cycle")
    order = p.phase_order
    for i, a in enumerate(p.actions):
        if a.phase not in order or a.requires_note is not None:
            continue
        for j, req in enumerate(a.requires):
            other = p.action_index.get(req)
            if other is not None and order.get(other.phase, -1) > order[a.phase]:
                yield at(("actions", i, "requires", j),
                         f"prerequisite {req!r} is in the later phase {other.phase!r}; "
                         "say why in requires_note or move one of them", "later-phase-prerequisite")


def _duplicates(name: str, ids: list[str], doc: Document, at: _At,
                key: str = "id") -> Iterator[Problem]:
    seen: dict[str, int] = {}
    base: Path = tuple(name.split("."))
    for i, ident in enumerate(ids):
        if ident in seen:
            first = doc.where((*base, seen[ident], key))[0]
            yield at((*base, i, key), f"duplicate {key} {ident!r} (first defined on line "
                     f"{first}); each {key} must be unique", "duplicate-id")
        else:
            seen[ident] = i


def _duplicates_flat(name: str, items: list[tuple[int, int, str]], at: _At) -> Iterator[Problem]:
    seen: set[str] = set()
    base: Path = tuple(name.split("."))
    for ti, ii, ident in items:
        if ident in seen:
            yield at((*base, ti, "indicators", ii, "id"), f"duplicate indicator id {ident!r}; "
                     "ids must be unique", "duplicate-id")
        seen.add(ident)
