"""Where to put new teams: capacitated and plain maximal covering, solved exactly with HiGHS.

Everything here works on arrays: a sparse reach matrix (demand points by sites, only the
pairs within reach are stored, never a dense matrix), the need at each demand point and
the capacity of each site. :mod:`coverage.deploy` builds these arrays from an analysis
result and turns the solutions into explained plans.

Two models:

* :class:`coverage.mclp.MaximalCovering` -- the classic maximal covering location problem (MCLP,
  Church and ReVelle 1974): no capacities, a demand point counts once it is within reach
  of an open site. Reduced before solving (dominated sites, identical demand points,
  unreachable demand), split into connected components where that is exact, warm
  started from a greedy answer improved by swaps.
* :class:`CapacitatedCovering` -- what the planning tool uses: a site is credited only
  with the need its volunteers can serve, existing teams keep serving first, optional
  border requirement, exclusions, a per-commune limit and re-siting of existing teams.

Both report a status that never calls a time-limited answer optimal: ``optimal`` only
when HiGHS proves optimality with a relative gap of at most :data:`PROVEN_GAP`;
``time_limit`` (stopped by the time limit) and ``gap_limit`` (stopped at a requested
gap) carry the solver's proven bound; ``greedy`` is the quick heuristic answer.
"""

from __future__ import annotations

import functools
import heapq
import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

Status = Literal["optimal", "time_limit", "gap_limit", "infeasible", "greedy"]
Method = Literal["exact", "greedy"]

PROVEN_GAP = 1e-6
"""Largest relative gap (bound - objective) / bound still reported as proven optimal."""

TIE_BREAK_SHARE = 1e-7
"""Largest share of the total need all tie-break bonuses together may add to the objective."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Infeasibility:
    """Which constraint cannot be met, with the numbers that show it.

    ``reason`` is a stable key (translated as ``plan.infeasible.<reason>`` by
    :mod:`coverage.deploy`); ``params`` holds the numbers quoted in the message.
    """

    reason: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentSolution:
    """Answer of :class:`CapacitatedCovering`.

    Attributes
    ----------
    counts
        New teams placed at each option (column of the reach matrix).
    kept
        For each existing team, whether it stays where it is.
    served_by_option, served_by_existing
        Need served by the teams at each option / by each existing team. Existing teams
        are credited first (their service is the baseline), so ``served_by_option``
        sums to ``objective - baseline`` when no team is moved.
    served_at_demand
        Need served at each demand point, by all teams.
    flow, existing_flow
        Need of demand point ``i`` served from option ``j`` / existing team ``e``
        (sparse, demand points by options / by existing teams).
    objective
        Need served by all teams (existing and new).
    baseline
        Need the existing teams serve on their own, none moved.
    bound, gap, status, method, runtime_s
        As in :class:`CoveringSolution`; ``bound`` and ``gap`` are NaN when unknown.
    infeasibility
        Set when ``status == "infeasible"``: which constraint fails, with numbers.
    """

    counts: IntArray
    kept: BoolArray
    served_by_option: FloatArray
    served_by_existing: FloatArray
    served_at_demand: FloatArray
    flow: sp.csc_matrix
    existing_flow: sp.csc_matrix
    objective: float
    baseline: float
    bound: float
    gap: float
    status: Status
    method: Method
    runtime_s: float
    infeasibility: Infeasibility | None = None

    @property
    def added(self) -> float:
        """Need served in addition to what the existing teams serve on their own."""
        return self.objective - self.baseline


def relative_gap(objective: float, bound: float) -> float:
    """Return ``(bound - objective) / bound`` (0 when both are 0, never negative)."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    if bound <= 0:
        return 0.0
    return max(0.0, (bound - objective) / bound)


# --------------------------------------------------------------------------- HiGHS


@dataclass(frozen=True)
class _Outcome:
    kind: Literal["optimal", "time_limit", "gap_limit", "infeasible"]
    x: FloatArray | None
    objective: float
    bound: float
    runtime_s: float


def _as_csr_bool(matrix: Any, shape: tuple[int, int] | None = None) -> sp.csr_matrix:
    out = sp.csr_matrix(matrix, shape=shape, dtype=bool)
    out.eliminate_zeros()
    out.sum_duplicates()
    out.sort_indices()
    return out


_BANNER_LOCK = threading.Lock()


@functools.cache
def _silence_banner() -> bool:
    """Create the first Highs object with C-level stdout closed: HiGHS prints a banner then.

    Only the first construction in a process prints it; later ones are silent, so JSON
    written to stdout by the command line stays valid.
    """
    with _BANNER_LOCK:
        try:
            saved = os.dup(1)
        except OSError:
            highspy.Highs()  # type: ignore[no-untyped-call]
            return True
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    return True


