"""Reporting periods: whole ISO weeks, read from a week, a range, a month or dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from coverage.errors import InputError, Problem
from coverage.monitoring.activity_parsing import monday_of_week
from coverage.text.i18n import register

register(
    {
        "progress.bad_period": {"vi": "kỳ báo cáo không đọc được", "en": "period cannot be read"},
        "progress.bad_period.fix": {
            "vi": "Viết một tuần ISO (2026-W10), một khoảng tuần (2026-W10..2026-W13), một tháng "
            "(2026-03) hoặc một khoảng ngày (2026-03-02..2026-03-29).",
            "en": "Write an ISO week (2026-W10), a range of weeks (2026-W10..2026-W13), a month "
            "(2026-03) or a range of dates (2026-03-02..2026-03-29).",
        },
    }
)


@dataclass(frozen=True)
class Period:
    """A reporting period: whole ISO weeks.

    Attributes
    ----------
    label
        As the user wrote it (``2026-W10..2026-W13``, ``2026-03``).
    weeks
        ISO week labels in the period, in order.
    start, end
        Monday of the first week and Sunday of the last.
    """

    label: str
    weeks: tuple[str, ...]
    start: dt.date
    end: dt.date

    @property
    def week_count(self) -> int:
        """Number of ISO weeks in the period."""
        return len(self.weeks)


def _week_label(day: dt.date) -> str:
    """Return the ISO week label (``2026-W10``) of a day."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_from_dates(start: dt.date, end: dt.date, *, label: str = "") -> Period:
    """Return the ISO weeks whose Thursday lies in ``[start, end]`` (a month's weeks, ISO style)."""
    monday = start - dt.timedelta(days=start.weekday())
    weeks: list[str] = []
    while monday <= end:
        thursday = monday + dt.timedelta(days=3)
        if start <= thursday <= end:
            weeks.append(_week_label(monday))
        monday += dt.timedelta(weeks=1)
    if not weeks:
        weeks.append(_week_label(start))
    first = monday_of_week(weeks[0])
    last = monday_of_week(weeks[-1])
    assert first is not None and last is not None
    return Period(
        label or f"{weeks[0]}..{weeks[-1]}", tuple(weeks), first, last + dt.timedelta(days=6)
    )


def parse_period(text: str) -> Period:
    """Read a period: ``2026-W10``, ``2026-W10..2026-W13``, ``2026-03`` or a date range.

    Raises
    ------
    InputError
        If the text is none of these.
    """
    raw = text.strip()
    parts = [p.strip() for p in raw.split("..")]
    try:
        if len(parts) in (1, 2) and all(monday_of_week(p) for p in parts):
            first = monday_of_week(parts[0])
            last = monday_of_week(parts[-1])
            assert first is not None and last is not None
            if last >= first:
                return period_from_dates(first, last + dt.timedelta(days=6), label=raw)
        if len(parts) == 1 and re.fullmatch(r"\d{4}-\d{1,2}", raw):
            year, month = (int(x) for x in raw.split("-"))
            start = dt.date(year, month, 1)
            end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            return period_from_dates(start, end, label=raw)
        if len(parts) == 2:
            start, end = (dt.date.fromisoformat(p) for p in parts)
            if end >= start:
                return period_from_dates(start, end, label=raw)
    except ValueError:
        pass
    raise InputError([Problem("progress.bad_period", "--period", value=raw)])


def last_weeks(latest: dt.date, count: int) -> Period:
    """Return the ``count`` whole weeks ending with the week of ``latest``."""
    monday = latest - dt.timedelta(days=latest.weekday())
    first = monday - dt.timedelta(weeks=count - 1)
    return period_from_dates(first, monday + dt.timedelta(days=6))


__all__ = ["Period", "last_weeks", "parse_period", "period_from_dates"]
