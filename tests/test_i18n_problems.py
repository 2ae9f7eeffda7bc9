"""Problems about broken inputs said in Portuguese and French (issue 23, docs/errors.md): one
case per family the catalogue took over last — the protocol's own checks, crosswalks, partners
files, migrations, hostile-input limits, choices and ranges, the command line's option types
and input warnings. Each expected line was read and checked by hand; ``str(error)`` stays
English and the codes never change."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import disaster_protocol as dp
from disaster_protocol.cli import main
from disaster_protocol.migration import load_migration

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "invalid"
REGION = ROOT / "examples" / "region"
EXAMPLE = ROOT / "examples" / "profiles" / "caja_intermedia.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("name", "lang", "said"), [
    ("unused_role", "pt", "roles[RMU]: o papel 'RMU' não lidera nem apoia nenhuma ação; "
                          "atribua-o ou remova-o [unused-role]"),
    ("unknown_reference", "fr", "actions[P-1].support[0]: référence inconnue : rôle 'RMX' "
                                "(vouliez-vous dire 'RMU' ?) [unknown-reference]"),
    ("cycle", "fr", "actions[K-1].requires: les prérequis forment un cycle : K-1 -> P-2 -> P-1 "
                    "-> K-1 ; rompez un maillon [cycle]"),
    ("cycle", "pt", "actions[K-1].requires: os pré-requisitos formam um ciclo: K-1 -> P-2 -> "
                    "P-1 -> K-1; quebre um elo [cycle]"),
    ("phase_without_actions", "fr", "phases[KNOW]: la phase 'KNOW' n'a aucune action "
                                    "[phase-without-actions]"),
])
def test_the_protocols_own_checks_speak_the_language(name: str, lang: str, said: str) -> None:
    path = INVALID / f"{name}.yaml"
    code, out, err = run("validate", str(path), "--lang", lang)
    assert code == 2
    assert out == ""
    assert f"{path}:" in err
    assert err.rstrip("\n").endswith(said)


def test_a_crosswalk_problem_in_portuguese_and_french() -> None:
    bundled = "br-lei-12608, co-ley-1523, cr-plan-nacional, ec-ley-grd, issa-cor, pe-sinagerd"
    assert run("crosswalk", "nowhere", "--lang", "pt")[2] == (
        "nowhere: não há nenhuma tabela de correspondência chamada 'nowhere'; as incluídas são "
        f"{bundled} [unknown-reference]\n")
    assert run("crosswalk", "co-ley-152", "--lang", "fr")[2] == (
        "co-ley-152: aucune table de correspondance ne s'appelle 'co-ley-152' (vouliez-vous "
        f"dire 'co-ley-1523' ?) ; celles fournies sont {bundled} [unknown-reference]\n")
    english = run("crosswalk", "nowhere", "--lang", "en")[2]
    assert english.startswith("nowhere: no crosswalk named 'nowhere'; the bundled ones are ")


def test_a_partners_file_problem_in_portuguese(tmp_path: Path) -> None:
    text = (REGION / "partners.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "partners.yaml"
    broken.write_text(text.replace("actions: [KNOW-06, PREP-04", "actions: [KNOW-6, PREP-04")
                      .replace("- id: ilo", "- id: paho"), encoding="utf-8")
    code, _, err = run("cooperate", str(REGION / "2026"), "--partners", str(broken),
                       "--lang", "pt")
    assert code == 2
    assert err == (
        f"{broken}:15:13: partners[paho].actions[0]: ação desconhecida 'KNOW-6' (você quis "
        "dizer 'KNOW-06'?) [unknown-action]\n"
        f"{broken}:19:7: partners[paho].id: id de parceiro repetido 'paho': já usado na linha 11 "
        "[duplicate-id]\n")


def test_a_migration_problem_in_french(tmp_path: Path) -> None:
    # The command line reads only the bundled migrations: a broken one is read in Python.
    path = tmp_path / "1.1.0-1.3.0.yaml"
    shutil.copy(ROOT / "protocols" / "migrations" / "1.1.0-1.2.0.yaml", path)
    with pytest.raises(dp.MigrationError) as info:
        load_migration(path)
    assert info.value.lines_in("fr") == (
        f"{path}:7:15: le fichier dit 1.1.0 -> 1.2.0 ; nommez-le 1.1.0-1.2.0.yaml "
        "[invalid-value]")
    assert info.value.lines_in("pt") == (
        f"{path}:7:15: o arquivo diz 1.1.0 -> 1.2.0; chame-o 1.1.0-1.2.0.yaml [invalid-value]")
    assert str(info.value) == (
        f"{path}:7:15: the file says 1.1.0 -> 1.2.0; name it 1.1.0-1.2.0.yaml [invalid-value]")


def test_hostile_input_limits_in_portuguese_and_french(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX}\n"
                    "assessed_on: 2026-01-01\nactions: " + "[" * 70 + "]" * 70 + "\n",
                    encoding="utf-8")
    assert run("check", str(deep), "--lang", "pt")[2] == (
        f"{deep}:4:74: aninhamento com mais de 64 níveis [too-deep]\n")
    many = tmp_path / "many.yaml"
    many.write_text("schema_version: 1\nactions: [" + ", ".join(["1"] * 100_001) + "]\n",
                    encoding="utf-8")
    assert run("check", str(many), "--lang", "fr")[2] == (
        f"{many}:2:299996: contient plus de 100,000 valeurs (lecture arrêtée ici) ; c'est trop "
        "pour un profil : cherchez des entrées répétées ou générées [too-many-values]\n")
    assert run("check", str(many), "--lang", "pt")[2] == (
        f"{many}:2:299996: tem mais de 100,000 valores (a leitura parou aqui); é demais para um "
        "perfil: procure entradas repetidas ou geradas [too-many-values]\n")
    twice = tmp_path / "twice.yaml"
    twice.write_text("schema_version: 1\nschema_version: 1\n", encoding="utf-8")
    assert run("check", str(twice), "--lang", "pt")[2] == (
        f"{twice}:2:1: schema_version: chave repetida 'schema_version' (dada antes na linha 1); "
        "mantenha uma delas [duplicate-key]\n")


def test_choices_ranges_and_lengths_in_french_and_portuguese(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX, type: nope}\n"
                    "assessed_on: 0002-01-01\n", encoding="utf-8")
    assert run("check", str(path), "--lang", "fr")[2] == (
        f"{path}:2:50: institution.type: doit être 'health', 'pensions', 'work-injury' ou "
        "'mixed' (reçu 'nope') [invalid-value]\n"
        f"{path}:3:14: assessed_on: doit être une date du 1900-01-01 au 2999-12-31 (reçu "
        "0002-01-01) [invalid-date]\n")
    path.write_text("schema_version: 1\ninstitution: {id: x, name: X, country: MX, type: helth}\n"
                    "assessed_on: 2026-01-01\n", encoding="utf-8")
    assert run("check", str(path), "--lang", "pt")[2] == (
        f"{path}:2:50: institution.type: deve ser 'health', 'pensions', 'work-injury' ou "
        "'mixed' (veio 'helth') (você quis dizer 'health'?) [invalid-value]\n")


@pytest.mark.parametrize(("argv", "said"), [
    (("batch", str(EXAMPLE), "--workers", "0", "--lang", "pt"),
     "disaster-protocol batch: error: argument --workers: '0' não é um número inteiro de pelo "
     "menos 1\n"),
    (("cooperate", str(REGION / "2026"), "--min-group", "1", "--lang", "fr"),
     "disaster-protocol cooperate: error: argument --min-group: '1' n'est pas un nombre entier "
     "d'au moins 2\n"),
    (("cooperate", str(REGION / "2026"), "--lang=fr", "--capacity", "x"),
     "disaster-protocol cooperate: error: argument --capacity: 'x' n'est pas un nombre entier "
     "de 0 ou plus\n"),
    (("check", str(EXAMPLE), "--as-of", "0001-01-01", "--lang", "fr"),
     "disaster-protocol check: error: argument --as-of: 0001-01-01 est hors limites ; donnez "
     "une date du 1900-01-01 au 2999-12-31\n"),
    (("check", str(EXAMPLE), "--lang", "pt", "--as-of", "ontem"),
     "disaster-protocol check: error: argument --as-of: 'ontem' não é uma data; escreva "
     "AAAA-MM-DD\n"),
    (("batch", str(EXAMPLE), "--fail-under", "101", "--lang", "fr"),
     "disaster-protocol batch: error: argument --fail-under: '101' n'est pas un score entre 0 "
     "et 100\n"),
    (("check", str(EXAMPLE), "--as-of", "nope"),  # no --lang: the command's default, Spanish
     "disaster-protocol check: error: argument --as-of: 'nope' no es una fecha; escriba "
     "AAAA-MM-DD\n"),
])
def test_option_types_refuse_in_the_asked_language(argv: tuple[str, ...], said: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err.endswith(said)  # after argparse's usage lines, which stay English
    assert err.startswith("usage: ")


def test_an_input_warning_in_french(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('schema_version: 1\ninstitution: {id: x, name: "Caja \\e[31mRoja", '
                    "country: MX}\nassessed_on: 2026-01-01\nactions: {}\n", encoding="utf-8")
    code, _, err = run("check", str(path), "--lang", "fr")
    assert code == 0
    assert err == (f"warning: {path}:2:28: institution.name: contient le caractère de contrôle "
                   "\\x1b ; les rapports l'affichent échappé : supprimez-le "
                   "[control-character]\n")


def test_what_the_reader_refuses_in_french_and_portuguese(tmp_path: Path) -> None:
    tag = tmp_path / "tag.yaml"
    tag.write_text("schema_version: !!python/object:os.system 1\n", encoding="utf-8")
    assert run("check", str(tag), "--lang", "fr")[2] == (
        f"{tag}:1:17: balise YAML non prise en charge 'tag:yaml.org,2002:python/object:os.system'"
        " ; seules les données YAML simples sont acceptées : retirez la balise [unsafe-tag]\n")
    merge = tmp_path / "merge.yaml"
    merge.write_text("a: &x {b: 1}\nc: {<<: *x}\n", encoding="utf-8")
    assert run("check", str(merge), "--lang", "pt")[2] == (
        f"{merge}:2:5: as chaves de fusão (<<) não são suportadas; escreva as chaves por extenso "
        "[unsafe-tag]\n")
    listed = tmp_path / "list.yaml"
    listed.write_text("[1, 2]\n", encoding="utf-8")
    assert run("validate", str(listed), "--lang", "fr")[2] == (
        f"{listed}:1:1: attendu : un protocole, une table de clés et de valeurs (reçu list) "
        "[wrong-type]\n")
    assert run("check", str(listed), "--lang", "pt")[2] == (
        f"{listed}:1:1: esperava-se um perfil: um mapeamento de chaves para valores (veio list) "
        "[wrong-type]\n")
    assert run("check", str(listed), "--lang", "en")[2] == (
        f"{listed}:1:1: a profile must be a mapping of keys to values (got list) [wrong-type]\n")


def test_a_wide_tables_problems_in_french(tmp_path: Path) -> None:
    twice = tmp_path / "twice.csv"
    twice.write_text("institution_id;institution_name;country;assessed_on;gov-01;gov-01\n"
                     "caja;Caja;MX;2026-04-03;3;1\n", encoding="utf-8")
    code, _, err = run("batch", str(twice), "--lang", "fr", "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert (f"{twice}:1:6: la colonne 'gov-01' dit ce que dit déjà la colonne 5 ; gardez-en une "
            "[duplicate-key]\n") in err
    # what -o wrote is said in French too (it was Spanish), with French's singular for 1
    assert f"1 ligne écrite dans {tmp_path / 'out.csv'}\n" in err
    row = tmp_path / "row.csv"
    row.write_text("institution_id;institution_name;country;assessed_on;gov-01\n"
                   "caja;Caja;MX;03/04/2026;7\n", encoding="utf-8")
    code, _, err = run("batch", str(row), "--lang", "fr", "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert (
        f"{row}:2:4: assessed_on: '03/04/2026' peut être jour/mois ou mois/jour ; écrivez "
        "AAAA-MM-JJ, ou indiquez l'ordre (--dates day-first, ou une colonne date_format comme "
        "DD/MM/YYYY) [ambiguous-date]\n"
        f"{row}:2:5: actions.GOV-01.level: doit être 0-4, n/a ou unknown (reçu '7') "
        "[invalid-level]\n") in err


def test_usage_errors_in_portuguese_and_french() -> None:
    assert run("batch", "-", "-", "--lang", "pt") == (
        2, "", "disaster-protocol batch: error: a entrada padrão (-) pode ser dada uma só vez\n")
    assert run("cooperate", str(REGION / "2026"), "--participants", "2", "--min-group", "3",
               "--lang", "fr") == (
        2, "", "disaster-protocol cooperate: error: --participants (2) doit valoir au moins "
               "--min-group (3) : aucun atelier ne pourrait être formé\n")


@pytest.mark.parametrize(("argv", "lang", "said"), [
    (("compare", str(EXAMPLE), str(ROOT / "examples" / "profiles" / "instituto_avanzado.yaml")),
     "pt", "os perfis são de instituições diferentes (caja-ejemplo-b e iss-ejemplo-a); use "
           "--allow-other-institution para compará-los mesmo assim"),
    (("renew", str(EXAMPLE), "--as-of", "2020-01-01"),
     "fr", "--as-of (2020-01-01) doit être postérieur à la date du profil (2026-10-15) : un "
           "renouvellement commence un cycle ultérieur"),
    (("batch", str(REGION)),
     "fr", "aucun fichier de profil (.yaml, .yml, .json, .csv) dans ce dossier ; ses "
           "sous-dossiers 2026, 2027 en contiennent : ajoutez --recursive pour les parcourir"),
])
def test_a_refused_command_says_why_in_its_language(argv: tuple[str, ...], lang: str,
                                                    said: str) -> None:
    code, out, err = run(*argv, "--lang", lang)
    assert (code, out) == (2, "")
    assert said in err
