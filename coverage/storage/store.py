"""Scenarios and roster edits in an embedded SQLite database, written in transactions.

The store is one SQLite file in the data directory
(:attr:`coverage.settings.Settings.store_path`). It keeps two things per province:

* the **working roster** ("the current plan"): every saved version is kept as a
  numbered *revision* (1, 2, 3, ...) with who saved it, when (UTC), a note, and an audit
  of which teams were added, removed or changed compared with the revision before;
* named **scenarios**: a roster, the analysis parameters, the result summary and an
  optional per-commune table, under a name that is unique per province;
* the **indicator table** in use: every validated upload is kept as a numbered revision
  with its file name, who uploaded it and when; going back to the built-in estimate is
  a revision too, so no upload is ever deleted. An upload replaces the whole table (it
  is a file, not an edit), so indicator revisions are not checked for conflicts.

Guarantees
----------
* **Nothing is overwritten silently.** A roster is saved *from* a base revision; if
  someone else (another browser tab, another planner, another process) saved since,
  :class:`ConflictError` is raised with both revisions, who saved the newer one and
  when, and which team ids differ. Overwriting a scenario needs ``overwrite=True`` and,
  when the caller passes the revision it loaded, that revision must still be current.
* **A crash loses nothing.** Every write runs in one ``BEGIN IMMEDIATE`` transaction
  that commits whole or not at all; the database is in WAL mode with
  ``synchronous=FULL``, so a committed revision survives a crash of the app.
* **Safe across threads and processes.** A :class:`Store` holds only the file's path;
  every call opens its own connection and closes it, so one ``Store`` may be shared by
  all Streamlit sessions, and two ``Store`` objects on one file behave like two tabs.
  There is no module-level connection or cache.

Storage format
--------------
Tables (DataFrames) are stored as UTF-8 JSON text: an envelope
``{"format": "records-v1", "columns": [...], "dtypes": {...}, "sequences": {...},
"records": [...]}`` where ``records`` is ``orient="records"`` (one object per row).
JSON was chosen over Parquet so that the file can be read with any SQLite tool and
diffed team by team. Conventions:

* missing values (``None``, NaN, ``pd.NA``, ``NaT``) are written as ``null``; the JSON
  never contains ``NaN``. Infinite floats are written as the strings ``"Infinity"`` and
  ``"-Infinity"`` and read back as floats in float columns;
* tuples and lists are JSON arrays; ``sequences`` records which columns held tuples
  (``skills``, ``languages``) so they come back as tuples; an empty tuple stays ``()``
  and a missing value stays ``None``;
* ``dtypes`` restores each column's pandas dtype (``int64``, ``float64``, ``str``,
  ``bool``, nullable dtypes, ``datetime64`` as ISO 8601 text, ...);
* the index is not kept (rows keep their order and come back with a ``RangeIndex``);
  geometry columns of a GeoDataFrame are dropped (they are recomputed from the
  boundaries by commune code).

``params`` and ``summary`` dictionaries are JSON too (string keys; tuples come back as
lists; dataclasses are stored as dictionaries).

Errors the user can act on (conflict, duplicate or invalid name, missing scenario or
revision, database from a newer version) are subclasses of :class:`StorageError` with a
``code`` and fields, rendered in Vietnamese or English by :meth:`StorageError.message`.
Programming errors (a roster without ``team_id``, duplicate team ids, a value that is
not JSON) raise ``ValueError``/``TypeError``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import math
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

import coverage.text.accounts  # noqa: F401  (registers the store-fault and permission messages)
from coverage.storage.activity_schema import ACTIVITY_MIGRATION
from coverage.text.i18n import Lang, format_number, register, t
from coverage.settings import Settings
from coverage.text.textnorm import nfc
from coverage.inputs.validation import TEAM_COLUMNS

FRAME_FORMAT: Final = "records-v1"
"""Version tag written into every stored table."""

MAX_NAME_LENGTH: Final = 120
"""Longest scenario name accepted, in characters."""

VIETNAM_UTC_OFFSET: Final = dt.timezone(dt.timedelta(hours=7))
"""Offset used to show times in messages (Vietnam has no daylight saving time)."""

LOCK_WAIT_S: Final = 5.0
"""How long a call waits for another writer to finish before saying the file is locked,
in seconds (a save takes milliseconds; a longer wait means another program holds it)."""

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
)
"""Schema migrations; entry ``i`` takes the database from version ``i`` to ``i + 1``.

Append new entries; never edit a released one.
"""

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""Schema version this code writes and reads."""


# --------------------------------------------------------------------------- results


RosterKind = Literal["edit", "import"]
"""What a roster revision is: an edit of the roster, or a whole file imported in one go."""


@dataclass(frozen=True)
class FieldChange:
    """One field of one team, before and after, as stored (JSON values).

    Attributes
    ----------
    column
        The roster column (:data:`coverage.inputs.validation.TEAM_COLUMNS`, or ``location_source``).
    old, new
        The stored values (numbers, text, lists for skills and languages, ``None`` blank).
    """

    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RosterDiff:
    """Which teams differ between two rosters, matched by ``team_id``.

    Attributes
    ----------
    added
        Team ids only in the newer roster.
    removed
        Team ids only in the older roster.
    changed
        Team ids in both whose values differ.
    changed_columns
        For each changed team, the columns whose values differ.
    changed_values
        For each changed team, every changed field with its old and new value (empty for
        revisions saved before values were kept).
    records
        For each added or removed team, its stored values (the new team's, or the removed
        team's last ones), so the history can name it.
    """

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    changed_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    changed_values: tuple[tuple[str, tuple[FieldChange, ...]], ...] = ()
    records: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()

    def values_of(self, team_id: str) -> tuple[FieldChange, ...]:
        """The changed fields of ``team_id`` with old and new values (empty if unknown)."""
        return dict(self.changed_values).get(team_id, ())

    def record_of(self, team_id: str) -> dict[str, object]:
        """The stored values of an added or removed team (empty if unknown)."""
        return dict(dict(self.records).get(team_id, ()))

    @property
    def team_ids(self) -> tuple[str, ...]:
        """Every team id that differs, sorted."""
        return tuple(sorted({*self.added, *self.removed, *self.changed}))

    @property
    def is_empty(self) -> bool:
        """Whether the two rosters hold the same teams with the same values."""
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class RosterRevision:
    """One saved revision of a province's working roster, without the teams.

    Attributes
    ----------
    province_code
        Official province code (for example ``"52"``).
    revision
        Revision number, 1 for the first save, increasing by one per save.
    saved_at
        When it was saved, UTC, ISO 8601 (``2026-11-23T09:30:00.000000+00:00``).
    author, session_id
        Who saved it and from which session (as given by the caller).
    note
        The note given when saving.
    team_count
        Number of teams in the roster.
    restored_from
        The earlier revision whose teams this one restores, or ``None``.
    changes
        Audit of the teams added, removed and changed since the previous revision.
    kind
        ``"import"`` for a whole file loaded in one go (shown as one history entry),
        ``"edit"`` otherwise.
    """

    province_code: str
    revision: int
    saved_at: str
    author: str
    session_id: str
    note: str
    team_count: int
    restored_from: int | None
    changes: RosterDiff
    kind: RosterKind = "edit"


@dataclass(frozen=True)
class SavedRoster:
    """A revision of the working roster with its teams.

    Attributes
    ----------
    info
        The revision's number, author, time, note and audit.
    teams
        The roster (see :data:`coverage.inputs.validation.TEAM_COLUMNS`), as saved.
    """

    info: RosterRevision
    teams: pd.DataFrame

    @property
    def revision(self) -> int:
        """The revision number, to pass back as ``base_revision`` when saving."""
        return self.info.revision


