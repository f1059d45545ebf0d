"""The legend's HTML: team, site and flag symbols and the colour classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from coverage.outputs.escape import html_text
from coverage.outputs.maps.language_gap import language_gap_symbol
from coverage.outputs.maps.scales import (
    FLAG_STYLE,
    MISSING_COLOUR,
    SELECTED_COLOUR,
    SITE_COLOUR,
    TEAM_COLOUR,
    ColourScale,
)
from coverage.text.i18n import Lang, t

_STAR_SVG: Final[str] = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24">'
    '<polygon points="12,1.5 15,8.8 22.9,9.4 16.9,14.6 18.7,22.3 12,18.2 5.3,22.3 7.1,14.6 1.1,9.4 9,8.8" '
    f'fill="{SITE_COLOUR}" stroke="#111" stroke-width="1.3" stroke-linejoin="round"/></svg>'
)


def _symbol_svg(kind: str) -> str:
    if kind == "fixed":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="5.5" '
            f'fill="{TEAM_COLOUR}" stroke="#fff" stroke-width="1.5"/></svg>'
        )
    if kind == "mobile":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="5" '
            f'fill="#fff" stroke="{TEAM_COLOUR}" stroke-width="3"/></svg>'
        )
    if kind == "site":
        return _STAR_SVG.replace('width="26" height="26"', 'width="18" height="18"')
    if kind == "reach":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="6.5" fill="rgba(8,48,107,0.08)" '
            f'stroke="{TEAM_COLOUR}" stroke-width="1.2" stroke-dasharray="3 2"/></svg>'
        )
    if kind == "selected":
        return f'<svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" fill="none" stroke="{SELECTED_COLOUR}" stroke-width="3"/></svg>'
    if kind == "language_gap":
        return language_gap_symbol()
    if kind == "province":
        return '<svg width="22" height="12"><line x1="0" y1="6" x2="22" y2="6" stroke="#222" stroke-width="2.5"/></svg>'
    style = FLAG_STYLE[kind]
    dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
    cap = ' stroke-linecap="round"' if style.get("lineCap") == "round" else ""
    return (
        f'<svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" fill="none" '
        f'stroke="{style["color"]}" stroke-width="{style["weight"]}"{dash}{cap}/></svg>'
    )


def _legend_html(
    *,
    title: str | None,
    symbols: Sequence[tuple[str, str]],
    notes: Sequence[str],
    lang: Lang,
    extra: str = "",
) -> str:
    """Return the legend's fixed part.

    The colour classes go into ``.gl-classes`` (:func:`_legend_rows`).

    ``extra`` is prepared (escaped) HTML of another layer's key, placed last.
    """
    if title:
        heading = f'<b class="gl-heading" data-fixed="1">{html_text(title)}</b>'
    else:
        heading = f'<b class="gl-heading">{t("map.legend.heading", lang)}</b>'
    parts: list[str] = [
        f'<details class="gl-main" open><summary>{heading}</summary><div class="gl-classes"></div>'
    ]
    if symbols or notes:
        parts.append(
            f'<details class="gl-more" open><summary>{t("map.legend.symbols", lang)}</summary>'
        )
        parts.extend(
            f'<div class="gl-row">{_symbol_svg(kind)}{label}</div>' for kind, label in symbols
        )
        parts.extend(f'<div class="gl-note">{note}</div>' for note in notes)
        parts.append("</details>")
    parts.append(extra)
    parts.append("</details>")
    return "".join(parts)


def _legend_rows(scale: ColourScale, *, has_missing: bool, lang: Lang) -> str:
    """Return the legend's colour classes of one colouring."""
    parts = [
        f'<div class="gl-row"><span class="gl-sw" style="background:{colour}"></span>{label}</div>'
        for colour, label in zip(scale.colours, scale.class_labels(lang), strict=True)
    ]
    if has_missing:
        parts.append(
            f'<div class="gl-row"><span class="gl-sw" style="background:{MISSING_COLOUR}"></span>'
            f"{t('map.legend.no_data', lang)}</div>"
        )
    return "".join(parts)
