"""Run the benchmarks and print the table: `python -m bench.run [--quick] [--repeat N]`.

Each figure runs `--repeat` times (3 by default, 1 with --quick); the table shows the median of
each number over the runs, and every run's headline number as the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time

from bench.figures import FIGURES, QUICK, Scale
from bench.harness import machine
from bench.repeats import Row, table


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
    parser.add_argument(
        "--repeat", type=int, help="runs of each figure (default 3; 1 with --quick)"
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    scale = QUICK if args.quick else Scale()
    kinds = args.db or ["sqlite", "postgresql"]
    print(f"machine: {machine()}")
    print(f"command: python -m bench.run {' '.join(argv if argv is not None else sys.argv[1:])}")
    runs: list[list[Row]] = []
    gc.collect()
    gc.freeze()  # the load generator's own collector pauses would count as the server's latency
    started = time.perf_counter()
    for run in range(repeat):  # whole passes, so a slow spell of the machine hits every figure
        rows: list[Row] = []
        for number, figure in enumerate(FIGURES, start=1):
            if args.only and number not in args.only:
                continue
            for kind in kinds:
                rows += asyncio.run(figure(kind, scale))
        runs.append(rows)
        if repeat > 1:
            print(f"run {run + 1} of {repeat} done ({time.perf_counter() - started:.0f} s)")
    combined = table(runs)
    header = ("figure", f"measured (median of {repeat})" if repeat > 1 else "measured")
    widths = [max(len(h), *(len(r[i]) for r in combined)) for i, h in enumerate(header)]
    spread_width = max(len("each run"), *(len(r[2]) for r in combined)) if repeat > 1 else 0
    print(
        f"\n{header[0]:{widths[0]}}  {header[1]:{widths[1]}}  "
        f"{'each run' if repeat > 1 else '':{spread_width}}  target"
    )
    print("-" * (sum(widths) + spread_width + 14))
    for name, value, spread, target in combined:
        print(f"{name:{widths[0]}}  {value:{widths[1]}}  {spread:{spread_width}}  {target}")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
