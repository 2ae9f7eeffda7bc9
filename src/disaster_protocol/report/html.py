"""HTML: a self-contained, printable assessment report (no scripts, no external assets)."""

from __future__ import annotations

import html

from .._i18n import Lang
from ..assessment import Assessment
from ._common import fmt, label, level_text, score_tables, words

__all__ = ["assessment_html"]


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1b1b1b;
max-width:70rem}h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.6rem;
border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;margin:.5rem 0;
font-size:.9rem}th,td{border:1px solid #d0d0d0;padding:.25rem .45rem;text-align:left;
vertical-align:top}th{background:#f2f2f2}.grade{display:inline-block;font-size:2rem;
font-weight:700;padding:.1rem .8rem;border-radius:.4rem;color:#fff}.A{background:#1a7f37}
.B{background:#9a6700}.C{background:#b30000}.bar{background:#e8e8e8;height:.7rem;width:10rem;
display:inline-block;vertical-align:middle}.bar span{display:block;height:100%;
background:#2f6fba}.crit{color:#b30000;font-weight:600}.meta{color:#555}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def assessment_html(assessment: Assessment, lang: Lang = "es", *, fragment: bool = False) -> str:
    """A self-contained HTML report (inline CSS, no scripts or external assets), printable.

    With ``fragment=True`` only the body content is returned (for Jupyter).
    """
    a, w = assessment, words(lang)
    e = html.escape
    parts = [f"<h1>{e(w('report'))}: {e(a.institution.name)}</h1>",
             f"<p class=meta>{e(a.institution.id)} · {e(a.institution.country)} · "
             f"{e(w('as_of'))} {a.as_of} · {e(w('protocol'))} {e(a.protocol.id)} "
             f"{e(a.protocol.version)}</p>",
             f"<p><span class='grade {a.grade}'>{a.grade}</span> &nbsp; "
             f"<strong>{e(w('score'))}: {a.score:.1f} / 100</strong></p>",
             f"<p><strong>{e(w('blocking'))}:</strong> "
             f"{e(', '.join(a.blocking) or w('none'))}</p>"]
    for key, values in score_tables(a):
        rows = "".join(
            f"<tr><td>{e(label(a, k, lang))}</td><td>{fmt(v)}</td><td><span class=bar><span "
            f"style='width:{0 if v is None else v:.0f}%'></span></span></td></tr>"
            for k, v in values.items())
        parts.append(f"<h2>{e(w(key))}</h2><table><tr><th>{e(w('group'))}</th>"
                     f"<th>{e(w('score'))}</th><th></th></tr>{rows}</table>")
    parts.append(f"<h2>{e(w('plan'))}</h2>")
    if a.plan:
        rows = "".join(
            f"<tr><td>{s.rank}</td><td><code>{e(s.action)}</code> {e(s.title.get(lang))}"
            f"{' <span class=crit>' + e(w('critical')) + '</span>' if s.critical else ''}</td>"
            f"<td>{e(s.lead)}</td><td>{e(s.unit or '-')}</td><td>{s.unlocks}</td>"
            f"<td>+{s.uplift:.2f}</td></tr>" for s in a.plan)
        parts.append(f"<table><tr><th>#</th><th>{e(w('action'))}</th><th>{e(w('lead'))}</th>"
                     f"<th>{e(w('unit'))}</th><th>{e(w('unlocks'))}</th>"
                     f"<th>{e(w('uplift'))}</th></tr>{rows}</table>")
    else:
        parts.append(f"<p>{e(w('empty_plan'))}</p>")
    rows = "".join(f"<tr><td>{e(f.kind)}</td><td>{e(f.action or f.role or '-')}</td>"
                   f"<td>{e(f.message.get(lang))}</td></tr>" for f in a.findings)
    parts.append(f"<h2>{e(w('findings'))}</h2><table><tr><th>{e(w('kind'))}</th>"
                 f"<th>{e(w('action'))}</th><th>{e(w('message'))}</th></tr>{rows}</table>")
    rows = "".join(f"<tr><td><code>{e(r.action)}</code></td><td>{e(r.lead)}</td>"
                   f"<td>{e(w('yes') if r.critical else w('no'))}</td>"
                   f"<td>{e(level_text(r, 'claimed', w))}</td>"
                   f"<td>{e(level_text(r, 'effective', w))}</td></tr>" for r in a.actions)
    parts.append(f"<h2>{e(w('actions'))}</h2><table><tr><th>{e(w('action'))}</th>"
                 f"<th>{e(w('lead'))}</th><th>{e(w('critical'))}</th><th>{e(w('claimed'))}</th>"
                 f"<th>{e(w('effective'))}</th></tr>{rows}</table>")
    parts.append(f"<p class=meta>{e(w('method'))}: {e(w('scale'))}; {e(w('freshness'))} "
                 f"{a.method.freshness_months}; {e(w('strict'))}: "
                 f"{e(w('yes') if a.method.strict else w('no'))}.</p>")
    body = "\n".join(parts)
    if fragment:
        return f"<div><style>{_CSS}</style>{body}</div>"
    title = e(f"{w('report')}: {a.institution.name}")
    return (f"<!DOCTYPE html>\n<html lang={lang}>\n<head>\n<meta charset=utf-8>\n"
            f"<meta name=viewport content='width=device-width, initial-scale=1'>\n"
            f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")
