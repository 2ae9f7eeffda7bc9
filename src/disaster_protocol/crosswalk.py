"""Crosswalks: how the protocol's phases and actions relate to another framework's structure.

Institutions work inside national systems that cut the disaster cycle differently (Peru's seven
SINAGERD processes, Colombia's three processes of Ley 1523, ...) and next to international
guidelines (the ISSA Guidelines on continuity). A crosswalk file (``protocols/crosswalks/``)
states, row by row, how one protocol node (a phase or an action) relates to one code of the
other framework: ``equal``, ``subset`` (the node is part of the code), ``superset`` (the node
holds the whole code and more), ``intersect`` or ``not-related``, with a rationale and a source.
The reverse direction is derived, never written twice.

:func:`by_framework` shows an assessment by the other framework's codes. Each related node
carries a credit (:data:`CREDIT`): a partial relationship is partial evidence, and the credits
say how partial. For each code, ``related`` is the credit-weighted mean of its nodes' scores
(how ready the mapped part is), ``credit`` the sum of the credits (how much of the code the
nodes cover, 1 or more: all of it) and ``score = related x min(1, credit)`` (the partial
credit): one equal node gives its score; a code that two subset nodes share gets their mean;
a code that one subset node touches gets half that node's score.

>>> cw = load_crosswalk("co-ley-1523")
>>> [c.code for c in cw.codes]
['CON', 'RED', 'MAN', 'PGRDEPP']
>>> [(r.node, r.relationship) for r in cw.reverse("MAN")][:2]
[('PREP', 'intersect'), ('RESP', 'superset')]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from . import _reading
from ._frozen import Frozen, Id
from ._i18n import translate_data
from ._reading import Document
from ._validation import problems_from_validation, suggest
from .assessment import Assessment
from .errors import CrosswalkError, Problem, require_type
from .loader import bundled_folder, load_protocol
from .model import Protocol, Provenance, Source, Text
from .profile import ProtocolVersion

__all__ = ["CREDIT", "REVERSE", "Code", "CodeScore", "Crosswalk", "CrosswalkError",
           "CrosswalkRow", "Framework", "FrameworkView", "Relationship", "by_framework",
           "crosswalk_names", "load_crosswalk"]

Relationship = Literal["equal", "subset", "superset", "intersect", "not-related"]

REVERSE: dict[Relationship, Relationship] = {
    "equal": "equal", "subset": "superset", "superset": "subset", "intersect": "intersect",
    "not-related": "not-related"}
"""A row read from the other side: a node that is a subset of a code makes the code a
superset of the node."""

CREDIT: dict[Relationship, float] = {
    "equal": 1.0, "superset": 1.0, "subset": 0.5, "intersect": 0.25, "not-related": 0.0}
"""How much of a code a node covers, and so how much of the node's score the code takes (a
design choice, proposed): an equal node is the code; a superset node holds the whole code (its
score also reflects what else it holds, which the rationale should say); a subset node covers
only part of the code; an intersecting node shares only some of it. Only the partial
relationships, subset and intersect, give partial credit."""


class Framework(Frozen):
    """The other framework: its name, where it applies and the texts it is taken from."""

    name: Text
    jurisdiction: str = Field(min_length=2, max_length=40)
    sources: tuple[Source, ...] = Field(min_length=1)


class Code(Frozen):
    """One element of the other framework's structure (codes and titles only)."""

    code: Id
    title: Text


class CrosswalkRow(Frozen):
    """How one protocol node (phase or action id) relates to one code of the framework."""

    node: Id
    code: Id
    relationship: Relationship
    rationale: Text
    source: Id


class Crosswalk(Frozen):
    """A whole crosswalk file."""

    schema_version: Literal[1]
    id: Id
    title: Text
    protocol: ProtocolVersion
    framework: Framework
    codes: tuple[Code, ...] = Field(min_length=1)
    rows: tuple[CrosswalkRow, ...] = Field(min_length=1)
    provenance: Provenance

    def reverse(self, code: str) -> tuple[CrosswalkRow, ...]:
        """The rows of one code, read from the code's side (relationships flipped)."""
        return tuple(r.model_copy(update={"relationship": REVERSE[r.relationship]})
                     for r in self.rows if r.code == code)

    def __repr__(self) -> str:
        return (f"Crosswalk({self.id}: {len(self.codes)} codes, {len(self.rows)} rows, "
                f"{self.protocol.id} {self.protocol.version})")

    __str__ = __repr__


def crosswalk_names(folder: Path | None = None) -> tuple[str, ...]:
    """The crosswalks shipped with the package (or held in ``folder``)."""
    where = folder or bundled_folder("crosswalks")
    return tuple(sorted(p.stem for p in where.glob("*.yaml"))) if where.is_dir() else ()


def load_crosswalk(name: str | os.PathLike[str], protocol: Protocol | None = None) -> Crosswalk:
    """Read and check a crosswalk: a bundled one by name (``"pe-sinagerd"``) or a file.

    Every node must be a phase or action of ``protocol`` (default: the bundled one), every
    code one of the file's codes, every source one of its sources, and no (node, code) pair
    may appear twice.

    Raises
    ------
    CrosswalkError
        Every problem, located at file:line:column, or the names that exist.
    """
    require_type(name, (str, os.PathLike), "name", "a crosswalk name or a file path")
    path = Path(name)
    if path.suffix.lower() not in (".yaml", ".yml"):
        known = crosswalk_names()
        if str(name) not in known:
            raise CrosswalkError([Problem(file=str(name), code="unknown-reference", message=(
                f"no crosswalk named {str(name)!r}{suggest(str(name), list(known))}; the "
                f"bundled ones are {', '.join(known) or 'none'}"))])
        path = bundled_folder("crosswalks") / f"{name}.yaml"
    text = _reading.read_text(path, error=CrosswalkError)
    doc = _reading.parse_text(text, str(name), error=CrosswalkError, what="crosswalk")
    translate_data(doc.data)
    try:
        crosswalk = Crosswalk.model_validate(doc.data)
    except ValidationError as exc:
        raise CrosswalkError(problems_from_validation(exc, doc, Crosswalk)) from None
    problems = sorted(_problems(crosswalk, protocol or load_protocol(), doc))
    if problems:
        raise CrosswalkError(problems)
    return crosswalk


