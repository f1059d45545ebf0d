"""The facade the app and the command line call.

Data flows one way: files -> read -> validate -> analyse (metres, projected CRS) ->
score -> optimise -> map/report. Each function here takes plain inputs and returns a
frozen result; none reads session state.
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd

from coverage import settings as cfg
from coverage.analysis.analyze import AnalysisParams, AnalysisResult
from coverage.analysis.analyze import analyze_coverage as analyze
from coverage.analysis.commune_facts import (
    CommuneFacts,
    commune_facts,
)
from coverage.analysis.commune_lists import (
    new_team_sites,
    priority_first,
    status_changes,
    teams_reaching,
)
from coverage.analysis.flags import LandBorder
from coverage.analysis.headline import Headline, headline_from
from coverage.analysis.impact import RosterImpact, impact_between, island_codes
from coverage.analysis.languages import display_languages, spoken_languages
from coverage.analysis.national import NationalOverview, national_overview
from coverage.analysis.need import INTERPRETER_RATE
from coverage.analysis.shared import release_unused_memory, shared_analysis
from coverage.errors import InputError, Problem
from coverage.inputs import loading
from coverage.inputs.crosswalk import CrosswalkResult, crosswalk_table, guess_legacy_columns
from coverage.inputs.datasets import (
    CLEANED_FILES,
    cleaning_report,
    list_provinces,
    load_commune_table,
    load_communes,
    load_countries,
    setup_data,
)
from coverage.inputs.languages import MINORITY_LANGUAGES, new_team_languages, ordered_languages
from coverage.inputs.loading import (
    display_name,
    load_population,
    missing_indicator_codes,
    read_commune_boundaries,
    read_indicators,
    read_teams,
    sample_teams,
)
from coverage.inputs.model import Inputs, Province
from coverage.inputs.readers import read_boundaries, read_geodata
from coverage.inputs.roster_table import (
    EDIT_COLUMNS,
    editor_output_as_text,
    editor_table,
    frame_hash,
    next_team_id,
    roster_as_text,
    roster_hash,
    teams_with_sites,
)
from coverage.inputs.sources import Source
from coverage.inputs.tables import read_table
from coverage.inputs.validation import (
    KNOWN_LANGUAGES,
    KNOWN_SKILLS,
    validate_boundaries,
    validate_indicators,
    validate_teams,
)
from coverage.monitoring.activity_columns import PLACE_KINDS, WORKING_MODELS
from coverage.monitoring.activity_parsing import monday_of_week
from coverage.monitoring.activity_sample import make_sample_activity, template_frame
from coverage.monitoring.loop import (
    MeasuredInputs,
    ProgressView,
    activity_store_of,
    assumed_note,
    border_codes_of,
    check_activity,
    default_period,
    ensure_sample_activity,
    enter_report,
    import_activity,
    measured_inputs,
    open_activity_store,
    progress_of,
    progress_section,
    team_communes,
    today_vietnam,
)
from coverage.monitoring.periods import Period, parse_period, period_from_dates
from coverage.monitoring.progress import Progress, ProgressParams
from coverage.monitoring.throughput import rate_by_commune
from coverage.optimize.deploy import suggest_sites as suggest
from coverage.optimize.plan import PlanResult, ServiceWeights, plan_to_records
from coverage.outputs.bundle import write_report
from coverage.outputs.progress_charts import (
    commune_table as progress_commune_table,
)
from coverage.outputs.progress_charts import (
    commune_trend_chart,
    model_label,
    models_chart,
    progress_workbook,
    teams_chart,
    weekly_chart,
)
from coverage.outputs.progress_charts import (
    team_table as progress_team_table,
)
from coverage.outputs.reports.content import FORMATS as REPORT_FORMATS
from coverage.outputs.reports.content import Format as ReportFormat
from coverage.outputs.reports.content import ReportBundle, compare_scenario, priority_communes
from coverage.outputs.reports.rows import comparison_rows
from coverage.outputs.safe_output import neutralise_frame
from coverage.settings import (
    DEFAULT_PROVINCE,
    DEFAULT_PROVINCE_CODE,
    Settings,
    load_settings,
)
from coverage.storage.accounts import (
    ANONYMOUS,
    IDLE_TIMEOUT_S,
    MAX_SESSION_S,
    ROLES,
    Account,
    AccountBook,
    Action,
    SignInError,
    is_local_address,
    role_text,
    session_expired,
)
from coverage.storage.accounts import (
    can as account_can,
)
from coverage.storage.activity_store import (
    ActivityStore,
    change_marker,
)
from coverage.storage.roster_history import (
    describe_diff,
    describe_revision,
)
from coverage.storage.roster_history import (
    word as history_word,
)
from coverage.storage.store import (
    ConflictError,
    SavedIndicators,
    StorageError,
    Store,
    diff_rosters,
    open_store,
)

# The interactive map (folium) is imported on first use: its import is about a sixth of a
# command's start-up, and `analyze`, `plan` and `validate` never draw one.
if TYPE_CHECKING:
    from coverage.outputs.map_clicks import clicked_commune
    from coverage.outputs.maps.build import build_base_map, build_map, selection_layer
    from coverage.outputs.maps.geometry import province_shapes, simplify_for_display
    from coverage.outputs.maps.scales import FLAGS, Metric
    from coverage.outputs.maps.style import CommuneStyle, commune_style, style_script
    from coverage.outputs.maps_population import cell_demand

_MAP_MODULES = {
    "coverage.outputs.maps.build": ("build_base_map", "build_map", "selection_layer"),
    "coverage.outputs.maps.geometry": ("province_shapes", "simplify_for_display"),
    "coverage.outputs.maps.scales": ("FLAGS", "Metric"),
    "coverage.outputs.maps.style": ("CommuneStyle", "commune_style", "style_script"),
    "coverage.outputs.map_clicks": ("clicked_commune",),
    "coverage.outputs.maps_population": ("cell_demand",),
}
_MAP_NAMES = {name: module for module, names in _MAP_MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    """Return a map-layer name, importing the map modules the first time one is asked for."""
    module = _MAP_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def load_inputs(
    settings: cfg.Settings,
    *,
    province: str | None = cfg.DEFAULT_PROVINCE,
    teams: Source | None = None,
    indicators: Source | None = None,
) -> Inputs:
    """Load and validate a province's inputs (:func:`coverage.inputs.loading.load_inputs`).

    The readers' buffers are then given back to the system, so that a room of sessions
    opening provinces does not keep each one's peak.
    """
    loaded = loading.load_inputs(settings, province=province, teams=teams, indicators=indicators)
    release_unused_memory()
    return loaded


def with_saved_indicators(inputs: Inputs, saved: SavedIndicators | None) -> Inputs:
    """Return ``inputs`` using the indicator table a planner uploaded (kept in the store).

    Parameters
    ----------
    inputs
        Inputs of the province the upload belongs to (from :func:`load_inputs`).
    saved
        The province's stored upload (:meth:`coverage.storage.store.Store.load_indicators`);
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
    table = saved.indicators[saved.indicators["commune_code"].astype(str).isin(codes)].reset_index(
        drop=True
    )
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


