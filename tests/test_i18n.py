"""The languages: every catalogue entry and every bundled text in every language, with the same
parameters as the Spanish; compiled files current; no report says a word of another language."""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import re
import string
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

import disaster_protocol as dp
from disaster_protocol._i18n import (
    LANGS,
    TranslationWarning,
    check_lang,
    finding_key,
    language_name,
    messages,
    ntext,
    plural_index,
    text,
)
from disaster_protocol.assessment import FINDING_KINDS
from disaster_protocol.cli import main
from disaster_protocol.crosswalk import crosswalk_names, load_crosswalk
from disaster_protocol.migration import load_migration

from .conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


I18N = _script()
OTHERS = [lang for lang in LANGS if lang != "es"]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# ----------------------------------------------------------------------------- the catalogue

def test_the_languages_are_the_files_present() -> None:
    found = {p.stem for p in (ROOT / "src" / "disaster_protocol" / "_locale").glob("*.json")}
    assert set(LANGS) == found
    assert LANGS[:2] == ("es", "en")
    assert {"pt", "fr"} <= set(LANGS)
    assert language_name("pt") == "português"
    assert language_name("fr") == "français"


@pytest.mark.parametrize("lang", OTHERS)
def test_every_language_has_every_key_of_the_spanish_with_the_same_parameters(lang: str) -> None:
    source, translated = messages("es"), messages(lang)
    assert sorted(set(source) - set(translated)) == [], f"{lang} lacks these messages"
    assert sorted(set(translated) - set(source)) == [], f"{lang} has messages Spanish lacks"
    differ = [key for key in source if _fields(source[key]) != _fields(translated[key])]
    assert differ == [], f"{lang}: placeholders differ from the Spanish"
    assert all(value.strip() for value in translated.values())


@pytest.mark.parametrize("kind", FINDING_KINDS)
def test_every_finding_kind_has_a_sentence(kind: str) -> None:
    assert finding_key(kind, {}) in messages("es")


def test_a_variant_names_its_own_sentence() -> None:
    assert finding_key("stale-exercise", {"variant": "undated"}) == \
        "finding.stale-exercise.undated"
    assert text("finding.stale-exercise.undated", "en", action="RESP-01").startswith(
        "RESP-01 claims level 4 (tested) with no date")


def test_multilingual_parameters_are_said_in_the_language_asked() -> None:
    title = dp.Text.model_validate({"es": "Plan de continuidad", "en": "Continuity plan",
                                    "pt": "Plano de continuidade"})
    params = {"action": "A", "title": title, "level": 1, "lead": "RMU"}
    assert "«Plan de continuidad»" in text("finding.blocking-gap", "es", **params)
    assert "'Continuity plan'" in text("finding.blocking-gap", "en", **params)
    assert "Plano de continuidade" in text("finding.blocking-gap", "pt", **params)


@pytest.mark.parametrize("lang", [*LANGS])
def test_known_languages_pass(lang: str) -> None:
    assert check_lang(lang) == lang


@pytest.mark.parametrize("lang", ["de", "ES", "pt_BR", "", None, 1])
def test_unknown_languages_are_a_value_error_naming_every_language(lang: object) -> None:
    with pytest.raises(ValueError, match=re.escape(
            "choose es (español), en (English), fr (français) or pt (português)")):
        check_lang(lang)
    with pytest.raises(ValueError, match="unknown language"):
        text("score", lang)  # type: ignore[arg-type]


def test_an_unknown_entry_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        text("no-such-entry", "pt")


@pytest.mark.parametrize(("lang", "n", "form"), [
    ("es", 0, 1), ("es", 1, 0), ("es", 2, 1), ("en", 0, 1), ("en", 1, 0),
    ("fr", 0, 0), ("fr", 1, 0), ("fr", 2, 1), ("pt", 0, 0), ("pt", 1, 0), ("pt", 2, 1)])
