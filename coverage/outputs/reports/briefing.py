"""The A4 briefing PDF: one named part per section, put together by :func:`write_briefing_pdf`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
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
from coverage.outputs.reports.pdf import (
    NAVY,
    PARAGRAPH_CHARS,
    PdfStyles,
    a4_text_width,
    briefing_styles,
    paragraph_markup,
    pdf_table,
    write_a4_pdf,
)
from coverage.outputs.reports.rows import (
    BorderPacket,
    appendix_rows,
    border_packets,
    comparison_rows,
    headline_rows,
    move_rows,
    new_team_rows,
    plan_status,
    plan_total,
    site_rows,
    team_header,
)
from coverage.outputs.reports.words import (
    data_notice,
    flags_text,
    percent_text,
    population_credit,
    population_text,
    reasons_text,
    signed_text,
    sources_text,
    subtitle,
)
from coverage.outputs.safe_output import display_name
from coverage.text.i18n import Lang, format_date, format_number, t

if TYPE_CHECKING:
    from coverage.outputs.staticmap.model import MapLayers

PACKET_TEAMS = 12
"""Teams listed on a border commune's page (the largest shares first; then "… and N more")."""

HEADLINE_TILES = 4
"""Headline figures a row of tiles holds."""


@dataclass(frozen=True)
class _Briefing:
    """What every section of the briefing reads: the bundle, the language and the page."""

    bundle: ReportBundle
    lang: Lang
    styles: PdfStyles
    width: float
    layers: MapLayers | None

    def para(
        self, text: str, style: Any = None, *, max_chars: int = PARAGRAPH_CHARS, bold: bool = False
    ) -> Any:
        """Return a Paragraph of plain ``text`` (escaped, bounded) in ``style`` (body text)."""
        from reportlab.platypus import Paragraph

        markup = paragraph_markup(text, max_chars)
        return Paragraph(
            f"<b>{markup}</b>" if bold else markup, self.styles.base if style is None else style
        )

    def heading(self, text: str) -> Any:
        """Return a section heading."""
        return self.para(text, self.styles.h2)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Any:
        """Return a table with a navy head row (:func:`coverage.outputs.reports.pdf.pdf_table`)."""
        return pdf_table(rows, widths, styles=self.styles)


def write_briefing_pdf(
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: MapLayers | None = None,
) -> Path:
    """Write the briefing: headline figures, map, priority communes, plan, comparison.

    A4 portrait, DejaVu Sans embedded, numbers in ``lang``'s format.
    """
    styles = briefing_styles()
    page = _Briefing(bundle=bundle, lang=lang, styles=styles, width=a4_text_width(), layers=layers)
    story = [*_title(page), *_headline(page), *_map(page)]
    if bundle.analysis is not None:
        story += _priority(page)
    story += _plan(page)
    if bundle.comparison is not None:
        story += _comparison(page)
        story += _moves(page)
    if bundle.analysis is not None:
        story += _border_pages(page)
    if bundle.progress is not None:
        story += _progress(page)
    story += _method(page)
    story += _appendix(page)
    return write_a4_pdf(
        path,
        story,
        title=f"{t('report.briefing', lang)}: {t('report.title', lang)}",
        footer=_footer(bundle, lang),
        font=styles.regular,
        lang=lang,
    )


def _title(page: _Briefing) -> list[Any]:
    """Return the title, the subtitle and the notice about SAMPLE or ILLUSTRATIVE data."""
    from reportlab.platypus import Spacer

    lang, styles = page.lang, page.styles
    story: list[Any] = [
        page.para(t("report.briefing", lang) + ": " + t("report.title", lang), styles.h1),
        page.para(subtitle(page.bundle, lang)),
    ]
    notice = data_notice(page.bundle, lang)
    if notice:
        story.append(Spacer(1, 4))
        story.append(page.para(notice, styles.notice))
    else:
        story.append(Spacer(1, 6))
    return story


