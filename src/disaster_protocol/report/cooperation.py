"""Cooperation plans and their evaluation: text, Markdown, HTML, JSON and CSV."""

from __future__ import annotations

import html
import io

from .._i18n import Lang, ntext, text
from .._output import CellWriter, json_text
from ..cooperation import CooperationPlan, Evaluation, Match, MatchOutcome
from ._common import cell, plain, words
from .html import page, table
from .svg import bars_svg

__all__ = ["evaluation_csv", "evaluation_fragment", "evaluation_html", "evaluation_json",
           "evaluation_markdown", "evaluation_text", "plan_csv", "plan_fragment", "plan_html",
           "plan_json", "plan_markdown", "plan_text"]

Table = tuple[str, list[str], list[list[str]]]
"""A section: its heading, column heads and rows of plain text."""


def plan_json(plan: CooperationPlan) -> str:
    """Stable JSON of a plan."""
    return json_text(plan.to_dict())


def plan_csv(plan: CooperationPlan) -> str:
    """One row per match (workshop participations marked), then one per unmet demand."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["kind", "provider", "recipient", "action", "phase", "provider_level",
                     "recipient_level", "uplift", "shared", "workshop", "reason"])
    for m in plan.matches:
        writer.writerow(["workshop" if m.workshop else "match", m.provider, m.recipient,
                         m.action, m.phase, m.provider_level, m.recipient_level,
                         f"{m.uplift:g}", ";".join(m.shared), m.workshop or "", ""])
    for u in plan.unmet:
        writer.writerow(["unmet", "", u.institution, u.action, u.phase, "", u.level, "", "",
                         "", u.reason])
    return buffer.getvalue()


def _title(plan: CooperationPlan, lang: Lang) -> str:
    return f"{text('coop.title', lang)}: {plan.protocol.id} {plan.protocol.version}"


def _summary(plan: CooperationPlan, lang: Lang) -> list[str]:
    s = plan.settings
    prefer = ", ".join(text(f"coop.shared.{p}", lang) for p in s.prefer) or "-"
    return [text("coop.summary", lang, members=len(plan.members), matches=len(plan.matches),
                 workshops=len(plan.workshops), unmet=len(plan.unmet),
                 demands=len(plan.demands)),
            text("coop.settings", lang, level=s.min_offer_level, capacity=s.capacity,
                 group=s.min_group, prefer=prefer)]


def _title_of(plan: CooperationPlan, key: str, lang: Lang) -> str:
    title = plan.titles.get(key)
    return f"{key} {title.get(lang)}" if title is not None else key


def _why(m: Match, lang: Lang) -> str:
    parts = [text(f"coop.shared.{p}", lang) for p in m.shared]
    return ", ".join([*parts, ntext("coop.gap", lang, m.gap, gap=m.gap)])


def _sections(plan: CooperationPlan, lang: Lang) -> list[Table]:
    """Every table the text formats show, in order."""
    w = words(lang)
    names = {m.institution.id: m.institution.name for m in plan.members}

    def who(institution: str) -> str:
        return f"{names.get(institution, institution)} ({institution})"

    bilateral = [[who(m.provider), who(m.recipient), _title_of(plan, m.action, lang),
                  f"{m.provider_level} → {m.recipient_level}", f"+{m.uplift:.2f}", _why(m, lang)]
                 for m in plan.matches if m.workshop is None]
    workshops = [[w_.id, _title_of(plan, w_.action, lang), who(w_.host),
                  ", ".join(w_.participants)] for w_ in plan.workshops]
    beyond, later = _unmet_by_action(plan, "no-offer", lang), \
        _unmet_by_action(plan, "no-capacity", lang)
    supporters: dict[str, list[str]] = {}
    for p in plan.partners:
        for action in p.actions:
            supporters.setdefault(action, []).append(p.name)
    beyond = [[*row, "; ".join(supporters.get(action, [])) or "-"]
              for row, action in zip(beyond, _unmet_actions(plan, "no-offer"), strict=True)]
    partners = [[p.name, p.kind, ", ".join(p.languages), ", ".join(p.actions), str(p.members),
                 p.source or "-"] for p in plan.partners]
    withdrawn = [[who(x.institution), _title_of(plan, x.action, lang),
                  "-" if x.claimed is None else str(x.claimed),
                  "-" if x.level is None else str(x.level), w(f"coop.withdrawn.{x.reason}")]
                 for x in plan.withdrawn]
    members = [[who(m.institution.id), str(m.capacity), str(m.offers), str(m.demands),
                str(m.gives), str(m.receives), w(f"coop.role.{m.role}")] for m in plan.members]
    matrix = [[m.institution.id, *(f"{plan.matrix[m.institution.id][p][0]} / "
                                   f"{plan.matrix[m.institution.id][p][1]}"
                                   for p in plan.phases)] for m in plan.members]
    return [
        (w("coop.matches"), [w("coop.provider"), w("coop.recipient"), w("action"),
                             w("coop.levels"), w("coop.uplift"), w("coop.why")], bilateral),
        (w("coop.workshops"), ["id", w("action"), w("coop.host"), w("coop.participants")],
         workshops),
        (w("coop.beyond"), [w("action"), w("coop.members_needing"), w("coop.blocking_for"),
                            w("coop.who"), w("coop.partners")], beyond),
        (w("coop.partners.title"), [w("coop.partner"), w("kind"), w("coop.languages"),
                                    w("actions"), w("coop.members_needing"),
                                    w("crosswalk.source")], partners),
        (w("coop.no_capacity"), [w("action"), w("coop.members_needing"),
                                 w("coop.blocking_for"), w("coop.who")], later),
        (w("coop.withdrawn"), [w("institution"), w("action"), w("claimed"), w("coop.level"),
                               w("coop.reason")], withdrawn),
        (w("coop.members"), ["", w("coop.capacity"), w("coop.offers"), w("coop.demands"),
                             w("coop.gives"), w("coop.receives"), w("coop.role")], members),
        (w("coop.matrix"), ["", *plan.phases], matrix),
    ]


SHOWN_MEMBERS = 8
"""Members named in a row of the unmet tables; the rest are counted."""


def _unmet_actions(plan: CooperationPlan, reason: str) -> list[str]:
    """The actions of :func:`_unmet_by_action`'s rows, in the same order."""
    count: dict[str, int] = {}
    for u in plan.unmet:
        if u.reason == reason:
            count[u.action] = count.get(u.action, 0) + 1
    return sorted(count, key=lambda a: (-count[a], a))


