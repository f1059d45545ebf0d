"""Session state and cached calls into the facade: language, province, inputs, store, roster."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages import access
from coverage import planning
from coverage.errors import Problem
from coverage.text.i18n import Lang, t
from coverage.text.sources import source_label

MAX_UPLOAD_MB = 50
"""Largest upload accepted, as in ``.streamlit/config.toml`` and ``coverage.inputs.readers``."""


# ---------------------------------------------------------------- language and state


def lang() -> Lang:
    """Return the language chosen in the sidebar (Vietnamese until the switch is used)."""
    value = st.session_state.get("lang", "vi")
    return "en" if value == "en" else "vi"


def tr(key: str, /, **params: object) -> str:
    """Translate ``key`` into the chosen language."""
    return t(key, lang(), **params)


def labeller(prefix: str) -> Callable[[object], str]:
    """Return a ``format_func`` that translates ``prefix + value`` in the language of this run.

    The language is bound now: Streamlit (and its test harness) may call the function
    outside the script run, where session state is not this session's.
    """
    language = lang()
    return lambda value: t(f"{prefix}{value}", language)


def settings() -> planning.Settings:
    """Return data locations read from the environment (``COVERAGE_DATA_DIR``)."""
    return planning.load_settings()


def data_dirs() -> tuple[str, str]:
    """Return the data folder and the shared data folder as text (the cached calls' keys)."""
    s = settings()
    return str(s.data_dir), str(s.shared_data_dir)


def settings_for(data_dir: str, shared_dir: str) -> planning.Settings:
    """Return the settings of two data folders given as text (see :func:`data_dirs`)."""
    return planning.Settings(data_dir=Path(data_dir), shared_data_dir=Path(shared_dir))


def session_id() -> str:
    """Return a random id for this browser tab, written with every save."""
    if "session_id" not in st.session_state:
        st.session_state["session_id"] = uuid.uuid4().hex[:12]
    return str(st.session_state["session_id"])


def author() -> str:
    """Return the signed-in account's user name, recorded with every change.

    On localhost it is the local planner's.

    The store bound to the account (:func:`store`) records the same name whatever is passed.
    """
    return access.acting_account().username


def province_code() -> str:
    """Return the chosen province's code (Gia Lai by default)."""
    return str(st.session_state.get("province") or planning.DEFAULT_PROVINCE_CODE)


def selected_commune() -> str | None:
    """Return the selected commune code, or ``None``."""
    value = st.session_state.get("sel_commune")
    return str(value) if value else None


def select_commune(code: str | None) -> None:
    """Change the selection only (never triggers a recomputation)."""
    st.session_state["sel_commune"] = code


# ---------------------------------------------------------------- cached calls


@st.cache_data(show_spinner=False)
def _province_list(data_dir: str, shared_dir: str) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in planning.list_provinces(settings_for(data_dir, shared_dir))]


def provinces() -> list[tuple[str, str]]:
    """Return the 34 provinces as (code, name)."""
    return _province_list(*data_dirs())


@st.cache_resource(show_spinner=False, max_entries=8)
def file_inputs(data_dir: str, shared_dir: str, code: str) -> planning.Inputs:
    """Return a province's inputs as the data folder has them, without uploads (cached)."""
    return planning.load_inputs(settings_for(data_dir, shared_dir), province=code)


def indicators_revision() -> int:
    """Return the chosen province's stored indicator revision (0: none), in every analysis key."""
    return store().latest_indicator_revision(province_code())


@st.cache_resource(show_spinner=False, max_entries=8)
def _inputs_indicators(
    data_dir: str, shared_dir: str, code: str, indicators_rev: int
) -> planning.Inputs:
    saved = (
        _store(data_dir).load_indicators(code, revision=indicators_rev) if indicators_rev else None
    )
    return planning.with_saved_indicators(file_inputs(data_dir, shared_dir, code), saved)