@dataclass(frozen=True)
class ScenarioInfo:
    """A saved scenario without its tables, for lists and side-by-side comparison.

    Attributes
    ----------
    province_code
        Official province code.
    name
        Name as the user typed it (NFC, single spaces).
    revision
        1 when created, increasing by one on every overwrite or rename; pass it back as
        ``expected_revision`` to overwrite, rename or delete safely.
    created_at, updated_at
        UTC, ISO 8601.
    author, session_id
        Who saved the current version and from which session.
    roster_revision
        The working-roster revision the scenario was computed from, if any.
    team_count
        Number of teams in the scenario's roster.
    summary
        The result summary saved with it.
    """

    province_code: str
    name: str
    revision: int
    created_at: str
    updated_at: str
    author: str
    session_id: str
    roster_revision: int | None
    team_count: int
    summary: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """A saved scenario: roster, parameters, result summary and per-commune table.

    Attributes
    ----------
    province_code, name, revision, created_at, updated_at, author, session_id, roster_revision
        As in :class:`ScenarioInfo`.
    teams
        The roster the scenario was computed with.
    params
        The analysis and optimisation parameters.
    summary
        The result summary (headline numbers).
    per_commune
        The per-commune result table without geometry, or ``None``.
    """

    province_code: str
    name: str
    revision: int
    created_at: str
    updated_at: str
    author: str
    session_id: str
    roster_revision: int | None
    teams: pd.DataFrame
    params: dict[str, Any]
    summary: dict[str, Any]
    per_commune: pd.DataFrame | None


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class IndicatorRevision:
    """One revision of a province's indicator table, without the table.

    Attributes
    ----------
    province_code
        Official province code.
    revision
        Revision number, 1 for the first upload, increasing by one per change.
    saved_at
        When it was saved, UTC, ISO 8601.
    author, session_id
        Who saved it and from which session.
    kind
        ``"file"``: an uploaded table; ``"estimate"``: back to the built-in
        ILLUSTRATIVE ESTIMATE.
    file_name
        Name of the uploaded file ('' for the estimate).
    row_count
        Number of communes in the uploaded table (0 for the estimate).
    """

    province_code: str
    revision: int
    saved_at: str
    author: str
    session_id: str
    kind: Literal["file", "estimate"]
    file_name: str
    row_count: int

    @property
    def is_estimate(self) -> bool:
        """Whether this revision goes back to the built-in estimate."""
        return self.kind == "estimate"


@dataclass(frozen=True)
class SavedIndicators:
    """An uploaded indicator table with its revision.

    Attributes
    ----------
    info
        The revision's number, file name, author and time.
    indicators
        The validated table (see :data:`coverage.inputs.validation.INDICATOR_COLUMNS`), as saved.
    """

    info: IndicatorRevision
    indicators: pd.DataFrame


class StorageError(Exception):
    """A storage problem the user can act on; the UI shows :meth:`message`.

    Subclasses carry the fields the message needs; ``code`` is the catalogue key
    (``storage.*``), and ``code + ".fix"`` says what to do.
    """

    code: str
    """Catalogue key of the message (``storage.*``)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "vi") -> str:
        """Render the problem and its fix in ``lang``."""
        params = self._params(lang)
        return f"{t(self.code, lang, **params)}. {t(self.code + '.fix', lang, **params)}"

    def _params(self, lang: Lang) -> dict[str, object]:
        return {}



class ConflictError(StorageError):
    """Someone else saved since the revision this edit started from.

    Attributes
    ----------
    kind
        ``"roster"`` for the working roster, ``"scenario"`` for a named scenario.
    province_code
        Province of the roster or scenario.
    name
        Scenario name, or ``None`` for the roster.
    base_revision
        The revision the caller loaded and edited (0: none).
    current_revision
        The newer revision now stored (0: the scenario was deleted).
    saved_by, saved_session, saved_at
        Author, session and UTC time (ISO 8601) of the newer revision.
    differences
        Teams that differ between the newer stored revision and the caller's roster
        (what saving anyway would change).
    their_changes
        What the other save changed relative to ``base_revision``, or ``None`` when
        the base is not known (scenarios keep no history).
    both_changed
        Team ids changed by both sides since the base, to different values.
    differing_params
        Scenario parameters whose values differ (empty for the roster).
    """

    def __init__(
        self,
        *,
        kind: Literal["roster", "scenario"],
        province_code: str,
        name: str | None,
        base_revision: int,
        current_revision: int,
        saved_by: str,
        saved_session: str,
        saved_at: str,
        differences: RosterDiff,
        their_changes: RosterDiff | None = None,
        both_changed: tuple[str, ...] = (),
        differing_params: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.province_code = province_code
        self.name = name
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.saved_by = saved_by
        self.saved_session = saved_session
        self.saved_at = saved_at
        self.differences = differences
        self.their_changes = their_changes
        self.both_changed = both_changed
        self.differing_params = differing_params
        super().__init__(f"storage.{kind}_conflict")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "name": self.name or "",
            "base_revision": self.base_revision,
            "current_revision": self.current_revision,
            "saved_by": self.saved_by or t("storage.unknown_author", lang),
            "saved_at": _display_time(self.saved_at, lang),
            "team_ids": _list_text(self.differences.team_ids, lang),
            "param_names": _list_text(self.differing_params, lang),
        }


class DuplicateNameError(StorageError):
    """A scenario with this name already exists in the province.

    Attributes
    ----------
    province_code, name
        Where and what name.
    existing_revision, saved_by, saved_at
        Revision, author and UTC time (ISO 8601) of the existing scenario.
    """


    def __init__(
        self, *, province_code: str, name: str, existing_revision: int, saved_by: str, saved_at: str
    ) -> None:
        self.province_code = province_code
        self.name = name
        self.existing_revision = existing_revision
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__("storage.duplicate_name")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "name": self.name,
            "saved_by": self.saved_by or t("storage.unknown_author", lang),
            "saved_at": _display_time(self.saved_at, lang),
        }


class ScenarioNotFoundError(StorageError):
    """No scenario with this name in the province (deleted or renamed meanwhile?)."""


    def __init__(self, *, province_code: str, name: str) -> None:
        self.province_code = province_code
        self.name = name
        super().__init__("storage.scenario_not_found")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"name": self.name}


class RevisionNotFoundError(StorageError):
    """The working roster of the province has no such revision.

    Attributes
    ----------
    province_code, revision
        What was asked for.
    latest_revision
        The newest revision stored (0: none).
    """


    def __init__(self, *, province_code: str, revision: int, latest_revision: int) -> None:
        self.province_code = province_code
        self.revision = revision
        self.latest_revision = latest_revision
        super().__init__("storage.revision_not_found")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"revision": self.revision, "latest_revision": self.latest_revision}


class InvalidNameError(StorageError):
    """A scenario name is empty or too long.

    Attributes
    ----------
    name
        The name as given.
    reason
        ``"empty"`` or ``"too_long"``.
    """

    def __init__(self, *, name: str, reason: Literal["empty", "too_long"]) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"storage.invalid_name.{reason}")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"limit": MAX_NAME_LENGTH}


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of the tool.

    Attributes
    ----------
    path
        The database file.
    found_version, supported_version
        Schema version in the file and the newest this code knows.
    """


    def __init__(self, *, path: Path, found_version: int, supported_version: int) -> None:
        self.path = path
        self.found_version = found_version
        self.supported_version = supported_version
        super().__init__("storage.schema_too_new")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "file": self.path.name,
            "found_version": self.found_version,
            "supported_version": self.supported_version,
        }


class StoreFaultError(StorageError):
    """The database file cannot be used right now (locked, read-only, full, missing, damaged).

    Nothing was written: every write is one transaction that commits whole or not at all.

    Attributes
    ----------
    path
        The database file.
    detail
        SQLite's own words (for the log; the message says what to do).
    """

    def __init__(self, code: str, *, path: Path, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        super().__init__(code)

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"file": self.path.name, "folder": str(self.path.parent), "detail": self.detail}


