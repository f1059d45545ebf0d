"""SQLite tables of activity reports and targets (a migration of :mod:`coverage.storage.store`).

Kept in its own module, without imports, so that :mod:`coverage.storage.store` can list it as
one entry of its migrations and :mod:`coverage.storage.activity_store` can read and write the
tables (see that module for what the columns mean).
"""

from __future__ import annotations

from typing import Final

ACTIVITY_MIGRATION: Final[tuple[str, ...]] = (
    """
    CREATE TABLE activity_report (
        id INTEGER PRIMARY KEY,
        province_code TEXT NOT NULL CHECK (province_code <> ''),
        report_key TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
        day TEXT NOT NULL,
        week TEXT NOT NULL,
        is_weekly INTEGER NOT NULL,
        team_id TEXT NOT NULL,
        commune_code TEXT NOT NULL,
        place_kind TEXT NOT NULL,
        village TEXT NOT NULL,
        volunteers INTEGER NOT NULL,
        hours REAL NOT NULL,
        residents_helped INTEGER NOT NULL,
        vneid_installs INTEGER NOT NULL,
        vneid_level2 INTEGER NOT NULL,
        online_filings INTEGER NOT NULL,
        social_apps INTEGER NOT NULL,
        cashless_payments INTEGER NOT NULL,
        other_help INTEGER NOT NULL,
        languages TEXT NOT NULL,
        working_model TEXT NOT NULL,
        notes TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        author TEXT NOT NULL,
        session_id TEXT NOT NULL,
        source TEXT NOT NULL,
        is_sample INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        UNIQUE (province_code, report_key, revision)
    )
    """,
    "CREATE INDEX activity_report_current ON activity_report (province_code, is_current, week)",
    """
    CREATE TABLE activity_target (
        id INTEGER PRIMARY KEY,
        province_code TEXT NOT NULL CHECK (province_code <> ''),
        commune_code TEXT NOT NULL,
        metric TEXT NOT NULL,
        value REAL NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        author TEXT NOT NULL,
        session_id TEXT NOT NULL,
        note TEXT NOT NULL
    )
    """,
    "CREATE INDEX activity_target_key ON activity_target (province_code, metric, commune_code)",
)
"""Migration adding ``activity_report`` (every revision of every report) and
``activity_target`` (every saved target, newest wins)."""