def _headline(page: _Briefing) -> list[Any]:
    """Return the headline figures: a grid of label + big number, with the need-met note."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    bundle, lang, styles = page.bundle, page.lang, page.styles
    headline = headline_from(bundle.communes, bundle.teams)
    pairs = headline_rows(headline, lang)
    grid: list[list[Any]] = []
    for start in range(0, len(pairs), HEADLINE_TILES):
        chunk = pairs[start : start + HEADLINE_TILES]
        chunk += [("", "")] * (HEADLINE_TILES - len(chunk))
        grid.append(
            [
                [page.para(value, styles.big), page.para(label, styles.small)]
                for label, value in chunk
            ]
        )
    tiles = Table(grid, colWidths=[page.width / HEADLINE_TILES] * HEADLINE_TILES)
    navy = colors.HexColor(NAVY)
    tiles.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, navy),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, navy),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story: list[Any] = [page.heading(t("report.headline", lang)), tiles]
    if headline.need_met_share is not None:
        story.append(
            page.para(
                t("report.h.need_met", lang) + ": " + t("report.h.need_met.note", lang),
                styles.small,
            )
        )
    if bundle.analysis is None:
        story.append(page.para(t("report.no_analysis", lang), styles.small))
    return story


def _map(page: _Briefing) -> list[Any]:
    """Return the static map at the page's width, kept with its heading."""
    from reportlab.platypus import Image, KeepTogether, Spacer

    from coverage.outputs.staticmap.model import LAYOUTS

    png = map_png_bytes(page.bundle, layout="briefing", lang=page.lang, dpi=220, layers=page.layers)
    fig_w, fig_h = LAYOUTS["briefing"][0]
    img = Image(io.BytesIO(png), width=page.width, height=page.width * fig_h / fig_w)
    return [Spacer(1, 6), KeepTogether([page.heading(t("report.map", page.lang)), img])]


def _priority(page: _Briefing) -> list[Any]:
    """Return the under-served border and remote communes, lowest coverage first."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    lang = page.lang
    story: list[Any] = [PageBreak(), page.heading(t("report.priority.title", lang))]
    priority = priority_communes(page.bundle.communes)
    if priority.empty:
        story.append(page.para(t("report.priority.none", lang)))
        return story
    story.append(page.para(t("report.priority.intro", lang, n=format_number(len(priority), lang))))
    story.append(Spacer(1, 4))
    rows: list[list[str]] = [
        [
            t("report.col.no", lang),
            t("report.col.commune", lang),
            t("report.col.population", lang),
            t("report.col.coverage", lang),
            t("report.col.flags", lang),
            t("report.col.reasons", lang),
        ]
    ]
    for i, row in enumerate(priority.to_dict("records"), start=1):
        rows.append(
            [
                str(i),
                display_name(row.get("name", "")),
                population_text(row, lang),
                percent_text(row.get("coverage_ratio"), lang),
                flags_text(row, lang),
                reasons_text(row, lang),
            ]
        )
    widths = [11 * mm, 28 * mm, 18 * mm, 19 * mm, 25 * mm, page.width - 101 * mm]
    story.append(page.table(rows, widths))
    return story


def _plan(page: _Briefing) -> list[Any]:
    """Return the proposed new teams: solution quality, total, and a row per site."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    bundle, lang = page.bundle, page.lang
    story: list[Any] = [page.heading(t("report.plan.title", lang))]
    if bundle.plan is None:
        story.append(page.para(t("report.plan.none", lang)))
        return story
    sites = site_rows(bundle, lang)
    status = plan_status(bundle, lang)
    if status:
        story.append(page.para(status, bold=True))
    total = plan_total(bundle, lang)
    if total:
        story.append(page.para(total))
    if not sites:
        story.append(page.para(t("report.plan.empty", lang)))
        return story
    story.append(page.para(t("report.plan.intro", lang, n=format_number(len(sites), lang))))
    story.append(Spacer(1, 4))
    rows = [
        [
            t("report.col.no", lang),
            t("report.col.commune", lang),
            t("report.col.need_served", lang),
            t("report.col.newly_reached", lang),
            t("report.col.reasons", lang),
            t("report.col.alternative", lang),
        ]
    ]
    rows += [
        [r["no"], r["commune"], r["need_served"], r["newly_reached"], r["reason"], r["alternative"]]
        for r in sites
    ]
    rest = page.width - 11 * mm - 28 * mm - 22 * mm - 35 * mm
    story.append(page.table(rows, [11 * mm, 28 * mm, 22 * mm, 35 * mm, rest * 0.55, rest * 0.45]))
    return story


