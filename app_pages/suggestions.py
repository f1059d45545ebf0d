"""Page: where to put new teams (Đề xuất bố trí).

Options -> one cached call into ``coverage.optimize.deploy.suggest_sites`` -> the proposal on the
map, one sentence per site, the solver status in plain words, and a button that saves
the roster with the new teams as a named scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from app_pages import throughput_section as measured_rates
from coverage.outputs import maps
from coverage.optimize.deploy import PlanResult
from coverage.errors import InputError
from coverage.text.i18n import Lang, format_number, format_percent
from coverage.text.plan import format_points
from coverage.storage.store import StorageError
from coverage.text.textnorm import picker_label

MAP_KEY = "suggestion_map"


def _options() -> dict[str, object]:
    names = ui.commune_names()
    cols = st.columns(4)
    count = cols[0].number_input(ui.tr("ui.sugg.count"), min_value=1, max_value=50, value=3, step=1,
                                 key="sugg_count")
    members = cols[1].number_input(ui.tr("ui.sugg.members"), min_value=1, max_value=100, value=15,
                                   step=1, key="sugg_members")
    mode = cols[2].selectbox(ui.tr("ui.sugg.mode"), options=["mobile", "fixed"],
                             format_func=ui.labeller("ui.mode."), key="sugg_mode",
                             placeholder=ui.tr("screens.placeholder.one"))
    hours = cols[3].number_input(ui.tr("ui.sugg.hours"), min_value=0.5, max_value=60.0, value=4.0,
                                 step=0.5, format="%.1f", key="sugg_hours")
    with st.expander(ui.tr("ui.sugg.options")):
        left, right = st.columns(2)
        border = left.checkbox(ui.tr("ui.sugg.border"), key="sugg_border", help=ui.tr("ui.sugg.border_help"))
        border_min = left.number_input(ui.tr("ui.sugg.border_min"), min_value=0, max_value=100, value=0,
                                       step=5, key="sugg_border_min", help=ui.tr("ui.sugg.border_min_help"))
        exclude = left.multiselect(ui.tr("ui.sugg.exclude"), options=list(names),
                                   format_func=lambda c: picker_label(names[c]), key="sugg_exclude",
                                   placeholder=ui.tr("screens.placeholder.commune"), select_all=False)
        max_per = left.number_input(ui.tr("ui.sugg.max_per"), min_value=1, max_value=10, value=1,
                                    step=1, key="sugg_max_per")
        resite = right.number_input(ui.tr("ui.sugg.resite"), min_value=0, max_value=50, value=0,
                                    step=1, key="sugg_resite")
        allow_unreached = right.checkbox(ui.tr("ui.sugg.allow_unreached"), key="sugg_allow_unreached",
                                         help=ui.tr("ui.sugg.allow_unreached_help"))
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
        "border_min_coverage": float(border_min) / 100.0, "keep_reached": not allow_unreached,
        "indicators_revision": ui.indicators_revision(),
    }


def _moves(proposal: PlanResult, language: Lang, *, relocate: int) -> None:
    """Every move of the plan: team, from -> to, and what the origin commune keeps."""
    moves = proposal.moves
    if relocate <= 0 and moves.empty:
        return
    st.markdown(f"**{ui.tr('ui.sugg.moves')}**")
    if moves.empty:
        st.caption(ui.tr("ui.sugg.no_moves"))
        return
    reason = "reason_vi" if language == "vi" else "reason_en"
    st.markdown("\n".join(f"- {ui.plain(text)}" for text in moves[reason]))
    lang = language
    cols = ui.tr("ui.sugg.moves_cols").split("|")
    table = pd.DataFrame({
        cols[0]: moves["team_id"].astype(str).to_numpy(),
        cols[1]: moves["from_name"].astype(str).to_numpy(),
        cols[2]: moves["to_name"].astype(str).to_numpy(),
        cols[3]: [format_percent(v, lang) for v in moves["from_coverage_before"]],
        cols[4]: [format_percent(v, lang) for v in moves["from_coverage_after"]],
        cols[5]: [format_points(a - b, lang) for a, b in zip(moves["from_coverage_after"],
                                                             moves["from_coverage_before"])],
        cols[6]: [format_number(v, lang) for v in moves["from_teams_in_reach_after"]],
        cols[7]: [format_percent(v, lang) for v in moves["to_coverage_before"]],
        cols[8]: [format_percent(v, lang) for v in moves["to_coverage_after"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="sugg_moves")


def _communes(proposal: PlanResult, language: Lang) -> None:
    """Coverage before -> after of every commune the plan changes (the analysis's numbers)."""
    changed = proposal.communes
    if changed.empty:
        return
    lang = language
    cols = ui.tr("ui.sugg.communes_cols").split("|")
    table = pd.DataFrame({
        cols[0]: changed["commune_name"].astype(str).to_numpy(),
        cols[1]: changed["commune_code"].astype(str).to_numpy(),
        cols[2]: [format_percent(v, lang) for v in changed["coverage_before"]],
        cols[3]: [format_percent(v, lang) for v in changed["coverage_after"]],
        cols[4]: [format_points(a - b, lang) for a, b in zip(changed["coverage_after"], changed["coverage_before"])],
        cols[5]: [format_number(v, lang) for v in changed["teams_in_reach_before"]],
        cols[6]: [format_number(v, lang) for v in changed["teams_in_reach_after"]],
    })
    with st.expander(ui.tr("ui.sugg.communes")):
        st.dataframe(table, hide_index=True, width="stretch", key="sugg_communes")


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
        _moves(proposal, language, relocate=int(found.params.get("relocate", 0)))
        notes = proposal.notes_vi if language == "vi" else proposal.notes_en
        if notes:
            st.markdown(f"**{ui.tr('ui.sugg.notes')}**")
            st.markdown("\n".join(f"- {ui.plain(note)}" for note in notes))
        _communes(proposal, language)
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
