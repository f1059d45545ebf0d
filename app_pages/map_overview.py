"""Page: the province map (Bản đồ tổng quan).

Widgets -> one cached analysis of the current roster -> one cached base map and one
cached style (colouring, filters, reach circles) -> render. Filters dim the communes
they leave out; the table below lists only those they keep. A click on the map only
changes the selected commune; the map and the analysis come from caches keyed on their
inputs, so nothing is recomputed.
"""

from __future__ import annotations

from typing import cast

import streamlit as st

from app_pages import commune_panel, folium_bridge, state, widgets
from coverage import planning
from coverage.errors import InputError
from coverage.text.population import demand_note
from coverage.text.textnorm import picker_label

MAP_KEY = "overview_map"
# Colourings offered, the default first: coverage answers "where is the need not met".
METRICS = ("coverage_ratio", "need", "connectivity_index", "density_per_km2")


def _searched() -> None:
    """Return a search with exactly one match selects that commune (several: the planner picks)."""
    matches = widgets.search_communes(st.session_state.get("map_search", ""))
    if len(matches) == 1:
        st.session_state["map_search_pick"] = matches[0]
        state.select_commune(matches[0])


def render() -> None:
    """Draw the province map page."""
    st.title(state.tr("ui.page.map"), anchor=False)
    try:
        roster = state.current_roster()
        result = state.analyze(roster.teams)
    except InputError as error:
        widgets.show_input_error(error, key="map_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    widgets.show_headline(widgets.headline(result, roster.teams))

    controls = st.columns([1, 1, 1])
    metric = controls[0].selectbox(
        state.tr("ui.map.colour_by"),
        options=list(METRICS),
        format_func=state.labeller("map.metric."),
        key="map_metric",
    )
    query = controls[1].text_input(
        state.tr("ui.map.search"),
        key="map_search",
        placeholder=state.tr("ui.map.search_placeholder"),
        on_change=_searched,
    )
    matches = widgets.search_communes(query)
    names = widgets.commune_names()
    with controls[2]:
        if query.strip() and not matches:
            st.caption(state.tr("ui.map.search_none", query=widgets.markdown_text(query)))
        elif matches:
            st.selectbox(
                state.tr("ui.map.search_results", count=len(matches)),
                options=matches,
                format_func=lambda c: picker_label(names.get(str(c), str(c))),
                index=None,
                placeholder=state.tr("ui.commune.placeholder"),
                key="map_search_pick",
                on_change=lambda: state.select_commune(st.session_state.get("map_search_pick")),
            )
    boxes = st.columns([0.7, 1, 1, 1, 1.6], vertical_alignment="center")
    boxes[0].markdown(f"**{state.tr('ui.map.filters')}**", help=state.tr("ui.map.filter_help"))
    only_border = boxes[1].checkbox(state.tr("ui.map.only_border"), key="map_only_border")
    only_remote = boxes[2].checkbox(state.tr("ui.map.only_remote"), key="map_only_remote")
    only_under = boxes[3].checkbox(state.tr("ui.map.only_underserved"), key="map_only_underserved")
    show_reach = boxes[4].toggle(state.tr("ui.map.show_reach"), key="map_show_reach")

    communes = state.display_communes(result)
    mask = communes["code"].notna()
    if only_border:
        mask &= communes["is_border"].astype(bool)
    if only_remote:
        mask &= communes["is_remote"].astype(bool)
    if only_under:
        mask &= communes["is_underserved"].astype(bool)
    shown = communes[mask]
    filtered = bool(only_border or only_remote or only_under)
    suggestion = state.suggestion()
    sites = suggestion.result.sites if suggestion is not None else None
    language = state.lang()
    inputs = state.inputs()
    roster_key = planning.roster_hash(roster.teams)

    # Reach circles need a radius: the analysis' reach is one when measured in km (with a
    # road network it is travel minutes, and no circle is drawn).
    teams = (
        result.teams.assign(reach_km=result.teams["reach"])
        if result.reach.unit == "km" and "reach" in result.teams.columns
        else result.teams
    )

    def build_base() -> folium_bridge.FoliumMap:
        return planning.build_base_map(
            communes,
            teams,
            lang=language,
            sites=sites,
            show_reach=False,
            reach_radius_km=None,
            title=inputs.province.name if inputs.province is not None else "",
            teams_is_sample=roster.is_sample,
            indicators_is_estimate=inputs.indicators_is_estimate,
            simplify_tolerance_m=None,
            demand=planning.cell_demand(result.demand, result.demand_source),
            population_credit=demand_note(result.demand_source, language),
        )

    def build_style() -> planning.CommuneStyle:
        return planning.commune_style(
            communes,
            metric=cast(planning.Metric, metric),
            lang=language,
            shown_codes=shown["code"].astype(str).tolist() if filtered else None,
            show_reach=show_reach,
        )

    # The base map depends on the roster only; colouring, filters and the reach switch
    # restyle it in the browser (the map is not rebuilt or resent).
    base_key = (
        state.province_code(),
        roster_key,
        language,
        roster.is_sample,
        inputs.indicators_is_estimate,
        None if sites is None else planning.frame_hash(sites),
    )
    style_key = (
        state.province_code(),
        roster_key,
        language,
        metric,
        only_border,
        only_remote,
        only_under,
        show_reach,
    )

    left, right = st.columns([5, 3])
    with left:
        st.caption(state.tr("ui.map.help"))
        if filtered:
            st.caption(state.tr("ui.map.filtered", shown=len(shown), total=len(communes)))
        if shown.empty:
            st.warning(state.tr("ui.map.filter_empty"))
        args = folium_bridge.map_args(base_key, MAP_KEY, build_base)
        folium_bridge.show_map(
            args,
            key=MAP_KEY,
            communes=communes,
            height=620,
            style=folium_bridge.map_style(style_key, build_style),
        )
        if sites is not None and len(sites):
            st.caption(state.tr("ui.map.suggested_shown", count=len(sites)))
    with right:
        code = state.selected_commune()
        if code is None or code not in set(communes["code"].astype(str)):
            st.info(state.tr("ui.map.select_hint"))
        else:
            commune_panel.show_commune_panel(result, code, key="map_panel", compact=True)
            buttons = st.columns(2)
            if buttons[0].button(state.tr("ui.map.open_detail"), key="map_open_detail"):
                st.switch_page("app_pages/commune_detail.py")
            if buttons[1].button(state.tr("ui.map.clear_selection"), key="map_clear"):
                state.select_commune(None)
                st.rerun()

    # Border communes first, then remote ones; the table follows the filters above and
    # shows every reason in full (a table wraps its cells; its text is escaped).
    priority = planning.priority_first(shown)
    st.subheader(state.tr("screens.map.priority_heading", count=len(priority)), anchor=False)
    st.caption(state.tr("screens.map.priority_help"))
    if priority.empty:
        st.info(state.tr("screens.map.priority_none"))
    else:
        table = widgets.priority_table(priority)
        short = (state.tr("screens.map.group"), state.tr("ui.field.coverage"))
        widgets.show_table(table, nowrap=short)
    st.subheader(state.tr("ui.map.list_heading"), anchor=False)
    st.dataframe(
        widgets.commune_list(shown),
        hide_index=True,
        width="stretch",
        key="map_list",
        column_config=widgets.commune_list_config(),
    )


render()
