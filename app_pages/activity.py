"""Page: activity reports and progress against targets (Hoạt động & tiến độ).

Widgets -> one cached progress count (keyed on the province, the period, the roster and a
marker that changes with every stored report or target) -> map, tables, charts. A report
typed in the form or a checked file is stored at once (with the sidebar's name as author)
and the page reruns, so the commune's progress changes in front of the planner. On a
fresh data folder the SAMPLE log is stored first, labelled as such.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import cast

import pandas as pd
import streamlit as st

import coverage.text.activity  # noqa: F401  (registers the "act." catalogue)
from app_pages import folium_bridge, state, widgets
from coverage import planning
from coverage.errors import InputError
from coverage.text.i18n import format_number, format_percent, t

MAP_KEY = "activity_map"
PARAMS = planning.ProgressParams()


def _astore() -> planning.ActivityStore:
    return planning.activity_store_of(state.store())


@st.cache_data(show_spinner=False, max_entries=16)
def _progress(
    code: str,
    marker: str,
    roster: str,
    first: str,
    last: str,
    _teams: pd.DataFrame,
    _communes: pd.DataFrame,
    _astore_path: str,
) -> planning.ProgressView:
    start = planning.monday_of_week(first)
    end = planning.monday_of_week(last)
    assert start is not None and end is not None
    period = planning.period_from_dates(start, end + dt.timedelta(days=6), label=f"{first}..{last}")
    astore = planning.ActivityStore(_astore_path)
    return planning.progress_of(
        astore, code, teams=_teams, communes=_communes, period=period, params=PARAMS
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _weeks(code: str, marker: str, _astore_path: str) -> list[str]:
    reports = planning.ActivityStore(_astore_path).current_reports(code, columns=("week",))
    return sorted(set(reports["week"].astype(str)))


def _week_options(known: list[str]) -> list[str]:
    today = planning.today_vietnam()
    first = planning.monday_of_week(known[0]) if known else today - dt.timedelta(weeks=11)
    assert first is not None
    out: list[str] = []
    monday = first - dt.timedelta(days=first.weekday())
    while monday <= today:
        year, week, _ = monday.isocalendar()
        out.append(f"{year}-W{week:02d}")
        monday += dt.timedelta(weeks=1)
    return out or known


def render() -> None:
    """Draw the activity page: report entry, import, progress and the plan loop."""
    st.title(state.tr("ui.page.activity"), anchor=False)
    try:
        roster = state.current_roster()
        result = state.analyze(roster.teams)
        astore = _astore()
        code = state.province_code()
        if astore.count_reports(code) == 0 and roster.is_sample:
            border = result.communes.loc[result.communes["is_border"].astype(bool), "code"]
            planning.ensure_sample_activity(
                astore,
                code,
                teams=roster.teams,
                communes=state.inputs().communes,
                border_codes=border.astype(str).tolist(),
            )
        marker = planning.change_marker(astore, code)
        known = _weeks(code, marker, str(astore.path))
    except InputError as error:
        widgets.show_input_error(error, key="act_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    st.caption(state.tr("act.intro"))

    options = _week_options(known)
    default_last = known[-1] if known else options[-1]
    default_first = (
        options[max(0, options.index(default_last) - 3)] if default_last in options else options[0]
    )
    pick = st.columns([1, 1, 3], vertical_alignment="bottom")
    first = pick[0].selectbox(
        state.tr("act.period_from"),
        options=options,
        key="act_from",
        index=options.index(default_first),
    )
    last = pick[1].selectbox(
        state.tr("act.period_to"),
        options=options,
        key="act_to",
        index=options.index(default_last) if default_last in options else len(options) - 1,
    )
    if options.index(last) < options.index(first):
        first, last = last, first
    flags = result.communes[["code", "name", "is_border", "is_remote", "is_underserved"]]
    view = _progress(
        code,
        marker,
        planning.roster_hash(roster.teams),
        first,
        last,
        roster.teams,
        flags,
        str(astore.path),
    )
    progress = view.progress
    period = progress.period
    pick[2].caption(
        state.tr(
            "act.period_caption",
            label=period.label,
            start=period.start.strftime("%d/%m/%Y"),
            end=period.end.strftime("%d/%m/%Y"),
            weeks=period.week_count,
        )
    )
    if view.sample_rows:
        st.warning(state.tr("act.sample_notice", count=view.sample_rows), icon="⚠️")
    _headline(progress.summary)
    _commune_panel(astore, code, progress)

    tabs = st.tabs(
        [
            state.tr("act.tab.progress"),
            state.tr("act.tab.enter"),
            state.tr("act.tab.charts"),
            state.tr("act.tab.targets"),
            state.tr("act.tab.review"),
        ]
    )
    with tabs[0]:
        _progress_tab(progress, result, view.sample_rows, roster)
    with tabs[1]:
        _entry_tab(astore, code, roster, period, progress)
    with tabs[2]:
        _charts_tab(progress, view.sample_rows)
    with tabs[3]:
        _targets_tab(astore, code, progress)
    with tabs[4]:
        _review_tab(progress)


def _commune_figures(progress: planning.Progress, code: str) -> tuple[int, float]:
    row = progress.communes[progress.communes["code"] == code]
    if row.empty:
        return 0, float("nan")
    return int(row["residents_helped"].iloc[0]), float(row["progress_ratio"].iloc[0])


def _commune_panel(astore: planning.ActivityStore, code: str, progress: planning.Progress) -> None:
    """One commune's progress (the one just reported on, or chosen), and recent entries."""
    language = state.lang()
    names = dict(
        zip(
            progress.communes["code"].astype(str),
            progress.communes["name"].astype(str),
            strict=True,
        )
    )
    recent = astore.recent_entries(code, limit=8)
    nxt = st.session_state.pop("act_commune_next", None)
    if nxt in names:
        st.session_state["act_commune"] = nxt
    if st.session_state.get("act_commune") not in names:
        selected = state.selected_commune()
        last_entered = str(recent["commune_code"].iloc[0]) if len(recent) else None
        behind = progress.communes.loc[progress.communes["is_behind"], "code"].astype(str).tolist()
        st.session_state["act_commune"] = next(
            c for c in (selected, last_entered, *behind, *names) if c in names
        )
    flash = st.session_state.pop("act_flash", None)
    if flash:
        st.success(flash)
    change = st.session_state.pop("act_change", None)
    with st.container(key="act_commune_panel", border=True):
        chosen = st.selectbox(
            state.tr("act.panel.commune"),
            options=list(names),
            key="act_commune",
            format_func=lambda c: f"{c} – {names.get(c, '')}",
        )
        row = progress.communes[progress.communes["code"] == chosen].iloc[0]
        if change is not None and change[0] == chosen:
            st.info(
                state.tr(
                    "act.panel.change",
                    name=names[chosen],
                    before=format_percent(change[2], language, decimals=0),
                    after=format_percent(float(row["progress_ratio"]), language, decimals=0),
                    residents_before=format_number(change[1], language),
                    residents_after=format_number(int(row["residents_helped"]), language),
                )
            )
        cols = st.columns(4)
        cols[0].metric(
            state.tr("act.panel.residents"), format_number(int(row["residents_helped"]), language)
        )
        cols[1].metric(
            state.tr("act.panel.per_week"),
            format_number(float(row["residents_per_week"]), language),
            delta=state.tr(
                "act.panel.target",
                target=format_number(float(row["target_residents_per_week"]), language),
            ),
            delta_color="off",
            delta_arrow="off",
        )
        cols[2].metric(
            state.tr("act.panel.progress"),
            format_percent(float(row["progress_ratio"]), language, decimals=0),
        )
        cols[3].metric(
            state.tr("act.metric.reporting"), format_percent(float(row["reporting_rate"]), language)
        )
        reasons = str(row[f"behind_reasons_{language}"])
        if reasons:
            st.caption(state.tr("act.panel.why", reasons=reasons))
    if len(recent):
        with st.container(key="act_recent"):
            st.caption(state.tr("act.recent.heading"))
            table = recent.assign(entered_at=recent["entered_at"].map(widgets.local_time))
            st.table(table.rename(columns={c: state.tr(f"act.recent.{c}") for c in table.columns}))


