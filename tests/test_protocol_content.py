"""Checks over the bundled CISS/Sendai protocol content (protocols/sendai_ciss.yaml)."""

from __future__ import annotations

import re
from collections import Counter

import networkx as nx
import pytest

import disaster_protocol as dp
from disaster_protocol.model import Provenance
from disaster_protocol.report import protocol_markdown

from .conftest import ROOT


def test_sendai_reference_counts(bundled: dp.Protocol) -> None:
    sendai = bundled.sendai
    assert [p.id for p in sendai.priorities] == ["P1", "P2", "P3", "P4"]
    assert [t.id for t in sendai.targets] == list("ABCDEFG")
    assert sum(len(t.indicators) for t in sendai.targets) == 38
    assert [p.id for p in sendai.principles] == list("abcdefghijklm")


def test_indicator_codes_follow_their_target(bundled: dp.Protocol) -> None:
    counts = {t.id: len(t.indicators) for t in bundled.sendai.targets}
    assert counts == {"A": 3, "B": 5, "C": 6, "D": 8, "E": 2, "F": 8, "G": 6}
    for target in bundled.sendai.targets:
        assert [i.id for i in target.indicators] == [
            f"{target.id}-{n}" for n in range(1, counts[target.id] + 1)]


def test_spanish_indicator_titles_are_marked_as_working_translations(bundled: dp.Protocol) -> None:
    for target in bundled.sendai.targets:
        for indicator in target.indicators:
            assert indicator.provenance.note is not None
            assert "working translation" in indicator.provenance.note


def test_phases_roles_and_action_counts(bundled: dp.Protocol) -> None:
    assert [p.id for p in bundled.phases] == ["GOV", "KNOW", "PREP", "RESP", "RECO"]
    assert len(bundled.roles) == 19  # 16 of 1.0.0, and AUDIT, OCCR and DPO since 1.1.0
    assert len(bundled.actions) >= 80
    required = {"all", "storm", "flood", "earthquake", "epidemic", "drought_heat", "volcanic"}
    assert required <= {h.id for h in bundled.hazards}


def test_every_action_is_sourced_bilingual_and_led(bundled: dp.Protocol) -> None:
    source_ids = {s.id for s in bundled.sources}
    for action in bundled.actions:
        assert action.provenance.sources, action.id
        assert set(action.provenance.sources) <= source_ids
        for label in (action.title, action.description, *action.evidence):
            assert label.es.strip()
            assert label.en.strip()
            assert label.es != label.en, f"{action.id}: Spanish text left in English"
        assert action.lead in {r.id for r in bundled.roles}


def test_no_orphan_roles_or_hazards(bundled: dp.Protocol) -> None:
    used_roles = {r for a in bundled.actions for r in (a.lead, *a.support)}
    used_hazards = {h for a in bundled.actions for h in a.hazards}
    assert used_roles == {r.id for r in bundled.roles}
    assert used_hazards == {h.id for h in bundled.hazards}


def test_prerequisite_graph_is_acyclic_and_phase_ordered_unless_explained(
        bundled: dp.Protocol) -> None:
    graph: nx.DiGraph[str] = nx.DiGraph(
        [(req, a.id) for a in bundled.actions for req in a.requires])
    assert nx.is_directed_acyclic_graph(graph)
    order = bundled.phase_order
    for action in bundled.actions:
        later = [r for r in action.requires
                 if order[bundled.action(r).phase] > order[action.phase]]
        if later:
            assert action.requires_note, f"{action.id} needs a note for {later}"


def test_critical_actions_have_reasons_and_evidence(bundled: dp.Protocol) -> None:
    critical = [a for a in bundled.actions if a.critical]
    for action in critical:
        assert action.critical_reason is not None, action.id
        assert action.evidence, action.id
    share = len(critical) / len(bundled.actions)
    assert 0.25 <= share <= 1 / 3 + 0.01


def test_no_action_claims_verification_against_the_unread_ciss_text(bundled: dp.Protocol) -> None:
    assert not [a.id for a in bundled.actions if a.provenance.status == "verified"]