def inputs() -> planning.Inputs:
    """Return the chosen province's inputs with its uploaded indicators (cached, read-only)."""
    return _inputs_indicators(*data_dirs(), province_code(), indicators_revision())


@st.cache_resource(show_spinner=False, max_entries=8)
def _province_languages(
    data_dir: str, shared_dir: str, code: str, indicators_rev: int
) -> tuple[str, ...]:
    return planning.province_languages(
        _inputs_indicators(data_dir, shared_dir, code, indicators_rev)
    )


def province_languages() -> tuple[str, ...]:
    """Return the chosen province's minority languages, the most speakers first (cached).

    The language pickers list them before the rest of the country's.
    """
    return _province_languages(*data_dirs(), province_code(), indicators_revision())


@st.cache_resource(show_spinner=False)
def _store(data_dir: str) -> planning.Store:
    return planning.open_store(settings_for(data_dir, data_dir))


def store() -> planning.Store:
    """Return the SQLite store in the data folder, bound to this tab's account.

    Every write checks the account's permission and records its user name
    (:meth:`coverage.storage.store.Store.for_account`); the store holds only a path.
    """
    return _store(data_dirs()[0]).for_account(access.acting_account())


@st.cache_resource(show_spinner=False, max_entries=8)
def _display_geometry(data_dir: str, shared_dir: str, code: str) -> gpd.GeoSeries:
    communes = file_inputs(data_dir, shared_dir, code).communes
    simplified = planning.simplify_for_display(communes[["code", "geometry"]])
    return gpd.GeoSeries(
        simplified.geometry.to_numpy(), index=simplified["code"].astype(str), crs=4326
    )


def cached_analysis(
    data_dir: str,
    shared_dir: str,
    code: str,
    teams_hash: str,
    params_key: str,
    _teams: pd.DataFrame,
    indicators_rev: int = 0,
    interpreter_rate: float | None = None,
) -> planning.AnalysisResult:
    """Return the analysis of one input revision, shared by the server (a copy-on-write view)."""
    base = _inputs_indicators(data_dir, shared_dir, code, indicators_rev)
    params = planning.AnalysisParams()
    if interpreter_rate is not None:
        params = planning.with_interpreter_rate(params, interpreter_rate)
    return planning.analyze_shared(
        dataclasses.replace(base, teams=_teams),
        settings=settings_for(data_dir, shared_dir),
        key=(data_dir, shared_dir, code, teams_hash, params_key, indicators_rev),
        params=params,
    )


def analyze(
    teams: pd.DataFrame, *, interpreter_rate: float | None = None
) -> planning.AnalysisResult:
    """Analyse the chosen province with ``teams`` (cached on province, roster hash, params).

    ``interpreter_rate`` (0-1) replaces the default rate of help without a speaker of the
    residents' language (the Suggestions page's setting).
    """
    params_key = repr(planning.AnalysisParams())
    if interpreter_rate is None or interpreter_rate == planning.INTERPRETER_RATE:
        return cached_analysis(
            *data_dirs(),
            province_code(),
            planning.roster_hash(teams),
            params_key,
            teams,
            indicators_revision(),
        )
    return cached_analysis(
        *data_dirs(),
        province_code(),
        planning.roster_hash(teams),
        params_key,
        teams,
        indicators_revision(),
        float(interpreter_rate),
    )


def display_communes(result: planning.AnalysisResult) -> gpd.GeoDataFrame:
    """Analysed communes with simplified geometry for drawing (analysis keeps full detail)."""
    geometry = _display_geometry(*data_dirs(), province_code())
    frame = result.communes.drop(columns="geometry")
    shapes = geometry.reindex(frame["code"].astype(str)).to_numpy()
    return gpd.GeoDataFrame(frame, geometry=shapes, crs=4326)


# ---------------------------------------------------------------- the current roster


