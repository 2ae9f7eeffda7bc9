"""Next round's profile started from this one: every answer carried and marked for review.

A profile written for an older version of the protocol is migrated first (the migration's notes
come with the result), so the new round always answers the protocol in use.

Examples
--------
>>> from datetime import date
>>> renewal = renew("examples/profiles/caja_intermedia.yaml", as_of=date(2027, 3, 1))
>>> renewal.profile.assessed_on, renewal.profile.state.status
(datetime.date(2027, 3, 1), 'draft')
>>> all(status.needs_review for status in renewal.profile.actions.values())
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .errors import require_type
from .loader import bundled_protocol, load_profile, loads_profile, read_profile_document
from .migration import MigrationResult, migrate
from .model import Protocol
from .profile import Profile

__all__ = ["Renewal", "RenewalDateError", "renew"]


class RenewalDateError(ValueError):
    """``as_of`` is not later than the profile's own date: a renewal starts a later round.
    ``as_of`` and ``assessed_on`` say which dates (for a message in another language)."""

    def __init__(self, as_of: date, assessed_on: date) -> None:
        super().__init__(f"as_of ({as_of}) must be later than the profile's assessed_on "
                         f"({assessed_on}): a renewal starts a later round")
        self.as_of, self.assessed_on = as_of, assessed_on


@dataclass(frozen=True)
class Renewal:
    """The renewed profile (checked, and as YAML text), the date it was renewed from, and the
    migration it went through first (``None`` when it answered the protocol's version)."""

    profile: Profile
    text: str
    renewed_from: date
    migration: MigrationResult | None = None


def renew(path: str | os.PathLike[str], *, as_of: date, protocol: Protocol | None = None,
          by: str | None = None) -> Renewal:
    """Start the next round's profile from a stored one.

    Every action keeps its answer (level, evidence, dates, justification) with
    ``needs_review: true``, to be removed once someone confirms it; ``assessed_on`` becomes
    ``as_of`` and the state ``draft`` (``by``, if given, names who started it). Roles,
    waivers and cooperation are carried as they are.

    Parameters
    ----------
    path : str or Path
        A YAML, JSON or CSV profile (with its sidecar).
    as_of : date
        The new round's date: later than the profile's own.
    protocol : Protocol, optional
        The protocol of the new round (default: the bundled one). A YAML or JSON profile of
        an older version of it is migrated first.
    by : str, optional
        Who starts the round (the state's ``by``).

    Raises
    ------
    ProfileError
        The profile is unreadable, or cannot be migrated to ``protocol``.
    MigrationError
        No migration leads from the profile's version to ``protocol``'s.
    ValueError
        If ``as_of`` is not later than the profile's date.
    """
    require_type(path, (str, os.PathLike), "path", "a file path (str or pathlib.Path)")
    require_type(as_of, date, "as_of", "a datetime.date")
    target = bundled_protocol() if protocol is None else protocol
    before, migration = _current(path, target)
    if as_of <= before.assessed_on:
        raise RenewalDateError(as_of, before.assessed_on)
    data = before.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    data["protocol"] = {"id": target.id, "version": target.version}
    data["assessed_on"] = as_of.isoformat()
    data["state"] = {"status": "draft", **({"by": by} if by else {}), "on": as_of.isoformat()}
    for status in data.get("actions", {}).values():
        status["needs_review"] = True
    ordered = {"schema_version": 1, **{k: v for k, v in data.items() if k != "schema_version"}}
    text = (f"# Renewed from {before.assessed_on} by disaster-protocol renew: every answer "
            "is marked needs_review until it is confirmed.\n"
            + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100))
    profile = loads_profile(text, target, source=f"{path} (renewed)")
    return Renewal(profile, text, before.assessed_on, migration)


def _current(path: str | os.PathLike[str], protocol: Protocol
             ) -> tuple[Profile, MigrationResult | None]:
    """The profile read for ``protocol``: migrated first when it names an older version."""
    if Path(path).suffix.lower() == ".csv":
        return load_profile(path, protocol), None
    doc, _ = read_profile_document(path)
    named = doc.data.get("protocol") if isinstance(doc.data, dict) else None
    version = named.get("version") if isinstance(named, dict) else None
    if not isinstance(version, str) or version == protocol.version:
        return load_profile(path, protocol), None
    result = migrate(path, to=protocol.version, protocol=protocol)
    return result.profile, result
