"""Benchmark: re-site mode (move up to R existing teams) on a province.

A script that prints figures, not a test. Loads the province's inputs (default Gia Lai:
135 communes, the sample roster), runs the analysis, builds the instance as
``python -m coverage plan --relocate R`` does (one candidate per commune, mobile new teams
of 15; a moved team keeps its own capacity and mode, credited by the analysis's rule) and
solves :class:`coverage.optimize.covering.CapacitatedCovering` for every K in ``--new-teams`` and R
in ``--relocate``, at most one team per commune, no move leaving a commune unreached,
with a ``--time-limit`` (default 60 s, the command line's). For each case it prints the
status, the value added, the proven bound on it, the gap (on the value added), the teams
moved and the solve time: the median of ``--runs`` runs (the machine is shared and noisy;
a median and a ratio mean more than one time).

To compare with an earlier formulation, run this script from a checkout of that commit
(the figures before the one coverage model, commit f87758f, were printed that way).

Usage: ``.venv/bin/python benchmarks/bench_relocate.py [--new-teams 0,5,10]
[--relocate 1,2,3] [--runs 3] [--time-limit 60]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from coverage import settings as cfg
from coverage.analysis.analyze import analyze_coverage
from coverage.optimize.instance import build_instance
from coverage.optimize.results import DeploymentSolution
from coverage.planning import load_inputs


def line(sol: DeploymentSolution, seconds: float) -> str:
    moved = np.flatnonzero(~sol.kept).tolist()
    bound = sol.bound - sol.baseline
    return (
        f"{sol.status:<10} added {sol.added:>9,.1f}  bound {bound:>9,.1f}  gap {sol.gap:>7.3%}"
        f"  {seconds:>5.1f} s  moved {moved}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default=cfg.DEFAULT_PROVINCE)
    parser.add_argument("--new-teams", default="0,5,10", help="values of K, comma-separated")
    parser.add_argument("--relocate", default="1,2,3", help="values of R, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    ks = [int(v) for v in args.new_teams.split(",")]
    rs = [int(v) for v in args.relocate.split(",")]

    settings = cfg.load_settings()
    analysis = analyze_coverage(load_inputs(settings, province=args.province), settings=settings)
    inst = build_instance(analysis, relocate=max(rs))
    model = inst.model
    print(
        f"{args.province}: {len(analysis.communes)} communes, {model.n_existing} existing teams "
        f"({int((model.existing_mode >= 0).sum())} movable), "
        f"{model.reach.shape[0]:,} demand points, {model.n_options} options; at most one team "
        f"per commune, time limit {args.time_limit:g} s, median of {args.runs} runs"
    )
    after_times: list[float] = []
    for k in ks:
        for r in rs:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                sol = model.solve(k, max_per_group=1, relocate=r, time_limit_s=args.time_limit)
                times.append(time.perf_counter() - started)
            after = statistics.median(times)
            after_times.append(after)
            print(f"K={k:>2} R={r}  after   {line(sol, after)}", flush=True)
    print(f"after: median {statistics.median(after_times):.1f} s, slowest {max(after_times):.1f} s")


if __name__ == "__main__":
    main()
