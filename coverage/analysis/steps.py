"""The coverage analysis's steps in order (project, need, demand, reach, capacity, flags, tables).

Each step takes the earlier steps' frozen results and returns its own;
:func:`coverage.analysis.analyze.analyze_coverage` runs them in order and times them. Every
distance and area is in metres in the projected CRS of :func:`project`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import sparse

from coverage.analysis.flags import (
    BorderContact,
    FlagParams,
    LandBorder,
    border_contact,
    remote_index,
)
from coverage.analysis.geo import WGS84, FloatArray, Projection
from coverage.analysis.languages import (
    CommuneLanguages,
    LanguageGaps,
    language_gaps,
    languages_for,
)
from coverage.analysis.need import (
    INDICATOR_FOR_CONNECTIVITY,
    CapacityParams,
    NeedParams,
    SharedCapacity,
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
from coverage.inputs.population import PopulationCells, demand_points_from_cells

if TYPE_CHECKING:
    from coverage.inputs.model import Inputs

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Projected:
    """The communes in EPSG:4326 (input order) with the analysis CRS and their sizes.

    Attributes
    ----------
    communes
        The communes, EPSG:4326, index 0..n-1.
    polygons
        Their geometries (EPSG:4326).
    projection
        The transverse Mercator projection of the analysis (metres).
    travel
        The travel model in that CRS (with the road network when roads were given).
    rep_m
        Shape ``(n, 2)``: one point inside each commune, metres.
    population, area_km2, density_per_km2
        Residents, area (from the file, else measured in the CRS) and residents per km².
    """

    communes: gpd.GeoDataFrame
    polygons: npt.NDArray[np.object_]
    projection: Projection
    travel: TravelModel
    rep_m: FloatArray
    population: FloatArray
    area_km2: FloatArray
    density_per_km2: FloatArray

    @property
    def n(self) -> int:
        """Number of communes."""
        return len(self.communes)


@dataclass(frozen=True)
class CommuneNeed:
    """Need per commune (resident-equivalents), connectivity and which indicators are estimated."""

    need: FloatArray
    connectivity: FloatArray
    estimated: BoolArray


@dataclass(frozen=True)
class Demand:
    """Demand points with their need and residents, and the raster they came from (if any)."""

    points: DemandPoints
    need: FloatArray
    population: FloatArray
    cells: PopulationCells | None


@dataclass(frozen=True)
class TeamReach:
    """Where the teams are (metres), their reach, and what they reach.

    Attributes
    ----------
    team_xy
        Shape ``(teams, 2)``, metres.
    team_reach
        Reach per team (in the travel model's unit).
    reach
        Sparse ``(teams, demand points)`` reach with travel costs.
    reached
        Per demand point: some team reaches it.
    out_of_reach
        Per commune: residents living where no team reaches.
    nearest_km
        Per demand point: travel km to the nearest team.
    """

    team_xy: FloatArray
    team_reach: FloatArray
    reach: ReachMatrix
    reached: BoolArray
    out_of_reach: FloatArray
    nearest_km: FloatArray


@dataclass(frozen=True)
class Shares:
    """Team capacity shared between reached points by need, after the language factor.

    Attributes
    ----------
    capacity
        Residents per week per team.
    capacity_shared, members_shared
        :func:`coverage.analysis.need.share_by_need` of capacity (with the language factor)
        and of members (without).
    languages
        The communes' minority languages.
    team_class, class_speaks
        Each team's language class; which languages each class speaks.
    factor_table
        Shape ``(team classes, communes)``: the language factor.
    """

    capacity: FloatArray
    capacity_shared: SharedCapacity
    members_shared: SharedCapacity
    languages: CommuneLanguages
    team_class: IntArray
    class_speaks: BoolArray
    factor_table: FloatArray


@dataclass(frozen=True)
class Served:
    """Per commune: capacity credited, teams and volunteers in reach, ratio, language gaps."""

    capacity: FloatArray
    coverage_ratio: FloatArray
    teams_in_reach: IntArray
    volunteers_in_reach: FloatArray
    communes_in_reach: IntArray
    nearest_team_km: FloatArray
    volunteers_per_1000: FloatArray
    gaps: LanguageGaps


@dataclass(frozen=True)
class Flags:
    """Per commune: border contact, remoteness (index or official) and under-service."""

    contact: BorderContact
    is_border: BoolArray
    hub_km: FloatArray
    remote_index: FloatArray
    official_remote: pd.Series
    is_remote: BoolArray
    is_underserved: BoolArray


def project(
    communes: gpd.GeoDataFrame, *, reach: ReachParams, roads: gpd.GeoDataFrame | None
) -> Projected:
    """Choose the analysis CRS for ``communes`` (which have a CRS) and measure their sizes."""
    communes = communes.to_crs(WGS84) if not communes.crs.equals(WGS84) else communes
    communes = communes.reset_index(drop=True)
    polygons = communes.geometry.to_numpy()
    bounds = shapely.bounds(polygons)
    projection = Projection.for_longitudes((bounds[:, 0] + bounds[:, 2]) / 2)
    crs = projection.crs
    network = road_network_from_lines(roads, crs=crs) if roads is not None else None
    travel = TravelModel(crs=crs, params=reach, network=network)
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
    return Projected(communes, polygons, projection, travel, rep_m, population, area, density)


def commune_need(where: Projected, inputs: Inputs, *, params: NeedParams) -> CommuneNeed:
    """Score need per commune from the indicators, less the residents already helped."""
    indicators, estimated = _align_indicators(where.communes, inputs.indicators)
    need_c = need_from_indicators(where.population, indicators, params=params)
    if inputs.residents_helped is not None:  # remaining need (coverage.monitoring.throughput)
        codes = where.communes["code"].astype(str)
        helped = inputs.residents_helped.reindex(codes).fillna(0.0)
        need_c = np.maximum(need_c - helped.to_numpy(dtype=float), 0.0)
    connectivity = connectivity_index(indicators, params=params)
    return CommuneNeed(need_c, connectivity, estimated)


def demand(where: Projected, inputs: Inputs, need: CommuneNeed, *, reach: ReachParams) -> Demand:
    """Place demand points (raster cells, else a grid) and give each its need and residents."""
    cells = getattr(inputs, "population", None)
    if cells is not None:
        points = demand_points_from_cells(
            where.polygons,
            cells,
            projection=where.projection,
            codes=where.communes["code"].astype(str),
            max_points_per_commune=reach.max_points_per_commune,
        )
    else:
        points = demand_points_from_polygons(
            where.polygons,
            projection=where.projection,
            area_km2=where.area_km2,
            spacing_km=reach.spacing_km,
            max_points_per_commune=reach.max_points_per_commune,
        )
    ci = points.commune_index
    need_p = need.need[ci] * points.weight
    pop_p = where.population[ci] * points.weight
    return Demand(points, need_p, pop_p, cells)


def team_reach(where: Projected, teams: pd.DataFrame, demand: Demand) -> TeamReach:
    """Compute which demand points each team reaches, and the nearest team of each point."""
    travel = where.travel
    points = demand.points
    team_xy = where.projection.to_metres(
        teams["longitude"].to_numpy(dtype=float), teams["latitude"].to_numpy(dtype=float)
    )
    radius = travel.reach_for_modes(teams["mode"].astype(str).to_numpy())
    reach = travel.reach(team_xy, points.xy_m, reach=radius)
    reached_p = (
        np.asarray(reach.covers.sum(axis=0)).ravel() > 0
        if len(teams)
        else np.zeros(len(points), dtype=bool)
    )
    out_of_reach_c = _per_commune(
        points.commune_index, np.where(reached_p, 0.0, demand.population), where.n
    )
    nearest_p = travel.nearest_distance_km(team_xy, points.xy_m)
    return TeamReach(team_xy, radius, reach, reached_p, out_of_reach_c, nearest_p)


def share_capacity(
    where: Projected,
    inputs: Inputs,
    teams: pd.DataFrame,
    demand: Demand,
    reach: TeamReach,
    *,
    params: CapacityParams,
) -> Shares:
    """Share each team's capacity (and members) between the points it reaches, by need."""
    communes = where.communes
    covers = reach.reach.covers
    capacity = capacity_per_week(teams, params=params)
    members = teams["members"].to_numpy(dtype=float)
    langs = languages_for(
        communes.assign(area_km2=where.area_km2, kind=text_column(communes, "kind", default="xa")),
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
        class_speaks, langs.need.share, interpreter_rate=params.interpreter_rate
    )
    factor = (
        factor_on_pairs(covers, factor_table, team_class, demand.points.commune_index)
        if langs.need.languages and len(teams)
        else None
    )
    shared = share_by_need(covers, capacity, demand.need, factor=factor)
    shared_members = share_by_need(covers, members, demand.need)
    return Shares(capacity, shared, shared_members, langs, team_class, class_speaks, factor_table)


def served(
    where: Projected,
    teams: pd.DataFrame,
    need: CommuneNeed,
    demand: Demand,
    reach: TeamReach,
    shares: Shares,
    *,
    capacity: CapacityParams,
    flags: FlagParams,
) -> Served:
    """Sum the shares per commune: capacity, ratio, teams and volunteers in reach, gaps."""
    n = where.n
    ci = demand.points.commune_index
    members = teams["members"].to_numpy(dtype=float)
    capacity_c = _per_commune(ci, shares.capacity_shared.credited, n)
    credited_members_c = _per_commune(ci, shares.members_shared.credited, n)
    membership = demand.points.membership(n)
    team_commune = (sparse.csr_array(reach.reach.covers, dtype=float) @ membership) > 0
    team_commune = sparse.csr_array(team_commune, dtype=float)
    languages = shares.languages.need
    speakers_in_reach = (
        np.asarray(team_commune.T @ shares.class_speaks[shares.team_class].astype(float))
        .reshape(n, len(languages.languages))
        .round()
        .astype(np.int64)
    )
    gaps = language_gaps(
        languages,
        where.population,
        speakers_in_reach,
        min_residents=flags.language_gap_min_residents,
    )
    teams_in_reach = np.asarray(team_commune.sum(axis=0)).ravel().astype(np.int64)
    volunteers_in_reach = np.asarray(team_commune.T @ members).ravel()
    communes_in_reach = np.asarray(team_commune.sum(axis=1)).ravel().astype(np.int64)
    with np.errstate(invalid="ignore"):
        nearest_c = _per_commune(ci, demand.points.weight * reach.nearest_km, n)
    if len(teams) == 0:
        nearest_c = np.full(n, np.nan)
    need_c = need.need
    horizon_weeks = capacity.planning_horizon_weeks
    ratio = np.divide(capacity_c * horizon_weeks, need_c, out=np.ones(n), where=need_c > 0)
    per_1000 = np.divide(
        credited_members_c * 1000.0, where.population, out=np.zeros(n), where=where.population > 0
    )
    return Served(
        capacity_c,
        ratio,
        teams_in_reach,
        volunteers_in_reach,
        communes_in_reach,
        nearest_c,
        per_1000,
        gaps,
    )


def flags(
    where: Projected,
    inputs: Inputs,
    border: LandBorder,
    need: CommuneNeed,
    served: Served,
    *,
    params: FlagParams,
) -> Flags:
    """Flag border, remote and under-served communes."""
    contact = border_contact(
        where.polygons, border, projection=where.projection, tolerance_m=params.border_tolerance_m
    )
    is_border = contact.length_km >= params.border_min_length_km
    hub_km = _hub_distance_km(where.communes, where.rep_m, where.travel)
    remote = remote_index(hub_km, where.density_per_km2, params=params)
    official = _official_remote(where.communes, inputs.indicators)
    by_index = remote >= params.remote_threshold
    is_remote = np.where(
        official.isna().to_numpy(), by_index, official.fillna(False).to_numpy(dtype=bool)
    )
    underserved = (need.need > 0) & (
        (served.teams_in_reach == 0) | (served.coverage_ratio < params.underserved_ratio)
    )
    return Flags(contact, is_border, hub_km, remote, official, is_remote, underserved)


def text_column(frame: pd.DataFrame, column: str, *, default: str = "") -> npt.NDArray[np.object_]:
    """Return ``column`` as text (``default`` where missing, or everywhere without it)."""
    if column not in frame.columns:
        return np.full(len(frame), default, dtype=object)
    return np.asarray(
        frame[column].fillna(default).astype(str).to_numpy(dtype=object), dtype=object
    )


def _per_commune(commune_index: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Sum ``weights`` of the points per commune (``n`` communes)."""
    return np.asarray(np.bincount(commune_index, weights=weights, minlength=n), dtype=float)


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
    kind = text_column(communes, "kind", default="xa")
    hubs = np.flatnonzero(kind == "phuong")
    if hubs.size == 0 and len(communes):
        hubs = np.array([int(np.argmax(communes["population"].to_numpy(dtype=float)))])
    return travel.nearest_distance_km(rep_m[hubs], rep_m)
