"""HTML: a self-contained, printable assessment report (no scripts, no external assets)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence

from .._i18n import Lang
from .._output import sanitise
from ..assessment import Assessment
from ._common import (
    group_label,
    group_score,
    heading,
    level_text,
    method_text,
    priority_name,
    reliability_text,
    score_tables,
    words,
)
from .svg import bars_svg, radar_svg

__all__ = ["CSS", "DARK", "DARK_HOSTS", "LIGHT", "ROOT_CLASS", "RULES", "assessment_html",
           "blocking_list", "grade_cell", "page", "scoped_css", "table"]


RULES: tuple[tuple[str, str], ...] = (
    ("body", 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;'
             "color:var(--dp-fg);background:var(--dp-bg);max-width:70rem"),
    ("h1", "font-size:1.5rem;margin-bottom:.2rem"),
    ("h2", "font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid var(--dp-rule)"),
    ("table", "border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem"),
    (".scroll", "overflow-x:auto;max-width:100%"),
    ("svg", "max-width:100%;height:auto"),
    ("th,td", "border:1px solid var(--dp-rule);padding:.25rem .45rem;text-align:left;"
              "vertical-align:top"),
    ("th", "background:var(--dp-head)"),
    ("code,.id", "white-space:nowrap"),
    ("td.num", "text-align:right;white-space:nowrap"),
    (".grade", "display:inline-block;font-size:2rem;font-weight:700;padding:.1rem .8rem;"
               "border-radius:.4rem;color:#fff"),
    (".g", "display:inline-block;font-weight:700;padding:0 .4rem;border-radius:.25rem;"
           "color:#fff;white-space:nowrap"),
    (".A", "background:#1a7f37"), (".B", "background:#9a6700"), (".C", "background:#b30000"),
    (".bar", "background:var(--dp-track);height:.7rem;width:10rem;display:inline-block;"
             "vertical-align:middle"),
    (".bar span", "display:block;height:100%;background:var(--dp-accent)"),
    (".crit", "color:var(--dp-crit);font-weight:600"), (".meta", "color:var(--dp-muted)"),
    (".charts", "display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start"),
    (".steps li", "margin:.25rem 0"),
    (".ids", "columns:2 24rem;padding-left:1.2rem;margin:.3rem 0"),
    (".ids li", "break-inside:avoid"),
    (".wide", "min-width:18rem"), (".name", "min-width:11rem"),
    (".headline", "font-size:1.1rem"),
    (".delta", "font-size:2rem;font-weight:700;margin-right:.6rem"),
    (".up", "color:var(--dp-up)"), (".down", "color:var(--dp-crit)"),
    ("svg text", "fill:var(--dp-fg)"),
    ("svg .grid", "stroke:var(--dp-rule)"),
    ("svg .track", "fill:var(--dp-track)"),
    ("svg .bar-value", "fill:var(--dp-accent)"),
    ("svg .score", "fill:var(--dp-accent);stroke:var(--dp-accent)"),
)
"""The report's style, as (selector, declarations); pages use it as is, fragments scoped.
Colours are the variables of :data:`LIGHT` and :data:`DARK`."""

LIGHT = ("--dp-fg:#1b1b1b;--dp-bg:#fff;--dp-muted:#555;--dp-rule:#d0d0d0;--dp-head:#f2f2f2;"
         "--dp-track:#e8e8e8;--dp-accent:#2f6fba;--dp-crit:#b30000;--dp-up:#1a7f37")
"""The colours of the light theme."""

DARK = ("--dp-fg:#e8e8e8;--dp-bg:#161616;--dp-muted:#b0b0b0;--dp-rule:#4a4a4a;"
        "--dp-head:#2a2a2a;--dp-track:#3a3a3a;--dp-accent:#6ea8ff;--dp-crit:#ff7b72;"
        "--dp-up:#56d364")
"""The colours of the dark theme: light text on a dark ground, never near-black text."""

DARK_HOSTS = ('[data-jp-theme-light="false"]', ".theme-dark", "body.vscode-dark",
              'html[data-theme="dark"]')
"""The marks of a dark notebook: JupyterLab's dark themes, classic Notebook and VS Code's,
and documentation themes (pydata-sphinx, Furo); a fragment inside one reads light on dark."""

CSS = (f":root{{color-scheme:light dark;{LIGHT}}}"
       f"@media (prefers-color-scheme:dark){{:root{{{DARK}}}}}"
       + "".join(f"{sel}{{{body}}}" for sel, body in RULES) + (
    "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}"
    ".scroll{overflow:visible}}"
    "@media (max-width:40rem){body{margin:.6rem}}"))
"""The style of a whole page: the light theme, or the dark one where the reader's system
prefers it."""

ROOT_CLASS = "dp-report"
"""The class of a fragment's root element: every rule of its style is scoped to it."""


