"""Staged loading of protocols: what each stage catches, and that valid files load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.loader import bundled_protocol_path

from .conftest import ROOT


def test_minimal_protocol_loads(minimal: dp.Protocol) -> None:
    assert minimal.id == "minimal"
    assert [a.id for a in minimal.actions] == ["K-1", "P-1", "P-2"]
    assert minimal.action("P-1").critical is True


def test_bundled_protocol_loads_without_arguments(bundled: dp.Protocol) -> None:
    assert bundled.id == "sendai_ciss"
    assert bundled_protocol_path().is_file()


def test_bundled_protocol_loads_from_any_working_directory(tmp_path: Path) -> None:
    code = "import disaster_protocol as dp; print(len(dp.load_protocol().actions))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, check=True, env={**os.environ, "PYTHONSAFEPATH": "1"})
    assert int(result.stdout) >= 80


def test_structure_stage_collects_every_problem_at_once(minimal_text: str) -> None:
    text = (minimal_text.replace("  weight: 3\n", "  weight: -1\n  colour: red\n")
            .replace("  lead: RMU\n  requires: [P-1]", "  requires: [P-1]"))
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text, source="p.yaml")
    assert sorted(info.value.codes) == ["invalid-value", "missing-field", "unknown-key"]
    assert len(str(info.value).splitlines()) == 3


def test_semantic_stage_does_not_run_when_structure_fails(minimal_text: str) -> None:
    text = minimal_text.replace("  lead: ICT\n", "  lead: NOBODY\n").replace(
        "  weight: 3\n", "  weight: heavy\n")
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text)
    assert info.value.codes == ("wrong-type",)


def test_loads_protocol_names_the_source_in_messages(minimal_text: str) -> None:
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(minimal_text.replace("lead: ICT", "lead: ICTT"), source="mine.yaml")
    assert str(info.value).startswith("mine.yaml:")
    assert "did you mean 'ICT'" in str(info.value)


def test_missing_schema_version_says_what_to_add(minimal_text: str) -> None:
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(minimal_text.replace("schema_version: 1\n", ""))
    assert info.value.codes == ("missing-field",)
    assert "schema_version: 1" in str(info.value)


@pytest.mark.parametrize("version", ["0", "'1'", "true", "1.5"])
def test_other_schema_versions_are_unsupported(minimal_text: str, version: str) -> None:
    text = minimal_text.replace("schema_version: 1\n", f"schema_version: {version}\n")
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text)
    assert info.value.codes == ("unsupported-schema-version",)


def test_indicator_must_belong_to_a_listed_target(minimal_text: str) -> None:
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(minimal_text.replace("targets: [D], ", ""))
    assert info.value.codes == ("invalid-value",)
    assert "belongs to target 'D'" in str(info.value)


def test_critical_action_must_say_why(minimal_text: str) -> None:
    text = minimal_text.replace(
        "  critical_reason: {es: Sin datos no hay pagos, en: No data no payments}\n", "")
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text)
    assert info.value.codes == ("missing-field",)


def test_requires_note_allows_a_later_phase_prerequisite(minimal_text: str) -> None:
    text = minimal_text.replace("  requires: [P-1]\n", "").replace(
        "  lead: RMU\n  hazards: [all]\n  sendai: {priority: P1",
        "  lead: RMU\n  requires: [P-2]\n  requires_note: the plan is drafted first\n"
        "  hazards: [all]\n  sendai: {priority: P1")
    assert dp.loads_protocol(text).action("K-1").requires == ("P-2",)


def test_models_are_frozen(minimal: dp.Protocol) -> None:
    with pytest.raises(ValueError, match="frozen"):
        minimal.actions[0].lead = "ICT"


def test_protocol_pickles_and_compares_equal(minimal: dp.Protocol) -> None:
    import pickle

    _ = minimal.action_index  # a filled cache must not affect equality or pickling
    clone = pickle.loads(pickle.dumps(minimal))
    assert clone == minimal


def test_provenance_sources_are_checked_on_every_node_kind(minimal_text: str) -> None:
    text = minimal_text.replace(
        "      provenance: {status: derived, sources: [SRC1]}\n    provenance: {status: verified,"
        " sources: [SRC1]}\n  principles",
        "      provenance: {status: derived, sources: [SRCX]}\n    provenance: {status: verified,"
        " sources: [SRC1]}\n  principles")
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text, source="p.yaml")
    assert info.value.codes == ("unknown-reference",)
    assert "sendai.targets[D].indicators[D-8].provenance.sources[0]" in str(info.value)


def test_load_protocol_honours_max_bytes(tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(minimal_text, encoding="utf-8")
    size = len(minimal_text.encode("utf-8"))
    assert dp.load_protocol(path, max_bytes=size).id == "minimal"
    with pytest.raises(dp.ProtocolError) as info:
        dp.load_protocol(path, max_bytes=size - 1)
    assert info.value.codes == ("file-too-large",)
    assert f"{size - 1:,} byte limit" in str(info.value)


def test_loads_protocol_honours_max_bytes(minimal_text: str) -> None:
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(minimal_text, source="p.yaml", max_bytes=100)
    assert info.value.codes == ("file-too-large",)
    assert str(info.value).startswith("p.yaml: text is larger than the 100 byte limit")


def test_bundled_protocol_is_read_once_and_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    from disaster_protocol import loader

    first = dp.load_protocol()
    parsed: list[str] = []
    real = loader._protocol_from_text

    def counting(text: str, source: str, max_bytes: int) -> dp.Protocol:
        parsed.append(source)
        return real(text, source, max_bytes)

    monkeypatch.setattr(loader, "_protocol_from_text", counting)
    assert dp.load_protocol() is first
    profile = dp.load_profile(ROOT / "examples" / "profiles" / "caja_intermedia.yaml")
    assert profile.institution.id == "caja-ejemplo-b"
    assert parsed == []  # neither call parsed the bundled file again
    with pytest.raises(dp.ProtocolError):  # a smaller limit is still honoured
        dp.load_protocol(max_bytes=1000)
    assert len(parsed) == 0


def test_protocol_mappings_are_read_only(minimal: dp.Protocol) -> None:
    with pytest.raises(TypeError):
        minimal.action_index["X"] = minimal.actions[0]  # type: ignore[index]
    with pytest.raises(TypeError):
        minimal.phase_order["X"] = 9  # type: ignore[index]
    with pytest.raises(TypeError):
        minimal.index.rank["K-1"] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        minimal.index.groups["by_phase"]["X"] = ()  # type: ignore[index]


def test_model_copy_with_update_validates_and_rebuilds_caches(minimal: dp.Protocol) -> None:
    from pydantic import ValidationError

    _ = minimal.index, minimal.action_index  # fill the caches
    fewer = minimal.model_copy(update={"actions": minimal.actions[:1]})
    assert [a.id for a in fewer.actions] == ["K-1"]
    assert list(fewer.action_index) == ["K-1"]
    assert fewer.index.order == ("K-1",)
    with pytest.raises(ValidationError):
        minimal.model_copy(update={"version": ""})


def test_a_pickled_protocol_leaves_its_caches_behind(bundled: dp.Protocol) -> None:
    import pickle

    fresh = dp.loads_protocol(bundled_protocol_path().read_text(encoding="utf-8"))
    before = len(pickle.dumps(fresh))
    _ = fresh.graph, fresh.index, fresh.action_index
    assert len(pickle.dumps(fresh)) == before
    clone = pickle.loads(pickle.dumps(fresh))
    assert clone == fresh
    assert clone.index.order == fresh.index.order


@pytest.mark.parametrize("call", [
    lambda: dp.load_protocol(123),  # type: ignore[arg-type]
    lambda: dp.loads_protocol(b"schema_version: 1"),  # type: ignore[arg-type]
])
def test_wrong_argument_types_are_a_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match="must be"):
        call()


CONTROL_PROFILE = ("schema_version: 1\ninstitution: {id: x, name: \"Caja \\e[31mRoja\", "
                   "country: MX}\nassessed_on: 2026-01-01\nactions:\n"
                   "  GOV-01: {level: 3, note: \"bell \\a\"}\n")


def test_text_with_control_characters_is_read_with_a_located_warning_for_each() -> None:
    with pytest.warns(dp.InputWarning) as record:
        profile = dp.loads_profile(CONTROL_PROFILE, source="c.yaml")
    assert profile.institution.name == "Caja \x1b[31mRoja"
    problems = [w.message.problem for w in record if isinstance(w.message, dp.InputWarning)]
    assert [(p.line, p.path, p.code) for p in problems] == [
        (2, "institution.name", "control-character"),
        (5, "actions.GOV-01.note", "control-character")]
    assert "\\x1b" in problems[0].message
    assert "\x1b" not in str(problems[0])


def test_json_escapes_and_csv_fields_are_checked_for_control_characters() -> None:
    text = json.dumps({"schema_version": 1, "assessed_on": "2026-01-01", "actions": {},
                       "institution": {"id": "x", "name": "A\u0007B", "country": "MX"}})
    with pytest.warns(dp.InputWarning, match=r"institution\.name: holds the control character"):
        dp.loads_profile(text, format="json")
    sidecar = ("schema_version: 1\nassessed_on: 2026-01-01\n"
               "institution: {id: x, name: X, country: MX}\n")
    with pytest.warns(dp.InputWarning, match=r"t\.csv:2:\d+: actions\.GOV-01\.note"):
        dp.loads_profile("action_id,level,note\nGOV-01,3,a\x1bb\n", format="csv",
                         sidecar=sidecar, source="t.csv")


def test_a_warning_points_at_the_line_that_read_the_profile() -> None:
    data = {"schema_version": 1, "assessed_on": "2026-01-01",
            "institution": {"id": "x", "name": "A\x07B", "country": "MX"}}
    with pytest.warns(dp.InputWarning) as record:
        dp.profile_from_dict(data)
    with pytest.warns(dp.InputWarning) as record_json:
        dp.loads_profile(json.dumps(data), format="json")
    assert [w.filename for w in (*record, *record_json)] == [__file__, __file__]


def test_a_clean_profile_issues_no_warning(bundled: dp.Protocol) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dp.load_profile(ROOT / "examples" / "profiles" / "caja_intermedia.yaml", bundled)
        dp.loads_profile(CONTROL_PROFILE.replace("\\e", "").replace("\\a", ""))


CUSTOM = """  custom_indicators:
  - id: CI-X
    title: {es: Pagos a tiempo, en: Payments on time}
    measure: {es: Porcentaje, en: Share}
    provenance: {status: proposed, sources: [SRC1]}
