"""Portfolios: one row per institution, and the files that could not be read."""

from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Callable

from .._i18n import Lang, messages, text
from .._output import CellWriter, json_text
from ..portfolio import Breakdown, GroupStats, Portfolio, Summary
from ._common import (
    action_titles,
    attribute_value,
    cell,
    fmt,
    heading,
    phase_names,
    priority_name,
    words,
)
from .html import grade_cell, page, table
from .svg import bars_svg

__all__ = ["EVIDENCE_COLUMNS", "breakdown_csv", "breakdown_html", "breakdown_json",
           "breakdown_markdown", "portfolio_csv", "portfolio_html", "portfolio_json",
           "portfolio_markdown"]


def portfolio_json(portfolio: Portfolio) -> str:
    """Stable JSON: the summaries and failures (and assessments when kept)."""
    return json_text(portfolio.to_dict())


def _groups(portfolio: Portfolio) -> tuple[list[str], list[str]]:
    first = portfolio.summaries[0] if portfolio.summaries else None
    return (list(first.by_phase) if first else [], list(first.by_priority) if first else [])


EVIDENCE_COLUMNS = ("provisional", "score_low", "score_high", "reliability", "evidence_needed",
                    "rank_best", "rank_worst", "rank_supported")
"""The columns of :func:`portfolio_csv` that say how much each row's figures rest on."""


def _evidence(s: Summary, w: Callable[[str], str]) -> list[str]:
    """Plain-text cells: score range, grade (provisional), coverage, reliability, possible
    rank (``*`` where the evidence cannot support it), documented gaps, evidence needed."""
    low, high = s.score_range or (s.score, s.score)
    rank = "-" if s.rank is None else (
        str(s.rank[0]) if s.rank[0] == s.rank[1] else f"{s.rank[0]}-{s.rank[1]}")
    return [f"{s.score:.1f}" if low == high else f"{s.score:.1f} ({low:.1f}-{high:.1f})",
            f"{s.grade} ({w('provisional')})" if s.provisional else s.grade,
            f"{s.coverage:.0%}", w(f"reliability.{s.reliability}") if s.reliability else "-",
            rank + (" *" if s.rank_supported is False else ""), str(len(s.blocking)),
            str(len(s.evidence_needed))]


def _evidence_head(w: Callable[[str], str]) -> list[str]:
    return [heading(w, key) for key in ("score", "grade", "coverage", "reliability",
                                        "rank_interval", "blocking", "evidence_needed.short")]


def _rank_note(portfolio: Portfolio, lang: Lang) -> str:
    """The note under a portfolio table: what the possible rank and its ``*`` mean."""
    flagged = sum(1 for s in portfolio.summaries if s.rank_supported is False)
    return f"* {text('rank.flag', lang)} ({flagged}). {text('rank.note', lang)}"


def portfolio_csv(portfolio: Portfolio) -> str:
    """One row per institution: ids, date, score, grade, blocking count, group scores, file;
    then one row per file that could not be read, with only its name and its problems."""
    phases, priorities = _groups(portfolio)
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["institution", "name", "country", "as_of", "score", "grade", "coverage",
                     "blocking", *EVIDENCE_COLUMNS,
                     *(f"phase:{p}" for p in phases), *(f"priority:{p}" for p in priorities),
                     "source", "problems"])
    for s in portfolio.summaries:
        low, high = s.score_range or (s.score, s.score)
        best, worst = s.rank or ("", "")
        writer.writerow([s.institution.id, s.institution.name, s.institution.country,
                         s.as_of.isoformat(), f"{s.score:.1f}", s.grade, f"{s.coverage:g}",
                         len(s.blocking), int(s.provisional), f"{low:.1f}", f"{high:.1f}",
                         s.reliability or "", len(s.evidence_needed), best, worst,
                         "" if s.rank_supported is None else int(s.rank_supported),
                         *("" if s.by_phase.get(p) is None else s.by_phase[p] for p in phases),
                         *("" if s.by_priority.get(p) is None else s.by_priority[p]
                           for p in priorities), s.source or "", ""])
    blank = [""] * (8 + len(EVIDENCE_COLUMNS) + len(phases) + len(priorities))
    for f in portfolio.failures:
        writer.writerow([*blank, f.source, "\n".join(str(p) for p in f.problems)])
    return buffer.getvalue()


def _headline(portfolio: Portfolio, lang: Lang) -> str:
    w = words(lang)
    n = len(portfolio.summaries)
    mean = sum(s.score for s in portfolio.summaries) / n if n else None
    coverage = sum(s.coverage for s in portfolio.summaries) / n if n else None
    grades: Counter[str] = Counter(s.grade for s in portfolio.summaries)
    return (f"{n} {w('institutions')} · {w('mean_score')} {fmt(mean)} · {w('coverage')} "
            f"{'-' if coverage is None else f'{coverage:.0%}'} · {w('grades')} "
            + " ".join(f"{g} {grades[g]}" for g in "ABC"))


SORTS = ("score", "coverage", "name", "id")
"""The orders a portfolio's page can show its rows in."""


