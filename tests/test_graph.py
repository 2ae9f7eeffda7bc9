"""The protocol graph, its queries, playbooks and exports."""

from __future__ import annotations

import copy
import io
import itertools
import json
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path

import networkx as nx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import disaster_protocol as dp
from disaster_protocol import graph as dpg
from disaster_protocol.report.graph_export import export_graph

from .conftest import DATA

BASE = yaml.safe_load((DATA / "minimal.yaml").read_text(encoding="utf-8"))


def make_protocol(requires: dict[str, list[str]], phases: dict[str, str] | None = None,
                  critical: Collection[str] = (), weights: dict[str, float] | None = None,
                  hazards: dict[str, list[str]] | None = None) -> dp.Protocol:
    """A small protocol whose actions and links are given, on the minimal reference data."""
    data = copy.deepcopy(BASE)
    data["sendai"]["principles"][0]["id"] = "pa"  # free the id "a" for actions
    template = data["actions"][0]
    phase_ids = [p["id"] for p in data["phases"]]
    order = {p: i for i, p in enumerate(phase_ids)}
    actions = []
    for name, reqs in requires.items():
        action = copy.deepcopy(template)
        action.update(id=name, phase=(phases or {}).get(name, "KNOW"), requires=reqs,
                      lead="RMU", support=["ICT"], hazards=(hazards or {}).get(name, ["all"]),
                      weight=(weights or {}).get(name, 1.0), critical=name in critical)
        if name in critical:
            action["critical_reason"] = {"es": "porque", "en": "because"}
        if any(order[(phases or {}).get(r, "KNOW")] > order[action["phase"]] for r in reqs):
            action["requires_note"] = "test"
        actions.append(action)
    data["actions"] = actions
    used_phases = {a["phase"] for a in actions}
    data["phases"] = [p for p in data["phases"] if p["id"] in used_phases]
    used_hazards = {h for a in actions for h in a["hazards"]}
    data["hazards"] = [h for h in data["hazards"] if h["id"] in used_hazards]
    return dp.loads_protocol(yaml.safe_dump(data), source="made.yaml")


def test_graph_has_every_node_kind_and_relation(bundled: dp.Protocol) -> None:
    g = bundled.graph
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"phase", "role", "action", "hazard", "priority", "target", "indicator",
                     "principle", "custom_indicator"}
    relations = {d["relation"] for _, _, d in g.edges(data=True)}
    assert relations == {"in_phase", "led_by", "supported_by", "requires", "applies_to",
                         "aligns_to", "precedes", "part_of"}
    assert g.number_of_nodes() == (len(bundled.actions) + len(bundled.roles) + 5 + 7 + 4 + 7
                                   + 38 + 13 + len(bundled.sendai.custom_indicators))


def test_graph_is_frozen_and_cached(bundled: dp.Protocol) -> None:
    assert bundled.graph is bundled.graph
    assert nx.is_frozen(bundled.graph)
    with pytest.raises(nx.NetworkXError):
        bundled.graph.add_node("X")


def test_requires_edges_match_the_yaml(bundled: dp.Protocol) -> None:
    relations: list[tuple[str, str, str]] = list(bundled.graph.edges(data="relation"))
    edges = {(u, v) for u, v, r in relations if r == "requires"}
    assert edges == {(a.id, r) for a in bundled.actions for r in a.requires}


def test_aligns_to_priority_edge_carries_its_paragraphs(bundled: dp.Protocol) -> None:
    assert bundled.graph.edges["PREP-01", "P3"]["paragraphs"] == "30(o)"
    assert bundled.graph.edges["PREP-01", "P4"]["paragraphs"] == "33(g)"


def test_queries_on_a_hand_made_protocol() -> None:
    p = make_protocol({"a": [], "b": ["a"], "c": ["b"], "d": ["a"], "e": []},
                      phases={"d": "PREP", "e": "PREP"})
    assert [a.id for a in dpg.actions_in_phase(p, "PREP")] == ["d", "e"]
    assert dpg.prerequisites(p, "c") == ["a", "b"]
    assert dpg.dependants(p, "a") == ["b", "c", "d"]
    assert dpg.dependants(p, "e") == []
    assert [a.id for a in dpg.actions_for_role(p, "ICT", lead=False)] == ["a", "b", "c", "d", "e"]
    assert dpg.actions_for_role(p, "ICT", support=False) == []
    assert dpg.actions_aligned_to(p, "NOPE") == []


def test_execution_order_prefers_phase_order_but_waits_for_prerequisites() -> None:
    p = make_protocol({"k1": ["p2"], "k2": [], "p1": [], "p2": []},
                      phases={"p1": "PREP", "p2": "PREP"})
    assert dpg.execution_order(p) == ["k2", "p1", "p2", "k1"]


