"""What a report shows, as numbers: the bundle, scenario differences, shares.

One bundle (:class:`ReportBundle`) holds what a meeting needs: the validated inputs,
the coverage analysis, the deployment plan and an optional before/after comparison
with a saved scenario. :func:`coverage.outputs.bundle.write_report` turns it into
files:

========  ==============================================================================
format    files
========  ==============================================================================
``html``  ``<slug>-map.html``: the interactive map (:mod:`coverage.outputs.maps`), one file that
          opens with no internet (Leaflet inlined, every user text escaped).
``png``   ``<slug>-map.png``: 1920 x 1080 map for slides (:mod:`coverage.outputs.staticmap`).
``pdf``   ``<slug>-map-a4.pdf`` and ``<slug>-map-a3.pdf`` (landscape pages) and
          ``<slug>-briefing.pdf``, the briefing (A4 portrait, reportlab platypus).
``pdf``   ``<slug>-teams.pdf``: a sheet per team (home, communes served and share, members).
``pptx``  ``<slug>-slides.pptx``: 16:9 deck, one idea per slide, real text and tables of at
          most 6 rows at 18 pt (appendix slides: 7), a slide per border commune, moves.
``xlsx``  ``<slug>-tables.xlsx``: communes, roster, scenario differences, English sheet.
========  ==============================================================================

Every output says where the data come from and labels the SAMPLE roster and the
ILLUSTRATIVE connectivity estimate wherever they are used. Text is Vietnamese by
default (``lang="en"`` for English, :mod:`coverage.outputs.reports.words`), numbers in the
language's format (1.234.567; 12,5%), and PDFs embed DejaVu Sans (shipped with matplotlib),
which has every Vietnamese letter.

The report modules write only the files they are asked for; they read nothing from disk
except the fonts. Building the bundle from the data directory is the command line's job
(:mod:`coverage.commands.report`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from coverage.analysis.headline import Headline, flag_series, headline_from
from coverage.text.textnorm import fold

if TYPE_CHECKING:
    from coverage.inputs.model import Inputs

Format = Literal["html", "png", "pdf", "pptx", "xlsx"]


FORMATS: tuple[Format, ...] = ("html", "png", "pdf", "pptx", "xlsx")


class AnalysisLike(Protocol):
    """What reports read from :class:`coverage.analysis.analyze.AnalysisResult`."""

    @property
    def communes(self) -> gpd.GeoDataFrame:
        """The analysed communes (EPSG:4326)."""


class PlanLike(Protocol):
    """What reports read from :class:`coverage.optimize.plan.PlanResult`."""

    @property
    def sites(self) -> pd.DataFrame:
        """The proposed sites, in order."""

    @property
    def status(self) -> str:
        """The solver's status."""

    @property
    def status_vi(self) -> str:
        """The solution quality in Vietnamese."""

    @property
    def status_en(self) -> str:
        """The solution quality in English."""


MOVE_COLUMNS = (
    "team_id",
    "team_name",
    "members",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "from_lon",
    "from_lat",
    "to_lon",
    "to_lat",
)
"""Columns of :attr:`ScenarioComparison.moves`: one row per team whose commune changes."""


NEW_TEAM_COLUMNS = (
    "team_id",
    "team_name",
    "commune_code",
    "commune_name",
    "members",
    "mode",
    "lon",
    "lat",
)
"""Columns of :attr:`ScenarioComparison.new_teams` (and ``removed_teams``)."""


@dataclass(frozen=True)
class ScenarioComparison:
    """Before/after figures for a saved scenario against the current roster.

    Attributes
    ----------
    name
        The scenario's name as saved (user text: escaped wherever it goes into HTML).
    before, after
        Headline figures of the current roster and of the scenario.
    changes
        Communes whose coverage changes, largest change first: ``code``, ``name``,
        ``coverage_before``, ``coverage_after``.
    moves
        Teams of both rosters whose commune differs (:data:`MOVE_COLUMNS`), from the
        roster differences alone.
    new_teams, removed_teams
        Teams only in the scenario, and only in the current roster (:data:`NEW_TEAM_COLUMNS`).
    """

    name: str
    before: Headline
    after: Headline
    changes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["code", "name", "coverage_before", "coverage_after"]
        )
    )
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MOVE_COLUMNS)))
    new_teams: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(NEW_TEAM_COLUMNS))
    )
    removed_teams: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(NEW_TEAM_COLUMNS))
    )


