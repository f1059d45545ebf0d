"""The roster as the text cells a file holds: hashes, editor tables, new ids, suggested teams."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue: new team names)
from coverage.errors import InputError
from coverage.inputs.validation import TEAM_COLUMNS, validate_teams
from coverage.text.i18n import t

if TYPE_CHECKING:
    from coverage.optimize.plan import PlanResult

EDIT_COLUMNS: tuple[str, ...] = tuple(c.name for c in TEAM_COLUMNS)
"""Roster columns shown in the editor, in schema order."""


def roster_hash(teams: pd.DataFrame) -> str:
    """Return a stable hash of a roster's content (the analysis cache key)."""
    text = teams.reindex(columns=[*EDIT_COLUMNS]).astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def frame_hash(frame: pd.DataFrame) -> str:
    """Return a stable hash of any table's content (for cache keys)."""
    text = frame.drop(columns="geometry", errors="ignore").astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def roster_as_text(teams: pd.DataFrame) -> pd.DataFrame:
    """Return the roster as the text cells a file would hold (what the editor shows)."""
    out = pd.DataFrame(index=range(len(teams)))
    for col in EDIT_COLUMNS:
        values = teams[col].tolist() if col in teams.columns else [None] * len(teams)
        out[col] = [cell_text(v) for v in values]
    return out


def cell_text(value: object) -> str:
    """Return one roster value as a file's cell ("" for missing, lists joined with ";")."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def editor_table(teams: pd.DataFrame) -> pd.DataFrame:
    """Return the roster as editable text cells, coordinates blank at the commune centre."""
    table = roster_as_text(teams)
    if "location_source" in teams.columns:
        centre = (teams["location_source"].astype(str) == "commune_point").to_numpy()
        table.loc[centre, ["latitude", "longitude"]] = ""
    return table


def editor_output_as_text(edited: pd.DataFrame) -> pd.DataFrame:
    """Return what the editor returned, as text cells like a file (empty cells as '')."""
    out = edited.reindex(columns=list(EDIT_COLUMNS)).reset_index(drop=True)
    text: pd.DataFrame = (
        out.astype(object).where(out.notna(), "").astype(str).apply(lambda col: col.str.strip())
    )
    return text


def next_team_id(teams: pd.DataFrame, *, default_prefix: str) -> str:
    """Return a new team id following the roster's pattern (``GL-136``).

    ``default_prefix`` starts the id when no id in ``teams`` ends in a number.
    """
    ids = teams["team_id"].astype(str)
    prefix = default_prefix
    best = 0
    for value in ids:
        match = re.fullmatch(r"(.*?)(\d+)", value)
        if match:
            prefix = match.group(1)
            best = max(best, int(match.group(2)))
    width = max((len(re.sub(r"\D", "", v)) for v in ids), default=3)
    candidate = f"{prefix}{best + 1:0{width}d}"
    while candidate in set(ids):
        best += 1
        candidate = f"{prefix}{best + 1:0{width}d}"
    return candidate


def teams_with_sites(
    teams: pd.DataFrame,
    suggestion: PlanResult,
    params: Mapping[str, Any],
    communes: gpd.GeoDataFrame,
    *,
    default_prefix: str,
) -> pd.DataFrame:
    """Return the roster with the suggested teams added and moved teams moved (validated).

    ``params`` are the options the suggestion was computed with (team size, mode, weekly
    hours); ``communes`` validate the result as a file import would.

    Raises
    ------
    InputError
        If the combined roster breaks a rule (nothing suggested should).
    """
    table = editor_table(teams)
    for move in suggestion.moves.to_dict(orient="records"):
        if move.get("to_code"):
            where = table["team_id"] == str(move["team_id"])
            table.loc[where, ["commune_code", "latitude", "longitude"]] = [
                str(move["to_code"]),
                f"{float(move['lat']):.6f}",
                f"{float(move['lon']):.6f}",
            ]
    hours = params.get("weekly_hours")
    if hours is None:
        hours = (
            float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median())
            if len(teams)
            else 4.0
        )
    rows = []
    ids = teams
    for n, site in enumerate(suggestion.sites.to_dict(orient="records"), start=1):
        team_id = next_team_id(ids, default_prefix=default_prefix)
        ids = pd.concat([ids, pd.DataFrame({"team_id": [team_id]})], ignore_index=True)
        rows.append(
            {
                "team_id": team_id,
                "team_name": t("ui.sugg.new_team_name", "vi", n=n, commune=site["commune_name"]),
                "commune_code": str(site["commune_code"]),
                "latitude": f"{float(site['lat']):.6f}",
                "longitude": f"{float(site['lon']):.6f}",
                "members": str(int(params["team_size"])),
                "mode": str(params["mode"]),
                "skills": "vneid;public_service_portal",
                "languages": ";".join(["vi", *getattr(suggestion, "new_team_languages", ())]),
                "weekly_hours": f"{float(hours):.1f}",
            }
        )
    combined = pd.concat([table, pd.DataFrame(rows, columns=list(EDIT_COLUMNS))], ignore_index=True)
    validated, problems = validate_teams(combined, communes, file="suggestion")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    return validated
