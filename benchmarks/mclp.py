"""The plain maximal covering location problem (MCLP), solved exactly with HiGHS.

Church and ReVelle (1974): open ``p`` sites to maximise the weight of demand within reach
of an open site, with no capacities. This is the model of the benchmark against spopt;
the planning tool itself uses :class:`coverage.optimize.covering.CapacitatedCovering`. Lives in
``benchmarks/`` (the package never imports it); tests import it as ``benchmarks.mclp``.
Reduced before solving (dominated sites, identical demand points, unreachable demand),
split into connected components where that is exact, warm started from the best of a
greedy answer and an LP rounding (both improved by swaps), then, on large instances, by a
window search: balls of nearby sites re-optimised exactly as small MIPs with everything
else fixed. Beside the window search, HiGHS works on the whole reduced model in its own
thread until the time limit, warm started, taking each better plan of the windows and
giving them its own. The last phase of a long run, where HiGHS finds more than windows,
gets all the time the windows no longer use: a second HiGHS then works on the unreduced
model on the core the windows leave, and the two trade plans (the reductions change
HiGHS's search path, and neither model's search is the better one on every instance).
The status never calls a time-limited answer optimal (see
:func:`coverage.optimize.results.status_from_highs`).

Measured on the national instance (3,321 communes, 20 km, p = 100, see
``benchmarks/bench_mclp_vs_spopt.py`` and ``benchmarks/bench_mclp_bound.py``): the LP
bound is 0.7-0.9% above the best plans found, and nothing LP-based tried here closes it.
LP reduced costs are far smaller than the gap, so reduced-cost or Lagrangian fixing
fixes no site (the Lagrangian subproblem of the coverage constraints has the integrality
property, so its bound is the LP bound); integer region counts (GUB-style branching
variables), exact regional value-curve cuts and restricting the candidates to the LP
support leave the bound where it was; the cardinality Lagrangian leaves components of
about 1,000 and 700 sites that are as hard as the whole. The gap is geometric: in the
dense deltas the LP covers with fractional sites, which tile an area more thinly than
whole 20 km discs can (the covering density of whole discs is about 1.21), and spends
the site-units it saves elsewhere. HiGHS stays at the root node for the whole minute.
"""

from __future__ import annotations

import heapq
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from coverage.optimize.highs import as_csr_bool, highs_model, solve_highs
from coverage.optimize.results import (
    PROVEN_GAP,
    BoolArray,
    FloatArray,
    IntArray,
    Method,
    Status,
    label_status,
    relative_gap,
)

# Window search (large-neighbourhood re-optimisation) runs only on instances with more
# reduced sites than this; smaller ones go straight to the MIP, which is faster there.
_WINDOW_MIN_SITES = 400
# Share of the time limit the window search may use before the MIP gets the rest.
_WINDOW_SHARE = 0.75
# ... and at most this many seconds: on long runs HiGHS alone on the whole model (a core
# to itself) finds more than the windows and proves bounds faster.
_WINDOW_MAX_S = 60.0
# The window search also stops once its own windows and swaps have not improved the plan
# for this many seconds (plans taken over from HiGHS do not count).
_WINDOW_STALL_S = 20.0
# After the window search, a second HiGHS works on the unreduced model on the core the
# windows leave idle, when at least this many seconds are left (its root LP alone takes
# several seconds on the national instances) and the machine has a second core.
_SECOND_MIP_MIN_S = 15.0
# How often the caller hands plans between the two HiGHS runs, seconds.
_TRADE_EVERY_S = 0.25
# The exact solve ends this much before the time limit (seconds, and at most this share
# of it) to leave time for HiGHS to stop and for the plans to be mapped back.
_FINISH_S = 0.5
_FINISH_SHARE = 0.01


@dataclass(frozen=True)
class CoveringSolution:
    """Answer of :class:`MaximalCovering`.

    Attributes
    ----------
    sites
        Indices of the open sites (columns of the reach matrix), sorted.
    objective
        Weight within reach of an open site.
    bound
        Proven upper bound on the optimum (``objective`` when optimal; for greedy the
        online bound of submodular maximisation).
    gap
        ``(bound - objective) / bound``: the answer is at most this fraction below the
        optimum.
    status, method, runtime_s
        How the answer was obtained and how long it took (wall clock, seconds).
    details
        Sizes before and after reduction, component count, warm-start value.
    """

    sites: IntArray
    objective: float
    bound: float
    gap: float
    status: Status
    method: Method
    runtime_s: float
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Reduced:
    reach: sp.csr_matrix  # reduced demand x reduced site
    weight: FloatArray  # reduced demand weights
    site_value: FloatArray  # weight folded into each reduced site (single-site demand)
    sites: IntArray  # reduced site -> original site
    constant: float  # weight already certain (none in MCLP; kept for clarity)


