"""What every page shares: cached calls into ``coverage``, session state and the sidebar.

Pages never compute. They read widgets, call one function here (which makes one
cached call into ``coverage``) and render the result. Caches are keyed on inputs
only (data folder, province, a hash of the roster, parameters), never on what is
selected, so a click on the map changes the selection and nothing is recomputed.

Session state (per browser tab; nothing module-level is mutable):

``lang``, ``province``
    Sidebar widgets.
``auth``
    The signed-in account (:mod:`app_pages.access`).
``sel_commune``
    The selected commune code (shared by the map and the detail page).
``session_id``
    A random id written with every save, so the history tells tabs apart.
``plan.<province>``
    The latest suggestion (:class:`Suggestion`) computed in this tab.
``roster_nonce.<province>``
    Bumped to give the roster editor a fresh key after a save or a reload.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages import access
from coverage.analysis import analyze as coverage_analysis
from coverage.analysis import commune_facts as facts
from coverage import planning
from coverage.inputs import datasets
from coverage.outputs import maps
from coverage.outputs import bundle as coverage_bundle
from coverage.outputs import reports as coverage_reports
from coverage import settings as cfg
from coverage.errors import MAX_PROBLEMS_PER_KIND, InputError, Problem, cap_problems
from coverage.text.i18n import Lang, format_number, format_percent, t
from coverage.storage.store import ConflictError, StorageError, Store, open_store
from coverage.text.plan import format_points
from coverage.text.screens import language_name, streamlit_defaults
from coverage.text.sources import source_label
from coverage.text.textnorm import fold, picker_label
from coverage.inputs.validation import TEAM_COLUMNS, validate_teams

MAX_UPLOAD_MB = 50
"""Largest upload accepted, as in ``.streamlit/config.toml`` and ``coverage.inputs.readers``."""

EDIT_COLUMNS: tuple[str, ...] = tuple(c.name for c in TEAM_COLUMNS)
"""Roster columns shown in the editor, in schema order."""


# ---------------------------------------------------------------- language and state


def lang() -> Lang:
    """The language chosen in the sidebar (Vietnamese until the switch is used)."""
    value = st.session_state.get("lang", "vi")
    return "en" if value == "en" else "vi"


def tr(key: str, /, **params: object) -> str:
    """Translate ``key`` into the chosen language."""
    return t(key, lang(), **params)


def labeller(prefix: str) -> Callable[[object], str]:
    """A ``format_func`` that translates ``prefix + value`` in the language of this run.

    The language is bound now: Streamlit (and its test harness) may call the function
    outside the script run, where session state is not this session's.
    """
    language = lang()
    return lambda value: t(f"{prefix}{value}", language)


def settings() -> cfg.Settings:
    """Data locations read from the environment (``COVERAGE_DATA_DIR``)."""
    return cfg.load_settings()


def _dirs() -> tuple[str, str]:
    s = settings()
    return str(s.data_dir), str(s.shared_data_dir)


def _settings_from(data_dir: str, shared_dir: str) -> cfg.Settings:
    return cfg.Settings(data_dir=Path(data_dir), shared_data_dir=Path(shared_dir))


def session_id() -> str:
    """A random id for this browser tab, written with every save."""
    if "session_id" not in st.session_state:
        st.session_state["session_id"] = uuid.uuid4().hex[:12]
    return str(st.session_state["session_id"])


def author() -> str:
    """The signed-in account's user name (the local planner's on localhost), recorded with every change.

    The store bound to the account (:func:`store`) records the same name whatever is passed.
    """
    return access.acting_account().username


def province_code() -> str:
    """The chosen province's code (Gia Lai by default)."""
    return str(st.session_state.get("province") or cfg.DEFAULT_PROVINCE_CODE)


def selected_commune() -> str | None:
    """The selected commune code, or ``None``."""
    value = st.session_state.get("sel_commune")
    return str(value) if value else None


def select_commune(code: str | None) -> None:
    """Change the selection only (never triggers a recomputation)."""
    st.session_state["sel_commune"] = code


# ---------------------------------------------------------------- cached calls


@st.cache_data(show_spinner=False)
def _province_list(data_dir: str, shared_dir: str) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in datasets.list_provinces(_settings_from(data_dir, shared_dir))]


def provinces() -> list[tuple[str, str]]:
    """The 34 provinces as (code, name)."""
    return _province_list(*_dirs())


@st.cache_resource(show_spinner=False, max_entries=8)
def _inputs(data_dir: str, shared_dir: str, code: str) -> planning.Inputs:
    return planning.load_inputs(_settings_from(data_dir, shared_dir), province=code)


def indicators_revision() -> int:
    """The chosen province's stored indicator revision (0: none); part of every analysis key."""
    return store().latest_indicator_revision(province_code())


@st.cache_resource(show_spinner=False, max_entries=8)
def _inputs_indicators(data_dir: str, shared_dir: str, code: str, indicators_rev: int) -> planning.Inputs:
    saved = _store(data_dir).load_indicators(code, revision=indicators_rev) if indicators_rev else None
    return planning.with_saved_indicators(_inputs(data_dir, shared_dir, code), saved)


def inputs() -> planning.Inputs:
    """Validated inputs of the chosen province, with its uploaded indicators (cached; read-only)."""
    return _inputs_indicators(*_dirs(), province_code(), indicators_revision())


@st.cache_resource(show_spinner=False)
def _store(data_dir: str) -> Store:
    return open_store(_settings_from(data_dir, data_dir))


def store() -> Store:
    """The SQLite store in the data folder, bound to this tab's account.

    Every write checks the account's permission and records its user name
    (:meth:`coverage.storage.store.Store.for_account`); the store holds only a path.
    """
    return _store(_dirs()[0]).for_account(access.acting_account())


@st.cache_resource(show_spinner=False, max_entries=8)
def _display_geometry(data_dir: str, shared_dir: str, code: str) -> gpd.GeoSeries:
    communes = _inputs(data_dir, shared_dir, code).communes
    simplified = maps.simplify_for_display(communes[["code", "geometry"]])
    return gpd.GeoSeries(simplified.geometry.to_numpy(), index=simplified["code"].astype(str), crs=4326)


def roster_hash(teams: pd.DataFrame) -> str:
    """A stable hash of a roster's content (the analysis cache key)."""
    text = teams.reindex(columns=[*EDIT_COLUMNS]).astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def frame_hash(frame: pd.DataFrame) -> str:
    """A stable hash of any table's content (for cache keys)."""
    text = frame.drop(columns="geometry", errors="ignore").astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _analysis(
    data_dir: str, shared_dir: str, code: str, teams_hash: str, params_key: str, _teams: pd.DataFrame,
    indicators_rev: int = 0, interpreter_rate: float | None = None,
) -> coverage_analysis.AnalysisResult:
    """One analysis per input revision for the whole server, a copy-on-write view per call."""
    base = _inputs_indicators(data_dir, shared_dir, code, indicators_rev)
    params = coverage_analysis.AnalysisParams()
    if interpreter_rate is not None:
        params = planning.with_interpreter_rate(params, interpreter_rate)
    return planning.analyze_shared(
        dataclasses.replace(base, teams=_teams), settings=_settings_from(data_dir, shared_dir),
        key=(data_dir, shared_dir, code, teams_hash, params_key, indicators_rev), params=params,
    )


