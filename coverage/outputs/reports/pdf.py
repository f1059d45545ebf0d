"""Parts shared by the PDFs (briefing, team sheets): fonts, paragraph markup, footer, tables."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import coverage.outputs.reports.words  # noqa: F401  (registers "report.page", the page number)
from coverage.outputs.safe_output import printable, shorten
from coverage.outputs.text_wrap import wrap_words
from coverage.text.i18n import Lang, t

PARAGRAPH_CHARS = 1500
"""Longest paragraph a PDF prints (then ``…``): no user text can outgrow a page."""

CELL_CHARS = 400
"""Longest table cell a PDF prints (then ``…``)."""


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab; return the two names."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = "DejaVuSans", "DejaVuSans-Bold"
    if regular not in pdfmetrics.getRegisteredFontNames():
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(regular, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(bold, str(folder / "DejaVuSans-Bold.ttf")))
        addMapping(regular, 0, 0, regular)
        addMapping(regular, 1, 0, bold)
        addMapping(regular, 0, 1, regular)
        addMapping(regular, 1, 1, bold)
    return regular, bold


FOOTER_PT = 7.5
"""Font size of the page footer (points)."""


def footer_lines(footer: str, *, room_pt: float, width: Callable[[str], float]) -> list[str]:
    """Break a page footer into lines no wider than ``room_pt`` as measured by ``width``.

    Lines break at " · " between the footer's parts where they can, else between words,
    and a word wider than a line (a long web address) between characters.
    """

    def fits(text: str) -> bool:
        return width(text) <= room_pt

    lines: list[str] = []
    line = ""
    for part in footer.split(" · "):
        candidate = f"{line} · {part}" if line else part
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        *full, line = wrap_words(part, fits)
        lines.extend(full)
    lines.append(line)
    return lines


def draw_page_footer(canvas: Any, footer: str, page: str, *, font: str) -> None:
    """Draw the footer and the page number of an A4 portrait page.

    The footer wraps (:func:`footer_lines`) inside the 15 mm margins, beside the page
    number on its last line; the lines stack upwards from the bottom.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    size = FOOTER_PT
    room = A4[0] - 30 * mm - canvas.stringWidth(page, font, size) - 4 * mm
    lines = footer_lines(
        shorten(printable(footer), 400),
        room_pt=room,
        width=lambda text: float(canvas.stringWidth(text, font, size)),
    )
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.setFont(font, size)
    for n, line in enumerate(lines):
        canvas.drawString(15 * mm, (9 + 3.4 * (len(lines) - 1 - n)) * mm, line)
    canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, page)
    canvas.restoreState()


def escape_paragraph_markup(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so text reads as itself in reportlab Paragraph markup."""
    return html.escape(text, quote=False)


def paragraph_markup(text: str, max_chars: int = PARAGRAPH_CHARS) -> str:
    """Make text safe for a reportlab Paragraph.

    Glyphs the font has, bounded length, escaped (its markup is XML-like).
    """
    return escape_paragraph_markup(shorten(printable(str(text)), max_chars))


NAVY = "#08306b"
"""Colour of headings and table heads."""


@dataclass(frozen=True)
class PdfStyles:
    """The briefing's fonts and paragraph styles (reportlab ``ParagraphStyle`` objects).

    Attributes
    ----------
    regular, bold
        Registered font names (:func:`register_fonts`).
    base, small
        Body text and notes.
    cell, cell_head
        Table cells and table heads (white on navy).
    h1, h2
        Title and section headings.
    big
        The numbers of the headline tiles.
    notice
        The boxed notice about SAMPLE and ILLUSTRATIVE data.
    """

    regular: str
    bold: str
    base: Any
    small: Any
    cell: Any
    cell_head: Any
    h1: Any
    h2: Any
    big: Any
    notice: Any


def briefing_styles() -> PdfStyles:
    """Return the paragraph styles of the A4 briefing (DejaVu Sans registered first)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.3, leading=10.4)
    return PdfStyles(
        regular=regular,
        bold=bold,
        base=base,
        small=ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        cell=cell,
        cell_head=ParagraphStyle("cellhead", parent=cell, fontName=bold, textColor=colors.white),
        h1=ParagraphStyle("h1", parent=base, fontName=bold, fontSize=17, leading=21, spaceAfter=3),
        h2=ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=5,
            textColor=colors.HexColor(NAVY),
        ),
        big=ParagraphStyle(
            "big",
            parent=base,
            fontName=bold,
            fontSize=15,
            leading=18,
            textColor=colors.HexColor(NAVY),
        ),
        notice=ParagraphStyle(
            "notice",
            parent=base,
            fontSize=9,
            leading=11.5,
            textColor=colors.HexColor("#7a1d00"),
            backColor=colors.HexColor("#fff3e0"),
            borderColor=colors.HexColor("#e08a3c"),
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
    )


def a4_text_width() -> float:
    """Return the width between the margins of an A4 portrait page, in points."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    return float(A4[0] - 30 * mm)


def pdf_table(rows: Sequence[Sequence[str]], widths: Sequence[float], *, styles: PdfStyles) -> Any:
    """Return a reportlab Table: a navy head row repeated on each page, striped body rows."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    body = [
        [
            Paragraph(paragraph_markup(str(v)).replace("\n", "<br/>"), styles.cell_head)
            for v in rows[0]
        ]
    ]
    body += [
        [Paragraph(paragraph_markup(str(v), CELL_CHARS), styles.cell) for v in row]
        for row in rows[1:]
    ]
    tbl = Table(body, colWidths=list(widths), repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(NAVY)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6fa")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    tbl.setStyle(TableStyle(style))
    return tbl


def write_a4_pdf(
    path: Path, story: list[Any], *, title: str, footer: str, font: str, lang: Lang
) -> Path:
    """Build ``story`` into an A4 portrait PDF with ``footer`` and the page number on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    def on_page(canvas: Any, doc: Any) -> None:
        draw_page_footer(canvas, footer, t("report.page", lang, n=doc.page), font=font)

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="gialai-coverage",
        lang=lang,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


__all__ = [
    "CELL_CHARS",
    "NAVY",
    "PARAGRAPH_CHARS",
    "PdfStyles",
    "a4_text_width",
    "briefing_styles",
    "FOOTER_PT",
    "draw_page_footer",
    "footer_lines",
    "escape_paragraph_markup",
    "paragraph_markup",
    "pdf_table",
    "register_fonts",
    "write_a4_pdf",
]
