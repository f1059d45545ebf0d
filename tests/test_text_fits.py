"""Text under and around the static map, and the PDF page footer, stays inside the page.

Reported from a render of the Gia Lai briefing: the sources and attribution under the map
picture ran off the right edge once the credits grew (WorldPop, OpenStreetMap, Natural
Earth) or the province had a long name. These tests measure each line's width against its
frame (font metrics, not pixels) with credits and names longer than any real one.
"""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from coverage.outputs.reports.map_files import map_layers
from coverage.outputs.reports.pdf import FOOTER_PT, draw_page_footer, register_fonts
from coverage.outputs.staticmap.draw import draw_map
from coverage.outputs.staticmap.model import MapText, map_style
from tests.test_reports import make_bundle

LONG_PROVINCE = (
    "Thành phố Hồ Chí Minh và các xã, phường, đặc khu sau sắp xếp ngày 1 tháng 7 năm 2025"
)
CREDITS = (
    "Phân bố dân cư: WorldPop (www.worldpop.org), 2020, CC BY 4.0 · Đường: © những người "
    "đóng góp OpenStreetMap (www.openstreetmap.org/copyright), ODbL 1.0 · Các nước láng "
    "giềng: Natural Earth (www.naturalearthdata.com, phạm vi công cộng) · Chỉ số kết nối "
    "số: ƯỚC TÍNH MINH HOẠ (https://example.org/du-lieu/chi-so/"
    "indicators_ho_chi_minh_estimate_2026_phien_ban_cuoi_cung.csv)"
)


def _inside_figure(fig: Any) -> list[str]:
    """Return every text of ``fig`` that reaches outside the figure, with its extent."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    texts = list(fig.texts) + [text for ax in fig.axes for text in ax.texts]
    return [
        f"{text.get_text()[:50]!r}: {extent.x0:.0f}..{extent.x1:.0f} of {width:.0f} px"
        for text in texts
        if text.get_text() and text.get_visible()
        for extent in [text.get_window_extent(renderer)]
        if extent.x0 < 0 or extent.x1 > width
    ]


@pytest.mark.parametrize("layout", ["briefing", "a4", "slide"])
def test_map_title_sources_and_notice_wrap_inside_the_picture(layout: str) -> None:
    text = MapText(
        title=f"Mức đáp ứng nhu cầu của đội tình nguyện — {LONG_PROVINCE}",
        subtitle=f"{LONG_PROVINCE} · 168 xã/phường/đặc khu · ngày 05/12/2026",
        sources=f"Nguồn: ranh giới và dân số xã/phường sau sắp xếp ({LONG_PROVINCE}). {CREDITS}",
        notice="Lưu ý về dữ liệu: "
        + "DANH SÁCH ĐỘI LÀ DỮ LIỆU MẪU, KHÔNG PHẢI DANH SÁCH THẬT. " * 3,
    )
    with map_style():
        fig = draw_map(map_layers(make_bundle()), text=text, metric="coverage_ratio", layout=layout)
        outside = _inside_figure(fig)
    assert not outside, "text runs off the picture:\n" + "\n".join(outside)
    footer = max(fig.texts, key=lambda t: t.get_text().count("\n"))
    assert "www.naturalearthdata.com" in footer.get_text().replace("\n", " ")
    assert footer.get_text().count("\n") >= 2  # the credits wrapped, none was dropped


class _Recording(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """A canvas that records the lines drawn from the left margin."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: list[tuple[float, str]] = []

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (reportlab's name)
        self.lines.append((x, text))
        return super().drawString(x, y, text, *args, **kwargs)


@pytest.mark.parametrize("lang_date", ["Lập ngày 05/12/2026", "Prepared 05/12/2026"])
def test_pdf_page_footer_wraps_inside_the_margins(lang_date: str, tmp_path: Any) -> None:
    font, _ = register_fonts()
    footer = f"{lang_date} · Đội: dữ liệu MẪU · Chỉ số kết nối số: ƯỚC TÍNH MINH HOẠ · {CREDITS}"
    canvas = _Recording(str(tmp_path / "footer.pdf"), pagesize=A4)
    draw_page_footer(canvas, footer, "Trang 12", font=font)
    assert len(canvas.lines) >= 3
    right_edge = A4[0] - 15 * mm
    for x, line in canvas.lines:
        assert x + canvas.stringWidth(line, font, FOOTER_PT) <= right_edge, line
    drawn = " ".join(line for _, line in canvas.lines)
    assert "ODbL 1.0" in drawn and lang_date in drawn
