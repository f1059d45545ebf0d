"""The facade the app and the command line call.

Data flows one way: files -> read -> validate -> analyse (metres, projected CRS) ->
score -> optimise -> map/report. Each function here takes plain inputs and returns a
frozen result; none reads session state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from coverage import settings as cfg
from coverage.analysis import AnalysisParams, AnalysisResult
from coverage.analysis import analyze_coverage as analyze
from coverage.crosswalk import CrosswalkResult, crosswalk_table, guess_legacy_columns
from coverage.datasets import Province, load_commune_table, load_communes, resolve_province
from coverage.deploy import PlanResult
from coverage.deploy import suggest_sites as suggest
from coverage.errors import InputError, Problem, raise_if_errors
from coverage.flags import LandBorder
from coverage.impact import RosterImpact, impact_between, island_codes
from coverage.io import Source, read_boundaries, read_geodata, read_table
from coverage.languages import MINORITY_LANGUAGES, display_languages, new_team_languages
from coverage.need import INTERPRETER_RATE
from coverage.i18n import Lang
from coverage.population import PopulationCells, assign_cells, read_population_raster
from coverage.samples import SAMPLE_SEED, estimate_indicators, make_sample_roster, sample_roster_for
from coverage.storage import SavedIndicators
from coverage.text_sources import SourceKind, source_label
from coverage.validation import validate_boundaries, validate_indicators, validate_teams


@dataclass(frozen=True)
class Inputs:
    """Validated inputs for one province (or the whole country).

    Attributes
    ----------
    province
        The province, or ``None`` for all 3,321 communes.
    communes
        Commune polygons, EPSG:4326.
    teams
        Validated roster (see :data:`coverage.validation.TEAM_COLUMNS`), with
        ``latitude``/``longitude`` in degrees (EPSG:4326) always filled.
    indicators
        Validated indicator table, one row per commune code.
    teams_is_sample, indicators_is_estimate
        Whether the roster is the generated sample and the indicators the model
        estimate, so the UI and reports can label them.
    teams_source, indicators_source
        The file they come from (its name), or what made them (a sample/estimate note).
    teams_source_kind, indicators_source_kind
        What kind of source (:data:`coverage.text_sources.SourceKind`): a planner's
        ``file``, the committed ``sample_file`` / ``estimate_file``, or data
        ``sample_generated`` / ``estimate_generated`` for the province. Labels are made
        from it in the user's language (:func:`coverage.text_sources.source_label`).
    warnings
        Non-blocking problems met while reading.
    indicators_saved_at, indicators_saved_by, indicators_revision
        For indicators uploaded in the app (:func:`with_saved_indicators`): when (UTC,
        ISO 8601), by whom and as which stored revision; '' / 0 otherwise.
    indicators_missing
        Codes of communes the indicator file leaves out; the analysis fills them from
        the ILLUSTRATIVE ESTIMATE.
    population
        Population raster cells over the communes (WorldPop), which place the demand
        points where people live; ``None`` when no raster is in the data folder (the
        analysis then uses its equal-weight grid and says so).
    residents_helped
        Residents already helped per commune code (from activity reports,
        :func:`coverage.throughput.with_measured_throughput`); the analysis subtracts them
        from the need. ``None``: plan from the assumptions only.
    """

    province: Province | None
    communes: gpd.GeoDataFrame
    teams: pd.DataFrame
    indicators: pd.DataFrame
    teams_is_sample: bool
    indicators_is_estimate: bool
    teams_source: str
    indicators_source: str
    warnings: tuple[Problem, ...] = ()
    indicators_saved_at: str = ""
    indicators_saved_by: str = ""
    indicators_revision: int = 0
    indicators_missing: tuple[str, ...] = ()
    population: PopulationCells | None = None
    residents_helped: pd.Series | None = None
    teams_source_kind: SourceKind = "file"
    indicators_source_kind: SourceKind = "file"

    def teams_source_label(self, lang: Lang = "vi") -> str:
        """Where the roster comes from, in ``lang``."""
        return source_label(self.teams_source_kind, self.teams_source, lang=lang)

    def indicators_source_label(self, lang: Lang = "vi") -> str:
        """Where the indicators come from, in ``lang``."""
        return source_label(self.indicators_source_kind, self.indicators_source, lang=lang)


def read_teams(source: Source, communes: gpd.GeoDataFrame, *, name: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate a roster file; raise :class:`InputError` with every error.

    Returns the typed roster and the warnings.
    """
    table, warnings = read_table(source, name=name)
    file = name or _display_name(source)
    teams, problems = validate_teams(table, communes, file=file)
    raise_if_errors(warnings + problems)
    return teams, warnings + problems


