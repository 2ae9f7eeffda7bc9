"""matplotlib figures of the library's results (the optional ``analysis`` extra).

Each function takes ``ax=`` (an Axes to draw on; a new figure when None) and returns the Axes
it drew on, with labels in the language asked for. matplotlib is imported only when a plot is
drawn. No figure is shown or saved here: that is the caller's choice.

A new figure is sized for what it holds and laid out by matplotlib's constrained layout, so
that at its default size no text overlaps another or leaves the figure (a test measures every
drawn text of every figure in every language). Long names are wrapped and shortened; ids stay
whole.
"""

from __future__ import annotations

import math
import textwrap
import warnings
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

__all__ = ["comparison_bars", "cooperation_matrix", "cooperation_network", "dependency_graph",
           "heatmap", "radar", "trend_line"]

INSTALL = "pip install 'disaster-protocol[analysis]'"
Family = Literal["priority", "phase"]
RED, BLUE, GREY = "#b30000", "#2f6fba", "#8c8c8c"


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(f"plots need matplotlib, which is not installed: {INSTALL}") from None
    return plt


def _axes(ax: Axes | None, size: tuple[float, float], **subplot: Any) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches under constrained layout."""
    if ax is not None:
        return ax
    _, created = _pyplot().subplots(figsize=size, layout="constrained",
                                    subplot_kw=subplot or None)
    return created  # type: ignore[no-any-return]


def _short(words: str, width: int = 20, lines: int = 2) -> str:
    """``words`` wrapped at ``width`` characters, cut to ``lines`` lines with an ellipsis."""
    wrapped = textwrap.wrap(words, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[:lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1:]),
                                                          width, placeholder="…")]
    return "\n".join(wrapped)


def _heading(word: str) -> str:
    return word[:1].upper() + word[1:]


def _label(a: Assessment, key: str, lang: Lang) -> str:
    title = a.labels.get(key)
    return f"{key}\n{_short(title.get(lang))}" if title is not None else key


def radar(assessments: Assessment | Sequence[Assessment], by: Family = "priority",
          lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """Scores of one or several assessments around a circle, by Sendai priority or by phase
    (one closed line each), the first group at the top and clockwise. Each group is labelled
    with its id and short name. A group with nothing assessed is left out of its line (a gap,
    not a 0), and its label says "not assessed" where no assessment has it. The legend sits
    under the circle."""
    check_lang(lang)
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    if not items:
        raise ValueError("radar needs at least one assessment")
    keys = list(getattr(items[0], f"by_{by}"))
    angles = [2 * math.pi * i / len(keys) for i in range(len(keys))]
    legend = 0.22 * len(items)  # inches under the circle for the legend
    if ax is None:  # fixed margins: constrained layout cannot size a round Axes' labels
        width, height, circle = 7.4, 6.4 + legend, 4.0
        fig = _pyplot().figure(figsize=(width, height))
        axes: Any = fig.add_axes(((1 - circle / width) / 2, (1.05 + legend) / height,
                                  circle / width, circle / height), projection="polar")
    else:
        axes = ax
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    for a in items:
        groups = getattr(a, f"by_{by}")
        scores = [math.nan if groups.get(k) is None else groups[k] for k in keys]
        axes.plot([*angles, angles[0]], [*scores, scores[0]], marker=".",
                  label=f"{a.institution.name} ({a.as_of})")
    unknown = {k for k in keys if all(getattr(a, f"by_{by}").get(k) is None for a in items)}
    axes.set_xticks(angles)
    axes.set_xticklabels([_label(items[0], k, lang)
                          + (f"\n({text('not_assessed', lang)})" if k in unknown else "")
                          for k in keys], fontsize="small")
    for angle, tick in zip(angles, axes.get_xticklabels(), strict=True):
        east = math.sin(angle)  # clockwise from the top: east is positive
        tick.set_horizontalalignment("left" if east > 0.01 else "right" if east < -0.01
                                     else "center")
        north = math.cos(angle)
        tick.set_verticalalignment("bottom" if north > 0.01 else "top" if north < -0.01
                                   else "center")
    axes.tick_params(axis="x", pad=4)
    axes.set_ylim(0, 100)
    axes.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize="x-small",
                    color=GREY)
    axes.set_rlabel_position(180 / len(keys))  # between the first two groups
    axes.set_title(text(f"by_{by}", lang), pad=10)
    if ax is None:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01),
                    bbox_transform=axes.figure.transFigure, fontsize="small", frameon=False)
    else:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize="small",
                    frameon=False)
    return axes  # type: ignore[no-any-return]


def heatmap(portfolio: Portfolio, by: str | None = None, columns: Family = "phase", *,
            k: int = 3, lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """Scores of a portfolio as a grid, each cell annotated with its value: institutions (or
    groups ``by`` an attribute) against phases or Sendai priorities, the best row first.

    Groups a summary suppresses (under ``k`` institutions) stay blank, sit at the bottom and
    say so in their row, and a note under the grid counts them, so that an all-blank figure
    explains itself."""
    check_lang(lang)
    family = f"by_{columns}"
    keys = list(getattr(portfolio.summaries[0], family)) if portfolio.summaries else []
    if by is None:
        rows = [(s.institution.id, [getattr(s, family).get(c) for c in keys], False)
                for s in portfolio.summaries]
    else:
        rows = _group_rows(portfolio, by, k, family, keys)
    rows.sort(key=lambda r: (r[2], -_known(_mean(r[1]))))
    grid = [[math.nan if v is None else v for v in values] for _, values, _ in rows]
    axes: Any = _axes(ax, (7.0, max(3.4, 0.3 * len(rows) + 2.0)))
    image = axes.imshow(grid or [[math.nan]], vmin=0, vmax=100, cmap="RdYlGn", aspect="auto")
    for y, (_, values, suppressed) in enumerate(rows):
        if suppressed:
            axes.text((len(keys) - 1) / 2, y, text("suppressed", lang), ha="center",
                      va="center", fontsize="x-small", color=GREY, style="italic")
            continue
        for x, v in enumerate(values):
            axes.text(x, y, "–" if v is None else f"{v:.0f}", ha="center", va="center",
                      fontsize="x-small", color="#1b1b1b")
    axes.set_xticks(range(len(keys)), keys)
    axes.set_yticks(range(len(rows)), [name for name, _, _ in rows], fontsize="small")
    axes.set_title(text(family, lang))
    hidden = sum(r[2] for r in rows)
    if hidden:
        axes.set_xlabel(_short(text("plot.suppressed_note", lang, n=hidden, total=len(rows),
                                    k=k), 70, 3), fontsize="small")
    axes.figure.colorbar(image, ax=axes, label=text("score", lang))
    return axes  # type: ignore[no-any-return]


def _known(value: float | None) -> float:
    """``value``, or below every score where there is none (so that it sorts last)."""
    return -math.inf if value is None else value


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _group_rows(portfolio: Portfolio, by: str, k: int, family: str,
                keys: list[str]) -> list[tuple[str, list[float | None], bool]]:
    """Mean score per group and column; a group the summary suppresses stays blank."""
    breakdown = portfolio.summary(by, k=k)
    members: dict[str, list[dict[str, float | None]]] = {}
    latest = {s.institution.id: s for s in sorted(portfolio.summaries, key=lambda s: s.as_of)}
    for s in latest.values():
        group = getattr(s.institution, by) or "-"
        members.setdefault(str(group), []).append(dict(getattr(s, family)))
    rows: list[tuple[str, list[float | None], bool]] = []
    for g in breakdown.groups:
        name = f"{g.group} (n={g.institutions})"
        if g.suppressed:
            rows.append((name, [None] * len(keys), True))
            continue
        rows.append((name, [_mean([m.get(key) for m in members.get(g.group, [])])
                            for key in keys], False))
    return rows


def trend_line(trend: Trend, lang: Lang = "es", ax: Axes | None = None) -> Axes:
    """One institution's score over its dates, with its coverage as a dashed line; dates
    on a concise axis that never crowds its labels."""
    check_lang(lang)
    from matplotlib import dates as untyped

    dates_module: Any = untyped  # its functions have no type hints

    axes: Any = _axes(ax, (6.4, 4.0))
    dates: Any = [p.as_of for p in trend.points]  # matplotlib reads dates
    axes.plot(dates, [p.score for p in trend.points], marker="o",
              label=_heading(text("score", lang)))
    axes.plot(dates, [100 * p.coverage for p in trend.points], linestyle="--",
              label=_heading(text("coverage", lang)))
    locator = dates_module.AutoDateLocator(maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates_module.ConciseDateFormatter(  # numbers: no
        locator, formats=["%Y", "%Y-%m", "%d", "%H:%M", "%H:%M", "%S"],  # English months
        offset_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]))
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.set_title(_short(f"{trend.institution.name} ({trend.institution.id})", 60))
    axes.legend(fontsize="small", loc="lower right")
    return axes  # type: ignore[no-any-return]


def comparison_bars(comparison: Comparison, by: Family = "phase", lang: Lang = "es",
                    ax: Axes | None = None) -> Axes:
    """Group scores before and after, side by side (a group that does not apply at 0)."""
    check_lang(lang)
    groups = comparison.groups[f"by_{by}"]
    keys = list(groups)
    axes: Any = _axes(ax, (6.4, 4.4))
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
    axes.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2,
                frameon=False)
    return axes  # type: ignore[no-any-return]


def dependency_graph(protocol: Protocol, lang: Lang = "es", ax: Axes | None = None, *,
                     scope: Literal["critical", "all"] = "critical") -> Axes:
    """The protocol's actions by phase (one column each, its name on top), every node
    labelled with its id, an arrow from prerequisite to dependant. By default only the
    critical actions and the arrows between them (``scope="all"`` draws every action,
    critical ones and the arrows between them in red); a note under the graph says which."""
    import networkx as nx

    check_lang(lang)
    shown = [a for a in protocol.actions if scope == "all" or a.critical]
    if scope not in ("critical", "all"):
        raise ValueError(f"unknown scope {scope!r}; choose critical or all")
    ids = {a.id for a in shown}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(a.id for a in shown)
    graph.add_edges_from((r, a.id) for a in shown for r in a.requires if r in ids)
    depth = {n: 0 for n in graph}
    for n in nx.topological_sort(graph):
        for m in graph.successors(n):
            depth[m] = max(depth[m], depth[n] + 1)
    phases = [p.id for p in protocol.phases]
    order = {a.id: i for i, a in enumerate(protocol.actions)}
    columns: dict[str, list[str]] = {p: [] for p in phases}
    for a in sorted(shown, key=lambda a: (depth[a.id], order[a.id])):
        columns[a.phase].append(a.id)
    position = {n: (float(phases.index(p)), -float(i))
                for p, members in columns.items() for i, n in enumerate(members)}
    tallest = max((len(m) for m in columns.values()), default=1)
    axes: Any = _axes(ax, (max(7.0, 2.0 * len(phases)), max(4.5, 0.3 * tallest + 2.2)))
    critical = {a.id for a in shown if a.critical}
    nx.draw_networkx_nodes(graph, position, ax=axes, node_size=40,
                           node_color=[RED if n in critical else BLUE for n in graph.nodes])
    phase_of = {a.id: a.phase for a in shown}
    chain = {(u, v) for u, v in graph.edges if u in critical and v in critical}
    for same in (True, False):
        edges = [e for e in graph.edges if (phase_of[e[0]] == phase_of[e[1]]) == same]
        style = "arc3,rad=0.35" if same else "arc3,rad=0.05"
        other = [e for e in edges if e not in chain]
        red = [e for e in edges if e in chain]
        for edgelist, colour, width in ((other, "#999999", 0.6), (red, RED, 1.0)):
            if edgelist:
                nx.draw_networkx_edges(graph, position, edgelist=edgelist, ax=axes,
                                       edge_color=colour, arrows=True, arrowsize=7,
                                       width=width, node_size=40, connectionstyle=style)
    for n, (x, y) in position.items():
        axes.annotate(n, (x, y), xytext=(5, 0), textcoords="offset points", va="center",
                      fontsize=6.5, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                          "edgecolor": "none", "alpha": 0.8})
    axes.set_xlim(-0.25, len(phases) - 0.25)
    axes.set_ylim(-tallest + 0.4, 0.6)
    axes.set_xticks(range(len(phases)),
                    [f"{p.id}\n{_short(p.title.get(lang), 18)}" for p in protocol.phases],
                    fontsize="small")
    axes.tick_params(left=False, labelleft=False, bottom=False, labelbottom=False, top=False,
                     labeltop=True)
    for side in axes.spines.values():
        side.set_visible(False)
    axes.set_title(_short(f"{protocol.title.get(lang)} {protocol.version}", 80))
    note = (text("plot.dependency.critical", lang, shown=len(shown),
                 total=len(protocol.actions)) if scope == "critical"
            else text("plot.dependency.all", lang))
    axes.set_xlabel(_short(note, 90, 3), fontsize="small")
    return axes  # type: ignore[no-any-return]


def cooperation_matrix(plan: CooperationPlan, round: int = 1, *, lang: Lang = "es",
                       ax: Axes | None = None) -> Axes:
    """One round of the plan (round 1 by default) as a matrix, who gives to whom: a row per
    workshop (labelled with its id, action and host; a dot for each participant), then a row
    per provider of bilateral exchanges (the count of exchanges with each recipient), and a
    column per recipient."""
    check_lang(lang)
    held, matches = plan.round(round)
    bilateral = [m for m in matches if m.workshop is None]
    rank = {m.institution.id: i for i, m in enumerate(plan.members)}
    recipients = sorted({*(p for w in held for p in w.participants),
                         *(m.recipient for m in bilateral)}, key=lambda r: rank.get(r, 0))
    providers = sorted({m.provider for m in bilateral}, key=lambda p: rank.get(p, 0))
    labels = [f"{w.id} {w.action} · {w.host}" for w in held] + providers
    grid = [[1.0 if r in w.participants else math.nan for r in recipients] for w in held]
    grid += [[float(sum(m.provider == p and m.recipient == r for m in bilateral)) or math.nan
              for r in recipients] for p in providers]
    axes: Any = _axes(ax, (max(6.0, 0.3 * len(recipients) + 3.8),
                           max(3.6, 0.3 * len(labels) + 2.8)))
    axes.imshow(grid or [[math.nan]], cmap="Blues", vmin=0, vmax=3, aspect="auto")
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if not math.isnan(value):
                axes.text(x, y, "●" if y < len(held) else f"{value:.0f}", ha="center",
                          va="center", fontsize="x-small", color="#1b1b1b")
    if held and providers:
        axes.axhline(len(held) - 0.5, color="#1b1b1b", linewidth=0.8)
    axes.set_xticks(range(len(recipients)), recipients, rotation=90, fontsize="small")
    axes.set_yticks(range(len(labels)), labels, fontsize="small")
    axes.set_xlabel(text("plot.coop.recipients", lang), fontsize="small")
    axes.set_ylabel(text("plot.coop.givers", lang), fontsize="small")
    axes.set_title(_short(text("plot.coop.title", lang, round=round, workshops=len(held),
                               bilateral=len(bilateral)), 70))
    return axes  # type: ignore[no-any-return]


def cooperation_network(plan: CooperationPlan, ax: Axes | None = None) -> Axes:
    """Deprecated: the network of round 1 drew hundreds of crossing arrows. Draws
    :func:`cooperation_matrix` (round 1, Spanish) with a DeprecationWarning."""
    warnings.warn("plots.cooperation_network is deprecated: it now draws "
                  "plots.cooperation_matrix(plan), which aggregates the round; call that",
                  DeprecationWarning, stacklevel=2)
    return cooperation_matrix(plan, ax=ax)
