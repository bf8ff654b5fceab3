"""Run the benchmarks and print the table: `python -m bench.run [--quick] [--db sqlite ...]`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time

from bench.figures import FIGURES, QUICK, Scale
from bench.harness import machine


def main(argv: list[str] | None = None) -> int:
    """Measure every figure on each database and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds: the smoke run")
    parser.add_argument(
        "--db",
        action="append",
        choices=["sqlite", "postgresql"],
        help="databases to run on (default: both)",
    )
    parser.add_argument("--only", action="append", type=int, help="figure numbers to run")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else Scale()
    kinds = args.db or ["sqlite", "postgresql"]
    print(f"machine: {machine()}")
    print(f"command: python -m bench.run {' '.join(argv if argv is not None else sys.argv[1:])}")
    rows = []
    gc.collect()
    gc.freeze()  # the load generator's own collector pauses would count as the server's latency
    started = time.perf_counter()
    for number, figure in enumerate(FIGURES, start=1):
        if args.only and number not in args.only:
            continue
        for kind in kinds:
            rows += asyncio.run(figure(kind, scale))
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"\n{'figure':{width}}  {'measured':{value_width}}  target")
    print("-" * (width + value_width + 12))
    for name, value, target in rows:
        print(f"{name:{width}}  {value:{value_width}}  {target}")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
