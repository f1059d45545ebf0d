"""Headline figures of an analysed roster: counts, need met, population in reach, priorities.

Read by the reports (:mod:`coverage.outputs.reports`), the app's headline tiles and the
preview of a roster change (:mod:`coverage.analysis.impact`), so it sits in the analysis
layer, which imports no output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Headline:
    """Headline figures of one roster's analysis.

    Attributes
    ----------
    communes, population, teams, volunteers
        Counts (volunteers = sum of ``members``).
    need
        Total need for help (resident-equivalents), ``None`` without analysis.
    need_met_share
        ``sum(need * min(coverage_ratio, 1)) / sum(need)``, in [0, 1].
    population_in_reach_share
        Share of the population in communes with at least one team in reach.
    underserved, priority
        Number of under-served communes, and of those that are border or remote.
    """

    communes: int
    population: int
    teams: int
    volunteers: int
    need: float | None = None
    need_met_share: float | None = None
    population_in_reach_share: float | None = None
    underserved: int | None = None
    priority: int | None = None


def headline_from(communes: pd.DataFrame, teams: pd.DataFrame) -> Headline:
    """Compute the headline figures from analysed communes and their roster.

    Parameters
    ----------
    communes
        One row per commune with ``population`` and, when analysed, ``need``,
        ``coverage_ratio``, ``teams_in_reach``, ``is_underserved``, ``is_border``,
        ``is_remote``.
    teams
        The roster (``members``).
    """
    population = pd.to_numeric(communes["population"], errors="coerce").fillna(0)
    members = (
        pd.to_numeric(teams["members"], errors="coerce").fillna(0)
        if "members" in teams
        else pd.Series(dtype=float)
    )
    out: dict[str, Any] = {
        "communes": len(communes),
        "population": int(population.sum()),
        "teams": len(teams),
        "volunteers": int(members.sum()),
    }
    if {"need", "coverage_ratio"} <= set(communes.columns):
        need = pd.to_numeric(communes["need"], errors="coerce").fillna(0)
        ratio = pd.to_numeric(communes["coverage_ratio"], errors="coerce").fillna(0).clip(0, 1)
        total = float(need.sum())
        out["need"] = total
        out["need_met_share"] = float((need * ratio).sum() / total) if total > 0 else None
    if "teams_in_reach" in communes.columns and population.sum() > 0:
        reached = pd.to_numeric(communes["teams_in_reach"], errors="coerce").fillna(0) > 0
        out["population_in_reach_share"] = float(population[reached].sum() / population.sum())
    if "is_underserved" in communes.columns:
        under = flag_series(communes, "is_underserved")
        out["underserved"] = int(under.sum())
        out["priority"] = int(
            (
                under & (flag_series(communes, "is_border") | flag_series(communes, "is_remote"))
            ).sum()
        )
    return Headline(**out)


def flag_series(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return a yes/no column as booleans (all False when the column is missing)."""
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)
