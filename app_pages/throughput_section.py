"""The suggestions page's choice of throughput: assumed, or measured from the reports.

With "measured", the analysis behind the suggestion uses each team's rate from its
activity reports (:mod:`coverage.monitoring.throughput`) and the need left after the residents
already helped; the page says which rate was used, overall and for each site's commune.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pandas as pd
import streamlit as st

import coverage.text.activity  # noqa: F401  (registers the texts)
from app_pages import actions, state
from coverage import planning


@st.cache_data(show_spinner=False, max_entries=8)
def _measured(
    code: str,
    teams_hash: str,
    marker: str,
    indicators_rev: int,
    _teams: pd.DataFrame,
    _inputs: planning.Inputs,
) -> tuple[planning.AnalysisResult, planning.MeasuredInputs]:
    inputs = dataclasses.replace(_inputs, teams=_teams)
    measured = planning.measured_inputs(
        state.settings(), inputs, astore=planning.activity_store_of(state.store())
    )
    return planning.analyze(measured.inputs, settings=state.settings()), measured


def _key(teams: pd.DataFrame) -> tuple[str, str, str, int]:
    code = state.province_code()
    return (
        code,
        planning.roster_hash(teams),
        planning.change_marker(planning.activity_store_of(state.store()), code),
        state.indicators_revision(),
    )


def analysis(teams: pd.DataFrame) -> planning.AnalysisResult:
    """Return the analysis with measured throughput (cached on roster, reports and indicators)."""
    return _measured(*_key(teams), teams, state.inputs())[0]


def show_note(teams: pd.DataFrame, *, measured: bool) -> None:
    """Say which rate the suggestion uses ("đo từ báo cáo" / "giả định")."""
    if measured:
        st.info(_measured(*_key(teams), teams, state.inputs())[1].note(state.lang()), icon="📏")
    else:
        st.caption(planning.assumed_note(state.lang()))


@st.cache_data(show_spinner=False, max_entries=8)
def _suggest(
    code: str,
    teams_hash: str,
    marker: str,
    indicators_rev: int,
    params_json: str,
    _teams: pd.DataFrame,
    _inputs: planning.Inputs,
) -> Any:
    params = json.loads(params_json)
    result = _measured(code, teams_hash, marker, indicators_rev, _teams, _inputs)[0]
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
        method=params["method"],
        time_limit_s=float(params["time_limit_s"]),
        languages=tuple(params.get("languages", ())),
    )


def run_suggestion(teams: pd.DataFrame, params: dict[str, Any]) -> state.Suggestion:
    """Suggest sites from the analysis with measured throughput."""
    result = _suggest(*_key(teams), json.dumps(params, sort_keys=True), teams, state.inputs())
    return state.Suggestion(
        planning.roster_hash(teams), params, result, actions.suggested_roster(teams, result, params)
    )


def site_rates(result: planning.AnalysisResult, codes: pd.Series) -> list[str]:
    """Return the rate each site's commune used, in words."""
    rates = planning.rate_by_commune(result, lang=state.lang()).set_index("code")["rate_label"]
    return [str(rates.get(str(c), "")) for c in codes]