class MaximalCovering:
    r"""Maximal covering location problem (uncapacitated), exact with HiGHS.

    Open ``p`` sites to maximise the weight of demand points within reach of an open
    site.

    Symbols
        :math:`I` demand points with weights :math:`w_i \ge 0`; :math:`J` candidate
        sites; :math:`N_i \subseteq J` the sites that reach demand point :math:`i`
        (sparse reach matrix :math:`a_{ij}`); :math:`p` sites to open.

    Variables
        :math:`x_j \in \{0,1\}` site :math:`j` is open; :math:`y_i \in [0,1]` demand
        point :math:`i` is covered (integral at an optimum, so continuous).

    .. math::

        \max \sum_i w_i y_i \quad\text{s.t.}\quad
        y_i \le \sum_{j \in N_i} x_j \;\forall i, \qquad
        \sum_j x_j = p.

    Exact reductions applied first: demand points with zero weight or no reaching site
    are dropped; demand points with identical :math:`N_i` are merged (weights summed); a
    site whose covered set is a subset of another's is dropped (ties keep the lowest
    index); a demand point reached by exactly one site :math:`j` becomes a constant
    bonus on :math:`x_j`. When the site-demand graph falls apart into connected
    components that only share the budget :math:`p`, each component's value curve
    :math:`f_c(k)` is solved and the curves are combined by an exact knapsack
    (dynamic programme over :math:`k`).

    Parameters
    ----------
    reach
        Sparse boolean matrix, demand points by sites: ``reach[i, j]`` is true when site
        ``j`` reaches demand point ``i``. Only stored pairs matter.
    weights
        Demand weights (for example population), one per row of ``reach``.
    """

    def __init__(self, reach: Any, weights: ArrayLike) -> None:
        self.reach = as_csr_bool(reach)
        self.weights = np.asarray(weights, dtype=float)
        if self.weights.shape != (self.reach.shape[0],):
            raise ValueError(
                f"weights has shape {self.weights.shape}; expected ({self.reach.shape[0]},)"
            )
        if (self.weights < 0).any() or not np.isfinite(self.weights).all():
            raise ValueError("weights must be finite and non-negative")

    @property
    def n_demand(self) -> int:
        """Number of demand points."""
        return int(self.reach.shape[0])

    @property
    def n_sites(self) -> int:
        """Number of candidate sites."""
        return int(self.reach.shape[1])

    def value(self, sites: Sequence[int] | IntArray) -> float:
        """Return the weight covered when ``sites`` are open."""
        open_ = np.zeros(self.n_sites, dtype=bool)
        open_[np.asarray(sites, dtype=np.int64)] = True
        covered = (self.reach @ open_.astype(np.int8)) > 0
        return float(self.weights[np.asarray(covered).ravel()].sum())

    # ---------------------------------------------------------------- reductions

    def reduce(self) -> _Reduced:
        """Apply the exact reductions listed in the class docstring."""
        reach, w = self.reach, self.weights
        keep = (w > 0) & (np.diff(reach.indptr) > 0)
        reach, w = reach[keep], w[keep]
        sites = np.arange(self.n_sites, dtype=np.int64)
        for _ in range(3):
            reach, w = _merge_identical_rows(reach, w)
            cols = _undominated_columns(reach)
            reach, sites = reach[:, cols], sites[cols]
            reach = as_csr_bool(reach)
            alive = np.diff(reach.indptr) > 0
            reach, w = reach[alive], w[alive]
            if len(cols) == reach.shape[1] and alive.all():
                break
        degree = np.diff(reach.indptr)
        single = degree == 1
        site_value = np.zeros(reach.shape[1])
        if single.any():
            cols = reach.indices[reach.indptr[:-1][single]]
            np.add.at(site_value, cols, w[single])
        reach, w = reach[~single], w[~single]
        return _Reduced(
            as_csr_bool(reach, shape=(reach.shape[0], len(sites))), w, site_value, sites, 0.0
        )

    # ---------------------------------------------------------------- solving

    def solve(
        self,
        n_sites: int,
        *,
        method: Method = "exact",
        time_limit_s: float = 60.0,
        gap_tolerance: float = PROVEN_GAP,
        decompose: bool = True,
        polish: bool = True,
    ) -> CoveringSolution:
        """Open ``n_sites`` sites to maximise the covered weight.

        Parameters
        ----------
        n_sites
            Number of sites to open (``p``).
        method
            ``"exact"`` (HiGHS, warm started) or ``"greedy"`` (lazy greedy plus swaps).
        time_limit_s
            Wall-clock limit for the exact solve, seconds, counted from the call: HiGHS
            stops up to 0.5 s (1%) before it, so that the answer is back by then.
        gap_tolerance
            Stop once the proven relative gap is at most this; above
            :data:`PROVEN_GAP` the status is ``"gap_limit"``, not ``"optimal"``.
        decompose
            Solve connected components separately when there are several of at most 400
            reduced sites each and at least 400 reduced sites in all (smaller instances
            are faster as one MIP).
        polish
            Improve the warm start with LP rounding and swaps and, when there are at
            least 400 reduced sites, run HiGHS on the whole reduced model in its own
            thread until the time limit while a window search runs beside it: each hands
            the other its better plans. The window search stops after 75% of the time
            left or 60 s, whichever comes first, or once its own windows have not
            improved the plan for 20 s. The rest of the time goes to HiGHS: when at least
            15 s are left and the machine has a second core, a second HiGHS works on the
            unreduced model beside the first and the two trade plans; the first to prove
            the gap stops the other.
            ``details["progress"]`` logs each improvement as ``(seconds since the call,
            objective, source)`` and ``details["bound_progress"]`` each tighter proven
            bound as ``(seconds, bound, source)``.
        """
        started = time.perf_counter()
        if n_sites < 0:
            raise ValueError("n_sites must be non-negative")
        red = self.reduce()
        n_red = len(red.sites)
        p = min(n_sites, n_red)
        details: dict[str, Any] = {
            "demand_points": self.n_demand,
            "sites": self.n_sites,
            "reduced_demand_points": int(red.reach.shape[0]),
            "reduced_sites": n_red,
            "reduced_pairs": int(red.reach.nnz),
        }
        chosen, value = _greedy_swap(red, p)
        details["greedy_objective"] = value
        if method == "greedy":
            bound = _submodular_bound(red, chosen, p)
            sites = self._complete(red.sites[chosen], n_sites)
            obj = self.value(sites)
            return CoveringSolution(
                sites,
                obj,
                bound,
                relative_gap(obj, bound),
                "greedy",
                "greedy",
                time.perf_counter() - started,
                details,
            )
        labels = _components(red.reach)
        n_comp = int(labels.max()) + 1 if len(labels) else 0
        details["components"] = n_comp
        # HiGHS checks its clock between nodes and the plans are mapped back after it
        # stops (about 0.2 s on the national instances): stop it that much early, so the
        # answer is back within the time given
        deadline = started + time_limit_s - min(_FINISH_S, _FINISH_SHARE * time_limit_s)
        # one MIP is faster than a value curve per component on small instances
        # (a province of about 100 communes: 0.1 s against 0.5 s)
        if (
            decompose
            and n_comp > 1
            and n_red >= _WINDOW_MIN_SITES
            and np.bincount(labels).max() <= 400
        ):
            chosen, obj, bound, kind = _solve_by_components(red, labels, p, deadline, gap_tolerance)
        else:
            progress = _Progress(started)
            chosen, obj, bound, kind = _solve_mclp_mip(
                red,
                p,
                chosen,
                deadline,
                gap_tolerance,
                polish=polish,
                details=details,
                progress=progress,
                unreduced=self._unreduced() if polish else None,
            )
            details["progress"] = progress.log
            details["bound_progress"] = progress.bound_log
        sites = self._complete(red.sites[np.asarray(chosen, dtype=np.int64)], n_sites)
        obj = self.value(sites)
        bound = max(bound, obj)
        status = label_status(kind, obj, bound)
        return CoveringSolution(
            sites,
            obj,
            bound,
            relative_gap(obj, bound),
            status,
            "exact",
            time.perf_counter() - started,
            details,
        )

    def _unreduced(self) -> _Reduced:
        """Return the model as given, in the reduced model's form (no site or point dropped)."""
        return _Reduced(
            self.reach,
            self.weights,
            np.zeros(self.n_sites),
            np.arange(self.n_sites, dtype=np.int64),
            0.0,
        )

    def _complete(self, sites: IntArray, n_sites: int) -> IntArray:
        """Pad with unused sites when ``n_sites`` exceeds the useful ones (no value lost)."""
        chosen = list(dict.fromkeys(int(s) for s in sites))
        if len(chosen) < n_sites:
            rest = [j for j in range(self.n_sites) if j not in set(chosen)]
            chosen += rest[: n_sites - len(chosen)]
        return np.sort(np.asarray(chosen, dtype=np.int64))


