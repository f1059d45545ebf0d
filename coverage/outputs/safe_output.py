"""Text that cannot break an output: spreadsheet-safe cells, bounded lengths, printable glyphs.

Three rules used by every export (:mod:`coverage.outputs.reports`, the Excel workbook, the CSV
of ``analyze``):

* **Formula injection.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return is run as a formula (or DDE command) by Excel and LibreOffice.
  :func:`neutralise_cell` puts an apostrophe in front (the OWASP rule): the cell then
  shows the text as typed and is never evaluated. Numbers stay numbers.
* **Length.** A 10,000-character name cannot fit a table cell on one page. PDFs and
  slides show at most :data:`NAME_CHARS` characters of a name, then an ellipsis
  (:func:`shorten`); the Excel workbook keeps the full text.
* **Glyphs.** PDFs and static maps embed DejaVu Sans, which has every Vietnamese letter
  but no emoji. :func:`printable` replaces every character the font lacks with
  :data:`PLACEHOLDER` (U+FFFD, a visible "?" mark, never an empty box).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell."""

NAME_CHARS = 80
"""Longest name shown in a PDF or on a slide (then ``…``)."""

PLACEHOLDER = "\ufffd"
"""Shown instead of a character the embedded font cannot draw (emoji, rare symbols)."""


def neutralise_cell(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet cell.

    Text starting with a formula character gets a leading apostrophe; anything else is
    returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with :func:`neutralise_cell` applied to every text cell.

    The column names too.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [neutralise_cell(v) for v in out[column]]
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def shorten(text: str, max_chars: int = NAME_CHARS) -> str:
    """Return ``text`` cut to at most ``max_chars`` characters, ending in ``…`` when cut."""
    text = str(text)
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + "…"


@functools.lru_cache(maxsize=4)
def _font_chars(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def dejavu_path() -> Path:
    """DejaVu Sans as shipped with matplotlib (the font every PDF and map embeds)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def printable(text: str) -> str:
    """Return ``text`` with every character DejaVu Sans cannot draw replaced.

    The replacement is :data:`PLACEHOLDER` (emoji sequences, with their joiners and variation
    selectors, become one placeholder).
    """
    text = unicodedata.normalize("NFC", str(text))
    chars = _font_chars(str(dejavu_path()))
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if (
            code in (0x200D, 0xFE0E, 0xFE0F) or 0x1F3FB <= code <= 0x1F3FF
        ):  # joiners, selectors, skin tones
            continue
        if code in chars or ch in "\n\t ":
            out.append(ch)
            continue
        if out and out[-1] == PLACEHOLDER:
            continue
        out.append(PLACEHOLDER)
    return "".join(out)


def display_name(value: Any, max_chars: int = NAME_CHARS) -> str:
    """Return a user-given name as PDFs and maps print it.

    Printable glyphs, at most ``max_chars``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return shorten(printable(str(value)), max_chars)


__all__ = [
    "FORMULA_PREFIXES",
    "NAME_CHARS",
    "PLACEHOLDER",
    "display_name",
    "neutralise_cell",
    "neutralise_frame",
    "printable",
    "shorten",
]
