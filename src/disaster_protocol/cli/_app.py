"""The parser and ``main``: parse, run one command, turn errors into exit codes."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TextIO

from .._i18n import TranslationWarning
from ..errors import DisasterProtocolError, InputWarning
from . import explore, field, many, score
from ._common import (
    ExitCode,
    ThresholdError,
    UsageError,
    add_debug,
    usage_lang,
    usage_language,
)
from ._config import configured

__all__ = ["build_parser", "main"]


class _Version(argparse.Action):
    """``--version``: the package metadata is read only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from .. import __version__

        print(f"{parser.prog} {__version__}", file=sys.stdout)  # where argparse prints it
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="disaster-protocol",
        description="The CISS Disaster Protocol for social security institutions, aligned "
                    "to the Sendai Framework: validate, explore and document it, and score "
                    "readiness profiles against it.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show program's version number and exit")
    add_debug(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    explore.register(sub)
    score.register(sub)
    many.register(sub)
    field.register(sub)
    for command in sub.choices.values():
        add_debug(command)
    return parser


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def _os_error(exc: OSError) -> str:
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run the command line and return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).
    stdout, stderr, stdin : text streams, optional
        Where to write, and where a profile given as ``-`` is read from (default: the
        process's streams).
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = configured(build_parser())  # defaults from a config file, if one applies
    except DisasterProtocolError as exc:  # said in the language the command line asks for
        print(exc.lines_in(usage_lang(build_parser(), argv)), file=err)
        return ExitCode.BAD_INPUT
    try:
        # argparse prints usage errors, --help and --version itself: to the streams given.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                usage_language(usage_lang(parser, argv)):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code) if isinstance(exc.code, int) else ExitCode.BAD_INPUT
    func: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.func
    args.stdin = stdin if stdin is not None else sys.stdin
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        warnings.simplefilter("always", TranslationWarning)
        try:
            return _run(func, args, out, err)
        finally:
            _show_warnings(caught, err, getattr(args, "lang", "en"))


def _show_warnings(caught: list[warnings.WarningMessage], err: TextIO, lang: str) -> None:
    """Input and translation warnings as ``warning: <what>`` lines, once each (an input
    warning's problem in ``lang``); others as Python shows them."""
    seen: set[str] = set()
    for item in caught:
        if isinstance(item.message, (InputWarning, TranslationWarning)):
            said = (item.message.problem.line_in(lang)
                    if isinstance(item.message, InputWarning) else str(item.message))
            line = f"warning: {said}"
            if line not in seen:
                seen.add(line)
                print(line, file=err)
        else:
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)


def _run(func: Callable[[argparse.Namespace, TextIO, TextIO], int], args: argparse.Namespace,
         out: TextIO, err: TextIO) -> int:
    """Run one command, turning errors into exit codes."""
    try:
        return func(args, out, err)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other shell tools do.
        _silence_stdout()
        return ExitCode.OK
    except ThresholdError as exc:
        print(f"disaster-protocol {args.command}: {exc}", file=err)
        return ExitCode.THRESHOLD
    except (DisasterProtocolError, UsageError, OSError) as exc:
        if args.debug:
            raise
        if isinstance(exc, DisasterProtocolError):
            print(exc.lines_in(getattr(args, "lang", "en")), file=err)
        else:
            message = _os_error(exc) if isinstance(exc, OSError) else str(exc)
            print(f"disaster-protocol {args.command}: error: {message}", file=err)
        return ExitCode.BAD_INPUT
    except ImportError as exc:  # an optional extra that is not installed: the message names it
        if args.debug:
            raise
        print(f"disaster-protocol {args.command}: error: {exc}", file=err)
        return ExitCode.BAD_INPUT
    except Exception as exc:  # a bug: say so in one line, never share exit 1 or 2
        if args.debug:
            raise
        print(f"disaster-protocol {args.command}: internal error ({type(exc).__name__}: {exc}); "
              "this is a bug in disaster-protocol: please report it with the command and its "
              "input (--debug shows the traceback)", file=err)
        return ExitCode.INTERNAL
