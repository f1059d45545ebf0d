"""Page: data files (Dữ liệu): what is in use, templates, and checking uploaded files.

An uploaded file is read and validated by ``coverage.planning`` (schema first, then
every row); problems are listed as a table with the file, row, column, value and fix.
A valid roster can become the current plan (a new revision in the store).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common as ui
from coverage.errors import InputError
from coverage.storage import StorageError


def _sources(plan: ui.Plan) -> None:
    inputs = ui.inputs()
    st.subheader(ui.tr("ui.data.sources"), anchor=False)
    roster_note = ui.tr("ui.data.note_sample") if plan.is_sample else ""
    if plan.revision:
        roster_note = ", ".join(filter(None, [roster_note, ui.tr("ui.data.note_saved", revision=plan.revision)]))
    cols = ui.tr("ui.data.source_cols").split("|")
    st.dataframe(pd.DataFrame([
        [ui.tr("ui.data.src_boundaries"), f"{len(inputs.communes)} × {inputs.province.name if inputs.province else ''}",
         ui.tr("ui.data.note_official")],
        [ui.tr("ui.data.src_roster"), plan.source, roster_note],
        [ui.tr("ui.data.src_indicators"), inputs.indicators_source,
         ui.tr("ui.data.note_estimate") if inputs.indicators_is_estimate else ""],
    ], columns=cols), hide_index=True, width="stretch", key="data_sources")


def _upload(kind: str, label: str) -> None:
    uploaded = st.file_uploader(label, type=["csv", "xlsx", "xls"], key=f"data_upload_{kind}")
    if uploaded is None:
        return
    size_mb = uploaded.size / 1024 / 1024
    if size_mb > ui.MAX_UPLOAD_MB:
        st.error(ui.tr("ui.data.too_large", name=ui.plain(uploaded.name), size_mb=f"{size_mb:.1f}",
                       limit_mb=ui.MAX_UPLOAD_MB))
        return
    checked = ui.check_upload(uploaded.name, uploaded.getvalue(), kind=kind)
    if checked.table is None:
        st.error(ui.tr("ui.input_error"))
        ui.show_problems(checked.problems, key=f"data_problems_{kind}")
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
            revision = ui.try_save(checked.table, base=plan.revision, note=f"file:{checked.name}")
            if revision is None:
                error, _ = st.session_state[ui.conflict_key()]
                ui.show_storage_error(error)
            else:
                st.success(ui.tr("ui.data.used_roster", revision=revision))
    else:
        st.info(ui.tr("ui.data.indicators_note"))


def render() -> None:
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
    left, right = st.columns(2)
    with left:
        _upload("roster", ui.tr("ui.data.roster"))
    with right:
        _upload("indicators", ui.tr("ui.data.indicators"))
    st.subheader(ui.tr("ui.data.templates"), anchor=False)
    settings = ui.settings()
    templates = [
        (settings.teams_dir / "template_roster.csv", "ui.data.template_roster"),
        (settings.indicators_dir / "template_indicators.csv", "ui.data.template_indicators"),
    ]
    cols = st.columns(len(templates))
    for col, (path, key) in zip(cols, templates, strict=True):
        if path.exists():
            col.download_button(ui.tr(key), data=path.read_bytes(), file_name=path.name, mime="text/csv",
                                key=f"data_{path.stem}")


render()