def scoped_css(root: str = f".{ROOT_CLASS}") -> str:
    """The report's style with every selector inside ``root`` (``body`` becomes the root
    itself), so that a fragment shown in a notebook never restyles the notebook. The
    fragment keeps the notebook's ground and takes the dark colours inside a dark notebook
    (:data:`DARK_HOSTS`), not from the system's preference, which a light notebook
    ignores."""
    def scope(selector: str) -> str:
        return ",".join(root if part.strip() == "body" else f"{root} {part.strip()}"
                        for part in selector.split(","))
    dark = ",".join(f"{host} {root}" for host in DARK_HOSTS)
    return (f"{root}{{{LIGHT};--dp-bg:transparent}}{dark}{{{DARK};--dp-bg:transparent}}"
            + "".join(f"{scope(sel)}{{{body}}}" for sel, body in RULES).replace(
                "margin:2rem;", "margin:0;"))


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table: header cells are escaped (and capitalised) here, row cells arrive as HTML.
    It sits in a box that scrolls sideways on a narrow screen, so a wide table never widens
    the page."""
    top = "".join(f"<th>{html.escape(h[:1].upper() + h[1:])}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<div class=scroll><table><thead><tr>{top}</tr></thead><tbody>{body}</tbody>"
            "</table></div>")


def grade_cell(grade: str, provisional: str | None = None) -> str:
    """A grade in its colour (``<span class='g B'>B</span>``), with the word saying it is
    provisional after it when ``provisional`` is given."""
    shown = f"<span class='g {html.escape(grade)}'>{html.escape(grade)}</span>"
    return shown + (f" <em>{html.escape(provisional)}</em>" if provisional else "")


def blocking_list(ids: Sequence[str], titles: Mapping[str, str]) -> str:
    """Action ids as a list, each with its title beside it (in two columns on a wide
    screen)."""
    e = html.escape
    return ("<ul class=ids>" + "".join(
        f"<li><code>{e(i)}</code> {e(titles.get(i, ''))}</li>" for i in ids) + "</ul>")


def _header(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    e = html.escape
    return [f"<h1>{e(w('report'))}: {e(a.institution.name)}</h1>",
            f"<p class=meta><span class=id>{e(a.institution.id)}</span> · "
            f"{e(a.institution.country)} · "
            f"{e(w('as_of'))} {a.as_of} · {e(w('protocol'))} {e(a.protocol.id)} "
            f"{e(a.protocol.version)}</p>",
            f"<p><span class='grade {a.grade}'>{a.grade}</span>"
            f"{' <em>' + e(w('provisional')) + '</em>' if a.provisional else ''} &nbsp; "
            f"<strong>{e(w('score'))}: {a.score:.1f} / 100</strong> &nbsp; "
            f"{e(w('coverage'))} {a.coverage:.0%} · {e(w('score_range'))} "
            f"{a.score_range[0]:.1f}-{a.score_range[1]:.1f}</p>",
            f"<p class=meta>{e(reliability_text(a, lang))}</p>",
            f"<p><strong>{e(w('blocking.documented'))} ({len(a.blocking)}):</strong>"
            + (blocking_list(a.blocking, {r.action: r.title.get(lang) for r in a.actions})
               if a.blocking else f" {e(w('none'))}") + "</p>",
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

    def named(groups: Mapping[str, float | None]) -> list[str]:  # "P3 ... (not assessed)"
        return [priority_name(k, lang) + ("" if v is not None else f" ({w('not_assessed')})")
                for k, v in groups.items()]

    out.append(f"<h2>{e(w('charts'))}</h2><div class=charts>"
               + radar_svg(named(a.by_priority), [a.by_priority[k] for k in priorities],
                           title=w("by_priority"), scale=w("scale.radar"))
               + bars_svg(phases, [a.by_phase[k] for k in phases], title=w("by_phase"),
                          missing=w("not_assessed"))
               + "</div>")
    return out


def _scores(a: Assessment, w: Callable[[str], str], lang: Lang) -> list[str]:
    parts = []
    for key, groups in score_tables(a):
        rows = [[html.escape(group_label(a, key, k, lang)), html.escape(group_score(g, w)),
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

    def named(action: str | None, role: str | None, message: str) -> str:
        """The id, and its title unless the message already names it."""
        if action is None:
            return e(role or "-")
        title = titles.get(action, "")
        return f"<code>{e(action)}</code>" + ("" if title in message else f" {e(title)}")

    findings = [[e(w(f"kind.{f.kind}")), named(f.action, f.role, f.text(lang)),
                 e(f.text(lang))] for f in a.findings]
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
