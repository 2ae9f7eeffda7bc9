"""Dask that scales: ``assess_bag`` on a two-process ``dask.distributed`` cluster against the
serial run of the same profiles in this process.

The cluster is started (and the protocol compiled here) before anything is timed, as DECISIONS
says; each figure is the time of ``compute()`` on a bag made fresh for the round. Two bags: the
profile files themselves (the workers read them) and the same profiles in memory (each crosses
to a worker pickled). The aim (issue 28): beat the serial run on 10,000 profiles with two local
processes. Under ``--benchmark-disable`` (CI) 40 profiles run once, to keep the code working.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import disaster_protocol as dp
from disaster_protocol.portfolio import Summary, assess_bag

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


@pytest.mark.parametrize("kind", ["files", "in memory"])
def test_assess_bag_on_two_processes_vs_serial(kind: str, tmp_path: Path, cluster: Any,
                                               benchmark: Any) -> None:
    bag = pytest.importorskip("dask.bag")
    n = 40 if benchmark.disabled else 10_000
    paths = [str(p) for p in write_profiles(tmp_path, n)]
    items: list[Any] = paths if kind == "files" else [dp.load_profile(p, PROTOCOL)
                                                     for p in paths]
    serial = dp.assess_many(PROTOCOL, items)

    def on_cluster() -> list[Any]:
        scored = assess_bag(PROTOCOL, bag.from_sequence(items, partition_size=500))
        return scored.compute()  # type: ignore[no-untyped-call, no-any-return]

    def in_this_process() -> object:
        return dp.assess_many(PROTOCOL, items)

    rows = on_cluster()  # warms the workers: modules imported, protocol compiled
    benchmark.pedantic(on_cluster, rounds=1)
    result = ratio_to_floor(on_cluster, in_this_process, 1 if benchmark.disabled else 3)
    summaries = [r for r in rows if isinstance(r, Summary)]
    assert len(summaries) == len(serial.summaries)
    print(f"\n{n} profiles ({kind}) on a two-process cluster: {result['target_min_s']:.1f} s, "
          f"{result['ratio_min']:.2f}x the serial run ({result['floor_min_s']:.1f} s; median "
          f"ratio {result['ratio_median']:.2f}x; load {os.getloadavg()[0]:.2f})")
    benchmark.extra_info.update({k: round(v, 4) for k, v in result.items()})
