"""Data for machines: stable JSON and CSV of assessments, JSON of actions and playbooks."""

from __future__ import annotations

import io
from collections.abc import Iterable

from .._i18n import Lang
from .._output import CellWriter, json_text
from ..assessment import Assessment
from ..graph import Playbook
from ..model import Action

__all__ = ["ASSESSMENT_CSV_COLUMNS", "PLAN_CSV_COLUMNS", "actions_json", "assessment_csv",
           "assessment_json", "plan_csv", "plan_json", "playbook_json"]

ASSESSMENT_CSV_COLUMNS = ("institution", "as_of", "action", "phase", "lead", "critical",
                          "weight", "status", "claimed", "effective", "waived", "evidence",
                          "findings", "title")
"""Columns of :func:`assessment_csv`; ``title`` is in the language asked for."""


def _json(data: object) -> str:
    return json_text(data)


def assessment_json(assessment: Assessment) -> str:
    """Stable JSON: fixed key order, every language, the same bytes for the same input."""
    return _json(assessment.to_dict())


def assessment_csv(assessment: Assessment, lang: Lang = "es") -> str:
    """One row per action: claimed and effective level, the kinds of its findings, and its
    title in ``lang``."""
    kinds: dict[str, list[str]] = {}
    for f in assessment.findings:
        if f.action:
            kinds.setdefault(f.action, []).append(f.kind)
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(ASSESSMENT_CSV_COLUMNS)
    for r in assessment.actions:
        writer.writerow([assessment.institution.id, assessment.as_of.isoformat(), r.action,
                         r.phase, r.lead, int(r.critical), f"{r.weight:g}", r.status,
                         "" if r.claimed is None else r.claimed,
                         "" if r.effective is None else r.effective, int(r.waived), r.evidence,
                         ";".join(kinds.get(r.action, [])), r.title.get(lang)])
    return buffer.getvalue()


PLAN_CSV_COLUMNS = ("institution", "as_of", "rank", "action", "phase", "lead", "unit",
                    "critical", "unlocks", "weight", "uplift", "title")
"""Columns of :func:`plan_csv`; ``title`` is in the language asked for."""


def plan_csv(assessment: Assessment, lang: Lang = "es", top: int | None = None) -> str:
    """The plan, one row per step (``plan --format csv``); the first ``top`` when given."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(PLAN_CSV_COLUMNS)
    for s in assessment.plan[:top] if top else assessment.plan:
        writer.writerow([assessment.institution.id, assessment.as_of.isoformat(), s.rank,
                         s.action, s.phase, s.lead, s.unit or "", int(s.critical), s.unlocks,
                         f"{s.weight:g}", f"{s.uplift:.2f}", s.title.get(lang)])
    return buffer.getvalue()


def plan_json(assessment: Assessment, top: int | None = None) -> str:
    """The plan as JSON (``plan --format json``): ``{"format_version": 1, "institution",
    "as_of", "steps": [...]}``, titles in both languages."""
    steps = assessment.plan[:top] if top else assessment.plan
    return _json({"format_version": 1, "institution": assessment.institution.id,
                  "as_of": assessment.as_of.isoformat(),
                  "steps": [s.model_dump(mode="json") for s in steps]})


def actions_json(actions: Iterable[Action]) -> str:
    """Actions as a JSON array with the protocol file's keys (what ``show --format json``
    prints); empty optional fields are left out."""
    return _json([a.model_dump(mode="json", exclude_none=True) for a in actions])


def playbook_json(book: Playbook, lang: Lang = "es") -> str:
    """A playbook as JSON: ``{"hazard", "phase", "steps": [...]}`` in execution order."""
    return _json(book.to_dict(lang))
