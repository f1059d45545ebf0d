"""Demand points and the travel model: which team reaches which residents.

Everything here is in metres in the analysis CRS (see :mod:`coverage.analysis.geo`).

Demand points
-------------
A commune is not one point. With a population raster the points are its cells, weighted
by where people live (:mod:`coverage.inputs.population`). Without one (the documented fallback),
its residents are spread over a square grid of ``spacing_km`` clipped to the polygon,
each grid point carrying an equal share of the commune's population; equal weights
overstate the residents living in forest and on mountains.
Very large communes get a coarser grid so that no commune has more than
``max_points_per_commune`` points; a commune too small for any grid point gets its
representative point (always inside the polygon).

Travel model
------------
Without a road network, travel distance is the straight line times ``detour_factor``; a
team reaches a demand point when that distance is within its reach (``fixed_reach_km``
or ``mobile_reach_km`` by the team's mode). With a road network (lines with a speed or a
road class), travel is measured in minutes: off-road legs from the team's base to the
nearest network node and from the nearest node to the demand point are the straight line
times the detour factor at ``offroad_speed_kmh``; the network leg is the shortest path
(Dijkstra, :func:`scipy.sparse.csgraph.dijkstra`); a direct off-road trip is used when it
is quicker. Reach is then ``fixed_reach_min`` or ``mobile_reach_min``.

Results are sparse (sites x demand points); nothing builds a dense team x point matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from coverage.analysis.geo import FloatArray, Projection

IntArray = npt.NDArray[np.int64]
TeamMode = Literal["fixed", "mobile"]

DEFAULT_CLASS_SPEEDS_KMH: Mapping[str, float] = {
    # OpenStreetMap ``highway`` / Geofabrik ``fclass`` values
    "motorway": 80.0,
    "trunk": 60.0,
    "primary": 50.0,
    "secondary": 40.0,
    "tertiary": 35.0,
    "unclassified": 25.0,
    "residential": 20.0,
    "service": 15.0,
    "track": 15.0,
    "path": 5.0,
    "footway": 5.0,
    # Vietnamese road classes (cao tốc, quốc lộ, tỉnh lộ, huyện lộ, đường xã, đường thôn)
    "cao_toc": 80.0,
    "quoc_lo": 55.0,
    "tinh_lo": 45.0,
    "huyen_lo": 35.0,
    "duong_xa": 25.0,
    "duong_thon": 15.0,
}
"""Speed in km/h for a road class, used when a road has no speed of its own."""

SPEED_COLUMNS = ("speed_kmh", "maxspeed", "speed")
CLASS_COLUMNS = ("road_class", "highway", "fclass", "class")


@dataclass(frozen=True)
class ReachParams:
    """How far a team travels, and how demand is spread over a commune.

    Attributes
    ----------
    fixed_reach_km
        Travel distance (km) a fixed team's help reaches: residents come to the one-stop
        office; 5 km of road is about 15 minutes by motorbike on rural roads.
    mobile_reach_km
        Travel distance (km) a mobile team covers going out to villages in a working day.
    detour_factor
        Road distance over straight-line distance; 1.4 suits the rural Central
        Highlands (flat towns are nearer 1.2, mountain roads 1.6 or more).
    fixed_reach_min, mobile_reach_min
        Reach in minutes, used instead of the kilometres when a road network is given.
    offroad_speed_kmh
        Speed on the off-road legs to and from the network (km/h, motorbike on tracks).
    spacing_km
        Spacing of the demand-point grid (km).
    max_points_per_commune
        Upper bound on the demand points of one commune (the grid coarsens above it).
    """

    fixed_reach_km: float = 5.0
    mobile_reach_km: float = 15.0
    detour_factor: float = 1.4
    fixed_reach_min: float = 20.0
    mobile_reach_min: float = 45.0
    offroad_speed_kmh: float = 15.0
    spacing_km: float = 2.0
    max_points_per_commune: int = 150

    def __post_init__(self) -> None:
        for name in (
            "fixed_reach_km",
            "mobile_reach_km",
            "fixed_reach_min",
            "mobile_reach_min",
            "offroad_speed_kmh",
            "spacing_km",
        ):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive (got {getattr(self, name)})")
        if self.detour_factor < 1:
            raise ValueError(f"detour_factor must be at least 1 (got {self.detour_factor})")
        if self.max_points_per_commune < 1:
            raise ValueError("max_points_per_commune must be at least 1")


@dataclass(frozen=True)
class DemandPoints:
    """Points standing for where a commune's residents live (analysis CRS, metres).

    Attributes
    ----------
    xy_m
        Shape ``(n, 2)``: x, y in metres.
    commune_index
        Row position (0-based) of each point's commune in the communes table.
    weight
        Each point's share of its commune's population (sums to 1 per commune).
    """

    xy_m: FloatArray
    commune_index: IntArray
    weight: FloatArray

    def __len__(self) -> int:
        return int(self.commune_index.shape[0])

    def membership(self, n_communes: int) -> sparse.csr_array:
        """Return the ``(points, communes)`` 0/1 matrix of which commune holds each point."""
        n = len(self)
        return sparse.csr_array(
            (np.ones(n), (np.arange(n), self.commune_index)), shape=(n, n_communes)
        )


def demand_points_from_polygons(
    polygons: Sequence[shapely.Geometry] | npt.NDArray[np.object_],
    *,
    projection: Projection | None = None,
    area_km2: npt.ArrayLike | None = None,
    spacing_km: float = ReachParams.spacing_km,
    max_points_per_commune: int = ReachParams.max_points_per_commune,
) -> DemandPoints:
    """Spread each commune over a grid clipped to its polygon, with equal weights.

    Parameters
    ----------
    polygons
        Commune polygons in table order: in EPSG:4326 when ``projection`` is given,
        otherwise already in a projected CRS (metres).
    projection
        Transform from EPSG:4326 to the analysis CRS; ``None`` when ``polygons`` are
        metric. The grid is laid out in metres either way; only the point-in-polygon
        test (topological, unit-free) runs in the polygons' own CRS.
    area_km2
        Area of each commune (km2), used to coarsen the grid of large communes; by
        default the polygon area (which needs metric polygons).
    spacing_km
        Grid spacing (km); a commune whose area would give more than
        ``max_points_per_commune`` points gets spacing ``sqrt(area / max_points)``.
    max_points_per_commune
        Upper bound on points per commune.

    Returns
    -------
    DemandPoints
        At least one point per commune (the representative point when no grid point
        falls inside), ordered by commune; the grid is aligned on multiples of the
        spacing so neighbouring communes interlock.
    """
    geoms = np.asarray(polygons, dtype=object)
    n = geoms.shape[0]
    if n == 0:
        return DemandPoints(np.empty((0, 2)), np.empty(0, dtype=np.int64), np.empty(0))
    bounds = shapely.bounds(geoms)
    if projection is not None:
        # metric bounding box from the corners and edge midpoints of the lon/lat box
        xs = np.column_stack(
            [
                bounds[:, [0, 0, 2, 2, 0, 2]],
                (bounds[:, 0] + bounds[:, 2]) / 2,
                (bounds[:, 0] + bounds[:, 2]) / 2,
            ]
        )
        ys = np.column_stack(
            [
                bounds[:, [1, 3, 1, 3]],
                (bounds[:, 1] + bounds[:, 3]) / 2,
                (bounds[:, 1] + bounds[:, 3]) / 2,
                bounds[:, 1],
                bounds[:, 3],
            ]
        )
        corners = projection.to_metres(xs.ravel(), ys.ravel())
        cx, cy = corners[:, 0].reshape(n, -1), corners[:, 1].reshape(n, -1)
        bounds = np.column_stack([cx.min(axis=1), cy.min(axis=1), cx.max(axis=1), cy.max(axis=1)])
    if area_km2 is not None:
        area_m2 = np.asarray(area_km2, dtype=float) * 1e6
    elif projection is None:
        area_m2 = shapely.area(geoms)
    else:
        area_m2 = shapely.area(projection.project_geometries(geoms))
    area_m2 = np.where(np.isfinite(area_m2), area_m2, 0.0)
    spacing = np.maximum(spacing_km * 1000.0, np.sqrt(area_m2 / max_points_per_commune))
    x0 = np.floor(bounds[:, 0] / spacing)
    y0 = np.floor(bounds[:, 1] / spacing)
    nx = np.maximum(np.ceil(bounds[:, 2] / spacing) - x0, 0).astype(np.int64)
    ny = np.maximum(np.ceil(bounds[:, 3] / spacing) - y0, 0).astype(np.int64)
    cells = nx * ny
    cells[cells > 50 * max_points_per_commune] = 0  # a sliver with a huge box: use its point
    owner = np.repeat(np.arange(n, dtype=np.int64), cells)
    local = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(cells) - cells, cells)
    gx = (x0[owner] + 0.5 + local % nx[owner]) * spacing[owner]
    gy = (y0[owner] + 0.5 + local // np.maximum(nx[owner], 1)) * spacing[owner]
    if projection is not None and owner.size:
        test = projection.to_degrees(np.column_stack([gx, gy]))
    else:
        test = np.column_stack([gx, gy])
    shapely.prepare(geoms)
    inside = (
        shapely.contains_xy(geoms[owner], test[:, 0], test[:, 1])
        if owner.size
        else np.zeros(0, dtype=bool)
    )
    owner, gx, gy = owner[inside], gx[inside], gy[inside]
    empty = np.flatnonzero(np.bincount(owner, minlength=n) == 0)
    if empty.size:
        reps = shapely.get_coordinates(shapely.point_on_surface(geoms[empty]))
        reps_m = projection.to_metres(reps[:, 0], reps[:, 1]) if projection is not None else reps
        owner = np.concatenate([owner, empty])
        gx = np.concatenate([gx, reps_m[:, 0]])
        gy = np.concatenate([gy, reps_m[:, 1]])
        order = np.argsort(owner, kind="stable")
        owner, gx, gy = owner[order], gx[order], gy[order]
    counts = np.bincount(owner, minlength=n).astype(float)
    return DemandPoints(
        xy_m=np.column_stack([gx, gy]), commune_index=owner, weight=1.0 / counts[owner]
    )


@dataclass(frozen=True)
class ReachMatrix:
    """Which sites reach which demand points, and at what travel cost.

    Attributes
    ----------
    cost
        Sparse ``(sites, points)`` CSR array of the travel cost of every pair within
        reach, in ``unit``. Zero costs (a site on a demand point) are stored explicitly,
        so the sparsity pattern is the reach relation: use :attr:`covers`.
    unit
        ``"km"`` (straight line times detour) or ``"min"`` (road network).
    """

    cost: sparse.csr_array
    unit: Literal["km", "min"]

    @property
    def covers(self) -> sparse.csr_array:
        """Boolean ``(sites, points)`` CSR array: True where the site reaches the point."""
        pattern = self.cost.copy()
        pattern.data = np.ones(pattern.data.shape[0], dtype=bool)
        return pattern

    @property
    def shape(self) -> tuple[int, int]:
        """(Rows, columns) of the cost matrix."""
        return (int(self.cost.shape[0]), int(self.cost.shape[1]))


def _csr_from_triplets(
    rows: IntArray, cols: IntArray, values: FloatArray, shape: tuple[int, int]
) -> sparse.csr_array:
    """Build a CSR array keeping explicit zeros; duplicate (row, col) keep the minimum."""
    order = np.lexsort((values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    if rows.size:
        first = np.ones(rows.size, dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, values = rows[first], cols[first], values[first]
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_array((values, cols.astype(np.int64), indptr), shape=shape)


def _pairs_within(
    sites_xy_m: FloatArray, point_tree: cKDTree, radius_m: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Return (site, point, straight-line metres) for every pair within each site's radius."""
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    dist: list[FloatArray] = []
    for radius in np.unique(radius_m):
        chosen = np.flatnonzero(radius_m == radius)
        if radius <= 0 or chosen.size == 0:
            continue
        site_tree = cKDTree(sites_xy_m[chosen])
        found = site_tree.sparse_distance_matrix(point_tree, float(radius), output_type="ndarray")
        rows.append(chosen[found["i"].astype(np.int64)])
        cols.append(found["j"].astype(np.int64))
        dist.append(found["v"].astype(float))
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(dist)