def test_unverified_sendai_letters_are_flagged_in_the_action_note(bundled: dp.Protocol) -> None:
    unverified = {
        f"{number}({k.letter})" for p in bundled.sendai.priorities
        for number, activities in ((p.paragraph, p.activities),
                                   (p.regional_paragraph, p.regional_activities))
        for k in activities if k.provenance.note and "not re-read" in k.provenance.note}
    assert unverified, "the reference marks most letters unverified"
    for action in bundled.actions:
        flagged = [x for x in action.sendai.paragraph if x in unverified]
        for ref in flagged:
            assert action.provenance.note is not None, action.id
            assert ref in action.provenance.note, (action.id, ref)


@pytest.mark.parametrize("source_id", ["S01", "S02", "S04", "S08", "S22", "S23", "UN-A-71-644"])
def test_source_register_holds_the_key_texts(bundled: dp.Protocol, source_id: str) -> None:
    source = {s.id: s for s in bundled.sources}[source_id]
    assert source.url
    assert source.url.startswith("http")
    assert source.publisher


def test_ciss_protocol_source_is_the_2021_publication(bundled: dp.Protocol) -> None:
    ciss = {s.id: s for s in bundled.sources}["S01"]
    assert ciss.year == 2021
    assert "CISS" in ciss.title


def test_maturity_scale_runs_from_none_to_tested(bundled: dp.Protocol) -> None:
    levels = [(m.level, m.label.en) for m in bundled.maturity_levels]
    assert levels == [(0, "None"), (1, "Planned"), (2, "Partial"), (3, "Implemented"),
                      (4, "Tested")]


def test_docs_protocol_md_matches_the_yaml(bundled: dp.Protocol) -> None:
    committed = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert committed == protocol_markdown(bundled), (
        "docs/protocol.md is stale: run `disaster-protocol docs -o docs/protocol.md`")


def test_protocol_markdown_lists_every_action_once(bundled: dp.Protocol) -> None:
    text = protocol_markdown(bundled)
    ids = Counter(re.findall(r"^\| `([A-Z]+-\d\d)` \|", text, flags=re.M))
    assert set(ids) == {a.id for a in bundled.actions}
    assert set(ids.values()) == {1}


def _verified_nodes(protocol: dp.Protocol) -> list[tuple[str, Provenance]]:
    sendai = protocol.sendai
    nodes = [(p.id, p.provenance) for p in sendai.priorities]
    nodes += [(f"{p.paragraph}({k.letter})", k.provenance)
              for p in sendai.priorities for k in p.activities]
    nodes += [(f"{p.regional_paragraph}({k.letter})", k.provenance)
              for p in sendai.priorities for k in p.regional_activities]
    nodes += [(x.id, x.provenance) for x in sendai.principles]
    nodes += [(x.id, x.provenance) for x in sendai.custom_indicators]
    nodes += [(t.id, t.provenance) for t in sendai.targets]
    nodes += [(i.id, i.provenance) for t in sendai.targets for i in t.indicators]
    nodes += [(x.id, x.provenance) for x in protocol.phases]
    nodes += [(x.id, x.provenance) for x in protocol.roles]
    nodes += [(x.id, x.provenance) for x in protocol.actions]
    return [(name, prov) for name, prov in nodes if prov.status == "verified"]


def test_verified_nodes_cite_only_sources_that_were_read(bundled: dp.Protocol) -> None:
    unread = {s.id for s in bundled.sources if s.note and "not re-read" in s.note.lower()}
    assert unread, "the register marks some sources as not re-read"
    wrong = [(name, sorted(set(prov.sources) & unread)) for name, prov in _verified_nodes(bundled)
             if set(prov.sources) & unread]
    assert wrong == []


def test_priority_one_letters_a_to_c_cite_the_copy_that_was_read(bundled: dp.Protocol) -> None:
    p1 = bundled.sendai.priorities[0]
    for activity in p1.activities[:3]:
        assert activity.provenance.status == "verified"
        assert "SF-COPY-P9" in activity.provenance.sources


# The expert review of 1.0.0: indicators that count something the action does not change.
WRONG_INDICATORS = {
    "RESP-16": {"C-3", "B-5"}, "RESP-19": {"B-3", "B-4", "B-5"}, "RESP-09": {"B-5"},
    "RESP-10": {"B-5"}, "RESP-13": {"B-5"}, "GOV-06": {"B-5"}, "GOV-01": {"E-2"}, "GOV-04": {"E-2"},
    "GOV-05": {"E-2"}, "GOV-12": {"F-6"}, "RESP-27": {"F-6"}, "KNOW-01": {"G-5"},
    "KNOW-10": {"C-1"},
}


