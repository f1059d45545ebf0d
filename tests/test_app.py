"""The app's first page under Streamlit's own test harness (widgets by key).

The page-by-page flows are in tests/test_app_pages.py. These tests run on a temporary
data folder that links to the real inputs, so the real SQLite store is never written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from coverage import settings as cfg
from tests.conftest import GiaLai
from tests.test_app_pages import html_tables, sample_figures, vi

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT_S = 120


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table with ``column`` (AppTest exposes no key for read-only tables)."""
    for element in at.dataframe:
        value = element.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with column {column!r}")


@pytest.fixture
def app(data_dir: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def test_headline_metrics_in_vietnamese(app: AppTest, gia_lai: GiaLai) -> None:
    teams, volunteers = sample_figures(gia_lai)  # Gia Lai's share of the 4,821 (inputs.samples)
    values = metrics(app)
    assert {k: values[k] for k in ("Xã/phường", "Dân số", "Đội hình", "Tình nguyện viên")} == {
        "Xã/phường": "135",
        "Dân số": "3.583.691",
        "Đội hình": vi(teams),
        "Tình nguyện viên": vi(volunteers),
    }


def test_sample_roster_and_estimate_are_labelled(app: AppTest) -> None:
    assert any("MẪU" in w.value for w in app.warning)
    assert any("ước tính minh hoạ" in i.value.lower() for i in app.info)


def test_english_switch(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert metrics(app)["Population"] == "3,583,691"
    assert app.title[0].value == "Map overview"
    assert any("SAMPLE" in w.value for w in app.warning)


def test_commune_table_and_selection(app: AppTest) -> None:
    table = [e.value for e in app.dataframe if "Mức đáp ứng" in e.value.columns][-1]
    assert len(table) == 135
    metric = app.selectbox(key="map_metric")
    assert metric.value == "coverage_ratio"  # the default answers "where is the need not met"
    app.text_input(key="map_search").input("quy nhon bac").run()
    app.selectbox(key="map_search_pick").set_value("21553").run()
    assert not app.exception
    details = next(t for t in html_tables(app) if "Giá trị" in t.columns)
    assert "45.746" in details["Giá trị"].tolist()
    teams_reaching = frame_with(app, "Tên đội")
    assert "Đội TNTN Phường Quy Nhơn Bắc" in teams_reaching["Tên đội"].tolist()


def test_missing_data_directory_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "nodata"
    monkeypatch.setenv(cfg.DATA_DIR_ENV, str(empty))
    monkeypatch.setenv(cfg.SHARED_DATA_ENV, str(tmp_path / "noshared"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert str(empty / "boundaries") in message
    assert "make data" in message
    problems = frame_with(at, "Vấn đề")
    assert list(problems.columns) == ["Mức độ", "Tệp", "Dòng", "Cột", "Giá trị", "Vấn đề"]
    assert problems.iloc[0]["Mức độ"] == "Lỗi"
    assert len(at.metric) == 0