def _headline(summary: dict[str, object]) -> None:
    language = state.lang()
    cols = st.columns(5)
    cols[0].metric(
        state.tr("act.metric.reporting"),
        format_percent(cast(float, summary["reporting_rate"]), language),
        help=state.tr("act.metric.reporting_help"),
    )
    cols[1].metric(
        state.tr("act.metric.timely"),
        format_percent(cast(float, summary["timeliness"]), language),
        help=state.tr("act.metric.timely_help", days=PARAMS.timely_days),
    )
    cols[2].metric(
        state.tr("act.metric.residents"),
        format_number(cast(float, summary["residents_per_week"]), language),
        delta=state.tr(
            "act.metric.progress",
            target=format_number(cast(float, summary["target_residents_per_week"]), language),
            share=format_percent(cast(float, summary["progress_ratio"]), language, decimals=0),
        ),
        delta_color="off",
        delta_arrow="off",
    )
    cols[3].metric(state.tr("act.metric.behind"), str(summary["communes_behind"]))
    cols[4].metric(
        state.tr("act.metric.silent"),
        str(summary["silent_teams"]),
        delta=f"{state.tr('act.metric.review')}: {summary['outliers']}",
        delta_color="off",
        delta_arrow="off",
    )


def _progress_tab(progress: object, result: object, sample_rows: int, roster: state.Roster) -> None:
    assert isinstance(progress, planning.Progress)
    language = state.lang()
    only_behind = st.checkbox(state.tr("act.only_behind"), key="act_only_behind")
    communes = state.display_communes(result)  # type: ignore[arg-type]
    columns = progress.communes.set_index("code")
    frame = communes.copy()
    for column in (
        "progress_ratio",
        "is_behind",
        "residents_per_week",
        "target_residents_per_week",
    ):
        frame[column] = frame["code"].astype(str).map(columns[column])
    # The tooltip shows the reasons for being behind (plain words), not the coverage reasons.
    frame["reasons_vi"] = frame["code"].astype(str).map(columns["behind_reasons_vi"]).fillna("")
    frame["reasons_en"] = frame["code"].astype(str).map(columns["behind_reasons_en"]).fillna("")
    frame["is_behind"] = frame["is_behind"].fillna(False).astype(bool)
    shown = frame[frame["is_behind"]] if only_behind else frame
    inputs = state.inputs()
    roster_key = planning.roster_hash(roster.teams)

    def build_base() -> folium_bridge.FoliumMap:
        return planning.build_base_map(
            frame,
            None,
            lang=language,
            title=inputs.province.name if inputs.province is not None else "",
            teams_is_sample=roster.is_sample,
            indicators_is_estimate=inputs.indicators_is_estimate,
            simplify_tolerance_m=None,
        )

    def build_style() -> planning.CommuneStyle:
        return planning.commune_style(
            frame,
            metric="progress_ratio",
            lang=language,
            shown_codes=shown["code"].astype(str).tolist() if only_behind else None,
        )

    behind_key = planning.frame_hash(frame[["code", "is_behind"]])
    base_key = ("activity", state.province_code(), roster_key, language, behind_key)
    style_key = (
        "activity",
        state.province_code(),
        roster_key,
        language,
        progress.period.label,
        planning.frame_hash(frame[["code", "progress_ratio", "reasons_vi"]]),
        only_behind,
    )
    st.caption(state.tr("act.map_help"))
    args = folium_bridge.map_args(base_key, MAP_KEY, build_base)
    folium_bridge.show_map(
        args,
        key=MAP_KEY,
        communes=frame,
        height=520,
        style=folium_bridge.map_style(style_key, build_style),
    )
    table = planning.progress_commune_table(progress, lang=language)
    if only_behind:
        table = table[progress.communes["is_behind"].to_numpy()]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="act_commune_table",
        column_config={
            t("prog.col.progress_ratio", language): st.column_config.ProgressColumn(
                format="percent", min_value=0.0, max_value=1.5
            )
        },
    )
    st.download_button(
        state.tr("act.download_xlsx"),
        data=planning.progress_workbook(progress, lang=language, sample_rows=sample_rows),
        file_name=f"tien_do_{progress.period.label.replace('..', '_')}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="act_download_xlsx",
    )
    st.subheader(state.tr("act.teams_heading"), anchor=False)
    st.dataframe(
        planning.progress_team_table(progress, lang=language),
        hide_index=True,
        width="stretch",
        key="act_team_table",
    )


