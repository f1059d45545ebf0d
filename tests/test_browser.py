"""The map in a real headless Chromium with the network blocked.

Runs against `streamlit run app.py` (see the fixtures in conftest.py) and against the
exported HTML file. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from coverage.outputs.maps.build import build_map
from coverage.outputs.maps.export import map_html
from coverage.planning import analyze, load_inputs
from tests.conftest import FIND_COMMUNE_POINT

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

    from coverage import settings as cfg
    from tests.conftest import OfflinePage, StreamlitServer


pytestmark = pytest.mark.browser

MAP_TIMEOUT_MS = 90_000


def _hover_commune(page: Page, frame: Frame) -> str:
    """Hover a commune polygon in ``frame`` and return its tooltip text.

    The mouse stays there, so a test can ``page.mouse.down()``/``up()`` to click it.
    """
    point = frame.evaluate(FIND_COMMUNE_POINT)
    assert point is not None, "no commune polygon is exposed to the pointer"
    left = top = 0.0
    if frame is not page.main_frame:
        box = frame.frame_element().bounding_box()
        assert box is not None
        left, top = box["x"], box["y"]
    page.mouse.move(left + point["x"], top + point["y"])
    tooltip = frame.locator(".leaflet-tooltip.gl-tip")
    tooltip.first.wait_for(state="visible", timeout=10_000)
    return tooltip.first.inner_text()


def test_app_map_draws_offline_and_shows_tooltips(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
    real_settings: cfg.Settings,
) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.goto(streamlit_server.url, wait_until="domcontentloaded")
    iframe = page.wait_for_selector('iframe[title*="st_folium"]', timeout=MAP_TIMEOUT_MS)
    assert iframe is not None
    frame = iframe.content_frame()
    assert frame is not None
    frame.wait_for_selector(".leaflet-container path.gl-commune", timeout=MAP_TIMEOUT_MS)
    communes = load_inputs(real_settings).communes
    assert frame.locator("path.gl-commune").count() == len(communes) == 135
    sample_teams = len(pd.read_csv(real_settings.sample_roster_path, dtype=str))
    assert frame.locator("path.gl-team").count() == len(load_inputs(real_settings).teams)
    assert len(load_inputs(real_settings).teams) == sample_teams
    assert frame.locator(".gl-legend").count() == 1
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    # communes with a language gap are hatched with the page's own pattern (no request)
    gaps = int(
        analyze(load_inputs(real_settings), settings=real_settings)
        .communes["is_language_gap"]
        .sum()
    )
    assert gaps > 0 and frame.locator("path.gl-flag-language-gap").count() == gaps
    assert frame.locator("pattern#gl-hatch-language").count() == 1
    page.get_by_text("3.583.691").first.wait_for(timeout=MAP_TIMEOUT_MS)

    text = _hover_commune(page, frame)
    assert "Dân số" in text and "Diện tích" in text
    assert any(name in text for name in communes["full_name"]), text
    page.screenshot(path=str(artifacts_dir / "app_offline.png"))
    iframe.screenshot(path=str(artifacts_dir / "app_map_offline.png"))

    # A click selects the commune under the pointer: its detail and outline appear
    # without rebuilding the map.
    title = text.splitlines()[0].strip()
    page.mouse.down()
    page.mouse.up()
    page.get_by_role("heading", name=title).first.wait_for(timeout=MAP_TIMEOUT_MS)
    page.get_by_text("Các đội hỗ trợ được xã/phường này", exact=True).wait_for(
        timeout=MAP_TIMEOUT_MS
    )
    frame = page.wait_for_selector(
        'iframe[title*="st_folium"]', timeout=MAP_TIMEOUT_MS
    ).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    frame.wait_for_selector("path.gl-selected", timeout=MAP_TIMEOUT_MS)
    assert frame.locator("path.gl-commune").count() == 135
    page.screenshot(path=str(artifacts_dir / "app_selected.png"), full_page=True)

    map_requests = [
        url
        for url in offline_page.blocked
        if "leaflet" in url or "jquery" in url or "bootstrap" in url
    ]
    assert map_requests == [], f"the map tried to fetch assets from the internet: {map_requests}"
    assert offline_page.errors == [], offline_page.errors


def test_exported_html_draws_offline(
    offline_page: OfflinePage, tmp_path: Path, artifacts_dir: Path, real_settings: cfg.Settings
) -> None:
    inputs = load_inputs(real_settings)
    fmap = build_map(inputs.communes, inputs.teams, title="Gia Lai", teams_is_sample=True)
    path = tmp_path / "map.html"
    path.write_text(map_html(fmap), encoding="utf-8")
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("path.gl-commune", timeout=30_000)
    assert page.locator("path.gl-commune").count() == 135
    assert page.locator("path.gl-province").count() == 1
    assert page.locator(".gl-legend").inner_text().startswith("Gia Lai")
    text = _hover_commune(page, page.main_frame)
    assert "Dân số" in text
    page.screenshot(path=str(artifacts_dir / "export_offline.png"))
    assert offline_page.blocked == [], offline_page.blocked
    assert offline_page.errors == [], offline_page.errors


def test_hostile_names_show_as_text_in_the_browser(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    from tests.test_maps import HOSTILE, tiny_communes

    communes = tiny_communes()
    communes.loc[0, "full_name"] = HOSTILE
    communes.loc[0, "name"] = HOSTILE
    teams = pd.DataFrame(
        {
            "team_id": ["T1"],
            "team_name": [HOSTILE],
            "commune_code": ["00001"],
            "latitude": [13.05],
            "longitude": [108.05],
            "members": [10],
            "mode": ["fixed"],
            "weekly_hours": [4.0],
        }
    )
    path = tmp_path / "hostile.html"
    path.write_text(map_html(build_map(communes, teams)), encoding="utf-8")
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("path.gl-team")
    # Zoom in until the long name fits its commune and its label is drawn.
    page.evaluate(
        "() => Object.values(window).find(v => v instanceof L.Map).setView([13.05, 108.05], 16)"
    )
    page.locator(".gl-label span").filter(has_text=HOSTILE).wait_for(state="visible")
    page.locator("path.gl-team").first.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip.gl-tip").first
    tooltip.wait_for(state="visible")
    assert HOSTILE in tooltip.inner_text()
    assert HOSTILE in page.locator(".gl-label span").all_inner_texts()
    assert page.locator(".leaflet-container img[src='x']").count() == 0
    assert offline_page.dialogs == []
    assert offline_page.errors == []