def analyze(teams: pd.DataFrame, *, interpreter_rate: float | None = None) -> coverage_analysis.AnalysisResult:
    """Analyse the chosen province with ``teams`` (cached on province, roster hash, params).

    ``interpreter_rate`` (0-1) replaces the default rate of help without a speaker of the
    residents' language (the Suggestions page's setting).
    """
    params_key = repr(coverage_analysis.AnalysisParams())
    if interpreter_rate is None or interpreter_rate == planning.INTERPRETER_RATE:
        return _analysis(*_dirs(), province_code(), roster_hash(teams), params_key, teams, indicators_revision())
    return _analysis(*_dirs(), province_code(), roster_hash(teams), params_key, teams, indicators_revision(),
                     float(interpreter_rate))


def display_communes(result: coverage_analysis.AnalysisResult) -> gpd.GeoDataFrame:
    """Analysed communes with simplified geometry for drawing (analysis keeps full detail)."""
    geometry = _display_geometry(*_dirs(), province_code())
    frame = result.communes.drop(columns="geometry")
    shapes = geometry.reindex(frame["code"].astype(str)).to_numpy()
    return gpd.GeoDataFrame(frame, geometry=shapes, crs=4326)


# ---------------------------------------------------------------- the current plan


@dataclass(frozen=True)
class Plan:
    """The working roster ("current plan") of a province.

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
    """

    teams: pd.DataFrame
    revision: int
    is_sample: bool
    source: str
    saved_at: str = ""
    saved_by: str = ""
    source_kind: str = "file"

    def source_label(self) -> str:
        """Where the roster comes from, in the user's language."""
        return source_label(self.source_kind, self.source, lang=lang())


def current_plan() -> Plan:
    """The province's latest saved roster, or the original one if none was saved."""
    base = inputs()
    saved = store().load_roster(province_code())
    if saved is None:
        return Plan(base.teams, 0, base.teams_is_sample, base.teams_source,
                    source_kind=base.teams_source_kind)
    note = saved.info.note
    from_file = note.startswith("file:")
    return Plan(
        saved.teams,
        saved.revision,
        is_sample=note.startswith("sample") or (base.teams_is_sample and not note.startswith("file:")),
        source=note.removeprefix("file:") if from_file else base.teams_source,
        saved_at=saved.info.saved_at,
        saved_by=saved.info.author,
        source_kind="file" if from_file else base.teams_source_kind,
    )