def _merge_identical_rows(reach: sp.csr_matrix, w: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    if reach.shape[0] == 0:
        return reach, w
    keys: dict[bytes, int] = {}
    group = np.empty(reach.shape[0], dtype=np.int64)
    for i in range(reach.shape[0]):
        key = reach.indices[reach.indptr[i] : reach.indptr[i + 1]].tobytes()
        group[i] = keys.setdefault(key, len(keys))
    if len(keys) == reach.shape[0]:
        return reach, w
    first = np.full(len(keys), -1, dtype=np.int64)
    for i in range(len(group) - 1, -1, -1):
        first[group[i]] = i
    merged_w = np.bincount(group, weights=w, minlength=len(keys)).astype(float)
    return as_csr_bool(reach[first]), merged_w


def _undominated_columns(reach: sp.csr_matrix) -> IntArray:
    """Columns whose covered set is not a subset of another column's (ties: lowest index)."""
    csc = sp.csc_matrix(reach, dtype=np.int32)
    size = np.diff(csc.indptr)
    overlap = (csc.T @ csc).tocoo()
    j, k, common = overlap.row, overlap.col, overlap.data
    subset = (
        (j != k) & (common == size[j]) & ((size[k] > size[j]) | ((size[k] == size[j]) & (k < j)))
    )
    dominated = np.zeros(reach.shape[1], dtype=bool)
    dominated[j[subset]] = True
    dominated |= size == 0
    return np.flatnonzero(~dominated).astype(np.int64)


def _dominators(full: _Reduced, red: _Reduced) -> IntArray:
    """Map each site of ``full`` to a reduced site that covers all it covers, -1 if none.

    ``full`` is the unreduced model (:meth:`MaximalCovering._unreduced`). Every site the
    reductions dropped covers a subset of the weighted demand of a kept site (subsets
    chain), so only sites that cover no weighted demand map to -1.
    """
    live = sp.csc_matrix(full.reach[full.weight > 0], dtype=np.int32)
    size = np.diff(live.indptr)
    common = sp.coo_matrix(live.T @ live[:, red.sites])  # full site x reduced site
    holds = common.data == size[common.row]
    out = np.full(full.reach.shape[1], -1, dtype=np.int64)
    # several dominators: keep the lowest reduced index
    rows, cols = common.row[holds], common.col[holds]
    order = np.lexsort((cols, rows))
    dominated, first = np.unique(rows[order], return_index=True)
    out[dominated] = cols[order][first]
    out[red.sites] = np.arange(len(red.sites), dtype=np.int64)
    out[size == 0] = -1
    return out


def _to_reduced(red: _Reduced, dominators: IntArray, plan: Sequence[int], p: int) -> list[int]:
    """Return ``p`` reduced sites covering at least what ``plan`` (unreduced sites) covers."""
    mapped = [int(j) for j in dict.fromkeys(dominators[np.asarray(plan, dtype=np.int64)]) if j >= 0]
    return _lazy_greedy(red, p, mapped[:p])


def _components(reach: sp.csr_matrix) -> IntArray:
    """Label reduced sites by connected component of the site-demand graph."""
    n_sites = reach.shape[1]
    if n_sites == 0:
        return np.zeros(0, dtype=np.int64)
    link = sp.csr_matrix(reach.T @ reach)
    _, labels = sp.csgraph.connected_components(link, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _objective(red: _Reduced, chosen: Sequence[int] | IntArray) -> float:
    x = np.zeros(red.reach.shape[1], dtype=np.int8)
    x[np.asarray(chosen, dtype=np.int64)] = 1
    covered = np.asarray(red.reach @ x).ravel() > 0
    return float(red.weight[covered].sum() + red.site_value[x.astype(bool)].sum())


def _lazy_greedy(red: _Reduced, p: int, start: Sequence[int] = ()) -> list[int]:
    """CELF lazy greedy: marginal gains only shrink, so stale heap keys are upper bounds.

    The sites of ``start`` are open first; the greedy adds sites until there are ``p``.
    """
    csc = sp.csc_matrix(red.reach)
    chosen = list(dict.fromkeys(int(j) for j in start))
    covered = np.zeros(red.reach.shape[0], dtype=bool)
    for j in chosen:
        covered[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]] = True
    taken = set(chosen)
    heap = [
        (-(red.weight[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]].sum() + red.site_value[j]), j)
        for j in range(csc.shape[1])
        if j not in taken
    ]
    heapq.heapify(heap)
    while heap and len(chosen) < p:
        _, j = heapq.heappop(heap)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        gain = red.weight[rows[~covered[rows]]].sum() + red.site_value[j]
        if heap and gain < -heap[0][0] - 1e-9:
            heapq.heappush(heap, (-gain, j))
            continue
        chosen.append(j)
        covered[rows] = True
    return chosen


