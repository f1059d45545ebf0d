"""The national overview (Toàn quốc) in headless Chromium, network blocked.

Opens from the sidebar, draws and colours the 34 provinces, and a click on a province
opens that province's map page. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coverage.inputs.datasets import load_commune_table
from tests.conftest import FIND_COMMUNE_POINT
from tests.test_browser_flows import MAP_FRAME, TIMEOUT_MS, go_to, idle, open_map

if TYPE_CHECKING:
    from coverage import settings as cfg
    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

FILLS = """
() => Array.from(document.querySelectorAll('path.gl-commune'))
        .map(p => p.getAttribute('fill') || getComputedStyle(p).fill)
"""


def test_national_overview_colours_34_provinces_and_a_click_opens_one(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
    real_settings: cfg.Settings,
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Toàn quốc")
    page.get_by_text("4.821").first.wait_for(timeout=TIMEOUT_MS)  # the national sample's teams
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
    frame.wait_for_function(
        "() => document.querySelectorAll('path.gl-commune').length === 34", timeout=TIMEOUT_MS
    )
    frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('path.gl-commune'))"
        ".every(p => (p.getAttribute('fill') || '').startsWith('#'))",
        timeout=TIMEOUT_MS,
    )
    fills = frame.evaluate(FILLS)
    assert len(fills) == 34 and len(set(fills)) >= 3, fills  # coloured by need met, several classes
    page.screenshot(path=str(artifacts_dir / "national_overview.png"), full_page=True)

    point = frame.evaluate(FIND_COMMUNE_POINT)
    assert point is not None
    box = frame.frame_element().bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator(".leaflet-tooltip.gl-tip")
    tooltip.first.wait_for(state="visible", timeout=10_000)
    province = tooltip.first.inner_text().splitlines()[0].strip()
    assert province
    page.mouse.down()
    page.mouse.up()
    page.get_by_role("heading", name="Bản đồ tổng quan", exact=True).first.wait_for(
        timeout=TIMEOUT_MS
    )
    idle(page)
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
    # the province's own map: its name titles the legend, with every commune of it
    assert province in frame.locator(".gl-legend").first.inner_text()
    table = load_commune_table(real_settings)
    frame.wait_for_function(
        f"() => document.querySelectorAll('path.gl-commune').length === "
        f"{int((table['province'] == province).sum())}",
        timeout=TIMEOUT_MS,
    )
    page.screenshot(path=str(artifacts_dir / "national_opened_province.png"))
    assert offline_page.errors == []
