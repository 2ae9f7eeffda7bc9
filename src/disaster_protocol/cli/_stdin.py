"""Inputs every scoring command shares: the institution of a CSV profile read from stdin
(``check``, ``plan``, ``batch``, ``cooperate``), and the folder that yields no profile."""

from __future__ import annotations

import argparse
from datetime import date

from pydantic import ValidationError

from .._i18n import text
from ..profile import Institution
from ._common import UsageError, iso_date, refused

__all__ = ["add_stdin_institution", "assessed_on", "institution_of", "no_profile"]


def add_stdin_institution(p: argparse.ArgumentParser) -> None:
    """``--institution-id``, ``--institution-name``, ``--country``, ``--assessed-on``: what a
    CSV profile's sidecar would say, for a CSV read from stdin."""
    p.add_argument("--institution-id", metavar="ID", help="CSV profiles: institution id")
    p.add_argument("--institution-name", metavar="NAME", help="CSV profiles: institution name")
    p.add_argument("--country", metavar="CODE", help="CSV profiles: country")
    p.add_argument("--assessed-on", type=iso_date, metavar="DATE",
                   help="CSV profiles: date of the assessment")


def institution_of(args: argparse.Namespace) -> Institution | None:
    """The institution the options name (all three or none)."""
    given: tuple[str | None, ...] = (getattr(args, "institution_id", None),
                                     getattr(args, "institution_name", None),
                                     getattr(args, "country", None))
    if not any(given):
        return None
    ident, name, country = given
    if ident is None or name is None or country is None:
        raise refused(args, "cli.institution-together")
    try:
        return Institution(id=ident, name=name, country=country)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"invalid institution option ({details})") from None


def assessed_on(args: argparse.Namespace) -> date | None:
    """``--assessed-on``, where the command has it."""
    day: date | None = getattr(args, "assessed_on", None)
    return day


def no_profile(paths: list[str], recursive: bool, lang: str = "en") -> None:
    """Refuse a folder that yields no profile (nor wide table), naming its sub-folders that
    hold some and ``--recursive``, in ``lang``: an audit must not pass with nothing
    checked."""
    from ..portfolio import PROFILE_SUFFIXES, why_empty
    from .field import workbooks

    kinds = ", ".join(PROFILE_SUFFIXES)
    for given in paths:
        why = why_empty(given, recursive=recursive)
        if why is None or workbooks([given], recursive=recursive):
            continue
        if why == "under":
            raise UsageError(text("cli.empty.under", lang, path=given, kinds=kinds))
        if not why:
            raise UsageError(text("cli.empty.nowhere", lang, path=given, kinds=kinds))
        raise UsageError(text("cli.empty.hint", lang, path=given, kinds=kinds,
                              folders=", ".join(why)))
