"""matplotlib figures of the library's results (the optional ``analysis`` extra).

Each function takes ``ax=`` (an Axes to draw on; a new figure when None) and returns the Axes
it drew on, with labels in Spanish or English. matplotlib is imported only when a plot is
drawn. No figure is shown or saved here: that is the caller's choice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ._compare import Comparison, Trend
from ._i18n import Lang, check_lang, text
from .assessment import Assessment
from .cooperation import CooperationPlan
from .model import Protocol
from .portfolio import Portfolio

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["comparison_bars", "cooperation_network", "dependency_graph", "heatmap", "radar",
           "trend_line"]

INSTALL = "pip install 'disaster-protocol[analysis]'"
Family = Literal["priority", "phase"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(f"plots need matplotlib, which is not installed: {INSTALL}") from None
    return plt


def _axes(ax: Axes | None, **subplot: Any) -> Axes:
    if ax is not None:
        return ax
    _, created = _pyplot().subplots(subplot_kw=subplot or None)
    return created  # type: ignore[no-any-return]


def _label(a: Assessment, key: str, lang: Lang) -> str:
    title = a.labels.get(key)
    return f"{key} {title.get(lang)}" if title is not None else key


def radar(assessments: Assessment | Sequence[Assessment], by: Family = "priority",
          lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """Scores of one or several assessments around a circle, by Sendai priority or by phase
    (one closed line each). A group with nothing assessed is left out of its line (a gap,
    not a 0), and its label says "not assessed" where no assessment has it."""
    check_lang(lang)
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    if not items:
        raise ValueError("radar needs at least one assessment")
    keys = list(getattr(items[0], f"by_{by}"))
    angles = [2 * math.pi * i / len(keys) for i in range(len(keys))]
    axes = _axes(ax, projection="polar")
    for a in items:
        groups = getattr(a, f"by_{by}")
        scores = [math.nan if groups.get(k) is None else groups[k] for k in keys]
        axes.plot([*angles, angles[0]], [*scores, scores[0]], marker=".",
                  label=f"{a.institution.name} ({a.as_of})")
    unknown = {k for k in keys if all(getattr(a, f"by_{by}").get(k) is None for a in items)}
    axes.set_xticks(angles)
    axes.set_xticklabels([_label(items[0], k, lang)
                          + (f"\n({text('not_assessed', lang)})" if k in unknown else "")
                          for k in keys])
    axes.set_ylim(0, 100)
    axes.set_title(text(f"by_{by}", lang))
    axes.legend(loc="upper right", fontsize="small")
    return axes


def heatmap(portfolio: Portfolio, by: str | None = None, columns: Family = "phase", *,
            k: int = 3, lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """Scores of a portfolio as a grid: institutions (or groups ``by`` an attribute, with the
    groups a summary suppresses left blank) against phases or Sendai priorities."""
    check_lang(lang)
    family = f"by_{columns}"
    keys = list(getattr(portfolio.summaries[0], family)) if portfolio.summaries else []
    if by is None:
        rows = [(s.institution.id, [getattr(s, family).get(c) for c in keys])
                for s in portfolio.summaries]
    else:
        rows = _group_rows(portfolio, by, k, family, keys)
    grid = [[math.nan if v is None else v for v in values] for _, values in rows]
    axes = _axes(ax)
    image = axes.imshow(grid or [[math.nan]], vmin=0, vmax=100, cmap="RdYlGn", aspect="auto")
    axes.set_xticks(range(len(keys)), keys)
    axes.set_yticks(range(len(rows)), [name for name, _ in rows])
    axes.set_title(text(family, lang))
    axes.figure.colorbar(image, ax=axes, label=text("score", lang))
    return axes


def _group_rows(portfolio: Portfolio, by: str, k: int, family: str,
                keys: list[str]) -> list[tuple[str, list[float | None]]]:
    """Mean score per group and column; a group the summary suppresses stays blank."""
    breakdown = portfolio.summary(by, k=k)
    members: dict[str, list[dict[str, float | None]]] = {}
    latest = {s.institution.id: s for s in sorted(portfolio.summaries, key=lambda s: s.as_of)}
    for s in latest.values():
        group = getattr(s.institution, by) or "-"
        members.setdefault(str(group), []).append(dict(getattr(s, family)))
    rows: list[tuple[str, list[float | None]]] = []
    for g in breakdown.groups:
        if g.suppressed:
            rows.append((f"{g.group} (n={g.institutions})", [None] * len(keys)))
            continue
        means: list[float | None] = []
        for key in keys:
            values = [m[key] for m in members.get(g.group, []) if m.get(key) is not None]
            means.append(sum(v for v in values if v is not None) / len(values)
                         if values else None)
        rows.append((f"{g.group} (n={g.institutions})", means))
    return rows


def trend_line(trend: Trend, lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """One institution's score over its dates, with its coverage as a dashed line."""
    check_lang(lang)
    axes = _axes(ax)
    dates: Any = [p.as_of for p in trend.points]  # matplotlib reads dates
    axes.plot(dates, [p.score for p in trend.points], marker="o", label=text("score", lang))
    axes.plot(dates, [100 * p.coverage for p in trend.points], linestyle="--",
              label=text("coverage", lang))
    axes.set_ylim(0, 100)
    axes.set_title(f"{trend.institution.name} ({trend.institution.id})")
    axes.legend(fontsize="small")
    return axes


