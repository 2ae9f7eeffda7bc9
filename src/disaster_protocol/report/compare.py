"""Comparisons and trends of one institution over time."""

from __future__ import annotations

import html
import io
from collections.abc import Callable

from .._compare import ActionChange, Comparison, Trend
from .._i18n import Lang
from .._output import CellWriter, json_text
from ._common import action_titles, cell, fmt, phase_names, plain, words
from .html import grade_cell, page
from .svg import bars_svg

__all__ = ["comparison_csv", "comparison_html", "comparison_json", "comparison_markdown",
           "comparison_text", "trend_csv"]


def comparison_json(comparison: Comparison) -> str:
    """Stable JSON of a comparison."""
    return json_text(comparison.to_dict())


def comparison_csv(comparison: Comparison) -> str:
    """One row per action whose effective level changed."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["institution", "action", "before", "after", "change"])  # n/a: out of scope
    for c in (*comparison.rose, *comparison.fell, *comparison.rescoped):
        change = "" if c.before is None or c.after is None else c.after - c.before
        writer.writerow([comparison.institution.id, c.action, _level(c.before),
                         _level(c.after), change])
    for c in comparison.newly_assessed:
        writer.writerow([comparison.institution.id, c.action, "unassessed", _level(c.after),
                         ""])
    for c in comparison.no_longer_assessed:
        writer.writerow([comparison.institution.id, c.action, _level(c.before), "unassessed",
                         ""])
    return buffer.getvalue()


def _level(level: int | None) -> str:
    return "n/a" if level is None else str(level)


def _moves(changes: tuple[ActionChange, ...], w: Callable[[str], str]) -> str:
    return ", ".join(f"{c.action} {_level(c.before)}→{_level(c.after)}"
                     for c in changes) or w("none")


def _lines(comparison: Comparison, lang: Lang) -> list[tuple[str, str]]:
    """(heading, content) pairs every text format shows."""
    c, w = comparison, words(lang)
    review = [] if c.to_review is None or c.confirmed is None else [
        (w("to_review"), f"{len(c.to_review)}: " + (", ".join(c.to_review) or w("none"))),
        (w("confirmed"), f"{len(c.confirmed)}: " + (", ".join(c.confirmed) or w("none")))]
    lines = [
        (w("score"), f"{c.score_before:.1f} → {c.score_after:.1f} ({c.score_change:+.1f}); "
                     f"{w('grade')} {c.grade_before} → {c.grade_after}"),
        (w("rose"), _moves(c.rose, w)),
        (w("fell"), _moves(c.fell, w)),
        (w("rescoped"), _moves(c.rescoped, w)),
        (w("newly_assessed"), ", ".join(f"{x.action} {_level(x.after)}"
                                        for x in c.newly_assessed) or w("none")),
        (w("no_longer_assessed"), ", ".join(f"{x.action} {_level(x.before)}"
                                            for x in c.no_longer_assessed) or w("none")),
        (w("blocking_closed"), ", ".join(c.blocking_closed) or w("none")),
        (w("blocking_opened"), ", ".join(c.blocking_opened) or w("none")),
        (w("findings_new"), ", ".join(f"{w('kind.' + k)} {a}" for k, a in c.findings_new)
         or w("none")),
        (w("findings_resolved"), ", ".join(f"{w('kind.' + k)} {a}"
                                           for k, a in c.findings_resolved) or w("none")),
        (w("plan_done"), ", ".join(c.plan_done) or w("none")),
        (w("by_phase"), "  ".join(f"{k} {fmt(g.before)}→{fmt(g.after)}"
                                  for k, g in c.groups["by_phase"].items())),
    ]
    return lines[:1] + review + lines[1:]


def _title(comparison: Comparison, lang: Lang) -> str:
    c = comparison
    return (f"{words(lang)('comparison')}: {plain(c.institution.name)} ({c.institution.id}), "
            f"{c.before} → {c.after}")


def comparison_text(comparison: Comparison, lang: Lang = "es") -> str:
    """A terminal summary of the changes (what ``disaster-protocol compare`` prints)."""
    lines = [_title(comparison, lang)]
    lines += [f"{head}: {body}" for head, body in _lines(comparison, lang)]
    lines.append(f"{len(comparison.stayed)} {words(lang)('stayed')}")
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison, lang: Lang = "es") -> str:
    """A Markdown report of the changes: the score change first, then each list of actions
    with their titles."""
    c, w = comparison, words(lang)
    titles = {**action_titles(c.protocol.id, lang), **phase_names(c.protocol.id, lang)}
    out = [f"# {cell(_title(comparison, lang))}", "",
           f"**{c.score_change:+.1f}** — {w('score')} {c.score_before:.1f} → "
           f"{c.score_after:.1f}; {w('grade')} {c.grade_before} → {c.grade_after}", ""]
    for head, items in _sections(comparison, lang):
        if head == w("confirmed"):  # a long list of ids: on one line
            out.append(f"- **{head}:** {len(items)}: "
                       + (", ".join(f"`{a}`" for a, _ in items) or w("none")))
            continue
        out.append(f"- **{head}:**" + ("" if items else f" {w('none')}"))
        out += [f"  - `{a}` {cell(titles.get(a, ''))}".rstrip()
                + (f" ({cell(extra)})" if extra else "") for a, extra in items]
    return "\n".join(out) + "\n"


def _sections(comparison: Comparison, lang: Lang) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, items) of every list the pages show; an item is an action or phase id and
    what to say beside its title (the levels, the kind of finding, the scores)."""
    c, w = comparison, words(lang)

    def moves(changes: tuple[ActionChange, ...]) -> list[tuple[str, str]]:
        return [(x.action, f"{_level(x.before)} → {_level(x.after)}") for x in changes]

    def ids(actions: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(a, "") for a in actions]

    def kinds(found: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        return [(a, w("kind." + k)) for k, a in found]

    review = [] if c.to_review is None or c.confirmed is None else [
        (w("to_review"), ids(c.to_review)), (w("confirmed"), ids(c.confirmed))]
    return [
        *review,
        (w("rose"), moves(c.rose)), (w("fell"), moves(c.fell)),
        (w("rescoped"), moves(c.rescoped)),
        (w("newly_assessed"), [(x.action, _level(x.after)) for x in c.newly_assessed]),
        (w("no_longer_assessed"), [(x.action, _level(x.before))
                                   for x in c.no_longer_assessed]),
        (w("blocking_closed"), ids(c.blocking_closed)),
        (w("blocking_opened"), ids(c.blocking_opened)),
        (w("findings_new"), kinds(c.findings_new)),
        (w("findings_resolved"), kinds(c.findings_resolved)),
        (w("plan_done"), ids(c.plan_done)),
        (w("by_phase"), [(k, f"{fmt(g.before)} → {fmt(g.after)}")
                         for k, g in c.groups["by_phase"].items()]),
    ]


def _html_rows(comparison: Comparison, lang: Lang) -> list[tuple[str, str]]:
    """(heading, HTML) pairs: each action with its title beside its id, the list of
    confirmed actions folded."""
    c, w, e = comparison, words(lang), html.escape
    titles = {**action_titles(c.protocol.id, lang), **phase_names(c.protocol.id, lang)}

    def listed(items: list[tuple[str, str]]) -> str:
        if not items:
            return e(w("none"))
        said = [f" <span class='meta id'>({e(extra)})</span>" if extra else ""
                for _, extra in items]  # "(2 → 3)" kept on one line
        return "<ul class=ids>" + "".join(
            f"<li><code>{e(a)}</code> {e(titles.get(a, ''))}{extra}</li>"
            for (a, _), extra in zip(items, said, strict=True)) + "</ul>"

    return [(head, f"<details><summary>{len(items)}</summary>{listed(items)}</details>"
             if head == w("confirmed") and items else listed(items))
            for head, items in _sections(comparison, lang)]


def comparison_html(comparison: Comparison, lang: Lang = "es", *,
                    fragment: bool = False) -> str:
    """A self-contained HTML page of the changes (or a fragment for Jupyter): the score
    change first, then the grades and the charts, then each list of actions with titles."""
    c, e, w = comparison, html.escape, words(lang)
    rows = "".join(f"<tr><th>{e(head)}</th><td>{body}</td></tr>"
                   for head, body in _html_rows(comparison, lang))  # a header column
    title = _title(comparison, lang)
    phases = comparison.groups["by_phase"]
    charts = "".join(
        f"<figure><figcaption>{e(w(side))} {when}</figcaption>"
        + bars_svg(list(phases), [getattr(g, side) for g in phases.values()],
                   title=f"{w(side)} {when}") + "</figure>"
        for side, when in (("before", comparison.before), ("after", comparison.after)))
    trend = "up" if c.score_change > 0 else "down" if c.score_change < 0 else ""
    headline = (f"<p class=headline><span class='delta {trend}' title='{e(w('score_change'))}'>"
                f"{c.score_change:+.1f}</span> {e(w('score'))} {c.score_before:.1f} → "
                f"{c.score_after:.1f} · {e(w('grade'))} {grade_cell(c.grade_before)} → "
                f"{grade_cell(c.grade_after)}</p>")
    ident = e(c.institution.id)  # an id is not broken at its hyphens
    heading = e(title).replace(f"({ident})", f"(<span class=id>{ident}</span>)", 1)
    for day in (str(c.before), str(c.after)):  # nor a date at its hyphens
        heading = heading.replace(day, f"<span class=id>{day}</span>")
    return page(title, f"<h1>{heading}</h1>{headline}<div class=charts>{charts}</div>"
                       f"<div class=scroll><table>{rows}</table></div>", lang, fragment=fragment)


def trend_csv(trend: Trend) -> str:
    """One row per date, oldest first."""
    phases = list(trend.points[0].by_phase) if trend.points else []
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["institution", "as_of", "score", "grade", "coverage", "blocking",
                     *(f"phase:{p}" for p in phases)])
    for p in trend.points:
        writer.writerow([trend.institution.id, p.as_of.isoformat(), f"{p.score:.1f}", p.grade,
                         f"{p.coverage:g}", p.blocking,
                         *("" if p.by_phase.get(k) is None else p.by_phase[k] for k in phases)])
    return buffer.getvalue()
