"""Commands that score a profile (check, plan) or write the files around one (template,
schema)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from .._assess import assess
from .._i18n import LANGS, ntext
from .._i18n import text as say
from .._output import write_atomic
from .._reading import DEFAULT_MAX_BYTES
from ..assessment import MIN_COVERAGE, Assessment
from ..loader import load_profile, loads_profile
from ..report.schema import SCHEMA_KINDS
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
    emit,
    percent,
    positive,
    protocol_of,
)
from ._emit import add_quiet, emit_report, thresholds
from ._stdin import add_stdin_institution, institution_of

__all__ = ["register"]


def _assessment(args: argparse.Namespace) -> Assessment:
    protocol = protocol_of(args)
    if args.profile == "-":  # a profile piped in: its format is told, its size limited
        text = args.stdin.read(DEFAULT_MAX_BYTES + 1)
        profile = loads_profile(text, protocol, source="<stdin>", format=args.input_format,
                                institution=institution_of(args), assessed_on=args.assessed_on)
    else:
        profile = load_profile(args.profile, protocol, institution=institution_of(args),
                               assessed_on=args.assessed_on)
    return assess(protocol, profile, as_of=args.as_of, strict=args.strict,
                  min_coverage=args.min_coverage / 100)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.registry import render

    result = _assessment(args)
    options: dict[str, Any] = {"thresholds": thresholds(args)} if args.format == "junit" else {}
    emit_report(render(result, args.format, lang=args.lang, **options), args, out, err)
    failed, lang = [], args.lang
    if args.fail_under is not None and result.score < args.fail_under:
        failed.append(say("threshold.score", lang, score=f"{result.score:.1f}",
                           limit=f"{args.fail_under:g}"))
    if args.fail_on_blocking and result.blocking:
        failed.append(ntext("threshold.blocking", lang, len(result.blocking),
                            ids=", ".join(result.blocking)))
    if args.fail_under_coverage is not None and 100 * result.coverage < args.fail_under_coverage:
        failed.append(say("threshold.coverage", lang, coverage=f"{result.coverage:.0%}",
                           limit=f"{args.fail_under_coverage:g}"))
    if failed:
        raise ThresholdError("; ".join(failed))
    return ExitCode.OK


def _plan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.registry import render

    emit_report(render(_assessment(args), args.format, lang=args.lang, view="plan",
                       top=args.top), args, out, err)
    return ExitCode.OK


def _template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.templates import (
        profile_sidecar_template,
        profile_template_csv,
        profile_template_yaml,
    )

    protocol = protocol_of(args)
    if args.format == "csv":
        if args.output:  # both files or neither: check the sidecar's place before writing
            sidecar = Path(args.output).with_name(Path(args.output).stem + ".meta.yaml")
            if sidecar.is_dir():
                raise UsageError(f"{sidecar}: is a directory; the sidecar of {args.output} "
                                 "goes there, so give another file name")
            if sidecar.exists() and not args.force:
                raise UsageError(f"{sidecar} exists and may hold an institution's data; pass "
                                 "--force to replace it")
        emit(profile_template_csv(protocol, args.lang), args.output, out)
        if args.output:
            write_atomic(sidecar, profile_sidecar_template(args.lang))
    else:
        emit(profile_template_yaml(protocol, args.lang), args.output, out)
    return ExitCode.OK


def _migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..migration import migrate
    from ..report.text import migration_text

    result = migrate(args.profile, to=args.to, protocol=protocol_of(args))
    emit(result.text, args.output, out)
    report = err if not args.output else out
    report.write(migration_text(result, args.lang))
    return ExitCode.OK


def _crosswalk(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..crosswalk import by_framework, crosswalk_names, load_crosswalk
    from ..report.registry import render

    if args.list or not args.name:
        for name in crosswalk_names():
            cw = load_crosswalk(name, protocol_of(args))
            print(f"{name:<18} {cw.title.get(args.lang)}", file=out)
        return ExitCode.OK
    protocol = protocol_of(args)
    cw = load_crosswalk(args.name, protocol)
    if args.profile:
        view = by_framework(assess(protocol, load_profile(args.profile, protocol),
                                   as_of=args.as_of), cw)
        text = render(view, args.format, lang=args.lang)
    else:
        options: dict[str, Any] = {"reverse": args.reverse} if args.format in ("text", "md") else {}
        text = render(cw, args.format, lang=args.lang, **options)
    emit(text, args.output, out)
    return ExitCode.OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report.schema import json_schema

    if args.for_form is not None and args.kind != "profile":
        raise UsageError("--for-form makes a form's schema, which is a profile's: "
                         "schema profile --for-form es")
    if args.for_form is None:
        emit(json_schema(args.kind), args.output, out)
    else:
        emit(json_schema(args.kind, protocol=protocol_of(args), lang=args.for_form),
             args.output, out)
    return ExitCode.OK


def _profile_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("profile", metavar="PROFILE",
                   help="readiness profile (.yaml, .json, .csv), or - to read it from stdin")
    p.add_argument("--input-format", choices=("yaml", "json", "csv"), default="yaml",
                   help="with PROFILE -: how the profile is written (default: yaml)")
    add_protocol(p)
    add_strict(p)
    add_as_of(p)
    add_lang(p, "the report")
    add_stdin_institution(p)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the profile commands to the sub-parsers."""
    p = sub.add_parser("check", help="score a readiness profile against the protocol",
                       description="Score a profile: grade, scores by phase, priority, role and "
                                   "hazard, blocking gaps, findings and a plan. Exit 0; 1 when "
                                   "--fail-under or --fail-on-blocking fails; 2 for bad input.")
    _profile_arguments(p)
    add_format(p, ("text", "md", "html", "json", "csv", "junit"),
               "text (default), md, html (self-contained page), json, csv (one row per "
               "action) or junit (JUnit XML for CI: a test case per critical action and per "
               "threshold)")
    add_output(p)
    add_quiet(p)
    p.add_argument("--fail-under", type=percent, metavar="SCORE",
                   help="exit 1 if the overall score is below SCORE (0-100)")
    p.add_argument("--fail-on-blocking", action="store_true",
                   help="exit 1 if any critical action is assessed below level 3 and not "
                        "waived (a critical action not assessed is 'evidence needed': use "
                        "--fail-under-coverage)")
    add_coverage(p)
    p.set_defaults(func=_check)

    p = sub.add_parser("plan", help="the prioritised next steps for a profile",
                       description="The plan alone, as a table: actions below level 3 whose "
                                   "prerequisites are in place, critical first, with the score "
                                   "each would add.")
    _profile_arguments(p)
    p.add_argument("--top", type=positive, metavar="N", help="only the first N steps")
    add_format(p, ("text", "md", "csv", "json"),
               "text (default), md, csv (one row per step) or json")
    add_output(p)
    add_quiet(p)
    p.set_defaults(func=_plan, min_coverage=100 * MIN_COVERAGE)  # no grade shown

    p = sub.add_parser("template", help="write a blank readiness profile",
                       description="A blank profile listing every action (unknown: not yet "
                                   "assessed) with its title; with --format csv and -o, also "
                                   "the .meta.yaml sidecar.")
    add_protocol(p)
    add_lang(p, "titles and comments")
    add_format(p, ("yaml", "csv"), "yaml (default) or csv")
    add_output(p)
    p.add_argument("--force", action="store_true",
                   help="with --format csv and -o: replace an existing .meta.yaml sidecar")
    p.set_defaults(func=_template)

    p = sub.add_parser("migrate", help="rewrite a stored profile for a newer protocol version",
                       description="Rewrite a YAML or JSON profile written for an older "
                                   "version of the protocol (protocols/migrations/) and report "
                                   "what could not be carried over and what to review. The "
                                   "rewritten profile goes to -o FILE (or stdout, with the "
                                   "report on stderr). Comments of the original are not kept.")
    p.add_argument("profile", metavar="PROFILE", help="the stored profile (.yaml, .json)")
    p.add_argument("--to", required=True, metavar="VERSION",
                   help="the protocol version to rewrite it for (the loaded protocol's)")
    add_protocol(p)
    add_lang(p, "the report")
    add_output(p)
    p.set_defaults(func=_migrate)

    p = sub.add_parser("crosswalk", help="the protocol read in a national or international "
                       "framework's structure", description="Show a crosswalk (protocols/"
                       "crosswalks/): how each phase or action relates to each code of another "
                       "framework, with rationale and source; --reverse reads it from the "
                       "framework's side. With --profile, the profile's assessment by the "
                       "framework's codes, partial relationships giving partial credit.")
    p.add_argument("name", nargs="?", metavar="NAME",
                   help="a bundled crosswalk (see --list) or a crosswalk .yaml file")
    p.add_argument("--list", action="store_true", help="list the bundled crosswalks")
    p.add_argument("--reverse", action="store_true",
                   help="rows from the framework's side (relationships flipped)")
    p.add_argument("--profile", metavar="PROFILE",
                   help="show this profile's assessment by the framework's codes")
    add_as_of(p)
    add_protocol(p)
    add_lang(p, "titles and rationales")
    add_format(p, ("text", "md", "json", "csv"), "text (default), md, json or csv")
    add_output(p)
    p.set_defaults(func=_crosswalk)

    p = sub.add_parser("schema", help="print a JSON Schema",
                       description="JSON Schema of a profile, a protocol, a crosswalk or "
                                   "migration file, or the JSON an assessment is written as.")
    p.add_argument("kind", choices=SCHEMA_KINDS, help="which schema")
    p.add_argument("--for-form", choices=LANGS, default=None, metavar="LANG",
                   help="with profile: a schema that drives a form, in this language: every "
                        "action and role of the protocol with its title and description, the "
                        "levels with their meanings")
    add_protocol(p)
    add_output(p)
    p.set_defaults(func=_schema)