def test_plurals_follow_the_language(lang: str, n: int, form: int) -> None:
    """French and Brazilian Portuguese say 0 in the singular; Spanish and English do not."""
    assert plural_index(lang, n) == form


def test_a_sentence_about_a_count_agrees_with_it() -> None:
    assert ntext("coop.gap", "es", 1, gap=1) == "1 nivel por delante"
    assert ntext("coop.gap", "es", 0, gap=0) == "0 niveles por delante"
    assert ntext("coop.gap", "pt", 0, gap=0) == "0 nível à frente"
    assert ntext("coop.gap", "pt", 2, gap=2) == "2 níveis à frente"
    assert ntext("migrate.title", "en", 1, old="1.0.0", new="1.1.0") == \
        "Profile rewritten from 1.0.0 to 1.1.0: 1 point to review"


# ----------------------------------------------------------------------------- the sources

def test_compiled_files_and_the_data_template_are_current() -> None:
    """``scripts/i18n.py extract`` and ``compile`` were run after the last edit."""
    assert I18N.stale() == []


@pytest.mark.parametrize("lang", ["es", "en", *OTHERS])
def test_every_catalogue_file_has_exactly_the_template_s_messages(lang: str) -> None:
    """A merge that glues two PO entries together (both sides appended at the end) loses a
    message silently: each language's PO file and compiled catalogue must hold exactly the
    template's keys, each once."""
    template = [e.ctx for e in I18N.read_po(I18N.LOCALE / "catalogue.pot").entries]
    assert len(template) == len(set(template))
    if lang != "es":  # Spanish is the template itself
        keys = [e.ctx for e in I18N.read_po(I18N.LOCALE / lang / "catalogue.po").entries]
        assert sorted(keys) == sorted(template)
    compiled = json.loads((I18N.COMPILED / f"{lang}.json").read_text(encoding="utf-8"))
    assert set(compiled["catalogue"]) >= set(template)


@pytest.mark.parametrize("lang", OTHERS)
def test_nothing_is_left_untranslated(lang: str) -> None:
    """A text added or changed in protocols/ or the catalogue without its translation fails
    here, listing the entries; ``python scripts/i18n.py missing <lang>`` prints them as PO."""
    todo = [e.ctx for e in I18N.missing(lang)]
    assert todo == [], (f"{len(todo)} entries have no {lang} translation of today's Spanish: "
                        f"run python scripts/i18n.py update {lang}, fill them in, then compile")
    assert I18N.placeholder_problems(lang) == []


def _texts(value: object, path: str = "") -> Iterator[tuple[str, dp.Text]]:
    if isinstance(value, dp.Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}[{key}]")


def _bundled_values() -> Iterator[tuple[str, BaseModel]]:
    yield "sendai_ciss", dp.load_protocol()
    for name in crosswalk_names():
        yield name, load_crosswalk(name)
    for path in sorted((ROOT / "protocols" / "migrations").glob("*.yaml")):
        yield path.stem, load_migration(path)


def test_every_bundled_text_is_in_every_language_once_loaded() -> None:
    """The translations reach the loaded values: every Text of the protocol, the crosswalks
    and the migrations has every language, and none is the Spanish or English copied."""
    lacking, copied, count = [], [], 0
    for name, value in _bundled_values():
        for path, label in _texts(value):
            count += 1
            for lang in OTHERS[1:]:
                found = getattr(label, lang)
                if found is None:
                    lacking.append(f"{name}{path} ({lang})")
                elif found in (label.es, label.en) and len(found) > 40:
                    copied.append(f"{name}{path} ({lang})")
    assert count > 700
    assert lacking == []
    assert copied == []


def test_a_text_changed_since_it_was_translated_is_not_shown_translated(
        tmp_path: Path) -> None:
    protocol = (ROOT / "protocols" / "sendai_ciss.yaml").read_text(encoding="utf-8")
    first = dp.load_protocol().phases[0]
    edited = protocol.replace(f'es: "{first.title.es}"', 'es: "Otra cosa"', 1)
    assert edited != protocol
    target = tmp_path / "sendai_ciss.yaml"
    target.write_text(edited, encoding="utf-8")
    phase = dp.load_protocol(target).phases[0]
    assert phase.title.pt is None  # type: ignore[attr-defined]
    with pytest.warns(TranslationWarning, match="'Otra cosa' has no pt text; shown in es"):
        assert phase.title.get("pt") == "Otra cosa"


