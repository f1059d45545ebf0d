"""Named scenarios of each province: roster, parameters, summary, per-commune table."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

import pandas as pd

from coverage.storage.core import (
    StoreCore,
    _clean_name,
    _clean_province,
)
from coverage.storage.encoding import (
    RosterDiff,
    _check_roster,
    _decode_frame,
    _diff_records,
    _encode_frame,
    _mapping_to_json,
    _records_of,
)
from coverage.storage.faults import (
    ConflictError,
    DuplicateNameError,
    RevisionNotFoundError,
    ScenarioNotFoundError,
)
from coverage.storage.records import (
    Scenario,
    ScenarioInfo,
)
from coverage.storage.rosters import ROSTERS


class ScenarioRepository(StoreCore):
    """Save, list, load, delete and rename named scenarios."""

    __slots__ = ()

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
            _encode_frame(per_commune, where="per_commune").text
            if per_commune is not None
            else None
        )
        with self._transaction(write=True) as conn:
            if roster_revision is not None and ROSTERS.row(conn, (code,), roster_revision) is None:
                raise RevisionNotFoundError(
                    province_code=code,
                    revision=roster_revision,
                    latest_revision=ROSTERS.latest(conn, (code,)),
                )
            existing = _scenario_row(conn, code, key)
            now = self._now()
            values = (
                display,
                author,
                session_id,
                roster_revision,
                len(encoded_teams.records),
                encoded_teams.text,
                params_json,
                summary_json,
                commune_json,
            )
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
                        province_code=code,
                        name=str(existing["name"]),
                        existing_revision=int(existing["revision"]),
                        saved_by=str(existing["author"]),
                        saved_at=str(existing["updated_at"]),
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
                    province_code=code,
                    name=str(other["name"]),
                    existing_revision=int(other["revision"]),
                    saved_by=str(other["author"]),
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
