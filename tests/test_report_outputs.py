"""Meeting outputs that follow the plan they name and cannot be broken by data.

Small tests use hand-made communes (a grid of squares near Pleiku) so every figure is
checkable; the ``realdata`` tests save a scenario in a store of their own, run
``python -m coverage report --scenario`` on Gia Lai and read the files back with pypdf,
python-pptx and openpyxl.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from coverage.commands.analyze import render
from coverage.inputs.datasets import Province
from coverage.outputs import bundle as report_bundle
from coverage.outputs.reports.briefing import write_briefing_pdf
from coverage.outputs.reports.content import (
    ReportBundle,
    border_communes,
    compare_scenario,
    roster_differences,
)
from coverage.outputs.reports.map_files import draw_report_map, map_html_document, map_layers
from coverage.outputs.reports.slides import write_slides
from coverage.outputs.reports.words import coverage_text, short_reason
from coverage.outputs.reports.workbook import write_workbook
from coverage.outputs.safe_output import PLACEHOLDER, neutralise_cell, printable, shorten
from coverage.planning import Inputs
from tests.test_reports import FakeAnalysis, FakePlan, pdf_text, sites_frame, slide_texts

LONG = "Ia " + "x" * 10_000
HOSTILE_NAMES = (
    '<script>alert("x")</script><b>Ia</b>',
    "{{ 7*7 }} {% raw %}",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    '@HYPERLINK("http://evil.example")',
    LONG,
    "Ia Mơ 🏔️👨‍👩‍👧 🇻🇳",
)


def grid_communes(names: list[str]) -> gpd.GeoDataFrame:
    """One 0.05-degree square per name, 6 to a row; analysis columns chosen by hand.

    Every commune is under-served and remote; the first two are on the border.
    """
    n = len(names)
    boxes = [
        shapely.box(
            108.0 + 0.05 * (i % 6),
            14.0 + 0.05 * (i // 6),
            108.05 + 0.05 * (i % 6),
            14.05 + 0.05 * (i // 6),
        )
        for i in range(n)
    ]
    frame = gpd.GeoDataFrame(
        {
            "code": [f"{10000 + i}" for i in range(n)],
            "name": names,
            "full_name": [f"Xã {x}" for x in names],
            "kind": "xa",
            "province": "Gia Lai",
            "area_km2": 30.0,
            "population": [1000 * (i + 1) for i in range(n)],
            "merged_from": "Xã A, Xã B",
        },
        geometry=boxes,
        crs="EPSG:4326",
    )
    frame["density_per_km2"] = frame["population"] / frame["area_km2"]
    frame["need"] = frame["population"] * 0.4
    frame["coverage_ratio"] = np.linspace(0.05, 0.45, n)
    frame["capacity"] = frame["need"] * frame["coverage_ratio"] / 26
    frame["teams_in_reach"] = 1
    frame["is_border"] = [i < 2 for i in range(n)]
    frame["border_country"] = ["KHM" if i < 2 else "" for i in range(n)]
    frame["is_remote"] = True
    frame["is_underserved"] = True
    frame["reasons_vi"] = [
        f"Thiếu năng lực: đáp ứng {r:.0%}; vùng xa: cách phường gần nhất 60 km, mật độ thấp "
        f"và nhiều lý do dài khác nữa để cắt"
        for r in frame["coverage_ratio"]
    ]
    frame["reasons_en"] = [
        f"Capacity meets {r:.0%}; far from the nearest ward" for r in frame["coverage_ratio"]
    ]
    return frame


def roster(communes: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """One team per commune, at the commune's centre."""
    centres = (
        communes.geometry.centroid
        if communes.crs.is_projected
        else communes.to_crs(3405).centroid.to_crs(4326)
    )
    n = len(communes)
    return pd.DataFrame(
        {
            "team_id": [f"T{i}" for i in range(n)],
            "team_name": names or [f"Đội {x}" for x in communes["name"]],
            "commune_code": communes["code"].astype(str).to_numpy(),
            "latitude": centres.y.to_numpy(),
            "longitude": centres.x.to_numpy(),
            "members": 12,
            "mode": "mobile",
            "skills": [("vneid", "public_service_portal")] * n,
            "languages": [("vi", "jrai")] * n,
            "weekly_hours": 4.0,
        }
    )


