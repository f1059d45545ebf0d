"""Where to put new teams: capacitated and plain maximal covering, solved exactly with HiGHS.

Everything here works on arrays: a sparse reach matrix (demand points by sites, only the
pairs within reach are stored, never a dense matrix), the need at each demand point and
the capacity of each site. :mod:`coverage.optimize.deploy` builds these arrays from an analysis
result and turns the solutions into explained plans.

Two models:

* ``MaximalCovering`` (``benchmarks/mclp.py``, for the comparison with spopt) -- the classic MCLP (
  Church and ReVelle 1974): no capacities, a demand point counts once it is within reach
  of an open site. Reduced before solving (dominated sites, identical demand points,
  unreachable demand), split into connected components where that is exact, warm
  started from a greedy answer improved by swaps.
* :class:`CapacitatedCovering` -- what the planning tool uses. Every team, existing, new
  or moved, is credited by the *same rule as the analysis* (:func:`coverage.analysis.need.share_by_need`):
  its capacity is shared among the demand points it reaches in proportion to their need,
  independently of the other teams. A team at a given site therefore adds a fixed amount
  to each commune, and a plan's coverage of a commune is the sum of those amounts: the
  optimiser's objective is exactly the analysis of the resulting roster. The coverage of
  each commune is valued with diminishing returns (full value up to an adequacy
  threshold, less beyond it, nothing beyond its need) and priority weights. Optional
  border requirements (reach, or a minimum coverage), exclusions, a per-commune limit and
  re-siting of existing teams (by default no move leaves a commune with no team in reach).

Both report a status that never calls a time-limited answer optimal: ``optimal`` only
when HiGHS proves optimality with a relative gap of at most :data:`PROVEN_GAP`;
``time_limit`` (stopped by the time limit) and ``gap_limit`` (stopped at a requested
gap) carry the solver's proven bound; ``greedy`` is the quick heuristic answer.
"""

from __future__ import annotations

import functools
import math
import os
import threading
import time
from collections.abc import Sequence
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

HIGHS_OPTIONS: dict[str, Any] = {}
"""Extra HiGHS options for :class:`CapacitatedCovering` (none: with one credit row per
commune the model is small and HiGHS's defaults prove Gia Lai plans in well under a
second; see ``benchmarks/bench_relocate.py``)."""

MOVED_CAPACITY_UNIT = 1000.0
"""The capacity moved to a site is a variable in thousands of resident-equivalents: in
plain units (thousands) beside 0/1 move variables the simplex was about 1.5 times slower
on Gia Lai re-site plans."""

MOVE_CLASSES = 4
"""Capacity classes per reach mode that aggregate the move variables of
:class:`CapacitatedCovering` (more classes: a tighter relaxation but a larger model)."""

