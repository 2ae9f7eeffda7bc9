"""The words of wide tables: the columns a survey export or a spreadsheet may have, in English
and Spanish, the survey tools' own columns, and how people write n/a and "not assessed".

Values only; :mod:`disaster_protocol.collection` reads tables with them (docs/collection.md
lists them for people).
"""

from __future__ import annotations

import re

__all__ = ["ACTION_FIELDS", "EXPORT_COLUMNS", "EXPORT_MARKS", "INSTITUTION", "LEVEL",
           "NOT_APPLICABLE", "NOT_APPLICABLE_NORMAL", "REQUIRED", "SLASHED", "TOP", "UNKNOWN",
           "Target"]

Target = tuple[str, ...]

INSTITUTION = {
    "institution_id": "id", "institucion_id": "id", "id_institucion": "id",
    "institution_name": "name", "institucion_nombre": "name", "nombre_institucion": "name",
    "name": "name", "nombre": "name", "country": "country", "pais": "country",
    "subregion": "subregion", "type": "type", "tipo": "type", "institution_type": "type",
    "language": "language", "idioma": "language",
}
"""Institution columns by normal name (English and Spanish) -> the institution's field."""
TOP: dict[str, Target] = {
    "assessed_on": ("assessed_on",), "fecha_evaluacion": ("assessed_on",),
    "protocol_id": ("protocol", "id"), "protocol_version": ("protocol", "version"),
    "state": ("state", "status"), "estado": ("state", "status"),
    "state_by": ("state", "by"), "estado_por": ("state", "by"),
    "state_on": ("state", "on"), "estado_fecha": ("state", "on"),
    "date_format": ("date_format",), "formato_fecha": ("date_format",),
}
"""The other profile columns by normal name -> their path in a profile."""
ACTION_FIELDS = {
    "": "level", "level": "level", "nivel": "level", "evidence": "evidence",
    "evidencia": "evidence", "last_exercised": "last_exercised",
    "ultimo_ejercicio": "last_exercised", "justification": "justification",
    "justificacion": "justification", "note": "note", "nota": "note",
}
"""What follows an action's id in a column's name (nothing: the level) -> the field."""
EXPORT_COLUMNS = frozenset({
    # KoboToolbox
    "id", "uuid", "submission_time", "validation_status", "notes", "status", "submitted_by",
    "version", "tags", "index", "attachments", "geolocation", "xform_id_string",
    "formhub_uuid", "meta_instanceid", "meta_rootuuid", "meta_deprecatedid",
    "meta_instancename", "start", "end", "today", "deviceid", "username", "audit",
    # ODK Central
    "submissiondate", "key", "submitterid", "submittername", "attachmentspresent",
    "attachmentsexpected", "reviewstate", "edits", "formversion", "instanceid",
})
"""The survey tools' own columns (normal names), read past silently."""
EXPORT_MARKS = frozenset({"uuid", "submission_time", "meta_instanceid", "instanceid", "key",
                          "submissiondate"})
"""Columns only an export has: a header with one of them is a wide table."""
REQUIRED = (("institution", "id"), ("institution", "name"), ("institution", "country"),
            ("assessed_on",))
"""What every row needs: a header without one of them is refused at once."""
NOT_APPLICABLE = frozenset({"n/a", "na", "n.a.", "n. a.", "no aplica", "no_aplica",
                            "not applicable", "no corresponde", "nao se aplica"})
"""How people write n/a (lower case, spaces collapsed)."""
NOT_APPLICABLE_NORMAL = frozenset(re.sub(r"[^a-z0-9]+", "_", v).strip("_")
                                  for v in NOT_APPLICABLE)
UNKNOWN = frozenset({"unknown", "desconocido", "sin evaluar", "no evaluada", "not assessed"})
"""How people write "not assessed" (lower case, spaces collapsed)."""
SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
LEVEL = re.compile(r"^([0-4])(?:[.,]0+)?(?:\s*[-:\u2013\u2014].*)?$", re.DOTALL)
