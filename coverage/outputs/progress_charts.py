"""Progress charts, tables and the Excel workbook, shared by the app and the reports.

Charts are matplotlib figures (what Streamlit shows with ``st.pyplot`` and what the PDF
briefing and the slides embed as PNG), so the app and the exported reports show the
same pictures. Every chart and table carries the SAMPLE label when sample reports are
counted. Vietnamese first; labels come from the catalogue below.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coverage.text.i18n import Lang, format_number, format_percent, register, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coverage.monitoring.progress import Progress

register(
    {
        "prog.sample_label": {
            "vi": "DỮ LIỆU MẪU: {count} báo cáo trong kỳ là mẫu, không phải thật",
            "en": "SAMPLE: {count} report(s) in the period are made up, not real",
        },
        "prog.chart.weekly": {
            "vi": "Người dân được hỗ trợ mỗi tuần (cả tỉnh)",
            "en": "Residents helped per week (province)",
        },
        "prog.chart.weekly.target": {"vi": "Chỉ tiêu/tuần", "en": "Target/week"},
        "prog.chart.weekly.reports": {"vi": "Số đội báo cáo", "en": "Teams reporting"},
        "prog.chart.trend": {"vi": "Xu hướng: {name}", "en": "Trend: {name}"},
        "prog.chart.teams": {
            "vi": "So sánh đội: người được hỗ trợ mỗi tình nguyện viên-giờ",
            "en": "Teams compared: residents helped per volunteer-hour",
        },
        "prog.chart.assumed": {"vi": "Giả định 1,5/giờ", "en": "Assumed 1.5/hour"},
        "prog.chart.week": {"vi": "Tuần", "en": "Week"},
        "prog.chart.residents": {"vi": "Người dân", "en": "Residents"},
        "prog.chart.models": {
            "vi": "Mô hình làm việc: người được hỗ trợ mỗi TNV-giờ",
            "en": "Working models: residents helped per volunteer-hour",
        },
        "prog.model.one_to_one": {"vi": '"1-1" (một kèm một)', "en": '"1-1" (one to one)'},
        "prog.model.tech_interpreter": {
            "vi": "Phiên dịch viên công nghệ",
            "en": "Technology interpreters",
        },
        "prog.model.weekend_one_stop": {
            "vi": "Ngày cuối tuần tại bộ phận một cửa",
            "en": "Weekend days at the one-stop office",
        },
        "prog.model.mobile_visit": {"vi": "Lưu động đến thôn, buôn", "en": "Mobile visits"},
        "prog.model.other": {"vi": "Khác", "en": "Other"},
        "prog.col.code": {"vi": "Mã xã", "en": "Code"},
        "prog.col.name": {"vi": "Xã/phường", "en": "Commune"},
        "prog.col.teams": {"vi": "Số đội", "en": "Teams"},
        "prog.col.expected_reports": {"vi": "Báo cáo dự kiến", "en": "Expected reports"},
        "prog.col.reports": {"vi": "Báo cáo đã nhận", "en": "Reports received"},
        "prog.col.reports_on_time": {"vi": "Đúng hạn", "en": "On time"},
        "prog.col.reporting_rate": {"vi": "Tỷ lệ báo cáo", "en": "Reporting rate"},
        "prog.col.timeliness": {"vi": "Tỷ lệ đúng hạn", "en": "Timeliness"},
        "prog.col.residents_helped": {"vi": "Người được hỗ trợ", "en": "Residents helped"},
        "prog.col.residents_per_week": {"vi": "Người/tuần", "en": "Residents/week"},
        "prog.col.target_residents_per_week": {
            "vi": "Chỉ tiêu người/tuần",
            "en": "Target residents/week",
        },
        "prog.col.target_source": {"vi": "Nguồn chỉ tiêu", "en": "Target source"},
        "prog.col.progress_ratio": {"vi": "Tiến độ", "en": "Progress"},
        "prog.col.vneid_level2": {"vi": "VNeID mức 2", "en": "VNeID level 2"},
        "prog.col.throughput": {"vi": "Người/TNV-giờ", "en": "Residents/volunteer-hour"},
        "prog.col.silent_teams": {"vi": "Đội im lặng ≥2 tuần", "en": "Teams silent ≥2 weeks"},
        "prog.col.is_behind": {"vi": "Chậm chỉ tiêu", "en": "Behind target"},
        "prog.col.behind_reasons": {"vi": "Lý do", "en": "Reasons"},
        "prog.col.team_id": {"vi": "Mã đội", "en": "Team id"},
        "prog.col.team_name": {"vi": "Tên đội", "en": "Team"},
        "prog.col.commune_code": {"vi": "Mã xã của đội", "en": "Home commune"},
        "prog.col.mode": {"vi": "Loại đội", "en": "Mode"},
        "prog.col.last_week": {"vi": "Tuần báo cáo cuối", "en": "Last report week"},
        "prog.col.weeks_silent": {"vi": "Số tuần im lặng", "en": "Weeks silent"},
        "prog.col.is_silent": {"vi": "Im lặng ≥2 tuần", "en": "Silent ≥2 weeks"},
        "prog.col.volunteer_hours": {"vi": "TNV-giờ", "en": "Volunteer-hours"},
        "prog.col.outliers": {"vi": "Báo cáo cần xem lại", "en": "Reports to review"},
        "prog.col.working_model": {"vi": "Mô hình", "en": "Working model"},
        "prog.col.week": {"vi": "Tuần", "en": "Week"},
        "prog.col.teams_reporting": {"vi": "Đội báo cáo", "en": "Teams reporting"},
        "prog.sheet.communes": {"vi": "Xã", "en": "Communes"},
        "prog.sheet.teams": {"vi": "Đội", "en": "Teams"},
        "prog.sheet.weeks": {"vi": "Theo tuần", "en": "Weeks"},
        "prog.sheet.models": {"vi": "Mô hình", "en": "Models"},
        "prog.target.stored": {"vi": "đã đặt", "en": "set"},
        "prog.target.default": {
            "vi": "mặc định (theo danh sách đội)",
            "en": "default (from the roster)",
        },
        "prog.yes": {"vi": "có", "en": "yes"},
        "prog.col.day": {"vi": "Ngày", "en": "Date"},
        "prog.col.volunteers": {"vi": "Số TNV", "en": "Volunteers"},
        "prog.col.hours": {"vi": "Số giờ", "en": "Hours"},
        "prog.col.team_median": {"vi": "Trung vị của đội", "en": "Team's median"},
        "prog.col.source": {"vi": "Nguồn", "en": "Source"},
        "prog.col.author": {"vi": "Người nhập", "en": "Entered by"},
        "prog.mode.fixed": {"vi": "cố định", "en": "fixed"},
        "prog.mode.mobile": {"vi": "lưu động", "en": "mobile"},
    }
)

COMMUNE_TABLE = (
    "code",
    "name",
    "teams",
    "expected_reports",
    "reports",
    "reports_on_time",
    "reporting_rate",
    "timeliness",
    "residents_helped",
    "residents_per_week",
    "target_residents_per_week",
    "target_source",
    "progress_ratio",
    "vneid_level2",
    "throughput",
    "silent_teams",
    "is_behind",
    "behind_reasons",
)
TEAM_TABLE = (
    "team_id",
    "team_name",
    "commune_code",
    "mode",
    "expected_reports",
    "reports",
    "reports_on_time",
    "reporting_rate",
    "last_week",
    "weeks_silent",
    "is_silent",
    "residents_helped",
    "volunteer_hours",
    "throughput",
    "outliers",
)
WEEK_TABLE = (
    "week",
    "reports",
    "teams_reporting",
    "residents_helped",
    "vneid_level2",
    "volunteer_hours",
)
MODEL_TABLE = (
    "working_model",
    "reports",
    "teams",
    "residents_helped",
    "volunteer_hours",
    "throughput",
)


def model_label(model: str, lang: Lang) -> str:
    """Return a working model's name in plain words."""
    key = f"prog.model.{model}"
    try:
        return t(key, lang)
    except KeyError:
        return model


