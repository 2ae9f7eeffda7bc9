"""JSON Schemas of the file formats and of the assessment's JSON output."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel

from ..assessment import Assessment
from ..model import Protocol
from ..profile import Profile

__all__ = ["json_schema"]


def json_schema(kind: Literal["profile", "protocol", "assessment"]) -> str:
    """The JSON Schema of a profile, a protocol or an assessment's JSON output."""
    models: dict[str, type[BaseModel]] = {"profile": Profile, "protocol": Protocol,
                                          "assessment": Assessment}
    schema = models[kind].model_json_schema(
        mode="serialization" if kind == "assessment" else "validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
