"""What pages do: save the roster, suggest, save and compare scenarios, check uploads, report."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages.state import (
    Suggestion,
    analyze,
    author,
    bump_editor,
    cached_analysis,
    current_roster,
    data_dirs,
    editor_key,
    file_inputs,
    indicators_revision,
    inputs,
    lang,
    province_code,
    save_roster,
    session_id,
    settings,
    settings_for,
    store,
    suggestion,
    tr,
)
from app_pages.widgets import commune_names, coverage_text, headline, show_storage_error
from coverage import planning
from coverage.errors import InputError, Problem


def reload_conflict(error: planning.ConflictError) -> None:
    """Drop this tab's edit and show the newest saved roster."""
    del error
    bump_editor()


# ---------------------------------------------------------------- roster editing


def base_revision() -> int:
    """Return the revision this tab's roster edit started from."""
    value = st.session_state.get(f"roster_base.{province_code()}")
    return int(value) if value is not None else -1


def set_base_revision(revision: int) -> None:
    """Start editing from ``revision`` (fresh editor)."""
    st.session_state[f"roster_base.{province_code()}"] = int(revision)
    bump_editor()


def roster_at(revision: int) -> pd.DataFrame:
    """Return the roster saved as ``revision`` (0: the original file)."""
    if revision <= 0:
        return inputs().teams
    saved = store().load_roster(province_code(), revision=revision)
    return inputs().teams if saved is None else saved.teams


def has_pending_edits() -> bool:
    """Whether the roster editor holds changes not saved yet."""
    state = st.session_state.get(editor_key())
    if not isinstance(state, dict):
        return False
    return bool(state.get("edited_rows") or state.get("added_rows") or state.get("deleted_rows"))


def new_team_id(teams: pd.DataFrame) -> str:
    """Return a new team id following the roster's pattern (the province code without one)."""
    return planning.next_team_id(teams, default_prefix=province_code())


def conflict_key() -> str:
    """Return the session key holding a roster that lost a save conflict, with the error."""
    return f"roster_conflict.{province_code()}"


def try_save(
    teams: pd.DataFrame,
    *,
    base: int,
    note: str = "",
    kind: Literal["edit", "import"] = "edit",
    source_file: str | None = None,
) -> int | None:
    """Save a validated roster; on a conflict keep it aside and return ``None``.

    ``source_file``: the file a whole roster is imported from (see :func:`state.save_roster`).

    Any other storage problem (no permission, file locked, read-only or full) is shown
    here and ``None`` returned; the editor keeps what was typed, so nothing is lost.
    """
    try:
        revision = save_roster(
            teams, base_revision=base, note=note, kind=kind, source_file=source_file
        )
    except planning.ConflictError as error:
        st.session_state[conflict_key()] = (error, teams)
        return None
    except planning.StorageError as error:
        show_storage_error(error)
        return None
    st.session_state.pop(conflict_key(), None)
    set_base_revision(revision)
    st.session_state[f"roster_flash.{province_code()}"] = revision
    return revision


# ---------------------------------------------------------------- suggestions and scenarios


@st.cache_data(show_spinner=False, max_entries=16)
def _suggest(
    data_dir: str,
    shared_dir: str,
    code: str,
    teams_hash: str,
    params_json: str,
    _teams: pd.DataFrame,
    indicators_rev: int = 0,
) -> Any:
    params = json.loads(params_json)
    rate = params.get("interpreter_rate")
    result = cached_analysis(
        data_dir,
        shared_dir,
        code,
        teams_hash,
        repr(planning.AnalysisParams()),
        _teams,
        indicators_rev,
        *(() if rate is None or rate == planning.INTERPRETER_RATE else (float(rate),)),
    )
    return suggest_from(result, params)


