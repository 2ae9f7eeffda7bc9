"""Partners files: read and checked like every input (located problems, never a traceback);
``partners_for`` worked by hand."""

from __future__ import annotations

import json
import pickle
import random
import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

import disaster_protocol as dp
from disaster_protocol.partners import (
    PARTNER_KINDS,
    Partner,
    PartnerKind,
    Partners,
    load_partners,
    loads_partners,
    partners_for,
)

from .conftest import DATA, ROOT
from .fuzz.harness import mutate

EXAMPLE = ROOT / "examples" / "region" / "partners.yaml"
HEAD = "schema_version: 1\npartners:\n"
ROW = "- {id: a, name: A, kind: other, languages: [es], actions: [GOV-01]}\n"
HUGE = "0x" + "f" * 3600  # YAML reads it as an integer of 14,400 bits


def refused(text: str, protocol: dp.Protocol | None = None) -> list[str]:
    with pytest.raises(dp.PartnersError) as info:
        loads_partners(text, protocol, source="p.yaml")
    return [str(p) for p in info.value.problems]


# ----------------------------------------------------------------------------- good files

def test_the_example_loads_with_four_partners_each_marked_illustrative(
        bundled: dp.Protocol) -> None:
    partners = load_partners(EXAMPLE, bundled)
    assert [p.id for p in partners.partners] == ["paho", "ilo", "issa", "jica"]
    assert partners.protocol is not None
    assert (partners.protocol.id, partners.protocol.version) == (bundled.id, bundled.version)
    assert {p.kind for p in partners.partners} == {"international-organisation",
                                                  "development-agency"}
    for partner in partners.partners:
        assert partner.note is not None
        assert partner.note.startswith("Illustrative: confirm with the organisation")
        assert set(partner.actions) <= set(bundled.action_index)
    assert "ILLUSTRATIVE" in EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    jica = partners.partners[3]
    assert (jica.subregions, jica.source) == (("central", "southern"), None)


def test_a_minimal_file_loads_with_defaults_and_an_empty_list_is_allowed() -> None:
    partners = loads_partners(HEAD + ROW)
    partner = partners.partners[0]
    assert partner == Partner(id="a", name="A", kind="other", languages=("es",),
                              actions=("GOV-01",))
    assert (partner.subregions, partner.note, partner.source) == ((), None, None)
    assert partners.protocol is None
    assert loads_partners("schema_version: 1\npartners: []\n").partners == ()


def test_values_are_frozen_closed_and_pickle() -> None:
    partners = load_partners(EXAMPLE)
    with pytest.raises(ValidationError):
        partners.partners[0].id = "x"
    with pytest.raises(ValidationError):
        Partner(id="a", name="A", kind="other", languages=("es",), actions=("GOV-01",),
                extra=1)  # type: ignore[call-arg]
    assert pickle.loads(pickle.dumps(partners)) == partners
    assert repr(partners) == "Partners(4 partners: paho, ilo, issa, jica)"


def test_the_kinds_are_a_short_closed_list() -> None:
    from typing import get_args

    assert get_args(PartnerKind) == PARTNER_KINDS
    assert len(PARTNER_KINDS) <= 5
    assert "other" in PARTNER_KINDS


# ----------------------------------------------------------------------------- broken files

