"""The bridge from an analysis to an explained deployment plan (synthetic province)."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from coverage.analysis import analyze_coverage
from coverage.deploy import SITE_COLUMNS, describe_status, plan_to_records, suggest_sites
from coverage.flags import LandBorder, land_border_from_outline
from coverage.planning import Inputs

# three 0.1-degree squares in a row near the equator; the third is far east
BOXES = [shapely.box(105.0, 0.0, 105.1, 0.1), shapely.box(105.1, 0.0, 105.2, 0.1),
         shapely.box(105.6, 0.0, 105.7, 0.1)]


def _inputs(teams: pd.DataFrame | None = None) -> Inputs:
    communes = gpd.GeoDataFrame({
        "code": ["00001", "00002", "00003"], "name": ["Một", "Hai", "Ba"],
        "full_name": ["Phường Một", "Xã Hai", "Xã Ba"], "kind": ["phuong", "xa", "xa"],
        "province": ["Thử"] * 3, "area_km2": [123.0] * 3,
        "population": [20_000, 5_000, 3_000], "merged_from": [""] * 3,
    }, geometry=BOXES, crs="EPSG:4326")
    if teams is None:
        teams = pd.DataFrame({
            "team_id": ["T1", "T2"], "team_name": ["Đội 1", "Đội 2"],
            "commune_code": ["00001", "00002"], "latitude": [0.05, 0.05],
            "longitude": [105.05, 105.15], "members": [10, 12], "mode": ["fixed", "mobile"],
            "weekly_hours": [4.0, 5.0],
        })
    indicators = pd.DataFrame({
        "commune_code": ["00001", "00002", "00003"],
        "adult_share_pct": [70.0] * 3, "smartphone_adult_pct": [80.0] * 3,
        "fixed_broadband_household_pct": [50.0] * 3, "mobile_4g_population_pct": [90.0] * 3,
        "vneid_level2_adult_pct": [60.0] * 3, "online_filing_pct": [40.0] * 3,
        "ethnic_minority_pct": [10.0] * 3,
        "is_remote_official": pd.array([None] * 3, dtype="boolean"),
    })
    return Inputs(province=None, communes=communes, teams=teams, indicators=indicators,
                  teams_is_sample=True, indicators_is_estimate=True, teams_source="test",
                  indicators_source="test")


def _border() -> LandBorder:
    country = shapely.segmentize(shapely.box(105.0, 0.0, 105.7, 0.1), 0.01)
    return land_border_from_outline(country, sea_ends=((105.0, 0.1), (105.0, 0.0)),
                                    inland_point=(104.99, 0.05))


def test_new_team_goes_where_unmet_need_is_largest_and_exclusion_moves_it() -> None:
    # existing teams have capacity to spare: what they leave unmet is need out of their reach
    big = _inputs().teams.assign(members=[200, 200], weekly_hours=[40.0, 40.0])
    analysis = analyze_coverage(_inputs(teams=big), land_border=LandBorder.none())
    unmet = analysis.demand.groupby("commune_code")["unmet_need"].sum()
    plan = suggest_sites(analysis, new_teams=1, team_size=10, mode="mobile", max_per_commune=1)
    assert plan.status == "optimal"
    assert plan.status_en == "proven optimal"
    assert list(plan.sites.columns) == list(SITE_COLUMNS)
    assert len(plan.sites) == 1
    assert plan.sites.iloc[0]["commune_code"] == unmet.idxmax()
    assert plan.added >= unmet.max() - 1e-6
    # excluding the commune with most unmet need sends the team to the unreached one
    plan = suggest_sites(analysis, new_teams=1, team_size=10, exclude=[str(unmet.idxmax())])
    row = plan.sites.iloc[0]
    assert row["commune_code"] != unmet.idxmax()
    assert "00003" in row["newly_reached"]
    assert row["need_served"] == pytest.approx(plan.added)
    assert "Ba" in row["reason_en"] and "Ba" in row["reason_vi"]
    assert row["alternative_en"]


def test_capacity_is_credited_not_population() -> None:
    analysis = analyze_coverage(_inputs(), land_border=LandBorder.none())
    small = suggest_sites(analysis, new_teams=1, team_size=1, weekly_hours=1.0, max_per_commune=1)
    # one volunteer for one hour a week over the horizon serves at most this many residents
    cap = analysis.params.capacity
    assert small.added <= cap.residents_per_volunteer_hour * cap.planning_horizon_weeks + 1e-6


def test_border_requirement_reported_with_numbers_when_it_cannot_be_met() -> None:
    empty = _inputs().teams.iloc[0:0]
    analysis = analyze_coverage(_inputs(teams=empty), land_border=_border())
    assert analysis.communes["is_border"].any()
    plan = suggest_sites(analysis, new_teams=0, require_border=True)
    assert plan.status == "infeasible"
    assert plan.sites.empty
    assert "border" in plan.infeasible_en and "0" in plan.infeasible_en
    assert "biên giới" in plan.infeasible_vi
    assert plan.status_en.startswith("no plan meets the constraints")
    ok = suggest_sites(analysis, new_teams=1, require_border=True, mode="fixed")
    assert ok.status == "optimal"
    assert ok.sites["is_border"].any() or ok.sites["newly_reached"].map(len).sum() > 0


def test_json_has_no_nan_and_statuses_are_honest() -> None:
    analysis = analyze_coverage(_inputs(), land_border=LandBorder.none())
    plan = suggest_sites(analysis, new_teams=1, method="greedy")
    assert plan.status == "greedy"
    text = json.dumps(plan_to_records(plan), allow_nan=False, ensure_ascii=False)
    assert json.loads(text)["bound"] is None
    en = describe_status("time_limit", gap=0.004, runtime_s=12.0, lang="en")
    assert en == "best found in 12 s, at most 0.40% below the optimum"
    vi = describe_status("time_limit", gap=0.004, runtime_s=12.0, lang="vi")
    assert "0,40%" in vi and "tối ưu (đã" not in vi
    assert "optimal" not in describe_status("gap_limit", gap=0.001, runtime_s=3.0, lang="en").split(",")[0]


def test_vietnamese_numbers_in_reasons() -> None:
    analysis = analyze_coverage(_inputs(), land_border=LandBorder.none())
    plan = suggest_sites(analysis, new_teams=1, team_size=40, weekly_hours=10.0)
    reason = plan.sites.iloc[0]["reason_vi"]
    assert "." in reason.split("khoảng ")[1].split(" ")[0]   # e.g. 1.234 residents
