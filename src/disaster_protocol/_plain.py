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


def _read_plain(text: str, max_values: int, max_alias_nodes: int = 0) -> object:
    """Build the data of a plain document straight from the parser's events.

    No node tree is kept (it weighs about twenty times the text) and no position is noted.
    An anchored value is kept as its events, and each alias to it is built again from them,
    charged like the careful reader charges it against ``max_alias_nodes`` (the bundled
    protocol shares one provenance this way). Anything out of the ordinary (an anchor inside
    an anchored value, an alias inside one or as a key or a merge, an alias over the budget,
    an explicit tag, a key given twice, a key that is not a scalar, deep nesting, several
    documents, a value that does not read) raises :class:`_NeedsCareError`, and the careful
    reader decides. The data is the same as the careful reader's. More than ``max_values``
    values raise :class:`TooManyValuesError`.
    """
    loader = _Loader(text)
    try:
        return _PlainBuilder(max_values, max_alias_nodes).run(loader.get_event)
    finally:
        loader.dispose()


class _PlainBuilder:
    """Data from events: a stack of open collections, and for each the key awaiting a value."""

    def __init__(self, max_values: int, max_alias_nodes: int = 0) -> None:
        self.limit = self.budget = max_values
        self.alias_budget = max_alias_nodes
        self.stack: list[list[object] | dict[str, object]] = []
        self.keys: list[str | None] = []
        self.root: object = _NOTHING
        self.documents = 0
        self.anchored: dict[str, tuple[list[yaml.Event], int]] = {}  # events, expanded size
        self.recording: tuple[str, int, list[yaml.Event]] | None = None  # name, depth, events
        self.replaying = False
        self.handlers: dict[type[yaml.Event], Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar, yaml.MappingStartEvent: self._start,
            yaml.SequenceStartEvent: self._start, yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end, yaml.DocumentStartEvent: self._document,
            yaml.StreamStartEvent: _ignore, yaml.DocumentEndEvent: _ignore}

    def run(self, next_event: Callable[[], yaml.Event]) -> object:
        handlers = self.handlers
        while True:
            event = next_event()
            handler = handlers.get(type(event))
            if handler is None:
                if type(event) is yaml.AliasEvent:
                    self._alias(event)
                    continue
                if type(event) is yaml.StreamEndEvent and self.root is not _NOTHING:
                    return self.root
                raise _NeedsCareError  # an empty file: the careful reader decides
            handler(event)
            if self.recording is not None:
                self._keep(event)

    def _open(self, event: yaml.NodeEvent) -> None:
        """An anchored value starts: keep its events, to build it again for each alias."""
        if self.replaying:
            return
        stack, keys = self.stack, self.keys
        is_key = bool(stack) and keys[-1] is None and isinstance(stack[-1], dict)
        if self.recording is not None or is_key or event.anchor in self.anchored:
            raise _NeedsCareError  # nested, on a key, or an anchor given again
        self.recording = (event.anchor or "", len(stack), [])

    def _keep(self, event: yaml.Event) -> None:
        assert self.recording is not None
        self.recording[2].append(event)
        if len(self.stack) == self.recording[1]:
            self._close()

    def _close(self) -> None:
        assert self.recording is not None
        name, _, events = self.recording
        size = sum(1 + len(e.value) // 1024 if type(e) is yaml.ScalarEvent else 1
                   for e in events if type(e) in _VALUE_EVENTS)
        self.anchored[name] = (events, size)  # sized as the careful reader sizes a node
        self.recording = None

    def _alias(self, event: yaml.AliasEvent) -> None:
        """Build the anchored value again, charged to the alias budget (values: one)."""
        stack, keys = self.stack, self.keys
        known = self.anchored.get(event.anchor or "")
        if (known is None or self.recording is not None or not stack
                or (isinstance(stack[-1], dict) and keys[-1] in (None, "<<"))):
            raise _NeedsCareError  # undefined or open, inside an anchor, a key, a merge
        events, size = known
        self.alias_budget -= size
        self.budget -= 1
        if self.alias_budget < 0 or self.budget < 0:
            raise _NeedsCareError  # the careful reader locates the refusal
        budget = self.budget
        self.replaying = True
        for e in events:
            self.handlers[type(e)](e)
        self.replaying = False
        self.budget = budget

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
        if (event.tag is not None and event.tag != "!") or len(self.stack) >= MAX_DEPTH:
            raise _NeedsCareError
        if event.anchor is not None:
            self._open(event)
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
            if event.anchor is not None:
                self._open(event)
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


_SEEN: dict[tuple[str, tuple[bool, bool]], object] = {}
"""Scalars already read, by text and implicitness: their values are immutable (text, numbers,
booleans, null, dates), and profiles repeat the same few ("level", 3, a date) endlessly."""
_MAX_SEEN = 4096


def _plain_scalar(event: yaml.ScalarEvent) -> object:
    if event.tag is not None and event.tag != "!":
        raise _NeedsCareError
    key = (event.value, event.implicit)
    value = _SEEN.get(key, _NOTHING)
    if value is not _NOTHING:
        return value
    tag = _resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR_TAG:
        value = event.value
    else:
        construct = _SCALAR_TAGS.get(tag)
        if construct is None:
            raise _NeedsCareError
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            value = construct(_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError):
            raise _NeedsCareError from None
    if len(_SEEN) >= _MAX_SEEN:
        _SEEN.clear()  # bounded: a file of distinct values gains nothing and keeps nothing
    if len(event.value) <= 64:
        _SEEN[key] = value
    return value
