"""JSON Schemas of the file formats and of the assessment's JSON output."""

from __future__ import annotations

from typing import Any, Literal

from .._output import json_text

__all__ = ["SCHEMA_KINDS", "json_schema"]

SchemaKind = Literal["profile", "protocol", "assessment", "crosswalk", "migration", "partners"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("profile", "protocol", "assessment", "crosswalk",
                                        "migration", "partners")
"""Every file format (and the assessment's JSON output) with a JSON Schema in ``schemas/``."""


def json_schema(kind: SchemaKind) -> str:
    """The JSON Schema of a profile, a protocol, a crosswalk, migration or partners file, or
    an assessment's JSON output."""
    from pydantic import BaseModel  # the models load when a schema is asked for

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
