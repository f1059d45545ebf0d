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

Language (technology interpreters)
----------------------------------
Part of a commune's need is residents who mainly speak a minority language (Jrai,
Bahnar...). With ``m_l`` the share of commune ``g``'s need that mainly speaks language
``l`` (:class:`LanguageNeed`) and ``r`` the ``interpreter_rate`` (:class:`CapacityParams`),
the hours team ``t`` spends in ``g`` help::

    factor[t, g] = 1 - sum_l m_l + sum_l m_l * (1 if t speaks l else r)
                 = 1 - (1 - r) * sum_l m_l * (1 - speaks[t, l])

times as many residents as they would if everyone spoke Vietnamese: a team with a
speaker of the language helps those residents at the full rate, a team without one
only at ``r`` (through an interpreter, a relative or gestures, one session takes about
twice as long). The factor multiplies what a team credits to each point of ``g``; the
team still spends its hours in proportion to need. :func:`language_factor` is the one
formula; the analysis (:func:`share_by_need` with ``factor``) and the optimiser
(:func:`coverage.optimize.credit.site_shares`) both apply it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from coverage.analysis.geo import FloatArray

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


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


INTERPRETER_RATE = 0.5
"""Default ``interpreter_rate``: without a volunteer who speaks the resident's language a
session goes through an interpreter (a relative, a village elder) or gestures and takes
about twice as long, so the team helps such residents at half its rate. A planning
assumption, adjustable (``--interpreter-rate``, the Suggestions page), not a measurement."""


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
    interpreter_rate
        Rate at which a team with no speaker of a resident's main language helps that
        resident, relative to a team with one (see the module docstring, "Language").
    """

    residents_per_volunteer_hour: float = 1.5
    planning_horizon_weeks: float = 26.0
    interpreter_rate: float = INTERPRETER_RATE

    def __post_init__(self) -> None:
        if self.residents_per_volunteer_hour <= 0 or self.planning_horizon_weeks <= 0:
            raise ValueError(
                "residents_per_volunteer_hour and planning_horizon_weeks must be positive"
            )
        if not 0 <= self.interpreter_rate <= 1:
            raise ValueError(
                f"interpreter_rate must be between 0 and 1 (got {self.interpreter_rate})"
            )


INDICATOR_FOR_CONNECTIVITY = (
    "smartphone_adult_pct",
    "fixed_broadband_household_pct",
    "mobile_4g_population_pct",
    "vneid_level2_adult_pct",
    "online_filing_pct",
)


def need_from_indicators(
    population: FloatArray | pd.Series,
    indicators: pd.DataFrame,
    *,
    params: NeedParams = NeedParams(),
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


def connectivity_index(
    indicators: pd.DataFrame, *, params: NeedParams = NeedParams()
) -> FloatArray:
    """Return a 0-100 connectivity index (higher is better): weighted mean of five indicators."""
    weights = np.asarray(params.connectivity_weights, dtype=float)
    weights = weights / weights.sum()
    values = indicators[list(INDICATOR_FOR_CONNECTIVITY)].to_numpy(dtype=float)
    return np.asarray(np.clip(values @ weights, 0.0, 100.0), dtype=float)


def capacity_per_week(
    teams: pd.DataFrame, *, params: CapacityParams = CapacityParams()
) -> FloatArray:
    """Return each team's capacity in residents helped per week.

    ``members * weekly_hours * residents_per_volunteer_hour``; ``weekly_hours`` is per
    member. A roster column ``residents_per_volunteer_hour`` (a team's rate measured from
    its reports, see :mod:`coverage.monitoring.throughput`) replaces the assumed rate where filled.
    """
    members = teams["members"].to_numpy(dtype=float)
    hours = teams["weekly_hours"].to_numpy(dtype=float)
    rate = np.full(len(teams), params.residents_per_volunteer_hour, dtype=float)
    if "residents_per_volunteer_hour" in teams.columns:
        own = pd.to_numeric(teams["residents_per_volunteer_hour"], errors="coerce").to_numpy(
            dtype=float
        )
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


def share_by_need(
    covers: sparse.csr_array,
    amounts: FloatArray,
    need: FloatArray,
    *,
    factor: sparse.csr_array | None = None,
) -> SharedCapacity:
    """Share each team's amounts between the points it reaches, in proportion to need.

    Parameters
    ----------
    covers
        Boolean ``(teams, points)`` reach matrix.
    amounts
        Shape ``(teams,)`` or ``(teams, k)``: what to share (capacity per week, members...).
    need
        Shape ``(points,)``: need at each point.
    factor
        Optional ``(teams, points)`` matrix with the sparsity of ``covers``: how many
        residents an hour of team ``t`` spent at point ``p`` helps, relative to the full
        rate (the language factor, :func:`factor_on_pairs`). The hours are still shared
        in proportion to need; only what they credit is scaled.

    Returns
    -------
    SharedCapacity
        ``credited[p] = need[p] * sum_t covers[t, p] * factor[t, p] * amounts[t] /
        reached_need[t]``, so ``credited.sum(axis=0) == used.sum(axis=0)``.
    """
    reach = sparse.csr_array(covers, dtype=float)
    need = np.asarray(need, dtype=float)
    amounts = np.asarray(amounts, dtype=float)
    reached = np.asarray(reach @ need, dtype=float)
    has_need = reached > 0
    scale = np.where(has_need, 1.0 / np.where(has_need, reached, 1.0), 0.0)
    weighted = reach if factor is None else sparse.csr_array(factor, dtype=float)
    effective = (
        has_need.astype(float)
        if factor is None
        else np.asarray(weighted @ need, dtype=float) * scale
    )
    per_unit = amounts * (scale if amounts.ndim == 1 else scale[:, None])
    pulled = np.asarray(weighted.T @ per_unit, dtype=float)
    credited = pulled * (need if pulled.ndim == 1 else need[:, None])
    used = amounts * (effective if amounts.ndim == 1 else effective[:, None])
    return SharedCapacity(
        credited=credited, reached_need=reached, used=np.asarray(used, dtype=float)
    )


@dataclass(frozen=True)
class LanguageNeed:
    """Which minority languages each commune's residents mainly speak, as shares of its need.

    Attributes
    ----------
    languages
        Language keys (e.g. ``("bahnar", "jrai")``), the columns of ``share``.
    share
        Shape ``(communes, languages)``: share of the commune's need (0-1) whose main
        language is each language; a row sums to at most 1 (the rest speaks Vietnamese).
    """

    languages: tuple[str, ...]
    share: FloatArray

    @classmethod
    def none(cls, communes: int) -> LanguageNeed:
        """No minority-language need anywhere (every factor is 1)."""
        return cls((), np.zeros((communes, 0)))

    def speaks(self, team_languages: Sequence[Iterable[str]]) -> BoolArray:
        """Shape ``(teams, languages)``: whether each team has a speaker of each language."""
        index = {lang: i for i, lang in enumerate(self.languages)}
        out = np.zeros((len(team_languages), len(self.languages)), dtype=bool)
        for t, spoken in enumerate(team_languages):
            for lang in spoken:
                if lang in index:
                    out[t, index[lang]] = True
        return out


def language_factor(speaks: BoolArray, share: FloatArray, *, interpreter_rate: float) -> FloatArray:
    """Return the capacity factor of each (team, commune): the module formula, "Language".

    Parameters
    ----------
    speaks
        Shape ``(teams, languages)``: whether the team has a speaker of each language.
    share
        Shape ``(communes, languages)``: :attr:`LanguageNeed.share`.
    interpreter_rate
        ``r``, the rate without a speaker (:attr:`CapacityParams.interpreter_rate`).

    Returns
    -------
    numpy.ndarray
        Shape ``(teams, communes)``: ``1 - (1 - r) * sum_l share[g, l] * (1 - speaks[t, l])``.
    """
    missing = 1.0 - np.asarray(speaks, dtype=float)
    lacking = missing @ np.asarray(share, dtype=float).T
    return np.asarray(1.0 - (1.0 - float(interpreter_rate)) * lacking, dtype=float)


def factor_on_pairs(
    pairs: sparse.csr_array | sparse.csr_matrix,
    table: FloatArray,
    row_class: IntArray,
    col_group: IntArray,
) -> sparse.csr_array:
    """Put ``table[row_class[i], col_group[j]]`` on every stored pair ``(i, j)`` of ``pairs``.

    ``table`` is a :func:`language_factor` for a few classes of teams (teams with the same
    languages share a row), so no dense ``(teams, communes)`` matrix is ever built.
    """
    coo = sparse.coo_array(pairs)
    values = np.asarray(table, dtype=float)[
        np.asarray(row_class)[coo.row], np.asarray(col_group)[coo.col]
    ]
    return sparse.csr_array((values, (coo.row, coo.col)), shape=coo.shape)


def language_classes(
    team_languages: Sequence[Iterable[str]], need: LanguageNeed
) -> tuple[IntArray, BoolArray]:
    """Group teams by the minority languages of ``need`` they speak.

    Returns
    -------
    classes, speaks
        The class of each team, and ``(classes, languages)``: what each class speaks.
    """
    every = need.speaks(team_languages)
    if every.shape[1] == 0 or every.shape[0] == 0:
        return np.zeros(len(team_languages), dtype=np.int64), np.zeros(
            (1, every.shape[1]), dtype=bool
        )
    unique, classes = np.unique(every, axis=0, return_inverse=True)
    return np.asarray(classes, dtype=np.int64).ravel(), np.asarray(unique, dtype=bool)


__all__ = [
    "INDICATOR_FOR_CONNECTIVITY",
    "INTERPRETER_RATE",
    "CapacityParams",
    "LanguageNeed",
    "NeedParams",
    "SharedCapacity",
    "capacity_per_week",
    "connectivity_index",
    "factor_on_pairs",
    "language_classes",
    "language_factor",
    "need_from_indicators",
    "share_by_need",
]
