"""Load a province's validated inputs: communes, roster, indicators and population cells.

The facade (:mod:`coverage.planning`) re-exports these; the defaults are the committed
SAMPLE roster and ILLUSTRATIVE indicator estimate for Gia Lai and generated ones
elsewhere, each labelled as such in :class:`~coverage.inputs.model.Inputs`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from coverage import settings as cfg
from coverage.errors import Problem, raise_if_errors
from coverage.inputs.datasets import load_commune_table, load_communes, resolve_province
from coverage.inputs.model import Inputs
from coverage.inputs.population import PopulationCells, assign_cells, read_population_raster
from coverage.inputs.readers import read_boundaries
from coverage.inputs.samples import (
    SAMPLE_SEED,
    estimate_indicators,
    make_sample_roster,
    sample_roster_for,
)
from coverage.inputs.sources import Source
from coverage.inputs.tables import read_table
from coverage.inputs.validation import validate_boundaries, validate_indicators, validate_teams
from coverage.text.sources import SourceKind


def read_teams(
    source: Source, communes: gpd.GeoDataFrame, *, name: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate a roster file; raise :class:`InputError` with every error.

    Returns the typed roster and the warnings.
    """
    table, warnings = read_table(source, name=name)
    file = name or display_name(source)
    teams, problems = validate_teams(table, communes, file=file)
    raise_if_errors(warnings + problems)
    return teams, warnings + problems


def read_indicators(
    source: Source, communes: gpd.GeoDataFrame, *, name: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate an indicator file; raise :class:`InputError` with every error."""
    table, warnings = read_table(source, name=name)
    file = name or display_name(source)
    frame, problems = validate_indicators(table, communes, file=file)
    raise_if_errors(warnings + problems)
    return frame, warnings + problems


def read_commune_boundaries(
    source: Source, *, name: str | None = None
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read and validate commune boundaries; raise :class:`InputError` with every error."""
    frame, warnings = read_boundaries(source, name=name)
    file = name or display_name(source)
    frame, problems = validate_boundaries(frame, file=file)
    raise_if_errors(warnings + problems)
    return frame, warnings + problems


def display_name(source: Source) -> str:
    """Return the name a message gives ``source``: a file name, or "upload" for bytes."""
    if isinstance(source, (str, Path)):
        return Path(source).name
    if isinstance(source, bytes):
        return "upload"
    return source.name


def sample_teams(
    communes: gpd.GeoDataFrame, *, prefix: str = "GL", national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return a validated SAMPLE roster for ``communes`` (:mod:`coverage.inputs.samples` rules).

    ``national`` holds all 3,321 communes (``code``, ``population``), among which the
    programme's 4,821 teams are shared; ``None`` gives one team per commune.
    """
    roster = (
        make_sample_roster(communes, seed=SAMPLE_SEED, prefix=prefix)
        if national is None
        else sample_roster_for(communes, national, prefix=prefix)
    )
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
        teams_sample, teams_source = False, display_name(teams)
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
        ind_estimate, ind_source = False, display_name(indicators)
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
    loaded = Inputs(
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
    return loaded


def load_population(settings: cfg.Settings, communes: gpd.GeoDataFrame) -> PopulationCells | None:
    """Return the population raster's cells over ``communes`` (EPSG:4326), or ``None`` without one.

    The raster is the WorldPop file that set-up copies into the data folder; without it
    the analysis falls back to its documented equal-weight grid.
    """
    path = settings.population_raster_path
    if not path.exists():
        return None
    west, south, east, north = communes.to_crs(4326).total_bounds
    margin = 0.1  # degrees: a commune with no cell inside takes its nearest one
    cells = read_population_raster(
        path, bounds=(west - margin, south - margin, east + margin, north + margin)
    )
    return assign_cells(
        communes.to_crs(4326).geometry.to_numpy(),
        cells,
        codes=communes["code"].astype(str).tolist(),
    )


def missing_indicator_codes(
    communes: gpd.GeoDataFrame, indicators: pd.DataFrame
) -> tuple[str, ...]:
    """Codes of the communes an indicator table leaves out (they use the estimate)."""
    given = set(indicators["commune_code"].astype(str))
    return tuple(c for c in communes["code"].astype(str) if c not in given)
