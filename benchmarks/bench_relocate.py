"""Benchmark: re-site mode (move up to R existing teams) on a province, before and after.

A script that prints figures, not a test. Loads the province's inputs (default Gia Lai:
135 communes, the sample roster), runs the analysis, builds the instance as
``python -m coverage plan --relocate R`` does (one candidate per commune, mobile teams of
15, moved teams grouped into classes) and solves
:class:`coverage.optimize.CapacitatedCovering` for every K in ``--new-teams`` and R in
``--relocate``, at most one team per commune, with a ``--time-limit`` (default 60 s, the
command line's). For each case it prints the status, the value added, the proven bound
on it, the gap (on the value added), the teams moved and the solve time: the median of
``--runs`` runs (the machine is shared and noisy; a median and a ratio mean more than
one time).

``--before`` also solves each case once with the formulation this work replaced, read
from git (``--before-commit``, default the commit it started from): the old
``coverage/optimize.py`` is loaded as a separate module and given the same model data.
It runs to its time limit on most cases, so it adds about a minute per case.

Usage: ``.venv/bin/python benchmarks/bench_relocate.py [--new-teams 0,5,10]
[--relocate 1,2,3] [--runs 3] [--before] [--time-limit 60]``
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from coverage import settings as cfg
from coverage.analysis import analyze_coverage
from coverage.deploy import build_instance
from coverage.optimize import CapacitatedCovering, DeploymentSolution
from coverage.planning import load_inputs

BEFORE_COMMIT = "41f2849"
"""Last commit with the former re-site formulation (credit split per point and team)."""

ROOT = Path(__file__).resolve().parents[1]


def load_before(commit: str) -> ModuleType | None:
    """The ``coverage/optimize.py`` of ``commit`` as a module of its own (None if git fails)."""
    try:
        source = subprocess.run(["git", "show", f"{commit}:coverage/optimize.py"], cwd=ROOT,
                                check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no 'before' figures: cannot read {commit}:coverage/optimize.py: {exc})")
        return None
    path = Path(tempfile.mkdtemp()) / "optimize_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("optimize_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["optimize_before"] = module
    spec.loader.exec_module(module)
    return module


def as_before(model: CapacitatedCovering, module: ModuleType) -> Any:
    """The same model data in the former class (same attribute names)."""
    old = module.CapacitatedCovering.__new__(module.CapacitatedCovering)
    old.__dict__.update(model.__dict__)
    old.highs_options = dict(module.HIGHS_OPTIONS)
    return old


def line(sol: DeploymentSolution, seconds: float) -> str:
    moved = np.flatnonzero(~sol.kept).tolist()
    bound = sol.bound - sol.baseline
    return (f"{sol.status:<10} added {sol.added:>9,.1f}  bound {bound:>9,.1f}  gap {sol.gap:>7.3%}"
            f"  {seconds:>5.1f} s  moved {moved}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default=cfg.DEFAULT_PROVINCE)
    parser.add_argument("--new-teams", default="0,5,10", help="values of K, comma-separated")
    parser.add_argument("--relocate", default="1,2,3", help="values of R, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--before", action="store_true", help="also time the former formulation")
    parser.add_argument("--before-commit", default=BEFORE_COMMIT)
    args = parser.parse_args()
    ks = [int(v) for v in args.new_teams.split(",")]
    rs = [int(v) for v in args.relocate.split(",")]

    settings = cfg.load_settings()
    analysis = analyze_coverage(load_inputs(settings, province=args.province), settings=settings)
    inst = build_instance(analysis, relocate=max(rs))
    model = inst.model
    before = load_before(args.before_commit) if args.before else None
    print(f"{args.province}: {len(analysis.communes)} communes, {model.n_existing} existing teams "
          f"({int((model.existing_class > 0).sum())} movable, "
          f"{len(np.unique(model.existing_class[model.existing_class > 0]))} classes), "
          f"{model.reach.shape[0]:,} demand points, {model.n_options} options; at most one team "
          f"per commune, time limit {args.time_limit:g} s, median of {args.runs} runs")
    after_times: list[float] = []
    before_times: list[float] = []
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
            if before is not None:
                old = as_before(model, before)
                started = time.perf_counter()
                old_sol = old.solve(k, max_per_group=1, relocate=r, time_limit_s=args.time_limit)
                seconds = time.perf_counter() - started
                before_times.append(seconds)
                print(f"        before  {line(old_sol, seconds)}  ({seconds / after:.0f}x the time)",
                      flush=True)
    print(f"after: median {statistics.median(after_times):.1f} s, slowest {max(after_times):.1f} s")
    if before_times:
        print(f"before: median {statistics.median(before_times):.1f} s, slowest {max(before_times):.1f} s")


if __name__ == "__main__":
    main()