def commune_table(progress: Progress, *, lang: Lang) -> pd.DataFrame:
    """Return the per-commune progress table with headers in ``lang`` (numbers kept as numbers)."""
    frame = progress.communes.assign(behind_reasons=progress.communes[f"behind_reasons_{lang}"])
    frame = pd.DataFrame(frame[list(COMMUNE_TABLE)]).copy()
    frame["target_source"] = frame["target_source"].map(lambda v: t(f"prog.target.{v}", lang))
    for column in ("residents_per_week", "target_residents_per_week"):
        frame[column] = frame[column].round(1)
    for column in ("reporting_rate", "timeliness", "progress_ratio", "throughput"):
        frame[column] = frame[column].astype(float).round(3)
    return frame.rename(columns={c: t(f"prog.col.{c}", lang) for c in frame.columns})


def team_table(progress: Progress, *, lang: Lang) -> pd.DataFrame:
    """Return the per-team table with headers in ``lang``."""
    frame = pd.DataFrame(progress.teams[list(TEAM_TABLE)]).copy()
    frame["mode"] = frame["mode"].map(
        lambda m: t(f"prog.mode.{m}", lang) if m in ("fixed", "mobile") else m
    )
    frame["throughput"] = frame["throughput"].astype(float).round(3)
    frame["reporting_rate"] = frame["reporting_rate"].astype(float).round(3)
    frame["volunteer_hours"] = frame["volunteer_hours"].astype(float).round(1)
    return frame.rename(columns={c: t(f"prog.col.{c}", lang) for c in frame.columns})


