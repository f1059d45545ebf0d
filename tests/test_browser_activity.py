"""Activity & progress in headless Chromium: the SAMPLE log on a fresh data folder, a
report typed by a planner changes the commune's progress, and it is still there after
the server restarts (the store is a file in the data folder)."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coverage import settings as cfg
from coverage.storage.activity_store import ActivityStore
from coverage.storage.store import Store
from tests.conftest import (
    PROJECT_ROOT,
    SERVER_START_TIMEOUT_S,
    data_env,
    free_port,
    wait_for_health,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.conftest import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

TIMEOUT_MS = 120_000


@contextmanager
def app_server(folder: Path, log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on ``folder``; stopped (by its own process id) on exit."""
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    port = free_port()
    env = data_env(folder, cfg.load_settings())
    command = [
        streamlit,
        "run",
        str(PROJECT_ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
    ]
    with log.open("ab") as sink:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            wait_for_health(
                f"http://127.0.0.1:{port}/_stcore/health",
                process,
                timeout_s=SERVER_START_TIMEOUT_S,
                log=log,
            )
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def idle(page: Page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && document.querySelectorAll('[data-stale=true]').length === 0",
        timeout=TIMEOUT_MS,
    )


def open_activity(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(url + "activity", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Hoạt động & tiến độ").first.wait_for(timeout=TIMEOUT_MS)
    page.locator(".st-key-act_commune_panel").wait_for(timeout=TIMEOUT_MS)
    idle(page)


def panel_number(page: Page, label: str) -> str:
    metric = (
        page.locator(".st-key-act_commune_panel [data-testid=stMetric]")
        .filter(has_text=label)
        .first
    )
    return metric.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_sample_then_entered_report_changes_progress_and_survives_restart(
    data_dir: Path, offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    folder = data_dir
    log = artifacts_dir / "streamlit_activity.log"
    page = offline_page.page
    with app_server(folder, log) as url:
        open_activity(page, url)
        page.get_by_text("DỮ LIỆU MẪU").first.wait_for(timeout=TIMEOUT_MS)
        page.locator(".st-key-act_map iframe, iframe[title*='st_folium']").first.wait_for(
            timeout=TIMEOUT_MS
        )
        page.screenshot(path=str(artifacts_dir / "activity_sample.png"), full_page=True)
        before = panel_number(page, "Người được hỗ trợ trong kỳ")

        page.get_by_role("tab", name="Nhập báo cáo").click()
        page.locator(".st-key-act_f_residents input").fill("500")
        page.locator(".st-key-act_f_vneid_level2 input").fill("120")
        page.get_by_role("button", name="Lưu báo cáo").click()
        page.get_by_text("Đã lưu báo cáo").first.wait_for(timeout=TIMEOUT_MS)
        idle(page)
        after = panel_number(page, "Người được hỗ trợ trong kỳ")
        assert int(after.replace(".", "")) == int(before.replace(".", "")) + 500
        page.get_by_text("→").first.wait_for(timeout=TIMEOUT_MS)  # "progress: 40% → 62%"
        page.screenshot(path=str(artifacts_dir / "activity_entered.png"), full_page=True)

    stored = ActivityStore(Store(folder / "planning.sqlite3")).current_reports("52")
    mine = stored[stored["source"] == "form"]
    assert len(mine) == 1 and int(mine["residents_helped"].iloc[0]) == 500
    # On localhost the app runs as the computer account's planner: changes carry its name.
    local = f"{getpass.getuser()}@localhost"
    assert mine["author"].iloc[0] == local

    with app_server(folder, log) as url:  # a restart: a new process on the same data folder
        open_activity(page, url)
        assert panel_number(page, "Người được hỗ trợ trong kỳ") == after
        recent = page.locator(".st-key-act_recent")
        recent.get_by_text(local).first.wait_for(timeout=TIMEOUT_MS)
        assert "500" in recent.inner_text()
        page.screenshot(path=str(artifacts_dir / "activity_after_restart.png"), full_page=True)
    assert offline_page.errors == []