def _entry_tab(
    astore: planning.ActivityStore,
    code: str,
    roster: state.Roster,
    period: planning.Period,
    progress: planning.Progress,
) -> None:
    language = state.lang()
    teams = roster.teams
    names = dict(zip(teams["team_id"].astype(str), teams["team_name"].astype(str), strict=True))
    commune_names = widgets.commune_names()
    st.subheader(state.tr("act.form.heading"), anchor=False)
    st.caption(state.tr("act.form.unsaved"))
    default_day = min(period.end, planning.today_vietnam())
    with st.form("act_form", clear_on_submit=False):
        row1 = st.columns(3)
        team = row1[0].selectbox(
            state.tr("act.form.team"),
            options=list(names),
            key="act_f_team",
            format_func=lambda t_id: f"{t_id} – {names.get(t_id, '')}",
        )
        day = row1[1].date_input(
            state.tr("act.form.date"),
            value=default_day,
            key="act_f_date",
            format="DD/MM/YYYY",
            max_value=planning.today_vietnam(),
        )
        weekly = row1[2].checkbox(state.tr("act.form.weekly"), key="act_f_weekly")
        row2 = st.columns(3)
        commune = row2[0].selectbox(
            state.tr("act.form.commune"),
            options=["", *commune_names],
            key="act_f_commune",
            format_func=lambda c: (
                state.tr("act.form.commune_home") if not c else f"{c} – {commune_names.get(c, '')}"
            ),
        )
        place = row2[1].selectbox(
            state.tr("act.form.place"),
            options=[c for c, _ in planning.PLACE_KINDS],
            key="act_f_place",
            format_func=state.labeller("act.place."),
        )
        village = row2[2].text_input(state.tr("act.form.village"), key="act_f_village")
        row3 = st.columns(3)
        volunteers = row3[0].number_input(
            state.tr("act.form.volunteers"),
            min_value=1,
            max_value=500,
            value=5,
            step=1,
            key="act_f_volunteers",
        )
        hours = row3[1].number_input(
            state.tr("act.form.hours"),
            min_value=0.0,
            max_value=168.0,
            value=3.0,
            step=0.5,
            key="act_f_hours",
        )
        residents = row3[2].number_input(
            state.tr("act.form.residents"),
            min_value=0,
            max_value=100_000,
            value=0,
            step=1,
            key="act_f_residents",
        )
        row4 = st.columns(5)
        counts = {}
        for column, (field, label) in zip(
            row4,
            (
                ("vneid_installs", "act.form.vneid_installs"),
                ("vneid_level2", "act.form.vneid_level2"),
                ("online_filings", "act.form.online_filings"),
                ("social_apps", "act.form.social_apps"),
                ("cashless_payments", "act.form.cashless"),
            ),
            strict=True,
        ):
            counts[field] = column.number_input(
                state.tr(label),
                min_value=0,
                max_value=100_000,
                value=0,
                step=1,
                key=f"act_f_{field}",
            )
        row5 = st.columns(3)
        model = row5[0].selectbox(
            state.tr("act.form.model"),
            options=[c for c, _ in planning.WORKING_MODELS],
            key="act_f_model",
            format_func=lambda m: planning.model_label(str(m), language),
        )
        languages = row5[1].text_input(
            state.tr("act.form.languages"), value="vi", key="act_f_languages"
        )
        notes = row5[2].text_input(state.tr("act.form.notes"), key="act_f_notes")
        st.caption(
            state.tr(
                "act.form.author_note",
                author=widgets.markdown_text(state.author()) or state.tr("act.form.no_author"),
            )
        )
        submitted = st.form_submit_button(state.tr("act.form.save"), type="primary")
    if submitted:
        home = str(teams.loc[teams["team_id"].astype(str) == team, "commune_code"].iloc[0])
        where = commune or home
        chosen = day
        values = {
            "team_id": team,
            "commune_code": where,
            "place_kind": place,
            "village": village,
            "volunteers": str(int(volunteers)),
            "hours": f"{float(hours):g}",
            "residents_helped": str(int(residents)),
            "working_model": model,
            "languages": languages,
            "notes": notes,
            **{k: str(int(v)) for k, v in counts.items()},
        }
        if weekly:
            year, week, _ = chosen.isocalendar()
            values["week"] = f"{year}-W{week:02d}"
        else:
            values["date"] = chosen.isoformat()
        try:
            stored, _ = planning.enter_report(
                astore,
                code,
                values,
                teams=teams,
                communes=state.inputs().communes,
                author=state.author(),
                session_id=state.session_id(),
            )
        except InputError as error:
            widgets.show_input_error(error, key="act_form_problems")
        except planning.StorageError as error:
            widgets.show_storage_error(error)
        else:
            what = (
                "act.form.added"
                if stored.added
                else "act.form.corrected"
                if stored.corrected
                else "act.form.unchanged"
            )
            st.session_state["act_flash"] = state.tr(
                "act.form.saved",
                team=widgets.markdown_text(team),
                day=chosen.strftime("%d/%m/%Y"),
                commune=f"{where} {commune_names.get(where, '')}",
                what=state.tr(what),
            )
            st.session_state["act_change"] = (where, *_commune_figures(progress, where))
            st.session_state["act_commune_next"] = where
            st.rerun()

    st.subheader(state.tr("act.upload.heading"), anchor=False)
    st.download_button(
        state.tr("act.upload.template"),
        data=planning.template_frame().to_csv(index=False).encode("utf-8"),
        file_name="template_activity.csv",
        mime="text/csv",
        key="act_template",
    )
    upload = st.file_uploader(state.tr("act.upload.label"), type=["csv", "xlsx"], key="act_upload")
    if upload is None:
        return
    try:
        log = planning.check_activity(upload, teams=teams, communes=state.inputs().communes)
    except InputError as error:
        widgets.show_input_error(error, key="act_upload_problems")
        return
    if log.errors:
        widgets.show_input_error(InputError(list(log.problems)), key="act_upload_problems")
        return
    warnings = len(log.problems)
    st.info(
        state.tr(
            "act.upload.ok",
            name=widgets.markdown_text(log.file),
            rows=len(log.reports),
            warnings=state.tr("act.upload.warnings", count=warnings) if warnings else "",
        )
    )
    if warnings:
        widgets.show_problems(log.problems, key="act_upload_warnings")
    if st.button(
        state.tr("act.upload.save", rows=len(log.reports)), key="act_upload_save", type="primary"
    ):
        try:
            stored = astore.store_reports(
                code,
                log.reports,
                author=state.author(),
                session_id=state.session_id(),
                source=log.file,
                team_communes=planning.team_communes(teams),
            )
        except planning.StorageError as error:
            widgets.show_storage_error(error)
            return
        st.session_state["act_flash"] = state.tr(
            "act.upload.stored",
            added=stored.added,
            corrected=stored.corrected,
            unchanged=stored.unchanged,
        )
        st.rerun()


