"""Crosswalks and assessments shown by another framework: text, Markdown, JSON and CSV."""

from __future__ import annotations

import io

from .._i18n import LANGS, Lang
from .._output import CellWriter, json_text
from ..crosswalk import CREDIT, REVERSE, Crosswalk, FrameworkView
from ._common import cell, fmt, words

__all__ = ["crosswalk_csv", "crosswalk_json", "crosswalk_markdown", "crosswalk_text",
           "framework_csv", "framework_json", "framework_markdown", "framework_text"]


def _rows(cw: Crosswalk, lang: Lang, reverse: bool) -> list[list[str]]:
    """One line per row: node, relationship, code (or, reversed, code, relationship, node)."""
    titles = {c.code: c.title.get(lang) for c in cw.codes}
    out = []
    for code in cw.codes:
        for r in (cw.reverse(code.code) if reverse else
                  [x for x in cw.rows if x.code == code.code]):
            left, right = ((f"{r.code} {titles[r.code]}", r.node) if reverse
                           else (r.node, f"{r.code} {titles[r.code]}"))
            out.append([left, r.relationship, right, r.rationale.get(lang), r.source])
    return out


def _credits(lang: Lang) -> str:
    w = words(lang)
    return w("crosswalk.credits").format(
        **{k.replace("-", "_"): f"{v:g}" for k, v in CREDIT.items()})


def _head(cw: Crosswalk, lang: Lang, reverse: bool) -> list[str]:
    w = words(lang)
    return [cw.title.get(lang), f"{w('crosswalk.framework')}: {cw.framework.name.get(lang)} "
            f"({cw.framework.jurisdiction}) · {w('protocol')} {cw.protocol.id} "
            f"{cw.protocol.version} · {w('provenance')}: {cw.provenance.status}",
            f"{w('crosswalk.reverse') if reverse else w('crosswalk.forward')} "
            f"{w('crosswalk.legend')}"]


def _columns(lang: Lang, reverse: bool) -> list[str]:
    w = words(lang)
    node, code = w("crosswalk.node"), w("crosswalk.code")
    return [code if reverse else node, w("crosswalk.relationship"), node if reverse else code,
            w("crosswalk.rationale"), w("crosswalk.source")]


def crosswalk_text(cw: Crosswalk, lang: Lang = "es", *, reverse: bool = False) -> str:
    """The crosswalk as plain text: one line per row, then the sources."""
    w = words(lang)
    out = [*_head(cw, lang, reverse), ""]
    out += [f"{a:<12} {rel:<12} {b}\n    {why} [{src}]"
            for a, rel, b, why, src in _rows(cw, lang, reverse)]
    out += ["", f"{w('crosswalk.sources')}:"]
    out += [f"  [{s.id}] {s.title}. {s.publisher}{f', {s.year}' if s.year else ''}."
            f"{f' {s.url}' if s.url else ''}{f' ({s.note})' if s.note else ''}"
            for s in cw.framework.sources]
    if cw.provenance.note:
        out += ["", cw.provenance.note]
    return "\n".join(out) + "\n"


