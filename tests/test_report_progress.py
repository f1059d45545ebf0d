"""The periodic evaluation in the meeting outputs: progress pages in the PDF briefing and the
slides, read back as text with the Vietnamese diacritics intact."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli_data import run_cli

pytestmark = pytest.mark.realdata


@pytest.mark.data_copy("teams")  # a fresh folder with its own copy of the committed roster
def test_report_period_adds_progress_pages_to_pdf_and_slides(
    tmp_path: Path, data_dir: Path, gia_lai: Any
) -> None:
    from pptx import Presentation

    from coverage import settings as cfg
    from coverage.monitoring.loop import progress_section
    from coverage.outputs.reports.progress_pages import behind_rows, model_rows, silent_rows
    from coverage.outputs.reports.slide_deck import SLIDE_CELL_CHARS
    from coverage.outputs.safe_output import shorten

    env: dict[str, str] = {}  # data_dir has set the folder in the environment the CLI inherits
    out = tmp_path / "out"
    period = "2026-W10..2026-W13"
    done = run_cli(
        "report",
        "--out",
        str(out),
        "--period",
        period,
        "--formats",
        "pdf,pptx",
        "--new-teams",
        "0",
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # the same period read back in-process (the CLI has stored the SAMPLE activity log)
    progress = progress_section(
        cfg.load_settings(), gia_lai.inputs, period=period, analysis=gia_lai.analysis
    ).progress
    behind = int(progress.communes["is_behind"].sum())
    silent = int(progress.teams["is_silent"].sum())

    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils (pdftotext) is needed"
    text = subprocess.run(
        [pdftotext, "-layout", str(out / "gia-lai-briefing.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for phrase in (
        f"Tiến độ so với chỉ tiêu — kỳ {period}",
        f"Xã/phường chậm so với chỉ tiêu ({behind})",
        f"Đội không báo cáo từ 2 tuần trở lên ({silent})",
        "Mô hình làm việc hiệu quả nhất (để nhân rộng)",
        "DỮ LIỆU MẪU",
        "Người dân được hỗ trợ",
        "đúng hạn",
    ):
        assert phrase in text, phrase

    deck = Presentation(str(out / "gia-lai-slides.pptx"))

    def slide_titled(title: str) -> Any:
        found = [
            slide
            for slide in deck.slides
            if any(s.has_text_frame and s.text_frame.text == title for s in slide.shapes)
        ]
        assert len(found) == 1, title
        return found[0]

    def table_of(slide: Any) -> list[list[str]]:
        (table,) = [shape.table for shape in slide.shapes if shape.has_table]
        return [[cell.text for cell in row.cells] for row in table.rows]

    title = slide_titled(f"Tiến độ so với chỉ tiêu — kỳ {period}")
    assert any(
        s.has_text_frame and s.text_frame.text.startswith("DỮ LIỆU MẪU") for s in title.shapes
    )

    def on_a_slide(rows: list[list[str]]) -> list[list[str]]:
        return [[shorten(cell, SLIDE_CELL_CHARS) for cell in row] for row in rows]

    models = table_of(slide_titled("Mô hình làm việc hiệu quả nhất (để nhân rộng)"))
    assert models == on_a_slide(model_rows(progress, lang="vi")[:7])
    assert models[0][-1] == "Người/TNV-giờ"
    assert len(models) > 1  # the SAMPLE log has sessions of every working model
    assert behind > 0 and silent > 0  # the SAMPLE log has communes behind and silent teams
    behind_table = table_of(slide_titled(f"Xã/phường chậm so với chỉ tiêu ({behind})"))
    assert behind_table == on_a_slide(behind_rows(progress, lang="vi", limit=6))
    silent_table = table_of(slide_titled(f"Đội không báo cáo từ 2 tuần trở lên ({silent})"))
    assert silent_table == on_a_slide(silent_rows(progress, lang="vi", limit=6))
