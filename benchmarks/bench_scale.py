"""How assessing and loading grow with protocol size, and what a loaded protocol weighs.

Synthetic protocols of 1,000 to 50,000 actions (``synthetic.py``). Each figure is reported beside
its floor, measured in the same run:

- ``assess``: a bare loop that reads every level of the same profile, and the first stages of
  ``assess`` alone (``scores_alone``: the score without findings, plan or results), which
  shows how plain linear Python grows here;
- ``loads_protocol``: the bare C-YAML parse of the same text (``yaml.load`` with
  ``CSafeLoader``), and that parse again with the garbage collector paused, as the loader reads;
- memory: the peak traced while loading, against the UTF-8 size of the YAML text.

The aims (issue 10): at most 2.2x per doubling of actions for both, and a loaded 50,000-action
protocol at most 10x the size of its YAML. Under ``--benchmark-disable`` (CI) only the two
smallest sizes run, once each.
"""

from __future__ import annotations

import gc
import itertools
import random
import tracemalloc
from functools import lru_cache
from typing import Any

import yaml

import disaster_protocol as dp

from .bench_assess import levels_floor, scores_alone
from .conftest import cpu_time, per_doubling
from .synthetic import synthetic_protocol

SIZES = (1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 50_000)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
NO_LIMIT = 10**10


@lru_cache(maxsize=2)
def synthetic_text(n: int) -> str:
    """The synthetic protocol of ``n`` actions as YAML."""
    data = synthetic_protocol(n).model_dump(mode="json", exclude_none=True)
    return str(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False))


def synthetic_profile(protocol: dp.Protocol, seed: int = 1) -> dp.Profile:
    """Every action assessed, levels 0-4 drawn at random, recent exercises for level 4."""
    rng = random.Random(seed)
    actions: dict[str, object] = {}
    for a in protocol.actions:
        level = int(rng.random() * 5)
        actions[a.id] = {"level": level, "evidence": ["acta.pdf"],
                         **({"last_exercised": "2026-01-01"} if level == 4 else {})}
    return dp.profile_from_dict({
        "schema_version": 1, "institution": {"id": "x", "name": "X", "country": "MX"},
        "assessed_on": "2026-06-30", "actions": actions}, protocol)


def _parse_paused(text: str) -> object:
    gc.disable()
    try:
        return yaml.load(text, Loader=Loader)
    finally:
        gc.enable()


def _report(benchmark: Any, name: str, sizes: tuple[int, ...], times: dict[str, dict[int, float]]
            ) -> None:
    """Print each size's ratio to the floors and the growth per doubling of everything."""
    target = times[name]
    for n in sizes:
        ratios = "  ".join(f"{target[n] / times[f][n]:.2f}x {f}" for f in times if f != name)
        print(f"\n{n:>6} actions: {name} {target[n] * 1e3:.1f} ms; {ratios}")
    for small, large in itertools.pairwise(sizes):
        growth = {f: per_doubling(t, small, large) for f, t in times.items()}
        print(f"{small:>6} -> {large:>6}: per doubling " +
              "  ".join(f"{f} {g:.2f}x" for f, g in growth.items()))
        benchmark.extra_info[f"{name}_per_doubling_{small}_{large}"] = round(growth[name], 3)


def test_assess_grows_linearly_with_protocol_size(benchmark: Any) -> None:
    sizes = SIZES[:2] if benchmark.disabled else SIZES
    times: dict[str, dict[int, float]] = {"assess": {}, "scores alone": {}, "levels loop": {}}
    for n in sizes:
        protocol = synthetic_protocol(n)
        profile = synthetic_profile(protocol)
        dp.assess(protocol, profile)  # compiles the protocol once
        floor = levels_floor([profile], protocol)
        rounds = 1 if benchmark.disabled else (5 if n <= 8_000 else 3)
        times["assess"][n] = min(cpu_time(lambda: dp.assess(protocol, profile))  # noqa: B023
                                 for _ in range(rounds))
        times["scores alone"][n] = min(
            cpu_time(lambda: scores_alone(protocol, profile))  # noqa: B023
            for _ in range(rounds))
        times["levels loop"][n] = min(cpu_time(floor) for _ in range(rounds))
    benchmark.pedantic(lambda: None, rounds=1)
    _report(benchmark, "assess", sizes, times)


