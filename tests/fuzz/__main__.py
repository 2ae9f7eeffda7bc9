"""``python -m tests.fuzz --inputs N --seed S``: a long fuzzing campaign, by hand."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from .harness import run, run_protocols, run_side_files, run_wide_tables


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz",
                                     description="Mutate known-good profiles and count crashes.")
    parser.add_argument("--inputs", type=int, default=10_000, help="how many inputs")
    parser.add_argument("--seed", type=int, default=1, help="the random seed")
    parser.add_argument("--protocols", type=int, default=0,
                        help="how many protocol inputs (default: a fifth of --inputs)")
    parser.add_argument("--side", type=int, default=0,
                        help="how many crosswalk, migration and migrate inputs (default: a "
                             "fifth of --inputs)")
    parser.add_argument("--wide", type=int, default=0,
                        help="how many wide-table inputs (default: a fifth of --inputs)")
    parser.add_argument("--show", type=int, default=3, help="crashes to print in full")
    args = parser.parse_args()
    start = time.perf_counter()
    profiles = run(args.inputs, args.seed)
    print(f"profiles: {profiles.summary()}\n({time.perf_counter() - start:.0f} s)")
    start = time.perf_counter()
    protocols = run_protocols(args.protocols or max(1, args.inputs // 5), args.seed)
    print(f"protocols: {protocols.summary()}\n({time.perf_counter() - start:.0f} s)")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as where:
        side = run_side_files(args.side or max(1, args.inputs // 5), args.seed, Path(where))
    print(f"crosswalks, migrations, migrate: {side.summary()}\n"
          f"({time.perf_counter() - start:.0f} s)")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as where:
        wide = run_wide_tables(args.wide or max(1, args.inputs // 5), args.seed, Path(where))
    print(f"wide tables: {wide.summary()}\n({time.perf_counter() - start:.0f} s)")
    crashes = profiles.crashes + protocols.crashes + side.crashes + wide.crashes
    for kind, text, trace in crashes[:args.show]:
        print(f"\n--- {kind}\n{text[:2000]!r}\n{trace}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
