"""Page: named scenarios (Kịch bản): save, list, compare side by side, rename, delete.

The current roster is always one of the options, so a suggestion saved as a scenario can
be compared with what is in place today. Everything is read from the SQLite store, so
a restart of the app gives the same answers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import actions, folium_bridge, state, widgets
from coverage import planning
from coverage.errors import InputError
from coverage.text.i18n import format_number
from coverage.text.textnorm import picker_label

MAP_KEY = "scenario_map"


def _save_current() -> None:
    with st.form("scen_save_form", enter_to_submit=False):
        st.markdown(f"**{state.tr('ui.scen.save_current')}**")
        name = st.text_input(state.tr("ui.scen.name"), key="scen_save_name")
        if st.form_submit_button(state.tr("ui.scen.save")):
            try:
                stored = actions.save_scenario(
                    name,
                    state.current_roster().teams,
                    {
                        "source": "current_plan",
                        "indicators": state.inputs().indicators_source,
                        "indicators_revision": state.indicators_revision(),
                    },
                )
            except planning.StorageError as error:
                widgets.show_storage_error(error)
            else:
                st.success(state.tr("ui.scen.saved", name=widgets.markdown_text(stored)))


def _manage(names: list[str]) -> None:
    with st.expander(state.tr("ui.scen.manage")):
        chosen = st.selectbox(
            state.tr("ui.scen.pick"),
            options=names,
            format_func=picker_label,
            placeholder=state.tr("screens.placeholder.one"),
            key="scen_manage_pick",
        )
        left, middle, right = st.columns(3)
        new_name = left.text_input(state.tr("ui.scen.new_name"), key="scen_new_name")
        try:
            if left.button(state.tr("ui.scen.rename"), key="scen_rename"):
                info = state.store().rename_scenario(
                    chosen,
                    state.province_code(),
                    new_name=new_name,
                    author=state.author(),
                    session_id=state.session_id(),
                )
                st.success(state.tr("ui.scen.renamed", name=widgets.markdown_text(info.name)))
            if middle.button(state.tr("ui.scen.adopt"), key="scen_adopt"):
                roster = state.current_roster()
                teams = actions.roster_of(chosen)
                revision = actions.try_save(teams, base=roster.revision, note=f"scenario:{chosen}")
                if revision is not None:
                    st.success(
                        state.tr(
                            "ui.scen.adopted", name=widgets.markdown_text(chosen), revision=revision
                        )
                    )
                elif st.session_state.get(
                    actions.conflict_key()
                ):  # other problems: try_save showed them
                    widgets.show_storage_error(st.session_state[actions.conflict_key()][0])
            if right.button(state.tr("ui.scen.delete"), key="scen_delete", type="secondary"):
                state.store().delete_scenario(chosen, state.province_code())
                st.success(state.tr("ui.scen.deleted", name=widgets.markdown_text(chosen)))
        except planning.StorageError as error:
            widgets.show_storage_error(error)


def render() -> None:
    """Draw the scenarios page: save, list, compare, rename, delete."""
    st.title(state.tr("ui.page.scenarios"), anchor=False)
    language = state.lang()
    try:
        roster = state.current_roster()
        widgets.data_notices(roster)
        _save_current()
        scenarios = state.store().list_scenarios(state.province_code())
    except InputError as error:
        widgets.show_input_error(error, key="scen_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return

    st.subheader(state.tr("ui.scen.list"), anchor=False)
    if not scenarios:
        st.info(state.tr("ui.scen.empty"))
        return
    cols = state.tr("ui.scen.list_cols").split("|")
    st.dataframe(
        pd.DataFrame(
            [
                [
                    s.name,
                    s.team_count,
                    format_number(s.summary.get("underserved"), language),
                    widgets.local_time(s.updated_at),
                    s.author or "–",
                ]
                for s in scenarios
            ],
            columns=cols,
        ),
        hide_index=True,
        width="stretch",
        key="scen_list",
    )
    names = [s.name for s in scenarios]
    _manage(names)

    st.subheader(state.tr("ui.scen.compare"), anchor=False)
    options = [actions.CURRENT, *names]

    current_label = state.tr("ui.scen.current")

    def label(option: str) -> str:
        return current_label if option == actions.CURRENT else picker_label(option)

    left, right = st.columns(2)
    option_a = left.selectbox(
        state.tr("ui.scen.left"),
        options=options,
        format_func=label,
        key="scen_a",
        placeholder=state.tr("screens.placeholder.one"),
    )
    option_b = right.selectbox(
        state.tr("ui.scen.right"),
        options=options,
        format_func=label,
        index=1 if len(options) > 1 else 0,
        key="scen_b",
        placeholder=state.tr("screens.placeholder.one"),
    )
    try:
        compared, changes, new_sites, result_b = actions.comparison(option_a, option_b)
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    rows = planning.comparison_rows(compared, language)
    st.dataframe(
        pd.DataFrame(
            rows,
            columns=[
                state.tr("ui.scen.metric"),
                f"A: {label(option_a)}",
                f"B: {label(option_b)}",
                state.tr("ui.scen.change"),
            ],
        ),
        hide_index=True,
        width="stretch",
        key="scen_compare",
    )
    teams_a, teams_b = actions.roster_of(option_a), actions.roster_of(option_b)

    diff = planning.diff_rosters(teams_a, teams_b)
    st.caption(
        state.tr(
            "ui.scen.team_changes",
            added=len(diff.added),
            removed=len(diff.removed),
            changed=len(diff.changed),
        )
    )
    st.markdown(f"**{state.tr('ui.scen.changed_status')}**")
    if changes.empty:
        st.caption(state.tr("ui.scen.no_status_change"))
    else:
        st.dataframe(changes, hide_index=True, width="stretch", key="scen_changes")

    st.caption(state.tr("ui.scen.diff_map"))
    communes = state.display_communes(result_b)
    inputs = state.inputs()

    def build() -> folium_bridge.FoliumMap:
        return planning.build_map(
            communes,
            result_b.teams,
            metric="coverage_ratio",
            lang=language,
            sites=new_sites,
            title=label(option_b),
            teams_is_sample=roster.is_sample,
            indicators_is_estimate=inputs.indicators_is_estimate,
            simplify_tolerance_m=None,
        )

    key = (
        state.province_code(),
        planning.roster_hash(teams_a),
        planning.roster_hash(teams_b),
        language,
        "compare",
    )
    folium_bridge.show_map(
        folium_bridge.map_args(key, MAP_KEY, build), key=MAP_KEY, communes=communes, height=520
    )


render()
