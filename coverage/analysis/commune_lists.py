"""Lists drawn from an analysis: teams reaching a commune, priority communes, status changes."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coverage.analysis.analyze import AnalysisResult


def teams_reaching(result: AnalysisResult, code: str) -> pd.DataFrame:
    """Return the teams whose reach covers part of the commune ``code``."""
    points = np.flatnonzero(result.demand["commune_code"].astype(str).to_numpy() == str(code))
    if len(points) == 0 or len(result.teams) == 0:
        return result.teams.iloc[0:0]
    covers = result.reach.covers[:, points]
    reaching = np.flatnonzero(np.asarray(covers.sum(axis=1)).ravel() > 0)
    return result.teams.iloc[reaching]


def priority_first(communes: pd.DataFrame) -> pd.DataFrame:
    """Return the under-served border communes, then the remote ones, lowest coverage first.

    Within each group, lowest coverage first, then largest need. ``communes`` is what the
    map's filters keep, so the table follows them.
    """
    border = communes["is_border"].fillna(False).astype(bool)
    remote = communes["is_remote"].fillna(False).astype(bool)
    under = communes["is_underserved"].fillna(False).astype(bool)
    frame = pd.DataFrame(
        communes[under & (border | remote)].drop(columns="geometry", errors="ignore")
    )
    frame["_group"] = np.where(frame["is_border"].fillna(False).astype(bool), 0, 1)
    frame = frame.sort_values(
        ["_group", "coverage_ratio", "need"], ascending=[True, True, False], kind="stable"
    )
    return frame.drop(columns="_group")


def status_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Return the communes whose under-served status differs between two analyses.

    Columns: ``code``, ``name``, ``underserved_before``, ``underserved_after``,
    ``coverage_before``, ``coverage_after``, ``is_border`` (from ``before``), in the
    order of ``before``.
    """
    old = before.set_index(before["code"].astype(str))
    new = after.set_index(after["code"].astype(str))
    was = old["is_underserved"].astype(bool)
    now = new.loc[old.index, "is_underserved"].astype(bool)
    changed = old.index[was != now]
    return pd.DataFrame(
        {
            "code": list(changed),
            "name": old.loc[changed, "name"].astype(str).to_numpy(),
            "underserved_before": old.loc[changed, "is_underserved"].to_numpy(),
            "underserved_after": new.loc[changed, "is_underserved"].to_numpy(),
            "coverage_before": old.loc[changed, "coverage_ratio"].to_numpy(),
            "coverage_after": new.loc[changed, "coverage_ratio"].to_numpy(),
            "is_border": old.loc[changed, "is_border"].to_numpy(),
        }
    )


def new_team_sites(
    teams_before: pd.DataFrame, teams_after: pd.DataFrame, names: Mapping[str, str]
) -> pd.DataFrame:
    """Return the teams of ``teams_after`` not in ``teams_before`` as map sites.

    Columns as a suggestion's sites (``commune_code``, ``commune_name``, ``lon``, ``lat``,
    ``reason_vi``, ``reason_en``; the reasons are the team names); ``names`` maps commune
    codes to names.
    """
    new_ids = sorted(
        set(teams_after["team_id"].astype(str)) - set(teams_before["team_id"].astype(str))
    )
    added = teams_after[teams_after["team_id"].astype(str).isin(new_ids)]
    return pd.DataFrame(
        {
            "commune_code": added["commune_code"].astype(str).to_numpy(),
            "commune_name": [names.get(str(c), str(c)) for c in added["commune_code"]],
            "lon": added["longitude"].astype(float).to_numpy(),
            "lat": added["latitude"].astype(float).to_numpy(),
            "reason_vi": added["team_name"].astype(str).to_numpy(),
            "reason_en": added["team_name"].astype(str).to_numpy(),
        }
    )
