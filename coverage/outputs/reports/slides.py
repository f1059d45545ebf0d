"""The 16:9 slides: one named part per slide or run of slides, put together by write_slides."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coverage.analysis.headline import headline_from
from coverage.outputs.reports.content import ReportBundle, priority_communes
from coverage.outputs.reports.map_files import (
    INSET_DPI,
    INSET_IN,
    crs_name,
    inset_png_bytes,
    map_png_bytes,
)
from coverage.outputs.reports.rows import (
    BorderPacket,
    border_packets,
    comparison_rows,
    headline_rows,
    move_rows,
    new_team_rows,
    plan_status,
    plan_total,
    site_rows,
)
from coverage.outputs.reports.slide_deck import APPENDIX_ROWS, SLIDE_ROWS, SlideDeck
from coverage.outputs.reports.words import (
    data_notice,
    flags_text,
    percent_text,
    population_credit,
    priority_reason,
    province_label,
    short_reason,
    sources_text,
    subtitle,
)
from coverage.outputs.safe_output import display_name
from coverage.text.i18n import Lang, format_date, format_number, t

if TYPE_CHECKING:
    from coverage.outputs.staticmap.model import MapLayers

BORDER_SLIDE_TEAMS = 4
"""Teams listed on a border commune's slide (the rest: "… and N more")."""

PRIORITY_WIDTHS_IN = (2.6, 1.9, 2.6, 5.2)
"""Column widths of the priority communes' slides (commune, coverage, type, reason)."""


def write_slides(
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: MapLayers | None = None,
) -> Path:
    """Write a 16:9 PowerPoint deck, one idea per slide, with editable text and tables.

    Slides: title; key figures; map (the only picture); under-served border and remote
    communes; proposed new teams with the solution quality; before/after (with a
    scenario); data sources and caveats.
    """
    deck = SlideDeck(footer=_footer(bundle, lang))
    _title_slide(deck, bundle, lang)
    _headline_slide(deck, bundle, lang)
    _map_slide(deck, bundle, lang, layers=layers)
    priority_rows = _priority_slide(deck, bundle, lang) if bundle.analysis is not None else []
    _plan_slides(deck, bundle, lang)
    if bundle.comparison is not None:
        _comparison_slides(deck, bundle, lang)
    if bundle.analysis is not None:
        for packet in border_packets(bundle, lang):
            _border_slide(deck, bundle, packet, lang, layers=layers)
    if bundle.progress is not None:
        _progress_slides(deck, bundle, lang)
    _sources_slide(deck, bundle, lang)
    _appendix_slides(deck, priority_rows, lang)
    return deck.save(path, title=t("report.title", lang), lang=lang)


def _footer(bundle: ReportBundle, lang: Lang) -> str:
    """Return the footer: province, date, SAMPLE/ESTIMATE labels, population credit."""
    return " · ".join(
        [province_label(bundle, lang), format_date(bundle.generated_on, lang)]
        + ([t("report.flag.sample_short", lang)] if bundle.inputs.teams_is_sample else [])
        + ([t("report.flag.estimate_short", lang)] if bundle.inputs.indicators_is_estimate else [])
        + ([population_credit(bundle, lang)] if population_credit(bundle, lang) else [])
    )


def _more(deck: SlideDeck, slide: Any, total: int, lang: Lang) -> None:
    """Say how many rows a slide table left out, if any."""
    if total > SLIDE_ROWS:
        deck.note(slide, t("report.priority.more", lang, n=format_number(total - SLIDE_ROWS, lang)))


