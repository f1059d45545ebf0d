"""Page: data files (Dữ liệu): what is in use, templates, and checking uploaded files.

An uploaded file is read and validated by ``coverage.planning`` (schema first, then
every row); problems are listed as a table with the file, row, column, value and fix.
A valid roster can become the current plan (a new revision in the store). A valid
indicator file can become the province's indicators (a new indicator revision in the
store, kept across restarts); the planner can go back to the ILLUSTRATIVE ESTIMATE at
any time, and a bad file never replaces the indicators in use.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from app_pages.crosswalk_section import render_crosswalk
from coverage import planning
from coverage.errors import InputError
from coverage.storage.store import StorageError


def _flash_key() -> str:
    return f"indicators_flash.{ui.province_code()}"


def _indicator_note() -> str:
    inputs = ui.inputs()
    if inputs.indicators_is_estimate:
        return ui.tr("ui.data.note_estimate")
    parts = [ui.tr("ui.data.note_uploaded", saved_at=ui.local_time(inputs.indicators_saved_at))]
    if inputs.indicators_saved_by:
        parts.append(inputs.indicators_saved_by)
    if inputs.indicators_missing:
        parts.append(ui.tr("ui.data.note_missing", count=len(inputs.indicators_missing)))
    return ", ".join(parts)


def _sources(plan: ui.Plan) -> None:
    inputs = ui.inputs()
    st.subheader(ui.tr("ui.data.sources"), anchor=False)
    roster_note = ui.tr("ui.data.note_sample") if plan.is_sample else ""
    if plan.revision:
        roster_note = ", ".join(
            filter(None, [roster_note, ui.tr("ui.data.note_saved", revision=plan.revision)])
        )
    cols = ui.tr("ui.data.source_cols").split("|")
    st.dataframe(
        pd.DataFrame(
            [
                [
                    ui.tr("ui.data.src_boundaries"),
                    f"{len(inputs.communes)} × {inputs.province.name if inputs.province else ''}",
                    ui.tr("ui.data.note_official"),
                ],
                [ui.tr("ui.data.src_roster"), plan.source_label(), roster_note],
                [
                    ui.tr("ui.data.src_indicators"),
                    inputs.indicators_source_label(ui.lang()),
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
            ui.tr(
                "ui.data.used_indicators", name=ui.plain(flash[1]), revision=flash[2], rows=flash[3]
            )
        )
    elif flash is not None:
        st.success(ui.tr("ui.data.backed_to_estimate"))
    if ui.inputs().indicators_is_estimate:
        return
    if st.button(ui.tr("ui.data.back_to_estimate"), key="data_indicators_estimate"):
        try:
            ui.store().reset_indicators(
                ui.province_code(), author=ui.author(), session_id=ui.session_id()
            )
        except StorageError as error:
            ui.show_storage_error(error)
            return
        st.session_state[_flash_key()] = ("estimate",)
        st.rerun()


def _use_indicators(table: pd.DataFrame, name: str) -> None:
    """Keep a validated indicator table as the province's indicators and show it in use."""
    try:
        info = ui.store().save_indicators(
            ui.province_code(),
            table,
            file_name=name,
            author=ui.author(),
            session_id=ui.session_id(),
        )
    except StorageError as error:
        ui.show_storage_error(error)
        return
    st.session_state[_flash_key()] = ("file", info.file_name, info.revision, info.row_count)
    st.rerun()