def suggest_from(result: planning.AnalysisResult, params: Mapping[str, Any]) -> planning.PlanResult:
    """Suggest from ``result`` with the page's options (one call for assumed and measured rates).

    ``result`` must already carry the planner's interpreter rate (``params["interpreter_rate"]``):
    the optimiser takes it from the analysis.
    """
    return planning.suggest(
        result,
        new_teams=int(params["new_teams"]),
        team_size=int(params["team_size"]),
        mode=params["mode"],
        weekly_hours=params["weekly_hours"],
        require_border=bool(params["require_border"]),
        exclude=tuple(params["exclude"]),
        max_per_commune=params["max_per_commune"],
        relocate=int(params["relocate"]),
        border_min_coverage=float(params.get("border_min_coverage", 0.0)),
        keep_reached=bool(params.get("keep_reached", True)),
        method=params["method"],
        time_limit_s=float(params["time_limit_s"]),
        languages=tuple(params.get("languages", ())),
    )


def run_suggestion(teams: pd.DataFrame, params: dict[str, Any]) -> Suggestion:
    """Suggest new sites for the chosen province (cached on province, roster, options)."""
    text = json.dumps(params, sort_keys=True)
    result = _suggest(
        *data_dirs(),
        province_code(),
        planning.roster_hash(teams),
        text,
        teams,
        indicators_revision(),
    )
    return Suggestion(
        planning.roster_hash(teams), params, result, suggested_roster(teams, result, params)
    )


