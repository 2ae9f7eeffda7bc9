"""Commands over many institutions and over time: batch, cooperate, evaluate, compare."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .._assess import assess
from .._breakdown import GROUP_KEYS
from .._i18n import Lang, ntext, text
from .._reading import DEFAULT_MAX_BYTES
from ..assessment import MIN_COVERAGE
from ..cooperation import (
    BILATERAL,
    PARTICIPANTS,
    ROUNDS,
    WORKSHOPS,
    CooperationPlan,
    evaluate,
    match,
)
from ..errors import ProfileError
from ..loader import load_profile, loads_profile
from ..model import Protocol
from ..partners import Partners, load_partners
from ..portfolio import Failure, Portfolio, assess_many, internal_failure, profile_files
from ..profile import Profile
from ._common import (
    ExitCode,
    ThresholdError,
    UsageError,
    add_as_of,
    add_coverage,
    add_format,
    add_lang,
    add_output,
    add_protocol,
    add_strict,
    at_least_two,
    percent,
    positive,
    protocol_of,
    refused,
    whole,
)
from ._emit import add_quiet, emit_report, thresholds
from ._stdin import add_stdin_institution, assessed_on, institution_of, no_profile
from .field import add_wide_options, only_validated, wide_entries, with_sources, workbooks

__all__ = ["register"]


def _batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    portfolio, total = _scored(args, err, keep=args.format == "junit")
    emit_report(_render(portfolio, args), args, out, err)
    if _failures(portfolio, total, "batch", err, args.lang):
        return ExitCode.BAD_INPUT
    failed = [s for s in portfolio.summaries
              if (args.fail_under is not None and s.score < args.fail_under)
              or (args.fail_on_blocking and s.blocking)
              or (args.fail_under_coverage is not None
                  and 100 * s.coverage < args.fail_under_coverage)]
    if failed:
        ids = ", ".join(s.institution.id for s in failed[:10]) + (
            " ..." if len(failed) > 10 else "")
        raise ThresholdError(ntext("threshold.institutions", args.lang, len(failed), ids=ids))
    return ExitCode.OK


def _failures(portfolio: Portfolio, total: int, command: str, err: TextIO,
              lang: Lang) -> bool:
    """Print the problems of every profile that could not be read; whether there were any."""
    for failure in portfolio.failures:
        for problem in failure.problems:
            print(problem.line_in(lang), file=err)
    if portfolio.failures:
        print(text("batch.unreadable", lang, command=f"disaster-protocol {command}",
                   failed=len(portfolio.failures), total=total), file=err)
    return bool(portfolio.failures)


def _scored(args: argparse.Namespace, err: TextIO, *, keep: bool = False
            ) -> tuple[Portfolio, int]:
    """The portfolio of the paths given (a progress bar on terminals), and how many profiles
    were named."""
    protocol = protocol_of(args)
    entries, piped, sources = _batch_entries(args, protocol)
    from tqdm import tqdm  # the progress bar loads only for the commands that show it

    if getattr(args, "only_validated", False):
        entries, unread, left_out = only_validated(entries, protocol)
        piped += unread
        if not args.quiet:
            print(f"disaster-protocol {args.command}: {left_out} profile(s) left out (not "
              "validated); scoring the validated ones alone", file=err)
    bar = tqdm(total=len(entries), unit="profile", file=err, leave=False,
               disable=args.quiet or not _is_terminal(err))

    def tick(n: int) -> None:
        bar.update(n)

    with bar:
        portfolio = assess_many(protocol, entries, workers=args.workers, as_of=args.as_of,
                                strict=args.strict, keep_assessments=keep, progress=tick,
                                min_coverage=args.min_coverage / 100)
    if args.debug:
        _raise_first_bug(portfolio, protocol, args)
    portfolio = with_sources(portfolio, sources)
    if piped:
        portfolio = portfolio.model_copy(update={"failures": (*piped, *portfolio.failures)})
    return portfolio, len(entries) + len(piped)


def _raise_first_bug(portfolio: Portfolio, protocol: Protocol, args: argparse.Namespace
                     ) -> None:
    """With ``--debug``, score again the first file that met a bug, so that its traceback
    shows."""
    for failure in portfolio.failures:
        if any(p.code == "internal-error" for p in failure.problems):
            assess(protocol, load_profile(failure.source, protocol), as_of=args.as_of,
                   strict=args.strict)


def _cooperate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.registry import render

    _check_budget(args)
    partners = load_partners(args.partners, protocol_of(args)) if args.partners else None
    portfolio, total = _scored(args, err, keep=True)
    plan = _plan(portfolio, args, partners)
    emit_report(render(plan, args.format, lang=args.lang), args, out, err)
    failed = _failures(portfolio, total, "cooperate", err, args.lang)
    return ExitCode.BAD_INPUT if failed else ExitCode.OK


def _check_budget(args: argparse.Namespace) -> None:
    """Refuse, before any profile is read, a workshop smaller than its minimum group."""
    if args.participants < args.min_group:
        raise refused(args, "cli.budget", participants=args.participants, group=args.min_group)


def _plan(portfolio: Portfolio, args: argparse.Namespace,
          partners: Partners | None = None) -> CooperationPlan:
    """The cooperation plan with the options of ``cooperate`` (shared by ``evaluate``)."""
    return match(portfolio, capacity=args.capacity, min_offer_level=args.min_offer_level,
                 min_group=args.min_group, partners=partners, workshops=args.workshops,
                 participants=args.participants, bilateral=args.bilateral,
                 rounds=args.rounds)


def _add_plan_options(p: argparse.ArgumentParser, *, shared: bool = False) -> None:
    """The options that shape a plan: the round's budget, offers and workshops."""
    again = "as in cooperate: " if shared else ""
    p.add_argument("--workshops", type=whole, default=WORKSHOPS, metavar="N",
                   help=f"{again}workshops in a round (default: {WORKSHOPS})")
    p.add_argument("--participants", type=at_least_two, default=PARTICIPANTS, metavar="N",
                   help=f"{again}members a workshop seats besides its host (default: "
                        f"{PARTICIPANTS})")
    p.add_argument("--bilateral", type=whole, default=BILATERAL, metavar="N",
                   help=f"{again}bilateral exchanges in a round (default: {BILATERAL})")
    p.add_argument("--rounds", type=positive, default=ROUNDS, metavar="N",
                   help=f"{again}rounds the roadmap may take (default: {ROUNDS})")
    p.add_argument("--capacity", type=whole, metavar="N",
                   help=f"{again}exchanges a member hosts in a round when its profile states "
                        "none (default: 3)")
    p.add_argument("--min-offer-level", type=int, choices=(3, 4), default=4,
                   help=f"{again}4 (default) offers tested actions; 3 also implemented ones "
                        "with evidence")
    p.add_argument("--min-group", type=at_least_two, default=3, metavar="N",
                   help=f"{again}an action this many members need can become a workshop "
                        "(default: 3)")


