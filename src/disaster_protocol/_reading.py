"""Safe YAML reading with a side table of positions.

A plain document is read first by :mod:`._plain`, straight from the parser's events. A document
with a problem, or anything unusual, is composed into a node tree by PyYAML's safe composer (the
C one when present) and built into plain Python data here, so that:

* every value's line and column is recorded in a side table keyed by its path, never injected
  into the data;
* a key given twice is an error naming both lines;
* aliases are expanded under a budget, so a "billion laughs" file is refused before it is built;
* only the safe YAML tags are accepted, and mapping keys are always text.

Nothing here knows what a protocol or a profile is.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path as FsPath

import yaml

from ._i18n import problem_said
from ._plain import (
    _MAP_TAG,
    _SCALAR_TAGS,
    _SEQ_TAG,
    _STR_TAG,
    MAX_DEPTH,
    TooManyValuesError,
    _Loader,
    _NeedsCareError,
    _read_plain,
    count_values,
    paused_gc,
)
from .errors import MAX_LISTED, DisasterProtocolError, Problem, ProblemCode

__all__ = [
    "DEFAULT_MAX_ALIAS_NODES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_VALUES",
    "Document",
    "KeyPath",
    "display_path",
    "parse_json",
    "parse_text",
    "read_text",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Largest input file accepted, in bytes (5 MB)."""

DEFAULT_MAX_VALUES = 1_000_000
"""Most values (scalars and collections, as written) a document may hold. Reading stops at the
first one over it, so a file full of tiny values is refused at the cost of its budget; loaders
of small documents (profiles) pass a smaller budget."""

DEFAULT_MAX_ALIAS_NODES = 10_000
"""Most nodes that alias expansion may add to a document."""

KeyPath = tuple[str | int, ...]
"""A location inside a document: mapping keys and sequence indexes from the root."""



Located = tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]], dict[KeyPath, str]]
"""Positions of values, positions of keys, and the source text of unquoted non-text scalars."""


