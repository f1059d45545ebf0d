"""Meeting outputs: briefing PDF, A4/A3 maps, PNG, slides and the offline HTML map.

Most tests use three hand-made communes (``tests.synthetic``) with analysis columns
written out here, so every figure is checkable by hand; the ``realdata`` tests run the
whole command line on Gia Lai; the ``browser`` test opens the HTML map in headless
Chromium with every non-file request aborted.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from coverage.analysis.headline import headline_from
from coverage.inputs.datasets import Province
from coverage.outputs import bundle as report_bundle
from coverage.outputs.reports.briefing import write_briefing_pdf
from coverage.outputs.reports.content import (
    ReportBundle,
    compare_scenario,
    priority_communes,
)
from coverage.outputs.reports.map_files import map_html_document, write_map_pdf, write_map_png
from coverage.outputs.reports.rows import comparison_rows, headline_rows
from coverage.outputs.reports.slides import write_slides
from coverage.planning import Inputs
from coverage.text.i18n import t
from tests.synthetic import three_communes

A4_LANDSCAPE_PT = (841.89, 595.28)
A3_LANDSCAPE_PT = (1190.55, 841.89)
A4_PORTRAIT_PT = (595.28, 841.89)
HOSTILE = '<img src=x onerror="alert(1)">'


@dataclass(frozen=True)
class FakeAnalysis:
    """Stands in for coverage.analysis.analyze.AnalysisResult (only what reports read)."""

    communes: gpd.GeoDataFrame
    crs: Any = None


@dataclass(frozen=True)
class FakePlan:
    """Stands in for coverage.optimize.plan.PlanResult (only what reports read)."""

    sites: pd.DataFrame
    status: str = "optimal"
    status_vi: str = "tối ưu đã được chứng minh"
    status_en: str = "proven optimal"


def analysed_communes() -> gpd.GeoDataFrame:
    """Three communes with the analysis contract's columns, values chosen by hand."""
    communes = three_communes()
    communes["full_name"] = ["Xã Ia Mơ", "Xã Đak Pơ", "Phường Ia Zero"]
    communes["province"] = "Gia Lai"
    communes["density_per_km2"] = communes["population"] / communes["area_km2"]
    communes["need"] = [1000.0, 2000.0, 1000.0]
    communes["coverage_ratio"] = [0.2, 0.4, 1.5]
    communes["capacity"] = communes["need"] * communes["coverage_ratio"] / 26
    communes["teams_in_reach"] = [1, 1, 0]
    communes["is_border"] = [True, False, False]
    communes["is_remote"] = [True, True, False]
    communes["is_underserved"] = [True, True, False]
    communes["reasons_vi"] = [
        "Xa trung tâm; thiếu năng lực: đáp ứng 20%",
        "Thiếu năng lực: đáp ứng 40%",
        "",
    ]
    communes["reasons_en"] = ["Far from the centre; capacity meets 20%", "Capacity meets 40%", ""]
    return communes


def teams_frame(name: str = "Đội Ia Mơ") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team_id": ["T1", "T2"],
            "team_name": [name, "Đội Đak Pơ"],
            "commune_code": ["23938", "23995"],
            "latitude": [14.05, 14.05],
            "longitude": [108.05, 108.15],
            "members": [15, 12],
            "mode": ["mobile", "fixed"],
            "weekly_hours": [4.0, 5.0],
        }
    )


def sites_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune_code": ["23995"],
            "commune_name": ["Đak Pơ"],
            "lon": [108.16],
            "lat": [14.06],
            "need_served": [1234.0],
            "newly_reached": [["23995", "00001"]],
            "is_border": [False],
            "is_remote": [True],
            "reason_vi": ["Phục vụ thêm 1.234 người; phủ mới Ia Zero"],
            "reason_en": ["Serves 1,234 more people; newly reaches Ia Zero"],
            "alternative_vi": ["Đặt ở Ia Mơ kém 5%"],
            "alternative_en": ["Ia Mơ is 5% worse"],
        }
    )


def make_bundle(
    *, team_name: str = "Đội Ia Mơ", with_plan: bool = True, with_comparison: bool = True
) -> ReportBundle:
    communes = analysed_communes()
    teams = teams_frame(team_name)
    inputs = Inputs(
        province=Province("52", "Gia Lai"),
        communes=three_communes(),
        teams=teams,
        indicators=pd.DataFrame({"commune_code": communes["code"]}),
        teams_is_sample=True,
        indicators_is_estimate=True,
        teams_source="sample.csv",
        indicators_source="estimate.csv",
    )
    comparison = None
    if with_comparison:
        after = communes.copy()
        after["coverage_ratio"] = [0.6, 0.4, 1.5]
        after["is_underserved"] = [False, True, False]
        comparison = compare_scenario(
            communes,
            after,
            name="Thêm đội <hè>",
            teams_before=teams,
            teams_after=pd.concat([teams, teams.head(1)]),
        )
    return ReportBundle(
        inputs=inputs,
        analysis=FakeAnalysis(communes),
        plan=FakePlan(sites_frame()) if with_plan else None,
        comparison=comparison,
        generated_on=dt.date(2026, 11, 22),
    )


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(str(path)).pages]


