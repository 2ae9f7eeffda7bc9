"""A short, fixed-seed fuzzing campaign: every mutated profile is read or refused, never a crash.

The long campaign runs by hand: ``python -m tests.fuzz --inputs 100000``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import disaster_protocol as dp

from .fuzz.harness import mutate, run, run_protocols, run_side_files, run_wide_tables


@pytest.mark.slow
def test_two_thousand_mutated_profiles_are_read_or_refused(bundled: dp.Protocol) -> None:
    outcome = run(2_000, seed=2026, protocol=bundled)
    assert outcome.crashes == [], outcome.summary()
    assert outcome.rejected > 0  # the mutations do break files
    assert outcome.accepted > 0  # and some still read


def test_mutation_is_seeded() -> None:
    text = "schema_version: 1\nactions: {GOV-01: 3}\n"
    assert mutate(text, random.Random(7)) == mutate(text, random.Random(7))
    assert mutate(text, random.Random(7)) != text


@pytest.mark.slow
def test_three_hundred_mutated_protocols_are_loaded_or_refused() -> None:
    outcome = run_protocols(300, seed=2026)
    assert outcome.crashes == [], outcome.summary()
    assert outcome.rejected > 0


@pytest.mark.slow
def test_mutated_crosswalks_migrations_and_stored_profiles_are_read_or_refused(
        tmp_path: Path) -> None:
    outcome = run_side_files(400, seed=2026, where=tmp_path)
    assert outcome.crashes == [], outcome.summary()
    assert outcome.rejected > 0
    assert outcome.accepted > 0


@pytest.mark.slow
def test_mutated_wide_tables_are_read_or_refused(tmp_path: Path) -> None:
    outcome = run_wide_tables(400, seed=2026, where=tmp_path)
    assert outcome.crashes == [], outcome.summary()
    assert outcome.rejected > 0
    assert outcome.accepted > 0


def test_the_harness_renders_and_refuses_in_every_language(bundled: dp.Protocol,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from disaster_protocol._i18n import LANGS

    rendered: list[str] = []
    refused: list[str] = []
    to_html, lines_in = dp.Assessment.to_html, dp.DisasterProtocolError.lines_in

    def spy_html(self: dp.Assessment, lang: str = "es") -> str:
        rendered.append(lang)
        return to_html(self, lang)

    def spy_lines(self: dp.DisasterProtocolError, lang: str) -> str:
        refused.append(lang)
        return lines_in(self, lang)

    monkeypatch.setattr(dp.Assessment, "to_html", spy_html)
    monkeypatch.setattr(dp.DisasterProtocolError, "lines_in", spy_lines)
    outcome = run(30, seed=2026, protocol=bundled)
    assert outcome.crashes == [], outcome.summary()
    assert outcome.accepted > 0
    assert outcome.rejected > 0
    assert sorted(set(rendered)) == sorted(set(refused)) == sorted(LANGS) == ["en", "es", "fr",
                                                                              "pt"]
