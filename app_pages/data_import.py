"""Page: data files (Dữ liệu): what is in use, templates, and checking uploaded files.

An uploaded file is read and validated by ``coverage.planning`` (schema first, then
every row); problems are listed as a table with the file, row, column, value and fix.
A valid roster can become the current roster (a new revision in the store). A valid
indicator file can become the province's indicators (a new indicator revision in the
store, kept across restarts); the planner can go back to the ILLUSTRATIVE ESTIMATE at
any time, and a bad file never replaces the indicators in use.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import actions, state, widgets
from app_pages.crosswalk_section import render_crosswalk
from coverage import planning
from coverage.errors import InputError


def _flash_key() -> str:
    return f"indicators_flash.{state.province_code()}"


def _indicator_note() -> str:
    inputs = state.inputs()
    if inputs.indicators_is_estimate:
        return state.tr("ui.data.note_estimate")
    parts = [
        state.tr("ui.data.note_uploaded", saved_at=widgets.local_time(inputs.indicators_saved_at))
    ]
    if inputs.indicators_saved_by:
        parts.append(inputs.indicators_saved_by)
    if inputs.indicators_missing:
        parts.append(state.tr("ui.data.note_missing", count=len(inputs.indicators_missing)))
    return ", ".join(parts)


def _sources(roster: state.Roster) -> None:
    inputs = state.inputs()
    st.subheader(state.tr("ui.data.sources"), anchor=False)
    roster_note = state.tr("ui.data.note_sample") if roster.is_sample else ""
    if roster.revision:
        roster_note = ", ".join(
            filter(None, [roster_note, state.tr("ui.data.note_saved", revision=roster.revision)])
        )
    cols = state.tr("ui.data.source_cols").split("|")
    st.dataframe(
        pd.DataFrame(
            [
                [
                    state.tr("ui.data.src_boundaries"),
                    f"{len(inputs.communes)} × {inputs.province.name if inputs.province else ''}",
                    state.tr("ui.data.note_official"),
                ],
                [state.tr("ui.data.src_roster"), roster.source_label(), roster_note],
                [
                    state.tr("ui.data.src_indicators"),
                    inputs.indicators_source_label(state.lang()),
                    _indicator_note(),
                ],
            ],
            columns=cols,
        ),
        hide_index=True,
        width="stretch",
        key="data_sources",
    )


def _indicators_in_use() -> None:
    """Show what the last click did, and the way back to the estimate when a file is in use."""
    flash = st.session_state.pop(_flash_key(), None)
    if flash is not None and flash[0] == "file":
        st.success(
            state.tr(
                "ui.data.used_indicators",
                name=widgets.markdown_text(flash[1]),
                revision=flash[2],
                rows=flash[3],
            )
        )
    elif flash is not None:
        st.success(state.tr("ui.data.backed_to_estimate"))
    if state.inputs().indicators_is_estimate:
        return
    if st.button(state.tr("ui.data.back_to_estimate"), key="data_indicators_estimate"):
        try:
            state.store().reset_indicators(
                state.province_code(), author=state.author(), session_id=state.session_id()
            )
        except planning.StorageError as error:
            widgets.show_storage_error(error)
            return
        st.session_state[_flash_key()] = ("estimate",)
        st.rerun()


def _use_indicators(table: pd.DataFrame, name: str) -> None:
    """Keep a validated indicator table as the province's indicators and show it in use."""
    try:
        info = state.store().save_indicators(
            state.province_code(),
            table,
            file_name=name,
            author=state.author(),
            session_id=state.session_id(),
        )
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    st.session_state[_flash_key()] = ("file", info.file_name, info.revision, info.row_count)
    st.rerun()


def _indicator_history() -> None:
    history = state.store().list_indicator_revisions(state.province_code())
    if not history:
        return
    with st.expander(state.tr("ui.data.indicator_history")):
        cols = state.tr("ui.data.indicator_history_cols").split("|")
        rows = [
            [
                h.revision,
                state.tr("ui.data.note_estimate") if h.is_estimate else h.file_name,
                "" if h.is_estimate else h.row_count,
                widgets.local_time(h.saved_at),
                h.author,
            ]
            for h in history
        ]
        st.dataframe(
            pd.DataFrame(rows, columns=cols).astype(str),
            hide_index=True,
            width="stretch",
            key="data_indicator_history",
        )


