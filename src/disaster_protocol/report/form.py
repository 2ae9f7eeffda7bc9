"""The protocol as an XLSForm (KoboToolbox, ODK): a form every member can fill, offline.

One row per question in the ``survey`` sheet, the answers in ``choices``, the form's name in
``settings``; a label and hint column for every language of the catalogue. The field names are
the columns :func:`disaster_protocol.read_submissions` reads back from the export. Writing XLSX
needs openpyxl (the ``forms`` extra), imported only here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from .._i18n import LANGS, Lang, text
from .._output import sanitise
from .._sheet import FORMS_EXTRA
from ..model import Action, Protocol, Text
from ..profile import LEVELS

__all__ = ["xlsform", "xlsform_rows"]

Row = dict[str, str]
_Words = dict[Lang, str]


def _language(lang: Lang) -> str:
    """The XLSForm name of a language: ``Español (es)``."""
    return f"{text('form.language', lang)} ({lang})"


def _said(key: str, **params: object) -> _Words:
    return {lang: text(key, lang, **params) for lang in LANGS}


def _of(value: Text) -> _Words:
    return {lang: value.get(lang) for lang in LANGS}


def _row(kind: str, name: str, label: _Words | None = None, hint: _Words | None = None,
         **columns: str) -> Row:
    row = {"type": kind, "name": name, **columns}
    for lang in LANGS:
        if label is not None:
            row[f"label::{_language(lang)}"] = label[lang]
        if hint is not None:
            row[f"hint::{_language(lang)}"] = hint[lang]
    return row


def _field(ident: str) -> str:
    """An id as an XLSForm name (a name starts with a letter or an underscore)."""
    return ident if ident[0].isalpha() else f"_{ident}"


def _institution(protocol: Protocol) -> Iterator[Row]:
    yield _row("begin_group", "institution", _said("form.institution"))
    yield _row("text", "institution_id", _said("form.institution_id"),
               _said("form.institution_id.hint"), required="yes",
               constraint="regex(., '^[A-Za-z0-9][A-Za-z0-9_.-]*$')")
    yield _row("text", "institution_name", _said("form.institution_name"), required="yes")
    yield _row("text", "country", _said("country"), _said("form.country.hint"), required="yes")
    yield _row("text", "subregion", _said("form.subregion"))
    yield _row("select_one institution_type", "type", _said("form.type"))
    yield _row("select_one language", "language", _said("form.language_field"))
    yield _row("date", "assessed_on", _said("as_of"), required="yes")
    yield _row("calculate", "protocol_id", calculation=f"'{protocol.id}'")
    yield _row("calculate", "protocol_version", calculation=f"'{protocol.version}'")
    yield _row("end_group", "")
    yield _row("begin_group", "roles", _said("form.roles"), _said("form.roles.hint"))
    for role in protocol.roles:
        yield _row("text", _field(f"role_{role.id}"), _of(role.title), _of(role.description))
    yield _row("end_group", "")


def _shown_at(name: str, levels: tuple[str, ...]) -> str:
    return " or ".join(f"selected(${{{name}}}, '{level}')" for level in levels)


def _action(action: Action) -> Iterator[Row]:
    name = _field(action.id)
    hint = _of(action.description)
    if action.critical:
        reason = _of(action.critical_reason) if action.critical_reason else None
        for lang in LANGS:
            hint[lang] = text("form.critical", lang) + (f" {reason[lang]}" if reason else "") \
                + " " + hint[lang]
    title = {lang: f"{action.id} · {action.title.get(lang)}" for lang in LANGS}
    yield _row("select_one level", name, title, hint, required="yes")
    yield _row("text", f"{name}_justification", _said("form.justification"),
               _said("form.justification.hint"), required="yes",
               relevant=_shown_at(name, ("na",)))
    examples = {lang: "; ".join(e.get(lang) for e in action.evidence) for lang in LANGS}
    yield _row("text", f"{name}_evidence", _said("form.evidence"),
               {lang: text("form.evidence.hint", lang) + (f" ({examples[lang]})"
                                                          if examples[lang] else "")
                for lang in LANGS}, relevant=_shown_at(name, ("3", "4")))
    yield _row("date", f"{name}_last_exercised", _said("form.last_exercised"),
               _said("form.last_exercised.hint"), relevant=_shown_at(name, ("3", "4")))


def xlsform_rows(protocol: Protocol) -> dict[str, list[Row]]:
    """The form's three sheets as rows of named cells: ``survey``, ``choices``, ``settings``."""
    survey = list(_institution(protocol))
    for phase in protocol.phases:
        survey.append(_row("begin_group", _field(f"phase_{phase.id}"), _of(phase.title),
                           _of(phase.description)))
        for action in protocol.actions:
            if action.phase == phase.id:
                survey += _action(action)
        survey.append(_row("end_group", ""))
    choices = [{"list_name": "level", "name": str(m.level),
                **{f"label::{_language(lang)}": f"{m.level} — {m.label.get(lang)}: "
                   f"{m.description.get(lang)}" for lang in LANGS}}
               for m in protocol.maturity_levels if m.level in LEVELS]
    for name, key, list_name in (
            ("na", "form.level.na", "level"), ("unknown", "form.level.unknown", "level"),
            *((t, f"form.type.{t}", "institution_type")
              for t in ("health", "pensions", "work-injury", "mixed")),
            *((lang, f"form.language.{lang}", "language") for lang in ("es", "en", "pt", "fr"))):
        choices.append({"list_name": list_name, "name": name,
                        **{f"label::{_language(lang)}": text(key, lang) for lang in LANGS}})
    settings = [{"form_title": protocol.title.get(LANGS[0]),
                 "form_id": f"{protocol.id}_{protocol.version}".replace(".", "_"),
                 "version": protocol.version, "default_language": _language(LANGS[0])}]
    return {"survey": survey, "choices": choices, "settings": settings}


def xlsform(protocol: Protocol) -> bytes:
    """The XLSForm of ``protocol`` as the bytes of an ``.xlsx`` workbook.

    Raises
    ------
    ImportError
        Without openpyxl (the ``forms`` extra).
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ImportError(f"writing an XLSForm needs openpyxl, which is not installed: "
                          f"{FORMS_EXTRA}") from None
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in xlsform_rows(protocol).items():
        sheet = book.create_sheet(title)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([sanitise(row.get(c, "")) for c in columns])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
