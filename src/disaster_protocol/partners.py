"""Partners: organisations outside the membership that can support protocol actions.

A cooperation round matches members' demands to other members' offers. Some demands no member
can meet; a partners file names organisations beyond the membership (PAHO, the ILO, the ISSA,
national cooperation agencies, universities...) with the protocol actions each can support, so
that the plan can propose them for those demands (triangular cooperation). The file is checked
like every input: every problem located at ``file:line:column`` and raised together in one
:class:`~disaster_protocol.errors.PartnersError` (docs/partners.md).

>>> partners = load_partners("examples/region/partners.yaml")
>>> [p.id for p in partners.partners]
['paho', 'ilo', 'issa', 'jica']
>>> [p.id for p in partners_for(partners, ["KNOW-06"])["KNOW-06"]]
['paho']
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError

from . import _reading
from ._checks import control_characters, may_hold_controls
from ._frozen import Frozen, Id
from ._i18n import in_every_language, problem_said
from ._reading import Document, KeyPath, display_path
from ._validation import check_version, problems_from_validation, said_suggesting
from .errors import MAX_LISTED, InputWarning, PartnersError, Problem, ProblemCode, require_type
from .loader import load_protocol
from .model import Protocol
from .profile import Language, Name, Prose, ProtocolVersion

__all__ = [
    "PARTNERS_MAX_VALUES",
    "PARTNER_KINDS",
    "Partner",
    "PartnerKind",
    "Partners",
    "PartnersError",
    "load_partners",
    "loads_partners",
    "partners_for",
]

PartnerKind = Literal["international-organisation", "development-agency", "academic", "other"]
"""What a partner is: an international organisation (PAHO, ILO, ISSA), a development or
cooperation agency (national or multilateral), a university or research centre, or other."""

PARTNER_KINDS: tuple[PartnerKind, ...] = ("international-organisation", "development-agency",
                                          "academic", "other")
"""The kinds of :data:`PartnerKind`, in the order above."""

PARTNERS_MAX_VALUES = 100_000
"""Most values a partners file may hold (a file of a hundred partners holds a few thousand)."""


class Partner(Frozen):
    """One organisation outside the membership and the protocol actions it can support.

    ``languages`` are those it can work in; ``subregions`` (optional) where it works, written
    as the members' profiles write ``institution.subregion``; ``source`` (optional) where that
    support is documented, a reference a reader can follow.
    """

    id: Id
    name: Name
    kind: PartnerKind
    languages: tuple[Language, ...] = Field(min_length=1)
    subregions: tuple[Name, ...] = ()
    actions: tuple[Id, ...] = Field(min_length=1)
    note: Prose | None = None
    source: Name | None = None


class Partners(Frozen):
    """A whole partners file: ``schema_version``, optionally the protocol it was written for,
    and the partners in the file's order."""

    schema_version: Literal[1]
    protocol: ProtocolVersion | None = None
    partners: tuple[Partner, ...]

    def __repr__(self) -> str:
        return f"Partners({len(self.partners)} partners: {', '.join(p.id for p in self.partners)})"

    __str__ = __repr__


