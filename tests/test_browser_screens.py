"""The Vietnamese screens in a real headless Chromium.

No Streamlit English, names as typed, the map reads first.

Against ``streamlit run app.py`` (fixtures in conftest.py), network blocked. Screenshots
go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coverage.outputs.maps.scales import TOOLTIP_MAX_PX
from coverage.text.screens import ENGLISH_DEFAULTS
from tests.conftest import FIND_COMMUNE_POINT

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000
MAP_FRAME = 'iframe[title*="st_folium"]'
PAGES = (
    "Chi tiết xã/phường",
    "Đội hình",
    "Đề xuất bố trí",
    "Kịch bản",
    "Dữ liệu",
    "Báo cáo",
    "Bản đồ tổng quan",
)


def idle(page: Page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && document.querySelectorAll('[data-stale=true]').length === 0",
        timeout=TIMEOUT_MS,
    )


def open_map(page: Page, url: str) -> Frame:
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
    idle(page)
    return frame


def go_to(page: Page, title: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    heading = page.get_by_role("heading", name=title, exact=True).first
    for _ in range(3):
        page.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first.click()
        try:
            heading.wait_for(timeout=TIMEOUT_MS // 3)
            break
        except PlaywrightTimeout:
            continue
    heading.wait_for(timeout=TIMEOUT_MS)
    idle(page)


def english_left(page: Page) -> list[str]:
    text = page.locator("body").inner_text()
    return [english for english in ENGLISH_DEFAULTS if english in text]


def pick(page: Page, key: str, typed: str) -> list[str]:
    """Type into the picker ``key`` and return the options it offers (the list stays open)."""
    page.locator(f".st-key-{key} [role=combobox]").click()
    page.keyboard.type(typed)
    page.wait_for_timeout(300)
    return [option.inner_text() for option in page.get_by_role("option").all()]


def test_vietnamese_pages_have_no_streamlit_english(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    # A picker with nothing found, a text box being typed in: Streamlit's own words, in Vietnamese.
    assert pick(page, "province", "dak lak") == ["Đắk Lắk (Dak Lak)"]
    page.keyboard.type("zzz")
    page.get_by_text("Không có kết quả phù hợp").first.wait_for(timeout=10_000)
    assert english_left(page) == []
    page.keyboard.press("Escape")
    page.locator(".st-key-map_search input").fill("ia")
    page.get_by_text("Nhấn Enter để áp dụng").first.wait_for(timeout=10_000)
    assert english_left(page) == []
    page.locator(".st-key-map_search input").fill("")
    page.locator(".st-key-map_search input").press("Enter")
    idle(page)
    for title in PAGES:
        go_to(page, title)
        page.wait_for_timeout(500)
        assert english_left(page) == [], title
        if title == "Dữ liệu":
            page.get_by_text("Chọn tệp").first.wait_for(timeout=10_000)
            page.get_by_text("Tối đa 50MB mỗi tệp").first.wait_for(timeout=10_000)
            page.screenshot(path=str(artifacts_dir / "screens_data_vi.png"))
    assert offline_page.errors == []


def test_map_reads_first_and_cu_mgar_keeps_its_apostrophe(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
) -> None:
    page = offline_page.page
    frame = open_map(page, streamlit_server.url)
    # Coverage first; the border outline is drawn over the under-served one.
    legend = frame.locator(".gl-legend").inner_text()
    assert "Mức đáp ứng" in legend and "Chỉ số số hoá" not in legend
    order = frame.evaluate("""() => {
        const paths = Array.from(document.querySelectorAll('path'));
        const last = (c) => paths.map((p, i) => p.classList.contains(c) ? i : -1)
            .reduce((a, b) => Math.max(a, b), -1);
        const first = (c) => paths.findIndex((p) => p.classList.contains(c));
        return {under: last('gl-flag-underserved'), border: first('gl-flag-border')};
    }""")
    assert 0 <= order["under"] < order["border"], order
    # A flagged commune's tooltip keeps to its width and shows every reason.
    point = frame.evaluate(FIND_COMMUNE_POINT)
    box = frame.frame_element().bounding_box()
    assert point is not None and box is not None
    widest = 0.0
    for dx in (0.12, 0.2, 0.3, 0.45):
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * 0.55)
        page.wait_for_timeout(200)
        tips = frame.locator(".leaflet-tooltip.gl-tip")
        if tips.count() and tips.first.is_visible():
            page.mouse.move(box["x"] + box["width"] * dx + 2, box["y"] + box["height"] * 0.55)
            page.wait_for_timeout(200)
            size = tips.first.evaluate(
                "t => ({w: t.getBoundingClientRect().width, sw: t.scrollWidth, cw: t.clientWidth,"
                " left: t.getBoundingClientRect().left, right: t.getBoundingClientRect().right,"
                " room: window.innerWidth})"
            )
            widest = max(widest, size["w"])
            assert size["w"] <= TOOLTIP_MAX_PX + 30 and size["sw"] <= size["cw"] + 1, size
            assert size["left"] >= -1 and size["right"] <= size["room"] + 1, size  # inside the map
    assert widest > 0
    frame.locator(".leaflet-container").first.screenshot(
        path=str(artifacts_dir / "screens_map_vi.png")
    )

    # Đắk Lắk: Cư M'gar found without diacritics, shown with its apostrophe.
    assert pick(page, "province", "Dak Lak") == ["Đắk Lắk (Dak Lak)"]
    page.keyboard.press("Enter")
    idle(page)
    go_to(page, "Chi tiết xã/phường")
    options = pick(page, "detail_commune", "cu m'gar")
    assert options and options[0].startswith("Xã Cư M'gar")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Xã Cư M'gar").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    body = page.locator("body").inner_text()
    assert "&#x27;" not in body and "&amp;" not in body and "M\\'" not in body
    assert "Ngôn ngữ của các đội trong tầm" in body and "mỗi đội chia thời gian" in body
    page.screenshot(path=str(artifacts_dir / "screens_cu_mgar.png"), full_page=True)
    assert offline_page.errors == []
