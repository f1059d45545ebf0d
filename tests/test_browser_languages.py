"""Suggestions with languages in headless Chromium: pick Jrai, lower the rate, read the reasons.

Runs against `streamlit run` with the network blocked (fixtures in conftest.py); the
screenshot goes to tests/artifacts/flow_suggestions_languages.png (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.test_browser_flows import MAP_FRAME, TIMEOUT_MS, go_to, idle, open_map

if TYPE_CHECKING:
    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


def test_suggest_jrai_teams_says_why(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Đề xuất bố trí")
    main = page.locator("[data-testid=stMain]")
    # The languages are the labelled estimate; the label comes with the page's later widgets,
    # so wait for it rather than read the page the moment its heading shows.
    main.get_by_text("ƯỚC TÍNH MINH HOẠ", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    languages = page.locator(".st-key-sugg_languages")
    jrai = page.get_by_role("option", name="Jrai").first
    for _ in range(3):  # a click during a rerun can land before the list opens: open it again
        languages.locator("input").first.click()
        try:
            jrai.wait_for(timeout=TIMEOUT_MS // 3)
            break
        except PlaywrightTimeout:
            idle(page)
    jrai.click()
    page.keyboard.press("Escape")
    idle(page)
    assert "Jrai" in languages.inner_text()
    page.locator(".st-key-sugg_run button").click()
    page.get_by_text("Kết quả tính").first.wait_for(timeout=TIMEOUT_MS)
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector(".gl-site", timeout=TIMEOUT_MS)
    idle(page)
    text = main.inner_text()
    assert "chọn cả vì" in text and "tiếng Jrai" in text  # a site chosen for its language
    assert "Đội mới nói được tiếng dân tộc" in text  # the sites table's language column
    page.get_by_text("Chọn cả vì", exact=False).first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "flow_suggestions_languages.png"), full_page=True)
    assert offline_page.errors == []
