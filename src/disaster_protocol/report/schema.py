"""JSON Schemas of the file formats and of the assessment's JSON output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from .._i18n import Lang, check_lang, text
from .._output import json_text

if TYPE_CHECKING:  # the models load when a schema is asked for, not for SCHEMA_KINDS
    from ..model import Protocol

__all__ = ["SCHEMA_KINDS", "json_schema"]

SchemaKind = Literal["profile", "protocol", "assessment", "crosswalk", "migration", "partners"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("profile", "protocol", "assessment", "crosswalk",
                                        "migration", "partners")
"""Every file format (and the assessment's JSON output) with a JSON Schema in ``schemas/``."""


def json_schema(kind: SchemaKind, *, protocol: Protocol | None = None,
                lang: Lang | None = None) -> str:
    """The JSON Schema of a profile, a protocol, a crosswalk, migration or partners file, or
    an assessment's JSON output.

    With ``protocol`` and ``lang`` (profiles only), a schema that drives a form: titles and
    descriptions in ``lang``, every action and role of the protocol with its title and
    description, the levels with their meanings, and only the protocol's ids as keys; it
    accepts what the loader accepts for that protocol.

    Raises
    ------
    ValueError
        If ``lang`` or ``protocol`` is given for another kind than ``profile``, or only one of
        them is given.
    """
    if (protocol is None) != (lang is None) or (lang is not None and kind != "profile"):
        raise ValueError("a form's schema needs both protocol and lang, and is a profile's")
    from pydantic import BaseModel

    from ..assessment import Assessment
    from ..crosswalk import Crosswalk
    from ..migration import Migration
    from ..model import Protocol
    from ..partners import Partners
    from ..profile import Profile

    models: dict[str, type[BaseModel]] = {"profile": Profile, "protocol": Protocol,
                                          "assessment": Assessment, "crosswalk": Crosswalk,
                                          "migration": Migration, "partners": Partners}
    schema = models[kind].model_json_schema(
        mode="serialization" if kind == "assessment" else "validation")
    if kind == "profile":
        _accept_shorthands(schema)
        if protocol is not None and lang is not None:
            _for_form(schema, protocol, check_lang(lang))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json_text(schema)


def _accept_shorthands(schema: dict[str, Any]) -> None:
    """What the loader accepts beyond the models: ``GOV-01: 3`` for ``{level: 3}``,
    ``RMU: "unit"`` for ``{unit: "unit"}``, a bare action id in cooperation offers and
    demands, and an empty ``actions:``, ``roles:``, ``waivers:``, ``offers:``, ``demands:``
    or ``languages:`` for none."""
    properties, defs = schema["properties"], schema["$defs"]
    level = defs["ActionStatus"]["properties"]["level"]
    for name, short in (("actions", {"enum": level["enum"]}),
                        ("roles", defs["RoleAssignment"]["properties"]["unit"])):
        values = properties[name]["patternProperties"]
        for pattern, full in values.items():
            values[pattern] = {"anyOf": [full, short]}
    for name in ("actions", "roles", "waivers"):
        properties[name] = {"anyOf": [properties[name], {"type": "null"}]}
    cooperation = defs["Cooperation"]["properties"]
    action_id = defs["CooperationItem"]["properties"]["action"]
    for name in ("offers", "demands"):
        cooperation[name]["items"] = {"anyOf": [cooperation[name]["items"], action_id]}
    for name in ("offers", "demands", "languages"):
        cooperation[name] = {"anyOf": [cooperation[name], {"type": "null"}],
                             "default": cooperation[name].pop("default", [])}


_FIELD_WORDS = {
    "schema_version": "form.schema_version", "protocol": "protocol",
    "institution": "institution", "assessed_on": "as_of", "roles": "form.roles",
    "actions": "actions", "waivers": "form.waivers", "cooperation": "form.cooperation",
    "state": "form.state", "id": "form.institution_id", "name": "form.institution_name",
    "country": "country", "subregion": "form.subregion", "type": "form.type",
    "language": "form.language_field", "level": "form.level", "evidence": "form.evidence",
    "last_exercised": "form.last_exercised", "justification": "form.justification",
    "note": "form.note", "needs_review": "form.needs_review", "status": "form.status",
    "by": "form.by", "on": "form.on", "unit": "unit", "alternate": "form.alternate",
    "action": "action", "reason": "form.reason", "approved_by": "form.approved_by",
    "expires": "form.expires", "offers": "coop.offers", "demands": "coop.demands",
    "capacity": "coop.capacity", "languages": "coop.languages",
    "ProtocolVersion.id": "protocol", "ProtocolVersion.version": "form.version",
}
"""Catalogue words for the profile's fields, as a form shows them."""


def _for_form(schema: dict[str, Any], protocol: Protocol, lang: Lang) -> None:
    """Titles, descriptions and choices in ``lang`` for the protocol's actions and roles."""
    _untitled(schema)  # pydantic's titles are English: each is set below in ``lang``
    properties, defs = schema["properties"], schema["$defs"]
    schema["title"] = f"{text('template.title', lang)}: {protocol.title.get(lang)}"
    schema["description"] = f"{protocol.id} {protocol.version}"
    for model, part in (("", schema), *defs.items()):
        if part is not schema:
            part.pop("description", None)  # the models' docstrings, in English
        for name, value in part.get("properties", {}).items():
            key = _FIELD_WORDS.get(f"{model}.{name}", _FIELD_WORDS.get(name))
            if key is not None:
                value["title"] = text(key, lang)
    meanings = {m.level: m for m in protocol.maturity_levels}
    level = defs["ActionStatus"]["properties"]["level"]
    level["oneOf"] = [
        {"const": value, "title": (f"{value} — {meanings[value].label.get(lang)}"
                                   if isinstance(value, int) and value in meanings else
                                   text("form.level.na" if value == "n/a"
                                        else "form.level.unknown", lang)),
         **({"description": meanings[value].description.get(lang)}
            if isinstance(value, int) and value in meanings else {})}
        for value in level.pop("enum")]
    for name, items in (("actions", protocol.actions), ("roles", protocol.roles)):
        mapping = properties[name]["anyOf"][0]
        (entry,) = mapping["patternProperties"].values()
        mapping["propertyNames"] = {"enum": [item.id for item in items]}
        mapping["properties"] = {
            item.id: {"title": f"{item.id} · {item.title.get(lang)}",
                      "description": item.description.get(lang), **entry}
            for item in items}


def _untitled(node: object) -> None:
    """Drop every ``title`` in the schema (in place)."""
    if isinstance(node, dict):
        node.pop("title", None)
        for key, value in node.items():
            if key != "properties" or not isinstance(value, dict):
                _untitled(value)
            else:
                for field in value.values():
                    _untitled(field)
    elif isinstance(node, list):
        for item in node:
            _untitled(item)
