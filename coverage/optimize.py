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
  with the need its volunteers can serve, existing teams keep serving first, and the
  need served is valued with diminishing returns (full value up to an adequacy
  threshold, less beyond it) and priority weights, so that plans differ in value even
  when every team's capacity is used up. Optional border requirement, exclusions, a
  per-commune limit and re-siting of existing teams.

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
from dataclasses import dataclass, field, replace
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
"""Largest share of the value a plan adds that all tie-break bonuses together may add."""

HIGHS_OPTIONS: dict[str, Any] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_allow_restart": False,
}
"""HiGHS options for :class:`CapacitatedCovering`, chosen by timing Gia Lai (10 new teams,
border requirement): the warm start is already a good plan, so the sub-MIP heuristics
mostly cost time, and restarting the root after reduced-cost fixing made the search
take a different, slower path (several times slower together). The proof is unchanged."""

RESITE_HIGHS_OPTIONS: dict[str, Any] = {
    "presolve": "off",
    "mip_heuristic_run_rins": True,
    "mip_heuristic_run_rens": True,
}
"""HiGHS options added to :data:`HIGHS_OPTIONS` when existing teams may move, chosen by
timing Gia Lai (K = 0..10 new teams, R = 1..3 moves): presolve spent up to 40 s probing
the binaries of the moved-team options before a root that takes a fraction of a second,
and with many plans of nearly equal value the search finds the best one much sooner with
the RINS/RENS sub-MIPs on (a good incumbent is most of the proof there)."""

