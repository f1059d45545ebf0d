"""Maximal covering: this project's solver against spopt's MCLP (PuLP + HiGHS), side by side.

Prints figures; not a test. Identical uncapacitated instances: commune representative
points (EPSG:4326, projected to metres with :class:`coverage.analysis.geo.Projection`) are both the
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
import json
import statistics
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from coverage import settings as cfg
from coverage.analysis.geo import Projection
from coverage.inputs.datasets import load_communes
from coverage.inputs.validation import representative_points
from mclp import MaximalCovering


def points_m(province: str | None) -> tuple[np.ndarray, np.ndarray]:
    communes = load_communes(cfg.load_settings(), province=province)
    rep = representative_points(communes).loc[communes["code"].astype(str)]
    proj = Projection.for_longitudes(rep["lon"].to_numpy())
    xy = proj.to_metres(rep["lon"].to_numpy(), rep["lat"].to_numpy())
    return xy, communes["population"].to_numpy(dtype=float)


def reach_matrix(xy: np.ndarray, radius_m: float) -> sp.csr_matrix:
    pairs = cKDTree(xy).query_pairs(radius_m, output_type="ndarray")
    n = len(xy)
    rows = np.r_[pairs[:, 0], pairs[:, 1], np.arange(n)]
    cols = np.r_[pairs[:, 1], pairs[:, 0], np.arange(n)]
    return sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, n))


def ours(
    xy: np.ndarray, w: np.ndarray, k: int, radius_m: float, *, time_limit_s: float, gap: float
) -> dict[str, Any]:
    started = time.perf_counter()
    reach = reach_matrix(xy, radius_m)
    before_solve = time.perf_counter() - started
    sol = MaximalCovering(reach, w).solve(k, time_limit_s=time_limit_s, gap_tolerance=gap)
    # incumbents as (end-to-end seconds, objective), from the solver's progress log
    progress = [(before_solve + t, v) for t, v, _ in sol.details.get("progress", [])]
    return {
        "time_s": time.perf_counter() - started,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "status": sol.status,
        "details": sol.details,
        "progress": progress,
    }


def spopt_run(
    xy: np.ndarray, w: np.ndarray, k: int, radius_m: float, *, cap_s: float
) -> dict[str, Any]:
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    incumbents: list[tuple[float, float]] = []

    class LoggedHiGHS(pulp.HiGHS):  # type: ignore[misc]
        """PuLP's HiGHS that logs each improving solution (wall clock, objective)."""

        def createAndConfigureSolver(self, lp: Any) -> None:  # noqa: N802 (PuLP's name)
            super().createAndConfigureSolver(lp)
            lp.solverModel.cbMipImprovingSolution.subscribe(
                lambda e: incumbents.append(
                    (time.perf_counter(), float(e.data_out.objective_function_value))
                )
            )

    started = time.perf_counter()
    cost = cdist(xy, xy)
    model = MCLP.from_cost_matrix(cost, w, radius_m, p_facilities=k)
    solver = LoggedHiGHS(msg=False, timeLimit=cap_s)
    error = ""
    try:
        model.solve(solver, results=False)
    except Exception as exc:  # noqa: BLE001 - spopt raises when PuLP does not report optimal
        error = f" (spopt raised {type(exc).__name__}: {exc})"
    elapsed = time.perf_counter() - started
    # PuLP labels a HiGHS run stopped at its time limit "Optimal" when it has a
    # solution; the HiGHS model itself tells the truth
    h = model.problem.solverModel
    real = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    # PuLP hands a maximisation to HiGHS negated: flip HiGHS's numbers back
    import highspy

    flip = (
        -1.0
        if (
            model.problem.sense == pulp.LpMaximize
            and h.getLp().sense_ == highspy.ObjSense.kMinimize
        )
        else 1.0
    )
    bound = flip * float(info.mip_dual_bound)
    objective = float(pulp.value(model.problem.objective) or 0.0)
    return {
        "time_s": elapsed,
        "objective": objective,
        "bound": bound,
        "status": f"HiGHS '{real}' (PuLP says '{pulp.LpStatus[model.problem.status]}'){error}",
        "proven": real == "Optimal",
        "progress": [(t - started, flip * v) for t, v in incumbents],
    }


