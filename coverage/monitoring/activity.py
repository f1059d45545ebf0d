"""Read activity reports (what volunteer teams did) from files and check them row by row.

One row is one team's session (a date) or one team's week (an ISO week such as
``2026-W10``): where the work happened (a commune code, maybe not the team's home),
the kind of place, volunteers present, hours, residents helped and what they were helped
with, languages used, the working model and notes. The schema is documented in
``data/activity/README.md`` (Vietnamese and English) with a blank template beside it.

Files are CSV or ``.xlsx``, including the layout a Google Forms export gives: question
titles as headers (a header that contains the column name in brackets, such as
``Mã đội (team_id)``, or one of the Vietnamese/English titles in
:data:`~coverage.monitoring.activity_columns.HEADER_ALIASES`, is recognised) and a
``Timestamp`` / ``Dấu thời gian`` column, read as the time the report was submitted.

Checks (all problems at once, with file, spreadsheet row, column, value and fix, in
Vietnamese and English, like rosters):

* errors: unknown team, commune not in the province, a date in the future or before
  the programme (:data:`~coverage.monitoring.activity_columns.PROGRAMME_START`), more
  than 24 hours in one row or one team's day (168 in one team's week), duplicate rows
  (same team, same date or week, same commune), values that are not numbers or out of
  range;
* warnings: residents helped implausible for the volunteers and hours (more than
  :data:`~coverage.monitoring.activity_columns.PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR`
  per volunteer-hour).

Parsing is vectorised (pandas), so a 100,000-row log is read and checked in about a
second; only cells with a problem are looked at one by one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from coverage.errors import Problem
from coverage.inputs.sources import Source, raw_from_source
from coverage.inputs.tables import decode_csv, detect_separator, read_table
from coverage.monitoring.activity_checks import validate_activity
from coverage.monitoring.activity_columns import (
    ActivityLog,
)
from coverage.text.textnorm import nfc


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
    text, warning = decode_csv(raw)
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
