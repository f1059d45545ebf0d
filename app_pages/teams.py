"""Page: the team roster (Đội hình): edit, add, move, resize, remove, with history.

Every change goes through ``validate_teams`` (the same rules as a file import). A valid
change is saved at once as a new revision of the SQLite store, from the revision this
tab started from; an invalid one is kept in the editor with its problems listed, never
dropped. If another tab saved in between, the conflict is shown with who changed what,
and the planner chooses to reload or to keep their own version.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from coverage.errors import InputError
from coverage.i18n import format_number
from coverage.storage import StorageError

# Form buttons: a submitted form applies to the revision the planner was looking at.
SUBMIT_KEYS = ("teams_add_submit", "teams_move_submit", "teams_remove_submit")


def _conflict_panel() -> None:
    pending = st.session_state.get(ui.conflict_key())
    if not pending:
        return
    error, mine = pending
    st.error(f"**{ui.tr('ui.teams.conflict_title')}**\n\n{ui.plain(error.message(ui.lang()))}")
    theirs = error.their_changes
    if theirs is not None:
        st.caption(ui.tr(
            "ui.teams.conflict_theirs",
            added=ui.plain(", ".join(theirs.added)) or ui.tr("ui.none"),
            removed=ui.plain(", ".join(theirs.removed)) or ui.tr("ui.none"),
            changed=ui.plain(", ".join(theirs.changed)) or ui.tr("ui.none"),
        ))
    left, right = st.columns(2)
    if left.button(ui.tr("ui.teams.conflict_reload"), key="teams_conflict_reload"):
        st.session_state.pop(ui.conflict_key(), None)
        ui.set_base_revision(error.current_revision)
        st.rerun()
    if (right.button(ui.tr("ui.teams.conflict_keep"), key="teams_conflict_keep")
            and ui.try_save(mine, base=error.current_revision) is not None):
        st.rerun()


def _apply(table: pd.DataFrame, *, base: int) -> None:
    """Validate a whole roster built by a form; save it or show its problems."""
    teams, problems = ui.validate_roster(table, file=ui.tr("ui.teams.form_file"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        st.session_state["teams_form_problems"] = problems
        st.rerun()
    st.session_state.pop("teams_form_problems", None)
    if ui.try_save(teams, base=base) is not None or st.session_state.get(ui.conflict_key()):
        st.rerun()  # otherwise the form keeps what was typed, under the message why it was not saved


def render() -> None:
    st.title(ui.tr("ui.page.teams"), anchor=False)
    try:
        plan = ui.current_plan()
    except InputError as error:
        ui.show_input_error(error, key="teams_problems")
        return
    except StorageError as error:
        ui.show_storage_error(error)
        return
    ui.data_notices(plan)
    base = ui.base_revision()
    if base < 0:
        ui.set_base_revision(plan.revision)
        base = plan.revision
    elif (base != plan.revision and not ui.has_pending_edits() and not st.session_state.get(ui.conflict_key())
          and not any(st.session_state.get(key) for key in SUBMIT_KEYS)):
        ui.set_base_revision(plan.revision)
        base = plan.revision
        st.info(ui.tr("ui.teams.newer", revision=plan.revision, author=ui.plain(plan.saved_by) or "–"))
    flash = st.session_state.pop(f"roster_flash.{ui.province_code()}", None)
    if flash is not None:
        st.success(ui.tr("ui.teams.saved", revision=flash))
    if base == 0:
        st.caption(ui.tr("ui.teams.revision_none", source=ui.plain(plan.source)))
    else:
        st.caption(ui.tr("ui.teams.revision", revision=base, saved_at=ui.local_time(plan.saved_at),
                         author=ui.plain(plan.saved_by) or "–"))
    _conflict_panel()

    try:
        base_teams = ui.roster_at(base)
    except StorageError as error:
        ui.show_storage_error(error)
        return
    table = ui.editor_table(base_teams)
    st.caption(ui.tr("ui.teams.intro"))
    column_config = {
        "team_id": st.column_config.TextColumn(ui.tr("ui.field.team_id")),
        "team_name": st.column_config.TextColumn(ui.tr("ui.field.team_name"), width="large"),
        "commune_code": st.column_config.TextColumn(ui.tr("ui.field.code")),
        "latitude": st.column_config.TextColumn(ui.tr("ui.field.latitude"), help=ui.tr("ui.teams.coord_help")),
        "longitude": st.column_config.TextColumn(ui.tr("ui.field.longitude"), help=ui.tr("ui.teams.coord_help")),
        "members": st.column_config.TextColumn(ui.tr("ui.field.members")),
        "mode": st.column_config.SelectboxColumn(ui.tr("ui.field.mode"), options=["fixed", "mobile"],
                                                 help=ui.tr("ui.teams.mode_help")),
        "skills": st.column_config.TextColumn(ui.tr("ui.field.skills"), help=ui.tr("ui.teams.list_help")),
        "languages": st.column_config.TextColumn(ui.tr("ui.field.languages"), help=ui.tr("ui.teams.list_help")),
        "weekly_hours": st.column_config.TextColumn(ui.tr("ui.field.hours")),
    }
    edited = st.data_editor(
        table, key=ui.editor_key(), num_rows="dynamic", hide_index=True,
        width="stretch", column_config=column_config, height=420,
    )
    pending = ui.has_pending_edits()
    if pending:
        teams, problems = ui.validate_roster(ui.editor_output_as_text(edited), file=ui.tr("ui.teams.editor_file"))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            st.error(ui.tr("ui.teams.invalid", count=len(errors)))
            ui.show_problems(problems, key="teams_edit_problems")
            if st.button(ui.tr("ui.teams.discard"), key="teams_discard"):
                ui.bump_editor()
                st.rerun()
        elif not st.session_state.get(ui.conflict_key()) and ui.try_save(teams, base=base) is not None:
            st.rerun()

    form_problems = st.session_state.get("teams_form_problems")
    if form_problems:
        st.error(ui.tr("ui.teams.invalid", count=len(form_problems)))
        ui.show_problems(form_problems, key="teams_form_problem_table")

    names = ui.commune_names()
    current = ui.editor_table(base_teams)
    team_labels = dict(zip(current["team_id"], current["team_name"], strict=True))
    add_col, move_col, remove_col = st.columns(3)
    with add_col, st.form("teams_add_form", border=True):
        st.markdown(f"**{ui.tr('ui.teams.add')}**")
        commune = st.selectbox(ui.tr("ui.teams.add_commune"), options=list(names),
                               format_func=lambda c: names[c], key="teams_add_commune")
        name = st.text_input(ui.tr("ui.teams.add_name"), key="teams_add_name")
        members = st.number_input(ui.tr("ui.field.members"), min_value=1, max_value=100, value=15,
                                  step=1, key="teams_add_members")
        mode = st.selectbox(ui.tr("ui.field.mode"), options=["mobile", "fixed"],
                            format_func=ui.labeller("ui.mode."), key="teams_add_mode")
        hours = st.number_input(ui.tr("ui.field.hours"), min_value=0.0, max_value=60.0, value=4.0,
                                step=0.5, format="%.1f", key="teams_add_hours")
        if st.form_submit_button(ui.tr("ui.teams.add_button"), disabled=pending, key="teams_add_submit"):
            row = {
                "team_id": ui.next_team_id(base_teams),
                "team_name": name.strip() or ui.tr("ui.teams.add_name_default", commune=names[commune]),
                "commune_code": commune, "latitude": "", "longitude": "",
                "members": str(int(members)), "mode": mode, "skills": "vneid;public_service_portal",
                "languages": "vi", "weekly_hours": format_number(hours, "en", decimals=1),
            }
            _apply(pd.concat([current, pd.DataFrame([row])], ignore_index=True), base=base)
    with move_col, st.form("teams_move_form", border=True):
        st.markdown(f"**{ui.tr('ui.teams.move')}**")
        team = st.selectbox(ui.tr("ui.teams.move_team"), options=list(team_labels),
                            format_func=lambda i: f"{team_labels[i]} ({i})", key="teams_move_team")
        target = st.selectbox(ui.tr("ui.teams.move_commune"), options=list(names),
                              format_func=lambda c: names[c], index=None, key="teams_move_commune",
                              placeholder=ui.tr("ui.commune.placeholder"))
        coords = st.columns(2)
        lat = coords[0].text_input(ui.tr("ui.teams.move_lat"), key="teams_move_lat")
        lon = coords[1].text_input(ui.tr("ui.teams.move_lon"), key="teams_move_lon")
        new_members = st.number_input(ui.tr("ui.field.members"), min_value=1, max_value=100, value=None,
                                      step=1, key="teams_move_members")
        if st.form_submit_button(ui.tr("ui.teams.move_button"), disabled=pending, key="teams_move_submit"):
            changed = current.copy()
            where = changed["team_id"] == team
            if target is not None:
                changed.loc[where, ["commune_code", "latitude", "longitude"]] = [target, "", ""]
            if lat.strip() or lon.strip():
                changed.loc[where, ["latitude", "longitude"]] = [lat.strip(), lon.strip()]
            if new_members is not None:
                changed.loc[where, "members"] = str(int(new_members))
            _apply(changed, base=base)
    with remove_col, st.form("teams_remove_form", border=True):
        st.markdown(f"**{ui.tr('ui.teams.remove')}**")
        gone = st.selectbox(ui.tr("ui.teams.move_team"), options=list(team_labels),
                            format_func=lambda i: f"{team_labels[i]} ({i})", key="teams_remove_team")
        if st.form_submit_button(ui.tr("ui.teams.remove_button"), disabled=pending, key="teams_remove_submit"):
            _apply(current[current["team_id"] != gone], base=base)

    with st.expander(ui.tr("ui.teams.history")):
        revisions = ui.store().list_roster_revisions(ui.province_code())
        cols = ui.tr("ui.teams.history_cols").split("|")
        st.dataframe(pd.DataFrame([
            [r.revision, ui.local_time(r.saved_at), r.author or "–", r.team_count,
             ", ".join(r.changes.added), ", ".join(r.changes.removed), ", ".join(r.changes.changed), r.note]
            for r in revisions
        ], columns=cols), hide_index=True, width="stretch", key="teams_history")


render()
