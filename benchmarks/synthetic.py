"""Synthetic protocols of any size, for benchmarks.

Actions are spread evenly over five phases; each requires up to three actions among the 50
placed just before it (so chains stay local, as in the real protocol), and about a quarter are
critical. The Sendai data, hazards and roles are those of the bundled protocol. Seeded: the same
size always gives the same protocol.
"""

from __future__ import annotations

import random
from functools import lru_cache

import disaster_protocol as dp

PHASES = ("GOV", "KNOW", "PREP", "RESP", "RECO")


@lru_cache(maxsize=8)
def synthetic_protocol(n_actions: int, seed: int = 2015) -> dp.Protocol:
    """A valid protocol with ``n_actions`` actions (cached per size)."""
    rng = random.Random(seed)
    base = dp.load_protocol()
    roles = [r.id for r in base.roles]
    hazards = [h.id for h in base.hazards]
    template = base.actions[0].model_dump(mode="json", exclude_none=True)
    actions = []
    per_phase = max(1, n_actions // len(PHASES))
    for i in range(n_actions):
        phase = PHASES[min(i // per_phase, len(PHASES) - 1)]
        lead = roles[i % len(roles)]
        support = rng.sample([r for r in roles if r != lead], 2)
        window = range(max(0, i - 50), i)
        requires = sorted({f"X-{j:06d}" for j in rng.sample(window, min(len(window),
                                                                         rng.randint(0, 3)))})
        action = dict(template, id=f"X-{i:06d}", phase=phase, lead=lead, support=support,
                      requires=requires, critical=rng.random() < 0.25,
                      weight=float(rng.choice((1, 2, 3))),
                      hazards=[hazards[i % len(hazards)]])
        if action["critical"]:
            action["critical_reason"] = {"es": "sintética", "en": "synthetic"}
        else:
            action.pop("critical_reason", None)
        actions.append(action)
    data = base.model_dump(mode="json", exclude_none=True)
    data["actions"] = actions
    return dp.Protocol.model_validate(data)