def _swap_search(red: _Reduced, chosen: list[int], *, max_rounds: int = 500) -> list[int]:
    """Best-improvement 1-swap (Teitz-Bart) search; exact deltas from sparse products."""
    chosen = list(chosen)
    n_sites = red.reach.shape[1]
    if not chosen or len(chosen) >= n_sites:
        return chosen
    reach = sp.csr_matrix(red.reach, dtype=float)
    csc_t = sp.csr_matrix(reach.T)
    for _ in range(max_rounds):
        x = np.zeros(n_sites)
        x[chosen] = 1.0
        count = np.asarray(reach @ x).ravel()
        add = np.asarray(csc_t @ (red.weight * (count == 0))).ravel() + red.site_value
        only = sp.csr_matrix(reach[:, chosen].multiply((count == 1)[:, None]))
        weighted = sp.diags(red.weight) @ only
        loss = np.asarray(weighted.sum(axis=0)).ravel() + red.site_value[chosen]
        shared = (csc_t @ weighted).toarray()
        delta = add[:, None] - loss[None, :] + shared
        delta[chosen, :] = -np.inf
        k, j = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if delta[k, j] <= 1e-9 * max(1.0, float(red.weight.sum())):
            break
        chosen[j] = int(k)
    return chosen


def _greedy_swap(red: _Reduced, p: int) -> tuple[list[int], float]:
    chosen = _swap_search(red, _lazy_greedy(red, p))
    return chosen, _objective(red, chosen)


def _submodular_bound(red: _Reduced, chosen: Sequence[int], p: int) -> float:
    """Online bound: OPT <= f(S) + sum of the p largest marginal gains w.r.t. S."""
    x = np.zeros(red.reach.shape[1])
    x[list(chosen)] = 1.0
    covered = np.asarray(sp.csr_matrix(red.reach, dtype=float) @ x).ravel() > 0
    gains = np.asarray(sp.csr_matrix(red.reach.T, dtype=float) @ (red.weight * ~covered)).ravel()
    gains = gains + red.site_value * (x == 0)
    top = np.sort(gains)[::-1][:p].sum()
    return _objective(red, chosen) + float(top)


def _mclp_arrays(
    red: _Reduced, p: int
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray]:
    n_s, n_d = red.reach.shape[1], red.reach.shape[0]
    cost = np.r_[red.site_value, red.weight]
    lower = np.zeros(n_s + n_d)
    upper = np.ones(n_s + n_d)
    integer = np.r_[np.ones(n_s, dtype=bool), np.zeros(n_d, dtype=bool)]
    cover = sp.hstack([-sp.csr_matrix(red.reach, dtype=float), sp.identity(n_d, format="csr")])
    budget = sp.hstack([sp.csr_matrix(np.ones((1, n_s))), sp.csr_matrix((1, n_d))])
    rows = sp.csr_matrix(sp.vstack([cover, budget]))
    row_lower = np.r_[np.full(n_d, -np.inf), p]
    row_upper = np.r_[np.zeros(n_d), p]
    return cost, lower, upper, integer, rows, row_lower, row_upper


def _start_vector(red: _Reduced, chosen: Sequence[int]) -> FloatArray:
    n_s = red.reach.shape[1]
    x = np.zeros(n_s)
    x[list(chosen)] = 1.0
    y = (np.asarray(sp.csr_matrix(red.reach, dtype=float) @ x).ravel() > 0).astype(float)
    out: FloatArray = np.r_[x, y]
    return out