def _new_highs() -> highspy.Highs:
    _silence_banner()
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    return h


def _solve_highs(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    integer: BoolArray,
    rows: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    time_limit_s: float,
    gap_tolerance: float = PROVEN_GAP,
    start: FloatArray | None = None,
    offset: float = 0.0,
) -> _Outcome:
    """Maximise ``cost @ x + offset`` with HiGHS and classify the outcome honestly."""
    started = time.perf_counter()
    h = _new_highs()
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    h.setOptionValue("mip_rel_gap", float(gap_tolerance))
    h.setOptionValue("mip_abs_gap", 1e-7)
    h.setOptionValue("random_seed", 0)
    lp = highspy.HighsLp()
    n, m = len(cost), rows.shape[0]
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.offset_ = float(offset)
    lp.sense_ = highspy.ObjSense.kMaximize
    csc = sp.csc_matrix(rows, shape=(m, n), dtype=float)
    csc.sort_indices()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    is_mip = bool(integer.any())
    if is_mip:
        lp.integrality_ = [highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                           for b in integer]
    h.passModel(lp)
    if is_mip and start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(start, dtype=float).tolist()
        h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    runtime = time.perf_counter() - started
    has_solution = int(info.primal_solution_status) == 2
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    objective = float(info.objective_function_value) if has_solution else -math.inf
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Outcome("infeasible", None, math.nan, math.nan, runtime)
    if not is_mip:
        if status == highspy.HighsModelStatus.kOptimal:
            return _Outcome("optimal", x, objective, objective, runtime)
        if status == highspy.HighsModelStatus.kTimeLimit:
            return _Outcome("time_limit", x, objective, math.inf, runtime)
        raise RuntimeError(f"HiGHS ended with {h.modelStatusToString(status)} on an LP")
    bound = float(info.mip_dual_bound)
    if status == highspy.HighsModelStatus.kOptimal:
        gap = relative_gap(objective, bound)
        kind: Literal["optimal", "gap_limit"] = "optimal" if gap <= PROVEN_GAP else "gap_limit"
        return _Outcome(kind, x, objective, max(bound, objective), runtime)
    if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt,
                  highspy.HighsModelStatus.kIterationLimit, highspy.HighsModelStatus.kSolutionLimit):
        return _Outcome("time_limit", x, objective, bound if math.isfinite(bound) else math.inf, runtime)
    raise RuntimeError(f"HiGHS ended with {h.modelStatusToString(status)}")


def _label(kind: str, objective: float, bound: float) -> Status:
    """Never call an answer optimal unless the gap is proven closed."""
    if kind in ("optimal", "gap_limit"):
        return "optimal" if relative_gap(objective, bound) <= PROVEN_GAP else "gap_limit"
    return kind  # type: ignore[return-value]


def status_from_highs(model_status: str, objective: float, bound: float) -> Status:
    """Map a HiGHS model status name and the bounds to a :data:`Status`.

    ``"Optimal"`` becomes ``"optimal"`` only if the relative gap is at most
    :data:`PROVEN_GAP`; ``"Time limit reached"`` is always ``"time_limit"``.
    """
    text = model_status.lower()
    if "infeasible" in text:
        return "infeasible"
    if text == "optimal":
        return _label("optimal", objective, bound)
    return "time_limit"


# ------------------------------------------------------------ capacitated model


