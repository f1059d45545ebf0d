"""Page: the whole country (Toàn quốc): the 34 provinces coloured by need met.

One cached national analysis (:mod:`app_pages.national_data`) -> a province map (the
commune map's builder over 34 province polygons, coloured by need met), headline and a
sortable table of under-served border and remote communes per province. A click on a
province, or a row chosen in the table, opens that province's map page.
"""

from __future__ import annotations

import streamlit as st

from app_pages import folium_bridge, national_data, state, widgets
from coverage import planning
from coverage.errors import InputError

MAP_KEY = "national_map"
OPEN_FLAG = "national_open"


def _clicked(code: str) -> None:
    national_data.open_province(code)
    st.session_state[OPEN_FLAG] = True


def render() -> None:
    """Draw the whole-country page: the 34 provinces coloured by need met."""
    if st.session_state.pop(OPEN_FLAG, False):
        st.switch_page("app_pages/map_overview.py")
    st.title(state.tr("ui.page.national"), anchor=False)
    try:
        overview, headline, is_sample = national_data.overview()
    except InputError as error:
        widgets.show_input_error(error, key="national_problems")
        return
    language = state.lang()
    if is_sample:
        st.warning(state.tr("ui.national.sample"), icon="⚠️")
    st.info(state.tr("ui.national.estimate"), icon="ℹ️")
    widgets.show_headline(headline)
    provinces = overview.provinces

    def build_base() -> folium_bridge.FoliumMap:
        return planning.build_base_map(
            provinces,
            None,
            lang=language,
            title=state.tr("ui.page.national"),
            teams_is_sample=is_sample,
            indicators_is_estimate=True,
            simplify_tolerance_m=None,
            show_labels=True,
            label_min_zoom=5.0,
        )

    def build_style() -> planning.CommuneStyle:
        return planning.commune_style(provinces, metric="coverage_ratio", lang=language)

    st.caption(state.tr("ui.national.help"))
    args = folium_bridge.map_args(("national", language, is_sample), MAP_KEY, build_base)
    folium_bridge.show_map(
        args,
        key=MAP_KEY,
        communes=provinces,
        height=640,
        on_click=_clicked,
        style=folium_bridge.map_style(("national", language), build_style),
    )

    st.subheader(state.tr("ui.national.table_heading"), anchor=False)
    st.caption(state.tr("ui.national.table_help"))
    nonce = st.session_state.get("national_table_nonce", 0)
    event = st.dataframe(
        overview.table(lang=language),
        hide_index=True,
        width="stretch",
        key=f"national_table.{nonce}",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows:
        st.session_state["national_table_nonce"] = nonce + 1  # a later visit starts unselected
        national_data.open_province(str(provinces["code"].iloc[int(rows[0])]))
        st.switch_page("app_pages/map_overview.py")


render()
