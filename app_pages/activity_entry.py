"""The activity page's forms: enter or import activity reports, and set targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import coverage.text.activity  # noqa: F401  (registers the "act." catalogue)
from app_pages import state, widgets
from coverage import planning
from coverage.errors import InputError
from coverage.text.i18n import t


def _commune_figures(progress: planning.Progress, code: str) -> tuple[int, float]:
    """Return a commune's residents helped and progress (0 and NaN when it has no row)."""
    row = progress.communes[progress.communes["code"] == code]
    if row.empty:
        return 0, float("nan")
    return int(row["residents_helped"].iloc[0]), float(row["progress_ratio"].iloc[0])


def entry_tab(
    astore: planning.ActivityStore,
    code: str,
    roster: state.Roster,
    period: planning.Period,
    progress: planning.Progress,
) -> None:
    """Draw the entry tab: one activity report by form, or a checked file of reports."""
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
        except InputError as error:  # the store's own check (a key twice): rows named, none kept
            widgets.show_input_error(error, key="act_upload_refused")
            return
        st.session_state["act_flash"] = state.tr(
            "act.upload.stored",
            added=stored.added,
            corrected=stored.corrected,
            unchanged=stored.unchanged,
        )
        st.rerun()


def targets_tab(astore: planning.ActivityStore, code: str, progress: object) -> None:
    """Draw the targets tab: the period's targets by commune, editable."""
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