def _problems(cw: Crosswalk, protocol: Protocol, doc: Document) -> Iterator[Problem]:
    if cw.protocol.id != protocol.id:
        yield doc.problem(("protocol", "id"), f"this crosswalk is for protocol "
                          f"{cw.protocol.id!r}, not {protocol.id!r}", "unknown-reference")
        return
    if cw.protocol.version != protocol.version:
        yield doc.problem(("protocol", "version"), f"this crosswalk was written for "
                          f"{cw.protocol.id} {cw.protocol.version}, and the protocol is "
                          f"{protocol.version}: check its rows against {protocol.version} "
                          "(protocols/CHANGELOG.md) and update protocol.version",
                          "other-protocol-version")
    seen_codes: set[str] = set()
    for i, c in enumerate(cw.codes):
        if c.code in seen_codes:
            yield doc.problem(("codes", i, "code"), f"duplicate code {c.code!r}",
                              "duplicate-id")
        seen_codes.add(c.code)
    yield from _row_problems(cw, protocol, doc)
    sources = [s.id for s in cw.framework.sources]
    for i, source in enumerate(cw.provenance.sources):
        if source not in sources:
            yield doc.problem(("provenance", "sources", i), f"unknown source {source!r}",
                              "unknown-reference")


def _row_problems(cw: Crosswalk, protocol: Protocol, doc: Document) -> Iterator[Problem]:
    known = {"node": [p.id for p in protocol.phases] + list(protocol.action_index),
             "code": [c.code for c in cw.codes], "source": [s.id for s in cw.framework.sources]}
    what = {"node": "protocol phase or action", "code": "code", "source": "source"}
    pairs: dict[tuple[str, str], int] = {}
    for i, row in enumerate(cw.rows):
        for key in ("node", "code", "source"):
            value = getattr(row, key)
            if value not in known[key]:
                yield doc.problem(("rows", i, key), f"unknown {what[key]} {value!r}"
                                  f"{suggest(value, known[key])}", "unknown-reference")
        first = pairs.setdefault((row.node, row.code), i)
        if first != i:
            yield doc.problem(("rows", i), f"{row.node} -> {row.code} is already stated on "
                              f"line {doc.where(('rows', first))[0]}; state each pair once",
                              "duplicate-id")


# ----------------------------------------------------------------------------- scores

@dataclass(frozen=True)
class CodeScore:
    """An assessment read at one code of the framework.

    ``related`` is the credit-weighted mean score of the related nodes, ``credit`` the sum of
    their credits (1 or more: fully covered), ``score`` the related score times ``min(1,
    credit)``; both scores are ``None`` when no related node has one. ``rows`` are the rows
    that name the code, as written (node to code)."""

    code: Code
    score: float | None
    related: float | None
    credit: float
    rows: tuple[CrosswalkRow, ...]

    @property
    def partial(self) -> bool:
        """Whether the related nodes cover the code only in part (credit below 1)."""
        return self.credit < 1.0


@dataclass(frozen=True)
class FrameworkView:
    """One assessment shown by another framework's structure."""

    crosswalk: Crosswalk
    assessment: Assessment
    codes: tuple[CodeScore, ...]


def _node_scores(assessment: Assessment) -> dict[str, float | None]:
    scores: dict[str, float | None] = dict(assessment.by_phase)
    for r in assessment.actions:
        scores[r.action] = None if r.effective is None else 100.0 * r.effective / 4
    return scores


def by_framework(assessment: Assessment, crosswalk: Crosswalk) -> FrameworkView:
    """Score each code of ``crosswalk`` from the assessment's phase and action scores, with the
    partial credit of :data:`CREDIT` (see the module's documentation)."""
    require_type(assessment, Assessment, "assessment", "an Assessment (from assess)")
    require_type(crosswalk, Crosswalk, "crosswalk", "a Crosswalk (from load_crosswalk)")
    made, meant = assessment.protocol, crosswalk.protocol
    if (made.id, made.version) != (meant.id, meant.version):
        raise ValueError(f"the assessment was made against {made.id} {made.version} and the "
                         f"crosswalk {crosswalk.id} is for {meant.id} {meant.version}; their "
                         "ids may not mean the same")
    scores = _node_scores(assessment)
    out = []
    for code in crosswalk.codes:
        rows = tuple(r for r in crosswalk.rows if r.code == code.code)
        weighted = [(CREDIT[r.relationship], scores.get(r.node)) for r in rows
                    if CREDIT[r.relationship] > 0]
        known = [(c, s) for c, s in weighted if s is not None]
        credit = sum(c for c, _ in known)
        related = sum(c * s for c, s in known) / credit if known else None
        score = None if related is None else related * min(1.0, credit)
        out.append(CodeScore(code, score, related, credit, rows))
    return FrameworkView(crosswalk, assessment, tuple(out))
