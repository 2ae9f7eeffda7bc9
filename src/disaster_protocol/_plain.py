"""The plain reader: data straight from the YAML parser's events, for files that need no care.

No node tree is built (it weighs about twenty times the text) and no position is noted. What
is out of the ordinary raises :class:`_NeedsCareError`, and the careful, position-recording
reader of :mod:`._reading` decides: both make the same data.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

__all__ = ["MAX_DEPTH", "paused_gc"]

MAX_DEPTH = 64
"""Deepest nesting of collections accepted."""


class TooManyValuesError(Exception):
    """The document holds more values (scalars and collections) than its budget allows.

    Raised while reading, at the first value over the budget, so a huge document costs no
    more than its budget to refuse. ``line`` and ``column`` (1-based) are where it was met.
    """

    def __init__(self, limit: int, line: int, column: int) -> None:
        super().__init__(limit, line, column)
        self.limit, self.line, self.column = limit, line, column


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_SCALAR_TAGS: dict[str, Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], object]] = {
    tag: fn
    for tag, fn in yaml.constructor.SafeConstructor.yaml_constructors.items()
    if tag is not None and tag not in (_SEQ_TAG, _MAP_TAG, "tag:yaml.org,2002:omap",
                                       "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set")
}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large input is read.

    Reading builds many objects and no cycles, so the collector's passes are wasted work (they
    cost more than the reading itself on large files). Its state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _NeedsCareError(Exception):
    """The plain reader met something only the careful reader may decide on."""


_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = (
    yaml.resolver.Resolver().resolve)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_NOTHING = object()
_VALUE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                 yaml.AliasEvent)


def count_values(text: str, limit: int) -> None:
    """Read ``text``'s events up to ``limit`` values, raising :class:`TooManyValuesError`
    past it; syntax errors are left to the reader that follows."""
    loader = _Loader(text)
    seen = 0
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent:
                return
            if kind in _VALUE_EVENTS:
                seen += 1
                if seen > limit:
                    raise TooManyValuesError(limit, *_position(event))
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def _read_plain(text: str, max_values: int) -> object:
    """Build the data of a plain document straight from the parser's events.

    No node tree is kept (it weighs about twenty times the text) and no position is noted.
    Anything out of the ordinary (an anchor or alias, an explicit tag, a key given twice, a
    key that is not a scalar, deep nesting, several documents, a value that does not read)
    raises :class:`_NeedsCareError`, and the careful reader decides. The data is the same as
    the careful reader's. More than ``max_values`` values raise :class:`TooManyValuesError`.
    """
    loader = _Loader(text)
    try:
        return _PlainBuilder(max_values).run(loader.get_event)
    finally:
        loader.dispose()


class _PlainBuilder:
    """Data from events: a stack of open collections, and for each the key awaiting a value."""

    def __init__(self, max_values: int) -> None:
        self.limit = self.budget = max_values
        self.stack: list[list[object] | dict[str, object]] = []
        self.keys: list[str | None] = []
        self.root: object = _NOTHING
        self.documents = 0

    def run(self, next_event: Callable[[], yaml.Event]) -> object:
        handlers: dict[type[yaml.Event], Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar, yaml.MappingStartEvent: self._start,
            yaml.SequenceStartEvent: self._start, yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end, yaml.DocumentStartEvent: self._document,
            yaml.StreamStartEvent: _ignore, yaml.DocumentEndEvent: _ignore}
        while True:
            event = next_event()
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif type(event) is yaml.StreamEndEvent and self.root is not _NOTHING:
                return self.root
            else:  # an alias, or an empty file: the careful reader decides
                raise _NeedsCareError

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _NeedsCareError

    def _over(self, event: yaml.NodeEvent) -> TooManyValuesError:
        return TooManyValuesError(self.limit, *_position(event))

    def _start(self, event: yaml.CollectionStartEvent) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise self._over(event)
        if event.anchor is not None or (event.tag is not None and event.tag != "!") \
                or len(self.stack) >= MAX_DEPTH:
            raise _NeedsCareError
        self.stack.append({} if type(event) is yaml.MappingStartEvent else [])
        self.keys.append(None)

    def _end(self, event: yaml.CollectionEndEvent) -> None:
        self.keys.pop()
        self._place(self.stack.pop())

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise self._over(event)
        stack, keys = self.stack, self.keys
        if stack and keys[-1] is None and isinstance(stack[-1], dict):
            name = str(event.value)  # a key: kept as written, like the careful reader does
            if name in stack[-1] or event.anchor is not None or event.tag not in (None, "!"):
                raise _NeedsCareError  # the careful reader names both lines
            keys[-1] = name
        else:
            self._place(_plain_scalar(event))

    def _place(self, value: object) -> None:
        stack = self.stack
        if not stack:
            self.root = value
            return
        parent = stack[-1]
        if isinstance(parent, list):
            parent.append(value)
        elif self.keys[-1] is None:
            raise _NeedsCareError  # a key that is not plain text
        else:
            parent[self.keys[-1]] = value
            self.keys[-1] = None


def _position(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _ignore(event: yaml.Event) -> None:
    pass


def _plain_scalar(event: yaml.ScalarEvent) -> object:
    if event.anchor is not None or (event.tag is not None and event.tag != "!"):
        raise _NeedsCareError
    tag = _resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR_TAG:
        return event.value
    construct = _SCALAR_TAGS.get(tag)
    if construct is None:
        raise _NeedsCareError
    node = yaml.ScalarNode(tag, event.value, None, None, event.style)
    try:
        return construct(_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError):
        raise _NeedsCareError from None
