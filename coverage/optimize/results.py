"""Results of the covering models and the honest words for how they were found."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

Status = Literal["optimal", "time_limit", "gap_limit", "infeasible", "greedy"]
Method = Literal["exact", "greedy"]

PROVEN_GAP = 1e-6
"""Largest relative gap (bound - objective) / bound still reported as proven optimal."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


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
    """Answer of :class:`~coverage.optimize.covering.CapacitatedCovering`.

    Two measures are reported side by side: the *service value* (coverage valued by
    tier and priority, see :class:`~coverage.optimize.covering.CapacitatedCovering`), which
    the solver maximises and proves, and the raw *need served* (resident-equivalents over
    the horizon, each commune counted up to its need).

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


def label_status(kind: str, objective: float, bound: float) -> Status:
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
        return label_status("optimal", objective, bound)
    return "time_limit"


def added_gap(objective: float, baseline: float, bound: float) -> float:
    """Relative gap on the value a plan adds: ``(bound - objective) / (bound - baseline)``."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    return relative_gap(objective - baseline, bound - baseline)


def finish(
    sol: DeploymentSolution, bound: float, status: Status, method: Method, started: float
) -> DeploymentSolution:
    """Return ``sol`` with its bound, gap, status, method and wall clock since ``started``."""
    return replace(
        sol,
        bound=bound,
        gap=added_gap(sol.objective, sol.baseline, bound),
        status=status,
        method=method,
        runtime_s=time.perf_counter() - started,
    )


def replace_status(
    sol: DeploymentSolution,
    status: Status,
    method: Method,
    runtime_s: float,
    problem: Infeasibility | None = None,
) -> DeploymentSolution:
    """Return ``sol`` (usually the baseline) relabelled, e.g. as infeasible with a reason."""
    return replace(
        sol,
        status=status,
        method=method,
        runtime_s=runtime_s,
        infeasibility=problem,
        bound=math.nan,
        gap=math.nan,
    )
