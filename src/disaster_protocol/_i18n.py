"""Every word and sentence a person reads, in every language the package has, in one catalogue.

Values carry ids and parameters (a finding is a ``kind`` plus ``params``); renderers turn them
into sentences here. An entry's id is stable; its sentence may improve. Parameters that are
themselves multilingual (anything with a ``get(lang)`` method, such as
:class:`~disaster_protocol.model.Text`) are rendered in the requested language.

A language is data: one file ``_locale/<lang>.json`` per language, compiled by
``scripts/i18n.py compile`` from the gettext PO files of ``locale/`` (docs/languages.md). The
languages are the files present; Spanish is the source every other language translates. Each
file holds the catalogue's messages and, for languages other than Spanish and English (whose
data texts are in the YAML files themselves), the texts of the bundled protocol, crosswalks and
migrations, keyed as ``<file-stem>:<path>`` with the Spanish each one translates.

Examples
--------
>>> text("score", "en")
'Score'
>>> text("score", "pt")
'Pontuação'
>>> text("finding.unassessed-action", "es", action="GOV-01")
'GOV-01 no fue evaluada: no suma al puntaje ni limita otras acciones; evalúela.'
>>> check_lang("de")
Traceback (most recent call last):
...
ValueError: unknown language 'de'; choose es (español), en (English), fr (français) or pt ...
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Protocol, TypeAlias, runtime_checkable

from ._datapaths import data_paths
from .errors import TranslationWarning

__all__ = [
    "LANGS",
    "Lang",
    "Localized",
    "Term",
    "TranslationWarning",
    "check_lang",
    "data_paths",
    "fallback_of",
    "finding_key",
    "in_every_language",
    "language_name",
    "messages",
    "ntext",
    "plural_index",
    "problem_said",
    "said_in_every_language",
    "text",
    "translate_data",
    "translation_source",
]

Lang: TypeAlias = str
"""A language code, one of :data:`LANGS` (``check_lang`` says which)."""

_FOLDER = resources.files(__package__ or "disaster_protocol") / "_locale"
_SOURCES = ("es", "en")
"""The languages of the catalogue's source and of the data texts in the YAML files."""


def _discover() -> tuple[Lang, ...]:
    found = sorted(item.name[:-5] for item in _FOLDER.iterdir() if item.name.endswith(".json"))
    return (*[lang for lang in _SOURCES if lang in found],
            *[lang for lang in found if lang not in _SOURCES])


LANGS: tuple[Lang, ...] = _discover()
"""Every language the package has: Spanish and English first, then the others by code."""


@runtime_checkable
class Localized(Protocol):
    """Anything that can say itself in a language (a :class:`~disaster_protocol.Text`)."""

    def get(self, lang: Lang) -> str: ...  # pragma: no cover - a protocol


@cache
def _language(lang: Lang) -> Mapping[str, Any]:
    raw = json.loads((_FOLDER / f"{lang}.json").read_text(encoding="utf-8"))
    return MappingProxyType({**raw, "catalogue": MappingProxyType(raw["catalogue"]),
                             "data": MappingProxyType(raw["data"])})


def language_name(lang: Lang) -> str:
    """The language's own name (``"português"``), as its file gives it."""
    return str(_language(check_lang(lang))["name"])


def check_lang(lang: object) -> Lang:
    """Return ``lang`` if it is one of :data:`LANGS`.

    Raises
    ------
    ValueError
        For any other value, naming the languages there are.
    """
    if isinstance(lang, str) and lang in LANGS:
        return lang
    names = [f"{code} ({_language(code)['name']})" for code in LANGS]
    choices = " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    raise ValueError(f"unknown language {lang!r}; choose {choices}")


def fallback_of(lang: Lang) -> Lang:
    """The language a text missing ``lang`` is shown in (with a :class:`TranslationWarning`):
    Spanish for Spanish and English, else the one the language's file names."""
    if check_lang(lang) in _SOURCES:
        return "es"
    chosen = str(_language(lang)["fallback"])
    return chosen if chosen in LANGS else "en"


def messages(lang: Lang) -> Mapping[str, str]:
    """Every catalogue message ``lang`` translates, by id (read-only)."""
    catalogue: Mapping[str, str] = _language(check_lang(lang))["catalogue"]
    return catalogue


def translation_source(lang: Lang, key: str) -> str | None:
    """Where the official text of a message or bundled text (``key``: a message id, or
    ``<file-stem>:<path>``) in ``lang`` is published; ``None`` for a working translation.
    Spanish and English are the sources and have none (their provenance is the protocol's own).

    Examples
    --------
    >>> translation_source("pt", "sendai_ciss:actions/GOV-01/title") is None  # working
    True
    """
    official: Mapping[str, str] = _language(check_lang(lang)).get("official", {})
    return official.get(key)


