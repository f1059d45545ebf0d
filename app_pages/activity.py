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
from app_pages import activity_entry, folium_bridge, state, widgets
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
    """Draw the activity page: report entry, import, progress and the monitoring loop."""
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
        activity_entry.entry_tab(astore, code, roster, period, progress)
    with tabs[2]:
        _charts_tab(progress, view.sample_rows)
    with tabs[3]:
        activity_entry.targets_tab(astore, code, progress)
    with tabs[4]:
        _review_tab(progress)


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
