"""The protocol as frozen, closed pydantic models.

A :class:`Protocol` is the validated form of ``protocols/sendai_ciss.yaml``: Sendai Framework
reference data, hazards, ordered phases, roles and actions. Models only describe the *shape*
of the data; whether references resolve is checked by :mod:`disaster_protocol.loader`.

Every label an institution reads is a :class:`Text` with Spanish, English and the other
languages of the package.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from ._frozen import Frozen as _Frozen
from ._frozen import Id, NonEmpty, trusted
from ._i18n import LANGS, Lang, check_lang, fallback_of, language_name
from .errors import TranslationWarning

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ._index import ProtocolIndex

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "ActionSendai",
    "Hazard",
    "Indicator",
    "KeyActivity",
    "Lang",
    "MaturityLevel",
    "Phase",
    "Principle",
    "Priority",
    "Protocol",
    "Provenance",
    "ProvenanceStatus",
    "Role",
    "Sendai",
    "Source",
    "Target",
    "Text",
    "joined_text",
]

SCHEMA_VERSION = 1
"""The file format version of protocols and profiles (independent of the package version)."""

ProvenanceStatus = Literal["verified", "derived", "proposed"]


class Text(_Frozen):
    """A label in Spanish and English (both required) and, as optional fields named by their
    codes, every other language of :data:`~disaster_protocol._i18n.LANGS` (``pt``, ``fr``).

    The bundled protocol, crosswalks and migrations carry every language (merged from the
    translations at load); a user-supplied file needs ``es`` and ``en`` and may add others.
    ``text.es`` and ``text.en`` stay as they were; every language by ``text.get(lang)``.

    Examples
    --------
    >>> Text(es="Respuesta", en="Response").get("es")
    'Respuesta'
    >>> Text.model_validate({"es": "Respuesta", "en": "Response", "fr": "Intervention"}).get("fr")
    'Intervention'
    """

    es: NonEmpty = Field(title="español")
    en: NonEmpty = Field(title="English")
    for _lang in LANGS:  # one optional field per language file present, beyond es and en
        if _lang not in ("es", "en"):
            __annotations__[_lang] = "NonEmpty | None"
            vars()[_lang] = Field(None, title=language_name(_lang))
    del _lang

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang``. A text without ``lang`` (a user-supplied label) is
        shown in the language's fallback, with a
        :class:`~disaster_protocol._i18n.TranslationWarning` naming the text.

        Raises
        ------
        ValueError
            If ``lang`` is not one of :data:`~disaster_protocol._i18n.LANGS`.
        """
        found: str | None = getattr(self, check_lang(lang))
        if found is not None:
            return found
        fallback = fallback_of(lang)
        shown: str = getattr(self, fallback)
        warnings.warn(TranslationWarning(
            f"the label {self.es!r} has no {lang} text; shown in {fallback}"), stacklevel=2)
        return shown


def joined_text(texts: Sequence[Text], separator: str) -> Text:
    """The texts joined in each language (a language some text lacks is left out).

    Examples
    --------
    >>> joined_text([Text(es="a", en="b"), Text(es="c", en="d")], "; ").en
    'b; d'
    """
    values: dict[str, str | None] = {}
    for lang in LANGS:
        parts = [getattr(t, lang) for t in texts]
        values[lang] = None if None in parts else separator.join(parts)
    return trusted(Text, values)


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
    """A Sendai priority for action, with its national/local key activities (``paragraph``,
    ``activities``) and, where actions need them, its global and regional ones
    (``regional_paragraph``, ``regional_activities``).

    ``provenance`` is the title's; ``paragraph_provenance``, where given, is that of the
    paragraph numbers, so that a title read in the official text does not vouch for paragraph
    numbers that were not (none given: the numbers share the title's provenance)."""

    id: Id
    paragraph: Annotated[int, Field(ge=1, le=9999)]
    title: Text
    activities: tuple[KeyActivity, ...]
    regional_paragraph: Annotated[int, Field(ge=1, le=9999)] | None = None
    regional_activities: tuple[KeyActivity, ...] = ()
    provenance: Provenance
    paragraph_provenance: Provenance | None = None


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


class CustomIndicator(_Frozen):
    """A nationally defined (custom) indicator, which the Sendai Framework Monitor accepts
    beside its 38 global ones: what an institution can report where no global indicator counts
    what its action changes. ``measure`` says how it is counted."""

    id: Id
    title: Text
    measure: Text
    provenance: Provenance


class Sendai(_Frozen):
    """The Sendai Framework 2015-2030 reference structure."""

    priorities: tuple[Priority, ...]
    targets: tuple[Target, ...]
    principles: tuple[Principle, ...]
    custom_indicators: tuple[CustomIndicator, ...] = ()

    def paragraph_owners(self) -> dict[str, str]:
        """The priority that owns each key-activity paragraph number, national or regional:
        ``{"24": "P1", ..., "34": "P4"}``."""
        owners = {str(p.paragraph): p.id for p in self.priorities}
        owners.update((str(p.regional_paragraph), p.id) for p in self.priorities
                      if p.regional_paragraph is not None)
        return owners


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

    ``paragraph`` lists key activities as ``"33(g)"`` (national and local, or global and
    regional); ``targets`` and ``indicators`` are global target letters and indicator codes;
    ``custom_indicators`` are ids of the protocol's nationally defined indicators;
    ``principles`` are guiding principle letters.
    """

    priority: Id | None = None
    paragraph: tuple[Annotated[str, StringConstraints(pattern=r"^\d+\([a-z]\)$")], ...] = ()
    targets: tuple[Id, ...] = ()
    indicators: tuple[Id, ...] = ()
    custom_indicators: tuple[Id, ...] = ()
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

    def __repr__(self) -> str:
        return (f"Action({self.id} {self.phase}, lead {self.lead}"
                f"{', critical' if self.critical else ''}: {self.title.en[:50]})")

    __str__ = __repr__


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

    def to_frame(self, kind: Literal["actions"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per action (needs the ``analysis`` extra; see
        :mod:`disaster_protocol.frames`)."""
        from .frames import protocol_frame

        return protocol_frame(self, kind, lang)

    def __repr__(self) -> str:
        return (f"Protocol({self.id} {self.version}: {len(self.phases)} phases, "
                f"{len(self.actions)} actions, {len(self.roles)} roles)")

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from .report.display import protocol_fragment

        return protocol_fragment(self, "es")

    @cached_property
    def action_index(self) -> Mapping[str, Action]:
        """Actions by id (read-only)."""
        return MappingProxyType({a.id: a for a in self.actions})

    @cached_property
    def role_index(self) -> Mapping[str, Role]:
        """Roles by id (read-only)."""
        return MappingProxyType({r.id: r for r in self.roles})

    @cached_property
    def phase_order(self) -> Mapping[str, int]:
        """Position of each phase id in the phase sequence (0-based; read-only)."""
        return MappingProxyType({p.id: i for i, p in enumerate(self.phases)})

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The protocol as a frozen networkx graph, built once on first use.

        See :func:`disaster_protocol.graph.build_graph` for its nodes and edges.
        """
        from .graph import build_graph  # derived from the model, built on first use

        return build_graph(self)

    @cached_property
    def index(self) -> ProtocolIndex:
        """The compiled protocol (execution order, groups, dependants), computed once."""
        from ._index import compile_index  # derived from the model, built on first use

        return compile_index(self)

    def action(self, action_id: str) -> Action:
        """Return the action with ``action_id``.

        Raises
        ------
        KeyError
            If the protocol has no such action.
        """
        return self.action_index[action_id]
