"""Row-by-row checks of an activity table of text cells, giving the typed reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coverage.errors import Problem
from coverage.inputs.cells import FIRST_DATA_ROW, check_columns
from coverage.inputs.validation import normalise_code
from coverage.monitoring.activity_columns import (
    HELP_COLUMNS,
    MAX_HOURS_PER_DAY,
    MAX_HOURS_PER_WEEK,
    PLACE_KINDS,
    PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR,
    PROGRAMME_START,
    REQUIRED,
    WORKING_MODELS,
    ActivityLog,
    canonical_headers,
    report_keys,
)
from coverage.monitoring.activity_parsing import (
    closest_id,
    monday_of_week,
    parse_choice,
    parse_dates,
    parse_numbers,
    parse_times,
    week_of,
)
from coverage.text.textnorm import fold


@dataclass
class _Sheet:
    """An activity table being checked: its text cells, spreadsheet rows and problems."""

    table: pd.DataFrame
    file: str
    problems: list[Problem]

    def __post_init__(self) -> None:
        self.n = len(self.table)
        self.rows = np.arange(self.n) + FIRST_DATA_ROW

    def text(self, column: str) -> pd.Series:
        """Return a column's stripped text (blank cells when the column is absent)."""
        if column not in self.table.columns:
            return pd.Series([""] * self.n, dtype=object)
        return self.table[column].astype(str).str.strip().reset_index(drop=True)

    def add(
        self,
        code: str,
        i: int,
        column: str,
        value: str,
        params: dict[str, str],
        severity: str = "error",
    ) -> None:
        """Record one problem at the ``i``-th data row."""
        self.problems.append(
            Problem(
                code,
                self.file,
                row=int(self.rows[i]),
                column=column,
                value=value,
                params=params,
                severity="warning" if severity == "warning" else "error",
            )
        )

    def flag(
        self,
        mask: pd.Series | np.ndarray,
        code: str,
        column: str,
        values: pd.Series,
        **params: str,
    ) -> None:
        """Record an error for every row where ``mask`` holds."""
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            self.add(code, int(i), column, str(values.iloc[i]), dict(params))


@dataclass(frozen=True)
class _Days:
    """The day of every row (the Monday for a weekly row) and whether the row is weekly."""

    day: pd.Series
    is_weekly: pd.Series


