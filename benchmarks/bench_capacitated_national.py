"""Benchmark: capacitated covering with the border requirement on all 3,321 communes.

A script that prints figures, not a test. Loads the national inputs with
``planning.load_inputs(settings, province=None)`` (the roster and indicators the data
directory holds for the whole country), runs the analysis, builds the instance (one
candidate per commune, mobile teams of 15) and solves
:class:`coverage.optimize.covering.CapacitatedCovering` for ``--new-teams`` new teams (default 100)
with every border commune required to be reached, at most one new team per commune and a
``--time-limit`` (default 120 s). Prints the status, the objective (service value), the
proven bound and gap, the raw need served, and the time split: analysis, instance
building, solve (greedy warm start + HiGHS).

Usage: ``.venv/bin/python benchmarks/bench_capacitated_national.py [--new-teams 100]
[--time-limit 120]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from coverage import settings as cfg
from coverage.analysis.analyze import analyze_coverage
from coverage.optimize.formulation import formulate
from coverage.optimize.instance import build_instance
from coverage.optimize.plan_build import describe_status
from coverage.planning import load_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-teams", type=int, default=100)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--max-per-commune", type=int, default=1)
    args = parser.parse_args()

    settings = cfg.load_settings()
    started = time.perf_counter()
    inputs = load_inputs(settings, province=None)
    loaded = time.perf_counter()
    analysis = analyze_coverage(inputs, settings=settings)
    analysed = time.perf_counter()
    inst = build_instance(analysis)
    built = time.perf_counter()
    model = inst.model
    allowed = np.ones(model.n_options, dtype=bool)
    sol = model.solve(
        args.new_teams,
        allowed=allowed,
        max_per_group=args.max_per_commune,
        require=True,
        time_limit_s=args.time_limit,
    )
    solved = time.perf_counter()
    mip = formulate(
        model,
        args.new_teams,
        allowed=allowed,
        max_per_group=args.max_per_commune,
        relocate=0,
        require=True,
        keep_reached=True,
        min_coverage=0.0,
    )
    communes = analysis.communes
    print(
        f"communes {len(communes):,}  teams {len(analysis.teams):,}  demand points "
        f"{model.reach.shape[0]:,}  options {model.n_options:,}  pairs in reach {model.reach.nnz:,}"
    )
    print(
        f"border communes {int(communes['is_border'].sum()):,}  (reached by no existing team: "
        f"{int((communes['is_border'] & (communes['teams_in_reach'] == 0)).sum()):,})  "
        f"under-served {int(communes['is_underserved'].sum()):,}"
    )
    print(
        f"MIP: {mip.n_var:,} columns, {len(mip.layout.active):,} communes whose credit can change"
    )
    print(
        f"new teams {args.new_teams}, time limit {args.time_limit:g} s, at most "
        f"{args.max_per_commune} per commune, border required"
    )
    print(
        f"status      {sol.status}  "
        f"({describe_status(sol.status, gap=sol.gap, runtime_s=sol.runtime_s, lang='en')})"
    )
    print(f"objective   {sol.objective:,.1f}  (service value, all teams)")
    print(f"bound       {sol.bound:,.1f}")
    print(f"added       {sol.added:,.1f}  (value the new teams add; baseline {sol.baseline:,.1f})")
    print(f"gap         {sol.gap:.4%}  (on the value added)")
    print(
        f"need served {sol.added_served:,.0f} residents in addition  (existing teams "
        f"{sol.baseline_served:,.0f})"
    )
    print(f"sites       {int((sol.counts > 0).sum())} communes")
    print(
        f"time        load {loaded - started:.1f} s, analysis {analysed - loaded:.1f} s, "
        f"instance {built - analysed:.1f} s, solve {solved - built:.1f} s "
        f"(HiGHS-labelled runtime {sol.runtime_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
