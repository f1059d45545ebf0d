"""The progress pages of the meeting outputs: the briefing's pages and the slides of a period."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coverage.outputs.progress_charts import figure_png, headline_lines, model_label, weekly_chart
from coverage.outputs.reports.pdf import escape_paragraph_markup
from coverage.text.i18n import Lang, format_number, format_percent, register, t

if TYPE_CHECKING:
    from coverage.monitoring.progress import Progress

register(
    {
        "prog.report.title": {
            "vi": "Tiến độ so với chỉ tiêu — kỳ {period}",
            "en": "Progress against targets — period {period}",
        },
        "prog.report.behind": {
            "vi": "Xã/phường chậm so với chỉ tiêu ({count})",
            "en": "Communes behind target ({count})",
        },
        "prog.report.behind.none": {
            "vi": "Không có xã nào chậm so với chỉ tiêu.",
            "en": "No commune is behind target.",
        },
        "prog.report.silent": {
            "vi": "Đội không báo cáo từ 2 tuần trở lên ({count})",
            "en": "Teams not reporting for 2 weeks or more ({count})",
        },
        "prog.report.silent.none": {
            "vi": "Mọi đội đều đã báo cáo trong 2 tuần gần nhất.",
            "en": "Every team reported in the last 2 weeks.",
        },
        "prog.report.models": {
            "vi": "Mô hình làm việc hiệu quả nhất (để nhân rộng)",
            "en": "Best-performing working models (to spread)",
        },
        "prog.report.models.best": {
            "vi": "Mô hình có năng suất cao nhất: {model} ({rate} người/TNV-giờ qua {reports} buổi "
            "của {teams} đội).",
            "en": "Highest throughput: {model} ({rate} residents/volunteer-hour over {reports} "
            "sessions by {teams} teams).",
        },
        "prog.report.more": {
            "vi": "… và {count} dòng nữa (xem bảng Excel).",
            "en": "… and {count} more (see the Excel table).",
        },
        "prog.report.method": {
            "vi": "Cách tính: báo cáo dự kiến = số đội × số tuần; một tuần của đội được tính là đã "
            "báo cáo khi có ít nhất một báo cáo; đúng hạn = gửi trong {days} ngày sau khi hết "
            "tuần; chỉ tiêu mặc định = năng lực danh sách đội hứa (thành viên × giờ/tuần × 1,5); "
            "báo cáo khác xa mức thường thấy của đội được đánh dấu để xem lại và không tính vào "
            "năng suất.",
            "en": "Method: expected reports = teams × weeks; a team's week counts as reported with "
            "at least one report; on time = sent within {days} days after the week ended; default "
            "target = what the roster promises (members × weekly hours × 1.5); reports far outside "
            "the team's usual range are flagged for review and left out of throughput.",
        },
        "prog.col.reasons_short": {"vi": "Lý do", "en": "Why"},
        "prog.col.progress_short": {"vi": "Tiến độ", "en": "Progress"},
        "prog.col.per_week_target": {"vi": "Người/tuần (chỉ tiêu)", "en": "Per week (target)"},
    }
)


@dataclass(frozen=True)
class ProgressSection:
    """The progress pages of the meeting outputs (PDF briefing and slides).

    Attributes
    ----------
    progress
        The counts for the period.
    sample_rows
        How many counted reports are SAMPLE (labelled on every page).
    timely_days
        The on-time rule, for the method sentence.
    """

    progress: Progress
    sample_rows: int = 0
    timely_days: int = 3


def behind_rows(progress: Progress, *, lang: Lang, limit: int | None = None) -> list[list[str]]:
    """Communes behind target, furthest behind first; header first."""
    behind = progress.communes[progress.communes["is_behind"]].sort_values("progress_ratio")
    rows = [
        [
            t("prog.col.code", lang),
            t("prog.col.name", lang),
            t("prog.col.progress_short", lang),
            t("prog.col.per_week_target", lang),
            t("prog.col.reasons_short", lang),
        ]
    ]
    for row in (behind if limit is None else behind.head(limit)).to_dict("records"):
        rows.append(
            [
                str(row["code"]),
                str(row["name"]),
                format_percent(float(row["progress_ratio"]), lang, decimals=0),
                f"{format_number(float(row['residents_per_week']), lang)} "
                f"({format_number(float(row['target_residents_per_week']), lang)})",
                str(row[f"behind_reasons_{lang}"]),
            ]
        )
    return rows


def silent_rows(progress: Progress, *, lang: Lang, limit: int | None = None) -> list[list[str]]:
    """Teams silent for the named number of weeks or more, longest first; header first."""
    silent = progress.teams[progress.teams["is_silent"]].sort_values(
        "weeks_silent", ascending=False
    )
    rows = [
        [
            t("prog.col.team_id", lang),
            t("prog.col.team_name", lang),
            t("prog.col.commune_code", lang),
            t("prog.col.last_week", lang),
            t("prog.col.weeks_silent", lang),
        ]
    ]
    for row in (silent if limit is None else silent.head(limit)).to_dict("records"):
        rows.append(
            [
                str(row["team_id"]),
                str(row["team_name"]),
                str(row["commune_code"]),
                str(row["last_week"]) or "–",
                str(row["weeks_silent"]),
            ]
        )
    return rows


def model_rows(progress: Progress, *, lang: Lang) -> list[list[str]]:
    """Working models by throughput, best first; header first."""
    rows = [
        [
            t("prog.col.working_model", lang),
            t("prog.col.reports", lang),
            t("prog.col.teams", lang),
            t("prog.col.residents_helped", lang),
            t("prog.col.throughput", lang),
        ]
    ]
    for row in progress.models.to_dict("records"):
        rows.append(
            [
                model_label(str(row["working_model"]), lang),
                format_number(row["reports"], lang),
                format_number(row["teams"], lang),
                format_number(row["residents_helped"], lang),
                format_number(float(row["throughput"]), lang, decimals=2),
            ]
        )
    return rows


def best_model_sentence(progress: Progress, *, lang: Lang) -> str:
    """Return the working model with the highest throughput, in one sentence ('' when none)."""
    models = progress.models.dropna(subset=["throughput"])
    models = models[models["working_model"] != "other"]
    if models.empty:
        return ""
    best = models.iloc[0]
    return t(
        "prog.report.models.best",
        lang,
        model=model_label(str(best["working_model"]), lang),
        rate=format_number(float(best["throughput"]), lang, decimals=2),
        reports=format_number(best["reports"], lang),
        teams=format_number(best["teams"], lang),
    )


def briefing_story(
    section: ProgressSection,
    *,
    lang: Lang,
    table: Any,
    h2: Any,
    base: Any,
    small: Any,
    notice_style: Any,
    width: float,
) -> list[Any]:
    """Return the progress pages of the PDF briefing (reportlab flowables), Vietnamese first."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer

    progress = section.progress
    story: list[Any] = [
        PageBreak(),
        Paragraph(
            escape_paragraph_markup(t("prog.report.title", lang, period=progress.period.label)), h2
        ),
    ]
    if section.sample_rows:
        story.append(
            Paragraph(
                escape_paragraph_markup(t("prog.sample_label", lang, count=section.sample_rows)),
                notice_style,
            )
        )
    for line in headline_lines(progress, lang=lang):
        story.append(Paragraph(escape_paragraph_markup(line), base))
    story.append(Spacer(1, 4))
    png = figure_png(weekly_chart(progress, lang=lang, sample_rows=section.sample_rows))
    story.append(Image(io.BytesIO(png), width=width, height=width * 3.6 / 8.0))
    behind = behind_rows(progress, lang=lang, limit=25)
    total_behind = int(progress.communes["is_behind"].sum())
    story.append(
        Paragraph(escape_paragraph_markup(t("prog.report.behind", lang, count=total_behind)), h2)
    )
    if total_behind == 0:
        story.append(Paragraph(escape_paragraph_markup(t("prog.report.behind.none", lang)), base))
    else:
        story.append(table(behind, [14 * mm, 30 * mm, 16 * mm, 26 * mm, width - 86 * mm]))
        if total_behind > 25:
            story.append(
                Paragraph(
                    escape_paragraph_markup(t("prog.report.more", lang, count=total_behind - 25)),
                    small,
                )
            )
    silent = silent_rows(progress, lang=lang, limit=25)
    total_silent = int(progress.teams["is_silent"].sum())
    block: list[Any] = [
        Paragraph(escape_paragraph_markup(t("prog.report.silent", lang, count=total_silent)), h2)
    ]
    if total_silent == 0:
        block.append(Paragraph(escape_paragraph_markup(t("prog.report.silent.none", lang)), base))
    else:
        block.append(table(silent, [18 * mm, width - 84 * mm, 22 * mm, 24 * mm, 20 * mm]))
        if total_silent > 25:
            block.append(
                Paragraph(
                    escape_paragraph_markup(t("prog.report.more", lang, count=total_silent - 25)),
                    small,
                )
            )
    story.append(KeepTogether(block[:2]))
    story.extend(block[2:])
    story.append(Paragraph(escape_paragraph_markup(t("prog.report.models", lang)), h2))
    sentence = best_model_sentence(progress, lang=lang)
    if sentence:
        story.append(Paragraph(escape_paragraph_markup(sentence), base))
        story.append(Spacer(1, 3))
    story.append(
        table(
            model_rows(progress, lang=lang), [width - 110 * mm, 22 * mm, 22 * mm, 32 * mm, 34 * mm]
        )
    )
    story.append(Spacer(1, 4))
    story.append(
        Paragraph(
            escape_paragraph_markup(t("prog.report.method", lang, days=section.timely_days)), small
        )
    )
    return story