def bundle_for(
    communes: gpd.GeoDataFrame,
    *,
    teams: pd.DataFrame | None = None,
    scenario_teams: pd.DataFrame | None = None,
    scenario: str = "Kịch bản A",
) -> ReportBundle:
    teams = roster(communes) if teams is None else teams
    shown = teams if scenario_teams is None else scenario_teams
    comparison = None
    if scenario_teams is not None:
        after = communes.copy()
        after["coverage_ratio"] = communes["coverage_ratio"] + 0.1
        comparison = compare_scenario(
            communes, after, name=scenario, teams_before=teams, teams_after=scenario_teams
        )
    inputs = Inputs(
        province=Province("52", "Gia Lai"),
        communes=communes.drop(columns=["need"]),
        teams=shown,
        indicators=pd.DataFrame({"commune_code": communes["code"], "ethnic_minority_pct": 61.0}),
        teams_is_sample=True,
        indicators_is_estimate=True,
        teams_source="sample.csv",
        indicators_source="estimate.csv",
    )
    analysed = (
        communes
        if comparison is None
        else communes.assign(coverage_ratio=communes["coverage_ratio"] + 0.1)
    )
    return ReportBundle(
        inputs=inputs,
        analysis=FakeAnalysis(analysed),
        plan=FakePlan(sites_frame().iloc[0:0]),
        comparison=comparison,
        generated_on=dt.date(2026, 12, 4),
    )


