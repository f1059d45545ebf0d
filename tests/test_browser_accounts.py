"""Sign-in in a real browser: the app opened to the network (``--address 0.0.0.0``).

``python -m coverage app --address 0.0.0.0`` on a free port, with a temporary data folder
(links to the real inputs, its own store holding an administrator and a viewer). An
anonymous visitor sees only the sign-in page; the viewer signs in, is refused a roster
change (the form keeps what was typed; nothing is stored), and signs out. Screenshots go
to tests/artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher

from coverage import settings as cfg
from coverage.storage.accounts import AccountBook
from coverage.storage.store import open_store
from tests.conftest import (
    PROJECT_ROOT,
    SERVER_START_TIMEOUT_S,
    data_env,
    free_port,
    make_data_dir,
    wait_for_health,
)
from tests.test_browser_flows import TIMEOUT_MS, go_to, idle

if TYPE_CHECKING:
    from tests.conftest import OfflinePage

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

PASSWORD = "mật khẩu đủ dài 2026"


def _settings(folder: Path) -> cfg.Settings:
    return cfg.Settings(data_dir=folder, shared_data_dir=folder)


@pytest.fixture(scope="module")
def network_app(
    real_settings: cfg.Settings, artifacts_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """``python -m coverage app --address 0.0.0.0`` with an administrator and a viewer."""
    folder = make_data_dir(tmp_path_factory.mktemp("network-app"), real_settings)
    book = AccountBook(
        open_store(_settings(folder)),
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    book.add("admin", PASSWORD, role="administrator")
    book.add("phong_hop", PASSWORD, role="viewer", full_name="Màn hình phòng họp")
    port = free_port()
    log = artifacts_dir / "network_app.log"
    env = data_env(folder, real_settings)
    command = [
        sys.executable,
        "-m",
        "coverage",
        "app",
        "--address",
        "0.0.0.0",
        "--port",
        str(port),
        "--no-warm-up",
    ]
    with log.open("wb") as sink:
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
            yield f"http://127.0.0.1:{port}/", folder
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def sign_in_page(page: object) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.get_by_role("heading", name="Đăng nhập", exact=True).wait_for(timeout=TIMEOUT_MS)
    page.locator(".st-key-sign_in_submit button").wait_for(timeout=TIMEOUT_MS)
    idle(page)


def test_sign_in_refused_outside_the_role_sign_out(
    network_app: tuple[str, Path], offline_page: OfflinePage, artifacts_dir: Path
) -> None:
    url, folder = network_app
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(url + "teams", wait_until="domcontentloaded")  # a page's own address: still the gate
    sign_in_page(page)
    assert page.locator("[data-testid=stSidebarNav]").count() == 0
    assert page.locator('iframe[title*="st_folium"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "accounts_sign_in.png"))

    page.locator(".st-key-sign_in_username input").fill("phong_hop")
    page.locator(".st-key-sign_in_password input").fill("sai mật khẩu")
    page.locator(".st-key-sign_in_submit button").click()
    page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").wait_for(timeout=TIMEOUT_MS)

    page.locator(".st-key-sign_in_username input").fill("phong_hop")
    page.locator(".st-key-sign_in_password input").fill(PASSWORD)
    page.locator(".st-key-sign_in_submit button").click()
    page.wait_for_selector('iframe[title*="st_folium"]', timeout=TIMEOUT_MS)
    page.get_by_text("Đang đăng nhập: phong_hop").wait_for(timeout=TIMEOUT_MS)
    idle(page)

    go_to(page, "Đội hình")
    page.locator(".st-key-teams_add_name_0 input").fill("Đội của phòng họp")
    page.locator(".st-key-teams_add_submit button").click()
    page.locator(".st-key-teams_preview_save button").click()
    page.get_by_text("không được sửa danh sách đội").first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    page.get_by_text("không được sửa danh sách đội").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "accounts_refused.png"))
    assert (
        page.locator(".st-key-teams_preview_save button").count() == 1
    )  # the change waits, not lost
    assert open_store(_settings(folder)).load_roster("52") is None

    page.locator(".st-key-sign_out button").click()
    sign_in_page(page)
    assert page.get_by_text("Đã đăng xuất").count() == 1
    assert page.locator('iframe[title*="st_folium"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "accounts_signed_out.png"))
    assert offline_page.errors == []