def test_critical_chain_is_the_heaviest_chain_of_prerequisites() -> None:
    p = make_protocol({"a": [], "b": [], "c": ["a"], "z": ["b", "c"]}, critical={"z"},
                      weights={"a": 1, "b": 5, "c": 1, "z": 1})
    assert dpg.critical_chains(p) == {"z": ["b", "z"]}
    p = make_protocol({"a": [], "b": [], "c": ["a"], "z": ["b", "c"]}, critical={"z"},
                      weights={"a": 3, "b": 2, "c": 1, "z": 1})
    assert dpg.critical_chains(p) == {"z": ["a", "c", "z"]}


def test_critical_chains_on_bundled_end_in_each_critical_action(bundled: dp.Protocol) -> None:
    chains = dpg.critical_chains(bundled)
    assert set(chains) == {a.id for a in bundled.actions if a.critical}
    for action_id, chain in chains.items():
        assert chain[-1] == action_id
        for before, after in itertools.pairwise(chain):
            assert before in bundled.action(after).requires


def test_role_matrix_marks_leads_and_supports(bundled: dp.Protocol) -> None:
    rows = dpg.role_matrix(bundled)
    assert len(rows) == len(bundled.actions)
    for row, action in zip(rows, bundled.actions, strict=True):
        assert [r for r, v in row.items() if v == "L"] == [action.lead]
        assert {r for r, v in row.items() if v == "S"} == set(action.support)


def test_sendai_coverage_counts_and_gaps() -> None:
    p = make_protocol({"a": []})
    cov = dpg.sendai_coverage(p)
    assert cov.by_priority == {"P1": ("a",), "P4": ()}
    assert cov.uncovered_targets == ("D",)
    assert cov.uncovered_indicators == ("D-8",)


def test_sendai_coverage_of_bundled_protocol(bundled: dp.Protocol) -> None:
    cov = dpg.sendai_coverage(bundled)
    assert set(cov.by_indicator) == {i.id for t in bundled.sendai.targets for i in t.indicators}
    for indicator, actions in cov.by_indicator.items():
        assert (indicator in cov.uncovered_indicators) == (not actions)
    assert "D-8" not in cov.uncovered_indicators


def test_playbook_keeps_hazard_and_all_hazard_actions_in_order() -> None:
    p = make_protocol({"a": [], "b": ["a"], "c": ["b"]},
                      hazards={"a": ["all"], "b": ["flood"], "c": ["all"]})
    book = dpg.playbook(p, "flood")
    assert [s.action for s in book.steps] == ["a", "b", "c"]
    assert book.steps[1].requires == ("a",)
    assert [s.action for s in dpg.playbook(p, "all").steps] == ["a", "c"]


def test_playbook_unknown_hazard_or_phase_is_a_key_error(bundled: dp.Protocol) -> None:
    with pytest.raises(KeyError):
        dpg.playbook(bundled, "meteor")
    with pytest.raises(KeyError):
        dpg.playbook(bundled, "flood", phase="NOPE")


def test_playbook_steps_come_after_what_they_wait_for(bundled: dp.Protocol) -> None:
    for hazard in bundled.hazards:
        steps = [s.action for s in dpg.playbook(bundled, hazard.id).steps]
        position = {a: i for i, a in enumerate(steps)}
        for step in dpg.playbook(bundled, hazard.id).steps:
            for req in step.requires:
                if req in position:
                    assert position[req] < position[step.action]


@st.composite
def dags(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, str]]:
    n = draw(st.integers(1, 25))
    names = [f"a{i}" for i in range(n)]
    requires = {name: sorted(set(draw(st.lists(st.sampled_from(names[:i]), max_size=3))))
                if i else [] for i, name in enumerate(names)}
    phases = {name: draw(st.sampled_from(["KNOW", "PREP"])) for name in names}
    return requires, phases


@settings(max_examples=40, deadline=None)
@given(dags(), st.randoms(use_true_random=False))
def test_any_execution_order_puts_every_prerequisite_first(
        dag: tuple[dict[str, list[str]], dict[str, str]], rnd: object) -> None:
    requires, phases = dag
    names = list(requires)
    rnd.shuffle(names)  # type: ignore[attr-defined]
    p = make_protocol({n: requires[n] for n in names}, phases=phases)
    order = dpg.execution_order(p)
    assert sorted(order) == sorted(requires)
    position = {a: i for i, a in enumerate(order)}
    for action, reqs in requires.items():
        for req in reqs:
            assert position[req] < position[action]


