"""Analyse coverage: for every commune, is it served well enough, and if not, why.

Pipeline (metres in a transverse Mercator CRS centred on the data, see
:mod:`coverage.analysis.geo`)::

    communes -> demand points (population raster cells weighted by where people live,
                or, without a raster, a grid clipped to each polygon with equal weights)
    indicators -> need per commune -> need per demand point
    teams -> capacity per week; reach (straight line x detour, or road travel time)
    capacity shared between reached points in proportion to need (nothing counted twice),
    what it credits scaled by the language factor (coverage.need, "Language": residents
    who mainly speak a minority language are helped at full rate only by a team with a
    speaker, else at the interpreter rate)
    -> per commune: need, capacity, coverage_ratio, teams_in_reach, nearest_team_km,
       volunteers_per_1000, connectivity_index, remote_index, flags (border, remote,
       under-served, language gap) and reasons

The result also carries what a deployment optimiser needs: the demand points with their
commune and unmet need, the sparse team-to-point reach matrix, and
:meth:`AnalysisResult.reach_from_sites` to compute reach from candidate sites with the
same travel model. See :mod:`coverage.analysis.reach`, :mod:`coverage.analysis.need` and
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
import shapely
from scipy import sparse

from coverage import settings as cfg
from coverage.analysis.flags import (
    FlagParams,
    LandBorder,
    border_contact,
    load_land_border,
    reasons_for,
    remote_index,
)
from coverage.analysis.geo import WGS84, FloatArray, Projection
from coverage.analysis.languages import gap_reasons, language_gaps, languages_for
from coverage.analysis.need import (
    INDICATOR_FOR_CONNECTIVITY,
    CapacityParams,
    LanguageNeed,
    NeedParams,
    capacity_per_week,
    connectivity_index,
    factor_on_pairs,
    language_classes,
    language_factor,
    need_from_indicators,
    share_by_need,
)
from coverage.analysis.reach import (
    DemandPoints,
    ReachMatrix,
    ReachParams,
    TravelModel,
    demand_points_from_polygons,
    road_network_from_lines,
)
from coverage.inputs.languages import team_language_keys
from coverage.inputs.population import demand_points_from_cells

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
        ``official``),
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
    communes = inputs.communes
    if communes.crs is None:
        raise ValueError("communes have no CRS; the analysis never assumes one")
    with timer.stage("project"):
        communes = communes.to_crs(WGS84) if not communes.crs.equals(WGS84) else communes
        communes = communes.reset_index(drop=True)
        polygons = communes.geometry.to_numpy()
        bounds = shapely.bounds(polygons)
        projection = Projection.for_longitudes((bounds[:, 0] + bounds[:, 2]) / 2)
        crs = projection.crs
        network = road_network_from_lines(roads, crs=crs) if roads is not None else None
        travel = TravelModel(crs=crs, params=params.reach, network=network)
        rep = _representative_points(communes)
        rep_m = projection.to_metres(rep[:, 0], rep[:, 1])
        n = len(communes)
        population = communes["population"].to_numpy(dtype=float)
        if "area_km2" in communes.columns:
            area = pd.to_numeric(communes["area_km2"], errors="coerce").to_numpy(dtype=float)
        else:
            area = np.full(n, np.nan)
        missing_area = ~(np.isfinite(area) & (area > 0))
        if missing_area.any():
            area[missing_area] = (
                shapely.area(projection.project_geometries(polygons[missing_area])) / 1e6
            )
        density = np.divide(population, area, out=np.zeros(n), where=area > 0)

    with timer.stage("need"):
        indicators, estimated = _align_indicators(communes, inputs.indicators)
        need_c = need_from_indicators(population, indicators, params=params.need)
        if inputs.residents_helped is not None:  # remaining need (coverage.monitoring.throughput)
            helped = inputs.residents_helped.reindex(communes["code"].astype(str)).fillna(0.0)
            need_c = np.maximum(need_c - helped.to_numpy(dtype=float), 0.0)
        connectivity = connectivity_index(indicators, params=params.need)

    with timer.stage("demand_points"):
        cells = getattr(inputs, "population", None)
        if cells is not None:
            demand = demand_points_from_cells(
                polygons,
                cells,
                projection=projection,
                codes=communes["code"].astype(str),
                max_points_per_commune=params.reach.max_points_per_commune,
            )
        else:
            demand = demand_points_from_polygons(
                polygons,
                projection=projection,
                area_km2=area,
                spacing_km=params.reach.spacing_km,
                max_points_per_commune=params.reach.max_points_per_commune,
            )
        ci = demand.commune_index
        need_p = need_c[ci] * demand.weight
        pop_p = population[ci] * demand.weight

    teams = inputs.teams.reset_index(drop=True)
    with timer.stage("reach"):
        team_xy = projection.to_metres(
            teams["longitude"].to_numpy(dtype=float), teams["latitude"].to_numpy(dtype=float)
        )
        team_reach = travel.reach_for_modes(teams["mode"].astype(str).to_numpy())
        reach = travel.reach(team_xy, demand.xy_m, reach=team_reach)
        covers = reach.covers
        reached_p = (
            np.asarray(covers.sum(axis=0)).ravel() > 0
            if len(teams)
            else np.zeros(len(demand), dtype=bool)
        )
        out_of_reach_c = np.bincount(ci, weights=np.where(reached_p, 0.0, pop_p), minlength=n)
        nearest_p = travel.nearest_distance_km(team_xy, demand.xy_m)

    with timer.stage("capacity"):
        capacity = capacity_per_week(teams, params=params.capacity)
        members = teams["members"].to_numpy(dtype=float)
        langs = languages_for(
            communes.assign(area_km2=area, kind=_text(communes, "kind", default="xa")),
            inputs.indicators,
            all_estimated=inputs.indicators_is_estimate,
        )
        team_keys = (
            [team_language_keys(v) for v in teams["languages"]]
            if "languages" in teams.columns
            else [()] * len(teams)
        )
        team_class, class_speaks = language_classes(team_keys, langs.need)
        factor_table = language_factor(
            class_speaks, langs.need.share, interpreter_rate=params.capacity.interpreter_rate
        )
        factor = (
            factor_on_pairs(covers, factor_table, team_class, ci)
            if langs.need.languages and len(teams)
            else None
        )
        shared = share_by_need(covers, capacity, need_p, factor=factor)
        shared_members = share_by_need(covers, members, need_p)
        capacity_c = np.bincount(ci, weights=shared.credited, minlength=n)
        credited_members_c = np.bincount(ci, weights=shared_members.credited, minlength=n)
        membership = demand.membership(n)
        team_commune = (sparse.csr_array(covers, dtype=float) @ membership) > 0
        team_commune = sparse.csr_array(team_commune, dtype=float)
        speakers_in_reach = (
            np.asarray(team_commune.T @ class_speaks[team_class].astype(float))
            .reshape(n, len(langs.need.languages))
            .round()
            .astype(np.int64)
        )
        gaps = language_gaps(
            langs.need,
            population,
            speakers_in_reach,
            min_residents=params.flags.language_gap_min_residents,
        )
        teams_in_reach = np.asarray(team_commune.sum(axis=0)).ravel().astype(np.int64)
        volunteers_in_reach = np.asarray(team_commune.T @ members).ravel()
        communes_in_reach = np.asarray(team_commune.sum(axis=1)).ravel().astype(np.int64)
        with np.errstate(invalid="ignore"):
            nearest_c = np.bincount(ci, weights=demand.weight * nearest_p, minlength=n)
        if len(teams) == 0:
            nearest_c = np.full(n, np.nan)
        horizon = params.capacity.planning_horizon_weeks
        ratio = np.divide(capacity_c * horizon, need_c, out=np.ones(n), where=need_c > 0)
        per_1000 = np.divide(
            credited_members_c * 1000.0, population, out=np.zeros(n), where=population > 0
        )

    with timer.stage("flags"):
        border = (
            land_border
            if land_border is not None
            else load_land_border(settings if settings is not None else cfg.load_settings())
        )
        contact = border_contact(
            polygons, border, projection=projection, tolerance_m=params.flags.border_tolerance_m
        )
        is_border = contact.length_km >= params.flags.border_min_length_km
        hub_km = _hub_distance_km(communes, rep_m, travel)
        remote = remote_index(hub_km, density, params=params.flags)
        official = _official_remote(communes, inputs.indicators)
        by_index = remote >= params.flags.remote_threshold
        is_remote = np.where(
            official.isna().to_numpy(), by_index, official.fillna(False).to_numpy(dtype=bool)
        )
        underserved = (need_c > 0) & (
            (teams_in_reach == 0) | (ratio < params.flags.underserved_ratio)
        )

    with timer.stage("assemble"):
        out = pd.DataFrame(
            {
                "code": communes["code"].astype(str).to_numpy(),
                "name": communes["name"].astype(str).to_numpy(),
                "full_name": _text(communes, "full_name"),
                "kind": _text(communes, "kind", default="xa"),
                "province": _text(communes, "province"),
                "population": population.astype(np.int64),
                "area_km2": area,
                "density_per_km2": density,
                "merged_from": _text(communes, "merged_from"),
                "need": need_c,
                "capacity": capacity_c,
                "capacity_horizon": capacity_c * horizon,
                "coverage_ratio": ratio,
                "teams_in_reach": teams_in_reach,
                "volunteers_in_reach": volunteers_in_reach.astype(np.int64),
                "nearest_team_km": nearest_c,
                "volunteers_per_1000": per_1000,
                "connectivity_index": connectivity,
                "remote_index": remote,
                "hub_km": hub_km,
                "is_border": is_border,
                "border_km": contact.length_km,
                "border_country": np.where(is_border, contact.country, ""),
                "is_remote": is_remote.astype(bool),
                "remote_source": np.where(official.isna().to_numpy(), "index", "official"),
                "is_underserved": underserved,
                "indicators_estimated": estimated,
                "demand_points": np.bincount(ci, minlength=n).astype(np.int64),
                "residents_out_of_reach": np.round(out_of_reach_c).astype(np.int64),
                "minority_languages": langs.listed,
                "languages_estimated": langs.estimated,
                "minority_share": langs.need.share.sum(axis=1),
                "is_language_gap": gaps.flagged,
                "language_gap_languages": gaps.languages,
                "language_gap_residents": np.round(gaps.residents).astype(np.int64),
            }
        )
        rate = params.capacity.interpreter_rate
        for lang in ("vi", "en"):
            flags_text = reasons_for(out, lang=lang, params=params.flags, horizon_weeks=horizon)
            language_text = gap_reasons(
                gaps, langs.need, lang=lang, interpreter_rate=rate, estimated=langs.estimated
            )
            out[f"reasons_{lang}"] = [
                "; ".join(x for x in pair if x)
                for pair in zip(flags_text, language_text, strict=True)
            ]
        out = out[list(COMMUNE_COLUMNS) + [c for c in out.columns if c not in COMMUNE_COLUMNS]]
        result_communes = gpd.GeoDataFrame(out, geometry=communes.geometry.to_numpy(), crs=WGS84)

        lonlat = projection.to_degrees(demand.xy_m)
        credited_p = shared.credited
        demand_frame = pd.DataFrame(
            {
                "commune_index": ci,
                "commune_code": out["code"].to_numpy()[ci],
                "x_m": demand.xy_m[:, 0],
                "y_m": demand.xy_m[:, 1],
                "lon": lonlat[:, 0],
                "lat": lonlat[:, 1],
                "population": pop_p,
                "need": need_p,
                "capacity_per_week": credited_p,
                "unmet_need": np.maximum(need_p - credited_p * horizon, 0.0),
                "reached": reached_p,
            }
        )
        team_frame = teams.assign(
            lon=teams["longitude"].to_numpy(dtype=float),
            lat=teams["latitude"].to_numpy(dtype=float),
            x_m=team_xy[:, 0],
            y_m=team_xy[:, 1],
            capacity_per_week=capacity,
            reach=team_reach,
            reached_need=shared.reached_need,
            capacity_used_per_week=shared.used if len(teams) else np.empty(0),
            communes_in_reach=communes_in_reach,
            language_class=team_class,
        )
    return AnalysisResult(
        communes=result_communes,
        teams=team_frame,
        demand=demand_frame,
        reach=reach,
        travel=travel,
        crs=crs,
        params=params,
        land_border=border,
        timings_s=tuple(timer.stages),
        demand_source="worldpop" if cells is not None else "grid",
        attribution=cells.attribution if cells is not None else "",
        language_need=langs.need,
        language_factor=factor_table,
    )


def _text(frame: pd.DataFrame, column: str, *, default: str = "") -> npt.NDArray[np.object_]:
    if column not in frame.columns:
        return np.full(len(frame), default, dtype=object)
    return np.asarray(
        frame[column].fillna(default).astype(str).to_numpy(dtype=object), dtype=object
    )


def _representative_points(communes: gpd.GeoDataFrame) -> FloatArray:
    """Lon/lat (EPSG:4326) of one point inside each commune (label point if given)."""
    from coverage.inputs.validation import representative_points

    pts = representative_points(communes)
    return np.asarray(pts[["lon", "lat"]].to_numpy(dtype=float), dtype=float)


def _align_indicators(
    communes: gpd.GeoDataFrame, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, npt.NDArray[np.bool_]]:
    """Return indicators in commune order; missing rows come from the documented estimate."""
    from coverage.inputs.samples import estimate_indicators

    codes = communes["code"].astype(str)
    needed = list(INDICATOR_FOR_CONNECTIVITY) + ["adult_share_pct"]
    table = indicators.copy()
    table["commune_code"] = table["commune_code"].astype(str)
    table = table.drop_duplicates("commune_code").set_index("commune_code")
    aligned = table.reindex(codes.to_numpy())[needed].astype(float)
    missing = aligned.isna().any(axis=1).to_numpy()
    if missing.any():
        estimate = estimate_indicators(communes).set_index("commune_code")[needed].astype(float)
        aligned = aligned.fillna(estimate.reindex(codes.to_numpy()))
    return aligned.reset_index(drop=True), missing


def _official_remote(communes: gpd.GeoDataFrame, indicators: pd.DataFrame) -> pd.Series:
    if "is_remote_official" not in indicators.columns:
        return pd.Series(pd.NA, index=range(len(communes)), dtype="boolean")
    table = indicators.drop_duplicates("commune_code").set_index(
        indicators.drop_duplicates("commune_code")["commune_code"].astype(str)
    )
    official = table["is_remote_official"].astype("boolean")
    return official.reindex(communes["code"].astype(str).to_numpy()).reset_index(drop=True)


def _hub_distance_km(
    communes: gpd.GeoDataFrame, rep_m: FloatArray, travel: TravelModel
) -> FloatArray:
    """Travel km (straight line x detour) from each commune to the nearest ward (phường).

    Wards are their own hub (0 km). With no ward in the data, the most populous
    commune stands in as the hub.
    """
    kind = _text(communes, "kind", default="xa")
    hubs = np.flatnonzero(kind == "phuong")
    if hubs.size == 0 and len(communes):
        hubs = np.array([int(np.argmax(communes["population"].to_numpy(dtype=float)))])
    return travel.nearest_distance_km(rep_m[hubs], rep_m)


__all__ = ["COMMUNE_COLUMNS", "AnalysisParams", "AnalysisResult", "analyze_coverage"]