def validate_roster(table: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check an edited roster with the same rules as a file import."""
    return validate_teams(table, inputs().communes, file=file)


def roster_as_text(teams: pd.DataFrame) -> pd.DataFrame:
    """The roster as the text cells a file would hold (what the editor shows)."""
    out = pd.DataFrame(index=range(len(teams)))
    for col in EDIT_COLUMNS:
        values = teams[col].tolist() if col in teams.columns else [None] * len(teams)
        out[col] = [_cell_text(v) for v in values]
    return out


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def save_plan(teams: pd.DataFrame, *, base_revision: int, note: str = "",
              kind: Literal["edit", "import"] = "edit") -> int:
    """Save a validated roster as the next revision; return its number.

    ``kind="import"`` marks a whole file loaded at once (one history entry). The first
    revision's audit is measured against the original file, so it lists what changed.

    Raises
    ------
    ConflictError
        If someone saved after ``base_revision`` (nothing is written).
    """
    plan_note = note or ("sample-edit" if inputs().teams_is_sample else "edit")
    info = store().save_roster(
        province_code(), teams, base_revision=base_revision, author=author(),
        session_id=session_id(), note=plan_note, kind=kind,
        previous=inputs().teams if base_revision == 0 else None,
    )
    return info.revision


def bump_editor() -> None:
    """Give the roster editor a fresh key (after a save or a reload)."""
    key = f"roster_nonce.{province_code()}"
    st.session_state[key] = int(st.session_state.get(key, 0)) + 1


def editor_key() -> str:
    """Key of the roster editor: changes after each save so edits are never applied twice."""
    return f"roster_editor.{province_code()}.{st.session_state.get(f'roster_nonce.{province_code()}', 0)}"


# ---------------------------------------------------------------- headline


def headline(result: coverage_analysis.AnalysisResult, teams: pd.DataFrame) -> coverage_reports.Headline:
    """Headline figures of an analysis (one call into coverage.outputs.reports)."""
    return coverage_reports.headline_from(result.communes, teams)


def show_headline(head: coverage_reports.Headline, *, before: coverage_reports.Headline | None = None) -> None:
    """Render the headline figures as metrics, with the change from ``before`` if given."""
    language = lang()

    def delta(now: float | None, old: float | None, *, percent: bool = False) -> str | None:
        if before is None or now is None or old is None:
            return None
        change = (now - old) * (100 if percent else 1)
        if abs(change) < (0.05 if percent else 0.5):
            return None
        if percent:   # a change of a share is written in percentage points
            return format_points(now - old, language)
        sign = "+" if change > 0 else "-"
        return f"{sign}{format_number(abs(change), language)}"

    b = before
    cols = st.columns(6)
    cols[0].metric(tr("ui.metric.communes"), format_number(head.communes, language))
    cols[1].metric(tr("ui.metric.population"), format_number(head.population, language))
    cols[2].metric(tr("ui.metric.teams"), format_number(head.teams, language),
                   delta=delta(head.teams, b.teams if b else None))
    cols[3].metric(tr("ui.metric.volunteers"), format_number(head.volunteers, language),
                   delta=delta(head.volunteers, b.volunteers if b else None))
    cols[4].metric(tr("ui.metric.underserved"), format_number(head.underserved, language),
                   delta=delta(head.underserved, b.underserved if b else None), delta_color="inverse")
    cols[5].metric(tr("ui.metric.need_met"), format_percent(head.need_met_share, language),
                   delta=delta(head.need_met_share, b.need_met_share if b else None, percent=True))


def local_time(iso_utc: str) -> str:
    """A stored UTC time as Vietnam time, ``16:54 23/11/2026`` ('' when unknown)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return ""
    return moment.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%H:%M %d/%m/%Y")


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A suggestion computed in this tab, with what it was computed from."""

    roster_hash: str
    params: dict[str, Any]
    plan: Any
    teams_after: pd.DataFrame


def suggestion() -> Suggestion | None:
    """The latest suggestion of this tab for the chosen province, if any."""
    value = st.session_state.get(f"plan.{province_code()}")
    return value if isinstance(value, Suggestion) else None


# ---------------------------------------------------------------- tables and messages


def problems_frame(problems: list[Problem] | tuple[Problem, ...]) -> pd.DataFrame:
    """Problems as a table in the chosen language (``Problem.as_row``)."""
    return pd.DataFrame([p.as_row(lang()) for p in problems])


def show_problems(problems: list[Problem] | tuple[Problem, ...], *, key: str) -> None:
    """Show problems as a table (user values stay text: dataframes never render HTML).

    At most ``MAX_PROBLEMS_PER_KIND`` of each kind are listed; the rest are counted.
    """
    shown, hidden = cap_problems(problems)
    st.dataframe(problems_frame(shown), hide_index=True, width="stretch", key=key)
    if hidden:
        lines = [tr("problems.more_total", shown=format_number(len(shown), lang()),
                    total=format_number(len(problems), lang()), per_kind=MAX_PROBLEMS_PER_KIND)]
        lines += [tr("problems.more", count=format_number(n, lang()), problem=tr(code))
                  for code, n in hidden.items()]
        st.caption("  \n".join(esc(line) for line in lines))


def show_input_error(error: InputError, *, key: str) -> None:
    """Say that the input could not be used, then list every problem.

    File-level problems (no row: a missing file, a missing column) are repeated in the
    message as code spans, so their text is shown literally (no Markdown, no HTML).
    """
    language = lang()
    details = [p.message(language).replace("`", "'") for p in error.errors if p.row is None][:3]
    st.error("\n\n".join([tr("ui.input_error"), *(f"`{d}`" for d in details)]))
    show_problems(error.problems, key=key)


def show_storage_error(error: StorageError) -> None:
    """Show a storage problem and what to do; names in it are text (:func:`plain`)."""
    st.error(f"{tr('ui.storage_error')}: {plain(error.message(lang()))}")


def esc(text: object) -> str:
    """HTML-escape user text before it goes into Markdown."""
    return html.escape("" if text is None else str(text), quote=True)


def data_notices(plan: Plan) -> None:
    """The SAMPLE and ILLUSTRATIVE ESTIMATE labels, wherever data are shown."""
    base = inputs()
    if plan.is_sample:
        if plan.revision:
            st.warning(tr("ui.notice.edited_sample", revision=plan.revision), icon="⚠️")
        else:
            st.warning(tr("ui.notice.sample", source=plain(plan.source_label())), icon="⚠️")
    if base.indicators_is_estimate:
        st.info(tr("ui.notice.estimate", source=plain(base.indicators_source_label(lang()))), icon="ℹ️")
    elif base.indicators_revision:
        st.info(indicators_notice(base), icon="ℹ️")


def indicators_notice(base: planning.Inputs) -> str:
    """Which uploaded file the indicators come from, when and by whom (Markdown-safe)."""
    text = tr("ui.notice.indicators_file", source=plain(base.indicators_source_label(lang())),
              author=plain(base.indicators_saved_by or tr("ui.notice.someone")),
              saved_at=local_time(base.indicators_saved_at))
    if base.indicators_missing:
        text += " " + tr("ui.notice.indicators_missing", count=len(base.indicators_missing))
    return text


def flag_text(row: Mapping[str, Any]) -> str:
    """The commune's flags in words ("Xã biên giới · Thiếu hỗ trợ")."""
    names = [tr(f"map.flag.{f}") for f in maps.FLAGS if bool(row.get(f))]
    if bool(row.get("is_language_gap")):
        names.append(tr("language.flag"))
    return " · ".join(names) if names else tr("ui.commune.no_flags")


def commune_names() -> dict[str, str]:
    """Commune code -> full name of the chosen province."""
    communes = inputs().communes
    column = "full_name" if "full_name" in communes.columns else "name"
    return dict(zip(communes["code"].astype(str), communes[column].astype(str), strict=True))


def search_communes(query: str) -> list[str]:
    """Codes of communes whose name contains ``query``, with or without diacritics."""
    key = fold(query)
    if not key:
        return []
    return [code for code, name in commune_names().items() if key in fold(name)]


def teams_reaching(result: coverage_analysis.AnalysisResult, code: str) -> pd.DataFrame:
    """Teams whose reach covers part of the commune ``code``."""
    return _teams_reaching(result, code)


def _teams_reaching(result: coverage_analysis.AnalysisResult, code: str) -> pd.DataFrame:
    points = np.flatnonzero(result.demand["commune_code"].astype(str).to_numpy() == str(code))
    if len(points) == 0 or len(result.teams) == 0:
        return result.teams.iloc[0:0]
    covers = result.reach.covers[:, points]
    reaching = np.flatnonzero(np.asarray(covers.sum(axis=1)).ravel() > 0)
    return result.teams.iloc[reaching]


def team_table(teams: pd.DataFrame) -> pd.DataFrame:
    """Teams as a readable table (names stay text)."""
    names = commune_names()
    return pd.DataFrame({
        tr("ui.field.team_id"): teams["team_id"].astype(str).to_numpy(),
        tr("ui.field.team_name"): teams["team_name"].astype(str).to_numpy(),
        tr("ui.field.team_commune"): [names.get(str(c), str(c)) for c in teams["commune_code"]],
        tr("ui.field.mode"): [tr(f"ui.mode.{m}") if m in ("fixed", "mobile") else str(m) for m in teams["mode"]],
        tr("ui.field.members"): teams["members"].to_numpy(),
        tr("ui.field.hours"): teams["weekly_hours"].to_numpy(),
    })


def priority_communes(result: coverage_analysis.AnalysisResult) -> pd.DataFrame:
    """Under-served communes that are on the border or remote, lowest coverage first."""
    return coverage_reports.priority_communes(result.communes)


def priority_first(communes: pd.DataFrame) -> pd.DataFrame:
    """The under-served border communes, then the under-served remote ones, lowest coverage first in each.

    ``communes`` is what the map's filters keep, so the table follows them.
    """
    border = communes["is_border"].fillna(False).astype(bool)
    remote = communes["is_remote"].fillna(False).astype(bool)
    under = communes["is_underserved"].fillna(False).astype(bool)
    frame = pd.DataFrame(communes[under & (border | remote)].drop(columns="geometry", errors="ignore"))
    frame["_group"] = np.where(frame["is_border"].fillna(False).astype(bool), 0, 1)
    frame = frame.sort_values(["_group", "coverage_ratio", "need"], ascending=[True, True, False], kind="stable")
    return frame.drop(columns="_group")


def priority_table(communes: pd.DataFrame) -> pd.DataFrame:
    """:func:`priority_first` as a readable table: group, name, coverage, the reasons in full."""
    language = lang()
    groups = [tr("screens.map.group.border") if bool(b) else tr("screens.map.group.remote")
              for b in communes["is_border"].fillna(False)]
    return pd.DataFrame({
        tr("screens.map.group"): groups,
        tr("ui.field.name"): communes["name"].astype(str).to_numpy(),
        tr("ui.field.coverage"): [coverage_text(v) for v in communes["coverage_ratio"]],
        tr("ui.field.population"): [format_number(v, language) for v in communes["population"]],
        tr("ui.field.teams_in_reach"): [format_number(v, language) for v in communes["teams_in_reach"]],
        tr("ui.field.reasons"): communes[f"reasons_{language}"].astype(str).to_numpy(),
    })


def coverage_text(value: object, *, decimals: int = 1) -> str:
    """Coverage (capacity / need) as a percentage; above 100% reads "> 100%".

    One decimal by default, so a commune just under the 50% threshold never reads "50%".
    """
    number = float(value) if isinstance(value, (int, float, np.number)) else float("nan")
    if number > 1.0:
        return "> " + format_percent(1.0, lang(), decimals=0)
    return format_percent(number, lang(), decimals=decimals)


def commune_list_config() -> dict[str, Any]:
    """Column widths for :func:`commune_list`: the reasons get the room."""
    return {tr("ui.field.reasons"): st.column_config.TextColumn(width="large"),
            tr("ui.field.name"): st.column_config.TextColumn(width="medium")}


def commune_list(communes: pd.DataFrame) -> pd.DataFrame:
    """Communes as a readable table with numbers in the chosen language."""
    language = lang()
    yes, no = tr("ui.yes"), tr("ui.no")
    return pd.DataFrame({
        tr("ui.field.code"): communes["code"].astype(str).to_numpy(),
        tr("ui.field.name"): communes["name"].astype(str).to_numpy(),
        tr("ui.field.reasons"): communes[f"reasons_{language}"].astype(str).to_numpy(),
        tr("ui.field.population"): [format_number(v, language) for v in communes["population"]],
        tr("ui.field.coverage"): [coverage_text(v) for v in communes["coverage_ratio"]],
        tr("ui.field.teams_in_reach"): communes["teams_in_reach"].to_numpy(),
        tr("ui.field.out_of_reach"): [format_number(v, language)
                                      for v in communes.get("residents_out_of_reach",
                                                            pd.Series(0, index=communes.index))],
        tr("ui.field.border"): [yes if v else no for v in communes["is_border"]],
        tr("ui.field.remote"): [yes if v else no for v in communes["is_remote"]],
        tr("ui.field.underserved"): [yes if v else no for v in communes["is_underserved"]],
        **language_columns(communes),
    })


def language_columns(communes: pd.DataFrame) -> dict[str, list[str]]:
    """The language-gap flag and the main minority languages (labelled ESTIMATE where they are)."""
    if "is_language_gap" not in communes.columns:
        return {}
    language = lang()
    yes, no = tr("ui.yes"), tr("ui.no")
    estimated = communes.get("languages_estimated", pd.Series(False, index=communes.index))
    return {
        tr("language.flag"): [yes if v else no for v in communes["is_language_gap"]],
        tr("language.field.languages"): [
            planning.display_languages(str(v or ""), estimated=bool(e), lang=language)
            for v, e in zip(communes["minority_languages"], estimated, strict=True)],
    }


# ---------------------------------------------------------------- the map component


@dataclass(frozen=True)
class MapArgs:
    """What ``st_folium`` sends to the browser, prepared once per map content.

    ``streamlit_folium.st_folium`` renders the whole folium map on every rerun (about
    2.5 s for Gia Lai's 135 polygons); the arguments it sends depend only on the map,
    so they are prepared once here, cached, and passed to the same component.
    """

    script: str
    header: str
    html: str
    map_id: str
    key_hash: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    zoom: Any


def _prepare_map(fmap: folium.Map, key: str) -> MapArgs:
    """Replicate ``st_folium``'s preparation (streamlit-folium 0.27) for a plain map."""
    import streamlit_folium as sf

    fmap.render()  # type: ignore[no-untyped-call]  # only the map's own parts are sent
    html_text = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    map_id = sf.get_full_id(fmap)
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> Any:
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return MapArgs(
        script=script,
        header=header,
        html=html_text,
        map_id=map_id,
        key_hash=sf.generate_js_hash(script, key, False),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        zoom=fmap.options.get("zoom"),
    )


@st.cache_data(show_spinner=False, max_entries=48)
def _map_args(cache_key: str, key: str, _build: Callable[[], folium.Map]) -> MapArgs:
    return _prepare_map(_build(), key)


def _map_key(cache_key: tuple[Any, ...]) -> str:
    """A map cache key as text, with the indicator revision (colours follow the indicators)."""
    return json.dumps([str(part) for part in (*cache_key, indicators_revision())])


def map_args(cache_key: tuple[Any, ...], key: str, build: Callable[[], folium.Map]) -> MapArgs:
    """Prepared map arguments, cached on ``cache_key`` (inputs only, never the selection)."""
    return _map_args(_map_key(cache_key), key, build)


STREAMLIT_FOLIUM_MAP = "map_div"
"""The name streamlit-folium gives the map in the browser (what a style script addresses)."""


@st.cache_data(show_spinner=False, max_entries=64)
def _map_style(cache_key: str, _build: Callable[[], maps.CommuneStyle]) -> str:
    return maps.style_script(_build(), map_name=STREAMLIT_FOLIUM_MAP)


def map_style(cache_key: tuple[Any, ...], build: Callable[[], maps.CommuneStyle]) -> str:
    """The script that shades a base map (colouring, filter, reach), cached on ``cache_key``.

    Shown with :func:`show_map` (``style=``) over a map from
    :func:`coverage.outputs.maps.build_base_map`: a new colouring or filter sends only this.
    """
    return _map_style(_map_key(cache_key), build)


def _selection_script(communes: gpd.GeoDataFrame, code: str | None) -> str | None:
    if code is None:
        return None
    return _selection_cached(province_code(), code, lang(), communes[communes["code"].astype(str) == code])


@st.cache_data(show_spinner=False, max_entries=64)
def _selection_cached(province: str, code: str, language: str, _chosen: gpd.GeoDataFrame) -> str | None:
    import streamlit_folium as sf

    layer = maps.selection_layer(_chosen, code, lang="en" if language == "en" else "vi",
                                 simplify_tolerance_m=None)
    if layer is None:
        return None
    holder = folium.Map(tiles=None)
    return str(sf._get_feature_group_string(layer, map=holder))


def clicked_commune(communes: gpd.GeoDataFrame, value: Mapping[str, Any]) -> str | None:
    """The commune a map click chose: the one whose tooltip was clicked, else the one under the point.

    The tooltip names the shape the planner saw under the pointer; near a boundary the
    click point can fall a pixel inside the neighbour (outlines are drawn a few pixels
    wide), so the tooltip wins when it names exactly one commune.
    """
    tooltip = " ".join(str(value.get("last_object_clicked_tooltip") or "").split())
    if tooltip:
        names = communes["full_name"].astype(str) if "full_name" in communes.columns else communes["name"].astype(str)
        matches = [(len(n), str(c)) for c, n in zip(communes["code"], names, strict=True)
                   if tooltip.startswith(" ".join(n.split()))]
        if matches:
            longest = max(length for length, _ in matches)
            best = [code for length, code in matches if length == longest]
            if len(best) == 1:
                return best[0]
    clicked = value.get("last_object_clicked")
    if isinstance(clicked, dict) and "lat" in clicked and "lng" in clicked:
        return maps.commune_at(communes, lon=float(clicked["lng"]), lat=float(clicked["lat"]))
    return None


def show_map(
    args: MapArgs,
    *,
    key: str,
    communes: gpd.GeoDataFrame,
    height: int = 600,
    on_click: Callable[[str], None] | None = None,
    style: str | None = None,
) -> None:
    """Show a prepared map; a click selects the commune under it (no recomputation).

    ``style`` (from :func:`map_style`) shades a base map. It travels with the selected
    commune's outline as streamlit-folium's feature group: when only they change, the
    map in the browser stays and is restyled, not rebuilt.
    """
    import streamlit_folium as sf

    def changed() -> None:
        value = st.session_state.get(args.key_hash) or {}
        if not isinstance(value, dict):
            return
        code = clicked_commune(communes, value)
        if code is not None:
            select_commune(code)
            if on_click is not None:
                on_click(code)

    # The click count makes every click a change, so clicking the same commune again
    # (after clearing the selection or choosing another one elsewhere) still selects it.
    returned = ["last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip"]
    # What the map reports before any click, in the order it reports it: the same value
    # means no change, so opening the map does not trigger a second run of the page.
    defaults: dict[str, Any] = {"last_object_clicked": None, "last_object_clicked_count": 0,
                                "last_object_clicked_tooltip": None}
    extra = "".join(part for part in (_selection_script(communes, selected_commune()), style) if part)
    sf._component_func(
        script=args.script,
        header=args.header,
        html=args.html,
        id=args.map_id,
        key=args.key_hash,
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=None,
        center=None,
        feature_group=extra or None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(args.css_links),
        js_links=list(args.js_links),
        on_change=changed,
        wrap_longitude=False,
    )


# ---------------------------------------------------------------- sidebar


def relabel_widgets() -> None:
    """After a language switch, have every picker show its value in the new language.

    A keyed picker keeps its identity when its labels change, and the browser keeps
    showing the label it had ("Nhu cầu hỗ trợ" after switching to English). Giving
    each widget its own value again makes Streamlit send it with the new labels.
    Only text and list values are given again (buttons, uploads and the roster editor
    are skipped: their values cannot be set).
    """
    from streamlit.errors import StreamlitAPIException

    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        # Picker values are option codes (text) or lists of them; booleans (buttons,
        # checkboxes) and numbers have no labels, and a button's value cannot be set.
        if key == "lang" or not isinstance(value, (str, list, tuple)):
            continue
        try:
            st.session_state[key] = value
        except StreamlitAPIException:
            continue


def sidebar() -> None:
    """Language switch, province selector and who is signed in (changes carry that name)."""
    with st.sidebar:
        st.radio(
            t("ui.sidebar.language", "vi"),
            options=["vi", "en"],
            format_func=lambda code: t(f"ui.lang.{code}", "vi"),
            key="lang",
            horizontal=True,
            on_change=relabel_widgets,
        )
        choices = provinces()
        names = dict(choices)
        pending = st.session_state.pop("province_pending", None)  # chosen on the national page
        if pending in names:
            st.session_state["province"] = pending
        if st.session_state.get("province") not in names:
            st.session_state["province"] = cfg.DEFAULT_PROVINCE_CODE
        st.selectbox(
            tr("ui.sidebar.province"),
            options=list(names),
            format_func=lambda code: picker_label(names.get(str(code), str(code))),
            key="province",
            placeholder=tr("screens.placeholder.province"),
            on_change=lambda: select_commune(None),
        )
        access.sidebar_account(access.acting_account())
        translate_streamlit_defaults()


_DEFAULTS_SCRIPT = """<script>
(function (pairs) {
  var state = window.glStreamlitDefaults || (window.glStreamlitDefaults = {});
  state.exact = {};
  state.patterns = [];
  pairs.forEach(function (pair) {
    if (pair[0].charAt(0) === '^') { state.patterns.push([new RegExp(pair[0]), pair[1]]); }
    else { state.exact[pair[0]] = pair[1]; }
  });
  function replacement(text) {
    var key = text.trim();
    if (!key) { return null; }
    if (Object.prototype.hasOwnProperty.call(state.exact, key)) { return text.replace(key, state.exact[key]); }
    for (var i = 0; i < state.patterns.length; i++) {
      if (state.patterns[i][0].test(key)) { return text.replace(key, key.replace(state.patterns[i][0], state.patterns[i][1])); }
    }
    return null;
  }
  function fix(node) {
    var out = node.nodeValue ? replacement(node.nodeValue) : null;
    if (out !== null && out !== node.nodeValue) { node.nodeValue = out; }
  }
  function walk(root) {
    if (root.nodeType === 3) { fix(root); return; }
    if (root.nodeType !== 1) { return; }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) { fix(node); }
    root.querySelectorAll('[placeholder]').forEach(function (el) {
      var out = replacement(el.getAttribute('placeholder') || '');
      if (out !== null) { el.setAttribute('placeholder', out); }
    });
  }
  if (!state.observer) {
    state.observer = new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === 'characterData') { fix(record.target); } else { record.addedNodes.forEach(walk); }
      });
    });
    state.observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  }
  walk(document.body);
})(%s);
</script>"""


def translate_streamlit_defaults() -> None:
    """Put Streamlit's own English (no option changes it) into the chosen language, in the page.

    Streamlit writes some texts in its browser code with no argument to change them:
    the file uploader's "Drag and drop file here", "Upload" and "Limit 50MB per file",
    a picker's "No results" and "Select all", a text box's "Press Enter to apply". The
    workaround is one small script (``st.html(..., unsafe_allow_javascript=True)``,
    drawn once per run at the foot of the sidebar) that replaces exactly those texts
    (:data:`coverage.text.screens.STREAMLIT_DEFAULTS`, nothing else) wherever they
    appear, now and when Streamlit draws them later (a ``MutationObserver``). In
    English it replaces nothing. Where Streamlit has an option (``placeholder=``,
    ``enter_to_submit=False``, ``select_all=False``) the pages use it instead.
    """
    pairs = [(english, re.sub(r"\\(\d)", r"$\1", local)) for english, local in streamlit_defaults(lang())]
    st.html(_DEFAULTS_SCRIPT % json.dumps(pairs, ensure_ascii=False).replace("</", "<\\/"),
            unsafe_allow_javascript=True)


MARKDOWN_PUNCTUATION = re.compile(r"([!-%'-/:;=?@\[-`{-~])")
"""ASCII punctuation escaped with a backslash (CommonMark shows an escaped mark as itself);
``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;`` and ``&gt;`` instead."""

AUTOLINK_STARTS = re.compile(r"(?i)(www(?=\.)|:(?=//)|\b(?:mailto|xmpp):|(?=@))")
"""Where GFM would start a link from bare text (``www.``, ``http://``, ``mailto:``,
``a@b.example``): Streamlit finds these after the escapes, so a word joiner goes there."""

WORD_JOINER = "\u2060"
"""An invisible character that keeps a bare address from becoming a link."""


def plain(text: object) -> str:
    """User text made literal for every Streamlit element that renders Markdown.

    The one escaping rule of the app, for ``st.markdown``, ``st.caption``, ``st.error`` and
    the other alerts, ``st.subheader``/``st.title`` and labels: whitespace runs (newlines
    included) become one space, so no line can start a heading, list, quote or table;
    ``<``, ``>`` and ``&`` become ``&lt;``, ``&gt;`` and ``&amp;`` (no tag can open, a typed
    ``&amp;`` stays as typed; the apostrophe is never a numeric reference, which showed as
    ``&#x27;`` in "Cư M'gar"), and every other ASCII punctuation mark gets a backslash, so no link (``[x](url)``, bare
    ``http://``, ``www.`` or an e-mail address), emphasis, code, maths (``$``), HTML tag or
    entity, Streamlit colour or icon (``:red[...]``, ``:material/...:``) can form. Bare
    addresses also get an invisible word joiner (:data:`WORD_JOINER`) after ``www``, after
    the ``:`` of ``http://``, ``mailto:`` or ``xmpp:``, and before ``@``, because Streamlit
    links them even when escaped.
    The reader sees exactly the characters that were typed.
    """
    cleaned = re.sub(r"\s+", " ", "" if text is None else str(text)).strip()
    unlinked = AUTOLINK_STARTS.sub(lambda m: m.group(1) + WORD_JOINER, cleaned)
    marked = MARKDOWN_PUNCTUATION.sub(r"\\\1", unlinked)
    return marked.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reload_conflict(error: ConflictError) -> None:
    """Drop this tab's edit and show the newest saved roster."""
    del error
    bump_editor()



# ---------------------------------------------------------------- commune panel


def commune_numbers(row: Mapping[str, Any], about: facts.CommuneFacts | None = None) -> pd.DataFrame:
    """One commune's numbers as (item, value) text rows in the chosen language.

    With ``about`` (:func:`commune_facts`), the rows also give the ethnic-minority share,
    the teams based in the commune and the nearest team based outside it.
    """
    language = lang()

    def num(value: Any, decimals: int = 0) -> str:
        return format_number(None if value is None else float(value), language, decimals=decimals)

    kind = str(row.get("kind", ""))
    try:
        kind_text = tr(f"map.kind.{kind}")
    except KeyError:
        kind_text = kind
    items = [
        ("ui.field.code", str(row.get("code", ""))),
        ("ui.field.kind", kind_text),
        ("ui.field.population", num(row.get("population"))),
        ("ui.field.area", num(row.get("area_km2"), 1)),
        ("ui.field.density", num(row.get("density_per_km2"))),
        ("ui.field.need", num(row.get("need"))),
        ("ui.field.capacity", num(row.get("capacity"), 1)),
        ("ui.field.coverage", coverage_text(row.get("coverage_ratio"))),
        ("ui.field.teams_in_reach", num(row.get("teams_in_reach"))),
        ("ui.field.out_of_reach", num(row.get("residents_out_of_reach"))),
        ("ui.field.nearest_km", num(row.get("nearest_team_km"), 1)),
        ("ui.field.per_1000", num(row.get("volunteers_per_1000"), 2)),
        ("ui.field.connectivity", num(row.get("connectivity_index"))),
    ]
    if about is not None:
        names = commune_names()
        minority = (format_percent(about.minority_pct / 100.0, language)
                    if np.isfinite(about.minority_pct) else tr("screens.panel.unknown"))
        outside = (tr("screens.panel.nearest_outside_value", km=num(about.nearest_outside_km, 1),
                      team=about.nearest_outside_team,
                      commune=names.get(about.nearest_outside_commune, about.nearest_outside_commune))
                   if np.isfinite(about.nearest_outside_km) else tr("screens.panel.none"))
        # The mean distance to the nearest team counts a team based here too: say so.
        items = [(("screens.panel.nearest_any", value) if key == "ui.field.nearest_km" else (key, value))
                 for key, value in items]
        at = [k for k, _ in items].index("screens.panel.nearest_any")
        items[at:at] = [
            ("screens.panel.based_here", "; ".join(about.teams_based_here) or tr("screens.panel.none")),
            ("screens.panel.nearest_outside", outside),
        ]
        items.append(("screens.panel.minority", minority))
    if "minority_languages" in row:
        items.append(("language.field.languages", planning.display_languages(
            str(row.get("minority_languages") or ""), estimated=bool(row.get("languages_estimated")),
            lang=language)))
        if bool(row.get("is_language_gap")):
            items.append(("language.field.gap_residents", num(row.get("language_gap_residents"))))
    return pd.DataFrame({tr("ui.field.item"): [tr(k) for k, _ in items],
                         tr("ui.field.value"): [v for _, v in items]})


def commune_facts(result: coverage_analysis.AnalysisResult, code: str) -> facts.CommuneFacts:
    """Languages, capacity sharing and nearest outside team of a commune (a few ms; not cached)."""
    return facts.commune_facts(result, code, indicators=inputs().indicators)


def languages_text(codes: tuple[str, ...] | list[str]) -> str:
    """Language codes in words, in the chosen language ("Tiếng Việt, Tiếng Jrai (Gia Rai)")."""
    return ", ".join(language_name(code, lang()) for code in codes)


def sharing_sentence(about: facts.CommuneFacts, name: str) -> str:
    """How the capacity of the teams in reach is shared, in one sentence (plain text)."""
    language = lang()
    if not about.teams:
        return tr("screens.panel.sharing_none", name=name)
    return tr("screens.panel.sharing", teams=format_number(len(about.teams), language),
              volunteers=format_number(about.volunteers_in_reach, language), name=name,
              equivalent=format_number(about.volunteer_equivalent, language, decimals=1),
              capacity=format_number(about.capacity_per_week, language, decimals=1))


def team_share_table(about: facts.CommuneFacts) -> pd.DataFrame:
    """The teams in reach with their languages and the share of their capacity this commune gets."""
    names = commune_names()
    language = lang()
    return pd.DataFrame({
        tr("ui.field.team_name"): [s.team_name for s in about.teams],
        tr("ui.field.team_commune"): [names.get(s.commune_code, s.commune_code) for s in about.teams],
        tr("ui.field.members"): [s.members for s in about.teams],
        tr("screens.panel.languages_col"): [languages_text(s.languages) for s in about.teams],
        tr("screens.panel.share"): [format_percent(s.share, language) for s in about.teams],
        tr("screens.panel.reaches"): [s.communes_in_reach for s in about.teams],
    })


def show_commune_panel(
    result: coverage_analysis.AnalysisResult, code: str, *, key: str, compact: bool = False
) -> None:
    """A commune's numbers, flags, reasons, reaching teams (languages, shares) and pre-merger units."""
    rows = result.communes[result.communes["code"].astype(str) == str(code)]
    if rows.empty:
        st.info(tr("ui.commune.none"))
        return
    row = rows.iloc[0].to_dict()
    about = commune_facts(result, str(code))
    title = str(row.get("full_name") or row.get("name"))
    st.subheader(plain(title), anchor=False)
    st.markdown(f"**{tr('ui.commune.flags')}:** {plain(flag_text(row))}")
    st.markdown(f"**{tr('ui.commune.reasons')}**")
    reasons = [r for r in str(row.get(f"reasons_{lang()}") or "").split("; ") if r.strip()]
    if reasons:
        st.markdown("\n".join(f"- {plain(r)}" for r in reasons))
    else:
        st.caption(tr("ui.commune.no_reasons"))
    numbers = commune_numbers(row, about)
    st.dataframe(numbers, hide_index=True, width="stretch", key=f"{key}.numbers",
                 height=35 * (len(numbers) + 1) + 3)  # every row shown, no inner scrolling
    st.markdown(f"**{tr('ui.commune.teams_reaching')}**")
    st.markdown(plain(sharing_sentence(about, title)))
    if about.teams:
        st.markdown(f"**{tr('screens.panel.languages')}:** "
                    f"{plain(languages_text(about.languages) or tr('screens.panel.none'))}")
        st.dataframe(team_share_table(about), hide_index=True, width="stretch", key=f"{key}.teams")
    else:
        st.caption(tr("ui.commune.no_teams_reaching"))
    units = [u.strip() for u in str(row.get("merged_from") or "").split(",") if u.strip()]
    if compact and len(units) > 6:
        units = units[:6] + ["…"]
    st.markdown(f"**{tr('ui.commune.merged_from')}**")
    if units:
        st.markdown("\n".join(f"- {plain(u)}" for u in units))
    else:
        st.caption(tr("ui.commune.merged_none"))


# ---------------------------------------------------------------- roster editing


def base_revision() -> int:
    """The revision this tab's roster edit started from."""
    value = st.session_state.get(f"roster_base.{province_code()}")
    return int(value) if value is not None else -1


def set_base_revision(revision: int) -> None:
    """Start editing from ``revision`` (fresh editor)."""
    st.session_state[f"roster_base.{province_code()}"] = int(revision)
    bump_editor()


def roster_at(revision: int) -> pd.DataFrame:
    """The roster saved as ``revision`` (0: the original file)."""
    if revision <= 0:
        return inputs().teams
    saved = store().load_roster(province_code(), revision=revision)
    return inputs().teams if saved is None else saved.teams


def editor_table(teams: pd.DataFrame) -> pd.DataFrame:
    """The roster as editable text cells; coordinates blank where they are the commune's centre."""
    table = roster_as_text(teams)
    if "location_source" in teams.columns:
        centre = (teams["location_source"].astype(str) == "commune_point").to_numpy()
        table.loc[centre, ["latitude", "longitude"]] = ""
    return table


def editor_output_as_text(edited: pd.DataFrame) -> pd.DataFrame:
    """What the editor returned, as text cells like a file (empty cells as '')."""
    out = edited.reindex(columns=list(EDIT_COLUMNS)).reset_index(drop=True)
    text: pd.DataFrame = out.astype(object).where(out.notna(), "").astype(str).apply(lambda col: col.str.strip())
    return text


def has_pending_edits() -> bool:
    """Whether the roster editor holds changes not saved yet."""
    state = st.session_state.get(editor_key())
    if not isinstance(state, dict):
        return False
    return bool(state.get("edited_rows") or state.get("added_rows") or state.get("deleted_rows"))


def next_team_id(teams: pd.DataFrame) -> str:
    """A new team id following the roster's pattern (``GL-136``)."""
    ids = teams["team_id"].astype(str)
    prefix = province_code()
    best = 0
    for value in ids:
        match = re.fullmatch(r"(.*?)(\d+)", value)
        if match:
            prefix = match.group(1)
            best = max(best, int(match.group(2)))
    width = max((len(re.sub(r"\D", "", v)) for v in ids), default=3)
    candidate = f"{prefix}{best + 1:0{width}d}"
    while candidate in set(ids):
        best += 1
        candidate = f"{prefix}{best + 1:0{width}d}"
    return candidate


def conflict_key() -> str:
    return f"roster_conflict.{province_code()}"


def try_save(teams: pd.DataFrame, *, base: int, note: str = "",
             kind: Literal["edit", "import"] = "edit") -> int | None:
    """Save a validated roster; on a conflict keep it aside and return ``None``.

    Any other storage problem (no permission, file locked, read-only or full) is shown
    here and ``None`` returned; the editor keeps what was typed, so nothing is lost.
    """
    try:
        revision = save_plan(teams, base_revision=base, note=note, kind=kind)
    except ConflictError as error:
        st.session_state[conflict_key()] = (error, teams)
        return None
    except StorageError as error:
        show_storage_error(error)
        return None
    st.session_state.pop(conflict_key(), None)
    set_base_revision(revision)
    st.session_state[f"roster_flash.{province_code()}"] = revision
    return revision


# ---------------------------------------------------------------- suggestions and scenarios


@st.cache_data(show_spinner=False, max_entries=16)
def _suggest(
    data_dir: str, shared_dir: str, code: str, teams_hash: str, params_json: str, _teams: pd.DataFrame,
    indicators_rev: int = 0,
) -> Any:
    params = json.loads(params_json)
    rate = params.get("interpreter_rate")
    result = _analysis(data_dir, shared_dir, code, teams_hash, repr(coverage_analysis.AnalysisParams()), _teams,
                       indicators_rev, *(() if rate is None or rate == planning.INTERPRETER_RATE else (float(rate),)))
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
    plan = _suggest(*_dirs(), province_code(), roster_hash(teams), text, teams, indicators_revision())
    after = teams_with_sites(teams, plan, params)
    return Suggestion(roster_hash(teams), params, plan, after)


def teams_with_sites(teams: pd.DataFrame, plan: Any, params: Mapping[str, Any]) -> pd.DataFrame:
    """The roster with the suggested new teams added and moved teams moved (validated)."""
    table = editor_table(teams)
    for move in plan.moves.to_dict(orient="records"):
        if move.get("to_code"):
            where = table["team_id"] == str(move["team_id"])
            table.loc[where, ["commune_code", "latitude", "longitude"]] = [
                str(move["to_code"]), f"{float(move['lat']):.6f}", f"{float(move['lon']):.6f}"]
    hours = params.get("weekly_hours")
    if hours is None:
        hours = float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median()) if len(teams) else 4.0
    rows = []
    ids = teams
    for n, site in enumerate(plan.sites.to_dict(orient="records"), start=1):
        team_id = next_team_id(ids)
        ids = pd.concat([ids, pd.DataFrame({"team_id": [team_id]})], ignore_index=True)
        rows.append({
            "team_id": team_id,
            "team_name": t("ui.sugg.new_team_name", "vi", n=n, commune=site["commune_name"]),
            "commune_code": str(site["commune_code"]),
            "latitude": f"{float(site['lat']):.6f}", "longitude": f"{float(site['lon']):.6f}",
            "members": str(int(params["team_size"])), "mode": str(params["mode"]),
            "skills": "vneid;public_service_portal",
            "languages": ";".join(["vi", *getattr(plan, "new_team_languages", ())]),
            "weekly_hours": f"{float(hours):.1f}",
        })
    combined = pd.concat([table, pd.DataFrame(rows, columns=list(EDIT_COLUMNS))], ignore_index=True)
    validated, problems = validate_roster(combined, file="suggestion")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    return validated