def embedded_fonts(path: Path) -> set[str]:
    """Base names of fonts whose program is embedded in the PDF."""
    from pypdf import PdfReader

    found: set[str] = set()
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile2", "/FontFile3", "/FontFile")
            ):
                found.add(str(font["/BaseFont"]).split("+")[-1])
    return found


def slide_texts(path: Path) -> list[str]:
    """All text of each slide: text boxes and table cells."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        out.append("\n".join(parts))
    return out


def close_to(size: tuple[float, float], expected: tuple[float, float], tol: float = 1.5) -> bool:
    return abs(size[0] - expected[0]) <= tol and abs(size[1] - expected[1]) <= tol


# ------------------------------------------------------------------ figures by hand


def test_headline_figures_are_hand_checkable() -> None:
    h = headline_from(analysed_communes(), teams_frame())
    assert (h.communes, h.population, h.teams, h.volunteers) == (3, 47000, 2, 27)
    assert h.need == 4000.0
    # need met: 1000*0.2 + 2000*0.4 + 1000*min(1.5, 1) = 2000 of 4000
    assert h.need_met_share == pytest.approx(0.5)
    # population in communes with a team in reach: 12000 + 30000 of 47000
    assert h.population_in_reach_share == pytest.approx(42000 / 47000)
    assert (h.underserved, h.priority) == (2, 2)


def test_headline_rows_use_vietnamese_number_format() -> None:
    rows = dict(headline_rows(headline_from(analysed_communes(), teams_frame()), "vi"))
    assert rows["Dân số"] == "47.000"
    assert rows["Nhu cầu được đáp ứng"] == "50,0%"
    english = dict(headline_rows(headline_from(analysed_communes(), teams_frame()), "en"))
    assert english["Population"] == "47,000"


def test_priority_communes_are_flagged_ones_lowest_coverage_first() -> None:
    priority = priority_communes(analysed_communes())
    assert list(priority["name"]) == ["Ia Mơ", "Đak Pơ"]


def test_priority_communes_empty_without_flags() -> None:
    assert priority_communes(three_communes()).empty


def test_scenario_comparison_rows() -> None:
    comparison = make_bundle().comparison
    assert comparison is not None
    rows = {r[0]: r[1:] for r in comparison_rows(comparison, "vi")}
    assert rows["Đội tình nguyện"] == ("2", "3", "+1")
    assert rows["Xã/phường thiếu hỗ trợ"] == ("2", "1", "−1")
    # need met: before 2000/4000; after 600 + 800 + 1000 = 2400/4000
    assert rows["Nhu cầu được đáp ứng"] == ("50,0%", "60,0%", "+10,0 điểm %")
    assert list(comparison.changes["name"]) == ["Ia Mơ"]


# ------------------------------------------------------------------------ documents


def test_briefing_pdf_has_vietnamese_text_and_embedded_font(tmp_path: Path) -> None:
    path = write_briefing_pdf(make_bundle(), tmp_path / "briefing.pdf")
    text = pdf_text(path)
    for expected in (
        "Ia Mơ",
        "Đak Pơ",
        "Báo cáo tóm tắt",
        "Số liệu chính",
        "47.000",
        "50,0%",
        "MẪU",
        "ƯỚC TÍNH MINH HOẠ",
        "tối ưu đã được chứng minh",
        "Phục vụ thêm 1.234 người",
        "Thêm đội <hè>",
        "sapnhap.bando.com.vn",
        "Natural Earth",
        "22/11/2026",
        "Xã/phường thiếu hỗ trợ",
        "vùng sâu, vùng xa thiếu hỗ trợ",
    ):
        assert expected in text, expected
    assert all(close_to(size, A4_PORTRAIT_PT) for size in page_sizes(path))
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= embedded_fonts(path)


def test_briefing_pdf_in_english(tmp_path: Path) -> None:
    path = write_briefing_pdf(make_bundle(), tmp_path / "briefing.pdf", lang="en")
    text = pdf_text(path)
    for expected in (
        "Key figures",
        "Under-served border and remote communes",
        "Proposed new teams",
        "proven optimal",
        "47,000",
        "SAMPLE",
        "ILLUSTRATIVE ESTIMATE",
        "Ia Mơ",
    ):
        assert expected in text, expected


def test_briefing_without_analysis_or_plan(tmp_path: Path) -> None:
    bundle = ReportBundle(inputs=make_bundle().inputs, generated_on=dt.date(2026, 11, 22))
    assert bundle.metric == "density_per_km2"
    text = pdf_text(write_briefing_pdf(bundle, tmp_path / "b.pdf"))
    assert "Chưa có phương án bố trí đội mới" in text
    assert "Ia Mơ" in text  # the appendix lists every commune


@pytest.mark.parametrize(("paper", "expected"), [("a4", A4_LANDSCAPE_PT), ("a3", A3_LANDSCAPE_PT)])
def test_map_pdf_is_landscape_page_with_labels(
    tmp_path: Path, paper: str, expected: tuple[float, float]
) -> None:
    path = write_map_pdf(make_bundle(), tmp_path / f"map-{paper}.pdf", paper=paper)  # type: ignore[arg-type]
    assert page_sizes(path) == [pytest.approx(expected, abs=1.5)]
    text = pdf_text(path)
    for expected_text in (
        "Mức đáp ứng",
        "Ia Mơ",
        "Đak Pơ",
        "MẪU",
        "ƯỚC TÍNH MINH HOẠ",
        "sapnhap.bando.com.vn",
        "22/11/2026",
        "km",
        t("staticmap.legend.underserved", "vi"),
        "Đề xuất đặt đội mới",
    ):
        assert expected_text in text, expected_text
    assert "DejaVuSans" in embedded_fonts(path)


def test_png_map_is_wide_enough_for_slides(tmp_path: Path) -> None:
    from PIL import Image

    path = write_map_png(make_bundle(), tmp_path / "map.png")
    with Image.open(path) as image:
        width, height = image.size
        pixels = np.asarray(image.convert("L"))
    assert width >= 1920 and height >= 1080
    assert pixels.std() > 10  # not a blank canvas


def test_slides_have_editable_text_tables_and_one_picture(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    path = write_slides(make_bundle(), tmp_path / "slides.pptx")
    texts = slide_texts(path)
    joined = "\n".join(texts)
    for expected in (
        "Ia Mơ",
        "Đak Pơ",
        "Số liệu chính",
        "47.000",
        "tối ưu đã được chứng minh",
        "Thêm đội <hè>",
        "MẪU",
        "ƯỚC TÍNH MINH HOẠ",
        "sapnhap.bando.com.vn",
        "thiếu hỗ trợ",
    ):
        assert expected in joined, expected
    deck = Presentation(str(path))
    pictures = [
        s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    # the map and one inset per border commune (Ia Mơ); everything else is text
    assert len(pictures) == 1 + int(analysed_communes()["is_border"].sum())
    assert len(tables) >= 3  # priority communes, plan, before/after
    assert deck.slide_width > deck.slide_height  # 16:9


def test_slides_in_english(tmp_path: Path) -> None:
    joined = "\n".join(slide_texts(write_slides(make_bundle(), tmp_path / "s.pptx", lang="en")))
    for expected in (
        "Key figures",
        "Proposed new teams",
        "proven optimal",
        "SAMPLE",
        "Before and after",
    ):
        assert expected in joined, expected


def test_html_map_escapes_user_text(tmp_path: Path) -> None:
    bundle = make_bundle(team_name=HOSTILE)
    document = map_html_document(bundle)
    assert HOSTILE not in document
    assert "<script src=" not in document  # Leaflet is inlined, nothing to fetch
    assert re.search(r"<title>[^<]*</title>", document)


def test_uploaded_indicators_are_named_with_their_date_and_gaps(tmp_path: Path) -> None:
    import dataclasses

    bundle = make_bundle(with_plan=False, with_comparison=False)
    inputs = dataclasses.replace(
        bundle.inputs,
        indicators_is_estimate=False,
        indicators_source="chiso.csv",
        indicators_saved_at="2026-11-23T18:30:00+00:00",
        indicators_missing=("00001",),
    )
    path = write_slides(dataclasses.replace(bundle, inputs=inputs), tmp_path / "s.pptx")
    joined = "\n".join(slide_texts(path))
    assert (
        "Chỉ số kết nối số: tệp chiso.csv, nạp ngày 24/11/2026; 1 xã/phường không có trong tệp "
        "dùng ƯỚC TÍNH" in joined
    )
    assert (
        "1 xã/phường không có trong tệp chỉ số kết nối số; các xã/phường này dùng ƯỚC TÍNH MINH HOẠ"
        in joined
    )
    full = dataclasses.replace(inputs, indicators_missing=())
    path = write_slides(dataclasses.replace(bundle, inputs=full), tmp_path / "en.pptx", lang="en")
    joined = "\n".join(slide_texts(path))
    assert "Connectivity indicators: file chiso.csv, uploaded 24/11/2026." in joined
    assert "ILLUSTRATIVE ESTIMATE" not in joined


def test_write_report_writes_every_format(tmp_path: Path) -> None:
    written = report_bundle.write_report(make_bundle(), tmp_path / "out")
    names = [p.name for p in written]
    assert names == [
        "gia-lai-map.html",
        "gia-lai-map.png",
        "gia-lai-map-a4.pdf",
        "gia-lai-map-a3.pdf",
        "gia-lai-briefing.pdf",
        "gia-lai-teams.pdf",
        "gia-lai-slides.pptx",
        "gia-lai-tables.xlsx",
    ]
    assert all(p.stat().st_size > 0 for p in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        names
    )  # no staging folder left
    for office_file in written[-2:]:
        with zipfile.ZipFile(office_file) as archive:
            assert archive.testzip() is None


def test_write_report_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        report_bundle.write_report(make_bundle(), tmp_path, formats=("docx",))  # type: ignore[arg-type]


def test_cli_rejects_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coverage.cli import main

    assert main(["report", "--out", str(tmp_path), "--formats", "png,docx"]) == 2
    assert "docx" in capsys.readouterr().err


# ------------------------------------------------------------------ offline browser


def _offline_screenshot(browser: Any, html_path: Path) -> tuple[bytes, int, list[str]]:
    """Open ``html_path`` with every non-file request aborted; return a screenshot, the
    number of drawn commune paths and the blocked URLs."""
    context = browser.new_context(viewport={"width": 1200, "height": 800}, service_workers="block")
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(html_path.as_uri())
        page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 0")
        paths = int(page.evaluate("document.querySelectorAll('path.leaflet-interactive').length"))
        shot = page.screenshot(full_page=False)
    finally:
        context.close()
    return shot, paths, blocked


def _is_not_blank(png: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        grey = np.asarray(image.convert("L"), dtype=float)
    return bool(grey.std() > 8 and len(np.unique(grey)) > 16)


@pytest.mark.browser
def test_html_map_draws_offline_in_chromium(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "map.html"
    path.write_text(map_html_document(make_bundle(team_name=HOSTILE)), encoding="utf-8")
    shot, paths, blocked = _offline_screenshot(browser, path)
    assert paths >= 3  # the three communes (plus outlines)
    assert blocked == []
    assert _is_not_blank(shot)


# -------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_report(real_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run ``python -m coverage report`` once on Gia Lai (sample roster, estimate), with a
    quick (greedy) plan of three new teams."""
    from coverage.cli import main

    out = tmp_path_factory.mktemp("report")
    assert (
        main(
            [
                "report",
                "--out",
                str(out),
                "--date",
                "2026-11-22",
                "--new-teams",
                "3",
                "--method",
                "greedy",
            ]
        )
        == 0
    )
    return out


