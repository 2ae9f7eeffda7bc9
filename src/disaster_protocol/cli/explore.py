"""Commands that read the protocol: validate, show, playbook, graph, docs."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .._i18n import ntext
from ..graph import actions_matching, playbook
from ..loader import load_protocol
from ..report import (
    EXPORT_FORMATS,
    action_text,
    actions_json,
    export_graph,
    protocol_markdown,
    protocol_summary,
    render,
)
from ._common import (
    ExitCode,
    add_format,
    add_lang,
    add_output,
    add_protocol,
    check_ids,
    emit,
    protocol_of,
)

__all__ = ["register"]


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    protocol = load_protocol(args.path)
    name = f"{args.path or 'sendai_ciss'} ({protocol.id} {protocol.version})"
    print(protocol_summary(protocol, args.lang, name), file=out)
    return ExitCode.OK


def _show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    protocol = protocol_of(args)
    check_ids(protocol, args.lang, phase=args.phase, role=args.role, priority=args.priority,
              hazard=args.hazard)
    selected = actions_matching(protocol, phase=args.phase, role=args.role,
                                priority=args.priority, hazard=args.hazard)
    if args.format == "json":
        out.write(actions_json(selected))
    else:
        out.write("".join(action_text(action, args.lang, protocol.id) for action in selected))
        print(ntext("show.count", args.lang, len(selected)), file=out)
    return ExitCode.OK


def _playbook(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    protocol = protocol_of(args)
    check_ids(protocol, args.lang, hazard=args.hazard, phase=args.phase)
    book = playbook(protocol, args.hazard, phase=args.phase)
    options: dict[str, Any] = {} if args.format == "json" else {"protocol": protocol}
    emit(render(book, args.format, lang=args.lang, **options), args.output, out)
    return ExitCode.OK


def _graph(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    emit(export_graph(protocol_of(args), args.format, lang=args.lang), args.output, out)
    return ExitCode.OK


def _docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    emit(protocol_markdown(protocol_of(args)), args.output, out)
    return ExitCode.OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the protocol commands to the sub-parsers."""
    p = sub.add_parser("validate", help="check a protocol file and print a one-line summary",
                       description="Check a protocol file (default: the bundled CISS "
                                   "protocol). Exit 0 if valid, 2 with one line per problem.")
    p.add_argument("path", nargs="?", help="protocol YAML file (default: bundled protocol)")
    add_lang(p, "the summary")
    p.set_defaults(func=_validate)

    p = sub.add_parser("show", help="list the protocol's actions, filtered",
                       description="List the actions matching every filter given.")
    add_protocol(p)
    p.add_argument("--phase", metavar="ID", help="only actions in this phase")
    p.add_argument("--role", metavar="ID", help="only actions this role leads or supports")
    p.add_argument("--priority", metavar="ID", help="only actions aligned to this Sendai "
                   "priority (P1-P4)")
    p.add_argument("--hazard", metavar="ID", help="only actions that apply to this hazard "
                   "(multi-hazard actions included)")
    add_lang(p)
    add_format(p, ("text", "json"),
               "text (default) or a JSON array of actions with the YAML's keys")
    p.set_defaults(func=_show)

    p = sub.add_parser("playbook", help="the ordered checklist for one hazard",
                       description="Actions for a hazard (and multi-hazard actions), grouped by "
                                   "phase in execution order, with lead and support roles and "
                                   "what each step waits for.")
    p.add_argument("--hazard", metavar="ID", required=True, help="hazard id, e.g. flood")
    p.add_argument("--phase", metavar="ID", help="only the steps of this phase")
    add_protocol(p)
    add_lang(p)
    add_format(p, ("text", "md", "json"), "text (default), md (Markdown checklist) or json")
    add_output(p)
    p.set_defaults(func=_playbook)

    p = sub.add_parser("graph", help="export the protocol graph",
                       description="Export the protocol graph: json (networkx node-link) and "
                                   "graphml hold every node and edge; dot and mermaid draw the "
                                   "actions by phase with their prerequisites.")
    add_format(p, EXPORT_FORMATS, "json (default), graphml, dot or mermaid")
    add_protocol(p)
    add_lang(p, "dot and mermaid labels")
    add_output(p)
    p.set_defaults(func=_graph)

    p = sub.add_parser("docs", help="write the protocol reference as Markdown",
                       description="Render the protocol (phases, roles, actions per phase) "
                                   "as Markdown; docs/protocol.md is generated with this.")
    add_protocol(p)
    add_output(p)
    p.set_defaults(func=_docs)