def scenario_summary(result: coverage_analysis.AnalysisResult, teams: pd.DataFrame) -> dict[str, Any]:
    """Headline figures to save with a scenario (JSON-able)."""
    return dataclasses.asdict(headline(result, teams))


PER_COMMUNE_COLUMNS = (
    "code", "name", "population", "need", "capacity", "coverage_ratio", "teams_in_reach",
    "is_border", "is_remote", "is_underserved", "reasons_vi", "reasons_en",
)


def save_scenario(name: str, teams: pd.DataFrame, params: Mapping[str, Any], *, overwrite: bool = False) -> str:
    """Save a roster as a named scenario with its analysis; return the stored name.

    Raises
    ------
    StorageError
        Duplicate or invalid name (the page shows the message).
    """
    result = analyze(teams)
    plan = current_plan()
    info = store().save_scenario(
        name, province_code(), teams,
        {"analysis": dataclasses.asdict(coverage_analysis.AnalysisParams()), **params},
        scenario_summary(result, teams),
        result.communes[list(PER_COMMUNE_COLUMNS)].copy(),
        overwrite=overwrite,
        roster_revision=plan.revision or None,
        author=author(), session_id=session_id(),
    )
    return info.name


CURRENT = "__current__"
"""Option value standing for the current plan in comparisons."""


