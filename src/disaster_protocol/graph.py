"""Queries over the protocol's structure.

Free functions over a validated :class:`~disaster_protocol.model.Protocol`.
"""

from __future__ import annotations

from .model import Action, Protocol

__all__ = ["actions_matching"]


def actions_matching(protocol: Protocol, *, phase: str | None = None, role: str | None = None,
                     priority: str | None = None, hazard: str | None = None) -> list[Action]:
    """Actions that match every filter given, in protocol order.

    Parameters
    ----------
    protocol : Protocol
        A validated protocol.
    phase : str, optional
        Keep actions in this phase.
    role : str, optional
        Keep actions this role leads or supports.
    priority : str, optional
        Keep actions aligned to this Sendai priority (as main priority or through a key
        activity paragraph of that priority).
    hazard : str, optional
        Keep actions that apply to this hazard, including multi-hazard (``all``) actions.

    Returns
    -------
    list of Action

    Examples
    --------
    >>> from disaster_protocol import load_protocol
    >>> p = load_protocol()
    >>> [a.id for a in actions_matching(p, phase="GOV", role="BOARD")][:2]
    ['GOV-01', 'GOV-02']
    """
    paragraphs = {str(x.paragraph): x.id for x in protocol.sendai.priorities}
    selected = []
    for action in protocol.actions:
        if phase is not None and action.phase != phase:
            continue
        if role is not None and role != action.lead and role not in action.support:
            continue
        if priority is not None:
            aligned = {action.sendai.priority} | {
                paragraphs.get(p.split("(")[0]) for p in action.sendai.paragraph}
            if priority not in aligned:
                continue
        if hazard is not None and hazard not in action.hazards and "all" not in action.hazards:
            continue
        selected.append(action)
    return selected
