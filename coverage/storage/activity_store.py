"""Activity reports and progress targets in the project's SQLite store.

The tables are created by migration 3 of :mod:`coverage.storage.store` (see
:mod:`coverage.storage.activity_schema`); the file is the same ``planning.sqlite3``.

Reports
-------
A report is identified by its *key*: team, date (or ISO week for a weekly row) and
commune. Storing a report whose key is new adds revision 1; storing one whose key exists
with different values adds the next revision (a *correction*) and keeps the earlier ones
as history; storing one with the same values changes nothing. So importing the same file
twice adds nothing, and a duplicate is never counted twice. A set of reports that holds
one key twice is refused whole (:func:`duplicate_key_problems`: the file, both rows, the
key columns and the fix), so which row is in force never depends on row order. Every
revision records who entered it (``author``), when (``entered_at``, UTC), from which
session and from which file or form (``source``); ``submitted_at`` is when the team sent
the report (a Google Forms timestamp, or the first time it was entered), used for
timeliness.

Targets
-------
Every saved target is a new row (history kept); the newest per province, commune and
metric is the one in force. ``commune_code`` '' is the province-wide target.

Like :class:`coverage.storage.store.Store`, an :class:`ActivityStore` holds only the file's
path; each call opens a connection, runs one ``BEGIN IMMEDIATE`` transaction for writes
and closes it, so it can be shared between Streamlit sessions. Its transactions are the
store's, so a locked, read-only, full or missing file gives the same
:class:`coverage.storage.store.StoreFaultError` messages.

Permissions
-----------
Made from a store bound to an account (:meth:`coverage.storage.store.Store.for_account`),
every write is checked where it is written: reports need ``write_activity`` for the
commune of each report's team (a commune reporter only for its own communes), targets
need ``write_targets``; the account's user name is recorded as the author.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from coverage.errors import InputError, Problem
from coverage.monitoring.activity_columns import HELP_COLUMNS, report_keys
from coverage.storage.revisions import RevisionedTable
from coverage.storage.store import Store

REPORTS = RevisionedTable(
    "activity_report", keys=("province_code", "report_key"), current="is_current"
)
"""Every revision of every report; ``is_current`` marks the one in force."""

TARGETS = RevisionedTable("activity_target", keys=("province_code",), revision="id")
"""Every saved target of a province, numbered by ``id`` (the newest per metric wins)."""

REPORT_FIELDS: Final[tuple[str, ...]] = (
    "day",
    "week",
    "is_weekly",
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
)
"""The values of a report (what a correction may change), in table order."""

ALL_COLUMNS: Final[tuple[str, ...]] = (
    "province_code",
    "report_key",
    "revision",
    *REPORT_FIELDS,
    "submitted_at",
    "entered_at",
    "author",
    "source",
    "is_sample",
)
"""Columns :meth:`ActivityStore.current_reports` can read."""

PROGRESS_COLUMNS: Final[tuple[str, ...]] = (
    "day",
    "week",
    "team_id",
    "commune_code",
    "volunteers",
    "hours",
    "residents_helped",
    "vneid_level2",
    "working_model",
    "submitted_at",
    "is_sample",
)
"""What the progress count and the measured rates need."""

TARGET_METRICS: Final[tuple[str, ...]] = (
    "residents_per_week",
    "vneid_level2_per_week",
    "online_filing_share",
)
"""Targets: residents helped per week, VNeID level-2 activations per week, share of
administrative filings handled fully online (0-1; the government target is 0.8)."""


@dataclass(frozen=True)
class ImportResult:
    """What storing a set of reports did.

    Attributes
    ----------
    added
        Reports with a new key (revision 1).
    corrected
        Reports whose key existed with other values (a new revision; history kept).
    unchanged
        Reports already stored with the same values (nothing written).
    """

    added: int
    corrected: int
    unchanged: int


def duplicate_key_problems(reports: pd.DataFrame, *, file: str) -> list[Problem]:
    """Return an error for every report whose key an earlier report of the set already has.

    The key is :func:`~coverage.monitoring.activity_columns.report_keys` (``team_id``,
    ``date`` or ``week``, ``commune_code``), the rule the log's own check uses.
    Rows are the file's spreadsheet rows: the ``row`` column of a checked log, else the
    position (header = row 1). Each error names the earlier row and says to keep one.
    """
    keys: list[str] = report_keys(reports).astype(str).tolist()
    rows = (
        [int(r) for r in reports["row"].tolist()]
        if "row" in reports.columns
        else list(range(2, len(keys) + 2))
    )
    teams: list[str] = reports["team_id"].astype(str).tolist()
    first_row: dict[str, int] = {}
    problems: list[Problem] = []
    for key, row, team in zip(keys, rows, teams, strict=True):
        if key not in first_row:
            first_row[key] = row
            continue
        problems.append(
            Problem(
                "activity.duplicate",
                file,
                row=row,
                column="team_id",
                value=team,
                params={"other_row": str(first_row[key])},
            )
        )
    return problems


def _normalised(reports: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "day": pd.to_datetime(reports["day"]).dt.strftime("%Y-%m-%d"),
            "week": reports["week"].astype(str),
            "is_weekly": reports["is_weekly"].astype(bool).astype("int64"),
            "team_id": reports["team_id"].astype(str),
            "commune_code": reports["commune_code"].astype(str),
            "place_kind": reports["place_kind"].astype(str),
            "village": reports["village"].fillna("").astype(str),
            "volunteers": pd.to_numeric(reports["volunteers"]).astype("int64"),
            "hours": pd.to_numeric(reports["hours"]).astype(float),
            "residents_helped": pd.to_numeric(reports["residents_helped"]).astype("int64"),
            **{c: pd.to_numeric(reports[c]).fillna(0).astype("int64") for c in HELP_COLUMNS},
            "languages": reports["languages"].fillna("").astype(str),
            "working_model": reports["working_model"].astype(str),
            "notes": reports["notes"].fillna("").astype(str),
        }
    )
    return out.reset_index(drop=True)


def _hashes(values: pd.DataFrame) -> pd.Series:
    hashed = pd.util.hash_pandas_object(values.astype(str), index=False)
    return hashed.map(lambda h: f"{int(h):016x}")


_INSERT_COLUMNS: Final[tuple[str, ...]] = (
    "province_code",
    "report_key",
    "revision",
    "is_current",
    *REPORT_FIELDS,
    "submitted_at",
    "entered_at",
    "author",
    "session_id",
    "source",
    "is_sample",
    "content_hash",
)
"""The columns a stored report revision writes, in the order of :class:`_Plan` rows."""

_HISTORY_COLUMNS: Final[tuple[str, ...]] = (
    "revision",
    "entered_at",
    "author",
    "source",
    "residents_helped",
    "volunteers",
    "hours",
    "vneid_level2",
    "notes",
)
"""What :meth:`ActivityStore.report_history` shows of each revision."""

_TARGET_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "commune_code",
    "metric",
    "value",
    "period_start",
    "period_end",
    "saved_at",
    "author",
    "note",
)
"""What :meth:`ActivityStore.target_history` shows of each saved target."""


@dataclass(frozen=True)
class _Stamp:
    """Who stores reports, when, from where: the same on every row of one import."""

    now: str
    author: str
    session_id: str
    source: str
    is_sample: int


@dataclass(frozen=True)
class _Plan:
    """What storing a set of reports writes: new rows, keys they supersede, the counts."""

    inserts: list[tuple[object, ...]]
    superseded: list[tuple[str, str]]
    result: ImportResult


def _plan_revisions(
    province_code: str,
    reports: pd.DataFrame,
    current: dict[str, tuple[Any, Any, Any]],
    stamp: _Stamp,
) -> _Plan:
    """Decide, report by report, whether it is new, a correction or already stored.

    ``current`` maps each stored key to its revision, content hash and first submission
    time. Every key is in ``reports`` once (:meth:`ActivityStore.store_reports` refuses
    a set with a key twice, :func:`duplicate_key_problems`).
    """
    values = _normalised(reports)
    keys = report_keys(reports).reset_index(drop=True)
    hashes = _hashes(values)
    submitted = (
        reports["submitted_at"].fillna("").astype(str).reset_index(drop=True)
        if "submitted_at" in reports.columns
        else pd.Series([""] * len(values))
    )
    added = corrected = unchanged = 0
    inserts: list[tuple[object, ...]] = []
    superseded: list[tuple[str, str]] = []
    records = values.to_numpy(dtype=object)
    for i, key in enumerate(keys.tolist()):
        found = current.get(key)
        if found is not None and found[1] == hashes.iat[i]:
            unchanged += 1
            continue
        revision = 1 if found is None else int(found[0]) + 1
        first_time = submitted.iat[i] or (found[2] if found is not None else "") or stamp.now
        if found is None:
            added += 1
        else:
            corrected += 1
            superseded.append((province_code, key))
        current[key] = (revision, hashes.iat[i], first_time)
        inserts.append(
            (
                province_code,
                key,
                revision,
                1,
                *records[i],
                first_time,
                stamp.now,
                stamp.author,
                stamp.session_id,
                stamp.source,
                stamp.is_sample,
                hashes.iat[i],
            )
        )
    return _Plan(inserts, superseded, ImportResult(added, corrected, unchanged))


class ActivityStore:
    """Reports and targets of every province in one SQLite file.

    Parameters
    ----------
    store
        The project's store (its constructor has applied the migrations).
    clock
        Returns the current time as an aware ``datetime`` (tests pass a fixed clock).
    """

    __slots__ = ("_clock", "_path", "_store")

    def __init__(
        self, store: Store | str | Path, *, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        if not isinstance(store, Store):
            store = Store(store)
        self._store = store
        self._path = store.path
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self._store._transaction(write=write) as conn:
            yield conn

    def unbound(self) -> ActivityStore:
        """Return the same tables without an account.

        For what the tool itself writes: the SAMPLE log.
        """
        return ActivityStore(Store(self._path), clock=self._clock)

    def _authorize_reports(
        self, reports: pd.DataFrame, author: str, team_communes: Mapping[str, str] | None
    ) -> str:
        """Check the bound account may write every report; return the author to record.

        The commune checked is the home commune of the report's team when
        ``team_communes`` (team id -> commune code) knows it, else where the work happened.
        """
        if self._store.account is None:
            return author
        known = team_communes or {}
        communes: set[str | None] = {
            str(known.get(str(team), commune))
            for team, commune in zip(
                reports["team_id"].astype(str), reports["commune_code"].astype(str), strict=True
            )
        } or {None}
        for commune in sorted(communes, key=str):
            author = self._store._authorize("write_activity", author, commune_code=commune)
        return author

    # ------------------------------------------------------------------- reports

    def store_reports(
        self,
        province_code: str,
        reports: pd.DataFrame,
        *,
        author: str = "",
        session_id: str = "",
        source: str = "",
        is_sample: bool = False,
        team_communes: Mapping[str, str] | None = None,
    ) -> ImportResult:
        """Store checked reports (:attr:`coverage.monitoring.activity_columns.ActivityLog.reports`).

        New keys are added, changed values become a new revision, identical ones are
        skipped; all in one transaction (kept whole or not at all). ``team_communes``
        (team id -> home commune code) lets the permission check use each team's own
        commune (see the module docstring). ``source`` is the file name the errors name.

        Raises
        ------
        coverage.storage.accounts.PermissionDeniedError
            If the bound account may not report for one of the communes; nothing is stored.
        coverage.errors.InputError
            If two reports have the same key (:func:`duplicate_key_problems`); nothing is
            stored and what is stored already is unchanged.
        """
        author = self._authorize_reports(reports, author, team_communes)
        if reports.empty:
            return ImportResult(0, 0, 0)
        duplicates = duplicate_key_problems(reports, file=source)
        if duplicates:
            raise InputError(duplicates)
        stamp = _Stamp(self._now(), author, session_id, source, int(is_sample))
        with self._transaction(write=True) as conn:
            current = {
                row["report_key"]: (row["revision"], row["content_hash"], row["submitted_at"])
                for row in REPORTS.in_force(
                    conn,
                    {"province_code": province_code},
                    columns=("report_key", "revision", "content_hash", "submitted_at"),
                )
            }
            plan = _plan_revisions(province_code, reports, current, stamp)
            REPORTS.insert_many(conn, _INSERT_COLUMNS, plan.inserts, superseded=plan.superseded)
        return plan.result

    def current_reports(
        self, province_code: str | None, *, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Return the reports in force (latest revision of every key) of a province (``None``: all).

        ``columns`` reads only those (:data:`PROGRESS_COLUMNS` is what the progress count
        needs); by default every column.
        """
        chosen = tuple(columns) if columns is not None else ALL_COLUMNS
        unknown = set(chosen) - set(ALL_COLUMNS)
        if unknown:
            raise ValueError(f"unknown report columns: {sorted(unknown)}")
        where = {"province_code": province_code} if province_code is not None else {}
        with self._transaction(write=False) as conn:
            rows: list[Any] = REPORTS.in_force(conn, where, columns=chosen)
        frame = pd.DataFrame.from_records(rows, columns=list(chosen))
        return _typed(frame)

    def report_history(self, province_code: str, report_key: str) -> pd.DataFrame:
        """Every revision of one report, oldest first."""
        with self._transaction(write=False) as conn:
            rows = REPORTS.history(
                conn, (province_code, report_key), columns=_HISTORY_COLUMNS, newest_first=False
            )
        return pd.DataFrame([dict(r) for r in rows])

    def recent_entries(self, province_code: str, *, limit: int = 10) -> pd.DataFrame:
        """Return the latest revisions entered by people (not the SAMPLE), newest first."""
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT entered_at, author, source, team_id, CASE WHEN is_weekly = 1 THEN week "
                "ELSE day END AS 'when', commune_code, residents_helped, revision FROM "
                "activity_report WHERE province_code = ? AND is_sample = 0 ORDER BY id DESC LIMIT "
                "?",
                (province_code, limit),
            ).fetchall()
        columns = [
            "entered_at",
            "author",
            "source",
            "team_id",
            "when",
            "commune_code",
            "residents_helped",
            "revision",
        ]
        return pd.DataFrame([tuple(r) for r in rows], columns=columns)

    def count_reports(self, province_code: str) -> int:
        """Count the reports in force for a province."""
        with self._transaction(write=False) as conn:
            rows = REPORTS.in_force(conn, {"province_code": province_code}, columns=("COUNT(*)",))
        return int(rows[0][0])

    # ------------------------------------------------------------------- targets

    def save_target(
        self,
        province_code: str,
        *,
        metric: str,
        value: float,
        commune_code: str = "",
        period_start: str = "",
        period_end: str = "",
        author: str = "",
        session_id: str = "",
        note: str = "",
    ) -> None:
        """Save a target (a new row; the earlier ones stay as history)."""
        author = self._store._authorize("write_targets", author)
        if metric not in TARGET_METRICS:
            raise ValueError(f"unknown target metric {metric!r}; use one of {TARGET_METRICS}")
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"a target must be a non-negative number (got {value})")
        values = {
            "commune_code": commune_code,
            "metric": metric,
            "value": float(value),
            "period_start": period_start,
            "period_end": period_end,
            "saved_at": self._now(),
            "author": author,
            "session_id": session_id,
            "note": note,
        }
        with self._transaction(write=True) as conn:
            TARGETS.insert(conn, (province_code,), None, values)

    def target_history(self, province_code: str) -> pd.DataFrame:
        """Every saved target of a province, newest first."""
        with self._transaction(write=False) as conn:
            rows = TARGETS.history(conn, (province_code,), columns=_TARGET_COLUMNS)
        return pd.DataFrame([tuple(r) for r in rows], columns=list(_TARGET_COLUMNS))

    def targets(self, province_code: str) -> pd.DataFrame:
        """Return the targets in force: the newest per commune ('' = province) and metric."""
        history = self.target_history(province_code)
        if history.empty:
            return history
        return history.drop_duplicates(["commune_code", "metric"], keep="first").reset_index(
            drop=True
        )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    if "day" in frame.columns:
        frame["day"] = pd.to_datetime(frame["day"], format="%Y-%m-%d")
    for column in ("is_weekly", "is_sample"):
        if column in frame.columns:
            frame[column] = frame[column].astype(bool)
    for column in ("volunteers", "residents_helped", *HELP_COLUMNS):
        if column in frame.columns:
            frame[column] = frame[column].astype("int64")
    if "hours" in frame.columns:
        frame["hours"] = frame["hours"].astype(float)
    return frame


def report_from_form(values: Mapping[str, object]) -> pd.DataFrame:
    """Return one report typed in the app's form as a one-row table.

    The table is what :meth:`ActivityStore.store_reports` takes.
    """
    row = {c: values.get(c) for c in REPORT_FIELDS}
    return pd.DataFrame([row])


__all__ = [
    "TARGET_METRICS",
    "ActivityStore",
    "ImportResult",
    "change_marker",
    "duplicate_key_problems",
    "report_from_form",
]


def change_marker(astore: ActivityStore, province_code: str) -> str:
    """Text that changes whenever a report or a target of the province is stored (a cache key)."""
    with astore._transaction(write=False) as conn:  # noqa: SLF001 (same module family)
        row = conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM activity_report WHERE province_code = ?",
            (province_code,),
        ).fetchone()
        target = TARGETS.latest(conn, (province_code,))
    return f"{row[0]}:{target}"
