"""Rewriting stored profiles for a newer protocol version (protocols/migrations/)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

import disaster_protocol as dp
from disaster_protocol.cli import main
from disaster_protocol.migration import (
    MigrationError,
    load_migration,
    migrate,
    migrate_text,
    migration_path,
)

from .conftest import ROOT

OLD = """# ILLUSTRATIVE
schema_version: 1
institution: {id: x, name: X, country: MX}
assessed_on: 2026-01-31
actions:
  GOV-01: 3
  PREP-12: {level: 2, evidence: [pagos.pdf]}
waivers:
- {action: GOV-01, reason: r, approved_by: b, expires: 2027-01-01}
"""


def test_bundled_migrations_lead_from_1_0_0_to_the_bundled_version(bundled: dp.Protocol) -> None:
    first = load_migration(migration_path("1.0.0", "1.1.0"))
    last = load_migration(migration_path("1.1.0", bundled.version), bundled)
    assert (first.to_version, last.from_version, last.to_version) == (
        "1.1.0", "1.1.0", bundled.version)
    # every action of the bundled version either existed in 1.0.0 or is listed as added once
    added = [*first.added, *last.added]
    assert len(added) == len(set(added))
    assert set(added) <= set(bundled.action_index)
    assert len(bundled.actions) - len(added) == 91  # the 1.0.0 count
    assert len(last.added) == 8  # the health tasks of the 1.1.0 review (section 2.5)
    assert set(first.added_roles) == {"AUDIT", "OCCR", "DPO"}
    assert last.added_roles == ()
    assert (last.renamed, last.split, last.merged, last.removed) == ({}, {}, (), ())


def test_every_stored_version_chains_to_the_bundled_one_and_scores(bundled: dp.Protocol) -> None:
    """The example profiles, taken back to 1.0.0 (no version named, without the actions added
    since) and to 1.1.0, migrate to the bundled version with a report, keep every answer, and
    score as the same answers read directly against the bundled version."""
    first = load_migration(migration_path("1.0.0", "1.1.0"))
    last = load_migration(migration_path("1.1.0", bundled.version))
    line = f'protocol: {{id: sendai_ciss, version: "{bundled.version}"}}\n'
    for name in ("caja_intermedia.yaml", "instituto_avanzado.yaml"):
        text = (ROOT / "examples" / "profiles" / name).read_text(encoding="utf-8")
        assert line in text
        for start, newer in (("1.1.0", last.added), ("1.0.0", (*first.added, *last.added))):
            kept = "".join(x for x in text.splitlines(keepends=True)
                           if not x.strip().startswith(tuple(f"{a}:" for a in newer)))
            old = kept.replace(line, "" if start == "1.0.0" else line.replace(
                bundled.version, start))
            result = migrate_text(old, to=bundled.version, protocol=bundled)
            assert result.from_version == start
            kinds = {(n.kind, n.action) for n in result.notes}
            assert {("added", a) for a in newer} <= kinds
            assert ("revised", "PREP-13") in kinds  # it now requires GOV-13
            assert (("role", "DPO") in kinds) == (start == "1.0.0")
            assert result.not_carried == ()
            direct = dp.loads_profile(kept.replace(line, ""), bundled)
            assert result.profile.actions == direct.actions
            assert set(direct.actions).isdisjoint(newer)
            again, expected = dp.assess(bundled, result.profile), dp.assess(bundled, direct)
            assert again.score == expected.score, (name, start)
            assert again.grade == expected.grade


def test_a_profile_without_version_is_carried_as_1_0_0_and_keeps_its_answers(
        bundled: dp.Protocol) -> None:
    result = migrate_text(OLD, to=bundled.version, protocol=bundled)
    assert result.from_version == "1.0.0"
    assert result.profile.protocol is not None
    assert result.profile.protocol.version == bundled.version
    assert result.profile.actions["GOV-01"].level == 3
    assert result.profile.actions["PREP-12"].evidence == ("pagos.pdf",)
    assert result.text.startswith("# ILLUSTRATIVE\n# Migrated from sendai_ciss 1.0.0")
    kinds = {(n.kind, n.action) for n in result.notes}
    assert ("revised", "PREP-12") in kinds  # it now asks for cash windows
    assert ("added", "RESP-31") in kinds
    assert ("role", "DPO") in kinds
    assert result.not_carried == ()
    # the rewritten text is a profile of the new version, and it assesses
    again = dp.loads_profile(result.text, bundled)
    assert dp.assess(bundled, again).protocol.version == bundled.version


def _tiny(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0.9.0-1.0.0.yaml").write_text(
        "schema_version: 1\nprotocol: sendai_ciss\nfrom_version: '0.9.0'\n"
        "to_version: '1.0.0'\n" + body, encoding="utf-8")
    for name in ("1.0.0-1.1.0.yaml", "1.1.0-1.2.0.yaml"):
        (folder / name).write_bytes((ROOT / "protocols" / "migrations" / name).read_bytes())
    return folder


def test_renamed_split_merged_and_removed_actions_are_carried_as_stated(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    folder = _tiny(tmp_path, """renamed: {OLD-1: GOV-01}
split: {OLD-2: [GOV-02, GOV-03]}
merged: [{actions: [OLD-3, OLD-4], into: GOV-04}]
removed: [{action: OLD-5, reason: {es: ya no aplica, en: no longer applies}}]
""")
    text = ("schema_version: 1\nprotocol: {id: sendai_ciss, version: '0.9.0'}\n"
            "institution: {id: x, name: X, country: MX}\nassessed_on: 2026-01-31\n"
            "actions: {OLD-1: 4, OLD-2: 3, OLD-3: 2, OLD-4: 1, OLD-5: 4, GOV-05: 2}\n"
            "waivers: [{action: OLD-5, reason: r, approved_by: b, expires: 2027-01-01},\n"
            "          {action: OLD-1, reason: r, approved_by: b, expires: 2027-01-01}]\n")
    result = migrate_text(text, to=bundled.version, protocol=bundled, folder=folder)
    levels = {k: v.level for k, v in result.profile.actions.items()}
    assert levels == {"GOV-01": 4, "GOV-02": 3, "GOV-03": 3, "GOV-04": 1, "GOV-05": 2}
    assert [w.action for w in result.profile.waivers] == ["GOV-01"]  # renamed with its action
    lost = {(n.kind, n.action) for n in result.not_carried}
    assert lost == {("removed", "OLD-5")}  # the answer and its waiver: one note each
    assert len(result.not_carried) == 2
    kinds = {n.kind for n in result.notes}
    assert {"renamed", "split", "merged"} <= kinds


def test_a_rename_onto_an_answered_action_keeps_the_answer_and_says_so(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "renamed: {OLD-1: GOV-01}\n")
    text = ("schema_version: 1\nprotocol: {id: sendai_ciss, version: '0.9.0'}\n"
            "institution: {id: x, name: X, country: MX}\nassessed_on: 2026-01-31\n"
            "actions: {OLD-1: 4, GOV-01: 1}\n")
    result = migrate_text(text, to=bundled.version, protocol=bundled, folder=folder)
    assert result.profile.actions["GOV-01"].level == 1
    assert [n.kind for n in result.not_carried] == ["conflict"]


def test_no_chain_to_the_asked_version_is_a_clear_error(bundled: dp.Protocol,
                                                        tmp_path: Path) -> None:
    text = OLD.replace("schema_version: 1\n",
                       "schema_version: 1\nprotocol: {id: sendai_ciss, version: '0.5.0'}\n")
    with pytest.raises(MigrationError, match=r"no migration leads from sendai_ciss 0\.5\.0"):
        migrate_text(text, to=bundled.version, protocol=bundled)


def test_a_migration_naming_ids_the_target_lacks_is_located(bundled: dp.Protocol,
                                                            tmp_path: Path) -> None:
    bad = tmp_path / f"1.1.0-{bundled.version}.yaml"
    bad.write_text("schema_version: 1\nprotocol: sendai_ciss\nfrom_version: '1.1.0'\n"
                   f"to_version: '{bundled.version}'\nadded: [GOV-99]\n"
                   "removed: [{action: GOV-01, reason: {es: x, en: x}}]\n", encoding="utf-8")
    with pytest.raises(MigrationError) as info:
        load_migration(bad, bundled)
    lines = [p.line for p in info.value.problems]
    assert lines == [5, 6]
    assert "GOV-99" in str(info.value)
    assert "still has it" in str(info.value)


def test_assess_refuses_a_profile_of_another_version_and_names_the_command(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(OLD.replace("schema_version: 1\n", "schema_version: 1\nprotocol: "
                               "{id: sendai_ciss, version: '1.0.0'}\n"), encoding="utf-8")
    with pytest.raises(dp.ProfileError) as info:
        dp.load_profile(old, bundled)
    assert info.value.codes == ("other-protocol-version",)
    assert info.value.problems[0].line == 3
    assert f"disaster-protocol migrate {old} --to {bundled.version}" in str(info.value)
    # a Profile built in code meets the same refusal in assess
    data = yaml.safe_load(old.read_text(encoding="utf-8"))
    data["protocol"]["version"] = bundled.version
    profile = dp.profile_from_dict(data, bundled)
    stale = profile.model_copy(update={"protocol": {"id": "sendai_ciss", "version": "1.0.0"}})
    with pytest.raises(dp.ProfileError, match="disaster-protocol migrate PROFILE"):
        dp.assess(bundled, stale)


def test_migrate_command_writes_the_profile_and_reports_what_to_review(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["migrate", str(old), "--to", bundled.version, "-o", str(new), "--lang", "en"],
                stdout=out, stderr=err)
    assert code == 0
    assert out.getvalue().startswith(f"Profile rewritten from 1.0.0 to {bundled.version}")
    assert "PREP-12: now asks more" in out.getvalue()
    assert dp.load_profile(new, bundled).actions["GOV-01"].level == 3
    code = main(["check", str(new)], stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0


def test_migrate_command_refuses_a_broken_profile_without_writing(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD.replace("GOV-01: 3", "GOV-01: 7"), encoding="utf-8")
    err = io.StringIO()
    code = main(["migrate", str(old), "--to", "1.2.0", "-o", str(new)], stdout=io.StringIO(),
                stderr=err)
    assert code == 2
    assert f"{old}:6:" in err.getvalue()
    assert not new.exists()


def test_migrate_refuses_csv_profiles_with_the_way_out() -> None:
    with pytest.raises(dp.ProfileError, match="convert it to YAML first"):
        migrate(ROOT / "examples" / "profiles" / "mutual_inicial.csv", to="1.2.0")


def test_migrating_a_profile_already_of_the_version_changes_nothing(bundled: dp.Protocol) -> None:
    from disaster_protocol.report import migration_text

    current = OLD.replace("schema_version: 1\n", "schema_version: 1\nprotocol: "
                          f"{{id: sendai_ciss, version: '{bundled.version}'}}\n")
    result = migrate_text(current, to=bundled.version, protocol=bundled)
    assert result.notes == ()
    assert "nothing to change" in migration_text(result, "en")
    assert result.profile.actions["GOV-01"].level == 3


def _old(actions: str, extra: str = "") -> str:
    return ("schema_version: 1\nprotocol: {id: sendai_ciss, version: '0.9.0'}\n"
            "institution: {id: x, name: X, country: MX}\nassessed_on: 2026-01-31\n"
            f"actions: {actions}\n{extra}")


def test_a_merge_ignores_n_a_unless_every_part_is_n_a(bundled: dp.Protocol,
                                                      tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "merged: [{actions: [OLD-3, OLD-4], into: GOV-04}]\n")
    mixed = _old("{OLD-3: 4, OLD-4: {level: n/a, justification: j}}")
    result = migrate_text(mixed, to=bundled.version, protocol=bundled, folder=folder)
    assert result.profile.actions["GOV-04"].level == 4
    both = _old("{OLD-3: {level: n/a, justification: a}, OLD-4: {level: n/a, justification: b}}")
    result = migrate_text(both, to=bundled.version, protocol=bundled, folder=folder)
    assert result.profile.actions["GOV-04"].level == "n/a"


def test_a_merge_passes_over_an_unknown_part_as_it_does_a_left_out_one(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "merged: [{actions: [OLD-3, OLD-4], into: GOV-04}]\n")
    left_out = migrate_text(_old("{OLD-3: 3}"), to=bundled.version, protocol=bundled,
                            folder=folder)
    unknown = migrate_text(_old("{OLD-3: 3, OLD-4: unknown}"), to=bundled.version,
                           protocol=bundled, folder=folder)
    assert left_out.profile.actions["GOV-04"].level == 3
    assert unknown.profile.actions["GOV-04"].level == 3
    nothing = migrate_text(_old("{OLD-3: unknown, OLD-4: unknown}"), to=bundled.version,
                           protocol=bundled, folder=folder)
    assert nothing.profile.actions["GOV-04"].level == "unknown"


def test_merging_onto_an_answered_action_keeps_it_drops_the_parts_waivers_and_says_so(
        bundled: dp.Protocol, tmp_path: Path) -> None:
    folder = _tiny(tmp_path, "merged: [{actions: [OLD-3, OLD-4], into: GOV-04}]\n")
    waiver = "{action: OLD-3, reason: r, approved_by: b, expires: 2027-01-01}"
    text = _old("{OLD-3: 2, OLD-4: 1, GOV-04: 3}", f"waivers: [{waiver}]\n"
                "cooperation: {offers: [OLD-3, OLD-4]}\n")
    result = migrate_text(text, to=bundled.version, protocol=bundled, folder=folder)
    assert result.profile.actions["GOV-04"].level == 3
    assert result.profile.waivers == ()
    assert [n.kind for n in result.not_carried] == ["conflict", "removed"]
    assert result.profile.cooperation is not None
    assert [o.action for o in result.profile.cooperation.offers] == ["GOV-04"]  # once


def test_a_json_profile_is_rewritten_as_json(bundled: dp.Protocol, tmp_path: Path) -> None:
    data = yaml.safe_load(OLD)
    data["assessed_on"] = "2026-01-31"
    data["waivers"][0]["expires"] = "2027-01-01"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    result = migrate(old, to=bundled.version, protocol=bundled)
    assert json.loads(result.text)["protocol"]["version"] == bundled.version


@pytest.mark.parametrize(("name", "body", "message"), [
    ("0.8.0-1.0.0.yaml", "", "name it 0.9.0-1.0.0.yaml"),
    ("0.9.0-1.0.0.yaml",
     "renamed: {A-1: GOV-01}\nremoved: [{action: A-1, reason: {es: x, en: x}}]\n",
     "given two fates"),
    ("0.9.0-1.0.0.yaml", "renamed: {A-1: A-2, A-2: GOV-01}\n", "rename A-1 to the final id"),
])
def test_a_migration_file_must_be_consistent_on_its_own(tmp_path: Path, name: str, body: str,
                                                        message: str) -> None:
    path = tmp_path / name
    path.write_text("schema_version: 1\nprotocol: sendai_ciss\nfrom_version: '0.9.0'\n"
                    "to_version: '1.0.0'\n" + body, encoding="utf-8")
    with pytest.raises(MigrationError, match=message):
        load_migration(path)


def test_a_csv_sidecar_is_not_rewritten_and_its_refusal_says_why(bundled: dp.Protocol,
                                                                 tmp_path: Path) -> None:
    with pytest.raises(dp.ProfileError, match="convert it to YAML first"):
        migrate(ROOT / "examples" / "profiles" / "mutual_inicial.meta.yaml", to="1.2.0")
    for name in ("m.csv", "m.meta.yaml"):
        source = ROOT / "examples" / "profiles" / name.replace("m.", "mutual_inicial.")
        (tmp_path / name).write_bytes(source.read_bytes())
    sidecar = tmp_path / "m.meta.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace('version: "1.2.0"',
                                                                   'version: "1.0.0"'),
                       encoding="utf-8")
    with pytest.raises(dp.ProfileError, match="to the CSV by hand"):
        dp.load_profile(tmp_path / "m.csv", bundled)