class StoreLockedError(StoreFaultError):
    """Another connection held the write lock for longer than the store waits.

    Attributes
    ----------
    waited_s
        How long the call waited (:data:`LOCK_WAIT_S` unless the store was opened with
        another ``timeout_s``).
    holders
        Processes that have the file open (best effort, from ``/proc``), as
        ``(pid, program name)``; empty when they cannot be seen.
    """

    def __init__(self, *, path: Path, waited_s: float, holders: tuple[tuple[int, str], ...] = (),
                 detail: str = "") -> None:
        self.waited_s = waited_s
        self.holders = holders
        super().__init__("storage.fault.locked", path=path, detail=detail)

    def _params(self, lang: Lang) -> dict[str, object]:
        names = [
            t("storage.fault.holder_self", lang, pid=pid) if pid == os.getpid()
            else t("storage.fault.holder", lang, name=name, pid=pid)
            for pid, name in self.holders
        ]
        return {
            **super()._params(lang),
            "seconds": format_number(self.waited_s, lang, decimals=0 if self.waited_s >= 1 else 1),
            "holders": "; ".join(names) if names else t("storage.fault.holders_unknown", lang),
        }


class StoreReadOnlyError(StoreFaultError):
    """The file or its folder cannot be written; reading still works."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.read_only", path=path, detail=detail)


class StoreFullError(StoreFaultError):
    """The disk is full or the file reached its page limit."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.full", path=path, detail=detail)

    def _params(self, lang: Lang) -> dict[str, object]:
        try:
            free_mb = _free_bytes(self.path.parent) / 1e6
            free = f"{format_number(free_mb, lang, decimals=0)} MB"
        except OSError:
            free = "?"
        return {**super()._params(lang), "free": free}


class StoreMissingError(StoreFaultError):
    """The file (or its folder) went away after the store was opened, or cannot be created."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.missing", path=path, detail=detail)


class StoreUnusableError(StoreFaultError):
    """The file is damaged, not a database, or the disk reports an input/output error."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.unusable", path=path, detail=detail)


def _free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return int(stat.f_bavail * stat.f_frsize)


def _file_holders(path: Path) -> tuple[tuple[int, str], ...]:
    """Processes with ``path`` (or its -wal / -shm) open, from ``/proc`` (Linux; best effort)."""
    targets = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    found: list[tuple[int, str]] = []
    proc = Path("/proc")
    try:
        entries = [e for e in proc.iterdir() if e.name.isdigit()]
    except OSError:
        return ()
    for entry in entries:
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:  # gone meanwhile, or another user's process
            continue
        links = set()
        for fd in fds:
            with contextlib.suppress(OSError):  # closed meanwhile
                links.add(os.readlink(fd))
        if links & targets:
            try:
                name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                name = "?"
            found.append((int(entry.name), name))
        if len(found) >= 5:
            break
    return tuple(sorted(found))


def store_fault(error: sqlite3.Error, *, path: Path, waited_s: float) -> StoreFaultError | None:
    """The :class:`StoreFaultError` for an SQLite error the user can act on, else ``None``.

    ``None`` means a programming error (bad SQL, a constraint): the caller re-raises it.
    """
    name = str(getattr(error, "sqlite_errorname", "") or "")
    detail = f"{name}: {error}" if name else str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreLockedError(path=path, waited_s=waited_s, holders=_file_holders(path), detail=detail)
    if name.startswith("SQLITE_READONLY"):
        return StoreReadOnlyError(path=path, detail=detail)
    if name == "SQLITE_FULL":
        return StoreFullError(path=path, detail=detail)
    if name.startswith("SQLITE_CANTOPEN"):
        if not path.exists():
            return StoreMissingError(path=path, detail=detail)
        return StoreReadOnlyError(path=path, detail=detail)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR")):
        return StoreUnusableError(path=path, detail=detail)
    return None


register(
    {
        "storage.roster_conflict": {
            "vi": "Danh sách đội đã được {saved_by} lưu thành phiên bản {current_revision} "
            "lúc {saved_at}, sau phiên bản {base_revision} mà bạn đang sửa",
            "en": "The roster was saved as revision {current_revision} by {saved_by} at "
            "{saved_at}, after revision {base_revision} that you are editing",
        },
        "storage.roster_conflict.fix": {
            "vi": "Các đội khác nhau: {team_ids}. Chưa có gì bị ghi đè: hãy tải phiên bản mới "
            "nhất, xem lại các thay đổi rồi lưu lại.",
            "en": "Teams that differ: {team_ids}. Nothing was overwritten: load the latest "
            "revision, review the changes and save again.",
        },
        "storage.scenario_conflict": {
            "vi": "Kịch bản '{name}' đã được {saved_by} lưu thành phiên bản {current_revision} "
            "lúc {saved_at}, sau phiên bản {base_revision} mà bạn đang sửa",
            "en": "Scenario '{name}' was saved as revision {current_revision} by {saved_by} "
            "at {saved_at}, after revision {base_revision} that you are editing",
        },
        "storage.scenario_conflict.fix": {
            "vi": "Các đội khác nhau: {team_ids}; tham số khác nhau: {param_names}. Chưa có gì "
            "bị ghi đè: hãy tải lại kịch bản hoặc lưu với một tên mới.",
            "en": "Teams that differ: {team_ids}; parameters that differ: {param_names}. "
            "Nothing was overwritten: reload the scenario or save it under a new name.",
        },
        "storage.duplicate_name": {
            "vi": "Tỉnh này đã có kịch bản tên '{name}' (do {saved_by} lưu lúc {saved_at})",
            "en": "This province already has a scenario named '{name}' (saved by {saved_by} "
            "at {saved_at})",
        },
        "storage.duplicate_name.fix": {
            "vi": "Chọn một tên khác, hoặc chọn ghi đè kịch bản cũ.",
            "en": "Choose another name, or choose to overwrite the existing scenario.",
        },
        "storage.scenario_not_found": {
            "vi": "Không tìm thấy kịch bản '{name}'",
            "en": "Scenario '{name}' was not found",
        },
        "storage.scenario_not_found.fix": {
            "vi": "Có thể kịch bản đã bị xoá hoặc đổi tên ở một phiên làm việc khác; hãy tải "
            "lại danh sách kịch bản, hoặc lưu với tên mới.",
            "en": "It may have been deleted or renamed in another session; reload the list "
            "of scenarios, or save it under a new name.",
        },
        "storage.revision_not_found": {
            "vi": "Danh sách đội không có phiên bản {revision}",
            "en": "The roster has no revision {revision}",
        },
        "storage.revision_not_found.fix": {
            "vi": "Phiên bản mới nhất là {latest_revision}; chọn một phiên bản trong lịch sử.",
            "en": "The latest revision is {latest_revision}; choose one from the history.",
        },
        "storage.invalid_name.empty": {
            "vi": "Tên kịch bản đang để trống",
            "en": "The scenario name is empty",
        },
        "storage.invalid_name.empty.fix": {
            "vi": "Nhập một tên ngắn gọn, ví dụ 'Phương án tháng 12'.",
            "en": "Enter a short name, for example 'December plan'.",
        },
        "storage.invalid_name.too_long": {
            "vi": "Tên kịch bản dài quá {limit} ký tự",
            "en": "The scenario name is longer than {limit} characters",
        },
        "storage.invalid_name.too_long.fix": {
            "vi": "Rút gọn tên còn tối đa {limit} ký tự.",
            "en": "Shorten the name to at most {limit} characters.",
        },
        "storage.schema_too_new": {
            "vi": "Tệp dữ liệu {file} do một phiên bản mới hơn của công cụ tạo ra (lược đồ "
            "{found_version}; phiên bản này chỉ đọc được đến {supported_version})",
            "en": "The data file {file} was written by a newer version of the tool (schema "
            "{found_version}; this version reads up to {supported_version})",
        },
        "storage.schema_too_new.fix": {
            "vi": "Cập nhật công cụ lên phiên bản mới nhất; tệp chưa bị thay đổi.",
            "en": "Update the tool to the latest version; the file has not been changed.",
        },
        "storage.unknown_author": {"vi": "một người khác", "en": "someone else"},
        "storage.none": {"vi": "không có", "en": "none"},
        "storage.more": {"vi": "{items} và {count} mục khác", "en": "{items} and {count} more"},
        "storage.time": {"vi": "{time} (giờ Việt Nam)", "en": "{time} (Vietnam time)"},
    }
)


def _display_time(iso_utc: str, lang: Lang) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    local = moment.astimezone(VIETNAM_UTC_OFFSET)
    return t("storage.time", lang, time=local.strftime("%H:%M %d/%m/%Y"))


