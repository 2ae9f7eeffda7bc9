"""Renderers: turn validated values into text for people and machines. No scoring here.

One module per output family: :mod:`.text` (terminals), :mod:`.markdown`, :mod:`.html`,
:mod:`.data` (JSON and CSV), :mod:`.portfolio` (many institutions), :mod:`.crosswalk`
(other frameworks),
:mod:`.templates` (blank profiles), :mod:`.schema` (JSON Schemas)
and :mod:`.graph_export` (JSON node-link, GraphML, DOT, Mermaid). Every word comes from the
catalogue in :mod:`disaster_protocol._i18n`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names below, for type checkers; at run time each module loads on
    # first use, so a command that renders one assessment does not load every renderer
    from .compare import (
        comparison_csv,
        comparison_html,
        comparison_json,
        comparison_markdown,
        comparison_text,
        trend_csv,
    )
    from .crosswalk import (
        crosswalk_csv,
        crosswalk_json,
        crosswalk_markdown,
        crosswalk_text,
        framework_csv,
        framework_json,
        framework_markdown,
        framework_text,
    )
    from .data import actions_json, assessment_csv, assessment_json, playbook_json
    from .graph_export import EXPORT_FORMATS, export_graph
    from .html import assessment_html
    from .markdown import assessment_markdown, playbook_markdown, protocol_markdown
    from .portfolio import portfolio_csv, portfolio_html, portfolio_json, portfolio_markdown
    from .schema import SCHEMA_KINDS, json_schema
    from .templates import profile_sidecar_template, profile_template_csv, profile_template_yaml
    from .text import (
        action_text,
        assessment_text,
        migration_text,
        plan_text,
        playbook_text,
        protocol_summary,
    )

__all__ = [
    "EXPORT_FORMATS",
    "SCHEMA_KINDS",
    "action_text",
    "actions_json",
    "assessment_csv",
    "assessment_html",
    "assessment_json",
    "assessment_markdown",
    "assessment_text",
    "comparison_csv",
    "comparison_html",
    "comparison_json",
    "comparison_markdown",
    "comparison_text",
    "crosswalk_csv",
    "crosswalk_json",
    "crosswalk_markdown",
    "crosswalk_text",
    "export_graph",
    "framework_csv",
    "framework_json",
    "framework_markdown",
    "framework_text",
    "json_schema",
    "migration_text",
    "plan_text",
    "playbook_json",
    "playbook_markdown",
    "playbook_text",
    "portfolio_csv",
    "portfolio_html",
    "portfolio_json",
    "portfolio_markdown",
    "profile_sidecar_template",
    "profile_template_csv",
    "profile_template_yaml",
    "protocol_markdown",
    "protocol_summary",
    "trend_csv",
]

_HOMES = {
    ".compare": ("comparison_csv", "comparison_html", "comparison_json", "comparison_markdown",
                 "comparison_text", "trend_csv"),
    ".crosswalk": ("crosswalk_csv", "crosswalk_json", "crosswalk_markdown", "crosswalk_text",
                   "framework_csv", "framework_json", "framework_markdown", "framework_text"),
    ".data": ("actions_json", "assessment_csv", "assessment_json", "playbook_json"),
    ".graph_export": ("EXPORT_FORMATS", "export_graph"),
    ".html": ("assessment_html",),
    ".markdown": ("assessment_markdown", "playbook_markdown", "protocol_markdown"),
    ".portfolio": ("portfolio_csv", "portfolio_html", "portfolio_json", "portfolio_markdown"),
    ".schema": ("SCHEMA_KINDS", "json_schema"),
    ".templates": ("profile_sidecar_template", "profile_template_csv", "profile_template_yaml"),
    ".text": ("action_text", "assessment_text", "migration_text", "plan_text", "playbook_text",
              "protocol_summary"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    """Load a renderer's module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
