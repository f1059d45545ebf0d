"""One generic repository of revisioned tables: numbered rows per key, newest in force.

Rosters, indicator uploads, activity reports and progress targets all keep every saved
version as a row and never overwrite one. What differs is the key (a province; a province
and a report) and what a row holds; :class:`RevisionedTable` holds what is the same: the
newest revision of a key, one revision's row, the history, a new revision written after an
optimistic check that nobody saved since the writer's base, and (for tables with a
"current" flag) the earlier rows marked as superseded.

Every method runs inside the caller's transaction
(:meth:`coverage.storage.core.StoreCore._transaction`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class Head(NamedTuple):
    """The newest revision of a key: its number (0: none) and its row (``None``: none)."""

    revision: int
    row: sqlite3.Row | None


@dataclass(frozen=True)
class RevisionedTable:
    """A table keeping numbered revisions of each key.

    Parameters
    ----------
    table
        The table's name.
    keys
        The columns that identify one revisioned thing (``("province_code",)`` for a
        province's roster).
    revision
        The column numbering the revisions of a key (1, 2, ...); ``"id"`` for an
        append-only log whose newest row is the one with the largest id.
    current
        A 0/1 column marking the newest revision of its key, kept up to date by
        :meth:`insert_many`; ``None`` when the newest is found by its number.
    """

    table: str
    keys: tuple[str, ...]
    revision: str = "revision"
    current: str | None = None

    def __post_init__(self) -> None:
        names = (self.table, *self.keys, self.revision, self.current or "x")
        bad = [n for n in names if not _IDENTIFIER.fullmatch(n)]
        if bad or not self.keys:
            raise ValueError(f"not a revisioned table: {self.table!r} {self.keys!r} {bad}")

    def _where(self) -> str:
        return " AND ".join(f"{k} = ?" for k in self.keys)

    def latest(self, conn: sqlite3.Connection, key: Sequence[object]) -> int:
        """Return the newest revision of ``key`` (0: none saved)."""
        row = conn.execute(
            f"SELECT COALESCE(MAX({self.revision}), 0) FROM {self.table} WHERE {self._where()}",
            tuple(key),
        ).fetchone()
        return int(row[0])

    def row(
        self, conn: sqlite3.Connection, key: Sequence[object], revision: int
    ) -> sqlite3.Row | None:
        """Return one revision's row, or ``None``."""
        found: sqlite3.Row | None = conn.execute(
            f"SELECT * FROM {self.table} WHERE {self._where()} AND {self.revision} = ?",
            (*key, revision),
        ).fetchone()
        return found

    def head(
        self,
        conn: sqlite3.Connection,
        key: Sequence[object],
        *,
        base_revision: int | None = None,
        conflict: Callable[[Head], Exception] | None = None,
    ) -> Head:
        """Return the newest revision of ``key`` with its row, checking the writer's base.

        Parameters
        ----------
        base_revision
            The revision the writer started from; ``None`` skips the check (a whole upload
            replaces what was there).
        conflict
            Makes the error raised when ``base_revision`` is not the newest (someone saved
            since); called with the newest revision.

        Raises
        ------
        Exception
            What ``conflict`` returns, when the check fails; ``ValueError`` without it.
        """
        latest = self.latest(conn, key)
        head = Head(latest, self.row(conn, key, latest) if latest else None)
        if base_revision is not None and base_revision != latest:
            if conflict is None:
                raise ValueError(f"{self.table}: revision {base_revision} is not the newest")
            raise conflict(head)
        return head

    def history(
        self,
        conn: sqlite3.Connection,
        key: Sequence[object],
        *,
        columns: Sequence[str] = ("*",),
        newest_first: bool = True,
    ) -> list[sqlite3.Row]:
        """Return every revision of ``key`` (newest first, or oldest first)."""
        order = "DESC" if newest_first else "ASC"
        return conn.execute(
            f"SELECT {', '.join(columns)} FROM {self.table} WHERE {self._where()} "
            f"ORDER BY {self.revision} {order}",
            tuple(key),
        ).fetchall()

    def in_force(
        self, conn: sqlite3.Connection, where: Mapping[str, object], *, columns: Sequence[str]
    ) -> list[sqlite3.Row]:
        """Return the newest revision of every key whose columns equal ``where``."""
        params = tuple(where.values())
        match = "".join(f" AND {c} = ?" for c in where)
        if self.current is not None:
            condition = f"{self.current} = 1{match}"
        else:
            same = " AND ".join(f"u.{k} = t.{k}" for k in self.keys)
            condition = (
                f"t.{self.revision} = (SELECT MAX(u.{self.revision}) FROM {self.table} u "
                f"WHERE {same}){match}"
            )
        return conn.execute(
            f"SELECT {', '.join(columns)} FROM {self.table} t WHERE {condition}", params
        ).fetchall()

    def insert(
        self,
        conn: sqlite3.Connection,
        key: Sequence[object],
        revision: int | None,
        values: Mapping[str, object],
    ) -> int:
        """Write revision ``revision`` of ``key`` with ``values``; return the row's id.

        ``revision`` ``None`` lets SQLite number the row (a log numbered by ``id``).
        """
        columns = (*self.keys, *([self.revision] if revision is not None else []), *values)
        cursor = conn.execute(
            f"INSERT INTO {self.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            (*key, *([revision] if revision is not None else []), *values.values()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def insert_many(
        self,
        conn: sqlite3.Connection,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        superseded: Sequence[Sequence[object]] = (),
    ) -> None:
        """Write new revisions (whole rows of ``columns``), first unmarking ``superseded`` keys.

        ``superseded`` lists the keys whose newest revision is replaced; their rows lose
        the :attr:`current` flag (tables without one need nothing).
        """
        if superseded and self.current is not None:
            conn.executemany(
                f"UPDATE {self.table} SET {self.current} = 0 WHERE {self._where()} "
                f"AND {self.current} = 1",
                [tuple(k) for k in superseded],
            )
        if rows:
            conn.executemany(
                f"INSERT INTO {self.table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [tuple(r) for r in rows],
            )
