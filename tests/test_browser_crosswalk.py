"""Old-commune figures converted on the Data page, in headless Chromium (network blocked)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.test_browser_flows import TIMEOUT_MS, go_to, idle, open_map
from tests.test_crosswalk import GOOD, _table

if TYPE_CHECKING:
    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


def test_data_page_converts_old_commune_figures(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Dữ liệu")
    source = tmp_path / "vneid_theo_xa_cu.csv"
    _table(GOOD).to_csv(source, index=False)
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="Bảng theo xã cũ")
    uploader.locator("input[type=file]").set_input_files(str(source))
    idle(page)
    button = page.get_by_role("button", name="Chuyển sang xã mới")
    button.wait_for(timeout=TIMEOUT_MS)
    button.click()
    page.get_by_text("Đã chuyển 4/4 dòng xã cũ sang 4 xã/phường mới.").wait_for(timeout=TIMEOUT_MS)
    idle(page)
    # The split commune is documented in its own table (rendered in a canvas grid, so the
    # check reads the download button and the message rather than the cells).
    # (wait for each: the rest of the section may still be drawing after the message)
    download = page.get_by_role("button", name="Tải bảng theo xã mới (.csv)")
    download.wait_for(timeout=TIMEOUT_MS)
    assert download.count() == 1
    split = page.get_by_text("Xã cũ bị chia cho nhiều xã mới", exact=True)
    split.wait_for(timeout=TIMEOUT_MS)
    assert split.count() == 1
    page.screenshot(path=str(artifacts_dir / "crosswalk_data_page.png"), full_page=True)
