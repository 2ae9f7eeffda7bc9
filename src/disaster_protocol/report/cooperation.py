"""Cooperation plans and their evaluation: text, Markdown, HTML, JSON and CSV."""

from __future__ import annotations

import html
import io
import re

from .._i18n import Lang, ntext, text
from .._output import CellWriter, json_text
from ..cooperation import CooperationPlan, Evaluation, Match, MatchOutcome
from ._common import cell, heading, plain, words
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
    """One row per match of every round (workshop participations marked), then one per
    unmet demand."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(["kind", "round", "provider", "recipient", "action", "phase",
                     "provider_level", "recipient_level", "uplift", "shared", "workshop",
                     "reason"])
    for m in plan.matches:
        writer.writerow(["workshop" if m.workshop else "match", m.round, m.provider,
                         m.recipient, m.action, m.phase, m.provider_level, m.recipient_level,
                         f"{m.uplift:g}", ";".join(m.shared), m.workshop or "", ""])
    for u in plan.unmet:
        writer.writerow(["unmet", "", "", u.institution, u.action, u.phase, "", u.level, "",
                         "", "", u.reason])
    return buffer.getvalue()


def _title(plan: CooperationPlan, lang: Lang) -> str:
    return f"{text('coop.title', lang)}: {plan.protocol.id} {plan.protocol.version}"


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _summary(plan: CooperationPlan, lang: Lang) -> list[str]:
    """The round at a glance, the roadmap in one sentence, and the budget."""
    s = plan.settings
    held, matches = plan.round(1)
    urgent = {(d.institution, d.action) for d in plan.demands if d.blocking}
    blocking = len(urgent)
    met = sum((m.recipient, m.action) in urgent for m in matches)
    reasons = {r: sum(u.reason == r for u in plan.unmet)
               for r in ("no-offer", "no-capacity", "beyond-roadmap")}
    prefer = ", ".join(text(f"coop.shared.{p}", lang) for p in s.prefer) or "-"
    return [
        text("coop.headline", lang, workshops=len(held),
             bilateral=sum(m.workshop is None for m in matches), members=len(plan.members),
             met=met, blocking=blocking, share=_percent(met, blocking)),
        text("coop.roadmap.line", lang, rounds=len(plan.roadmap),
             scheduled=len(plan.demands) - len(plan.unmet), demands=len(plan.demands),
             beyond=reasons["beyond-roadmap"], no_capacity=reasons["no-capacity"],
             no_offer=reasons["no-offer"]),
        text("coop.budget", lang, workshops=s.workshops, participants=s.participants,
             bilateral=s.bilateral, capacity=s.capacity, rounds=s.rounds),
        text("coop.settings", lang, level=s.min_offer_level, group=s.min_group,
             prefer=prefer)]


def _title_of(plan: CooperationPlan, key: str, lang: Lang) -> str:
    title = plan.titles.get(key)
    return f"{key} {title.get(lang)}" if title is not None else key


def _why(m: Match, lang: Lang) -> str:
    parts = [text(f"coop.shared.{p}", lang) for p in m.shared]
    if "language" not in m.shared:
        parts.append(text("coop.interpretation.needed", lang))
    return ", ".join([*parts, ntext("coop.gap", lang, m.gap, gap=m.gap)])


def _first_screen(plan: CooperationPlan, lang: Lang) -> list[Table]:
    """Round 1: its workshops, its bilateral exchanges, and what each member gives and
    receives in it."""
    w = words(lang)
    names = {m.institution.id: m.institution.name for m in plan.members}

    def who(institution: str) -> str:
        return f"{names.get(institution, institution)} ({institution})"

    held, matches = plan.round(1)
    workshops = [[x.id, _title_of(plan, x.action, lang), who(x.host), x.language or "-",
                  f"{len(x.participants)}: {', '.join(x.participants)}",
                  text("coop.interpretation.for", lang, who=", ".join(x.interpretation))
                  if x.interpretation else "-"] for x in held]
    bilateral = [[who(m.provider), who(m.recipient), _title_of(plan, m.action, lang),
                  f"{m.provider_level} → {m.recipient_level}", f"+{m.uplift:.2f}",
                  _why(m, lang)] for m in matches if m.workshop is None]
    members = [[who(m.institution.id), str(m.gives), str(m.receives), str(m.later),
                str(m.offers), str(m.demands), w(f"coop.role.{m.role}")]
               for m in plan.members]
    return [
        (w("coop.round1.workshops"), ["id", w("action"), w("coop.host"), w("coop.language"),
                                      w("coop.participants"), w("coop.interpretation")],
         workshops),
        (w("coop.round1.matches"), [w("coop.provider"), w("coop.recipient"), w("action"),
                                    w("coop.levels"), w("coop.uplift"), w("coop.why")],
         bilateral),
        (w("coop.round1.members"), ["", heading(w, "coop.gives"), heading(w, "coop.receives"),
                                    heading(w, "coop.later"), heading(w, "coop.offers"),
                                    heading(w, "coop.demands"), heading(w, "coop.role")],
         members),
    ]


def _roadmap(plan: CooperationPlan, lang: Lang) -> Table:
    """One row per round: its workshops (action and host), bilateral exchanges and the
    demands it schedules."""
    w = words(lang)
    rows = []
    for r in plan.roadmap:
        held = plan.round(r.round)[0]
        rows.append([str(r.round), ", ".join(f"{x.action} ({x.host})" for x in held) or "-",
                     str(r.bilateral), str(r.demands), str(r.blocking), str(r.stated)])
    return (w("coop.roadmap"), [w("coop.round"), w("coop.workshops"), w("coop.bilateral"),
                                w("coop.scheduled"), heading(w, "coop.blocking"),
                                heading(w, "coop.stated")], rows)


def _rest(plan: CooperationPlan, lang: Lang) -> list[Table]:
    """Beyond the region (with partners), after the roadmap, withdrawn offers, and the
    matrix of offers and demands."""
    w = words(lang)
    names = {m.institution.id: m.institution.name for m in plan.members}
    supporters: dict[str, list[str]] = {}
    for p in plan.partners:
        for action in p.actions:
            supporters.setdefault(action, []).append(p.name)
    beyond = [[*row, "; ".join(supporters.get(action, [])) or "-"]
              for row, action in _unmet_by_action(plan, ("no-offer",), lang)]
    partners = [[p.name, p.kind, ", ".join(p.languages), ", ".join(p.actions), str(p.members),
                 p.source or "-"] for p in plan.partners]
    later = [[*row, w(f"coop.reason.{reason}")] for (row, _), reason in zip(
        _unmet_by_action(plan, ("beyond-roadmap", "no-capacity"), lang),
        _reasons(plan, ("beyond-roadmap", "no-capacity")), strict=True)]
    withdrawn = [[f"{names.get(x.institution, x.institution)} ({x.institution})",
                  _title_of(plan, x.action, lang),
                  "-" if x.claimed is None else str(x.claimed),
                  "-" if x.level is None else str(x.level), w(f"coop.withdrawn.{x.reason}")]
                 for x in plan.withdrawn]
    matrix = [[m.institution.id, *(f"{plan.matrix[m.institution.id][p][0]} / "
                                   f"{plan.matrix[m.institution.id][p][1]}"
                                   for p in plan.phases)] for m in plan.members]
    need = [w("action"), w("coop.members_needing"), w("coop.blocking_for"), w("coop.who")]
    return [
        (w("coop.beyond"), [*need, w("coop.partners")], beyond),
        (w("coop.partners.title"), [w("coop.partner"), w("kind"), w("coop.languages"),
                                    w("actions"), w("coop.members_needing"),
                                    w("crosswalk.source")], partners),
        (w("coop.after_roadmap"), [*need, w("coop.reason")], later),
        (w("coop.withdrawn"), [w("institution"), w("action"), w("claimed"), w("coop.level"),
                               w("coop.reason")], withdrawn),
        (w("coop.matrix"), ["", *plan.phases], matrix),
    ]


def _sections(plan: CooperationPlan, lang: Lang) -> list[Table]:
    """Every table the text formats show, in order."""
    return [*_first_screen(plan, lang), _roadmap(plan, lang), *_rest(plan, lang)]


SHOWN_MEMBERS = 8
"""Members named in a row of the unmet tables; the rest are counted."""


def _groups(plan: CooperationPlan, reasons: tuple[str, ...]
            ) -> list[tuple[str, str, list[tuple[str, bool]]]]:
    """The unmet demands of ``reasons``, one group per action and reason: the most members
    first."""
    by: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for u in plan.unmet:
        if u.reason in reasons:
            by.setdefault((u.action, u.reason), []).append((u.institution, u.blocking))
    return [(action, reason, needs) for (action, reason), needs in
            sorted(by.items(), key=lambda kv: (-len(kv[1]), reasons.index(kv[0][1]),
                                               kv[0][0]))]


def _reasons(plan: CooperationPlan, reasons: tuple[str, ...]) -> list[str]:
    """The reason of each row of :func:`_unmet_by_action`, in the same order."""
    return [reason for _, reason, _ in _groups(plan, reasons)]


def _unmet_by_action(plan: CooperationPlan, reasons: tuple[str, ...], lang: Lang
                     ) -> list[tuple[list[str], str]]:
    """The unmet demands of ``reasons``, one row per action (most members first): how many
    members need it, for how many it blocks the grade, and who (the first few named); each
    row beside its action."""
    rows = []
    for action, _, needs in _groups(plan, reasons):
        names = sorted(i for i, _ in needs)
        more = len(names) - SHOWN_MEMBERS
        rows.append(([_title_of(plan, action, lang), str(len(needs)),
                      str(sum(b for _, b in needs)),
                      ", ".join(names[:SHOWN_MEMBERS])
                      + (f" {text('coop.and_more', lang, n=more)}" if more > 0 else "")],
                     action))
    return rows


def _text(title: str, intro: list[str], tables: list[Table], *, count_first: bool = True
          ) -> str:
    """A title, sentences and tables for a terminal: each table under its heading (with its
    count of rows, but for a first table of figures when ``count_first`` is False), columns
    padded to their widest cell."""
    out = [plain(title), *(plain(line) for line in intro)]
    for i, (heading_, head, rows) in enumerate(tables):
        out += ["", f"{heading_} ({len(rows)})" if i or count_first else heading_]
        widths = [max(len(plain(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows] if rows else []:
            line = "  ".join(plain(c).ljust(n) for c, n in zip(row, widths, strict=True))
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def _markdown(title: str, intro: list[str], tables: list[Table], lang: Lang) -> str:
    """A title, sentences and tables as Markdown ("none" under an empty table)."""
    out = [f"# {cell(title)}", ""]
    for line in intro:
        out += [cell(line), ""]
    for heading_, head, rows in tables:
        out += [f"## {cell(heading_)}", ""]
        if not rows:
            out += [f"_{cell(text('none', lang))}_", ""]
            continue
        out += ["| " + " | ".join(cell(h) for h in head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def plan_text(plan: CooperationPlan, lang: Lang = "es") -> str:
    """The plan for a terminal (what ``disaster-protocol cooperate`` prints)."""
    return _text(_title(plan, lang), _summary(plan, lang), _sections(plan, lang))


def plan_markdown(plan: CooperationPlan, lang: Lang = "es") -> str:
    """The plan as Markdown."""
    return _markdown(_title(plan, lang), _summary(plan, lang), _sections(plan, lang), lang)


def _scheduled_by_round(plan: CooperationPlan) -> tuple[str, list[float | None]]:
    """The share of the blocking demands (of every demand, where none blocks) scheduled by
    the end of each round, in percent, and the caption's key."""
    blocking = sum(d.blocking for d in plan.demands)
    whole, key = ((blocking, "coop.scheduled_by_round") if blocking
                  else (len(plan.demands), "coop.scheduled_by_round.all"))
    shares: list[float | None] = []
    done = 0
    for r in plan.roadmap:
        done += r.blocking if blocking else r.demands
        shares.append(100 * done / whole)
    return key, shares