def _indicator_history() -> None:
    history = ui.store().list_indicator_revisions(ui.province_code())
    if not history:
        return
    with st.expander(ui.tr("ui.data.indicator_history")):
        cols = ui.tr("ui.data.indicator_history_cols").split("|")
        rows = [
            [
                h.revision,
                ui.tr("ui.data.note_estimate") if h.is_estimate else h.file_name,
                "" if h.is_estimate else h.row_count,
                ui.local_time(h.saved_at),
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
    if size_mb > ui.MAX_UPLOAD_MB:
        st.error(
            ui.tr(
                "ui.data.too_large",
                name=ui.plain(uploaded.name),
                size_mb=f"{size_mb:.1f}",
                limit_mb=ui.MAX_UPLOAD_MB,
            )
        )
        return
    checked = ui.check_upload(uploaded.name, uploaded.getvalue(), kind=kind)
    if checked.table is None:
        # File-level problems (a zip bomb, a shifted structure) are also said in words.
        ui.show_input_error(InputError(list(checked.problems)), key=f"data_problems_{kind}")
        if kind == "indicators":
            st.info(
                ui.tr(
                    "ui.data.indicators_kept",
                    source=ui.plain(ui.inputs().indicators_source_label(ui.lang())),
                )
            )
        return
    st.success(ui.tr("ui.data.ok", name=ui.plain(checked.name), rows=len(checked.table)))
    if checked.problems:
        ui.show_problems(checked.problems, key=f"data_warnings_{kind}")
    with st.expander(ui.tr("ui.data.preview")):
        preview = ui.team_table(checked.table) if kind == "roster" else checked.table.astype(str)
        st.dataframe(preview, hide_index=True, width="stretch", key=f"data_preview_{kind}")
    if kind == "roster":
        if st.button(ui.tr("ui.data.use_roster"), key="data_use_roster", type="primary"):
            plan = ui.current_plan()
            revision = ui.try_save(
                checked.table, base=plan.revision, note=f"file:{checked.name}", kind="import"
            )
            pending = st.session_state.get(ui.conflict_key())
            if revision is None and pending:  # other storage problems: try_save showed them
                ui.show_storage_error(pending[0])
            else:
                st.success(ui.tr("ui.data.used_roster", revision=revision))
    else:
        inputs = ui.inputs()
        in_use = (
            inputs.indicators_revision > 0
            and inputs.indicators_source == checked.name
            and ui.frame_hash(inputs.indicators) == ui.frame_hash(checked.table)
        )
        if in_use:
            st.caption(ui.tr("ui.data.indicators_in_use"))
            return
        note = ui.tr(
            "ui.data.indicators_note",
            province=inputs.province.name if inputs.province else "",
            source=ui.plain(inputs.indicators_source_label(ui.lang())),
        )
        missing = planning.missing_indicator_codes(inputs.communes, checked.table)
        if missing:  # said before the planner chooses, not only after
            note += " " + ui.tr("ui.data.indicators_will_miss", count=len(missing))
        st.info(note)
        if st.button(ui.tr("ui.data.use_indicators"), key="data_use_indicators", type="primary"):
            _use_indicators(checked.table, checked.name)


def render() -> None:
    """Draw the data page: files in use, templates and the check of uploads."""
    st.title(ui.tr("ui.page.data"), anchor=False)
    try:
        plan = ui.current_plan()
    except InputError as error:
        ui.show_input_error(error, key="data_load_problems")
        return
    except StorageError as error:
        ui.show_storage_error(error)
        return
    ui.data_notices(plan)
    _sources(plan)
    st.caption(ui.tr("ui.data.intro", limit_mb=ui.MAX_UPLOAD_MB))
    # One file kind after the other, full width: a problems table needs the room.
    _upload("roster", ui.tr("ui.data.roster"))
    st.divider()
    _indicators_in_use()
    _upload("indicators", ui.tr("ui.data.indicators"))
    _indicator_history()
    st.divider()
    render_crosswalk(_use_indicators)
    st.subheader(ui.tr("ui.data.templates"), anchor=False)
    settings = ui.settings()
    templates = [
        (settings.teams_dir / "template_roster.csv", "ui.data.template_roster"),
        (settings.indicators_dir / "template_indicators.csv", "ui.data.template_indicators"),
    ]
    cols = st.columns(len(templates))
    for col, (path, key) in zip(cols, templates, strict=True):
        if path.exists():
            col.download_button(
                ui.tr(key),
                data=path.read_bytes(),
                file_name=path.name,
                mime="text/csv",
                key=f"data_{path.stem}",
            )


render()
