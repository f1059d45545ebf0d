"""Schema versions of the store's SQLite file and the migrations between them."""

from __future__ import annotations

import sqlite3
from typing import Final

from coverage.storage.activity_schema import ACTIVITY_MIGRATION

_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: working roster revisions with their audit, and named scenarios.
    (
        """
        CREATE TABLE roster_revision (
            id INTEGER PRIMARY KEY,
            province_code TEXT NOT NULL CHECK (province_code <> ''),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            saved_at TEXT NOT NULL,
            author TEXT NOT NULL,
            session_id TEXT NOT NULL,
            note TEXT NOT NULL,
            restored_from INTEGER,
            team_count INTEGER NOT NULL,
            teams_json TEXT NOT NULL,
            UNIQUE (province_code, revision),
            FOREIGN KEY (province_code, restored_from)
                REFERENCES roster_revision (province_code, revision)
        )
        """,
        """
        CREATE TABLE roster_change (
            revision_id INTEGER NOT NULL REFERENCES roster_revision (id) ON DELETE CASCADE,
            team_id TEXT NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
            columns_json TEXT NOT NULL,
            PRIMARY KEY (revision_id, team_id)
        )
        """,
        """
        CREATE TABLE scenario (
            id INTEGER PRIMARY KEY,
            province_code TEXT NOT NULL CHECK (province_code <> ''),
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            author TEXT NOT NULL,
            session_id TEXT NOT NULL,
            roster_revision INTEGER,
            team_count INTEGER NOT NULL,
            teams_json TEXT NOT NULL,
            params_json TEXT NOT NULL,
            summary_json TEXT NOT NULL,
            per_commune_json TEXT,
            UNIQUE (province_code, name_key),
            FOREIGN KEY (province_code, roster_revision)
                REFERENCES roster_revision (province_code, revision)
        )
        """,
    ),
    # 2: indicator tables uploaded by planners (one revision per upload or reset).
    (
        """
        CREATE TABLE indicator_revision (
            id INTEGER PRIMARY KEY,
            province_code TEXT NOT NULL CHECK (province_code <> ''),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            saved_at TEXT NOT NULL,
            author TEXT NOT NULL,
            session_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('file', 'estimate')),
            file_name TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            indicators_json TEXT,
            UNIQUE (province_code, revision),
            CHECK ((kind = 'file') = (indicators_json IS NOT NULL))
        )
        """,
    ),
    # 3: activity reports of the teams and progress targets (coverage.storage.activity_store).
    ACTIVITY_MIGRATION,
    # 4: what kind of save a roster revision is (an edit or a whole-file import), and each
    # changed field's old and new value (so the history can say "members 11 -> 18").
    (
        "ALTER TABLE roster_revision ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit' "
        "CHECK (kind IN ('edit', 'import'))",
        "ALTER TABLE roster_change ADD COLUMN values_json TEXT",
    ),
    # 5: user accounts (coverage.storage.accounts) and failed sign-ins per user name.
    (
        """
        CREATE TABLE IF NOT EXISTS account (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL
                CHECK (role IN ('administrator', 'planner', 'reporter', 'viewer')),
            communes_json TEXT NOT NULL,
            full_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS sign_in_failure (
            username_key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_failed_at TEXT NOT NULL
        )
        """,
    ),
    # 6: where a roster revision comes from, as data: the file it was imported from and
    # whether it is the SAMPLE. Earlier revisions said so only in their note ("file:NAME",
    # "sample-edit"); it is read once, here. Other notes leave is_sample NULL (unknown: the
    # revision is labelled like the province's original roster, as before).
    (
        "ALTER TABLE roster_revision ADD COLUMN source_file TEXT",
        "ALTER TABLE roster_revision ADD COLUMN is_sample INTEGER CHECK (is_sample IN (0, 1))",
        "UPDATE roster_revision SET source_file = substr(note, 6), is_sample = 0 "
        "WHERE substr(note, 1, 5) = 'file:'",
        "UPDATE roster_revision SET is_sample = 1 WHERE substr(note, 1, 6) = 'sample'",
    ),
)
"""Schema migrations; entry ``i`` takes the database from version ``i`` to ``i + 1``.

Append new entries; never edit a released one.
"""

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""Schema version this code writes and reads."""


def _schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(row[0])


__all__ = ["SCHEMA_VERSION"]