class _Progress:
    """Logs of improving objectives and proven bounds, seconds since ``t0`` (for budget figures)."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.best = -math.inf
        self.log: list[tuple[float, float, str]] = []
        self.bound = math.inf
        self.bound_log: list[tuple[float, float, str]] = []
        self._lock = threading.Lock()  # HiGHS reports from its own thread

    def offer_bound(self, value: float, source: str) -> None:
        with self._lock:
            if math.isfinite(value) and value < self.bound - 1e-9:
                self.bound = value
                self.bound_log.append(
                    (round(time.perf_counter() - self.t0, 3), float(value), source)
                )

    def offer(self, value: float, source: str, at: float | None = None) -> None:
        with self._lock:
            if value > self.best + 1e-9:
                self.best = value
                when = (time.perf_counter() if at is None else at) - self.t0
                self.log.append((round(when, 3), float(value), source))


def _lp_rounding(
    red: _Reduced,
    p: int,
    arrays: tuple[
        FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray
    ],
    start: list[int],
    deadline: float,
    details: dict[str, Any],
    progress: _Progress | None,
    mip: _BackgroundMip | None,
) -> tuple[list[int], float]:
    """Return the better of ``start`` and the LP rounding improved by swaps, and the LP bound."""
    n_s = red.reach.shape[1]
    lp_bound = math.inf
    lp = solve_highs(
        *arrays[:3],
        np.zeros_like(arrays[3]),
        *arrays[4:],
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
    )
    if lp.x is None:
        return start, lp_bound
    if lp.kind == "optimal":
        lp_bound = lp.objective
        details["lp_bound"] = lp.objective
        if progress is not None:
            progress.offer_bound(lp_bound, "LP")
    order = np.argsort(-lp.x[:n_s], kind="stable")
    rounded = _swap_search(red, [int(j) for j in order[:p]])
    details["lp_rounding_objective"] = _objective(red, rounded)
    if _objective(red, rounded) > _objective(red, start):
        start = rounded
        if progress is not None:
            progress.offer(_objective(red, start), "lp rounding + swaps")
        if mip is not None:
            mip.offer(start)
    return start, lp_bound


def _better_plan(red: _Reduced, p: int, start: list[int], found: list[int] | None) -> list[int]:
    """Return ``found`` when it has ``p`` sites and beats ``start``, else ``start``."""
    if found is not None and len(found) == p and _objective(red, found) > _objective(red, start):
        return found
    return start


def _solve_mclp_mip(
    red: _Reduced,
    p: int,
    start: list[int],
    deadline: float,
    gap_tolerance: float,
    *,
    polish: bool,
    details: dict[str, Any],
    progress: _Progress | None = None,
    unreduced: _Reduced | None = None,
) -> tuple[list[int], float, float, str]:
    n_s = red.reach.shape[1]
    if p == 0 or n_s == 0:
        return [], 0.0, 0.0, "optimal"
    if p >= n_s:
        chosen = list(range(n_s))
        value = _objective(red, chosen)
        return chosen, value, value, "optimal"
    arrays = _mclp_arrays(red, p)
    lp_bound = math.inf
    if progress is not None:
        progress.offer(_objective(red, start), "greedy")
    mip: _BackgroundMip | None = None
    if polish and n_s >= _WINDOW_MIN_SITES:
        # HiGHS works on the whole reduced model from now to the deadline, in its own
        # thread, warm started from the greedy plan; the LP rounding and the window search
        # run beside it, hand it every better plan and take over every better plan it
        # finds. Once the windows stop improving (or their share of the time is over),
        # HiGHS has the rest of the time alone.
        mip = _BackgroundMip(
            red,
            arrays,
            start,
            time_limit_s=deadline - time.perf_counter(),
            gap_tolerance=gap_tolerance,
            progress=progress,
        )
    if polish:
        start, lp_bound = _lp_rounding(red, p, arrays, start, deadline, details, progress, mip)
        if relative_gap(_objective(red, start), lp_bound) <= gap_tolerance:
            if mip is not None:
                mip.stop()
            value = _objective(red, start)
            return start, value, lp_bound, "gap_limit"
        if mip is not None:
            details["warm_start_objective"] = _objective(red, start)
            now = time.perf_counter()
            start = _window_search(
                red,
                start,
                deadline=now + min(_WINDOW_SHARE * max(deadline - now, 0.0), _WINDOW_MAX_S),
                stall_s=_WINDOW_STALL_S,
                progress=progress,
                details=details,
                mip=mip,
            )
            details["window_search_s"] = round(time.perf_counter() - now, 3)
            runs = [mip]
            second = (
                _second_mip(red, unreduced, p, start, deadline, gap_tolerance, progress)
                if mip.running()
                else None
            )
            if second is not None:
                details["second_mip_s"] = round(deadline - time.perf_counter(), 3)
                runs.append(second)
                start = _trade_plans(red, p, start, runs, progress)
            outs = [run.finish() for run in runs]
            for run, out in zip(runs, outs, strict=True):
                start = _better_plan(red, p, start, run.plan(out))
            proven = [out.kind for out in outs if out.kind != "time_limit"]
            bound = min([out.bound for out in outs] + [lp_bound])
            return start, _objective(red, start), bound, proven[0] if proven else "time_limit"
    details["warm_start_objective"] = _objective(red, start)
    out = _solve_mip_logged(
        arrays,
        time_limit_s=deadline - time.perf_counter(),
        gap_tolerance=gap_tolerance,
        start=_start_vector(red, start),
        progress=progress,
    )
    if out.x is None:
        value = _objective(red, start)
        return start, value, min(out.bound, lp_bound), "time_limit"
    chosen = [int(j) for j in np.flatnonzero(out.x[:n_s] > 0.5)]
    if _objective(red, start) > _objective(red, chosen):
        chosen = start
    return chosen, _objective(red, chosen), min(out.bound, lp_bound), out.kind


def _second_mip(
    red: _Reduced,
    unreduced: _Reduced | None,
    p: int,
    start: list[int],
    deadline: float,
    gap_tolerance: float,
    progress: _Progress | None,
) -> _BackgroundMip | None:
    """Start HiGHS on the unreduced model beside the first, when time and a core allow.

    The exact reductions leave the optimum where it is but change HiGHS's search path;
    on the national instances neither model's search is better on every instance (K=100,
    r=30 km: the unreduced model ends 0.1% higher after 200 s with two random seeds; K=50,
    r=20 km: each model wins with one seed), so the core the window search leaves idle
    runs the other one, and the two trade plans (a portfolio).
    """
    left = deadline - time.perf_counter()
    if unreduced is None or left < _SECOND_MIP_MIN_S or len(os.sched_getaffinity(0)) < 2:
        return None
    dominators = _dominators(unreduced, red)
    return _BackgroundMip(
        unreduced,
        _mclp_arrays(unreduced, p),
        start,
        time_limit_s=left,
        gap_tolerance=gap_tolerance,
        progress=progress,
        to_model=lambda plan: [int(j) for j in red.sites[np.asarray(plan, dtype=np.int64)]],
        from_model=lambda plan: _to_reduced(red, dominators, plan, p),
    )


def _trade_plans(
    red: _Reduced,
    p: int,
    start: list[int],
    runs: list[_BackgroundMip],
    progress: _Progress | None,
) -> list[int]:
    """Hand each better plan one HiGHS finds to the others until all have stopped.

    Once one stops on its own before the time limit (it proved its gap), the others are
    interrupted. Returns the best plan seen.
    """
    best, value = list(start), _objective(red, start)
    while any(run.running() for run in runs):
        time.sleep(_TRADE_EVERY_S)
        for k, run in enumerate(runs):
            found = run.best()
            if found is None or len(found[1]) != p:
                continue
            found_value = _objective(red, found[1])
            if found_value > value + 1e-9:
                best, value = found[1], found_value
                if progress is not None:
                    progress.offer(value, "HiGHS, plans traded")
                for other in runs[:k] + runs[k + 1 :]:
                    other.offer(best)
        for run in runs:
            if not run.running() and run.finish().kind != "time_limit":
                for other in runs:
                    if other.running():
                        other.stop()
    return best


@dataclass(frozen=True)
class _MipOutcome:
    kind: str
    x: FloatArray | None
    bound: float


def _subscribe_progress(h: highspy.Highs, progress: _Progress) -> None:
    """Log HiGHS's improving plans and, at its interrupt checks, its proven bound."""

    def on_improving(event: Any) -> None:
        progress.offer(float(event.data_out.objective_function_value), "HiGHS")

    def on_check(event: Any) -> None:
        progress.offer_bound(float(event.data_out.mip_dual_bound), "HiGHS")

    h.cbMipImprovingSolution.subscribe(on_improving)
    h.cbMipInterrupt.subscribe(on_check)