@pytest.mark.parametrize("action_id", sorted(WRONG_INDICATORS))
def test_corrected_indicator_links_stay_corrected_and_say_why(bundled: dp.Protocol,
                                                              action_id: str) -> None:
    action = bundled.action(action_id)
    assert not set(action.sendai.indicators) & WRONG_INDICATORS[action_id]
    assert action.provenance.note is not None
    assert "Indicators revised in 1.1.0" in action.provenance.note \
        or "Revised in 1.1.0" in action.provenance.note
    for dropped in WRONG_INDICATORS[action_id]:
        assert dropped in action.provenance.note


def test_custom_indicators_are_nationally_defined_proposals_that_actions_use(
        bundled: dp.Protocol) -> None:
    custom = bundled.sendai.custom_indicators
    assert custom
    used = {c for a in bundled.actions for c in a.sendai.custom_indicators}
    assert used == {c.id for c in custom}
    global_ids = {i.id for t in bundled.sendai.targets for i in t.indicators}
    for c in custom:
        assert c.id not in global_ids
        assert c.provenance.status == "proposed"
        assert c.title.es
        assert c.title.en
        assert c.measure.es
        assert c.measure.en


def test_international_cooperation_no_longer_cites_the_relief_law_paragraph(
        bundled: dp.Protocol) -> None:
    for action_id in ("GOV-12", "RESP-27"):
        assert "33(p)" not in bundled.action(action_id).sendai.paragraph
        assert "34(a)" in bundled.action(action_id).sendai.paragraph
    assert bundled.sendai.paragraph_owners()["34"] == "P4"


# Words of one country's administrative Spanish that the review asked to replace.
NOT_NEUTRAL = ("refacci", "abatir", "rezago", "canalizaci", "detonante", "derechohabiente",
               "planeación", "beneficiarios dependientes", "menú",
               # the review of 1.1.0 (section 4)
               "presupuestal", "abasto", "módulo en albergue", "rol de guardias", "guardería",
               "delegaciones regionales", "estado rápido", "facilitar las incapacidades",
               "asegurar bienes")


def test_spanish_text_uses_a_neutral_regional_register(bundled: dp.Protocol) -> None:
    texts = [t.es for a in bundled.actions
             for t in (a.title, a.description, *a.evidence,
                       *([a.critical_reason] if a.critical_reason else []))]
    texts += [t.es for x in bundled.roles for t in (x.title, x.description)]
    texts += [t.es for x in bundled.phases for t in (x.title, x.description)]
    texts += [t.es for m in bundled.maturity_levels for t in (m.label, m.description)]
    texts += [t.es for c in bundled.sendai.custom_indicators for t in (c.title, c.measure)]
    for side in ("crosswalks", "migrations"):  # the data files an institution reads too
        texts += [f.read_text(encoding="utf-8")
                  for f in (ROOT / "protocols" / side).glob("*.yaml")]
    found = sorted({w for t in texts for w in NOT_NEUTRAL if w in t.lower()})
    assert found == []


# The review of 1.1.0 (section 1.2): 28 (action, indicator) pairs its own rules reject.
REJECTED_IN_1_2 = {
    "PREP-11": {"B-5"}, "RESP-11": {"B-5"}, "RESP-14": {"B-5"}, "RESP-18": {"B-5"},
    "RESP-23": {"B-5"}, "RECO-05": {"B-5"}, "KNOW-03": {"B-1", "B-5"}, "RESP-21": {"B-1"},
    "RECO-11": {"B-1"}, "RESP-15": {"B-2"}, "RECO-10": {"B-2"}, "KNOW-02": {"G-5"},
    "KNOW-12": {"G-5"}, "GOV-07": {"G-4"}, "KNOW-08": {"G-4"}, "PREP-02": {"G-4"},
    "RESP-01": {"G-4", "G-3"}, "PREP-15": {"C-1"}, "RECO-06": {"C-1"}, "PREP-16": {"C-5"},
    "RESP-27": {"F-7"}, "GOV-01": {"E-1"}, "GOV-04": {"E-1"}, "GOV-05": {"E-1"},
    "PREP-22": {"G-3"}, "RESP-20": {"G-3"},
}
# Indicators that count countries, official international support or local governments: no
# institution changes them; one may only report to them (F-7: a programme it runs or joins).
NOT_AN_INSTITUTIONS_COUNT = {"E-1", "E-2", "G-1", "G-2", "G-4", "G-5",
                             *(f"F-{n}" for n in range(1, 9))}
