"""Turn pydantic validation errors into located, actionable problems.

Shared by the protocol and profile loaders: given the :class:`~._reading.Document` a model was
validated from, each pydantic error becomes one :class:`~.errors.Problem` with the file
position, a readable path, a message that says what to do, and a stable code.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ._i18n import Term, in_every_language, said_in_every_language
from ._reading import Document, KeyPath, display_path
from .errors import DisasterProtocolError, Problem, show_value
from .model import SCHEMA_VERSION
from .profile import EARLIEST_DATE, LATEST_DATE

__all__ = ["check_version", "problems_from_validation", "suggest"]

_EXPECTED = {"float": "float", "int": "int", "bool": "bool", "string": "str", "str": "str",
             "list": "list", "tuple": "list", "dict": "dict", "model": "dict", "date": "date"}
"""A pydantic type name -> the catalogue's ``expected.<name>``, what a value must be."""



def _unpadded(word: str) -> str:
    """``PREP-02`` and ``prep-2`` read the same: case folded, zeros before numbers dropped."""
    return re.sub(r"\d+", lambda m: m.group().lstrip("0") or "0", word).casefold()


def suggest(word: str, candidates: Sequence[str] | Iterator[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest candidate, or an empty string.

    A candidate that differs only in case or in the zeros before a number wins over every
    other; then the closest by :func:`difflib.get_close_matches`.

    Examples
    --------
    >>> suggest("RMX", ["RMU", "EOC"])
    " (did you mean 'RMU'?)"
    >>> suggest("PREP-2", ["PREP-12", "PREP-20", "PREP-02"])
    " (did you mean 'PREP-02'?)"
    >>> suggest("zzz", ["RMU"])
    ''
    """
    match = suggestion(word, candidates)
    return f" (did you mean {match!r}?)" if match else ""


def suggestion(word: str, candidates: Sequence[str] | Iterator[str]) -> str | None:
    """The candidate :func:`suggest` names, or ``None``."""
    pool = list(candidates)
    same = _unpadded(word)
    match = [c for c in pool if _unpadded(c) == same][:1]
    if not match:
        match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return match[0] if match else None


def _model_at(root: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The model class that describes the mapping found at ``path`` under ``root``."""
    current: Any = root
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            current = _item_type(current)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info is not None else None
        else:
            current = _value_type(current)
        if current is None:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` layers, keeping the first model in a union."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else args[0]
        else:
            return tp


def _item_type(tp: Any) -> Any:
    if typing.get_origin(tp) in (tuple, list):
        args = typing.get_args(tp)
        return args[0] if args else None
    return None


def _value_type(tp: Any) -> Any:
    if typing.get_origin(tp) in (dict, Mapping):
        args = typing.get_args(tp)
        return args[1] if len(args) == 2 else None
    return None


def _describe(value: object) -> Term:
    """What a value was, said in each language: ``boolean True``, ``number 3``, ``a list``."""
    if isinstance(value, bool):
        return Term("got.boolean", value=value)
    if isinstance(value, (int, float)):
        return Term("got.number", value=show_value(value))
    if isinstance(value, (dict, list)):
        return Term("got.dict" if isinstance(value, dict) else "got.list")
    if value is None:
        return Term("got.nothing")
    return Term("got.value", value=show_value(value))


def _missing(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
             shown: str) -> Problem:
    name = loc[-1] if loc else ""
    parent = _model_at(model, loc[:-1])
    if parent is not None and parent.__name__ == "Text" and name in ("es", "en"):
        return doc.problem(loc[:-1], in_every_language(
            "problem.missing-language", name=Term(f"language.{name}"), code=name),
            "missing-language", shown=shown)
    return doc.problem(loc[:-1], in_every_language("problem.missing-field", name=name),
                       "missing-field", shown=shown)


def _extra(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
           shown: str) -> Problem:
    name = str(loc[-1]) if loc else ""
    parent = _model_at(model, loc[:-1])
    allowed = sorted(parent.model_fields) if parent is not None else []
    match = suggestion(name, allowed)
    hint = (("problem.did-you-mean", {"match": match}) if match else
            ("problem.allowed-keys", {"keys": ", ".join(allowed)}) if allowed else None)
    said = said_in_every_language(("problem.unknown-key", {"name": name}), *[hint] if hint else [])
    return doc.problem(loc, said, "unknown-key", shown=shown, key=True)


def _not_text(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
              shown: str) -> Problem | None:
    if loc not in doc.plain_scalars:
        return None
    raw, value = doc.plain_scalars[loc], err.get("input")
    if isinstance(value, bool):
        return doc.problem(loc, in_every_language("problem.yaml-boolean", raw=raw, value=value),
                           "yaml-boolean", shown=shown)
    quote = f": \"{raw}\"" if len(raw) <= 60 else ""
    return doc.problem(loc, in_every_language("problem.expected-text", got=_describe(value),
                                              quote=quote),
                       "wrong-type", shown=shown)


def _literal(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
             shown: str) -> Problem:
    value = err.get("input")
    expected = str(err.get("ctx", {}).get("expected", ""))
    options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
    hint = suggest(str(value), [o for o in options if o]) if isinstance(value, str) else ""
    return doc.problem(loc, f"must be {expected} (got {_describe(value).get('en')}){hint}",
                       "invalid-value", shown=shown)


def _date_range(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
                shown: str) -> Problem | None:
    ctx = err.get("ctx", {})
    try:
        date.fromisoformat(str(ctx.get("ge", ctx.get("le"))))
    except ValueError:
        return None  # a number out of range: the generic message says it
    return doc.problem(loc, f"must be a date from {EARLIEST_DATE} to {LATEST_DATE} (got "
                       f"{err.get('input')})", "invalid-date", shown=shown)


def _too_long(err: ErrorDetails, loc: KeyPath, doc: Document, model: type[BaseModel],
              shown: str) -> Problem:
    value = err.get("input")
    limit = int(err.get("ctx", {}).get("max_length", 0))
    if isinstance(value, str):
        return doc.problem(loc, f"is {len(value):,} characters long; at most {limit:,} are "
                           "read here: shorten it", "invalid-value", shown=shown)
    count = len(value) if isinstance(value, (list, tuple)) else "too many"
    return doc.problem(loc, f"has {count:,} items; at most {limit:,} are read here: point to "
                       "an index document instead", "invalid-value", shown=shown)


_Handler = Callable[[ErrorDetails, KeyPath, Document, type[BaseModel], str], Problem | None]

_HANDLERS: dict[str, _Handler] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "string_type": _not_text,
    "str_type": _not_text,
    "literal_error": _literal,
    "greater_than_equal": _date_range,
    "less_than_equal": _date_range,
    "string_too_long": _too_long,
    "too_long": _too_long,
}
"""Pydantic error type -> a function that explains it (``None``: use the generic message)."""


def _generic(err: ErrorDetails, loc: KeyPath, doc: Document, shown: str) -> Problem:
    kind, value = err["type"], err.get("input")
    if kind.endswith(("_type", "_parsing")) and kind.split("_")[0] in _EXPECTED:
        return doc.problem(loc, in_every_language(
            "problem.must-be", expected=Term(f"expected.{_EXPECTED[kind.split('_')[0]]}"),
            got=_describe(value)), "wrong-type", shown=shown)
    message = err["msg"]
    message = message[0].lower() + message[1:] if message else kind
    return doc.problem(loc, f"{message} (got {_describe(value).get('en')})", "invalid-value",
                       shown=shown)


def problems_from_validation(exc: ValidationError, doc: Document,
                             model: type[BaseModel]) -> list[Problem]:
    """Convert every error of ``exc`` (validating ``model`` from ``doc``) into a Problem."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        shown = display_path(doc.data, loc)
        handler = _HANDLERS.get(err["type"])
        problem = handler(err, loc, doc, model, shown) if handler is not None else None
        problems.append(problem or _generic(err, loc, doc, shown))
    return problems


def check_version(doc: Document, error: type[DisasterProtocolError], what: str) -> None:
    """Check ``schema_version`` before anything else, so newer files fail clearly.

    Raises
    ------
    DisasterProtocolError
        Of class ``error`` when the document is not a mapping, has no ``schema_version``, or
        has one this package does not read (a newer one says to upgrade).
    """
    data = doc.data
    if not isinstance(data, dict):
        raise error([doc.problem((), f"a {what} must be a mapping of keys to values "
                                 f"(got {type(data).__name__})", "wrong-type")])
    if "schema_version" not in data:
        raise error([doc.problem((), in_every_language(
            "problem.schema-version-missing", version=SCHEMA_VERSION), "missing-field",
            shown="schema_version")])
    version = data["schema_version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        key = "problem.schema-version-newer"
    elif version != SCHEMA_VERSION or type(version) is not int:
        key = "problem.schema-version-unsupported"
    else:
        return
    message = in_every_language(key, got=show_value(version), version=SCHEMA_VERSION)
    raise error([doc.problem(("schema_version",), message, "unsupported-schema-version",
                             shown="schema_version")])
