"""Analyse coverage: for every commune, is it served well enough, and if not, why.

Pipeline (metres in a transverse Mercator CRS centred on the data, see
:mod:`coverage.analysis.geo`)::

    communes -> demand points (population raster cells weighted by where people live,
                or, without a raster, a grid clipped to each polygon with equal weights)
    indicators -> need per commune -> need per demand point
    teams -> capacity per week; reach (straight line x detour, or road travel time)
    capacity shared between reached points in proportion to need (nothing counted twice),
    what it credits scaled by the language factor (coverage.analysis.need, "Language": residents
    who mainly speak a minority language are helped at full rate only by a team with a
    speaker, else at the interpreter rate)
    -> per commune: need, capacity, coverage_ratio, teams_in_reach, nearest_team_km,
       volunteers_per_1000, connectivity_index, remote_index, flags (border, remote,
       under-served, language gap) and reasons

The result also carries what a deployment optimiser needs: the demand points with their
commune and unmet need, the sparse team-to-point reach matrix, and
:meth:`AnalysisResult.reach_from_sites` to compute reach from candidate sites with the
same travel model. Each step is a function of :mod:`coverage.analysis.steps`; see
:mod:`coverage.analysis.reach`, :mod:`coverage.analysis.need` and
:mod:`coverage.analysis.flags` for each step's assumptions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
from scipy import sparse

from coverage import settings as cfg
from coverage.analysis import steps
from coverage.analysis.flags import (
    FlagParams,
    LandBorder,
    load_land_border,
    population_reasons,
    reasons_for,
)
from coverage.analysis.geo import WGS84, FloatArray, Projection
from coverage.analysis.languages import gap_reasons
from coverage.analysis.need import CapacityParams, LanguageNeed, NeedParams
from coverage.analysis.reach import DemandPoints, ReachMatrix, ReachParams, TravelModel

if TYPE_CHECKING:
    from coverage.inputs.model import Inputs

COMMUNE_COLUMNS = (
    "code",
    "name",
    "full_name",
    "kind",
    "province",
    "population",
    "area_km2",
    "density_per_km2",
    "merged_from",
    "need",
    "capacity",
    "coverage_ratio",
    "teams_in_reach",
    "nearest_team_km",
    "volunteers_per_1000",
    "connectivity_index",
    "remote_index",
    "is_border",
    "is_remote",
    "is_underserved",
    "reasons_vi",
    "reasons_en",
)
"""Columns of :attr:`AnalysisResult.communes` promised by docs/architecture.md."""


@dataclass(frozen=True)
class AnalysisParams:
    """Every adjustable assumption of the analysis, grouped by step."""

    reach: ReachParams = field(default_factory=ReachParams)
    need: NeedParams = field(default_factory=NeedParams)
    capacity: CapacityParams = field(default_factory=CapacityParams)
    flags: FlagParams = field(default_factory=FlagParams)


@dataclass(frozen=True)
class AnalysisResult:
    """Per-commune coverage with flags and reasons, plus what an optimiser needs.

    Attributes
    ----------
    communes
        GeoDataFrame (EPSG:4326), one row per commune in input order, with
        :data:`COMMUNE_COLUMNS` and the extra columns ``capacity_horizon`` (residents
        the reaching teams can help within the horizon), ``volunteers_in_reach``,
        ``hub_km``, ``border_km``, ``border_country``, ``remote_source`` (``index`` or
        ``official``), ``population_source`` (``official``, ``worldpop_estimate`` or
        ``missing``: :func:`coverage.inputs.datasets.fill_missing_population`),
        ``indicators_estimated``, ``demand_points``, ``residents_out_of_reach``
        (residents living where no team reaches), ``minority_languages`` (keys,
        ``jrai;bahnar``), ``languages_estimated`` (they come from the ILLUSTRATIVE
        ESTIMATE), ``minority_share`` (share of need mainly speaking them),
        ``is_language_gap``, ``language_gap_languages`` and ``language_gap_residents``
        (see :mod:`coverage.analysis.languages`). ``capacity`` is residents per
        week; ``need`` is resident-equivalents (a stock); ``nearest_team_km`` is the
        population-weighted mean travel distance of the commune's demand points to
        their nearest team (NaN when there are no teams).
    teams
        The roster with ``lon``/``lat`` (EPSG:4326), ``x_m``/``y_m`` (analysis CRS),
        ``capacity_per_week``, ``reach`` (in :attr:`reach_unit`), ``reached_need``,
        ``capacity_used_per_week`` (after the language factor), ``communes_in_reach``
        and ``language_class`` (row of :attr:`language_factor`).
    demand
        One row per demand point: ``commune_index`` (row of :attr:`communes`),
        ``commune_code``, ``x_m``, ``y_m``, ``lon``, ``lat``, ``population``, ``need``,
        ``capacity_per_week`` (credited), ``unmet_need`` (need not met within the horizon),
        ``reached`` (some team reaches the point).
    reach
        Sparse ``(teams, demand points)`` reach with travel costs.
    travel
        The travel model (CRS, parameters, optional road network).
    crs
        The projected analysis CRS (metres).
    params
        The parameters used.
    land_border
        The land border used for the border flag.
    timings_s
        Seconds spent in each stage, in order.
    demand_source
        ``"worldpop"`` when demand points are population raster cells (see
        :mod:`coverage.inputs.population`), ``"grid"`` for the equal-weight grid fallback.
    attribution
        Credit line the data behind the demand points require ("" for the grid).
    language_need
        Shares of each commune's need by minority language
        (:class:`coverage.analysis.need.LanguageNeed`).
    language_factor
        Shape ``(team classes, communes)``: the capacity factor of
        :func:`coverage.analysis.need.language_factor` for each class of teams (teams speaking the
        same minority languages) in each commune.
    """

    communes: gpd.GeoDataFrame
    teams: pd.DataFrame
    demand: pd.DataFrame
    reach: ReachMatrix
    travel: TravelModel
    crs: pyproj.CRS
    params: AnalysisParams
    land_border: LandBorder
    timings_s: tuple[tuple[str, float], ...] = ()
    demand_source: str = "grid"
    attribution: str = ""
    language_need: LanguageNeed = field(default_factory=lambda: LanguageNeed.none(0))
    language_factor: FloatArray = field(default_factory=lambda: np.ones((1, 0)))

    @property
    def reach_unit(self) -> str:
        """``"km"`` or ``"min"``: the unit of reach and of :attr:`reach` costs."""
        return self.travel.unit

    @property
    def demand_points(self) -> DemandPoints:
        """The demand points as arrays (metres, commune index, weight in commune)."""
        pop = self.communes["population"].to_numpy(dtype=float)[self.demand["commune_index"]]
        weight = np.divide(
            self.demand["population"].to_numpy(dtype=float),
            pop,
            out=np.zeros(len(pop)),
            where=pop > 0,
        )
        return DemandPoints(
            self.demand[["x_m", "y_m"]].to_numpy(dtype=float),
            self.demand["commune_index"].to_numpy(dtype=np.int64),
            weight,
        )

    def commune_membership(self) -> sparse.csr_array:
        """Return the ``(demand points, communes)`` 0/1 matrix."""
        n = len(self.demand)
        return sparse.csr_array(
            (np.ones(n), (np.arange(n), self.demand["commune_index"].to_numpy(dtype=np.int64))),
            shape=(n, len(self.communes)),
        )

    def reach_from_sites(
        self,
        longitudes_deg: npt.ArrayLike,
        latitudes_deg: npt.ArrayLike,
        *,
        mode: str | npt.ArrayLike = "mobile",
        reach: npt.ArrayLike | None = None,
    ) -> ReachMatrix:
        """Compute reach from arbitrary candidate sites with the analysis's travel model.

        Parameters
        ----------
        longitudes_deg, latitudes_deg
            Candidate sites in EPSG:4326 (degrees).
        mode
            ``"fixed"`` or ``"mobile"`` (one for all, or one per site); sets the reach.
        reach
            Reach per site in :attr:`reach_unit`, instead of the mode's.

        Returns
        -------
        ReachMatrix
            Sparse ``(sites, demand points)``, columns as in :attr:`demand`.
        """
        xy = Projection(self.crs).to_metres(longitudes_deg, latitudes_deg)
        if reach is None:
            modes = np.broadcast_to(np.asarray(mode, dtype=object), (xy.shape[0],))
            radius = self.travel.reach_for_modes(modes)
        else:
            radius = np.broadcast_to(np.asarray(reach, dtype=float), (xy.shape[0],))
        return self.travel.reach(
            xy,
            self.demand[["x_m", "y_m"]].to_numpy(dtype=float),
            reach=np.asarray(radius, dtype=float),
        )


class _Timer:
    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.stages.append((name, time.perf_counter() - start))


def analyze_coverage(
    inputs: Inputs,
    *,
    params: AnalysisParams = AnalysisParams(),
    land_border: LandBorder | None = None,
    settings: cfg.Settings | None = None,
    roads: gpd.GeoDataFrame | None = None,
) -> AnalysisResult:
    """Analyse coverage of every commune of ``inputs`` by its teams.

    Parameters
    ----------
    inputs
        Validated communes (EPSG:4326), teams and indicators (one province or all).
    params
        Assumptions; see :class:`AnalysisParams`.
    land_border
        Land border to test against; by default Vietnam's, derived once from the
        national commune layer of ``settings`` (see
        :func:`coverage.analysis.flags.load_land_border`).
        Pass ``LandBorder.none()`` to skip the border flag.
    settings
        Data locations for the default land border (default: read from the environment).
    roads
        Road lines (any CRS) with a speed or a road class; when given, reach is road
        travel time in minutes (see :mod:`coverage.analysis.reach`).

    Returns
    -------
    AnalysisResult
    """
    timer = _Timer()
    if inputs.communes.crs is None:
        raise ValueError("communes have no CRS; the analysis never assumes one")
    with timer.stage("project"):
        where = steps.project(inputs.communes, reach=params.reach, roads=roads)
    with timer.stage("need"):
        need = steps.commune_need(where, inputs, params=params.need)
    with timer.stage("demand_points"):
        demand = steps.demand(where, inputs, need, reach=params.reach)
    teams = inputs.teams.reset_index(drop=True)
    with timer.stage("reach"):
        reach = steps.team_reach(where, teams, demand)
    horizon = params.capacity.planning_horizon_weeks
    with timer.stage("capacity"):
        shares = steps.share_capacity(where, inputs, teams, demand, reach, params=params.capacity)
        served = steps.served(
            where, teams, need, demand, reach, shares, capacity=params.capacity, flags=params.flags
        )
    with timer.stage("flags"):
        border = land_border if land_border is not None else _default_border(settings)
        flags = steps.flags(where, inputs, border, need, served, params=params.flags)
    with timer.stage("assemble"):
        communes = _commune_table(where, need, demand, reach, shares, served, flags, params=params)
        demand_frame = _demand_table(where, demand, reach, shares, horizon_weeks=horizon)
        team_frame = _team_table(teams, reach, shares, served)
    return AnalysisResult(
        communes=communes,
        teams=team_frame,
        demand=demand_frame,
        reach=reach.reach,
        travel=where.travel,
        crs=where.projection.crs,
        params=params,
        land_border=border,
        timings_s=tuple(timer.stages),
        demand_source="worldpop" if demand.cells is not None else "grid",
        attribution=demand.cells.attribution if demand.cells is not None else "",
        language_need=shares.languages.need,
        language_factor=shares.factor_table,
    )


def _default_border(settings: cfg.Settings | None) -> LandBorder:
    """Return Vietnam's land border from the data folder of ``settings`` (default: environment)."""
    return load_land_border(settings if settings is not None else cfg.load_settings())


