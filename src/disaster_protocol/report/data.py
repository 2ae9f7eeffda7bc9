"""Data for machines: stable JSON and CSV of assessments, JSON of actions and playbooks."""

from __future__ import annotations

import io
from collections.abc import Iterable

from .._i18n import Lang
from .._output import CellWriter, json_text
from ..assessment import Assessment
from ..graph import Playbook
from ..model import Action

__all__ = ["ASSESSMENT_CSV_COLUMNS", "actions_json", "assessment_csv", "assessment_json",
           "playbook_json"]

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


def actions_json(actions: Iterable[Action]) -> str:
    """Actions as a JSON array with the protocol file's keys (what ``show --format json``
    prints); empty optional fields are left out."""
    return _json([a.model_dump(mode="json", exclude_none=True) for a in actions])


def playbook_json(book: Playbook, lang: Lang = "es") -> str:
    """A playbook as JSON: ``{"hazard", "phase", "steps": [...]}`` in execution order."""
    return _json(book.to_dict(lang))
