"""Plain text for terminals: protocol summaries, actions, playbooks, assessments, plans."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .._i18n import Lang, ntext, text, translation_source
from ..assessment import Assessment
from ..graph import Playbook
from ..model import Action, Protocol

if TYPE_CHECKING:
    from ..migration import MigrationResult
from ._common import (
    grade_text,
    group_range,
    group_score,
    method_text,
    plain,
    playbook_groups,
    reliability_text,
    score_tables,
    words,
)

__all__ = ["action_text", "assessment_text", "migration_text", "plan_text", "playbook_text",
           "protocol_summary"]


def protocol_summary(protocol: Protocol, lang: Lang = "en", name: str | None = None) -> str:
    """One line: ``name`` (default: the protocol's id and version), its counts of phases, roles
    and actions, and the actions' provenance, in ``lang``.

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> protocol_summary(load_protocol()).startswith("sendai_ciss")
    True
    """
    status = Counter(a.provenance.status for a in protocol.actions)
    return text("validate.summary", lang, name=name or f"{protocol.id} {protocol.version}",
                phases=len(protocol.phases), roles=len(protocol.roles),
                actions=len(protocol.actions),
                critical=sum(a.critical for a in protocol.actions),
                verified=status["verified"], derived=status["derived"],
                proposed=status["proposed"])


def action_text(a: Action, lang: Lang = "es", protocol_id: str = "sendai_ciss") -> str:
    """One action as three lines of text (what ``disaster-protocol show`` prints); in a
    language translated from the Spanish, the provenance line says whether the title is an
    official text or a working translation (``protocol_id`` names its file's entries)."""
    w = words(lang)
    flag = f" [{w('critical')}]" if a.critical else ""
    support = ", ".join(a.support) or "-"
    sendai = " ".join(x for x in (a.sendai.priority or "-", *a.sendai.paragraph))
    return (f"{a.id}{flag}  {a.title.get(lang)}\n"
            f"    {w('show.phase')} {a.phase} · {w('show.lead')} {a.lead} · "
            f"{w('show.support')} {support} · Sendai {sendai}\n"
            f"    {w('show.requires')}: {', '.join(a.requires) or '-'} · "
            f"{w('show.provenance')}: {a.provenance.status}{_translated(a, lang, protocol_id)}\n")


def _translated(a: Action, lang: Lang, protocol_id: str) -> str:
    """How the action's title reads in ``lang``, for a language translated from the Spanish:
    an official text (and where it is published) or a working translation."""
    if lang in ("es", "en"):
        return ""
    source = translation_source(lang, f"{protocol_id}:actions/{a.id}/title")
    return " · " + (text("translation.official", lang, source=source) if source
                    else text("translation.working", lang))


def playbook_text(book: Playbook, protocol: Protocol, lang: Lang = "es") -> str:
    """A playbook as plain text: one block per phase, one line per step plus its roles."""
    w = words(lang)
    hazard = next(h for h in protocol.hazards if h.id == book.hazard)
    out = [f"{w('playbook')}: {hazard.label.get(lang)} ({book.hazard}) — "
           f"{len(book.steps)} {w('steps')}"]
    phases = {p.id: p for p in protocol.phases}
    number = 0
    for phase, steps in playbook_groups(book, protocol):
        out += ["", f"{phases[phase].title.get(lang)} ({phase})"]
        for step in steps:
            number += 1
            flag = f" [{w('critical')}]" if step.critical else ""
            out.append(f"{number:3}. {step.action}{flag}  {step.title.get(lang)}")
            line = f"     {w('show.lead')} {step.lead}"
            if step.support:
                line += f" · {w('show.support')} {', '.join(step.support)}"
            if step.requires:
                line += f" · {w('show.waits')} {', '.join(step.requires)}"
            out.append(line)
    return "\n".join(out) + "\n"


def plan_text(assessment: Assessment, lang: Lang = "es", top: int | None = None) -> str:
    """The plan as an aligned text table (what ``disaster-protocol plan`` prints)."""
    w = words(lang)
    steps = assessment.plan[:top] if top else assessment.plan
    if not steps:
        return w("empty_plan") + "\n"
    rows = [(str(s.rank), s.action, "!" if s.critical else "", s.lead, plain(s.unit or "-"),
             str(s.unlocks), f"+{s.uplift:.2f}", s.title.get(lang)) for s in steps]
    head = (w("rank"), w("action"), "!", w("lead"), w("unit"), w("unlocks"), w("uplift"), "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(7)]
    lines = ["  ".join(c.ljust(widths[i]) if i < 7 else c for i, c in enumerate(r)).rstrip()
             for r in [head, *rows]]
    return "\n".join(lines) + "\n"


def assessment_text(assessment: Assessment, lang: Lang = "es", top: int = 10) -> str:
    """A terminal summary: score, grade, blocking gaps, group scores, the top of the plan."""
    a, w = assessment, words(lang)
    out = [f"{plain(a.institution.name)} ({a.institution.id}, {plain(a.institution.country)}) — "
           f"{w('as_of')} {a.as_of} — {w('protocol')} {a.protocol.id} {a.protocol.version}",
           f"{w('score')}: {a.score:.1f}/100   {w('grade')}: {grade_text(a, w)}"
           + (f"   ({w('strict')})" if a.method.strict else "")
           + ("" if a.coverage == 1 else f"   {w('coverage')} {a.coverage:.0%}, "
              f"{w('score_range')} {a.score_range[0]:.1f}-{a.score_range[1]:.1f}"),
           reliability_text(a, lang),
           f"{w('blocking.documented')} ({len(a.blocking)}): "
           f"{', '.join(a.blocking) or w('none')}"]
    if a.evidence_needed:
        out.append(f"{w('evidence_needed')} ({len(a.evidence_needed)}): "
                   f"{', '.join(a.evidence_needed)}")
    for key, groups in score_tables(a):
        out.append(f"{w(key)}: " + "  ".join(
            f"{k} {group_score(g, w)}" + (f" ({r})" if (r := group_range(g)) else "")
            for k, g in groups.items()))
    counts = Counter(f.kind for f in a.findings)
    out.append(f"{w('findings')}: " + (", ".join(f"{w('kind.' + k)} {n}"
                                                  for k, n in counts.items())
                                       or w("none")))
    out += ["", f"{w('plan')} (top {min(top, len(a.plan))} / {len(a.plan)}):",
            plan_text(a, lang, top).rstrip(), "", f"{w('method')}: {method_text(a, lang)}"]
    return "\n".join(out) + "\n"


def migration_text(result: MigrationResult, lang: Lang = "es") -> str:
    """What ``migrate`` did: first what it could not carry over, then what to review."""
    w = words(lang)
    if result.from_version == result.to_version:
        return w("migrate.same").format(new=result.to_version) + "\n"
    out = [ntext("migrate.title", lang, len(result.notes), old=result.from_version,
                 new=result.to_version)]
    lost = result.not_carried
    if lost:
        out += ["", f"{w('migrate.not_carried')}:", *(f"  - {n.text(lang)}" for n in lost)]
    rest = [n for n in result.notes if n not in lost]
    if rest:
        out += ["", f"{w('migrate.review')}:", *(f"  - {n.text(lang)}" for n in rest)]
    if not result.notes:
        out.append(w("migrate.nothing"))
    return "\n".join(out) + "\n"