def _commune_table(
    where: steps.Projected,
    need: steps.CommuneNeed,
    demand: steps.Demand,
    reach: steps.TeamReach,
    shares: steps.Shares,
    served: steps.Served,
    flags: steps.Flags,
    *,
    params: AnalysisParams,
) -> gpd.GeoDataFrame:
    """Return one row per commune (EPSG:4326): every figure, flag and reason, contract first."""
    communes = where.communes
    horizon_weeks = params.capacity.planning_horizon_weeks
    n = where.n
    langs = shares.languages
    gaps = served.gaps
    contact = flags.contact
    official = flags.official_remote
    table = pd.DataFrame(
        {
            "code": communes["code"].astype(str).to_numpy(),
            "name": communes["name"].astype(str).to_numpy(),
            "full_name": steps.text_column(communes, "full_name"),
            "kind": steps.text_column(communes, "kind", default="xa"),
            "province": steps.text_column(communes, "province"),
            "population": where.population.astype(np.int64),
            "population_source": steps.text_column(
                communes, "population_source", default="official"
            ),
            "area_km2": where.area_km2,
            "density_per_km2": where.density_per_km2,
            "merged_from": steps.text_column(communes, "merged_from"),
            "need": need.need,
            "capacity": served.capacity,
            "capacity_horizon": served.capacity * horizon_weeks,
            "coverage_ratio": served.coverage_ratio,
            "teams_in_reach": served.teams_in_reach,
            "volunteers_in_reach": served.volunteers_in_reach.astype(np.int64),
            "nearest_team_km": served.nearest_team_km,
            "volunteers_per_1000": served.volunteers_per_1000,
            "connectivity_index": need.connectivity,
            "remote_index": flags.remote_index,
            "hub_km": flags.hub_km,
            "is_border": flags.is_border,
            "border_km": contact.length_km,
            "border_country": np.where(flags.is_border, contact.country, ""),
            "is_remote": flags.is_remote.astype(bool),
            "remote_source": np.where(official.isna().to_numpy(), "index", "official"),
            "is_underserved": flags.is_underserved,
            "indicators_estimated": need.estimated,
            "demand_points": np.bincount(demand.points.commune_index, minlength=n).astype(np.int64),
            "residents_out_of_reach": np.round(reach.out_of_reach).astype(np.int64),
            "minority_languages": langs.listed,
            "languages_estimated": langs.estimated,
            "minority_share": langs.need.share.sum(axis=1),
            "is_language_gap": gaps.flagged,
            "language_gap_languages": gaps.languages,
            "language_gap_residents": np.round(gaps.residents).astype(np.int64),
        }
    )
    _add_reasons(
        table,
        shares,
        served,
        flag_params=params.flags,
        horizon_weeks=horizon_weeks,
        interpreter_rate=params.capacity.interpreter_rate,
    )
    table = table[list(COMMUNE_COLUMNS) + [c for c in table.columns if c not in COMMUNE_COLUMNS]]
    return gpd.GeoDataFrame(table, geometry=communes.geometry.to_numpy(), crs=WGS84)


