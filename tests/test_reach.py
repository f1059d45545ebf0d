"""Reach, detour, demand points and network travel time on hand-checkable geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from coverage.analysis.geo import Projection
from coverage.analysis.reach import (
    ReachParams,
    TravelModel,
    demand_points_from_polygons,
    road_network_from_lines,
)

UTM48 = pyproj.CRS("EPSG:32648")  # metres; any metric CRS will do for these tests


def test_straight_line_reach_uses_detour() -> None:
    model = TravelModel(crs=UTM48, params=ReachParams(fixed_reach_km=5.0, detour_factor=1.25))
    points = np.array([[3000.0, 0.0], [0.0, 3999.0], [4100.0, 0.0], [0.0, 0.0]])
    reach = model.reach(np.array([[0.0, 0.0]]), points, reach=model.reach_for_modes(["fixed"]))
    assert reach.unit == "km"
    assert reach.shape == (1, 4)
    covered = reach.covers.toarray()[0]
    # 5 km of road / 1.25 = 4 km straight: 3 km and 3.999 km in, 4.1 km out, 0 km in
    assert covered.tolist() == [True, True, False, True]
    costs = dict(zip(reach.cost.indices.tolist(), reach.cost.data.tolist(), strict=True))
    assert costs[0] == pytest.approx(3.75)
    assert costs[1] == pytest.approx(4.99875)
    assert costs[3] == 0.0  # explicit zero kept: a team standing on a demand point reaches it


def test_mode_sets_reach() -> None:
    model = TravelModel(
        crs=UTM48, params=ReachParams(fixed_reach_km=5, mobile_reach_km=15, detour_factor=1.0)
    )
    assert model.reach_for_modes(["fixed", "mobile"]).tolist() == [5.0, 15.0]
    points = np.array([[10_000.0, 0.0]])
    reach = model.reach(np.zeros((2, 2)), points, reach=model.reach_for_modes(["fixed", "mobile"]))
    assert reach.covers.toarray()[:, 0].tolist() == [False, True]


def test_nearest_distance_uses_detour() -> None:
    model = TravelModel(crs=UTM48, params=ReachParams(detour_factor=1.5))
    d = model.nearest_distance_km(
        np.array([[0.0, 0.0], [10_000.0, 0.0]]), np.array([[2000.0, 0.0], [9000.0, 0.0]])
    )
    assert d.tolist() == pytest.approx([3.0, 1.5])
    assert np.isinf(model.nearest_distance_km(np.empty((0, 2)), np.zeros((1, 2)))).all()


def test_grid_demand_points_in_a_square() -> None:
    square = shapely.box(0, 0, 10_000, 10_000)
    tiny = shapely.box(50_000, 0, 50_100, 100)
    points = demand_points_from_polygons([square, tiny], spacing_km=2.0)
    first = points.xy_m[points.commune_index == 0]
    assert len(first) == 25  # 1, 3, 5, 7, 9 km in both directions
    assert sorted(set(first[:, 0].tolist())) == [1000.0, 3000.0, 5000.0, 7000.0, 9000.0]
    assert points.weight[points.commune_index == 0] == pytest.approx(np.full(25, 1 / 25))
    # a commune too small for the grid gets one point inside it, with all the weight
    second = points.xy_m[points.commune_index == 1]
    assert len(second) == 1 and shapely.contains_xy(tiny, *second[0])
    assert points.weight[points.commune_index == 1].tolist() == [1.0]


def test_large_commune_grid_is_capped() -> None:
    square = shapely.box(0, 0, 10_000, 10_000)
    points = demand_points_from_polygons([square], spacing_km=2.0, max_points_per_commune=4)
    # spacing becomes sqrt(1e8 / 4) = 5 km: points at 2.5 and 7.5 km
    assert sorted(map(tuple, points.xy_m.tolist())) == [
        (2500.0, 2500.0),
        (2500.0, 7500.0),
        (7500.0, 2500.0),
        (7500.0, 7500.0),
    ]


def test_lonlat_polygons_get_a_metric_grid() -> None:
    # about 22 km x 22 km near the equator: about 121 points at 2 km
    square = shapely.box(105.0, 0.0, 105.2, 0.2)
    projection = Projection.for_longitudes([105.0, 105.2])
    points = demand_points_from_polygons([square], projection=projection, spacing_km=2.0)
    assert 100 <= len(points) <= 144
    lonlat = projection.to_degrees(points.xy_m)
    assert shapely.contains_xy(square, lonlat[:, 0], lonlat[:, 1]).all()


def _roads() -> gpd.GeoDataFrame:
    # A(0,0) -10 km at 60 km/h- B(10,0) -10 km at 30 km/h- C(20,0) -10 km track (15 km/h)- D(20,10)
    return gpd.GeoDataFrame(
        {"speed_kmh": [60.0, 30.0, None], "road_class": ["primary", "primary", "track"]},
        geometry=[
            shapely.LineString([(0, 0), (5000, 0), (10_000, 0)]),
            shapely.LineString([(10_000, 0), (20_000, 0)]),
            shapely.LineString([(20_000, 0), (20_000, 10_000)]),
        ],
        crs=UTM48,
    )


def test_network_graph_has_travel_minutes() -> None:
    net = road_network_from_lines(_roads(), crs=UTM48)
    assert net.n_nodes == 5
    from scipy.sparse import csgraph

    a = int(np.flatnonzero((net.node_xy_m == [0, 0]).all(axis=1))[0])
    d = int(np.flatnonzero((net.node_xy_m == [20_000, 10_000]).all(axis=1))[0])
    times = csgraph.dijkstra(net.travel_min, indices=a)
    assert times[d] == pytest.approx(10 + 20 + 40)


def test_network_reach_in_minutes() -> None:
    net = road_network_from_lines(_roads(), crs=UTM48)
    model = TravelModel(
        crs=UTM48,
        params=ReachParams(
            detour_factor=1.0, offroad_speed_kmh=15.0, fixed_reach_min=35.0, mobile_reach_min=80.0
        ),
        network=net,
    )
    assert model.unit == "min"
    points = np.array(
        [[10_000.0, 0.0], [20_000.0, 0.0], [20_000.0, 10_000.0], [0.0, 2000.0], [20_000.0, 1000.0]]
    )
    reach = model.reach(
        np.array([[0.0, 0.0], [0.0, 0.0]]), points, reach=model.reach_for_modes(["fixed", "mobile"])
    )
    cost = reach.cost.toarray()
    covered = reach.covers.toarray()
    # fixed (35 min): B 10, C 30, off-road 2 km at 15 km/h = 8; D (70) and C+1 km (34) ...
    assert covered[0].tolist() == [True, True, False, True, True]
    assert cost[0, [0, 1, 3, 4]].tolist() == pytest.approx([10.0, 30.0, 8.0, 34.0])
    # mobile (80 min): also D at 70 min
    assert covered[1].tolist() == [True] * 5
    assert cost[1, 2] == pytest.approx(70.0)


def test_network_prefers_offroad_when_quicker() -> None:
    net = road_network_from_lines(_roads(), crs=UTM48)
    model = TravelModel(
        crs=UTM48,
        params=ReachParams(detour_factor=1.0, offroad_speed_kmh=15.0, fixed_reach_min=60.0),
        network=net,
    )
    # from (0, 3000): by road 12 (to A) + 10 (A-B) + 12 (B to point) = 34 min;
    # straight across 10 km at 15 km/h = 40 min: the road wins
    reach = model.reach(np.array([[0.0, 3000.0]]), np.array([[10_000.0, 3000.0]]), reach=[60.0])
    assert reach.cost.toarray()[0, 0] == pytest.approx(34.0)
    # a point 1 km away off-road: 4 min direct, not 4 + 4 via node A
    reach = model.reach(np.array([[0.0, 3000.0]]), np.array([[0.0, 4000.0]]), reach=[60.0])
    assert reach.cost.toarray()[0, 0] == pytest.approx(4.0)


def test_roads_need_a_crs() -> None:
    roads = _roads().set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="CRS"):
        road_network_from_lines(roads, crs=UTM48)


def test_params_are_checked() -> None:
    with pytest.raises(ValueError, match="detour_factor"):
        ReachParams(detour_factor=0.9)
    with pytest.raises(ValueError, match="fixed_reach_km"):
        ReachParams(fixed_reach_km=0)
