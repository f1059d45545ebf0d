"""Page: meeting outputs (Báo cáo): HTML map, PNG, PDF, slides, Excel.

They come from ``coverage.outputs.reports``.

The files are made on request, for the province on screen and the roster chosen here (the
current roster or a saved scenario: then every map, figure and table is the scenario's),
in a temporary folder, and offered for download; they carry the SAMPLE and ILLUSTRATIVE
ESTIMATE labels like every other view. Files made for another province, roster or
language are never offered.
"""

from __future__ import annotations

import streamlit as st

from app_pages import actions, state, widgets
from app_pages.activity_period import progress_period
from coverage import planning
from coverage.errors import InputError

MIME = {
    ".html": "text/html",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render() -> None:
    """Draw the meeting-outputs page and its downloads."""
    st.title(state.tr("ui.page.reports"), anchor=False)
    try:
        roster = state.current_roster()
        scenarios = [s.name for s in state.store().list_scenarios(state.province_code())]
    except InputError as error:
        widgets.show_input_error(error, key="rep_problems")
        return
    except planning.StorageError as error:
        widgets.show_storage_error(error)
        return
    widgets.data_notices(roster)
    st.caption(state.tr("ui.rep.intro"))
    formats = st.multiselect(
        state.tr("ui.rep.formats"),
        options=list(planning.REPORT_FORMATS),
        default=["html", "pdf"],
        format_func=state.labeller("ui.rep.format."),
        key="rep_formats",
    )
    options = [actions.CURRENT, *scenarios]
    names = dict(state.provinces())
    st.caption(
        state.tr("ui.rep.for", province=names.get(state.province_code(), state.province_code()))
    )
    scenario = st.selectbox(
        state.tr("ui.rep.scenario"),
        options=options,
        index=0,
        key=f"rep_scenario.{state.province_code()}",
        format_func=lambda o: state.tr("ui.rep.current") if o == actions.CURRENT else str(o),
    )
    if scenario not in options:
        scenario = actions.CURRENT
    with_plan = st.checkbox(
        state.tr("ui.rep.with_plan"), key="rep_with_plan", disabled=state.suggestion() is None
    )
    period = progress_period()
    made_for = {
        "province": state.province_code(),
        "plan": scenario,
        "lang": state.lang(),
        "period": period,
    }
    if st.button(state.tr("ui.rep.make"), type="primary", key="rep_make", disabled=not formats):
        with st.spinner(state.tr("ui.rep.make")):
            files = actions.make_report(
                tuple(formats),
                scenario=None if scenario == actions.CURRENT else scenario,
                with_plan=with_plan,
                period=period,
            )
        st.session_state["rep_files"] = {**made_for, "files": files}
    made = st.session_state.get("rep_files")
    # files of another province, roster or language are never offered
    files = (
        made["files"]
        if isinstance(made, dict) and all(made.get(k) == v for k, v in made_for.items())
        else []
    )
    if files:
        st.success(state.tr("ui.rep.ready", count=len(files)))
        for n, (name, data) in enumerate(files):
            suffix = name[name.rfind(".") :]
            st.download_button(
                state.tr("ui.rep.download", name=name),
                data=data,
                file_name=name,
                mime=MIME.get(suffix, "application/octet-stream"),
                key=f"rep_download_{n}",
            )


render()
