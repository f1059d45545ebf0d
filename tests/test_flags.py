"""Border versus coast, remoteness and reasons on a synthetic country."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from coverage import settings as cfg
from coverage.analysis.flags import (
    FlagParams,
    border_contact,
    land_border_from_outline,
    land_border_input_keys,
    load_land_border,
    prune_stored_land_borders,
    reasons_for,
    remote_index,
    stored_land_border_name,
)
from coverage.analysis.geo import Projection

# A synthetic country 0.2 x 0.2 degrees near the equator: land neighbour on the west,
# sea on the east, north and south; plus an island off the east coast.
WEST, EAST, SOUTH, NORTH = 105.0, 105.2, 0.0, 0.2
MAINLAND = shapely.segmentize(shapely.box(WEST, SOUTH, EAST, NORTH), 0.01)
ISLAND = shapely.box(105.3, 0.05, 105.32, 0.07)
SEA_ENDS = ((WEST, NORTH), (WEST, SOUTH))
INLAND = (WEST - 0.01, 0.1)
PROJECTION = Projection.for_longitudes([WEST, EAST])


def _communes() -> np.ndarray:
    mid_x, mid_y = 105.1, 0.1
    return np.array(
        [
            shapely.box(WEST, SOUTH, mid_x, mid_y),  # 0 south-west: land border
            shapely.box(WEST, mid_y, mid_x, NORTH),  # 1 north-west: land border
            shapely.box(mid_x, SOUTH, EAST, mid_y),  # 2 south-east: coast only
            shapely.box(mid_x, mid_y, EAST, NORTH),  # 3 north-east: coast only
            ISLAND,  # 4 island: coast only
        ],
        dtype=object,
    )


def test_land_border_is_the_arc_through_the_inland_point() -> None:
    border = land_border_from_outline(
        shapely.MultiPolygon([MAINLAND, ISLAND]), sea_ends=SEA_ENDS, inland_point=INLAND
    )
    coords = shapely.get_coordinates(border.lines.geometry.to_numpy())
    assert np.allclose(coords[:, 0], WEST)  # only the west side
    assert coords[:, 1].min() == pytest.approx(SOUTH) and coords[:, 1].max() == pytest.approx(NORTH)
    # the other choice of inland point gives the coast instead
    coast = land_border_from_outline(MAINLAND, sea_ends=SEA_ENDS, inland_point=(EAST + 0.01, 0.1))
    assert shapely.get_coordinates(coast.lines.geometry.to_numpy())[:, 0].max() == pytest.approx(
        EAST
    )


def test_border_communes_are_on_the_land_side_not_the_coast() -> None:
    border = land_border_from_outline(
        shapely.MultiPolygon([MAINLAND, ISLAND]), sea_ends=SEA_ENDS, inland_point=INLAND
    )
    contact = border_contact(_communes(), border, projection=PROJECTION, tolerance_m=60.0)
    # 0.1 degree of latitude at the equator is 11.06 km
    assert contact.length_km[:2] == pytest.approx([11.06, 11.06], rel=0.01)
    assert contact.length_km[2:].tolist() == [0.0, 0.0, 0.0]


def test_corner_touch_is_not_a_border() -> None:
    border = land_border_from_outline(MAINLAND, sea_ends=SEA_ENDS, inland_point=INLAND)
    # a commune touching the border only at one corner, outside the tolerance elsewhere
    corner = np.array(
        [shapely.Polygon([(WEST, NORTH), (105.05, 0.25), (105.1, NORTH)])], dtype=object
    )
    contact = border_contact(corner, border, projection=PROJECTION, tolerance_m=60.0)
    assert contact.length_km[0] < FlagParams().border_min_length_km


def test_remote_index_by_hand() -> None:
    params = FlagParams(
        remote_hub_far_km=50, remote_density_low=50, remote_density_high=500, remote_hub_weight=0.6
    )
    index = remote_index(
        np.array([25.0, 25.0, 0.0, 100.0]),
        np.array([50.0, 500.0, np.sqrt(50 * 500), 1.0]),
        params=params,
    )
    assert index.tolist() == pytest.approx([70.0, 30.0, 20.0, 100.0])


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "is_border": False,
        "border_km": 0.0,
        "border_country": "",
        "is_remote": False,
        "remote_source": "index",
        "hub_km": 0.0,
        "density_per_km2": 1000.0,
        "remote_index": 0.0,
        "is_underserved": False,
        "teams_in_reach": 1,
        "volunteers_in_reach": 12,
        "need": 4185.0,
        "coverage_ratio": 0.125,
        "nearest_team_km": 38.0,
    }
    row.update(values)
    return row


def test_reasons_quote_the_numbers_in_both_languages() -> None:
    frame = pd.DataFrame(
        [
            _row(),
            _row(is_border=True, border_km=12.34, border_country="KHM"),
            _row(is_remote=True, hub_km=42.0, density_per_km2=38.0, remote_index=72.4),
            _row(is_remote=True, remote_source="official"),
            _row(is_underserved=True),
            _row(is_underserved=True, teams_in_reach=0, nearest_team_km=38.04, need=1234567.0),
        ]
    )
    vi = reasons_for(frame, lang="vi", params=FlagParams(), horizon_weeks=26)
    en = reasons_for(frame, lang="en", params=FlagParams(), horizon_weeks=26)
    assert vi[0] == "" and en[0] == ""
    assert vi[1] == "Giáp biên giới Campuchia (12,3 km đường biên)"
    assert en[1] == "On the border with Cambodia (12.3 km of border)"
    assert "cách phường gần nhất 42 km, mật độ 38 người/km²" in vi[2] and "72/100" in vi[2]
    assert vi[3] == "Vùng xa theo danh sách chính thức"
    assert "1 đội (12 tình nguyện viên)" in vi[4] and "4.185 người" in vi[4]
    assert "12,5%" in vi[4] and "12.5%" in en[4] and "26 tuần" in vi[4]
    assert vi[5].startswith("Không có đội nào trong tầm với")
    assert "38,0 km" in vi[5] and "1.234.567" in vi[5] and "1,234,567" in en[5]


def _linked_data_dir(root: Path, real: cfg.Settings) -> cfg.Settings:
    boundaries = root / "boundaries"
    boundaries.mkdir(parents=True)
    for name in (cfg.PROVINCES_FILE, cfg.BORDER_LINES_FILE):
        (boundaries / name).symlink_to((real.boundaries_dir / name).resolve())
    return cfg.Settings(data_dir=root, shared_data_dir=real.shared_data_dir)


def test_data_folders_linking_the_same_inputs_share_one_derived_border(
    tmp_path: Path, real_settings: cfg.Settings
) -> None:
    first = _linked_data_dir(tmp_path / "a", real_settings)
    second = _linked_data_dir(tmp_path / "b", real_settings)
    assert load_land_border(first).lines.equals(load_land_border(second).lines)
    # the derived copy sits beside the real files, not in each linking folder
    assert not list(tmp_path.rglob("derived_land_border_*"))
    assert list(real_settings.boundaries_dir.resolve().glob("derived_land_border_*.parquet"))


def test_set_up_prunes_derived_borders_of_earlier_inputs(
    tmp_path: Path, real_settings: cfg.Settings
) -> None:
    settings = cfg.Settings(data_dir=tmp_path, shared_data_dir=real_settings.shared_data_dir)
    settings.boundaries_dir.mkdir()
    for name in (cfg.PROVINCES_FILE, cfg.BORDER_LINES_FILE):
        shutil.copyfile(real_settings.boundaries_dir / name, settings.boundaries_dir / name)
    stale = settings.boundaries_dir / "derived_land_border_000000000000.parquet"
    stale.write_bytes(b"old")
    current = settings.boundaries_dir / stored_land_border_name(
        *land_border_input_keys(settings)[0]
    )
    current.write_bytes(b"current")
    assert prune_stored_land_borders(settings) == [stale]
    assert not stale.exists() and current.exists()
