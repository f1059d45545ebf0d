"""Page: the team roster (Đội hình): edit, add, move, resize, remove, with history.

Every change goes through ``validate_teams`` (the same rules as a file import). A valid
change (a form, or edits in the table) is first shown with its effect (communes whose
status changes, coverage before and after, province totals, and warnings that need a
confirmation); it is saved only when the planner presses save, as a new revision of the
SQLite store, from the revision this tab started from. An invalid one is kept in the
form or the editor with its problems listed, never dropped. Each form starts from the
chosen team's current values and changes only what the planner changed. If another tab
saved in between, the conflict is shown with who changed what, and the planner chooses to
reload or to keep their own version.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import actions, state, widgets
from app_pages import team_edits as edits
from coverage import planning
from coverage.errors import InputError
from coverage.text.i18n import format_number
from coverage.text.screens import language_picker_label

# Form buttons: a submitted form applies to the revision the planner was looking at.
SUBMIT_KEYS = ("teams_add_submit", "teams_edit_submit", "teams_remove_submit", "teams_preview_save")


def _conflict_panel() -> None:
    pending = st.session_state.get(actions.conflict_key())
    if not pending:
        return
    error, mine = pending
    st.error(
        f"**{state.tr('ui.teams.conflict_title')}**\n\n{widgets.markdown_text(error.message(state.lang()))}"
    )
    theirs = error.their_changes
    if theirs is not None:
        st.caption(
            state.tr(
                "ui.teams.conflict_theirs",
                added=widgets.markdown_text(", ".join(theirs.added)) or state.tr("ui.none"),
                removed=widgets.markdown_text(", ".join(theirs.removed)) or state.tr("ui.none"),
                changed=widgets.markdown_text(", ".join(theirs.changed)) or state.tr("ui.none"),
            )
        )
    left, right = st.columns(2)
    if left.button(state.tr("ui.teams.conflict_reload"), key="teams_conflict_reload"):
        st.session_state.pop(actions.conflict_key(), None)
        actions.set_base_revision(error.current_revision)
        st.rerun()
    if (
        right.button(state.tr("ui.teams.conflict_keep"), key="teams_conflict_keep")
        and actions.try_save(mine, base=error.current_revision) is not None
    ):
        st.rerun()


def _propose(table: pd.DataFrame, *, base: int) -> None:
    """Validate a whole roster built by a form; keep it for the preview or show its problems."""
    teams, problems = state.validate_roster(table, file=state.tr("ui.teams.form_file"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        st.session_state["teams_form_problems"] = problems
        st.rerun()
    st.session_state.pop("teams_form_problems", None)
    edits.propose(teams, base=base)
    st.rerun()


def render() -> None:
    """Draw the team roster page: edit, add, move, resize, remove, history."""
    st.title(state.tr("ui.page.teams"), anchor=False)
    try:
        roster = state.current_roster()
    except InputError as error:
        widgets.show_input_error(error, key="teams_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    waiting = edits.proposal()
    base = actions.base_revision()
    if base < 0:
        actions.set_base_revision(roster.revision)
        base = roster.revision
    elif (
        base != roster.revision
        and not actions.has_pending_edits()
        and not st.session_state.get(actions.conflict_key())
        and waiting is None
        and not any(st.session_state.get(key) for key in SUBMIT_KEYS)
    ):
        actions.set_base_revision(roster.revision)
        base = roster.revision
        st.info(
            state.tr(
                "ui.teams.newer",
                revision=roster.revision,
                author=widgets.markdown_text(roster.saved_by) or "–",
            )
        )
    flash = st.session_state.pop(f"roster_flash.{state.province_code()}", None)
    if flash is not None:
        st.success(state.tr("ui.teams.saved", revision=flash))
    if base == 0:
        st.caption(
            state.tr("ui.teams.revision_none", source=widgets.markdown_text(roster.source_label()))
        )
    else:
        st.caption(
            state.tr(
                "ui.teams.revision",
                revision=base,
                saved_at=widgets.local_time(roster.saved_at),
                author=widgets.markdown_text(roster.saved_by) or "–",
            )
        )
    _conflict_panel()

    try:
        base_teams = actions.roster_at(base)
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    st.caption(state.tr("edits.grid.intro"))
    edited = st.data_editor(
        edits.grid_table(base_teams),
        key=state.editor_key(),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=edits.grid_config(base_teams),
        height=420,
    )
    pending = actions.has_pending_edits()
    if pending:
        teams, problems = state.validate_roster(
            edits.grid_output_as_text(edited), file=state.tr("ui.teams.editor_file")
        )
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            st.error(state.tr("ui.teams.invalid", count=len(errors)))
            widgets.show_problems(problems, key="teams_edit_problems")
            if st.button(state.tr("ui.teams.discard"), key="teams_discard"):
                state.bump_editor()
                st.rerun()
        elif not st.session_state.get(actions.conflict_key()):
            st.info(state.tr("edits.preview.table_pending"))
            edits.drop_proposal()
            edits.show_preview(base_teams, teams, base=base, source="table")
            waiting = None

    form_problems = st.session_state.get("teams_form_problems")
    if form_problems:
        st.error(state.tr("ui.teams.invalid", count=len(form_problems)))
        widgets.show_problems(form_problems, key="teams_form_problem_table")

    busy = pending or waiting is not None
    if waiting is not None:
        st.info(state.tr("edits.preview.form_blocked"))
    names = widgets.commune_names()
    current = planning.editor_table(base_teams)
    team_labels = dict(zip(current["team_id"], current["team_name"], strict=True))
    _edit_panel(current, team_labels, names, base=base, busy=busy)
    add_col, remove_col = st.columns([2, 1])
    with add_col, st.form("teams_add_form", border=True):
        st.markdown(f"**{state.tr('ui.teams.add')}**")
        commune = st.selectbox(
            state.tr("ui.teams.add_commune"),
            options=list(names),
            format_func=lambda c: names[c],
            key=f"teams_add_commune_{base}",
        )
        name = st.text_input(state.tr("ui.teams.add_name"), key=f"teams_add_name_{base}")
        cols = st.columns(3)
        members = cols[0].number_input(
            state.tr("ui.field.members"),
            min_value=1,
            max_value=100,
            value=15,
            step=1,
            key=f"teams_add_members_{base}",
        )
        mode_key, mode_value = edits.by_language(f"teams_add_mode_{base}", "mobile")
        mode = cols[1].selectbox(
            state.tr("ui.field.mode"),
            options=["mobile", "fixed"],
            index=["mobile", "fixed"].index(mode_value),
            format_func=state.labeller("ui.mode."),
            key=mode_key,
        )
        hours = cols[2].number_input(
            state.tr("ui.field.hours"),
            min_value=0.0,
            max_value=60.0,
            value=4.0,
            step=0.5,
            format="%.1f",
            key=f"teams_add_hours_{base}",
        )
        skills_key, skills_value = edits.by_language(
            f"teams_add_skills_{base}", ["vneid", "public_service_portal"]
        )
        skills = st.multiselect(
            state.tr("edits.add.skills"),
            options=edits.skill_options(base_teams),
            default=skills_value,
            format_func=state.labeller("edits.skill."),
            key=skills_key,
            placeholder=state.tr("edits.placeholder.choose"),
        )
        languages_key, languages_value = edits.by_language(f"teams_add_languages_{base}", ["vi"])
        languages = st.multiselect(
            state.tr("edits.add.languages"),
            options=edits.language_options(base_teams, state.province_languages()),
            default=languages_value,
            format_func=lambda code: language_picker_label(code, state.lang()),
            key=languages_key,
            placeholder=state.tr("edits.placeholder.choose"),
        )
        if st.form_submit_button(
            state.tr("edits.add.button"), disabled=busy, key="teams_add_submit"
        ):
            row = {
                "team_id": actions.new_team_id(base_teams),
                "team_name": name.strip()
                or state.tr("ui.teams.add_name_default", commune=names[commune]),
                "commune_code": commune,
                "latitude": "",
                "longitude": "",
                "members": str(int(members)),
                "mode": mode,
                "skills": ";".join(skills),
                "languages": ";".join(languages),
                "weekly_hours": format_number(hours, "en", decimals=1),
            }
            _propose(pd.concat([current, pd.DataFrame([row])], ignore_index=True), base=base)
    with remove_col, st.form("teams_remove_form", border=True):
        st.markdown(f"**{state.tr('ui.teams.remove')}**")
        gone = st.selectbox(
            state.tr("ui.teams.move_team"),
            options=list(team_labels),
            format_func=lambda i: f"{team_labels[i]} ({i})",
            key=f"teams_remove_team_{base}",
        )
        if st.form_submit_button(
            state.tr("edits.remove.button"), disabled=busy, key="teams_remove_submit"
        ):
            _propose(current[current["team_id"] != gone], base=base)

    if waiting is not None:
        edits.show_preview(base_teams, waiting.teams, base=waiting.base, source="form")

    with st.expander(state.tr("ui.teams.history"), key="teams_history_box"):
        lines = edits.history_lines()
        if lines:
            st.markdown("\n".join(f"- {widgets.markdown_text(line)}" for line in lines))
            st.caption(state.tr("edits.history.all"))
            st.dataframe(
                edits.history_frame(), hide_index=True, width="stretch", key="teams_history"
            )
        else:
            st.caption(state.tr("edits.history.empty"))


def _edit_panel(
    current: pd.DataFrame,
    team_labels: dict[str, str],
    names: dict[str, str],
    *,
    base: int,
    busy: bool,
) -> None:
    """Edit one team: every field starts from the team's current values.

    Widget keys are per team and revision.
    """
    with st.container(border=True, key="teams_edit_panel"):
        st.markdown(f"**{state.tr('edits.edit.title')}**")
        ids = list(team_labels)
        chosen_key = f"teams_edit_chosen.{state.province_code()}"
        chosen = st.session_state.get(chosen_key)
        team = st.selectbox(
            state.tr("edits.edit.team"),
            options=ids,
            index=ids.index(chosen) if chosen in ids else 0,
            format_func=lambda i: f"{team_labels[i]} ({i})",
            key=f"teams_edit_team_{base}",
            placeholder=state.tr("edits.placeholder.choose"),
        )
        if team is None:
            return
        st.session_state[chosen_key] = team
        row = current[current["team_id"] == team].iloc[0]

        def key(field: str) -> str:
            return edits.edit_key(field, str(team), base)

        st.caption(state.tr("edits.edit.intro"))
        top = st.columns([2, 1, 1])
        codes = list(names)
        commune = top[0].selectbox(
            state.tr("edits.edit.commune"),
            options=codes,
            index=codes.index(row["commune_code"]) if row["commune_code"] in codes else None,
            format_func=lambda c: names.get(c, c),
            key=key("commune"),
            placeholder=state.tr("edits.placeholder.choose"),
        )
        lat = top[1].text_input(
            state.tr("edits.edit.lat"), value=str(row["latitude"]), key=key("lat")
        )
        lon = top[2].text_input(
            state.tr("edits.edit.lon"), value=str(row["longitude"]), key=key("lon")
        )
        name = st.text_input(
            state.tr("ui.field.team_name"), value=str(row["team_name"]), key=key("name")
        )
        rename = False
        if (
            commune is not None
            and commune != row["commune_code"]
            and name.strip() == row["team_name"]
        ):
            better = edits.renamed(str(row["team_name"]), str(row["commune_code"]), str(commune))
            if better:
                rename = st.checkbox(
                    state.tr("edits.edit.rename", new=better),
                    value=True,
                    key=key(f"rename_{commune}"),
                )
        middle = st.columns(3)
        members = middle[0].number_input(
            state.tr("ui.field.members"),
            min_value=1,
            max_value=100,
            step=1,
            value=int(float(row["members"])),
            key=key("members"),
        )
        modes = ["fixed", "mobile"]
        mode_key, mode_value = edits.by_language(
            key("mode"), row["mode"] if row["mode"] in modes else "fixed"
        )
        mode = middle[1].selectbox(
            state.tr("ui.field.mode"),
            options=modes,
            index=modes.index(mode_value),
            format_func=state.labeller("ui.mode."),
            key=mode_key,
        )
        hours = middle[2].number_input(
            state.tr("ui.field.hours"),
            min_value=0.0,
            max_value=60.0,
            step=0.5,
            value=float(row["weekly_hours"]),
            format="%.1f",
            key=key("hours"),
        )
        lists = st.columns(2)
        skills_key, skills_value = edits.by_language(key("skills"), edits.as_list(row["skills"]))
        skills = lists[0].multiselect(
            state.tr("ui.field.skills"),
            options=edits.skill_options(current),
            default=skills_value,
            format_func=state.labeller("edits.skill."),
            key=skills_key,
            placeholder=state.tr("edits.placeholder.choose"),
        )
        languages_key, languages_value = edits.by_language(
            key("languages"), edits.as_list(row["languages"])
        )
        languages = lists[1].multiselect(
            state.tr("ui.field.languages"),
            options=edits.language_options(current, state.province_languages()),
            default=languages_value,
            format_func=lambda code: language_picker_label(code, state.lang()),
            key=languages_key,
            placeholder=state.tr("edits.placeholder.choose"),
        )
        if st.button(
            state.tr("edits.edit.button"), disabled=busy, key="teams_edit_submit", type="primary"
        ):
            form = edits.TeamForm(
                commune=str(commune or row["commune_code"]),
                lat=lat,
                lon=lon,
                name=name,
                rename=rename,
                members=int(members),
                mode=str(mode),
                hours=float(hours),
                skills=tuple(skills),
                languages=tuple(languages),
            )
            changed = edits.edited_roster(current, str(team), form)
            if changed is None:
                st.info(state.tr("edits.edit.nothing"))
            else:
                _propose(changed, base=base)


render()