def _charts_tab(progress: object, sample_rows: int) -> None:
    assert isinstance(progress, planning.Progress)
    language = state.lang()
    st.pyplot(
        planning.weekly_chart(progress, lang=language, sample_rows=sample_rows), clear_figure=False
    )
    names = dict(zip(progress.communes["code"], progress.communes["name"], strict=True))
    selected = state.selected_commune()
    options = list(names)
    code = st.selectbox(
        state.tr("act.trend_commune"),
        options=options,
        key="act_trend_commune",
        index=options.index(selected) if selected in names else 0,
        format_func=lambda c: f"{c} – {names.get(c, '')}",
    )
    st.pyplot(
        planning.commune_trend_chart(progress, str(code), lang=language, sample_rows=sample_rows)
    )
    st.pyplot(planning.teams_chart(progress, lang=language, sample_rows=sample_rows))
    st.pyplot(planning.models_chart(progress, lang=language, sample_rows=sample_rows))


def _targets_tab(astore: planning.ActivityStore, code: str, progress: object) -> None:
    assert isinstance(progress, planning.Progress)
    language = state.lang()
    st.caption(state.tr("act.targets.help"))
    flash = st.session_state.pop("act_targets_flash", None)
    if flash:
        st.success(flash)
    current = progress.communes[
        [
            "code",
            "name",
            "target_residents_per_week",
            "target_vneid_level2_per_week",
            "target_source",
        ]
    ].copy()
    current["target_source"] = current["target_source"].map(
        lambda v: t(f"prog.target.{v}", language)
    )
    labels = {
        "code": t("prog.col.code", language),
        "name": t("prog.col.name", language),
        "target_residents_per_week": state.tr("act.col.target_residents"),
        "target_vneid_level2_per_week": state.tr("act.col.target_vneid"),
        "target_source": t("prog.col.target_source", language),
    }
    edited = st.data_editor(
        current.rename(columns=labels),
        hide_index=True,
        width="stretch",
        key=f"act_targets_editor.{code}",
        disabled=[labels["code"], labels["name"], labels["target_source"]],
    )
    online = st.number_input(
        state.tr("act.targets.online"),
        min_value=0.0,
        max_value=100.0,
        step=1.0,
        value=float(progress.summary["online_filing_target"]) * 100,
        key="act_target_online",
    )
    if st.button(state.tr("act.targets.save"), key="act_targets_save", type="primary"):
        changed = 0
        back = edited.rename(columns={v: k for k, v in labels.items()})
        try:
            for metric, column in (
                ("residents_per_week", "target_residents_per_week"),
                ("vneid_level2_per_week", "target_vneid_level2_per_week"),
            ):
                new = pd.to_numeric(back[column], errors="coerce")
                old = current[column].astype(float)
                for i in range(len(back)):
                    value = float(new.iloc[i])
                    if value == value and value >= 0 and abs(value - float(old.iloc[i])) > 1e-9:
                        astore.save_target(
                            code,
                            metric=metric,
                            value=value,
                            commune_code=str(back["code"].iloc[i]),
                            author=state.author(),
                            session_id=state.session_id(),
                        )
                        changed += 1
            if abs(online / 100 - float(progress.summary["online_filing_target"])) > 1e-9:
                astore.save_target(
                    code,
                    metric="online_filing_share",
                    value=online / 100,
                    author=state.author(),
                    session_id=state.session_id(),
                )
                changed += 1
        except planning.StorageError as error:
            widgets.show_storage_error(error)
            return
        st.session_state["act_targets_flash"] = (
            state.tr("act.targets.saved", count=changed)
            if changed
            else state.tr("act.targets.none")
        )
        st.rerun()
    history = astore.target_history(code)
    if len(history):
        st.subheader(state.tr("act.targets.history"), anchor=False)
        history = history.assign(saved_at=history["saved_at"].map(widgets.local_time))
        st.dataframe(
            history.drop(columns=["id"]), hide_index=True, width="stretch", key="act_target_history"
        )


