"""Maximal covering at every time budget: this project's solver against spopt (PuLP + HiGHS).

Prints figures; not a test. National instances this project has not tuned on: the 3,321
communes of the data folder are both the demand points (weighted by population, the same
demand as ``bench_mclp_vs_spopt.py``) and the candidate sites; a site reaches a point
within ``r`` km in a straight line. For each instance (K sites, radius r) each solver runs
ONCE for the largest budget, and its progress log gives, at every budget (10 s, 60 s and
300 s of wall clock by default, counted end to end from the start of the run, model
building included), the best objective found by then and the proven bound by then:

* ours: :class:`benchmarks.mclp.MaximalCovering` (reach matrix + solve), from its progress
  logs (``details["progress"]`` for plans, ``details["bound_progress"]`` for bounds: the LP
  bound and HiGHS's dual bound, read through highspy callbacks);
* spopt: ``spopt.locate.MCLP.from_cost_matrix`` solved by PuLP's HiGHS, with HiGHS writing
  its log to a file; the incumbent (BestSol) and bound (BestBound) columns of the MIP log
  lines and their times are parsed. PuLP gives HiGHS the maximisation negated, so both
  columns are flipped back. Times are the HiGHS clock plus the wall time spent before
  HiGHS started (distance matrix + model). HiGHS's time limit is what is left of the
  largest budget; a second, stricter table gives spopt its model building for free (its
  clock starts with HiGHS; ours still counts everything), up to the time its HiGHS ran
  (``--spopt-full-horizon`` gives HiGHS the whole largest budget after building).

Both solvers get the same relative gap tolerance (``--gap``, default 1e-6, the gap below
which this project says "proven optimal"). The two solvers of an instance run one after
the other, each with the machine to itself, as a user would run either: ours uses a second
core once its window search is over (a second HiGHS on the unreduced model), spopt's HiGHS
one. ``--concurrent`` runs them at the same time in two processes, which takes about half
as long but lets each steal the other's core.

"Ahead" at a budget: ours is ahead when its best plan is at least spopt's best by then AND
its proven bound is at least as tight (a solver without a plan or a bound yet loses that
part). The last line says whether that held at every budget of every instance.

The province case (``--provinces``) compares end-to-end times to a proven optimum on
provinces of about 100 communes (median of ``--province-runs`` runs).

Needs the optional ``bench`` extra (spopt, pulp) and the real data (``make data``)::

    .venv/bin/python benchmarks/bench_mclp_budgets.py                 # full grid, ~100 min
    .venv/bin/python benchmarks/bench_mclp_budgets.py --quick         # smoke run, ~1 min
    .venv/bin/python benchmarks/bench_mclp_budgets.py --instances 50x30,300x10 --budgets 10,60,300
    .venv/bin/python benchmarks/bench_mclp_budgets.py --instances 300x10 --repeats 3   # medians
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from bench_mclp_vs_spopt import points_m, reach_matrix  # noqa: E402
from mclp import MaximalCovering  # noqa: E402

FULL_GRID = [(k, r) for k in (50, 100, 300) for r in (10, 20, 30)]
QUICK_GRID = [(50, 20), (300, 10)]
PROVINCES = [("Đắk Lắk", 15), ("Gia Lai", 10)]
TOLERANCE = 1e-9  # relative: equal objectives count as "at least as good"

Trace = list[tuple[float, float]]  # (seconds since the run started, value)


# ----------------------------------------------------------------------------- runs


def run_ours(
    province: str | None, k: int, radius_km: float, *, time_limit_s: float, gap: float
) -> dict[str, Any]:
    """Solve with this project's MCLP; traces in end-to-end seconds."""
    xy, w = points_m(province)
    started = time.perf_counter()
    reach = reach_matrix(xy, radius_km * 1000.0)
    before = time.perf_counter() - started
    sol = MaximalCovering(reach, w).solve(
        k, time_limit_s=max(time_limit_s - before, 0.01), gap_tolerance=gap
    )
    elapsed = time.perf_counter() - started
    plans = [(before + t, v) for t, v, _ in sol.details.get("progress", [])]
    bounds = [(before + t, v) for t, v, _ in sol.details.get("bound_progress", [])]
    # the answer itself (checked by its own value) at the end of the run
    plans.append((elapsed, sol.objective))
    bounds.append((elapsed, sol.bound))
    phases = {
        key: sol.details[key]
        for key in ("window_search_s", "mip_start_s", "windows_solved")
        if key in sol.details
    }
    return {
        "time_s": elapsed,
        "objective": sol.objective,
        "bound": sol.bound,
        "status": sol.status,
        "plans": plans,
        "bounds": bounds,
        "phases": phases,
    }


