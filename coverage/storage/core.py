"""The store's connection and transaction core: one file, one connection per call."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Self

from coverage.storage.faults import (
    MAX_NAME_LENGTH,
    InvalidNameError,
    SchemaTooNewError,
    StoreMissingError,
    StoreReadOnlyError,
    store_fault,
)
from coverage.storage.migrations import _MIGRATIONS, SCHEMA_VERSION, _schema_version
from coverage.text.textnorm import nfc

LOCK_WAIT_S: Final = 5.0
"""How long a call waits for another writer to finish before saying the file is locked,
in seconds (a save takes milliseconds; a longer wait means another program holds it)."""


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


class StoreCore:
    """Path, clock, lock wait and account of a store; connections, transactions, migrations.

    The repositories (:mod:`coverage.storage.rosters`, :mod:`coverage.storage.scenarios`,
    :mod:`coverage.storage.indicators`) build on it and :class:`coverage.storage.store.Store`
    combines them; see there for the parameters.
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
        """Whether the file is opened for reading only.

        Writes then raise :class:`StoreReadOnlyError`.
        """
        return self._read_only

    @property
    def account(self) -> Any:
        """The :class:`coverage.storage.accounts.Account` writes are checked against.

        ``None`` when the store is not bound to an account.
        """
        return self._account

    def for_account(self, account: Any) -> Self:
        """Return the same store, with every write checked against ``account`` and recorded as its.

        Parameters
        ----------
        account
            A :class:`coverage.storage.accounts.Account` (the signed-in user, or the local planner).
        """
        bound = object.__new__(type(self))
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
        """Turn SQLite errors the user can act on into a store fault.

        The fault is a :class:`~coverage.storage.faults.StoreFaultError`.
        """
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


def _writable(path: Path) -> bool:
    """Whether this process may write ``path`` (or create it) and files beside it."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))
