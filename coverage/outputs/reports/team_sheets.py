"""The team sheets PDF: a sheet per team with its home, members and the communes it serves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from coverage.outputs.reports.content import ReportBundle, team_commune_shares
from coverage.outputs.reports.pdf import (
    CELL_CHARS,
    NAVY,
    PdfStyles,
    a4_text_width,
    briefing_styles,
    paragraph_markup,
    write_a4_pdf,
)
from coverage.outputs.reports.words import (
    code_words,
    coverage_text,
    data_notice,
    mode_label,
    number_text,
    province_label,
    share_text,
    subtitle,
)
from coverage.outputs.safe_output import display_name
from coverage.text.i18n import Lang, format_date, t

SERVED_COMMUNES = 12
"""Communes listed on a team's sheet (the largest shares first)."""


@dataclass(frozen=True)
class _Sheets:
    """What every team's sheet reads: styles, names and coverage by commune code, shares."""

    lang: Lang
    styles: PdfStyles
    h3: Any
    width: float
    names: Mapping[str, str]
    coverage: Mapping[str, Any]
    shares_by_team: Mapping[str, pd.DataFrame]

    def para(self, text: str, style: Any, max_chars: int | None = None) -> Any:
        """Return a Paragraph of plain ``text`` (escaped, bounded) in ``style``."""
        from reportlab.platypus import Paragraph

        markup = paragraph_markup(text) if max_chars is None else paragraph_markup(text, max_chars)
        return Paragraph(markup, style)


def write_team_sheets_pdf(bundle: ReportBundle, path: Path, *, lang: Lang = "vi") -> Path:
    """Write one sheet per team (A4 portrait, several to a page).

    Each sheet has the home commune, the communes the team serves with its share of
    capacity in each, members, mode, hours, skills and languages.
    """
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    styles = briefing_styles()
    base, small = styles.base, styles.small
    h1 = ParagraphStyle(
        "h1", parent=base, fontName=styles.bold, fontSize=16, leading=20, spaceAfter=3
    )
    h3 = ParagraphStyle(
        "h3",
        parent=base,
        fontName=styles.bold,
        fontSize=11,
        leading=14,
        spaceBefore=6,
        spaceAfter=3,
        textColor=colors.HexColor(NAVY),
    )
    communes = bundle.communes
    shares = team_commune_shares(bundle)
    sheets = _Sheets(
        lang=lang,
        styles=styles,
        h3=h3,
        width=a4_text_width(),
        names=dict(zip(communes["code"].astype(str), communes["name"].astype(str), strict=True)),
        coverage=(
            dict(zip(communes["code"].astype(str), communes["coverage_ratio"], strict=True))
            if "coverage_ratio" in communes.columns
            else {}
        ),
        shares_by_team={str(k): g for k, g in shares.groupby("team_id", sort=False)},
    )
    story: list[Any] = [
        sheets.para(t("report.teamsheet.title", lang) + " · " + province_label(bundle, lang), h1),
        sheets.para(subtitle(bundle, lang), base),
        sheets.para(t("report.teamsheet.share_note", lang), small),
    ]
    notice = data_notice(bundle, lang)
    if notice:
        story.append(sheets.para(notice, small))
    story += [_team_sheet(sheets, team) for team in bundle.teams.to_dict("records")]
    return write_a4_pdf(
        path,
        story,
        title=t("report.teamsheet.title", lang),
        footer=t("report.generated", lang, date=format_date(bundle.generated_on, lang)),
        font=styles.regular,
        lang=lang,
    )


def _team_sheet(sheets: _Sheets, team: Mapping[Any, Any]) -> Any:
    """Return one team's sheet: its heading, its facts beside the communes it serves."""
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    team_id = str(team.get("team_id", ""))
    width = sheets.width
    body = Table(
        [[_team_facts(sheets, team), _served_communes(sheets, team_id)]],
        colWidths=[width * 0.5, width * 0.5],
    )
    body.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOX", (0, 0), (-1, -1), 0.4, "#b0b0b0"),
            ]
        )
    )
    heading = t(
        "report.teamsheet.heading",
        sheets.lang,
        name=display_name(team.get("team_name") or team_id),
        team_id=display_name(team_id, 30),
    )
    return KeepTogether([sheets.para(heading, sheets.h3), body, Spacer(1, 4)])


def _team_facts(sheets: _Sheets, team: Mapping[Any, Any]) -> Any:
    """Return the grid of a team's facts: home, members, mode, hours, skills, languages."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    lang = sheets.lang
    home = str(team.get("commune_code"))
    facts = [
        (t("report.col.home", lang), display_name(sheets.names.get(home, home))),
        (t("report.col.members", lang), number_text(team.get("members"), lang)),
        (t("report.col.mode", lang), mode_label(team.get("mode"), lang)),
        (t("report.col.hours", lang), number_text(team.get("weekly_hours"), lang, 1)),
        (t("report.col.skills", lang), code_words(team.get("skills"), "report.skill.", lang)),
        (
            t("report.col.languages", lang),
            code_words(team.get("languages"), "report.language.", lang),
        ),
    ]
    styles = sheets.styles
    grid = Table(
        [[sheets.para(k, styles.small), sheets.para(v, styles.base, CELL_CHARS)] for k, v in facts],
        colWidths=[32 * mm, sheets.width * 0.5 - 32 * mm],
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return grid


def _served_communes(sheets: _Sheets, team_id: str) -> Any:
    """Return the table of the communes a team serves, its share and their coverage."""
    from reportlab.platypus import Table, TableStyle

    lang, styles, width = sheets.lang, sheets.styles, sheets.width
    served = sheets.shares_by_team.get(team_id)
    rows: list[list[Any]] = [
        [
            sheets.para(t("report.col.commune", lang), styles.small),
            sheets.para(t("report.col.share", lang), styles.small),
            sheets.para(t("report.col.coverage", lang), styles.small),
        ]
    ]
    if served is not None:
        pairs = list(zip(served["commune_code"], served["share"], strict=True))
        for code, share in pairs[:SERVED_COMMUNES]:
            rows.append(
                [
                    sheets.para(
                        display_name(sheets.names.get(str(code), str(code)), 40), styles.base
                    ),
                    share_text(float(share), lang),
                    coverage_text(sheets.coverage.get(str(code)), lang),
                ]
            )
    if len(rows) == 1:
        return sheets.para(t("report.teamsheet.none", lang), styles.base)
    table = Table(rows, colWidths=[width * 0.26, width * 0.1, width * 0.1])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.regular, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, NAVY),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


__all__ = ["write_team_sheets_pdf"]