def scenario_roster(teams: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Move T2 to the first commune and add one new team in the second."""
    after = teams.copy()
    first, second = communes.iloc[0], communes.iloc[1]
    after.loc[after["team_id"] == "T2", ["commune_code", "latitude", "longitude"]] = [
        str(first["code"]),
        14.02,
        108.02,
    ]
    new = after.iloc[[0]].assign(
        team_id="N1",
        team_name="Đội mới biên giới",
        commune_code=str(second["code"]),
        latitude=14.03,
        longitude=108.07,
    )
    return pd.concat([after, new], ignore_index=True)


# ------------------------------------------------------------------- by hand


def test_roster_differences_are_moves_new_and_removed_teams() -> None:
    communes = grid_communes([f"Xã {i}" for i in range(4)])
    before = roster(communes)
    after = scenario_roster(before, communes).iloc[1:]  # T0 left out
    moves, added, removed = roster_differences(before, after, names={"10000": "Xã 0"})
    assert moves[["team_id", "from_code", "to_code", "to_name"]].to_dict("records") == [
        {"team_id": "T2", "from_code": "10002", "to_code": "10000", "to_name": "Xã 0"}
    ]
    assert moves.loc[0, "to_lat"] == pytest.approx(14.02)
    assert added["team_id"].tolist() == ["N1"] and added.loc[0, "commune_code"] == "10001"
    assert removed["team_id"].tolist() == ["T0"]


def test_neutralise_cell_covers_every_formula_start() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("Ia Mơ") == "Ia Mơ"
    assert neutralise_cell(-1.5) == -1.5  # numbers stay numbers


def test_analyze_csv_neutralises_formulas() -> None:
    frame = pd.DataFrame(
        {"name": ["=cmd|' /C calc'!A0", "Ia Mơ", "@x", "-2+3"], "population": [1, 2, 3, -4]}
    )
    assert render(frame, fmt="csv").splitlines() == [
        "name,population",
        "'=cmd|' /C calc'!A0,1",
        "Ia Mơ,2",
        "'@x,3",
        "'-2+3,-4",  # a negative number is a number, not text
    ]


def test_printable_and_shorten() -> None:
    assert printable("Ia Mơ 👨‍👩‍👧") == "Ia Mơ " + PLACEHOLDER
    assert printable("Đắk Lắk ạ ễ ữ") == "Đắk Lắk ạ ễ ữ"
    assert shorten("a" * 100, 10) == "a" * 9 + "…"


def test_slide_tables_never_exceed_eight_rows_and_are_18_pt(tmp_path: Path) -> None:
    from pptx import Presentation

    communes = grid_communes([f"Xã {i}" for i in range(30)])
    teams = roster(communes)
    bundle = bundle_for(communes, teams=teams, scenario_teams=scenario_roster(teams, communes))
    deck = Presentation(str(write_slides(bundle, tmp_path / "s.pptx")))
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert tables
    for table in tables:
        assert len(table.rows) <= 8
        sizes = {
            run.font.size.pt
            for row in table.rows
            for cell in row.cells
            for para in cell.text_frame.paragraphs
            for run in para.runs
        }
        assert min(sizes) >= 18
    texts = slide_texts(tmp_path / "s.pptx")
    # every priority commune is on a slide (the appendix), each reason cut to a short phrase
    for name in communes["name"]:
        assert any(re.search(rf"\b{name}\n", text + "\n") for text in texts), name
    assert any("Đội chuyển địa bàn" in text and "Đội Xã 2" in text for text in texts)
    border_slides = [text for text in texts if text.startswith("Xã/phường biên giới:")]
    assert len(border_slides) == 2 and "tiếng Jrai" in border_slides[0]


def test_scenario_briefing_lists_moves_new_teams_and_a_page_per_border_commune(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    communes = grid_communes([f"Xã {i}" for i in range(8)])
    teams = roster(communes)
    bundle = bundle_for(communes, teams=teams, scenario_teams=scenario_roster(teams, communes))
    path = write_briefing_pdf(bundle, tmp_path / "b.pdf")
    text = pdf_text(path)
    assert "Đội chuyển địa bàn" in text and "Đội mới trong kịch bản" in text
    assert "Đội Xã 2" in text and "Đội mới biên giới" in text
    pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    packets = [p for p in pages if "Xã/phường biên giới: " in p]
    assert len(packets) == 2
    for page, name in zip(packets, ["Xã 0", "Xã 1"], strict=True):
        assert f"Xã/phường biên giới: {name}" in page
        assert "tiếng Việt, tiếng Jrai" in page
        assert "61%" in page  # ethnic-minority share
        assert "Xã A, Xã B" in page  # pre-merger units


def test_workbook_has_communes_roster_and_differences(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    communes = grid_communes([f"Xã {i}" for i in range(4)])
    teams = roster(communes)
    bundle = bundle_for(communes, teams=teams, scenario_teams=scenario_roster(teams, communes))
    book = load_workbook(write_workbook(bundle, tmp_path / "t.xlsx"))
    assert book.sheetnames == ["Xã phường", "Danh sách đội", "Khác biệt kịch bản", "English"]
    communes_sheet = book["Xã phường"]
    header = [c.value for c in communes_sheet[1]]
    assert header[:2] == ["Mã xã/phường", "Tên xã/phường"] and "Thiếu hỗ trợ" in header
    assert communes_sheet.max_row == 5
    assert [c.value for c in book["English"][1]][:2] == ["Commune code", "Commune"]
    kinds = [row[0] for row in book["Khác biệt kịch bản"].iter_rows(min_row=2, values_only=True)]
    assert "Chuyển địa bàn" in kinds and "Đội mới" in kinds
    assert book["Danh sách đội"].max_row == len(teams) + 2  # the scenario's roster: one new team


def test_hostile_names_in_every_output(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    names = list(HOSTILE_NAMES) + ["Xã thường"]
    communes = grid_communes(names)
    teams = roster(communes, names=[f"Đội {n}" for n in names])
    bundle = bundle_for(
        communes,
        teams=teams,
        scenario_teams=scenario_roster(teams, communes),
        scenario=HOSTILE_NAMES[0] + HOSTILE_NAMES[5],
    )
    written = report_bundle.write_report(bundle, tmp_path / "out")
    assert len(written) == 8
    html_text = (tmp_path / "out" / "gia-lai-map.html").read_text(encoding="utf-8")
    assert '<script>alert("x")</script>' not in html_text
    for pdf in (p for p in written if p.suffix == ".pdf"):
        text = pdf_text(pdf)
        assert "x" * 200 not in text  # the 10,000-character name is shortened
        assert "\u200d" not in text
    briefing = pdf_text(tmp_path / "out" / "gia-lai-briefing.pdf")
    assert "Ia xxxxxxxx" in briefing and "…" in briefing
    assert '<script>alert("x")</script><b>Ia</b>' in briefing  # shown as text
    assert "{{ 7*7 }}" in briefing
    assert PLACEHOLDER in briefing  # emoji the font lacks: a visible mark, no empty box
    slides = "\n".join(slide_texts(tmp_path / "out" / "gia-lai-slides.pptx"))
    assert "x" * 200 not in slides and "{{ 7*7 }}" in slides
    book = load_workbook(tmp_path / "out" / "gia-lai-tables.xlsx")
    texts = [
        value
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    formulas = [v for v in texts if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert len(texts) > 100 and formulas == []
    cells = [v for row in book["Xã phường"].iter_rows(values_only=True) for v in row]
    assert "'=cmd|' /C calc'!A0" in cells and LONG in cells  # full text, neutralised


def test_a_failed_run_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    communes = grid_communes(["Xã 0", "Xã 1"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")

    def broken(*args: Any, **kwargs: Any) -> Path:
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_bundle, "write_slides", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        report_bundle.write_report(bundle_for(communes), out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no partial set, no staging folder


def test_map_labels_every_border_and_flagged_commune_without_overlap() -> None:
    communes = grid_communes([f"Xã số {i}" for i in range(18)])
    bundle = bundle_for(communes)
    fig = draw_report_map(bundle, layout="a4")
    labels = fig._coverage_labels
    assert sorted(label["name"] for label in labels) == sorted(communes["name"])
    assert not any(label["overlaps"] for label in labels)
    boxes = [label["bbox"] for label in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


# ------------------------------------------------------------------- real data


@pytest.fixture
def scenario_store(data_dir: Path, gia_lai: Any) -> tuple[Any, str]:
    """A data folder linked to the real inputs with a store holding one scenario: two
    teams moved to under-served border communes and one new team in another."""
    from coverage import settings as cfg
    from coverage.storage.store import open_store

    settings = cfg.load_settings()
    inputs, result = gia_lai
    communes = result.communes.set_index(result.communes["code"].astype(str))
    border = border_communes(result.communes)
    target = str(border.iloc[0]["code"])
    served = (
        result.communes.sort_values("coverage_ratio", ascending=False)["code"]
        .astype(str)
        .head(2)
        .tolist()
    )
    teams = inputs.teams.copy()
    lon, lat = (
        float(communes.loc[target, "geometry"].representative_point().x),
        float(communes.loc[target, "geometry"].representative_point().y),
    )
    moved = teams["commune_code"].astype(str).isin(served)
    teams.loc[moved, "commune_code"] = target
    teams.loc[moved, "latitude"] = lat
    teams.loc[moved, "longitude"] = lon
    second = str(border.iloc[1]["code"])
    point = communes.loc[second, "geometry"].representative_point()
    new = teams.iloc[[0]].assign(
        team_id="GL-900",
        team_name="Đội mới biên giới",
        commune_code=second,
        latitude=point.y,
        longitude=point.x,
        languages=[("vi", "jrai")],
    )
    teams = pd.concat([teams, new], ignore_index=True)
    store = open_store(settings)
    store.save_scenario("Kịch bản: 1 đội mới + chuyển 2 đội", inputs.province.code, teams, {}, {})
    return teams, target


@pytest.mark.realdata
def test_real_scenario_report_shows_the_scenario(
    scenario_store: tuple[Any, str], tmp_path: Path, gia_lai: Any
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from coverage import settings as cfg
    from coverage.cli import main
    from coverage.planning import analyze

    teams, target = scenario_store
    out = tmp_path / "out"
    assert (
        main(
            [
                "report",
                "--out",
                str(out),
                "--scenario",
                "Kịch bản: 1 đội mới + chuyển 2 đội",
                "--new-teams",
                "0",
                "--formats",
                "pdf,pptx,xlsx",
                "--date",
                "2026-12-04",
            ]
        )
        == 0
    )
    settings = cfg.load_settings()
    import dataclasses

    inputs = gia_lai.inputs
    now = gia_lai.analysis.communes.set_index("code")
    scenario = analyze(
        dataclasses.replace(inputs, teams=teams), settings=settings
    ).communes.set_index("code")
    name = str(scenario.loc[target, "name"])
    assert coverage_text(scenario.loc[target, "coverage_ratio"], "vi") != coverage_text(
        now.loc[target, "coverage_ratio"], "vi"
    )

    pages = [p.extract_text() or "" for p in PdfReader(str(out / "gia-lai-briefing.pdf")).pages]
    packet = next(p for p in pages if f"Xã/phường biên giới: {name}" in p)
    assert (
        f"Mức đáp ứng {coverage_text(scenario.loc[target, 'coverage_ratio'], 'vi')}"
        in packet.replace("\n", " ")
    )
    packets = [p for p in pages if "Xã/phường biên giới: " in p]
    assert len(packets) == 7
    for page in packets:
        assert "Đội TNTN" in page and "tiếng Việt" in page
    text = "\n".join(pages)
    assert "Đội chuyển địa bàn" in text and "Đội mới biên giới" in text
    assert "Kịch bản: Kịch bản: 1 đội mới + chuyển 2 đội" in text

    texts = slide_texts(out / "gia-lai-slides.pptx")
    assert any(t.startswith("Đội chuyển địa bàn") for t in texts)
    assert sum(t.startswith("Xã/phường biên giới:") for t in texts) == 7
    from pptx import Presentation

    slides = Presentation(str(out / "gia-lai-slides.pptx")).slides
    tables = [shape.table for slide in slides for shape in slide.shapes if shape.has_table]
    assert tables and max(len(table.rows) for table in tables) <= 8

    book = load_workbook(out / "gia-lai-tables.xlsx")
    assert {"Xã phường", "Danh sách đội", "Khác biệt kịch bản", "English"} <= set(book.sheetnames)
    kinds = [r[0] for r in book["Khác biệt kịch bản"].iter_rows(min_row=2, values_only=True)]
    assert kinds.count("Chuyển địa bàn") == 2 and kinds.count("Đội mới") == 1

    a4 = pdf_text(out / "gia-lai-map-a4.pdf")
    for border_name in border_communes(scenario.reset_index())["name"]:
        assert str(border_name) in a4, border_name


@pytest.mark.realdata
def test_reports_page_follows_province_and_scenario(scenario_store: tuple[Any, str]) -> None:
    """Files made for Gia Lai are not offered after switching to another province; a
    scenario chosen on the page is what the workbook shows."""
    import io

    from openpyxl import load_workbook
    from streamlit.testing.v1 import AppTest

    from coverage import settings as cfg

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("app_pages/reports.py").run()
    assert not at.exception, at.exception
    picker = at.selectbox(key=f"rep_scenario.{cfg.DEFAULT_PROVINCE_CODE}")
    picker.set_value("Kịch bản: 1 đội mới + chuyển 2 đội").run()
    at.multiselect(key="rep_formats").set_value(["xlsx"]).run()
    at.button(key="rep_make").click().run()
    assert not at.exception, at.exception
    assert any("Đã tạo 1 tệp" in s.value for s in at.success)
    files = at.session_state["rep_files"]["files"]
    book = load_workbook(io.BytesIO(files[0][1]))
    kinds = [r[0] for r in book["Khác biệt kịch bản"].iter_rows(min_row=2, values_only=True)]
    assert kinds.count("Đội mới") == 1
    from coverage.inputs import datasets

    other = next(
        p.code
        for p in datasets.list_provinces(cfg.load_settings())
        if p.code != cfg.DEFAULT_PROVINCE_CODE
    )
    at.selectbox(key="province").set_value(other).run()
    assert not at.exception, at.exception
    assert not any("Đã tạo" in s.value for s in at.success)


def test_html_map_of_a_scenario_marks_its_new_teams() -> None:
    communes = grid_communes([f"Xã {i}" for i in range(4)])
    teams = roster(communes)
    bundle = bundle_for(communes, teams=teams, scenario_teams=scenario_roster(teams, communes))
    html_text = map_html_document(bundle)
    start = html_text.index('"id": "site-1"')  # the new team is a marked point with its name
    tip = json.loads('"' + html_text[start:].split('"tip": "', 1)[1].split('"}', 1)[0] + '"')
    assert "Đội mới trong kịch bản: Đội mới biên giới" in tip


def test_short_reason_is_a_phrase() -> None:
    text = (
        "Thiếu năng lực: 3 đội (38 tình nguyện viên) trong tầm với cho 1.365 người cần hỗ trợ, "
        "chỉ đáp ứng 32,3% trong 26 tuần (ngưỡng 50%); vùng xa"
    )
    assert (
        short_reason(text, 68) == "Thiếu năng lực: 3 đội trong tầm với cho 1.365 người cần hỗ trợ…"
    )
    assert short_reason("giáp biên giới Campuchia (8,7 km)", 68) == "Giáp biên giới Campuchia"


@pytest.mark.realdata
def test_cli_report_into_an_unwritable_place_says_so(
    real_settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coverage.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["report", "--out", str(blocker / "out"), "--formats", "xlsx", "--new-teams", "0"])
    assert code == 1
    err = capsys.readouterr().err
    assert "không tệp nào được ghi" in err and str(blocker) in err


@pytest.mark.realdata
def test_real_maps_name_every_border_and_flagged_commune_without_overlap(
    real_settings: Any, gia_lai: Any
) -> None:
    """Gia Lai: all 7 border communes and every under-served or remote one are named on
    every page shape, and no two names (or a name and a site marker) overlap."""
    from coverage.planning import context_layer

    inputs, result = gia_lai
    bundle = ReportBundle(
        inputs=inputs, analysis=result, countries=context_layer(real_settings, "countries")
    )
    layers = map_layers(bundle)
    communes = result.communes
    flagged = communes[communes["is_border"] | communes["is_remote"] | communes["is_underserved"]]
    assert set(flagged["code"].astype(str)) <= set(layers.label_codes)
    assert int(communes["is_border"].sum()) == 7
    for layout in ("a4", "slide", "slide_map", "briefing"):
        labels = draw_report_map(bundle, layout=layout, layers=layers)._coverage_labels
        assert {label["code"] for label in labels} == set(layers.label_codes), layout
        assert not any(label["overlaps"] for label in labels), layout
        boxes = [label["bbox"] for label in labels]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), layout
