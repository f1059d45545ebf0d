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

Layout
------
:class:`Store` combines one connection/transaction core (:mod:`coverage.storage.core`)
with three repositories that build on it: :mod:`coverage.storage.rosters`,
:mod:`coverage.storage.scenarios` and :mod:`coverage.storage.indicators`. Errors are in
:mod:`coverage.storage.faults`, the JSON format and roster differences in
:mod:`coverage.storage.encoding`, the returned records in :mod:`coverage.storage.records`
and the schema in :mod:`coverage.storage.migrations`. Every public name is still
importable from this module.
"""

from __future__ import annotations

from coverage.settings import Settings
from coverage.storage.core import LOCK_WAIT_S, StoreCore
from coverage.storage.encoding import (
    FRAME_FORMAT,
    FieldChange,
    RosterDiff,
    _decode_frame,
    _encode_frame,
    diff_rosters,
)
from coverage.storage.faults import (
    MAX_NAME_LENGTH,
    VIETNAM_UTC_OFFSET,
    ConflictError,
    DuplicateNameError,
    InvalidNameError,
    RevisionNotFoundError,
    ScenarioNotFoundError,
    SchemaTooNewError,
    StorageError,
    StoreFaultError,
    StoreFullError,
    StoreLockedError,
    StoreMissingError,
    StoreReadOnlyError,
    StoreUnusableError,
    store_fault,
)
from coverage.storage.indicators import IndicatorRepository
from coverage.storage.migrations import _MIGRATIONS, SCHEMA_VERSION
from coverage.storage.records import (
    IndicatorRevision,
    RosterKind,
    RosterRevision,
    SavedIndicators,
    SavedRoster,
    Scenario,
    ScenarioInfo,
)
from coverage.storage.rosters import RosterRepository
from coverage.storage.scenarios import ScenarioRepository


class Store(RosterRepository, ScenarioRepository, IndicatorRepository):
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

    __slots__ = ()


def open_store(settings: Settings, *, timeout_s: float = LOCK_WAIT_S) -> Store:
    """Open (creating if needed) the store in the data directory of ``settings``."""
    return Store(settings.store_path, timeout_s=timeout_s)


# Kept importable from here for callers and tests written before the split.
_REEXPORTED = (
    FRAME_FORMAT,
    MAX_NAME_LENGTH,
    VIETNAM_UTC_OFFSET,
    _MIGRATIONS,
    _decode_frame,
    _encode_frame,
    store_fault,
    RosterKind,
    StoreCore,
)

__all__ = [
    "LOCK_WAIT_S",
    "SCHEMA_VERSION",
    "ConflictError",
    "FieldChange",
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
