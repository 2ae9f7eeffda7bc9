"""HTML: a self-contained, printable assessment report (no scripts, no external assets)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence

from .._i18n import Lang
from .._output import sanitise
from ..assessment import Assessment
from ._common import (
    group_score,
    heading,
    label,
    level_text,
    method_text,
    reliability_text,
    score_tables,
    words,
)
from .svg import bars_svg, radar_svg

__all__ = ["CSS", "ROOT_CLASS", "RULES", "assessment_html", "page", "scoped_css", "table"]


RULES: tuple[tuple[str, str], ...] = (
    ("body", 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;'
             "color:#1b1b1b;max-width:70rem"),
    ("h1", "font-size:1.5rem;margin-bottom:.2rem"),
    ("h2", "font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ccc"),
    ("table", "border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem"),
    (".scroll", "overflow-x:auto;max-width:100%"),
    ("svg", "max-width:100%;height:auto"),
    ("th,td", "border:1px solid #d0d0d0;padding:.25rem .45rem;text-align:left;"
              "vertical-align:top"),
    ("th", "background:#f2f2f2"),
    (".grade", "display:inline-block;font-size:2rem;font-weight:700;padding:.1rem .8rem;"
               "border-radius:.4rem;color:#fff"),
    (".A", "background:#1a7f37"), (".B", "background:#9a6700"), (".C", "background:#b30000"),
    (".bar", "background:#e8e8e8;height:.7rem;width:10rem;display:inline-block;"
             "vertical-align:middle"),
    (".bar span", "display:block;height:100%;background:#2f6fba"),
    (".crit", "color:#b30000;font-weight:600"), (".meta", "color:#555"),
    (".charts", "display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start"),
    (".steps li", "margin:.25rem 0"),
)
"""The report's style, as (selector, declarations); pages use it as is, fragments scoped."""

CSS = "".join(f"{sel}{{{body}}}" for sel, body in RULES) + (
    "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}"
    ".scroll{overflow:visible}}"
    "@media (max-width:40rem){body{margin:.6rem}}")
"""The style of a whole page."""

ROOT_CLASS = "dp-report"
"""The class of a fragment's root element: every rule of its style is scoped to it."""


