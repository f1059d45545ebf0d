"""Where to put new teams: the capacitated covering solved exactly with HiGHS (the entry point).

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
* :class:`CapacitatedCovering` -- what the planning tool uses (its model in
  :mod:`coverage.optimize.model`, its MIP in :mod:`coverage.optimize.formulation`). Every
  team, existing, new or moved, is credited by the *same rule as the analysis*
  (:func:`coverage.analysis.need.share_by_need`): its capacity is shared among the demand
  points it reaches in proportion to their need, independently of the other teams. A team
  at a given site therefore adds a fixed amount to each commune, and a plan's coverage of
  a commune is the sum of those amounts: the optimiser's objective is exactly the analysis
  of the resulting roster. The coverage of each commune is valued with diminishing returns
  (full value up to an adequacy threshold, less beyond it, nothing beyond its need) and
  priority weights. Optional border requirements (reach, or a minimum coverage),
  exclusions, a per-commune limit and re-siting of existing teams (by default no move
  leaves a commune with no team in reach).

Both report a status that never calls a time-limited answer optimal: ``optimal`` only
when HiGHS proves optimality with a relative gap of at most :data:`PROVEN_GAP`;
``time_limit`` (stopped by the time limit) and ``gap_limit`` (stopped at a requested
gap) carry the solver's proven bound; ``greedy`` is the quick heuristic answer.

The pieces: :mod:`~coverage.optimize.results` (answers and honest status words),
:mod:`~coverage.optimize.highs` (the HiGHS wrapper), :mod:`~coverage.optimize.model`,
:mod:`~coverage.optimize.formulation`, :mod:`~coverage.optimize.feasibility` (guarantees and
quick checks), :mod:`~coverage.optimize.heuristics` (greedy and swaps, the warm start) and
:mod:`~coverage.optimize.explain` (what each team adds and the best other site).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from coverage.optimize.explain import alternatives
from coverage.optimize.feasibility import check
from coverage.optimize.formulation import Formulation, formulate, start_vector
from coverage.optimize.heuristics import greedy, improve
from coverage.optimize.highs import Outcome, solve_highs
from coverage.optimize.model import CoveringModel
from coverage.optimize.results import (
    PROVEN_GAP,
    Alternative,
    DeploymentSolution,
    FloatArray,
    Infeasibility,
    Method,
    Status,
    added_gap,
    finish,
    replace_status,
)

RESITE_HIGHS_OPTIONS: dict[str, Any] = {"presolve": "off"}
"""HiGHS options added when existing teams may move: presolve spends most of the time
limit probing the binaries of the move options before a root that takes a fraction of
a second (timed on Gia Lai, K = 0..10 new teams, R = 1..3 moves)."""


class CapacitatedCovering(CoveringModel):
    """Capacitated covering: the model of :class:`CoveringModel`, solved and explained.

    The mixed-integer programme is :func:`coverage.optimize.formulation.formulate`; HiGHS
    starts from the greedy answer improved by swaps (:mod:`coverage.optimize.heuristics`).
    """

    def alternatives(
        self,
        solution: DeploymentSolution,
        *,
        allowed: ArrayLike | None = None,
        max_per_group: int | None = None,
        require: bool = False,
        keep_reached: bool = True,
        relocate: int = 0,
        min_coverage: float = 0.0,
    ) -> list[Alternative]:
        """For each option holding a new team, what it adds and the best other option instead.

        See :func:`coverage.optimize.explain.alternatives`.
        """
        return alternatives(
            self,
            solution,
            allowed=allowed,
            max_per_group=max_per_group,
            require=require,
            keep_reached=keep_reached,
            relocate=relocate,
            min_coverage=min_coverage,
        )

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
        return _solve(
            self,
            n_new,
            allowed=allowed,
            max_per_group=max_per_group,
            relocate=relocate,
            require=require,
            keep_reached=keep_reached,
            min_coverage=min_coverage,
            method=method,
            time_limit_s=time_limit_s,
            gap_tolerance=gap_tolerance,
        )


def _solve(
    self: CapacitatedCovering,
    n_new: int,
    *,
    allowed: ArrayLike | None,
    max_per_group: int | None,
    relocate: int,
    require: bool,
    keep_reached: bool,
    min_coverage: float,
    method: Method,
    time_limit_s: float,
    gap_tolerance: float,
) -> DeploymentSolution:
    """Solve as :meth:`CapacitatedCovering.solve` says (HiGHS warm started from greedy)."""
    started = time.perf_counter()
    if n_new < 0 or relocate < 0:
        raise ValueError("n_new and relocate must be non-negative")
    mask = (
        np.ones(self.n_options, dtype=bool) if allowed is None else np.asarray(allowed, dtype=bool)
    )
    base = self.evaluate(np.zeros(self.n_options, dtype=np.int64))
    problem = check(
        self,
        n_new,
        allowed=mask,
        max_per_group=max_per_group,
        relocate=relocate,
        require=require,
        min_coverage=min_coverage,
    )
    if problem is not None:
        return replace_status(base, "infeasible", method, time.perf_counter() - started, problem)
    quick = greedy(
        self,
        n_new,
        allowed=mask,
        max_per_group=max_per_group,
        require=require,
        relocate=relocate,
        keep_reached=keep_reached,
        min_coverage=min_coverage,
    )
    warm = self.evaluate(*quick) if quick is not None else None
    if warm is not None:
        warm = improve(
            self,
            warm,
            allowed=mask,
            max_per_group=max_per_group,
            require=require,
            relocate=relocate,
            keep_reached=keep_reached,
            min_coverage=min_coverage,
        )
    if method == "greedy":
        if warm is None:
            reason = "border_min_joint" if min_coverage > 0 else "greedy_failed"
            numbers: dict[str, Any] = {
                "new_teams": n_new,
                "relocate": relocate,
                "min_coverage": min_coverage,
            }
            return replace_status(
                base,
                "infeasible",
                method,
                time.perf_counter() - started,
                Infeasibility(reason, numbers),
            )
        return finish(warm, math.nan, "greedy", "greedy", started)
    mip = formulate(
        self,
        n_new,
        allowed=mask,
        max_per_group=max_per_group,
        require=require,
        relocate=relocate,
        keep_reached=keep_reached,
        min_coverage=min_coverage,
    )
    lay = mip.layout
    start = start_vector(self, warm, mip) if warm is not None else None
    highs_options = {
        **self.highs_options,
        **(RESITE_HIGHS_OPTIONS if len(lay.pair_team) else {}),
    }
    out = _run(
        mip, time_limit_s - (time.perf_counter() - started), gap_tolerance, start, highs_options
    )
    if (
        start is not None
        and out.x is not None
        and not math.isclose(
            out.objective,
            float(mip.cost @ out.x) + lay.solver_offset,
            rel_tol=1e-7,
            abs_tol=1e-6,
        )
    ):
        # HiGHS 1.x can misreport the objective and bound when given a start (seen on
        # small random models); its answer is then not a proof, so solve again without it
        out = _run(
            mip, time_limit_s - (time.perf_counter() - started), gap_tolerance, None, highs_options
        )
    if out.kind == "infeasible":
        reason = "border_min_joint" if min_coverage > 0 else "combined"
        numbers = {
            "new_teams": n_new,
            "relocate": relocate,
            "per_commune": max_per_group,
            "min_coverage": min_coverage,
        }
        return replace_status(
            base,
            "infeasible",
            method,
            time.perf_counter() - started,
            Infeasibility(reason, numbers),
        )
    if out.x is None:
        if warm is None:
            return replace_status(
                base,
                "infeasible",
                method,
                time.perf_counter() - started,
                Infeasibility("no_answer_in_time", {"time_limit_s": time_limit_s}),
            )
        bound = lay.offset + out.bound
        return finish(warm, max(bound, warm.objective), "time_limit", "exact", started)
    y = np.rint(out.x[lay.new_teams]).astype(np.int64)
    moved = np.full(self.n_existing, -1, dtype=np.int64)
    x = out.x[lay.moves] > 0.5
    moved[lay.pair_team[x]] = lay.pair_option[x]
    final = self.evaluate(y, moved)
    if warm is not None and warm.objective > final.objective:
        final = warm
    bound = max(lay.offset + out.bound, final.objective)
    status: Status = out.kind
    if out.kind in ("optimal", "gap_limit"):
        proven = added_gap(final.objective, final.baseline, bound) <= PROVEN_GAP
        status = "optimal" if proven else "gap_limit"
    return finish(final, bound, status, "exact", started)


def _run(
    mip: Formulation,
    time_limit_s: float,
    gap_tolerance: float,
    start: FloatArray | None,
    options: dict[str, Any],
) -> Outcome:
    """Solve the MIP with HiGHS (the objective offset makes it the value the plan adds)."""
    return solve_highs(
        mip.cost,
        mip.lower,
        mip.upper,
        mip.integer,
        mip.rows,
        mip.row_lower,
        mip.row_upper,
        time_limit_s=time_limit_s,
        gap_tolerance=gap_tolerance,
        start=start,
        offset=mip.layout.solver_offset,
        options=options,
    )
