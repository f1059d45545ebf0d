"""Tricky rosters on the Data page, in headless Chromium (network blocked): a ';' file
from Excel with Vietnamese settings, hundreds of bad rows (a capped list), an .xlsx bomb."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from tests.hostile_files import write_xlsx_bomb
from tests.test_browser_flows import TIMEOUT_MS, go_to, idle, open_map

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.conftest import OfflinePage, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

PROJECT = Path(__file__).resolve().parent.parent


def _upload(page: Page, path: Path) -> None:
    uploader = page.locator("[data-testid=stFileUploader]").filter(
        has_text="Danh sách đội (CSV hoặc Excel)"
    )
    uploader.locator("input[type=file]").set_input_files(str(path))
    idle(page)


def test_data_page_names_the_separator_caps_long_lists_and_refuses_a_bomb(
    streamlit_server: StreamlitServer,
    offline_page: OfflinePage,
    artifacts_dir: Path,
    tmp_path: Path,
) -> None:
    page = offline_page.page
    open_map(page, streamlit_server.url)
    go_to(page, "Dữ liệu")
    sample = pd.read_csv(
        PROJECT / "data" / "teams" / "sample_roster_gia_lai.csv", dtype=str, keep_default_na=False
    )

    semicolon = sample.assign(
        weekly_hours=sample["weekly_hours"].str.replace(".", ",", regex=False)
    )
    path = tmp_path / "doi_hinh_excel_vn.csv"
    semicolon.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    _upload(page, path)
    page.get_by_text(f"{len(sample)} dòng", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / "inputs_semicolon_roster.png"), full_page=True)

    bad = pd.concat([sample] * 3, ignore_index=True)
    bad["team_id"] = [f"X{i}" for i in range(len(bad))]
    bad["members"] = "1.000"
    path = tmp_path / "doi_hinh_sai.csv"
    bad.to_csv(path, index=False)
    _upload(page, path)
    caption = page.get_by_text(f"Chỉ hiện 20 trên tổng số {len(bad)} vấn đề", exact=False)
    caption.wait_for(timeout=TIMEOUT_MS)
    assert (
        page.get_by_text(
            f"và {len(bad) - 20} vấn đề khác cùng loại: số có thể hiểu theo hai cách", exact=False
        ).count()
        == 1
    )
    page.screenshot(path=str(artifacts_dir / "inputs_capped_problems.png"), full_page=True)

    bomb = write_xlsx_bomb(tmp_path / "doi_hinh_bom.xlsx", unpacked_bytes=256 * 1024 * 1024)
    _upload(page, bomb)
    page.get_by_text("bom zip", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    assert "/tmp" not in page.inner_text("body")
    page.screenshot(path=str(artifacts_dir / "inputs_xlsx_bomb.png"), full_page=True)
