"""Every one of the 34 provinces, not only Gia Lai: clean coverage, analysis, maps, CLI.

Per province: the inputs load (communes, the SAMPLE roster by the national rules, the
estimate), the coverage is clean (the province outline works), the analysis runs, the
interactive map and the static map are built, ``analyze --province`` and
``report --province`` (every file) run. The national SAMPLE is checked once against the
programme's 4,821 teams and against Gia Lai's proportions of under-served border and
remote communes, from one national analysis shared by the module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from coverage import settings as cfg
from coverage.analysis.geo import province_outline
from coverage.cli import main
from coverage.inputs.datasets import list_provinces, load_commune_table
from coverage.inputs.samples import NATIONAL_SAMPLE_TEAMS, sample_roster_for, teams_per_commune
from coverage.outputs.maps.build import build_map
from coverage.outputs.maps.export import map_html
from coverage.outputs.reports.content import ReportBundle
from coverage.outputs.reports.map_files import draw_report_map
from coverage.planning import AnalysisResult, Inputs, analyze, load_inputs
from coverage.text.i18n import format_number
from tests.conftest import make_data_dir
from tests.test_app_pages import html_tables

pytestmark = pytest.mark.realdata

# The 34 provinces of the national file (codes, in its order); checked against the file.
PROVINCE_CODES = (
    "01",
    "04",
    "08",
    "11",
    "12",
    "14",
    "15",
    "19",
    "20",
    "22",
    "24",
    "25",
    "31",
    "33",
    "37",
    "38",
    "40",
    "42",
    "44",
    "46",
    "48",
    "51",
    "52",
    "56",
    "66",
    "68",
    "75",
    "79",
    "80",
    "82",
    "86",
    "91",
    "92",
    "96",
)
PROJECT = Path(__file__).resolve().parents[1]
APP = str(PROJECT / os.environ.get("COVERAGE_APP_SCRIPT", "app.py"))
TIMEOUT_S = 240
ALL_REPORTS_ENV = "COVERAGE_TEST_ALL_REPORTS"
REPORT_FILES = (
    "-map.html",
    "-map.png",
    "-map-a4.pdf",
    "-map-a3.pdf",
    "-briefing.pdf",
    "-slides.pptx",
)


@pytest.fixture(scope="module")
def national(real_settings: cfg.Settings) -> tuple[Inputs, AnalysisResult]:
    """All 3,321 communes with the national SAMPLE, analysed once for the module."""
    inputs = load_inputs(real_settings, province=None)
    return inputs, analyze(inputs, settings=real_settings)


@pytest.fixture(scope="module")
def commune_table(real_settings: cfg.Settings) -> pd.DataFrame:
    return load_commune_table(real_settings)


def test_the_national_file_has_these_34_provinces(real_settings: cfg.Settings) -> None:
    assert tuple(p.code for p in list_provinces(real_settings)) == PROVINCE_CODES


@pytest.mark.parametrize("code", PROVINCE_CODES)
def test_province_loads_analyses_and_draws_both_maps(
    code: str, real_settings: cfg.Settings, commune_table: pd.DataFrame
) -> None:
    inputs = load_inputs(real_settings, province=code)
    communes = inputs.communes
    expected = commune_table[commune_table["code"].isin(communes["code"])]
    assert len(communes) == len(expected) > 0
    assert set(communes["province_code"]) == {code}
    # the cleaned coverage: valid polygons, edge-matched, so the outline is one union
    assert shapely.is_valid(communes.geometry.to_numpy()).all()
    assert shapely.coverage_is_valid(communes.geometry.to_numpy())
    outline = province_outline(communes.geometry.to_numpy())
    assert outline.is_valid and not outline.is_empty
    assert outline.area == pytest.approx(
        float(shapely.area(communes.geometry.to_numpy()).sum()), rel=1e-6
    )

    allocation = teams_per_commune(commune_table)
    assert len(inputs.teams) == int(allocation[communes["code"]].sum())
    assert inputs.teams_is_sample and inputs.indicators_is_estimate

    result = analyze(inputs, settings=real_settings)
    analysed = result.communes
    assert len(analysed) == len(communes)
    assert analysed["coverage_ratio"].notna().all() and (analysed["need"] >= 0).all()
    _check_worldpop_demand(result)

    m = build_map(analysed, result.teams, teams_is_sample=True, indicators_is_estimate=True)
    html = map_html(m)
    assert "gl-province" in html and html.count("gl-commune") >= 1

    bundle = ReportBundle(inputs=inputs, analysis=result)
    figure = draw_report_map(bundle)
    try:
        assert figure.axes
    finally:
        plt.close(figure)


def _check_worldpop_demand(result: AnalysisResult) -> None:
    """WorldPop demand points carry each commune's people, near that commune.

    Trường Sa and Hoàng Sa lie beyond the raster's edge: their nearest cell was on the
    mainland 220-250 km away (the island's residents "reached" from the coast) until a
    commune whose nearest cell is more than 5 km off kept its own point.
    """
    assert result.demand_source == "worldpop"
    communes, demand = result.communes, result.demand
    population = communes["population"].to_numpy(dtype=float)
    index = demand["commune_index"].to_numpy()
    carried = np.bincount(index, weights=demand["population"], minlength=len(communes))
    assert carried == pytest.approx(population, abs=1e-6)
    out = communes["residents_out_of_reach"].to_numpy(dtype=float)
    assert ((out >= 0) & (out <= population)).all()
    polygons = communes.to_crs(result.crs).geometry.to_numpy()[index]
    gap_km = shapely.distance(polygons, shapely.points(demand[["x_m", "y_m"]].to_numpy())) / 1e3
    worst = int(np.argmax(gap_km))
    assert gap_km[worst] < 5.0, (communes["name"].iloc[index[worst]], gap_km[worst])


@pytest.mark.parametrize("code", PROVINCE_CODES)
def test_cli_analyze_every_province(
    code: str, real_settings: cfg.Settings, tmp_path: Path, commune_table: pd.DataFrame
) -> None:
    name = next(p.name for p in list_provinces(real_settings) if p.code == code)
    table = tmp_path / "analysis.csv"
    assert main(["analyze", "--province", name, "--format", "csv", "--out", str(table)]) == 0
    rows = pd.read_csv(table, dtype={"code": str})
    province_codes = set(commune_table.loc[commune_table["province"] == name, "code"])
    assert set(rows["code"]) == province_codes


def _report_writes_every_file(code: str, settings: cfg.Settings, folder: Path) -> None:
    name = next(p.name for p in list_provinces(settings) if p.code == code)
    out = folder / "report"
    assert main(["report", "--province", name, "--out", str(out), "--new-teams", "0"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) >= len(REPORT_FILES)
    assert all((out / n).stat().st_size > 0 for n in written)
    for suffix in REPORT_FILES:
        matches = [n for n in written if n.endswith(suffix)]
        assert len(matches) == 1, (suffix, written)
        assert (out / matches[0]).stat().st_size > 1000


@pytest.mark.skipif(
    os.environ.get(ALL_REPORTS_ENV) != "1",
    reason=f"34 full reports take 5-10 min: run 'make test-provinces' ({ALL_REPORTS_ENV}=1)",
)
@pytest.mark.parametrize("code", PROVINCE_CODES)
def test_cli_report_writes_every_file_for_every_province(
    code: str, real_settings: cfg.Settings, tmp_path: Path
) -> None:
    _report_writes_every_file(code, real_settings, tmp_path)


@pytest.mark.parametrize("code", ["04", "20"])  # Cao Bằng and Lào Cai: the report crashed before
def test_cli_report_writes_every_file_on_every_run(
    code: str, real_settings: cfg.Settings, tmp_path: Path
) -> None:
    _report_writes_every_file(code, real_settings, tmp_path)


def test_national_sample_totals_the_programmes_4821_teams(
    national: tuple[Inputs, AnalysisResult], commune_table: pd.DataFrame
) -> None:
    inputs, _ = national
    assert len(inputs.teams) == NATIONAL_SAMPLE_TEAMS == 4821
    assert inputs.teams["team_id"].is_unique
    per_commune = inputs.teams.groupby("commune_code").size()
    assert len(per_commune) == len(commune_table) == 3321  # at least one team in every commune
    # the 1,500 further teams go to populous communes: none to a commune under the median
    median = commune_table["population"].median()
    small = commune_table.loc[commune_table["population"] < median, "code"]
    assert (per_commune.reindex(small) == 1).all()
    assert per_commune.max() > 2


def test_committed_gia_lai_sample_is_what_the_generator_makes(
    real_settings: cfg.Settings, commune_table: pd.DataFrame
) -> None:
    inputs = load_inputs(real_settings)  # Gia Lai from data/teams/sample_roster_gia_lai.csv
    made = sample_roster_for(inputs.communes, commune_table, prefix="GL")
    committed = pd.read_csv(
        cfg.PROJECT_ROOT / "data" / "teams" / cfg.SAMPLE_ROSTER_FILE,
        dtype=str,
        keep_default_na=False,
    )
    made = made.astype(str).replace("nan", "")
    assert committed["team_id"].tolist() == made["team_id"].tolist()
    for column in ("commune_code", "members", "mode", "skills", "languages", "data_status"):
        assert committed[column].tolist() == made[column].astype(str).tolist(), column
    assert (
        committed["weekly_hours"].astype(float).tolist()
        == made["weekly_hours"].astype(float).tolist()
    )


def test_samples_show_underserved_remote_and_border_communes_like_gia_lai(
    national: tuple[Inputs, AnalysisResult],
) -> None:
    _, result = national
    c = result.communes
    flagged = c["is_border"].astype(bool) | c["is_remote"].astype(bool)
    under = c["is_underserved"].astype(bool)
    share = (under & flagged).groupby(c["province"]).sum() / flagged.groupby(c["province"]).sum()
    counts = flagged.groupby(c["province"]).sum()
    gia_lai = float(share["Gia Lai"])
    assert gia_lai > 0.5  # most of Gia Lai's border and remote communes are under-served
    many = share[counts >= 10]
    # before the national sample rules, Cao Bằng had 0 of 47 under-served
    assert (many >= 0.25).all(), many[many < 0.25]
    assert float(share["Cao Bằng"]) >= 0.35
    pooled = float((under & flagged).sum() / flagged.sum())
    assert pooled >= 0.5 * gia_lai, (pooled, gia_lai)
    # and the sample is not under-served everywhere: dense lowland communes mostly are served
    assert float(under[~flagged].mean()) < pooled


# ---------------------------------------------------------------- the app, every province


@pytest.fixture(scope="module")
def app_session(
    real_settings: cfg.Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppTest]:
    """One AppTest session for the module (a planner switching province after province)."""
    folder = make_data_dir(tmp_path_factory.mktemp("provinces") / "data", real_settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cfg.DATA_DIR_ENV, str(folder))
        patch.setenv(cfg.SHARED_DATA_ENV, str(real_settings.shared_data_dir))
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        at.run()
        assert not at.exception, at.exception
        yield at


@pytest.mark.parametrize("code", PROVINCE_CODES)
def test_map_page_opens_for_every_province(
    code: str, app_session: AppTest, commune_table: pd.DataFrame, real_settings: cfg.Settings
) -> None:
    at = app_session
    at.selectbox(key="province").set_value(code).run()
    assert not at.exception, at.exception
    name = next(p.name for p in list_provinces(real_settings) if p.code == code)
    metrics = {m.label: m.value for m in at.metric}
    expected = int((commune_table["province"] == name).sum())
    assert metrics["Xã/phường"] == format_number(expected, "vi")
    assert not at.error, [e.value for e in at.error]
    warnings = " ".join(w.value for w in at.warning)
    assert "MẪU" in warnings
    # Gia Lai uses the committed sample file; every other province the generated sample,
    # both said in Vietnamese
    source = (
        f"(tệp mẫu {cfg.SAMPLE_ROSTER_FILE})"
        if code == cfg.DEFAULT_PROVINCE_CODE
        else "(tạo tự động theo quy tắc mẫu)"
    )
    assert source in warnings.replace("\\", "")  # the file name is markdown-escaped
    assert "generated" not in warnings and "sample file" not in warnings
    infos = " ".join(i.value for i in at.info)
    assert "ƯỚC TÍNH MINH HOẠ" in infos and "estimate (" not in infos


def test_source_labels_follow_the_language(app_session: AppTest) -> None:
    at = app_session
    at.selectbox(key="province").set_value("04").run()  # Cao Bằng
    at.radio(key="lang").set_value("en").run()
    try:
        assert not at.exception, at.exception
        warnings = " ".join(w.value for w in at.warning)
        assert "SAMPLE data (generated by the sample rules)" in warnings
        assert "tạo tự động" not in warnings
        infos = " ".join(i.value for i in at.info)
        assert "(computed by the illustrative model)" in infos and "tính tự động" not in infos
    finally:
        at.radio(key="lang").set_value("vi").run()


def test_panel_marks_an_estimated_and_an_unknown_population(
    app_session: AppTest, real_settings: cfg.Settings
) -> None:
    """Vân Đồn's population is a WorldPop estimate; Hoàng Sa's is not known (PROVENANCE.md)."""
    at = app_session
    for province, search, shown in (
        ("Quảng Ninh", "van don", "≈ 28.539 (ước tính WorldPop)"),
        ("Đà Nẵng", "hoang sa", "chưa rõ"),
    ):
        code = next(p.code for p in list_provinces(real_settings) if p.name == province)
        at.selectbox(key="province").set_value(code).run()
        at.text_input(key="map_search").input(search).run()
        assert not at.exception, at.exception
        numbers = next(t for t in html_tables(at) if "Chỉ tiêu" in t.columns)
        assert dict(zip(numbers["Chỉ tiêu"], numbers["Giá trị"], strict=True))["Dân số"] == shown
        assert "Dữ liệu xã không có số dân" in "\n".join(m.value for m in at.markdown)
        at.text_input(key="map_search").input("").run()