KEEPING_RULE = re.compile(r"(?P<ind>[A-G]-\d) \((?P<rule>changes|reports) the count: [^)]+\)")


def _kept(action: dp.model.Action) -> dict[str, str]:
    """The keeping rule the note states for each global indicator: ``{"D-8": "changes"}``."""
    note = action.provenance.note or ""
    return {m["ind"]: m["rule"] for m in KEEPING_RULE.finditer(note)}


def test_the_28_rejected_links_are_gone_and_each_note_says_why(bundled: dp.Protocol) -> None:
    assert sum(len(v) for v in REJECTED_IN_1_2.values()) == 28
    for action_id, rejected in REJECTED_IN_1_2.items():
        action = bundled.action(action_id)
        kept = set(action.sendai.indicators) & rejected
        assert kept <= set(_kept(action)), (action_id, kept)  # none is kept in fact
        assert not kept, action_id
        note = action.provenance.note or ""
        assert "Indicators revised in 1.2.0" in note, action_id
        for indicator in rejected:
            assert indicator in note.split("Indicators revised in 1.2.0")[1], (action_id, indicator)


def test_every_global_indicator_link_states_the_rule_that_keeps_it(bundled: dp.Protocol) -> None:
    missing = [(a.id, i) for a in bundled.actions for i in a.sendai.indicators
               if i not in _kept(a)]
    assert missing == []
    stated_not_linked = [(a.id, i) for a in bundled.actions for i in _kept(a)
                         if i not in a.sendai.indicators]
    assert stated_not_linked == []


def test_no_action_claims_to_change_a_country_or_local_government_count(
        bundled: dp.Protocol) -> None:
    links = {(a.id, i): _kept(a).get(i) for a in bundled.actions for i in a.sendai.indicators
             if i in NOT_AN_INSTITUTIONS_COUNT}
    assert set(links.values()) <= {"reports"}, links
    assert set(links) == {("GOV-12", "F-7"), ("RECO-12", "F-7")}  # the two stated exceptions


def test_compensating_actions_link_no_impact_count(bundled: dp.Protocol) -> None:
    """Rule one: paying, enrolling or insuring does not change an impact count (B, C-1)."""
    compensating = {"RESP-09", "RESP-10", "RESP-11", "RESP-13", "RESP-14", "RESP-16", "RESP-18",
                    "RESP-19", "RESP-23", "RESP-28", "PREP-11", "PREP-15", "PREP-16", "GOV-06",
                    "RECO-05", "RECO-06"}
    impact = {f"B-{n}" for n in range(1, 6)} | {"C-1", "C-5"}
    wrong = [(a, i) for a in sorted(compensating) for i in bundled.action(a).sendai.indicators
             if i in impact]
    assert wrong == []


def test_targets_a_and_b_quote_the_framework_and_cite_the_copy_read(bundled: dp.Protocol) -> None:
    targets = {t.id: t for t in bundled.sendai.targets}
    assert targets["A"].title.en == (
        "Substantially reduce global disaster mortality by 2030, aiming to lower average per "
        "100,000 global mortality between 2020-2030 compared to 2005-2015")
    assert targets["B"].title.en == (
        "Substantially reduce the number of affected people globally by 2030, aiming to lower "
        "the average global figure per 100,000 between 2020-2030 compared to 2005-2015")
    for target in ("A", "B"):
        assert targets[target].provenance.status == "verified"
        assert "SF-CHART" in targets[target].provenance.sources
        assert "UNDRR-IDDR-2021" not in targets[target].provenance.sources  # it paraphrases


def test_verified_priorities_carry_no_unread_paragraph(bundled: dp.Protocol) -> None:
    unread = {s.id for s in bundled.sources if s.note and "not re-read" in s.note.lower()}
    for priority in bundled.sendai.priorities:
        assert priority.provenance.status == "verified"
        if priority.id == "P1":  # paragraph 24 was read (SF-COPY-P9)
            assert priority.paragraph_provenance is None
            continue
        para = priority.paragraph_provenance
        assert para is not None, priority.id
        assert para.status != "verified"
        assert para.note is not None
        assert str(priority.paragraph) in para.note
        assert "not re-read" in para.note
        assert set(para.sources) & unread
        assert "paragraph_provenance" in (priority.provenance.note or "")


