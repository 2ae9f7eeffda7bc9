"""Survey rounds: the form to fill (form), next round started from this one (renew), and the
wide tables (survey exports, spreadsheets) that batch and cooperate read directly."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .._i18n import LANGS, text
from .._output import write_atomic
from ..errors import ProfileError
from ._common import (
    ExitCode,
    UsageError,
    add_lang,
    add_protocol,
    emit,
    iso_date,
    protocol_of,
    refused,
)

if TYPE_CHECKING:  # the commands import what they use when they run (start-up stays short)
    from ..model import Protocol
    from ..portfolio import Failure, Portfolio
    from ..profile import Profile

__all__ = ["add_wide_options", "only_validated", "register", "wide_entries", "with_sources",
           "workbooks"]

WIDE_SUFFIXES = (".csv", ".xlsx")


def _form(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.form import xlsform

    protocol = protocol_of(args)
    if not args.output.lower().endswith(".xlsx"):
        raise refused(args, "cli.xlsform-name", output=args.output)
    write_atomic(args.output, xlsform(protocol))
    print(text("form.written", args.lang, path=args.output, protocol=protocol.id,
               version=protocol.version, actions=len(protocol.actions),
               languages=", ".join(LANGS)), file=err)
    return ExitCode.OK


def _renew(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..renewal import RenewalDateError, renew
    from ..report.text import migration_text

    protocol = protocol_of(args)
    try:
        result = renew(args.profile, as_of=args.as_of, protocol=protocol, by=args.by)
    except RenewalDateError as exc:
        raise refused(args, "cli.renew-date", as_of=exc.as_of,
                      assessed_on=exc.assessed_on) from None
    except ValueError as exc:
        raise UsageError(str(exc).replace("as_of", "--as-of")) from None
    report = err if not args.output else out
    if result.migration is not None:
        report.write(text("renew.migrated", args.lang, old=result.migration.from_version,
                          new=result.migration.to_version) + "\n")
        report.write(migration_text(result.migration, args.lang))
    emit(result.text, args.output, out)
    report.write(text("renew.carried", args.lang, n=len(result.profile.actions),
                      before=result.renewed_from, after=args.as_of) + "\n")
    return ExitCode.OK


# ----------------------------------------------------------------------------- wide tables

def _wide(path: str, protocol: Protocol, given: str | None) -> bool:
    """Whether ``path`` is read as a wide table: ``--input-format`` says so, or its header."""
    from .._sheet import read_table
    from ..collection import is_wide

    suffix = Path(path).suffix.lower()
    if given is not None:
        return given == "wide" and suffix in WIDE_SUFFIXES
    if suffix == ".xlsx":
        return True
    if suffix != ".csv" or not Path(path).is_file():
        return False
    try:
        return is_wide(read_table(path).header, protocol)
    except ProfileError:
        return False  # read as a profile, which reports the problem


def workbooks(paths: list[str], *, recursive: bool) -> list[str]:
    """The ``.xlsx`` files in the folders given (survey exports), sorted; files named directly
    are already listed with the profiles."""
    found: list[str] = []
    for given in paths:
        folder = Path(given)
        if folder.is_dir():
            pattern = "**/*.xlsx" if recursive else "*.xlsx"
            found += sorted(str(p) for p in folder.glob(pattern)
                            if p.is_file() and not p.name.startswith("~$"))  # Excel's lock
    return found


def wide_entries(args: argparse.Namespace, protocol: Protocol, files: list[str]
                 ) -> tuple[list[Profile | str], list[Failure], dict[str, str]]:
    """The files given, wide tables read into their profiles; the rows that could not be
    read, as failures; and each row's source by institution id (and date)."""
    from ..collection import read_submissions
    from ..portfolio import Failure

    entries: list[Profile | str] = []
    failures: list[Failure] = []
    sources: dict[str, str] = {}
    for path in files:
        if not _wide(path, protocol, args.input_format):
            entries.append(path)
            continue
        try:
            rows = read_submissions(path, protocol, dates=args.dates)
        except ProfileError as exc:
            failures.append(Failure(source=path, problems=exc.problems))
            continue
        except ImportError as exc:
            raise UsageError(str(exc)) from None
        for row in rows:
            if row.profile is None:
                failures.append(Failure(source=row.source, problems=row.problems))
                continue
            entries.append(row.profile)
            ident = row.profile.institution.id
            sources[f"{ident} {row.profile.assessed_on}"] = row.source
            sources[ident] = "" if ident in sources else row.source  # "": named twice
    return entries, failures, sources