@dataclass(frozen=True)
class ReportBundle:
    """Everything a report shows, computed beforehand.

    Attributes
    ----------
    inputs
        Validated inputs (communes in EPSG:4326, roster, indicators, sample labels).
    analysis
        Coverage analysis (:class:`coverage.analysis.analyze.AnalysisResult`), or ``None``: the
        map is then shaded by density and the coverage sections are left out.
    plan
        Deployment plan (:class:`coverage.optimize.plan.PlanResult`), or ``None``.
    comparison
        Before/after figures when a scenario is reported on.
    countries, provinces
        Optional grey context for the static maps (EPSG:4326).
    generated_on
        Date printed on every output.
    projected_crs
        Projected CRS in metres of the analysis; ``None`` picks the local UTM zone.
    """

    inputs: Inputs
    analysis: AnalysisLike | None = None
    plan: PlanLike | None = None
    comparison: ScenarioComparison | None = None
    countries: gpd.GeoDataFrame | None = None
    provinces: gpd.GeoDataFrame | None = None
    generated_on: dt.date = field(default_factory=dt.date.today)
    projected_crs: Any = None
    progress: Any = None
    """Progress pages for a period, or ``None``.

    A :class:`coverage.outputs.reports.progress_pages.ProgressSection`.
    """

    def __post_init__(self) -> None:
        if self.projected_crs is None and self.analysis is not None:
            object.__setattr__(self, "projected_crs", getattr(self.analysis, "crs", None))

    @property
    def communes(self) -> gpd.GeoDataFrame:
        """Return the analysed communes, else the input communes with their density.

        Without an analysis, ``density_per_km2`` is added (EPSG:4326).
        """
        if self.analysis is not None:
            return self.analysis.communes
        frame = self.inputs.communes.copy()
        if "density_per_km2" not in frame.columns:
            area = pd.to_numeric(frame["area_km2"], errors="coerce")
            frame["density_per_km2"] = pd.to_numeric(
                frame["population"], errors="coerce"
            ) / area.where(area > 0)
        return frame

    @property
    def teams(self) -> pd.DataFrame:
        """The roster the analysis was computed with."""
        return self.inputs.teams

    @property
    def sites(self) -> pd.DataFrame:
        """Proposed sites, numbered 1.. in this order (empty without a plan)."""
        if self.plan is None or self.plan.sites is None:
            return pd.DataFrame(columns=["commune_code", "commune_name", "lon", "lat"])
        return self.plan.sites.reset_index(drop=True)

    @property
    def metric(self) -> str:
        """Column the maps are shaded by: coverage ratio, else population density."""
        return "coverage_ratio" if "coverage_ratio" in self.communes.columns else "density_per_km2"


def compare_scenario(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    name: str,
    teams_before: pd.DataFrame,
    teams_after: pd.DataFrame,
    limit: int = 10,
) -> ScenarioComparison:
    """Compare the analysed communes of the current roster with a scenario's.

    Parameters
    ----------
    before, after
        Analysed communes (``code``, ``name``, ``coverage_ratio`` ...), one row each.
    name
        The scenario's name.
    teams_before, teams_after
        The two rosters.
    limit
        How many communes with the largest coverage change to list.
    """
    changes = pd.DataFrame(columns=["code", "name", "coverage_before", "coverage_after"])
    if "coverage_ratio" in before.columns and "coverage_ratio" in after.columns:
        merged = pd.DataFrame(
            {
                "code": before["code"].astype(str),
                "name": before["name"],
                "coverage_before": pd.to_numeric(before["coverage_ratio"], errors="coerce"),
            }
        )
        right = pd.DataFrame(
            {
                "code": after["code"].astype(str),
                "coverage_after": pd.to_numeric(after["coverage_ratio"], errors="coerce"),
            }
        )
        merged = merged.merge(right, on="code", how="inner")
        delta = (merged["coverage_after"] - merged["coverage_before"]).abs()
        merged = merged.assign(_delta=delta)[delta > 1e-9].sort_values("_delta", ascending=False)
        changes = merged.drop(columns="_delta").head(limit).reset_index(drop=True)
    names = dict(zip(before["code"].astype(str), before["name"].astype(str), strict=True))
    moves, added, removed = roster_differences(teams_before, teams_after, names=names)
    return ScenarioComparison(
        name=name,
        before=headline_from(before, teams_before),
        after=headline_from(after, teams_after),
        changes=changes,
        moves=moves,
        new_teams=added,
        removed_teams=removed,
    )