def week_table(progress: Progress, *, lang: Lang) -> pd.DataFrame:
    """Return the weekly progress table with headings in ``lang``."""
    frame = pd.DataFrame(progress.weekly[list(WEEK_TABLE)]).copy()
    frame["volunteer_hours"] = frame["volunteer_hours"].astype(float).round(1)
    return frame.rename(columns={c: t(f"prog.col.{c}", lang) for c in frame.columns})


def model_table(progress: Progress, *, lang: Lang) -> pd.DataFrame:
    """Return the progress table by working model with headings in ``lang``."""
    frame = pd.DataFrame(progress.models[list(MODEL_TABLE)]).copy()
    frame["working_model"] = frame["working_model"].map(lambda m: model_label(str(m), lang))
    frame["throughput"] = frame["throughput"].astype(float).round(3)
    frame["volunteer_hours"] = frame["volunteer_hours"].astype(float).round(1)
    return frame.rename(columns={c: t(f"prog.col.{c}", lang) for c in frame.columns})


def progress_workbook(progress: Progress, *, lang: Lang, sample_rows: int = 0) -> bytes:
    """Return an Excel workbook of the progress tables (communes, teams, weeks, models).

    The first row of each sheet says the period and, when sample reports are counted,
    the SAMPLE label; the table starts on row 3.
    """
    buffer = io.BytesIO()
    note = f"{progress.period.label}"
    if sample_rows:
        note += " — " + t("prog.sample_label", lang, count=sample_rows)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for key, frame in (
            ("communes", commune_table(progress, lang=lang)),
            ("teams", team_table(progress, lang=lang)),
            ("weeks", week_table(progress, lang=lang)),
            ("models", model_table(progress, lang=lang)),
        ):
            sheet = t(f"prog.sheet.{key}", lang)
            frame.to_excel(writer, sheet_name=sheet, index=False, startrow=2)
            writer.sheets[sheet].cell(row=1, column=1, value=note)
    return buffer.getvalue()


# ------------------------------------------------------------------------- charts