@pytest.mark.realdata
def test_real_report_files(real_report: Path) -> None:
    from PIL import Image

    names = sorted(p.name for p in real_report.iterdir())
    assert names == sorted(
        [
            "gia-lai-map.html",
            "gia-lai-map.png",
            "gia-lai-map-a4.pdf",
            "gia-lai-map-a3.pdf",
            "gia-lai-briefing.pdf",
            "gia-lai-teams.pdf",
            "gia-lai-slides.pptx",
            "gia-lai-tables.xlsx",
        ]
    )
    with Image.open(real_report / "gia-lai-map.png") as image:
        assert image.size[0] >= 1920
    assert page_sizes(real_report / "gia-lai-map-a4.pdf") == [
        pytest.approx(A4_LANDSCAPE_PT, abs=1.5)
    ]
    assert page_sizes(real_report / "gia-lai-map-a3.pdf") == [
        pytest.approx(A3_LANDSCAPE_PT, abs=1.5)
    ]


@pytest.mark.realdata
def test_real_briefing_names_and_numbers(real_report: Path, gia_lai: Any) -> None:
    text = pdf_text(real_report / "gia-lai-briefing.pdf")
    for expected in (
        "Ia Mơ",
        "Đak Pơ",
        "Đak Sơmei",
        "Tỉnh Gia Lai",
        "3.583.691",
        "135",
        "MẪU",
        "ƯỚC TÍNH MINH HOẠ",
        "22/11/2026",
        "Đề xuất bố trí đội mới",
        "Chất lượng lời giải",
        "3 vị trí đề xuất",
    ):
        assert expected in text, expected
    priority = priority_communes(gia_lai.analysis.communes)
    assert not priority.empty
    slides = "\n".join(slide_texts(real_report / "gia-lai-slides.pptx"))
    for name in priority["name"]:
        assert str(name) in text
        assert str(name) in slides
    assert "3.583.691" in slides


@pytest.mark.realdata
@pytest.mark.browser
def test_real_html_map_draws_offline(real_report: Path, browser: Any) -> None:
    shot, paths, blocked = _offline_screenshot(browser, real_report / "gia-lai-map.html")
    assert paths >= 135
    assert blocked == []
    assert _is_not_blank(shot)
