"""What every command shares: argument groups declared once, value types, output, errors."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from typing import TextIO

from .._i18n import LANGS, Lang, text
from .._output import sanitise, write_atomic
from .._validation import suggestion
from ..assessment import MIN_COVERAGE
from ..loader import load_protocol
from ..model import Protocol
from ..profile import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "ExitCode",
    "ThresholdError",
    "UsageError",
    "add_as_of",
    "add_coverage",
    "add_debug",
    "add_format",
    "add_lang",
    "add_output",
    "add_protocol",
    "add_strict",
    "check_ids",
    "emit",
    "iso_date",
    "percent",
    "positive",
    "protocol_of",
]


class ExitCode(IntEnum):
    """Process exit codes."""

    OK = 0
    """Success."""
    THRESHOLD = 1
    """A check failed a threshold the user set."""
    BAD_INPUT = 2
    """Bad input or usage."""
    INTERNAL = 3
    """An unexpected error: a bug in disaster-protocol (``--debug`` shows its traceback)."""


class UsageError(Exception):
    """A command-line value that names nothing in the protocol, or options that clash."""


class ThresholdError(Exception):
    """A threshold the user set was not met (the report was still produced)."""


# ----------------------------------------------------------------------------- argument groups

def add_debug(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--debug``, accepted before or after the command."""
    p.add_argument("--debug", action="store_true",
                   default=False if top else argparse.SUPPRESS,
                   help="re-raise errors with a traceback (for developers)")


def add_protocol(p: argparse.ArgumentParser) -> None:
    """``--protocol PATH``."""
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")


def add_lang(p: argparse.ArgumentParser, what: str = "titles") -> None:
    """``--lang``: one of the package's languages (``es``, ``en``, ``fr``, ``pt``)."""
    p.add_argument("--lang", choices=LANGS, default="es",
                   help=f"language of {what} (default: es)")


def add_output(p: argparse.ArgumentParser) -> None:
    """``-o/--output FILE``."""
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")


def add_strict(p: argparse.ArgumentParser) -> None:
    """``--strict``."""
    p.add_argument("--strict", action="store_true",
                   help="count level 3-4 claims without evidence as level 2")


def add_coverage(p: argparse.ArgumentParser, each: str = "the") -> None:
    """``--min-coverage PERCENT`` and ``--fail-under-coverage PERCENT``."""
    p.add_argument("--min-coverage", type=percent, default=100 * MIN_COVERAGE,
                   metavar="PERCENT",
                   help="mark the grade provisional below this share of the weight assessed "
                        f"(0-100, default {100 * MIN_COVERAGE:g})")
    p.add_argument("--fail-under-coverage", type=percent, metavar="PERCENT",
                   help=f"exit 1 if {each} coverage (share of the weight assessed) is below "
                        "PERCENT (0-100)")


def add_as_of(p: argparse.ArgumentParser, each: str = "the profile's") -> None:
    """``--as-of DATE``."""
    p.add_argument("--as-of", type=iso_date, metavar="DATE",
                   help=f"judge freshness and waivers at this date (default: {each} "
                        "assessed_on)")


def add_format(p: argparse.ArgumentParser, choices: Sequence[str], help: str) -> None:
    """``--format``, the first choice being the default."""
    p.add_argument("--format", choices=tuple(choices), default=choices[0], help=help)


# ----------------------------------------------------------------------------- value types

def iso_date(text: str) -> date:
    """A ``YYYY-MM-DD`` option in the range profiles accept."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"{text} is out of range; give a date from "
                                         f"{EARLIEST_DATE} to {LATEST_DATE}")
    return day


def positive(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def whole(text: str) -> int:
    """A whole number of 0 or more."""
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def at_least_two(text: str) -> int:
    """A whole number of at least 2 (a workshop has two members or more)."""
    if not text.isascii() or not text.isdigit() or len(text) > 6 or int(text) < 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 2")
    return int(text)


def percent(text: str) -> float:
    """A score between 0 and 100."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a score between 0 and 100")
    return value


# ----------------------------------------------------------------------------- helpers

def protocol_of(args: argparse.Namespace) -> Protocol:
    """The protocol named by ``--protocol`` (the bundled one by default)."""
    return load_protocol(args.protocol)


def check_ids(protocol: Protocol, lang: Lang = "en", **given: str | None) -> None:
    """Refuse an option (``phase``, ``role``, ``priority``, ``hazard``) that names nothing in
    ``protocol``, with the closest id and the whole list, in ``lang``."""
    pools = {"phase": [p.id for p in protocol.phases], "role": [r.id for r in protocol.roles],
             "priority": [p.id for p in protocol.sendai.priorities],
             "hazard": [h.id for h in protocol.hazards]}
    for option, value in given.items():
        known = pools[option]
        if value is not None and value not in known:
            match = suggestion(value, known)
            raise UsageError(
                text(f"cli.unknown-{option}", lang, value=value)
                + (text("problem.did-you-mean", lang, match=match) if match else "")
                + text("cli.choose", lang, known=", ".join(known)))


def emit(text: str, output: str | None, out: TextIO) -> None:
    """Write ``text`` to ``output`` atomically, or to ``out`` when no file is given; no raw
    control or bidirectional character in either (the renderers escape them already: this is
    the last guard)."""
    text = sanitise(text)
    if output:
        write_atomic(output, text)
    else:
        out.write(text)
