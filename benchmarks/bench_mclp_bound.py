"""Why the national maximal-covering bound stays ~0.7% above the best plans: the evidence.

Prints figures; not a test. Same national instance as ``bench_mclp_vs_spopt.py``
(3,321 communes as demand points weighted by population and as candidate sites, 20 km,
K = 100). Four measurements, side by side in one run:

1. The LP relaxation (after the exact reductions of :class:`mclp.MaximalCovering`)
   against the best plan :meth:`MaximalCovering.solve` finds in ``--time-limit`` seconds,
   with the bound HiGHS proves in that time.
2. Where the gap lives: demand split into ``--regions`` regions (k-means on the demand
   points); per region the LP's site mass and covered weight against the plan's. In the
   dense regions the LP covers nearly as much with fewer site-units: fractional discs
   tile a plane more thinly than whole discs (the covering density of whole discs is
   about 1.21), and the units it saves are spent elsewhere at the marginal value.
3. Regional value-curve cuts: for each of ``--cut-regions`` regions the exact curve
   f_r(k) (most weight of the region's demand that k sites can reach), added as the
   concave-envelope inequalities  sum_{i in D_r} w_i y_i <= a + s * sum_{j reaching D_r} x_j.
   The LP bound does not move: a region's count includes the 20 km halo of sites
   around it, which the LP fills fractionally.
4. The cardinality Lagrangian (price theta per site, at the LP dual): sites whose whole
   reach weighs at most theta are fixed closed (exact); the components that remain are
   what a decomposition would have to solve, and their sizes show it does not split.
5. Integer region counts: HiGHS on the plain model against HiGHS with extra integer
   variables n_r = sum of x over k-means site regions (10 and 40), which it can branch
   and cut on; both ``--time-limit`` seconds from the same plan.
6. The candidates cut down to the LP's support: that smaller MIP has the same gap.

Run: ``.venv/bin/python benchmarks/bench_mclp_bound.py [--time-limit 60]``
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np
import scipy.sparse as sp
from scipy.cluster.vq import kmeans2
from scipy.sparse.csgraph import connected_components

from bench_mclp_vs_spopt import points_m, reach_matrix
from coverage.optimize.highs import as_csr_bool, solve_highs
from mclp import MaximalCovering, _greedy_swap, _mclp_arrays, _Reduced, _start_vector

K = 100


def lp(
    red: _Reduced, extra_rows: sp.csr_matrix | None = None, extra_rhs: np.ndarray | None = None
) -> tuple[float, np.ndarray, float]:
    cost, lower, upper, integer, rows, row_lower, row_upper = _mclp_arrays(red, K)
    if extra_rows is not None and extra_rhs is not None:
        rows = sp.csr_matrix(sp.vstack([rows, extra_rows]))
        row_lower = np.r_[row_lower, np.full(len(extra_rhs), -np.inf)]
        row_upper = np.r_[row_upper, extra_rhs]
    started = time.perf_counter()
    out = solve_highs(
        cost, lower, upper, np.zeros_like(integer), rows, row_lower, row_upper, time_limit_s=300.0
    )
    assert out.x is not None
    return out.objective, out.x, time.perf_counter() - started


def region_curve(
    red: _Reduced, rows: np.ndarray, kmax: int
) -> tuple[np.ndarray, list[float], float]:
    """Exact f_r(0..kmax) for the demand ``rows`` (MIP bounds, so valid upper values)."""
    reach = sp.csr_matrix(red.reach)[rows]
    cols = np.unique(reach.indices)
    sub = _Reduced(as_csr_bool(reach[:, cols]), red.weight[rows], np.zeros(len(cols)), cols, 0.0)
    total = float(red.weight[rows].sum())
    values = [0.0]
    for k in range(1, min(kmax, len(cols)) + 1):
        start, _ = _greedy_swap(sub, k)
        out = solve_highs(*_mclp_arrays(sub, k), time_limit_s=10.0, start=_start_vector(sub, start))
        values.append(
            min(max(out.bound, out.objective) if math.isfinite(out.bound) else total, total)
        )
        if out.objective >= total - 1e-6:
            break
    return cols, values, total


def envelope(values: list[float], total: float) -> list[tuple[float, float]]:
    """Lines (a, s) of the upper concave envelope of f(k) (f <= total beyond the curve)."""
    points = list(enumerate(values))
    if values[-1] < total - 1e-6:
        points.append((10**6, total))
    hull: list[tuple[float, float]] = []
    for p in points:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (y2 - y1) * (p[0] - x1) <= (p[1] - y1) * (x2 - x1):
                hull.pop()
            else:
                break
        hull.append((float(p[0]), float(p[1])))
    return [
        (y1 - (y2 - y1) / (x2 - x1) * x1, (y2 - y1) / (x2 - x1))
        for (x1, y1), (x2, y2) in itertools.pairwise(hull)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--regions", type=int, default=12)
    parser.add_argument("--cut-regions", type=int, default=40)
    args = parser.parse_args()

    xy, w = points_m(None)
    reach = reach_matrix(xy, 20_000.0)
    model = MaximalCovering(reach, w)
    red = model.reduce()
    n_d, n_s = red.reach.shape
    print(
        f"national: {len(w):,} communes, K = {K}; reduced {n_d:,} demand x {n_s:,} sites, "
        f"{red.reach.nnz:,} pairs"
    )

    # 1. LP against the best plan and the proven bound
    lp_value, lp_x, lp_s = lp(red)
    sol = model.solve(K, time_limit_s=args.time_limit, gap_tolerance=1e-3)
    x_lp = lp_x[:n_s]
    frac = (x_lp > 1e-6) & (x_lp < 1 - 1e-6)
    print(
        f"\n1. LP bound {lp_value:,.0f} ({lp_s:.1f} s): {int((x_lp > 1 - 1e-6).sum())} sites at 1, "
        f"{int(frac.sum())} fractional carrying {x_lp[frac].sum():.1f} site-units"
    )
    print(
        f"   solve({args.time_limit:g} s): plan {sol.objective:,.0f}, proven bound "
        f"{sol.bound:,.0f}, gap {sol.gap:.3%}; LP is {(lp_value - sol.objective) / lp_value:.3%} "
        "above the plan"
    )

    # 2. where the gap lives
    reach_f = sp.csr_matrix(red.reach, dtype=float)
    site_xy = xy[red.sites]
    demand_xy = np.asarray(reach_f @ site_xy) / np.diff(reach_f.indptr)[:, None]
    _, label = kmeans2(demand_xy, args.regions, minit="++", seed=1)
    plan = np.zeros(n_s)
    plan[np.searchsorted(red.sites, sol.sites[np.isin(sol.sites, red.sites)])] = 1.0
    y_plan = (reach_f @ plan > 0).astype(float)
    y_lp = lp_x[n_s:]
    # a site belongs to the region of the demand it reaches most weight of
    share = sp.csr_matrix(
        (red.weight[reach_f.nonzero()[0]], (label[reach_f.nonzero()[0]], reach_f.nonzero()[1])),
        shape=(args.regions, n_s),
    ).toarray()
    site_region = share.argmax(axis=0)
    print(f"\n2. {args.regions} demand regions (k-means): LP against the plan")
    print(
        f"   {'region':>6} {'weight':>12} {'LP covers':>12} {'plan covers':>12} {'LP - plan':>10} "
        f"{'LP sites':>8} {'plan sites':>10}"
    )
    for r in np.argsort(-np.bincount(label, weights=red.weight)):
        m = label == r
        print(
            f"   {r:>6} {red.weight[m].sum():>12,.0f} {(red.weight * y_lp)[m].sum():>12,.0f} "
            f"{(red.weight * y_plan)[m].sum():>12,.0f} "
            f"{(red.weight * (y_lp - y_plan))[m].sum():>10,.0f} "
            f"{x_lp[site_region == r].sum():>8.2f} {plan[site_region == r].sum():>10.0f}"
        )

    # 3. regional value-curve cuts
    started = time.perf_counter()
    _, cut_label = kmeans2(demand_xy, args.cut_regions, minit="++", seed=0)
    rows_out, rhs = [], []
    for r in range(args.cut_regions):
        rows = np.flatnonzero(cut_label == r)
        if not len(rows):
            continue
        halo = np.unique(reach_f[rows].indices)
        cols, values, total = region_curve(red, rows, math.ceil(x_lp[halo].sum()) + 3)
        for a, s in envelope(values, total):
            row = np.zeros(n_s + n_d)
            row[n_s + rows] = red.weight[rows]
            row[cols] -= s
            rows_out.append(sp.csr_matrix(row))
            rhs.append(a)
    cut_value, _, _ = lp(red, sp.csr_matrix(sp.vstack(rows_out)), np.asarray(rhs))
    print(
        f"\n3. {len(rhs)} regional value-curve cuts from {args.cut_regions} regions "
        f"({time.perf_counter() - started:.1f} s): LP bound {lp_value:,.0f} -> {cut_value:,.0f} "
        f"({(lp_value - cut_value) / lp_value:.4%} lower)"
    )

    # 4. cardinality Lagrangian at the LP's price per site
    theta = _site_price(red, lp_value)
    reach_weight = np.asarray(reach_f.T @ red.weight).ravel() + red.site_value
    alive = np.flatnonzero(reach_weight > theta)
    sub = reach_f[:, alive]
    n_comp, comp = connected_components(sub.T @ sub, directed=False)
    sizes = np.sort(np.bincount(comp))[::-1]
    print(
        f"\n4. cardinality Lagrangian at theta = {theta:,.0f} per site: {len(alive):,} of {n_s:,} "
        f"sites can pay for themselves; {n_comp} components, largest "
        f"{', '.join(map(str, sizes[:4]))} sites"
    )

    # 5. integer region counts
    chosen = [int(j) for j in np.flatnonzero(plan > 0.5)]
    plain = mip(red, chosen, [], site_xy, args.time_limit)
    counts = mip(red, chosen, [10, 40], site_xy, args.time_limit)
    print(
        f"\n5. HiGHS {args.time_limit:g} s from the plan: plain bound {plain:,.0f}; with integer "
        f"region counts (10 and 40 regions) {counts:,.0f}"
    )

    # 6. candidates restricted to the LP support
    support = np.union1d(np.flatnonzero(x_lp > 1e-2), chosen)
    narrow = _Reduced(
        as_csr_bool(sp.csr_matrix(red.reach)[:, support]),
        red.weight,
        red.site_value[support],
        support,
        0.0,
    )
    local = [int(k) for k in np.flatnonzero(np.isin(support, chosen))]
    out = solve_highs(
        *_mclp_arrays(narrow, K), time_limit_s=args.time_limit, start=_start_vector(narrow, local)
    )
    print(
        f"\n6. only the {len(support)} sites of the LP support, {args.time_limit:g} s: plan "
        f"{out.objective:,.0f}, bound {out.bound:,.0f}, gap "
        f"{(out.bound - out.objective) / out.bound:.3%}"
    )


def mip(
    red: _Reduced, chosen: list[int], levels: list[int], site_xy: np.ndarray, time_limit_s: float
) -> float:
    """Return HiGHS's bound after ``time_limit_s``.

    Optionally with integer counts of k-means site regions.
    """
    cost, lower, upper, integer, rows, row_lower, row_upper = _mclp_arrays(red, K)
    n_s = red.reach.shape[1]
    start = _start_vector(red, chosen)
    for n_regions in levels:
        _, label = kmeans2(site_xy, n_regions, minit="++", seed=0)
        member = sp.csr_matrix((np.ones(n_s), (label, np.arange(n_s))), shape=(n_regions, n_s))
        n_cols = rows.shape[1]
        # n_r - sum_{j in r} x_j = 0, n_r integer in [0, K]
        link = sp.hstack(
            [-member, sp.csr_matrix((n_regions, n_cols - n_s)), sp.identity(n_regions)]
        )
        rows = sp.csr_matrix(
            sp.vstack([sp.hstack([rows, sp.csr_matrix((rows.shape[0], n_regions))]), link])
        )
        cost = np.r_[cost, np.zeros(n_regions)]
        lower, upper = np.r_[lower, np.zeros(n_regions)], np.r_[upper, np.full(n_regions, K)]
        integer = np.r_[integer, np.ones(n_regions, dtype=bool)]
        row_lower, row_upper = (
            np.r_[row_lower, np.zeros(n_regions)],
            np.r_[row_upper, np.zeros(n_regions)],
        )
        start = np.r_[start, np.asarray(member @ start[:n_s]).ravel()]
    out = solve_highs(
        cost,
        lower,
        upper,
        integer,
        rows,
        row_lower,
        row_upper,
        time_limit_s=time_limit_s,
        gap_tolerance=1e-3,
        start=start,
    )
    return out.bound


def _site_price(red: _Reduced, lp_value: float) -> float:
    """Return the LP's marginal value of one more site, by finite difference.

    It is the dual of the cardinality row.
    """
    cost, lower, upper, integer, rows, row_lower, row_upper = _mclp_arrays(red, K + 1)
    out = solve_highs(
        cost, lower, upper, np.zeros_like(integer), rows, row_lower, row_upper, time_limit_s=300.0
    )
    return float(out.objective - lp_value)


if __name__ == "__main__":
    main()