def read_indicators(source: Source, communes: gpd.GeoDataFrame, *, name: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate an indicator file; raise :class:`InputError` with every error."""
    table, warnings = read_table(source, name=name)
    file = name or _display_name(source)
    frame, problems = validate_indicators(table, communes, file=file)
    raise_if_errors(warnings + problems)
    return frame, warnings + problems


def read_commune_boundaries(source: Source, *, name: str | None = None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read and validate commune boundaries; raise :class:`InputError` with every error."""
    frame, warnings = read_boundaries(source, name=name)
    file = name or _display_name(source)
    frame, problems = validate_boundaries(frame, file=file)
    raise_if_errors(warnings + problems)
    return frame, warnings + problems


def _display_name(source: Source) -> str:

    if isinstance(source, (str, Path)):
        return Path(source).name
    if isinstance(source, bytes):
        return "upload"
    return source.name


def sample_teams(communes: gpd.GeoDataFrame, *, prefix: str = "GL",
                 national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a validated SAMPLE roster for ``communes`` (:mod:`coverage.samples` rules).

    ``national`` holds all 3,321 communes (``code``, ``population``), among which the
    programme's 4,821 teams are shared; ``None`` gives one team per commune.
    """
    roster = (make_sample_roster(communes, seed=SAMPLE_SEED, prefix=prefix) if national is None
              else sample_roster_for(communes, national, prefix=prefix))
    teams, problems = validate_teams(roster.astype(str).replace("nan", ""), communes, file="sample")
    raise_if_errors(problems)
    return teams


def load_inputs(
    settings: cfg.Settings,
    *,
    province: str | None = cfg.DEFAULT_PROVINCE,
    teams: Source | None = None,
    indicators: Source | None = None,
) -> Inputs:
    """Load communes, roster and indicators for a province, validating everything.

    Parameters
    ----------
    settings
        Data locations.
    province
        Name or code of one of the 34 provinces; ``None`` for the whole country.
    teams, indicators
        Files to use instead of the defaults. By default Gia Lai uses the committed
        sample roster and the indicator estimate written by set-up; other provinces use
        a roster and estimate generated on the fly, both labelled as such.

    Raises
    ------
    InputError
        With every problem in the given files, or if the data directory is empty.
    """
    resolved = resolve_province(settings, province) if province is not None else None
    communes = load_communes(settings, province=province)
    problems: list[Problem] = []
    is_gia_lai = resolved is not None and resolved.code == cfg.DEFAULT_PROVINCE_CODE
    if teams is not None:
        team_frame, warn = read_teams(teams, communes)
        problems += warn
        teams_sample, teams_source = False, _display_name(teams)
        teams_kind: SourceKind = "file"
    elif is_gia_lai and settings.sample_roster_path.exists():
        team_frame, warn = read_teams(settings.sample_roster_path, communes)
        teams_sample, teams_source = True, settings.sample_roster_path.name
        teams_kind = "sample_file"
    else:
        prefix = resolved.code if resolved is not None else "VN"
        team_frame = sample_teams(communes, prefix=prefix, national=load_commune_table(settings))
        teams_sample, teams_source = True, "sample (generated)"
        teams_kind = "sample_generated"
    missing: tuple[str, ...] = ()
    if indicators is not None:
        ind_frame, warn = read_indicators(indicators, communes)
        problems += warn
        ind_estimate, ind_source = False, _display_name(indicators)
        missing = missing_indicator_codes(communes, ind_frame)
        ind_kind: SourceKind = "file"
    elif is_gia_lai and settings.sample_indicators_path.exists():
        ind_frame, _ = read_indicators(settings.sample_indicators_path, communes)
        ind_estimate, ind_source = True, settings.sample_indicators_path.name
        ind_kind = "estimate_file"
    else:
        estimate = estimate_indicators(communes).astype(str).replace("nan", "")
        ind_frame, bad = validate_indicators(estimate, communes, file="estimate")
        raise_if_errors(bad)
        ind_estimate, ind_source = True, "estimate (generated)"
        ind_kind = "estimate_generated"
    return Inputs(
        province=resolved,
        communes=communes,
        teams=team_frame,
        indicators=ind_frame,
        teams_is_sample=teams_sample,
        indicators_is_estimate=ind_estimate,
        teams_source=teams_source,
        indicators_source=ind_source,
        warnings=tuple(problems),
        indicators_missing=missing,
        population=load_population(settings, communes),
        teams_source_kind=teams_kind,
        indicators_source_kind=ind_kind,
    )


def load_population(settings: cfg.Settings, communes: gpd.GeoDataFrame) -> PopulationCells | None:
    """The population raster's cells over ``communes`` (EPSG:4326), or ``None`` without one.

    The raster is the WorldPop file that set-up copies into the data folder; without it
    the analysis falls back to its documented equal-weight grid.
    """
    path = settings.population_raster_path
    if not path.exists():
        return None
    west, south, east, north = communes.to_crs(4326).total_bounds
    margin = 0.1  # degrees: a commune with no cell inside takes its nearest one
    cells = read_population_raster(
        path, bounds=(west - margin, south - margin, east + margin, north + margin))
    return assign_cells(communes.to_crs(4326).geometry.to_numpy(), cells,
                        codes=communes["code"].astype(str).tolist())


def with_saved_indicators(inputs: Inputs, saved: SavedIndicators | None) -> Inputs:
    """Return ``inputs`` using the indicator table a planner uploaded (kept in the store).

    Parameters
    ----------
    inputs
        Inputs of the province the upload belongs to (from :func:`load_inputs`).
    saved
        The province's stored upload (:meth:`coverage.storage.Store.load_indicators`);
        ``None`` keeps the default indicators (the ILLUSTRATIVE ESTIMATE).

    Returns
    -------
    Inputs
        A copy whose indicators are the upload, labelled with its file name, upload time
        and author; communes the file leaves out are listed in ``indicators_missing``
        (the analysis fills them from the estimate). Communes, roster and everything else
        are shared with ``inputs``, not copied.
    """
    if saved is None:
        return inputs
    codes = set(inputs.communes["code"].astype(str))
    table = saved.indicators[saved.indicators["commune_code"].astype(str).isin(codes)].reset_index(drop=True)
    return replace(
        inputs,
        indicators=table,
        indicators_is_estimate=False,
        indicators_source=saved.info.file_name,
        indicators_source_kind="file",
        indicators_saved_at=saved.info.saved_at,
        indicators_saved_by=saved.info.author,
        indicators_revision=saved.info.revision,
        indicators_missing=missing_indicator_codes(inputs.communes, table),
    )


def missing_indicator_codes(communes: gpd.GeoDataFrame, indicators: pd.DataFrame) -> tuple[str, ...]:
    """Codes of the communes an indicator table leaves out (they use the estimate)."""
    given = set(indicators["commune_code"].astype(str))
    return tuple(c for c in communes["code"].astype(str) if c not in given)


def roster_impact(
    inputs: Inputs,
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    params: AnalysisParams = AnalysisParams(),
    settings: cfg.Settings | None = None,
    land_border: LandBorder | None = None,
) -> RosterImpact:
    """Return what changing the roster from ``before`` to ``after`` does, before saving it.

    Both rosters are analysed with the same model and compared commune by commune: the
    communes whose status or coverage changes, the province totals before and after, and
    the harms that need a confirmation (a commune left with no team in reach, an island
    or border commune losing the team based there, a border commune falling below the
    under-served threshold). See :mod:`coverage.impact`.

    Parameters
    ----------
    inputs
        Communes (EPSG:4326) and indicators of the province; its roster is not used.
    before, after
        Validated rosters (:func:`coverage.validation.validate_teams`).
    params, settings, land_border
        As for :func:`coverage.analysis.analyze_coverage`.
    """
    first = analyze(replace(inputs, teams=before), params=params, settings=settings, land_border=land_border)
    second = analyze(replace(inputs, teams=after), params=params, settings=settings,
                     land_border=first.land_border)
    return impact_from_analyses(first, second)


def impact_from_analyses(before: AnalysisResult, after: AnalysisResult) -> RosterImpact:
    """Return the impact of a roster change from the two analyses (already computed)."""
    return impact_between(before, after, islands=island_codes(after.communes, crs=after.crs))


def read_roads(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read road lines (GeoPackage, GeoJSON, GeoParquet, zipped Shapefile) for travel times.

    The file needs LineString geometry with a CRS and a ``speed_kmh`` (or ``maxspeed``)
    or ``road_class`` (or ``highway``/``fclass``) column; see :mod:`coverage.reach`.

    Raises
    ------
    InputError
        If the file cannot be read, is too large or declares no CRS.
    """
    frame, _ = read_geodata(source, name=name)
    return frame


def convert_legacy_table(
    source: Source,
    communes: pd.DataFrame,
    *,
    value_columns: Sequence[str] = (),
    rate_columns: Sequence[str] = (),
    weight_column: str | None = None,
    name: str | None = None,
) -> CrosswalkResult:
    """Read a table keyed by pre-merger communes and move it onto the new communes.

    See :mod:`coverage.crosswalk` for the rules (counts summed, split communes shared by
    population, rates weighted by population). ``communes`` are the post-merger communes,
    normally all 3,321 (:func:`load_commune_table`).
    """
    table, warnings = read_table(source, name=name)
    file = _display_name(source) if name is None else name
    try:
        return crosswalk_table(
            table,
            communes,
            file=file,
            value_columns=value_columns,
            rate_columns=rate_columns,
            weight_column=weight_column,
        )
    except InputError as exc:
        raise InputError(list(exc.problems) + warnings) from None


def legacy_table_columns(source: Source, *, name: str | None = None) -> list[str]:
    """Column names of a table keyed by pre-merger communes (to choose the value columns)."""
    table, _ = read_table(source, name=name)
    return list(table.columns)


def with_interpreter_rate(params: AnalysisParams, interpreter_rate: float) -> AnalysisParams:
    """``params`` with another interpreter rate (0-1; :data:`coverage.need.INTERPRETER_RATE`).

    The rate at which a team with no speaker of a resident's main minority language
    helps that resident, relative to a team with one (:mod:`coverage.need`, "Language").
    """
    return replace(params, capacity=replace(params.capacity, interpreter_rate=float(interpreter_rate)))


__all__ = [
    "INTERPRETER_RATE",
    "MINORITY_LANGUAGES",
    "AnalysisParams",
    "AnalysisResult",
    "InputError",
    "Inputs",
    "PlanResult",
    "analyze",
    "convert_legacy_table",
    "display_languages",
    "guess_legacy_columns",
    "legacy_table_columns",
    "load_commune_table",
    "load_inputs",
    "load_population",
    "missing_indicator_codes",
    "new_team_languages",
    "read_commune_boundaries",
    "read_indicators",
    "read_roads",
    "read_teams",
    "roster_impact",
    "impact_from_analyses",
    "RosterImpact",
    "sample_teams",
    "suggest",
    "with_interpreter_rate",
    "with_saved_indicators",
]

