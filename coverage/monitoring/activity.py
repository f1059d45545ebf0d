"""Activity reports: what volunteer teams did, read from files and checked row by row.

One row is one team's session (a date) or one team's week (an ISO week such as
``2026-W10``): where the work happened (a commune code, maybe not the team's home),
the kind of place, volunteers present, hours, residents helped and what they were helped
with, languages used, the working model and notes. The schema is documented in
``data/activity/README.md`` (Vietnamese and English) with a blank template beside it.

Files are CSV or ``.xlsx``, including the layout a Google Forms export gives: question
titles as headers (a header that contains the column name in brackets, such as
``Mã đội (team_id)``, or one of the Vietnamese/English titles in :data:`HEADER_ALIASES`,
is recognised) and a ``Timestamp`` / ``Dấu thời gian`` column, read as the time the
report was submitted.

Checks (all problems at once, with file, spreadsheet row, column, value and fix, in
Vietnamese and English, like rosters):

* errors: unknown team, commune not in the province, a date in the future or before
  the programme (:data:`PROGRAMME_START`), more than 24 hours in one row or one team's
  day (168 in one team's week), duplicate rows (same team, same date or week, same
  commune), values that are not numbers or out of range;
* warnings: residents helped implausible for the volunteers and hours (more than
  :data:`PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR` per volunteer-hour).

Parsing is vectorised (pandas), so a 100,000-row log is read and checked in about a
second; only cells with a problem are looked at one by one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from coverage.errors import Problem
from coverage.inputs.readers import (
    Source,
    _decode_csv,
    detect_separator,
    raw_from_source,
    read_table,
)
from coverage.inputs.validation import FIRST_DATA_ROW, check_columns, normalise_code
from coverage.text.i18n import register
from coverage.text.textnorm import fold, nfc

PROGRAMME_START: Final = dt.date(2025, 7, 1)
"""Earliest date accepted: the post-merger communes (and their codes) exist from 1 July 2025."""

PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR: Final = 6.0
"""Above this many residents per volunteer-hour a row gets a warning (10 minutes each)."""

MAX_HOURS_PER_DAY: Final = 24.0
MAX_HOURS_PER_WEEK: Final = 168.0

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
            "vi": "dòng trùng (cùng đội, cùng ngày/tuần, cùng xã)",
            "en": "duplicate row (same team, date or week, commune)",
        },
        "activity.duplicate.fix": {
            "vi": "Đã có ở dòng {other_row}; gộp hai dòng thành một (dòng trùng "
            "không bao giờ được cộng hai lần).",
            "en": "Already on row {other_row}; merge the two rows into one (a "
            "duplicate is never counted twice).",
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


# ----------------------------------------------------------------------- headers


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


# ----------------------------------------------------------------------- parsing

_WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*w\s*(\d{1,2})\s*$", re.IGNORECASE)


def week_of(days: pd.Series) -> pd.Series:
    """ISO week labels (``2026-W10``) of a ``datetime64`` series."""
    iso = days.dt.isocalendar()
    labels: pd.Series = (
        iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
    )
    return labels


def monday_of_week(label: str) -> dt.date | None:
    """Return the Monday of an ISO week label such as ``2026-W10`` (``None`` if not a week)."""
    match = _WEEK_RE.match(label)
    if not match:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _parse_dates(text: pd.Series) -> pd.Series:
    """Parse day/month/year or ISO dates (an Excel date comes as '2026-03-02 00:00:00')."""
    stripped = text.str.strip()
    iso = pd.to_datetime(
        stripped.where(stripped.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")),
        format="%Y-%m-%d",
        errors="coerce",
        exact=False,
    )
    dmy = pd.to_datetime(
        stripped.where(stripped.str.match(r"^\d{1,2}/\d{1,2}/\d{4}")),
        format="%d/%m/%Y",
        errors="coerce",
        exact=False,
    )
    return iso.fillna(dmy).dt.normalize()


def _parse_times(text: pd.Series) -> pd.Series:
    """Parse submission times (Google Forms: '15/03/2026 10:22:33'; or ISO) as ISO text."""
    stripped = text.str.strip()
    iso = pd.to_datetime(
        stripped.where(stripped.str.match(r"^\d{4}-\d{1,2}-\d{1,2}")),
        format="ISO8601",
        errors="coerce",
    )
    dmy = pd.to_datetime(
        stripped.where(stripped.str.match(r"^\d{1,2}/\d{1,2}/\d{4}")),
        format="%d/%m/%Y %H:%M:%S",
        errors="coerce",
    )
    dmy_short = pd.to_datetime(
        stripped.where(stripped.str.match(r"^\d{1,2}/\d{1,2}/\d{4}$")),
        format="%d/%m/%Y",
        errors="coerce",
    )
    when = iso.fillna(dmy).fillna(dmy_short)
    return when.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")


def _numbers(text: pd.Series) -> pd.Series:
    cleaned = text.str.replace(" ", "", regex=False).str.replace("\u00a0", "", regex=False)
    comma = cleaned.str.contains(",", regex=False) & ~cleaned.str.contains(".", regex=False)
    cleaned = cleaned.where(~comma, cleaned.str.replace(",", ".", regex=False))
    return pd.to_numeric(cleaned, errors="coerce")


def _choice(text: pd.Series, choices: Sequence[tuple[str, Sequence[str]]]) -> pd.Series:
    lookup: dict[str, str] = {}
    for canonical, spellings in choices:
        lookup[canonical] = canonical
        lookup[canonical.replace("_", " ")] = canonical
        for spelling in spellings:
            lookup[spelling] = canonical
    uniques = {v: lookup.get(fold(v).strip()) if v else None for v in text.unique()}
    return text.map(uniques)


def read_activity(
    source: Source,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    today: dt.date,
    name: str | None = None,
) -> ActivityLog:
    """Read and check an activity log (CSV or ``.xlsx``, also a Google Forms export).

    Parameters
    ----------
    source
        Path, bytes or uploaded file.
    teams
        The province's roster (``team_id``, ``commune_code``).
    communes
        The province's communes (``code``, ``name``).
    today
        The last date accepted (reports are about work already done).
    name
        Name to quote in messages.

    Returns
    -------
    ActivityLog
        The typed reports and every problem found.

    Raises
    ------
    InputError
        If the file cannot be read (format, size, no rows).
    """
    table, warnings = _read_log(source, name=name)
    if name is not None:
        file = name
    elif isinstance(source, (str, Path)):
        file = Path(source).name
    elif isinstance(source, bytes):
        file = "upload"
    else:
        file = str(source.name)
    return validate_activity(
        table, teams=teams, communes=communes, today=today, file=file, warnings=warnings
    )


def _read_log(source: Source, *, name: str | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a log's cells as NFC text.

    Pandas' C parser for a well-formed CSV, else the project's table reader (which names a
    row that does not fit its header, a decimal comma that split a number, and so on). Both
    keep every cell as text.
    """
    raw = raw_from_source(source, name=name)
    if raw.suffix != ".csv":
        return read_table(raw.data, name=raw.name)
    text, warning = _decode_csv(raw)
    separator = detect_separator(text)
    widths = [len(r) for r in csv.reader(io.StringIO(text), delimiter=separator) if r]
    if not widths or max(widths) > widths[0]:
        return read_table(raw.data, name=raw.name)  # names the row a stray separator split
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return read_table(raw.data, name=raw.name)
    headers = [str(h).strip() for h in table.columns]
    if (
        table.empty
        or separator != ","
        or any(h == "" or h.startswith("Unnamed:") for h in headers)
        or len(set(headers)) != len(headers)
        or any(re.search(r"\.\d+$", h) for h in headers)
    ):
        return read_table(raw.data, name=raw.name)  # the reader's own messages and warnings
    table.columns = pd.Index([nfc(h) for h in headers])
    for column in table.columns:
        values = table[column].fillna("").astype(str)
        if not values.str.isascii().all():
            values = values.str.normalize("NFC")
        table[column] = values
    return table.reset_index(drop=True), [warning] if warning is not None else []


