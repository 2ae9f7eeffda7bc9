"""Round-trips of the models: dump -> validate, and dump -> YAML -> load, give equal values."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol.model import Action, ActionSendai, Provenance, Text

ids = st.from_regex(r"[A-Z][A-Z0-9]{0,5}(-[0-9]{2})?", fullmatch=True)
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=30)
texts = st.builds(Text, es=words, en=words)
provenances = st.builds(Provenance, status=st.sampled_from(["verified", "derived", "proposed"]),
                        sources=st.lists(ids, max_size=3).map(tuple),
                        note=st.none() | words)
actions = st.builds(
    Action, id=ids, phase=ids, title=texts, description=texts, lead=ids,
    support=st.lists(ids, max_size=3).map(tuple), requires=st.lists(ids, max_size=3).map(tuple),
    critical=st.booleans(), critical_reason=st.none() | texts,
    weight=st.floats(min_value=0.01, max_value=100, allow_nan=False),
    hazards=st.lists(ids, min_size=1, max_size=3).map(tuple),
    sendai=st.builds(ActionSendai, priority=st.none() | ids,
                     paragraph=st.lists(st.from_regex(r"[0-9]{2}\([a-q]\)", fullmatch=True),
                                        max_size=2).map(tuple)),
    evidence=st.lists(texts, max_size=2).map(tuple), provenance=provenances)


@given(actions)
def test_action_survives_dump_and_validate(action: Action) -> None:
    assert Action.model_validate(action.model_dump()) == action


@given(actions)
def test_action_survives_a_yaml_round_trip(action: Action) -> None:
    text = yaml.safe_dump(action.model_dump(mode="json"), allow_unicode=True)
    assert Action.model_validate(yaml.safe_load(text)) == action


@pytest.mark.parametrize("sort_keys", [False, True])
def test_bundled_protocol_survives_a_yaml_round_trip(bundled: dp.Protocol,
                                                     sort_keys: bool) -> None:
    text = yaml.safe_dump(bundled.model_dump(mode="json", exclude_none=True),
                          allow_unicode=True, sort_keys=sort_keys)
    assert dp.loads_protocol(text) == bundled


def test_text_returns_the_requested_language() -> None:
    label = Text(es="Respuesta", en="Response")
    assert (label.get("es"), label.get("en")) == ("Respuesta", "Response")
