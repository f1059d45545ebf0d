"""Maximal covering: this project's solver against spopt's MCLP (PuLP + HiGHS), side by side.

Prints figures; not a test. Identical uncapacitated instances: commune representative
points (EPSG:4326, projected to metres with :class:`coverage.geo.Projection`) are both the
demand points (weighted by population) and the candidate sites; a site reaches a point
within ``--radius-km`` (straight line).

* Gia Lai: 135 communes, K = 10.
* Whole country: 3,321 communes, K = 100.

Times are end to end: reach (or cost) matrix + model + solve, wall clock, median of
``--runs`` runs for this project (spopt runs once per instance unless ``--spopt-runs``).
spopt gets ``--spopt-cap`` seconds (default 900 = 15 minutes), passed to HiGHS as its time
limit; when it does not finish, its status and best objective are printed.

Needs the optional ``bench`` extra (spopt, pulp) and the real data (``make data``)::

    .venv/bin/python benchmarks/bench_mclp_vs_spopt.py --spopt-cap 120
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from coverage import settings as cfg
from coverage.datasets import load_communes
from coverage.geo import Projection
from coverage.mclp import MaximalCovering
from coverage.validation import representative_points


def points_m(province: str | None) -> tuple[np.ndarray, np.ndarray]:
    communes = load_communes(cfg.load_settings(), province=province)
    rep = representative_points(communes).loc[communes["code"].astype(str)]
    proj = Projection.for_longitudes(rep["lon"].to_numpy())
    xy = proj.to_metres(rep["lon"].to_numpy(), rep["lat"].to_numpy())
    return xy, communes["population"].to_numpy(dtype=float)


def ours(xy: np.ndarray, w: np.ndarray, k: int, radius_m: float, *, time_limit_s: float,
         gap: float) -> dict[str, Any]:
    started = time.perf_counter()
    pairs = cKDTree(xy).query_pairs(radius_m, output_type="ndarray")
    n = len(xy)
    rows = np.r_[pairs[:, 0], pairs[:, 1], np.arange(n)]
    cols = np.r_[pairs[:, 1], pairs[:, 0], np.arange(n)]
    reach = sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, n))
    sol = MaximalCovering(reach, w).solve(k, time_limit_s=time_limit_s, gap_tolerance=gap)
    return {"time_s": time.perf_counter() - started, "objective": sol.objective, "bound": sol.bound,
            "gap": sol.gap, "status": sol.status, "details": sol.details}


def spopt_run(xy: np.ndarray, w: np.ndarray, k: int, radius_m: float, *, cap_s: float) -> dict[str, Any]:
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    started = time.perf_counter()
    cost = cdist(xy, xy)
    model = MCLP.from_cost_matrix(cost, w, radius_m, p_facilities=k)
    solver = pulp.HiGHS(msg=False, timeLimit=cap_s)
    try:
        model.solve(solver, results=False)
        # PuLP reports status "Optimal" for HiGHS stopped at its time limit with a
        # solution; sol_status tells proven optimal (1) from integer feasible (2)
        proven = model.problem.sol_status == pulp.LpSolutionOptimal
        status = "Optimal" if proven else (
            f"not proven ({pulp.LpSolution.get(model.problem.sol_status, '?')}, "
            f"PuLP status {pulp.LpStatus[model.problem.status]})")
    except Exception as exc:  # spopt raises when the solver does not report optimal
        status = f"not finished ({type(exc).__name__}: {exc})"
    objective = pulp.value(model.problem.objective)
    return {"time_s": time.perf_counter() - started, "objective": float(objective or 0.0),
            "status": status}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spopt-runs", type=int, default=1)
    parser.add_argument("--spopt-cap", type=float, default=900.0, help="seconds (default 900)")
    parser.add_argument("--radius-km", type=float, default=20.0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="our time limit, seconds")
    parser.add_argument("--gap", type=float, default=1e-3,
                        help="relative gap at which we stop on the national instance (default 0.1%%)")
    parser.add_argument("--only", choices=("gialai", "national"), default=None)
    parser.add_argument("--skip-spopt", action="store_true")
    args = parser.parse_args()
    instances = [("Gia Lai", "Gia Lai", 10, 1e-6), ("Vietnam", None, 100, args.gap)]
    if args.only == "gialai":
        instances = instances[:1]
    elif args.only == "national":
        instances = instances[1:]
    radius_m = args.radius_km * 1000.0
    for label, province, k, gap in instances:
        xy, w = points_m(province)
        print(f"\n== {label}: {len(xy)} communes, K = {k}, radius {args.radius_km:g} km, "
              f"population {w.sum():,.0f}")
        runs = [ours(xy, w, k, radius_m, time_limit_s=args.time_limit, gap=gap) for _ in range(args.runs)]
        t_ours = statistics.median(r["time_s"] for r in runs)
        best = max(runs, key=lambda r: r["objective"])
        print(f"ours   : median {t_ours:.2f} s over {len(runs)} runs "
              f"({', '.join('%.2f' % r['time_s'] for r in runs)}); status {best['status']}; "
              f"objective {best['objective']:,.0f}; bound {best['bound']:,.0f}; gap {best['gap']:.4%}")
        print(f"         reductions: {best['details']}")
        if args.skip_spopt:
            continue
        sruns = [spopt_run(xy, w, k, radius_m, cap_s=args.spopt_cap) for _ in range(args.spopt_runs)]
        t_sp = statistics.median(r["time_s"] for r in sruns)
        s = sruns[0]
        print(f"spopt  : median {t_sp:.2f} s; status {s['status']}; objective {s['objective']:,.0f} "
              f"(cap {args.spopt_cap:g} s)")
        if s["status"] == "Optimal":
            agree = abs(s["objective"] - best["objective"]) <= 1e-6 * max(1.0, best["objective"])
            if best["status"] == "optimal":
                print(f"objectives agree: {agree}")
            else:
                print(f"ours within its stated gap of spopt's optimum: "
                      f"{best['objective'] >= s['objective'] * (1 - best['gap']) - 1e-6}")
        print(f"time ratio spopt / ours: {t_sp / t_ours:.1f}x"
              + ("" if s["status"] == "Optimal" else " (spopt stopped at its cap; a lower bound on the ratio)"))


if __name__ == "__main__":
    main()