def _batch_entries(args: argparse.Namespace, protocol: Protocol
                   ) -> tuple[list[Profile | str], list[Failure], dict[str, str]]:
    """The files under the paths given, in order (the rows of wide tables as profiles), with
    the profile piped in for ``-`` (or its failure: it is reported like a broken file, and
    the others are still scored), and the source of each row of a wide table."""
    if args.paths.count("-") > 1:
        raise refused(args, "cli.stdin-once")
    if "-" in args.paths and args.input_format == "wide":
        raise refused(args, "cli.stdin-wide")
    given = [g for g in args.paths if g != "-"]
    no_profile(given, args.recursive, args.lang)
    files = [str(p) for p in profile_files(given, recursive=args.recursive)]
    files += workbooks(given, recursive=args.recursive)
    read, piped, sources = wide_entries(args, protocol, files)
    entries: list[Profile | str] = []
    for given in args.paths:
        if given != "-":
            entries += read  # every file once, all at the first path's place
            read = []
            continue
        try:
            entries.append(loads_profile(args.stdin.read(DEFAULT_MAX_BYTES + 1), protocol,
                                         source="<stdin>", format=args.input_format or "yaml",
                                         institution=institution_of(args),
                                         assessed_on=assessed_on(args)))
        except ProfileError as exc:
            piped.append(Failure(source="<stdin>", problems=exc.problems))
        except Exception as exc:
            if args.debug:
                raise
            piped.append(internal_failure("<stdin>", exc))
    return entries, piped, sources


