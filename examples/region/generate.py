"""Write the illustrative region: twenty invented institutions in two rounds.

    python examples/region/generate.py

Deterministic (a fixed seed): running it again rewrites the same files, which a test checks.
Every institution, name and figure here is INVENTED for examples and tests; none is the data
of a real institution. The later round (``2027/``) is made from the first round's cooperation
plan with a built-in tendency: gaps that were matched improve more often than gaps that were
not. It exists so that ``dp.cooperation.evaluate`` has something to show, and proves nothing.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

import yaml

import disaster_protocol as dp

HERE = Path(__file__).resolve().parent
SEED = 2015
FIRST, LATER = date(2026, 10, 1), date(2027, 10, 1)
HEADER = ("# ILLUSTRATIVE EXAMPLE — invented, not the data of any real institution.\n"
          "# EJEMPLO ILUSTRATIVO — inventado, no son datos de ninguna institución real.\n"
          "# Written by examples/region/generate.py; edit the script, not this file.\n")

# id, name, country, subregion, type, language, stage (0 early .. 2 advanced), strong phases
MEMBERS = [
    ("pe-salud", "Seguro de Salud Andino (ficticio)", "PE", "andean", "health", "es", 2,
     ("PREP", "RESP")),
    ("pe-prev", "Caja de Previsión del Pacífico (ficticia)", "PE", "andean", "pensions", "es",
     1, ("GOV",)),
    ("co-riesgos", "Administradora de Riesgos Laborales Andina (ficticia)", "CO", "andean",
     "work-injury", "es", 1, ("KNOW",)),
    ("co-salud", "Entidad de Salud del Caribe Colombiano (ficticia)", "CO", "andean", "health",
     "es", 0, ()),
    ("ec-seguro", "Instituto de Seguridad Social de la Sierra (ficticio)", "EC", "andean",
     "mixed", "es", 1, ("RESP",)),
    ("bo-caja", "Caja Nacional del Altiplano (ficticia)", "BO", "andean", "health", "es", 0,
     ("RECO",)),
    ("mx-imss", "Instituto Mexicano Ejemplar (ficticio)", "MX", "central", "mixed", "es", 2,
     ("GOV", "PREP", "RESP")),
    ("mx-estatal", "Instituto Estatal de Pensiones del Golfo (ficticio)", "MX", "central",
     "pensions", "es", 0, ()),
    ("cr-caja", "Caja Costarricense Ejemplar (ficticia)", "CR", "central", "mixed", "es", 2,
     ("KNOW", "RECO")),
    ("gt-seguro", "Instituto de Seguridad Social del Volcán (ficticio)", "GT", "central",
     "mixed", "es", 0, ("RESP",)),
    ("pa-caja", "Caja del Istmo (ficticia)", "PA", "central", "mixed", "es", 1, ("PREP",)),
    ("do-seguro", "Tesorería de la Isla (ficticia)", "DO", "caribbean", "pensions", "es", 1,
     ()),
    ("jm-nis", "Island National Insurance Scheme (fictitious)", "JM", "caribbean", "pensions",
     "en", 1, ("RECO",)),
    ("tt-board", "Southern Isles Insurance Board (fictitious)", "TT", "caribbean", "mixed",
     "en", 2, ("PREP", "KNOW")),
    ("bb-nis", "Coral Coast Social Security (fictitious)", "BB", "caribbean", "pensions", "en",
     0, ()),
    ("br-previdencia", "Instituto de Previdência do Planalto (fictício)", "BR", "southern",
     "pensions", "pt", 2, ("GOV", "RECO")),
    ("br-saude", "Serviço de Saúde do Litoral (fictício)", "BR", "southern", "health", "pt", 0,
     ("PREP",)),
    ("ar-anses", "Administración Austral de Prestaciones (ficticia)", "AR", "southern",
     "pensions", "es", 1, ("RESP",)),
    ("cl-mutual", "Mutual del Cono Sur (ficticia)", "CL", "southern", "work-injury", "es", 2,
     ("PREP", "RESP", "KNOW")),
    ("uy-bps", "Banco de Previsión del Río (ficticio)", "UY", "southern", "pensions", "es", 1,
     ("GOV",)),
]

BASE = {0: (0, 2), 1: (1, 3), 2: (2, 4)}
"""Range of levels drawn for an action, by stage (a strong phase adds one, up to 4)."""


def _first_round(protocol: dp.Protocol, rng: random.Random) -> dict[str, dict[str, object]]:
    profiles = {}
    for ident, name, country, subregion, kind, language, stage, strong in MEMBERS:
        low, high = BASE[stage]
        levels = {a.id: min(4, rng.randint(low, high) + (a.phase in strong))
                  for a in protocol.actions}
        profiles[ident] = _profile(protocol, ident, name, country, subregion, kind, language,
                                   levels, FIRST, rng)
        if ident.startswith("br-"):  # Portuguese speakers that also work in Spanish
            profiles[ident]["cooperation"] = {"languages": ["es"], "capacity": 2}
        elif stage == 2:
            profiles[ident]["cooperation"] = {"capacity": 4}
    return profiles


def _profile(protocol: dp.Protocol, ident: str, name: str, country: str, subregion: str,
             kind: str, language: str, levels: dict[str, int], when: date,
             rng: random.Random) -> dict[str, object]:
    actions: dict[str, object] = {}
    for action, level in levels.items():
        entry: dict[str, object] = {"level": level}
        if level >= 3:
            entry["evidence"] = [f"{action.lower()}-{when.year}.pdf"]
        if level == 4:
            entry["last_exercised"] = date(when.year, rng.randint(1, when.month - 1), 15)
        actions[action] = entry if len(entry) > 1 else level
    return {"schema_version": 1, "protocol": {"id": protocol.id, "version": protocol.version},
            "institution": {"id": ident, "name": name, "country": country,
                            "subregion": subregion, "type": kind, "language": language},
            "assessed_on": when, "actions": actions}


def _later_round(protocol: dp.Protocol, first: dict[str, dict[str, object]],
                 rng: random.Random) -> dict[str, dict[str, object]]:
    loaded = [dp.profile_from_dict(data, protocol) for data in first.values()]
    plan = dp.cooperation.match(dp.assess_many(protocol, loaded))
    matched = {(m.recipient, m.action) for m in plan.round(1)[1]}  # the round at hand
    info = {m[0]: m for m in MEMBERS}
    later = {}
    for profile in loaded:
        ident = profile.institution.id
        levels: dict[str, int] = {}
        for action in protocol.actions:
            status = profile.actions.get(action.id)
            level: int = status.level if status is not None and isinstance(status.level,
                                                                            int) else 0
            chance = 0.7 if (ident, action.id) in matched else 0.25
            if level < 4 and rng.random() < chance:
                level += 1 + (rng.random() < 0.3 and level < 3)
            levels[action.id] = min(level, 4)
        _, name, country, subregion, kind, language, *_ = info[ident]
        later[ident] = _profile(protocol, ident, name, country, subregion, kind, language,
                                levels, LATER, rng)
        if profile.cooperation is not None:
            later[ident]["cooperation"] = profile.cooperation.model_dump(
                mode="json", exclude_defaults=True)
    return later


def write(target: Path = HERE) -> list[Path]:
    """Write both rounds under ``target``; return the files written."""
    protocol = dp.load_protocol()
    rng = random.Random(SEED)
    first = _first_round(protocol, rng)
    rounds = {str(FIRST.year): first, str(LATER.year): _later_round(protocol, first, rng)}
    written = []
    for year, profiles in rounds.items():
        folder = target / year
        folder.mkdir(parents=True, exist_ok=True)
        for ident, data in profiles.items():
            path = folder / f"{ident}.yaml"
            body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            path.write_text(HEADER + body, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    files = write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"wrote {len(files)} profiles")