def first_reach(progress: list[tuple[float, float]], target: float) -> float | None:
    """End-to-end seconds at which an incumbent first reached ``target`` (None if never)."""
    hits = [t for t, v in progress if v >= target - 1e-6 * max(1.0, abs(target))]
    return min(hits) if hits else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spopt-runs", type=int, default=1)
    parser.add_argument("--spopt-cap", type=float, default=900.0, help="seconds (default 900)")
    parser.add_argument("--radius-km", type=float, default=20.0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="our time limit, seconds")
    parser.add_argument(
        "--gap",
        type=float,
        default=1e-3,
        help="relative gap at which we stop on the national instance (default 0.1%%)",
    )
    parser.add_argument("--only", choices=("gialai", "national"), default=None)
    parser.add_argument("--skip-spopt", action="store_true")
    parser.add_argument(
        "--save", default=None, help="write both solvers' progress logs to this JSON file"
    )
    args = parser.parse_args()
    instances = [("Gia Lai", "Gia Lai", 10, 1e-6), ("Vietnam", None, 100, args.gap)]
    if args.only == "gialai":
        instances = instances[:1]
    elif args.only == "national":
        instances = instances[1:]
    radius_m = args.radius_km * 1000.0
    for label, province, k, gap in instances:
        xy, w = points_m(province)
        print(
            f"\n== {label}: {len(xy)} communes, K = {k}, radius {args.radius_km:g} km, "
            f"population {w.sum():,.0f}"
        )
        runs = [
            ours(xy, w, k, radius_m, time_limit_s=args.time_limit, gap=gap)
            for _ in range(args.runs)
        ]
        t_ours = statistics.median(r["time_s"] for r in runs)
        objectives = ", ".join(f"{r['objective']:,.0f}" for r in runs)
        times = ", ".join(f"{r['time_s']:.2f}" for r in runs)
        print(
            f"ours   : median {t_ours:.2f} s over {len(runs)} runs ({times}); statuses "
            f"{sorted({r['status'] for r in runs})}; median objective "
            f"{statistics.median(r['objective'] for r in runs):,.0f} (runs {objectives}); median "
            f"bound {statistics.median(r['bound'] for r in runs):,.0f}; median gap "
            f"{statistics.median(r['gap'] for r in runs):.4%}"
        )
        shown = {key: v for key, v in runs[0]["details"].items() if key != "progress"}
        print(f"         details (run 1): {shown}")
        if args.skip_spopt:
            continue
        sruns = [
            spopt_run(xy, w, k, radius_m, cap_s=args.spopt_cap) for _ in range(args.spopt_runs)
        ]
        t_sp = statistics.median(r["time_s"] for r in sruns)
        s = sruns[0]
        print(
            f"spopt  : median {t_sp:.2f} s end to end (cap {args.spopt_cap:g} s on the solve); "
            f"status {s['status']}; objective {s['objective']:,.0f}; HiGHS bound {s['bound']:,.0f}"
        )
        target = s["objective"]
        reach_times = [first_reach(r["progress"], target) for r in runs]
        if s["proven"]:
            agree = all(
                abs(r["objective"] - target) <= 1e-6 * max(1.0, target)
                for r in runs
                if r["status"] == "optimal"
            )
            print(f"objectives agree where both are proven optimal: {agree}")
        print(
            f"ours ≥ spopt's final objective in every run: "
            f"{all(r['objective'] >= target - 1e-6 * max(1.0, target) for r in runs)}"
        )
        print(
            f"end-to-end time ratio spopt / ours: {t_sp / t_ours:.1f}x"
            + ("" if s["proven"] else " (spopt not proven: it stopped at its cap)")
        )
        sp_first = first_reach(s["progress"], target)
        if all(t is not None for t in reach_times):
            t_reach = statistics.median(t for t in reach_times if t is not None)
            print(
                f"time to reach spopt's objective {target:,.0f}: ours median {t_reach:.2f} s "
                f"({', '.join(f'{t:.2f}' for t in reach_times if t is not None)}); spopt first "
                f"found it at {sp_first if sp_first is None else round(sp_first, 2)} s, finished "
                f"at {t_sp:.2f} s; ratio spopt-finish / ours {t_sp / t_reach:.1f}x"
                + (
                    ""
                    if sp_first is None
                    else f", spopt-first-found / ours {sp_first / t_reach:.1f}x"
                )
            )
        else:
            print(f"ours did not reach spopt's objective in every run: {reach_times}")
        # the other direction: how long spopt needed for the objective we end with
        ours_final = statistics.median(r["objective"] for r in runs)
        ours_at = statistics.median(
            first_reach(r["progress"], r["objective"]) or r["time_s"] for r in runs
        )
        sp_reach = first_reach(s["progress"], ours_final)
        print(
            f"time to reach our median objective {ours_final:,.0f}: ours median {ours_at:.2f} s; "
            "spopt "
            + (
                f"first found it at {sp_reach:.2f} s: ratio {sp_reach / ours_at:.1f}x"
                if sp_reach is not None
                else f"never did in {t_sp:.2f} s: ratio > {t_sp / ours_at:.1f}x"
            )
        )
        if args.save:
            with open(args.save, "w", encoding="utf-8") as out:
                json.dump(
                    {
                        "instance": label,
                        "ours": [{k: v for k, v in r.items() if k != "details"} for r in runs],
                        "spopt": sruns,
                    },
                    out,
                    indent=1,
                    default=str,
                )
            print(f"progress logs written to {args.save}")


if __name__ == "__main__":
    main()
