"""Page: where to put new teams (Đề xuất bố trí).

Options -> one cached call into ``coverage.optimize.deploy.suggest_sites`` -> the proposal on the
map, one sentence per site, the solver status in plain words, and a button that saves
the roster with the new teams as a named scenario.
"""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from app_pages import actions, folium_bridge, state, widgets
from app_pages import throughput_section as measured_rates
from coverage import planning
from coverage.errors import InputError
from coverage.text.i18n import Lang, format_number, format_percent
from coverage.text.plan import format_points
from coverage.text.screens import language_picker_label
from coverage.text.textnorm import picker_label

MAP_KEY = "suggestion_map"


def _options() -> dict[str, object]:
    names = widgets.commune_names()
    cols = st.columns(4)
    count = cols[0].number_input(
        state.tr("ui.sugg.count"), min_value=1, max_value=50, value=3, step=1, key="sugg_count"
    )
    members = cols[1].number_input(
        state.tr("ui.sugg.members"),
        min_value=1,
        max_value=100,
        value=15,
        step=1,
        key="sugg_members",
    )
    mode = cols[2].selectbox(
        state.tr("ui.sugg.mode"),
        options=["mobile", "fixed"],
        format_func=state.labeller("ui.mode."),
        key="sugg_mode",
        placeholder=state.tr("screens.placeholder.one"),
    )
    hours = cols[3].number_input(
        state.tr("ui.sugg.hours"),
        min_value=0.5,
        max_value=60.0,
        value=4.0,
        step=0.5,
        format="%.1f",
        key="sugg_hours",
    )
    languages, rate = _language_options()
    with st.expander(state.tr("ui.sugg.options")):
        left, right = st.columns(2)
        border = left.checkbox(
            state.tr("ui.sugg.border"), key="sugg_border", help=state.tr("ui.sugg.border_help")
        )
        border_min = left.number_input(
            state.tr("ui.sugg.border_min"),
            min_value=0,
            max_value=100,
            value=0,
            step=5,
            key="sugg_border_min",
            help=state.tr("ui.sugg.border_min_help"),
        )
        exclude = left.multiselect(
            state.tr("ui.sugg.exclude"),
            options=list(names),
            format_func=lambda c: picker_label(names[c]),
            key="sugg_exclude",
            placeholder=state.tr("screens.placeholder.commune"),
            select_all=False,
        )
        max_per = left.number_input(
            state.tr("ui.sugg.max_per"),
            min_value=1,
            max_value=10,
            value=1,
            step=1,
            key="sugg_max_per",
        )
        resite = right.number_input(
            state.tr("ui.sugg.resite"),
            min_value=0,
            max_value=50,
            value=0,
            step=1,
            key="sugg_resite",
        )
        allow_unreached = right.checkbox(
            state.tr("ui.sugg.allow_unreached"),
            key="sugg_allow_unreached",
            help=state.tr("ui.sugg.allow_unreached_help"),
        )
        limit = right.number_input(
            state.tr("ui.sugg.time"), min_value=1, max_value=600, value=20, step=1, key="sugg_time"
        )
        method = right.radio(
            state.tr("ui.sugg.method"),
            options=["exact", "greedy"],
            format_func=state.labeller("ui.sugg.method."),
            key="sugg_method",
            horizontal=True,
        )
    measured = st.toggle(
        state.tr("ui.sugg.measured"), key="sugg_measured", help=state.tr("ui.sugg.measured_help")
    )
    return {
        "throughput": "measured" if measured else "assumed",
        "new_teams": int(count),
        "team_size": int(members),
        "mode": mode,
        "weekly_hours": float(hours),
        "require_border": bool(border),
        "exclude": sorted(exclude),
        "max_per_commune": int(max_per),
        "relocate": int(resite),
        "time_limit_s": float(limit),
        "method": method,
        "border_min_coverage": float(border_min) / 100.0,
        "keep_reached": not allow_unreached,
        "indicators_revision": state.indicators_revision(),
        "languages": languages,
        "interpreter_rate": rate,
    }


def _language_options() -> tuple[list[str], float]:
    """Which minority languages the new teams speak, and the rate of help without a speaker."""
    left, right = st.columns(2)
    chosen = left.multiselect(
        state.tr("language.new_teams.label"),
        options=planning.ordered_languages(state.province_languages()),
        format_func=lambda code: language_picker_label(code, state.lang()),
        key="sugg_languages",
        help=state.tr("language.new_teams.help"),
        placeholder=state.tr("screens.placeholder.many"),
    )
    percent = right.slider(
        state.tr("language.rate.label"),
        min_value=0,
        max_value=100,
        value=int(round(planning.INTERPRETER_RATE * 100)),
        step=5,
        key="sugg_interpreter_rate",
        help=state.tr("language.rate.help"),
    )
    return [str(code) for code in chosen], float(percent) / 100.0


