"""Say what the commune panel adds to the per-commune table.

Languages, sharing, the nearest team outside.

An analysis row says how many teams and volunteers are *in reach* of a commune; a team
in reach of five communes does not spend all its time in any one of them. The analysis
shares each team's capacity between the demand points it reaches in proportion to
their need (:func:`coverage.analysis.need.share_by_need`); :func:`commune_facts` reports, per
team in reach, the share this commune gets, and the volunteers that share amounts to.

Distances are the analysis' quoted distances (straight line times the detour factor,
metres in the analysis CRS, reported in km), population-weighted over the commune's
demand points, as ``nearest_team_km`` is.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coverage.analysis.analyze import AnalysisResult


@dataclass(frozen=True)
class TeamShare:
    """One team in reach of a commune and the part of its capacity the commune gets.

    Attributes
    ----------
    team_id, team_name, commune_code
        The team and where it is based.
    members
        Its members.
    languages
        Language codes it works in (``vi``, ``jrai``...).
    share
        Fraction (0-1) of the team's capacity credited to this commune.
    capacity_per_week
        Residents a week of this team credited to this commune.
    communes_in_reach
        How many communes the team reaches in all.
    """

    team_id: str
    team_name: str
    commune_code: str
    members: int
    languages: tuple[str, ...]
    share: float
    capacity_per_week: float
    communes_in_reach: int


@dataclass(frozen=True)
class CommuneFacts:
    """Facts of one commune for the detail panel.

    Attributes
    ----------
    code
        Commune code.
    teams
        Teams in reach, largest share first.
    languages
        Language codes of the teams in reach, most frequent first.
    minority_pct
        Ethnic-minority share of the population (percent, from the indicators; NaN when
        not known).
    volunteers_in_reach
        Members of all teams in reach.
    volunteer_equivalent
        Members credited to this commune by the sharing (sum of ``share * members``).
    capacity_per_week
        Residents a week credited to this commune (the analysis' ``capacity``).
    teams_based_here
        Names of the teams based in the commune.
    nearest_outside_km
        Population-weighted mean distance (km) from the commune's residents to the
        nearest team based *outside* it; NaN when there is none.
    nearest_outside_team, nearest_outside_commune
        The outside team nearest to most residents and the code of its commune ('' when none).
    """

    code: str
    teams: tuple[TeamShare, ...]
    languages: tuple[str, ...]
    minority_pct: float
    volunteers_in_reach: int
    volunteer_equivalent: float
    capacity_per_week: float
    teams_based_here: tuple[str, ...]
    nearest_outside_km: float
    nearest_outside_team: str
    nearest_outside_commune: str


def _languages(value: object) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value if str(v).strip())
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(v.strip() for v in str(value).split(";") if v.strip())


def commune_facts(
    result: AnalysisResult, code: str, *, indicators: pd.DataFrame | None = None
) -> CommuneFacts:
    """Return the languages, capacity sharing and nearest outside team of commune ``code``.

    Parameters
    ----------
    result
        An analysis (:func:`coverage.analysis.analyze.analyze_coverage`).
    code
        The commune's code; must be in ``result.communes``.
    indicators
        The indicator table (``commune_code``, ``ethnic_minority_pct``), for the minority share.

    Raises
    ------
    KeyError
        If ``code`` is not a commune of the analysis.
    """
    code = str(code)
    communes = result.communes
    rows = communes.index[communes["code"].astype(str) == code]
    if len(rows) == 0:
        raise KeyError(f"commune {code} is not in the analysis")
    row = communes.loc[rows[0]]
    demand = result.demand
    points = np.flatnonzero(demand["commune_code"].astype(str).to_numpy() == code)
    teams = result.teams.reset_index(drop=True)
    need = demand["need"].to_numpy(dtype=float)
    shares: list[TeamShare] = []
    if len(points) and len(teams):
        covers = result.reach.covers.tocsr()[:, points]
        need_here = np.asarray(covers.astype(float) @ need[points], dtype=float).ravel()
        reached = teams["reached_need"].to_numpy(dtype=float)
        capacity = teams["capacity_per_week"].to_numpy(dtype=float)
        # what an hour here helps: the language factor of the team's class in this commune
        position = int(np.flatnonzero(communes.index == rows[0])[0])
        classes = (
            teams["language_class"].to_numpy(dtype=np.int64)
            if "language_class" in teams.columns
            else np.zeros(len(teams), dtype=np.int64)
        )
        table = result.language_factor
        factor = (
            table[classes, position] if table.shape[1] == len(communes) else np.ones(len(teams))
        )
        in_reach = np.flatnonzero(np.asarray(covers.sum(axis=1)).ravel() > 0)
        for t in in_reach:
            share = float(need_here[t] / reached[t]) if reached[t] > 0 else 0.0
            team = teams.iloc[t]
            shares.append(
                TeamShare(
                    team_id=str(team["team_id"]),
                    team_name=str(team["team_name"]),
                    commune_code=str(team["commune_code"]),
                    members=int(team["members"]),
                    languages=_languages(team.get("languages")),
                    share=share,
                    capacity_per_week=share * float(capacity[t]) * float(factor[t]),
                    communes_in_reach=int(team.get("communes_in_reach", 0)),
                )
            )
    shares.sort(key=lambda s: (-s.share, s.team_id))
    counts = Counter(lang for s in shares for lang in s.languages)
    languages = tuple(
        lang for lang, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )

    minority = float("nan")
    if indicators is not None and "ethnic_minority_pct" in indicators.columns and len(indicators):
        match = indicators[indicators["commune_code"].astype(str) == code]
        if len(match):
            value = pd.to_numeric(match["ethnic_minority_pct"], errors="coerce").iloc[0]
            minority = float(value) if pd.notna(value) else float("nan")

    home = (
        teams["commune_code"].astype(str).to_numpy() == code
        if len(teams)
        else np.zeros(0, dtype=bool)
    )
    based_here = tuple(teams.loc[home, "team_name"].astype(str)) if len(teams) else ()
    outside = teams[~home] if len(teams) else teams
    nearest_km, nearest_team, nearest_commune = float("nan"), "", ""
    if len(points) and len(outside):
        xy_points = demand[["x_m", "y_m"]].to_numpy(dtype=float)[points]
        weights = demand["population"].to_numpy(dtype=float)[points]
        if weights.sum() <= 0:
            weights = np.ones(len(points))
        xy_teams = outside[["x_m", "y_m"]].to_numpy(dtype=float)
        gaps = np.hypot(
            xy_points[:, None, 0] - xy_teams[None, :, 0],
            xy_points[:, None, 1] - xy_teams[None, :, 1],
        )
        detour = float(result.travel.params.detour_factor)
        mean_km = (weights @ gaps) / weights.sum() * detour / 1000.0
        best = int(np.argmin(mean_km))
        nearest_km = float(weights @ gaps.min(axis=1) / weights.sum() * detour / 1000.0)
        nearest_team = str(outside.iloc[best]["team_name"])
        nearest_commune = str(outside.iloc[best]["commune_code"])
    return CommuneFacts(
        code=code,
        teams=tuple(shares),
        languages=languages,
        minority_pct=minority,
        volunteers_in_reach=int(sum(s.members for s in shares)),
        volunteer_equivalent=float(sum(s.share * s.members for s in shares)),
        capacity_per_week=float(row["capacity"]),
        teams_based_here=based_here,
        nearest_outside_km=nearest_km,
        nearest_outside_team=nearest_team,
        nearest_outside_commune=nearest_commune,
    )


__all__ = ["CommuneFacts", "TeamShare", "commune_facts"]
