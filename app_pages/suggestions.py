"""Page: where to put new teams (Đề xuất bố trí).

Options -> one cached call into ``coverage.deploy.suggest_sites`` -> the proposal on the
map, one sentence per site, the solver status in plain words, and a button that saves
the roster with the new teams as a named scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from app_pages import throughput_section as measured_rates
from coverage import maps
from coverage.errors import InputError
from coverage.i18n import format_number
from coverage.storage import StorageError

MAP_KEY = "suggestion_map"


def _options() -> dict[str, object]:
    names = ui.commune_names()
    cols = st.columns(4)
    count = cols[0].number_input(ui.tr("ui.sugg.count"), min_value=1, max_value=50, value=3, step=1,
                                 key="sugg_count")
    members = cols[1].number_input(ui.tr("ui.sugg.members"), min_value=1, max_value=100, value=15,
                                   step=1, key="sugg_members")
    mode = cols[2].selectbox(ui.tr("ui.sugg.mode"), options=["mobile", "fixed"],
                             format_func=ui.labeller("ui.mode."), key="sugg_mode")
    hours = cols[3].number_input(ui.tr("ui.sugg.hours"), min_value=0.5, max_value=60.0, value=4.0,
                                 step=0.5, format="%.1f", key="sugg_hours")
    with st.expander(ui.tr("ui.sugg.options")):
        left, right = st.columns(2)
        border = left.checkbox(ui.tr("ui.sugg.border"), key="sugg_border")
        exclude = left.multiselect(ui.tr("ui.sugg.exclude"), options=list(names),
                                   format_func=lambda c: names[c], key="sugg_exclude")
        max_per = left.number_input(ui.tr("ui.sugg.max_per"), min_value=1, max_value=10, value=1,
                                    step=1, key="sugg_max_per")
        resite = right.number_input(ui.tr("ui.sugg.resite"), min_value=0, max_value=50, value=0,
                                    step=1, key="sugg_resite")
        limit = right.number_input(ui.tr("ui.sugg.time"), min_value=1, max_value=600, value=20,
                                   step=1, key="sugg_time")
        method = right.radio(ui.tr("ui.sugg.method"), options=["exact", "greedy"],
                             format_func=ui.labeller("ui.sugg.method."), key="sugg_method",
                             horizontal=True)
    measured = st.toggle(ui.tr("ui.sugg.measured"), key="sugg_measured", help=ui.tr("ui.sugg.measured_help"))
    return {
        "throughput": "measured" if measured else "assumed",
        "new_teams": int(count), "team_size": int(members), "mode": mode, "weekly_hours": float(hours),
        "require_border": bool(border), "exclude": sorted(exclude), "max_per_commune": int(max_per),
        "relocate": int(resite), "time_limit_s": float(limit), "method": method,
        "indicators_revision": ui.indicators_revision(),
    }


def render() -> None:
    st.title(ui.tr("ui.page.suggestions"), anchor=False)
    try:
        plan = ui.current_plan()
        result = ui.analyze(plan.teams)
    except InputError as error:
        ui.show_input_error(error, key="sugg_problems")
        return
    except StorageError as error:
        ui.show_storage_error(error)
        return
    ui.data_notices(plan)
    st.caption(ui.tr("ui.sugg.intro"))
    params = _options()
    measured = params["throughput"] == "measured"
    if measured:
        result = measured_rates.analysis(plan.teams)
    measured_rates.show_note(plan.teams, measured=measured)
    if st.button(ui.tr("ui.sugg.run"), type="primary", key="sugg_run"):
        try:
            with st.spinner(ui.tr("ui.sugg.run")):
                st.session_state[f"plan.{ui.province_code()}"] = (
                    measured_rates.run_suggestion(plan.teams, params) if measured
                    else ui.run_suggestion(plan.teams, params))
        except InputError as error:
            ui.show_input_error(error, key="sugg_run_problems")
            return

    found = ui.suggestion()
    if found is None:
        st.info(ui.tr("ui.sugg.none_yet"))
        return
    if found.roster_hash != ui.roster_hash(plan.teams):
        st.warning(ui.tr("ui.sugg.stale"))
    elif found.params.get("indicators_revision", 0) != ui.indicators_revision():
        st.warning(ui.tr("ui.sugg.stale_indicators"))
    language = ui.lang()
    proposal = found.plan
    status = proposal.status_vi if language == "vi" else proposal.status_en
    st.success(ui.tr("ui.sugg.status", status=status))
    infeasible = proposal.infeasible_vi if language == "vi" else proposal.infeasible_en
    if infeasible:
        st.error(ui.plain(infeasible))

    after = (measured_rates.analysis(found.teams_after) if found.params.get("throughput") == "measured"
             else ui.analyze(found.teams_after))
    st.caption(ui.tr("ui.sugg.after"))
    ui.show_headline(ui.headline(after, found.teams_after), before=ui.headline(result, plan.teams))
    left, right = st.columns([3, 2])
    with left:
        communes = ui.display_communes(result)
        inputs = ui.inputs()

        def build() -> object:
            return maps.build_map(
                communes, result.teams, metric="coverage_ratio", lang=language, sites=proposal.sites,
                title=inputs.province.name if inputs.province is not None else "",
                teams_is_sample=plan.is_sample, indicators_is_estimate=inputs.indicators_is_estimate,
                simplify_tolerance_m=None,
            )

        key = (ui.province_code(), found.roster_hash, ui.frame_hash(proposal.sites), language, "suggest")
        ui.show_map(ui.map_args(key, MAP_KEY, build), key=MAP_KEY, communes=communes, height=560)  # type: ignore[arg-type]
    with right:
        st.subheader(ui.tr("ui.sugg.sites"), anchor=False)
        reason = "reason_vi" if language == "vi" else "reason_en"
        lines = [
            f"{n}. **{ui.plain(row['commune_name'])}**: {ui.plain(row[reason])}"
            for n, row in enumerate(proposal.sites.to_dict(orient="records"), start=1)
        ]
        st.markdown("\n".join(lines) if lines else ui.tr("ui.none"))
        table = pd.DataFrame({
            ui.tr("ui.field.name"): proposal.sites["commune_name"].astype(str).to_numpy(),
            ui.tr("ui.field.code"): proposal.sites["commune_code"].astype(str).to_numpy(),
            ui.tr("map.tip.need_served"): [format_number(v, language) for v in proposal.sites["need_served"]],
            ui.tr("ui.field.border"): [ui.tr("ui.yes") if v else ui.tr("ui.no") for v in proposal.sites["is_border"]],
            ui.tr("ui.field.remote"): [ui.tr("ui.yes") if v else ui.tr("ui.no") for v in proposal.sites["is_remote"]],
            ui.tr("ui.sugg.rate_used"): measured_rates.site_rates(result, proposal.sites["commune_code"]),
        })
        st.dataframe(table, hide_index=True, width="stretch", key="sugg_sites")
        st.divider()
        name = st.text_input(ui.tr("ui.sugg.accept_name"), key="sugg_name",
                             value=ui.tr("ui.sugg.accept_default", count=len(proposal.sites)))
        if st.button(ui.tr("ui.sugg.accept"), key="sugg_accept"):
            try:
                stored = ui.save_scenario(name, found.teams_after,
                                          {"suggest": found.params, "plan_status": proposal.status})
            except StorageError as error:
                ui.show_storage_error(error)
            else:
                st.success(ui.tr("ui.sugg.accepted", name=ui.plain(stored)))


render()