hazards:"""

REGIONAL = """    regional_paragraph: 34
    regional_activities:
    - letter: a
      label: {es: Mecanismos regionales, en: Regional mechanisms}
      provenance: {status: derived, sources: [SRC1]}
    provenance: {status: verified, sources: [SRC1]}
  targets:"""


def _with_custom_and_regional(text: str, sendai: str) -> str:
    text = text.replace("hazards:", CUSTOM, 1)
    text = text.replace("    provenance: {status: verified, sources: [SRC1]}\n  targets:",
                        REGIONAL, 1)
    return text.replace("sendai: {priority: P1, paragraph: [\"24(a)\"]}", sendai, 1)


def test_custom_indicators_and_regional_paragraphs_resolve(minimal_text: str) -> None:
    text = _with_custom_and_regional(
        minimal_text, 'sendai: {priority: P4, paragraph: ["34(a)"], custom_indicators: [CI-X]}')
    protocol = dp.loads_protocol(text)
    assert protocol.sendai.custom_indicators[0].measure.en == "Share"
    assert protocol.sendai.paragraph_owners() == {"24": "P1", "33": "P4", "34": "P4"}
    aligned = next(a.id for a in protocol.actions if "CI-X" in a.sendai.custom_indicators)
    assert protocol.graph.has_edge(aligned, "CI-X")
    assert protocol.graph.nodes["CI-X"]["kind"] == "custom_indicator"


@pytest.mark.parametrize(("sendai", "wrong"), [
    ('sendai: {priority: P1, custom_indicators: [CI-Y]}',
     "unknown Sendai custom indicator 'CI-Y'"),
    ('sendai: {priority: P4, paragraph: ["34(b)"]}',
     "unknown Sendai key activity paragraph '34(b)'"),
])
def test_unknown_custom_indicator_or_regional_letter_is_located(minimal_text: str, sendai: str,
                                                                wrong: str) -> None:
    text = _with_custom_and_regional(minimal_text, sendai)
    with pytest.raises(dp.ProtocolError) as info:
        dp.loads_protocol(text, source="p.yaml")
    assert info.value.codes == ("unknown-sendai-code",)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if sendai in row)
    assert str(info.value).startswith(f"p.yaml:{line}:")
    assert wrong in str(info.value)