def suggested_roster(
    teams: pd.DataFrame, result: planning.PlanResult, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Return the roster with a suggestion's new teams added and moved teams moved (validated)."""
    return planning.teams_with_sites(
        teams, result, params, inputs().communes, default_prefix=province_code()
    )


def scenario_summary(result: planning.AnalysisResult, teams: pd.DataFrame) -> dict[str, Any]:
    """Headline figures to save with a scenario (JSON-able)."""
    return dataclasses.asdict(headline(result, teams))


PER_COMMUNE_COLUMNS = (
    "code",
    "name",
    "population",
    "need",
    "capacity",
    "coverage_ratio",
    "teams_in_reach",
    "is_border",
    "is_remote",
    "is_underserved",
    "reasons_vi",
    "reasons_en",
)


def save_scenario(
    name: str, teams: pd.DataFrame, params: Mapping[str, Any], *, overwrite: bool = False
) -> str:
    """Save a roster as a named scenario with its analysis; return the stored name.

    Raises
    ------
    StorageError
        Duplicate or invalid name (the page shows the message).
    """
    result = analyze(teams)
    roster = current_roster()
    info = store().save_scenario(
        name,
        province_code(),
        teams,
        {"analysis": dataclasses.asdict(planning.AnalysisParams()), **params},
        scenario_summary(result, teams),
        result.communes[list(PER_COMMUNE_COLUMNS)].copy(),
        overwrite=overwrite,
        roster_revision=roster.revision or None,
        author=author(),
        session_id=session_id(),
    )
    return info.name


CURRENT = "__current__"
"""Option value standing for the current roster in comparisons."""


def roster_of(option: str) -> pd.DataFrame:
    """Return the current roster or the roster of a saved scenario."""
    if option == CURRENT:
        return current_roster().teams
    return store().load_scenario(option, province_code()).teams


def comparison(option_a: str, option_b: str) -> tuple[Any, pd.DataFrame, pd.DataFrame, Any]:
    """Compare two rosters: reports' comparison, status changes, B's new teams, B's analysis."""
    teams_a, teams_b = roster_of(option_a), roster_of(option_b)
    result_a, result_b = analyze(teams_a), analyze(teams_b)
    label = tr("ui.scen.current") if option_b == CURRENT else option_b
    compared = planning.compare_scenario(
        result_a.communes, result_b.communes, name=label, teams_before=teams_a, teams_after=teams_b
    )
    changed = planning.status_changes(result_a.communes, result_b.communes)

    def status(flag: object) -> str:
        return tr("ui.status.underserved") if bool(flag) else tr("ui.status.served")

    changes = pd.DataFrame(
        {
            tr("ui.field.name"): changed["name"].to_numpy(),
            tr("ui.field.status_before"): [status(v) for v in changed["underserved_before"]],
            tr("ui.field.status_after"): [status(v) for v in changed["underserved_after"]],
            tr("ui.field.coverage") + " A": [
                coverage_text(v, decimals=1) for v in changed["coverage_before"]
            ],
            tr("ui.field.coverage") + " B": [
                coverage_text(v, decimals=1) for v in changed["coverage_after"]
            ],
            tr("ui.field.border"): [
                tr("ui.yes") if v else tr("ui.no") for v in changed["is_border"]
            ],
        }
    )
    sites = planning.new_team_sites(teams_a, teams_b, commune_names())
    return compared, changes, sites, result_b


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file after checking: the validated table or its problems."""

    name: str
    kind: str
    table: pd.DataFrame | None
    problems: tuple[Problem, ...]


def check_upload(name: str, data: bytes, *, kind: str) -> CheckedFile:
    """Read and validate an uploaded roster (``kind="roster"``) or indicator file."""
    return _check_upload(
        *data_dirs(), province_code(), name, hashlib.sha256(data).hexdigest(), kind, data
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _check_upload(
    data_dir: str, shared_dir: str, code: str, name: str, digest: str, kind: str, _data: bytes
) -> CheckedFile:
    communes = file_inputs(data_dir, shared_dir, code).communes
    reader = planning.read_teams if kind == "roster" else planning.read_indicators
    try:
        table, warnings = reader(_data, communes, name=name)
    except InputError as error:
        return CheckedFile(name, kind, None, error.problems)
    return CheckedFile(name, kind, table, tuple(warnings))


def make_report(
    formats: tuple[str, ...], *, scenario: str | None, with_plan: bool, period: str | None = None
) -> list[tuple[str, bytes]]:
    """Return the meeting outputs of the province on screen as (file name, bytes).

    The files are written into a temporary folder and read back.

    With a ``scenario``, every map, figure and table is the scenario's roster (compared
    with the current roster: moves and new teams listed); the latest suggestion is included
    only when it was computed for the roster the report shows.
    """
    import tempfile

    roster = current_roster()
    teams = roster.teams if scenario in (None, CURRENT) else roster_of(str(scenario))
    result = analyze(teams)
    base = dataclasses.replace(inputs(), teams=teams, teams_is_sample=roster.is_sample)
    found = suggestion() if with_plan else None
    if found is not None and found.roster_hash != planning.roster_hash(teams):
        found = None
    compared = None
    if scenario not in (None, CURRENT):
        current = analyze(roster.teams)
        compared = planning.compare_scenario(
            current.communes,
            result.communes,
            name=str(scenario),
            teams_before=roster.teams,
            teams_after=teams,
        )
    progress = None
    # the periodic evaluation's pages (coverage.outputs.progress_charts), current roster's reports
    if period:
        progress = planning.progress_section(
            settings(),
            dataclasses.replace(inputs(), teams=roster.teams, teams_is_sample=roster.is_sample),
            period=period,
            analysis=analyze(roster.teams),
        )
    bundle = planning.ReportBundle(
        inputs=base,
        analysis=result,
        plan=None if found is None else found.result,
        comparison=compared,
        countries=_countries(*data_dirs()),
        progress=progress,
    )
    with tempfile.TemporaryDirectory(prefix="coverage-report-") as folder:
        paths = planning.write_report(bundle, Path(folder), formats=formats, lang=lang())  # type: ignore[arg-type]
        return [(p.name, p.read_bytes()) for p in paths]


@st.cache_resource(show_spinner=False, max_entries=2)
def _countries(data_dir: str, shared_dir: str) -> gpd.GeoDataFrame | None:
    """Neighbouring countries for the static maps' grey context (``None`` without the file)."""
    try:
        return planning.load_countries(settings_for(data_dir, shared_dir))
    except InputError:  # decoration only
        return None