def _comparison(page: _Briefing) -> list[Any]:
    """Return before and after a saved scenario, and the communes that change most."""
    from reportlab.platypus import KeepTogether, Spacer

    lang, width = page.lang, page.width
    comparison = page.bundle.comparison
    assert comparison is not None  # only called with a comparison
    widths = [width * 0.43, width * 0.19, width * 0.19, width * 0.19]
    rows = [
        [
            t("report.col.metric", lang),
            t("report.col.before", lang),
            t("report.col.after", lang),
            t("report.col.change", lang),
        ]
    ]
    rows += [list(r) for r in comparison_rows(comparison, lang)]
    name = display_name(comparison.name)
    story: list[Any] = [
        KeepTogether(
            [
                page.heading(t("report.compare.title", lang, name=name)),
                page.para(t("report.compare.intro", lang, name=name)),
                Spacer(1, 4),
                page.table(rows, widths),
            ]
        )
    ]
    if comparison.changes.empty:
        return story
    rows = [
        [
            t("report.col.commune", lang),
            t("report.col.before", lang),
            t("report.col.after", lang),
            t("report.col.change", lang),
        ]
    ]
    for row in comparison.changes.to_dict("records"):
        before, after = float(row["coverage_before"]), float(row["coverage_after"])
        rows.append(
            [
                display_name(row["name"]),
                percent_text(before, lang),
                percent_text(after, lang),
                signed_text((after - before) * 100, lang) + (" điểm %" if lang == "vi" else " pp"),
            ]
        )
    story.append(Spacer(1, 6))
    story.append(
        KeepTogether(
            [
                page.para(t("report.compare.changed", lang)),
                Spacer(1, 3),
                page.table(rows, widths),
            ]
        )
    )
    return story


def _moves(page: _Briefing) -> list[Any]:
    """Return the scenario's moved, new and removed teams."""
    from reportlab.platypus import Spacer

    lang, width = page.lang, page.width
    comparison = page.bundle.comparison
    assert comparison is not None  # only called with a comparison
    out: list[Any] = [page.heading(t("report.moves.title", lang))]
    if comparison.moves.empty:
        out.append(page.para(t("report.moves.none", lang)))
    else:
        n = format_number(len(comparison.moves), lang)
        out.append(page.para(t("report.moves.intro", lang, n=n)))
        out.append(Spacer(1, 3))
        out.append(
            page.table(
                move_rows(comparison, lang),
                [width * 0.36, width * 0.14, width * 0.25, width * 0.25],
            )
        )
    out.append(page.heading(t("report.new_teams.title", lang)))
    if comparison.new_teams.empty:
        out.append(page.para(t("report.new_teams.none", lang)))
    else:
        n = format_number(len(comparison.new_teams), lang)
        out.append(page.para(t("report.new_teams.intro", lang, n=n)))
        out.append(Spacer(1, 3))
        out.append(
            page.table(
                new_team_rows(comparison, lang),
                [width * 0.08, width * 0.38, width * 0.26, width * 0.13, width * 0.15],
            )
        )
    if not comparison.removed_teams.empty:
        names = ", ".join(
            display_name(n, 40) for n in comparison.removed_teams["team_name"].head(20)
        )
        out.append(page.para(t("report.removed_teams", lang, names=names)))
    return out


