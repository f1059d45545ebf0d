"""Small hand-made inputs shared by the tests (no real data)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from coverage.analysis.flags import LandBorder, land_border_from_outline
from coverage.planning import Inputs

TEAM_HEADER = [
    "team_id",
    "team_name",
    "commune_code",
    "latitude",
    "longitude",
    "members",
    "mode",
    "skills",
    "languages",
    "weekly_hours",
]


def three_communes() -> gpd.GeoDataFrame:
    """Three 0.1-degree squares side by side near Pleiku, EPSG:4326."""
    boxes = [shapely.box(108.0 + 0.1 * i, 14.0, 108.1 + 0.1 * i, 14.1) for i in range(3)]
    return gpd.GeoDataFrame(
        {
            "code": ["23938", "23995", "00001"],
            "name": ["Ia Mơ", "Đak Pơ", "Ia Zero"],
            "kind": ["xa", "xa", "phuong"],
            "area_km2": [118.0, 118.0, 118.0],
            "population": [12000, 30000, 5000],
        },
        geometry=boxes,
        crs="EPSG:4326",
    )


def roster_rows() -> list[list[str]]:
    """A clean three-team roster as text cells, header first."""
    return [
        list(TEAM_HEADER),
        [
            "T1",
            "Đội Ia Mơ",
            "23938",
            "",
            "",
            "15",
            "mobile",
            "vneid;public_service_portal",
            "vi;jrai",
            "4",
        ],
        ["T2", "Đội Đak Pơ", "23995", "14.05", "108.15", "12", "fixed", "vneid", "vi", "5,5"],
        ["T3", "Đội Ia Zero", "1", "", "", "20", "lưu động", "", "", "3"],
    ]


def to_csv(rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


# Three communes in a row near the equator, each 0.1 x 0.1 degree (about 11 x 11 km);
# the third is far east. The country's land border is its west side; the east is sea.
BOXES = [
    shapely.box(105.0, 0.0, 105.1, 0.1),
    shapely.box(105.1, 0.0, 105.2, 0.1),
    shapely.box(105.6, 0.0, 105.7, 0.1),
]


def strip_inputs(
    *, teams: pd.DataFrame | None = None, remote_official: list[object] | None = None
) -> Inputs:
    """Three communes in a row (EPSG:4326), two teams and flat indicators."""
    communes = gpd.GeoDataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "name": ["Một", "Hai", "Ba"],
            "full_name": ["Phường Một", "Xã Hai", "Xã Ba"],
            "kind": ["phuong", "xa", "xa"],
            "province": ["Thử"] * 3,
            "area_km2": [123.0, 123.0, 123.0],
            "population": [20_000, 5_000, 3_000],
            "merged_from": ["", "", ""],
        },
        geometry=BOXES,
        crs="EPSG:4326",
    )
    if teams is None:
        teams = pd.DataFrame(
            {
                "team_id": ["T1", "T2"],
                "team_name": ["Đội 1", "Đội 2"],
                "commune_code": ["00001", "00002"],
                "latitude": [0.05, 0.05],
                "longitude": [105.05, 105.15],
                "members": [10, 12],
                "mode": ["fixed", "mobile"],
                "weekly_hours": [4.0, 5.0],
            }
        )
    indicators = pd.DataFrame(
        {
            "commune_code": ["00001", "00002", "00003"],
            "adult_share_pct": [70.0] * 3,
            "smartphone_adult_pct": [80.0] * 3,
            "fixed_broadband_household_pct": [50.0] * 3,
            "mobile_4g_population_pct": [90.0] * 3,
            "vneid_level2_adult_pct": [60.0] * 3,
            "online_filing_pct": [40.0] * 3,
            "ethnic_minority_pct": [10.0] * 3,
            "is_remote_official": pd.array(remote_official or [None] * 3, dtype="boolean"),
        }
    )
    return Inputs(
        province=None,
        communes=communes,
        teams=teams,
        indicators=indicators,
        teams_is_sample=True,
        indicators_is_estimate=True,
        teams_source="test",
        indicators_source="test",
    )


def strip_border() -> LandBorder:
    """The strip's land border: its west side (the east is sea)."""
    country = shapely.segmentize(shapely.box(105.0, 0.0, 105.7, 0.1), 0.01)
    return land_border_from_outline(
        country, sea_ends=((105.0, 0.1), (105.0, 0.0)), inland_point=(104.99, 0.05)
    )


def strip_with_languages(*, team_languages: tuple[tuple[str, ...], ...] = ((), ())) -> Inputs:
    """:func:`strip_inputs` where Hai (00002) mainly speaks Jrai (60% ethnic minority).

    Its teams speak ``team_languages`` (T1 at Một, T2 at Hai); Một and Ba list no
    minority language (an uploaded table: blank cells mean none).
    """
    base = strip_inputs()
    teams = base.teams.assign(languages=list(team_languages))
    indicators = base.indicators.assign(
        ethnic_minority_pct=[10.0, 60.0, 10.0], minority_languages=["", "jrai", ""]
    )
    return Inputs(
        province=None,
        communes=base.communes,
        teams=teams,
        indicators=indicators,
        teams_is_sample=True,
        indicators_is_estimate=False,
        teams_source="test",
        indicators_source="test",
    )


def two_far_communes_for_languages() -> Inputs:
    """Two communes 50 km apart, no team: Một (5,000 residents, Vietnamese) and Ba (5,200
    residents, 80% mainly speaking Jrai); flat indicators give need = 0.231 x population;
    neither is remote (official list), so both weigh 1.5 (no team reaches them)."""
    base = strip_inputs()
    communes = (
        base.communes.iloc[[0, 2]]
        .reset_index(drop=True)
        .assign(kind=["xa", "xa"], population=[5_000, 5_200])
    )
    teams = base.teams.iloc[0:0].assign(languages=pd.Series([], dtype=object))
    indicators = (
        base.indicators.iloc[[0, 2]]
        .reset_index(drop=True)
        .assign(
            ethnic_minority_pct=[0.0, 80.0],
            minority_languages=["", "jrai"],
            is_remote_official=pd.array([False, False], dtype="boolean"),
        )
    )
    return Inputs(
        province=None,
        communes=communes,
        teams=teams,
        indicators=indicators,
        teams_is_sample=True,
        indicators_is_estimate=False,
        teams_source="test",
        indicators_source="test",
    )