_LOG_LINE = re.compile(
    r"^\s*(?P<src>[A-Za-z]?)\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+(?P<bound>\S+)\s+(?P<sol>\S+)\s+"
    r"(?P<gap>\S+)\s+.*?(?P<time>[\d.]+)s\s*$"
)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_highs_log(text: str, *, flip: float) -> tuple[Trace, Trace]:
    """Incumbents and dual bounds of a HiGHS MIP log as (HiGHS seconds, value) traces."""
    plans: Trace = []
    bounds: Trace = []
    for line in text.splitlines():
        match = _LOG_LINE.match(line)
        if match is None:
            continue
        at = float(match["time"])
        bound, best = _number(match["bound"]), _number(match["sol"])
        if best is not None:
            plans.append((at, flip * best))
        if bound is not None:
            bounds.append((at, flip * bound))
    return plans, bounds


def run_spopt(
    province: str | None,
    k: int,
    radius_km: float,
    *,
    time_limit_s: float,
    gap: float,
    full_horizon: bool = False,
) -> dict[str, Any]:
    """Solve with spopt's MCLP (PuLP + HiGHS); traces parsed from the HiGHS log file."""
    import highspy
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    xy, w = points_m(province)
    marks: dict[str, float] = {}

    class TimedHiGHS(pulp.HiGHS):  # type: ignore[misc]
        """PuLP's HiGHS noting the wall clock when HiGHS itself starts."""

        def callSolver(self, lp: Any) -> None:  # noqa: N802 - PuLP's name
            marks["highs_start"] = time.perf_counter()
            super().callSolver(lp)

    with tempfile.TemporaryDirectory() as tmp:
        log_path = os.path.join(tmp, "highs.log")
        started = time.perf_counter()
        cost = cdist(xy, xy)
        model = MCLP.from_cost_matrix(cost, w, radius_km * 1000.0, p_facilities=k)
        # wall clock: HiGHS gets what is left of the horizon; with full_horizon it gets the
        # whole horizon after the model is built (the stricter view, on its solve clock)
        budget = (
            time_limit_s
            if full_horizon
            else max(time_limit_s - (time.perf_counter() - started), 0.01)
        )
        solver = TimedHiGHS(
            msg=True, timeLimit=budget, gapRel=gap, log_file=log_path, log_to_console=False
        )
        error = ""
        try:
            model.solve(solver, results=False)
        except Exception as exc:  # noqa: BLE001 - spopt raises when PuLP does not say optimal
            error = f"spopt raised {type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        log = Path(log_path).read_text(encoding="utf-8", errors="replace")
    h = model.problem.solverModel
    flip = -1.0 if h.getLp().sense_ == highspy.ObjSense.kMinimize else 1.0
    offset = marks.get("highs_start", started) - started
    plans, bounds = parse_highs_log(log, flip=flip)
    info = h.getInfo()
    objective = float(pulp.value(model.problem.objective) or 0.0)
    final_bound = flip * float(info.mip_dual_bound)
    plans = [(offset + t, v) for t, v in plans] + [(elapsed, objective)]
    bounds = [(offset + t, v) for t, v in bounds]
    if math.isfinite(final_bound):
        bounds.append((elapsed, final_bound))
    status = h.modelStatusToString(h.getModelStatus())
    return {
        "time_s": elapsed,
        "objective": objective,
        "bound": final_bound,
        "status": status,
        "plans": plans,
        "bounds": bounds,
        "log_lines": len(plans) - 1,
        "error": error,
        "highs_start_s": offset,
        "proven": status == "Optimal",
    }


# ----------------------------------------------------------------------- reading traces


def best_by(trace: Trace, at: float) -> float | None:
    """Best (largest) plan value found by ``at`` seconds."""
    values = [v for t, v in trace if t <= at]
    return max(values) if values else None


def bound_by(trace: Trace, at: float) -> float | None:
    """Tightest (smallest) proven upper bound by ``at`` seconds."""
    values = [v for t, v in trace if t <= at]
    return min(values) if values else None


def at_least(a: float | None, b: float | None) -> bool:
    """Return ``a`` >= ``b`` within tolerance, a missing value losing to any present one."""
    if b is None:
        return True
    if a is None:
        return False
    return a >= b - TOLERANCE * max(1.0, abs(b))