def _sorted(portfolio: Portfolio, sort: str) -> list[Summary]:
    """The rows in the order the reader asks: highest score (or coverage) first, or by name
    or id; ties by id.

    Raises
    ------
    ValueError
        For another order.
    """
    rows = portfolio.summaries
    if sort == "score":
        return sorted(rows, key=lambda s: (-s.score, s.institution.id))
    if sort == "coverage":
        return sorted(rows, key=lambda s: (-s.coverage, -s.score, s.institution.id))
    if sort in ("name", "id"):
        return sorted(rows, key=lambda s: (getattr(s.institution, sort), s.institution.id))
    raise ValueError(f"unknown order {sort!r}: use one of {', '.join(SORTS)}")


def portfolio_markdown(portfolio: Portfolio, lang: Lang = "es", *, sort: str = "score") -> str:
    """A Markdown table of the institutions (highest score first, or as ``sort`` says: one
    of :data:`SORTS`), then the unreadable files with their problems."""
    w = words(lang)
    phases, _ = _groups(portfolio)
    head = [w("institution"), w("country"), w("as_of"), *_evidence_head(w), *phases]
    out = [f"# {w('portfolio')}: `{portfolio.protocol.id}` {portfolio.protocol.version}", "",
           _headline(portfolio, lang), "",
           "| " + " | ".join(cell(h) for h in head) + " |", "|---" * len(head) + "|"]
    for s in _sorted(portfolio, sort):
        out.append(f"| {cell(s.institution.name)} (`{s.institution.id}`) | "
                   f"{cell(s.institution.country)} | {s.as_of} | "
                   + " | ".join(cell(c).replace("*", "\\*") for c in _evidence(s, w)) + " | "
                   + " | ".join(fmt(s.by_phase[p]) for p in phases) + " |")
    if portfolio.summaries:
        out += ["", cell(_rank_note(portfolio, lang)).replace("*", "\\*", 1)]
    if portfolio.failures:
        out += ["", f"## {w('unreadable')} ({len(portfolio.failures)})", ""]
        out += [f"- {cell(problem.line_in(lang))}" for f in portfolio.failures
                for problem in f.problems]
    return "\n".join(out) + "\n"


def portfolio_html(portfolio: Portfolio, lang: Lang = "es", *, fragment: bool = False,
                   sort: str = "score") -> str:
    """A self-contained HTML page (or, with ``fragment``, a fragment for Jupyter): the rows
    highest score first (or as ``sort`` says: one of :data:`SORTS`), grades in colour, the
    coverage of each institution and the mean of the region by phase as figures."""
    w = words(lang)
    e = html.escape
    phases, _ = _groups(portfolio)
    rows = _sorted(portfolio, sort)
    head = [w("institution"), w("country"), w("as_of"), *_evidence_head(w), *phases]
    body = ([f"<div class=name>{e(s.institution.name)}<br><code>{e(s.institution.id)}</code></div>",
             e(s.institution.country), f"<span class=id>{s.as_of}</span>",
             *_evidence_cells(s, w), *(fmt(s.by_phase[p]) for p in phases)]
            for s in rows)
    parts = [f"<h1>{e(w('portfolio'))}: {e(portfolio.protocol.id)} "
             f"{e(portfolio.protocol.version)}</h1>",
             f"<p class=meta>{e(_headline(portfolio, lang))}</p>"]
    if rows:  # the coverage of each institution and the region's mean by phase, at a glance
        means = [_mean([s.by_phase[p] for s in rows]) for p in phases]
        coverage = bars_svg([s.institution.id for s in rows], [100 * s.coverage for s in rows],
                            title=w("coverage_by_institution"))
        names = phase_names(portfolio.protocol.id, lang)
        legend = " · ".join(f"{p} {names[p]}" for p in phases if p in names)
        parts.append(
            f"<div class=charts><figure><figcaption>{e(w('coverage_by_institution'))}"
            f"</figcaption>{coverage}</figure>"
            f"<figure><figcaption>{e(w('by_phase'))}</figcaption>"
            f"{bars_svg(phases, means, title=w('by_phase'))}</figure></div>"
            + (f"<p class=meta>{e(legend)}</p>" if legend else ""))
    parts.append(table(head, body))
    if rows:
        parts.append(f"<p class=meta>{e(_rank_note(portfolio, lang))}</p>")
    if portfolio.failures:
        items = "".join(f"<li><code>{e(problem.line_in(lang))}</code></li>"
                        for f in portfolio.failures for problem in f.problems)
        parts.append(f"<h2>{e(w('unreadable'))} ({len(portfolio.failures)})</h2><ul>{items}</ul>")
    return page(f"{w('portfolio')}: {portfolio.protocol.id}", "\n".join(parts), lang,
                fragment=fragment)


def _evidence_cells(s: Summary, w: Callable[[str], str]) -> list[str]:
    """The cells of :func:`_evidence` as HTML, the grade in its colour."""
    cells = [html.escape(c) for c in _evidence(s, w)]
    cells[0] = f"<span class=id>{cells[0]}</span>"
    cells[1] = grade_cell(s.grade, w("provisional") if s.provisional else None)
    return cells


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