# ----------------------------------------------------------------------------- user files

def test_a_user_label_may_carry_other_languages_and_falls_back_with_a_warning() -> None:
    label = dp.Text.model_validate({"es": "Respuesta", "en": "Response", "fr": "Intervention"})
    assert label.get("fr") == "Intervention"
    assert (label.es, label.en) == ("Respuesta", "Response")
    with pytest.warns(TranslationWarning, match="'Respuesta' has no pt text; shown in es"):
        assert label.get("pt") == "Respuesta"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dp.Text(es="Respuesta", en="Response").get("en") == "Response"


def test_a_label_in_an_unknown_language_is_a_located_error(minimal_text: str) -> None:
    bad = minimal_text.replace("en: Minimal test protocol",
                               "en: Minimal test protocol\n  de: Minimales Protokoll", 1)
    assert bad != minimal_text
    with pytest.raises(dp.ProtocolError, match=r"minimal\.yaml:\d+:\d+: .*'de'.*unknown-key"):
        dp.loads_protocol(bad, source="minimal.yaml")


def test_the_fallback_of_a_user_file_is_said_on_the_command_line(tmp_path: Path,
                                                                 minimal_text: str) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text(minimal_text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["show", "--protocol", str(target), "--lang", "fr"], stdout=out, stderr=err)
    assert code == 0
    assert "has no fr text; shown in en" in err.getvalue()


# ----------------------------------------------------------------------------- the tool