def _outcome(h: highspy.Highs) -> _MipOutcome:
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = int(info.primal_solution_status) == 2
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound):
        bound = math.inf
    if status == highspy.HighsModelStatus.kOptimal:
        objective = float(info.objective_function_value) if has_solution else -math.inf
        proven = relative_gap(objective, bound) <= PROVEN_GAP
        return _MipOutcome("optimal" if proven else "gap_limit", x, max(bound, objective))
    if status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
        highspy.HighsModelStatus.kIterationLimit,
        highspy.HighsModelStatus.kSolutionLimit,
    ):
        return _MipOutcome("time_limit", x, bound)
    raise RuntimeError(f"HiGHS ended with {h.modelStatusToString(status)}")


def _solve_mip_logged(
    arrays: tuple[
        FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray
    ],
    *,
    time_limit_s: float,
    gap_tolerance: float,
    start: FloatArray,
    progress: _Progress | None,
) -> _MipOutcome:
    """Maximise with HiGHS like :func:`coverage.optimize.highs.solve_highs`, logging plans."""
    h = highs_model(*arrays, time_limit_s=time_limit_s, gap_tolerance=gap_tolerance, start=start)
    if progress is not None:
        _subscribe_progress(h, progress)
    h.run()
    return _outcome(h)


class _BackgroundMip:
    """HiGHS on a whole model in its own thread, trading plans with the caller.

    Plans go in and out as reduced sites. The model HiGHS works on is ``model``: the
    reduced model itself, or the unreduced one with ``to_model`` (reduced plan to the
    model's sites) and ``from_model`` (the model's plan to a reduced plan of ``p`` sites
    that covers at least as much).

    :meth:`offer` queues a better plan, which HiGHS takes at its next user-solution
    callback (it prunes with it and its heuristics start from it); :meth:`best` returns
    the best plan HiGHS has found so far; :meth:`finish` waits for HiGHS (it stops at its
    time limit or at the gap tolerance) and returns its outcome.
    """

    def __init__(
        self,
        model: _Reduced,
        arrays: tuple[
            FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray
        ],
        start: list[int],
        *,
        time_limit_s: float,
        gap_tolerance: float,
        progress: _Progress | None,
        to_model: Callable[[list[int]], list[int]] | None = None,
        from_model: Callable[[list[int]], list[int]] | None = None,
    ) -> None:
        self.model = model
        self.n_sites = model.reach.shape[1]
        self._to_model = to_model or list
        self._from_model = from_model or list
        self._lock = threading.Lock()
        self._pending: FloatArray | None = None
        self._found: tuple[float, list[int]] | None = None
        self._translated: tuple[tuple[float, list[int]], list[int]] | None = None
        self.h = highs_model(
            *arrays,
            time_limit_s=time_limit_s,
            gap_tolerance=gap_tolerance,
            start=_start_vector(model, self._to_model(start)),
        )
        if progress is not None:
            _subscribe_progress(self.h, progress)
        self.h.cbMipImprovingSolution.subscribe(self._on_improving)
        self.h.cbMipUserSolution.subscribe(self._on_user_solution)
        self.h.cbMipInterrupt.subscribe(self._on_interrupt)
        self._stop = threading.Event()
        # highspy's startSolve keeps its "running" lock on the class, so it runs one
        # HiGHS at a time in a process; a plain thread runs several (run() frees the GIL)
        self._thread = threading.Thread(target=self.h.run, daemon=True)
        self._thread.start()

    def _on_interrupt(self, event: Any) -> None:
        if self._stop.is_set():
            event.interrupt()

    def _on_improving(self, event: Any) -> None:
        x = np.asarray(event.data_out.mip_solution, dtype=float)[: self.n_sites]
        with self._lock:
            self._found = (
                float(event.data_out.objective_function_value),
                [int(j) for j in np.flatnonzero(x > 0.5)],
            )

    def _on_user_solution(self, event: Any) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            event.data_in.setSolution(pending)

    def offer(self, chosen: list[int]) -> None:
        vector = _start_vector(self.model, self._to_model(chosen))
        with self._lock:
            self._pending = vector

    def best(self) -> tuple[float, list[int]] | None:
        """Return HiGHS's best objective so far and its plan as reduced sites."""
        with self._lock:
            found = self._found
        if found is None:
            return None
        if self._translated is None or self._translated[0] is not found:
            self._translated = (found, self._from_model(found[1]))
        return found[0], self._translated[1]

    def plan(self, out: _MipOutcome) -> list[int] | None:
        """Return the plan of HiGHS's final outcome as reduced sites, None without one."""
        if out.x is None:
            return None
        return self._from_model([int(j) for j in np.flatnonzero(out.x[: self.n_sites] > 0.5)])

    def running(self) -> bool:
        return self._thread.is_alive()

    def finish(self) -> _MipOutcome:
        self._thread.join()
        return _outcome(self.h)

    def stop(self) -> None:
        """Interrupt HiGHS (the caller already has what it needs) and wait for it.

        HiGHS sees the request at its next MIP interrupt check.
        """
        self._stop.set()
        self._thread.join()


