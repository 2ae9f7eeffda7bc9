"""Serialise the protocol graph: networkx node-link JSON, GraphML, Graphviz DOT, Mermaid.

Every output depends only on the protocol, so equal protocols give identical text.
"""

from __future__ import annotations

import re
from typing import Literal

from .._i18n import Lang, check_lang
from .._output import json_text
from ..model import Protocol

__all__ = ["EXPORT_FORMATS", "export_graph"]

ExportFormat = Literal["json", "graphml", "dot", "mermaid"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "graphml", "dot", "mermaid")


def export_graph(protocol: Protocol, fmt: ExportFormat, *, lang: Lang = "es") -> str:
    """The protocol graph as text in ``fmt``.

    ``json`` is node-link data that :func:`networkx.node_link_graph` reads back (with
    ``edges="edges"``); ``graphml`` is read back by :func:`networkx.read_graphml` and opens in
    Gephi or yEd; both hold every node and edge. ``dot`` (Graphviz) and ``mermaid`` (GitHub,
    Jupyter) draw the readable view: actions grouped by phase, an arrow from each prerequisite
    to what it enables, critical actions highlighted. ``lang`` chooses their labels.

    Raises
    ------
    ValueError
        For an unknown format or language.
    """
    check_lang(lang)
    g = protocol.graph
    import networkx as nx
    if fmt == "json":
        data = nx.node_link_data(g, edges="edges")
        return json_text(data, indent=1, sort_keys=True)
    if fmt == "graphml":
        # Export a copy: networkx's GraphML writer pops keys from the graph's attribute dict,
        # and the cached graph must never change.
        copy: nx.DiGraph[str] = nx.DiGraph(g)
        return "\n".join(nx.generate_graphml(copy, encoding="utf-8", prettyprint=True)) + "\n"
    if fmt == "dot":
        return _dot(protocol, lang)
    if fmt == "mermaid":
        return _mermaid(protocol, lang)
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot(protocol: Protocol, lang: Lang) -> str:
    """Actions clustered by phase with their prerequisite arrows (prerequisite -> dependant)."""
    out = [f"digraph {_dot_quote(protocol.id)} {{", "  rankdir=LR;", "  newrank=true;",
           '  node [shape=box, fontname="Helvetica", fontsize=10];']
    for phase in protocol.phases:
        out.append(f"  subgraph {_dot_quote('cluster_' + phase.id)} {{")
        out.append(f"    label={_dot_quote(phase.title.get(lang))};")
        for a in protocol.actions:
            if a.phase == phase.id:
                label = f"{a.id} ({a.lead})\n{a.title.get(lang)}"
                style = ', style=bold, color="#b30000"' if a.critical else ""
                out.append(f"    {_dot_quote(a.id)} [label={_dot_quote(label)}{style}];")
        out.append("  }")
    for a in protocol.actions:
        for req in a.requires:
            out.append(f"  {_dot_quote(req)} -> {_dot_quote(a.id)};")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_id(node: str, used: dict[str, str]) -> str:
    base = re.sub(r"\W", "_", node)
    candidate, n = base, 1
    while candidate in used.values() and used.get(node) != candidate:
        n += 1
        candidate = f"{base}_{n}"
    used[node] = candidate
    return candidate


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _mermaid(protocol: Protocol, lang: Lang) -> str:
    ids: dict[str, str] = {}
    out = ["flowchart LR"]
    for phase in protocol.phases:
        title = _mermaid_text(phase.title.get(lang))
        out.append(f'  subgraph {_mermaid_id(phase.id, ids)}["{title}"]')
        out.append("    direction TB")
        for a in protocol.actions:
            if a.phase == phase.id:
                label = _mermaid_text(f"{a.id} {a.title.get(lang)}")
                out.append(f'    {_mermaid_id(a.id, ids)}["{label}"]')
        out.append("  end")
    for a in protocol.actions:
        for req in a.requires:
            out.append(f"  {ids[req]} --> {ids[a.id]}")
    critical = [ids[a.id] for a in protocol.actions if a.critical]
    if critical:
        out.append("  classDef critical stroke:#b30000,stroke-width:3px")
        out.append(f"  class {','.join(critical)} critical")
    return "\n".join(out) + "\n"
