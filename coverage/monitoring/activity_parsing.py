"""Vectorised parsing of activity-report cells: dates, ISO weeks, times, numbers, choices."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence

import pandas as pd

from coverage.text.textnorm import fold

_WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*w\s*(\d{1,2})\s*$", re.IGNORECASE)


def week_of(days: pd.Series) -> pd.Series:
    """Return the ISO week labels (``2026-W10``) of a ``datetime64`` series."""
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


def parse_dates(text: pd.Series) -> pd.Series:
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


def parse_times(text: pd.Series) -> pd.Series:
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


def parse_numbers(text: pd.Series) -> pd.Series:
    """Parse numbers written with spaces or a decimal comma (NaN where not a number)."""
    cleaned = text.str.replace(" ", "", regex=False).str.replace("\u00a0", "", regex=False)
    comma = cleaned.str.contains(",", regex=False) & ~cleaned.str.contains(".", regex=False)
    cleaned = cleaned.where(~comma, cleaned.str.replace(",", ".", regex=False))
    return pd.to_numeric(cleaned, errors="coerce")


def parse_choice(text: pd.Series, choices: Sequence[tuple[str, Sequence[str]]]) -> pd.Series:
    """Map each cell to the canonical value of its choice (``None`` when not one of them)."""
    lookup: dict[str, str] = {}
    for canonical, spellings in choices:
        lookup[canonical] = canonical
        lookup[canonical.replace("_", " ")] = canonical
        for spelling in spellings:
            lookup[spelling] = canonical
    uniques = {v: lookup.get(fold(v).strip()) if v else None for v in text.unique()}
    return text.map(uniques)


def closest_id(value: str, known: set[str]) -> str | None:
    """Return the known id closest to ``value`` (a likely typo), or ``None``."""
    match = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
    return match[0] if match else None
