"""Data page section: figures by pre-merger commune converted to the new communes.

Widgets -> one facade call (:func:`coverage.planning.convert_legacy_table`) -> render.
The converted table can be downloaded, and used as the province's indicators when it
holds the indicator columns (it then goes through the same checks as an upload).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

import coverage.text.crosswalk  # noqa: F401  (registers the "crosswalk" catalogue)
from app_pages import actions, state, widgets
from coverage import planning
from coverage.errors import InputError

INDICATOR_COLUMNS = (
    "adult_share_pct",
    "smartphone_adult_pct",
    "fixed_broadband_household_pct",
    "mobile_4g_population_pct",
    "vneid_level2_adult_pct",
    "online_filing_pct",
)
"""Required indicator columns: a converted table holding all of them can be used as indicators."""


@st.cache_data(show_spinner=False, max_entries=2)
def _commune_table(data_dir: str) -> pd.DataFrame:
    del data_dir  # the cache key: settings follow it
    return planning.load_commune_table(state.settings())


def render_crosswalk(use_indicators: Callable[[pd.DataFrame, str], None]) -> None:
    """Draw the section; ``use_indicators(table, name)`` keeps a checked indicator table."""
    st.subheader(state.tr("ui.crosswalk.title"), anchor=False)
    st.caption(state.tr("ui.crosswalk.intro"))
    uploaded = st.file_uploader(
        state.tr("ui.crosswalk.upload"), type=["csv", "xlsx"], key="crosswalk_upload"
    )
    if uploaded is None:
        return
    data, name = uploaded.getvalue(), uploaded.name
    try:
        columns = planning.legacy_table_columns(data, name=name)
    except InputError as error:
        widgets.show_input_error(error, key="crosswalk_read_problems")
        return
    keys = {"old_code", "old_commune", "old_district", "old_province"}
    choices = [c for c in columns if c not in keys]
    rate_guess, weight_guess = planning.guess_legacy_columns(choices)
    digest = hashlib.sha256(data).hexdigest()
    # Keys follow the file, so a new file starts from its own guesses.
    with st.form("crosswalk_form", enter_to_submit=False):
        counts = st.multiselect(
            state.tr("ui.crosswalk.counts"),
            choices,
            default=[c for c in choices if c not in rate_guess],
            key=f"crosswalk_counts_{digest[:12]}",
            placeholder=state.tr("ui.crosswalk.choose"),
        )
        rates = st.multiselect(
            state.tr("ui.crosswalk.rates"),
            choices,
            default=list(rate_guess),
            key=f"crosswalk_rates_{digest[:12]}",
            placeholder=state.tr("ui.crosswalk.choose"),
        )
        options = [None, *choices]
        weight = st.selectbox(
            state.tr("ui.crosswalk.weight"),
            options,
            index=options.index(weight_guess),
            key=f"crosswalk_weight_{digest[:12]}",
            format_func=lambda c: state.tr("ui.crosswalk.no_weight") if c is None else c,
        )
        submitted = st.form_submit_button(state.tr("ui.crosswalk.convert"), type="primary")
    request = (digest, tuple(counts), tuple(rates), weight)
    if submitted:
        try:
            result = planning.convert_legacy_table(
                data,
                _commune_table(str(state.settings().data_dir)),
                value_columns=counts,
                rate_columns=rates,
                weight_column=weight,
                name=name,
            )
        except InputError as error:
            st.session_state.pop("crosswalk_result", None)
            st.error(state.tr("ui.input_error"))
            widgets.show_problems(error.problems, key="crosswalk_problems")
            return
        st.session_state["crosswalk_result"] = (request, result)
    stored = st.session_state.get("crosswalk_result")
    if stored is None or stored[0] != request:
        return
    result = stored[1]
    st.success(
        state.tr(
            "ui.crosswalk.done",
            rows=result.matches["row"].nunique(),
            total=result.rows,
            communes=len(result.table),
        )
    )
    if result.unmatched:
        st.warning(state.tr("ui.crosswalk.unmatched", count=len(result.unmatched)))
        widgets.show_problems(result.unmatched, key="crosswalk_unmatched")
    if len(result.splits):
        st.markdown(state.tr("ui.crosswalk.splits"))
        column = "split_vi" if state.lang() == "vi" else "split_en"
        st.dataframe(
            result.splits[["row", column]].astype(str),
            hide_index=True,
            width="stretch",
            key="crosswalk_splits",
        )
    st.dataframe(result.table.astype(str), hide_index=True, width="stretch", key="crosswalk_table")
    stem = name.rsplit(".", 1)[0]
    out_name = f"{stem}_xa_moi.csv"
    st.download_button(
        state.tr("ui.crosswalk.download"),
        data=result.table.to_csv(index=False),
        file_name=out_name,
        mime="text/csv",
        key="crosswalk_download",
    )
    if all(c in result.table.columns for c in INDICATOR_COLUMNS):
        province = set(state.inputs().communes["code"])
        mine = result.table[result.table["commune_code"].isin(province)]
        st.caption(
            state.tr(
                "ui.crosswalk.as_indicators", count=len(mine), outside=len(result.table) - len(mine)
            )
        )
        if st.button(state.tr("ui.crosswalk.use_indicators"), key="crosswalk_use_indicators"):
            checked = actions.check_upload(
                out_name, mine.to_csv(index=False).encode("utf-8"), kind="indicators"
            )
            if checked.table is None:
                st.error(state.tr("ui.input_error"))
                widgets.show_problems(checked.problems, key="crosswalk_indicator_problems")
                return
            use_indicators(checked.table, out_name)