def _figure(width_in: float = 8.0, height_in: float = 3.6) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=110, layout="constrained")
    return fig, fig.add_subplot(1, 1, 1)


def _sample_note(fig: Figure, sample_rows: int, lang: Lang) -> None:
    if sample_rows:
        fig.text(
            0.99,
            0.01,
            t("prog.sample_label", lang, count=sample_rows),
            ha="right",
            va="bottom",
            fontsize=7,
            color="#b2182b",
        )


def weekly_chart(progress: Progress, *, lang: Lang, sample_rows: int = 0) -> Figure:
    """Residents helped per week (bars), the target (line) and teams reporting."""
    fig, ax = _figure()
    weekly = progress.weekly
    x = np.arange(len(weekly))
    ax.bar(x, weekly["residents_helped"], color="#4393c3", label=t("prog.chart.residents", lang))
    target = float(progress.summary["target_residents_per_week"])
    ax.axhline(target, color="#d6604d", linestyle="--", label=t("prog.chart.weekly.target", lang))
    ax.set_xticks(x, [str(w)[5:] for w in weekly["week"]], fontsize=8)
    ax.set_xlabel(t("prog.chart.week", lang))
    ax.set_title(t("prog.chart.weekly", lang), fontsize=10)
    ax.yaxis.set_major_formatter(_thousands(lang))
    second = ax.twinx()
    second.plot(
        x,
        weekly["teams_reporting"],
        color="#1b7837",
        marker="o",
        label=t("prog.chart.weekly.reports", lang),
    )
    second.set_ylim(0, max(1.0, float(weekly["teams_reporting"].max())) * 1.3)
    handles = ax.get_legend_handles_labels()
    more = second.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], fontsize=7, loc="lower left")
    _sample_note(fig, sample_rows, lang)
    return fig


def commune_trend_chart(
    progress: Progress, code: str, *, lang: Lang, sample_rows: int = 0
) -> Figure:
    """One commune's residents helped per week against its weekly target."""
    fig, ax = _figure(7.0, 3.0)
    row = progress.communes[progress.communes["code"] == code]
    name = str(row["name"].iloc[0]) if len(row) else code
    series = (
        progress.weekly_communes[progress.weekly_communes["commune_code"] == code]
        .set_index("week")["residents_helped"]
        .reindex(progress.period.weeks)
        .fillna(0)
    )
    x = np.arange(len(series))
    ax.plot(
        x, series.to_numpy(), marker="o", color="#2166ac", label=t("prog.chart.residents", lang)
    )
    if len(row):
        ax.axhline(
            float(row["target_residents_per_week"].iloc[0]),
            color="#d6604d",
            linestyle="--",
            label=t("prog.chart.weekly.target", lang),
        )
    ax.set_xticks(x, [str(w)[5:] for w in series.index], fontsize=8)
    ax.set_ylim(bottom=0)
    ax.set_title(t("prog.chart.trend", lang, name=name), fontsize=10)
    ax.legend(fontsize=7)
    _sample_note(fig, sample_rows, lang)
    return fig


