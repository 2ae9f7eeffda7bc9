"""Carry a stored profile from one protocol version to the next.

A migration file (``protocols/migrations/<from>-<to>.yaml``) says what became of each action
between two content versions: renamed, split, merged, removed, added, or revised in what it
asks. :func:`migrate` rewrites a profile along a chain of such files and reports what it could
not carry over, so that an institution sees which answers to look at again.

>>> result = migrate_text("schema_version: 1\\ninstitution: {id: x, name: X, country: MX}\\n"
...                       "assessed_on: 2026-01-31\\nactions: {GOV-01: 3}\\n", to="1.2.0")
>>> result.from_version, result.to_version, result.profile.actions["GOV-01"].level
('1.0.0', '1.2.0', 3)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from . import _reading
from ._frozen import Frozen, FrozenDict, Id, ReadOnly
from ._i18n import (
    Lang,
    in_every_language,
    problem_said,
    said_in_every_language,
    translate_data,
)
from ._reading import Document
from ._validation import problems_from_validation, suggest
from .errors import MigrationError, Problem, ProfileError
from .loader import (
    _profile_shape,
    bundled_folder,
    load_protocol,
    loads_profile,
    read_profile_document,
)
from .model import Protocol, Text
from .profile import Profile, Version

__all__ = ["MIGRATED_FROM", "Merge", "Migration", "MigrationError", "MigrationNote",
           "MigrationResult", "Removal", "Revision", "load_migration", "migrate",
           "migrate_text", "migration_path"]


MIGRATED_FROM = "1.0.0"
"""The version a profile that names none is taken to be: ``protocol:`` in profiles came with
1.1.0, so an older profile names no version."""


class Merge(Frozen):
    """Several actions that became one: the lowest claimed level carries over."""

    actions: tuple[Id, ...] = Field(min_length=2)
    into: Id


class Removal(Frozen):
    """An action that is gone, and why."""

    action: Id
    reason: Text


class Revision(Frozen):
    """An action that kept its id but now asks more (or something else): review its level."""

    action: Id
    what: Text


class Migration(Frozen):
    """What became of each action between two content versions of one protocol."""

    schema_version: Literal[1]
    protocol: Id
    from_version: Version
    to_version: Version
    renamed: ReadOnly[Id, Id] = Field(default_factory=FrozenDict)
    split: ReadOnly[Id, tuple[Id, ...]] = Field(default_factory=FrozenDict)
    merged: tuple[Merge, ...] = ()
    removed: tuple[Removal, ...] = ()
    added: tuple[Id, ...] = ()
    added_roles: tuple[Id, ...] = ()
    revised: tuple[Revision, ...] = ()

    def gone(self) -> set[str]:
        """Ids of the old version that the new one no longer has."""
        return ({*self.renamed, *self.split, *(a.action for a in self.removed)}
                | {a for m in self.merged for a in m.actions if a != m.into})


NoteKind = Literal["renamed", "split", "merged", "removed", "added", "revised", "role",
                   "conflict"]


@dataclass(frozen=True)
class MigrationNote:
    """One thing an institution should look at after the rewrite."""

    kind: NoteKind
    action: str
    message: Text

    def text(self, lang: Lang = "en") -> str:
        return f"{self.action}: {self.message.get(lang)}"


@dataclass(frozen=True)
class MigrationResult:
    """The rewritten profile (as checked data and as YAML text) and the notes."""

    profile: Profile
    text: str
    from_version: str
    to_version: str
    notes: tuple[MigrationNote, ...]

    @property
    def not_carried(self) -> tuple[MigrationNote, ...]:
        """Answers that were dropped or could not be placed: they need the institution."""
        return tuple(n for n in self.notes if n.kind in ("removed", "conflict"))


# ----------------------------------------------------------------------------- files

def migration_path(from_version: str, to_version: str, folder: Path | None = None) -> Path:
    """The file of one step, ``<folder>/<from>-<to>.yaml`` (default: the bundled folder; each
    file states its protocol, which is checked)."""
    return (folder or bundled_folder("migrations")) / f"{from_version}-{to_version}.yaml"


def load_migration(path: str | os.PathLike[str], protocol: Protocol | None = None) -> Migration:
    """Read and check a migration file; with ``protocol`` (its target version), also check that
    every new id exists there and no old id is still in use.

    Raises
    ------
    MigrationError
        Every problem, located at file:line:column.
    """
    source = str(path)
    text = _reading.read_text(Path(path), error=MigrationError)
    doc = _reading.parse_text(text, source, error=MigrationError, what="migration")
    translate_data(doc.data, Path(path).stem)
    try:
        migration = Migration.model_validate(doc.data)
    except ValidationError as exc:
        raise MigrationError(problems_from_validation(exc, doc, Migration)) from None
    problems = list(_structure(migration, Path(path), doc))
    if protocol is not None and not problems:
        problems = list(_against(migration, protocol, doc))
    if problems:
        raise MigrationError(sorted(problems))
    return migration


def _structure(m: Migration, path: Path, doc: Document) -> Iterator[Problem]:
    """What a migration must be on its own: named ``<from>-<to>.yaml`` after its versions, each
    old id given one fate, and no rename onto an id that is itself renamed."""
    if path.stem != f"{m.from_version}-{m.to_version}":
        yield doc.problem(("from_version",), f"the file says {m.from_version} -> "
                          f"{m.to_version}; name it {m.from_version}-{m.to_version}.yaml",
                          "invalid-value")
    fates: dict[str, tuple[str | int, ...]] = {}
    olds: list[tuple[str, tuple[str | int, ...]]] = [
        *((old, ("renamed", old)) for old in m.renamed),
        *((old, ("split", old)) for old in m.split),
        *((a, ("merged", i, "actions")) for i, x in enumerate(m.merged) for a in x.actions),
        *((r.action, ("removed", i, "action")) for i, r in enumerate(m.removed))]
    for ident, where in olds:
        if ident in fates:
            yield doc.problem(where, f"action {ident!r} is given two fates (also at line "
                              f"{doc.where(fates[ident])[0]}); give it one", "duplicate-id")
        fates.setdefault(ident, where)
    for old, new in m.renamed.items():
        if new in m.renamed:
            yield doc.problem(("renamed", old), f"{old} is renamed {new}, which is itself "
                              f"renamed {m.renamed[new]}: rename {old} to the final id",
                              "invalid-value")


def _against(m: Migration, protocol: Protocol, doc: Document) -> Iterator[Problem]:
    """Problems of a migration read against the protocol version it leads to."""
    known = protocol.action_index
    if (m.protocol, m.to_version) != (protocol.id, protocol.version):
        yield doc.problem(("to_version",), f"this migration leads to {m.protocol} "
                          f"{m.to_version}, not to {protocol.id} {protocol.version}",
                          "invalid-value")
        return
    new: list[tuple[tuple[str | int, ...], str]] = [
        *((("renamed", old), new) for old, new in m.renamed.items()),
        *((("split", old, i), new) for old, news in m.split.items()
          for i, new in enumerate(news)),
        *((("merged", i, "into"), x.into) for i, x in enumerate(m.merged)),
        *((("added", i), a) for i, a in enumerate(m.added)),
        *((("revised", i, "action"), r.action) for i, r in enumerate(m.revised))]
    for path, ident in new:
        if ident not in known:
            yield doc.problem(path, f"action {ident!r} is not in {protocol.id} "
                              f"{protocol.version}{suggest(ident, list(known))}",
                              "unknown-action")
    for ident in sorted(m.gone() & known.keys()):
        yield doc.problem(_where_gone(m, ident), f"action {ident!r} is listed as gone but "
                          f"{protocol.id} {protocol.version} still has it", "invalid-value")
    for i, role in enumerate(m.added_roles):
        if role not in protocol.role_index:
            yield doc.problem(("added_roles", i), f"role {role!r} is not in {protocol.id} "
                              f"{protocol.version}", "unknown-role")


def _where_gone(m: Migration, ident: str) -> tuple[str | int, ...]:
    if ident in m.renamed:
        return ("renamed", ident)
    if ident in m.split:
        return ("split", ident)
    for i, r in enumerate(m.removed):
        if r.action == ident:
            return ("removed", i, "action")
    return next(("merged", i, "actions") for i, x in enumerate(m.merged) if ident in x.actions)


def _chain(protocol_id: str, start: str, end: str, folder: Path | None) -> list[Path]:
    """The migration files from ``start`` to ``end``, one version step after the other."""
    where = folder or bundled_folder("migrations")
    steps: dict[str, str] = {}
    for f in sorted(where.glob("*-*.yaml")) if where.is_dir() else []:
        a, _, b = f.stem.partition("-")
        if steps.setdefault(a, b) != b:
            raise MigrationError([Problem(file=str(f), code="duplicate-id", message=(
                f"two migrations start at {a} ({a}-{steps[a]}.yaml and {f.name}); keep one"))])
    files: list[Path] = []
    at = start
    while at != end:
        nxt = steps.get(at)
        if nxt is None or len(files) > len(steps):
            have = ", ".join(sorted(f"{a}->{b}" for a, b in steps.items())) or "-"
            raise MigrationError([Problem(file=str(where), code="invalid-value", **problem_said(
                ("problem.no-migration", {"protocol": protocol_id, "start": start, "end": end,
                                          "steps": have})))])
        files.append(migration_path(at, nxt, where))
        at = nxt
    return files


# ----------------------------------------------------------------------------- rewriting

def _note(kind: NoteKind, action: str, key: str, **params: object) -> MigrationNote:
    """A note whose message is the catalogue's ``migrate.note.<key>`` in every language."""
    return MigrationNote(kind, action, Text.model_validate(
        in_every_language(f"migrate.note.{key}", **params)))


