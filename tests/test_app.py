"""The first app page under Streamlit's own test harness (widgets by key)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from coverage import settings as cfg

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
def app(real_settings: cfg.Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv(cfg.DATA_DIR_ENV, str(real_settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def test_headline_metrics_in_vietnamese(app: AppTest) -> None:
    assert metrics(app) == {
        "Xã/phường": "135",
        "Dân số": "3.583.691",
        "Đội tình nguyện": "135",
        "Tình nguyện viên": "2.015",
    }


def test_sample_roster_and_estimate_are_labelled(app: AppTest) -> None:
    assert any("MẪU" in w.value for w in app.warning)
    assert any("ước tính minh hoạ" in i.value for i in app.info)


def test_english_switch(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert metrics(app)["Population"] == "3,583,691"
    assert app.title[0].value.startswith("Planning volunteer teams")
    assert any("SAMPLE" in w.value for w in app.warning)


def test_commune_table_and_selection(app: AppTest) -> None:
    table = frame_with(app, "Mật độ dân số (người/km²)")
    assert len(table) == 135
    assert "Mật độ dân số (người/km²)" in table.columns
    metric = app.selectbox(key="metric")
    assert metric.value == "density_per_km2"
    app.selectbox(key="commune").select("21553").run()
    assert not app.exception
    details = frame_with(app, "")
    assert "Quy Nhơn Bắc" in details.iloc[:, 0].tolist()
    assert "45.746" in details.iloc[:, 0].tolist()
    teams_here = frame_with(app, "Thành viên")
    assert teams_here.iloc[0, 0] == "Đội TNTN Phường Quy Nhơn Bắc"


def test_missing_data_directory_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
