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
    interpreter_rate: float,
    _teams: pd.DataFrame,
    _inputs: planning.Inputs,
) -> tuple[planning.AnalysisResult, planning.MeasuredInputs]:
    inputs = dataclasses.replace(_inputs, teams=_teams)
    measured = planning.measured_inputs(
        state.settings(), inputs, astore=planning.activity_store_of(state.store())
    )
    params = planning.with_interpreter_rate(planning.AnalysisParams(), interpreter_rate)
    return planning.analyze(measured.inputs, params=params, settings=state.settings()), measured


def _key(teams: pd.DataFrame, interpreter_rate: float | None) -> tuple[str, str, str, int, float]:
    code = state.province_code()
    return (
        code,
        planning.roster_hash(teams),
        planning.change_marker(planning.activity_store_of(state.store()), code),
        state.indicators_revision(),
        planning.INTERPRETER_RATE if interpreter_rate is None else float(interpreter_rate),
    )


def analysis(
    teams: pd.DataFrame, *, interpreter_rate: float | None = None
) -> planning.AnalysisResult:
    """Return the analysis with measured throughput (cached on roster, reports and indicators).

    ``interpreter_rate`` (0-1) is the planner's rate of help without a speaker of the residents'
    language (the page's slider); ``None`` keeps the default.
    """
    return _measured(*_key(teams, interpreter_rate), teams, state.inputs())[0]


def show_note(
    teams: pd.DataFrame, *, measured: bool, interpreter_rate: float | None = None
) -> None:
    """Say which rate the suggestion uses ("đo từ báo cáo" / "giả định")."""
    if measured:
        found = _measured(*_key(teams, interpreter_rate), teams, state.inputs())[1]
        st.info(found.note(state.lang()), icon="📏")
    else:
        st.caption(planning.assumed_note(state.lang()))


@st.cache_data(show_spinner=False, max_entries=8)
def _suggest(
    code: str,
    teams_hash: str,
    marker: str,
    indicators_rev: int,
    interpreter_rate: float,
    params_json: str,
    _teams: pd.DataFrame,
    _inputs: planning.Inputs,
) -> planning.PlanResult:
    key = (code, teams_hash, marker, indicators_rev, interpreter_rate)
    result = _measured(*key, _teams, _inputs)[0]
    return actions.suggest_from(result, json.loads(params_json))


def run_suggestion(teams: pd.DataFrame, params: dict[str, Any]) -> state.Suggestion:
    """Suggest sites from the analysis with measured throughput."""
    key = _key(teams, params.get("interpreter_rate"))
    result = _suggest(*key, json.dumps(params, sort_keys=True), teams, state.inputs())
    return state.Suggestion(
        planning.roster_hash(teams), params, result, actions.suggested_roster(teams, result, params)
    )


def site_rates(result: planning.AnalysisResult, codes: pd.Series) -> list[str]:
    """Return the rate each site's commune used, in words."""
    rates = planning.rate_by_commune(result, lang=state.lang()).set_index("code")["rate_label"]
    return [str(rates.get(str(c), "")) for c in codes]