def _upload(kind: str, label: str) -> None:
    uploaded = st.file_uploader(label, type=["csv", "xlsx", "xls"], key=f"data_upload_{kind}")
    if uploaded is None:
        return
    size_mb = uploaded.size / 1024 / 1024
    if size_mb > state.MAX_UPLOAD_MB:
        st.error(
            state.tr(
                "ui.data.too_large",
                name=widgets.markdown_text(uploaded.name),
                size_mb=f"{size_mb:.1f}",
                limit_mb=state.MAX_UPLOAD_MB,
            )
        )
        return
    checked = actions.check_upload(uploaded.name, uploaded.getvalue(), kind=kind)
    if checked.table is None:
        # File-level problems (a zip bomb, a shifted structure) are also said in words.
        widgets.show_input_error(InputError(list(checked.problems)), key=f"data_problems_{kind}")
        if kind == "indicators":
            st.info(
                state.tr(
                    "ui.data.indicators_kept",
                    source=widgets.markdown_text(
                        state.inputs().indicators_source_label(state.lang())
                    ),
                )
            )
        return
    st.success(
        state.tr("ui.data.ok", name=widgets.markdown_text(checked.name), rows=len(checked.table))
    )
    if checked.problems:
        widgets.show_problems(checked.problems, key=f"data_warnings_{kind}")
    with st.expander(state.tr("ui.data.preview")):
        preview = (
            widgets.team_table(checked.table) if kind == "roster" else checked.table.astype(str)
        )
        st.dataframe(preview, hide_index=True, width="stretch", key=f"data_preview_{kind}")
    if kind == "roster":
        if st.button(state.tr("ui.data.use_roster"), key="data_use_roster", type="primary"):
            roster = state.current_roster()
            revision = actions.try_save(
                checked.table,
                base=roster.revision,
                note=f"file:{checked.name}",
                kind="import",
                source_file=checked.name,
            )
            pending = st.session_state.get(actions.conflict_key())
            if revision is None and pending:  # other storage problems: try_save showed them
                widgets.show_storage_error(pending[0])
            else:
                st.success(state.tr("ui.data.used_roster", revision=revision))
    else:
        inputs = state.inputs()
        in_use = (
            inputs.indicators_revision > 0
            and inputs.indicators_source == checked.name
            and planning.frame_hash(inputs.indicators) == planning.frame_hash(checked.table)
        )
        if in_use:
            st.caption(state.tr("ui.data.indicators_in_use"))
            return
        note = state.tr(
            "ui.data.indicators_note",
            province=inputs.province.name if inputs.province else "",
            source=widgets.markdown_text(inputs.indicators_source_label(state.lang())),
        )
        missing = planning.missing_indicator_codes(inputs.communes, checked.table)
        if missing:  # said before the planner chooses, not only after
            note += " " + state.tr("ui.data.indicators_will_miss", count=len(missing))
        st.info(note)
        if st.button(state.tr("ui.data.use_indicators"), key="data_use_indicators", type="primary"):
            _use_indicators(checked.table, checked.name)


def render() -> None:
    """Draw the data page: files in use, templates and the check of uploads."""
    st.title(state.tr("ui.page.data"), anchor=False)
    try:
        roster = state.current_roster()
    except InputError as error:
        widgets.show_input_error(error, key="data_load_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    _sources(roster)
    st.caption(state.tr("ui.data.intro", limit_mb=state.MAX_UPLOAD_MB))
    # One file kind after the other, full width: a problems table needs the room.
    _upload("roster", state.tr("ui.data.roster"))
    st.divider()
    _indicators_in_use()
    _upload("indicators", state.tr("ui.data.indicators"))
    _indicator_history()
    st.divider()
    render_crosswalk(_use_indicators)
    st.subheader(state.tr("ui.data.templates"), anchor=False)
    settings = state.settings()
    templates = [
        (settings.teams_dir / "template_roster.csv", "ui.data.template_roster"),
        (settings.indicators_dir / "template_indicators.csv", "ui.data.template_indicators"),
    ]
    cols = st.columns(len(templates))
    for col, (path, key) in zip(cols, templates, strict=True):
        if path.exists():
            col.download_button(
                state.tr(key),
                data=path.read_bytes(),
                file_name=path.name,
                mime="text/csv",
                key=f"data_{path.stem}",
            )


render()
