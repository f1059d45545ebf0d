"""Page: one commune in detail (Chi tiết xã/phường).

Numbers, flags and the plain-language reasons, the teams that reach it and the
pre-merger units it was formed from. Choosing another commune changes only the
selection; the analysis comes from the cache.
"""

from __future__ import annotations

import streamlit as st

from app_pages import commune_panel, state, widgets
from coverage import planning
from coverage.errors import InputError
from coverage.text.textnorm import picker_label


def _sync() -> None:
    state.select_commune(st.session_state.get("detail_commune"))


def render() -> None:
    """Draw the page of one commune in detail."""
    st.title(state.tr("ui.page.commune"), anchor=False)
    try:
        roster = state.current_roster()
        result = state.analyze(roster.teams)
    except InputError as error:
        widgets.show_input_error(error, key="detail_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    names = widgets.commune_names()
    selected = state.selected_commune()
    st.session_state["detail_commune"] = selected if selected in names else None
    code = st.selectbox(
        state.tr("ui.commune.choose"),
        options=list(names),
        format_func=lambda c: f"{picker_label(names[c])} · {c}",
        placeholder=state.tr("screens.placeholder.commune"),
        key="detail_commune",
        on_change=_sync,
    )
    if code is None:
        st.info(state.tr("ui.commune.none"))
        return
    commune_panel.show_commune_panel(result, code, key="detail_panel")
    if st.button(state.tr("ui.commune.add_team_here"), key="detail_add_team"):
        st.session_state["teams_add_commune"] = code
        st.switch_page("app_pages/teams.py")


render()