# ----------------------------------------------------------- window search (LNS)


def _site_graph(red: _Reduced) -> sp.csr_matrix:
    """Sites linked when they reach a common demand point (so they interact)."""
    reach = sp.csr_matrix(red.reach, dtype=np.int32)
    graph = sp.csr_matrix(reach.T @ reach)
    graph.setdiag(0)
    graph.eliminate_zeros()
    return graph


def _window(graph: sp.csr_matrix, center: int, size: int) -> IntArray:
    """Return up to ``size`` sites near ``center`` (whole rings, then the most linked)."""
    seen = {center}
    ring = [center]
    out = [center]
    while ring and len(out) < size:
        nxt: dict[int, int] = {}
        for u in ring:
            lo, hi = graph.indptr[u], graph.indptr[u + 1]
            for v, common in zip(
                graph.indices[lo:hi].tolist(), graph.data[lo:hi].tolist(), strict=True
            ):
                if v not in seen:
                    nxt[v] = nxt.get(v, 0) + common
        ranked = sorted(nxt, key=lambda v: (-nxt[v], v))[: size - len(out)]
        seen.update(nxt)
        out.extend(ranked)
        ring = ranked
    return np.sort(np.asarray(out, dtype=np.int64))


def _reoptimise_window(
    red: _Reduced, chosen: list[int], window: IntArray, *, time_limit_s: float
) -> list[int]:
    """Best placement of the open sites inside ``window`` with the others kept (exact sub-MIP).

    The number of open sites inside the window is kept, so the answer stays feasible;
    the current placement is the MIP start, so the answer is never worse.
    """
    n_s = red.reach.shape[1]
    inside = np.zeros(n_s, dtype=bool)
    inside[window] = True
    outside_open = np.zeros(n_s, dtype=np.int8)
    outside_open[[j for j in chosen if not inside[j]]] = 1
    covered = np.asarray(red.reach @ outside_open).ravel() > 0
    touched = np.asarray(red.reach @ inside.astype(np.int8)).ravel() > 0
    rows = np.flatnonzero(touched & ~covered)
    sub = _Reduced(
        as_csr_bool(red.reach[rows][:, window], shape=(len(rows), len(window))),
        red.weight[rows],
        red.site_value[window],
        window,
        0.0,
    )
    local = [int(k) for k in np.flatnonzero(np.isin(window, chosen))]
    k = len(local)
    if k == 0 or k >= len(window):
        return list(chosen)
    out = solve_highs(
        *_mclp_arrays(sub, k), time_limit_s=time_limit_s, start=_start_vector(sub, local)
    )
    if out.x is None:
        return list(chosen)
    picked = [int(j) for j in np.flatnonzero(out.x[: len(window)] > 0.5)]
    if len(picked) != k or _objective(sub, picked) <= _objective(sub, local):
        return list(chosen)
    return [j for j in chosen if not inside[j]] + [int(window[j]) for j in picked]


def _out_of_time(deadline: float, mip: _BackgroundMip | None) -> bool:
    return time.perf_counter() >= deadline or (mip is not None and not mip.running())


def _plan_from_mip(mip: _BackgroundMip | None, value: float, p: int) -> list[int] | None:
    """Return HiGHS's best plan when it beats ``value`` with ``p`` sites, else None."""
    found = None if mip is None else mip.best()
    if found is not None and found[0] > value + 1e-9 and len(found[1]) == p:
        return list(found[1])
    return None


def _near(graph: sp.csr_matrix, window: IntArray) -> set[int]:
    """Return the window's sites and their neighbours in the site graph."""
    ends = [np.arange(graph.indptr[u], graph.indptr[u + 1]) for u in window]
    return set(np.unique(np.r_[window, graph.indices[np.concatenate(ends)]]).tolist())


def _tell(
    progress: _Progress | None,
    mip: _BackgroundMip | None,
    current: list[int],
    value: float,
    source: str,
) -> None:
    if progress is not None:
        progress.offer(value, source)
    if mip is not None:
        mip.offer(current)


