"""Page: named scenarios (Kịch bản): save, list, compare side by side, rename, delete.

The current plan is always one of the options, so a suggestion saved as a scenario can
be compared with what is in place today. Everything is read from the SQLite store, so
a restart of the app gives the same answers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from coverage.errors import InputError
from coverage.outputs import maps
from coverage.outputs import reports as coverage_reports
from coverage.storage.store import StorageError
from coverage.text.i18n import format_number
from coverage.text.textnorm import picker_label

MAP_KEY = "scenario_map"


def _save_current() -> None:
    with st.form("scen_save_form", enter_to_submit=False):
        st.markdown(f"**{ui.tr('ui.scen.save_current')}**")
        name = st.text_input(ui.tr("ui.scen.name"), key="scen_save_name")
        if st.form_submit_button(ui.tr("ui.scen.save")):
            try:
                stored = ui.save_scenario(
                    name,
                    ui.current_plan().teams,
                    {
                        "source": "current_plan",
                        "indicators": ui.inputs().indicators_source,
                        "indicators_revision": ui.indicators_revision(),
                    },
                )
            except StorageError as error:
                ui.show_storage_error(error)
            else:
                st.success(ui.tr("ui.scen.saved", name=ui.plain(stored)))


def _manage(names: list[str]) -> None:
    with st.expander(ui.tr("ui.scen.manage")):
        chosen = st.selectbox(
            ui.tr("ui.scen.pick"),
            options=names,
            format_func=picker_label,
            placeholder=ui.tr("screens.placeholder.one"),
            key="scen_manage_pick",
        )
        left, middle, right = st.columns(3)
        new_name = left.text_input(ui.tr("ui.scen.new_name"), key="scen_new_name")
        try:
            if left.button(ui.tr("ui.scen.rename"), key="scen_rename"):
                info = ui.store().rename_scenario(
                    chosen,
                    ui.province_code(),
                    new_name=new_name,
                    author=ui.author(),
                    session_id=ui.session_id(),
                )
                st.success(ui.tr("ui.scen.renamed", name=ui.plain(info.name)))
            if middle.button(ui.tr("ui.scen.adopt"), key="scen_adopt"):
                plan = ui.current_plan()
                teams = ui.plan_teams(chosen)
                revision = ui.try_save(teams, base=plan.revision, note=f"scenario:{chosen}")
                if revision is not None:
                    st.success(ui.tr("ui.scen.adopted", name=ui.plain(chosen), revision=revision))
                elif st.session_state.get(
                    ui.conflict_key()
                ):  # other problems: try_save showed them
                    ui.show_storage_error(st.session_state[ui.conflict_key()][0])
            if right.button(ui.tr("ui.scen.delete"), key="scen_delete", type="secondary"):
                ui.store().delete_scenario(chosen, ui.province_code())
                st.success(ui.tr("ui.scen.deleted", name=ui.plain(chosen)))
        except StorageError as error:
            ui.show_storage_error(error)


def render() -> None:
    """Draw the scenarios page: save, list, compare, rename, delete."""
    st.title(ui.tr("ui.page.scenarios"), anchor=False)
    language = ui.lang()
    try:
        plan = ui.current_plan()
        ui.data_notices(plan)
        _save_current()
        scenarios = ui.store().list_scenarios(ui.province_code())
    except InputError as error:
        ui.show_input_error(error, key="scen_problems")
        return
    except StorageError as error:
        ui.show_storage_error(error)
        return

    st.subheader(ui.tr("ui.scen.list"), anchor=False)
    if not scenarios:
        st.info(ui.tr("ui.scen.empty"))
        return
    cols = ui.tr("ui.scen.list_cols").split("|")
    st.dataframe(
        pd.DataFrame(
            [
                [
                    s.name,
                    s.team_count,
                    format_number(s.summary.get("underserved"), language),
                    ui.local_time(s.updated_at),
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

    st.subheader(ui.tr("ui.scen.compare"), anchor=False)
    options = [ui.CURRENT, *names]

    current_label = ui.tr("ui.scen.current")

    def label(option: str) -> str:
        return current_label if option == ui.CURRENT else picker_label(option)

    left, right = st.columns(2)
    option_a = left.selectbox(
        ui.tr("ui.scen.left"),
        options=options,
        format_func=label,
        key="scen_a",
        placeholder=ui.tr("screens.placeholder.one"),
    )
    option_b = right.selectbox(
        ui.tr("ui.scen.right"),
        options=options,
        format_func=label,
        index=1 if len(options) > 1 else 0,
        key="scen_b",
        placeholder=ui.tr("screens.placeholder.one"),
    )
    try:
        compared, changes, new_sites, result_b = ui.comparison(option_a, option_b)
    except StorageError as error:
        ui.show_storage_error(error)
        return
    rows = coverage_reports.comparison_rows(compared, language)
    st.dataframe(
        pd.DataFrame(
            rows,
            columns=[
                ui.tr("ui.scen.metric"),
                f"A: {label(option_a)}",
                f"B: {label(option_b)}",
                ui.tr("ui.scen.change"),
            ],
        ),
        hide_index=True,
        width="stretch",
        key="scen_compare",
    )
    teams_a, teams_b = ui.plan_teams(option_a), ui.plan_teams(option_b)
    from coverage.storage.store import diff_rosters

    diff = diff_rosters(teams_a, teams_b)
    st.caption(
        ui.tr(
            "ui.scen.team_changes",
            added=len(diff.added),
            removed=len(diff.removed),
            changed=len(diff.changed),
        )
    )
    st.markdown(f"**{ui.tr('ui.scen.changed_status')}**")
    if changes.empty:
        st.caption(ui.tr("ui.scen.no_status_change"))
    else:
        st.dataframe(changes, hide_index=True, width="stretch", key="scen_changes")

    st.caption(ui.tr("ui.scen.diff_map"))
    communes = ui.display_communes(result_b)
    inputs = ui.inputs()

    def build() -> object:
        return maps.build_map(
            communes,
            result_b.teams,
            metric="coverage_ratio",
            lang=language,
            sites=new_sites,
            title=label(option_b),
            teams_is_sample=plan.is_sample,
            indicators_is_estimate=inputs.indicators_is_estimate,
            simplify_tolerance_m=None,
        )

    key = (
        ui.province_code(),
        ui.roster_hash(teams_a),
        ui.roster_hash(teams_b),
        language,
        "compare",
    )
    ui.show_map(ui.map_args(key, MAP_KEY, build), key=MAP_KEY, communes=communes, height=520)  # type: ignore[arg-type]


render()