def validate_activity(  # noqa: C901 (one check after another over the columns; see issue 11)
    table: pd.DataFrame,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    today: dt.date,
    file: str,
    warnings: Sequence[Problem] = (),
) -> ActivityLog:
    """Check an activity table of text cells; see :func:`read_activity`."""
    table = table.copy()
    table.columns = pd.Index(canonical_headers(list(table.columns)))
    table = table.loc[:, ~table.columns.duplicated()]
    problems: list[Problem] = list(warnings)
    problems += check_columns(list(table.columns), list(REQUIRED), file=file)
    if "date" not in table.columns and "week" not in table.columns:
        problems.append(Problem("activity.no_date_column", file, column="date"))
    n = len(table)
    rows = np.arange(n) + FIRST_DATA_ROW

    def text(column: str) -> pd.Series:
        if column not in table.columns:
            return pd.Series([""] * n, dtype=object)
        return table[column].astype(str).str.strip().reset_index(drop=True)

    def flag(
        mask: pd.Series | np.ndarray,
        code: str,
        column: str,
        values: pd.Series,
        severity: str = "error",
        **params: str,
    ) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            problems.append(
                Problem(
                    code,
                    file,
                    row=int(rows[i]),
                    column=column,
                    value=str(values.iloc[i]),
                    params=dict(params),
                    severity="warning" if severity == "warning" else "error",
                )
            )

    # ---- date or week
    date_text, week_text = text("date"), text("week")
    days = _parse_dates(date_text)
    flag((date_text != "") & days.isna(), "activity.bad_date", "date", date_text)
    week_days = pd.to_datetime(week_text.map(lambda s: monday_of_week(s) if s else None))
    flag(
        (week_text != "") & (date_text == "") & week_days.isna(),
        "activity.bad_week",
        "week",
        week_text,
    )
    is_weekly = (date_text == "") & (week_text != "")
    day = days.where(~is_weekly, week_days)
    has_columns = "date" in table.columns or "week" in table.columns
    if has_columns:
        flag((date_text == "") & (week_text == ""), "activity.no_date", "date", date_text)
    last_day = pd.Timestamp(today)
    future = day > last_day
    for i in np.flatnonzero(future.fillna(False).to_numpy(dtype=bool)):
        column = "week" if is_weekly.iloc[i] else "date"
        problems.append(
            Problem(
                "activity.future_date",
                file,
                row=int(rows[i]),
                column=column,
                value=str((week_text if is_weekly.iloc[i] else date_text).iloc[i]),
                params={"today": today.strftime("%d/%m/%Y")},
            )
        )
    early = day < pd.Timestamp(PROGRAMME_START)
    for i in np.flatnonzero(early.fillna(False).to_numpy(dtype=bool)):
        column = "week" if is_weekly.iloc[i] else "date"
        problems.append(
            Problem(
                "activity.before_programme",
                file,
                row=int(rows[i]),
                column=column,
                value=str((week_text if is_weekly.iloc[i] else date_text).iloc[i]),
                params={"start": PROGRAMME_START.strftime("%d/%m/%Y")},
            )
        )

    # ---- team and commune
    team_id = text("team_id")
    known_teams = set(teams["team_id"].astype(str))
    unknown = (team_id != "") & ~team_id.isin(known_teams)
    for i in np.flatnonzero(unknown.to_numpy()):
        close = _closest_id(team_id.iloc[i], known_teams)
        problems.append(
            Problem(
                "activity.unknown_team",
                file,
                row=int(rows[i]),
                column="team_id",
                value=team_id.iloc[i],
                params={
                    "suggestion_vi": f" (có phải {close}?)" if close else "",
                    "suggestion_en": f" (did you mean {close}?)" if close else "",
                },
            )
        )
    code_text = text("commune_code")
    code_of = {c: str(normalise_code(c)) if c else "" for c in code_text.unique()}
    codes = code_text.map(code_of)
    known_codes = set(communes["code"].astype(str))
    flag(
        (codes != "") & ~codes.isin(known_codes),
        "activity.unknown_commune",
        "commune_code",
        code_text,
    )

    # ---- required cells and numbers
    for column in REQUIRED:
        if column in table.columns:
            flag(text(column) == "", "missing_value", column, text(column))
    numbers: dict[str, pd.Series] = {}
    limits = {
        "volunteers": (1, 500, True),
        "hours": (0, MAX_HOURS_PER_DAY, False),
        "residents_helped": (0, 100_000, True),
    }
    limits.update({c: (0, 100_000, True) for c in HELP_COLUMNS})
    for column, (low, high, whole) in limits.items():
        raw = text(column)
        value = _numbers(raw)
        bad = (raw != "") & value.isna()
        flag(
            bad,
            "not_integer" if whole else "not_number",
            column,
            raw,
            example="12" if whole else "3,5",
        )
        if whole:
            fraction = value.notna() & (value % 1 != 0)
            flag(fraction, "not_integer", column, raw, example="12")
        high_here = np.where(is_weekly, MAX_HOURS_PER_WEEK, high) if column == "hours" else high
        out = value.notna() & ((value < low) | (value > high_here))
        for i in np.flatnonzero(out.to_numpy()):
            limit = high_here[i] if isinstance(high_here, np.ndarray) else high
            problems.append(
                Problem(
                    "out_of_range",
                    file,
                    row=int(rows[i]),
                    column=column,
                    value=raw.iloc[i],
                    params={"low": f"{low:g}", "high": f"{float(limit):g}"},
                )
            )
        numbers[column] = value.where(~out)

    # ---- choices and text
    place_raw = text("place_kind")
    place = _choice(place_raw, PLACE_KINDS)
    flag(
        (place_raw != "") & place.isna(),
        "bad_choice",
        "place_kind",
        place_raw,
        choices=", ".join(c for c, _ in PLACE_KINDS),
    )
    model_raw = text("working_model")
    model = _choice(model_raw, WORKING_MODELS)
    flag(
        (model_raw != "") & model.isna(),
        "bad_choice",
        "working_model",
        model_raw,
        choices=", ".join(c for c, _ in WORKING_MODELS),
    )
    language_text = text("languages")
    language_of = {
        s: ";".join(
            x
            for x in (fold(p).strip().replace(" ", "_") for p in s.replace(",", ";").split(";"))
            if x
        )
        for s in language_text.unique()
    }
    languages = language_text.map(language_of)

    week = pd.Series([""] * n, dtype=object)
    valid_day = day.notna()
    if valid_day.any():
        week[valid_day.to_numpy()] = week_of(day[valid_day]).to_numpy()

    # ---- hours per team and day (the sum of a team's rows), duplicates
    hours = numbers["hours"]
    frame = pd.DataFrame(
        {
            "team_id": team_id,
            "day": day,
            "week": week,
            "is_weekly": is_weekly,
            "commune_code": codes,
            "hours": hours,
            "row": rows,
        }
    )
    daily = frame[~frame["is_weekly"] & frame["day"].notna() & frame["hours"].notna()]
    if len(daily):
        totals = daily.groupby(["team_id", "day"])["hours"].transform("sum")
        over = daily[totals > MAX_HOURS_PER_DAY]
        for (team, when), group in over.groupby(["team_id", "day"]):
            if len(group) < 2:
                continue  # a single row over 24 h is already out of range
            total = float(group["hours"].sum())
            row_list = ", ".join(str(r) for r in group["row"])
            for r, h in zip(group["row"], group["hours"], strict=True):
                problems.append(
                    Problem(
                        "activity.hours_per_day",
                        file,
                        row=int(r),
                        column="hours",
                        value=f"{h:g}",
                        params={
                            "rows": row_list,
                            "team": str(team),
                            "day": f"{when:%d/%m/%Y}",
                            "total": f"{total:g}",
                        },
                    )
                )
    key = (
        frame["team_id"]
        + "|"
        + np.where(
            frame["is_weekly"], frame["week"], frame["day"].dt.strftime("%Y-%m-%d").fillna("")
        )
        + "|"
        + frame["commune_code"]
    )
    usable_key = (frame["team_id"] != "") & frame["day"].notna()
    dup = key.duplicated(keep="first") & usable_key
    if dup.any():
        first_row = pd.Series(rows, index=key.index).groupby(key).transform("first")
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(
                Problem(
                    "activity.duplicate",
                    file,
                    row=int(rows[i]),
                    column="team_id",
                    value=team_id.iloc[i],
                    params={"other_row": str(int(first_row.iloc[i]))},
                )
            )

    # ---- plausibility (a warning)
    volunteer_hours = numbers["volunteers"] * hours
    rate = numbers["residents_helped"] / volunteer_hours.where(volunteer_hours > 0)
    implausible = rate > PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR
    for i in np.flatnonzero(implausible.fillna(False).to_numpy(dtype=bool)):
        problems.append(
            Problem(
                "activity.implausible",
                file,
                row=int(rows[i]),
                column="residents_helped",
                value=text("residents_helped").iloc[i],
                params={
                    "rate": f"{rate.iloc[i]:.1f}",
                    "limit": f"{PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR:g}",
                },
                severity="warning",
            )
        )

    reports = pd.DataFrame(
        {
            "day": day,
            "week": week,
            "is_weekly": is_weekly.to_numpy(dtype=bool),
            "team_id": team_id,
            "commune_code": codes,
            "place_kind": place.fillna("other").where(place_raw != "", "other"),
            "village": text("village"),
            "volunteers": numbers["volunteers"].fillna(0).astype("int64"),
            "hours": hours.fillna(0.0).astype(float),
            "residents_helped": numbers["residents_helped"].fillna(0).astype("int64"),
            **{c: numbers[c].fillna(0).astype("int64") for c in HELP_COLUMNS},
            "languages": languages,
            "working_model": model.fillna("other").where(model_raw != "", "other"),
            "notes": text("notes"),
            "submitted_at": _parse_times(text("submitted_at")),
            "row": rows,
        }
    )
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return ActivityLog(reports=reports, problems=tuple(problems), file=file)