def _window_search(
    red: _Reduced,
    chosen: list[int],
    *,
    deadline: float,
    sizes: Sequence[int] = (120, 250, 400),
    window_time_s: float = 2.0,
    stall_s: float = math.inf,
    progress: _Progress | None = None,
    details: dict[str, Any] | None = None,
    mip: _BackgroundMip | None = None,
) -> list[int]:
    """Large-neighbourhood search: re-optimise windows of nearby sites exactly, in turn.

    Windows are balls of the site graph centred on open sites; each is solved as a small
    MIP with the sites outside fixed (:func:`_reoptimise_window`). A window is solved
    again only when the open sites around it changed. Sizes grow once a size stops
    improving. Never returns a worse answer than ``chosen``. With ``mip`` (HiGHS running
    beside it on the whole model), every better plan goes to HiGHS, every better plan
    HiGHS finds is taken over, and the search stops once HiGHS has finished. It also
    stops at ``deadline`` and once its own windows and swaps have not improved the plan
    for ``stall_s`` seconds.
    """
    graph = _site_graph(red)
    current = list(chosen)
    value = _objective(red, current)
    gained = time.perf_counter()  # last improvement by a window or a swap

    def stop() -> bool:
        return _out_of_time(deadline, mip) or time.perf_counter() - gained > stall_s

    done: set[tuple[int, int, tuple[int, ...]]] = set()
    solved = 0
    for size in sizes:
        improved = True
        while improved:
            improved = False
            for center in sorted(current):
                if stop():
                    break
                found = _plan_from_mip(mip, value, len(current))
                if found is not None:
                    current, value, improved = found, _objective(red, found), True
                if center not in current:
                    continue
                window = _window(graph, center, size)
                near_set = _near(graph, window)
                key = (size, center, tuple(sorted(j for j in current if j in near_set)))
                if key in done:
                    continue
                done.add(key)
                solved += 1
                budget = min(window_time_s, deadline - time.perf_counter())
                if budget <= 0.01:
                    break
                candidate = _reoptimise_window(red, current, window, time_limit_s=budget)
                new_value = _objective(red, candidate)
                if new_value > value + 1e-9:
                    current, value, improved = candidate, new_value, True
                    gained = time.perf_counter()
                    _tell(progress, mip, current, value, f"window search ({size} sites)")
            if stop():
                break
            # windows move sites only locally; a global 1-swap pass (milliseconds) moves a
            # site across the country where the windows freed value
            swapped = _swap_search(red, current)
            swapped_value = _objective(red, swapped)
            if swapped_value > value + 1e-9:
                current, value, improved = swapped, swapped_value, True
                gained = time.perf_counter()
                _tell(progress, mip, current, value, "swaps after windows")
        if stop():
            break
    if details is not None:
        details["window_search_objective"] = value
        details["windows_solved"] = solved
    return current


def _solve_by_components(
    red: _Reduced, labels: IntArray, p: int, deadline: float, gap_tolerance: float
) -> tuple[list[int], float, float, str]:
    """Exact value curve f_c(k) per component, combined by a knapsack over k."""
    n_comp = int(labels.max()) + 1
    curves: list[list[tuple[float, float, list[int]]]] = []
    all_proven = True
    row_label = (
        labels[red.reach.indices[red.reach.indptr[:-1]]] if red.reach.shape[0] else np.zeros(0, int)
    )
    for c in range(n_comp):
        cols = np.flatnonzero(labels == c)
        rows = np.flatnonzero(row_label == c)
        sub = _Reduced(
            as_csr_bool(red.reach[rows][:, cols]),
            red.weight[rows],
            red.site_value[cols],
            cols,
            0.0,
        )
        total = float(sub.weight.sum() + sub.site_value.sum())
        curve: list[tuple[float, float, list[int]]] = [(0.0, 0.0, [])]
        for k in range(1, min(p, len(cols)) + 1):
            start, _ = _greedy_swap(sub, k)
            chosen, obj, bound, kind = _solve_mclp_mip(
                sub, k, start, deadline, gap_tolerance, polish=False, details={}
            )
            all_proven &= kind == "optimal"
            curve.append((obj, max(bound, obj), [int(cols[j]) for j in chosen]))
            if obj >= total - 1e-9:
                break
        curves.append(curve)
    # knapsack over components: best[k] on objectives, and separately on bounds
    best_obj, picks = _curve_knapsack([[c[0] for c in curve] for curve in curves], p)
    best_bound, _ = _curve_knapsack([[c[1] for c in curve] for curve in curves], p)
    chosen = [j for c, k in enumerate(picks) for j in curves[c][k][2]]
    # curves that stopped at saturation are flat afterwards, so the bound DP stays valid
    return chosen, best_obj, best_bound, "optimal" if all_proven else "time_limit"


def _curve_knapsack(curves: list[list[float]], p: int) -> tuple[float, list[int]]:
    """Maximise sum_c f_c(k_c) subject to sum_c k_c <= p (curves padded flat)."""
    neg = -math.inf
    best = np.full(p + 1, neg)
    best[0] = 0.0
    choice: list[IntArray] = []
    for curve in curves:
        values = np.array(curve + [curve[-1]] * max(0, p + 1 - len(curve)))[: p + 1]
        new = np.full(p + 1, neg)
        arg = np.zeros(p + 1, dtype=np.int64)
        for budget in range(p + 1):
            cand = best[budget - np.arange(budget + 1)] + values[: budget + 1]
            k = int(np.argmax(cand))
            new[budget], arg[budget] = cand[k], k
        best = new
        choice.append(arg)
    budget = int(np.argmax(best))
    total = float(best[budget])
    picks: list[int] = []
    for arg in reversed(choice):
        k = int(arg[budget])
        picks.append(k)
        budget -= k
    picks.reverse()
    # a component never needs more sites than its curve has entries
    picks = [min(k, len(curve) - 1) for k, curve in zip(picks, curves, strict=True)]
    return total, picks


# --------------------------------------------------------------------------- capacitated