LARGE_MODEL_COLUMNS = 50_000
"""From this many MIP columns on, :class:`CapacitatedCovering` first solves the LP
relaxation (its optimum is a bound even if the search stops early) and drops options by
reduced cost against the warm start. On a national instance (208,000 columns) HiGHS
otherwise spends a 120 s limit before its root bound; on a province (3,600 columns) the
smaller model made the search slower, so small models go straight to the MIP."""

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

    Two measures are reported side by side: the *service value* (need served, weighted
    by tier and priority, see :class:`CapacitatedCovering`), which the solver maximises
    and proves, and the raw *need served* (resident-equivalents over the horizon).

    Attributes
    ----------
    counts
        New teams placed at each option (column of the reach matrix).
    kept
        For each existing team, whether it stays where it is.
    served_by_option, value_by_option
        Need served by the teams at each option, and the service value that adds. At a
        demand point served by several options the below-threshold part is shared in
        proportion to their flows, so ``value_by_option`` sums to ``added`` when no team
        is moved.
    served_by_existing
        Need credited to each existing team (its need-proportional share, as in the
        analysis); 0 for a moved team.
    served_at_demand, below_threshold_at_demand
        Need served at each demand point by all teams, and the part of it below the
        point's threshold (tier A).
    flow
        Need of demand point ``i`` served from option ``j`` (sparse, points by options).
    objective, baseline
        Service value of all teams (existing and new), and of the existing teams alone,
        none moved.
    served, baseline_served
        Need served by all teams, and by the existing teams alone.
    bound
        Proven upper bound on ``objective`` (NaN when unknown).
    gap
        Relative gap measured on what the plan adds:
        ``(bound - objective) / (bound - baseline)`` (NaN when unknown).
    status, method, runtime_s
        How the answer was found, and the wall clock in seconds.
    infeasibility
        Set when ``status == "infeasible"``: which constraint fails, with numbers.
    """

    counts: IntArray
    kept: BoolArray
    served_by_option: FloatArray
    value_by_option: FloatArray
    served_by_existing: FloatArray
    served_at_demand: FloatArray
    below_threshold_at_demand: FloatArray
    flow: sp.csc_matrix
    objective: float
    baseline: float
    served: float
    baseline_served: float
    bound: float
    gap: float
    status: Status
    method: Method
    runtime_s: float
    infeasibility: Infeasibility | None = None

    @property
    def added(self) -> float:
        """Service value added to what the existing teams give on their own."""
        return self.objective - self.baseline

    @property
    def added_served(self) -> float:
        """Need served in addition to what the existing teams serve on their own."""
        return self.served - self.baseline_served


@dataclass(frozen=True)
class Alternative:
    """What a chosen option adds, and the best other option in its place.

    ``adds``/``adds_served`` are the service value / need lost if that team were left
    out; ``alternative_adds``/``alternative_served`` what the best other option adds in
    its place (NaN when no other option is allowed). When that alternative is just as
    good, ``worse_adds`` is the most any option adds that is strictly less (NaN if none).
    """

    option: int
    adds: float
    adds_served: float
    alternative: int | None
    alternative_adds: float
    alternative_served: float
    worse_adds: float = math.nan


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
    col_dual: FloatArray | None = None


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
    options: dict[str, Any] | None = None,
) -> _Outcome:
    """Maximise ``cost @ x + offset`` with HiGHS and classify the outcome honestly.

    ``options`` are extra HiGHS options (name to value), set after the defaults.
    """
    started = time.perf_counter()
    h = _new_highs()
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    h.setOptionValue("mip_rel_gap", float(gap_tolerance))
    h.setOptionValue("mip_abs_gap", 1e-7)
    h.setOptionValue("random_seed", 0)
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
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
            dual = np.asarray(h.getSolution().col_dual, dtype=float)
            return _Outcome("optimal", x, objective, objective, runtime, dual)
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
    """Capacitated maximal covering with tiered, priority-weighted service value.

    A team is credited only with the need its volunteers can serve. Existing teams serve
    first, with the need-proportional share the analysis credits them
    (:func:`coverage.need.share_by_need`), and need is never counted twice: new teams
    serve only what is left. Because a team's capacity is usually far smaller than the
    need around it, maximising raw need served is degenerate (every site serves exactly
    its capacity); the need served is therefore *valued* with diminishing returns and
    priorities, so the next team goes where it lifts the most residents of under-served
    places toward an adequacy threshold.

    Symbols
        :math:`I` demand points with need :math:`w_i \\ge 0` (resident-equivalents over
        the horizon); :math:`E` existing teams with capacity :math:`c_e` over the
        horizon, crediting :math:`x_{ie}` at point :math:`i` (share of :math:`c_e` in
        proportion to the need of the points it reaches, scaled down where the shares
        exceed :math:`w_i`), :math:`X_i = \\sum_e x_{ie}`; :math:`A_i \\ge 0` the tier-A
        need at :math:`i` (need still missing to reach the adequacy threshold with the
        existing teams in place; by default all unmet need) and
        :math:`T_i = X_i + A_i` the threshold; :math:`p_i > 0` the priority weight;
        :math:`\\beta \\in [0, 1]` the value of a unit beyond the threshold
        (``beyond_threshold_weight``); :math:`J` placement options (a candidate site with
        a team type), :math:`a_{ij} = 1` if option :math:`j` reaches :math:`i`,
        :math:`c_j` capacity over the horizon; :math:`K` new teams; :math:`g(j)` the
        commune of option :math:`j` with limit :math:`N` per commune; :math:`B` required
        groups (border communes) with :math:`r_{bj}, r_{be} = 1` if the option / existing
        team reaches group :math:`b`; :math:`R` the most existing teams that may move;
        :math:`\\tau(j) = 0` for new-team options and :math:`\\tau(j) = t \\ge 1` for
        options that take a moved team of class :math:`t` (class :math:`E_t`).

    Value
        Need served at :math:`i` by all teams, :math:`S_i`, is worth

        .. math::

            v_i(S_i) = p_i \\left[ \\min(S_i, T_i) + \\beta \\max(S_i - T_i, 0) \\right],

        i.e. :math:`p_i` per resident-equivalent up to the threshold (tier A) and
        :math:`\\beta p_i` beyond it (tier B): a concave, diminishing-returns value of
        service, a standard equity device. Every team's credit lies within the threshold
        (:math:`X_i \\le T_i`), so the credit of a kept team is all tier A: with a set
        :math:`M` of teams moved, the tier-A room left for the new flows at :math:`i` is
        :math:`A_i + \\sum_{e \\in M} x_{ie}` and the tier-B room :math:`B_i = w_i - T_i`,
        whatever moves. A moved team's credit :math:`L_e = \\sum_i p_i x_{ie}` is lost; the
        room it frees can be refilled by teams placed nearby.

    Reductions (exact)
        Demand points with the same priority and the same options in reach are merged
        into groups :math:`g` (rooms :math:`A_g, B_g` and credits :math:`x_{ge}` add up:
        every option serving the group reaches each of its points). Options with the
        same reach form a pool :math:`q` (a site with its new-team and moved-team
        options) that shares its flow variables: a pool's flow can be split between its
        options in any way, so only their total capacity counts.

    Variables
        :math:`y_j \\in \\mathbb{Z}_{\\ge 0}` teams placed at option :math:`j`;
        :math:`k_e \\in \\{0,1\\}` movable existing team :math:`e` stays (only when
        re-siting; the others always stay); :math:`z^A_{gq}, z^B_{gq} \\ge 0` need of
        group :math:`g` served from pool :math:`q` below / beyond the threshold (only
        pairs within reach).

    Objective (the value the plan adds to what the existing teams give in place)

    .. math::

        \\max \\; \\sum_e L_e (k_e - 1)
            + \\sum_{g, q} p_g \\left( z^A_{gq} + \\beta z^B_{gq} \\right)

    subject to

    .. math::

        \\sum_q z^A_{gq} &\\le A_g + \\sum_e x_{ge} (1 - k_e)          && \\forall g
            \\quad\\text{(tier A is served once; moves free room)}\\\\
        \\sum_q z^B_{gq} &\\le B_g                                   && \\forall g
            \\quad\\text{(tier B is served once; need is never counted twice)}\\\\
        \\sum_g (z^A_{gq} + z^B_{gq}) &\\le \\sum_{j \\in q} c_j y_j     && \\forall q
            \\quad\\text{(capacity)}\\\\
        z^A_{gq} &\\le \\sum_{j \\in q} \\min(A_g, c_j)\\, y_j
            + \\sum_e \\min(x_{ge}, P_q) (1 - k_e)                     && \\forall g, q
            \\quad\\text{(strong linking)}\\\\
        \\sum_g z^A_{gq} &\\le \\sum_{j \\in q} \\min(A_q, c_j)\\, y_j
            + \\sum_e \\min(X_{eq}, (P_q - A_q)^+) (1 - k_e)           && \\forall q
            \\quad\\text{(freed room uses spare capacity)}\\\\
        \\sum_{j:\\tau(j)=0} y_j &= K                                  \\\\
        \\sum_{j:\\tau(j)=t} y_j &= \\sum_{e \\in E_t} (1 - k_e)          && \\forall t \\ge 1
            \\quad\\text{(a moved team is placed)}\\\\
        \\sum_e (1 - k_e) &\\le R                                      \\\\
        \\sum_{j: g(j)=g} y_j &\\le N                                  && \\forall g\\\\
        \\sum_j r_{bj} y_j + \\sum_e r_{be} k_e &\\ge 1                 && \\forall b \\in B
            \\quad\\text{(every border commune reached)}

    and :math:`y_j = 0` for excluded options, where :math:`P_q` is the most capacity pool
    :math:`q` can hold (at most :math:`N` teams of its largest type when its options
    share a commune), :math:`A_q = \\sum_{g \\in q} A_g` the tier-A room in its reach and
    :math:`X_{eq}` team :math:`e`'s credit there. The two linking rows are implied by
    capacity and room for integer :math:`y`, so they change the relaxation only: the
    first makes a pool serve below-threshold need only in proportion to the teams
    placed (with moves, plus the room they free), the second lets a pool refill freed
    room only with the capacity its own room leaves (without it a fraction of a move
    paired with a fraction of a team nearby looks like a perfectly refilled move, and
    the relaxation spreads the last move over many teams). The freed-room terms use
    :math:`1 - k_e` rather than the product :math:`y_j (1 - k_e)`: the products tighten
    the relaxation a little more but double the model, and the proof took longer. Since
    :math:`\\beta \\le 1`, the solver fills tier A first, so the optimum equals
    :math:`\\max \\sum_i v_i(S_i)` less the baseline. A moved team serves at its new site
    with the capacity of its class. With :math:`\\beta = 1` and :math:`p_i = 1` the value
    is the need served (the classic capacitated covering objective). The gap is measured
    on the value the plan adds.

    Parameters
    ----------
    reach
        Sparse boolean matrix, demand points by options.
    need
        Need at each demand point over the horizon (:math:`w`).
    capacity
        Capacity of one team at each option over the horizon (same unit as ``need``).
    existing_reach, existing_capacity
        Reach matrix (demand points by existing teams) and capacities of existing teams.
    tier_a
        Tier-A need at each demand point (:math:`A`), clipped to the need left by the
        existing teams; default all of it.
    priority
        Priority weight of each demand point (:math:`p`); default 1.
    beyond_threshold_weight
        Value of a unit served beyond the threshold (:math:`\\beta`).
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
        tier_a: ArrayLike | None = None,
        priority: ArrayLike | None = None,
        beyond_threshold_weight: float = 0.25,
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
        if not 0.0 <= beyond_threshold_weight <= 1.0:
            raise ValueError(f"beyond_threshold_weight must be between 0 and 1 "
                             f"(got {beyond_threshold_weight})")
        self.beyond_threshold_weight = float(beyond_threshold_weight)
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
        # need-proportional credit of each existing team, scaled down where over-credited
        covers = sp.csc_matrix(self.existing_reach, dtype=float)
        reached = np.asarray(covers.T @ self.need).ravel()
        per_unit = np.divide(self.existing_capacity, reached, out=np.zeros(n_e), where=reached > 0)
        credit = sp.csr_matrix(sp.diags(self.need) @ covers @ sp.diags(per_unit))
        total = np.asarray(credit.sum(axis=1)).ravel()
        scale = np.divide(self.need, total, out=np.ones(n_d), where=total > self.need)
        self.existing_credit: sp.csc_matrix = sp.csc_matrix(sp.diags(scale) @ credit)
        self.existing_served: FloatArray = np.minimum(total, self.need)
        left = np.maximum(self.need - self.existing_served, 0.0)
        tier = left if tier_a is None else np.asarray(tier_a, dtype=float)
        if tier.shape != (n_d,) or (tier < 0).any():
            raise ValueError(f"tier_a must be {n_d} non-negative values")
        self.threshold: FloatArray = self.existing_served + np.minimum(tier, left)
        self.priority: FloatArray = (np.ones(n_d) if priority is None
                                     else np.asarray(priority, dtype=float).copy())
        if self.priority.shape != (n_d,) or (self.priority < 0).any():
            raise ValueError(f"priority must be {n_d} non-negative values")
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
        self._reach_csc = sp.csc_matrix(self.reach)
        self.highs_options: dict[str, Any] = dict(HIGHS_OPTIONS)

    @property
    def n_options(self) -> int:
        """Number of placement options."""
        return int(self.reach.shape[1])

    @property
    def n_existing(self) -> int:
        """Number of existing teams."""
        return int(self.existing_reach.shape[1])

    @property
    def tier_a(self) -> FloatArray:
        """Tier-A need at each point with every existing team in place (:math:`A_i`)."""
        return self.threshold - self.existing_served

    def value_of(self, served_at_demand: ArrayLike) -> float:
        """Service value of serving ``served_at_demand`` at each point (the objective)."""
        s = np.asarray(served_at_demand, dtype=float)
        b = self.beyond_threshold_weight
        return float(self.priority @ (b * s + (1.0 - b) * np.minimum(s, self.threshold)))

    # ---------------------------------------------------------------- building

    def _arrays(
        self,
        n_new: int,
        *,
        allowed: BoolArray,
        max_per_group: int | None,
        relocate: int,
        require: bool,
        movable: BoolArray | None = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray, FloatArray,
               dict[str, Any]]:
        """The MIP of the class docstring; the solver's objective is the value the plan adds.

        Two exact reductions: demand points with the same priority and the same options
        in reach are merged into groups (their rooms and the movable teams' credit there
        add up: every option serving the group reaches each of its points), and options
        with the same reach form a pool that shares its flow variables (the flow can be
        split between the pool's options in any way, so only their total capacity counts).
        ``movable`` narrows the teams that may move (default: every team of a class
        ``>= 1`` whose class has an allowed option, when ``relocate > 0``).
        """
        n_o = self.reach.shape[1]
        b = self.beyond_threshold_weight
        # bounds of y (new and moved teams)
        n_class = int(max(self.option_class.max(initial=0), self.existing_class.max(initial=0))) + 1
        may_move = (self.existing_class > 0) & (relocate > 0)
        if movable is not None:
            may_move &= np.asarray(movable, dtype=bool)
        class_sizes = np.bincount(self.existing_class[may_move], minlength=n_class)
        cap_y = np.where(self.option_class == 0, n_new,
                         np.minimum(class_sizes[self.option_class], relocate))
        if max_per_group is not None:
            cap_y = np.minimum(cap_y, max_per_group)
        upper_y = np.where(allowed, cap_y, 0).astype(float)
        # a team can move only if its class has an allowed option
        has_room = np.bincount(self.option_class, weights=upper_y, minlength=n_class) > 0
        may_move &= has_room[self.existing_class]
        class_sizes = np.bincount(self.existing_class[may_move], minlength=n_class)
        upper_y[(self.option_class > 0) & (class_sizes[self.option_class] == 0)] = 0.0
        moving = np.flatnonzero(may_move)
        n_m = len(moving)
        credit_fixed = np.asarray(self.existing_credit @ (~may_move).astype(float)).ravel()
        m_credit = sp.csc_matrix(self.existing_credit[:, moving])
        # every team's credit is within the threshold (X <= T), so kept credit is all
        # tier A: the tier-A room left for the decisions is T - X plus the credit of the
        # teams that move, the tier-B room w - T whatever moves
        credit_all = np.asarray(self.existing_credit.sum(axis=1)).ravel()
        left = np.maximum(self.need - credit_all, 0.0)
        room_a = np.minimum(np.maximum(self.threshold - credit_all, 0.0), left)
        room_b = left - room_a
        freed = np.asarray(m_credit.sum(axis=1)).ravel()
        open_cols = np.flatnonzero(upper_y > 0)
        # pools: options with the same reach
        pool_of = np.full(n_o, -1, dtype=np.int64)
        seen: dict[bytes, int] = {}
        csc = self._reach_csc
        for j in open_cols:
            key = csc.indices[csc.indptr[j]:csc.indptr[j + 1]].tobytes()
            pool_of[j] = seen.setdefault(key, len(seen))
        n_pool = len(seen)
        first_col = np.zeros(n_pool, dtype=np.int64)
        first_col[pool_of[open_cols[::-1]]] = open_cols[::-1]
        in_pool = sp.csr_matrix((np.ones(len(open_cols)), (pool_of[open_cols], open_cols)),
                                shape=(n_pool, n_o))
        # demand points the decisions can serve, merged into groups
        sub = sp.csr_matrix(self.reach[:, first_col], dtype=float)
        points = np.flatnonzero((np.diff(sub.indptr) > 0) & (room_a + freed + room_b > 1e-12))
        if len(points):
            rng = np.random.default_rng(12345)
            h = np.asarray(sub[points] @ rng.random((n_pool, 2)))
            _, first, group = np.unique(np.column_stack([h, self.priority[points]]), axis=0,
                                        return_index=True, return_inverse=True)
            group = np.asarray(group, dtype=np.int64).ravel()
            rep = points[first]
        else:
            group = np.zeros(0, dtype=np.int64)
            rep = points
        n_g = len(rep)
        tiny = 1e-9 * max(1.0, float(self.capacity.max(initial=0.0)))
        to_group = sp.csr_matrix((np.ones(len(points)), (group, points)),
                                 shape=(n_g, self.reach.shape[0]))
        g_a: FloatArray = np.asarray(np.bincount(group, weights=room_a[points], minlength=n_g),
                                     dtype=float)
        g_b: FloatArray = np.asarray(np.bincount(group, weights=room_b[points], minlength=n_g),
                                     dtype=float)
        mc = sp.coo_matrix(to_group @ m_credit)                 # groups x moving teams
        mc.data[mc.data < tiny] = 0.0
        mc.eliminate_zeros()
        g_free = np.bincount(mc.row, weights=mc.data, minlength=n_g)
        g_a[g_a < tiny] = 0.0
        g_b[g_b < tiny] = 0.0
        g_p = self.priority[rep]
        pair = sp.csr_matrix(self.reach[rep][:, first_col]).tocoo()
        pr, pc = pair.row.astype(np.int64), pair.col.astype(np.int64)
        a_pair, b_pair = g_a[pr] + g_free[pr] > 0, g_b[pr] > 0
        ar, ac = pr[a_pair], pc[a_pair]
        br, bc = pr[b_pair], pc[b_pair]
        n_za, n_zb = len(ar), len(br)
        oy = 0
        ok = oy + n_o
        oza = ok + n_m
        ozb = oza + n_za
        n_var = ozb + n_zb
        cost = np.zeros(n_var)
        cost[ok:oza] = np.asarray(m_credit.T @ self.priority).ravel()   # kept credit, tier A
        cost[oza:ozb] = g_p[ar]
        cost[ozb:] = b * g_p[br]
        lower = np.zeros(n_var)
        upper = np.full(n_var, np.inf)
        upper[oy:ok] = upper_y
        upper[ok:oza] = 1.0
        integer = np.zeros(n_var, dtype=bool)
        integer[oy:oza] = True
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

        za, zb = oza + np.arange(n_za), ozb + np.arange(n_zb)
        # tier rooms: tier A grows by the credit of the teams that move
        add(np.r_[ar, mc.row], np.r_[za, ok + mc.col], np.r_[np.ones(n_za), mc.data], n_g,
            -np.inf, g_a + g_free)
        add(br, zb, np.ones(n_zb), n_g, -np.inf, g_b)
        # capacity of pools (those that can serve someone)
        used, used_pos = np.unique(np.r_[ac, bc], return_inverse=True)
        at = np.full(n_pool, -1, dtype=np.int64)
        at[used] = np.arange(len(used))
        cols = open_cols[at[pool_of[open_cols]] >= 0]
        add(np.r_[used_pos, at[pool_of[cols]]], np.r_[za, zb, oy + cols],
            np.r_[np.ones(n_za + n_zb), -self.capacity[cols]], len(used), -np.inf, 0.0)
        # strong linking for tier A: a pool serves below-threshold need only in proportion
        # to the teams placed, plus the room freed by moves (the same rows for tier B made
        # the proof ~10x slower on Gia Lai without tightening the bound; tier B is tied to
        # y by the capacity rows alone); with moves, one more row per pool: freed room is
        # served only with the capacity the pool's own room leaves
        pair_to_pool = sp.csr_matrix((np.ones(n_za), (np.arange(n_za), ac)), shape=(n_za, n_pool))
        pm = sp.coo_matrix(pair_to_pool @ in_pool)              # tier-A pairs x options in their pool
        link_r, link_c = [np.arange(n_za), pm.row], [za, oy + pm.col]
        link_v = [np.ones(n_za), -np.minimum(g_a[ar[pm.row]], self.capacity[pm.col])]
        n_link, link_hi = n_za, np.zeros(n_za)
        if mc.nnz and n_za:
            cap_max = np.asarray(in_pool.multiply(self.capacity[None, :]).max(axis=1).todense())
            cap_max = cap_max.ravel()
            most = np.asarray(in_pool @ (self.capacity * upper_y)).ravel()
            if max_per_group is not None:
                groups_in_pool = sp.csr_matrix((np.ones(len(open_cols)),
                                                (pool_of[open_cols], self.option_group[open_cols])))
                groups_in_pool.sum_duplicates()
                one_group = np.diff(groups_in_pool.indptr) == 1
                most = np.where(one_group, np.minimum(most, max_per_group * cap_max), most)
            f_row, f_team, f_coef = _freed_terms(ar, ac, g_a, mc, most, cap_max)
            a_pool = np.bincount(ac, weights=g_a[ar], minlength=n_pool)
            link_r += [f_row, n_za + ac, n_za + pool_of[open_cols]]
            link_c += [ok + f_team, za, oy + open_cols]
            link_v += [f_coef, np.ones(n_za),
                       -np.minimum(a_pool[pool_of[open_cols]], self.capacity[open_cols])]
            n_link += n_pool
            link_hi = np.asarray(np.bincount(f_row, weights=f_coef, minlength=n_link), dtype=float)
        add(np.concatenate(link_r), np.concatenate(link_c), np.concatenate(link_v), n_link, -np.inf,
            link_hi)
        # number of new teams
        new = np.flatnonzero(self.option_class == 0)
        add(np.zeros(len(new), int), oy + new, np.ones(len(new)), 1, n_new, n_new)
        # moved teams are placed in options of their class
        k_of = np.full(self.n_existing, -1, dtype=np.int64)
        k_of[moving] = np.arange(n_m)
        for t in range(1, n_class):
            if class_sizes[t] == 0:
                continue
            cols = np.flatnonzero(self.option_class == t)
            in_class = np.flatnonzero(may_move & (self.existing_class == t))
            add(np.zeros(len(cols) + len(in_class), int), np.r_[oy + cols, ok + k_of[in_class]],
                np.ones(len(cols) + len(in_class)), 1, len(in_class), len(in_class))
        if n_m:
            add(np.zeros(n_m, int), ok + np.arange(n_m), np.ones(n_m), 1, n_m - relocate, np.inf)
        if max_per_group is not None:
            groups, inverse = np.unique(self.option_group, return_inverse=True)
            add(inverse, oy + np.arange(n_o), np.ones(n_o), len(groups), -np.inf, max_per_group)
        if require and self.required.shape[0]:
            rq = self.required.tocoo()
            fixed_hits = np.asarray(self.required_existing @ (~may_move).astype(np.int64)).ravel()
            eq = sp.coo_matrix(self.required_existing[:, moving])
            open_groups = np.flatnonzero(fixed_hits == 0)
            g_pos = np.full(self.required.shape[0], -1, dtype=np.int64)
            g_pos[open_groups] = np.arange(len(open_groups))
            keep_r, keep_e = g_pos[rq.row] >= 0, g_pos[eq.row] >= 0
            add(np.r_[g_pos[rq.row[keep_r]], g_pos[eq.row[keep_e]]],
                np.r_[oy + rq.col[keep_r], ok + eq.col[keep_e]],
                np.ones(int(keep_r.sum() + keep_e.sum())), len(open_groups), 1.0, np.inf)
        rows = _stack(blocks, row, n_var)
        # the solver's objective is the value added: kept credit enters as L_e (k_e - 1)
        kept_value = float(cost[ok:oza].sum())
        offset = float(self.priority @ credit_fixed) + kept_value
        layout = {"y": (oy, ok), "k": (ok, oza), "za": (oza, ozb), "zb": (ozb, n_var),
                  "ar": ar, "ac": ac, "br": br, "bc": bc, "pool_of": pool_of, "n_pools": n_pool,
                  "points": points, "group": group, "n_groups": n_g, "moving": moving, "mc": mc,
                  "room_a": g_a, "offset": offset, "solver_offset": -kept_value}
        return cost, lower, upper, integer, rows, np.concatenate(lo), np.concatenate(hi), layout

    def _fix_by_reduced_cost(
        self, cost: FloatArray, lower: FloatArray, upper: FloatArray, rows: sp.csr_matrix,
        lo: FloatArray, hi: FloatArray, lay: dict[str, Any], start: FloatArray, *,
        time_limit_s: float,
    ) -> tuple[float, BoolArray, BoolArray, BoolArray] | None:
        """Solve the LP relaxation and fix options and moves by reduced cost against the warm start.

        With LP optimum :math:`z^*` and reduced cost :math:`d_j` of :math:`y_j` at 0, any
        plan with a team at :math:`j` is worth at most :math:`z^* - |d_j|`; when that is
        below the warm start's value, option :math:`j` is dropped (and likewise a
        :math:`y_j` at its upper bound 1 is forced to 1). In the same way a movable team
        whose :math:`k_e` is 1 with reduced cost :math:`d_e` stays put when
        :math:`z^* - |d_e|` is below the warm start. The MIP then runs on the smaller
        model; the LP optimum stays a valid bound for the whole problem. Returns that bound
        (a service value, constant included) and the masks of dropped options, forced
        options and teams that stay, or ``None`` when the LP could not be solved in time
        or nothing can be fixed.
        """
        y0, y1 = lay["y"]
        k0, k1 = lay["k"]
        relax = _solve_highs(cost, lower, upper, np.zeros(len(cost), dtype=bool), rows, lo, hi,
                             time_limit_s=max(time_limit_s, 0.01) / 2, offset=lay["solver_offset"])
        if relax.kind != "optimal" or relax.x is None or relax.col_dual is None:
            return None
        incumbent = float(cost @ start) + lay["solver_offset"]
        tol = 1e-7 * max(1.0, abs(relax.objective), abs(incumbent))
        y, d = relax.x[y0:y1], np.abs(relax.col_dual[y0:y1])
        cap = upper[y0:y1]
        worse = relax.objective - d < incumbent - tol
        drop = (y <= 1e-9) & worse & (cap > 0) & (start[y0:y1] < 0.5)
        force = (cap == 1) & (y >= 1 - 1e-9) & (d > 0) & worse & (self.option_class == 0)
        force &= start[y0:y1] > 0.5
        kk, dk = relax.x[k0:k1], np.abs(relax.col_dual[k0:k1])
        stay = np.zeros(self.n_existing, dtype=bool)
        stay[lay["moving"]] = ((kk >= 1 - 1e-9) & (relax.objective - dk < incumbent - tol)
                               & (start[k0:k1] > 0.5))
        if not (drop.any() or force.any() or stay.any()):
            return None
        return lay["offset"] + relax.objective, drop | (cap == 0), force, stay

    def _start(self, warm: DeploymentSolution, lay: dict[str, Any], n_var: int) -> FloatArray:
        """A plan as a full MIP vector (moves from ``warm.kept``), flows from its evaluation."""
        start = np.zeros(n_var)
        start[lay["y"][0]:lay["y"][1]] = warm.counts
        moving: IntArray = lay["moving"]
        kept = warm.kept[moving].astype(float)
        start[lay["k"][0]:lay["k"][1]] = kept
        points, group, n_g = lay["points"], lay["group"], lay["n_groups"]
        mc: sp.coo_matrix = lay["mc"]
        # tier-A room: what every team in place leaves, plus the credit of the moved teams
        room_a = lay["room_a"] + np.bincount(mc.row, weights=mc.data * (1.0 - kept[mc.col]),
                                             minlength=n_g)
        # new flows, summed over merged points and pooled options, split into tiers in proportion
        pool_of: IntArray = lay["pool_of"]
        n_pool = int(lay["n_pools"])
        on = np.flatnonzero(pool_of >= 0)
        to_group = sp.csr_matrix((np.ones(len(points)), (group, points)),
                                 shape=(n_g, self.reach.shape[0]))
        to_pool = sp.csr_matrix((np.ones(len(on)), (on, pool_of[on])),
                                shape=(self.n_options, n_pool))
        flow_g = sp.csr_matrix(to_group @ warm.flow @ to_pool)
        total = np.asarray(flow_g.sum(axis=1)).ravel()
        share_a = np.divide(np.minimum(room_a, total), total, out=np.zeros(n_g), where=total > 0)
        fa = np.asarray(flow_g[lay["ar"], lay["ac"]]).ravel()
        fb = np.asarray(flow_g[lay["br"], lay["bc"]]).ravel()
        start[lay["za"][0]:lay["za"][1]] = fa * share_a[lay["ar"]]
        start[lay["zb"][0]:lay["zb"][1]] = fb * (1.0 - share_a[lay["br"]])
        return start

    # ---------------------------------------------------------------- evaluation

    def evaluate(self, counts: ArrayLike, kept: ArrayLike | None = None) -> DeploymentSolution:
        """Serve need with the given placement (a small LP over the open options only).

        Existing teams that stay keep their credited service; the teams at the open
        options serve what is left so as to maximise the service value.
        """
        started = time.perf_counter()
        counts_arr = np.asarray(counts, dtype=np.int64)
        kept_arr = (np.ones(self.n_existing, dtype=bool) if kept is None
                    else np.asarray(kept, dtype=bool))
        b = self.beyond_threshold_weight
        credit = np.asarray(self.existing_credit @ kept_arr.astype(float)).ravel()
        left = np.maximum(self.need - credit, 0.0)
        a_left = np.maximum(self.threshold - credit, 0.0)
        open_cols = np.flatnonzero(counts_arr > 0)
        sub = sp.csr_matrix(self.reach[:, open_cols]).tocoo()
        keep = left[sub.row] > 1e-12
        zr, zc = sub.row[keep].astype(np.int64), open_cols[sub.col[keep]].astype(np.int64)
        n_z = len(zr)
        z = np.zeros(n_z)
        if n_z:
            points, zpos = np.unique(zr, return_inverse=True)
            cols, cpos = np.unique(zc, return_inverse=True)
            n_p = len(points)
            p = self.priority[points]
            cost = np.r_[b * self.priority[zr], (1.0 - b) * p]
            upper = np.r_[np.full(n_z, np.inf), a_left[points]]
            z_idx, s_idx = np.arange(n_z), n_z + np.arange(n_p)
            r = np.r_[zpos, np.arange(n_p) + n_p, zpos + n_p, cpos + 2 * n_p]
            c = np.r_[z_idx, s_idx, z_idx, z_idx]
            v = np.r_[np.ones(n_z), np.ones(n_p), -np.ones(n_z), np.ones(n_z)]
            n_rows = 2 * n_p + len(cols)
            rows = sp.csr_matrix((v, (r, c)), shape=(n_rows, n_z + n_p))
            hi = np.r_[left[points], np.zeros(n_p), self.capacity[cols] * counts_arr[cols]]
            out = _solve_highs(cost, np.zeros(n_z + n_p), upper, np.zeros(n_z + n_p, dtype=bool),
                               rows, np.full(n_rows, -np.inf), hi, time_limit_s=600.0)
            assert out.x is not None
            z = np.maximum(out.x[:n_z], 0.0)
        return self._solution(z, zr, zc, counts_arr, kept_arr, credit,
                              runtime=time.perf_counter() - started)

    def _solution(self, z: FloatArray, zr: IntArray, zc: IntArray, counts: IntArray, kept: BoolArray,
                  credit: FloatArray, *, runtime: float) -> DeploymentSolution:
        n_d = self.reach.shape[0]
        b = self.beyond_threshold_weight
        new_at = np.bincount(zr, weights=z, minlength=n_d).astype(float)
        served = np.minimum(credit + new_at, self.need)
        below = np.minimum(served, self.threshold)
        new_below = np.maximum(below - np.minimum(credit, self.threshold), 0.0)
        share = np.divide(new_below, new_at, out=np.zeros(n_d), where=new_at > 0)
        unit_value = self.priority * (b + (1.0 - b) * share)
        flow = sp.csc_matrix((z, (zr, zc)), shape=(n_d, self.n_options))
        by_option = np.bincount(zc, weights=z, minlength=self.n_options).astype(float)
        value_by_option = np.bincount(zc, weights=z * unit_value[zr], minlength=self.n_options)
        by_existing = np.asarray(self.existing_credit.sum(axis=0)).ravel() * kept
        baseline = self.value_of(self.existing_served)
        return DeploymentSolution(
            counts=counts, kept=kept, served_by_option=by_option,
            value_by_option=value_by_option.astype(float), served_by_existing=by_existing,
            served_at_demand=served, below_threshold_at_demand=below, flow=flow,
            objective=self.value_of(served), baseline=baseline, served=float(served.sum()),
            baseline_served=float(self.existing_served.sum()), bound=math.nan, gap=math.nan,
            status="greedy", method="greedy", runtime_s=runtime)

    def baseline(self) -> float:
        """Service value of the existing teams on their own (no new team, none moved)."""
        return self.value_of(self.existing_served)

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
                    "communes": len(np.unique(self.option_group[new_ok]))})
        if not require or self.required.shape[0] == 0:
            return None
        reached = np.asarray(self.required_existing.sum(axis=1)).ravel() > 0
        open_groups = np.flatnonzero(~reached)
        if len(open_groups) == 0:
            return None
        sub = sp.csr_matrix(self.required[open_groups][:, np.flatnonzero(allowed)])
        cannot = open_groups[np.diff(sub.indptr) == 0]
        if len(cannot):
            return Infeasibility("border_unreachable", {"groups": [int(g) for g in cannot],
                                                        "count": len(cannot)})
        budget = n_new + relocate
        most = int(np.asarray(sub.sum(axis=0)).max())
        needed = _min_cover(sub, time_limit_s=5.0)
        if needed > budget:
            return Infeasibility("border_too_few", {
                "unreached": len(open_groups), "needed": needed, "available": budget,
                "most_per_team": most})
        return None

    # ---------------------------------------------------------------- greedy

    def _fill(self, j: int, a_left: FloatArray, b_left: FloatArray) -> tuple[float, IntArray,
                                                                            FloatArray, FloatArray]:
        """Best use of one team at option ``j`` on the need left: highest value per unit first."""
        csc = self._reach_csc
        rows = np.asarray(csc.indices[csc.indptr[j]:csc.indptr[j + 1]], dtype=np.int64)
        n = len(rows)
        amount = np.r_[a_left[rows], b_left[rows]]
        density = np.r_[self.priority[rows], self.beyond_threshold_weight * self.priority[rows]]
        order = np.argsort(-density, kind="stable")
        ordered = amount[order]
        before = np.cumsum(ordered) - ordered
        take = np.empty(2 * n)
        take[order] = np.clip(self.capacity[j] - before, 0.0, ordered)
        return float(take @ density), rows, take[:n], take[n:]

    def _greedy(self, n_new: int, *, allowed: BoolArray, max_per_group: int | None,
                require: bool, relocate: int = 0) -> tuple[IntArray, BoolArray] | None:
        """Lazy greedy on the service value a team adds; border communes first.

        With ``relocate > 0`` each step also considers moving the existing team of each
        class credited with the least service value to the best option of its class (it
        adds what a team of the class adds there, less that credit) and takes whichever
        of the two adds more; a move is taken only if it adds something.
        """
        ok = allowed & (self.option_class == 0)
        left = np.maximum(self.need - self.existing_served, 0.0)
        a_left = np.minimum(self.tier_a, left)
        b_left = left - a_left
        counts = np.zeros(self.n_options, dtype=np.int64)
        kept = np.ones(self.n_existing, dtype=bool)
        per_group: dict[int, int] = {}

        def gain(j: int) -> float:
            return self._fill(j, a_left, b_left)[0]

        def room(j: int) -> bool:
            return max_per_group is None or per_group.get(int(self.option_group[j]), 0) < max_per_group

        def place(j: int) -> None:
            counts[j] += 1
            g = int(self.option_group[j])
            per_group[g] = per_group.get(g, 0) + 1
            _, rows, take_a, take_b = self._fill(j, a_left, b_left)
            a_left[rows] -= take_a
            b_left[rows] -= take_b

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
        moves_left = relocate if (self.existing_class > 0).any() else 0
        credit_csc = sp.csc_matrix(self.existing_credit)
        credit_value = np.asarray(credit_csc.T @ self.priority).ravel()
        movable_ok = allowed & (self.option_class > 0) & (moves_left > 0)
        classes = [int(t) for t in np.unique(self.option_class[movable_ok])]

        def heap_of(mask: BoolArray) -> list[tuple[float, int]]:
            out = [(-gain(int(j)), int(j)) for j in np.flatnonzero(mask)]
            heapq.heapify(out)
            return out

        def top(heap: list[tuple[float, int]]) -> float:
            """Best gain in a lazy heap (gains only fall between rebuilds)."""
            while heap:
                _, j = heap[0]
                if not room(j):
                    heapq.heappop(heap)
                    continue
                g = gain(j)
                heapq.heapreplace(heap, (-g, j))
                if heap[0][1] == j:
                    return g
            return -math.inf

        heap = heap_of(ok)
        class_heaps = {t: heap_of(movable_ok & (self.option_class == t)) for t in classes}
        while placed < n_new or moves_left:
            move: tuple[float, int, int] | None = None
            for t in classes if moves_left else []:
                best_gain = top(class_heaps[t])
                if not math.isfinite(best_gain):
                    continue
                target = class_heaps[t][0][1]
                mover = self._cheapest_mover(t, target, kept, credit_value, counts, require=require)
                if mover >= 0 and (move is None or best_gain - credit_value[mover] > move[0]):
                    move = (float(best_gain - credit_value[mover]), mover, target)
            new_gain = top(heap) if placed < n_new else -math.inf
            if move is not None and move[0] > max(new_gain, 0.0):
                _, mover, target = move
                kept[mover] = False
                freed = slice(credit_csc.indptr[mover], credit_csc.indptr[mover + 1])
                a_left[credit_csc.indices[freed]] += credit_csc.data[freed]
                place(target)
                moves_left -= 1
                # freed room can raise what an option adds: rebuild the heaps
                heap = heap_of(ok)
                class_heaps = {t: heap_of(movable_ok & (self.option_class == t)) for t in classes}
                continue
            if not math.isfinite(new_gain):
                break
            place(heap[0][1])
            placed += 1
        return (counts, kept) if placed == n_new else None

    def _cheapest_mover(self, t: int, j: int, kept: BoolArray, credit_value: FloatArray,
                        counts: IntArray, *, require: bool) -> int:
        """The kept team of class ``t`` credited with the least value whose move to option
        ``j`` leaves every required group reached (-1 if none)."""
        teams = np.flatnonzero(kept & (self.existing_class == t))
        for e in teams[np.argsort(credit_value[teams], kind="stable")]:
            if require and self.required.shape[0]:
                k = kept.copy()
                k[e] = False
                c = counts.copy()
                c[j] += 1
                if not self._covers_required(c, k):
                    continue
            return int(e)
        return -1

    def _improve(self, solution: DeploymentSolution, *, allowed: BoolArray,
                 max_per_group: int | None, require: bool, rounds: int = 20) -> DeploymentSolution:
        """Improve a placement by single swaps (one team to another option) while any helps.

        A swap is taken only if it adds more with the other teams' flows unchanged, a
        lower bound on what it adds once the flows are re-optimised, so every swap
        taken strictly improves the plan.
        """
        for _ in range(rounds):
            swaps = self.alternatives(solution, allowed=allowed, max_per_group=max_per_group,
                                      require=require)
            gains = [(a.alternative_adds - a.adds, a) for a in swaps if a.alternative is not None]
            if not gains:
                break
            gain, best = max(gains, key=lambda pair: pair[0])
            if not gain > 1e-9 * max(1.0, abs(solution.added)) or best.alternative is None:
                break
            counts = solution.counts.copy()
            counts[best.option] -= 1
            counts[best.alternative] += 1
            solution = self.evaluate(counts, solution.kept)
        return solution

    def _greedy_moves(self, solution: DeploymentSolution, *, relocate: int, allowed: BoolArray,
                      max_per_group: int | None, require: bool) -> DeploymentSolution:
        """Move up to ``relocate`` existing teams, one at a time, while a move helps.

        Each round scores every (team, option of its class) pair by what one team of the
        class adds at the option on the need left, less the service the team is credited
        with where it is, evaluates the best few pairs exactly and takes the best one if
        the plan gains; the new teams are then improved by swaps.
        """
        credit_value = np.asarray(self.existing_credit.T @ self.priority).ravel()
        for _ in range(relocate - int((~solution.kept).sum())):
            kept = solution.kept
            served = solution.served_at_demand
            credit = np.asarray(self.existing_credit @ kept.astype(float)).ravel()
            new_at = np.maximum(served - credit, 0.0)
            left = np.maximum(self.need - credit, 0.0)
            a_room = np.minimum(np.maximum(self.threshold - credit, 0.0), left)
            a_left = np.maximum(a_room - new_at, 0.0)
            b_left = np.maximum(self.need - served - a_left, 0.0)
            ok = allowed & (self.option_class > 0)
            if max_per_group is not None:
                used = np.bincount(self.option_group, weights=solution.counts,
                                   minlength=int(self.option_group.max()) + 1)
                ok &= used[self.option_group] < max_per_group
            pairs: list[tuple[float, int, int]] = []
            for t in np.unique(self.option_class[ok]):
                teams = np.flatnonzero(kept & (self.existing_class == t))
                if len(teams) == 0:
                    continue
                cols = np.flatnonzero(ok & (self.option_class == t))
                gains = np.array([self._fill(int(j), a_left, b_left)[0] for j in cols])
                best_cols = cols[np.argsort(-gains, kind="stable")[:3]]
                best_gain = gains.max()
                cheapest = teams[np.argsort(credit_value[teams], kind="stable")[:3]]
                pairs += [(float(best_gain - credit_value[e]), int(e), int(j))
                          for e in cheapest for j in best_cols]
            best = solution
            for _, e, j in sorted(pairs, reverse=True)[:12]:
                k = kept.copy()
                k[e] = False
                counts = solution.counts.copy()
                counts[j] += 1
                if require and self.required.shape[0] and not self._covers_required(counts, k):
                    continue
                trial = self.evaluate(counts, k)
                if trial.objective > best.objective + 1e-9 * max(1.0, abs(best.objective)):
                    best = trial
            if best is solution:
                break
            solution = self._improve(best, allowed=allowed, max_per_group=max_per_group,
                                     require=require)
        return solution

    def _covers_required(self, counts: IntArray, kept: BoolArray) -> bool:
        """Whether every required group is reached by a placed or a kept team."""
        have = (np.asarray(self.required @ (counts > 0).astype(np.int64)).ravel()
                + np.asarray(self.required_existing @ kept.astype(np.int64)).ravel())
        return bool((have > 0).all())

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
        tie_break: bool = False,
    ) -> DeploymentSolution:
        """Place ``n_new`` new teams (and move up to ``relocate`` existing ones).

        Parameters
        ----------
        n_new
            New teams to place (``K``).
        allowed
            Boolean mask of options that may take a team (exclusions are ``False``).
        max_per_group
            At most this many teams (new or moved) per group (commune); ``None``: no limit.
        relocate
            Move at most this many existing teams (``R``); 0 keeps them all.
        require
            Enforce the required groups (every border commune reached).
        method
            ``"exact"`` (HiGHS, warm started from greedy) or ``"greedy"``.
        time_limit_s
            Wall-clock limit for the whole solve, seconds.
        gap_tolerance
            Relative gap at which HiGHS may stop (an answer is still labelled
            ``optimal`` only within :data:`PROVEN_GAP`).
        tie_break
            Among plans of equal service value, prefer options with more
            priority-weighted tier-A need in reach. The bonus is a tiny term in the
            solver's objective (all bonuses together at most :data:`TIE_BREAK_SHARE` of
            the value the plan adds); the reported objective leaves it out and the
            solver's bound stays a valid bound on it. Off by default: with many plans
            of equal value it makes the proof several times slower.
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
        greedy = self._greedy(n_new, allowed=mask, max_per_group=max_per_group, require=require,
                              relocate=relocate)
        warm = self.evaluate(*greedy) if greedy is not None else None
        if warm is not None:
            warm = self._improve(warm, allowed=mask, max_per_group=max_per_group, require=require)
            if relocate > 0 and (self.existing_class > 0).any():
                warm = self._greedy_moves(warm, relocate=relocate, allowed=mask,
                                          max_per_group=max_per_group, require=require)
        if method == "greedy":
            if warm is None:
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility("greedy_failed", {"new_teams": n_new}))
            return _finish(warm, math.nan, "greedy", "greedy", started)
        cost, lower, upper, integer, rows, lo, hi, lay = self._arrays(
            n_new, allowed=mask, max_per_group=max_per_group, relocate=relocate, require=require)
        y0, y1 = lay["y"]
        bonus_total = 0.0
        if tie_break and n_new + relocate > 0:
            left = np.maximum(self.need - self.existing_served, 0.0)
            score = np.asarray(self._reach_csc.T @ (self.priority * np.minimum(self.tier_a, left))).ravel()
            scale_value = warm.added if warm is not None and warm.added > 0 else float(
                self.capacity.max(initial=0.0) * self.priority.max(initial=0.0) * max(1, n_new))
            if score.max(initial=0.0) > 0 and scale_value > 0:
                per_team = TIE_BREAK_SHARE * scale_value / (n_new + relocate)
                cost = cost.copy()
                cost[y0:y1] = score / score.max() * per_team
                bonus_total = per_team * (n_new + relocate)
        start = None
        relaxation_total = math.inf
        if warm is not None:
            start = self._start(warm, lay, len(cost))
        if start is not None and len(cost) >= LARGE_MODEL_COLUMNS:
            fixed = self._fix_by_reduced_cost(cost, lower, upper, rows, lo, hi, lay, start,
                                              time_limit_s=time_limit_s - (time.perf_counter() - started))
            if fixed is not None and warm is not None:
                relaxation_total, drop, force, stay = fixed
                bonus_y = cost[y0:y1].copy()
                cost, lower, upper, integer, rows, lo, hi, lay = self._arrays(
                    n_new, allowed=mask & ~drop, max_per_group=max_per_group, relocate=relocate,
                    require=require, movable=~stay)
                cost = cost.copy()
                cost[y0:y1] = np.where(drop, 0.0, bonus_y)
                lower[y0:y1] = np.where(force, 1.0, lower[y0:y1])
                start = self._start(warm, lay, len(cost))
        options = dict(self.highs_options)
        if len(lay["moving"]):
            options.update(RESITE_HIGHS_OPTIONS)
        out = _solve_highs(cost, lower, upper, integer, rows, lo, hi,
                           time_limit_s=time_limit_s - (time.perf_counter() - started),
                           gap_tolerance=gap_tolerance, start=start, offset=lay["solver_offset"],
                           options=options)
        if start is not None and out.x is not None and not math.isclose(
                out.objective, float(cost @ out.x) + lay["solver_offset"], rel_tol=1e-7,
                abs_tol=1e-6):
            # HiGHS 1.16 can misreport the objective and bound of a start that places
            # several teams at one option (seen with presolve on); its answer is then not a
            # proof, so solve again without the start
            out = _solve_highs(cost, lower, upper, integer, rows, lo, hi,
                               time_limit_s=time_limit_s - (time.perf_counter() - started),
                               gap_tolerance=gap_tolerance, offset=lay["solver_offset"],
                               options=options)
        if out.kind == "infeasible":
            return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                  Infeasibility("combined", {"new_teams": n_new, "relocate": relocate,
                                                             "per_commune": max_per_group}))
        if out.x is None:
            if warm is None:
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility("no_answer_in_time", {"time_limit_s": time_limit_s}))
            bound = min(lay["offset"] + out.bound, relaxation_total)
            return _finish(warm, max(bound, warm.objective), "time_limit", "exact", started)
        y = np.rint(out.x[y0:y1]).astype(np.int64)
        k = np.ones(self.n_existing, dtype=bool)
        k[lay["moving"]] = out.x[lay["k"][0]:lay["k"][1]] > 0.5
        final = self.evaluate(y, k)
        if warm is not None and warm.objective > final.objective:
            final = warm
        bound = min(lay["offset"] + out.bound, relaxation_total)
        bound = max(bound, final.objective)
        status: Status = out.kind
        if out.kind in ("optimal", "gap_limit"):
            proven = (_added_gap(final.objective, final.baseline, bound) <= PROVEN_GAP
                      or bound - final.objective <= bonus_total + 1e-9 * max(1.0, abs(bound)))
            status = "optimal" if proven else "gap_limit"
        return _finish(final, bound, status, "exact", started)

    # ---------------------------------------------------------------- explanations

    def alternatives(self, solution: DeploymentSolution, *, allowed: ArrayLike | None = None,
                     max_per_group: int | None = None, require: bool = False) -> list[Alternative]:
        """For each option holding a new team, what it adds and the best other option instead.

        Both are measured with every other team serving exactly as in ``solution``:
        ``adds`` is the service value lost if one team at that option were left out, and
        ``alternative_adds`` the most one team at any other allowed option would add on
        the need then left (the best use of its capacity, highest value per unit first).
        With an optimal ``solution`` the alternative never adds more. No LP is solved:
        the need left after the plan is filled once per option, and again only for the
        options that share demand points with the team left out. Options that would
        break the per-commune limit or leave a required group unreached are skipped.
        """
        mask = (np.ones(self.n_options, dtype=bool) if allowed is None
                else np.asarray(allowed, dtype=bool))
        served = solution.served_at_demand
        credit = np.asarray(self.existing_credit @ solution.kept.astype(float)).ravel()
        new_at = np.maximum(served - credit, 0.0)
        a_room = np.minimum(np.maximum(self.threshold - credit, 0.0), np.maximum(self.need - credit, 0.0))
        b_room = np.maximum(self.need - credit, 0.0) - a_room

        def left_after(new: FloatArray) -> tuple[FloatArray, FloatArray]:
            a_used = np.minimum(new, a_room)
            return a_room - a_used, np.maximum(b_room - (new - a_used), 0.0)

        def value_of_new(new: FloatArray) -> FloatArray:
            b = self.beyond_threshold_weight
            return np.asarray(self.priority * (b * new + (1.0 - b) * np.minimum(new, a_room)),
                              dtype=float)

        a_left, b_left = left_after(new_at)
        candidates = mask & (self.option_class == 0)
        base_fill = np.full(self.n_options, -np.inf)
        for k in np.flatnonzero(candidates):
            base_fill[k] = self._fill(int(k), a_left, b_left)[0]
        reach_f = sp.csr_matrix(self.reach, dtype=float)
        overlap = sp.csr_matrix(self._reach_csc.T.astype(float) @ reach_f)   # options x options
        total_value = value_of_new(new_at)
        out: list[Alternative] = []
        for j in np.flatnonzero((solution.counts > 0) & (self.option_class == 0)):
            share = 1.0 / int(solution.counts[j])
            flow_j = np.asarray(solution.flow[:, [j]].toarray()).ravel() * share
            rest_new = np.maximum(new_at - flow_j, 0.0)
            rows = np.flatnonzero(flow_j > 0)
            adds = float(total_value[rows].sum() - value_of_new(rest_new)[rows].sum())
            without = solution.counts.copy()
            without[j] -= 1
            ok = candidates.copy()
            if max_per_group is not None:
                used = np.bincount(self.option_group, weights=without,
                                   minlength=int(self.option_group.max()) + 1)
                ok &= used[self.option_group] < max_per_group
            if require and self.required.shape[0]:
                ok &= self._still_reached(without, solution.kept)
            if solution.counts[j] == 1:
                ok[j] = False
            estimate = np.where(ok, base_fill, -np.inf)
            a_rest, b_rest = left_after(rest_new)
            near = overlap.indices[overlap.indptr[j]:overlap.indptr[j + 1]]
            best_served: dict[int, float] = {}
            for k in near[ok[near]]:
                value, _, take_a, take_b = self._fill(int(k), a_rest, b_rest)
                estimate[k] = value
                best_served[int(k)] = float(take_a.sum() + take_b.sum())
            if not np.isfinite(estimate).any():
                out.append(Alternative(int(j), adds, float(flow_j.sum()), None, math.nan, math.nan))
                continue
            best = int(np.argmax(estimate))
            if best not in best_served:
                _, _, take_a, take_b = self._fill(best, a_rest, b_rest)
                best_served[best] = float(take_a.sum() + take_b.sum())
            tol = 1e-6 * max(1.0, abs(adds))
            lower = estimate[estimate < adds - tol]
            worse = float(lower.max()) if estimate[best] >= adds - tol and np.isfinite(lower).any() else math.nan
            out.append(Alternative(int(j), adds, float(flow_j.sum()), best, float(estimate[best]),
                                   best_served[best], worse))
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


def _expand(starts: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """Owner and position of every entry of the runs ``starts[k] .. starts[k] + counts[k]``."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offs = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offs


