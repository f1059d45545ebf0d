"""The validated inputs of one province (or the country): :class:`Inputs` and :class:`Province`.

A leaf of the package: the readers make these, and the analysis, optimisation, outputs and
monitoring layers take them, without importing the facade (:mod:`coverage.planning`
re-exports both).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from coverage.errors import Problem
from coverage.inputs.population import PopulationCells
from coverage.text.i18n import Lang
from coverage.text.sources import SourceKind, source_label


@dataclass(frozen=True)
class Province:
    """A province of the national file: its code and name."""

    code: str
    name: str


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
        Validated roster (see :data:`coverage.inputs.validation.TEAM_COLUMNS`), with
        ``latitude``/``longitude`` in degrees (EPSG:4326) always filled.
    indicators
        Validated indicator table, one row per commune code.
    teams_is_sample, indicators_is_estimate
        Whether the roster is the generated sample and the indicators the model
        estimate, so the UI and reports can label them.
    teams_source, indicators_source
        The file they come from (its name), or what made them (a sample/estimate note).
    teams_source_kind, indicators_source_kind
        What kind of source (:data:`coverage.text.sources.SourceKind`): a planner's
        ``file``, the committed ``sample_file`` / ``estimate_file``, or data
        ``sample_generated`` / ``estimate_generated`` for the province. Labels are made
        from it in the user's language (:func:`coverage.text.sources.source_label`).
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
        :func:`coverage.monitoring.throughput.with_measured_throughput`); the analysis
        subtracts them from the need. ``None``: plan from the assumptions only.
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


__all__ = ["Inputs", "Province"]
