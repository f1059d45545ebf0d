"""End-to-end coverage analysis: a synthetic province, the CLI, and the real data."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from coverage import settings as cfg
from coverage.analysis.analyze import COMMUNE_COLUMNS, AnalysisParams, analyze_coverage
from coverage.analysis.flags import FlagParams, LandBorder
from coverage.analysis.reach import ReachParams
from coverage.commands.analyze import render, rows_for_output
from coverage.planning import Inputs
from tests.synthetic import strip_border, strip_inputs


def test_contract_columns_and_no_missing_values() -> None:
    result = analyze_coverage(strip_inputs(), land_border=strip_border())
    c = result.communes
    assert list(c.columns[: len(COMMUNE_COLUMNS)]) == list(COMMUNE_COLUMNS)
    assert c.crs.to_epsg() == 4326 and len(c) == 3
    assert not c.drop(columns="geometry").isna().any().any()
    assert result.crs.is_projected and result.crs.axis_info[0].unit_name == "metre"
    assert {"capacity_per_week", "lon", "lat"} <= set(result.teams.columns)


def test_capacity_is_conserved_and_flags_follow() -> None:
    params = AnalysisParams(
        reach=ReachParams(fixed_reach_km=5, mobile_reach_km=15, detour_factor=1.2)
    )
    result = analyze_coverage(strip_inputs(), params=params, land_border=strip_border())
    c = result.communes.set_index("code")
    teams = result.teams
    # capacity: 10 * 4 * 1.5 = 60 and 12 * 5 * 1.5 = 90 residents per week; both reach need
    assert teams["capacity_per_week"].tolist() == [60.0, 90.0]
    assert c["capacity"].sum() == pytest.approx(teams["capacity_used_per_week"].sum())
    assert c["capacity"].sum() == pytest.approx(150.0)
    assert result.demand["capacity_per_week"].sum() == pytest.approx(150.0)
    # the far commune (about 45 km away) is reached by no team
    assert c.loc["00003", "teams_in_reach"] == 0 and c.loc["00003", "capacity"] == 0
    assert c.loc["00003", "is_underserved"]
    assert "Không có đội nào trong tầm với" in c.loc["00003", "reasons_vi"]
    assert c.loc["00003", "nearest_team_km"] > 40
    # the mobile team in commune 2 also reaches commune 1
    assert c.loc["00001", "teams_in_reach"] == 2
    assert c.loc["00001", "volunteers_in_reach"] == 22
    # border on the west side only
    assert c["is_border"].tolist() == [True, False, False]
    assert "Giáp biên giới" in c.loc["00001", "reasons_vi"]
    # coverage ratio = capacity * horizon / need
    horizon = params.capacity.planning_horizon_weeks
    assert c["coverage_ratio"].to_numpy() == pytest.approx(
        c["capacity"].to_numpy() * horizon / c["need"].to_numpy()
    )
    # unmet need at each demand point never exceeds its need
    assert (result.demand["unmet_need"] <= result.demand["need"] + 1e-9).all()


def test_underserved_by_ratio() -> None:
    strict = AnalysisParams(flags=FlagParams(underserved_ratio=100.0))
    c = analyze_coverage(strip_inputs(), params=strict, land_border=LandBorder.none()).communes
    assert c["is_underserved"].all()
    assert "Thiếu năng lực" in c["reasons_vi"].iloc[0]
    assert "Short of capacity" in c["reasons_en"].iloc[0]


def test_official_remote_list_overrides_the_index() -> None:
    plain = analyze_coverage(strip_inputs(), land_border=LandBorder.none()).communes
    assert not plain["is_remote"].iloc[0]  # the ward is its own hub
    official = analyze_coverage(
        strip_inputs(remote_official=[True, False, None]), land_border=LandBorder.none()
    ).communes
    assert official["is_remote"].iloc[0]
    assert official["reasons_en"].iloc[0] == "Remote according to the official list"
    assert not official["is_remote"].iloc[1]
    assert official["is_remote"].iloc[2] == plain["is_remote"].iloc[2]


def test_reach_from_sites_uses_the_same_model() -> None:
    result = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    again = result.reach_from_sites(
        result.teams["lon"], result.teams["lat"], mode=result.teams["mode"].to_numpy()
    )
    assert (again.covers != result.reach.covers).nnz == 0
    far = result.reach_from_sites([105.65], [0.05], mode="mobile")
    codes = result.demand["commune_code"].to_numpy()[far.covers.indices]
    assert set(codes) == {"00003"}


def test_road_network_gives_minutes() -> None:
    road = shapely.segmentize(shapely.LineString([(105.0, 0.05), (105.7, 0.05)]), 0.005)
    roads = gpd.GeoDataFrame({"road_class": ["quoc_lo"]}, geometry=[road], crs="EPSG:4326")
    params = AnalysisParams(reach=ReachParams(mobile_reach_min=75.0))
    result = analyze_coverage(
        strip_inputs(), params=params, land_border=LandBorder.none(), roads=roads
    )
    assert result.reach_unit == "min"
    # 55 km/h on the national road: the far commune's near edge is about 55 minutes from
    # the mobile team; without the road (15 km/h off-road) it would be out of reach
    c = result.communes.set_index("code")
    assert c.loc["00003", "teams_in_reach"] == 1


def test_no_teams_gives_valid_json() -> None:
    empty = pd.DataFrame(
        {
            "team_id": [],
            "team_name": [],
            "commune_code": [],
            "latitude": [],
            "longitude": [],
            "members": [],
            "mode": [],
            "weekly_hours": [],
        }
    )
    result = analyze_coverage(strip_inputs(teams=empty), land_border=LandBorder.none())
    c = result.communes
    assert c["is_underserved"].all() and (c["teams_in_reach"] == 0).all()
    text = render(rows_for_output(c, lang="vi"), fmt="json")
    rows = json.loads(text)
    assert len(rows) == 3 and rows[0]["nearest_team_km"] is None
    assert rows[0]["reasons"].startswith("Không có đội nào")


# ---------------------------------------------------------------- real data


@pytest.mark.realdata
def test_gia_lai_rows_and_totals(gia_lai) -> None:  # type: ignore[no-untyped-def]
    result = gia_lai.analysis
    c = result.communes
    assert len(c) == 135
    assert not c.drop(columns="geometry").isna().any().any()
    assert c["population"].sum() == 3_583_691
    assert c["capacity"].sum() == pytest.approx(result.teams["capacity_used_per_week"].sum())
    assert (result.teams["capacity_used_per_week"] <= result.teams["capacity_per_week"]).all()
    assert c["need"].sum() == pytest.approx(result.demand["need"].sum())
    assert c["connectivity_index"].between(0, 100).all()
    assert c["remote_index"].between(0, 100).all()
    flagged = c[c["is_border"] | c["is_remote"] | c["is_underserved"]]
    assert (flagged["reasons_vi"] != "").all() and (flagged["reasons_en"] != "").all()


@pytest.mark.realdata
def test_gia_lai_border_communes_are_on_the_cambodian_side(gia_lai) -> None:  # type: ignore[no-untyped-def]
    c = gia_lai.analysis.communes
    border = c[c["is_border"]]
    assert 5 <= len(border) <= 12
    assert "Ia Mơ" in set(border["name"])
    assert (border["border_country"] == "KHM").all()
    # western edge of the province, far from the coast (Quy Nhơn is at 109.2 E)
    assert (border.geometry.representative_point().x < 108.0).all()
    assert (border["kind"] == "xa").all()
    assert not border["code"].str[:2].isin(["21", "22"]).any()  # ex-Bình Định, coastal
    assert not c.loc[c["name"].str.startswith("Quy Nhơn"), "is_border"].any()


@pytest.mark.realdata
def test_national_analysis_agrees_with_the_province_on_border(real_settings: cfg.Settings) -> None:
    from coverage.inputs.datasets import load_communes
    from coverage.inputs.samples import estimate_indicators, make_sample_roster
    from coverage.inputs.validation import representative_points

    national = load_communes(real_settings, province=None)
    roster = make_sample_roster(national, seed=1, prefix="VN")
    points = representative_points(national)
    roster["longitude"] = points.loc[roster["commune_code"], "lon"].to_numpy()
    roster["latitude"] = points.loc[roster["commune_code"], "lat"].to_numpy()
    indicators = estimate_indicators(national)
    indicators["is_remote_official"] = pd.array([None] * len(national), dtype="boolean")
    inputs = Inputs(None, national, roster, indicators, True, True, "test", "test")
    result = analyze_coverage(inputs, settings=real_settings)
    c = result.communes
    assert len(c) == 3321
    assert not c.drop(columns="geometry").isna().any().any()
    assert c["capacity"].sum() == pytest.approx(result.teams["capacity_used_per_week"].sum())
    border = c[c["is_border"]]
    assert set(border["border_country"]) == {"KHM", "LAO", "CHN"}
    # island and coastal units are not border communes; Móng Cái (on the China border) is
    assert not c.loc[c["kind"] == "dac_khu", "is_border"].any()
    assert c.loc[c["name"] == "Móng Cái 1", "is_border"].tolist() == [True]
    gia_lai_border = set(border.loc[border["province"] == "Gia Lai", "code"])
    assert gia_lai_border == {"23782", "23788", "23872", "23881", "23884", "23917", "23938"}