@pytest.fixture
def locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of locale/ the tool works on."""
    import shutil
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy)
    monkeypatch.setattr(I18N, "LOCALE", copy)
    monkeypatch.setattr(I18N, "COMPILED", tmp_path / "compiled")
    return copy


def test_the_tool_lists_what_a_changed_source_leaves_untranslated(
        locale: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pot = I18N.read_po(locale / "catalogue.pot")
    pot.entries[0].msgid = "Evaluación nueva"
    I18N.write_po(locale / "catalogue.pot", pot)
    assert I18N.add_message("x.new", "Nuevo {n}", "New {n}", {"fr": "Nouveau {n}"})
    assert [e.ctx for e in I18N.missing("pt")] == ["report", "x.new"]
    assert [e.ctx for e in I18N.missing("fr")] == ["report"]
    assert I18N.cmd_missing("pt") == 1
    printed = capsys.readouterr().out
    assert 'msgctxt "x.new"\nmsgid "Nuevo {n}"\nmsgstr ""' in printed
    I18N.cmd_update("pt")
    report = I18N.read_po(locale / "pt" / "catalogue.po").by_ctx()["report"]
    assert report.fuzzy
    assert report.previous == "Evaluación de preparación ante desastres"
    assert report.msgstr == "Avaliação de preparação para desastres"
    assert '"report"' not in I18N.compiled("pt").split('"catalogue"')[1].split('"data"')[0]


def test_the_tool_refuses_a_translation_that_drops_a_placeholder(locale: Path) -> None:
    po = I18N.read_po(locale / "fr" / "catalogue.po")
    entry = po.by_ctx()["coop.and_more"]
    entry.msgstr = "et d'autres"
    I18N.write_po(locale / "fr" / "catalogue.po", po)
    assert I18N.placeholder_problems("fr") == [
        "locale/fr/catalogue.po: coop.and_more: placeholders [], Spanish has ['n']"]
    assert I18N.cmd_compile() == 1


def test_po_strings_round_trip(locale: Path) -> None:
    entry = I18N.Entry("k", 'dice "hola"\n\ty \\ adiós', 'says "hi"\n\tand \\ bye')
    I18N.write_po(locale / "t.po", I18N.Po({"Language": "xx"}, [entry]))
    back = I18N.read_po(locale / "t.po")
    assert back.headers == {"Language": "xx"}
    assert back.entries == [entry]


def test_entries_of_an_old_style_catalogue_are_carried_over(locale: Path) -> None:
    source = ('CATALOGUE: dict[str, tuple[str, str]] = {\n    "score": ("Puntaje", "Score"),\n'
              '    "x.added": ("Añadido {n}", "Added {n}"),\n}\n')
    assert I18N.old_catalogue(source) == {"score": ("Puntaje", "Score"),
                                          "x.added": ("Añadido {n}", "Added {n}")}
    assert [k for k, (es, en) in I18N.old_catalogue(source).items()
            if I18N.add_message(k, es, en)] == ["x.added"]
    assert I18N.read_po(locale / "en" / "catalogue.po").by_ctx()["x.added"].msgstr == \
        "Added {n}"
    assert [e.ctx for e in I18N.missing("fr")] == ["x.added"]


# ----------------------------------------------------------------------------- no leaks

EXAMPLES = ROOT / "examples" / "profiles"
REGION = ROOT / "examples" / "region"
PROFILE = str(EXAMPLES / "caja_intermedia.yaml")


def _commands(tmp: Path) -> Iterator[tuple[str, list[str]]]:
    """Every command that says something in a language, in each of its formats but JSON
    (which carries every language, or none: it is for machines)."""
    older = REGION / "2026" / "ar-anses.yaml"
    newer = REGION / "2027" / "ar-anses.yaml"
    for fmt in ("text", "md", "html", "csv"):
        yield f"check {fmt}", ["check", PROFILE, "--strict", "--format", fmt]
        yield f"compare {fmt}", ["compare", str(older), str(newer), "--format", fmt]
        yield f"cooperate {fmt}", ["cooperate", str(REGION / "2026"), "--partners",
                                   str(REGION / "partners.yaml"), "--format", fmt]
        yield f"evaluate {fmt}", ["evaluate", str(REGION / "2026"), str(REGION / "2027"),
                                  "--format", fmt]
    for fmt in ("csv", "md", "html"):
        yield f"batch {fmt}", ["batch", str(REGION / "2026"), "--by", "subregion",
                               "--format", fmt]
    for fmt in ("text", "md"):  # its CSV, like JSON, carries every language's rationale
        yield f"crosswalk {fmt}", ["crosswalk", "pe-sinagerd", "--format", fmt]
    for fmt in ("text", "md", "csv"):
        yield f"crosswalk --profile {fmt}", ["crosswalk", "co-ley-1523", "--profile", PROFILE,
                                             "--format", fmt]
    yield "crosswalk --reverse", ["crosswalk", "issa-cor", "--reverse"]
    for fmt in ("text", "md"):
        yield f"playbook {fmt}", ["playbook", "--hazard", "flood", "--format", fmt]
    yield "plan", ["plan", PROFILE]
    yield "show", ["show"]
    yield "template", ["template"]


def _outputs(lang: str, tmp: Path) -> Iterator[tuple[str, str]]:
    for name, argv in _commands(tmp):
        out, err = io.StringIO(), io.StringIO()
        code = main([*argv, "--lang", lang], stdout=out, stderr=err)
        assert code in (0, 1), (name, err.getvalue())
        assert err.getvalue() == "", (name, err.getvalue())
        yield name, out.getvalue()


def _fragments(template: str) -> Iterator[str]:
    """The literal runs of a message between its placeholders, long enough to be words of
    one language rather than of any: two words or more, or one capitalised word of eight
    letters or more (a lower-case single word is as likely a code: ``blocking``, ``proposed``)."""
    for literal, *_ in string.Formatter().parse(template):
        for part in re.split(r"[()\[\]:;,.«»'\"]", literal):
            part = part.strip()
            if (" " in part and len(part) >= 8) or (len(part) >= 8 and part[0].isupper()):
                yield part


def _foreign(lang: str) -> dict[str, str]:
    """Every fragment of another language's message or bundled text that differs from what
    ``lang`` says, with where it comes from; fragments ``lang`` itself uses are not foreign."""
    own = "\n".join([*messages(lang).values(), *_data_texts(lang)])
    found: dict[str, str] = {}
    for other in LANGS:
        if other == lang:
            continue
        theirs = messages(other)
        for key, template in theirs.items():
            if template != messages(lang)[key]:
                for part in _fragments(template):
                    found.setdefault(part, f"{other} message {key}")
        for label in _data_texts(other):
            if len(label) >= 20:
                found.setdefault(label, f"{other} protocol text")
    return {part: where for part, where in found.items() if part not in own}


@functools.cache
def _user_words() -> tuple[str, ...]:
    """The names the example profiles give (institutions, units): the user's words, in
    whatever language the user wrote them."""
    import yaml

    found: set[str] = set()
    for path in [*REGION.rglob("*.yaml"), *EXAMPLES.glob("*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            institution = data.get("institution") or {}
            found.add(str(institution.get("name", "")))
            found.update(str(unit) for unit in (data.get("roles") or {}).values())
    return tuple(sorted((w for w in found if w), key=len, reverse=True))


def _data_texts(lang: str) -> list[str]:
    return [label.get(lang) for _, value in _bundled_values() for _, label in _texts(value)]


def _leaks(lang: str, outputs: Iterator[tuple[str, str]]) -> list[str]:
    import html as markup

    foreign = _foreign(lang)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(
        re.escape(p) for p in sorted(foreign, key=len, reverse=True)) + r")(?![\w-])")
    leaks = []
    for name, output in outputs:
        shown = markup.unescape(output).replace("\\|", "|")
        for given in _user_words():  # institutions' and units' own names are no leak
            shown = shown.replace(given, "")
        leaks += [f"{name}: {m.group(0)!r} ({foreign[m.group(0)]})"
                  for m in pattern.finditer(shown)]
    return leaks


def test_the_leak_finder_finds_another_language_and_not_a_shared_word() -> None:
    page = "Plano de ação\nPlan de acción: Total 3 (provisional)\nGerencia de Prestaciones"
    assert _leaks("pt", iter([("page", page)])) == [
        "page: 'Plan de acción' (es message plan)"]
    assert _leaks("fr", iter([("page", "Total: 3, Score 40.0")])) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_output_says_a_word_of_another_language(lang: str, tmp_path: Path) -> None:
    """Every command, every format but JSON, in ``lang``: no message or bundled text of
    another language appears (what two languages say alike is not a leak)."""
    assert _leaks(lang, _outputs(lang, tmp_path)) == []


# ----------------------------------------------------------------------------- problems

@pytest.mark.parametrize(("lang", "said"), [
    ("es", "institution.nme: clave desconocida 'nme' (¿quiso decir 'name'?) [unknown-key]"),
    ("en", "institution.nme: unknown key 'nme' (did you mean 'name'?) [unknown-key]"),
    ("pt", "institution.nme: chave desconhecida 'nme' (você quis dizer 'name'?) [unknown-key]"),
    ("fr", "institution.nme: clé inconnue 'nme' (vouliez-vous dire 'name' ?) [unknown-key]")])
def test_a_problem_is_said_in_the_language_of_the_command(tmp_path: Path, lang: str,
                                                          said: str) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX, nme: 3}\n"
                      "assessed_on: 2026-01-01\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(target), "--lang", lang], stdout=out, stderr=err) == 2
    assert err.getvalue() == f"{target}:2:44: {said}\n"
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(target)
    assert str(info.value) == (f"{target}:2:44: institution.nme: unknown key 'nme' (did you "
                               "mean 'name'?) [unknown-key]")  # str() is English, as before


def test_a_missing_label_language_is_named_in_the_language_of_the_message(
        minimal_text: str) -> None:
    bad = minimal_text.replace("  es: Protocolo mínimo de prueba\n", "", 1)
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(bad, source="m.yaml")
    assert info.value.lines_in("pt") == (
        "m.yaml:5:3: title.es: falta o texto em espanhol (es); cada rótulo precisa de es e en "
        "[missing-language]")
    assert str(info.value) == ("m.yaml:5:3: title.es: the Spanish text (es) is missing; every "
                               "label needs both es and en [missing-language]")


def test_reading_and_csv_problems_are_said_in_the_language_of_the_command(
        tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    sheet = tmp_path / "p.csv"
    sheet.write_text("action_id,levle\nGOV-01,3\n", encoding="utf-8")
    said = {}
    for lang in ("fr", "pt"):
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", str(missing), "--lang", lang], stdout=out, stderr=err) == 2
        said[lang, "missing"] = err.getvalue()
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", str(sheet), "--lang", lang], stdout=out, stderr=err) == 2
        said[lang, "csv"] = err.getvalue()
    assert said["fr", "missing"] == f"{missing}: fichier introuvable ; vérifiez le chemin " \
        "[unreadable-file]\n"
    assert said["pt", "missing"] == f"{missing}: arquivo não encontrado; verifique o caminho " \
        "[unreadable-file]\n"
    assert said["pt", "csv"].startswith(f"{sheet}:1:2: o cabeçalho 'levle' não é uma coluna "
                                        "(você quis dizer 'level'?); as colunas são ")
    assert said["fr", "csv"].startswith(f"{sheet}:1:2: l'en-tête 'levle' n'est pas une colonne "
                                        "(vouliez-vous dire 'level' ?) ; les colonnes sont ")


def test_an_official_text_names_where_it_is_published(locale: Path) -> None:
    po = I18N.read_po(locale / "fr" / "protocol.po")
    entry = po.entries[0]
    entry.official = "A/RES/69/283 (French), title"
    I18N.write_po(locale / "fr" / "protocol.po", po)
    written = (locale / "fr" / "protocol.po").read_text(encoding="utf-8")
    assert "# source: A/RES/69/283 (French), title\n#, official\n" in written
    compiled = json.loads(I18N.compiled("fr"))
    assert compiled["official"] == {entry.ctx: "A/RES/69/283 (French), title"}
    (locale / "fr" / "protocol.po").write_text(
        written.replace("# source: A/RES/69/283 (French), title\n", ""), encoding="utf-8")
    with pytest.raises(ValueError, match="an official text needs a '# source: "):
        I18N.read_po(locale / "fr" / "protocol.po")


def test_no_bundled_translation_claims_to_be_official_without_a_source() -> None:
    """Nothing was checked against a published translation yet: every pt and fr text is a
    working translation (docs/languages.md), and show says so."""
    from disaster_protocol._i18n import translation_source

    assert translation_source("fr", "sendai_ciss:actions/GOV-01/title") is None
    out = io.StringIO()
    assert main(["show", "--phase", "GOV", "--lang", "pt"], stdout=out) == 0
    lines = [line for line in out.getvalue().splitlines() if "procedência" in line]
    assert lines
    assert all(line.endswith("· tradução de trabalho") for line in lines)


def test_a_reworded_message_is_carried_and_a_dropped_one_removed(locale: Path) -> None:
    reworded = {"score": ("Puntuación", "Score")}
    assert I18N._reword(reworded) == ["score"]
    assert I18N.read_po(locale / "catalogue.pot").by_ctx()["score"].msgid == "Puntuación"
    assert [e.ctx for e in I18N.missing("pt")] == ["score"]  # translated from older Spanish
    I18N.cmd_update("pt")
    assert I18N.read_po(locale / "pt" / "catalogue.po").by_ctx()["score"].fuzzy
    assert I18N.cmd_remove("score") == 0
    for path in (locale / "catalogue.pot", locale / "fr" / "catalogue.po"):
        assert "score" not in I18N.read_po(path).by_ctx()