def load_partners(path: str | os.PathLike[str], protocol: Protocol | None = None, *,
                  max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Partners:
    """Read and check a partners file (YAML).

    Parameters
    ----------
    path : str or Path
        The file.
    protocol : Protocol, optional
        The protocol whose action ids the partners name (default: the bundled one).
    max_bytes : int
        Refuse larger files (default 5 MB).

    Returns
    -------
    Partners
        The partners, in the file's order.

    Raises
    ------
    PartnersError
        Every problem, each at file:line:column: unknown keys, wrong types, an unknown kind or
        language, a partner without actions, a duplicate partner id, an unknown or repeated
        action id, another protocol or protocol version.
    TypeError
        If an argument is not of the documented type.

    Examples
    --------
    >>> load_partners("examples/region/partners.yaml").partners[0].name
    'Pan American Health Organization (PAHO/WHO)'
    """
    require_type(path, (str, os.PathLike), "path", "a file path (str or pathlib.Path)")
    text = _reading.read_text(Path(path), error=PartnersError, max_bytes=max_bytes)
    return _from_text(text, _protocol(protocol), str(path))


def loads_partners(text: str, protocol: Protocol | None = None, *, source: str = "<string>",
                   max_bytes: int = _reading.DEFAULT_MAX_BYTES) -> Partners:
    """Check a partners file given as YAML text (see :func:`load_partners`); ``source`` names
    it in messages, and a text over ``max_bytes`` UTF-8 bytes (default 5 MB) is refused.

    Raises
    ------
    PartnersError
        As :func:`load_partners`.
    TypeError
        If ``text`` is not a string or ``protocol`` not a Protocol.

    Examples
    --------
    >>> loads_partners("schema_version: 1\\npartners:\\n- {id: ilo, name: ILO, "
    ...                "kind: international-organisation, languages: [en], actions: [GOV-1]}\\n",
    ...                source="partners.yaml")
    Traceback (most recent call last):
    ...
    disaster_protocol.errors.PartnersError: partners.yaml:3:85: partners[ilo].actions[0]: \
unknown action 'GOV-1' (did you mean 'GOV-01'?) [unknown-action]
    """
    require_type(text, str, "text", "the partners file's YAML text (str)")
    require_type(source, str, "source", "a name for messages (str)")
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise PartnersError([Problem(file=source, code="file-too-large", **problem_said((
            "problem.text-too-large", {"limit": f"{max_bytes:,}"})))])
    return _from_text(text, _protocol(protocol), source)


def partners_for(partners: Partners, actions: Iterable[str]) -> dict[str, tuple[Partner, ...]]:
    """Which partners can support each action, in the file's order.

    Parameters
    ----------
    partners : Partners
        From :func:`load_partners`.
    actions : iterable of str
        Action ids (demands no member can meet, for example).

    Returns
    -------
    dict
        Each action of ``actions`` (in the order given, once) -> the partners that list it;
        an empty tuple where none does.

    Examples
    --------
    >>> text = '''schema_version: 1
    ... partners:
    ... - {id: a, name: A, kind: academic, languages: [es], actions: [GOV-01, PREP-07]}
    ... - {id: b, name: B, kind: other, languages: [en], actions: [PREP-07]}
    ... '''
    >>> found = partners_for(loads_partners(text), ["PREP-07", "GOV-01", "RESP-01"])
    >>> {action: [p.id for p in who] for action, who in found.items()}
    {'PREP-07': ['a', 'b'], 'GOV-01': ['a'], 'RESP-01': []}
    """
    require_type(partners, Partners, "partners", "Partners (from load_partners)")
    wanted = list(dict.fromkeys(actions))
    for action in wanted:
        require_type(action, str, "each action", "an action id (str)")
    return {action: tuple(p for p in partners.partners if action in p.actions)
            for action in wanted}


# ----------------------------------------------------------------------------- reading

def _protocol(protocol: Protocol | None) -> Protocol:
    if protocol is None:
        return load_protocol()
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    return protocol


def _from_text(text: str, protocol: Protocol, source: str) -> Partners:
    doc = _reading.parse_text(text, source, error=PartnersError, max_values=PARTNERS_MAX_VALUES,
                              what="partners file")
    check_version(doc, PartnersError, "partners file")
    try:
        value = Partners.model_validate(doc.data)
    except ValidationError as exc:
        # Every structural problem, and the meaning of the parts that were read: a person
        # fixing the file sees an unknown action in one partner beside a bad kind in another.
        named, accepted = _accepted(doc.data, exc)
        raise PartnersError(sorted([*_structure(exc, doc),
                                    *_meaning(named, accepted, protocol, doc)])) from None
    problems = sorted(_meaning(value.protocol, [_Read(i, p.id, p.actions) for i, p in
                                                enumerate(value.partners)], protocol, doc))
    if problems:
        raise PartnersError(problems)
    if may_hold_controls(text):
        for problem in control_characters(doc):
            warnings.warn(InputWarning(problem), stacklevel=3)
    return value


def _structure(exc: ValidationError, doc: Document) -> Iterator[Problem]:
    """pydantic's errors as problems (one each, in order), with a plainer word for an empty
    list of actions or languages."""
    for err, problem in zip(exc.errors(include_url=False),
                            problems_from_validation(exc, doc, Partners), strict=True):
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and len(loc) == 3 and loc[2] in ("actions", "languages"):
            key = "action" if loc[2] == "actions" else "language"
            yield _at(doc, loc, in_every_language(f"problem.partner-no-{key}"), "invalid-value")
        else:
            yield problem


def _accepted(data: object, exc: ValidationError
              ) -> tuple[ProtocolVersion | None, list[_Read]]:
    """The protocol header, and of each partner the id and actions, that passed the
    structure stage (a partner with a bad kind still has its actions checked)."""
    broken = {tuple(err["loc"][:n]) for err in exc.errors(include_url=False) for n in (1, 3)}
    if not isinstance(data, dict):
        return None, []
    named = None
    if "protocol" in data and ("protocol",) not in broken:
        named = _valid(ProtocolVersion, data["protocol"])
    items = data.get("partners")
    if not isinstance(items, list):
        return named, []
    read = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        ident, actions = item.get("id"), item.get("actions")
        read.append(_Read(
            i, ident if isinstance(ident, str) and ("partners", i, "id") not in broken else None,
            tuple(actions) if isinstance(actions, list) and all(isinstance(a, str) for a in actions)
            and ("partners", i, "actions") not in broken else ()))
    return named, read


_M = TypeVar("_M", bound=Frozen)


@dataclass(frozen=True)
class _Read:
    """What the checks of meaning read of one partner: its place, id and actions."""

    index: int
    id: str | None
    actions: tuple[str, ...]


def _valid(model: type[_M], data: object) -> _M | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _at(doc: Document, path: KeyPath, message: dict[str, str], code: ProblemCode) -> Problem:
    return doc.problem(path, message, code, shown=display_path(doc.data, path))


# ----------------------------------------------------------------------------- meaning

def _meaning(named: ProtocolVersion | None, partners: list[_Read],
             protocol: Protocol, doc: Document) -> Iterator[Problem]:
    """Every check of meaning: the protocol named, unique partner ids, known actions."""
    if named is not None and named.id != protocol.id:
        yield _at(doc, ("protocol", "id"), in_every_language(
            "problem.partners-other-protocol", named=named.id, protocol=protocol.id),
            "other-protocol")
        return  # its action ids mean nothing here
    if named is not None and named.version != protocol.version:
        yield _at(doc, ("protocol", "version"), in_every_language(
            "problem.partners-other-version", named=named.id, version=named.version,
            current=protocol.version), "other-protocol-version")
    first: dict[str, int] = {}
    unknown, beyond = 0, None
    for partner in partners:
        i = partner.index
        seen = first.setdefault(partner.id, i) if partner.id is not None else i
        if seen != i:
            yield _at(doc, ("partners", i, "id"), in_every_language(
                "problem.duplicate-partner", id=partner.id,
                line=doc.where(("partners", seen, "id"))[0]), "duplicate-id")
        for problem in _action_problems(partner, protocol, doc):
            unknown += problem.code == "unknown-action"
            if unknown <= MAX_LISTED or problem.code != "unknown-action":
                yield problem
            elif beyond is None:  # the rest are counted where they start
                beyond = problem
    if beyond is not None:
        yield Problem(file=beyond.file, line=beyond.line, column=beyond.column,
                      path=beyond.path, code="unknown-action", **problem_said((
                          "problem.more-unknown-from-here",
                          {"n": f"{unknown - MAX_LISTED:,}"})))


def _action_problems(partner: _Read, protocol: Protocol, doc: Document) -> Iterator[Problem]:
    known, i = protocol.action_index, partner.index
    listed: dict[str, int] = {}
    for j, action in enumerate(partner.actions):
        path = ("partners", i, "actions", j)
        if action not in known:
            yield _at(doc, path, said_suggesting(
                "problem.unknown-action", action, sorted(known), action=action),
                "unknown-action")
        seen = listed.setdefault(action, j)
        if seen != j:
            yield _at(doc, path, in_every_language(
                "problem.action-listed-before", action=action,
                line=doc.where(("partners", i, "actions", seen))[0]), "duplicate-id")
