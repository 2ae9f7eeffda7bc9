"""Blank readiness profiles to fill in: YAML, CSV and the CSV's sidecar."""

from __future__ import annotations

import io

from .._i18n import Lang
from .._output import CellWriter
from ..model import Protocol
from ..profile import CSV_COLUMNS
from ._common import words

__all__ = ["profile_sidecar_template", "profile_template_csv", "profile_template_yaml"]


def _head(lang: Lang) -> list[str]:
    w = words(lang)
    return ["institution:", f"  id: {w('template.id')}", f"  name: {w('template.name')}",
            "  country: XX", "assessed_on:  # YYYY-MM-DD"]


def profile_template_yaml(protocol: Protocol, lang: Lang = "es") -> str:
    """A blank YAML profile: every action ``unknown`` (not yet assessed: it adds nothing to
    the score and caps nothing until a level replaces it) with its title as a comment."""
    w = words(lang)
    out = ["schema_version: 1",
           f"# {w('template.title')} — {protocol.title.get(lang)} ({protocol.id} "
           f"{protocol.version})",
           f"# {w('template.levels')}",
           f"# {w('template.full_form')}",
           f'protocol: {{id: {protocol.id}, version: "{protocol.version}"}}',
           *_head(lang),
           f"roles:  # {w('template.roles')}"]
    out += [f"  # {r.id}: ...  # {r.title.get(lang)}" for r in protocol.roles]
    out.append("actions:")
    for phase in protocol.phases:
        out.append(f"  # --- {phase.id}: {phase.title.get(lang)}")
        out += [f"  {a.id}: unknown  # {a.title.get(lang)}" for a in protocol.actions
                if a.phase == phase.id]
    out += ["waivers: []", ""]
    return "\n".join(out)


def profile_template_csv(protocol: Protocol, lang: Lang = "es") -> str:
    """A blank CSV profile: one row per action at ``unknown`` (not yet assessed); the note
    column holds the title (replace it with your own notes)."""
    buffer = io.StringIO()
    writer = CellWriter(buffer)
    writer.writerow(CSV_COLUMNS)
    for a in protocol.actions:
        writer.writerow([a.id, "unknown", "", "", "", a.title.get(lang)])
    return buffer.getvalue()


def profile_sidecar_template(lang: Lang = "es") -> str:
    """The ``<name>.meta.yaml`` that goes beside a CSV profile."""
    return "\n".join(["schema_version: 1", *_head(lang), "roles: {}", "waivers: []", ""])
