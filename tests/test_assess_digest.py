"""Scores, grades, levels, findings and plans stay exactly what they were.

``tests/data/assess_digest.json`` holds, for the example profiles and 500 seeded random
profiles, a digest of everything the method decides: score, grade, blocking, group scores,
effective levels, findings (kind, action, role, params) and the plan. It was written by the
code before the scoring was rewritten on compiled arrays (issue 10); any change to what the
method decides shows here. A deliberate change to the method regenerates it with
``python -m tests.test_assess_digest``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import date, timedelta

import pytest

import disaster_protocol as dp

from .conftest import DATA, ROOT

DIGESTS = DATA / "assess_digest.json"
EXAMPLES = ROOT / "examples" / "profiles"
N_RANDOM = 500


def random_profile(protocol: dp.Protocol, rng: random.Random, i: int) -> dp.Profile:
    """A profile drawn only with ``rng.random()``, so the same seed gives the same profile on
    every Python version."""
    def pick(options: list[object]) -> object:
        return options[int(rng.random() * len(options))]

    stage = rng.random()  # advanced, intermediate and early institutions
    mature = stage < 0.2
    levels: list[object] = ([3, 3, 4, 4, 4] if mature else [1, 2, 3, 3, 4, 4] if stage < 0.5
                            else [0, 1, 2, 3, 3, 4, 4, "n/a"])
    actions: dict[str, object] = {}
    for a in protocol.actions:
        if rng.random() < (0.01 if mature else 0.1):
            continue  # unassessed
        level = pick(levels)
        entry: dict[str, object] = {"level": level}
        if rng.random() < 0.6:
            entry["evidence"] = ["acta.pdf"]
        if level == 4 and rng.random() < 0.8:
            entry["last_exercised"] = date(2026, 6, 30) - timedelta(days=int(rng.random() * 1200))
        if level == "n/a":
            entry["justification"] = "no aplica"
        actions[a.id] = entry
    roles = {r.id: f"U{int(rng.random() * 6)}" for r in protocol.roles if rng.random() < 0.8}
    waivers = [{"action": a.id, "reason": "r", "approved_by": "b",
                "expires": date(2026, 1, 1) + timedelta(days=int(rng.random() * 365))}
               for a in protocol.actions if a.critical and rng.random() < 0.05]
    return dp.profile_from_dict({
        "schema_version": 1, "institution": {"id": f"r{i}", "name": f"R {i}", "country": "MX"},
        "assessed_on": date(2026, 6, 30), "roles": roles, "actions": actions,
        "waivers": waivers}, protocol)


def decided(result: dp.Assessment) -> dict[str, object]:
    """Everything the method decides, as plain data."""
    data = result.to_dict()
    return {
        "score": data["score"], "grade": data["grade"], "blocking": data["blocking"],
        "groups": [data[k] for k in ("by_phase", "by_priority", "by_role", "by_hazard")],
        "effective": [[r.action, r.claimed, r.effective, r.status, r.waived]
                      for r in result.actions],
        "findings": [[f.kind, f.action, f.role, f.model_dump(mode="json")["params"]]
                     for f in result.findings],
        "plan": [{k: v for k, v in step.model_dump(mode="json").items() if k != "title"}
                 for step in result.plan],
    }


def digest(result: dp.Assessment) -> str:
    text = json.dumps(decided(result), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def cases(protocol: dp.Protocol) -> list[tuple[str, dp.Profile, dict[str, object]]]:
    out: list[tuple[str, dp.Profile, dict[str, object]]] = []
    for path in sorted(EXAMPLES.glob("*.*")):
        if path.suffix in (".yaml", ".csv") and not path.name.endswith(".meta.yaml"):
            profile = dp.load_profile(path, protocol)
            out.append((path.name, profile, {}))
            out.append((f"{path.name} strict", profile, {"strict": True}))
    rng = random.Random(2030)
    for i in range(N_RANDOM):
        options: dict[str, object] = {"strict": rng.random() < 0.5}
        if rng.random() < 0.3:
            options["as_of"] = date(2027, 6, 30)
        out.append((f"random {i}", random_profile(protocol, rng, i), options))
    return out


def current(protocol: dp.Protocol) -> dict[str, str]:
    return {name: digest(dp.assess(protocol, profile, **options))  # type: ignore[arg-type]
            for name, profile, options in cases(protocol)}


@pytest.fixture(scope="module")
def stored() -> dict[str, str]:
    data: dict[str, str] = json.loads(DIGESTS.read_text(encoding="utf-8"))
    return data


def test_the_digest_covers_the_examples_and_500_random_profiles(stored: dict[str, str]) -> None:
    assert len([k for k in stored if k.startswith("random ")]) == N_RANDOM
    assert "caja_intermedia.yaml strict" in stored


def test_what_the_method_decides_is_unchanged(bundled: dp.Protocol,
                                              stored: dict[str, str]) -> None:
    now = current(bundled)
    changed = [name for name in stored if now.get(name) != stored[name]]
    assert set(now) == set(stored)
    assert changed == []


if __name__ == "__main__":  # regenerate after a deliberate change to the method
    DIGESTS.write_text(json.dumps(current(dp.load_protocol()), indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
    sys.exit(0)