def with_sources(portfolio: Portfolio, sources: dict[str, str]) -> Portfolio:
    """The portfolio with the rows of wide tables named as their source."""
    if not sources:
        return portfolio
    def named(ident: str, day: object) -> str | None:
        return sources.get(f"{ident} {day}") or sources.get(ident) or None

    summaries = tuple(
        s if s.source is not None or named(s.institution.id, s.as_of) is None
        else s.model_copy(update={"source": named(s.institution.id, s.as_of)})
        for s in portfolio.summaries)
    return portfolio.model_copy(update={"summaries": summaries})


def only_validated(entries: list[Profile | str], protocol: Protocol
                   ) -> tuple[list[Profile | str], list[Failure], int]:
    """The validated profiles alone (files are read here to see their state), the files that
    could not be read, and how many profiles were left out."""
    from ..loader import load_profile
    from ..portfolio import Failure

    kept: list[Profile | str] = []
    failures: list[Failure] = []
    left_out = 0
    for entry in entries:
        if isinstance(entry, str):
            try:
                profile = load_profile(entry, protocol)
            except ProfileError as exc:
                failures.append(Failure(source=entry, problems=exc.problems))
                continue
            kept_entry: Profile | str = entry
        else:
            profile = kept_entry = entry
        if profile.state is not None and profile.state.status == "validated":
            kept.append(kept_entry)
        else:
            left_out += 1
    return kept, failures, left_out


def add_wide_options(p: argparse.ArgumentParser) -> None:
    """``--input-format`` and ``--dates``, for batch and cooperate."""
    p.add_argument("--input-format", choices=("yaml", "json", "csv", "wide"), default=None,
                   help="how the inputs are written: for stdin, yaml (default) or json; for "
                        "files, csv reads every .csv as a one-row-per-action profile and wide "
                        "as a table with one institution per row (a KoboToolbox/ODK export or "
                        "a spreadsheet); by default a .csv is told by its header and .xlsx is "
                        "wide")
    p.add_argument("--dates", choices=("iso", "day-first", "month-first"), default="iso",
                   help="in wide tables, how 15/10/2026 is read: iso (default) refuses it "
                        "unless a date_format column gives the order")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the survey round's commands to the sub-parsers."""
    p = sub.add_parser("form", help="write the protocol as an XLSForm (KoboToolbox, ODK)",
                       description="Write the protocol as an XLSForm to fill offline in "
                                   "KoboToolbox or ODK: the institution, its roles, one group "
                                   "per phase, each action with its levels and their meanings, "
                                   "a justification for n/a, evidence and the date last "
                                   "exercised where the level calls for them; labels and hints "
                                   "in every language the library has. Its export is read back "
                                   "by batch and cooperate (docs/collection.md). Needs the "
                                   "forms extra.")
    add_protocol(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the .xlsx to write (atomically)")
    add_lang(p, "the message")
    p.set_defaults(func=_form)

    p = sub.add_parser("renew", help="start the next round's profile from this one",
                       description="Start the next round's profile from a stored one: every "
                                   "answer carried and marked needs_review, assessed_on set to "
                                   "--as-of, the state draft. A profile of an older protocol "
                                   "version is migrated first, and the report says so. compare "
                                   "OLD NEW then lists the actions still to review.")
    p.add_argument("profile", metavar="PROFILE", help="the stored profile (.yaml, .json, .csv)")
    p.add_argument("--as-of", type=iso_date, required=True, metavar="DATE",
                   help="the new round's date (YYYY-MM-DD), later than the profile's")
    p.add_argument("--by", metavar="NAME", help="who starts the round (the state's by)")
    add_protocol(p)
    add_lang(p, "the report")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_renew)
