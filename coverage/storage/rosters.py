"""The working roster of each province: numbered revisions with their audit."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import pandas as pd

from coverage.storage.core import StoreCore, _clean_province
from coverage.storage.encoding import (
    FieldChange,
    RosterDiff,
    _check_roster,
    _decode_frame,
    _diff_records,
    _dumps,
    _encode_frame,
    _EncodedFrame,
    _records_of,
)
from coverage.storage.faults import (
    ConflictError,
    RevisionNotFoundError,
)
from coverage.storage.records import (
    RosterKind,
    RosterRevision,
    SavedRoster,
)
from coverage.storage.revisions import Head, RevisionedTable

ROSTERS = RevisionedTable("roster_revision", keys=("province_code",))
"""Every saved revision of each province's working roster."""


class RosterRepository(StoreCore):
    """Load, list, save and restore revisions of the working roster."""

    __slots__ = ()

    def latest_revision(self, province_code: str) -> int:
        """Return the newest revision of the province's working roster (0: none saved)."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            return ROSTERS.latest(conn, (code,))

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
            latest = ROSTERS.latest(conn, (code,))
            wanted = latest if revision is None else revision
            if revision is None and latest == 0:
                return None
            row = ROSTERS.row(conn, (code,), wanted)
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
            rows = ROSTERS.history(conn, (code,), columns=_INFO_COLUMNS)
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
        is_sample: bool | None = None,
        source_file: str | None = None,
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
        is_sample
            Whether the roster is (or was edited from) the SAMPLE roster; ``None``: not
            said (read back as ``None``, labelled like the province's original roster).
        source_file
            The file the roster was imported from (kept by the edits made to it);
            ``None`` for the province's original roster and its edits.

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
                conn,
                code,
                encoded,
                base_revision=base_revision,
                author=author,
                session_id=session_id,
                note=note,
                restored_from=None,
                kind=kind,
                origin=origin,
                labels=(is_sample, source_file),
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
            row = ROSTERS.row(conn, (code,), revision)
            if row is None:
                raise RevisionNotFoundError(
                    province_code=code,
                    revision=revision,
                    latest_revision=ROSTERS.latest(conn, (code,)),
                )
            text = row["teams_json"]
            encoded = _EncodedFrame(text=text, records=_records_of(text))
            sample = row["is_sample"]
            return self._write_revision(
                conn,
                code,
                encoded,
                base_revision=base_revision,
                author=author,
                session_id=session_id,
                note=note,
                restored_from=revision,
                labels=(None if sample is None else bool(sample), row["source_file"]),
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
        labels: tuple[bool | None, str | None] = (None, None),
    ) -> RosterRevision:
        latest, current = ROSTERS.head(
            conn,
            (code,),
            base_revision=base_revision,
            conflict=lambda head: _roster_conflict(
                conn, code, base_revision, head, encoded.records
            ),
        )
        current_records = (
            _records_of(current["teams_json"]) if current is not None else (origin or [])
        )
        changes = _diff_records(current_records, encoded.records)
        if current is not None and changes.is_empty and restored_from is None:
            return _revision_info(conn, current)
        saved_at = self._now()
        is_sample, source_file = labels
        revision_id = ROSTERS.insert(
            conn,
            (code,),
            latest + 1,
            {
                "saved_at": saved_at,
                "author": author,
                "session_id": session_id,
                "note": note,
                "restored_from": restored_from,
                "team_count": len(encoded.records),
                "teams_json": encoded.text,
                "kind": kind,
                "is_sample": None if is_sample is None else int(is_sample),
                "source_file": source_file,
            },
        )
        _insert_changes(conn, revision_id, changes)
        return RosterRevision(
            province_code=code,
            revision=latest + 1,
            saved_at=saved_at,
            author=author,
            session_id=session_id,
            note=note,
            team_count=len(encoded.records),
            restored_from=restored_from,
            changes=changes,
            kind=kind,
            is_sample=is_sample,
            source_file=source_file,
        )


def _roster_conflict(
    conn: sqlite3.Connection,
    code: str,
    base_revision: int,
    head: Head,
    yours: list[dict[str, object]],
) -> ConflictError:
    """Say who saved since ``base_revision`` and which teams both sides changed."""
    current = head.row
    base = ROSTERS.row(conn, (code,), base_revision) if base_revision > 0 else None
    base_records = _records_of(base["teams_json"]) if base is not None else []
    current_records = _records_of(current["teams_json"]) if current is not None else []
    differences = _diff_records(current_records, yours)
    their_changes = (
        _diff_records(base_records, current_records)
        if base is not None or base_revision == 0
        else None
    )
    your_changes = _diff_records(base_records, yours)
    both = (
        set(their_changes.team_ids) & set(your_changes.team_ids) & set(differences.team_ids)
        if their_changes is not None
        else set()
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


def _insert_changes(conn: sqlite3.Connection, revision_id: int, changes: RosterDiff) -> None:
    """Write the audit rows of one revision (inside the caller's transaction)."""
    columns = dict(changes.changed_columns)
    rows = [
        (revision_id, team_id, "added", "[]", _dumps(changes.record_of(team_id)))
        for team_id in changes.added
    ]
    rows += [
        (revision_id, team_id, "removed", "[]", _dumps(changes.record_of(team_id)))
        for team_id in changes.removed
    ]
    rows += [
        (
            revision_id,
            team_id,
            "changed",
            _dumps(list(columns.get(team_id, ()))),
            _dumps([[f.column, f.old, f.new] for f in changes.values_of(team_id)]),
        )
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


_INFO_COLUMNS = (
    "id",
    "province_code",
    "revision",
    "saved_at",
    "author",
    "session_id",
    "note",
    "team_count",
    "restored_from",
    "kind",
    "is_sample",
    "source_file",
)
"""What a revision's history entry reads (not the teams)."""


def _info_from_row(row: sqlite3.Row, changes: RosterDiff) -> RosterRevision:
    sample = row["is_sample"]
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
        is_sample=None if sample is None else bool(sample),
        source_file=row["source_file"],
    )


def _revision_info(conn: sqlite3.Connection, row: sqlite3.Row) -> RosterRevision:
    changes = conn.execute(
        "SELECT team_id, change, columns_json, values_json FROM roster_change "
        "WHERE revision_id = ?",
        (row["id"],),
    ).fetchall()
    return _info_from_row(row, _diff_from_rows(changes))