def test_sendai_indicators_and_targets_cite_the_copies_read(bundled: dp.Protocol) -> None:
    """Each indicator and target cites the copies its wording was read in (a source whose note
    says what was read), never A/71/644 or the resolution's register entries, which were not."""
    sources = {s.id: s for s in bundled.sources}
    read = {i for i, s in sources.items() if s.note and s.note.startswith("What was read: V")}
    nodes = [(t.id, t.provenance) for t in bundled.sendai.targets]
    nodes += [(i.id, i.provenance) for t in bundled.sendai.targets for i in t.indicators]
    for name, prov in nodes:
        assert prov.sources, name
        assert set(prov.sources) <= read, (name, sorted(set(prov.sources) - read))
    verified = [i.id for t in bundled.sendai.targets for i in t.indicators
                if i.provenance.status == "verified"]
    assert len(verified) == 28  # A-1 ... F-4; the others were read only in secondary copies


ADDED_IN_1_2 = ("PREP-31", "RESP-33", "RESP-34", "RESP-35", "RESP-36", "RESP-37", "RESP-38",
                "RESP-39")
# Each missing topic of the review of 1.1.0 (section 2.5): an action and a word of its text.
MISSING_TOPICS = {
    "telemedicine": ("RESP-33", "teleconsulta"),
    "home delivery of chronic medicines": ("RESP-34", "a domicilio"),
    "alternate care sites and structural checks": ("RESP-35", "sitios alternos"),
    "care of the non-insured with cost recovery": ("RESP-36", "no aseguradas"),
    "management of the dead": ("RESP-37", "fallecid"),
    "mass vaccination": ("RESP-38", "vacunar"),
    "incoming medical teams and donations": ("RESP-39", "donaciones"),
    "emergency procurement": ("PREP-31", "contratación de emergencia"),
}


@pytest.mark.parametrize("topic", sorted(MISSING_TOPICS))
def test_each_missing_health_task_is_an_action_with_honest_provenance(bundled: dp.Protocol,
                                                                      topic: str) -> None:
    action_id, word = MISSING_TOPICS[topic]
    assert action_id in ADDED_IN_1_2
    action = bundled.action(action_id)
    assert word in (action.title.es + " " + action.description.es).lower()
    note = action.provenance.note or ""
    assert note.startswith("Added in 1.2.0.")
    if action.provenance.status == "derived":  # from a source read, not only the review
        assert set(action.provenance.sources) - {"REVIEW-1.1"}
    else:
        assert action.provenance.status == "proposed"
        assert "proposal" in note or "no cited source" in note


def test_survivor_pensions_for_missing_people_cite_chiles_laws(bundled: dp.Protocol) -> None:
    action = bundled.action("RESP-28")
    assert action.provenance.status == "derived"
    assert {"CL-LEY-20436", "CL-LEY-20577"} <= set(action.provenance.sources)
    sources = {s.id: s for s in bundled.sources}
    assert sources["CL-LEY-20436"].year == 2010
    assert sources["CL-LEY-20577"].year == 2012


def test_the_roles_of_1_1_0_work_where_their_descriptions_say(bundled: dp.Protocol) -> None:
    def roles(action_id: str) -> set[str]:
        action = bundled.action(action_id)
        return {action.lead, *action.support}

    assert bundled.action("PREP-27").lead == "OCCR"
    assert "OCCR" in roles("RESP-15")
    for action_id in ("PREP-07", "PREP-25", "KNOW-12", "RESP-29", "RESP-30"):
        assert "DPO" in roles(action_id), action_id
    assert "AUDIT" in roles("RESP-24")


def test_the_corrections_of_the_1_1_0_review_hold(bundled: dp.Protocol) -> None:
    assert "KNOW-03" not in bundled.action("KNOW-04").requires
    assert "and beneficiaries" not in bundled.action("KNOW-04").title.en
    assert "GOV-04" not in bundled.action("GOV-11").requires
    assert "RECO-07" not in bundled.action("RECO-08").requires
    assert "earthquake" in bundled.action("RESP-01").hazards
    assert "pierden el empleo" in bundled.action("RESP-14").description.es
    assert "GOV-13" in bundled.action("PREP-13").requires
    assert "30(l)" in bundled.action("RESP-21").sendai.paragraph
    assert "PREP-31" in bundled.action("RECO-13").requires