def plan_teams(option: str) -> pd.DataFrame:
    """The roster of the current plan or of a saved scenario."""
    if option == CURRENT:
        return current_plan().teams
    return store().load_scenario(option, province_code()).teams


def comparison(option_a: str, option_b: str) -> tuple[Any, pd.DataFrame, pd.DataFrame, Any]:
    """Compare two plans: reports' comparison, status changes, B's new teams, B's analysis."""
    teams_a, teams_b = plan_teams(option_a), plan_teams(option_b)
    result_a, result_b = analyze(teams_a), analyze(teams_b)
    label = tr("ui.scen.current") if option_b == CURRENT else option_b
    compared = coverage_reports.compare_scenario(
        result_a.communes, result_b.communes, name=label, teams_before=teams_a, teams_after=teams_b)
    before = result_a.communes.set_index(result_a.communes["code"].astype(str))
    after = result_b.communes.set_index(result_b.communes["code"].astype(str))
    changed = before.index[before["is_underserved"].astype(bool) != after.loc[before.index, "is_underserved"].astype(bool)]

    def status(flag: object) -> str:
        return tr("ui.status.underserved") if bool(flag) else tr("ui.status.served")

    changes = pd.DataFrame({
        tr("ui.field.name"): before.loc[changed, "name"].astype(str).to_numpy(),
        tr("ui.field.status_before"): [status(v) for v in before.loc[changed, "is_underserved"]],
        tr("ui.field.status_after"): [status(v) for v in after.loc[changed, "is_underserved"]],
        tr("ui.field.coverage") + " A": [coverage_text(v, decimals=1) for v in before.loc[changed, "coverage_ratio"]],
        tr("ui.field.coverage") + " B": [coverage_text(v, decimals=1) for v in after.loc[changed, "coverage_ratio"]],
        tr("ui.field.border"): [tr("ui.yes") if v else tr("ui.no") for v in before.loc[changed, "is_border"]],
    })
    new_ids = sorted(set(teams_b["team_id"].astype(str)) - set(teams_a["team_id"].astype(str)))
    added = teams_b[teams_b["team_id"].astype(str).isin(new_ids)]
    names = commune_names()
    sites = pd.DataFrame({
        "commune_code": added["commune_code"].astype(str).to_numpy(),
        "commune_name": [names.get(str(c), str(c)) for c in added["commune_code"]],
        "lon": added["longitude"].astype(float).to_numpy(),
        "lat": added["latitude"].astype(float).to_numpy(),
        "reason_vi": added["team_name"].astype(str).to_numpy(),
        "reason_en": added["team_name"].astype(str).to_numpy(),
    })
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
    return _check_upload(*_dirs(), province_code(), name, hashlib.sha256(data).hexdigest(), kind, data)


