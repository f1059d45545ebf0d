"""Write a report bundle's meeting outputs (map, PDFs, slides, workbook) into a folder at once.

The one module that knows every writer: the maps (:mod:`~coverage.outputs.reports.map_files`),
the briefing and team sheets, the slides and the workbook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from coverage.outputs.reports.briefing import write_briefing_pdf
from coverage.outputs.reports.content import FORMATS, Format, ReportBundle, report_slug
from coverage.outputs.reports.map_files import (
    map_html_document,
    map_layers,
    write_map_pdf,
    write_map_png,
)
from coverage.outputs.reports.slides import write_slides
from coverage.outputs.reports.team_sheets import write_team_sheets_pdf
from coverage.outputs.reports.workbook import write_workbook
from coverage.text.i18n import Lang


def write_report(
    bundle: ReportBundle,
    out_dir: Path,
    *,
    formats: Sequence[Format] = FORMATS,
    lang: Lang = "vi",
) -> list[Path]:
    """Write the meeting outputs of ``bundle`` into ``out_dir``.

    Parameters
    ----------
    bundle
        Inputs, analysis, plan and optional scenario comparison.
    out_dir
        Folder to write into (created if missing); existing files of the same name are
        replaced.
    formats
        Any of ``html`` (interactive map), ``png`` (1920 x 1080 map), ``pdf`` (A4 and A3
        landscape maps, the A4 briefing with a page per border commune, and the team
        sheets), ``pptx`` (slides), ``xlsx`` (the workbook, :mod:`.reports.workbook`).
    lang
        ``"vi"`` (default) or ``"en"``.

    Returns
    -------
    list of Path
        The files written, in the order above. All of them or none: they are made in a
        temporary folder inside ``out_dir`` and moved into place only when every one is
        written; on any error nothing in ``out_dir`` changes.

    Raises
    ------
    ValueError
        If a format is unknown.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; use any of {list(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = report_slug(bundle)
    suffix = "" if lang == "vi" else "-en"
    # All files are written into a hidden folder beside the outputs, then moved into place
    # (same file system: each move is atomic). A failure leaves out_dir as it was.
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    try:
        written: list[Path] = []
        if "html" in formats:
            path = staging / f"{slug}-map{suffix}.html"
            path.write_text(map_html_document(bundle, lang=lang), encoding="utf-8")
            written.append(path)
        layers = map_layers(bundle) if {"png", "pdf", "pptx"} & set(formats) else None
        if "png" in formats:
            written.append(
                write_map_png(bundle, staging / f"{slug}-map{suffix}.png", lang=lang, layers=layers)
            )
        if "pdf" in formats:
            for paper in ("a4", "a3"):
                written.append(
                    write_map_pdf(
                        bundle,
                        staging / f"{slug}-map-{paper}{suffix}.pdf",
                        paper=paper,
                        lang=lang,
                        layers=layers,
                    )
                )
            written.append(
                write_briefing_pdf(
                    bundle, staging / f"{slug}-briefing{suffix}.pdf", lang=lang, layers=layers
                )
            )
            written.append(
                write_team_sheets_pdf(bundle, staging / f"{slug}-teams{suffix}.pdf", lang=lang)
            )
        if "pptx" in formats:
            written.append(
                write_slides(
                    bundle, staging / f"{slug}-slides{suffix}.pptx", lang=lang, layers=layers
                )
            )
        if "xlsx" in formats:
            written.append(
                write_workbook(bundle, staging / f"{slug}-tables{suffix}.xlsx", lang=lang)
            )
        final = [out_dir / p.name for p in written]
        for source, target in zip(written, final, strict=True):
            os.replace(source, target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["write_report"]
