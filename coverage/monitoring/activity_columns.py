"""Activity-report schema: columns, accepted spellings, header aliases, messages, the log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from coverage.errors import Problem
from coverage.text.i18n import register
from coverage.text.textnorm import fold, nfc

PROGRAMME_START: Final = dt.date(2025, 7, 1)
"""Earliest date accepted: the post-merger communes (and their codes) exist from 1 July 2025."""

PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR: Final = 6.0
"""Above this many residents per volunteer-hour a row gets a warning (10 minutes each)."""

MAX_HOURS_PER_DAY: Final = 24.0
MAX_HOURS_PER_WEEK: Final = 168.0


def report_keys(reports: pd.DataFrame) -> pd.Series:
    """Key of each report, ``team|date-or-week|commune``: one report per key is current.

    ``reports`` has ``team_id``, ``is_weekly``, ``week``, ``day`` (dates or ISO text) and
    ``commune_code``. The one rule for the log's duplicate check and for the store; a day
    that is missing or unreadable keys as empty.
    """
    day = pd.to_datetime(reports["day"], errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
    when = pd.Series(
        np.where(reports["is_weekly"].astype(bool), reports["week"].astype(str), day),
        index=reports.index,
        dtype=str,
    )
    keys: pd.Series = (
        reports["team_id"].astype(str) + "|" + when + "|" + reports["commune_code"].astype(str)
    )
    return keys


SAMPLE_STATUS: Final = "SAMPLE (dữ liệu mẫu), not real reports"
"""``data_status`` of every generated sample row."""

PLACE_KINDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "one_stop_office",
        (
            "one stop office",
            "one-stop office",
            "mot cua",
            "bo phan mot cua",
            "trung tam phuc vu hanh chinh cong",
            "hanh chinh cong",
        ),
    ),
    (
        "village_visit",
        ("village visit", "village", "tham thon", "thon", "buon", "lang", "thon/buon"),
    ),
    ("school", ("school", "truong", "truong hoc")),
    ("other", ("other", "khac")),
)
"""Kinds of place (canonical value, accepted spellings, compared without diacritics)."""

WORKING_MODELS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("one_to_one", ("1-1", "1 - 1", "one to one", "mot kem mot", "1 kem 1")),
    (
        "tech_interpreter",
        (
            "technology interpreter",
            "tech interpreter",
            "phien dich vien cong nghe",
            "phien dich cong nghe",
        ),
    ),
    (
        "weekend_one_stop",
        (
            "weekend",
            "weekend volunteer day",
            "ngay thu bay tinh nguyen",
            "cuoi tuan",
            "chu nhat tinh nguyen",
            "thu bay tinh nguyen",
        ),
    ),
    ("mobile_visit", ("mobile visit", "mobile", "luu dong", "tham nha", "den tan nha")),
    ("other", ("other", "khac")),
)
"""Working models the programme names ("1-1", technology interpreters, weekend days at the
one-stop office, mobile visits), plus other."""

HELP_COLUMNS: Final[tuple[str, ...]] = (
    "vneid_installs",
    "vneid_level2",
    "online_filings",
    "social_apps",
    "cashless_payments",
    "other_help",
)
"""Counts of what residents were helped with (optional, whole numbers)."""

COLUMNS: Final[tuple[str, ...]] = (
    "date",
    "week",
    "team_id",
    "commune_code",
    "place_kind",
    "village",
    "volunteers",
    "hours",
    "residents_helped",
    *HELP_COLUMNS,
    "languages",
    "working_model",
    "notes",
    "submitted_at",
)
"""Every column of the schema, in template order."""

REQUIRED: Final[tuple[str, ...]] = (
    "team_id",
    "commune_code",
    "volunteers",
    "hours",
    "residents_helped",
)
"""Columns that must be present (and one of ``date``/``week``)."""

HEADER_ALIASES: Final[dict[str, str]] = {
    # Google Forms: "Timestamp" (English UI) or "Dấu thời gian" (Vietnamese UI).
    "timestamp": "submitted_at",
    "dau thoi gian": "submitted_at",
    "thoi gian gui": "submitted_at",
    "ngay": "date",
    "ngay hoat dong": "date",
    "date of session": "date",
    "tuan": "week",
    "tuan (iso)": "week",
    "iso week": "week",
    "ma doi": "team_id",
    "team id": "team_id",
    "team": "team_id",
    "ma xa": "commune_code",
    "ma xa/phuong": "commune_code",
    "commune code": "commune_code",
    "noi hoat dong": "place_kind",
    "loai dia diem": "place_kind",
    "place": "place_kind",
    "place kind": "place_kind",
    "thon": "village",
    "thon/buon": "village",
    "ten thon": "village",
    "village name": "village",
    "so tinh nguyen vien": "volunteers",
    "so tnv": "volunteers",
    "volunteers present": "volunteers",
    "so gio": "hours",
    "so gio hoat dong": "hours",
    "so nguoi duoc ho tro": "residents_helped",
    "so nguoi dan duoc ho tro": "residents_helped",
    "residents helped": "residents_helped",
    "cai dat vneid": "vneid_installs",
    "vneid installs": "vneid_installs",
    "kich hoat vneid muc 2": "vneid_level2",
    "vneid level 2": "vneid_level2",
    "ho so dich vu cong truc tuyen": "online_filings",
    "online filings": "online_filings",
    "bhxh/so suc khoe": "social_apps",
    "social insurance / health apps": "social_apps",
    "thanh toan khong dung tien mat": "cashless_payments",
    "cashless payments": "cashless_payments",
    "ho tro khac": "other_help",
    "other help": "other_help",
    "ngon ngu": "languages",
    "ngon ngu su dung": "languages",
    "languages used": "languages",
    "mo hinh": "working_model",
    "mo hinh lam viec": "working_model",
    "working model": "working_model",
    "ghi chu": "notes",
    "free notes": "notes",
}
"""Question titles (folded: no diacritics, lower case) recognised as schema columns."""

register(
    {
        "activity.unknown_team": {
            "vi": "mã đội không có trong danh sách đội",
            "en": "team id is not in the roster",
        },
        "activity.unknown_team.fix": {
            "vi": "Dùng mã đội như trong danh sách đội của tỉnh{suggestion_vi}; đội mới cần được "
            "thêm ở trang Đội trước.",
            "en": "Use a team id from the province's roster{suggestion_en}; add a new team on the "
            "Teams page first.",
        },
        "activity.unknown_commune": {
            "vi": "mã xã/phường không thuộc tỉnh này",
            "en": "commune code is not in this province",
        },
        "activity.unknown_commune.fix": {
            "vi": "Dùng mã ĐVHC 5 chữ số của xã/phường (sau sáp nhập) nơi đội làm việc.",
            "en": "Use the 5-digit official code of the (post-merger) commune where the team "
            "worked.",
        },
        "activity.bad_date": {"vi": "ngày không đọc được", "en": "date cannot be read"},
        "activity.bad_date.fix": {
            "vi": "Viết ngày dạng 02/03/2026 hoặc 2026-03-02.",
            "en": "Write the date as 02/03/2026 or 2026-03-02.",
        },
        "activity.bad_week": {"vi": "tuần không đọc được", "en": "week cannot be read"},
        "activity.bad_week.fix": {
            "vi": "Viết tuần theo ISO, ví dụ 2026-W10.",
            "en": "Write an ISO week, for example 2026-W10.",
        },
        "activity.no_date": {"vi": "thiếu ngày hoặc tuần", "en": "neither a date nor a week"},
        "activity.no_date.fix": {
            "vi": "Điền ngày hoạt động (cột 'date') hoặc tuần (cột 'week').",
            "en": "Fill in the session's date (column 'date') or week (column 'week').",
        },
        "activity.no_date_column": {
            "vi": "thiếu cột ngày và cột tuần",
            "en": "no date and no week column",
        },
        "activity.no_date_column.fix": {
            "vi": "Thêm cột 'date' (ngày) hoặc 'week' (tuần ISO).",
            "en": "Add a column 'date' or 'week' (ISO week).",
        },
        "activity.future_date": {"vi": "ngày nằm trong tương lai", "en": "date is in the future"},
        "activity.future_date.fix": {
            "vi": "Chỉ báo cáo việc đã làm (đến hôm nay, {today}); kiểm tra ngày/tháng có bị đảo?",
            "en": "Report only work done (up to today, {today}); are day and month swapped?",
        },
        "activity.before_programme": {
            "vi": "ngày trước khi chương trình bắt đầu",
            "en": "date is before the programme started",
        },
        "activity.before_programme.fix": {
            "vi": "Ngày sớm nhất được nhận là {start} (xã/phường mới có hiệu lực từ 01/07/2025).",
            "en": "The earliest date accepted is {start} (the new communes "
            "exist from 1 July 2025).",
        },
        "activity.hours_per_day": {
            "vi": "tổng số giờ của đội trong một ngày quá 24",
            "en": "the team's hours in one day add up to more than 24",
        },
        "activity.hours_per_day.fix": {
            "vi": "Các dòng {rows} của đội {team} ngày {day} cộng lại {total} "
            "giờ; 'hours' là số giờ buổi làm việc kéo dài, không nhân "
            "với số người.",
            "en": "Rows {rows} of team {team} on {day} add up to {total} hours; "
            "'hours' is how long the session lasted, not multiplied by "
            "the volunteers.",
        },
        "activity.hours_per_week": {
            "vi": "số giờ trong một tuần quá 168",
            "en": "more than 168 hours in one week",
        },
        "activity.hours_per_week.fix": {
            "vi": "Một tuần chỉ có 168 giờ; kiểm tra số giờ.",
            "en": "A week has 168 hours; check the hours.",
        },
        "activity.duplicate": {
            "vi": "dòng trùng khóa báo cáo (cùng team_id, cùng date hoặc week, cùng commune_code)",
            "en": "duplicate report key (same team_id, date or week, and commune_code)",
        },
        "activity.duplicate.fix": {
            "vi": "Đã có ở dòng {other_row}; giữ một trong hai dòng (hoặc gộp hai dòng "
            "thành một) rồi nhập lại tệp. Chưa lưu gì từ tệp này; các báo cáo đã nhập "
            "trước đó không thay đổi.",
            "en": "Already on row {other_row}; keep one of the two rows (or merge them into "
            "one) and import the file again. Nothing from this file was stored; reports "
            "entered before are unchanged.",
        },
        "activity.implausible": {
            "vi": "số người được hỗ trợ cao bất thường so với số người và số giờ",
            "en": "residents helped is implausibly high for the volunteers and hours",
        },
        "activity.implausible.fix": {
            "vi": "{rate} người mỗi tình nguyện viên-giờ (thường dưới {limit}); "
            "kiểm tra lại số liệu. Dòng vẫn được nhận.",
            "en": "{rate} residents per volunteer-hour (usually under {limit}); "
            "please check. The row is still accepted.",
        },
    }
)


@dataclass(frozen=True)
class ActivityLog:
    """A checked activity log.

    Attributes
    ----------
    reports
        One row per report: ``day`` (``datetime64``; the Monday for a weekly row),
        ``week`` (``2026-W10``), ``is_weekly``, ``team_id``, ``commune_code``,
        ``place_kind``, ``village``, ``volunteers``, ``hours``, ``residents_helped``, the
        :data:`HELP_COLUMNS` (0 when blank), ``languages`` (``;``-joined), ``working_model``,
        ``notes``, ``submitted_at`` (ISO text or ''), ``row`` (spreadsheet row).
        Callers must not use it if any problem is an error.
    problems
        Every problem found, sorted by row then column.
    file
        The name quoted in messages.
    """

    reports: pd.DataFrame
    problems: tuple[Problem, ...]
    file: str

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that block the import."""
        return tuple(p for p in self.problems if p.severity == "error")


def canonical_headers(headers: Sequence[str]) -> list[str]:
    """Map a file's headers (also Google Forms question titles) to schema column names.

    A header is kept when it already is a column name; otherwise a ``(column)`` in
    brackets, or a known title (:data:`HEADER_ALIASES`), names the column. Unknown headers
    are kept as they are (and ignored).
    """
    out: list[str] = []
    for header in headers:
        text = nfc(str(header)).strip()
        key = fold(text).strip()
        bracket = re.search(r"\(([a-z0-9_]+)\)\s*$", key)
        if key.replace(" ", "_") in COLUMNS:
            out.append(key.replace(" ", "_"))
        elif bracket and bracket.group(1) in COLUMNS:
            out.append(bracket.group(1))
        elif key in HEADER_ALIASES:
            out.append(HEADER_ALIASES[key])
        else:
            # "Ngày / Date" style titles: try each side of a slash.
            parts = [p.strip() for p in key.split(" / ")]
            found = next((HEADER_ALIASES[p] for p in parts if p in HEADER_ALIASES), None)
            out.append(found or text)
    return out
