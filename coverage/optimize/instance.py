"""The deployment instance: the covering model built from an analysis, with its context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from coverage.optimize.covering import CapacitatedCovering
from coverage.optimize.plan import DEFAULT_WEIGHTS, Mode, ServiceWeights

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult


@dataclass(frozen=True)
class DeploymentInstance:
    """Arrays built from an analysis: the model plus what is needed to explain it."""

    model: CapacitatedCovering
    candidates: pd.DataFrame  # one row per option: commune_index, commune_code, lon, lat
    communes_reached: sp.csr_matrix  # communes by options
    existing_reached: np.ndarray  # bool per commune: reached by an existing team
    border_communes: np.ndarray  # commune indices of the border communes
    horizon_weeks: float
    new_capacity: float
    priority: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per commune
    weights: ServiceWeights = field(default_factory=ServiceWeights)
    threshold_ratio: float = 0.5
    languages: tuple[str, ...] = ()  # minority languages the new teams speak
    plain_factor: np.ndarray | None = None  # per commune: factor of a team speaking none
    new_factor: np.ndarray | None = None  # per commune: factor of a new team


def _weekly_hours(analysis: AnalysisResult) -> float:
    teams = analysis.teams
    if "weekly_hours" in teams.columns and len(teams):
        return float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median())
    return 5.0


def build_instance(
    analysis: AnalysisResult,
    *,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    candidates: pd.DataFrame | None = None,
    relocate: int = 0,
    weights: ServiceWeights = DEFAULT_WEIGHTS,
    languages: Sequence[str] = (),
) -> DeploymentInstance:
    """Build the capacitated covering model for ``analysis``.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze.analyze_coverage`.
    team_size
        Volunteers in each new team.
    mode
        ``"fixed"`` or ``"mobile"``: sets the reach of new teams.
    weekly_hours
        Hours per volunteer per week (default: the roster's median).
    candidates
        Candidate sites with ``commune_code``, ``lon``, ``lat`` (EPSG:4326); default one
        per commune at its representative point.
    relocate
        When positive, existing teams may move to the candidate sites (each keeps its
        capacity and its mode's reach).
    weights
        How coverage is valued (tiers and priorities, see the module docstring).
    languages
        Minority-language keys every new team speaks (``("jrai",)``); they are credited
        at the full rate where those languages are spoken.
    """
    from coverage.analysis.need import capacity_per_week, language_factor
    from coverage.inputs.validation import representative_points

    communes = analysis.communes.reset_index(drop=True)
    codes = communes["code"].astype(str).to_numpy()
    index_of = {c: i for i, c in enumerate(codes)}
    if candidates is None:
        rep = representative_points(communes)
        cand = pd.DataFrame(
            {
                "commune_code": codes,
                "lon": rep.loc[codes, "lon"].to_numpy(),
                "lat": rep.loc[codes, "lat"].to_numpy(),
            }
        )
    else:
        cand = candidates[["commune_code", "lon", "lat"]].copy()
        cand["commune_code"] = cand["commune_code"].astype(str)
    cand["commune_index"] = cand["commune_code"].map(index_of).astype("int64")
    cand = cand.reset_index(drop=True)
    horizon = float(analysis.params.capacity.planning_horizon_weeks)
    hours = _weekly_hours(analysis) if weekly_hours is None else float(weekly_hours)
    new_cap_week = float(
        capacity_per_week(
            pd.DataFrame({"members": [team_size], "weekly_hours": [hours]}),
            params=analysis.params.capacity,
        )[0]
    )
    lon, lat = cand["lon"].to_numpy(float), cand["lat"].to_numpy(float)
    reach = sp.csc_matrix(analysis.reach_from_sites(lon, lat, mode=mode).covers.T, dtype=bool)
    teams = analysis.teams.reset_index(drop=True)
    team_cap = teams["capacity_per_week"].to_numpy(float) * horizon
    need_l = analysis.language_need
    n_classes = analysis.language_factor.shape[0]
    team_class = (
        teams["language_class"].to_numpy(np.int64)
        if "language_class" in teams.columns
        else np.zeros(len(teams), dtype=np.int64)
    )
    new_speaks = need_l.speaks([tuple(languages)])
    extra_rows = language_factor(
        np.vstack([new_speaks, np.zeros_like(new_speaks)]),
        need_l.share,
        interpreter_rate=analysis.params.capacity.interpreter_rate,
    )
    factor_table = np.vstack([analysis.language_factor, extra_rows]) if need_l.languages else None
    move_reach: list[sp.csc_matrix] = []
    move_class: list[int] = []
    existing_mode = np.full(len(teams), -1, dtype=np.int64)
    if relocate > 0 and len(teams):
        modes = teams["mode"].astype(str).to_numpy()
        for m in ("fixed", "mobile"):
            if (modes == m).any():
                matrix = sp.csc_matrix(
                    analysis.reach_from_sites(lon, lat, mode=m).covers.T, dtype=bool
                )
                for k in np.unique(team_class[modes == m]):  # moves aggregate by (mode, languages)
                    existing_mode[(modes == m) & (team_class == k)] = len(move_reach)
                    move_reach.append(matrix)
                    move_class.append(int(k))
    existing_group = (
        teams["commune_code"].astype(str).map(index_of).fillna(-1).astype("int64").to_numpy()
    )
    border_flag = communes["is_border"].to_numpy(bool)
    border = np.flatnonzero(border_flag)
    threshold_ratio = float(analysis.params.flags.underserved_ratio)
    unreached = communes["teams_in_reach"].to_numpy(np.int64) == 0
    priority_c = weights.priority(
        is_border=border_flag, is_remote=communes["is_remote"].to_numpy(bool), unreached=unreached
    )
    model = CapacitatedCovering(
        reach,
        analysis.demand["need"].to_numpy(float),
        new_cap_week * horizon,
        group=analysis.demand["commune_index"].to_numpy(np.int64),
        n_groups=len(communes),
        existing_reach=sp.csc_matrix(analysis.reach.covers.T, dtype=bool),
        existing_capacity=team_cap,
        threshold_ratio=threshold_ratio,
        priority=priority_c,
        beyond_threshold_weight=weights.beyond_threshold_weight,
        option_group=cand["commune_index"].to_numpy(np.int64),
        existing_group=existing_group,
        move_reach=move_reach,
        existing_mode=existing_mode,
        required=border,
        language_factor=factor_table,
        new_class=n_classes,
        existing_class=team_class,
        move_class=move_class,
    )
    return DeploymentInstance(
        model,
        cand,
        sp.csr_matrix(model.new_hits.T),
        model.baseline_reach > 0,
        border,
        horizon,
        new_cap_week * horizon,
        priority=priority_c,
        weights=weights,
        threshold_ratio=threshold_ratio,
        languages=tuple(languages),
        plain_factor=extra_rows[1],
        new_factor=extra_rows[0],
    )
