"""What an audit pipeline reads around a report: ``--quiet``, the line on stderr that says
what ``-o`` wrote, and the JUnit thresholds of a run."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from .._i18n import Lang, ntext
from .._i18n import text as _text
from .._output import output_target
from ._common import emit

if TYPE_CHECKING:
    from ..report.junit import Thresholds

__all__ = ["add_quiet", "emit_report", "thresholds", "wrote"]


def add_quiet(p: argparse.ArgumentParser) -> None:
    """``-q/--quiet``."""
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print nothing on stderr but errors and failed thresholds (no "
                        "progress bar, no line saying what -o wrote)")


def wrote(text: str, path: str, fmt: str, lang: Lang) -> str:
    """The line that says what ``-o`` wrote, in ``lang``: rows for a CSV, test cases for
    JUnit XML."""
    if fmt == "csv":
        count = max(text.count("\n") - 1, 0)  # the rows under the header
    elif fmt == "junit":
        count = text.count("<testcase ")
    else:
        return _text("cli.wrote_file", lang, path=path)
    key = "cli.wrote_cases" if fmt == "junit" else "cli.wrote"
    return ntext(key, lang, count, count=count, path=path)


def emit_report(text: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """Write ``text`` where ``-o`` says (or to ``out``), then, unless ``--quiet``, one line on
    ``err`` saying what was written (not for a device such as ``/dev/null``)."""
    emit(text, args.output, out)
    if args.output and not getattr(args, "quiet", False) and not output_target(args.output)[1]:
        print(wrote(text, args.output, args.format, getattr(args, "lang", "es")), file=err)


def thresholds(args: argparse.Namespace) -> Thresholds:
    """The thresholds a command line set, for JUnit's test cases."""
    from ..report.junit import Thresholds

    return Thresholds(score=args.fail_under, blocking=args.fail_on_blocking,
                      coverage=args.fail_under_coverage)
