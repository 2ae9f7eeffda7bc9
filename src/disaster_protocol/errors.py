"""One exception family for every broken input: :class:`DisasterProtocolError` and, by what
could not be read, :class:`ProtocolError`, :class:`ProfileError`, :class:`MigrationError`,
:class:`CrosswalkError` and :class:`PartnersError` (docs/errors.md).

Each problem carries where it is (file, line, column), the path inside the document, what is
wrong and a stable code, and prints as one compiler-style line::

    protocol.yaml:14:5: actions[PREP-07].lead: unknown role 'RMX' (did you mean 'RMU'?) \
    [unknown-reference]

(shown here on two lines; it is one).

An unready institution is a normal result, never an exception: these classes are for inputs that
cannot be read or do not follow the format. Wrong argument types given to the Python API are a
programming error and raise :class:`TypeError` (see :func:`require_type`).
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "CONTROL_CHARACTERS",
    "MAX_LISTED",
    "PROBLEM_CODES",
    "CrosswalkError",
    "DisasterProtocolError",
    "InputWarning",
    "MigrationError",
    "PartnersError",
    "Problem",
    "ProblemCode",
    "ProfileError",
    "ProtocolError",
    "TranslationWarning",
    "escaped",
    "printable",
    "require_type",
    "show_value",
]

ProblemCode = Literal[
    # reading the file
    "unreadable-file", "file-too-large", "not-text",
    # parsing
    "syntax-error", "empty-file", "duplicate-key", "alias-limit", "too-deep", "unsafe-tag",
    "too-many-values",
    # version and structure
    "unsupported-schema-version", "missing-field", "unknown-key", "wrong-type", "yaml-boolean",
    "missing-language", "invalid-value", "invalid-level",
    # meaning
    "duplicate-id", "unknown-reference", "unknown-sendai-code", "missing-priority", "cycle",
    "later-phase-prerequisite", "phase-without-actions", "unused-role", "unused-hazard",
    "unknown-action", "unknown-role", "missing-justification", "invalid-date",
    "other-protocol", "other-protocol-version", "ambiguous-date",
    # a bug in disaster-protocol met while reading one file of many
    "internal-error",
    # warnings: read, but worth a look
    "control-character", "extra-column",
]
"""Every stable reason code a :class:`Problem` can carry (documented in docs/errors.md)."""

PROBLEM_CODES: tuple[ProblemCode, ...] = get_args(ProblemCode)
"""The codes of :data:`ProblemCode`, in the order above."""

MAX_LISTED = 100
"""Most problems of one kind listed one by one (duplicate keys, unknown ids, bad rows); the rest
are counted in one more problem, so a file of a million mistakes is refused quickly."""


@dataclass(frozen=True, order=True, kw_only=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        The file as the user named it (or ``<string>``).
    line, column : int
        1-based position; 0 when the problem concerns the whole file or the input had no
        positions (a dict built in code): then only the file name is printed.
    path : str
        Where in the document, e.g. ``actions[GOV-01].lead``; empty for the whole file.
    message : str
        What is wrong and, where possible, what to do.
    code : ProblemCode
        A stable, machine-readable reason code such as ``unknown-reference``.

    Examples
    --------
    >>> str(Problem(file="p.yaml", line=3, column=5, path="actions.A1", message="bad",
    ...             code="invalid-level"))
    'p.yaml:3:5: actions.A1: bad [invalid-level]'
    """

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    message: str
    code: ProblemCode
    said: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """The message in other languages, ``(code, sentence)`` pairs (``message`` is English)."""

    def __str__(self) -> str:
        return self.line_in("en")

    def line_in(self, lang: str) -> str:
        """The problem's line with its message in ``lang`` (English where the message has no
        such translation: one built in code by a caller, for one).

        Examples
        --------
        >>> Problem(file="p.yaml", message="bad", code="invalid-level",
        ...         said=(("es", "mal"),)).line_in("es")
        'p.yaml: mal [invalid-level]'
        """
        message = dict(self.said).get(lang, self.message)
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        body = f"{self.path}: {message}" if self.path else message
        return printable(f"{where}: {body} [{self.code}]")


CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The characters no input may show raw: C0 but tab and newline, DEL, C1, and the bidirectional
marks, embeddings, overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E,
U+2066-U+2069) that make ``Caja <U+202E>LSX.exe`` display as ``Caja exe.XSL``."""


def escaped(char: str) -> str:
    r"""How a character of :data:`CONTROL_CHARACTERS` is shown: ``\xNN`` or ``\uNNNN``.

    >>> escaped("\x1b"), escaped("\u202e")
    ('\\x1b', '\\u202e')
    """
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROLS = {ord(c): escaped(c) for c in map(chr, [*range(0xA0), 0x61C, 0x200E, 0x200F,
                                                   *range(0x202A, 0x202F),
                                                   *range(0x2066, 0x206A)])
             if CONTROL_CHARACTERS.match(c)}
_CONTROLS[0x0A] = "\\n"


def printable(text: str) -> str:
    """``text`` on one line, safe on a terminal: control characters (ESC, BEL, CR, C1's CSI...)
    shown as ``\\xNN``, bidirectional controls as ``\\uNNNN`` and a newline as ``\\n``, so
    that no input can move the cursor, ring the bell, reverse the line or start a line of its
    own.

    >>> printable("a\\x1b[31mb\\nc")
    'a\\\\x1b[31mb\\\\nc'
    """
    return text.translate(_CONTROLS)


class _Bounded(reprlib.Repr):
    """``repr`` with bounded lists, mappings and text, and integers of any size."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict = 2, 4, 4, 4
        self.maxset = self.maxfrozenset = 4
        self.maxstring = self.maxother = 60

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() <= 128:  # 39 digits: shown whole
            return repr(x)
        digits = f"{abs(x):x}"  # hexadecimal has no digit limit
        sign = "-" if x < 0 else ""
        return f"{sign}0x{digits[:8]}...{digits[-4:]} ({x.bit_length():,}-bit integer)"

    def repr_instance(self, x: object, level: int) -> str:
        try:
            text = repr(x)
        except Exception:
            return f"<{type(x).__name__}>"
        return text if len(text) <= self.maxother else text[:self.maxother - 3] + "..."


_BOUNDED = _Bounded()


def show_value(value: object, limit: int = 60) -> str:
    """``value`` as a message shows it: like ``repr``, but at most about ``limit`` characters,
    integers of any size (a 3,600-digit hexadecimal YAML number), lists and mappings cut after
    a few items, and a value whose ``repr`` raises named by its type. Never raises.

    Examples
    --------
    >>> show_value(int("f" * 3600, 16))
    '0xffffffff...ffff (14,400-bit integer)'
    >>> show_value(list(range(90000)))
    '[0, 1, 2, 3, ...]'
    >>> show_value("x" * 100, limit=10)
    "'xxxxx...'"
    """
    try:
        text = _BOUNDED.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    if len(text) > limit:
        quote = text[-1] if text[-1] in "'\"" else ""
        text = text[:max(limit - 3 - len(quote), 1)] + "..." + quote
    return text


class DisasterProtocolError(Exception):
    """Base of every error raised by disaster_protocol for a broken input.

    Parameters
    ----------
    problems : iterable of Problem
        Every problem found in the failing stage; at least one.
    """

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        if not problems:
            raise ValueError("an error needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def lines_in(self, lang: str) -> str:
        """Every problem's line, in ``lang`` where its message has that language."""
        return "\n".join(p.line_in(lang) for p in self.problems)

    def __reduce__(self) -> tuple[type[DisasterProtocolError], tuple[tuple[Problem, ...]]]:
        # Errors travel back from worker processes in a batch: pickle them by their problems.
        return type(self), (self.problems,)

    @property
    def codes(self) -> tuple[ProblemCode, ...]:
        """The reason codes of all problems, in order."""
        return tuple(p.code for p in self.problems)


class ProtocolError(DisasterProtocolError):
    """A protocol file cannot be read or is not a valid protocol."""


class ProfileError(DisasterProtocolError):
    """A readiness profile cannot be read or does not match the protocol."""


class MigrationError(DisasterProtocolError):
    """A migration file is broken, or no chain of migrations leads to the asked version."""


class CrosswalkError(DisasterProtocolError):
    """A crosswalk file is broken, or does not fit the protocol it is read against."""


class PartnersError(DisasterProtocolError):
    """A partners file is broken, or names actions the protocol does not have."""


class InputWarning(UserWarning):
    """An input that was read but deserves a look (text holding control characters).

    Issued with :func:`warnings.warn`; ``problem`` says where, like an error's problems. The
    command line prints it as ``warning: <problem>`` and carries on.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class TranslationWarning(UserWarning):
    """A text shown in another language than the one asked for: a user-supplied label without
    that language, or a message a language's file does not translate yet. It names the text
    and the language it fell back to; the command line prints it as ``warning: ...``."""


def require_type(value: object, expected: type | tuple[type, ...], name: str,
                 what: str) -> None:
    """Raise a :class:`TypeError` saying what ``name`` should be, unless ``value`` is one.

    Examples
    --------
    >>> require_type("2027-01-01", int, "as_of", "a datetime.date")
    Traceback (most recent call last):
    ...
    TypeError: as_of must be a datetime.date, not str ('2027-01-01')
    """
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise TypeError(f"{name} must be {what}, not {type(value).__name__} ({shown})")