def validate_activity(
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
    sheet = _Sheet(table, file, problems)
    days = _check_days(sheet, today)
    team_id = _check_team(sheet, teams)
    codes = _check_commune(sheet, communes)
    numbers = _check_numbers(sheet, days.is_weekly)
    place_raw, model_raw = sheet.text("place_kind"), sheet.text("working_model")
    place = _check_choice(sheet, "place_kind", place_raw, PLACE_KINDS)
    model = _check_choice(sheet, "working_model", model_raw, WORKING_MODELS)
    language_text = sheet.text("languages")
    language_of = {
        s: ";".join(
            x
            for x in (fold(p).strip().replace(" ", "_") for p in s.replace(",", ";").split(";"))
            if x
        )
        for s in language_text.unique()
    }
    languages = language_text.map(language_of)

    day = days.day
    week = pd.Series([""] * sheet.n, dtype=object)
    valid_day = day.notna()
    if valid_day.any():
        week[valid_day.to_numpy()] = week_of(day[valid_day]).to_numpy()

    hours = numbers["hours"]
    frame = pd.DataFrame(
        {
            "team_id": team_id,
            "day": day,
            "week": week,
            "is_weekly": days.is_weekly,
            "commune_code": codes,
            "hours": hours,
            "row": sheet.rows,
        }
    )
    _check_daily_hours(sheet, frame)
    _check_duplicates(sheet, frame, team_id)
    _check_plausible(sheet, numbers)

    reports = pd.DataFrame(
        {
            "day": day,
            "week": week,
            "is_weekly": days.is_weekly.to_numpy(dtype=bool),
            "team_id": team_id,
            "commune_code": codes,
            "place_kind": place.fillna("other").where(place_raw != "", "other"),
            "village": sheet.text("village"),
            "volunteers": numbers["volunteers"].fillna(0).astype("int64"),
            "hours": hours.fillna(0.0).astype(float),
            "residents_helped": numbers["residents_helped"].fillna(0).astype("int64"),
            **{c: numbers[c].fillna(0).astype("int64") for c in HELP_COLUMNS},
            "languages": languages,
            "working_model": model.fillna("other").where(model_raw != "", "other"),
            "notes": sheet.text("notes"),
            "submitted_at": parse_times(sheet.text("submitted_at")),
            "row": sheet.rows,
        }
    )
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return ActivityLog(reports=reports, problems=tuple(problems), file=file)


def _check_days(sheet: _Sheet, today: dt.date) -> _Days:
    """Parse the date or week of every row; flag unreadable, future and too early ones."""
    date_text, week_text = sheet.text("date"), sheet.text("week")
    days = parse_dates(date_text)
    sheet.flag((date_text != "") & days.isna(), "activity.bad_date", "date", date_text)
    week_days = pd.to_datetime(week_text.map(lambda s: monday_of_week(s) if s else None))
    sheet.flag(
        (week_text != "") & (date_text == "") & week_days.isna(),
        "activity.bad_week",
        "week",
        week_text,
    )
    is_weekly = (date_text == "") & (week_text != "")
    day = days.where(~is_weekly, week_days)
    if "date" in sheet.table.columns or "week" in sheet.table.columns:
        sheet.flag((date_text == "") & (week_text == ""), "activity.no_date", "date", date_text)
    out_of_time = (
        ("activity.future_date", day > pd.Timestamp(today), "today", today),
        (
            "activity.before_programme",
            day < pd.Timestamp(PROGRAMME_START),
            "start",
            PROGRAMME_START,
        ),
    )
    for code, mask, param, when in out_of_time:
        for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)):
            weekly = bool(is_weekly.iloc[i])
            sheet.add(
                code,
                int(i),
                "week" if weekly else "date",
                str((week_text if weekly else date_text).iloc[i]),
                {param: when.strftime("%d/%m/%Y")},
            )
    return _Days(day=day, is_weekly=is_weekly)


def _check_team(sheet: _Sheet, teams: pd.DataFrame) -> pd.Series:
    """Return the team ids; flag those not in the roster (with the closest one, if any)."""
    team_id = sheet.text("team_id")
    known_teams = set(teams["team_id"].astype(str))
    unknown = (team_id != "") & ~team_id.isin(known_teams)
    for i in np.flatnonzero(unknown.to_numpy()):
        close = closest_id(team_id.iloc[i], known_teams)
        sheet.add(
            "activity.unknown_team",
            int(i),
            "team_id",
            team_id.iloc[i],
            {
                "suggestion_vi": f" (có phải {close}?)" if close else "",
                "suggestion_en": f" (did you mean {close}?)" if close else "",
            },
        )
    return team_id


def _check_commune(sheet: _Sheet, communes: pd.DataFrame) -> pd.Series:
    """Return the normalised commune codes; flag those not in the province."""
    code_text = sheet.text("commune_code")
    code_of = {c: str(normalise_code(c)) if c else "" for c in code_text.unique()}
    codes = code_text.map(code_of)
    known_codes = set(communes["code"].astype(str))
    sheet.flag(
        (codes != "") & ~codes.isin(known_codes),
        "activity.unknown_commune",
        "commune_code",
        code_text,
    )
    return codes