class CapacitatedCovering:
    """Capacitated maximal covering with existing teams, for placing new volunteer teams.

    A team is credited only with the need its volunteers can serve, and need already
    served by existing teams is not counted again: all teams share one transportation
    flow from teams to the demand points they reach.

    Symbols
        :math:`I` demand points with need :math:`w_i \\ge 0` (people-hours, or whatever
        unit the capacities use, over the planning horizon); :math:`J` placement options
        (a candidate site with a team type); :math:`E` existing teams; :math:`a_{ij}=1`
        if option :math:`j` reaches :math:`i`, :math:`e_{ie}=1` if existing team
        :math:`e` reaches :math:`i`; :math:`c_j, c_e` capacities over the horizon;
        :math:`K` new teams; :math:`g(j)` the commune of option :math:`j` with limit
        :math:`N` per commune; :math:`B` required groups (border communes) with
        :math:`r_{bj}, r_{be}` = 1 if the team reaches group :math:`b`; :math:`R` the
        most existing teams that may move; :math:`\\tau(j)=0` for new-team options and
        :math:`\\tau(j)=t \\ge 1` for options that take a moved team of class :math:`t`
        (class :math:`E_t` of existing teams with the same mode and capacity).

    Variables
        :math:`y_j \\in \\mathbb{Z}_{\\ge 0}` teams placed at option :math:`j`;
        :math:`k_e \\in \\{0,1\\}` existing team :math:`e` stays (fixed at 1 unless
        re-siting); :math:`z_{ij}, v_{ie} \\ge 0` need of :math:`i` served by option
        :math:`j` / existing team :math:`e` (only for pairs within reach).

    .. math::

        \\max \\; \\sum_{ij} z_{ij} + \\sum_{ie} v_{ie}

    subject to

    .. math::

        \\sum_j z_{ij} + \\sum_e v_{ie} &\\le w_i                     && \\forall i
            \\quad\\text{(need is served once)}\\\\
        \\sum_i z_{ij} &\\le c_j\\, y_j                                && \\forall j
            \\quad\\text{(capacity of new teams)}\\\\
        \\sum_i v_{ie} &\\le c_e\\, k_e                                && \\forall e
            \\quad\\text{(capacity of existing teams)}\\\\
        \\sum_j z_{ij} &\\le w_i \\sum_j a_{ij} y_j                    && \\forall i
            \\quad\\text{(tightening: only open options serve)}\\\\
        \\sum_{j:\\tau(j)=0} y_j &= K                                 \\\\
        \\sum_{j:\\tau(j)=t} y_j &= \\sum_{e \\in E_t} (1 - k_e)       && \\forall t \\ge 1
            \\quad\\text{(a moved team is placed)}\\\\
        \\sum_e (1 - k_e) &\\le R                                     \\\\
        \\sum_{j: g(j)=g} y_j &\\le N                                 && \\forall g\\\\
        \\sum_j r_{bj} y_j + \\sum_e r_{be} k_e &\\ge 1               && \\forall b \\in B
            \\quad\\text{(every border commune reached)}

    and :math:`y_j = 0` for excluded options. With infinite capacities and
    :math:`R = 0` the model is the plain maximal covering problem
    (:class:`MaximalCovering`) plus the existing teams' coverage.

    Parameters
    ----------
    reach
        Sparse boolean matrix, demand points by options.
    need
        Need at each demand point over the horizon.
    capacity
        Capacity of one team at each option over the horizon (same unit as ``need``).
    existing_reach, existing_capacity
        Reach matrix (demand points by existing teams) and capacities of existing teams.
    option_group
        Group (commune) index of each option, for the per-commune limit and exclusions.
    option_class, existing_class
        Re-siting classes: ``0`` for new-team options; ``t >= 1`` for options that can
        take a moved existing team of class ``t`` (``existing_class``; 0 = cannot move).
    required, required_existing
        Sparse boolean matrices, required groups by options / by existing teams: which
        teams reach each group that must be reached (border communes).
    """

    def __init__(
        self,
        reach: Any,
        need: ArrayLike,
        capacity: ArrayLike,
        *,
        existing_reach: Any | None = None,
        existing_capacity: ArrayLike | None = None,
        option_group: ArrayLike | None = None,
        option_class: ArrayLike | None = None,
        existing_class: ArrayLike | None = None,
        required: Any | None = None,
        required_existing: Any | None = None,
    ) -> None:
        self.reach = _as_csr_bool(reach)
        n_d, n_o = self.reach.shape
        self.need = np.asarray(need, dtype=float)
        self.capacity = np.broadcast_to(np.asarray(capacity, dtype=float), (n_o,)).copy()
        if self.need.shape != (n_d,):
            raise ValueError(f"need has shape {self.need.shape}; expected ({n_d},)")
        if (self.need < 0).any() or (self.capacity < 0).any():
            raise ValueError("need and capacity must be non-negative")
        if existing_reach is None:
            existing_reach = sp.csr_matrix((n_d, 0), dtype=bool)
        self.existing_reach = _as_csr_bool(existing_reach)
        n_e = self.existing_reach.shape[1]
        if self.existing_reach.shape[0] != n_d:
            raise ValueError("existing_reach must have one row per demand point")
        self.existing_capacity = (np.zeros(0) if existing_capacity is None
                                  else np.asarray(existing_capacity, dtype=float))
        if self.existing_capacity.shape != (n_e,):
            raise ValueError(f"existing_capacity must have {n_e} values")
        self.option_group = (np.arange(n_o, dtype=np.int64) if option_group is None
                             else np.asarray(option_group, dtype=np.int64))
        self.option_class = (np.zeros(n_o, dtype=np.int64) if option_class is None
                             else np.asarray(option_class, dtype=np.int64))
        self.existing_class = (np.zeros(n_e, dtype=np.int64) if existing_class is None
                               else np.asarray(existing_class, dtype=np.int64))
        if required is None:
            required = sp.csr_matrix((0, n_o), dtype=bool)
        self.required = _as_csr_bool(required)
        if required_existing is None:
            required_existing = sp.csr_matrix((self.required.shape[0], n_e), dtype=bool)
        self.required_existing = _as_csr_bool(required_existing)

    @property
    def n_options(self) -> int:
        """Number of placement options."""
        return int(self.reach.shape[1])

    @property
    def n_existing(self) -> int:
        """Number of existing teams."""
        return int(self.existing_reach.shape[1])

    # ---------------------------------------------------------------- building

    def _arrays(
        self,
        n_new: int,
        *,
        allowed: BoolArray,
        max_per_group: int | None,
        relocate: int,
        require: bool,
        fixed_counts: IntArray | None = None,
        fixed_kept: BoolArray | None = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray,
               dict[str, Any]]:
        reach, ereach = self.reach, self.existing_reach
        n_d, n_o = reach.shape
        n_e = ereach.shape[1]
        zr, zc = reach.nonzero()              # sorted by demand
        vr, vc = ereach.nonzero()
        n_z, n_v = len(zr), len(vr)
        oy, ok, oz, ov = 0, n_o, n_o + n_e, n_o + n_e + n_z
        n_var = ov + n_v
        cost = np.r_[np.zeros(n_o + n_e), np.ones(n_z + n_v)]
        lower = np.zeros(n_var)
        upper = np.full(n_var, np.inf)
        movable = (self.existing_class > 0) & (relocate > 0)
        class_sizes = np.bincount(self.existing_class[movable], minlength=int(self.option_class.max()) + 1)
        cap_y = np.where(self.option_class == 0, n_new,
                         class_sizes[np.minimum(self.option_class, len(class_sizes) - 1)])
        if max_per_group is not None:
            cap_y = np.minimum(cap_y, max_per_group)
        upper[oy:ok] = np.where(allowed, cap_y, 0)
        lower[ok:oz] = np.where(movable, 0.0, 1.0)
        upper[ok:oz] = 1.0
        if fixed_counts is not None:
            lower[oy:ok] = upper[oy:ok] = fixed_counts
        if fixed_kept is not None:
            lower[ok:oz] = upper[ok:oz] = fixed_kept.astype(float)
        integer = np.zeros(n_var, dtype=bool)
        if fixed_counts is None:
            integer[oy:oz] = True
        blocks: list[sp.coo_matrix] = []
        lo: list[FloatArray] = []
        hi: list[FloatArray] = []
        row = 0

        def add(r: Any, c: Any, v: Any, n_rows: int, low: Any, high: Any) -> None:
            nonlocal row
            blocks.append(sp.coo_matrix((np.asarray(v, float), (np.asarray(r) + row, np.asarray(c))),
                                        shape=(row + n_rows, n_var)))
            lo.append(np.broadcast_to(np.asarray(low, float), (n_rows,)))
            hi.append(np.broadcast_to(np.asarray(high, float), (n_rows,)))
            row += n_rows

        # need
        add(np.r_[zr, vr], np.r_[oz + np.arange(n_z), ov + np.arange(n_v)], np.ones(n_z + n_v),
            n_d, -np.inf, self.need)
        # capacity of options and existing teams
        add(np.r_[zc, np.arange(n_o)], np.r_[oz + np.arange(n_z), oy + np.arange(n_o)],
            np.r_[np.ones(n_z), -self.capacity], n_o, -np.inf, 0.0)
        add(np.r_[vc, np.arange(n_e)], np.r_[ov + np.arange(n_v), ok + np.arange(n_e)],
            np.r_[np.ones(n_v), -self.existing_capacity], n_e, -np.inf, 0.0)
        # tightening: new-team service at i only from open options
        add(np.r_[zr, zr], np.r_[oz + np.arange(n_z), oy + zc],
            np.r_[np.ones(n_z), -self.need[zr]], n_d, -np.inf, 0.0)
        # number of new teams
        new = np.flatnonzero(self.option_class == 0)
        add(np.zeros(len(new), int), oy + new, np.ones(len(new)), 1, n_new, n_new)
        # moved teams are placed in options of their class
        classes = [t for t in range(1, len(class_sizes)) if class_sizes[t] > 0]
        for t in classes:
            cols = np.flatnonzero(self.option_class == t)
            members = np.flatnonzero(movable & (self.existing_class == t))
            add(np.zeros(len(cols) + len(members), int), np.r_[oy + cols, ok + members],
                np.ones(len(cols) + len(members)), 1, len(members), len(members))
        for t in set(np.unique(self.option_class[self.option_class > 0]).tolist()) - set(classes):
            cols = np.flatnonzero(self.option_class == t)
            upper[oy + cols] = 0
        if movable.any():
            members = np.flatnonzero(movable)
            add(np.zeros(len(members), int), ok + members, np.ones(len(members)), 1,
                len(members) - relocate, np.inf)
        if max_per_group is not None:
            groups, inverse = np.unique(self.option_group, return_inverse=True)
            add(inverse, oy + np.arange(n_o), np.ones(n_o), len(groups), -np.inf, max_per_group)
        if require and self.required.shape[0]:
            rq, eq = self.required.tocoo(), self.required_existing.tocoo()
            add(np.r_[rq.row, eq.row], np.r_[oy + rq.col, ok + eq.col], np.ones(rq.nnz + eq.nnz),
                self.required.shape[0], 1.0, np.inf)
        rows = _stack(blocks, row, n_var)
        layout = {"y": (oy, ok), "k": (ok, oz), "z": (oz, ov), "v": (ov, n_var),
                  "zr": zr, "zc": zc, "vr": vr, "vc": vc}
        return cost, lower, upper, integer, rows, np.concatenate(lo), np.concatenate(hi), layout

    # ---------------------------------------------------------------- evaluation

    def evaluate(self, counts: ArrayLike, kept: ArrayLike | None = None) -> DeploymentSolution:
        """Serve need with the given placement (an LP); existing teams are credited first.

        The objective ``(1 + 0.01) * existing + new`` has the same optimal total as
        ``existing + new``: a maximum flow can always keep the existing teams' own
        maximum and add the new teams by augmenting paths.
        """
        started = time.perf_counter()
        counts_arr = np.asarray(counts, dtype=np.int64)
        kept_arr = (np.ones(self.n_existing, dtype=bool) if kept is None
                    else np.asarray(kept, dtype=bool))
        cost, lower, upper, integer, rows, lo, hi, lay = self._arrays(
            int(counts_arr[self.option_class == 0].sum()), allowed=np.ones(self.n_options, bool),
            max_per_group=None, relocate=int((~kept_arr).sum()), require=False,
            fixed_counts=counts_arr, fixed_kept=kept_arr)
        # the fixed counts make the class/budget rows consistent by construction; drop them
        cost = cost.copy()
        cost[lay["v"][0]:lay["v"][1]] = 1.01
        out = _solve_highs(cost, lower, upper, integer, rows, np.full(len(lo), -np.inf),
                           np.where(np.isfinite(hi) & (lo == -np.inf), hi, np.inf),
                           time_limit_s=600.0)
        assert out.x is not None
        return self._solution(out.x, lay, counts_arr, kept_arr, objective_bound=math.nan,
                              status="greedy", method="greedy", runtime=time.perf_counter() - started)

    def _solution(self, x: FloatArray, lay: dict[str, Any], counts: IntArray, kept: BoolArray, *,
                  objective_bound: float, status: Status, method: Method, runtime: float,
                  baseline: float | None = None) -> DeploymentSolution:
        z = x[lay["z"][0]:lay["z"][1]]
        v = x[lay["v"][0]:lay["v"][1]]
        n_d = self.reach.shape[0]
        flow = sp.csc_matrix((z, (lay["zr"], lay["zc"])), shape=(n_d, self.n_options))
        existing_flow = sp.csc_matrix((v, (lay["vr"], lay["vc"])), shape=(n_d, self.n_existing))
        by_option = np.bincount(lay["zc"], weights=z, minlength=self.n_options).astype(float)
        by_existing = np.bincount(lay["vc"], weights=v, minlength=self.n_existing).astype(float)
        at_demand = (np.bincount(lay["zr"], weights=z, minlength=n_d)
                     + np.bincount(lay["vr"], weights=v, minlength=n_d)).astype(float)
        objective = float(z.sum() + v.sum())
        base = float(by_existing.sum()) if baseline is None else baseline
        return DeploymentSolution(counts, kept, by_option, by_existing, at_demand, flow,
                                  existing_flow, objective,
                                  base, objective_bound, relative_gap(objective, objective_bound),
                                  status, method, runtime)

    def baseline(self) -> float:
        """Need the existing teams serve on their own (no new team, none moved)."""
        return self.evaluate(np.zeros(self.n_options, dtype=np.int64)).objective

    # ---------------------------------------------------------------- checks

    def check(
        self,
        n_new: int,
        *,
        allowed: BoolArray,
        max_per_group: int | None,
        relocate: int,
        require: bool,
    ) -> Infeasibility | None:
        """Check simple necessary conditions; return the first that fails, with numbers."""
        new_ok = allowed & (self.option_class == 0)
        if n_new > 0 and not new_ok.any():
            return Infeasibility("no_sites", {"new_teams": n_new})
        if max_per_group is not None:
            places = int(len(np.unique(self.option_group[new_ok])) * max_per_group)
            if n_new > places:
                return Infeasibility("too_many_teams", {
                    "new_teams": n_new, "places": places, "per_commune": max_per_group,
                    "communes": int(len(np.unique(self.option_group[new_ok])))})
        if not require or self.required.shape[0] == 0:
            return None
        reached = np.asarray(self.required_existing.sum(axis=1)).ravel() > 0
        open_groups = np.flatnonzero(~reached)
        if len(open_groups) == 0:
            return None
        placeable = allowed.copy()
        sub = sp.csr_matrix(self.required[open_groups][:, np.flatnonzero(placeable)])
        cannot = open_groups[np.diff(sub.indptr) == 0]
        if len(cannot):
            return Infeasibility("border_unreachable", {"groups": [int(g) for g in cannot],
                                                        "count": int(len(cannot))})
        budget = n_new + relocate
        most = int(np.asarray(sub.sum(axis=0)).max())
        needed = _min_cover(sub, time_limit_s=5.0)
        if needed > budget:
            return Infeasibility("border_too_few", {
                "unreached": int(len(open_groups)), "needed": needed, "available": budget,
                "most_per_team": most})
        return None

    # ---------------------------------------------------------------- greedy

    def _greedy(self, n_new: int, *, allowed: BoolArray, max_per_group: int | None,
                require: bool, residual: FloatArray) -> IntArray | None:
        """Lazy greedy on ``min(capacity, residual need in reach)``; border communes first."""
        csc = sp.csc_matrix(self.reach)
        ok = allowed & (self.option_class == 0)
        options_per_demand = np.asarray(self.reach[:, np.flatnonzero(ok)].sum(axis=1)).ravel()
        r = residual.copy()
        counts = np.zeros(self.n_options, dtype=np.int64)
        per_group: dict[int, int] = {}

        def rows_of(j: int) -> IntArray:
            return np.asarray(csc.indices[csc.indptr[j]:csc.indptr[j + 1]], dtype=np.int64)

        def gain(j: int) -> float:
            return float(min(self.capacity[j], r[rows_of(j)].sum()))

        def room(j: int) -> bool:
            return max_per_group is None or per_group.get(int(self.option_group[j]), 0) < max_per_group

        def place(j: int) -> None:
            counts[j] += 1
            g = int(self.option_group[j])
            per_group[g] = per_group.get(g, 0) + 1
            left = float(self.capacity[j])
            rows = rows_of(j)
            for i in rows[np.argsort(options_per_demand[rows], kind="stable")]:
                take = min(left, r[i])
                r[i] -= take
                left -= take
                if left <= 0:
                    break

        placed = 0
        if require and self.required.shape[0]:
            todo = np.asarray(self.required_existing.sum(axis=1)).ravel() == 0
            req_csc = sp.csc_matrix(self.required)
            while todo.any() and placed < n_new:
                best, best_key = -1, (0, -1.0)
                for j in np.flatnonzero(ok):
                    hits = int(todo[req_csc.indices[req_csc.indptr[j]:req_csc.indptr[j + 1]]].sum())
                    if hits and room(int(j)):
                        key = (hits, gain(int(j)))
                        if key > best_key:
                            best, best_key = int(j), key
                if best < 0:
                    return None
                place(best)
                todo[req_csc.indices[req_csc.indptr[best]:req_csc.indptr[best + 1]]] = False
                placed += 1
            if todo.any():
                return None
        heap: list[tuple[float, int]] = [(-gain(int(j)), int(j)) for j in np.flatnonzero(ok)]
        heapq.heapify(heap)
        while heap and placed < n_new:
            _, pick = heapq.heappop(heap)
            if not room(pick):
                continue
            g = gain(pick)
            if heap and g < -heap[0][0] - 1e-9:
                heapq.heappush(heap, (-g, pick))
                continue
            place(pick)
            placed += 1
            heapq.heappush(heap, (-gain(pick), pick))
        return counts if placed == n_new else None

    # ---------------------------------------------------------------- solving

    def solve(
        self,
        n_new: int,
        *,
        allowed: ArrayLike | None = None,
        max_per_group: int | None = None,
        relocate: int = 0,
        require: bool = False,
        method: Method = "exact",
        time_limit_s: float = 60.0,
        gap_tolerance: float = PROVEN_GAP,
        tie_break: bool = True,
    ) -> DeploymentSolution:
        """Place ``n_new`` new teams (and move up to ``relocate`` existing ones).

        Parameters
        ----------
        n_new
            New teams to place (``K``).
        allowed
            Boolean mask of options that may take a team (exclusions are ``False``).
        max_per_group
            At most this many teams (new or moved) per group (commune).
        relocate
            Move at most this many existing teams (``R``); 0 keeps them all.
        require
            Enforce the required groups (every border commune reached).
        method
            ``"exact"`` (HiGHS, warm started from greedy) or ``"greedy"``.
        time_limit_s
            Wall-clock limit for HiGHS, seconds.
        gap_tolerance
            Relative gap at which HiGHS may stop.
        tie_break
            Among plans serving as much need, prefer options with more unmet need in
            reach (need no existing team reaches counts twice). Capacity is often binding
            everywhere, so many plans tie on need served. The bonus is a small term in the
            objective (at most :data:`TIE_BREAK_SHARE` of the total need), so the reported
            objective (need served, without the bonus) stays within the proven gap and the
            solver's bound remains a valid bound on it.
        """
        started = time.perf_counter()
        if n_new < 0 or relocate < 0:
            raise ValueError("n_new and relocate must be non-negative")
        mask = (np.ones(self.n_options, dtype=bool) if allowed is None
                else np.asarray(allowed, dtype=bool))
        base = self.evaluate(np.zeros(self.n_options, dtype=np.int64))
        problem = self.check(n_new, allowed=mask, max_per_group=max_per_group, relocate=relocate,
                             require=require)
        if problem is not None:
            return replace_status(base, "infeasible", method, time.perf_counter() - started, problem)
        residual = np.maximum(self.need - base.served_at_demand, 0.0)
        counts = self._greedy(n_new, allowed=mask, max_per_group=max_per_group, require=require,
                              residual=residual)
        warm = self.evaluate(counts) if counts is not None else None
        if method == "greedy":
            if warm is None:
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility("greedy_failed", {"new_teams": n_new}))
            return _finish(warm, base.objective, math.nan, "greedy", "greedy", started)
        cost, lower, upper, integer, rows, lo, hi, lay = self._arrays(
            n_new, allowed=mask, max_per_group=max_per_group, relocate=relocate, require=require)
        if tie_break:
            # among plans serving as much need, prefer options with more unmet need in reach
            # (need no existing team reaches counts twice); all bonuses together stay below
            # TIE_BREAK_SHARE of the total need, inside the proven-optimal tolerance
            unreached = np.asarray(self.existing_reach.sum(axis=1)).ravel() == 0
            score = np.asarray(sp.csr_matrix(self.reach, dtype=float).T
                               @ (residual + self.need * unreached)).ravel()
            teams = max(1, n_new + relocate)
            scale = TIE_BREAK_SHARE * float(self.need.sum()) / teams / max(1.0, float(score.max()))
            cost = cost.copy()
            cost[lay["y"][0]:lay["y"][1]] = score * scale
        start = None
        if warm is not None:
            start = np.zeros(len(cost))
            start[lay["y"][0]:lay["y"][1]] = warm.counts
            start[lay["k"][0]:lay["k"][1]] = 1.0
            start[lay["z"][0]:lay["z"][1]] = np.asarray(warm.flow[lay["zr"], lay["zc"]]).ravel()
            start[lay["v"][0]:lay["v"][1]] = np.asarray(
                warm.existing_flow[lay["vr"], lay["vc"]]).ravel()
        out = _solve_highs(cost, lower, upper, integer, rows, lo, hi,
                           time_limit_s=time_limit_s - (time.perf_counter() - started),
                           gap_tolerance=gap_tolerance, start=start)
        if out.kind == "infeasible":
            return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                  Infeasibility("combined", {"new_teams": n_new, "relocate": relocate,
                                                             "per_commune": max_per_group}))
        if out.x is None:
            if warm is None:
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility("no_answer_in_time", {"time_limit_s": time_limit_s}))
            return _finish(warm, base.objective, out.bound, "time_limit", "exact", started)
        y = np.rint(out.x[lay["y"][0]:lay["y"][1]]).astype(np.int64)
        k = out.x[lay["k"][0]:lay["k"][1]] > 0.5
        final = self.evaluate(y, k)
        if warm is not None and warm.objective > final.objective:
            final = warm
        bound = max(out.bound, final.objective)
        return _finish(final, base.objective, bound, _label(out.kind, final.objective, bound),
                       "exact", started)

    # ---------------------------------------------------------------- explanations

    def alternatives(self, solution: DeploymentSolution, *, allowed: ArrayLike | None = None,
                     max_per_group: int | None = None, require: bool = False,
                     candidates: int = 5) -> list[Alternative]:
        """For each option holding a new team, what it adds and the best swap instead.

        ``adds`` is the need lost if that team were left out; ``alternative_adds`` what
        the best other option adds in its place (exact LPs on the ``candidates`` options
        with the largest estimated gain; swaps that break a requirement are skipped).
        """
        mask = (np.ones(self.n_options, dtype=bool) if allowed is None
                else np.asarray(allowed, dtype=bool))
        out: list[Alternative] = []
        csc = sp.csc_matrix(self.reach, dtype=float)
        for j in np.flatnonzero((solution.counts > 0) & (self.option_class == 0)):
            without = solution.counts.copy()
            without[j] -= 1
            rest = self.evaluate(without, solution.kept)
            residual = np.maximum(self.need - rest.served_at_demand, 0.0)
            estimate = np.minimum(self.capacity, np.asarray(csc.T @ residual).ravel())
            ok = mask & (self.option_class == 0)
            ok[j] = False
            if max_per_group is not None:
                used = np.bincount(self.option_group, weights=without,
                                   minlength=int(self.option_group.max()) + 1)
                ok &= used[self.option_group] < max_per_group
            if require and self.required.shape[0]:
                ok &= self._still_reached(without, solution.kept)
            best, best_value = -1, -math.inf
            for k in np.argsort(-np.where(ok, estimate, -np.inf), kind="stable")[:candidates]:
                if not ok[k]:
                    break
                trial = without.copy()
                trial[k] += 1
                value = self.evaluate(trial, solution.kept).objective
                if value > best_value:
                    best, best_value = int(k), value
            out.append(Alternative(int(j), solution.objective - rest.objective,
                                   best if best >= 0 else None,
                                   best_value - rest.objective if best >= 0 else math.nan))
        return out

    def _still_reached(self, counts: IntArray, kept: BoolArray) -> BoolArray:
        """Options that, added to ``counts``, leave every required group reached."""
        have = (np.asarray(self.required @ (counts > 0).astype(np.int64)).ravel()
                + np.asarray(self.required_existing @ kept.astype(np.int64)).ravel()) > 0
        missing = np.flatnonzero(~have)
        if len(missing) == 0:
            return np.ones(self.n_options, dtype=bool)
        sub = sp.csc_matrix(self.required[missing])
        hits: BoolArray = np.asarray(sub.sum(axis=0)).ravel() == len(missing)
        return hits