BATCH_SIZES = (500, 1_000, 2_000, 4_000)  # the batch kernel takes up to 4,096 actions


def test_the_batch_grows_with_protocol_size(benchmark: Any) -> None:
    """``assess_many`` of 200 profiles held in memory (the batch kernel), beside ``assess`` of
    each in turn and the bare loop over their levels, on protocols of 500 to 4,000 actions."""
    sizes = BATCH_SIZES[:2] if benchmark.disabled else BATCH_SIZES
    count = 130 if benchmark.disabled else 200  # the kernel takes 128 profiles or more
    times: dict[str, dict[int, float]] = {"assess_many": {}, "assess one by one": {},
                                          "levels loop": {}}
    for n in sizes:
        protocol = synthetic_protocol(n)
        profiles = [synthetic_profile(protocol, seed) for seed in range(count)]
        dp.assess(protocol, profiles[0])  # compiles the protocol once
        floor = levels_floor(profiles, protocol)
        rounds = 1 if benchmark.disabled else 3
        for name, run in (("assess_many", lambda: dp.assess_many(protocol, profiles)),  # noqa: B023
                          ("assess one by one",
                           lambda: [dp.assess(protocol, p) for p in profiles]),  # noqa: B023
                          ("levels loop", floor)):
            times[name][n] = min(cpu_time(run) for _ in range(rounds))
    benchmark.pedantic(lambda: None, rounds=1)
    _report(benchmark, "assess_many", sizes, times)


def test_loading_grows_linearly_with_protocol_size(benchmark: Any) -> None:
    sizes = SIZES[:2] if benchmark.disabled else SIZES
    times: dict[str, dict[int, float]] = {"loads_protocol": {}, "C-YAML parse": {},
                                          "C-YAML parse, gc paused": {}}
    for n in sizes:
        text = synthetic_text(n)
        rounds = 1 if benchmark.disabled else (3 if n <= 8_000 else 1)
        times["loads_protocol"][n] = min(
            cpu_time(lambda: dp.loads_protocol(text, max_bytes=NO_LIMIT))  # noqa: B023
            for _ in range(rounds))
        times["C-YAML parse"][n] = min(cpu_time(lambda: yaml.load(text, Loader=Loader))  # noqa: B023
                                       for _ in range(rounds))
        times["C-YAML parse, gc paused"][n] = min(cpu_time(lambda: _parse_paused(text))  # noqa: B023
                                                  for _ in range(rounds))
    benchmark.pedantic(lambda: None, rounds=1)
    _report(benchmark, "loads_protocol", sizes, times)


def test_a_loaded_protocol_weighs_at_most_ten_times_its_yaml(benchmark: Any) -> None:
    n = SIZES[0] if benchmark.disabled else SIZES[-1]
    text = synthetic_text(n)
    size = len(text.encode("utf-8"))
    measured = {}
    for name, load in (("loads_protocol", lambda: dp.loads_protocol(text, max_bytes=NO_LIMIT)),
                       ("C-YAML parse", lambda: yaml.load(text, Loader=Loader))):
        gc.collect()
        tracemalloc.start()
        kept = load()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        measured[name] = (peak, current)
        del kept
    benchmark.pedantic(lambda: None, rounds=1)
    for name, (peak, current) in measured.items():
        print(f"\n{n} actions, YAML {size / 1e6:.1f} MB: {name} peaks at {peak / size:.1f}x the "
              f"YAML and keeps {current / size:.1f}x")
        benchmark.extra_info[f"{name}_peak_ratio"] = round(peak / size, 2)
    assert measured["loads_protocol"][0] > 0