def scoped_css(root: str = f".{ROOT_CLASS}") -> str:
    """The report's style with every selector inside ``root`` (``body`` becomes the root
    itself), so that a fragment shown in a notebook never restyles the notebook."""
    def scope(selector: str) -> str:
        return ",".join(root if part.strip() == "body" else f"{root} {part.strip()}"
                        for part in selector.split(","))
    return "".join(f"{scope(sel)}{{{body}}}" for sel, body in RULES).replace(
        "margin:2rem;", "margin:0;")


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table: header cells are escaped here, row cells arrive as HTML. It sits in a box that
    scrolls sideways on a narrow screen, so a wide table never widens the page."""
    top = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<div class=scroll><table><thead><tr>{top}</tr></thead><tbody>{body}</tbody>"
            "</table></div>")


def _header(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    e = html.escape
    return [f"<h1>{e(w('report'))}: {e(a.institution.name)}</h1>",
            f"<p class=meta>{e(a.institution.id)} · {e(a.institution.country)} · "
            f"{e(w('as_of'))} {a.as_of} · {e(w('protocol'))} {e(a.protocol.id)} "
            f"{e(a.protocol.version)}</p>",
            f"<p><span class='grade {a.grade}'>{a.grade}</span>"
            f"{' <em>' + e(w('provisional')) + '</em>' if a.provisional else ''} &nbsp; "
            f"<strong>{e(w('score'))}: {a.score:.1f} / 100</strong> &nbsp; "
            f"{e(w('coverage'))} {a.coverage:.0%} · {e(w('score_range'))} "
            f"{a.score_range[0]:.1f}-{a.score_range[1]:.1f}</p>",
            f"<p class=meta>{e(reliability_text(a, lang))}</p>",
            f"<p><strong>{e(w('blocking.documented'))}:</strong> "
            f"{e(', '.join(a.blocking) or w('none'))}</p>",
            f"<p><strong>{e(w('evidence_needed'))}:</strong> "
            f"{e(', '.join(a.evidence_needed) or w('none'))}</p>"]


FIRST_STEPS = 5
"""Plan steps shown on the first screen."""


def _first_screen(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    """What a director reads in a minute: the next steps, then the two charts."""
    e = html.escape
    steps = [f"<li><code>{e(s.action)}</code> {e(s.title.get(lang))}"
             f"{' <span class=crit>' + e(w('critical')) + '</span>' if s.critical else ''}"
             f" — {e(s.lead)}{' (' + e(s.unit) + ')' if s.unit else ''}, +{s.uplift:.2f}</li>"
             for s in a.plan[:FIRST_STEPS]]
    out = [f"<h2>{e(w('next_steps'))}</h2>",
           f"<ol class=steps>{''.join(steps)}</ol>" if steps else
           f"<p>{e(w('empty_plan'))}</p>"]
    priorities, phases = list(a.by_priority), list(a.by_phase)

    def named(groups: Mapping[str, float | None]) -> list[str]:  # "P3 (not assessed)"
        return [k if v is not None else f"{k} ({w('not_assessed')})" for k, v in groups.items()]

    out.append(f"<h2>{e(w('charts'))}</h2><div class=charts>"
               + radar_svg(named(a.by_priority), [a.by_priority[k] for k in priorities],
                           title=w("by_priority"))
               + bars_svg(phases, [a.by_phase[k] for k in phases], title=w("by_phase"),
                          missing=w("not_assessed"))
               + "</div>")
    return out


def _scores(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    parts = []
    for key, groups in score_tables(a):
        rows = [[html.escape(label(a, k, lang)), html.escape(group_score(g, w)),
                 "-" if g.coverage is None else f"{g.coverage:.0%}",
                 "-" if g.score_range is None else
                 f"{g.score_range[0]:.1f}-{g.score_range[1]:.1f}",
                 f"<span class=bar><span style='width:{g.score or 0:.0f}%'></span></span>"]
                for k, g in groups.items()]
        parts.append(f"<h2>{html.escape(w(key))}</h2>"
                     + table([*(heading(w, k) for k in ("group", "score", "coverage",
                                                         "score_range")), ""], rows))
    return parts


def _plan(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    e = html.escape
    if not a.plan:
        return [f"<h2>{e(w('plan'))}</h2>", f"<p>{e(w('empty_plan'))}</p>"]
    critical = f" <span class=crit>{e(w('critical'))}</span>"
    rows = [[str(s.rank), f"<code>{e(s.action)}</code> {e(s.title.get(lang))}"
             f"{critical if s.critical else ''}", e(s.lead), e(s.unit or "-"), str(s.unlocks),
             f"+{s.uplift:.2f}"] for s in a.plan]
    return [f"<h2>{e(w('plan'))}</h2>", table(
        ["#", w("action"), w("lead"), w("unit"), w("unlocks"), w("uplift")], rows)]


def _details(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    e = html.escape
    titles = {r.action: r.title.get(lang) for r in a.actions}

    def named(action: str | None, role: str | None) -> str:
        if action is None:
            return e(role or "-")
        return f"<code>{e(action)}</code> {e(titles.get(action, ''))}"

    findings = [[e(w(f"kind.{f.kind}")), named(f.action, f.role), e(f.text(lang))]
                for f in a.findings]
    actions = [[f"<code>{e(r.action)}</code>", e(r.title.get(lang)), e(r.lead),
                e(w("yes") if r.critical else w("no")), e(level_text(r, "claimed", w)),
                e(level_text(r, "effective", w))] for r in a.actions]
    method = method_text(a, lang)
    return [f"<h2>{e(w('findings'))}</h2>",
            table([w("kind"), w("action"), w("message")], findings),
            f"<h2>{e(w('actions'))}</h2>",
            table([w("action"), w("title"), w("lead"), w("critical"), w("claimed"),
                    w("effective")], actions),
            f"<h2>{e(w('method'))}</h2>",
            f"<p class=meta>{e(w('scale'))}. {e(method)}</p>"]


def assessment_html(assessment: Assessment, lang: Lang = "es", *, fragment: bool = False) -> str:
    """A self-contained HTML report (inline CSS, no scripts or external assets), printable.

    With ``fragment=True`` only the body content is returned (for Jupyter).
    """
    a, w = assessment, words(lang)
    body = "\n".join([*_header(a, w, lang), *_first_screen(a, w, lang), *_scores(a, w, lang),
                      *_plan(a, w, lang), *_details(a, w, lang)])
    return page(f"{w('report')}: {a.institution.name}", body, lang, fragment=fragment)


def page(title: str, body: str, lang: Lang, *, fragment: bool = False) -> str:
    """``body`` (HTML) as a self-contained printable page, or as a fragment for Jupyter; any
    control or bidirectional character in it (title included) shown as ``\\xNN``/``\\uNNNN``."""
    if fragment:
        return sanitise(f'<div class="{ROOT_CLASS}"><style>{scoped_css()}</style>{body}</div>')
    return sanitise(f"<!DOCTYPE html>\n<html lang={lang}>\n<head>\n<meta charset=utf-8>\n"
            f"<meta name=viewport content='width=device-width, initial-scale=1'>\n"
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")
