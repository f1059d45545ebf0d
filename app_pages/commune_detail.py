"""Page: one commune in detail (Chi tiết xã/phường).

Numbers, flags and the plain-language reasons, the teams that reach it and the
pre-merger units it was formed from. Choosing another commune changes only the
selection; the analysis comes from the cache.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common as ui
from coverage.errors import InputError
from coverage.storage.store import StorageError
from coverage.text.textnorm import picker_label


def _sync() -> None:
    ui.select_commune(st.session_state.get("detail_commune"))


def render() -> None:
    """Draw the page of one commune in detail."""
    st.title(ui.tr("ui.page.commune"), anchor=False)
    try:
        plan = ui.current_plan()
        result = ui.analyze(plan.teams)
    except InputError as error:
        ui.show_input_error(error, key="detail_problems")
        return
    except StorageError as error:
        ui.show_storage_error(error)
        return
    ui.data_notices(plan)
    names = ui.commune_names()
    selected = ui.selected_commune()
    st.session_state["detail_commune"] = selected if selected in names else None
    code = st.selectbox(
        ui.tr("ui.commune.choose"),
        options=list(names),
        format_func=lambda c: f"{picker_label(names[c])} · {c}",
        placeholder=ui.tr("screens.placeholder.commune"),
        key="detail_commune",
        on_change=_sync,
    )
    if code is None:
        st.info(ui.tr("ui.commune.none"))
        return
    ui.show_commune_panel(result, code, key="detail_panel")
    if st.button(ui.tr("ui.commune.add_team_here"), key="detail_add_team"):
        st.session_state["teams_add_commune"] = code
        st.switch_page("app_pages/teams.py")


render()