@dataclass(frozen=True)
class Roster:
    """The working roster of a province (the one the pages analyse and edit).

    Attributes
    ----------
    teams
        Validated roster.
    revision
        Stored revision it comes from (0: the original file, nothing saved yet).
    is_sample
        Whether it is (or was edited from) the SAMPLE roster.
    source
        The file it comes from, or a note for generated data.
    saved_at, saved_by
        Time (UTC, ISO 8601) and author of the revision ('' for revision 0).
    source_kind
        What kind of source (:data:`coverage.text.sources.SourceKind`); :meth:`source_label`
        says it in the user's language.
    source_file
        The file the roster was imported from in the app (kept by later edits), or
        ``None`` for the province's original roster and its edits.
    """

    teams: pd.DataFrame
    revision: int
    is_sample: bool
    source: str
    saved_at: str = ""
    saved_by: str = ""
    source_kind: str = "file"
    source_file: str | None = None

    def source_label(self) -> str:
        """Where the roster comes from, in the user's language."""
        return source_label(self.source_kind, self.source, lang=lang())


def current_roster() -> Roster:
    """Return the province's latest saved roster, or the original one if none was saved."""
    base = inputs()
    saved = store().load_roster(province_code())
    if saved is None:
        return Roster(
            base.teams,
            0,
            base.teams_is_sample,
            base.teams_source,
            source_kind=base.teams_source_kind,
        )
    info = saved.info
    file = info.source_file
    return Roster(
        saved.teams,
        saved.revision,
        is_sample=base.teams_is_sample if info.is_sample is None else info.is_sample,
        source=file if file is not None else base.teams_source,
        saved_at=info.saved_at,
        saved_by=info.author,
        source_kind="file" if file is not None else base.teams_source_kind,
        source_file=file,
    )


def validate_roster(table: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check an edited roster with the same rules as a file import."""
    return planning.validate_teams(table, inputs().communes, file=file)


def save_roster(
    teams: pd.DataFrame,
    *,
    base_revision: int,
    note: str = "",
    kind: Literal["edit", "import"] = "edit",
    source_file: str | None = None,
) -> int:
    """Save a validated roster as the next revision; return its number.

    ``kind="import"`` marks a whole file loaded at once (one history entry). The first
    revision's audit is measured against the original file, so it lists what changed.
    ``source_file`` names the file a whole roster was imported from: the revision is then
    not the SAMPLE, whatever the file is called. Otherwise the revision keeps where the
    roster being edited came from (the SAMPLE, the original file, or an imported file).

    Raises
    ------
    ConflictError
        If someone saved after ``base_revision`` (nothing is written).
    """
    if source_file is None:
        edited = current_roster()
        is_sample, source_file = edited.is_sample, edited.source_file
    else:
        is_sample = False
    plan_note = note or ("sample-edit" if is_sample else "edit")
    info = store().save_roster(
        province_code(),
        teams,
        base_revision=base_revision,
        author=author(),
        session_id=session_id(),
        note=plan_note,
        kind=kind,
        previous=inputs().teams if base_revision == 0 else None,
        is_sample=is_sample,
        source_file=source_file,
    )
    return info.revision


def bump_editor() -> None:
    """Give the roster editor a fresh key (after a save or a reload)."""
    key = f"roster_nonce.{province_code()}"
    st.session_state[key] = int(st.session_state.get(key, 0)) + 1


def editor_key() -> str:
    """Key of the roster editor: changes after each save so edits are never applied twice."""
    nonce = st.session_state.get(f"roster_nonce.{province_code()}", 0)
    return f"roster_editor.{province_code()}.{nonce}"


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A suggestion computed in this tab, with what it was computed from."""

    roster_hash: str
    params: dict[str, Any]
    result: planning.PlanResult
    teams_after: pd.DataFrame


def suggestion_key() -> str:
    """Return the session key of this tab's latest suggestion for the chosen province."""
    return f"suggestion.{province_code()}"


def suggestion() -> Suggestion | None:
    """Return the latest suggestion of this tab for the chosen province, if any."""
    value = st.session_state.get(suggestion_key())
    return value if isinstance(value, Suggestion) else None
