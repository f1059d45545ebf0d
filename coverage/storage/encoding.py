"""Stored tables as JSON (the ``records-v1`` envelope) and roster differences.

The format is described in :mod:`coverage.storage.store`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from coverage.inputs.validation import TEAM_COLUMNS

FRAME_FORMAT: Final = "records-v1"
"""Version tag written into every stored table."""


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
        """Return the changed fields of ``team_id`` with old and new values (empty if unknown)."""
        return dict(self.changed_values).get(team_id, ())

    def record_of(self, team_id: str) -> dict[str, object]:
        """Return the stored values of an added or removed team (empty if unknown)."""
        return dict(dict(self.records).get(team_id, ()))

    @property
    def team_ids(self) -> tuple[str, ...]:
        """Every team id that differs, sorted."""
        return tuple(sorted({*self.added, *self.removed, *self.changed}))

    @property
    def is_empty(self) -> bool:
        """Whether the two rosters hold the same teams with the same values."""
        return not (self.added or self.removed or self.changed)


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


def _restore_column(values: pd.Series, stored_dtype: str, sequence: str | None) -> pd.Series:
    dtype: Any = stored_dtype  # any dtype name pandas wrote; the stubs list only literal names
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
            for c in dict.fromkeys([*before, *after])
            if before.get(c) != after.get(c)
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
        changed_columns=tuple(
            (team_id, tuple(f.column for f in fields)) for team_id, fields in changed
        ),
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
