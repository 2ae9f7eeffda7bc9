"""The word catalogue: every entry in both languages, with the same parameters in each."""

from __future__ import annotations

import string

import pytest

import disaster_protocol as dp
from disaster_protocol._i18n import CATALOGUE, LANGS, check_lang, finding_key, text
from disaster_protocol.assessment import FINDING_KINDS


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_both_languages_with_the_same_parameters(key: str) -> None:
    es, en = CATALOGUE[key]
    assert es.strip()
    assert en.strip()
    if key.startswith("finding."):
        assert _fields(es) == _fields(en), key


@pytest.mark.parametrize("kind", FINDING_KINDS)
def test_every_finding_kind_has_a_sentence(kind: str) -> None:
    assert finding_key(kind, {}) in CATALOGUE


def test_a_variant_names_its_own_sentence() -> None:
    assert finding_key("stale-exercise", {"variant": "undated"}) == \
        "finding.stale-exercise.undated"
    assert text("finding.stale-exercise.undated", "en", action="RESP-01").startswith(
        "RESP-01 claims level 4 (tested) with no date")


def test_bilingual_parameters_are_said_in_the_language_asked() -> None:
    title = dp.Text(es="Plan de continuidad", en="Continuity plan")
    assert "«Plan de continuidad»" in text("finding.blocking-gap", "es", action="A", title=title,
                                           level=1, lead="RMU")
    assert "'Continuity plan'" in text("finding.blocking-gap", "en", action="A", title=title,
                                       level=1, lead="RMU")


@pytest.mark.parametrize("lang", [*LANGS])
def test_known_languages_pass(lang: str) -> None:
    assert check_lang(lang) == lang


@pytest.mark.parametrize("lang", ["fr", "ES", "", None, 1])
def test_unknown_languages_are_a_value_error(lang: object) -> None:
    with pytest.raises(ValueError, match="choose 'es' \\(Spanish\\) or 'en' \\(English\\)"):
        check_lang(lang)
    with pytest.raises(ValueError, match="unknown language"):
        text("score", lang)  # type: ignore[arg-type]


def test_an_unknown_entry_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        text("no-such-entry", "es")