RESITE_HIGHS_OPTIONS: dict[str, Any] = {"presolve": "off"}
"""HiGHS options added when existing teams may move: presolve spends most of the time
limit probing the binaries of the move options before a root that takes a fraction of
a second (timed on Gia Lai, K = 0..10 new teams, R = 1..3 moves)."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Infeasibility:
    """Which constraint cannot be met, with the numbers that show it.

    ``reason`` is a stable key (translated as ``plan.infeasible.<reason>`` by
    :mod:`coverage.optimize.deploy`); ``params`` holds the numbers quoted in the message.
    """

    reason: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentSolution:
    """Answer of :class:`CapacitatedCovering`.

    Two measures are reported side by side: the *service value* (coverage valued by
    tier and priority, see :class:`CapacitatedCovering`), which the solver maximises and
    proves, and the raw *need served* (resident-equivalents over the horizon, each
    commune counted up to its need).

    Attributes
    ----------
    counts
        New teams placed at each option (column of the reach matrix).
    moved_to
        For each existing team, the option it moves to, or -1 when it stays.
    credit, baseline_credit
        Capacity credited to each group (commune) over the horizon with the plan, and
        with the existing teams alone, none moved (the analysis's ``capacity_horizon``).
    teams_in_reach, baseline_teams_in_reach
        Teams that reach each group with the plan, and before it.
    served_by_option, value_by_option
        For each option, the need served and the service value lost if its new teams
        were left out (every other team as placed).
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
    moved_to: IntArray
    credit: FloatArray
    baseline_credit: FloatArray
    teams_in_reach: IntArray
    baseline_teams_in_reach: IntArray
    served_by_option: FloatArray
    value_by_option: FloatArray
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
    def kept(self) -> BoolArray:
        """For each existing team, whether it stays where it is."""
        kept: BoolArray = self.moved_to < 0
        return kept

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


def _shares(reach: sp.csr_matrix, need: FloatArray, membership: sp.csr_matrix) -> tuple[sp.csr_matrix,
                                                                                       sp.csr_matrix]:
    """Share of one unit of capacity that each column credits to each group, and group reach.

    ``reach`` is (points, columns); returns ``(columns, groups)`` matrices: the share of a
    column's capacity credited to each group (need reached in the group / need reached in
    all, the rule of :func:`coverage.analysis.need.share_by_need`; rows sum to 1, or 0 when the
    column reaches no need) and whether the column reaches any point of the group.
    """
    r = sp.csc_matrix(reach, dtype=float)
    reached = np.asarray(r.T @ need).ravel()
    per_unit = np.divide(1.0, reached, out=np.zeros(len(reached)), where=reached > 0)
    share = sp.csr_matrix(sp.diags(per_unit) @ r.T @ sp.diags(need) @ membership)
    share.eliminate_zeros()
    hits = sp.csr_matrix((r.T @ membership) > 0, dtype=bool)
    return share, hits


class CapacitatedCovering:
    """Capacitated covering with the analysis's sharing rule and a tiered, weighted value.

    **One coverage model.** Every team, existing, new or moved, shares its capacity over
    the horizon among the demand points it reaches in proportion to their need,
    independently of the other teams (:func:`coverage.analysis.need.share_by_need`, the rule of
    the analysis). A team of capacity :math:`c` at site :math:`j` thus credits group
    (commune) :math:`g` with :math:`c\\,\\phi_{jg}`, where :math:`\\phi_{jg}` is the need
    it reaches in :math:`g` divided by all the need it reaches. A commune's credit is the
    sum over the teams in place, and its coverage is credit / need: exactly the
    analysis's ``coverage_ratio`` of the roster the plan gives. A planner can check it by
    hand: "this team reaches 4,000 residents-in-need, 1,000 of them in Gào, so a quarter
    of its hours go to Gào".

    **Value.** The credit :math:`S_g` of group :math:`g` is worth

    .. math::

        v_g(S_g) = p_g \\left[ \\min(S_g, T_g) + \\beta \\min\\big((S_g - T_g)^+,\\,
                   w_g - T_g\\big) \\right],

    :math:`p_g` per resident-equivalent up to the threshold :math:`T_g = \\rho w_g`
    (tier A, :math:`\\rho` the adequacy ratio), :math:`\\beta p_g` beyond it up to the need
    :math:`w_g` (tier B), nothing beyond the need: a concave, diminishing-returns value.

    Symbols
        :math:`G` groups with need :math:`w_g`; :math:`J` placement options (a candidate
        site) with new-team capacity :math:`c_j` and credit :math:`F_{jg} = c_j
        \\phi_{jg}`; :math:`E` existing teams with capacity :math:`c_e` and credit
        :math:`L_{eg}`, :math:`X_g = \\sum_e L_{eg}`; movable teams :math:`E_m` of reach
        mode :math:`m(e)` with shares :math:`\\phi^m_{jg}` at option :math:`j`;
        :math:`K` new teams; :math:`R` the most moves; :math:`h(j)` the commune of
        option :math:`j` (limit :math:`N` per commune), :math:`h(e)` the home commune
        of team :math:`e`; :math:`r_{jg}, r^m_{jg}, r_{eg} = 1` when the option / team
        reaches group :math:`g`; :math:`B` required groups (border communes).

    Variables
        :math:`y_j \\in \\mathbb{Z}_{\\ge 0}` new teams at option :math:`j`;
        :math:`x_{ej} \\in \\{0, 1\\}` team :math:`e` moves to option :math:`j` (only when
        re-siting, :math:`h(j) \\ne h(e)`); aggregates :math:`M_{mj} = \\sum_{e: m(e)=m}
        c_e x_{ej}`, :math:`Z_{mj} = \\sum_{e: m(e)=m} x_{ej}`, :math:`d_e = \\sum_j
        x_{ej}` (continuous, defined by equality rows); :math:`u^A_g \\in [0, T_g]`,
        :math:`u^B_g \\in [0, w_g - T_g]`.

    Objective (the value the plan adds; the solver proves it)

    .. math::

        \\max \\sum_g p_g (u^A_g + \\beta u^B_g) - \\sum_g v_g(X_g)

    subject to

    .. math::

        u^A_g + u^B_g &\\le X_g + \\sum_j F_{jg} y_j + \\sum_{m, j} \\phi^m_{jg} M_{mj}
            - \\sum_e L_{eg} d_e         && \\forall g \\quad\\text{(credit)}\\\\
        \\sum_j y_j &= K, \\qquad \\sum_e d_e \\le R, \\qquad d_e \\le 1 \\\\
        \\sum_{j: h(j) = h} \\big(y_j + \\sum_m Z_{mj}\\big) &\\le N   && \\forall h\\\\
        \\sum_j r_{jg} y_j + \\sum_{m,j} r^m_{jg} Z_{mj} - \\sum_{e} r_{eg} d_e
            &\\ge 1 - \\sum_e r_{eg}     && \\forall g \\in B \\text{ (reach)},
            \\text{ and every reached } g \\text{ when moves may not unreach}\\\\
        X_g + \\sum_j F_{jg} y_j + \\sum_{m,j} \\phi^m_{jg} M_{mj} - \\sum_e L_{eg} d_e
            &\\ge \\mu w_g               && \\forall g \\in B \\text{ (minimum coverage } \\mu)

    and :math:`y_j = 0` for excluded options. Since :math:`\\beta \\le 1` the solver
    fills tier A first, so the optimum is :math:`\\max \\sum_g v_g(S_g)` less the
    baseline. With :math:`\\beta = 1`, :math:`\\rho = 1` and :math:`p = 1` the value is
    the need served. The gap is measured on the value the plan adds.

    Parameters
    ----------
    reach
        Sparse boolean matrix, demand points by options (reach of a new team).
    need
        Need at each demand point over the horizon (:math:`w`).
    capacity
        Capacity of one new team at each option over the horizon (same unit as ``need``).
    group
        Group (commune) of each demand point; default each point its own group.
    n_groups
        Number of groups (default ``group.max() + 1``).
    existing_reach, existing_capacity
        Reach matrix (demand points by existing teams) and capacities of existing teams.
    threshold_ratio
        Adequacy ratio :math:`\\rho` (scalar or one per group); default 1 (all need is tier A).
    priority
        Priority weight of each group (:math:`p`); default 1.
    beyond_threshold_weight
        Value of a unit credited beyond the threshold (:math:`\\beta`).
    option_group
        Commune of each option, for the per-commune limit (default: each option its own).
    existing_group
        Home commune of each existing team in the same numbering (-1: none).
    move_reach, existing_mode
        Reach matrices (demand points by options) of a moved team, one per reach mode,
        and the mode of each existing team as an index into ``move_reach`` (-1: the team
        cannot move). Default: no team can move.
    required
        Indices of the groups that must be reached (border communes) or reach a minimum
        coverage.
    """

    def __init__(
        self,
        reach: Any,
        need: ArrayLike,
        capacity: ArrayLike,
        *,
        group: ArrayLike | None = None,
        n_groups: int | None = None,
        existing_reach: Any | None = None,
        existing_capacity: ArrayLike | None = None,
        threshold_ratio: float | ArrayLike = 1.0,
        priority: ArrayLike | None = None,
        beyond_threshold_weight: float = 0.25,
        option_group: ArrayLike | None = None,
        existing_group: ArrayLike | None = None,
        move_reach: Sequence[Any] = (),
        existing_mode: ArrayLike | None = None,
        required: ArrayLike | None = None,
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
        self.group = (np.arange(n_d, dtype=np.int64) if group is None
                      else np.asarray(group, dtype=np.int64))
        if self.group.shape != (n_d,):
            raise ValueError(f"group must have {n_d} values")
        n_g = int(n_groups) if n_groups is not None else int(self.group.max(initial=-1)) + 1
        self.membership = sp.csr_matrix((np.ones(n_d), (np.arange(n_d), self.group)), shape=(n_d, n_g))
        self.group_need: FloatArray = np.asarray(self.membership.T @ self.need, dtype=float).ravel()
        ratio = np.broadcast_to(np.asarray(threshold_ratio, dtype=float), (n_g,))
        if (ratio < 0).any() or (ratio > 1).any():
            raise ValueError("threshold_ratio must be between 0 and 1")
        self.threshold: FloatArray = ratio * self.group_need
        self.priority: FloatArray = (np.ones(n_g) if priority is None
                                     else np.asarray(priority, dtype=float).copy())
        if self.priority.shape != (n_g,) or (self.priority < 0).any():
            raise ValueError(f"priority must be {n_g} non-negative values (one per group)")
        share, self.new_hits = _shares(self.reach, self.need, self.membership)
        self.new_credit: sp.csr_matrix = sp.csr_matrix(sp.diags(self.capacity) @ share)
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
        e_share, self.existing_hits = _shares(self.existing_reach, self.need, self.membership)
        self.existing_credit: sp.csr_matrix = sp.csr_matrix(sp.diags(self.existing_capacity) @ e_share)
        self.baseline_credit: FloatArray = np.asarray(self.existing_credit.sum(axis=0), dtype=float).ravel()
        self.baseline_reach: IntArray = np.asarray(self.existing_hits.sum(axis=0)).ravel().astype(np.int64)
        self.option_group = (np.arange(n_o, dtype=np.int64) if option_group is None
                             else np.asarray(option_group, dtype=np.int64))
        self.existing_group = (np.full(n_e, -1, dtype=np.int64) if existing_group is None
                               else np.asarray(existing_group, dtype=np.int64))
        self.move_share: list[sp.csr_matrix] = []
        self.move_hits: list[sp.csr_matrix] = []
        for matrix in move_reach:
            m_share, m_hits = _shares(_as_csr_bool(matrix), self.need, self.membership)
            self.move_share.append(m_share)
            self.move_hits.append(m_hits)
        self.existing_mode = (np.full(n_e, -1, dtype=np.int64) if existing_mode is None
                              else np.asarray(existing_mode, dtype=np.int64))
        if (self.existing_mode >= len(self.move_share)).any():
            raise ValueError("existing_mode refers to a reach mode not given in move_reach")
        self.required = (np.zeros(0, dtype=np.int64) if required is None
                         else np.asarray(required, dtype=np.int64))
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
    def n_groups(self) -> int:
        """Number of groups (communes)."""
        return int(self.membership.shape[1])

    # ---------------------------------------------------------------- value

    def _v(self, credit: FloatArray, groups: IntArray | slice = slice(None)) -> FloatArray:
        """Value of each group's credit (elementwise :math:`v_g`)."""
        s = np.maximum(credit, 0.0)
        b = self.beyond_threshold_weight
        out: FloatArray = self.priority[groups] * ((1.0 - b) * np.minimum(s, self.threshold[groups])
                                                   + b * np.minimum(s, self.group_need[groups]))
        return out

    def value_of(self, credit: ArrayLike) -> float:
        """Service value of a credit per group (the objective)."""
        return float(self._v(np.asarray(credit, dtype=float)).sum())

    def served_of(self, credit: ArrayLike) -> float:
        """Need served: each group's credit counted up to its need."""
        return float(np.minimum(np.maximum(np.asarray(credit, dtype=float), 0.0), self.group_need).sum())

    def _gains(self, credit: FloatArray, rows: sp.csr_matrix, scale: FloatArray | float = 1.0,
               *, sign: float = 1.0) -> FloatArray:
        """Value each row adds (``sign=1``) to, or removes (``sign=-1``) from, ``credit``."""
        coo = rows.tocoo()
        amount = coo.data * (np.asarray(scale)[coo.row] if np.ndim(scale) else scale)
        base = credit[coo.col]
        delta = self._v(base + sign * amount, coo.col) - self._v(base, coo.col)
        return np.asarray(sign * np.bincount(coo.row, weights=delta, minlength=rows.shape[0]), dtype=float)

    def _served_gains(self, credit: FloatArray, rows: sp.csr_matrix, *, sign: float = 1.0) -> FloatArray:
        coo = rows.tocoo()
        base = np.maximum(credit[coo.col], 0.0)
        cap = self.group_need[coo.col]
        delta = np.minimum(np.maximum(base + sign * coo.data, 0.0), cap) - np.minimum(base, cap)
        return np.asarray(sign * np.bincount(coo.row, weights=delta, minlength=rows.shape[0]), dtype=float)

    # ---------------------------------------------------------------- evaluation

    def _state(self, counts: IntArray, moved_to: IntArray) -> tuple[FloatArray, IntArray]:
        """Credit and teams in reach of each group with a placement."""
        credit = self.baseline_credit + np.asarray(self.new_credit.T @ counts.astype(float)).ravel()
        hits = self.baseline_reach + np.asarray(self.new_hits.T @ counts.astype(np.int64)).ravel()
        for e in np.flatnonzero(moved_to >= 0):
            j, m = int(moved_to[e]), int(self.existing_mode[e])
            credit = credit - self.existing_credit[[e]].toarray().ravel()
            credit = credit + self.existing_capacity[e] * self.move_share[m][[j]].toarray().ravel()
            hits = hits - self.existing_hits[[e]].toarray().ravel().astype(np.int64)
            hits = hits + self.move_hits[m][[j]].toarray().ravel().astype(np.int64)
        return credit, hits

    def evaluate(self, counts: ArrayLike, moved_to: ArrayLike | None = None) -> DeploymentSolution:
        """Credit, value and need served of a placement (new teams and moves), no solver needed."""
        started = time.perf_counter()
        counts_arr = np.asarray(counts, dtype=np.int64)
        moved = (np.full(self.n_existing, -1, dtype=np.int64) if moved_to is None
                 else np.asarray(moved_to, dtype=np.int64))
        credit, hits = self._state(counts_arr, moved)
        open_cols = np.flatnonzero(counts_arr > 0)
        value_by = np.zeros(self.n_options)
        served_by = np.zeros(self.n_options)
        if len(open_cols):
            rows = sp.csr_matrix(sp.diags(counts_arr[open_cols].astype(float)) @ self.new_credit[open_cols])
            value_by[open_cols] = self._gains(credit, rows, sign=-1.0)
            served_by[open_cols] = self._served_gains(credit, rows, sign=-1.0)
        return DeploymentSolution(
            counts=counts_arr, moved_to=moved, credit=credit, baseline_credit=self.baseline_credit,
            teams_in_reach=hits, baseline_teams_in_reach=self.baseline_reach,
            served_by_option=served_by, value_by_option=value_by,
            objective=self.value_of(credit), baseline=self.value_of(self.baseline_credit),
            served=self.served_of(credit), baseline_served=self.served_of(self.baseline_credit),
            bound=math.nan, gap=math.nan, status="greedy", method="greedy",
            runtime_s=time.perf_counter() - started)

    def baseline(self) -> float:
        """Service value of the existing teams on their own (no new team, none moved)."""
        return self.value_of(self.baseline_credit)

    # ---------------------------------------------------------------- feasibility of a placement

    def _must_reach(self, *, require: bool, keep_reached: bool, relocate: int) -> BoolArray:
        """Groups that must have a team in reach after the plan."""
        must = np.zeros(self.n_groups, dtype=bool)
        if require:
            must[self.required] = True
        if keep_reached and relocate > 0:
            must |= self.baseline_reach > 0
        return must

    def _ok(self, credit: FloatArray, hits: IntArray, must: BoolArray, min_coverage: float) -> bool:
        if (hits[must] <= 0).any():
            return False
        if min_coverage > 0 and len(self.required):
            b = self.required
            return bool((credit[b] >= min_coverage * self.group_need[b] - 1e-9 * np.maximum(
                1.0, self.group_need[b])).all())
        return True

    # ---------------------------------------------------------------- checks

    def check(
        self,
        n_new: int,
        *,
        allowed: BoolArray,
        max_per_group: int | None,
        relocate: int,
        require: bool,
        min_coverage: float = 0.0,
    ) -> Infeasibility | None:
        """Check simple necessary conditions; return the first that fails, with numbers."""
        if n_new > 0 and not allowed.any():
            return Infeasibility("no_sites", {"new_teams": n_new})
        if max_per_group is not None:
            places = int(len(np.unique(self.option_group[allowed])) * max_per_group)
            if n_new > places:
                return Infeasibility("too_many_teams", {
                    "new_teams": n_new, "places": places, "per_commune": max_per_group,
                    "communes": len(np.unique(self.option_group[allowed]))})
        movable = (self.existing_mode >= 0) & (relocate > 0)
        cols = np.flatnonzero(allowed)
        if require and len(self.required):
            open_groups = self.required[self.baseline_reach[self.required] == 0]
            if len(open_groups):
                sub = sp.csc_matrix(self.new_hits[cols][:, open_groups])
                reachable = np.asarray(sub.sum(axis=0)).ravel() > 0
                for m in np.unique(self.existing_mode[movable]):
                    reachable |= np.asarray(self.move_hits[int(m)][cols][:, open_groups].sum(axis=0)).ravel() > 0
                cannot = open_groups[~reachable]
                if len(cannot):
                    return Infeasibility("border_unreachable", {"groups": [int(g) for g in cannot],
                                                                "count": len(cannot)})
                hits = sp.csr_matrix(self.new_hits[cols][:, open_groups].T)
                for m in np.unique(self.existing_mode[movable]):
                    hits = sp.csr_matrix(sp.hstack([hits, self.move_hits[int(m)][cols][:, open_groups].T]))
                budget = n_new + (relocate if movable.any() else 0)
                most = int(np.asarray(hits.sum(axis=0)).max())
                needed = _min_cover(hits, time_limit_s=5.0)
                if needed > budget:
                    return Infeasibility("border_too_few", {
                        "unreached": len(open_groups), "needed": needed, "available": budget,
                        "most_per_team": most})
        if min_coverage > 0 and len(self.required):
            b = self.required
            target = min_coverage * self.group_need[b]
            per_team = self.new_credit[cols][:, b].toarray()          # options x required
            per_opt = n_new if max_per_group is None else min(n_new, max_per_group)
            best_new = np.zeros(len(b))
            for col in range(len(b)):
                top = np.sort(per_team[:, col])[::-1]
                best_new[col] = np.repeat(top, per_opt)[:n_new].sum()
            best_move: FloatArray = np.zeros(len(b))
            movers = np.flatnonzero(movable)
            if len(movers) and relocate > 0:
                gains = np.zeros((len(movers), len(b)))
                for i, e in enumerate(movers):
                    m = int(self.existing_mode[e])
                    gains[i] = self.existing_capacity[e] * self.move_share[m][cols][:, b].toarray().max(
                        axis=0, initial=0.0)
                best_move = np.sort(gains, axis=0)[::-1][:relocate].sum(axis=0)
            at_most = self.baseline_credit[b] + best_new + best_move
            short = np.flatnonzero(at_most < target - 1e-9 * np.maximum(1.0, target))
            if len(short):
                share = np.divide(at_most[short], self.group_need[b[short]],
                                  out=np.ones(len(short)), where=self.group_need[b[short]] > 0)
                return Infeasibility("border_min_unreachable", {
                    "groups": [int(g) for g in b[short]], "count": len(short),
                    "most": [float(v) for v in share], "min_coverage": float(min_coverage),
                    "new_teams": n_new, "relocate": relocate})
        return None

    # ---------------------------------------------------------------- greedy

    def _room(self, counts: IntArray, moved_to: IntArray, allowed: BoolArray,
              max_per_group: int | None) -> BoolArray:
        """Options that may take one more team under the per-commune limit."""
        if max_per_group is None:
            return allowed.copy()
        placed = counts + np.bincount(moved_to[moved_to >= 0], minlength=self.n_options)
        used = np.bincount(self.option_group, weights=placed,
                           minlength=int(self.option_group.max(initial=0)) + 1)
        room: BoolArray = allowed & (used[self.option_group] < max_per_group)
        return room

    def _greedy(self, n_new: int, *, allowed: BoolArray, max_per_group: int | None, require: bool,
                relocate: int = 0, keep_reached: bool = True,
                min_coverage: float = 0.0) -> tuple[IntArray, IntArray] | None:
        """Greedy on the value a team adds: required groups first, then the best of a new
        team or a move at each step (a move only if it adds value and breaks no guarantee)."""
        counts = np.zeros(self.n_options, dtype=np.int64)
        moved = np.full(self.n_existing, -1, dtype=np.int64)
        credit, hits = self.baseline_credit.copy(), self.baseline_reach.copy()
        new_hits_csr = sp.csr_matrix(self.new_hits, dtype=np.int64)

        def place(j: int) -> None:
            nonlocal credit, hits
            counts[j] += 1
            credit = credit + self.new_credit[[j]].toarray().ravel()
            hits = hits + new_hits_csr[[j]].toarray().ravel()

        placed = 0
        if require and len(self.required):
            todo = np.zeros(self.n_groups, dtype=bool)
            todo[self.required] = True
            while placed < n_new:
                todo &= hits <= 0
                if not todo.any():
                    break
                room = self._room(counts, moved, allowed, max_per_group)
                hit_count = np.asarray(new_hits_csr @ todo.astype(np.int64)).ravel()
                score = np.where(room & (hit_count > 0), hit_count, -1)
                if score.max(initial=-1) <= 0:
                    return None
                gains = self._gains(credit, self.new_credit)
                best = np.flatnonzero(score == score.max())
                place(int(best[np.argmax(gains[best])]))
                placed += 1
        if min_coverage > 0 and len(self.required):
            b = self.required
            while placed < n_new:
                short = np.maximum(min_coverage * self.group_need[b] - credit[b], 0.0)
                if not (short > 1e-9).any():
                    break
                room = self._room(counts, moved, allowed, max_per_group)
                cut = np.asarray(sp.csr_matrix(self.new_credit[:, b]).minimum(
                    sp.csr_matrix(np.broadcast_to(short, (self.n_options, len(b))))).sum(axis=1)).ravel()
                cut = np.where(room, cut, -1.0)
                if cut.max(initial=-1.0) <= 1e-12:
                    break
                place(int(np.argmax(cut)))
                placed += 1
        must = self._must_reach(require=require, keep_reached=keep_reached, relocate=relocate)
        moves_left = relocate if (self.existing_mode >= 0).any() else 0
        while placed < n_new or moves_left:
            room = self._room(counts, moved, allowed, max_per_group)
            new_gain = -math.inf
            best_new = -1
            if placed < n_new and room.any():
                gains = np.where(room, self._gains(credit, self.new_credit), -math.inf)
                best_new = int(np.argmax(gains))
                new_gain = float(gains[best_new])
            move = self._best_move(credit, hits, moved, room, must, min_coverage) if moves_left else None
            if move is not None and move[0] > max(new_gain, 0.0):
                _, e, j = move
                moved[e] = j
                credit, hits = self._state(counts, moved)
                moves_left -= 1
                continue
            if best_new < 0:
                break
            place(best_new)
            placed += 1
        if placed < n_new or not self._ok(credit, hits, must, min_coverage):
            return None
        return counts, moved

    def _best_move(self, credit: FloatArray, hits: IntArray, moved: IntArray, room: BoolArray,
                   must: BoolArray, min_coverage: float, *, teams_per_mode: int = 1000,
                   tries: int = 40) -> tuple[float, int, int] | None:
        """The move that adds the most value (checked exactly), or ``None`` if none adds any."""
        movers = np.flatnonzero((self.existing_mode >= 0) & (moved < 0))
        if len(movers) == 0 or not room.any():
            return None
        loss = -self._gains(credit, sp.csr_matrix(self.existing_credit[movers]), sign=-1.0)
        pairs: list[tuple[float, int, int]] = []
        for m in np.unique(self.existing_mode[movers]):
            of_mode = np.flatnonzero(self.existing_mode[movers] == m)
            for i in of_mode[np.argsort(loss[of_mode], kind="stable")[:teams_per_mode]]:
                e = int(movers[i])
                without = credit - self.existing_credit[[e]].toarray().ravel()
                ok = room & (self.option_group != self.existing_group[e])
                gains = np.where(ok, self._gains(without, self.move_share[int(m)],
                                                 float(self.existing_capacity[e])), -math.inf)
                for j in np.argsort(-gains, kind="stable")[:3]:
                    if np.isfinite(gains[j]):
                        pairs.append((float(gains[j] - loss[i]), e, int(j)))
        best: tuple[float, int, int] | None = None
        base_value = self.value_of(credit)
        for _, e, j in sorted(pairs, reverse=True)[:tries]:
            m = int(self.existing_mode[e])
            c = (credit - self.existing_credit[[e]].toarray().ravel()
                 + self.existing_capacity[e] * self.move_share[m][[j]].toarray().ravel())
            h = (hits - self.existing_hits[[e]].toarray().ravel().astype(np.int64)
                 + self.move_hits[m][[j]].toarray().ravel().astype(np.int64))
            if not self._ok(c, h, must, min_coverage):
                continue
            gain = self.value_of(c) - base_value
            if gain > 1e-9 * max(1.0, abs(base_value)) and (best is None or gain > best[0]):
                best = (gain, e, j)
        return best

    def _improve(self, solution: DeploymentSolution, *, allowed: BoolArray, max_per_group: int | None,
                 require: bool, keep_reached: bool = True, relocate: int = 0,
                 min_coverage: float = 0.0, rounds: int = 20) -> DeploymentSolution:
        """Improve a placement by single swaps (one new team to another option) while any helps."""
        must = self._must_reach(require=require, keep_reached=keep_reached, relocate=relocate)
        for _ in range(rounds):
            swaps = self.alternatives(solution, allowed=allowed, max_per_group=max_per_group,
                                      require=require, keep_reached=keep_reached, relocate=relocate,
                                      min_coverage=min_coverage, must=must)
            gains = [(a.alternative_adds - a.adds, a) for a in swaps if a.alternative is not None]
            if not gains:
                break
            gain, best = max(gains, key=lambda pair: pair[0])
            if not gain > 1e-9 * max(1.0, abs(solution.added)) or best.alternative is None:
                break
            counts = solution.counts.copy()
            counts[best.option] -= 1
            counts[best.alternative] += 1
            solution = self.evaluate(counts, solution.moved_to)
        return solution

    # ---------------------------------------------------------------- explanations

    def alternatives(self, solution: DeploymentSolution, *, allowed: ArrayLike | None = None,
                     max_per_group: int | None = None, require: bool = False,
                     keep_reached: bool = True, relocate: int = 0, min_coverage: float = 0.0,
                     must: BoolArray | None = None) -> list[Alternative]:
        """For each option holding a new team, what it adds and the best other option instead.

        Both are measured with every other team as in ``solution``: ``adds`` is the
        service value lost if one team at that option were left out, and
        ``alternative_adds`` what one team at the best other allowed option adds then.
        Options that would break the per-commune limit, leave a group that must be
        reached unreached or a required group below the minimum coverage are skipped.
        """
        mask = (np.ones(self.n_options, dtype=bool) if allowed is None
                else np.asarray(allowed, dtype=bool))
        if must is None:
            must = self._must_reach(require=require, keep_reached=keep_reached, relocate=relocate)
        hits_csr = sp.csr_matrix(self.new_hits, dtype=np.int64)
        out: list[Alternative] = []
        for j in np.flatnonzero(solution.counts > 0):
            row = self.new_credit[[j]]
            rest = solution.credit - row.toarray().ravel()
            rest_hits = solution.teams_in_reach - hits_csr[[j]].toarray().ravel()
            adds = self.value_of(solution.credit) - self.value_of(rest)
            adds_served = self.served_of(solution.credit) - self.served_of(rest)
            without = solution.counts.copy()
            without[j] -= 1
            ok = self._room(without, solution.moved_to, mask, max_per_group)
            if solution.counts[j] == 1:
                ok[j] = False
            missing = np.flatnonzero(must & (rest_hits <= 0))
            if len(missing):
                ok &= np.asarray(hits_csr[:, missing].sum(axis=1)).ravel() == len(missing)
            if min_coverage > 0 and len(self.required):
                b = self.required
                short = np.maximum(min_coverage * self.group_need[b] - rest[b], 0.0)
                need_fix = np.flatnonzero(short > 1e-9 * np.maximum(1.0, self.group_need[b]))
                if len(need_fix):
                    sub = self.new_credit[:, b[need_fix]].toarray()
                    ok &= (sub >= short[need_fix] - 1e-9).all(axis=1)
            gains = np.where(ok, self._gains(rest, self.new_credit), -math.inf)
            if not np.isfinite(gains).any():
                out.append(Alternative(int(j), adds, adds_served, None, math.nan, math.nan))
                continue
            best = int(np.argmax(gains))
            best_served = self.served_of(rest + self.new_credit[[best]].toarray().ravel()) - self.served_of(rest)
            tol = 1e-6 * max(1.0, abs(adds))
            lower = gains[gains < adds - tol]
            worse = (float(lower.max()) if gains[best] >= adds - tol and np.isfinite(lower).any()
                     else math.nan)
            out.append(Alternative(int(j), adds, adds_served, best, float(gains[best]), best_served, worse))
        return out

    # ---------------------------------------------------------------- solving

    def _start(self, warm: DeploymentSolution, lay: dict[str, Any], n_var: int) -> FloatArray:
        """A plan as a full MIP vector."""
        start = np.zeros(n_var)
        start[lay["y"][0]:lay["y"][1]] = warm.counts
        pair_e, pair_j = lay["pair_e"], lay["pair_j"]
        x = (warm.moved_to[pair_e] == pair_j).astype(float)
        start[lay["x"][0]:lay["x"][1]] = x
        class_of_pair = lay["class_of"][pair_e]
        agg = lay["agg_index"]
        if len(pair_e):
            m_val = np.bincount(agg[class_of_pair, pair_j],
                                weights=x * self.existing_capacity[pair_e] / MOVED_CAPACITY_UNIT,
                                minlength=lay["n_agg"])
            z_val = np.bincount(agg[class_of_pair, pair_j], weights=x, minlength=lay["n_agg"])
            start[lay["M"][0]:lay["M"][1]] = m_val
            start[lay["Z"][0]:lay["Z"][1]] = z_val
            start[lay["d"][0]:lay["d"][1]] = (warm.moved_to[lay["movers"]] >= 0).astype(float)
        g = lay["active"]
        s = np.maximum(warm.credit[g], 0.0)
        ua = np.minimum(s, self.threshold[g])
        start[lay["uA"][0]:lay["uA"][1]] = ua
        start[lay["uB"][0]:lay["uB"][1]] = np.minimum(s - ua, self.group_need[g] - self.threshold[g])
        return start

    def _arrays(self, n_new: int, *, allowed: BoolArray, max_per_group: int | None, relocate: int,
                require: bool, keep_reached: bool, min_coverage: float
                ) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, sp.csr_matrix, FloatArray,
                           FloatArray, dict[str, Any]]:
        """The MIP of the class docstring; the solver's objective is the value the plan adds."""
        n_o, n_g = self.n_options, self.n_groups
        b = self.beyond_threshold_weight
        movers = (np.flatnonzero(self.existing_mode >= 0) if relocate > 0
                  else np.zeros(0, dtype=np.int64))
        cols = np.flatnonzero(allowed)
        pe_grid, pj_grid = np.meshgrid(movers, cols, indexing="ij")
        pe, pj = pe_grid.ravel().astype(np.int64), pj_grid.ravel().astype(np.int64)
        keep = self.option_group[pj] != self.existing_group[pe]
        pe, pj = pe[keep], pj[keep]
        modes = np.unique(self.existing_mode[movers]) if len(movers) else np.zeros(0, dtype=np.int64)
        class_of, class_mode, class_most = self._move_classes(movers)
        n_cls = len(class_mode)
        agg_index = np.full((max(n_cls, 1), n_o), -1, dtype=np.int64)
        agg_t_grid, agg_j_grid = np.meshgrid(np.arange(n_cls), cols, indexing="ij")
        agg_t, agg_j = agg_t_grid.ravel().astype(np.int64), agg_j_grid.ravel().astype(np.int64)
        n_agg = len(agg_t)
        agg_index[agg_t, agg_j] = np.arange(n_agg)
        # groups whose credit can change
        touched = np.asarray(self.new_credit[cols].sum(axis=0)).ravel() > 0
        for m in modes:
            touched |= np.asarray(self.move_share[int(m)][cols].sum(axis=0)).ravel() > 0
        if len(movers):
            touched |= np.asarray(self.existing_credit[movers].sum(axis=0)).ravel() > 0
        active = np.flatnonzero(touched & (self.group_need > 0))
        n_a = len(active)
        pos = np.full(n_g, -1, dtype=np.int64)
        pos[active] = np.arange(n_a)
        n_m = len(movers)
        oy, ox = 0, n_o
        oM = ox + len(pe)
        oZ = oM + n_agg
        od = oZ + n_agg
        oA = od + n_m
        oB = oA + n_a
        n_var = oB + n_a
        cost = np.zeros(n_var)
        cost[oA:oB] = self.priority[active]
        cost[oB:] = b * self.priority[active]
        lower = np.zeros(n_var)
        upper = np.full(n_var, np.inf)
        cap_y = n_new if max_per_group is None else min(n_new, max_per_group)
        upper[oy:ox] = np.where(allowed, cap_y, 0)
        upper[ox:oM] = 1.0
        upper[od:oA] = 1.0
        upper[oA:oB] = self.threshold[active]
        upper[oB:] = self.group_need[active] - self.threshold[active]
        integer = np.zeros(n_var, dtype=bool)
        integer[oy:oM] = True
        blocks: list[sp.coo_matrix] = []
        lo: list[FloatArray] = []
        hi: list[FloatArray] = []
        row = 0

        def add(r: Any, c: Any, v: Any, n_rows: int, low: Any, high: Any) -> None:
            nonlocal row
            blocks.append(sp.coo_matrix((np.asarray(v, float), (np.asarray(r, np.int64) + row,
                                                                 np.asarray(c, np.int64))),
                                        shape=(row + n_rows, n_var)))
            lo.append(np.broadcast_to(np.asarray(low, float), (n_rows,)))
            hi.append(np.broadcast_to(np.asarray(high, float), (n_rows,)))
            row += n_rows

        def credit_terms(groups: IntArray, rowpos: IntArray, sign: float) -> tuple[list[Any], list[Any],
                                                                                  list[Any]]:
            """Terms ``sign * credit change`` of the groups ``groups`` (rows ``rowpos``)."""
            where = np.full(n_g, -1, dtype=np.int64)
            where[groups] = rowpos
            rs, cs, vs = [], [], []
            f = self.new_credit[cols].tocoo()
            k = where[f.col] >= 0
            rs.append(where[f.col[k]]); cs.append(oy + cols[f.row[k]]); vs.append(sign * f.data[k])
            for t in range(n_cls):
                sh = self.move_share[int(class_mode[t])][cols].tocoo()
                k = where[sh.col] >= 0
                rs.append(where[sh.col[k]]); cs.append(oM + agg_index[t, cols[sh.row[k]]])
                vs.append(sign * sh.data[k] * MOVED_CAPACITY_UNIT)
            if n_m:
                lm = self.existing_credit[movers].tocoo()
                k = where[lm.col] >= 0
                rs.append(where[lm.col[k]]); cs.append(od + lm.row[k]); vs.append(-sign * lm.data[k])
            return rs, cs, vs

        # credit rows: uA + uB - (credit change) <= X
        rs, cs, vs = credit_terms(active, np.arange(n_a), -1.0)
        add(np.concatenate([np.arange(n_a), np.arange(n_a)] + rs),
            np.concatenate([oA + np.arange(n_a), oB + np.arange(n_a)] + cs),
            np.concatenate([np.ones(2 * n_a)] + vs), n_a, -np.inf, self.baseline_credit[active])
        # strong linking (valid for integer teams, tightens the relaxation): what arrives in a
        # group fills its room below the threshold (and below its need) at most by each
        # team's own credit or the room, whichever is smaller, per team placed
        x_a = np.minimum(self.baseline_credit[active], self.threshold[active])
        x_n = np.minimum(self.baseline_credit[active], self.group_need[active])
        cuts = [(x_a, self.threshold[active], [oA], False), (x_n, self.group_need[active], [oA, oB], False)]
        if n_m:
            # the same with what moving a team out takes from the tier (at the baseline, a
            # lower bound on the loss with other moves: the value is concave), arrivals
            # capped by the whole tier instead of the room left (moves can free room)
            cuts += [(x_a, self.threshold[active], [oA], True), (x_n, self.group_need[active], [oA, oB], True)]
        for kept, cap, first, with_loss in cuts:
            room = cap if with_loss else np.maximum(cap - kept, 0.0)
            rs4: list[Any] = [np.arange(n_a)] * len(first)
            cs4: list[Any] = [o + np.arange(n_a) for o in first]
            vs4: list[Any] = [np.ones(n_a)] * len(first)
            f = self.new_credit[cols].tocoo()
            k = pos[f.col] >= 0
            rs4.append(pos[f.col[k]]); cs4.append(oy + cols[f.row[k]])
            vs4.append(-np.minimum(f.data[k], room[pos[f.col[k]]]))
            for t in range(n_cls):
                # moved teams of a class arrive with at most the class's largest capacity
                sh = self.move_share[int(class_mode[t])][cols].tocoo()
                k = pos[sh.col] >= 0
                rs4.append(pos[sh.col[k]]); cs4.append(oZ + agg_index[t, cols[sh.row[k]]])
                vs4.append(-np.minimum(class_most[t] * sh.data[k], room[pos[sh.col[k]]]))
            if with_loss:
                lm = self.existing_credit[movers].tocoo()
                k = pos[lm.col] >= 0
                g_at = pos[lm.col[k]]
                x_full = self.baseline_credit[active][g_at]
                loss = np.minimum(x_full, cap[g_at]) - np.minimum(np.maximum(x_full - lm.data[k], 0.0), cap[g_at])
                rs4.append(g_at); cs4.append(od + lm.row[k]); vs4.append(loss)
            add(np.concatenate(rs4), np.concatenate(cs4), np.concatenate(vs4), n_a, -np.inf, kept)
        # number of new teams
        add(np.zeros(len(cols), int), oy + cols, np.ones(len(cols)), 1, n_new, n_new)
        if n_m:
            a_of = agg_index[class_of[pe], pj]
            mpos = np.full(self.n_existing, -1, dtype=np.int64)
            mpos[movers] = np.arange(n_m)
            x_idx = ox + np.arange(len(pe))
            # M = sum c_e x, Z = sum x, d = sum_j x
            add(np.r_[np.arange(n_agg), a_of], np.r_[oM + np.arange(n_agg), x_idx],
                np.r_[np.ones(n_agg), -self.existing_capacity[pe] / MOVED_CAPACITY_UNIT], n_agg, 0.0, 0.0)
            add(np.r_[np.arange(n_agg), a_of], np.r_[oZ + np.arange(n_agg), x_idx],
                np.r_[np.ones(n_agg), -np.ones(len(pe))], n_agg, 0.0, 0.0)
            add(np.r_[np.arange(n_m), mpos[pe]], np.r_[od + np.arange(n_m), x_idx],
                np.r_[np.ones(n_m), -np.ones(len(pe))], n_m, 0.0, 0.0)
            add(np.zeros(n_m, int), od + np.arange(n_m), np.ones(n_m), 1, -np.inf, relocate)
        if max_per_group is not None:
            groups, inverse = np.unique(self.option_group[cols], return_inverse=True)
            r = [inverse]
            c = [oy + cols]
            for t in range(n_cls):
                r.append(inverse)
                c.append(oZ + agg_index[t, cols])
            add(np.concatenate(r), np.concatenate(c), np.ones(sum(len(x) for x in r)), len(groups),
                -np.inf, max_per_group)
        # reach rows
        must = self._must_reach(require=require, keep_reached=keep_reached, relocate=relocate)
        fixed_hits = self.baseline_reach - (np.asarray(self.existing_hits[movers].sum(axis=0)).ravel()
                                            if n_m else 0)
        need_rows = np.flatnonzero(must & (fixed_hits <= 0))
        if len(need_rows):
            where = np.full(n_g, -1, dtype=np.int64)
            where[need_rows] = np.arange(len(need_rows))
            rs2, cs2, vs2 = [], [], []
            h = self.new_hits[cols].tocoo()
            k = where[h.col] >= 0
            rs2.append(where[h.col[k]]); cs2.append(oy + cols[h.row[k]]); vs2.append(np.ones(int(k.sum())))
            for t in range(n_cls):
                h = self.move_hits[int(class_mode[t])][cols].tocoo()
                k = where[h.col] >= 0
                rs2.append(where[h.col[k]]); cs2.append(oZ + agg_index[t, cols[h.row[k]]])
                vs2.append(np.ones(int(k.sum())))
            if n_m:
                h = self.existing_hits[movers].tocoo()
                k = where[h.col] >= 0
                rs2.append(where[h.col[k]]); cs2.append(od + h.row[k]); vs2.append(-np.ones(int(k.sum())))
            add(np.concatenate(rs2), np.concatenate(cs2), np.concatenate(vs2), len(need_rows),
                1.0 - self.baseline_reach[need_rows], np.inf)
        if min_coverage > 0 and len(self.required):
            req = self.required
            rs3, cs3, vs3 = credit_terms(req, np.arange(len(req)), 1.0)
            add(np.concatenate(rs3) if rs3 else np.zeros(0), np.concatenate(cs3) if cs3 else np.zeros(0),
                np.concatenate(vs3) if vs3 else np.zeros(0), len(req),
                min_coverage * self.group_need[req] - self.baseline_credit[req], np.inf)
        rows = _stack(blocks, row, n_var)
        inactive = np.setdiff1d(np.arange(n_g), active)
        constant = float(self._v(self.baseline_credit[inactive], inactive).sum())
        base = self.baseline()
        layout = {"y": (oy, ox), "x": (ox, oM), "M": (oM, oZ), "Z": (oZ, od), "d": (od, oA),
                  "uA": (oA, oB), "uB": (oB, n_var), "pair_e": pe, "pair_j": pj, "movers": movers,
                  "agg_index": agg_index, "n_agg": n_agg, "active": active, "class_of": class_of,
                  "solver_offset": constant - base, "offset": base}
        return cost, lower, upper, integer, rows, np.concatenate(lo), np.concatenate(hi), layout

    def _move_classes(self, movers: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        """Group the teams that may move by mode and capacity (:data:`MOVE_CLASSES` per mode).

        Returns the class of each existing team (-1 when it does not move), the mode of
        each class and its largest capacity. Classes only aggregate variables: each team
        is still credited with its own capacity; the largest one bounds the linking rows.
        """
        class_of = np.full(self.n_existing, -1, dtype=np.int64)
        class_mode: list[int] = []
        class_most: list[float] = []
        for m in np.unique(self.existing_mode[movers]) if len(movers) else []:
            teams = movers[self.existing_mode[movers] == m]
            caps = self.existing_capacity[teams]
            n = min(MOVE_CLASSES, len(np.unique(caps)))
            edges = np.quantile(caps, np.linspace(0, 1, n + 1)[1:-1]) if n > 1 else np.zeros(0)
            bucket = np.searchsorted(edges, caps, side="right")
            for b in np.unique(bucket):
                class_of[teams[bucket == b]] = len(class_mode)
                class_mode.append(int(m))
                class_most.append(float(caps[bucket == b].max()))
        return class_of, np.asarray(class_mode, dtype=np.int64), np.asarray(class_most, dtype=float)

    def solve(
        self,
        n_new: int,
        *,
        allowed: ArrayLike | None = None,
        max_per_group: int | None = None,
        relocate: int = 0,
        require: bool = False,
        keep_reached: bool = True,
        min_coverage: float = 0.0,
        method: Method = "exact",
        time_limit_s: float = 60.0,
        gap_tolerance: float = PROVEN_GAP,
    ) -> DeploymentSolution:
        """Place ``n_new`` new teams (and move up to ``relocate`` existing ones).

        Parameters
        ----------
        n_new
            New teams to place (``K``).
        allowed
            Boolean mask of options that may take a team (exclusions are ``False``).
        max_per_group
            At most this many teams (new or moved) per commune; ``None``: no limit.
        relocate
            Move at most this many existing teams (``R``); 0 keeps them all.
        require
            Every required group (border commune) must have a team in reach.
        keep_reached
            No move may leave a group that had a team in reach with none (default).
        min_coverage
            Every required group must reach this share of its need (0: no minimum).
        method
            ``"exact"`` (HiGHS, warm started from greedy) or ``"greedy"``.
        time_limit_s
            Wall-clock limit for the whole solve, seconds.
        gap_tolerance
            Relative gap (on the value added) at which HiGHS may stop (an answer is
            still labelled ``optimal`` only within :data:`PROVEN_GAP`).
        """
        started = time.perf_counter()
        if n_new < 0 or relocate < 0:
            raise ValueError("n_new and relocate must be non-negative")
        mask = (np.ones(self.n_options, dtype=bool) if allowed is None
                else np.asarray(allowed, dtype=bool))
        base = self.evaluate(np.zeros(self.n_options, dtype=np.int64))
        problem = self.check(n_new, allowed=mask, max_per_group=max_per_group, relocate=relocate,
                             require=require, min_coverage=min_coverage)
        if problem is not None:
            return replace_status(base, "infeasible", method, time.perf_counter() - started, problem)
        greedy = self._greedy(n_new, allowed=mask, max_per_group=max_per_group, require=require,
                              relocate=relocate, keep_reached=keep_reached, min_coverage=min_coverage)
        warm = self.evaluate(*greedy) if greedy is not None else None
        if warm is not None:
            warm = self._improve(warm, allowed=mask, max_per_group=max_per_group, require=require,
                                 relocate=relocate, keep_reached=keep_reached, min_coverage=min_coverage)
        if method == "greedy":
            if warm is None:
                reason = ("border_min_joint" if min_coverage > 0 else "greedy_failed")
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility(reason, {"new_teams": n_new, "relocate": relocate,
                                                             "min_coverage": min_coverage}))
            return _finish(warm, math.nan, "greedy", "greedy", started)
        cost, lower, upper, integer, rows, lo, hi, lay = self._arrays(
            n_new, allowed=mask, max_per_group=max_per_group, relocate=relocate, require=require,
            keep_reached=keep_reached, min_coverage=min_coverage)
        start = self._start(warm, lay, len(cost)) if warm is not None else None
        out = _solve_highs(cost, lower, upper, integer, rows, lo, hi,
                           time_limit_s=time_limit_s - (time.perf_counter() - started),
                           gap_tolerance=gap_tolerance, start=start, offset=lay["solver_offset"],
                           options={**self.highs_options,
                                    **(RESITE_HIGHS_OPTIONS if len(lay["pair_e"]) else {})})
        if start is not None and out.x is not None and not math.isclose(
                out.objective, float(cost @ out.x) + lay["solver_offset"], rel_tol=1e-7, abs_tol=1e-6):
            # HiGHS 1.x can misreport the objective and bound when given a start (seen on
            # small random models); its answer is then not a proof, so solve again without it
            out = _solve_highs(cost, lower, upper, integer, rows, lo, hi,
                               time_limit_s=time_limit_s - (time.perf_counter() - started),
                               gap_tolerance=gap_tolerance, offset=lay["solver_offset"],
                               options={**self.highs_options,
                                        **(RESITE_HIGHS_OPTIONS if len(lay["pair_e"]) else {})})
        if out.kind == "infeasible":
            reason = "border_min_joint" if min_coverage > 0 else "combined"
            return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                  Infeasibility(reason, {"new_teams": n_new, "relocate": relocate,
                                                         "per_commune": max_per_group,
                                                         "min_coverage": min_coverage}))
        if out.x is None:
            if warm is None:
                return replace_status(base, "infeasible", method, time.perf_counter() - started,
                                      Infeasibility("no_answer_in_time", {"time_limit_s": time_limit_s}))
            bound = lay["offset"] + out.bound
            return _finish(warm, max(bound, warm.objective), "time_limit", "exact", started)
        y = np.rint(out.x[lay["y"][0]:lay["y"][1]]).astype(np.int64)
        moved = np.full(self.n_existing, -1, dtype=np.int64)
        x = out.x[lay["x"][0]:lay["x"][1]] > 0.5
        moved[lay["pair_e"][x]] = lay["pair_j"][x]
        final = self.evaluate(y, moved)
        if warm is not None and warm.objective > final.objective:
            final = warm
        bound = max(lay["offset"] + out.bound, final.objective)
        status: Status = out.kind
        if out.kind in ("optimal", "gap_limit"):
            status = "optimal" if _added_gap(final.objective, final.baseline, bound) <= PROVEN_GAP else "gap_limit"
        return _finish(final, bound, status, "exact", started)


def _expand(starts: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """Owner and position of every entry of the runs ``starts[k] .. starts[k] + counts[k]``."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offs = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offs


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