def _title_slide(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add slide 1: the title, the subtitle and the notice about the data."""
    slide = deck.blank_slide()
    width = deck.width - 1.6
    deck.text_box(
        slide, 0.8, 2.0, width, 1.8, t("report.title", lang), size=36, bold=True, color=deck.navy
    )
    deck.text_box(slide, 0.8, 4.0, width, 0.6, subtitle(bundle, lang), size=20, color=deck.grey)
    notice = data_notice(bundle, lang)
    if notice:
        deck.text_box(
            slide, 0.8, 5.0, width, 1.0, notice, size=14, color=deck.warn, fill=deck.warn_fill
        )


def _headline_slide(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add slide 2: the key figures as tiles of a big number over its label."""
    headline = headline_from(bundle.communes, bundle.teams)
    slide = deck.new_slide(t("report.headline", lang))
    cols = 4
    tile_w, tile_h = (deck.width - 1.0) / cols, 2.3
    for k, (label, value) in enumerate(headline_rows(headline, lang)):
        x = 0.5 + (k % cols) * tile_w
        y = 1.5 + (k // cols) * (tile_h + 0.3)
        deck.text_box(slide, x, y, tile_w - 0.2, 1.0, value, size=32, bold=True, color=deck.navy)
        deck.text_box(slide, x, y + 1.05, tile_w - 0.2, 1.0, label, size=16, color=deck.grey)
    if headline.need_met_share is not None:
        deck.text_box(
            slide,
            0.5,
            6.35,
            deck.width - 1.0,
            0.6,
            t("report.h.need_met", lang) + ": " + t("report.h.need_met.note", lang),
            size=12,
            color=deck.grey,
        )


def _map_slide(
    deck: SlideDeck, bundle: ReportBundle, lang: Lang, *, layers: MapLayers | None
) -> None:
    """Add slide 3: the map (the only picture) and its caption."""
    from coverage.outputs.staticmap.model import LAYOUTS

    coverage = bundle.metric == "coverage_ratio"
    slide = deck.new_slide(
        t("report.slide.map_title" if coverage else "report.slide.map_title_density", lang)
    )
    png = map_png_bytes(bundle, layout="slide_map", lang=lang, dpi=180, layers=layers)
    fig_w, fig_h = LAYOUTS["slide_map"][0]
    pic_w = min(deck.width - 1.0, fig_w)
    deck.picture(slide, png, (deck.width - pic_w) / 2, 0.95, pic_w, pic_w * fig_h / fig_w)
    caption = t(
        "report.slide.map_caption" if coverage else "report.slide.map_caption_density", lang
    )
    deck.text_box(slide, 0.5, 6.5, deck.width - 1.0, 0.45, caption, size=16, color=deck.grey)


def _priority_header(lang: Lang) -> list[str]:
    """Return the header of the priority communes' tables."""
    return [
        t("report.col.commune", lang),
        t("report.col.coverage", lang),
        t("report.col.flags", lang),
        t("report.col.reason_short", lang),
    ]


def _priority_slide(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> list[list[str]]:
    """Add slide 4: the lowest few priority communes, a short reason each; return every row.

    The full list goes to the appendix (:func:`_appendix_slides`).
    """
    priority = priority_communes(bundle.communes)
    slide = deck.new_slide(t("report.priority.title", lang))
    if priority.empty:
        deck.text_box(
            slide, 0.5, 1.5, deck.width - 1.0, 1.0, t("report.priority.none", lang), size=20
        )
        return []
    rows = [
        [
            display_name(r.get("name", ""), 30),
            percent_text(r.get("coverage_ratio"), lang),
            flags_text(r, lang),
            short_reason(priority_reason(r, lang), 68),
        ]
        for r in priority.to_dict("records")
    ]
    shown = rows[:SLIDE_ROWS]
    intro = t(
        "report.slide.priority_top",
        lang,
        shown=format_number(len(shown), lang),
        n=format_number(len(rows), lang),
    )
    deck.text_box(slide, 0.5, 1.05, deck.width - 1.0, 0.5, intro, size=18, color=deck.grey)
    deck.add_table(slide, [_priority_header(lang), *shown], PRIORITY_WIDTHS_IN, y=1.75)
    return rows


def _plan_slides(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add slide 5 and on: the plan's sites, SLIDE_ROWS a slide, under its status and total."""
    title = t("report.plan.title", lang)
    if bundle.plan is None:
        slide = deck.new_slide(title)
        deck.text_box(slide, 0.5, 1.5, deck.width - 1.0, 1.0, t("report.plan.none", lang), size=20)
        return
    status = plan_status(bundle, lang) or ""
    total = plan_total(bundle, lang) or ""
    body = [
        [
            r["no"],
            r["commune_short"],
            r["need_served"],
            r["newly_reached_count"],
            short_reason(r["reason"], 68),
        ]
        for r in site_rows(bundle, lang)
    ]
    header = [
        t("report.col.no", lang),
        t("report.col.commune", lang),
        t("report.col.need_served", lang),
        t("report.col.newly_reached", lang),
        t("report.col.reason_short", lang),
    ]
    chunks = [body[i : i + SLIDE_ROWS] for i in range(0, len(body), SLIDE_ROWS)] or [[]]
    for page, chunk in enumerate(chunks):
        slide = deck.new_slide(title + (" " + t("report.continued", lang) if page else ""))
        deck.text_box(
            slide,
            0.5,
            1.05,
            deck.width - 1.0,
            0.9,
            "\n".join(x for x in (status, total) if x),
            size=18,
            color=deck.navy,
        )
        if not chunk:
            deck.text_box(
                slide, 0.5, 2.2, deck.width - 1.0, 1.0, t("report.plan.empty", lang), size=20
            )
            continue
        deck.add_table(slide, [header, *chunk], [0.8, 3.0, 2.2, 2.0, 4.3], y=2.15)


def _comparison_slides(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add slide 6 and on: before/after a scenario, its moved teams and its new teams."""
    comparison = bundle.comparison
    assert comparison is not None  # only called with a comparison
    short = display_name(comparison.name, 40)
    slide = deck.new_slide(t("report.compare.title", lang, name=short))
    intro = t("report.compare.intro", lang, name=short)
    deck.text_box(slide, 0.5, 1.05, deck.width - 1.0, 0.5, intro, size=18, color=deck.grey)
    rows = [
        [
            t("report.col.metric", lang),
            t("report.col.before", lang),
            t("report.col.after", lang),
            t("report.col.change", lang),
        ]
    ]
    rows += [list(r) for r in comparison_rows(comparison, lang)][:SLIDE_ROWS]
    deck.add_table(slide, rows, [5.5, 2.0, 2.0, 2.5], y=1.75)

    slide = deck.new_slide(t("report.moves.title", lang))
    if comparison.moves.empty:
        deck.text_box(slide, 0.5, 1.5, deck.width - 1.0, 1.0, t("report.moves.none", lang), size=20)
    else:
        intro = t("report.moves.intro", lang, n=format_number(len(comparison.moves), lang))
        deck.text_box(slide, 0.5, 1.05, deck.width - 1.0, 0.5, intro, size=18, color=deck.grey)
        rows = move_rows(comparison, lang)
        deck.add_table(slide, [rows[0], *rows[1 : SLIDE_ROWS + 1]], [4.4, 1.9, 3.0, 3.0], y=1.75)
        _more(deck, slide, len(rows) - 1, lang)
    if not comparison.new_teams.empty:
        slide = deck.new_slide(t("report.new_teams.title", lang))
        intro = t("report.new_teams.intro", lang, n=format_number(len(comparison.new_teams), lang))
        deck.text_box(slide, 0.5, 1.05, deck.width - 1.0, 0.5, intro, size=18, color=deck.grey)
        rows = new_team_rows(comparison, lang)
        deck.add_table(
            slide, [rows[0], *rows[1 : SLIDE_ROWS + 1]], [1.0, 4.3, 3.0, 1.9, 2.1], y=1.75
        )
        _more(deck, slide, len(rows) - 1, lang)


def _border_slide(
    deck: SlideDeck,
    bundle: ReportBundle,
    packet: BorderPacket,
    lang: Lang,
    *,
    layers: MapLayers | None,
) -> None:
    """Add a border commune's slide: inset map, figures, teams in reach, their languages."""
    slide = deck.new_slide(t("report.packet.heading", lang, name=display_name(packet.name, 40)))
    png = inset_png_bytes(
        bundle, packet.code, layers=layers, lang=lang, size_in=INSET_IN, dpi=INSET_DPI
    )
    deck.picture(slide, png, 0.5, 1.2, INSET_IN[0], INSET_IN[1])
    facts = dict(packet.facts)
    lines = [
        f"{k}: {facts[k]}"
        for k in (
            t("report.packet.population", lang),
            t("report.packet.coverage", lang),
            t("report.packet.status", lang),
            t("report.packet.minority", lang),
        )
        if k in facts
    ]
    reasons = {"reasons_vi": packet.reasons, "reasons_en": packet.reasons}
    lines.append(short_reason(priority_reason(reasons, lang), 70))
    deck.text_box(slide, 5.4, 1.1, 7.4, 1.9, "\n".join(lines), size=18)
    rows = [
        [
            t("report.col.team", lang),
            t("report.col.members", lang),
            t("report.col.languages", lang),
        ]
    ]
    rows += [[r[0], r[2], r[5]] for r in packet.team_rows[:BORDER_SLIDE_TEAMS]]
    if len(rows) == 1:
        deck.text_box(slide, 5.4, 3.6, 7.4, 0.6, t("report.packet.no_teams", lang), size=18)
        return
    deck.add_table(slide, rows, [3.4, 1.3, 3.0], y=3.2, x=5.4)
    if len(packet.team_rows) > BORDER_SLIDE_TEAMS:
        more = format_number(len(packet.team_rows) - BORDER_SLIDE_TEAMS, lang)
        deck.text_box(
            slide,
            5.4,
            6.45,
            7.4,
            0.45,
            t("report.slide.teams_more", lang, n=more),
            size=16,
            color=deck.grey,
        )


def _progress_slides(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add the periodic evaluation's slides (:mod:`~coverage.outputs.reports.progress_pages`)."""
    from coverage.outputs.reports import progress_pages

    def picture(slide: Any, png: bytes) -> None:
        deck.picture(slide, png, 0.9, 1.1, 11.5, 5.2)

    progress_pages.add_slides(
        bundle.progress,
        lang=lang,
        new_slide=deck.new_slide,
        text_box=deck.text_box,
        add_table=deck.add_table,
        picture=picture,
        rows_per_slide=SLIDE_ROWS,
    )


def _sources_slide(deck: SlideDeck, bundle: ReportBundle, lang: Lang) -> None:
    """Add the data sources, the method and the notice about the data."""
    slide = deck.new_slide(t("report.method.title", lang))
    lines = []
    if bundle.analysis is not None:
        lines.append(t("report.method.coverage", lang))
    lines.append(t("report.method.crs", lang, crs=crs_name(bundle, lang)))
    lines.append(sources_text(bundle, lang))
    deck.text_box(slide, 0.5, 1.2, deck.width - 1.0, 4.2, "\n\n".join(lines), size=13)
    notice = data_notice(bundle, lang)
    if notice:
        deck.text_box(
            slide,
            0.5,
            5.7,
            deck.width - 1.0,
            1.0,
            notice,
            size=14,
            color=deck.warn,
            fill=deck.warn_fill,
        )


def _appendix_slides(deck: SlideDeck, priority_rows: list[list[str]], lang: Lang) -> None:
    """Add the appendix: the full priority list, APPENDIX_ROWS a slide."""
    if not priority_rows:
        return
    title = t("report.slide.appendix", lang, title=t("report.priority.title", lang))
    for start in range(0, len(priority_rows), APPENDIX_ROWS):
        slide = deck.new_slide(title + (" " + t("report.continued", lang) if start else ""))
        deck.add_table(
            slide,
            [_priority_header(lang), *priority_rows[start : start + APPENDIX_ROWS]],
            PRIORITY_WIDTHS_IN,
            y=1.2,
        )


__all__ = ["BORDER_SLIDE_TEAMS", "write_slides"]
