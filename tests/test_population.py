"""Demand where people live: a hand-made 10 x 10 raster over three small communes.

The raster has 0.01-degree cells over lon 105.00-105.10, lat 0.00-0.10 (EPSG:4326).
Commune A is its west half, B its east half, C a tiny box just east of it with no cell
centre inside. A has 100 people in cell (row 0, col 0) and 300 in (5, 2); B has 50 in
(2, 7) and a nodata hole at (3, 7); every other cell is empty.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from coverage import settings as cfg
from coverage.analysis.analyze import analyze_coverage
from coverage.analysis.flags import LandBorder, population_reasons
from coverage.analysis.geo import Projection
from coverage.errors import InputError
from coverage.inputs.datasets import fill_missing_population
from coverage.inputs.population import (
    WORLDPOP_ATTRIBUTION,
    assign_cells,
    demand_points_from_cells,
    read_population_raster,
)
from coverage.planning import Inputs
from coverage.text.population import population_figure

NODATA = -99999.0
COMMUNES = [
    shapely.box(105.0, 0.0, 105.05, 0.1),
    shapely.box(105.05, 0.0, 105.1, 0.1),
    shapely.box(105.1005, 0.0, 105.104, 0.004),
]
POPULATION = [1000, 2000, 500]


def write_raster(path: Path, *, crs: str | None = "EPSG:4326") -> Path:
    import rasterio
    from affine import Affine

    grid = np.zeros((10, 10), dtype="float32")
    grid[0, 0], grid[5, 2], grid[2, 7], grid[3, 7] = 100, 300, 50, NODATA
    profile = {
        "driver": "GTiff",
        "height": 10,
        "width": 10,
        "count": 1,
        "dtype": "float32",
        "nodata": NODATA,
        "transform": Affine(0.01, 0.0, 105.0, 0.0, -0.01, 0.1),
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(grid, 1)
    return path


def projection() -> Projection:
    return Projection.for_longitudes(np.array([105.05]))


def points_lonlat(tmp_path: Path, **kwargs: int):  # type: ignore[no-untyped-def]
    cells = read_population_raster(write_raster(tmp_path / "pop.tif"))
    demand = demand_points_from_cells(
        np.array(COMMUNES, dtype=object), cells, projection=projection(), **kwargs
    )
    return demand, projection().to_degrees(demand.xy_m)


def test_weights_follow_the_raster_and_sum_to_one_per_commune(tmp_path: Path) -> None:
    demand, lonlat = points_lonlat(tmp_path)
    # A: two populated cells (empty cells are not points), 100:300; B: one (the hole is
    # never a point); C: its nearest cell, the raster's south-east corner (9, 9).
    assert demand.commune_index.tolist() == [0, 0, 1, 2]
    assert demand.weight.tolist() == pytest.approx([0.25, 0.75, 1.0, 1.0])
    assert lonlat[:, 0] == pytest.approx([105.005, 105.025, 105.075, 105.095], abs=1e-9)
    assert lonlat[:, 1] == pytest.approx([0.095, 0.045, 0.075, 0.005], abs=1e-9)


def test_commune_beyond_the_raster_keeps_its_own_point(tmp_path: Path) -> None:
    # An island 50 km east of the raster's edge (like Trường Sa beyond the WorldPop
    # extent): its nearest cell (9, 9) says nothing about it, so it keeps a point inside
    # itself instead of a point on the "mainland"; C (0.8 km off the edge) keeps its cell.
    island = shapely.box(105.55, 0.02, 105.56, 0.03)
    cells = read_population_raster(write_raster(tmp_path / "pop.tif"))
    demand = demand_points_from_cells(
        np.array([*COMMUNES, island], dtype=object), cells, projection=projection()
    )
    lonlat = projection().to_degrees(demand.xy_m)
    assert demand.commune_index.tolist() == [0, 0, 1, 2, 3]
    assert lonlat[3] == pytest.approx([105.095, 0.005], abs=1e-9)
    assert island.contains(shapely.Point(lonlat[4]))
    assert demand.weight[4] == pytest.approx(1.0)


def test_many_cells_merge_into_a_block_at_the_weighted_centre(tmp_path: Path) -> None:
    demand, lonlat = points_lonlat(tmp_path, max_points_per_commune=1)
    assert demand.commune_index.tolist() == [0, 1, 2]
    # A's two cells merged: 400 people at 0.25 x (105.005, 0.095) + 0.75 x (105.025, 0.045)
    assert lonlat[0] == pytest.approx([105.02, 0.0575], abs=1e-9)
    assert demand.weight[0] == pytest.approx(1.0)


def test_empty_commune_spreads_equally(tmp_path: Path) -> None:
    cells = read_population_raster(write_raster(tmp_path / "pop.tif"))
    cells = type(cells)(
        value=np.where(np.isfinite(cells.value), 0.0, np.nan),
        transform=cells.transform,
        crs=cells.crs,
        file=cells.file,
    )
    demand = demand_points_from_cells(
        np.array(COMMUNES[:1], dtype=object), cells, projection=projection()
    )
    assert len(demand) == 50 and demand.weight == pytest.approx(np.full(50, 0.02))


def test_raster_in_another_crs_gives_the_same_points(tmp_path: Path) -> None:
    import rasterio
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    source = write_raster(tmp_path / "pop.tif")
    target = tmp_path / "pop_utm.tif"
    with rasterio.open(source) as src:
        transform, width, height = calculate_default_transform(
            src.crs, "EPSG:32648", src.width, src.height, *src.bounds
        )
        profile = {
            **src.profile,
            "crs": "EPSG:32648",
            "transform": transform,
            "width": width,
            "height": height,
        }
        with rasterio.open(target, "w", **profile) as dst:
            reproject(rasterio.band(src, 1), rasterio.band(dst, 1), resampling=Resampling.nearest)
    cells = read_population_raster(target)
    demand = demand_points_from_cells(
        np.array(COMMUNES, dtype=object), cells, projection=projection()
    )
    # Same communes get points, weights still sum to 1 per commune.
    assert set(demand.commune_index.tolist()) == {0, 1, 2}
    sums = np.bincount(demand.commune_index, weights=demand.weight)
    assert sums == pytest.approx([1.0, 1.0, 1.0])


def test_raster_without_crs_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_population_raster(write_raster(tmp_path / "pop.tif", crs=None))
    (problem,) = err.value.problems
    assert problem.code == "population.no_crs"
    assert "EPSG:4326" in problem.message("en")


def test_stored_assignment_is_reused_only_for_the_same_communes(tmp_path: Path) -> None:
    cells = read_population_raster(write_raster(tmp_path / "pop.tif"))
    assigned = assign_cells(np.array(COMMUNES, dtype=object), cells, codes=["A", "B", "C"])
    assert assigned.assignment is not None
    assert sorted(assigned.assignment.commune_index.tolist()) == [0] * 50 + [1] * 49
    other = demand_points_from_cells(
        np.array(COMMUNES[1:], dtype=object), assigned, projection=projection(), codes=["B", "C"]
    )
    assert other.commune_index.tolist() == [0, 1]


def _inputs(tmp_path: Path, *, with_raster: bool) -> Inputs:
    communes = gpd.GeoDataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "name": ["A", "B", "C"],
            "kind": ["xa"] * 3,
            "province": ["Thử"] * 3,
            "population": POPULATION,
            "merged_from": [""] * 3,
        },
        geometry=COMMUNES,
        crs="EPSG:4326",
    )
    teams = pd.DataFrame(
        {
            "team_id": ["T1"],
            "team_name": ["Đội A"],
            "commune_code": ["00001"],
            "latitude": [0.095],
            "longitude": [105.005],
            "members": [10],
            "mode": ["fixed"],
            "weekly_hours": [4.0],
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
        }
    )
    cells = read_population_raster(write_raster(tmp_path / "pop.tif")) if with_raster else None
    return Inputs(
        province=None,
        communes=communes,
        teams=teams,
        indicators=indicators,
        teams_is_sample=True,
        indicators_is_estimate=True,
        teams_source="test",
        indicators_source="test",
        population=cells,
    )


def test_analysis_counts_residents_out_of_reach_by_hand(tmp_path: Path) -> None:
    result = analyze_coverage(_inputs(tmp_path, with_raster=True), land_border=LandBorder.none())
    assert result.demand_source == "worldpop"
    assert result.attribution == WORLDPOP_ATTRIBUTION
    communes = result.communes.set_index("code")
    # populations are kept exactly
    assert result.demand.groupby("commune_code")["population"].sum().to_dict() == {
        "00001": pytest.approx(1000),
        "00002": pytest.approx(2000),
        "00003": pytest.approx(500),
    }
    # The fixed team (5 km x 1.4 detour: 3.57 km straight) sits on A's 100-person cell:
    # it reaches that cell (250 of A's 1,000) and nothing else (A's other cell is 6 km away).
    assert communes["residents_out_of_reach"].to_dict() == {
        "00001": 750,
        "00002": 2000,
        "00003": 500,
    }


def test_without_raster_the_grid_is_used_and_said(tmp_path: Path) -> None:
    result = analyze_coverage(_inputs(tmp_path, with_raster=False), land_border=LandBorder.none())
    assert result.demand_source == "grid"
    assert result.attribution == ""
    assert result.communes["residents_out_of_reach"].sum() <= sum(POPULATION)
    # maps and reports then label the even spread as an estimate instead of crediting WorldPop
    from coverage.text.population import demand_note

    assert demand_note(result.demand_source, "vi") == (
        "Dân cư giả định trải đều trong mỗi xã (ước tính: chưa có tệp phân bố dân cư)"
    )
    assert "WorldPop" not in demand_note(result.demand_source, "en")
    assert "WorldPop" in demand_note("worldpop", "en")


@pytest.mark.realdata
def test_gia_lai_cli_reports_worldpop_demand(real_settings) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    if not real_settings.population_raster_path.exists():
        pytest.fail("the WorldPop raster is missing from the data folder; run 'make data'")
    run = subprocess.run(
        [sys.executable, "-m", "coverage", "analyze", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(run.stdout)
    assert {r["demand_source"] for r in rows} == {"worldpop"}
    assert sum(r["population"] for r in rows) == 3_583_691
    border = sorted(r["name"] for r in rows if r["is_border"])
    assert border == sorted(["Ia O", "Ia Chia", "Ia Dom", "Ia Pnôn", "Ia Nan", "Ia Púch", "Ia Mơ"])
    assert all(0 <= r["residents_out_of_reach"] <= r["population"] for r in rows)
    assert sum(r["residents_out_of_reach"] for r in rows) > 0


def test_map_draws_residents_out_of_reach_with_the_credit(tmp_path: Path) -> None:
    from coverage.outputs.maps.build import build_map
    from coverage.outputs.maps.export import map_html
    from coverage.outputs.maps_population import out_of_reach_points

    result = analyze_coverage(_inputs(tmp_path, with_raster=True), land_border=LandBorder.none())
    unreached = out_of_reach_points(result.demand)
    # A's far cell (750), B's cell (2,000) and C's nearest cell (500); A's reached cell is not.
    assert sorted(unreached["residents"].tolist()) == [500, 750, 2000]
    credit = "Phân bố dân cư: WorldPop (www.worldpop.org), 2020, CC BY 4.0"
    html = map_html(
        build_map(
            result.communes,
            result.teams,
            metric="coverage_ratio",
            demand=result.demand,
            population_credit=credit,
        )
    )
    assert "Dân cư ngoài tầm với của các đội" in html and credit in html
    assert "[0.045, 105.025, 750]" in html
    plain = map_html(build_map(result.communes, result.teams, metric="coverage_ratio"))
    assert "Dân cư ngoài tầm với" not in plain


@pytest.mark.realdata
def test_gia_lai_reports_credit_worldpop(real_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "coverage", "report", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    credit = "WorldPop (www.worldpop.org), 2020, CC BY 4.0"
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert credit in html and "Dân cư ngoài tầm với" in html
    pdfs = list(out.glob("*briefing*.pdf")) or list(out.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "WorldPop" in " ".join(text.split())
    from pptx import Presentation

    deck = Presentation(str(next(out.glob("*.pptx"))))
    words = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert credit in words


# ------------------------------------------------------- communes without a population


def _frame_missing(population: list[float | None]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["00001", "00002", "00003"], "population": pd.array(population, dtype="Int64")},
        geometry=COMMUNES,
        crs=4326,
    )


def _settings_with_raster(tmp_path: Path, *, with_raster: bool = True) -> cfg.Settings:
    settings = cfg.Settings(data_dir=tmp_path / "data", shared_data_dir=tmp_path / "shared")
    settings.boundaries_dir.mkdir(parents=True)
    if with_raster:
        write_raster(settings.population_raster_path)
    return settings


def test_missing_population_is_the_raster_sum_and_says_so(tmp_path: Path) -> None:
    settings = _settings_with_raster(tmp_path)
    filled = fill_missing_population(settings, _frame_missing([None, 2000, None]))
    # A holds 100 + 300 people in the raster; B keeps its own figure; C (no cell centre
    # inside) has nothing to estimate from
    assert filled["population"].tolist() == [400, 2000, 0]
    assert filled["population_source"].tolist() == ["worldpop_estimate", "official", "missing"]
    assert filled["population"].dtype == "int64"


def test_without_raster_a_missing_population_stays_missing(tmp_path: Path) -> None:
    settings = _settings_with_raster(tmp_path, with_raster=False)
    filled = fill_missing_population(settings, _frame_missing([None, 2000, 500]))
    assert filled["population"].tolist() == [0, 2000, 500]
    assert filled["population_source"].tolist() == ["missing", "official", "official"]


def test_population_figures_are_marked_in_both_languages() -> None:
    assert population_figure(28539, "worldpop_estimate", "vi") == "≈ 28.539 (ước tính WorldPop)"
    assert population_figure(28539, "worldpop_estimate", "en") == "≈ 28,539 (WorldPop estimate)"
    assert population_figure(0, "missing", "vi") == "chưa rõ"
    assert population_figure(0, "missing", "en") == "unknown"
    assert population_figure(np.int64(1234), "official", "vi") == "1.234"
    assert population_figure(1234, None, "en") == "1,234"


def test_reasons_say_where_a_missing_population_comes_from() -> None:
    table = pd.DataFrame(
        {
            "population": [400, 2000, 0],
            "population_source": ["worldpop_estimate", "official", "missing"],
        }
    )
    vi = population_reasons(table, lang="vi")
    assert vi[0].startswith("Dữ liệu xã không có số dân: 400 người là ước tính từ WorldPop 2020")
    assert vi[1] == ""
    assert "mức đáp ứng 100% không có ý nghĩa" in vi[2]
    en = population_reasons(table.drop(columns="population_source"), lang="en")
    assert en == ["", "", ""]


@pytest.mark.realdata
def test_van_don_and_hoang_sa_are_not_shown_as_fully_served(real_settings) -> None:  # type: ignore[no-untyped-def]
    """The two communes the national file gives no population (PROVENANCE.md)."""
    from coverage.inputs.datasets import load_commune_table
    from coverage.planning import analyze, load_inputs

    quang_ninh = analyze(load_inputs(real_settings, province="Quảng Ninh"), settings=real_settings)
    row = quang_ninh.communes.set_index("code").loc["06994"]
    assert row["population_source"] == "worldpop_estimate"
    assert 20_000 < row["population"] < 60_000
    assert row["need"] > 0 and row["coverage_ratio"] < 1.0
    assert row["reasons_vi"].startswith("Dữ liệu xã không có số dân")
    others = quang_ninh.communes[quang_ninh.communes["code"] != "06994"]
    assert (others["population_source"] == "official").all()

    da_nang = analyze(load_inputs(real_settings, province="Đà Nẵng"), settings=real_settings)
    row = da_nang.communes.set_index("code").loc["20333"]
    assert (row["population_source"], row["population"]) == ("missing", 0)
    assert "không có ý nghĩa" in row["reasons_vi"]

    # one figure on every screen: the table without polygons (crosswalk) agrees
    table = load_commune_table(real_settings).set_index("code")
    assert (
        table.loc["06994", "population"]
        == quang_ninh.communes.set_index("code").loc["06994", "population"]
    )
    assert table.loc["06994", "population_source"] == "worldpop_estimate"
    assert table.loc["20333", "population_source"] == "missing"
    assert (table["population_source"] == "official").sum() == len(table) - 2

    # the workbook names the source beside the figure
    from coverage.outputs.reports.content import ReportBundle
    from coverage.outputs.reports.workbook import commune_rows

    header, rows = commune_rows(
        ReportBundle(inputs=load_inputs(real_settings, province="Quảng Ninh"), analysis=quang_ninh),
        "vi",
    )
    van_don = next(r for r in rows if r[header.index("Mã xã/phường")] == "06994")
    assert van_don[header.index("Nguồn số dân")] == "ước tính WorldPop 2020"
    assert header.index("Nguồn số dân") == header.index("Dân số") + 1