def test_json_export_reads_back_with_networkx(bundled: dp.Protocol) -> None:
    data = json.loads(export_graph(bundled, "json"))
    back = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    assert nx.utils.graphs_equal(back, bundled.graph)


def test_graphml_export_reads_back_with_networkx(bundled: dp.Protocol) -> None:
    back = nx.read_graphml(io.BytesIO(export_graph(bundled, "graphml").encode()))
    assert set(back.nodes) == set(bundled.graph.nodes)
    assert set(back.edges) == set(bundled.graph.edges)
    assert back.nodes["RESP-09"]["critical"] is True
    assert back.edges["GOV-02", "GOV-01"]["relation"] == "requires"


def test_mermaid_export_has_one_subgraph_per_phase_and_every_requires_edge(
        bundled: dp.Protocol) -> None:
    text = export_graph(bundled, "mermaid", lang="en")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(line.strip().startswith("subgraph ") for line in lines) == len(bundled.phases)
    assert sum(line.strip() == "end" for line in lines) == len(bundled.phases)
    arrows = [line for line in lines if "-->" in line]
    assert len(arrows) == sum(len(a.requires) for a in bundled.actions)
    assert "  GOV_01 --> GOV_02" in lines
    for line in lines:  # node ids carry no characters Mermaid would misread
        if "[" in line:
            ident = line.strip().split("[")[0].split()[-1]
            assert ident.replace("_", "").isalnum()


def test_mermaid_escapes_quotes_and_angle_brackets() -> None:
    data = copy.deepcopy(BASE)
    data["actions"][0]["title"]["en"] = 'Say "hi" <b>'
    p = dp.loads_protocol(yaml.safe_dump(data))
    text = export_graph(p, "mermaid", lang="en")
    assert 'Say #quot;hi#quot; #lt;b#gt;' in text


def test_dot_export_is_valid_graphviz(bundled: dp.Protocol, tmp_path: Path) -> None:
    text = export_graph(bundled, "dot", lang="en")
    assert text.startswith('digraph "sendai_ciss" {')
    assert text.rstrip().endswith("}")
    assert text.count("->") == sum(len(a.requires) for a in bundled.actions)
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed; structure checked only")
    source = tmp_path / "p.dot"
    source.write_text(text, encoding="utf-8")
    subprocess.run(["dot", "-Tsvg", str(source), "-o", str(tmp_path / "p.svg")], check=True,
                   capture_output=True)


def test_exports_are_deterministic_and_leave_the_graph_untouched(bundled: dp.Protocol) -> None:
    again = dp.loads_protocol((Path(dp.loader.bundled_protocol_path())).read_text("utf-8"))
    before = dict(bundled.graph.graph)
    for fmt in ("graphml", "json", "dot", "mermaid", "graphml"):
        assert export_graph(bundled, fmt) == export_graph(again, fmt)
    assert bundled.graph.graph == before == {"protocol": "sendai_ciss", "version": bundled.version}


def test_unknown_export_format_is_a_value_error(bundled: dp.Protocol) -> None:
    with pytest.raises(ValueError, match="unknown graph format"):
        export_graph(bundled, "svg")  # type: ignore[arg-type]


@st.composite
def keyed_dags(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]], dict[str, int]]:
    """Random DAGs whose prerequisites may sit anywhere in key order (not only earlier)."""
    n = draw(st.integers(1, 30))
    topo = [f"n{i}" for i in range(n)]  # a hidden topological order keeps it acyclic
    requires = {node: sorted(set(draw(st.lists(st.sampled_from(topo[:i]), max_size=3))))
                if i else [] for i, node in enumerate(topo)}
    keys = draw(st.permutations(range(n)))
    return topo, requires, dict(zip(topo, keys, strict=True))


@settings(max_examples=200, deadline=None)
@given(keyed_dags())
def test_ordering_matches_networkx_lexicographical_topological_sort(
        dag: tuple[list[str], dict[str, list[str]], dict[str, int]]) -> None:
    from disaster_protocol._index import ordered_actions

    nodes, requires, keys = dag
    oracle: nx.DiGraph[str] = nx.DiGraph()
    oracle.add_nodes_from(nodes)
    oracle.add_edges_from((r, n) for n in nodes for r in requires[n])
    expected = list(nx.lexicographical_topological_sort(oracle, key=keys.__getitem__))
    assert ordered_actions(nodes, requires, key=lambda n: (0, keys[n])) == expected


def test_ordering_refuses_a_cycle() -> None:
    from disaster_protocol._index import ordered_actions

    with pytest.raises(ValueError, match="cycle"):
        ordered_actions(["a", "b"], {"a": ["b"], "b": ["a"]}, key=lambda n: (0, ord(n)))