def _level(status: Any) -> float:
    """A merge's sort key: the claimed level, with ``n/a`` after every level (it carries over
    only when every merged part was ``n/a``) and ``unknown`` after ``n/a`` (a part nobody
    assessed is passed over, as a part left out is; it carries over only when no part was
    assessed)."""
    level = status.get("level") if isinstance(status, dict) else None
    if isinstance(level, int):
        return float(level)
    return 99.0 if level == "n/a" else 100.0


def _step(data: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    """Rewrite ``data`` (a plain profile mapping) in place along one migration."""
    actions: dict[str, Any] = dict(data.get("actions") or {})
    clean = {old: new for old, new in m.renamed.items()
             if not (old in actions and new in actions)}
    for stage in (_rename, _split, _merge, _remove, _inform):
        yield from stage(actions, m)
    for role in m.added_roles:
        if role not in (data.get("roles") or {}):
            yield _note("role", role, "role")
    data["actions"] = actions
    yield from _carry_references(data, m, clean)


def _rename(actions: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    for old, new in m.renamed.items():
        if old not in actions:
            continue
        if new in actions:
            yield _note("conflict", old, "rename-conflict", new=new)
            del actions[old]
        else:
            actions[new] = actions.pop(old)
            yield _note("renamed", old, "renamed", new=new)


def _split(actions: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    for old, news in m.split.items():
        if old in actions:
            status = actions.pop(old)
            for new in news:
                if new in actions:
                    yield _note("conflict", old, "split-conflict", new=new)
                actions.setdefault(new, status)
            yield _note("split", old, "split", new=", ".join(news))


def _merge(actions: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    for merge in m.merged:
        present = [a for a in merge.actions if a in actions]
        if not present:
            continue
        lowest = min(present, key=lambda a: _level(actions[a]))
        status = actions[lowest]
        for a in present:
            del actions[a]
        if merge.into in actions:
            yield _note("conflict", ", ".join(present), "merge-conflict", into=merge.into)
            continue
        actions[merge.into] = status
        yield _note("merged", ", ".join(present), "merged", into=merge.into, lowest=lowest)


def _remove(actions: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    for removal in m.removed:
        if removal.action in actions:
            del actions[removal.action]
            yield _note("removed", removal.action, "removed", reason=removal.reason)


def _inform(actions: dict[str, Any], m: Migration) -> Iterator[MigrationNote]:
    for added in m.added:
        if added not in actions:
            yield _note("added", added, "added")
    for revision in m.revised:
        if revision.action in actions:
            yield _note("revised", revision.action, "revised", what=revision.what)


def _after_migrating(p: Problem, source: str, to: str) -> Problem:
    """A problem of the rewritten profile, told against the file the user gave."""
    said = dict(p.said)
    prefix = said_in_every_language(("problem.after-migrating", {"to": to}))
    return Problem(file=source, code=p.code, message=prefix["en"] + p.message,
                   said=tuple((lang, words + said.get(lang, p.message))
                              for lang, words in prefix.items() if lang != "en"))


def _carry_references(data: dict[str, Any], m: Migration,
                      clean: dict[str, str]) -> Iterator[MigrationNote]:
    """Waivers follow cleanly renamed actions only: a waiver is a decision about one action,
    so those of removed, split or merged actions, or of a rename whose answer was not kept, are
    dropped with a note. Cooperation items follow renames and merges, once each."""
    moved = {**clean, **{a: x.into for x in m.merged for a in x.actions}}
    dropped = ({r.action for r in m.removed} | set(m.split)
               | {a for x in m.merged for a in x.actions} | (set(m.renamed) - set(clean)))
    waivers = []
    for waiver in data.get("waivers") or []:
        action = waiver.get("action") if isinstance(waiver, dict) else None
        if action in dropped:
            yield _note("removed", action, "waiver-dropped")
            continue
        waivers.append({**waiver, "action": clean[action]} if action in clean else waiver)
    if "waivers" in data:
        data["waivers"] = waivers
    coop = data.get("cooperation")
    gone = {r.action for r in m.removed} | set(m.split)
    if isinstance(coop, dict):
        for side in ("offers", "demands"):
            items, seen = [], set()
            for item in coop.get(side) or []:
                action = str(item.get("action") if isinstance(item, dict) else item)
                new = moved.get(action, action)
                if action in gone or new in seen:
                    continue
                seen.add(new)
                items.append({**item, "action": new} if isinstance(item, dict) else new)
            if side in coop:
                coop[side] = items


def _plain(value: Any) -> Any:
    """The parsed document as plain dicts and lists, for the YAML writer."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _leading_comments(text: str) -> str:
    """The comment lines a profile starts with (a notice such as "illustrative example")."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


def _rewrite(doc: Document, to: str, protocol: Protocol | None, folder: Path | None,
             original: str = "", *, as_json: bool = False) -> MigrationResult:
    data: dict[str, Any] = _plain(doc.data)
    named = data.get("protocol") or {}
    target = protocol or load_protocol()
    protocol_id = named.get("id", target.id)  # a profile that names none answers this one
    start = named.get("version", MIGRATED_FROM)
    if (target.id, target.version) != (protocol_id, to):
        raise MigrationError([Problem(file=doc.source, code="invalid-value", **problem_said((
            "problem.migrate-other-target", {"protocol": protocol_id, "to": to,
                                             "given": f"{target.id} {target.version}"})))])
    notes: list[MigrationNote] = []
    for path in _chain(protocol_id, start, to, folder):
        step = load_migration(path, target if path.stem.endswith(f"-{to}") else None)
        if step.protocol != protocol_id:
            raise MigrationError([Problem(file=str(path), code="invalid-value", message=(
                f"this migration is for protocol {step.protocol!r}, not {protocol_id!r}"))])
        notes += _step(data, step)
    data = {"schema_version": data.get("schema_version", 1),
            "protocol": {"id": protocol_id, "version": to},
            **{k: v for k, v in data.items() if k not in ("schema_version", "protocol")}}
    if as_json:  # JSON has no comments: the rewrite is the data alone
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        header = (f"# Migrated from {protocol_id} {start} to {to} by disaster-protocol "
                  "migrate.\n" if start != to else "")
        text = _leading_comments(original) + header + text
    try:
        profile = loads_profile(text, target, source=f"{doc.source} (migrated)",
                                format="json" if as_json else "yaml")
    except ProfileError as exc:  # the rewrite is never shown: say where it went wrong
        raise ProfileError([_after_migrating(p, doc.source, to) for p in exc.problems]) from None
    return MigrationResult(profile, text, start, to, tuple(notes))


def migrate(path: str | os.PathLike[str], *, to: str, protocol: Protocol | None = None,
            folder: Path | None = None) -> MigrationResult:
    """Rewrite a stored YAML or JSON profile for protocol version ``to`` (JSON stays JSON).

    The profile's ``protocol.version`` says where it starts (a profile that names none is
    taken as :data:`MIGRATED_FROM`); the migration files of ``folder`` (default: the bundled
    ones) lead from there to ``to``. The result is checked against ``protocol`` (default: the
    bundled one, which must be version ``to``) before it is returned; nothing is written.

    Raises
    ------
    ProfileError
        The profile is unreadable or malformed (located in the original file), or the rewrite
        does not fit the target version.
    MigrationError
        No chain of migrations leads to ``to``, or a migration file is broken.
    """
    doc, original = read_profile_document(path)
    return _rewrite(doc, to, protocol, folder, original,
                    as_json=Path(path).suffix.lower() == ".json")


def migrate_text(text: str, *, to: str, protocol: Protocol | None = None,
                 source: str = "<string>", folder: Path | None = None) -> MigrationResult:
    """:func:`migrate` for a profile given as YAML text."""
    doc, _ = _profile_shape(_reading.parse_text(text, source, error=ProfileError, what="profile"))
    return _rewrite(doc, to, protocol, folder, text)