def compare(ours: dict[str, Any], spopt: dict[str, Any], budget: float) -> dict[str, Any]:
    return verdict(
        best_by(ours["plans"], budget),
        bound_by(ours["bounds"], budget),
        best_by(spopt["plans"], budget),
        bound_by(spopt["bounds"], budget),
    )


def median_or_none(values: list[float | None]) -> float | None:
    """Median of the runs that have a value; None when fewer than half of them have one."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if 2 * len(present) >= len(values) else None


def median_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the verdict on the medians over repeated runs of one instance and budget."""
    keys = ("ours_best", "ours_bound", "spopt_best", "spopt_bound")
    values = [median_or_none([row[key] for row in rows]) for key in keys]
    out = verdict(*values)
    if any(row["met"] is None for row in rows):
        out = {**out, "met": None, "ahead": rows[0]["ahead"]}
    return out


def verdict(
    o_best: float | None, o_bound: float | None, s_best: float | None, s_bound: float | None
) -> dict[str, Any]:
    """Who is ahead: ours when its plan is at least spopt's AND its bound at least as tight."""
    plan_ok = at_least(o_best, s_best)
    # a smaller upper bound is tighter; compare negated values
    bound_ok = at_least(
        None if o_bound is None else -o_bound, None if s_bound is None else -s_bound
    )
    if plan_ok and bound_ok:
        ahead = "ours"
    elif not plan_ok and not bound_ok:
        ahead = "spopt"
    else:
        ahead = "ours (plan)" if plan_ok else "ours (bound)"
        ahead = f"split: {ahead} only"
    return {
        "ours_best": o_best,
        "ours_bound": o_bound,
        "spopt_best": s_best,
        "spopt_bound": s_bound,
        "met": plan_ok and bound_ok,
        "ahead": ahead,
    }


def on_solve_clock(run: dict[str, Any]) -> dict[str, Any]:
    """Spopt's traces with the clock started when HiGHS started (model building free)."""
    offset = run["highs_start_s"]
    return {
        **run,
        "plans": [(t - offset, v) for t, v in run["plans"]],
        "bounds": [(t - offset, v) for t, v in run["bounds"]],
    }


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def times(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['time_s']:.3f}" for r in runs)


def gap_text(best: float | None, bound: float | None) -> str:
    if best is None or bound is None or bound <= 0:
        return "—"
    return f"{(bound - best) / bound:.3%}"


# ------------------------------------------------------------------------------- main


def table_line(label: str, budget: float, row: dict[str, Any]) -> str:
    """One line of a plan-and-bound table (see the header printed in ``main``)."""
    return (
        f"{label:<16} {budget:>6g}s {fmt(row['ours_best']):>13} {fmt(row['ours_bound']):>13} "
        f"{fmt(row['spopt_best']):>13} {fmt(row['spopt_bound']):>13} "
        f"{gap_text(row['ours_best'], row['ours_bound']):>9} "
        f"{gap_text(row['spopt_best'], row['spopt_bound']):>9}  {row['ahead']}"
    )


def print_medians(
    title: str, rows: list[tuple[str, float, dict[str, Any]]], repeats: int, header: str
) -> bool:
    """Print the verdict on medians per instance and budget; return whether all are met."""
    groups: dict[tuple[str, float], list[dict[str, Any]]] = {}
    for label, budget, row in rows:
        groups.setdefault((label.rsplit(" #", 1)[0], budget), []).append(row)
    print(f"\n## {title} ({repeats} runs each; a value counts as missing when most runs lack it)")
    print(header)
    print("-" * len(header))
    verdicts = []
    for (label, budget), group in groups.items():
        row = median_row(group)
        verdicts.append(row["met"])
        print(table_line(label, budget, row))
    counted = [met for met in verdicts if met is not None]
    print(
        f"on the medians: met at every budget: {'yes' if all(counted) else 'no'} "
        f"({sum(counted)} of {len(counted)} instance-budgets)"
    )
    return all(counted)


def parse_instances(text: str) -> list[tuple[int, float]]:
    out = []
    for token in text.split(","):
        k, _, r = token.strip().lower().partition("x")
        out.append((int(k), float(r)))
    return out


def parse_provinces(text: str) -> list[tuple[str, int]]:
    out = []
    for token in text.split(","):
        name, _, k = token.strip().rpartition(":")
        out.append((name.strip(), int(k)))
    return out