def _check_numbers(sheet: _Sheet, is_weekly: pd.Series) -> dict[str, pd.Series]:
    """Flag blank required cells and bad numbers; return the numbers in range (else NaN)."""
    for column in REQUIRED:
        if column in sheet.table.columns:
            sheet.flag(sheet.text(column) == "", "missing_value", column, sheet.text(column))
    numbers: dict[str, pd.Series] = {}
    limits = {
        "volunteers": (1, 500, True),
        "hours": (0, MAX_HOURS_PER_DAY, False),
        "residents_helped": (0, 100_000, True),
    }
    limits.update({c: (0, 100_000, True) for c in HELP_COLUMNS})
    for column, (low, high, whole) in limits.items():
        raw = sheet.text(column)
        value = parse_numbers(raw)
        bad = (raw != "") & value.isna()
        sheet.flag(
            bad,
            "not_integer" if whole else "not_number",
            column,
            raw,
            example="12" if whole else "3,5",
        )
        if whole:
            fraction = value.notna() & (value % 1 != 0)
            sheet.flag(fraction, "not_integer", column, raw, example="12")
        high_here = np.where(is_weekly, MAX_HOURS_PER_WEEK, high) if column == "hours" else high
        out = value.notna() & ((value < low) | (value > high_here))
        for i in np.flatnonzero(out.to_numpy()):
            limit = high_here[i] if isinstance(high_here, np.ndarray) else high
            sheet.add(
                "out_of_range",
                int(i),
                column,
                raw.iloc[i],
                {"low": f"{low:g}", "high": f"{float(limit):g}"},
            )
        numbers[column] = value.where(~out)
    return numbers


def _check_choice(
    sheet: _Sheet,
    column: str,
    raw: pd.Series,
    choices: Sequence[tuple[str, Sequence[str]]],
) -> pd.Series:
    """Return the canonical choice of every cell; flag cells that are none of them."""
    value = parse_choice(raw, choices)
    sheet.flag(
        (raw != "") & value.isna(),
        "bad_choice",
        column,
        raw,
        choices=", ".join(c for c, _ in choices),
    )
    return value


def _check_daily_hours(sheet: _Sheet, frame: pd.DataFrame) -> None:
    """Flag the rows of a team's day whose hours add up to more than 24."""
    daily = frame[~frame["is_weekly"] & frame["day"].notna() & frame["hours"].notna()]
    if not len(daily):
        return
    totals = daily.groupby(["team_id", "day"])["hours"].transform("sum")
    over = daily[totals > MAX_HOURS_PER_DAY]
    for (team, when), group in over.groupby(["team_id", "day"]):
        if len(group) < 2:
            continue  # a single row over 24 h is already out of range
        total = float(group["hours"].sum())
        row_list = ", ".join(str(r) for r in group["row"])
        for r, h in zip(group["row"], group["hours"], strict=True):
            sheet.problems.append(
                Problem(
                    "activity.hours_per_day",
                    sheet.file,
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


def _check_duplicates(sheet: _Sheet, frame: pd.DataFrame, team_id: pd.Series) -> None:
    """Flag every row after the first with the same team, date or week, and commune."""
    key = report_keys(frame)  # the store's key too
    usable_key = (frame["team_id"] != "") & frame["day"].notna()
    dup = key.duplicated(keep="first") & usable_key
    if not dup.any():
        return
    first_row = pd.Series(sheet.rows, index=key.index).groupby(key).transform("first")
    for i in np.flatnonzero(dup.to_numpy()):
        sheet.add(
            "activity.duplicate",
            int(i),
            "team_id",
            team_id.iloc[i],
            {"other_row": str(int(first_row.iloc[i]))},
        )


def _check_plausible(sheet: _Sheet, numbers: dict[str, pd.Series]) -> None:
    """Warn where residents helped per volunteer-hour is implausibly high."""
    volunteer_hours = numbers["volunteers"] * numbers["hours"]
    rate = numbers["residents_helped"] / volunteer_hours.where(volunteer_hours > 0)
    implausible = rate > PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR
    for i in np.flatnonzero(implausible.fillna(False).to_numpy(dtype=bool)):
        sheet.add(
            "activity.implausible",
            int(i),
            "residents_helped",
            sheet.text("residents_helped").iloc[i],
            {
                "rate": f"{rate.iloc[i]:.1f}",
                "limit": f"{PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR:g}",
            },
            severity="warning",
        )