def _list_text(items: Sequence[str], lang: Lang, *, limit: int = 8) -> str:
    if not items:
        return t("storage.none", lang)
    shown = ", ".join(items[:limit])
    if len(items) <= limit:
        return shown
    return t("storage.more", lang, items=shown, count=len(items) - limit)


# --------------------------------------------------------------------------- JSON codec


def _json_value(value: object, *, where: str) -> object:
    """Return ``value`` as plain JSON data (no NaN; infinities as strings)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "Infinity" if number > 0 else "-Infinity"
        return number
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (tuple, list, np.ndarray)):
        return [_json_value(v, where=where) for v in value]
    if isinstance(value, Mapping):
        out: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: dictionary keys must be text, got {key!r}")
            out[key] = _json_value(item, where=f"{where}.{key}")
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _json_value(dataclasses.asdict(value), where=where)
    raise TypeError(f"{where}: cannot store a value of type {type(value).__name__}: {value!r}")


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _mapping_to_json(mapping: Mapping[str, Any] | object, *, where: str) -> str:
    data = _json_value(mapping, where=where)
    if not isinstance(data, dict):
        raise TypeError(f"{where}: expected a dictionary, got {type(mapping).__name__}")
    return _dumps(data)


@dataclass(frozen=True)
class _EncodedFrame:
    text: str
    records: list[dict[str, object]]


def _encode_frame(frame: pd.DataFrame, *, where: str) -> _EncodedFrame:
    """Encode a table as the ``records-v1`` JSON envelope (see the module docstring)."""
    geometry = [c for c in frame.columns if str(frame[c].dtype) == "geometry"]
    table = pd.DataFrame(frame.drop(columns=geometry))
    columns = list(table.columns)
    for column in columns:
        if not isinstance(column, str):
            raise TypeError(f"{where}: column names must be text, got {column!r}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"{where}: duplicate column names in {columns}")
    dtypes = {c: str(table[c].dtype) for c in columns}
    sequences: dict[str, str] = {}
    cells: dict[str, list[object]] = {}
    for column in columns:
        raw = table[column].tolist()
        for value in raw:
            if isinstance(value, tuple):
                sequences[column] = "tuple"
                break
            if isinstance(value, (list, np.ndarray)):
                sequences[column] = "list"
                break
        cells[column] = [_json_value(v, where=f"{where}.{column}") for v in raw]
    records = [{c: cells[c][i] for c in columns} for i in range(len(table))]
    envelope = {
        "format": FRAME_FORMAT,
        "columns": columns,
        "dtypes": dtypes,
        "sequences": sequences,
        "records": records,
    }
    return _EncodedFrame(text=_dumps(envelope), records=records)


def _records_of(text: str) -> list[dict[str, object]]:
    envelope = json.loads(text)
    records: list[dict[str, object]] = envelope["records"]
    return records


def _decode_frame(text: str) -> pd.DataFrame:
    """Rebuild a table written by :func:`_encode_frame`, dtypes and tuples included."""
    envelope = json.loads(text)
    if envelope.get("format") != FRAME_FORMAT:
        raise ValueError(f"unknown stored table format {envelope.get('format')!r}")
    columns: list[str] = envelope["columns"]
    records: list[dict[str, object]] = envelope["records"]
    data = {
        c: _restore_column(
            pd.Series([r.get(c) for r in records], dtype=object),
            envelope["dtypes"][c],
            envelope["sequences"].get(c),
        )
        for c in columns
    }
    return pd.DataFrame(data, columns=columns, index=pd.RangeIndex(len(records)))


def _to_float(value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, (int, float, str)):
        return float(value)  # "Infinity" and "-Infinity" parse as infinities
    raise TypeError(f"not a number: {value!r}")


def _restore_column(values: pd.Series, dtype: str, sequence: str | None) -> pd.Series:
    if sequence == "tuple":
        return values.map(lambda v: tuple(v) if isinstance(v, list) else v).astype(object)
    if sequence == "list" or dtype == "object":
        return values
    if dtype.lower().startswith("float"):
        return values.map(_to_float).astype(dtype)
    if dtype.startswith("datetime64"):
        parsed = pd.to_datetime(values, format="ISO8601")
        try:
            return parsed.astype(dtype)
        except (TypeError, ValueError):  # e.g. a named time zone read back as an offset
            return parsed
    try:
        return values.astype(dtype)
    except (TypeError, ValueError):  # a dtype pandas cannot rebuild from text: keep values
        return values


# --------------------------------------------------------------------------- rosters


def _check_roster(teams: pd.DataFrame, *, where: str) -> None:
    missing = [c.name for c in TEAM_COLUMNS if c.required and c.name not in teams.columns]
    if missing:
        raise ValueError(
            f"{where}: not a validated roster, columns missing: {missing}; "
            "validate it with coverage.inputs.validation.validate_teams first"
        )
    ids = teams["team_id"]
    if ids.isna().any():
        raise ValueError(f"{where}: team_id is empty on some rows; validate the roster first")
    duplicated = sorted(set(ids[ids.astype(str).duplicated()].astype(str)))
    if duplicated:
        raise ValueError(f"{where}: duplicate team_id {duplicated}; validate the roster first")


def _diff_records(
    old: Sequence[Mapping[str, object]], new: Sequence[Mapping[str, object]]
) -> RosterDiff:
    old_by_id = {str(r["team_id"]): r for r in old}
    new_by_id = {str(r["team_id"]): r for r in new}
    changed: list[tuple[str, tuple[FieldChange, ...]]] = []
    for team_id in sorted(old_by_id.keys() & new_by_id.keys()):
        before, after = old_by_id[team_id], new_by_id[team_id]
        fields = tuple(
            FieldChange(c, before.get(c), after.get(c))
            for c in dict.fromkeys([*before, *after]) if before.get(c) != after.get(c)
        )
        if fields:
            changed.append((team_id, fields))
    added = tuple(sorted(new_by_id.keys() - old_by_id.keys()))
    removed = tuple(sorted(old_by_id.keys() - new_by_id.keys()))
    records = [(i, tuple(new_by_id[i].items())) for i in added]
    records += [(i, tuple(old_by_id[i].items())) for i in removed]
    return RosterDiff(
        added=added,
        removed=removed,
        changed=tuple(team_id for team_id, _ in changed),
        changed_columns=tuple((team_id, tuple(f.column for f in fields)) for team_id, fields in changed),
        changed_values=tuple(changed),
        records=tuple(sorted(records)),
    )


def diff_rosters(old: pd.DataFrame, new: pd.DataFrame) -> RosterDiff:
    """Return which teams were added, removed or changed from ``old`` to ``new``.

    Teams are matched by ``team_id``; values are compared as they would be stored (so
    ``15`` and ``15.0`` or a tuple and a list with the same items are equal).

    Parameters
    ----------
    old, new
        Rosters with a ``team_id`` column.

    Returns
    -------
    RosterDiff
        Team ids added, removed and changed, with the changed columns.
    """
    return _diff_records(
        _encode_frame(old, where="old").records, _encode_frame(new, where="new").records
    )


def _insert_changes(conn: sqlite3.Connection, revision_id: int, changes: RosterDiff) -> None:
    """Write the audit rows of one revision (inside the caller's transaction)."""
    columns = dict(changes.changed_columns)
    rows = [(revision_id, team_id, "added", "[]", _dumps(changes.record_of(team_id)))
            for team_id in changes.added]
    rows += [(revision_id, team_id, "removed", "[]", _dumps(changes.record_of(team_id)))
             for team_id in changes.removed]
    rows += [
        (revision_id, team_id, "changed", _dumps(list(columns.get(team_id, ()))),
         _dumps([[f.column, f.old, f.new] for f in changes.values_of(team_id)]))
        for team_id in changes.changed
    ]
    conn.executemany(
        "INSERT INTO roster_change (revision_id, team_id, change, columns_json, values_json) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def _diff_from_rows(rows: Sequence[sqlite3.Row]) -> RosterDiff:
    by_change: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
    columns: list[tuple[str, tuple[str, ...]]] = []
    values: list[tuple[str, tuple[FieldChange, ...]]] = []
    records: list[tuple[str, tuple[tuple[str, object], ...]]] = []
    for row in sorted(rows, key=lambda r: str(r["team_id"])):
        team_id = row["team_id"]
        by_change[row["change"]].append(team_id)
        stored = json.loads(row["values_json"]) if row["values_json"] is not None else None
        if row["change"] == "changed":
            columns.append((team_id, tuple(json.loads(row["columns_json"]))))
            if stored:
                values.append((team_id, tuple(FieldChange(c, old, new) for c, old, new in stored)))
        elif stored:
            records.append((team_id, tuple(stored.items())))
    return RosterDiff(
        added=tuple(by_change["added"]),
        removed=tuple(by_change["removed"]),
        changed=tuple(by_change["changed"]),
        changed_columns=tuple(columns),
        changed_values=tuple(values),
        records=tuple(records),
    )


def _clean_province(province_code: str) -> str:
    code = str(province_code).strip()
    if not code:
        raise ValueError("province_code is empty")
    return code


def _clean_name(name: str) -> tuple[str, str]:
    """Return the display name (NFC, single spaces) and its uniqueness key (case-folded)."""
    display = " ".join(nfc(str(name)).split())
    if not display:
        raise InvalidNameError(name=name, reason="empty")
    if len(display) > MAX_NAME_LENGTH:
        raise InvalidNameError(name=name, reason="too_long")
    return display, display.casefold()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- the store


class Store:
    """Scenarios, working-roster revisions and indicator uploads in one SQLite file.

    Creating a ``Store`` creates the folder and the database if needed, switches it to
    WAL mode and applies pending schema migrations. The object holds only the path:
    each call opens a connection, runs one transaction and closes it, so a ``Store``
    can be shared between threads (and Streamlit sessions), and several ``Store``
    objects or processes can use one file at once.

    Faults of the file itself (locked by another program for longer than ``timeout_s``,
    read-only, disk full, file gone, damaged) raise a :class:`StoreFaultError` subclass
    with a message and what to do; nothing is half-written. A read-only file or folder
    is opened for reading (``mode=ro``, or ``immutable=1`` when a WAL file's shared
    memory cannot be created), so everything saved can still be seen.

    A store bound to an account (:meth:`for_account`) checks the account's permission
    (:func:`coverage.storage.accounts.require`) before every write and records the account's
    user name as the author, whatever ``author`` the caller passes. An unbound store
    (the command line, run by whoever can already open the file) does not check.

    Parameters
    ----------
    path
        The database file (usually :attr:`coverage.settings.Settings.store_path`).
    timeout_s
        How long a call waits for another writer to finish before failing, in seconds
        (:data:`LOCK_WAIT_S` by default).
    clock
        Returns the current time as an aware ``datetime`` (tests pass a fixed clock).
    read_only
        Open for reading only; ``None`` decides from the file's and folder's permissions.

    Raises
    ------
    SchemaTooNewError
        If the file was written by a newer version of the tool.
    StoreFaultError
        If the folder cannot be created or the file cannot be opened.
    """

    __slots__ = ("_account", "_clock", "_path", "_read_only", "_timeout_s")

    def __init__(
        self,
        path: str | Path,
        *,
        timeout_s: float = LOCK_WAIT_S,
        clock: Callable[[], dt.datetime] = _utc_now,
        read_only: bool | None = None,
    ) -> None:
        self._path = Path(path)
        self._timeout_s = timeout_s
        self._clock = clock
        self._account: Any = None
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if not self._path.parent.is_dir():
                raise StoreMissingError(path=self._path, detail=str(error)) from error
        if read_only is None:
            read_only = not _writable(self._path)
        self._read_only = read_only
        if read_only:
            if not self._path.exists():
                raise StoreMissingError(path=self._path, detail="read-only and not there")
            with self._faults(), contextlib.closing(self._connect()) as conn:
                self._check_version(conn)
            return
        with self._faults(), contextlib.closing(self._connect(create=True)) as conn:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
        self._migrate()

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether the file is opened for reading only (writes raise :class:`StoreReadOnlyError`)."""
        return self._read_only

    @property
    def account(self) -> Any:
        """The :class:`coverage.storage.accounts.Account` writes are checked against, or ``None``."""
        return self._account

    def for_account(self, account: Any) -> Store:
        """The same store, with every write checked against ``account`` and recorded as its.

        Parameters
        ----------
        account
            A :class:`coverage.storage.accounts.Account` (the signed-in user, or the local planner).
        """
        bound = object.__new__(Store)
        bound._path = self._path
        bound._timeout_s = self._timeout_s
        bound._clock = self._clock
        bound._read_only = self._read_only
        bound._account = account
        return bound

    def _authorize(self, action: str, author: str, *, commune_code: str | None = None) -> str:
        """Check the bound account may do ``action``; return the author to record."""
        if self._account is None:
            return author
        self._account.require(action, commune_code=commune_code)
        return str(self._account.username)

    # ---- connections and transactions

    def _connect(self, *, create: bool = False) -> sqlite3.Connection:
        where = urllib.parse.quote(str(self._path.resolve()))
        if self._read_only:
            try:
                conn = self._open(f"file:{where}?mode=ro")
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            except sqlite3.OperationalError:
                # A WAL database in a read-only folder cannot create its -shm file; read the
                # file as it is (nothing can write to it meanwhile).
                conn = self._open(f"file:{where}?immutable=1")
            return conn
        # After set-up the file must exist: a vanished file is an error, not a new database.
        return self._open(f"file:{where}?mode={'rwc' if create else 'rw'}")

    def _open(self, uri: str) -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=self._timeout_s, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if not self._read_only:
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        """Turn SQLite errors the user can act on into :class:`StoreFaultError`."""
        try:
            yield
        except sqlite3.Error as error:
            fault = store_fault(error, path=self._path, waited_s=self._timeout_s)
            if fault is None:
                raise
            raise fault from error

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """Run the block in one transaction: ``BEGIN IMMEDIATE`` for writes.

        The transaction commits when the block ends normally and rolls back on any
        exception, so a write is kept whole or not at all.
        """
        if write and self._read_only:
            raise StoreReadOnlyError(path=self._path, detail="opened read-only")
        with self._faults():
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    self._check_version(conn)
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()

    def _check_version(self, conn: sqlite3.Connection) -> None:
        found = _schema_version(conn)
        if found > SCHEMA_VERSION:
            raise SchemaTooNewError(
                path=self._path, found_version=found, supported_version=SCHEMA_VERSION
            )

    def _migrate(self) -> None:
        with self._faults():
            with contextlib.closing(self._connect()) as conn:
                current = _schema_version(conn) == SCHEMA_VERSION
            if not current:  # take the write lock only when there is something to apply
                self._apply_migrations()

    def _apply_migrations(self) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                self._check_version(conn)
                pending = range(_schema_version(conn), SCHEMA_VERSION)
                applied_at = self._now() if pending else ""  # one time for one upgrade
                for version in pending:
                    for statement in _MIGRATIONS[version]:
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                        (version + 1, applied_at),
                    )
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _now(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            raise ValueError("the store's clock must return an aware datetime")
        return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")

    def schema_version(self) -> int:
        """Return the schema version of the database file."""
        with self._transaction(write=False) as conn:
            return _schema_version(conn)

    # ---- working roster

    def latest_revision(self, province_code: str) -> int:
        """Return the newest revision of the province's working roster (0: none saved)."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            return _latest_revision(conn, code)

    def load_roster(self, province_code: str, *, revision: int | None = None) -> SavedRoster | None:
        """Load the working roster of a province.

        Parameters
        ----------
        province_code
            Official province code.
        revision
            A revision from :meth:`list_roster_revisions`; the newest by default.

        Returns
        -------
        SavedRoster or None
            The roster and its revision; ``None`` if no roster was ever saved for the
            province (and no revision was asked for).

        Raises
        ------
        RevisionNotFoundError
            If ``revision`` is given and does not exist.
        """
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            latest = _latest_revision(conn, code)
            wanted = latest if revision is None else revision
            if revision is None and latest == 0:
                return None
            row = _revision_row(conn, code, wanted)
            if row is None:
                raise RevisionNotFoundError(
                    province_code=code, revision=wanted, latest_revision=latest
                )
            info = _revision_info(conn, row)
            teams = _decode_frame(row["teams_json"])
        return SavedRoster(info=info, teams=teams)

    def list_roster_revisions(self, province_code: str) -> tuple[RosterRevision, ...]:
        """Return every saved revision of the province's roster, newest first, with audits."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT id, province_code, revision, saved_at, author, session_id, note, "
                "team_count, restored_from, kind FROM roster_revision WHERE province_code = ? "
                "ORDER BY revision DESC",
                (code,),
            ).fetchall()
            changes: dict[int, list[sqlite3.Row]] = {int(r["id"]): [] for r in rows}
            for change in conn.execute(
                "SELECT c.revision_id, c.team_id, c.change, c.columns_json, c.values_json "
                "FROM roster_change c "
                "JOIN roster_revision r ON r.id = c.revision_id WHERE r.province_code = ?",
                (code,),
            ):
                changes[int(change["revision_id"])].append(change)
        return tuple(_info_from_row(r, _diff_from_rows(changes[int(r["id"])])) for r in rows)

    def save_roster(
        self,
        province_code: str,
        teams: pd.DataFrame,
        *,
        base_revision: int,
        author: str = "",
        session_id: str = "",
        note: str = "",
        kind: RosterKind = "edit",
        previous: pd.DataFrame | None = None,
    ) -> RosterRevision:
        """Save an edited roster as the province's next revision, never overwriting.

        Parameters
        ----------
        province_code
            Official province code.
        teams
            The whole edited roster, validated (columns of
            :data:`coverage.inputs.validation.TEAM_COLUMNS`, unique ``team_id``).
        base_revision
            The revision the edit started from (``SavedRoster.revision``; 0 if no roster
            was saved yet).
        author, session_id
            Who saves and from which session; shown to others on a conflict.
        note
            Free text kept in the history.
        kind
            ``"import"`` when a whole file replaces the roster (the history shows it as
            one entry), ``"edit"`` for a change made in the app.
        previous
            The roster the edit started from when no revision is stored yet (the
            original file, revision 0); the first revision's audit is measured against
            it, so it lists what the planner changed rather than every team as added.

        Returns
        -------
        RosterRevision
            The new revision with its audit. If the roster equals the stored revision
            ``base_revision``, nothing is written and that revision is returned.

        Raises
        ------
        ConflictError
            If another revision was saved after ``base_revision``; nothing is written.
        """
        author = self._authorize("write_roster", author)
        code = _clean_province(province_code)
        _check_roster(teams, where="roster")
        encoded = _encode_frame(teams, where="roster")
        origin = _encode_frame(previous, where="previous").records if previous is not None else []
        with self._transaction(write=True) as conn:
            return self._write_revision(
                conn, code, encoded, base_revision=base_revision, author=author,
                session_id=session_id, note=note, restored_from=None, kind=kind,
                origin=origin,
            )

    def restore_roster(
        self,
        province_code: str,
        revision: int,
        *,
        base_revision: int,
        author: str = "",
        session_id: str = "",
        note: str = "",
    ) -> RosterRevision:
        """Make an earlier revision's teams the current roster, as a new revision.

        History is never rewritten: the restored teams are saved as the next revision
        with ``restored_from`` set.

        Parameters
        ----------
        province_code
            Official province code.
        revision
            The earlier revision to bring back.
        base_revision
            The revision the user was looking at as current; must still be the newest.
        author, session_id, note
            As in :meth:`save_roster`.

        Raises
        ------
        RevisionNotFoundError
            If ``revision`` does not exist.
        ConflictError
            If another revision was saved after ``base_revision``.
        """
        author = self._authorize("write_roster", author)
        code = _clean_province(province_code)
        with self._transaction(write=True) as conn:
            row = _revision_row(conn, code, revision)
            if row is None:
                raise RevisionNotFoundError(
                    province_code=code, revision=revision,
                    latest_revision=_latest_revision(conn, code),
                )
            text = row["teams_json"]
            encoded = _EncodedFrame(text=text, records=_records_of(text))
            return self._write_revision(
                conn, code, encoded, base_revision=base_revision, author=author,
                session_id=session_id, note=note, restored_from=revision,
            )

    def _write_revision(
        self,
        conn: sqlite3.Connection,
        code: str,
        encoded: _EncodedFrame,
        *,
        base_revision: int,
        author: str,
        session_id: str,
        note: str,
        restored_from: int | None,
        kind: RosterKind = "edit",
        origin: list[dict[str, object]] | None = None,
    ) -> RosterRevision:
        latest = _latest_revision(conn, code)
        current = _revision_row(conn, code, latest) if latest else None
        current_records = _records_of(current["teams_json"]) if current is not None else (origin or [])
        if base_revision != latest:
            raise self._roster_conflict(conn, code, base_revision, current, encoded.records)
        changes = _diff_records(current_records, encoded.records)
        if current is not None and changes.is_empty and restored_from is None:
            return _revision_info(conn, current)
        saved_at = self._now()
        cursor = conn.execute(
            "INSERT INTO roster_revision (province_code, revision, saved_at, author, "
            "session_id, note, restored_from, team_count, teams_json, kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, latest + 1, saved_at, author, session_id, note, restored_from,
             len(encoded.records), encoded.text, kind),
        )
        revision_id = cursor.lastrowid
        assert revision_id is not None
        _insert_changes(conn, revision_id, changes)
        return RosterRevision(
            province_code=code, revision=latest + 1, saved_at=saved_at, author=author,
            session_id=session_id, note=note, team_count=len(encoded.records),
            restored_from=restored_from, changes=changes, kind=kind,
        )

    @staticmethod
    def _roster_conflict(
        conn: sqlite3.Connection,
        code: str,
        base_revision: int,
        current: sqlite3.Row | None,
        yours: list[dict[str, object]],
    ) -> ConflictError:
        base = _revision_row(conn, code, base_revision) if base_revision > 0 else None
        base_records = _records_of(base["teams_json"]) if base is not None else []
        current_records = _records_of(current["teams_json"]) if current is not None else []
        differences = _diff_records(current_records, yours)
        their_changes = (
            _diff_records(base_records, current_records)
            if base is not None or base_revision == 0 else None
        )
        your_changes = _diff_records(base_records, yours)
        both = (
            set(their_changes.team_ids) & set(your_changes.team_ids) & set(differences.team_ids)
            if their_changes is not None else set()
        )
        return ConflictError(
            kind="roster",
            province_code=code,
            name=None,
            base_revision=base_revision,
            current_revision=int(current["revision"]) if current is not None else 0,
            saved_by=str(current["author"]) if current is not None else "",
            saved_session=str(current["session_id"]) if current is not None else "",
            saved_at=str(current["saved_at"]) if current is not None else "",
            differences=differences,
            their_changes=their_changes,
            both_changed=tuple(sorted(both)),
        )

    # ---- scenarios

    def save_scenario(
        self,
        name: str,
        province_code: str,
        teams: pd.DataFrame,
        params: Mapping[str, Any],
        result_summary: Mapping[str, Any],
        per_commune: pd.DataFrame | None = None,
        *,
        overwrite: bool = False,
        expected_revision: int | None = None,
        roster_revision: int | None = None,
        author: str = "",
        session_id: str = "",
    ) -> ScenarioInfo:
        """Save a named scenario: roster, parameters, result summary, per-commune table.

        Parameters
        ----------
        name
            Scenario name, unique per province regardless of letter case and spacing.
        province_code
            Official province code.
        teams
            The validated roster the scenario was computed with.
        params
            Analysis and optimisation parameters (JSON-able values; a dataclass works).
        result_summary
            Headline results (JSON-able values).
        per_commune
            The per-commune result table; geometry columns are not stored.
        overwrite
            Replace an existing scenario of the same name. Without it an existing name
            raises :class:`DuplicateNameError`.
        expected_revision
            The scenario revision the caller loaded; if given, overwriting checks that
            no one saved it since (and that it still exists).
        roster_revision
            The working-roster revision the scenario was computed from, if any.
        author, session_id
            Who saves and from which session.

        Returns
        -------
        ScenarioInfo
            The saved scenario's revision and timestamps.

        Raises
        ------
        InvalidNameError
            If the name is empty or too long.
        DuplicateNameError
            If the name exists and ``overwrite`` is false.
        ConflictError
            If ``expected_revision`` is not the stored revision.
        ScenarioNotFoundError
            If ``expected_revision`` is given but the scenario was deleted or renamed.
        RevisionNotFoundError
            If ``roster_revision`` is not a saved revision of the province's roster.
        """
        author = self._authorize("write_scenarios", author)
        code = _clean_province(province_code)
        display, key = _clean_name(name)
        _check_roster(teams, where="scenario roster")
        encoded_teams = _encode_frame(teams, where="scenario roster")
        params_json = _mapping_to_json(params, where="params")
        summary_json = _mapping_to_json(result_summary, where="result_summary")
        commune_json = (
            _encode_frame(per_commune, where="per_commune").text if per_commune is not None
            else None
        )
        with self._transaction(write=True) as conn:
            if roster_revision is not None and _revision_row(conn, code, roster_revision) is None:
                raise RevisionNotFoundError(
                    province_code=code, revision=roster_revision,
                    latest_revision=_latest_revision(conn, code),
                )
            existing = _scenario_row(conn, code, key)
            now = self._now()
            values = (display, author, session_id, roster_revision, len(encoded_teams.records),
                      encoded_teams.text, params_json, summary_json, commune_json)
            if existing is None:
                if expected_revision is not None:
                    raise ScenarioNotFoundError(province_code=code, name=display)
                conn.execute(
                    "INSERT INTO scenario (name, author, session_id, roster_revision, team_count, "
                    "teams_json, params_json, summary_json, per_commune_json, province_code, "
                    "name_key, revision, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (*values, code, key, now, now),
                )
            else:
                if not overwrite:
                    raise DuplicateNameError(
                        province_code=code, name=str(existing["name"]),
                        existing_revision=int(existing["revision"]),
                        saved_by=str(existing["author"]), saved_at=str(existing["updated_at"]),
                    )
                if expected_revision is not None and expected_revision != existing["revision"]:
                    raise _scenario_conflict(
                        existing, expected_revision, encoded_teams.records, params_json
                    )
                conn.execute(
                    "UPDATE scenario SET name = ?, author = ?, session_id = ?, "
                    "roster_revision = ?, team_count = ?, teams_json = ?, params_json = ?, "
                    "summary_json = ?, per_commune_json = ?, revision = revision + 1, "
                    "updated_at = ? WHERE id = ?",
                    (*values, now, existing["id"]),
                )
            row = _scenario_row(conn, code, key)
            assert row is not None
            return _scenario_info(row)

    def list_scenarios(self, province_code: str) -> tuple[ScenarioInfo, ...]:
        """Return the province's scenarios sorted by name, without their tables."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT * FROM scenario WHERE province_code = ? ORDER BY name_key", (code,)
            ).fetchall()
        return tuple(_scenario_info(r) for r in rows)

    def load_scenario(self, name: str, province_code: str) -> Scenario:
        """Load a saved scenario by name (letter case and spacing do not matter).

        Raises
        ------
        ScenarioNotFoundError
            If the province has no scenario of that name.
        """
        code = _clean_province(province_code)
        display, key = _clean_name(name)
        with self._transaction(write=False) as conn:
            row = _scenario_row(conn, code, key)
        if row is None:
            raise ScenarioNotFoundError(province_code=code, name=display)
        commune_json = row["per_commune_json"]
        return Scenario(
            province_code=code,
            name=str(row["name"]),
            revision=int(row["revision"]),
            created_at=str(row["created_at"]),
            updated_at=str(row["updated_at"]),
            author=str(row["author"]),
            session_id=str(row["session_id"]),
            roster_revision=row["roster_revision"],
            teams=_decode_frame(row["teams_json"]),
            params=json.loads(row["params_json"]),
            summary=json.loads(row["summary_json"]),
            per_commune=_decode_frame(commune_json) if commune_json is not None else None,
        )

    def delete_scenario(
        self, name: str, province_code: str, *, expected_revision: int | None = None
    ) -> None:
        """Delete a scenario.

        Raises
        ------
        ScenarioNotFoundError
            If there is no such scenario.
        ConflictError
            If ``expected_revision`` is given and someone saved the scenario since.
        """
        self._authorize("write_scenarios", "")
        code = _clean_province(province_code)
        display, key = _clean_name(name)
        with self._transaction(write=True) as conn:
            row = _scenario_row(conn, code, key)
            if row is None:
                raise ScenarioNotFoundError(province_code=code, name=display)
            if expected_revision is not None and expected_revision != row["revision"]:
                raise _scenario_conflict(row, expected_revision, None, None)
            conn.execute("DELETE FROM scenario WHERE id = ?", (row["id"],))

    def rename_scenario(
        self,
        name: str,
        province_code: str,
        *,
        new_name: str,
        expected_revision: int | None = None,
        author: str = "",
        session_id: str = "",
    ) -> ScenarioInfo:
        """Rename a scenario; its revision goes up by one.

        Raises
        ------
        ScenarioNotFoundError
            If there is no scenario called ``name``.
        DuplicateNameError
            If another scenario is already called ``new_name``.
        InvalidNameError
            If ``new_name`` is empty or too long.
        ConflictError
            If ``expected_revision`` is given and someone saved the scenario since.
        """
        author = self._authorize("write_scenarios", author)
        code = _clean_province(province_code)
        display, key = _clean_name(name)
        new_display, new_key = _clean_name(new_name)
        with self._transaction(write=True) as conn:
            row = _scenario_row(conn, code, key)
            if row is None:
                raise ScenarioNotFoundError(province_code=code, name=display)
            if expected_revision is not None and expected_revision != row["revision"]:
                raise _scenario_conflict(row, expected_revision, None, None)
            other = _scenario_row(conn, code, new_key)
            if other is not None and other["id"] != row["id"]:
                raise DuplicateNameError(
                    province_code=code, name=str(other["name"]),
                    existing_revision=int(other["revision"]), saved_by=str(other["author"]),
                    saved_at=str(other["updated_at"]),
                )
            conn.execute(
                "UPDATE scenario SET name = ?, name_key = ?, revision = revision + 1, "
                "updated_at = ?, author = ?, session_id = ? WHERE id = ?",
                (new_display, new_key, self._now(), author, session_id, row["id"]),
            )
            renamed = _scenario_row(conn, code, new_key)
            assert renamed is not None
            return _scenario_info(renamed)

    # ---- indicator tables

    def latest_indicator_revision(self, province_code: str) -> int:
        """Return the newest indicator revision of the province (0: nothing saved)."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            return _latest_indicator_revision(conn, code)

    def load_indicators(self, province_code: str, *, revision: int | None = None) -> SavedIndicators | None:
        """Load the province's uploaded indicator table.

        Parameters
        ----------
        province_code
            Official province code.
        revision
            A revision from :meth:`list_indicator_revisions`; the newest by default.

        Returns
        -------
        SavedIndicators or None
            ``None`` when nothing was ever saved or when that revision went back to the
            built-in estimate.

        Raises
        ------
        ValueError
            If ``revision`` is given and does not exist.
        """
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            wanted = _latest_indicator_revision(conn, code) if revision is None else revision
            if wanted == 0 and revision is None:
                return None
            row = _indicator_row(conn, code, wanted)
            if row is None:
                raise ValueError(f"province {code} has no indicator revision {wanted}")
            if row["indicators_json"] is None:
                return None
            return SavedIndicators(_indicator_info(row), _decode_frame(row["indicators_json"]))

    def list_indicator_revisions(self, province_code: str) -> tuple[IndicatorRevision, ...]:
        """Return every indicator revision of the province, newest first."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT * FROM indicator_revision WHERE province_code = ? ORDER BY revision DESC",
                (code,),
            ).fetchall()
        return tuple(_indicator_info(r) for r in rows)

    def save_indicators(
        self,
        province_code: str,
        indicators: pd.DataFrame,
        *,
        file_name: str,
        author: str = "",
        session_id: str = "",
    ) -> IndicatorRevision:
        """Make a validated indicator table the province's indicators, as a new revision.

        Parameters
        ----------
        province_code
            Official province code.
        indicators
            The table returned by :func:`coverage.inputs.validation.validate_indicators` (one row
            per commune, unique ``commune_code``).
        file_name
            The uploaded file's name, shown wherever the indicators are used.
        author, session_id
            Who saves and from which session.

        Returns
        -------
        IndicatorRevision
            The new revision; if the newest revision already holds the same table from the
            same file, nothing is written and that revision is returned.
        """
        author = self._authorize("write_indicators", author)
        code = _clean_province(province_code)
        name = " ".join(nfc(str(file_name)).split())
        if not name:
            raise ValueError("indicators: file_name is empty")
        if "commune_code" not in indicators.columns:
            raise ValueError("indicators: the table has no 'commune_code' column")
        codes = indicators["commune_code"].astype(str)
        duplicated = sorted(set(codes[codes.duplicated()]))
        if duplicated:
            raise ValueError(f"indicators: duplicate commune codes {duplicated[:8]}")
        encoded = _encode_frame(indicators, where="indicators")
        with self._transaction(write=True) as conn:
            latest = _latest_indicator_revision(conn, code)
            current = _indicator_row(conn, code, latest) if latest else None
            if (current is not None and current["file_name"] == name
                    and current["indicators_json"] == encoded.text):
                return _indicator_info(current)
            return self._write_indicators(conn, code, latest + 1, kind="file", file_name=name,
                                          row_count=len(encoded.records), text=encoded.text,
                                          author=author, session_id=session_id)

    def reset_indicators(self, province_code: str, *, author: str = "", session_id: str = "") -> IndicatorRevision | None:
        """Go back to the built-in estimate; earlier uploads stay in the history.

        Returns
        -------
        IndicatorRevision or None
            The new revision, the current one if the estimate is already in use, or
            ``None`` if nothing was ever uploaded for the province.
        """
        author = self._authorize("write_indicators", author)
        code = _clean_province(province_code)
        with self._transaction(write=True) as conn:
            latest = _latest_indicator_revision(conn, code)
            current = _indicator_row(conn, code, latest) if latest else None
            if current is None:
                return None
            if current["kind"] == "estimate":
                return _indicator_info(current)
            return self._write_indicators(conn, code, latest + 1, kind="estimate", file_name="",
                                          row_count=0, text=None, author=author, session_id=session_id)

    def _write_indicators(
        self,
        conn: sqlite3.Connection,
        code: str,
        revision: int,
        *,
        kind: Literal["file", "estimate"],
        file_name: str,
        row_count: int,
        text: str | None,
        author: str,
        session_id: str,
    ) -> IndicatorRevision:
        saved_at = self._now()
        conn.execute(
            "INSERT INTO indicator_revision (province_code, revision, saved_at, author, session_id, "
            "kind, file_name, row_count, indicators_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, revision, saved_at, author, session_id, kind, file_name, row_count, text),
        )
        return IndicatorRevision(
            province_code=code, revision=revision, saved_at=saved_at, author=author,
            session_id=session_id, kind=kind, file_name=file_name, row_count=row_count,
        )