@dataclass(frozen=True)
class RoadNetwork:
    """An undirected road graph in the analysis CRS, weighted by travel minutes.

    Attributes
    ----------
    node_xy_m
        Shape ``(nodes, 2)``: node coordinates in metres.
    travel_min
        Sparse symmetric ``(nodes, nodes)`` CSR array of edge travel times (minutes).
    crs
        The projected CRS of ``node_xy_m``.
    """

    node_xy_m: FloatArray
    travel_min: sparse.csr_array
    crs: pyproj.CRS

    @property
    def n_nodes(self) -> int:
        """Number of nodes of the network."""
        return int(self.node_xy_m.shape[0])


def road_network_from_lines(
    lines: gpd.GeoDataFrame,
    *,
    crs: pyproj.CRS,
    class_speeds_kmh: Mapping[str, float] = DEFAULT_CLASS_SPEEDS_KMH,
    default_speed_kmh: float = 25.0,
    snap_m: float = 1.0,
) -> RoadNetwork:
    """Build a travel-time graph from road lines with a speed or a road class.

    Parameters
    ----------
    lines
        LineString / MultiLineString roads with a CRS. The speed comes from the first of
        ``speed_kmh``, ``maxspeed``, ``speed`` present and positive; otherwise from the
        class in ``road_class``, ``highway``, ``fclass`` or ``class`` via
        ``class_speeds_kmh``; otherwise ``default_speed_kmh``.
    crs
        Analysis CRS (metres) to build the graph in.
    class_speeds_kmh
        Speed (km/h) per road class.
    default_speed_kmh
        Speed (km/h) of a road with neither a speed nor a known class.
    snap_m
        Vertices closer than this (metres, on a grid) become one node. Roads connect only
        where they share a vertex, as in a noded network (OpenStreetMap exports are).

    Returns
    -------
    RoadNetwork
        Every segment is an edge in both directions; parallel edges keep the quickest.

    Raises
    ------
    ValueError
        If ``lines`` has no CRS or no line geometry.
    """
    if lines.crs is None:
        raise ValueError("road network has no CRS; declare it (e.g. EPSG:4326)")
    frame = lines.to_crs(crs)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    frame = frame[frame.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    if frame.empty:
        raise ValueError("road network has no LineString geometry")
    speeds = _road_speeds(
        frame, class_speeds_kmh=class_speeds_kmh, default_speed_kmh=default_speed_kmh
    )
    parts, part_index = shapely.get_parts(frame.geometry.to_numpy(), return_index=True)
    coords, coord_part = shapely.get_coordinates(parts, return_index=True)
    keys = np.round(coords / snap_m).astype(np.int64)
    unique_keys, node_of = np.unique(keys, axis=0, return_inverse=True)
    node_of = node_of.ravel()
    same = coord_part[1:] == coord_part[:-1]
    u, v = node_of[:-1][same], node_of[1:][same]
    length_m = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
    speed = speeds[part_index[coord_part[:-1][same]]]
    minutes = np.maximum(length_m / (speed * 1000.0 / 60.0), 1e-9)
    keep = u != v
    u, v, minutes = u[keep], v[keep], minutes[keep]
    n = int(unique_keys.shape[0])
    graph = _csr_from_triplets(
        np.concatenate([u, v]).astype(np.int64),
        np.concatenate([v, u]).astype(np.int64),
        np.concatenate([minutes, minutes]),
        (n, n),
    )
    node_xy = np.zeros((n, 2))
    node_xy[node_of] = coords
    return RoadNetwork(node_xy_m=node_xy, travel_min=graph, crs=crs)


def _road_speeds(
    frame: gpd.GeoDataFrame, *, class_speeds_kmh: Mapping[str, float], default_speed_kmh: float
) -> FloatArray:
    speed = np.full(len(frame), np.nan)
    for col in SPEED_COLUMNS:
        if col in frame.columns:
            given = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
            fill = np.isnan(speed) & (given > 0)
            speed[fill] = given[fill]
    for col in CLASS_COLUMNS:
        if col in frame.columns:
            mapped = frame[col].astype(str).str.strip().str.lower().map(dict(class_speeds_kmh))
            given = pd.to_numeric(mapped, errors="coerce").to_numpy(dtype=float)
            fill = np.isnan(speed) & (given > 0)
            speed[fill] = given[fill]
    speed[np.isnan(speed)] = default_speed_kmh
    return speed


@dataclass(frozen=True)
class TravelModel:
    """The one travel model used for existing teams and candidate sites alike.

    Attributes
    ----------
    crs
        Analysis CRS (metres).
    params
        Reach and detour parameters.
    network
        Road network, or ``None`` for straight line times detour.
    """

    crs: pyproj.CRS
    params: ReachParams = field(default_factory=ReachParams)
    network: RoadNetwork | None = None

    @property
    def unit(self) -> Literal["km", "min"]:
        """Unit of reach and cost: ``"min"`` with a road network, else ``"km"``."""
        return "min" if self.network is not None else "km"

    def reach_for_modes(self, modes: Sequence[str] | npt.ArrayLike) -> FloatArray:
        """Return each site's reach (in :attr:`unit`) from its mode (fixed or mobile)."""
        mode = np.asarray(modes, dtype=object)
        p = self.params
        fixed, mobile = (
            (p.fixed_reach_min, p.mobile_reach_min)
            if self.network is not None
            else (p.fixed_reach_km, p.mobile_reach_km)
        )
        return np.where(mode == "mobile", mobile, fixed).astype(float)

    def reach(
        self, sites_xy_m: FloatArray, points_xy_m: FloatArray, *, reach: npt.ArrayLike
    ) -> ReachMatrix:
        """Compute which sites reach which points, with the travel cost of each pair.

        Parameters
        ----------
        sites_xy_m, points_xy_m
            Shape ``(n, 2)`` coordinates in the analysis CRS (metres).
        reach
            Each site's reach in :attr:`unit` (km or minutes).

        Returns
        -------
        ReachMatrix
            Sparse ``(sites, points)`` travel costs of the pairs within reach.
        """
        sites = np.asarray(sites_xy_m, dtype=float).reshape(-1, 2)
        points = np.asarray(points_xy_m, dtype=float).reshape(-1, 2)
        reach = np.broadcast_to(np.asarray(reach, dtype=float), (sites.shape[0],))
        shape = (sites.shape[0], points.shape[0])
        if shape[0] == 0 or shape[1] == 0:
            return ReachMatrix(
                _csr_from_triplets(
                    np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), shape
                ),
                self.unit,
            )
        tree = cKDTree(points)
        detour = self.params.detour_factor
        if self.network is None:
            rows, cols, dist_m = _pairs_within(sites, tree, reach * 1000.0 / detour)
            cost = dist_m * detour / 1000.0
            return ReachMatrix(_csr_from_triplets(rows, cols, cost, shape), "km")
        return ReachMatrix(self._network_reach(sites, points, tree, reach), "min")

    def _offroad_min(self, distance_m: FloatArray) -> FloatArray:
        km = distance_m * self.params.detour_factor / 1000.0
        return np.asarray(km / self.params.offroad_speed_kmh * 60.0, dtype=float)

    def _network_reach(
        self, sites: FloatArray, points: FloatArray, point_tree: cKDTree, reach_min: FloatArray
    ) -> sparse.csr_array:
        net = self.network
        assert net is not None
        shape = (sites.shape[0], points.shape[0])
        # direct off-road trips
        radius_m = (
            reach_min / 60.0 * self.params.offroad_speed_kmh * 1000.0 / self.params.detour_factor
        )
        d_rows, d_cols, d_m = _pairs_within(sites, point_tree, radius_m)
        rows, cols, costs = [d_rows], [d_cols], [self._offroad_min(d_m)]
        node_tree = cKDTree(net.node_xy_m)
        site_gap_m, site_node = node_tree.query(sites)
        point_gap_m, point_node = node_tree.query(points)
        access = self._offroad_min(np.asarray(site_gap_m, dtype=float))
        egress = self._offroad_min(np.asarray(point_gap_m, dtype=float))
        point_node = np.asarray(point_node, dtype=np.int64)
        order = np.argsort(point_node, kind="stable")
        starts = np.searchsorted(point_node[order], np.arange(net.n_nodes + 1))
        per_node = np.diff(starts)
        budget = reach_min - access
        chunk = max(1, int(2e7 // max(net.n_nodes, 1)))
        candidates = np.flatnonzero(budget > 0)
        for lo in range(0, candidates.size, chunk):
            block = candidates[lo : lo + chunk]
            limit = float(budget[block].max())
            times = csgraph.dijkstra(
                net.travel_min, directed=False, indices=np.asarray(site_node)[block], limit=limit
            )
            b_idx, n_idx = np.nonzero(np.isfinite(times) & (per_node[None, :] > 0))
            t_net = times[b_idx, n_idx]
            counts = per_node[n_idx]
            site_rep = np.repeat(block[b_idx], counts)
            t_rep = np.repeat(t_net, counts)
            offsets = np.repeat(starts[n_idx], counts) + (
                np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            )
            pts = order[offsets]
            total = access[site_rep] + t_rep + egress[pts]
            ok = total <= reach_min[site_rep]
            rows.append(site_rep[ok])
            cols.append(pts[ok])
            costs.append(total[ok])
        return _csr_from_triplets(
            np.concatenate(rows), np.concatenate(cols), np.concatenate(costs), shape
        )

    def nearest_distance_km(self, sites_xy_m: FloatArray, points_xy_m: FloatArray) -> FloatArray:
        """Return each point's travel distance (km, straight line times detour) to the nearest site.

        Infinite when there is no site. The road network is not used here: this is the
        distance quoted to planners ("the nearest team is 38 km away").
        """
        points = np.asarray(points_xy_m, dtype=float).reshape(-1, 2)
        sites = np.asarray(sites_xy_m, dtype=float).reshape(-1, 2)
        if sites.shape[0] == 0:
            return np.full(points.shape[0], np.inf)
        dist, _ = cKDTree(sites).query(points)
        return np.asarray(dist, dtype=float) * self.params.detour_factor / 1000.0


__all__ = [
    "DEFAULT_CLASS_SPEEDS_KMH",
    "DemandPoints",
    "ReachMatrix",
    "ReachParams",
    "RoadNetwork",
    "TeamMode",
    "TravelModel",
    "demand_points_from_polygons",
    "road_network_from_lines",
]
