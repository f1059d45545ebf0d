"""The periodic evaluation in the meeting outputs: progress pages in the PDF briefing and the
slides, read back as text with the Vietnamese diacritics intact."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli_data import run_cli

pytestmark = pytest.mark.realdata


@pytest.mark.data_copy("teams")  # a fresh folder with its own copy of the committed roster
def test_report_period_adds_progress_pages_to_pdf_and_slides(
    tmp_path: Path, data_dir: Path
) -> None:
    env: dict[str, str] = {}  # data_dir has set the folder in the environment the CLI inherits
    out = tmp_path / "out"
    done = run_cli(
        "report",
        "--out",
        str(out),
        "--period",
        "2026-W10..2026-W13",
        "--formats",
        "pdf,pptx",
        "--new-teams",
        "0",
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    briefings = [
        p
        for p in out.glob("*.pdf")
        if "map" not in p.name.lower() and "a3" not in p.name.lower() and "a4" not in p.name.lower()
    ]
    assert briefings, sorted(p.name for p in out.iterdir())
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils (pdftotext) is needed"
    texts = {
        p.name: subprocess.run(
            [pdftotext, "-layout", str(p), "-"], capture_output=True, text=True, check=True
        ).stdout
        for p in briefings
    }
    text = next((v for v in texts.values() if "Tiến độ so với chỉ tiêu" in v), "")
    assert text, {k: v[:200] for k, v in texts.items()}
    for phrase in (
        "Tiến độ so với chỉ tiêu — kỳ 2026-W10..2026-W13",
        "Xã/phường chậm so với chỉ tiêu",
        "Đội không báo cáo từ 2 tuần trở lên",
        "Mô hình làm việc hiệu quả nhất (để nhân rộng)",
        "DỮ LIỆU MẪU",
        "Người dân được hỗ trợ",
        "đúng hạn",
    ):
        assert phrase in text, phrase

    from pptx import Presentation

    deck = Presentation(str(next(out.glob("*.pptx"))))
    slide_text = "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    tables = "\n".join(
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "Tiến độ so với chỉ tiêu — kỳ 2026-W10..2026-W13" in slide_text
    assert "Đội không báo cáo từ 2 tuần trở lên" in slide_text and "DỮ LIỆU MẪU" in slide_text
    assert "Phiên dịch viên công nghệ" in tables or "Lưu động đến thôn, buôn" in tables
    assert "Người/TNV-giờ" in tables
