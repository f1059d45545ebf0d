"""Planner flows in headless Chromium against `streamlit run`, network blocked.

The server runs on a temporary data folder (links to the real inputs, its own SQLite
store), so the real store is never written. Waits are on /_stcore/health and on
selectors, never fixed sleeps. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coverage import settings as cfg
from coverage.storage.store import open_store
from tests.conftest import FIND_COMMUNE_POINT

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


TIMEOUT_MS = 90_000
HOSTILE = "<img src=x onerror=alert(1)>"
MAP_FRAME = 'iframe[title*="st_folium"]'


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && document.querySelectorAll('[data-stale=true]').length === 0",
        timeout=TIMEOUT_MS,
    )


def click_only(page: Page, selector: str) -> None:
    """Click the element ``selector`` names once a rerun has left only one of it.

    While Streamlit redraws a page after a save, the old form can still be in the page
    beside the new one for a moment; clicking then would be ambiguous. A redraw can also
    start between the wait and the click (the button is detached, then found twice), so
    the click is tried again until one lands or the time is up.
    """
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        page.wait_for_function(
            "s => document.querySelectorAll(s).length === 1", arg=selector, timeout=TIMEOUT_MS
        )
        try:
            page.locator(selector).click(timeout=5_000)
            return
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise


def open_map(page: Page, url: str) -> Frame:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(url, wait_until="domcontentloaded")
    iframe = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
    assert iframe is not None
    frame = iframe.content_frame()
    assert frame is not None
    frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
    idle(page)
    return frame


def hover_commune(page: Page, frame: Frame) -> str:
    point = frame.evaluate(FIND_COMMUNE_POINT)
    assert point is not None
    box = frame.frame_element().bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator(".leaflet-tooltip.gl-tip")
    tooltip.first.wait_for(state="visible", timeout=10_000)
    return tooltip.first.inner_text()


def go_to(page: Page, title: str) -> None:
    """Open a page from the sidebar (clicked again if a rerun swallowed the first click)."""
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


def test_open_hover_click_and_filter(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    page = offline_page.page
    frame = open_map(page, streamlit_server.url)
    page.get_by_text("3.583.691").first.wait_for()
    assert page.get_by_text("MẪU").count() > 0
    assert frame.locator("path.gl-commune").count() == 135
    page.screenshot(path=str(artifacts_dir / "flow_map.png"))

    text = hover_commune(page, frame)
    assert "Dân số" in text
    title = text.splitlines()[0].strip()
    page.mouse.down()
    page.mouse.up()
    page.get_by_role("heading", name=title).first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Vì sao được đánh dấu").first.wait_for()
    page.get_by_text("Hình thành từ các đơn vị trước sáp nhập").first.wait_for()
    frame = page.wait_for_selector(MAP_FRAME).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector("path.gl-selected", timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / "flow_selected.png"))

    page.locator(".st-key-map_only_border label").first.click()
    page.get_by_text("Đang hiện 7/135").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    page.locator(".st-key-map_search input").fill("ia mo")
    page.locator(".st-key-map_search input").press("Enter")
    page.locator(".st-key-map_search_pick").wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / "flow_filtered.png"))
    assert offline_page.errors == []


def test_edit_roster_hostile_name_and_bad_value(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Đội hình")
    page.locator(".st-key-teams_add_name_0 input").fill(HOSTILE)
    page.locator(".st-key-teams_add_submit button").click()
    save = page.locator(".st-key-teams_preview_save button")  # every change is previewed first
    save.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    save.click()
    page.get_by_text("Đã lưu thành phiên bản 1").wait_for(timeout=TIMEOUT_MS)
    idle(page)
    saved = open_store(
        cfg.Settings(data_dir=streamlit_server.data_dir, shared_data_dir=streamlit_server.data_dir)
    ).load_roster("52")
    assert saved is not None and HOSTILE in saved.teams["team_name"].tolist()

    lon = page.locator(".st-key-teams_edit_lon_GL-001_1 input")
    lon.fill("abc")
    page.locator(".st-key-teams_edit_lat_GL-001_1 input").fill("10")
    click_only(page, ".st-key-teams_edit_submit button")
    page.get_by_text("CHƯA được lưu").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    page.screenshot(path=str(artifacts_dir / "flow_teams_invalid.png"))
    assert lon.input_value() == "abc"
    assert offline_page.dialogs == [], "a script in a team name ran"
    assert page.locator("img[src=x]").count() == 0
    assert offline_page.errors == []


def test_suggest_then_english(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Đề xuất bố trí")
    page.locator(".st-key-sugg_run button").click()
    page.get_by_text("Kết quả tính").first.wait_for(timeout=TIMEOUT_MS)
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector(".gl-site", timeout=TIMEOUT_MS)
    assert frame.locator(".gl-site").count() == 3
    idle(page)
    page.screenshot(path=str(artifacts_dir / "flow_suggestions.png"))
    page.locator(".st-key-sugg_accept button").click()
    page.get_by_text("Đã lưu kịch bản").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)

    page.locator(".st-key-lang label").filter(has_text="English").click()
    page.get_by_role("heading", name="Suggestions").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    go_to(page, "Scenarios")
    page.get_by_text("Compare two plans").first.wait_for(timeout=TIMEOUT_MS)
    page.locator(MAP_FRAME).first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    page.screenshot(path=str(artifacts_dir / "flow_scenarios_en.png"))
    assert offline_page.errors == []


def test_resite_plan_lists_its_moves(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Đề xuất bố trí")
    count = page.locator(".st-key-sugg_count input")
    count.fill("5")
    count.press("Enter")
    idle(page)
    page.get_by_text("Tuỳ chọn nâng cao").first.click()
    resite = page.locator(".st-key-sugg_resite input")
    resite.wait_for(timeout=TIMEOUT_MS)
    resite.fill("2")
    resite.press("Enter")
    idle(page)
    page.locator(".st-key-sugg_run button").click()
    page.get_by_text("Các đội được chuyển").first.wait_for(timeout=3 * TIMEOUT_MS)
    idle(page)
    page.get_by_text("Các đội được chuyển").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "flow_suggestions_resite.png"), full_page=True)
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "Phương án không chuyển đội hiện có nào" not in text
    assert text.count("→") >= 1
    assert "Bảo đảm: không lần chuyển đội nào" in text
    assert "KHÔNG còn đội nào trong tầm" not in text  # no commune left unreached
    assert "điểm %" in text
    assert offline_page.errors == []
