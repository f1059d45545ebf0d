"""Small hand-made inputs shared by the tests (no real data)."""

from __future__ import annotations

import geopandas as gpd
import shapely

TEAM_HEADER = ["team_id", "team_name", "commune_code", "latitude", "longitude", "members",
               "mode", "skills", "languages", "weekly_hours"]


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
        ["T1", "Đội Ia Mơ", "23938", "", "", "15", "mobile", "vneid;public_service_portal", "vi;jrai", "4"],
        ["T2", "Đội Đak Pơ", "23995", "14.05", "108.15", "12", "fixed", "vneid", "vi", "5,5"],
        ["T3", "Đội Ia Zero", "1", "", "", "20", "lưu động", "", "", "3"],
    ]


def to_csv(rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