def _moves(proposal: planning.PlanResult, language: Lang, *, relocate: int) -> None:
    """Every move of the suggestion: team, from -> to, and what the origin commune keeps."""
    moves = proposal.moves
    if relocate <= 0 and moves.empty:
        return
    st.markdown(f"**{state.tr('ui.sugg.moves')}**")
    if moves.empty:
        st.caption(state.tr("ui.sugg.no_moves"))
        return
    reason = "reason_vi" if language == "vi" else "reason_en"
    st.markdown("\n".join(f"- {widgets.markdown_text(text)}" for text in moves[reason]))
    lang = language
    cols = state.tr("ui.sugg.moves_cols").split("|")
    table = pd.DataFrame(
        {
            cols[0]: moves["team_id"].astype(str).to_numpy(),
            cols[1]: moves["from_name"].astype(str).to_numpy(),
            cols[2]: moves["to_name"].astype(str).to_numpy(),
            cols[3]: [format_percent(v, lang) for v in moves["from_coverage_before"]],
            cols[4]: [format_percent(v, lang) for v in moves["from_coverage_after"]],
            cols[5]: [
                format_points(a - b, lang)
                for a, b in zip(
                    moves["from_coverage_after"], moves["from_coverage_before"], strict=True
                )
            ],
            cols[6]: [format_number(v, lang) for v in moves["from_teams_in_reach_after"]],
            cols[7]: [format_percent(v, lang) for v in moves["to_coverage_before"]],
            cols[8]: [format_percent(v, lang) for v in moves["to_coverage_after"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="sugg_moves")


def _communes(proposal: planning.PlanResult, language: Lang) -> None:
    """Coverage before -> after of every commune the suggestion changes (the analysis's numbers)."""
    changed = proposal.communes
    if changed.empty:
        return
    lang = language
    cols = state.tr("ui.sugg.communes_cols").split("|")
    table = pd.DataFrame(
        {
            cols[0]: changed["commune_name"].astype(str).to_numpy(),
            cols[1]: changed["commune_code"].astype(str).to_numpy(),
            cols[2]: [format_percent(v, lang) for v in changed["coverage_before"]],
            cols[3]: [format_percent(v, lang) for v in changed["coverage_after"]],
            cols[4]: [
                format_points(a - b, lang)
                for a, b in zip(changed["coverage_after"], changed["coverage_before"], strict=True)
            ],
            cols[5]: [format_number(v, lang) for v in changed["teams_in_reach_before"]],
            cols[6]: [format_number(v, lang) for v in changed["teams_in_reach_after"]],
        }
    )
    with st.expander(state.tr("ui.sugg.communes")):
        st.dataframe(table, hide_index=True, width="stretch", key="sugg_communes")


def render() -> None:
    """Draw the suggestions page: options, one suggestion, its map, sites, moves and changes."""
    st.title(state.tr("ui.page.suggestions"), anchor=False)
    try:
        roster = state.current_roster()
        result = state.analyze(roster.teams)
    except InputError as error:
        widgets.show_input_error(error, key="sugg_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    st.caption(state.tr("ui.sugg.intro"))
    params = _options()
    rate = cast(float, params["interpreter_rate"])
    if rate != planning.INTERPRETER_RATE:
        result = state.analyze(roster.teams, interpreter_rate=rate)
    estimated = (
        result.communes["languages_estimated"]
        if "languages_estimated" in result.communes.columns
        else pd.Series(False, index=result.communes.index)
    )
    if bool(estimated.astype(bool).any()):
        st.caption(state.tr("language.estimate_note"))
    measured = params["throughput"] == "measured"
    if measured:
        result = measured_rates.analysis(roster.teams, interpreter_rate=rate)
    measured_rates.show_note(roster.teams, measured=measured, interpreter_rate=rate)
    if st.button(state.tr("ui.sugg.run"), type="primary", key="sugg_run"):
        try:
            with st.spinner(state.tr("ui.sugg.run")):
                st.session_state[state.suggestion_key()] = (
                    measured_rates.run_suggestion(roster.teams, params)
                    if measured
                    else actions.run_suggestion(roster.teams, params)
                )
        except InputError as error:
            widgets.show_input_error(error, key="sugg_run_problems")
            return

    found = state.suggestion()
    if found is None:
        st.info(state.tr("ui.sugg.none_yet"))
        return
    if found.roster_hash != planning.roster_hash(roster.teams):
        st.warning(state.tr("ui.sugg.stale"))
    elif found.params.get("indicators_revision", 0) != state.indicators_revision():
        st.warning(state.tr("ui.sugg.stale_indicators"))
    language = state.lang()
    proposal = found.result
    status = proposal.status_vi if language == "vi" else proposal.status_en
    st.success(state.tr("ui.sugg.status", status=status))
    infeasible = proposal.infeasible_vi if language == "vi" else proposal.infeasible_en
    if infeasible:
        st.error(widgets.markdown_text(infeasible))

    after = (
        measured_rates.analysis(
            found.teams_after, interpreter_rate=found.params.get("interpreter_rate")
        )
        if found.params.get("throughput") == "measured"
        else state.analyze(found.teams_after, interpreter_rate=found.params.get("interpreter_rate"))
    )
    st.caption(state.tr("ui.sugg.after"))
    widgets.show_headline(
        widgets.headline(after, found.teams_after), before=widgets.headline(result, roster.teams)
    )
    left, right = st.columns([3, 2])
    with left:
        communes = state.display_communes(result)
        inputs = state.inputs()

        def build() -> folium_bridge.FoliumMap:
            return planning.build_map(
                communes,
                result.teams,
                metric="coverage_ratio",
                lang=language,
                sites=proposal.sites,
                title=inputs.province.name if inputs.province is not None else "",
                teams_is_sample=roster.is_sample,
                indicators_is_estimate=inputs.indicators_is_estimate,
                simplify_tolerance_m=None,
            )

        key = (
            state.province_code(),
            found.roster_hash,
            planning.frame_hash(proposal.sites),
            language,
            "suggest",
        )
        folium_bridge.show_map(
            folium_bridge.map_args(key, MAP_KEY, build), key=MAP_KEY, communes=communes, height=560
        )
    with right:
        st.subheader(state.tr("ui.sugg.sites"), anchor=False)
        reason = "reason_vi" if language == "vi" else "reason_en"
        text = widgets.markdown_text
        lines = [
            f"{n}. **{text(row['commune_name'])}**: {text(row[reason])}"
            for n, row in enumerate(proposal.sites.to_dict(orient="records"), start=1)
        ]
        st.markdown("\n".join(lines) if lines else state.tr("ui.none"))
        table = pd.DataFrame(
            {
                state.tr("ui.field.name"): proposal.sites["commune_name"].astype(str).to_numpy(),
                state.tr("ui.field.code"): proposal.sites["commune_code"].astype(str).to_numpy(),
                state.tr("map.tip.need_served"): [
                    format_number(v, language) for v in proposal.sites["need_served"]
                ],
                state.tr("ui.field.border"): [
                    state.tr("ui.yes") if v else state.tr("ui.no")
                    for v in proposal.sites["is_border"]
                ],
                state.tr("ui.field.remote"): [
                    state.tr("ui.yes") if v else state.tr("ui.no")
                    for v in proposal.sites["is_remote"]
                ],
                state.tr("ui.sugg.rate_used"): measured_rates.site_rates(
                    result, proposal.sites["commune_code"]
                ),
                **(
                    {
                        state.tr("language.new_teams.label"): [
                            planning.display_languages(str(v or ""), estimated=False, lang=language)
                            for v in proposal.sites["languages"]
                        ]
                    }
                    if "languages" in proposal.sites.columns
                    and proposal.sites["languages"].astype(str).str.len().any()
                    else {}
                ),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", key="sugg_sites")
        _moves(proposal, language, relocate=int(found.params.get("relocate", 0)))
        notes = proposal.notes_vi if language == "vi" else proposal.notes_en
        if notes:
            st.markdown(f"**{state.tr('ui.sugg.notes')}**")
            st.markdown("\n".join(f"- {widgets.markdown_text(note)}" for note in notes))
        _communes(proposal, language)
        st.divider()
        name = st.text_input(
            state.tr("ui.sugg.accept_name"),
            key="sugg_name",
            value=state.tr("ui.sugg.accept_default", count=len(proposal.sites)),
        )
        if st.button(state.tr("ui.sugg.accept"), key="sugg_accept"):
            try:
                stored = actions.save_scenario(
                    name,
                    found.teams_after,
                    {"suggest": found.params, "plan_status": proposal.status},
                )
            except planning.StorageError as error:
                widgets.show_storage_error(error)
            else:
                st.success(state.tr("ui.sugg.accepted", name=widgets.markdown_text(stored)))


render()