def _closest_id(value: str, known: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
    return match[0] if match else None


# ----------------------------------------------------------------------- sample log


def make_sample_activity(
    teams: pd.DataFrame,
    *,
    border_codes: Sequence[str] = (),
    first_week: str = "2026-W02",
    weeks: int = 12,
    seed: int = 2026,
) -> pd.DataFrame:
    """Generate a SAMPLE activity log for a roster (made up by documented, seeded rules).

    Rules: every team reports sessions each week with probability 0.85; about one team in
    eight stops reporting for good after a random week (5-10), and one in ten skips a
    fortnight; a week's volunteer-hours are 0.7-1.3 times what the roster promises
    (members x weekly hours), split over one or two sessions with 50-90% of the members
    present; fixed teams work at the one-stop office, mobile teams visit villages and
    schools; teams whose home commune is on the land border (``border_codes``) report one
    session a week instead of one or two, but longer ones (5-10 hours, others 1.5-8), and use
    Jrai or Bahnar interpreting; each team has its own throughput around 1.5 residents
    per volunteer-hour (fixed teams a little more, border teams less), with a few typing
    slips (one row in about 150 has ten times the residents) for the outlier check.

    Returns
    -------
    pandas.DataFrame
        Text cells in the schema of :data:`COLUMNS` plus ``data_status`` (SAMPLE), with
        ``submitted_at`` one to four days after the session (a few a week later).
    """
    rng = np.random.default_rng(seed)
    start = monday_of_week(first_week)
    if start is None:
        raise ValueError(f"not an ISO week: {first_week}")
    border = set(map(str, border_codes))
    rows: list[dict[str, object]] = []
    models_fixed = ("one_to_one", "weekend_one_stop", "tech_interpreter")
    team: Any  # an itertuples row: its fields are not typed
    for team in teams.itertuples(index=False):
        home = str(team.commune_code)
        mobile = str(team.mode) == "mobile"
        on_border = home in border
        base_rate = float(rng.lognormal(np.log(1.6 if not mobile else 1.3), 0.25))
        if on_border:
            base_rate *= 0.75
        stop_after = int(rng.integers(5, 11)) if rng.random() < 0.125 else weeks
        gap_start = int(rng.integers(2, weeks - 2)) if rng.random() < 0.10 else -10
        members = max(int(team.members), 1)
        for w in range(min(stop_after, weeks)):
            if gap_start <= w < gap_start + 2 or rng.random() > 0.85:
                continue
            monday = start + dt.timedelta(weeks=w)
            sessions = 1 if on_border else int(rng.integers(1, 3))
            days = sorted(rng.choice(7, size=sessions, replace=False))
            # The week's volunteer-hours are near what the roster promises
            # (members x weekly hours), split over the week's sessions.
            week_hours = members * float(team.weekly_hours) * rng.uniform(0.7, 1.3)
            for d in days:
                day = monday + dt.timedelta(days=int(d))
                volunteers = int(max(1, round(members * rng.uniform(0.5, 0.9))))
                low, high = (5.0, 10.0) if on_border else (1.5, 8.0)
                hours = float(np.clip(round(2 * week_hours / sessions / volunteers) / 2, low, high))
                helped = int(rng.poisson(base_rate * volunteers * hours))
                if rng.random() < 1 / 150:
                    helped *= 10  # a typing slip, for the outlier check
                if mobile:
                    place = "village_visit" if rng.random() < 0.75 else "school"
                    model = "mobile_visit" if not on_border else "tech_interpreter"
                else:
                    place = "one_stop_office"
                    model = models_fixed[int(rng.integers(0, len(models_fixed)))]
                level2 = int(rng.binomial(helped, 0.35))
                installs = int(rng.binomial(helped, 0.3))
                filings = int(rng.binomial(helped, 0.25))
                social = int(rng.binomial(helped, 0.1))
                cashless = int(rng.binomial(helped, 0.05))
                delay = int(rng.integers(1, 5)) if rng.random() > 0.1 else int(rng.integers(6, 12))
                submitted = dt.datetime.combine(day, dt.time(18, 0)) + dt.timedelta(days=delay)
                languages = (
                    "vi;jrai"
                    if on_border and rng.random() < 0.6
                    else ("vi;bahnar" if on_border else "vi")
                )
                rows.append(
                    {
                        "date": day.isoformat(),
                        "week": "",
                        "team_id": str(team.team_id),
                        "commune_code": home,
                        "place_kind": place,
                        "village": f"Thôn {int(rng.integers(1, 12))}"
                        if place == "village_visit"
                        else "",
                        "volunteers": str(volunteers),
                        "hours": f"{hours:g}",
                        "residents_helped": str(helped),
                        "vneid_installs": str(installs),
                        "vneid_level2": str(level2),
                        "online_filings": str(filings),
                        "social_apps": str(social),
                        "cashless_payments": str(cashless),
                        "other_help": "0",
                        "languages": languages,
                        "working_model": model,
                        "notes": "SAMPLE",
                        "submitted_at": submitted.isoformat(timespec="seconds"),
                        "data_status": SAMPLE_STATUS,
                    }
                )
    return pd.DataFrame(rows, columns=[*COLUMNS, "data_status"])


def template_frame() -> pd.DataFrame:
    """Return the blank template: the header row only."""
    return pd.DataFrame(columns=list(COLUMNS))


__all__ = [
    "COLUMNS",
    "HELP_COLUMNS",
    "PLACE_KINDS",
    "PROGRAMME_START",
    "SAMPLE_STATUS",
    "WORKING_MODELS",
    "ActivityLog",
    "canonical_headers",
    "make_sample_activity",
    "monday_of_week",
    "read_activity",
    "template_frame",
    "validate_activity",
    "week_of",
]