def plural_index(lang: Lang, n: int) -> int:
    """0 where ``lang`` says ``n`` things in the singular, else 1: ``n != 1`` (Spanish,
    English) or ``n > 1`` (French, Brazilian Portuguese: "0 ação"), from the file's
    ``Plural-Forms``."""
    rule = _language(check_lang(lang))["plural"]
    return int(n > 1) if rule == "n>1" else int(n != 1)


def finding_key(kind: str, params: Mapping[str, object]) -> str:
    """The catalogue id of a finding's message: ``finding.<kind>``, or the variant its
    ``variant`` parameter names."""
    variant = params.get("variant")
    return f"finding.{kind}.{variant}" if variant else f"finding.{kind}"


def _template(key: str, lang: Lang) -> str:
    catalogue = messages(lang)
    if key in catalogue:
        return catalogue[key]
    fallback = fallback_of(lang)
    if fallback == lang or key not in messages(fallback):
        raise KeyError(key)
    warnings.warn(TranslationWarning(f"message {key!r} has no {lang} text yet; shown in "
                                     f"{fallback}"), stacklevel=3)
    return messages(fallback)[key]


def text(key: str, lang: Lang, /, **params: object) -> str:
    """The catalogue entry ``key`` in ``lang``, with ``params`` filled in.

    A message the language does not translate yet is said in its fallback language with a
    :class:`TranslationWarning` (the tests allow none in the bundled languages).

    Raises
    ------
    KeyError
        If the catalogue has no entry ``key`` (a programming error: ids are stable).
    ValueError
        If ``lang`` is not one of :data:`LANGS`.
    """
    template = _template(key, lang)
    if not params:
        return template
    shown = {name: value.get(lang) if isinstance(value, Localized) else value
             for name, value in params.items()}
    return template.format_map(shown)


class Term:
    """A catalogue word used as a parameter of another message, said in that message's
    language: ``text("problem.missing-language", "pt", name=Term("language.es"), code="es")``.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def get(self, lang: Lang) -> str:
        return text(self.key, lang, **self.params)


def said_in_every_language(*parts: tuple[str, Mapping[str, object]]) -> dict[Lang, str]:
    """Messages joined, each ``(key, params)``, in every language (a problem's sentence and
    its hint)."""
    return {lang: "".join(text(key, lang, **params) for key, params in parts) for lang in LANGS}


def problem_said(*parts: tuple[str, Mapping[str, object]]) -> dict[str, Any]:
    """A problem's ``message`` (English) and ``said`` (every other language) from catalogue
    parts, to spread into :class:`~disaster_protocol.errors.Problem`."""
    said = said_in_every_language(*parts)
    return {"message": said["en"], "said": tuple((k, v) for k, v in said.items() if k != "en")}


def in_every_language(key: str, /, **params: object) -> dict[Lang, str]:
    """The entry ``key`` in every language that each multilingual parameter has (a
    user-supplied label may lack some: that language is left out, not said half in another).

    Examples
    --------
    >>> sorted(in_every_language("score"))
    ['en', 'es', 'fr', 'pt']
    """
    labels = [v for v in params.values() if isinstance(v, Localized) and not isinstance(v, Term)]
    return {lang: text(key, lang, **params) for lang in LANGS
            if all(getattr(label, lang, None) is not None for label in labels)}


def ntext(key: str, lang: Lang, n: int, /, **params: object) -> str:
    """``text`` for a sentence about ``n`` things: the entry ``<key>.one`` where the language
    says ``n`` in the singular, else ``key``; ``n`` is a parameter too.

    Examples
    --------
    >>> ntext("coop.gap", "en", 1, gap=1), ntext("coop.gap", "fr", 0, gap=0)
    ('1 level ahead', "0 niveau d'avance")
    """
    chosen = f"{key}.one" if plural_index(lang, n) == 0 else key
    return text(chosen, lang, n=n, **params)


# --- the texts of the bundled data ---------------------------------------------------------

def translate_data(data: object, name: str | None = None) -> None:
    """Add, in place, every other language's text to the ``{es, en}`` texts of a plain
    document: the bundled file ``name`` (default: the document's ``id``, which names the
    bundled protocol and crosswalks), where that language translates the same Spanish. A text
    edited since it was translated, or a file of another name, stays without, and its label
    says so when shown (:class:`~disaster_protocol.errors.TranslationWarning`)."""
    if name is None:
        name = str(data.get("id")) if isinstance(data, dict) else ""
    stem = name
    others = [(lang, _language(lang)["data"]) for lang in LANGS if lang not in _SOURCES]
    if not others:
        return
    for path, label in data_paths(data):
        key = f"{stem}:{path}"
        for lang, texts in others:
            found = texts.get(key)
            if found is not None and found[0] == label["es"] and lang not in label:
                label[lang] = found[1]
