"""The Excel workbook of a report: communes, roster, a scenario's differences, in English too.

Sheets (headings in the report's language; the last sheet always in English):

==========================  ================================================================
sheet                       rows
==========================  ================================================================
``Xã phường``               every commune with all its fields, flags and reasons (named
                            fields first, then any other column under its own name)
``Danh sách đội``           the roster the report shows, with the communes each team serves
                            and its share of capacity there
``Khác biệt kịch bản``      the scenario's moves, new and removed teams, and the communes
                            whose coverage changes (one line saying so without a scenario)
``English``                 the commune sheet with English headings and reasons
==========================  ================================================================

Every text cell goes through :func:`coverage.outputs.safe_output.neutralise_cell`, so a name
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is shown as text and
never run as a formula. Numbers stay numbers; yes/no flags are words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import coverage.text.population  # noqa: F401  (registers the population source words)
from coverage.outputs.reports.content import ReportBundle, team_commune_shares
from coverage.outputs.reports.words import code_words, mode_label
from coverage.outputs.safe_output import neutralise_cell
from coverage.text.i18n import Lang, register, t

# (column, Vietnamese heading, English heading)
COMMUNE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("code", "Mã xã/phường", "Commune code"),
    ("name", "Tên xã/phường", "Commune"),
    ("full_name", "Tên đầy đủ", "Full name"),
    ("kind", "Loại đơn vị", "Kind"),
    ("province", "Tỉnh/thành", "Province"),
    ("population", "Dân số", "Population"),
    ("population_source", "Nguồn số dân", "Population source"),
    ("area_km2", "Diện tích (km²)", "Area (km²)"),
    ("density_per_km2", "Mật độ (người/km²)", "Density (people/km²)"),
    ("need", "Nhu cầu hỗ trợ (người)", "Need for help (people)"),
    ("capacity", "Năng lực (người/tuần)", "Capacity (people a week)"),
    ("coverage_ratio", "Mức đáp ứng (tỷ lệ)", "Need met (ratio)"),
    ("teams_in_reach", "Số đội trong tầm với", "Teams in reach"),
    ("volunteers_in_reach", "Tình nguyện viên trong tầm với", "Volunteers in reach"),
    ("nearest_team_km", "Khoảng cách tới đội gần nhất (km)", "Nearest team (km)"),
    ("volunteers_per_1000", "Tình nguyện viên / 1.000 dân", "Volunteers per 1,000 people"),
    ("connectivity_index", "Chỉ số kết nối số (0–100)", "Connectivity index (0–100)"),
    ("remote_index", "Chỉ số vùng sâu vùng xa (0–100)", "Remoteness index (0–100)"),
    ("ethnic_minority_pct", "Tỷ lệ đồng bào DTTS (%)", "Ethnic-minority share (%)"),
    ("is_border", "Biên giới", "Border"),
    ("border_country", "Giáp biên với", "Borders"),
    ("is_remote", "Vùng sâu, vùng xa", "Remote"),
    ("is_underserved", "Thiếu hỗ trợ", "Under-served"),
    ("indicators_estimated", "Chỉ số là ước tính", "Indicators estimated"),
    ("merged_from", "Đơn vị trước sáp nhập", "Pre-merger units"),
    ("reasons", "Lý do", "Reasons"),
)

TEAM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("team_id", "Mã đội", "Team id"),
    ("team_name", "Tên đội", "Team"),
    ("commune_code", "Mã xã/phường đặt đội", "Home commune code"),
    ("home", "Xã/phường đặt đội", "Home commune"),
    ("members", "Số thành viên", "Members"),
    ("mode", "Hình thức", "Mode"),
    ("weekly_hours", "Giờ/tuần", "Hours a week"),
    ("skills", "Kỹ năng", "Skills"),
    ("languages", "Ngôn ngữ", "Languages"),
    ("serves", "Xã/phường phục vụ (phần năng lực)", "Communes served (share of capacity)"),
    ("latitude", "Vĩ độ", "Latitude"),
    ("longitude", "Kinh độ", "Longitude"),
)

DIFFERENCE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("kind", "Loại thay đổi", "Change"),
    ("team", "Đội", "Team"),
    ("from", "Từ xã/phường", "From commune"),
    ("to", "Đến xã/phường", "To commune"),
    ("coverage_before", "Mức đáp ứng hiện tại", "Need met now"),
    ("coverage_after", "Mức đáp ứng kịch bản", "Need met in the scenario"),
)

register(
    {
        "report.xlsx.yes": {"vi": "Có", "en": "Yes"},
        "report.xlsx.no": {"vi": "Không", "en": "No"},
    }
)


def _heading(field: tuple[str, str, str], lang: Lang) -> str:
    return field[1] if lang == "vi" else field[2]


def _value(value: Any, lang: Lang) -> Any:
    """Return a cell value: numbers as numbers, flags as words, text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool) or (
        hasattr(value, "dtype") and str(getattr(value, "dtype", "")) == "bool"
    ):
        return t("report.xlsx.yes" if bool(value) else "report.xlsx.no", lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    if hasattr(value, "item"):
        return _value(value.item(), lang)
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return neutralise_cell(str(value))


def commune_rows(bundle: ReportBundle, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Heading and rows of the commune sheet in ``lang``."""
    frame = pd.DataFrame(bundle.communes.drop(columns="geometry", errors="ignore"))
    indicators = bundle.inputs.indicators
    if (
        indicators is not None
        and "ethnic_minority_pct" in indicators.columns
        and "ethnic_minority_pct" not in frame.columns
    ):
        minority = dict(
            zip(
                indicators["commune_code"].astype(str),
                indicators["ethnic_minority_pct"],
                strict=True,
            )
        )
        frame["ethnic_minority_pct"] = [minority.get(str(c)) for c in frame["code"]]
    frame["reasons"] = frame.get(f"reasons_{lang}", pd.Series("", index=frame.index))
    if "population_source" in frame.columns:
        frame["population_source"] = [
            t(f"population.source.{s}", lang) for s in frame["population_source"]
        ]
    fields = [f for f in COMMUNE_FIELDS if f[0] in frame.columns]
    known = {f[0] for f in COMMUNE_FIELDS} | {"reasons_vi", "reasons_en", "label_lon", "label_lat"}
    fields += [(c, c, c) for c in frame.columns if c not in known]  # every other field, by its name
    header = [_heading(f, lang) for f in fields]
    rows = [[_value(row.get(f[0]), lang) for f in fields] for row in frame.to_dict("records")]
    return header, rows


def team_rows(bundle: ReportBundle, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Heading and rows of the roster sheet in ``lang``."""
    teams = bundle.teams
    names = dict(
        zip(bundle.communes["code"].astype(str), bundle.communes["name"].astype(str), strict=True)
    )
    shares = team_commune_shares(bundle)
    serves: dict[str, str] = {}
    for team_id, group in shares.groupby("team_id", sort=False):
        serves[str(team_id)] = "; ".join(
            f"{names.get(str(c), str(c))} {share * 100:.0f}%".replace(".", ",")
            if lang == "vi"
            else f"{names.get(str(c), str(c))} {share * 100:.0f}%"
            for c, share in zip(group["commune_code"], group["share"], strict=True)
        )
    header = [_heading(f, lang) for f in TEAM_FIELDS]
    rows = []
    for team in teams.to_dict("records"):
        values = {
            **team,
            "home": names.get(str(team.get("commune_code")), str(team.get("commune_code"))),
            "mode": mode_label(team.get("mode"), lang),
            "skills": code_words(team.get("skills"), "report.skill.", lang),
            "languages": code_words(team.get("languages"), "report.language.", lang),
            "serves": serves.get(str(team.get("team_id")), ""),
        }
        rows.append([_value(values.get(f[0]), lang) for f in TEAM_FIELDS])
    return header, rows


def difference_rows(bundle: ReportBundle, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Heading and rows of the scenario-differences sheet in ``lang``."""
    header = [_heading(f, lang) for f in DIFFERENCE_FIELDS]
    comparison = bundle.comparison
    if comparison is None:
        return header, [
            [_value(t("report.xlsx.no_scenario", lang), lang)] + [None] * (len(header) - 1)
        ]
    rows: list[list[Any]] = []
    for move in comparison.moves.to_dict("records"):
        rows.append(
            [
                t("report.xlsx.kind.move", lang),
                move["team_name"] or move["team_id"],
                move["from_name"],
                move["to_name"],
                None,
                None,
            ]
        )
    for team in comparison.new_teams.to_dict("records"):
        rows.append(
            [
                t("report.xlsx.kind.new", lang),
                team["team_name"] or team["team_id"],
                None,
                team["commune_name"],
                None,
                None,
            ]
        )
    for team in comparison.removed_teams.to_dict("records"):
        rows.append(
            [
                t("report.xlsx.kind.removed", lang),
                team["team_name"] or team["team_id"],
                team["commune_name"],
                None,
                None,
                None,
            ]
        )
    for change in comparison.changes.to_dict("records"):
        rows.append(
            [
                t("report.xlsx.kind.coverage", lang),
                None,
                None,
                change["name"],
                change["coverage_before"],
                change["coverage_after"],
            ]
        )
    return header, [[_value(v, lang) for v in row] for row in rows]


def write_workbook(bundle: ReportBundle, path: Path, *, lang: Lang = "vi") -> Path:
    """Write the report's workbook (see the module docstring) with openpyxl."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheets: list[tuple[str, tuple[list[str], list[list[Any]]]]] = [
        (t("report.xlsx.communes", lang), commune_rows(bundle, lang)),
        (t("report.xlsx.roster", lang), team_rows(bundle, lang)),
        (t("report.xlsx.differences", lang), difference_rows(bundle, lang)),
        (t("report.xlsx.english", lang), commune_rows(bundle, "en")),
    ]
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="08306B")
    for index, (title, (header, rows)) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append([neutralise_cell(h) for h in header])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = head_font
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        _widths(sheet, header, rows)
    workbook.properties.title = t("report.title", lang)
    workbook.properties.creator = "gialai-coverage"
    workbook.save(str(path))
    return path


def _widths(sheet: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    for j, title in enumerate(header, start=1):
        longest = max(
            [len(str(title))] + [len(str(r[j - 1])) for r in rows[:300] if r[j - 1] is not None]
        )
        sheet.column_dimensions[get_column_letter(j)].width = max(8, min(60, longest + 2))


__all__ = [
    "COMMUNE_FIELDS",
    "TEAM_FIELDS",
    "commune_rows",
    "difference_rows",
    "team_rows",
    "write_workbook",
]
