"""The safe YAML reader: positions side table, limits, refusal of unsafe input."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from disaster_protocol import _plain, _reading
from disaster_protocol.errors import ProtocolError


def parse(text: str, **kw: Any) -> _reading.Document:
    return _reading.parse_text(text, "t.yaml", error=ProtocolError, **kw)


def test_positions_are_recorded_beside_the_data_not_in_it() -> None:
    doc = parse("a: 1\nb:\n  - x\n  - {c: true}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": True}]}
    assert doc.positions[("a",)] == (1, 4)
    assert doc.positions[("b", 1, "c")] == (4, 9)  # "  - {c: true}": value at column 9
    assert doc.key_positions[("b",)] == (2, 1)


def test_where_falls_back_to_the_nearest_located_ancestor() -> None:
    doc = parse("a:\n  b: 1\n")
    assert doc.where(("a", "missing", "deeper")) == doc.positions[("a",)]


def test_unquoted_non_text_scalars_remember_their_source_text() -> None:
    doc = parse('a: no\nb: "no"\nc: 1.0\n')
    assert doc.data == {"a": False, "b": "no", "c": 1.0}
    assert doc.plain_scalars == {("a",): "no", ("c",): "1.0"}


def test_mapping_keys_are_always_text() -> None:
    assert parse("on: 1\n3: x\n").data == {"on": 1, "3": "x"}


def test_every_duplicate_key_is_reported_with_both_lines() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: 1\nb: 2\na: 3\nb: 4\n")
    assert [(p.line, p.code) for p in info.value.problems] == [(3, "duplicate-key"),
                                                              (4, "duplicate-key")]
    assert "first given on line 1" in info.value.problems[0].message


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    prev = "a"
    for name in "bcdefghijk":
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    start = time.perf_counter()
    with pytest.raises(ProtocolError) as info:
        parse(bomb)
    assert time.perf_counter() - start < 1.0
    assert info.value.codes == ("alias-limit",)


def test_a_few_aliases_within_budget_are_expanded() -> None:
    doc = parse("base: &b {x: 1}\nother: *b\n")
    assert doc.data == {"base": {"x": 1}, "other": {"x": 1}}


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: &a [*a]\n")
    assert info.value.codes == ("alias-limit",)


def test_excessive_nesting_is_refused() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: " + "[" * 100 + "]" * 100 + "\n")
    assert info.value.codes == ("too-deep",)


def test_python_tags_are_refused() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: !!python/name:os.system\n")
    assert info.value.codes == ("unsafe-tag",)


def test_several_documents_are_a_syntax_error() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: 1\n---\nb: 2\n")
    assert info.value.codes == ("syntax-error",)


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(ProtocolError) as info:
        _reading.read_text(big, error=ProtocolError, max_bytes=100)
    assert str(info.value) == (f"{big}: file is larger than the 100 byte limit; split it or "
                               "raise the limit explicitly [file-too-large]")


def test_directory_and_missing_file_are_unreadable(tmp_path: Path) -> None:
    for target in (tmp_path, tmp_path / "nope.yaml"):
        with pytest.raises(ProtocolError) as info:
            _reading.read_text(target, error=ProtocolError)
        assert info.value.codes == ("unreadable-file",)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: ñ\n".encode())
    assert parse(_reading.read_text(path, error=ProtocolError)).data == {"a": "ñ"}


scalars = st.one_of(st.integers(), st.booleans(), st.none(),
                    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                            max_size=20))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=6), inner, max_size=4)),
    max_leaves=20)


@given(trees)
def test_reader_returns_what_pyyaml_safe_dump_wrote(tree: object) -> None:
    import yaml

    text = yaml.safe_dump({"root": tree}, allow_unicode=True)
    doc = parse(text)
    assert doc.data == {"root": tree}
    assert () in doc.positions


@given(trees)
def test_both_readers_make_the_same_data(tree: object) -> None:
    import yaml

    text = yaml.safe_dump({"root": tree}, allow_unicode=True)
    plain = _plain._read_plain(text, 1_000_000)
    careful, (positions, _, _) = _reading._read_carefully(text, "t", ProtocolError, 1000)
    assert plain == careful == {"root": tree}
    assert () in positions


@pytest.mark.parametrize("text", [
    "a: &x [1, &y 2]\nb: *x\n",  # an anchor inside an anchored value
    "a: &x [1, *x]\n",  # an alias inside its own anchor (recursive)
    "a: &x 1\n*x : 2\n",  # an alias as a key
    "a: &x {b: 1}\nc: {<<: *x}\n",  # a merge
    "a: *x\n",  # an alias to nothing
    "a: &x 1\nb: &x 2\nc: *x\n",  # an anchor given twice
    "a: !!str 1\n",  # an explicit tag
    "a: 1\na: 2\n",  # a key given twice
    "? [1, 2]\n: x\n",  # a key that is not plain text
    "a: 1\n---\nb: 2\n",  # several documents
    "",  # nothing at all
    "a: 2026-02-30\n",  # a date that does not exist
    "[" * 70 + "]" * 70,  # deep nesting
])
def test_the_plain_reader_leaves_the_unusual_to_the_careful_one(text: str) -> None:
    with pytest.raises(_plain._NeedsCareError):
        _plain._read_plain(text, 1_000_000)


@pytest.mark.parametrize("text", [
    "a: &x [1]\nb: *x\n",
    "a: &x {b: 1, c: [1, 2, {d: no}]}\nd: *x\ne: [*x, *x]\n",
    "a: &s text\nb: [*s, *s, *s]\n",
    "- &x 2026-01-31\n- *x\n",
])
def test_the_plain_reader_expands_aliases_as_the_careful_one_does(text: str) -> None:
    plain = _plain._read_plain(text, 1_000_000, _reading.DEFAULT_MAX_ALIAS_NODES)
    careful = _reading._read_carefully(text, "<t>", ProtocolError,
                                       _reading.DEFAULT_MAX_ALIAS_NODES)[0]
    assert plain == careful == yaml.safe_load(text)


def test_each_alias_the_plain_reader_expands_is_a_value_of_its_own() -> None:
    data = _plain._read_plain("a: &x {b: [1]}\nc: *x\n", 100, 100)
    assert isinstance(data, dict)
    assert data["a"] == data["c"]
    assert data["a"] is not data["c"]
    assert data["a"]["b"] is not data["c"]["b"]


def test_the_plain_reader_charges_aliases_as_the_careful_one_does() -> None:
    text = "a: &x [1, 2, 3]\nb: [*x, *x]\n"  # the list is 4 nodes: 8 charged
    assert _plain._read_plain(text, 100, 8) == {"a": [1, 2, 3], "b": [[1, 2, 3], [1, 2, 3]]}
    with pytest.raises(_plain._NeedsCareError):
        _plain._read_plain(text, 100, 7)  # the careful reader then locates the refusal
    with pytest.raises(ProtocolError) as info:
        _reading.parse_text(text, "<t>", error=ProtocolError, max_alias_nodes=7)
    assert info.value.codes == ("alias-limit",)
    assert _reading.parse_text(text, "<t>", error=ProtocolError, max_alias_nodes=8).data == {
        "a": [1, 2, 3], "b": [[1, 2, 3], [1, 2, 3]]}


def test_the_careful_reader_takes_anchors_in_valid_files() -> None:
    doc = parse("a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}
    assert doc.where(("b", 1)) == (1, 11)  # where the aliased node stands


def test_positions_are_found_only_when_a_problem_needs_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import disaster_protocol as dp

    calls: list[str] = []
    real = _reading._read_carefully

    def counting(text: str, source: str, error: type[ProtocolError],
                 budget: int) -> tuple[object, _reading.Located]:
        calls.append("located")
        return real(text, source, error, budget)

    monkeypatch.setattr(_reading, "_read_carefully", counting)
    head = "schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
    dp.loads_profile(head + "assessed_on: 2026-01-01\nactions: {GOV-01: 3}\n")
    assert calls == []
    with pytest.raises(dp.ProfileError) as info:
        dp.loads_profile(head + "assessed_on: 2026-01-01\nactions: {GOV-01: 9}\n", source="p")
    assert calls == ["located"]
    assert str(info.value).startswith("p:4:19: actions.GOV-01.level")


def test_duplicate_keys_are_all_reported_by_either_builder() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: 1\nb: 2\na: 3\nb: 4\n")
    assert info.value.codes == ("duplicate-key", "duplicate-key")


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_collector(enabled: bool) -> None:
    import gc

    before = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with _plain.paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), _plain.paused_gc():
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if before else gc.disable)()


@pytest.mark.parametrize("text", ["!!python/object:os.system x: 1\n",
                                  "{!!python/name:os.system x: 1}\n"])
def test_unsafe_tags_on_keys_are_refused(text: str) -> None:
    with pytest.raises(ProtocolError) as info:
        parse(text)
    assert info.value.codes == ("unsafe-tag",)


def test_text_with_a_lone_surrogate_is_not_text() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: 1\nb: \ud800\n")
    assert str(info.value) == "t.yaml:2:4: is not valid Unicode text (a lone surrogate); give " \
                              "UTF-8 text [not-text]"


def test_repeating_one_long_text_through_aliases_is_charged_for_its_length() -> None:
    big = "x" * (1024 * 1024)
    text = f"a: &big {big}\nb: [" + ", ".join(["*big"] * 20) + "]\n"
    with pytest.raises(ProtocolError) as info:
        parse(text)
    assert info.value.codes == ("alias-limit",)
    small = "a: &s text\nb: [" + ", ".join(["*s"] * 50) + "]\n"
    assert len(parse(small).data["b"]) == 50  # type: ignore[index]


def test_a_character_yaml_refuses_is_located_by_line_and_column() -> None:
    with pytest.raises(ProtocolError) as info:
        parse("a: 1\nb: \"x\x7fy\"\n")
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.code) == (2, 6, "syntax-error")
    assert "\\x7f" in problem.message
    assert "position" not in problem.message


def test_json_that_yaml_reads_only_without_its_surrogate_escapes_keeps_its_positions() -> None:
    text = '{"a": "\\ud83d\\ude00",\n "b": {"c": "\x85"}}'
    doc = _reading.parse_json(text, "t.json", error=ProtocolError)
    assert doc.data == {"a": "\U0001f600", "b": {"c": "\x85"}}
    assert doc.where(("b", "c")) == (2, 13)


def test_a_problem_prints_on_one_line_whatever_its_path_holds() -> None:
    from disaster_protocol.errors import Problem
    shown = str(Problem(file="p.yaml", line=2, column=1, path="ke\ny\x1b[2J", message="bad",
                        code="unknown-key"))
    assert shown == "p.yaml:2:1: ke\\ny\\x1b[2J: bad [unknown-key]"