def analyze_shared(
    inputs: Inputs,
    *,
    key: Hashable,
    params: AnalysisParams = AnalysisParams(),
    settings: cfg.Settings | None = None,
) -> AnalysisResult:
    """Analyse ``inputs`` once per process for every caller with the same ``key``.

    ``key`` must name everything ``inputs`` depend on: data folder, province, a digest of
    the roster's content and the indicator revision (the parameters are added here). The
    result is a copy-on-write view of the shared one (:mod:`coverage.analysis.shared`):
    a caller changing it changes its own copy only. A roster saved with other content has
    another digest, so every session's next run analyses the saved roster.
    """
    return shared_analysis(
        (key, repr(params)), lambda: analyze(inputs, params=params, settings=settings)
    )


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
    under-served threshold). See :mod:`coverage.analysis.impact`.

    Parameters
    ----------
    inputs
        Communes (EPSG:4326) and indicators of the province; its roster is not used.
    before, after
        Validated rosters (:func:`coverage.inputs.validation.validate_teams`).
    params, settings, land_border
        As for :func:`coverage.analysis.analyze.analyze_coverage`.
    """
    first = analyze(
        replace(inputs, teams=before), params=params, settings=settings, land_border=land_border
    )
    second = analyze(
        replace(inputs, teams=after),
        params=params,
        settings=settings,
        land_border=first.land_border,
    )
    return impact_from_analyses(first, second)


def impact_from_analyses(before: AnalysisResult, after: AnalysisResult) -> RosterImpact:
    """Return the impact of a roster change from the two analyses (already computed)."""
    return impact_between(before, after, islands=island_codes(after.communes, crs=after.crs))


def read_roads(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read road lines (GeoPackage, GeoJSON, GeoParquet, zipped Shapefile) for travel times.

    The file needs LineString geometry with a CRS and a ``speed_kmh`` (or ``maxspeed``)
    or ``road_class`` (or ``highway``/``fclass``) column; see :mod:`coverage.analysis.reach`.

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

    See :mod:`coverage.inputs.crosswalk` for the rules (counts summed, split communes shared by
    population, rates weighted by population). ``communes`` are the post-merger communes,
    normally all 3,321 (:func:`load_commune_table`).
    """
    table, warnings = read_table(source, name=name)
    file = display_name(source) if name is None else name
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
    """Return ``params`` with another interpreter rate (0-1).

    The rate at which a team with no speaker of a resident's main minority language
    helps that resident, relative to a team with one (:mod:`coverage.analysis.need`, "Language");
    the default is :data:`coverage.analysis.need.INTERPRETER_RATE`.
    """
    return replace(
        params, capacity=replace(params.capacity, interpreter_rate=float(interpreter_rate))
    )


def province_languages(inputs: Inputs) -> tuple[str, ...]:
    """Return the minority languages of the province's residents, the most speakers first.

    From its indicator table (the labelled estimate where the table says nothing); what
    the language pickers list first (:func:`coverage.inputs.languages.ordered_languages`).
    """
    return spoken_languages(
        inputs.communes, inputs.indicators, all_estimated=inputs.indicators_is_estimate
    )


