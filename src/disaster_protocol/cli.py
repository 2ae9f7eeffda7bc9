"""Command-line front end: ``disaster-protocol <command>``.

Only wiring: parse arguments, call the library, print, return an exit code. Broken inputs are
printed as ``file:line:col: message [code]`` lines on stderr, never as a traceback (``--debug``
re-raises for developers).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from . import __version__
from ._graph_export import EXPORT_FORMATS, export_graph
from ._io import write_atomic
from ._validation import suggest
from .assess import Assessment, assess
from .errors import DisasterProtocolError
from .graph import actions_matching, playbook
from .loader import load_protocol
from .profile import Institution, load_profile
from .report import (
    action_text,
    assessment_csv,
    assessment_html,
    assessment_json,
    assessment_markdown,
    assessment_text,
    json_schema,
    plan_text,
    playbook_markdown,
    playbook_text,
    profile_sidecar_template,
    profile_template_csv,
    profile_template_yaml,
    protocol_markdown,
    protocol_summary,
)

__all__ = ["ExitCode", "main"]


class ExitCode(IntEnum):
    """Process exit codes."""

    OK = 0
    """Success."""
    THRESHOLD = 1
    """A check failed a threshold the user set."""
    BAD_INPUT = 2
    """Bad input or usage."""


class _UsageError(Exception):
    """A command-line value that names nothing in the protocol."""


class _ThresholdError(Exception):
    """A threshold the user set was not met (the report was still produced)."""


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.path)
    name = args.path or "bundled protocol"
    print(f"{name}: valid — {protocol_summary(protocol)}", file=out)
    return ExitCode.OK


def _check_choice(value: str | None, known: Sequence[str], what: str) -> None:
    if value is not None and value not in known:
        raise _UsageError(f"unknown {what} {value!r}{suggest(value, known)}; "
                          f"choose one of: {', '.join(known)}")


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.protocol)
    _check_choice(args.phase, [p.id for p in protocol.phases], "phase")
    _check_choice(args.role, [r.id for r in protocol.roles], "role")
    _check_choice(args.priority, [p.id for p in protocol.sendai.priorities], "Sendai priority")
    _check_choice(args.hazard, [h.id for h in protocol.hazards], "hazard")
    selected = actions_matching(protocol, phase=args.phase, role=args.role,
                                priority=args.priority, hazard=args.hazard)
    if args.format == "json":
        rows = [a.model_dump(mode="json", exclude_none=True) for a in selected]
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for action in selected:
            out.write(action_text(action, args.lang))
        print(f"{len(selected)} action(s)", file=out)
    return ExitCode.OK


def _cmd_playbook(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.protocol)
    _check_choice(args.hazard, [h.id for h in protocol.hazards], "hazard")
    _check_choice(args.phase, [p.id for p in protocol.phases], "phase")
    book = playbook(protocol, args.hazard, phase=args.phase)
    if args.format == "json":
        text = json.dumps(book.to_dict(args.lang), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "md":
        text = playbook_markdown(book, protocol, args.lang)
    else:
        text = playbook_text(book, protocol, args.lang)
    _emit(text, args.output, out)
    return ExitCode.OK


def _cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.protocol)
    _emit(export_graph(protocol, args.format, lang=args.lang), args.output, out)
    return ExitCode.OK


def _emit(text: str, output: str | None, out: TextIO) -> None:
    """Write ``text`` to ``output`` atomically, or to ``out`` when no file is given."""
    if output:
        write_atomic(output, text)
    else:
        out.write(text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a score between 0 and 100")
    return value


def _assessment(args: argparse.Namespace) -> Assessment:
    protocol = load_protocol(args.protocol)
    institution = None
    if args.institution_id or args.institution_name or args.country:
        if not (args.institution_id and args.institution_name and args.country):
            raise _UsageError("--institution-id, --institution-name and --country go together")
        try:
            institution = Institution(id=args.institution_id, name=args.institution_name,
                                      country=args.country)
        except ValidationError as exc:
            details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                for e in exc.errors())
            raise _UsageError(f"invalid institution option ({details})") from None
    profile = load_profile(args.profile, protocol, institution=institution,
                           assessed_on=args.assessed_on)
    return assess(protocol, profile, as_of=args.as_of, strict=args.strict)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    result = _assessment(args)
    render = {"text": assessment_text, "md": assessment_markdown, "html": assessment_html,
              "csv": assessment_csv}
    text = assessment_json(result) if args.format == "json" else render[args.format](
        result, args.lang)
    _emit(text, args.output, out)
    failed = []
    if args.fail_under is not None and result.score < args.fail_under:
        failed.append(f"score {result.score:.1f} is below --fail-under {args.fail_under:g}")
    if args.fail_on_blocking and result.blocking:
        failed.append(f"{len(result.blocking)} blocking gap(s): {', '.join(result.blocking)}")
    if failed:
        raise _ThresholdError("; ".join(failed))
    return ExitCode.OK


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    out.write(plan_text(_assessment(args), args.lang, args.top))
    return ExitCode.OK


def _cmd_template(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.protocol)
    if args.format == "csv":
        _emit(profile_template_csv(protocol, args.lang), args.output, out)
        if args.output:
            sidecar = Path(args.output).with_name(Path(args.output).stem + ".meta.yaml")
            write_atomic(sidecar, profile_sidecar_template(args.lang))
    else:
        _emit(profile_template_yaml(protocol, args.lang), args.output, out)
    return ExitCode.OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    _emit(json_schema(args.kind), args.output, out)
    return ExitCode.OK


def _profile_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("profile", metavar="PROFILE", help="readiness profile (.yaml, .json, .csv)")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("--strict", action="store_true",
                   help="count level 3-4 claims without evidence as level 2")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE",
                   help="judge freshness and waivers at this date (default: the profile's "
                        "assessed_on)")
    p.add_argument("--lang", choices=("es", "en"), default="es",
                   help="language of the report (default: es)")
    p.add_argument("--institution-id", metavar="ID", help="CSV profiles: institution id")
    p.add_argument("--institution-name", metavar="NAME", help="CSV profiles: institution name")
    p.add_argument("--country", metavar="CODE", help="CSV profiles: country")
    p.add_argument("--assessed-on", type=_iso_date, metavar="DATE",
                   help="CSV profiles: date of the assessment")


def _cmd_docs(args: argparse.Namespace, out: TextIO) -> int:
    protocol = load_protocol(args.protocol)
    _emit(protocol_markdown(protocol), args.output, out)
    return ExitCode.OK


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="disaster-protocol",
        description="The CISS Disaster Protocol for social security institutions, aligned "
                    "to the Sendai Framework: validate, explore and document it.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="re-raise errors with a traceback (for developers)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check a protocol file and print a one-line summary",
                       description="Check a protocol file (default: the bundled CISS "
                                   "protocol). Exit 0 if valid, 2 with one line per problem.")
    p.add_argument("path", nargs="?", help="protocol YAML file (default: bundled protocol)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("show", help="list the protocol's actions, filtered",
                       description="List the actions matching every filter given.")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("--phase", metavar="ID", help="only actions in this phase")
    p.add_argument("--role", metavar="ID", help="only actions this role leads or supports")
    p.add_argument("--priority", metavar="ID", help="only actions aligned to this Sendai "
                   "priority (P1-P4)")
    p.add_argument("--hazard", metavar="ID", help="only actions that apply to this hazard "
                   "(multi-hazard actions included)")
    p.add_argument("--lang", choices=("es", "en"), default="es",
                   help="language of titles (default: es)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (default) or a JSON array of actions with the YAML's keys")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("playbook", help="the ordered checklist for one hazard",
                       description="Actions for a hazard (and multi-hazard actions), grouped by "
                                   "phase in execution order, with lead and support roles and "
                                   "what each step waits for.")
    p.add_argument("--hazard", metavar="ID", required=True, help="hazard id, e.g. flood")
    p.add_argument("--phase", metavar="ID", help="only the steps of this phase")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("--lang", choices=("es", "en"), default="es",
                   help="language of titles (default: es)")
    p.add_argument("--format", choices=("text", "md", "json"), default="text",
                   help="text (default), md (Markdown checklist) or json")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_cmd_playbook)

    p = sub.add_parser("graph", help="export the protocol graph",
                       description="Export the protocol graph: json (networkx node-link) and "
                                   "graphml hold every node and edge; dot and mermaid draw the "
                                   "actions by phase with their prerequisites.")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json",
                   help="json (default), graphml, dot or mermaid")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("--lang", choices=("es", "en"), default="es",
                   help="language of dot and mermaid labels (default: es)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_cmd_graph)

    p = sub.add_parser("check", help="score a readiness profile against the protocol",
                       description="Score a profile: grade, scores by phase, priority, role and "
                                   "hazard, blocking gaps, findings and a plan. Exit 0; 1 when "
                                   "--fail-under or --fail-on-blocking fails; 2 for bad input.")
    _profile_arguments(p)
    p.add_argument("--format", choices=("text", "md", "html", "json", "csv"), default="text",
                   help="text (default), md, html (self-contained page), json or csv (one "
                        "row per action)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.add_argument("--fail-under", type=_percent, metavar="SCORE",
                   help="exit 1 if the overall score is below SCORE (0-100)")
    p.add_argument("--fail-on-blocking", action="store_true",
                   help="exit 1 if any critical action is below level 3 and not waived")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("plan", help="the prioritised next steps for a profile",
                       description="The plan alone, as a table: actions below level 3 whose "
                                   "prerequisites are in place, critical first, with the score "
                                   "each would add.")
    _profile_arguments(p)
    p.add_argument("--top", type=_positive, metavar="N", help="only the first N steps")
    p.set_defaults(func=_cmd_plan)

    p = sub.add_parser("template", help="write a blank readiness profile",
                       description="A blank profile listing every action (level 0) with its "
                                   "title; with --format csv and -o, also the .meta.yaml sidecar.")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("--lang", choices=("es", "en"), default="es",
                   help="language of titles and comments (default: es)")
    p.add_argument("--format", choices=("yaml", "csv"), default="yaml",
                   help="yaml (default) or csv")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("schema", help="print a JSON Schema",
                       description="JSON Schema of a profile, a protocol, or the JSON an "
                                   "assessment is written as.")
    p.add_argument("kind", choices=("profile", "protocol", "assessment"),
                   help="which schema")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("docs", help="write the protocol reference as Markdown",
                       description="Render the protocol (phases, roles, actions per phase) "
                                   "as Markdown; docs/protocol.md is generated with this.")
    p.add_argument("--protocol", metavar="PATH", help="protocol file (default: bundled)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.set_defaults(func=_cmd_docs)
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line and return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).
    stdout, stderr : text streams, optional
        Where to write (default: the process's streams).
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code) if isinstance(exc.code, int) else ExitCode.BAD_INPUT
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    try:
        return func(args, out)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other shell tools do.
        _silence_stdout()
        return ExitCode.OK
    except DisasterProtocolError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(problem, file=err)
        return ExitCode.BAD_INPUT
    except _ThresholdError as exc:
        print(f"disaster-protocol {args.command}: {exc}", file=err)
        return ExitCode.THRESHOLD
    except _UsageError as exc:
        if args.debug:
            raise
        print(f"disaster-protocol {args.command}: error: {exc}", file=err)
        return ExitCode.BAD_INPUT
    except OSError as exc:
        if args.debug:
            raise
        print(f"disaster-protocol {args.command}: error: {exc}", file=err)
        return ExitCode.BAD_INPUT