def _compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .._compare import compare
    from ..report.registry import render

    protocol = protocol_of(args)
    old, new = (load_profile(path, protocol) for path in (args.old, args.new))
    before, after = (assess(protocol, profile, strict=args.strict) for profile in (old, new))
    if before.institution.id != after.institution.id and not args.allow_other_institution:
        raise refused(args, "cli.other-institution", old=before.institution.id,
                      new=after.institution.id)
    try:
        change = compare(before, after, allow_other_institution=args.allow_other_institution,
                         after_profile=new)
    except ValueError as exc:
        raise UsageError(str(exc).replace("allow_other_institution=True",
                                          "--allow-other-institution")) from None
    emit_report(render(change, args.format, lang=args.lang), args, out, err)
    return ExitCode.OK


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Plan round one from BEFORE as ``cooperate`` does, then evaluate it against AFTER."""
    from ..report.registry import render

    if "-" in (args.before, args.after):
        raise refused(args, "cli.evaluate-stdin")
    _check_budget(args)
    rounds = [_scored(argparse.Namespace(**{**vars(args), "paths": [given]}), err, keep=True)
              for given in (args.before, args.after)]
    (before, _), (after, _) = rounds
    plan = _plan(before, args)
    result = evaluate(plan, before, after)
    emit_report(render(result, args.format, lang=args.lang), args, out, err)
    failed = [_failures(portfolio, total, "evaluate", err, args.lang)
              for portfolio, total in rounds]
    return ExitCode.BAD_INPUT if any(failed) else ExitCode.OK


def _render(portfolio: Portfolio, args: argparse.Namespace) -> str:
    from ..report.registry import render

    if args.by is None:
        options: dict[str, Any] = ({"thresholds": thresholds(args)}
                                   if args.format == "junit" else {})
        if args.format in ("md", "html"):  # the tables a person reads; data keeps file order
            options["sort"] = args.sort
        return render(portfolio, args.format, lang=args.lang, **options)
    if args.format == "junit":
        raise refused(args, "cli.junit-by")
    return render(portfolio.summary(args.by, k=args.suppress_under), args.format,
                  lang=args.lang)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _add_many_inputs(p: argparse.ArgumentParser) -> None:
    """The profiles to read and how to score them: shared by batch and cooperate."""
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="profile files (.yaml, .json, .csv) and folders of them, and wide "
                        "tables (.csv, .xlsx: a KoboToolbox/ODK export or a spreadsheet with "
                        "one institution per row); - reads one more profile from stdin")
    add_wide_options(p)
    add_stdin_institution(p)
    p.add_argument("--recursive", action="store_true", help="search folders recursively")
    add_protocol(p)
    p.add_argument("--workers", type=positive, metavar="N",
                   help="score on N processes (default: one)")
    add_as_of(p, "each profile's")
    add_strict(p)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the commands over many institutions to the sub-parsers."""
    p = sub.add_parser("batch", help="score many profiles: one row per institution",
                       description="Score every profile under the files and folders given "
                                   "against one protocol. A broken profile is reported and "
                                   "every other one is still scored. Exit 0; 1 when a "
                                   "threshold fails; 2 when any profile could not be read "
                                   "(after the summary is written).")
    _add_many_inputs(p)
    add_format(p, ("csv", "json", "md", "html", "junit"),
               "csv (default), json, md, html or junit (JUnit XML for CI: a test suite per "
               "institution, a test case per critical action and per threshold)")
    add_output(p)
    add_quiet(p)
    add_lang(p, "md and html reports")
    p.add_argument("--fail-under", type=percent, metavar="SCORE",
                   help="exit 1 if any institution scores below SCORE (0-100)")
    p.add_argument("--fail-on-blocking", action="store_true",
                   help="exit 1 if any institution has a documented blocking gap")
    add_coverage(p, "any institution's")
    p.add_argument("--only-validated", action="store_true",
                   help="score only the profiles whose state is validated and say how many "
                        "were left out (reads every file in this process)")
    p.add_argument("--by", choices=GROUP_KEYS,
                   help="write a summary by this institution attribute instead of one row per "
                        "institution")
    p.add_argument("--suppress-under", type=positive, default=3, metavar="K",
                   help="with --by: show only the count of groups under K institutions "
                        "(default: 3)")
    p.add_argument("--sort", choices=("score", "coverage", "name", "id"), default="score",
                   help="order of the rows of the md and html tables: score (default, "
                        "highest first), coverage, name or id; csv and json keep file order")
    p.set_defaults(func=_batch)

    p = sub.add_parser("cooperate", help="match members' gaps to their peers' strengths",
                       description="Score every profile under the files and folders given and "
                                   "plan cooperation among them, a round at a time under a "
                                   "budget: each member's gaps (below level 3) matched to "
                                   "peers that have tested the action, in a few workshops "
                                   "for actions many need and a few bilateral exchanges; "
                                   "what does not fit goes to a roadmap of later rounds; "
                                   "the demands no member can meet are listed apart "
                                   "(docs/cooperation.md). A broken profile "
                                   "is reported and the others still take part. Exit 0; 2 "
                                   "when any profile could not be read (after the plan is "
                                   "written).")
    _add_many_inputs(p)
    add_format(p, ("text", "md", "html", "json", "csv"),
               "text (default), md, html, json or csv (one row per match and unmet demand)")
    add_output(p)
    add_quiet(p)
    add_lang(p, "the plan")
    _add_plan_options(p)
    p.add_argument("--partners", metavar="FILE",
                   help="organisations outside the membership and the actions they can "
                        "support (docs/partners.md): proposed for what no member offers")
    p.set_defaults(func=_cooperate, min_coverage=100 * MIN_COVERAGE)  # no grade shown

    p = sub.add_parser("compare", help="what changed between two profiles of one institution",
                       description="Score two profiles of one institution (an earlier and a "
                                   "later one) and report what changed: score and grade, group "
                                   "scores, actions that rose and fell, blocking gaps closed "
                                   "and opened, findings new and resolved, plan steps done; and "
                                   "the actions NEW still marks needs_review (a round started "
                                   "with renew) beside those confirmed.")
    p.add_argument("old", metavar="OLD", help="the earlier profile")
    p.add_argument("new", metavar="NEW", help="the later profile")
    add_protocol(p)
    add_format(p, ("text", "md", "json", "csv", "html"),
               "text (default), md, json, csv (one row per action that changed) or html")
    add_output(p)
    add_quiet(p)
    add_lang(p, "the report")
    add_strict(p)
    p.add_argument("--allow-other-institution", action="store_true",
                   help="compare profiles of different institutions")
    p.set_defaults(func=_compare)

    p = sub.add_parser("evaluate", help="how the gaps a plan matched moved a round later",
                       description="Plan cooperation from the earlier round's profiles (BEFORE, "
                                   "as cooperate does, with the same options) and measure how "
                                   "each recipient's gaps moved in the later round (AFTER): "
                                   "the mean change on the gaps it was matched for beside the "
                                   "ones left unmatched, on the effective level (the headline) "
                                   "and on the claimed level, per recipient and per action. An "
                                   "action not assessed in either round is not measured: "
                                   "counted apart, never a change. An association, not proof "
                                   "of cause (docs/cooperation.md). A broken profile is "
                                   "reported and the others still take part. Exit 0; 2 when "
                                   "any profile could not be read (after the evaluation is "
                                   "written).")
    p.add_argument("before", metavar="BEFORE",
                   help="the earlier round, the plan's: a profile file or a folder of them")
    p.add_argument("after", metavar="AFTER",
                   help="the later round: a profile file or a folder of them")
    p.add_argument("--recursive", action="store_true", help="search folders recursively")
    add_protocol(p)
    p.add_argument("--workers", type=positive, metavar="N",
                   help="score on N processes (default: one)")
    add_strict(p)
    add_format(p, ("text", "md", "html", "json", "csv"),
               "text (default), md, html, json or csv (one row per recipient and demanded "
               "action)")
    add_output(p)
    add_quiet(p)
    add_lang(p, "the evaluation")
    _add_plan_options(p, shared=True)
    p.set_defaults(func=_evaluate, min_coverage=100 * MIN_COVERAGE, as_of=None,
                   input_format=None, dates="iso")  # each profile judged at its own date; no stdin
