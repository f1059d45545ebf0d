"""Issue 17 in headless Chromium: each roster edit changes only what the planner changed.

The sequence that used to go wrong: move GL-100 (Đức Cơ) to Ia Púch, then change only
GL-103's member count 11 -> 18. GL-103 must stay in Ia Dom, and the history must say
precisely "GL-103: thành viên 9 → 18". Every change is previewed with its effect first.
Own module, so its `streamlit run` server (module scope) starts with an empty store.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from app_pages.team_edits import edit_key
from coverage import settings as cfg
from coverage.storage.store import open_store
from tests.test_browser_flows import TIMEOUT_MS, click_only, go_to, idle, open_map

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


def choose(page: Page, key: str, text: str) -> None:
    """Pick the option of a select box whose label contains ``text`` (typed to filter)."""
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(text)
    page.locator("[role=option]").filter(has_text=text).first.click()
    expect(box).to_have_value(re.compile(re.escape(text)), timeout=TIMEOUT_MS)
    idle(page)


def preview_and_save(page: Page, revision: int, shot: Path) -> str:
    """Press preview, wait for the effect, screenshot it, save; return the preview's text."""
    click_only(page, ".st-key-teams_edit_submit button")
    panel = page.locator(".st-key-teams_preview")
    panel.get_by_text("Xem trước thay đổi (chưa lưu)").wait_for(timeout=TIMEOUT_MS)
    page.locator(".st-key-teams_preview_save button").wait_for(timeout=TIMEOUT_MS)  # drawn last
    idle(page)
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)
    text = panel.inner_text()
    page.locator(".st-key-teams_preview_save button").click()
    page.get_by_text(f"Đã lưu thành phiên bản {revision}").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    return text


def test_resize_after_a_move_changes_only_the_resized_team(
    streamlit_server: StreamlitServer, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Đội hình")

    choose(page, "teams_edit_team_0", "GL-100")
    choose(page, edit_key("commune", "GL-100", 0), "Ia Púch")
    page.get_by_text("Đổi tên đội theo xã mới: “Đội TNTN Xã Ia Púch”").wait_for(timeout=TIMEOUT_MS)
    moved = preview_and_save(page, 1, artifacts_dir / "edits_1_move_preview.png")
    assert "GL-100: Đức Cơ → Ia Púch" in moved
    # the status change the move makes, in words (sample roster: Ia Púch gains a team)
    assert "Ia Púch (biên giới, vùng sâu): thiếu hỗ trợ → đủ hỗ trợ" in moved
    assert "điểm %" in moved

    choose(page, "teams_edit_team_1", "GL-103")
    # The form holds GL-103's own values, not the last move's target.
    expect(page.locator(f".st-key-{edit_key('commune', 'GL-103', 1)} input")).to_have_value(
        "Xã Ia Dom", timeout=TIMEOUT_MS
    )
    members = page.locator(f".st-key-{edit_key('members', 'GL-103', 1)} input")
    expect(members).to_have_value("9", timeout=TIMEOUT_MS)  # GL-103's own size in the sample
    members.fill("18")
    members.press("Enter")
    idle(page)
    resized = preview_and_save(page, 2, artifacts_dir / "edits_2_resize_preview.png")
    assert "GL-103: thành viên 9 → 18" in resized
    assert "Ia Púch" not in resized.split("Toàn tỉnh")[0]  # the change list names no move

    store = open_store(
        cfg.Settings(data_dir=streamlit_server.data_dir, shared_data_dir=streamlit_server.data_dir)
    )
    saved = store.load_roster("52")
    assert saved is not None and saved.revision == 2
    teams = saved.teams.set_index("team_id")
    assert teams.at["GL-103", "commune_code"] == "23872"  # still Ia Dom
    assert teams.at["GL-103", "members"] == 18
    assert teams.at["GL-100", "commune_code"] == "23917"  # Ia Púch

    page.get_by_text("Lịch sử các phiên bản").first.click()
    box = page.locator(".st-key-teams_history_box")
    box.get_by_text("GL-103: thành viên 9 → 18").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "edits_3_history.png"), full_page=True)
    history = box.inner_text()
    assert "Phiên bản 2" in history and "Phiên bản 1" in history
    assert "GL-100: Đức Cơ → Ia Púch" in history
    assert history.count("GL-103") == 1  # the move changed GL-100 only
    changes = [r.changes for r in store.list_roster_revisions("52")]
    assert changes[0].changed == ("GL-103",)
    assert [f.column for f in changes[0].values_of("GL-103")] == ["members"]
    assert offline_page.errors == []
