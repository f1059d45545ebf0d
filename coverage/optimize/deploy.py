"""Suggest where to deploy new teams: build the model from an analysis, solve, explain.

The bridge between :mod:`coverage.analysis.analyze` (demand points, need, reach, flags) and the
array models of :mod:`coverage.optimize.covering`:

* demand points and their need come from :attr:`AnalysisResult.demand` (``need``, a
  stock of resident-equivalents), grouped by commune;
* a team's capacity over the horizon is ``capacity_per_week x planning_horizon_weeks``,
  with ``capacity_per_week = members x weekly_hours x residents_per_volunteer_hour``
  (:func:`coverage.analysis.need.capacity_per_week`);
* candidate sites are one per commune at its representative point (EPSG:4326), or points
  the user gives; their reach comes from :meth:`AnalysisResult.reach_from_sites` with the
  same travel model as the existing teams (straight line x detour, or roads).

One coverage model (the rule a planner can check by hand)
---------------------------------------------------------
Every team, existing, new or moved, shares its hours among the demand points it reaches
in proportion to their need, independently of the other teams: the rule of the analysis
(:func:`coverage.analysis.need.share_by_need`). So a team at a site adds a fixed amount to each
commune it reaches, a commune's coverage is the sum of what its teams add divided by its
need, and the coverage a plan promises is exactly what ``analyze`` gives for the roster
with the plan's teams added and its moves made.

What a plan is worth (the objective, :class:`ServiceWeights`)
-------------------------------------------------------------
On top of that shared coverage the plan maximises a *service value*:

* **Tiers (diminishing returns).** A commune's credit counts 1 per resident-equivalent
  up to the adequacy threshold ``coverage_ratio = underserved_ratio``
  (``params.flags.underserved_ratio``, 0.5 by default; tier A), ``beyond_threshold_weight``
  (0.25) beyond it up to its need (tier B), and nothing beyond its need: the next team
  goes where it lifts the most residents of under-served communes toward the threshold.
* **Priorities.** Need in a border commune is worth ``border_weight`` (1.5) times as
  much, in a remote commune ``remote_weight`` (1.25), in a commune no team reaches
  ``unreached_weight`` (1.5). When several apply the weights multiply; with the defaults
  the largest product, 2.81, times 0.25 is still below 1, so need beyond the threshold
  anywhere never outranks need below it anywhere.

The plan reports both the *service value* (what the solver maximises and proves) and the
raw need served in resident-equivalents; the status sentence refers to the value.

Re-siting (``relocate > 0``): a moved team keeps its members, hours, mode and languages;
it is credited at its new site by the same rule, and loses what it was credited where it
was. Moves are aggregated by (reach mode, minority languages spoken).

Languages (technology interpreters): every team's credit in a commune is scaled by the
language factor of :mod:`coverage.analysis.need` (full rate for residents whose language a member
speaks, ``interpreter_rate`` otherwise), existing, new and moved teams alike. New teams
may be asked to speak given languages (``languages``); a site's explanation then says
when part of what it adds comes from that language need.
By default no move may leave a commune that had a team in reach with none
(``keep_reached``); the plan states what that guarantee costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from coverage.optimize import plan_text  # noqa: F401  (registers the plan's messages)
from coverage.optimize.instance import build_instance
from coverage.optimize.plan import (
    DEFAULT_WEIGHTS,
    Mode,
    PlanResult,
    ServiceWeights,
)
from coverage.optimize.plan_build import plan_from_solution
from coverage.optimize.results import DeploymentSolution, Method
from coverage.text import language as text_language  # noqa: F401  (registers the language messages)

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult


def suggest_sites(
    analysis: AnalysisResult,
    *,
    new_teams: int,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    require_border: bool = False,
    border_min_coverage: float = 0.0,
    exclude: Sequence[str] = (),
    max_per_commune: int | None = 1,
    relocate: int = 0,
    keep_reached: bool = True,
    method: Method = "exact",
    time_limit_s: float = 60.0,
    candidates: pd.DataFrame | None = None,
    weights: ServiceWeights = DEFAULT_WEIGHTS,
    explain: bool = True,
    languages: Sequence[str] = (),
) -> PlanResult:
    """Suggest where to deploy ``new_teams`` new teams, with reasons in Vietnamese and English.

    Coverage follows the analysis's rule (module docstring), so every coverage figure of
    the plan is what ``analyze`` gives for the roster with the plan applied; the plan
    maximises the service value on top of it.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze.analyze_coverage`.
    new_teams
        Number of new teams (``K``).
    team_size, mode, weekly_hours
        Volunteers per new team, ``"fixed"`` or ``"mobile"``, and hours per volunteer per
        week (default: the roster's median).
    require_border
        Every border commune must have at least one team in reach (existing or new).
        This is about reach, not about how much of the need is met.
    border_min_coverage
        Every border commune must have at least this share of its need met (e.g. 0.5);
        0 for no minimum.
    exclude
        Commune codes that must not receive a team.
    max_per_commune
        At most this many new (or moved) teams per commune (default 1); ``None``: no limit.
    relocate
        Also move up to this many existing teams.
    keep_reached
        No move may leave a commune that had a team in reach with none (default). When
        it holds and teams may move, the plan is also solved without it and the cost of
        the guarantee is stated.
    method
        ``"exact"`` (HiGHS) or ``"greedy"`` (instant).
    time_limit_s
        Wall-clock limit for the exact solve, seconds.
    candidates
        Candidate sites (``commune_code``, ``lon``, ``lat`` in EPSG:4326); default one per
        commune at its representative point.
    weights
        Tier and priority weights of the service value.
    explain
        Compute the best alternative for each site.
    languages
        Minority languages every new team speaks (keys, e.g. ``("jrai",)``); the
        interpreter rate is the analysis's (``params.capacity.interpreter_rate``).
    """
    inst = build_instance(
        analysis,
        team_size=team_size,
        mode=mode,
        weekly_hours=weekly_hours,
        candidates=candidates,
        relocate=relocate,
        weights=weights,
        languages=languages,
    )
    excluded = {str(c) for c in exclude}
    allowed = ~inst.candidates["commune_code"].isin(excluded).to_numpy()
    options: dict[str, Any] = {
        "allowed": allowed,
        "max_per_group": max_per_commune,
        "relocate": relocate,
        "require": require_border,
        "min_coverage": float(border_min_coverage),
        "method": method,
        "time_limit_s": time_limit_s,
    }
    sol = inst.model.solve(new_teams, keep_reached=keep_reached, **options)
    unguarded: DeploymentSolution | None = None
    if (
        keep_reached
        and relocate > 0
        and sol.status != "infeasible"
        and (inst.model.existing_mode >= 0).any()
    ):
        unguarded = inst.model.solve(new_teams, keep_reached=False, **options)
        if unguarded.status == "infeasible":
            unguarded = None
    return plan_from_solution(
        analysis,
        inst,
        sol,
        allowed=allowed,
        max_per_commune=max_per_commune,
        require_border=require_border,
        border_min_coverage=border_min_coverage,
        keep_reached=keep_reached,
        relocate=relocate,
        unguarded=unguarded,
        explain=explain,
    )
