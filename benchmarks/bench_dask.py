"""Dask that scales: ``assess_bag`` on a two-process ``dask.distributed`` cluster against the
serial run of the same profiles in this process.

The cluster is started (and the protocol compiled here) before anything is timed, as DECISIONS
says; each figure is the time of ``collect`` (``compute()``, each partition brought back in
one piece) on a bag made fresh for the round. Two bags: the
profile files themselves (the workers read them) and the same profiles in memory (each
partition crosses to a worker as one payload of packed profiles). Profiles in memory are timed
twice a round: freshly validated (outside the clock), so that naming the bag packs every
profile on the clock ("first"), and the same objects again, their packed forms kept ("again").
Beside each figure: the CPU seconds of this process (client and scheduler) and of the two
workers, and the load average. The aim (issue 28): beat the serial run on 10,000 profiles with
two local processes. Under ``--benchmark-disable`` (CI) 40 profiles run once, to keep the code
working.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol.portfolio import Summary, assess_bag, collect, ranked

from .bench_files import PROTOCOL, write_profiles
from .conftest import ratio_to_floor


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each, started before anything is timed."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as started, \
            distributed.Client(started) as client:
        yield client


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _timed(fn: Callable[[], object], client: Any) -> tuple[float, float, float, object]:
    """Wall seconds of ``fn``, CPU seconds of this process and of the workers, its result."""
    workers = client.run(time.process_time)
    cpu, start = _cpu(), time.perf_counter()
    result = fn()
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    after = client.run(time.process_time)
    return wall, cpu, sum(after[w] - workers[w] for w in workers), result


def test_assess_bag_on_two_processes_vs_serial(tmp_path: Path, cluster: Any,
                                               benchmark: Any) -> None:
    bag = pytest.importorskip("dask.bag")
    n = 40 if benchmark.disabled else 10_000
    paths = [str(p) for p in write_profiles(tmp_path, n)]
    serial = dp.assess_many(PROTOCOL, paths)

    def on_cluster() -> list[Any]:
        return collect(assess_bag(PROTOCOL, bag.from_sequence(paths, partition_size=500)))

    def in_this_process() -> object:
        return dp.assess_many(PROTOCOL, paths)

    rows = on_cluster()  # warms the workers: modules imported, protocol compiled
    benchmark.pedantic(on_cluster, rounds=1)
    result = ratio_to_floor(on_cluster, in_this_process, 1 if benchmark.disabled else 3)
    assert ranked([r for r in rows if isinstance(r, Summary)]) == serial.summaries
    print(f"\n{n} profile files on a two-process cluster: {result['target_min_s']:.1f} s, "
          f"{result['ratio_min']:.2f}x the serial run ({result['floor_min_s']:.1f} s; median "
          f"ratio {result['ratio_median']:.2f}x; load {os.getloadavg()[0]:.2f})")
    benchmark.extra_info.update({k: round(v, 4) for k, v in result.items()})


@pytest.mark.filterwarnings("ignore:Sending large graph")  # the profiles: about 6 KB each
def test_assess_bag_in_memory_on_two_processes_vs_serial(tmp_path: Path, cluster: Any,
                                                         benchmark: Any) -> None:
    bag = pytest.importorskip("dask.bag")
    n = 40 if benchmark.disabled else 10_000
    plain = [dp.load_profile(p, PROTOCOL).model_dump()
             for p in write_profiles(tmp_path, n)]

    def fresh() -> list[dp.Profile]:  # validated again: nothing packed yet
        return [dp.Profile.model_validate(d) for d in plain]

    def on_cluster(profiles: list[dp.Profile]) -> list[Any]:
        return collect(assess_bag(PROTOCOL, bag.from_sequence(profiles, partition_size=500)))

    profiles = fresh()
    serial = dp.assess_many(PROTOCOL, profiles)
    assert ranked(on_cluster(profiles)) == serial.summaries  # also warms the workers
    benchmark.pedantic(on_cluster, args=(fresh(),), rounds=1)
    figures: dict[str, list[tuple[float, float, float]]] = {"first": [], "again": [],
                                                            "serial": []}
    for _ in range(1 if benchmark.disabled else 3):
        profiles = fresh()
        first = _timed(lambda: on_cluster(profiles), cluster)  # noqa: B023
        again = _timed(lambda: on_cluster(profiles), cluster)  # noqa: B023
        alone = _timed(lambda: dp.assess_many(PROTOCOL, profiles), cluster)  # noqa: B023
        for name, (wall, cpu, workers, _) in (("first", first), ("again", again),
                                              ("serial", alone)):
            figures[name].append((wall, cpu, workers))
        assert ranked(first[3]) == ranked(again[3]) == serial.summaries  # type: ignore[arg-type]
    floor = min(w for w, _, _ in figures["serial"])
    print(f"\n{n} profiles in memory on a two-process cluster (load "
          f"{os.getloadavg()[0]:.2f}); serial {floor:.1f} s:")
    for name in ("first", "again"):
        wall, cpu, workers = min(figures[name])
        ratio = statistics.median(w for w, _, _ in figures[name]) / statistics.median(
            w for w, _, _ in figures["serial"])
        print(f"  {name}: {wall:.1f} s, {wall / floor:.2f}x the serial run (median ratio "
              f"{ratio:.2f}x); CPU: this process {cpu:.1f} s, the workers {workers:.1f} s")
        benchmark.extra_info[f"{name}_ratio_min"] = round(wall / floor, 4)
    benchmark.extra_info["floor_min_s"] = round(floor, 4)