def _border_pages(page: _Briefing) -> list[Any]:
    """Return a page per border commune: inset map, figures, reasons, teams in reach."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, PageBreak

    out: list[Any] = []
    for packet in border_packets(page.bundle, page.lang):
        out.append(PageBreak())
        out.append(KeepInFrame(page.width, 245 * mm, _border_page(page, packet), mode="shrink"))
    return out


def _border_page(page: _Briefing, packet: BorderPacket) -> list[Any]:
    """Return the flowables of one border commune's page."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer, Table, TableStyle

    bundle, lang, styles, width = page.bundle, page.lang, page.styles, page.width
    png = inset_png_bytes(
        bundle, packet.code, layers=page.layers, lang=lang, size_in=INSET_IN, dpi=INSET_DPI
    )
    image = Image(io.BytesIO(png), width=78 * mm, height=78 * mm * INSET_IN[1] / INSET_IN[0])
    facts = Table(
        [
            [page.para(k, styles.small), page.para(v, styles.base, max_chars=300)]
            for k, v in packet.facts
        ],
        colWidths=[34 * mm, width - 78 * mm - 40 * mm],
    )
    facts.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#cccccc"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    top = Table([[image, facts]], colWidths=[82 * mm, width - 82 * mm])
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    block: list[Any] = [
        page.heading(t("report.packet.heading", lang, name=packet.name)),
        top,
        Spacer(1, 4),
        page.para(t("report.packet.reasons", lang), bold=True),
        page.para(packet.reasons or t("report.packet.none_reasons", lang), max_chars=900),
        Spacer(1, 4),
        page.para(t("report.packet.teams", lang), bold=True),
    ]
    if not packet.team_rows:
        block.append(page.para(t("report.packet.no_teams", lang)))
    else:
        rows = [team_header(lang), *packet.team_rows[:PACKET_TEAMS]]
        shares = (0.22, 0.15, 0.1, 0.1, 0.25, 0.18)
        block.append(page.table(rows, [width * share for share in shares]))
        if len(packet.team_rows) > PACKET_TEAMS:
            more = format_number(len(packet.team_rows) - PACKET_TEAMS, lang)
            block.append(page.para(t("report.slide.teams_more", lang, n=more), styles.small))
    block.append(page.para(t("report.teamsheet.share_note", lang), styles.small))
    return block


def _progress(page: _Briefing) -> list[Any]:
    """Return the periodic evaluation's pages (:mod:`~coverage.outputs.reports.progress_pages`)."""
    from coverage.outputs.reports import progress_pages

    styles = page.styles
    return progress_pages.briefing_story(
        page.bundle.progress,
        lang=page.lang,
        table=page.table,
        h2=styles.h2,
        base=styles.base,
        small=styles.small,
        notice_style=styles.notice,
        width=page.width,
    )


def _method(page: _Briefing) -> list[Any]:
    """Return the data sources and method on a new page, with the notice again."""
    from reportlab.platypus import PageBreak, Spacer

    bundle, lang = page.bundle, page.lang
    story: list[Any] = [PageBreak(), page.heading(t("report.method.title", lang))]
    if bundle.analysis is not None:
        story.append(page.para(t("report.method.coverage", lang)))
        story.append(Spacer(1, 3))
    story.append(page.para(t("report.method.crs", lang, crs=crs_name(bundle, lang))))
    story.append(Spacer(1, 3))
    story.append(page.para(sources_text(bundle, lang)))
    notice = data_notice(bundle, lang)
    if notice:
        story.append(page.para(notice, page.styles.notice))
    return story


def _appendix(page: _Briefing) -> list[Any]:
    """Return every number the map shows, per commune, on a new page."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak

    header, records, widths_mm = appendix_rows(page.bundle.communes, page.lang)
    fixed = sum(widths_mm[:-1]) if widths_mm else 0.0
    col_widths = [w * mm for w in widths_mm[:-1]] + [page.width - fixed * mm]
    return [
        PageBreak(),
        page.heading(t("report.appendix.title", page.lang)),
        page.table([header, *records], col_widths),
    ]


def _footer(bundle: ReportBundle, lang: Lang) -> str:
    """Return the footer of every page: date, SAMPLE/ESTIMATE labels, population credit."""
    footer = t("report.generated", lang, date=format_date(bundle.generated_on, lang))
    if bundle.inputs.teams_is_sample or bundle.inputs.indicators_is_estimate:
        label = " · ".join(
            x
            for x in (
                t("report.flag.sample_short", lang) if bundle.inputs.teams_is_sample else "",
                t("report.flag.estimate_short", lang)
                if bundle.inputs.indicators_is_estimate
                else "",
            )
            if x
        )
        footer += " · " + label
    if population_credit(bundle, lang):
        footer += " · " + population_credit(bundle, lang)
    return footer


__all__ = ["PACKET_TEAMS", "write_briefing_pdf"]