def test_every_problem_of_a_broken_file_is_located_at_once(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A bad language in one partner does not hide its unknown action; a partner with a
    structural problem still has its id compared with the others'."""
    monkeypatch.chdir(DATA)
    with pytest.raises(dp.PartnersError) as info:
        load_partners("partners_broken.yaml")
    assert str(info.value).splitlines() == [
        "partners_broken.yaml:9:3: partners[paho].notes: unknown key 'notes' (did you mean "
        "'note'?) [unknown-key]",
        "partners_broken.yaml:12:9: partners[ilo].kind: must be 'international-organisation', "
        "'development-agency', 'academic' or 'other' (got 'agency') [invalid-value]",
        "partners_broken.yaml:13:14: partners[ilo].languages: must be a list (got 'es') "
        "[wrong-type]",
        "partners_broken.yaml:18:23: partners[issa].languages[2]: must be 'es', 'en', 'pt' or "
        "'fr' (got 'sp') [invalid-value]",
        "partners_broken.yaml:19:22: partners[issa].actions[1]: unknown action 'PREP-7' (did "
        "you mean 'PREP-07'?) [unknown-action]",
        "partners_broken.yaml:19:30: partners[issa].actions[2]: PREP-01 is already listed on "
        "line 19; list each action once [duplicate-id]",
        "partners_broken.yaml:20:7: partners[paho].id: duplicate partner id 'paho': already "
        "used on line 4 [duplicate-id]",
        "partners_broken.yaml:24:12: partners[paho].actions: names no action: list the "
        "protocol actions this partner can support [invalid-value]",
    ]
    assert info.value.codes == ("unknown-key", "invalid-value", "wrong-type", "invalid-value",
                                "unknown-action", "duplicate-id", "duplicate-id",
                                "invalid-value")


def test_the_docs_show_real_lines_of_the_broken_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    with pytest.raises(dp.PartnersError) as info:
        load_partners("partners_broken.yaml")
    docs = (ROOT / "docs" / "partners.md").read_text(encoding="utf-8")
    shown = [line for line in docs.splitlines() if line.startswith("partners.yaml:")]
    assert len(shown) == 4
    real = [str(p).removeprefix("partners_broken.yaml:") for p in info.value.problems]
    assert all(line.removeprefix("partners.yaml:") in real for line in shown)


CASES = [
    # (what, file text, the problem lines)
    ("unknown key", HEAD + ROW.replace("}", ", sorce: x}"),
     ["p.yaml:3:69: partners[a].sorce: unknown key 'sorce' (did you mean 'source'?) "
      "[unknown-key]"]),
    ("wrong types", HEAD + "- {id: a, name: [A], kind: other, languages: es, actions: GOV-01}\n",
     ["p.yaml:3:17: partners[a].name: must be text (got a list) [wrong-type]",
      "p.yaml:3:46: partners[a].languages: must be a list (got 'es') [wrong-type]",
      "p.yaml:3:59: partners[a].actions: must be a list (got 'GOV-01') [wrong-type]"]),
    ("unquoted no", HEAD + ROW.replace("name: A", "name: no"),
     ["p.yaml:3:17: partners[a].name: expected text, got 'no' (YAML read this as False; quote "
      "it: \"no\") [yaml-boolean]"]),
    ("duplicate partner ids", HEAD + ROW + ROW.replace("name: A", "name: B"),
     ["p.yaml:4:8: partners[a].id: duplicate partner id 'a': already used on line 3 "
      "[duplicate-id]"]),
    ("unknown actions", HEAD + ROW.replace("[GOV-01]", "[prep-7, XYZ-99]"),
     ["p.yaml:3:60: partners[a].actions[0]: unknown action 'prep-7' (did you mean 'PREP-07'?) "
      "[unknown-action]",
      "p.yaml:3:68: partners[a].actions[1]: unknown action 'XYZ-99' [unknown-action]"]),
    ("empty actions and languages", HEAD + ROW.replace("[GOV-01]", "[]").replace("[es]", "[]"),
     ["p.yaml:3:44: partners[a].languages: names no language: list those it works in (es, en, "
      "pt, fr) [invalid-value]",
      "p.yaml:3:57: partners[a].actions: names no action: list the protocol actions this "
      "partner can support [invalid-value]"]),
    ("unknown language and kind", HEAD + ROW.replace("[es]", "[en, esp]").replace(
        "other", "ngo"),
     ["p.yaml:3:26: partners[a].kind: must be 'international-organisation', "
      "'development-agency', 'academic' or 'other' (got 'ngo') [invalid-value]",
      "p.yaml:3:47: partners[a].languages[1]: must be 'es', 'en', 'pt' or 'fr' (got 'esp') "
      "(did you mean 'es'?) [invalid-value]"]),
    ("missing fields", HEAD + "- {id: a}\n",
     ["p.yaml:3:3: partners[a].actions: required field 'actions' is missing [missing-field]",
      "p.yaml:3:3: partners[a].kind: required field 'kind' is missing [missing-field]",
      "p.yaml:3:3: partners[a].languages: required field 'languages' is missing "
      "[missing-field]",
      "p.yaml:3:3: partners[a].name: required field 'name' is missing [missing-field]"]),
    ("no partners key", "schema_version: 1\n",
     ["p.yaml:1:1: partners: required field 'partners' is missing [missing-field]"]),
    ("partners not a list", "schema_version: 1\npartners: {a: 1}\n",
     ["p.yaml:2:11: partners: must be a list (got a mapping) [wrong-type]"]),
    ("a partner not a mapping", HEAD + "- paho\n" + ROW,
     ["p.yaml:3:3: partners[0]: must be a mapping (got 'paho') [wrong-type]"]),
    ("not a mapping", "- 1\n",
     ["p.yaml:1:1: a partners file must be a mapping of keys to values (got list) "
      "[wrong-type]"]),
    ("newer version", "schema_version: 2\npartners: []\n",
     ["p.yaml:1:17: schema_version: version 2 is newer than this disaster-protocol reads (1); "
      "upgrade disaster-protocol [unsupported-schema-version]"]),
    ("another protocol", "schema_version: 1\nprotocol: {id: other, version: 1.0.0}\n"
     "partners:\n" + ROW.replace("GOV-01", "X-1"),
     ["p.yaml:2:16: protocol.id: this partners file is for protocol 'other', not "
      "'sendai_ciss': load it against that protocol [other-protocol]"]),
    ("duplicate key", HEAD + "- {id: a, id: b, name: A, kind: other, languages: [es], "
     "actions: [GOV-01]}\n",
     ["p.yaml:3:11: partners[a].id: duplicate key 'id' (first given on line 3); keep one of "
      "them [duplicate-key]"]),
    ("syntax error", HEAD + "- {id: a\n",
     ["p.yaml:4:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow "
      "mapping) [syntax-error]"]),
]


@pytest.mark.parametrize(("what", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_broken_file_gives_located_problems(what: str, text: str,
                                                         expected: list[str]) -> None:
    assert refused(text) == expected


def test_another_protocol_version_says_what_to_do(bundled: dp.Protocol) -> None:
    text = "schema_version: 1\nprotocol: {id: sendai_ciss, version: 0.9.0}\npartners: []\n"
    [line] = refused(text, bundled)
    assert line.startswith("p.yaml:2:38: protocol.version: this partners file was written for "
                           "sendai_ciss 0.9.0, and the protocol is ")
    assert line.endswith("update protocol.version [other-protocol-version]")


def test_thousands_of_unknown_actions_are_counted_after_a_hundred() -> None:
    text = HEAD + ROW.replace("[GOV-01]", "[" + ", ".join(f"Z{i}" for i in range(1_000)) + "]")
    lines = refused(text)
    assert len(lines) == dp.errors.MAX_LISTED + 1
    assert lines[-1] == ("p.yaml:3:550: partners[a].actions[100]: and 900 more unknown actions "
                         "from here; is this file written for another protocol? "
                         "[unknown-action]")


# ----------------------------------------------------------------------------- hostile input

HOSTILE = [
    ("huge integer version", f"schema_version: {HUGE}\npartners: []\n",
     "unsupported-schema-version"),
    ("huge integer id", HEAD + ROW.replace("id: a", f"id: {HUGE}"), "wrong-type"),
    ("huge integer action", HEAD + ROW.replace("GOV-01", HUGE), "wrong-type"),
    ("long note", HEAD + ROW.replace("}", ", note: " + "x" * 6_000 + "}"), "invalid-value"),
    ("long name", HEAD + ROW.replace("name: A", "name: " + "n" * 400), "invalid-value"),
    ("long id", HEAD + ROW.replace("id: a", "id: " + "i" * 100), "invalid-value"),
    ("nested lists", HEAD + ROW.replace("[es]", "[[[[es]]]]"), "invalid-value"),
    ("a mapping as an action", HEAD + ROW.replace("[GOV-01]", "[{GOV-01: 3}]"), "wrong-type"),
    ("null partners", "schema_version: 1\npartners:\n", "wrong-type"),
    ("a float version", "schema_version: 1.0\npartners: []\n", "unsupported-schema-version"),
    ("a python tag", HEAD + "- !!python/object:os.system {}\n", "unsafe-tag"),
    ("too many values", HEAD + "- [" + ", ".join(["1"] * 100_001) + "]\n", "too-many-values"),
    ("a NUL character", "\x00\x01", "syntax-error"),
    ("empty", "", "empty-file"),
]


@pytest.mark.parametrize(("what", "text", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_refused_with_a_located_problem(what: str, text: str,
                                                         code: str) -> None:
    with pytest.raises(dp.PartnersError) as info:
        loads_partners(text, source="p.yaml")
    assert code in info.value.codes
    assert all(len(str(p)) < 400 for p in info.value.problems)


def test_a_text_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(dp.PartnersError) as info:
        loads_partners(HEAD + ROW, source="p.yaml", max_bytes=10)
    assert str(info.value) == ("p.yaml: text is larger than the 10 byte limit; split it or "
                               "raise the limit explicitly [file-too-large]")


def test_a_file_that_is_not_text_or_not_there_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "p.yaml"
    binary.write_bytes(b"\xff\xfe\x00s")
    with pytest.raises(dp.PartnersError, match="UTF-16"):
        load_partners(binary)
    with pytest.raises(dp.PartnersError, match="file not found"):
        load_partners(tmp_path / "none.yaml")
    with pytest.raises(dp.PartnersError, match="directory"):
        load_partners(tmp_path)


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="path must be"):
        load_partners(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be"):
        loads_partners(b"schema_version: 1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="protocol must be"):
        loads_partners(HEAD + ROW, "sendai_ciss")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="partners must be"):
        partners_for({}, ["GOV-01"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="each action must be"):
        partners_for(loads_partners(HEAD + ROW), [1])  # type: ignore[list-item]


def test_a_control_character_is_read_with_a_located_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        partners = loads_partners(HEAD + ROW.replace("name: A", 'name: "A\\e[31m"'),
                                  source="p.yaml")
    assert partners.partners[0].name == "A\x1b[31m"
    [warning] = [w.message for w in caught if isinstance(w.message, dp.InputWarning)]
    assert str(warning) == ("p.yaml:3:17: partners[a].name: holds the control character \\x1b; "
                            "reports show it escaped: remove it [control-character]")


def test_three_hundred_mutations_of_the_example_are_read_or_refused(
        bundled: dp.Protocol) -> None:
    """Only a PartnersError, never another exception, for whatever the mutations make."""
    rng = random.Random(2026)
    text = EXAMPLE.read_text(encoding="utf-8")
    refusals: list[dp.PartnersError] = []
    for _ in range(300):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", dp.InputWarning)
                loads_partners(mutate(text, rng), bundled, source="m.yaml")
        except dp.PartnersError as exc:
            refusals.append(exc)
    assert 0 < len(refusals) < 300
    assert all(p.file == "m.yaml" for exc in refusals for p in exc.problems)


# ----------------------------------------------------------------------------- partners_for

def test_partners_for_worked_by_hand(bundled: dp.Protocol) -> None:
    """The example: PAHO lists KNOW-06 and RESP-07, the ISSA PREP-01 and PREP-09, JICA
    PREP-21; nobody lists RESP-09; ILO alone RESP-14. An action asked twice is answered once,
    in the order first asked."""
    partners = load_partners(EXAMPLE, bundled)
    found = partners_for(partners, ["RESP-07", "PREP-01", "RESP-09", "PREP-21", "RESP-07",
                                    "RESP-14", "KNOW-06"])
    assert {a: [p.id for p in who] for a, who in found.items()} == {
        "RESP-07": ["paho"], "PREP-01": ["issa"], "RESP-09": [], "PREP-21": ["jica"],
        "RESP-14": ["ilo"], "KNOW-06": ["paho"]}
    assert list(found) == ["RESP-07", "PREP-01", "RESP-09", "PREP-21", "RESP-14", "KNOW-06"]
    assert found["RESP-07"][0] is partners.partners[0]


def test_partners_for_keeps_the_file_order() -> None:
    text = HEAD + "".join(
        f"- {{id: {ident}, name: {ident.upper()}, kind: other, languages: [es], "
        f"actions: [{actions}]}}\n"
        for ident, actions in [("c", "GOV-02, GOV-01"), ("a", "GOV-01"), ("b", "GOV-03")])
    found = partners_for(loads_partners(text), iter(["GOV-01", "GOV-03", "GOV-04"]))
    assert {a: [p.id for p in who] for a, who in found.items()} == {
        "GOV-01": ["c", "a"], "GOV-03": ["b"], "GOV-04": []}
    assert partners_for(loads_partners(text), []) == {}


# ----------------------------------------------------------------------------- the schema

def test_the_schema_describes_the_example() -> None:
    schema = json.loads((ROOT / "schemas" / "partners.schema.json").read_text(encoding="utf-8"))
    partner = schema["$defs"]["Partner"]
    assert partner["additionalProperties"] is False
    assert set(partner["required"]) == {"id", "name", "kind", "languages", "actions"}
    assert partner["properties"]["kind"]["enum"] == list(PARTNER_KINDS)
    assert schema["properties"]["schema_version"]["const"] == 1
    assert Partners.model_json_schema()["$defs"]["Partner"] == partner


def test_the_schema_validates_the_example_and_refuses_an_unknown_key() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((ROOT / "schemas" / "partners.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    data["partners"][0]["notes"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
