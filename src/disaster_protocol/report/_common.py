"""Helpers shared by the renderers: table cells, numbers, labels, playbook grouping."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Literal

from .._i18n import Lang, check_lang, messages, text
from ..assessment import ActionResult, Assessment, GroupScore
from ..errors import printable
from ..graph import Playbook, PlaybookStep
from ..model import Protocol

__all__ = ["action_titles", "attribute_value", "cell", "fmt", "grade_text", "group_label",
           "group_range", "group_score", "heading", "label", "level_text", "method_text",
           "phase_names", "plain", "playbook_groups", "priority_name", "reliability_text",
           "score_tables", "words"]


def words(lang: Lang) -> Callable[[str], str]:
    """The catalogue's words in ``lang``: ``words("en")("score") == "Score"``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the package's languages.
    """
    checked = check_lang(lang)

    def word(key: str) -> str:
        return text(key, checked)

    return word


def heading(w: Callable[[str], str], key: str) -> str:
    """A catalogue word as a column heading: its first letter upper-case ("Coverage")."""
    word = w(key)
    return word[:1].upper() + word[1:]


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


def group_label(a: Assessment, family: str, key: str, lang: Lang) -> str:
    """A group's name in a score table: ``GOV — Gobernanza``; a hazard by its name alone,
    its key being an English word (``drought_heat``)."""
    name = a.labels.get(key)
    return name.get(lang) if family == "by_hazard" and name is not None else label(a, key, lang)


def score_tables(a: Assessment) -> list[tuple[str, dict[str, GroupScore]]]:
    """The four group-score tables of an assessment (score, coverage and range of each
    group), keyed by their catalogue word."""
    return [(family, dict(a.groups[family]))
            for family in ("by_phase", "by_priority", "by_role", "by_hazard")]


def group_score(g: GroupScore, w: Callable[[str], str]) -> str:
    """A group's score as people read it: the number, "not assessed", or ``-`` (n/a)."""
    if g.score is not None:
        return f"{g.score:.1f}"
    return "-" if g.coverage is None else w("not_assessed")


def group_range(g: GroupScore) -> str:
    """A group's coverage and score range, ``40% 52.0-68.5`` (empty when it is complete or
    has no score)."""
    if g.score_range is None or g.coverage is None or g.coverage == 1:
        return ""
    low, high = g.score_range
    return f"{g.coverage:.0%} {low:.1f}-{high:.1f}"


def grade_text(a: Assessment, w: Callable[[str], str]) -> str:
    """The grade, with "(provisional)" where too little was assessed to hold it."""
    return f"{a.grade} ({w('provisional')})" if a.provisional else a.grade


def reliability_text(a: Assessment, lang: Lang) -> str:
    """One sentence: the reliability level and the three figures behind it."""
    r, w = a.reliability, words(lang)

    def share(x: float | None) -> str:
        return "-" if x is None else f"{x:.0%}"

    return text("reliability.detail", lang, level=w(f"reliability.{r.level}"),
                coverage=share(r.coverage), evidenced=share(r.evidenced), fresh=share(r.fresh))


def method_text(a: Assessment, lang: Lang) -> str:
    """The method paragraph of every report: the rules, unassessed actions, the grade."""
    m, w = a.method, words(lang)
    out = text("method.explained", lang, a=m.grade_a_from, b=m.grade_b_from,
               months=m.freshness_months, strict=w("yes") if m.strict else w("no"),
               min=f"{m.min_coverage:.0%}")
    if a.provisional:
        out += " " + text("provisional.why", lang, coverage=f"{a.coverage:.0%}",
                          min=f"{m.min_coverage:.0%}", needed=len(a.evidence_needed))
    return out


def playbook_groups(book: Playbook, protocol: Protocol) -> list[tuple[str, list[PlaybookStep]]]:
    """Steps grouped by phase (phase order), execution order kept inside each phase."""
    groups: dict[str, list[PlaybookStep]] = {p.id: [] for p in protocol.phases}
    for step in book.steps:
        groups[step.phase].append(step)
    return [(phase, steps) for phase, steps in groups.items() if steps]




def action_titles(protocol_id: str, lang: Lang) -> dict[str, str]:
    """The titles of the bundled protocol's actions, by id, when ``protocol_id`` names it
    (values that keep only ids, like a comparison or a breakdown, show them beside each id);
    empty for another protocol."""
    from ..loader import bundled_protocol

    protocol = bundled_protocol()
    if protocol.id != protocol_id:
        return {}
    return {a.id: a.title.get(lang) for a in protocol.actions}


def phase_names(protocol_id: str, lang: Lang) -> dict[str, str]:
    """The names of the bundled protocol's phases, by id, when ``protocol_id`` names it;
    empty for another protocol."""
    from ..loader import bundled_protocol

    protocol = bundled_protocol()
    return {p.id: p.title.get(lang) for p in protocol.phases} if protocol.id == protocol_id \
        else {}


def attribute_value(by: str, value: str, lang: Lang) -> str:
    """A value of an institution attribute in ``lang``: ``("type", "health")`` ->
    "Salud"; a subregion the catalogue names by its name; anything else as given."""
    key = {"type": f"form.type.{value}", "language": f"form.language.{value}",
           "subregion": f"subregion.{value}"}.get(by)
    return text(key, lang) if key is not None and key in messages("es") else value


def priority_name(key: str, lang: Lang) -> str:
    """A Sendai priority with its short name, ``P1 Comprender el riesgo``; another key as
    given."""
    entry = f"priority.short.{key}"
    return f"{key} {text(entry, lang)}" if entry in messages("es") else key
