"""Need for help, team capacity, and how a team's capacity is shared.

Need (a stock of residents)
---------------------------
For a commune with population ``P`` and indicators (percent, divided by 100 here)
adult share ``a``, VNeID level 2 among adults ``v``, online filing among adults ``f`` and
smartphone ownership among adults ``s``::

    adults      = P * a
    lacking     = (1 - v) + filing_help_weight * max(v - f, 0)
    need        = adults * take_up_share * lacking
                  * (1 + no_smartphone_extra_effort * (1 - s))

``lacking`` counts adults without VNeID level 2 (they need the most help) plus, at a
lower weight, adults who have it but do not yet file online. The last factor turns heads
into resident-equivalents: a resident without a smartphone takes longer to help (on the
team's device). ``need`` is in resident-equivalents who still need help.

Capacity (a weekly flow) and how the two meet
---------------------------------------------
A team helps ``members * weekly_hours * residents_per_volunteer_hour`` residents per
week. Need is a stock and capacity a flow; they are compared over a named planning
horizon: ``coverage_ratio = capacity_per_week * planning_horizon_weeks / need``. A ratio
of 1 means the teams reaching a commune can help everyone who needs it within the
horizon.

Sharing
-------
A team's capacity is split between the demand points it reaches in proportion to their
need, so nothing is counted twice: the capacity credited to all points equals the total
capacity of the teams that reach any need (teams reaching no need credit nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from coverage.analysis.geo import FloatArray


@dataclass(frozen=True)
class NeedParams:
    """Assumptions turning indicators into need, each one named and adjustable.

    Attributes
    ----------
    take_up_share
        Share of adults lacking a skill who would come for help within the horizon.
    filing_help_weight
        Help needed by an adult with VNeID level 2 who does not file online, relative to
        one without VNeID level 2 (a shorter session).
    no_smartphone_extra_effort
        Extra effort for a resident without a smartphone (0.5 = takes 1.5 times as long).
    connectivity_weights
        Weights of (smartphone, fixed broadband, 4G, VNeID level 2, online filing) in the
        0-100 connectivity index; they are normalised to sum to 1.
    """

    take_up_share: float = 0.6
    filing_help_weight: float = 0.5
    no_smartphone_extra_effort: float = 0.5
    connectivity_weights: tuple[float, float, float, float, float] = (0.25, 0.15, 0.2, 0.25, 0.15)

    def __post_init__(self) -> None:
        for name in ("take_up_share", "filing_help_weight"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1 (got {value})")
        if self.no_smartphone_extra_effort < 0:
            raise ValueError("no_smartphone_extra_effort must not be negative")
        if min(self.connectivity_weights) < 0 or sum(self.connectivity_weights) <= 0:
            raise ValueError("connectivity_weights must be non-negative with a positive sum")


@dataclass(frozen=True)
class CapacityParams:
    """How much help a team gives per week and over what horizon it meets the need.

    Attributes
    ----------
    residents_per_volunteer_hour
        Residents one volunteer helps per hour (a VNeID level 2 activation with a
        walk-through of the portal takes about 40 minutes).
    planning_horizon_weeks
        Weeks over which weekly capacity is set against the stock of need (26 = one
        half-year campaign).
    """

    residents_per_volunteer_hour: float = 1.5
    planning_horizon_weeks: float = 26.0

    def __post_init__(self) -> None:
        if self.residents_per_volunteer_hour <= 0 or self.planning_horizon_weeks <= 0:
            raise ValueError("residents_per_volunteer_hour and planning_horizon_weeks must be positive")


INDICATOR_FOR_CONNECTIVITY = (
    "smartphone_adult_pct",
    "fixed_broadband_household_pct",
    "mobile_4g_population_pct",
    "vneid_level2_adult_pct",
    "online_filing_pct",
)


def need_from_indicators(
    population: FloatArray | pd.Series, indicators: pd.DataFrame, *, params: NeedParams = NeedParams()
) -> FloatArray:
    """Return each commune's need in resident-equivalents (see the module formula).

    Parameters
    ----------
    population
        Residents per commune.
    indicators
        Rows aligned with ``population``: ``adult_share_pct``,
        ``vneid_level2_adult_pct``, ``online_filing_pct``, ``smartphone_adult_pct`` (0-100).
    params
        The assumptions.
    """
    pop = np.asarray(population, dtype=float)
    a = indicators["adult_share_pct"].to_numpy(dtype=float) / 100.0
    v = indicators["vneid_level2_adult_pct"].to_numpy(dtype=float) / 100.0
    f = indicators["online_filing_pct"].to_numpy(dtype=float) / 100.0
    s = indicators["smartphone_adult_pct"].to_numpy(dtype=float) / 100.0
    lacking = (1.0 - v) + params.filing_help_weight * np.maximum(v - f, 0.0)
    effort = 1.0 + params.no_smartphone_extra_effort * (1.0 - s)
    return np.asarray(pop * a * params.take_up_share * lacking * effort, dtype=float)


def connectivity_index(indicators: pd.DataFrame, *, params: NeedParams = NeedParams()) -> FloatArray:
    """Return a 0-100 connectivity index (higher is better): weighted mean of five indicators."""
    weights = np.asarray(params.connectivity_weights, dtype=float)
    weights = weights / weights.sum()
    values = indicators[list(INDICATOR_FOR_CONNECTIVITY)].to_numpy(dtype=float)
    return np.asarray(np.clip(values @ weights, 0.0, 100.0), dtype=float)


def capacity_per_week(teams: pd.DataFrame, *, params: CapacityParams = CapacityParams()) -> FloatArray:
    """Return each team's capacity in residents helped per week.

    ``members * weekly_hours * residents_per_volunteer_hour``; ``weekly_hours`` is per
    member. A roster column ``residents_per_volunteer_hour`` (a team's rate measured from
    its reports, see :mod:`coverage.monitoring.throughput`) replaces the assumed rate where filled.
    """
    members = teams["members"].to_numpy(dtype=float)
    hours = teams["weekly_hours"].to_numpy(dtype=float)
    rate = np.full(len(teams), params.residents_per_volunteer_hour, dtype=float)
    if "residents_per_volunteer_hour" in teams.columns:
        own = pd.to_numeric(teams["residents_per_volunteer_hour"], errors="coerce").to_numpy(dtype=float)
        rate = np.where(np.isfinite(own), own, rate)
    return np.asarray(members * hours * rate, dtype=float)


@dataclass(frozen=True)
class SharedCapacity:
    """Capacity credited to demand points by need-proportional sharing.

    Attributes
    ----------
    credited
        Shape ``(points,)`` or ``(points, k)``: amount credited to each point.
    reached_need
        Shape ``(teams,)``: total need of the points each team reaches.
    used
        Shape like ``amounts``: each team's amount that was credited (zero for a team
        that reaches no need, else all of it).
    """

    credited: FloatArray
    reached_need: FloatArray
    used: FloatArray


def share_by_need(covers: sparse.csr_array, amounts: FloatArray, need: FloatArray) -> SharedCapacity:
    """Share each team's amounts between the points it reaches, in proportion to need.

    Parameters
    ----------
    covers
        Boolean ``(teams, points)`` reach matrix.
    amounts
        Shape ``(teams,)`` or ``(teams, k)``: what to share (capacity per week, members...).
    need
        Shape ``(points,)``: need at each point.

    Returns
    -------
    SharedCapacity
        ``credited[p] = need[p] * sum_t covers[t, p] * amounts[t] / reached_need[t]``, so
        ``credited.sum(axis=0) == used.sum(axis=0)``.
    """
    reach = sparse.csr_array(covers, dtype=float)
    need = np.asarray(need, dtype=float)
    amounts = np.asarray(amounts, dtype=float)
    reached = np.asarray(reach @ need, dtype=float)
    has_need = reached > 0
    scale = np.where(has_need, 1.0 / np.where(has_need, reached, 1.0), 0.0)
    per_unit = amounts * (scale if amounts.ndim == 1 else scale[:, None])
    pulled = np.asarray(reach.T @ per_unit, dtype=float)
    credited = pulled * (need if pulled.ndim == 1 else need[:, None])
    used = amounts * (has_need if amounts.ndim == 1 else has_need[:, None])
    return SharedCapacity(credited=credited, reached_need=reached, used=np.asarray(used, dtype=float))


__all__ = [
    "INDICATOR_FOR_CONNECTIVITY",
    "CapacityParams",
    "NeedParams",
    "SharedCapacity",
    "capacity_per_week",
    "connectivity_index",
    "need_from_indicators",
    "share_by_need",
]