@dataclass(frozen=True)
class Alternative:
    """What a chosen option adds, and the best other option in its place."""

    option: int
    adds: float
    alternative: int | None
    alternative_adds: float


def _finish(sol: DeploymentSolution, baseline: float, bound: float, status: Status, method: Method,
            started: float) -> DeploymentSolution:
    from dataclasses import replace

    return replace(sol, baseline=baseline, bound=bound, gap=relative_gap(sol.objective, bound),
                   status=status, method=method, runtime_s=time.perf_counter() - started)


def replace_status(sol: DeploymentSolution, status: Status, method: Method, runtime_s: float,
                   problem: Infeasibility | None = None) -> DeploymentSolution:
    """Return ``sol`` (usually the baseline) relabelled, e.g. as infeasible with a reason."""
    from dataclasses import replace

    return replace(sol, status=status, method=method, runtime_s=runtime_s, infeasibility=problem,
                   baseline=sol.objective, bound=math.nan, gap=math.nan)


def _stack(blocks: list[sp.coo_matrix], n_rows: int, n_var: int) -> sp.csr_matrix:
    r = np.concatenate([b.row for b in blocks]) if blocks else np.zeros(0, int)
    c = np.concatenate([b.col for b in blocks]) if blocks else np.zeros(0, int)
    v = np.concatenate([b.data for b in blocks]) if blocks else np.zeros(0)
    return sp.csr_matrix((v, (r, c)), shape=(n_rows, n_var))


def _min_cover(matrix: sp.csr_matrix, *, time_limit_s: float) -> int:
    """Fewest columns reaching every row (a lower bound if the time limit stops it)."""
    n_rows, n_cols = matrix.shape
    if n_rows == 0:
        return 0
    out = _solve_highs(-np.ones(n_cols), np.zeros(n_cols), np.ones(n_cols), np.ones(n_cols, bool),
                       sp.csr_matrix(matrix, dtype=float), np.ones(n_rows), np.full(n_rows, np.inf),
                       time_limit_s=time_limit_s)
    if out.kind == "infeasible":
        return int(n_cols) + 1
    if not math.isfinite(out.bound):
        return 0
    return int(math.ceil(-float(out.bound) - 1e-6))