def _review_tab(progress: object) -> None:
    assert isinstance(progress, planning.Progress)
    language = state.lang()
    st.subheader(state.tr("act.review.silent"), anchor=False)
    silent = progress.teams[progress.teams["is_silent"]]
    if silent.empty:
        st.caption(state.tr("act.review.none"))
    else:
        view = dataclasses.replace(progress, teams=silent)
        st.dataframe(
            planning.progress_team_table(view, lang=language),
            hide_index=True,
            width="stretch",
            key="act_silent",
        )
    st.subheader(state.tr("act.metric.review"), anchor=False)
    st.caption(state.tr("act.review.outliers"))
    if progress.outliers.empty:
        st.caption(state.tr("act.review.none"))
    else:
        columns = [
            "day",
            "team_id",
            "commune_code",
            "volunteers",
            "hours",
            "residents_helped",
            "throughput",
            "team_median",
            "source",
            "author",
        ]
        table = progress.outliers[[c for c in columns if c in progress.outliers.columns]].copy()
        table["day"] = pd.to_datetime(table["day"]).dt.strftime("%d/%m/%Y")
        table = table.round(2).rename(
            columns={c: t(f"prog.col.{c}", language) for c in table.columns}
        )
        st.dataframe(table, hide_index=True, width="stretch", key="act_outliers")


render()