def run_pair(
    pool: ProcessPoolExecutor,
    province: str | None,
    k: int,
    radius_km: float,
    time_limit_s: float,
    gap: float,
    *,
    full_horizon: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    f_ours = pool.submit(run_ours, province, k, radius_km, time_limit_s=time_limit_s, gap=gap)
    if pool._max_workers == 1:  # type: ignore[attr-defined]
        f_ours.result()
    f_spopt = pool.submit(
        run_spopt,
        province,
        k,
        radius_km,
        time_limit_s=time_limit_s,
        gap=gap,
        full_horizon=full_horizon,
    )
    return f_ours.result(), f_spopt.result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--budgets",
        default=None,
        help="wall-clock budgets in seconds, comma separated (default 10,60,300); "
        "each solver runs once for the largest",
    )
    parser.add_argument(
        "--instances",
        default=None,
        help="national instances as KxR (sites x radius km), comma separated "
        "(default the 3 x 3 grid K 50,100,300 x r 10,20,30 km)",
    )
    parser.add_argument(
        "--provinces",
        default=None,
        help="province cases as Name:K, comma separated (default 'Đắk Lắk:15,Gia Lai:10'); "
        "'' to skip",
    )
    parser.add_argument("--province-radius-km", type=float, default=20.0)
    parser.add_argument("--province-runs", type=int, default=3)
    parser.add_argument(
        "--gap", type=float, default=1e-6, help="relative gap tolerance for both solvers"
    )
    parser.add_argument(
        "--spopt-full-horizon",
        action="store_true",
        help="give spopt's HiGHS the whole largest budget after its model is built (runs last "
        "longer; fills the stricter table, in which spopt's clock starts with HiGHS)",
    )
    parser.add_argument(
        "--concurrent",
        action="store_true",
        help="run the two solvers at the same time (faster, but each slows the other)",
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="run the two solvers one after the other (the default; kept for old commands)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="run each instance this many times (each solver once per run) and judge on "
        "the medians: HiGHS's plans move by up to 0.2%% from one run to the next",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: instances 50x20 and 300x10, budgets 5,15, one province run",
    )
    args = parser.parse_args()
    budgets = [
        float(b) for b in (args.budgets or ("5,15" if args.quick else "10,60,300")).split(",")
    ]
    budgets.sort()
    instances = (
        parse_instances(args.instances)
        if args.instances
        else (QUICK_GRID if args.quick else FULL_GRID)
    )
    provinces = (
        PROVINCES
        if args.provinces is None
        else (parse_provinces(args.provinces) if args.provinces else [])
    )
    province_runs = 1 if args.quick else args.province_runs
    workers = 2 if args.concurrent and not args.sequential else 1
    context = multiprocessing.get_context("fork")
    horizon = max(budgets)
    print(
        f"# bench_mclp_budgets: budgets {', '.join(f'{b:g} s' for b in budgets)}; gap tolerance "
        f"{args.gap:g}; "
        f"solvers run "
        f"{'one after the other' if workers == 1 else 'at the same time (2 processes)'}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    rows: list[tuple[str, float, dict[str, Any]]] = []
    strict_rows: list[tuple[str, float, dict[str, Any]]] = []
    repeats = max(args.repeats, 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for (k, radius_km), run in itertools.product(instances, range(repeats)):
            label = f"K={k} r={radius_km:g}km" + (f" #{run + 1}" if repeats > 1 else "")
            ours, spopt = run_pair(
                pool, None, k, radius_km, horizon, args.gap, full_horizon=args.spopt_full_horizon
            )
            print(
                f"\n== {label}: national, 3,321 communes; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            print(
                f"ours : {ours['time_s']:.1f} s, status {ours['status']}, plan "
                f"{fmt(ours['objective'])}, "
                f"bound {fmt(ours['bound'])}, gap {gap_text(ours['objective'], ours['bound'])}; "
                f"{ours['phases']}"
            )
            print(
                f"spopt: {spopt['time_s']:.1f} s (HiGHS started at {spopt['highs_start_s']:.1f} "
                f"s), "
                f"HiGHS status '{spopt['status']}', plan {fmt(spopt['objective'])}, bound "
                f"{fmt(spopt['bound'])}, "
                f"gap {gap_text(spopt['objective'], spopt['bound'])}; {spopt['log_lines']} log "
                f"lines parsed" + (f"; {spopt['error']}" if spopt["error"] else "")
            )
            for budget in budgets:
                row = compare(ours, spopt, budget)
                strict = compare(ours, on_solve_clock(spopt), budget)
                solved_s = spopt["time_s"] - spopt["highs_start_s"]
                if budget > solved_s + 0.5 and not spopt["proven"]:
                    strict = {
                        **strict,
                        "met": None,
                        "ahead": f"n/a: spopt's HiGHS stopped after {solved_s:.0f} s",
                    }
                rows.append((label, budget, row))
                strict_rows.append((label, budget, strict))
                print(
                    f"  at {budget:>5g} s: ours {fmt(row['ours_best'])} / bound "
                    f"{fmt(row['ours_bound'])}; "
                    f"spopt {fmt(row['spopt_best'])} / bound {fmt(row['spopt_bound'])}; ahead: "
                    f"{row['ahead']}"
                    f" | spopt on its solve clock {fmt(strict['spopt_best'])} / bound "
                    f"{fmt(strict['spopt_bound'])}; ahead: {strict['ahead']}",
                    flush=True,
                )
        province_rows = []
        for name, k in provinces:
            o_runs, s_runs = [], []
            for _ in range(province_runs):
                o, s = run_pair(pool, name, k, args.province_radius_km, horizon, args.gap)
                o_runs.append(o)
                s_runs.append(s)
            province_rows.append((name, k, o_runs, s_runs))

    print("\n## Best plan and proven bound at each budget (population; bound = proven upper bound)")
    header = (
        f"{'instance':<16} {'budget':>7} {'ours best':>13} {'ours bound':>13} {'spopt best':>13} "
        f"{'spopt bound':>13} {'ours gap':>9} {'spopt gap':>9}  ahead"
    )
    print(header)
    print("-" * len(header))
    for label, budget, row in rows:
        print(table_line(label, budget, row))
    met_all = all(row["met"] for _, _, row in rows)
    print(
        f"\nnational, wall clock for both: ours at least as good a plan AND at least as tight a "
        f"bound as "
        f"spopt at every budget of every instance: met at every budget: "
        f"{'yes' if met_all else 'no'} "
        f"({sum(row['met'] for _, _, row in rows)} of {len(rows)} instance-budgets)"
    )

    print(
        "\n## Stricter: spopt's clock starts when HiGHS starts (its model building not counted); "
        "ours still end to end"
    )
    print(header)
    print("-" * len(header))
    for label, budget, row in strict_rows:
        print(table_line(label, budget, row))
    counted = [row for _, _, row in strict_rows if row["met"] is not None]
    strict_all = all(row["met"] for row in counted)
    print(
        f"\nnational, spopt on its solve clock: met at every budget it reached: "
        f"{'yes' if strict_all else 'no'} "
        f"({sum(bool(row['met']) for row in counted)} of {len(counted)} instance-budgets; "
        f"{len(strict_rows) - len(counted)} beyond spopt's HiGHS time"
        + (
            ""
            if args.spopt_full_horizon
            else ": use --spopt-full-horizon to give it the whole horizon"
        )
        + ")"
    )

    if repeats > 1:
        met_all = print_medians("Medians over the runs, wall clock for both", rows, repeats, header)
        print_medians(
            "Medians over the runs, spopt on its solve clock", strict_rows, repeats, header
        )

    province_met = True
    if province_rows:
        print(
            f"\n## Provinces: end to end to a proven optimum (radius {args.province_radius_km:g} "
            f"km, "
            f"median of {province_runs} run(s), seconds)"
        )
        for name, k, o_runs, s_runs in province_rows:
            t_o = statistics.median(r["time_s"] for r in o_runs)
            t_s = statistics.median(r["time_s"] for r in s_runs)
            same = all(
                abs(o["objective"] - s["objective"]) <= TOLERANCE * max(1.0, o["objective"]) + 0.5
                for o, s in zip(o_runs, s_runs, strict=True)
            )
            ok = t_o <= t_s and same
            province_met &= ok
            print(
                f"{name} K={k}: ours {t_o:.3f} s ({times(o_runs)}; "
                f"status {sorted({r['status'] for r in o_runs})}, plan "
                f"{fmt(o_runs[0]['objective'])}); "
                f"spopt {t_s:.3f} s ({times(s_runs)}; HiGHS "
                f"{sorted({r['status'] for r in s_runs})}, plan {fmt(s_runs[0]['objective'])}); "
                f"same optimum: {same}; spopt / ours {t_s / max(t_o, 1e-9):.1f}x; ours no slower: "
                f"{ok}"
            )
        print(
            f"provinces: ours no slower end to end on every province: "
            f"{'yes' if province_met else 'no'}"
        )
    print(f"\nmet at every budget: {'yes' if met_all and province_met else 'no'}")


if __name__ == "__main__":
    main()
