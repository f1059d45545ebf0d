"""What a roster change does before it is saved.

Communes whose status changes, coverage before and after, the province totals, and the
harms that need a confirmation.

A planner moving, resizing, adding or removing a team sees its effect first. The effect
is measured by analysing the roster before and after the change with the same model
(:func:`coverage.analysis.analyze.analyze_coverage`) and comparing the two results commune by
commune. Three harms ask for an explicit confirmation before saving:

``no_team_in_reach``
    A commune that had at least one team in reach has none after the change.
``loses_only_team``
    An island or border commune where a team was based has none based there afterwards.
``border_below_threshold``
    A border commune that was served at or above the under-served threshold (coverage
    ratio ``params.flags.underserved_ratio``, 50 % of need) falls below it.

Islands are communes whose land touches no other commune of the analysed set (see
:func:`island_codes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from coverage.analysis.analyze import AnalysisResult
from coverage.analysis.headline import Headline, headline_from

HarmCode = Literal["no_team_in_reach", "loses_only_team", "border_below_threshold"]
"""The harms that need a confirmation (see the module docstring)."""

ISLAND_GAP_M = 100.0
"""Two communes closer than this (metres, projected CRS) count as touching."""

COVERAGE_STEP = 0.0005
"""Smallest change of a coverage ratio listed (0.05 percentage point)."""


@dataclass(frozen=True)
class CommuneImpact:
    """One commune before and after a roster change.

    Attributes
    ----------
    code, name
        Commune code and short name.
    is_border, is_remote, is_island
        Flags of the commune (border and remote as in the analysis; island from
        :func:`island_codes`).
    coverage_before, coverage_after
        Coverage ratio (capacity over the horizon / need; 1.0 = 100 % of need).
    teams_in_reach_before, teams_in_reach_after
        Teams whose reach covers part of the commune.
    teams_based_before, teams_based_after
        Teams whose ``commune_code`` is this commune.
    underserved_before, underserved_after
        The analysis's under-served flag.
    """

    code: str
    name: str
    is_border: bool
    is_remote: bool
    is_island: bool
    coverage_before: float
    coverage_after: float
    teams_in_reach_before: int
    teams_in_reach_after: int
    teams_based_before: int
    teams_based_after: int
    underserved_before: bool
    underserved_after: bool

    @property
    def coverage_change_points(self) -> float:
        """Change of coverage in percentage points (after - before) x 100."""
        return (self.coverage_after - self.coverage_before) * 100.0

    @property
    def status_changed(self) -> bool:
        """Whether the commune became, or stopped being, under-served."""
        return self.underserved_before != self.underserved_after


@dataclass(frozen=True)
class Harm:
    """A harm that needs the planner's confirmation before saving.

    Attributes
    ----------
    code
        Which harm (see :data:`HarmCode`).
    commune
        The commune it falls on, before and after.
    """

    code: HarmCode
    commune: CommuneImpact


@dataclass(frozen=True)
class RosterImpact:
    """The effect of a roster change, computed before it is saved.

    Attributes
    ----------
    before, after
        Province headline figures (teams, volunteers, under-served communes, share of
        need met) of the roster before and after.
    communes
        Every commune whose coverage changes by at least :data:`COVERAGE_STEP`, whose
        teams in reach or based there change, or whose status changes; largest change
        of coverage first.
    harms
        The harms found (empty when the change harms no commune in these ways).
    threshold
        The under-served threshold used (coverage ratio).
    """

    before: Headline
    after: Headline
    communes: tuple[CommuneImpact, ...]
    harms: tuple[Harm, ...]
    threshold: float

    @property
    def status_changes(self) -> tuple[CommuneImpact, ...]:
        """Communes that became, or stopped being, under-served."""
        return tuple(c for c in self.communes if c.status_changed)

    @property
    def needs_confirmation(self) -> bool:
        """Whether saving must be confirmed explicitly (some harm was found)."""
        return bool(self.harms)

    @property
    def need_met_change_points(self) -> float | None:
        """Change of the province's share of need met, in percentage points."""
        if self.before.need_met_share is None or self.after.need_met_share is None:
            return None
        return (self.after.need_met_share - self.before.need_met_share) * 100.0


