"""Helpers shared by the renderers: table cells, numbers, labels, playbook grouping."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Literal

from .._i18n import Lang, check_lang, text
from ..assessment import ActionResult, Assessment
from ..errors import printable
from ..graph import Playbook, PlaybookStep
from ..model import Protocol

__all__ = ["cell", "fmt", "label", "level_text", "plain", "playbook_groups", "score_tables",
           "words"]


def words(lang: Lang) -> Callable[[str], str]:
    """The catalogue's words in ``lang``: ``words("en")("score") == "Score"``.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"es"`` or ``"en"``.
    """
    checked = check_lang(lang)

    def word(key: str) -> str:
        return text(key, checked)

    return word


def plain(value: str) -> str:
    """Text safe on a terminal line: control characters (ESC, BEL, CR, C1's CSI...) shown as
    ``\\xNN``, a newline as a space."""
    return printable(value.replace("\n", " "))  # a newline would end the line it stands in


def cell(value: str) -> str:
    """Text safe in Markdown, in a table cell or a heading: no markup (``<``, ``>``, ``&``
    escaped, ``|``, ``[`` and ``]`` escaped, so that ``[x](javascript:...)`` and
    ``![i](http://...)`` stay text), no control or bidirectional characters, one line."""
    return (html.escape(plain(value), quote=False).replace("|", "\\|")
            .replace("[", "\\[").replace("]", "\\]"))


def fmt(value: float | None) -> str:
    """A score with one decimal, ``-`` where there is none."""
    return "-" if value is None else f"{value:.1f}"


def level_text(result: ActionResult, key: Literal["claimed", "effective"],
               w: Callable[[str], str]) -> str:
    """A level as people read it: the number, ``n/a`` or "unassessed"."""
    if result.status == "n/a":
        return w("n/a")
    if key == "claimed" and result.status in ("unassessed", "unknown"):
        return w(result.status)
    value = getattr(result, key)
    return "-" if value is None else str(value)


def label(a: Assessment, key: str, lang: Lang) -> str:
    """A group key with its name: ``GOV — Gobernanza``."""
    name = a.labels.get(key)
    return f"{key} — {name.get(lang)}" if name is not None else key


def score_tables(a: Assessment) -> list[tuple[str, dict[str, float | None]]]:
    """The four group-score tables of an assessment, keyed by their catalogue word."""
    return [("by_phase", dict(a.by_phase)), ("by_priority", dict(a.by_priority)),
            ("by_role", dict(a.by_role)), ("by_hazard", dict(a.by_hazard))]


def playbook_groups(book: Playbook, protocol: Protocol) -> list[tuple[str, list[PlaybookStep]]]:
    """Steps grouped by phase (phase order), execution order kept inside each phase."""
    groups: dict[str, list[PlaybookStep]] = {p.id: [] for p in protocol.phases}
    for step in book.steps:
        groups[step.phase].append(step)
    return [(phase, steps) for phase, steps in groups.items() if steps]