@st.cache_data(show_spinner=False, max_entries=8)
def _check_upload(
    data_dir: str, shared_dir: str, code: str, name: str, digest: str, kind: str, _data: bytes
) -> CheckedFile:
    communes = _inputs(data_dir, shared_dir, code).communes
    reader = planning.read_teams if kind == "roster" else planning.read_indicators
    try:
        table, warnings = reader(_data, communes, name=name)
    except InputError as error:
        return CheckedFile(name, kind, None, error.problems)
    return CheckedFile(name, kind, table, tuple(warnings))


def make_report(formats: tuple[str, ...], *, scenario: str | None, with_plan: bool,
                period: str | None = None) -> list[tuple[str, bytes]]:
    """Write the meeting outputs of the province on screen into a temporary folder and
    return (file name, bytes).

    With a ``scenario``, every map, figure and table is the scenario's roster (compared
    with the current plan: moves and new teams listed); the latest suggestion is included
    only when it was computed for the roster the report shows.
    """
    import tempfile

    plan = current_plan()
    teams = plan.teams if scenario in (None, CURRENT) else plan_teams(str(scenario))
    result = analyze(teams)
    base = dataclasses.replace(inputs(), teams=teams, teams_is_sample=plan.is_sample)
    found = suggestion() if with_plan else None
    if found is not None and found.roster_hash != roster_hash(teams):
        found = None
    compared = None
    if scenario not in (None, CURRENT):
        current = analyze(plan.teams)
        compared = coverage_reports.compare_scenario(
            current.communes, result.communes, name=str(scenario), teams_before=plan.teams, teams_after=teams)
    progress = None
    if period:  # the periodic evaluation's pages (coverage.outputs.progress_charts), current roster's reports
        from coverage.monitoring.loop import progress_section

        progress = progress_section(settings(), dataclasses.replace(inputs(), teams=plan.teams,
                                                                    teams_is_sample=plan.is_sample),
                                    period=period, analysis=analyze(plan.teams))
    bundle = coverage_reports.ReportBundle(
        inputs=base, analysis=result, plan=None if found is None else found.plan, comparison=compared,
        countries=_countries(*_dirs()), progress=progress,
    )
    with tempfile.TemporaryDirectory(prefix="coverage-report-") as folder:
        paths = coverage_bundle.write_report(bundle, Path(folder), formats=formats, lang=lang())  # type: ignore[arg-type]
        return [(p.name, p.read_bytes()) for p in paths]


@st.cache_resource(show_spinner=False, max_entries=2)
def _countries(data_dir: str, shared_dir: str) -> gpd.GeoDataFrame | None:
    """Neighbouring countries for the static maps' grey context (``None`` without the file)."""
    try:
        return datasets.load_countries(_settings_from(data_dir, shared_dir))
    except InputError:  # decoration only
        return None