def _unmet_by_action(plan: CooperationPlan, reason: str, lang: Lang) -> list[list[str]]:
    """The unmet demands of one reason, one row per action (most members first): how many
    members need it, for how many it blocks the grade, and who (the first few named)."""
    by_action: dict[str, list[tuple[str, bool]]] = {}
    for u in plan.unmet:
        if u.reason == reason:
            by_action.setdefault(u.action, []).append((u.institution, u.blocking))
    rows = []
    for action, needs in sorted(by_action.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        names = sorted(i for i, _ in needs)
        more = len(names) - SHOWN_MEMBERS
        rows.append([_title_of(plan, action, lang), str(len(needs)),
                     str(sum(b for _, b in needs)),
                     ", ".join(names[:SHOWN_MEMBERS])
                     + (f" {text('coop.and_more', lang, n=more)}" if more > 0 else "")])
    return rows


def plan_text(plan: CooperationPlan, lang: Lang = "es") -> str:
    """The plan for a terminal (what ``disaster-protocol cooperate`` prints)."""
    out = [plain(_title(plan, lang)), *(plain(line) for line in _summary(plan, lang))]
    for heading, head, rows in _sections(plan, lang):
        out += ["", f"{heading} ({len(rows)})"]
        widths = [max(len(plain(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows] if rows else []:
            line = "  ".join(plain(c).ljust(n) for c, n in zip(row, widths, strict=True))
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def plan_markdown(plan: CooperationPlan, lang: Lang = "es") -> str:
    """The plan as Markdown."""
    out = [f"# {cell(_title(plan, lang))}", "", *(cell(line) for line in _summary(plan, lang))]
    for heading, head, rows in _sections(plan, lang):
        out += ["", f"## {cell(heading)}", ""]
        if not rows:
            out.append(f"_{cell(text('none', lang))}_")
            continue
        out += ["| " + " | ".join(cell(h) for h in head) + " |",
                "|" + "---|" * len(head)]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _met_by_phase(plan: CooperationPlan) -> list[float | None]:
    """The share of each phase's demands that the plan meets, in percent."""
    met = {(m.recipient, m.action) for m in plan.matches}
    shares: list[float | None] = []
    for phase in plan.phases:
        asked = [d for d in plan.demands if d.phase == phase]
        shares.append(100 * sum((d.institution, d.action) in met for d in asked) / len(asked)
                      if asked else None)
    return shares


def _html_body(plan: CooperationPlan, lang: Lang) -> str:
    e = html.escape
    caption = text("coop.met_by_phase", lang)
    out = [f"<h1>{e(_title(plan, lang))}</h1>",
           *(f"<p>{e(line)}</p>" for line in _summary(plan, lang)),
           f"<figure><figcaption>{e(caption)}</figcaption>"
           f"{bars_svg(list(plan.phases), _met_by_phase(plan), title=caption)}</figure>"]
    for heading, head, rows in _sections(plan, lang):
        out.append(f"<h2>{e(heading)}</h2>")
        if not rows:
            out.append(f"<p><em>{e(text('none', lang))}</em></p>")
            continue
        out.append(table(head, ([e(c) for c in row] for row in rows)))
    return "\n".join(out)


def plan_html(plan: CooperationPlan, lang: Lang = "es") -> str:
    """A self-contained, printable HTML page of the plan."""
    return page(_title(plan, lang), _html_body(plan, lang), lang)


def plan_fragment(plan: CooperationPlan, lang: Lang = "es") -> str:
    """The plan as an HTML fragment (Jupyter)."""
    return page(_title(plan, lang), _html_body(plan, lang), lang, fragment=True)


# ----------------------------------------------------------------------------- evaluation

def evaluation_json(evaluation: Evaluation) -> str:
    """Stable JSON of an evaluation."""
    return json_text(evaluation.to_dict())


def evaluation_csv(evaluation: Evaluation) -> str:
    """One row per recipient and demanded action (``matched`` 1/0; an empty level or change
    where the action was not measured)."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["recipient", "action", "provider", "matched", "status", "before",
                     "after", "change", "claimed_before", "claimed_after", "claimed_change"])
    for o in evaluation.outcomes:
        writer.writerow([o.recipient, o.action, o.provider or "", int(o.matched), o.status,
                         *("" if v is None else v for v in (
                             o.before, o.after, o.change, o.claimed_before, o.claimed_after,
                             o.claimed_change))])
    return buffer.getvalue()


def _change(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _both(effective: float | None, claimed: float | None) -> str:
    """A change on the effective level beside the same on the claimed level."""
    return f"{_change(effective)} / {_change(claimed)}"


def _moved(start: int | None, end: int | None, change: int | None) -> str:
    """``1 → 3 (+2)``; ``- → 3`` where a round did not measure it."""
    shown = " → ".join("-" if v is None else str(v) for v in (start, end))
    return shown if change is None else f"{shown} ({change:+d})"


def _evaluation_intro(evaluation: Evaluation, lang: Lang) -> list[str]:
    """The sentences above the tables: what the figures are, which level the headline uses,
    how many gaps stand behind them, who was not assessed again."""
    ev = evaluation
    lines = [text("coop.association", lang), text("coop.eval.headline", lang),
             text("coop.eval.counts", lang, matched=ev.matched, unmatched=ev.unmatched,
                  not_measured=ev.not_measured),
             f"{text('coop.difference', lang)} ({text('coop.eval.effective', lang)}): "
             f"{_change(ev.difference)}"]
    if ev.not_reassessed:
        lines.append(f"{text('coop.not_reassessed', lang)}: {', '.join(ev.not_reassessed)}")
    return lines


def _evaluation_tables(evaluation: Evaluation, lang: Lang) -> list[Table]:
    """The mean changes, the recipients and the per-action outcomes, as tables."""
    w = words(lang)
    ev = evaluation
    means = [
        [w("coop.eval.gaps"), str(ev.matched), str(ev.unmatched), ""],
        [w("coop.eval.effective_level"), _change(ev.matched_change),
         _change(ev.unmatched_change), _change(ev.difference)],
        [w("coop.eval.claimed_level"), _change(ev.claimed_matched_change),
         _change(ev.claimed_unmatched_change), _change(ev.claimed_difference)]]
    recipients = [[f"{r.name} ({r.institution})", str(r.matched), str(r.unmatched),
                   str(r.not_measured), _both(r.matched_change, r.claimed_matched_change),
                   _both(r.unmatched_change, r.claimed_unmatched_change),
                   _both(r.difference, r.claimed_difference)] for r in ev.recipients]
    return [
        (w("coop.eval.means"), ["", w("coop.matched_change"), w("coop.unmatched_change"),
                                w("coop.difference")], means),
        (w("coop.eval.recipients"),
         [w("coop.recipient"), w("coop.eval.matched"), w("coop.eval.unmatched"),
          w("coop.eval.not_measured"), w("coop.eval.change_matched"),
          w("coop.eval.change_unmatched"), w("coop.difference")],
         recipients),
        (w("coop.eval.outcomes"), _outcome_head(lang),
         [[o.recipient, *_outcome_row(ev, o, lang)] for o in ev.outcomes]),
    ]


def _outcome_head(lang: Lang) -> list[str]:
    w = words(lang)
    return [w("coop.recipient"), w("action"), w("coop.provider"),
            w("coop.eval.effective_level"), w("coop.eval.claimed_level"),
            w("coop.eval.status")]


def _outcome_row(ev: Evaluation, o: MatchOutcome, lang: Lang) -> list[str]:
    """One demanded action of a recipient (without the recipient)."""
    title = ev.titles.get(o.action)
    return [f"{o.action} {title.get(lang)}" if title is not None else o.action,
            o.provider or f"- ({text('coop.eval.no_provider', lang)})",
            _moved(o.before, o.after, o.change),
            _moved(o.claimed_before, o.claimed_after, o.claimed_change),
            text(f"coop.eval.status.{o.status}", lang)]


def _evaluation_title(lang: Lang) -> str:
    return text("coop.evaluation", lang)


def evaluation_text(evaluation: Evaluation, lang: Lang = "es") -> str:
    """The evaluation for a terminal: what it measures, the mean changes, one labelled line
    per recipient and one per demanded action."""
    out = [plain(_evaluation_title(lang)),
           *(plain(x) for x in _evaluation_intro(evaluation, lang))]
    for i, (heading, head, rows) in enumerate(_evaluation_tables(evaluation, lang)):
        out += ["", f"{heading} ({len(rows)})" if i else heading]  # the means: no count
        widths = [max(len(plain(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows] if rows else []:
            line = "  ".join(plain(c).ljust(n) for c, n in zip(row, widths, strict=True))
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def evaluation_markdown(evaluation: Evaluation, lang: Lang = "es") -> str:
    """The evaluation as Markdown."""
    out = [f"# {cell(_evaluation_title(lang))}", ""]
    for line in _evaluation_intro(evaluation, lang):
        out += [cell(line), ""]
    for heading, head, rows in _evaluation_tables(evaluation, lang):
        out += [f"## {cell(heading)}", ""]
        if not rows:
            out += [f"_{cell(text('none', lang))}_", ""]
            continue
        out += ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def _unbroken(value: str) -> str:
    """A cell as HTML, a pair of changes (``+1.00 / +0.50``), a move (``1 → 3``) and a
    missing provider ("- (unmatched)") kept on one line."""
    shown = html.escape(value)
    for part in (" / ", " → "):
        shown = shown.replace(part, part.replace(" ", "&nbsp;"))
    return shown.replace(" ", "&nbsp;") if value.startswith("- (") else shown


def _evaluation_body(evaluation: Evaluation, lang: Lang) -> str:
    """The page: the sentences, the mean changes and the recipients' table; then each
    recipient's actions, folded under its name."""
    e = html.escape
    ev = evaluation
    out = [f"<h1>{e(_evaluation_title(lang))}</h1>",
           *(f"<p>{e(line)}</p>" for line in _evaluation_intro(ev, lang))]
    *tables, (heading, _, _) = _evaluation_tables(ev, lang)
    for title, head, rows in tables:
        out.append(f"<h2>{e(title)}</h2>")
        out.append(table(head, ([_unbroken(c) for c in row] for row in rows)) if rows
                   else f"<p><em>{e(text('none', lang))}</em></p>")
    out.append(f"<h2>{e(heading)}</h2>")
    head = _outcome_head(lang)[1:]
    for r in ev.recipients:
        mine = [o for o in ev.outcomes if o.recipient == r.institution]
        summary = text("coop.eval.outcome_summary", lang, demands=len(mine),
                       matched=sum(o.matched for o in mine), not_measured=r.not_measured)
        out.append(f"<details><summary>{e(r.name)} ({e(r.institution)}): {e(summary)}"
                   "</summary>"
                   + table(head, ([_unbroken(c) for c in _outcome_row(ev, o, lang)]
                                  for o in mine))
                   + "</details>")
    return "\n".join(out)


def evaluation_html(evaluation: Evaluation, lang: Lang = "es") -> str:
    """A self-contained, printable HTML page of the evaluation."""
    return page(_evaluation_title(lang), _evaluation_body(evaluation, lang), lang)


def evaluation_fragment(evaluation: Evaluation, lang: Lang = "es") -> str:
    """The evaluation as an HTML fragment (Jupyter)."""
    return page(_evaluation_title(lang), _evaluation_body(evaluation, lang), lang,
                fragment=True)