__all__ = [
    "INTERPRETER_RATE",
    "MINORITY_LANGUAGES",
    "AnalysisParams",
    "AnalysisResult",
    "InputError",
    "Inputs",
    "PlanResult",
    "Province",
    "analyze",
    "analyze_shared",
    "convert_legacy_table",
    "display_languages",
    "guess_legacy_columns",
    "legacy_table_columns",
    "load_commune_table",
    "load_inputs",
    "load_population",
    "missing_indicator_codes",
    "new_team_languages",
    "ordered_languages",
    "province_languages",
    "read_commune_boundaries",
    "read_indicators",
    "read_roads",
    "read_teams",
    "release_unused_memory",
    "roster_impact",
    "impact_from_analyses",
    "RosterImpact",
    "sample_teams",
    "suggest",
    "with_interpreter_rate",
    "with_saved_indicators",
]


# ---------------------------------------------------------------- for the CLI
# The sub-commands in coverage/commands/ import only this module, coverage.errors and
# coverage.text (tests/test_layers.py); what they need from the layers comes through here.


def context_layer(
    settings: Settings, which: Literal["countries", "provinces"]
) -> gpd.GeoDataFrame | None:
    """Return the grey context of the static maps (EPSG:4326), or ``None`` without its file.

    ``countries`` are Vietnam, Cambodia and Laos; ``provinces`` the 34 provinces
    (``province_code``, ``province``, ``geometry``). Decoration only: a missing file drops it.
    """
    if which == "countries":
        try:
            return load_countries(settings)
        except InputError:
            return None
    path = settings.boundaries_dir / cfg.PROVINCES_FILE
    if not path.exists():
        return None
    return gpd.read_parquet(path, columns=["province_code", "province", "geometry"])


__all__ += [
    # settings and set-up
    "CLEANED_FILES",
    "DEFAULT_PROVINCE",
    "Settings",
    "cleaning_report",
    "context_layer",
    "load_communes",
    "load_settings",
    "setup_data",
    # checking files without raising (the validate command lists every problem)
    "Problem",
    "read_boundaries",
    "read_table",
    "validate_boundaries",
    "validate_indicators",
    "validate_teams",
    # plans and outputs
    "REPORT_FORMATS",
    "ReportFormat",
    "ReportBundle",
    "ServiceWeights",
    "compare_scenario",
    "neutralise_frame",
    "plan_to_records",
    "write_report",
    # the store and accounts
    "ROLES",
    "AccountBook",
    "StorageError",
    "Store",
    "is_local_address",
    "open_store",
    "role_text",
    # the monitoring loop (coverage.monitoring.loop)
    "assumed_note",
    "border_codes_of",
    "check_activity",
    "ensure_sample_activity",
    "import_activity",
    "make_sample_activity",
    "measured_inputs",
    "open_activity_store",
    "parse_period",
    "progress_of",
    "progress_section",
    "rate_by_commune",
]


# ---------------------------------------------------------------- for the app
# What the pages use (domain helpers, results' types, maps, reports, the store, the
# monitoring loop) comes through here: app.py and app_pages/ import only this module,
# coverage.errors and coverage.text (tests/test_app_layers.py).

__all__ += [
    "EDIT_COLUMNS",
    "clicked_commune",
    "editor_output_as_text",
    "editor_table",
    "frame_hash",
    "new_team_sites",
    "next_team_id",
    "priority_first",
    "roster_as_text",
    "roster_hash",
    "status_changes",
    "teams_reaching",
    "teams_with_sites",
    "ANONYMOUS",
    "Account",
    "Action",
    "ActivityStore",
    "CommuneFacts",
    "CommuneStyle",
    "ConflictError",
    "DEFAULT_PROVINCE_CODE",
    "FLAGS",
    "Headline",
    "IDLE_TIMEOUT_S",
    "KNOWN_LANGUAGES",
    "KNOWN_SKILLS",
    "MAX_SESSION_S",
    "MeasuredInputs",
    "Metric",
    "NationalOverview",
    "PLACE_KINDS",
    "Period",
    "Progress",
    "ProgressParams",
    "ProgressView",
    "SignInError",
    "WORKING_MODELS",
    "account_can",
    "activity_store_of",
    "build_base_map",
    "build_map",
    "cell_demand",
    "change_marker",
    "commune_facts",
    "commune_style",
    "commune_trend_chart",
    "comparison_rows",
    "default_period",
    "describe_diff",
    "describe_revision",
    "diff_rosters",
    "enter_report",
    "headline_from",
    "history_word",
    "list_provinces",
    "load_countries",
    "model_label",
    "models_chart",
    "monday_of_week",
    "national_overview",
    "period_from_dates",
    "priority_communes",
    "progress_commune_table",
    "progress_team_table",
    "progress_workbook",
    "province_shapes",
    "selection_layer",
    "session_expired",
    "simplify_for_display",
    "style_script",
    "team_communes",
    "teams_chart",
    "template_frame",
    "today_vietnam",
    "weekly_chart",
]
