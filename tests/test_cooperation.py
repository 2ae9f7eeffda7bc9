"""Cooperation: offers and demands stated in profiles, the matching, workshops, evaluation."""

from __future__ import annotations

import pytest

import disaster_protocol as dp

BASE = ("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
        "assessed_on: 2026-01-01\n")


def test_a_profile_states_offers_and_demands_with_bare_ids_or_notes() -> None:
    profile = dp.loads_profile(BASE + "actions: {GOV-01: 4, GOV-02: 3}\ncooperation:\n"
                               "  offers: [GOV-01, {action: GOV-02, note: manual listo}]\n"
                               "  demands: [KNOW-04]\n  capacity: 2\n  languages: [pt]\n")
    stated = profile.cooperation
    assert stated is not None
    assert [(o.action, o.note) for o in stated.offers] == [("GOV-01", None),
                                                            ("GOV-02", "manual listo")]
    assert [d.action for d in stated.demands] == ["KNOW-04"]
    assert (stated.capacity, stated.languages) == (2, ("pt",))
    assert dp.assess(dp.load_protocol(), profile).cooperation == stated


def test_an_empty_cooperation_list_means_none() -> None:
    profile = dp.loads_profile(BASE + "cooperation: {offers: , demands: }\n")
    assert profile.cooperation is not None
    assert profile.cooperation.offers == ()
    assert profile.cooperation.capacity is None


@pytest.mark.parametrize(("section", "message"), [
    ("{offers: [GOV-1]}", "unknown action 'GOV-1' (did you mean 'GOV-01'?)"),
    ("{offers: [GOV-01]}", "offers GOV-01, whose level is 1"),
    ("{offers: [GOV-03]}", "offers GOV-03, whose level is 0"),
    ("{demands: [GOV-02, GOV-02]}", "GOV-02 is listed twice in demands"),
    ("{offers: [GOV-04], demands: [GOV-04]}", "GOV-04 is both offered and asked for"),
    ("{capacity: -1}", "greater than or equal to 0"),
    ("{languages: [de]}", "must be 'es', 'en', 'pt' or 'fr'"),
])
def test_a_stated_cooperation_that_cannot_hold_is_a_located_problem(section: str,
                                                                     message: str) -> None:
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(BASE + "actions: {GOV-01: 1, GOV-04: 3}\ncooperation: " + section
                         + "\n", source="c.yaml")
    assert message in str(info.value)
    assert all(p.line == 5 for p in info.value.problems)