class Document:
    """Plain data read from one text, with the positions of its parts.

    Positions are only needed to report a problem, so a document read from YAML finds them on
    first use, by reading its text again with the position-recording builder: a good file pays
    for the data alone.

    Attributes
    ----------
    data : object
        The document as dicts, lists and scalars.
    source : str
        The name used in messages (usually the file path as given).
    positions : dict
        KeyPath -> (line, column) of each value, 1-based.
    key_positions : dict
        KeyPath -> (line, column) of the key that introduces the value at that path.
    plain_scalars : dict
        KeyPath -> the original text of each unquoted scalar that YAML read as something other
        than text (``no`` -> False, ``1.0`` -> 1.0), for "quote it" hints.
    """

    def __init__(self, data: object, source: str,
                 located: Located | Callable[[], Located] | None = None) -> None:
        self.data = data
        self.source = source
        self._located = located if located is not None else ({(): (0, 0)}, {}, {})

    def with_data(self, data: object) -> Document:
        """The same document and positions with other data at the same paths."""
        return Document(data, self.source, self._located)

    @cached_property
    def _positions(self) -> Located:
        located = self._located
        return located() if callable(located) else located

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        return self._positions[0]

    @property
    def key_positions(self) -> dict[KeyPath, tuple[int, int]]:
        return self._positions[1]

    @property
    def plain_scalars(self) -> dict[KeyPath, str]:
        return self._positions[2]

    def where(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Return the position of ``path``, or of its nearest ancestor that has one.

        With ``key=True`` the position of the mapping key is preferred over its value's.
        """
        probe = tuple(path)
        if key and probe in self.key_positions:
            return self.key_positions[probe]
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: KeyPath, message: str | Mapping[str, str], code: ProblemCode, *,
                shown: str | None = None, key: bool = False) -> Problem:
        """Build a :class:`Problem` located at ``path`` in this document; ``message`` is the
        English sentence or the sentence by language (``en`` among them)."""
        line, column = self.where(path, key=key)
        said: tuple[tuple[str, str], ...] = ()
        if not isinstance(message, str):
            said = tuple((lang, text) for lang, text in message.items() if lang != "en")
            message = message["en"]
        return Problem(file=self.source, line=line, column=column,
                       path=shown if shown is not None else "", message=message, code=code,
                       said=said)


def read_text(path: str | FsPath, *, error: type[DisasterProtocolError],
              max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a UTF-8 text file no larger than ``max_bytes``.

    Raises
    ------
    DisasterProtocolError
        Of class ``error``, when the file is missing, unreadable, too large or not text.
    """
    name = str(path)

    def fail(key: str, code: ProblemCode, **params: object) -> DisasterProtocolError:
        return error([Problem(file=name, code=code, **problem_said((key, params)))])

    try:
        # Non-blocking, so that a FIFO is refused below instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(mode):
                raise fail("problem.not-a-file", "unreadable-file")
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise fail("problem.file-not-found", "unreadable-file") from None
    except IsADirectoryError:
        raise fail("problem.is-a-directory", "unreadable-file") from None
    except OSError as exc:
        raise fail("problem.cannot-read", "unreadable-file",
                   reason=exc.strerror or exc) from None
    if len(raw) > max_bytes:
        raise fail("problem.too-large", "file-too-large", limit=f"{max_bytes:,}")
    return decode_text(raw, name, error=error)


def decode_text(raw: bytes, name: str, *, error: type[DisasterProtocolError]) -> str:
    """Decode bytes as UTF-8 text, refusing binary data with a located message."""
    if _utf16(raw):
        raise error([Problem(file=name, code="not-text", **problem_said(("problem.utf16", {})))])
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        raise error([Problem(file=name, line=line, column=column, code="not-text",
                             **problem_said(("problem.nul-byte", {})))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error([Problem(file=name, line=line, column=column, code="not-text",
                             **problem_said(("problem.not-utf8", {})))]) from None


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` looks like UTF-16: a byte-order mark, or ASCII text with a NUL byte
    beside every character."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:64]
    return len(head) >= 4 and (not any(head[0::2]) or not any(head[1::2]))


def parse_text(text: str, source: str, *, error: type[DisasterProtocolError],
               max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
               max_values: int = DEFAULT_MAX_VALUES, what: str = "document") -> Document:
    """Parse one YAML document into plain data with a side table of positions.

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        Name used in messages.
    error : type
        The :class:`DisasterProtocolError` subclass to raise.
    max_alias_nodes : int
        Most nodes alias expansion may add before the document is refused.
    max_values : int
        Most values (scalars and collections as written) the document may hold.
    what : str
        What the document is, for the message of a refusal by size ("profile").

    Raises
    ------
    DisasterProtocolError
        Of class ``error``: syntax errors, several documents, duplicate keys, unsafe tags,
        too many values, excessive alias expansion or nesting. Duplicate keys are reported
        together (the first hundred, and a count of the rest).
    """
    try:
        with paused_gc():
            data = _read_plain(text, max_values, max_alias_nodes)
    except TooManyValuesError as exc:
        raise error([_too_many(exc, source, what)]) from None
    except UnicodeEncodeError as exc:  # a lone surrogate: text no file could have held
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        raise error([Problem(file=source, line=line, column=column, message=(
            "is not valid Unicode text (a lone surrogate); give UTF-8 text"),
            code="not-text")]) from None
    except (_NeedsCareError, yaml.YAMLError):
        try:  # the node tree is built whole: count first, so its size is bounded
            count_values(text, max_values)
        except TooManyValuesError as exc:
            raise error([_too_many(exc, source, what)]) from None
        with paused_gc():
            data, located = _read_carefully(text, source, error, max_alias_nodes)
        return Document(data, source, located)
    return Document(data, source,
                    lambda: _read_carefully(text, source, error, max_alias_nodes)[1])


def _too_many(exc: TooManyValuesError, source: str, what: str) -> Problem:
    return Problem(file=source, line=exc.line, column=exc.column, code="too-many-values",
                   message=f"holds more than {exc.limit:,} values (reading stopped here); no "
                   f"{what} is this large: look for repeated or generated entries")


def _read_carefully(text: str, source: str, error: type[DisasterProtocolError],
                    max_alias_nodes: int) -> tuple[object, Located]:
    """Compose the whole node tree and build it, recording where every part is: every
    refusal (syntax, duplicate keys, tags, aliases, nesting) is located here."""
    builder = _Builder(source, error, max_alias_nodes)
    data = builder.build(_compose(text, source, error), (), 0)
    if builder.duplicates:
        shown = builder.duplicates[:MAX_LISTED]
        problems = [Problem(file=source, line=line, column=column, path=display_path(data, path),
                            message=message, code="duplicate-key")
                    for path, line, column, message in shown]
        if len(builder.duplicates) > MAX_LISTED:
            line, column = shown[-1][1:3]
            problems.append(Problem(file=source, line=line, column=column, code="duplicate-key",
                                    message=f"and {len(builder.duplicates) - len(shown):,} more "
                                    "duplicate keys; is the file generated twice over?"))
        raise error(problems)
    return data, (builder.positions, builder.key_positions, builder.plain_scalars)


def _compose(text: str, source: str, error: type[DisasterProtocolError]) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise error([Problem(file=source, line=line, column=column, code="syntax-error",
                             **problem_said(("problem.yaml-syntax",
                                             {"what": f"{what}{context}"})))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: located by offset
        line, column = _line_column(text, exc.position)
        raise error([Problem(file=source, line=line, column=column, code="syntax-error",
                             message=f"holds the character \\x{exc.character:02x}, which YAML "
                             "does not allow (a control character): remove it")]) from None
    except yaml.YAMLError as exc:
        raise error([Problem(file=source, message=f"YAML error: {exc}",
                             code="syntax-error")]) from None
    if root is None:
        raise error([Problem(file=source, line=1, column=1, code="empty-file",
                             **problem_said(("problem.empty-file", {})))])
    return root


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


_SURROGATE_ESCAPE = re.compile(r"(\\+)u[dD][89a-fA-F][0-9a-fA-F]{2}")


_YAML_REFUSES = str.maketrans({c: " " for c in range(0x7F, 0xA0)})
"""DEL and the C1 controls: JSON strings may hold them raw, YAML may not."""


def _yaml_stand_in(text: str) -> str:
    """``text`` with what JSON allows and YAML refuses (surrogate escapes, raw DEL and C1
    characters) replaced by spaces of the same length, so that every position stays put."""
    def swap(match: re.Match[str]) -> str:
        slashes = match.group(1)
        return match.group(0) if len(slashes) % 2 == 0 else slashes + "u0020"
    return _SURROGATE_ESCAPE.sub(swap, text).translate(_YAML_REFUSES)


def parse_json(text: str, source: str, *, error: type[DisasterProtocolError],
               max_values: int = DEFAULT_MAX_VALUES, what: str = "document") -> Document:
    """Parse JSON with the :mod:`json` module; take positions from the YAML reader when it
    reads the same data.

    Most JSON is also YAML, which gives line and column for every value. Where YAML 1.1 reads
    it differently (surrogate-pair escapes, ``1e5``), the JSON reading wins and problems are
    located at the file.

    Raises
    ------
    DisasterProtocolError
        Of class ``error``: JSON syntax errors (with line and column), duplicate keys,
        excessive nesting.
    """
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        mapping: dict[str, object] = {}
        for key, value in items:
            if key in mapping:
                duplicates.append(key)
            mapping[key] = value
        return mapping

    if text.startswith("\ufeff"):  # a byte-order mark: read past it, as from a file
        text = text[1:]
    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise error([Problem(file=source, line=exc.lineno, column=exc.colno,
                             message=f"JSON syntax error: {exc.msg}",
                             code="syntax-error")]) from None
    except RecursionError:
        raise error([Problem(file=source, message="JSON nested too deeply",
                             code="too-deep")]) from None
    except ValueError:  # a number longer than Python reads (4,300 digits)
        raise error([Problem(file=source, message="holds a number too long to read; write "
                             "numbers of at most a few digits", code="wrong-type")]) from None
    try:
        doc = parse_text(text, source, error=error, max_values=max_values, what=what)
    except DisasterProtocolError as exc:
        stand_in = _yaml_stand_in(text)
        if stand_in != text:  # YAML reads it once the escapes are out: positions still hold
            with contextlib.suppress(DisasterProtocolError):
                return parse_text(stand_in, source, error=error, max_values=max_values,
                                  what=what).with_data(data)
        return _json_alone(data, exc, duplicates, source, error, max_values, what)
    # Where YAML 1.1 reads a value otherwise (1e400, surrogate escapes), the JSON reading
    # wins; the positions, kept by path, still say where each part is.
    return doc if doc.data == data else doc.with_data(data)


def _json_alone(data: object, refusal: DisasterProtocolError, duplicates: list[str],
                source: str, error: type[DisasterProtocolError], max_values: int,
                what: str) -> Document:
    """JSON the YAML reader refused: its refusal stands if it is about size or duplicate
    keys (it names their lines); otherwise the JSON data stands, without positions."""
    if any(p.code in ("too-many-values", "too-deep") for p in refusal.problems):
        raise refusal  # located where the limit was met, as for YAML
    if duplicates:
        raise error([p for p in refusal.problems if p.code == "duplicate-key"] or [
            Problem(file=source, message=f"duplicate key {duplicates[0]!r}",
                    code="duplicate-key")]) from None
    if _count_data(data, max_values) > max_values:
        raise error([Problem(file=source, code="too-many-values", message=(
            f"holds more than {max_values:,} values; no {what} is this large: look for "
            "repeated or generated entries"))]) from None
    return Document(data, source)


def _count_data(data: object, limit: int) -> int:
    """Values in ``data`` (scalars and collections), counted up to just past ``limit``."""
    seen, todo = 0, [data]
    while todo and seen <= limit:
        item = todo.pop()
        seen += 1
        if isinstance(item, dict):
            todo.extend(item.values())
            seen += len(item)  # the keys
        elif isinstance(item, list):
            todo.extend(item)
    return seen


class _Builder:
    """Turns a composed node tree into data, recording positions as it goes."""

    def __init__(self, source: str, error: type[DisasterProtocolError],
                 max_alias_nodes: int) -> None:
        self.source = source
        self.error = error
        self.alias_budget = max_alias_nodes
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.key_positions: dict[KeyPath, tuple[int, int]] = {}
        self.plain_scalars: dict[KeyPath, str] = {}
        self.duplicates: list[tuple[KeyPath, int, int, str]] = []
        self._built: set[int] = set()
        self._sizes: dict[int, int] = {}
        self._constructor = yaml.constructor.SafeConstructor()

    def _fatal(self, node: yaml.Node, message: str, code: ProblemCode) -> DisasterProtocolError:
        mark = node.start_mark
        return self.error([Problem(file=self.source, line=mark.line + 1,
                                   column=mark.column + 1, message=message, code=code)])

    def _size(self, node: yaml.Node, active: set[int]) -> int:
        """Nodes under ``node`` once every alias is expanded (memoised); text counts one node
        per started kilobyte, so that repeating one long text is charged for its length."""
        key = id(node)
        if key in self._sizes:
            return self._sizes[key]
        if key in active:
            raise self._fatal(node, "an alias refers to a node that contains it "
                              "(recursive structure); remove the recursion", "alias-limit")
        active.add(key)
        total = 1
        if isinstance(node, yaml.ScalarNode):
            total += len(node.value) // 1024
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += self._size(child, active)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += self._size(k, active) + self._size(v, active)
        active.discard(key)
        self._sizes[key] = total
        return total

    def build(self, node: yaml.Node, path: KeyPath, depth: int, charged: bool = False) -> object:
        if depth > MAX_DEPTH:
            raise self._fatal(node, f"nesting deeper than {MAX_DEPTH} levels", "too-deep")
        key = id(node)
        if not charged and key in self._built:
            charged = self._charge(node)
        self._built.add(key)
        mark = node.start_mark
        self.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._fatal(node, _unsafe(node.tag), "unsafe-tag")
            return [self.build(child, (*path, i), depth + 1, charged)
                    for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self._fatal(node, _unsafe(node.tag), "unsafe-tag")
            return self._mapping(node, path, depth, charged)
        raise self._fatal(node, "unsupported YAML node", "unsafe-tag")  # pragma: no cover

    def _charge(self, node: yaml.Node) -> bool:
        """A second visit to the same node is an alias: charge its whole expansion once."""
        self.alias_budget -= self._size(node, set())
        if self.alias_budget < 0:
            raise self._fatal(node, "aliases expand to too many nodes (possible 'billion "
                              "laughs' attack); write the data out without anchors and "
                              "aliases", "alias-limit")
        return True

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> object:
        if node.tag == _STR_TAG:
            return node.value
        construct = _SCALAR_TAGS.get(node.tag)
        if construct is None:
            raise self._fatal(node, _unsafe(node.tag), "unsafe-tag")
        try:
            value = construct(self._constructor, node)
        except Exception:  # PyYAML's constructors raise whatever a bad value makes them
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            kind = node.tag.rsplit(":", 1)[-1]
            raise self._fatal(node, f"cannot read {shown!r} as {kind}; write the value "
                              "plainly (quote it if it is text)", "wrong-type") from None
        if not node.style:  # unquoted text that YAML turned into a bool, number, date or null
            self.plain_scalars[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int,
                 charged: bool) -> dict[str, object]:
        result: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fatal(key_node, "mapping keys must be plain text", "wrong-type")
            if key_node.tag != _STR_TAG and key_node.tag not in _SCALAR_TAGS:
                raise self._fatal(key_node, _unsafe(key_node.tag), "unsafe-tag")
            name = str(key_node.value)
            child = (*path, name)
            if name in result:
                self.duplicates.append((
                    child, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    f"duplicate key {name!r} (first given on line {first_line[name]}); "
                    "keep one of them"))
                continue
            first_line[name] = key_node.start_mark.line + 1
            self.key_positions[child] = (key_node.start_mark.line + 1,
                                         key_node.start_mark.column + 1)
            result[name] = self.build(value_node, child, depth + 1, charged)
        return result


def display_path(data: object, path: KeyPath) -> str:
    """Render ``path`` for people, naming list items by their ``id`` where they have one.

    Examples
    --------
    >>> display_path({"actions": [{"id": "GOV-01", "lead": "X"}]}, ("actions", 0, "lead"))
    'actions[GOV-01].lead'
    >>> display_path({"levels": [1, 2]}, ("levels", 1))
    'levels[1]'
    """
    out = ""
    node: object = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[{ident}]" if isinstance(ident, str) and ident else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _unsafe(tag: str) -> str:
    if tag == "tag:yaml.org,2002:merge":
        return "merge keys (<<) are not supported; write the keys out"
    return f"unsupported YAML tag {tag!r}; only plain YAML data is accepted, remove the tag"
