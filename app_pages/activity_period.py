"""The Reports page's choice to add the periodic evaluation (progress pages) for a period."""

from __future__ import annotations

import streamlit as st

import coverage.text.activity  # noqa: F401  (registers the texts)
from app_pages import state
from coverage import planning


@st.cache_data(show_spinner=False, max_entries=8)
def _default(code: str, marker: str, _path: str) -> str:
    reports = planning.ActivityStore(_path).current_reports(code, columns=("day",))
    return planning.default_period(reports).label


def progress_period() -> str | None:
    """Return the period to evaluate, or ``None`` when the planner does not add it.

    The period is the one chosen on the activity page, else the last four weeks with reports.
    """
    if not st.checkbox(state.tr("act.rep.with_progress"), key="rep_with_progress"):
        return None
    first, last = st.session_state.get("act_from"), st.session_state.get("act_to")
    if first and last:
        label = f"{min(first, last)}..{max(first, last)}"
    else:
        astore = planning.activity_store_of(state.store())
        roster = state.current_roster()
        if (
            astore.count_reports(state.province_code()) == 0 and roster.is_sample
        ):  # as the activity page does
            communes = state.analyze(roster.teams).communes
            planning.ensure_sample_activity(
                astore,
                state.province_code(),
                teams=roster.teams,
                communes=state.inputs().communes,
                border_codes=communes.loc[communes["is_border"].astype(bool), "code"]
                .astype(str)
                .tolist(),
            )
        label = _default(
            state.province_code(),
            planning.change_marker(astore, state.province_code()),
            str(astore.path),
        )
    st.caption(state.tr("act.rep.period", period=label))
    return label