# ----------------------------------------------------------------------------- breakdowns

def breakdown_json(breakdown: Breakdown) -> str:
    """Stable JSON of a breakdown."""
    return json_text(breakdown.to_dict())


_COLUMNS = ("group", "institutions", "suppressed", "mean_score", "median_score",
            "mean_coverage", "grade_A", "grade_B", "grade_C", "common_blocking",
            "weakest_priority")


def _row(g: GroupStats) -> list[object]:
    grades = g.grades or {}
    return [g.group, g.institutions, int(g.suppressed),
            *("" if v is None else v for v in (g.mean_score, g.median_score, g.mean_coverage)),
            *(grades.get(x, "") for x in "ABC"), ";".join(g.common_blocking),
            g.weakest_priority or ""]


def breakdown_csv(breakdown: Breakdown) -> str:
    """One row per group, then the total (group ``*``); suppressed cells are empty."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(_COLUMNS)
    for g in breakdown.groups:
        writer.writerow(_row(g))
    writer.writerow(_row(breakdown.total.model_copy(update={"group": "*"})))
    return buffer.getvalue()


def _cells(g: GroupStats, w: Callable[[str], str], lang: Lang,
           titles: dict[str, str]) -> list[str]:
    if g.suppressed:
        return [str(g.institutions), w("suppressed"), "", "", "", "", ""]
    grades = g.grades or {}
    return [str(g.institutions), fmt(g.mean_score), fmt(g.median_score),
            "-" if g.mean_coverage is None else f"{g.mean_coverage:.0%}",
            " ".join(f"{x} {grades.get(x, 0)}" for x in "ABC"),
            "; ".join(f"{i} {titles.get(i, '')}".strip() for i in g.common_blocking) or "-",
            "-" if g.weakest_priority is None else priority_name(g.weakest_priority, lang)]


def _breakdown_table(breakdown: Breakdown, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """The header (capitalised) and the rows: each group named in ``lang``, each gap with
    its title, the weakest priority with its short name, then the total."""
    w = words(lang)
    titles = action_titles(_BUNDLED, lang)
    head = [heading(w, k) for k in ("by." + breakdown.by if f"by.{breakdown.by}" in messages("es")
                                    else "group", "count", "mean_score", "median_score",
                                    "coverage", "grades", "common_blocking",
                                    "weakest_priority")]
    rows = [[attribute_value(breakdown.by, g.group, lang), *_cells(g, w, lang, titles)]
            for g in breakdown.groups]
    rows.append([w("total"), *_cells(breakdown.total, w, lang, titles)])
    return head, rows


_BUNDLED = "sendai_ciss"
"""A breakdown keeps action ids alone; their titles are those of the bundled protocol."""


def _breakdown_title(breakdown: Breakdown, lang: Lang) -> str:
    """"Resumen por subregión": the attribute in ``lang`` where the catalogue names it."""
    key = f"by.{breakdown.by}"
    return text("breakdown", lang, by=text(key, lang) if key in messages("es") else breakdown.by)


def breakdown_markdown(breakdown: Breakdown, lang: Lang = "es") -> str:
    """The groups as a Markdown table, with the suppression rule stated under it."""
    head, rows = _breakdown_table(breakdown, lang)
    out = [f"# {cell(_breakdown_title(breakdown, lang))}", "",
           "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    out += ["", text("suppression", lang, k=breakdown.k), ""]
    return "\n".join(out)


def breakdown_html(breakdown: Breakdown, lang: Lang = "es", *, fragment: bool = False) -> str:
    """The groups as a self-contained HTML page (or a fragment for Jupyter), highest mean
    score first (the total last)."""
    e = html.escape
    head, rows = _breakdown_table(breakdown, lang)
    order = sorted(range(len(rows) - 1), key=lambda i: (
        breakdown.groups[i].mean_score is None, -(breakdown.groups[i].mean_score or 0.0),
        rows[i][0]))
    title = _breakdown_title(breakdown, lang)
    titles = action_titles(_BUNDLED, lang)
    groups = [*breakdown.groups, breakdown.total]

    def html_row(i: int) -> list[str]:  # ids in code, grades in colour, the total in bold
        g, row = groups[i], [e(c) for c in rows[i]]
        if not g.suppressed:
            row[5] = " ".join(f"<span class=id>{grade_cell(x)} {(g.grades or {}).get(x, 0)}"
                              "</span>" for x in "ABC")
            row[6] = "<div class=wide>" + ("<br>".join(
                f"<code>{e(a)}</code> {e(titles.get(a, ''))}" for a in g.common_blocking)
                or "-") + "</div>"
        if i == len(groups) - 1:
            row[0] = f"<strong>{row[0]}</strong>"
        return row

    cells = (html_row(i) for i in [*order, len(rows) - 1])
    body = (f"<h1>{e(title)}</h1>{table(head, cells)}"
            f"<p class=meta>{e(text('suppression', lang, k=breakdown.k))}</p>")
    return page(title, body, lang, fragment=fragment)