def roster_differences(
    teams_before: pd.DataFrame,
    teams_after: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the moves, new teams and removed teams between two rosters.

    A *move* is a team (same ``team_id``) whose ``commune_code`` differs; new and removed
    teams are the ids found in only one roster. ``names`` maps commune codes to names.
    Coordinates are in degrees (EPSG:4326).
    """
    names = names or {}

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        if "team_id" not in frame.columns:
            return pd.DataFrame(columns=["team_id"]).set_index("team_id")
        return (
            frame.assign(_id=frame["team_id"].astype(str)).drop_duplicates("_id").set_index("_id")
        )

    b, a = keyed(teams_before), keyed(teams_after)

    def get(frame: pd.DataFrame, key: str, column: str) -> Any:
        return frame.at[key, column] if column in frame.columns else None

    def coord(frame: pd.DataFrame, key: str, column: str) -> float:
        value = pd.to_numeric(pd.Series([get(frame, key, column)]), errors="coerce").iloc[0]
        return float(value)

    moves = []
    for key in [k for k in a.index if k in b.index]:
        before_code, after_code = str(get(b, key, "commune_code")), str(get(a, key, "commune_code"))
        if before_code == after_code:
            continue
        moves.append(
            {
                "team_id": key,
                "team_name": str(get(a, key, "team_name") or ""),
                "members": get(a, key, "members"),
                "from_code": before_code,
                "from_name": names.get(before_code, before_code),
                "to_code": after_code,
                "to_name": names.get(after_code, after_code),
                "from_lon": coord(b, key, "longitude"),
                "from_lat": coord(b, key, "latitude"),
                "to_lon": coord(a, key, "longitude"),
                "to_lat": coord(a, key, "latitude"),
            }
        )

    def teams_only(frame: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for key in [k for k in frame.index if k not in other.index]:
            code = str(get(frame, key, "commune_code"))
            rows.append(
                {
                    "team_id": key,
                    "team_name": str(get(frame, key, "team_name") or ""),
                    "commune_code": code,
                    "commune_name": names.get(code, code),
                    "members": get(frame, key, "members"),
                    "mode": str(get(frame, key, "mode") or ""),
                    "lon": coord(frame, key, "longitude"),
                    "lat": coord(frame, key, "latitude"),
                }
            )
        return pd.DataFrame(rows, columns=list(NEW_TEAM_COLUMNS))

    return (pd.DataFrame(moves, columns=list(MOVE_COLUMNS)), teams_only(a, b), teams_only(b, a))


def priority_communes(communes: pd.DataFrame) -> pd.DataFrame:
    """Return the under-served border and remote communes, lowest coverage first.

    Empty (with the same columns) when the frame carries no flags.
    """
    needed = {"is_underserved", "is_border", "is_remote"}
    if not needed <= set(communes.columns):
        return pd.DataFrame(columns=list(communes.columns))
    mask = flag_series(communes, "is_underserved") & (
        flag_series(communes, "is_border") | flag_series(communes, "is_remote")
    )
    frame = pd.DataFrame(communes[mask].drop(columns="geometry", errors="ignore"))
    keys = [c for c in ("coverage_ratio", "need") if c in frame.columns]
    return frame.sort_values(keys, ascending=[True, False][: len(keys)]) if keys else frame


def team_commune_shares(bundle: ReportBundle) -> pd.DataFrame:
    """Return each team's share of capacity per commune it reaches.

    Columns ``team_id``, ``commune_code``, ``share`` (0-1; a team's shares sum to 1 when it reaches
    any need). The same rule as the analysis (:func:`coverage.analysis.need.share_by_need`): a
    team's capacity is shared between the demand points it reaches in proportion to their need.
    Without the reach matrix (no analysis), each team serves its own commune.
    """
    analysis = bundle.analysis
    reach = getattr(analysis, "reach", None)
    demand = getattr(analysis, "demand", None)
    teams = getattr(analysis, "teams", None)
    if reach is None or demand is None or teams is None or len(teams) == 0:
        roster = bundle.teams
        return pd.DataFrame(
            {
                "team_id": roster.get("team_id", pd.Series(dtype=str)).astype(str),
                "commune_code": roster.get("commune_code", pd.Series(dtype=str)).astype(str),
                "share": 1.0,
            }
        )
    from scipy import sparse

    covers = sparse.csr_array(reach.covers, dtype=float)
    need = pd.to_numeric(demand["need"], errors="coerce").fillna(0).to_numpy(dtype=float)
    codes = demand["commune_code"].astype(str).to_numpy()
    unique, point_commune = np.unique(codes, return_inverse=True)
    membership = sparse.csr_array(
        (need, (np.arange(len(need)), point_commune)), shape=(len(need), len(unique))
    )
    per_commune = sparse.coo_array(covers @ membership)
    total = np.asarray(per_commune.sum(axis=1)).ravel()
    frame = pd.DataFrame(
        {
            "team_id": teams["team_id"].astype(str).to_numpy()[per_commune.row],
            "commune_code": unique[per_commune.col],
            "share": per_commune.data
            / np.where(total[per_commune.row] > 0, total[per_commune.row], 1.0),
        }
    )
    return frame[frame["share"] > 0].sort_values(
        ["team_id", "share"], ascending=[True, False], ignore_index=True
    )


def teams_reaching(
    bundle: ReportBundle, code: str, *, shares: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the roster rows of the teams that reach commune ``code``.

    Largest share of their capacity there first, with a ``share`` column.
    """
    shares = team_commune_shares(bundle) if shares is None else shares
    here = shares[shares["commune_code"] == str(code)]
    roster = (
        bundle.teams.assign(_id=bundle.teams["team_id"].astype(str))
        if "team_id" in bundle.teams
        else None
    )
    if roster is None or here.empty:
        return bundle.teams.iloc[0:0].assign(share=pd.Series(dtype=float))
    merged = roster.merge(here.rename(columns={"team_id": "_id"})[["_id", "share"]], on="_id")
    return merged.sort_values("share", ascending=False).drop(columns="_id").reset_index(drop=True)


def border_communes(communes: pd.DataFrame) -> pd.DataFrame:
    """Return the border communes, lowest coverage first (empty without flags)."""
    if "is_border" not in communes.columns:
        return pd.DataFrame(columns=list(communes.columns))
    frame = communes[flag_series(communes, "is_border")]
    keys = [c for c in ("coverage_ratio",) if c in frame.columns]
    return frame.sort_values(keys) if keys else frame


def report_slug(bundle: ReportBundle) -> str:
    """Return the file-name prefix: the province without diacritics (``gia-lai``)."""
    province = bundle.inputs.province
    name = province.name if province is not None else "viet-nam"
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")
    return slug or "report"


__all__ = [
    "AnalysisLike",
    "FORMATS",
    "Format",
    "Headline",
    "MOVE_COLUMNS",
    "NEW_TEAM_COLUMNS",
    "PlanLike",
    "ReportBundle",
    "ScenarioComparison",
    "border_communes",
    "compare_scenario",
    "flag_series",
    "headline_from",
    "priority_communes",
    "report_slug",
    "roster_differences",
    "team_commune_shares",
    "teams_reaching",
]