def add_slides(
    section: ProgressSection,
    *,
    lang: Lang,
    new_slide: Any,
    text_box: Any,
    add_table: Any,
    picture: Any,
    rows_per_slide: int = 6,
) -> None:
    """Add the progress slides (figures, weekly chart, communes behind, silent teams, models)."""
    from pptx.dml.color import RGBColor

    progress = section.progress
    rgb: Any = RGBColor.from_string  # untyped in python-pptx
    warn, grey = rgb("7A1D00"), rgb("555555")
    title = t("prog.report.title", lang, period=progress.period.label)
    slide = new_slide(title)
    text_box(slide, 0.5, 1.3, 12.3, 4.6, "\n".join(headline_lines(progress, lang=lang)), size=20)
    if section.sample_rows:
        text_box(
            slide,
            0.5,
            6.1,
            12.3,
            0.7,
            t("prog.sample_label", lang, count=section.sample_rows),
            size=14,
            color=warn,
        )
    slide = new_slide(t("prog.chart.weekly", lang))
    picture(slide, figure_png(weekly_chart(progress, lang=lang, sample_rows=section.sample_rows)))
    for key, total, rows, widths, size in (
        (
            "prog.report.behind",
            int(progress.communes["is_behind"].sum()),
            behind_rows(progress, lang=lang, limit=rows_per_slide),
            [1.0, 2.0, 1.2, 2.0, 6.1],
            14,
        ),
        (
            "prog.report.silent",
            int(progress.teams["is_silent"].sum()),
            silent_rows(progress, lang=lang, limit=rows_per_slide),
            [1.4, 5.5, 1.8, 2.0, 1.6],
            16,
        ),
    ):
        slide = new_slide(t(key, lang, count=total))
        if total:
            add_table(slide, rows, widths, y=1.3, size=size)
            if total > rows_per_slide:
                text_box(
                    slide,
                    0.5,
                    6.45,
                    12.3,
                    0.45,
                    t("prog.report.more", lang, count=total - rows_per_slide),
                    size=14,
                    color=grey,
                )
        else:
            text_box(slide, 0.5, 1.5, 12.3, 1.0, t(f"{key}.none", lang), size=20)
    slide = new_slide(t("prog.report.models", lang))
    sentence = best_model_sentence(progress, lang=lang)
    if sentence:
        text_box(slide, 0.5, 1.2, 12.3, 0.9, sentence, size=18)
    add_table(
        slide,
        model_rows(progress, lang=lang)[: rows_per_slide + 1],
        [4.8, 1.6, 1.4, 2.2, 2.3],
        y=2.2,
        size=16,
    )


__all__ = [
    "ProgressSection",
    "add_slides",
    "behind_rows",
    "best_model_sentence",
    "briefing_story",
    "model_rows",
    "silent_rows",
]
