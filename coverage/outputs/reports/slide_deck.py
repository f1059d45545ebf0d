"""The slides' drawing parts: a 16:9 python-pptx deck with titled slides, text boxes, tables."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coverage.outputs.safe_output import shorten
from coverage.text.i18n import Lang

SLIDE_ROWS = 6
"""Body rows of a slide table (plus a header): what a room reads at 18 pt."""

APPENDIX_ROWS = 7
"""Body rows of an appendix slide table (plus a header: 8 rows at most)."""

SLIDE_PT = 18
"""Font size of slide tables."""

SLIDE_CELL_CHARS = 90
"""Longest table cell a slide prints (then ``…``)."""

SLIDE_TEXT_CHARS = 1200
"""Longest text box a slide prints (then ``…``)."""

SLIDE_WIDTH_IN = 13.333
"""Width of a 16:9 slide, inches (7.5 high)."""


class SlideDeck:
    """A 16:9 deck in the reports' look: DejaVu Sans, navy titles, a grey footer on each slide.

    Positions and sizes are in inches from the top left corner; font sizes in points.

    Parameters
    ----------
    footer
        The line at the bottom of every titled slide.
    """

    def __init__(self, *, footer: str) -> None:
        from pptx import Presentation
        from pptx.dml.color import RGBColor
        from pptx.util import Inches

        rgb: Any = RGBColor.from_string  # untyped in python-pptx
        self.navy, self.grey = rgb("08306B"), rgb("555555")
        self.warn, self.warn_fill = rgb("7A1D00"), rgb("FFF3E0")
        self.width = SLIDE_WIDTH_IN
        self.font = "DejaVu Sans"
        self.footer = footer
        self.presentation = Presentation()
        self.presentation.slide_width = Inches(SLIDE_WIDTH_IN)
        self.presentation.slide_height = Inches(7.5)
        self._blank = self.presentation.slide_layouts[6]

    def blank_slide(self) -> Any:
        """Add a slide with nothing on it (the title slide)."""
        return self.presentation.slides.add_slide(self._blank)

    def new_slide(self, title: str) -> Any:
        """Add a slide with ``title`` (smaller when long) and the footer."""
        title = shorten(title, 90)
        slide = self.blank_slide()
        size = 28 if len(title) <= 50 else 24 if len(title) <= 60 else 20
        self.text_box(
            slide, 0.5, 0.3, self.width - 1.0, 0.8, title, size=size, bold=True, color=self.navy
        )
        self.text_box(
            slide, 0.5, 7.0, self.width - 1.0, 0.35, self.footer, size=10, color=self.grey
        )
        return slide

    def text_box(
        self,
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        color: Any = None,
        fill: Any = None,
        wrap: bool = True,
    ) -> Any:
        """Add a text box, one paragraph per line of ``text``, left-aligned."""
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Inches, Pt

        shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = shape.text_frame
        frame.word_wrap = wrap
        for i, line in enumerate(shorten(text, SLIDE_TEXT_CHARS).split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.LEFT
            run = para.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = self.font
            if color is not None:
                run.font.color.rgb = color
        if fill is not None:
            shape.fill.solid()
            shape.fill.fore_color.rgb = fill
        return shape

    def note(self, slide: Any, text: str) -> Any:
        """Add a grey line at the foot of the slide's body ("… and N more")."""
        return self.text_box(
            slide, 0.5, 6.45, self.width - 1.0, 0.45, text, size=16, color=self.grey
        )

    def add_table(
        self,
        slide: Any,
        rows: Sequence[Sequence[str]],
        widths_in: Sequence[float],
        *,
        y: float,
        size: float = SLIDE_PT,
        x: float = 0.5,
    ) -> Any:
        """Add an editable table, header row in bold; at most ``APPENDIX_ROWS + 1`` rows.

        Raises
        ------
        ValueError
            If ``rows`` has more rows than a slide shows.
        """
        from pptx.util import Emu, Inches, Pt

        if len(rows) > APPENDIX_ROWS + 1:
            raise ValueError(
                f"a slide table has at most {APPENDIX_ROWS + 1} rows (got {len(rows)})"
            )
        height = Inches(0.4) * len(rows)
        shape = slide.shapes.add_table(
            len(rows), len(rows[0]), Inches(x), Inches(y), Inches(sum(widths_in)), Emu(int(height))
        )
        tbl = shape.table
        for j, w in enumerate(widths_in):
            tbl.columns[j].width = Inches(w)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = tbl.cell(i, j)
                cell.text = shorten(str(value), SLIDE_CELL_CHARS)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(size)
                        run.font.name = self.font
                        run.font.bold = i == 0
        return shape

    def picture(self, slide: Any, png: bytes, x: float, y: float, w: float, h: float) -> Any:
        """Add a PNG picture."""
        from pptx.util import Inches

        return slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(w), Inches(h))

    def save(self, path: Path, *, title: str, lang: Lang) -> Path:
        """Write the deck to ``path`` with its title and language."""
        self.presentation.core_properties.title = title
        self.presentation.core_properties.language = "vi-VN" if lang == "vi" else "en-GB"
        self.presentation.save(str(path))
        return path


__all__ = [
    "APPENDIX_ROWS",
    "SLIDE_CELL_CHARS",
    "SLIDE_PT",
    "SLIDE_ROWS",
    "SLIDE_TEXT_CHARS",
    "SlideDeck",
]