def crosswalk_markdown(cw: Crosswalk, lang: Lang = "es", *, reverse: bool = False) -> str:
    """The crosswalk as a Markdown table with its sources."""
    w = words(lang)
    title, meta, direction = _head(cw, lang, reverse)
    head = _columns(lang, reverse)
    out = [f"# {cell(title)}", "", meta, "", direction, "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in _rows(cw, lang, reverse)]
    out += ["", f"## {w('crosswalk.sources')}", ""]
    out += [f"- `{s.id}` {cell(s.title)}, {cell(s.publisher)}"
            f"{f', {s.year}' if s.year else ''}{f' <{s.url}>' if s.url else ''}"
            f"{f'. {cell(s.note)}' if s.note else ''}" for s in cw.framework.sources]
    return "\n".join(out) + "\n"


def crosswalk_json(cw: Crosswalk) -> str:
    """The crosswalk as written, plus the reverse direction derived from it."""
    data = cw.model_dump(mode="json")
    data["reverse"] = [{"code": r.code, "relationship": r.relationship, "node": r.node,
                        "rationale": r.rationale.model_dump(), "source": r.source}
                       for c in cw.codes for r in cw.reverse(c.code)]
    data["reverse_reads"] = "code to node"
    data["credit"] = dict(CREDIT)
    return json_text(data)


def crosswalk_csv(cw: Crosswalk) -> str:
    """One row per crosswalk row, with both directions' relationship."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["node", "code", "relationship", "reverse_relationship",
                     *(f"rationale_{lang}" for lang in LANGS), "source"])
    for r in cw.rows:
        writer.writerow([r.node, r.code, r.relationship, REVERSE[r.relationship],
                         *(getattr(r.rationale, lang) or "" for lang in LANGS), r.source])
    return buffer.getvalue()


# ----------------------------------------------------------------------------- an assessment

def _view_rows(view: FrameworkView, lang: Lang) -> list[list[str]]:
    out = []
    for c in view.codes:
        nodes = ", ".join(f"{r.node} ({r.relationship})" for r in c.rows
                          if r.relationship != "not-related") or "-"
        out.append([c.code.code, c.code.title.get(lang), fmt(c.score), fmt(c.related),
                    f"{c.credit:g}", nodes])
    return out


def _view_columns(lang: Lang) -> list[str]:
    w = words(lang)
    return [w("crosswalk.code"), w("title"), w("score"), w("crosswalk.related"),
            w("crosswalk.credit"), w("crosswalk.nodes")]


def framework_text(view: FrameworkView, lang: Lang = "es") -> str:
    """An assessment by the framework's codes, with the partial credit stated."""
    a, cw, w = view.assessment, view.crosswalk, words(lang)
    out = [f"{a.institution.name} ({a.institution.id}) — {cw.title.get(lang)}",
           f"{w('score')} {a.score:.1f} · {w('as_of')} {a.as_of}", ""]
    code_h, _, score_h, related_h, credit_h, nodes_h = _view_columns(lang)
    out.append(f"{code_h:<8} {score_h:>6} {related_h:>6}  {credit_h:>4}  {nodes_h}")
    out += [f"{code:<8} {score:>6} {related:>6}  {credit:>4}  {title} — {nodes}"
            for code, title, score, related, credit, nodes in _view_rows(view, lang)]
    out += ["", _credits(lang)]
    return "\n".join(out) + "\n"


def framework_markdown(view: FrameworkView, lang: Lang = "es") -> str:
    """The same as a Markdown table."""
    a, cw = view.assessment, view.crosswalk
    head = _view_columns(lang)
    out = [f"# {cell(a.institution.name)} — {cell(cw.title.get(lang))}", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in _view_rows(view, lang)]
    out += ["", _credits(lang)]
    return "\n".join(out) + "\n"


def framework_json(view: FrameworkView) -> str:
    """The codes' scores, credits and rows, with the credit table used."""
    a = view.assessment
    data = {"crosswalk": view.crosswalk.id, "institution": a.institution.id,
            "as_of": a.as_of.isoformat(), "credit": dict(CREDIT),
            "codes": [{"code": c.code.code, "title": c.code.title.model_dump(),
                       "score": c.score, "related": c.related, "credit": c.credit,
                       "partial": c.partial,
                       "rows": [r.model_dump(mode="json") for r in c.rows]}
                      for c in view.codes]}
    return json_text(data)


def framework_csv(view: FrameworkView) -> str:
    """One row per code."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["institution", "crosswalk", "code", "score", "related", "credit",
                     "partial"])
    for c in view.codes:
        writer.writerow([view.assessment.institution.id, view.crosswalk.id, c.code.code,
                         "" if c.score is None else f"{c.score:.2f}",
                         "" if c.related is None else f"{c.related:.2f}", f"{c.credit:g}",
                         str(c.partial).lower()])
    return buffer.getvalue()
