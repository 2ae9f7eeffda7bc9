"""HTML fragments for Jupyter of the input values: a protocol, a profile and a playbook
(``_repr_html_``). Each is a short overview with its styles scoped to the fragment; the full
reports are elsewhere (``show``, ``to_markdown``)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .._i18n import Lang
from ._common import heading, words
from .html import page, table

if TYPE_CHECKING:
    from ..graph import Playbook
    from ..model import Protocol
    from ..profile import Profile

__all__ = ["playbook_fragment", "profile_fragment", "protocol_fragment"]


def protocol_fragment(protocol: Protocol, lang: Lang = "es") -> str:
    """The protocol's title and version, then one row per phase: its actions and how many
    are critical."""
    e, w = html.escape, words(lang)
    counts = {p.id: [0, 0] for p in protocol.phases}
    for a in protocol.actions:
        counts[a.phase][0] += 1
        counts[a.phase][1] += a.critical
    rows = [[f"<code>{e(p.id)}</code>", e(p.title.get(lang)), str(counts[p.id][0]),
             str(counts[p.id][1])] for p in protocol.phases]
    summary = w("display.summary").format(
        phases=len(protocol.phases), actions=len(protocol.actions),
        critical=sum(a.critical for a in protocol.actions), roles=len(protocol.roles))
    title = f"{protocol.title.get(lang)} {protocol.version}"
    body = (f"<h1>{e(title)}</h1><p class=meta>{e(summary)}</p>"
            + table([w("display.phase"), w("title"), w("actions"), heading(w, "critical")],
                    rows))
    return page(title, body, lang, fragment=True)


def profile_fragment(profile: Profile, lang: Lang = "es") -> str:
    """The institution and date, then one row per action stated: level, evidence, last
    exercise."""
    e, w = html.escape, words(lang)
    i = profile.institution
    rows = [[f"<code>{e(action)}</code>", e(str(s.level)), str(len(s.evidence)),
             e(str(s.last_exercised or ""))] for action, s in profile.actions.items()]
    title = f"{w('display.profile')}: {i.name}"
    body = (f"<h1>{e(title)}</h1><p class=meta>{e(i.id)} · {e(i.country)} · "
            f"{e(w('as_of'))} {profile.assessed_on}</p>"
            + table([w("action"), w("display.level"), w("display.evidence"),
                     w("display.last_exercised")], rows))
    return page(title, body, lang, fragment=True)


def playbook_fragment(playbook: Playbook, lang: Lang = "es") -> str:
    """The hazard (and phase), then the steps in order with their phase, lead and title."""
    e, w = html.escape, words(lang)
    rows = [[str(n), f"<code>{e(s.action)}</code>", e(s.title.get(lang)), e(s.phase),
             e(s.lead), e(w("yes") if s.critical else w("no"))]
            for n, s in enumerate(playbook.steps, 1)]
    scope = f" · {playbook.phase}" if playbook.phase else ""
    title = f"{w('playbook')}: {playbook.hazard}{scope}"
    body = (f"<h1>{e(title)}</h1><p class=meta>{len(playbook.steps)} {e(w('steps'))}</p>"
            + table(["#", w("action"), w("title"), w("display.phase"), w("lead"),
                     heading(w, "critical")], rows))
    return page(title, body, lang, fragment=True)