_HYPHENATED = re.compile(r"(?<![\w-])(\w+(?:-\w+)+)(?![\w-])")
"""An id with hyphens (an institution's ``mx-imss``, an action's ``RESP-31``)."""


def _unbroken_ids(value: str) -> str:
    """A cell as HTML, each hyphenated id kept on one line (a line never breaks at its
    hyphen)."""
    return _HYPHENATED.sub(r"<span class=id>\1</span>", html.escape(value))


def _html_table(head: list[str], rows: list[list[str]], lang: Lang) -> str:
    return table(head, ([_unbroken_ids(c) for c in row] for row in rows)) if rows else \
        f"<p><em>{html.escape(text('none', lang))}</em></p>"


FOLDED = 12
"""Tables longer than this fold under their heading on the page (opened with a click)."""


def _html_body(plan: CooperationPlan, lang: Lang) -> str:
    """The page: the round at a glance on the first screen (headline, workshops, bilateral
    exchanges, what each member gives and receives); then the roadmap with its chart, and
    the lists beyond it, long ones folded."""
    e = html.escape
    headline, roadmap_line, *budget = _summary(plan, lang)
    out = [f"<h1>{e(_title(plan, lang))}</h1>",
           f"<p><strong>{e(headline)}</strong></p>",
           f"<p>{e(roadmap_line)}</p>",
           *(f"<p class=meta>{e(line)}</p>" for line in budget)]
    for title, head, rows in _first_screen(plan, lang):
        out += [f"<h2>{e(title)}</h2>", _html_table(head, rows, lang)]
    title, head, rows = _roadmap(plan, lang)
    out.append(f"<h2>{e(title)}</h2>")
    if plan.roadmap:
        key, shares = _scheduled_by_round(plan)
        caption = text(key, lang)
        out.append(f"<div class=charts><figure><figcaption>{e(caption)}</figcaption>"
                   + bars_svg([f"{text('coop.round', lang)} {r.round}" for r in plan.roadmap],
                              shares, title=caption, width=420) + "</figure></div>")
    out.append(_html_table(head, rows, lang))
    for title, head, rows in _rest(plan, lang):
        if len(rows) > FOLDED:
            out.append(f"<details><summary><strong>{e(title)}</strong> ({len(rows)})"
                       f"</summary>{_html_table(head, rows, lang)}</details>")
        else:
            out += [f"<h2>{e(title)}</h2>", _html_table(head, rows, lang)]
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
    return _text(_evaluation_title(lang), _evaluation_intro(evaluation, lang),
                 _evaluation_tables(evaluation, lang), count_first=False)


def evaluation_markdown(evaluation: Evaluation, lang: Lang = "es") -> str:
    """The evaluation as Markdown."""
    return _markdown(_evaluation_title(lang), _evaluation_intro(evaluation, lang),
                     _evaluation_tables(evaluation, lang), lang)


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
