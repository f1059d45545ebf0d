"""The deployment plan the optimiser returns (:class:`PlanResult`), its weights and records."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from coverage.optimize.results import Status

Mode = Literal["fixed", "mobile"]

SITE_COLUMNS = (
    "commune_code",
    "commune_name",
    "lon",
    "lat",
    "need_served",
    "newly_reached",
    "is_border",
    "is_remote",
    "reason_vi",
    "reason_en",
    "alternative_vi",
    "alternative_en",
    "value_added",
    "need_below_threshold",
    "communes_served",
    "alternative_code",
    "alternative_value",
    "alternative_need_served",
    "worse_value",
    "languages",
    "language_extra",
)
"""Columns of :attr:`PlanResult.sites`: the first twelve are promised by
docs/architecture.md; then the service value and the alternative in numbers, the new
team's minority languages (``jrai;bahnar``) and ``language_extra``, the residents it
helps in addition, over the horizon, because it speaks them where no team in reach did."""


@dataclass(frozen=True)
class ServiceWeights:
    """How need served is valued: every weight of the objective, named and adjustable.

    Attributes
    ----------
    beyond_threshold_weight
        Value of a resident-equivalent served beyond the adequacy threshold (tier B),
        relative to 1 below it (tier A).
    border_weight, remote_weight, unreached_weight
        Multipliers for need in border communes, remote communes and communes no
        existing team reaches; they multiply when several apply.
    """

    beyond_threshold_weight: float = 0.25
    border_weight: float = 1.5
    remote_weight: float = 1.25
    unreached_weight: float = 1.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.beyond_threshold_weight <= 1.0:
            raise ValueError(
                f"beyond_threshold_weight must be between 0 and 1 "
                f"(got {self.beyond_threshold_weight})"
            )
        for name in ("border_weight", "remote_weight", "unreached_weight"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (got {getattr(self, name)})")

    def priority(
        self, *, is_border: np.ndarray, is_remote: np.ndarray, unreached: np.ndarray
    ) -> np.ndarray:
        """Priority multiplier of each commune (the product of the weights that apply)."""
        return (
            np.where(is_border, self.border_weight, 1.0)
            * np.where(is_remote, self.remote_weight, 1.0)
            * np.where(unreached, self.unreached_weight, 1.0)
        )


DEFAULT_WEIGHTS = ServiceWeights()
"""The default weights of the objective (one shared frozen instance)."""


@dataclass(frozen=True)
class PlanResult:
    """A deployment plan with its status in plain words.

    Attributes
    ----------
    sites
        One row per new team (:data:`SITE_COLUMNS`); ``lon``/``lat`` in EPSG:4326;
        ``need_served`` in resident-equivalents over the horizon; ``value_added`` the
        service value the team adds (see the module docstring); ``need_below_threshold``
        the part of ``need_served`` in communes still below the adequacy threshold.
    moves
        One row per moved existing team (:data:`MOVE_COLUMNS`): the team, from which
        commune to which (``lon``/``lat`` of the new site, EPSG:4326), what the origin
        commune keeps (coverage before and after, teams still in reach, whether it is
        left with none) and what the target gains, with a sentence in each language;
        empty unless re-siting.
    status
        ``optimal``, ``time_limit``, ``gap_limit``, ``infeasible`` or ``greedy``; it
        refers to the service value, which is what the solver maximises.
    status_vi, status_en
        The status in plain words.
    objective
        Service value of all teams (existing and new), the quantity proven optimal.
    baseline
        Service value of the existing teams on their own.
    added
        ``objective - baseline``: the value the plan adds.
    bound, gap
        Proven upper bound on ``objective`` and the relative gap measured on what the
        plan adds, ``(bound - objective) / (bound - baseline)`` (NaN when unknown).
    runtime_s
        Wall clock of the solve, seconds.
    horizon_weeks
        Planning horizon the capacities and need are compared over.
    infeasible_vi, infeasible_en
        Which constraint fails, with the numbers (empty when feasible).
    need_served, baseline_need_served, added_need_served
        Raw need served (resident-equivalents over the horizon) by all teams, by the
        existing teams alone, and in addition by the plan.
    weights
        The service weights used; ``threshold_ratio`` the adequacy threshold.
    communes
        One row per commune whose coverage or teams in reach change: ``commune_code``,
        ``commune_name``, ``coverage_before``, ``coverage_after`` (share of need met
        within the horizon, exactly the analysis's ``coverage_ratio`` of the roster
        before and after the plan), ``need_served`` (change in need served),
        ``priority_weight``, ``is_border``, ``is_remote``, ``unreached`` (before),
        ``teams_in_reach_before``, ``teams_in_reach_after``.
    notes_vi, notes_en
        What the chosen options guarantee and cost, in plain words (border reach is
        reach, not adequacy; the cost of keeping every commune reached; communes a move
        leaves with no team).
    keep_reached
        Whether moves were kept from leaving a commune with no team in reach.
    unguarded_added
        Value the plan would add without that guarantee (NaN when not computed).
    border_min_coverage
        Minimum share of need required in every border commune (0: none).
    new_team_languages
        Minority languages every new team speaks (keys); :func:`roster_with_plan` gives
        them to the new teams.
    interpreter_rate
        Rate of help without a speaker of the residents' language (the analysis's).
    """

    sites: pd.DataFrame
    moves: pd.DataFrame
    status: Status
    status_vi: str
    status_en: str
    objective: float
    baseline: float
    added: float
    bound: float
    gap: float
    runtime_s: float
    horizon_weeks: float
    infeasible_vi: str = ""
    infeasible_en: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    need_served: float = math.nan
    baseline_need_served: float = math.nan
    added_need_served: float = math.nan
    weights: ServiceWeights = field(default_factory=ServiceWeights)
    threshold_ratio: float = 0.5
    communes: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes_vi: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    keep_reached: bool = True
    unguarded_added: float = math.nan
    border_min_coverage: float = 0.0
    new_team_languages: tuple[str, ...] = ()
    interpreter_rate: float = math.nan


MOVE_COLUMNS = (
    "team_id",
    "team_name",
    "members",
    "mode",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "lon",
    "lat",
    "from_coverage_before",
    "from_coverage_after",
    "from_teams_in_reach_after",
    "from_left_unreached",
    "to_coverage_before",
    "to_coverage_after",
    "reason_vi",
    "reason_en",
)
"""Columns of :attr:`PlanResult.moves`."""


def roster_with_plan(
    teams: pd.DataFrame,
    plan: PlanResult,
    *,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    id_prefix: str = "NEW",
) -> pd.DataFrame:
    """Return the validated roster with the plan applied: its moves made, its new teams added.

    Moved teams keep everything but their commune and location (the new site); new teams
    get ``team_size`` members, ``mode``, ``weekly_hours`` (default: the roster's
    median, as :func:`~coverage.optimize.deploy.suggest_sites` assumes), the plan's
    ``new_team_languages``, ids ``<id_prefix>-1``, ``-2``... Analysing the result gives
    exactly the coverage the plan reports (``plan.communes``).
    """
    out = teams.copy().reset_index(drop=True)
    for move in plan.moves.to_dict(orient="records"):
        where = out["team_id"].astype(str) == str(move["team_id"])
        out.loc[where, "commune_code"] = str(move["to_code"])
        out.loc[where, "latitude"] = float(move["lat"])
        out.loc[where, "longitude"] = float(move["lon"])
    hours = (
        float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median())
        if weekly_hours is None and len(teams)
        else float(weekly_hours if weekly_hours is not None else 5.0)
    )
    rows = []
    for n, site in enumerate(plan.sites.to_dict(orient="records"), start=1):
        row: dict[str, Any] = {column: None for column in out.columns}
        row.update(
            {
                "team_id": f"{id_prefix}-{n}",
                "team_name": f"{id_prefix} {n} {site['commune_name']}",
                "commune_code": str(site["commune_code"]),
                "latitude": float(site["lat"]),
                "longitude": float(site["lon"]),
                "members": int(team_size),
                "mode": str(mode),
                "weekly_hours": hours,
            }
        )
        for column in ("skills", "languages"):
            if column in out.columns:
                row[column] = tuple(plan.new_team_languages) if column == "languages" else ()
        rows.append(row)
    if not rows:
        return out
    return pd.concat([out, pd.DataFrame(rows, columns=out.columns)], ignore_index=True)


def plan_to_records(plan: PlanResult) -> dict[str, Any]:
    """Return the plan as JSON-ready data (no NaN: unknown numbers become ``None``)."""

    def num(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    def clean(value: Any) -> Any:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return num(float(value))
        return value

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [
            {str(k): clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]

    return {
        "status": plan.status,
        "status_vi": plan.status_vi,
        "status_en": plan.status_en,
        "objective": num(plan.objective),
        "baseline": num(plan.baseline),
        "added": num(plan.added),
        "bound": num(plan.bound),
        "gap": num(plan.gap),
        "runtime_s": num(plan.runtime_s),
        "horizon_weeks": num(plan.horizon_weeks),
        "need_served": num(plan.need_served),
        "baseline_need_served": num(plan.baseline_need_served),
        "added_need_served": num(plan.added_need_served),
        "threshold_ratio": num(plan.threshold_ratio),
        "weights": dataclasses.asdict(plan.weights),
        "infeasible_vi": plan.infeasible_vi,
        "infeasible_en": plan.infeasible_en,
        "keep_reached": plan.keep_reached,
        "unguarded_added": num(plan.unguarded_added),
        "border_min_coverage": num(plan.border_min_coverage),
        "new_team_languages": list(plan.new_team_languages),
        "interpreter_rate": num(plan.interpreter_rate),
        "notes_vi": list(plan.notes_vi),
        "notes_en": list(plan.notes_en),
        "sites": records(plan.sites),
        "moves": records(plan.moves),
        "communes": records(plan.communes),
    }