def island_codes(
    communes: gpd.GeoDataFrame, *, crs: pyproj.CRS, gap_m: float = ISLAND_GAP_M
) -> frozenset[str]:
    """Codes of communes whose land touches no other commune of ``communes``.

    Parameters
    ----------
    communes
        Commune polygons with ``code`` (any CRS; projected to ``crs``).
    crs
        A projected CRS in metres (the analysis CRS).
    gap_m
        Two communes closer than this many metres touch (boundaries of neighbours do
        not always meet exactly).

    Returns
    -------
    frozenset of str
        For one province, its island communes (Gia Lai: Nhơn Châu). A commune with a
        mainland part and islets touches its neighbours and is not an island.
    """
    if len(communes) < 2:
        return frozenset()
    shapes = communes.to_crs(crs).geometry.to_numpy()
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=gap_m)
    touching = np.zeros(len(shapes), dtype=bool)
    touching[left[left != right]] = True
    codes = communes["code"].astype(str).to_numpy()
    return frozenset(str(c) for c in codes[~touching])


def _based_counts(teams: pd.DataFrame) -> pd.Series:
    if len(teams) == 0:
        return pd.Series(dtype="int64")
    return teams["commune_code"].astype(str).value_counts()


def impact_between(
    before: AnalysisResult,
    after: AnalysisResult,
    *,
    islands: frozenset[str] = frozenset(),
) -> RosterImpact:
    """Compare two analyses of one province's communes (before and after a roster change).

    Parameters
    ----------
    before, after
        Analyses of the same communes (same order) with the roster before and after.
    islands
        Codes of island communes (:func:`island_codes`).

    Returns
    -------
    RosterImpact
    """
    a = before.communes.reset_index(drop=True)
    b = after.communes.reset_index(drop=True)
    if a["code"].astype(str).tolist() != b["code"].astype(str).tolist():
        raise ValueError("before and after analyse different communes")
    threshold = float(after.params.flags.underserved_ratio)
    based_a, based_b = _based_counts(before.teams), _based_counts(after.teams)
    rows: list[CommuneImpact] = []
    harms: list[Harm] = []
    for i in range(len(a)):
        code = str(a.at[i, "code"])
        item = CommuneImpact(
            code=code,
            name=str(a.at[i, "name"]),
            is_border=bool(a.at[i, "is_border"]),
            is_remote=bool(a.at[i, "is_remote"]),
            is_island=code in islands,
            coverage_before=float(a.at[i, "coverage_ratio"]),
            coverage_after=float(b.at[i, "coverage_ratio"]),
            teams_in_reach_before=int(a.at[i, "teams_in_reach"]),
            teams_in_reach_after=int(b.at[i, "teams_in_reach"]),
            teams_based_before=int(based_a.get(code, 0)),
            teams_based_after=int(based_b.get(code, 0)),
            underserved_before=bool(a.at[i, "is_underserved"]),
            underserved_after=bool(b.at[i, "is_underserved"]),
        )
        moved = (
            abs(item.coverage_after - item.coverage_before) >= COVERAGE_STEP
            or item.teams_in_reach_before != item.teams_in_reach_after
            or item.teams_based_before != item.teams_based_after
            or item.status_changed
        )
        if not moved:
            continue
        rows.append(item)
        if item.teams_in_reach_before > 0 and item.teams_in_reach_after == 0:
            harms.append(Harm("no_team_in_reach", item))
        if (
            (item.is_border or item.is_island)
            and item.teams_based_before > 0
            and item.teams_based_after == 0
        ):
            harms.append(Harm("loses_only_team", item))
        if item.is_border and item.coverage_before >= threshold > item.coverage_after:
            harms.append(Harm("border_below_threshold", item))
    rows.sort(key=lambda c: (-abs(c.coverage_after - c.coverage_before), c.code))
    return RosterImpact(
        before=headline_from(a, before.teams),
        after=headline_from(b, after.teams),
        communes=tuple(rows),
        harms=tuple(harms),
        threshold=threshold,
    )