def _freed_terms(ar: IntArray, ac: IntArray, g_a: FloatArray, mc: sp.coo_matrix, pool_most: FloatArray,
                 pool_max: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Terms ``coef (1 - k_e)`` of the tier-A linking rows for room freed by moves.

    Returns (row, team, coef): rows below ``len(ar)`` are the per-pair rows (group
    ``g``, pool ``p``), with ``coef = min(x_ge, P_p)``; row ``len(ar) + p`` is the
    aggregated row of pool ``p``, with ``coef = min(X_ep, P_p - A_p)``. ``P_p`` is the
    most capacity the pool can hold, ``A_p`` the tier-A room in its reach with every team
    in place and ``X_ep`` the team's credit there. Pairs whose room is at least the
    largest capacity in the pool get no terms (their row is implied by capacity).
    """
    n_pairs, n_pool = len(ar), len(pool_most)
    csr = sp.csr_matrix((mc.data, (mc.row, mc.col)), shape=(len(g_a), int(mc.shape[1])))
    per = np.diff(csr.indptr)[ar]
    sel = np.flatnonzero((per > 0) & (g_a[ar] < pool_max[ac]))
    owner, entry = _expand(csr.indptr[ar[sel]], per[sel])
    pair_row = sel[owner]
    pair_coef = np.minimum(csr.data[entry], pool_most[ac[pair_row]])
    pair_pool = sp.csr_matrix((np.ones(n_pairs), (ac, ar)), shape=(n_pool, len(g_a)))
    agg = sp.coo_matrix(pair_pool @ csr)                               # pools x teams
    a_pool = np.asarray(pair_pool @ g_a).ravel()
    agg_coef = np.minimum(agg.data, np.maximum(pool_most[agg.row] - a_pool[agg.row], 0.0))
    row = np.r_[pair_row, n_pairs + agg.row].astype(np.int64)
    team = np.r_[csr.indices[entry], agg.col].astype(np.int64)
    coef = np.r_[pair_coef, agg_coef]
    keep = coef > 0
    return row[keep], team[keep], coef[keep]


def _added_gap(objective: float, baseline: float, bound: float) -> float:
    """Relative gap on the value a plan adds: ``(bound - objective) / (bound - baseline)``."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    return relative_gap(objective - baseline, bound - baseline)


def _finish(sol: DeploymentSolution, bound: float, status: Status, method: Method,
            started: float) -> DeploymentSolution:
    return replace(sol, bound=bound, gap=_added_gap(sol.objective, sol.baseline, bound),
                   status=status, method=method, runtime_s=time.perf_counter() - started)


def replace_status(sol: DeploymentSolution, status: Status, method: Method, runtime_s: float,
                   problem: Infeasibility | None = None) -> DeploymentSolution:
    """Return ``sol`` (usually the baseline) relabelled, e.g. as infeasible with a reason."""
    return replace(sol, status=status, method=method, runtime_s=runtime_s, infeasibility=problem,
                   bound=math.nan, gap=math.nan)


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
    return math.ceil(-float(out.bound) - 1e-6)