def teams_chart(
    progress: Progress,
    *,
    lang: Lang,
    sample_rows: int = 0,
    limit: int = 15,
    assumed_rate: float = 1.5,
) -> Figure:
    """Teams compared by throughput: the ``limit`` highest and lowest with reports."""
    teams = progress.teams.dropna(subset=["throughput"]).sort_values("throughput")
    if len(teams) > 2 * limit:
        teams = pd.concat([teams.head(limit), teams.tail(limit)])
    fig, ax = _figure(8.0, max(3.0, 0.18 * len(teams) + 1.0))
    y = np.arange(len(teams))
    colours = np.where(teams["throughput"] < assumed_rate, "#f4a582", "#92c5de")
    ax.barh(y, teams["throughput"], color=colours)
    ax.set_yticks(y, teams["team_id"].astype(str), fontsize=6)
    ax.axvline(assumed_rate, color="#444444", linestyle=":", label=t("prog.chart.assumed", lang))
    ax.set_title(t("prog.chart.teams", lang), fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    _sample_note(fig, sample_rows, lang)
    return fig


def models_chart(progress: Progress, *, lang: Lang, sample_rows: int = 0) -> Figure:
    """Working models ranked by throughput (to spread the ones that do well)."""
    models = progress.models.dropna(subset=["throughput"]).sort_values("throughput")
    fig, ax = _figure(7.0, 2.8)
    y = np.arange(len(models))
    ax.barh(y, models["throughput"], color="#5aae61")
    ax.set_yticks(y, [model_label(str(m), lang) for m in models["working_model"]], fontsize=8)
    for yi, value in zip(y, models["throughput"], strict=True):
        ax.text(
            float(value),
            float(yi),
            " " + format_number(float(value), lang, decimals=2),
            va="center",
            fontsize=7,
        )
    ax.set_title(t("prog.chart.models", lang), fontsize=10)
    _sample_note(fig, sample_rows, lang)
    return fig


def figure_png(fig: Figure) -> bytes:
    """Return the figure as PNG bytes (for the PDF and the slides)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def _thousands(lang: Lang) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: format_number(value, lang))


def headline_lines(progress: Progress, *, lang: Lang) -> list[str]:
    """Return the period's figures in plain sentences (for the briefing and the slides)."""
    s = progress.summary
    if lang == "vi":
        return [
            f"Kỳ {s['period']} ({s['weeks']} tuần), {s['teams']} đội.",
            f"Báo cáo: {s['reports']}/{s['expected_reports']} "
            f"({format_percent(s['reporting_rate'], lang)}); đúng hạn "
            f"{format_percent(s['timeliness'], lang)}.",
            f"Người dân được hỗ trợ: {format_number(s['residents_helped'], lang)} "
            f"({format_number(s['residents_per_week'], lang)}/tuần; chỉ tiêu "
            f"{format_number(s['target_residents_per_week'], lang)}/tuần, đạt "
            f"{format_percent(s['progress_ratio'], lang, decimals=0)}).",
            f"Kích hoạt VNeID mức 2: {format_number(s['vneid_level2'], lang)}.",
            f"Xã chậm so với chỉ tiêu: {s['communes_behind']}; đội không báo cáo từ 2 tuần trở "
            f"lên: {s['silent_teams']}; báo cáo cần xem lại: {s['outliers']}.",
            "Chỉ tiêu hồ sơ trực tuyến toàn trình: "
            f"{format_percent(s['online_filing_target'], lang, decimals=0)}.",
        ]
    return [
        f"Period {s['period']} ({s['weeks']} weeks), {s['teams']} teams.",
        f"Reports: {s['reports']}/{s['expected_reports']} "
        f"({format_percent(s['reporting_rate'], lang)}); on time "
        f"{format_percent(s['timeliness'], lang)}.",
        f"Residents helped: {format_number(s['residents_helped'], lang)} "
        f"({format_number(s['residents_per_week'], lang)}/week; target "
        f"{format_number(s['target_residents_per_week'], lang)}/week, "
        f"{format_percent(s['progress_ratio'], lang, decimals=0)} reached).",
        f"VNeID level-2 activations: {format_number(s['vneid_level2'], lang)}.",
        f"Communes behind target: {s['communes_behind']}; teams silent for 2 weeks or more: "
        f"{s['silent_teams']}; reports to review: {s['outliers']}.",
        "Target for filings handled fully online: "
        f"{format_percent(s['online_filing_target'], lang, decimals=0)}.",
    ]


__all__ = [
    "commune_table",
    "commune_trend_chart",
    "figure_png",
    "headline_lines",
    "model_label",
    "model_table",
    "models_chart",
    "progress_workbook",
    "team_table",
    "teams_chart",
    "week_table",
    "weekly_chart",
]