def comparison_bars(comparison: Comparison, by: Family = "phase", lang: Lang = "es",
                    ax: Axes | None = None) -> Axes:
    """Group scores before and after, side by side (a group that does not apply at 0)."""
    check_lang(lang)
    groups = comparison.groups[f"by_{by}"]
    keys = list(groups)
    axes = _axes(ax)
    width = 0.4
    axes.bar([i - width / 2 for i in range(len(keys))],
             [groups[k].before or 0.0 for k in keys], width,
             label=f"{text('before', lang)} {comparison.before}")
    axes.bar([i + width / 2 for i in range(len(keys))],
             [groups[k].after or 0.0 for k in keys], width,
             label=f"{text('after', lang)} {comparison.after}")
    axes.set_xticks(range(len(keys)), keys)
    axes.set_ylim(0, 100)
    axes.set_ylabel(text("score", lang))
    axes.set_title(text(f"by_{by}", lang))
    axes.legend(fontsize="small")
    return axes


def dependency_graph(protocol: Protocol, lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """The protocol's actions by phase (one column each), arrows from prerequisite to
    dependant; critical actions and the arrows between them in red."""
    import networkx as nx

    check_lang(lang)
    graph: nx.DiGraph[str] = nx.DiGraph()
    position: dict[str, tuple[float, float]] = {}
    phases = [p.id for p in protocol.phases]
    rows: dict[str, int] = {}
    for a in protocol.actions:
        column = phases.index(a.phase)
        rows[a.phase] = rows.get(a.phase, 0) + 1
        position[a.id] = (float(column), -float(rows[a.phase]))
        graph.add_node(a.id, critical=a.critical)
    for a in protocol.actions:
        for r in a.requires:
            graph.add_edge(r, a.id)
    critical = {a.id for a in protocol.actions if a.critical}
    axes = _axes(ax)
    nx.draw_networkx_nodes(graph, position, ax=axes, node_size=60,
                           node_color=["#b30000" if n in critical else "#2f6fba"
                                       for n in graph.nodes])
    chain = [(u, v) for u, v in graph.edges if u in critical and v in critical]
    other = [(u, v) for u, v in graph.edges if (u, v) not in set(chain)]
    nx.draw_networkx_edges(graph, position, edgelist=other, ax=axes, edge_color="#999999",
                           arrows=True, arrowsize=6, width=0.6)
    nx.draw_networkx_edges(graph, position, edgelist=chain, ax=axes, edge_color="#b30000",
                           arrows=True, arrowsize=8, width=1.4)
    axes.set_xticks(range(len(phases)), [f"{p.id} {p.title.get(lang)}" for p in protocol.phases])
    axes.tick_params(left=False, labelleft=False, bottom=True, labelbottom=True)
    axes.set_title(f"{protocol.title.get(lang)} {protocol.version}")
    return axes


def cooperation_network(plan: CooperationPlan, ax: Axes | None = None) -> Axes:
    """Round 1 of the plan: members on a circle, an arrow from provider to recipient for
    every bilateral exchange, and each workshop as a square joined to its host and
    participants."""
    import networkx as nx

    held, matches = plan.round(1)
    graph: nx.DiGraph[str] = nx.DiGraph()
    members = [m.institution.id for m in plan.members]
    graph.add_nodes_from(members)
    bilateral = [(m.provider, m.recipient) for m in matches if m.workshop is None]
    graph.add_edges_from(bilateral)
    ring: nx.Graph[str] = nx.Graph()
    ring.add_nodes_from(members)
    position: dict[str, Any] = dict(nx.circular_layout(ring))
    workshop_edges: list[tuple[str, str]] = []
    for i, w in enumerate(held):
        angle = 2 * math.pi * i / max(1, len(held))
        position[w.id] = (0.45 * math.cos(angle), 0.45 * math.sin(angle))
        graph.add_node(w.id)
        workshop_edges += [(w.host, w.id), *((w.id, p) for p in w.participants)]
    graph.add_edges_from(workshop_edges)
    axes = _axes(ax)
    nx.draw_networkx_nodes(graph, position, nodelist=members, ax=axes, node_size=120,
                           node_color="#2f6fba")
    nx.draw_networkx_nodes(graph, position, nodelist=[w.id for w in held], ax=axes,
                           node_size=90, node_shape="s", node_color="#9a6700")
    nx.draw_networkx_edges(graph, position, edgelist=bilateral, ax=axes, arrows=True,
                           arrowsize=8, width=0.8, edge_color="#1b1b1b")
    nx.draw_networkx_edges(graph, position, edgelist=workshop_edges, ax=axes, arrows=True,
                           arrowsize=6, width=0.5, style="dashed", edge_color="#9a6700")
    nx.draw_networkx_labels(graph, position, labels={m: m for m in members}, ax=axes,
                            font_size=7)
    axes.set_axis_off()
    return axes