def open_store(settings: Settings, *, timeout_s: float = LOCK_WAIT_S) -> Store:
    """Open (creating if needed) the store in the data directory of ``settings``."""
    return Store(settings.store_path, timeout_s=timeout_s)


def _writable(path: Path) -> bool:
    """Whether this process may write ``path`` (or create it) and files beside it."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


# --------------------------------------------------------------------------- row helpers


def _schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(row[0])


def _latest_revision(conn: sqlite3.Connection, code: str) -> int:
    row = conn.execute(
        "SELECT COALESCE(MAX(revision), 0) FROM roster_revision WHERE province_code = ?", (code,)
    ).fetchone()
    return int(row[0])


def _revision_row(conn: sqlite3.Connection, code: str, revision: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM roster_revision WHERE province_code = ? AND revision = ?",
        (code, revision),
    ).fetchone()
    return row


def _info_from_row(row: sqlite3.Row, changes: RosterDiff) -> RosterRevision:
    return RosterRevision(
        province_code=str(row["province_code"]),
        revision=int(row["revision"]),
        saved_at=str(row["saved_at"]),
        author=str(row["author"]),
        session_id=str(row["session_id"]),
        note=str(row["note"]),
        team_count=int(row["team_count"]),
        restored_from=row["restored_from"],
        changes=changes,
        kind="import" if row["kind"] == "import" else "edit",
    )


def _revision_info(conn: sqlite3.Connection, row: sqlite3.Row) -> RosterRevision:
    changes = conn.execute(
        "SELECT team_id, change, columns_json, values_json FROM roster_change "
        "WHERE revision_id = ?",
        (row["id"],),
    ).fetchall()
    return _info_from_row(row, _diff_from_rows(changes))


def _latest_indicator_revision(conn: sqlite3.Connection, code: str) -> int:
    row = conn.execute(
        "SELECT COALESCE(MAX(revision), 0) FROM indicator_revision WHERE province_code = ?", (code,)
    ).fetchone()
    return int(row[0])


def _indicator_row(conn: sqlite3.Connection, code: str, revision: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM indicator_revision WHERE province_code = ? AND revision = ?",
        (code, revision),
    ).fetchone()
    return row


def _indicator_info(row: sqlite3.Row) -> IndicatorRevision:
    return IndicatorRevision(
        province_code=str(row["province_code"]),
        revision=int(row["revision"]),
        saved_at=str(row["saved_at"]),
        author=str(row["author"]),
        session_id=str(row["session_id"]),
        kind="estimate" if row["kind"] == "estimate" else "file",
        file_name=str(row["file_name"]),
        row_count=int(row["row_count"]),
    )


def _scenario_row(conn: sqlite3.Connection, code: str, key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM scenario WHERE province_code = ? AND name_key = ?", (code, key)
    ).fetchone()
    return row


def _scenario_info(row: sqlite3.Row) -> ScenarioInfo:
    return ScenarioInfo(
        province_code=str(row["province_code"]),
        name=str(row["name"]),
        revision=int(row["revision"]),
        created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]),
        author=str(row["author"]),
        session_id=str(row["session_id"]),
        roster_revision=row["roster_revision"],
        team_count=int(row["team_count"]),
        summary=json.loads(row["summary_json"]),
    )


def _scenario_conflict(
    row: sqlite3.Row,
    expected_revision: int,
    teams: list[dict[str, object]] | None,
    params_json: str | None,
) -> ConflictError:
    differences = (
        _diff_records(_records_of(row["teams_json"]), teams) if teams is not None else RosterDiff()
    )
    differing_params: tuple[str, ...] = ()
    if params_json is not None:
        stored, yours = json.loads(row["params_json"]), json.loads(params_json)
        differing_params = tuple(
            sorted(k for k in {*stored, *yours} if stored.get(k) != yours.get(k))
        )
    return ConflictError(
        kind="scenario",
        province_code=str(row["province_code"]),
        name=str(row["name"]),
        base_revision=expected_revision,
        current_revision=int(row["revision"]),
        saved_by=str(row["author"]),
        saved_session=str(row["session_id"]),
        saved_at=str(row["updated_at"]),
        differences=differences,
        differing_params=differing_params,
    )


__all__ = [
    "LOCK_WAIT_S",
    "SCHEMA_VERSION",
    "ConflictError",
    "DuplicateNameError",
    "IndicatorRevision",
    "InvalidNameError",
    "RevisionNotFoundError",
    "RosterDiff",
    "RosterRevision",
    "SavedIndicators",
    "SavedRoster",
    "Scenario",
    "ScenarioInfo",
    "ScenarioNotFoundError",
    "SchemaTooNewError",
    "StorageError",
    "Store",
    "StoreFaultError",
    "StoreFullError",
    "StoreLockedError",
    "StoreMissingError",
    "StoreReadOnlyError",
    "StoreUnusableError",
    "diff_rosters",
    "open_store",
]