def _add_reasons(
    table: pd.DataFrame,
    shares: steps.Shares,
    served: steps.Served,
    *,
    flag_params: FlagParams,
    horizon_weeks: float,
    interpreter_rate: float,
) -> None:
    """Add ``reasons_vi`` and ``reasons_en``: missing population, flags, language gap."""
    langs = shares.languages
    for lang in ("vi", "en"):
        flags_text = reasons_for(table, lang=lang, params=flag_params, horizon_weeks=horizon_weeks)
        language_text = gap_reasons(
            served.gaps,
            langs.need,
            lang=lang,
            interpreter_rate=interpreter_rate,
            estimated=langs.estimated,
        )
        population_text = population_reasons(table, lang=lang)
        table[f"reasons_{lang}"] = [
            "; ".join(x for x in parts if x)
            for parts in zip(population_text, flags_text, language_text, strict=True)
        ]


def _demand_table(
    where: steps.Projected,
    demand: steps.Demand,
    reach: steps.TeamReach,
    shares: steps.Shares,
    *,
    horizon_weeks: float,
) -> pd.DataFrame:
    """Return one row per demand point: commune, place, residents, need, credit, unmet need."""
    points = demand.points
    ci = points.commune_index
    lonlat = where.projection.to_degrees(points.xy_m)
    credited_p = shares.capacity_shared.credited
    codes = where.communes["code"].astype(str).to_numpy()
    return pd.DataFrame(
        {
            "commune_index": ci,
            "commune_code": codes[ci],
            "x_m": points.xy_m[:, 0],
            "y_m": points.xy_m[:, 1],
            "lon": lonlat[:, 0],
            "lat": lonlat[:, 1],
            "population": demand.population,
            "need": demand.need,
            "capacity_per_week": credited_p,
            "unmet_need": np.maximum(demand.need - credited_p * horizon_weeks, 0.0),
            "reached": reach.reached,
        }
    )


def _team_table(
    teams: pd.DataFrame, reach: steps.TeamReach, shares: steps.Shares, served: steps.Served
) -> pd.DataFrame:
    """Return the roster with its place (degrees and metres), capacity, reach and shares."""
    shared = shares.capacity_shared
    return teams.assign(
        lon=teams["longitude"].to_numpy(dtype=float),
        lat=teams["latitude"].to_numpy(dtype=float),
        x_m=reach.team_xy[:, 0],
        y_m=reach.team_xy[:, 1],
        capacity_per_week=shares.capacity,
        reach=reach.team_reach,
        reached_need=shared.reached_need,
        capacity_used_per_week=shared.used if len(teams) else np.empty(0),
        communes_in_reach=served.communes_in_reach,
        language_class=shares.team_class,
    )


__all__ = ["COMMUNE_COLUMNS", "AnalysisParams", "AnalysisResult", "analyze_coverage"]
