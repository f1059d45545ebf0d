"""Streamlit app: the province overview page (Vietnamese first, English switch).

Thin by design: widgets become arguments, one cached call into ``coverage`` loads the
inputs, and the page renders the result. Map clicks only change the selected commune;
they never reload or recompute (``returned_objects`` is limited to the clicked object,
and the selection outline is sent as ``feature_group_to_add`` so the map is not rebuilt
in the browser). Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from coverage import maps, planning
from coverage import settings as cfg
from coverage.errors import InputError
from coverage.i18n import CATALOG, Lang, format_number, register, t

_TEXT: dict[str, dict[Lang, str]] = {
    "app.page_title": {"vi": "Điều phối đội thanh niên tình nguyện", "en": "Volunteer team planner"},
    "app.title": {
        "vi": "Điều phối đội thanh niên tình nguyện hỗ trợ dịch vụ công trực tuyến",
        "en": "Planning volunteer teams that help residents use online public services",
    },
    "app.caption": {
        "vi": "Tỉnh {province}: xã/phường sau sáp nhập, dân số và các đội hiện có.",
        "en": "{province} province: post-merger communes, population and current teams.",
    },
    "app.language": {"vi": "Ngôn ngữ / Language", "en": "Ngôn ngữ / Language"},
    "app.metric_choice": {"vi": "Tô màu bản đồ theo", "en": "Shade the map by"},
    "app.communes": {"vi": "Xã/phường", "en": "Communes"},
    "app.population": {"vi": "Dân số", "en": "Population"},
    "app.teams": {"vi": "Đội tình nguyện", "en": "Volunteer teams"},
    "app.volunteers": {"vi": "Tình nguyện viên", "en": "Volunteers"},
    "app.sample_roster": {
        "vi": "Danh sách đội là dữ liệu MẪU ({source}), không phải danh sách thật. "
        "Hãy tải lên danh sách của tỉnh đoàn trước khi ra quyết định.",
        "en": "The team roster is SAMPLE data ({source}), not the real roster. "
        "Upload the province's roster before deciding anything.",
    },
    "app.estimate": {
        "vi": "Các chỉ số số hoá ({source}) là ước tính minh hoạ, không phải số liệu thống kê chính thức.",
        "en": "The digital indicators ({source}) are an illustrative estimate, not official statistics.",
    },
    "app.input_error": {
        "vi": "Chưa nạp được dữ liệu đầu vào. Hãy sửa các vấn đề dưới đây rồi tải lại trang.",
        "en": "The input data could not be loaded. Fix the problems below, then reload the page.",
    },
    "app.map_heading": {"vi": "Bản đồ", "en": "Map"},
    "app.map_help": {
        "vi": "Rê chuột lên xã/phường để xem số liệu; bấm để chọn. Bản đồ chạy được khi không có mạng.",
        "en": "Hover a commune for its numbers; click to select it. The map works with no internet.",
    },
    "app.selected": {"vi": "Xã/phường đang chọn", "en": "Selected commune"},
    "app.select_placeholder": {"vi": "Chọn hoặc bấm trên bản đồ", "en": "Choose, or click the map"},
    "app.teams_here": {"vi": "Đội tại đây", "en": "Teams here"},
    "app.no_teams_here": {"vi": "Chưa có đội nào đặt tại xã/phường này.", "en": "No team is based in this commune."},
    "app.table_heading": {"vi": "Bảng xã/phường", "en": "Commune table"},
    "app.warnings": {"vi": "Cảnh báo khi đọc dữ liệu", "en": "Warnings while reading the data"},
}
for _key, _value in _TEXT.items():  # the script reruns in one process: register once
    if _key not in CATALOG:
        register({_key: _value})

MAP_KEY = "coverage_map"


@st.cache_data(show_spinner=False)
def load_inputs(data_dir: str, shared_dir: str) -> planning.Inputs:
    """Load and validate the default province's inputs (cached per data directory)."""
    return planning.load_inputs(cfg.Settings(data_dir=Path(data_dir), shared_data_dir=Path(shared_dir)))


@st.cache_data(show_spinner=False)
def display_communes(data_dir: str, shared_dir: str) -> gpd.GeoDataFrame:
    """Commune polygons simplified for drawing (cached; analysis keeps full resolution)."""
    return maps.simplify_for_display(load_inputs(data_dir, shared_dir).communes)


def main() -> None:
    st.set_page_config(page_title=t("app.page_title"), layout="wide")
    lang: Lang = st.sidebar.radio(
        t("app.language"),
        options=["vi", "en"],
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        key="lang",
        horizontal=True,
    )
    settings = cfg.load_settings()
    dirs = (str(settings.data_dir), str(settings.shared_data_dir))
    st.title(t("app.title", lang))
    try:
        inputs = load_inputs(*dirs)
        communes = display_communes(*dirs)
    except InputError as error:
        st.error(t("app.input_error", lang) + "\n\n" + "\n\n".join(p.message(lang) for p in error.errors))
        st.dataframe(pd.DataFrame([p.as_row(lang) for p in error.problems]), hide_index=True, key="problems")
        st.stop()
        return

    province = inputs.province.name if inputs.province is not None else "Việt Nam"
    st.caption(t("app.caption", lang, province=province))
    if inputs.teams_is_sample:
        st.warning(t("app.sample_roster", lang, source=inputs.teams_source), icon="⚠️")
    if inputs.indicators_is_estimate:
        st.info(t("app.estimate", lang, source=inputs.indicators_source), icon="ℹ️")
    if inputs.warnings:
        with st.expander(t("app.warnings", lang)):
            st.dataframe(pd.DataFrame([p.as_row(lang) for p in inputs.warnings]), hide_index=True)

    headline = st.columns(4)
    headline[0].metric(t("app.communes", lang), format_number(len(inputs.communes), lang))
    headline[1].metric(t("app.population", lang), format_number(int(inputs.communes["population"].sum()), lang))
    headline[2].metric(t("app.teams", lang), format_number(len(inputs.teams), lang))
    headline[3].metric(t("app.volunteers", lang), format_number(int(inputs.teams["members"].sum()), lang))

    metric = st.sidebar.selectbox(
        t("app.metric_choice", lang),
        options=list(maps.available_metrics(communes)),
        format_func=lambda m: t(f"map.metric.{m}", lang),
        key="metric",
    )

    names = dict(zip(communes["code"].astype(str), communes["full_name"].astype(str), strict=True))

    def on_map_change() -> None:
        clicked = (st.session_state.get(MAP_KEY) or {}).get("last_object_clicked")
        if clicked:
            code = maps.commune_at(communes, lon=float(clicked["lng"]), lat=float(clicked["lat"]))
            if code is not None:
                st.session_state["commune"] = code

    selected = st.session_state.get("commune")
    st.subheader(t("app.map_heading", lang))
    st.caption(t("app.map_help", lang))
    fmap = maps.build_map(communes, inputs.teams, metric=metric, lang=lang, title=province, simplify_tolerance_m=None)
    selection = maps.selection_layer(communes, selected, lang=lang, simplify_tolerance_m=None) if selected else None
    st_folium(
        fmap,
        key=MAP_KEY,
        height=660,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=selection,
        on_change=on_map_change,
    )

    st.subheader(t("app.selected", lang))
    code = st.selectbox(
        t("app.selected", lang),
        options=list(names),
        format_func=lambda c: names[c],
        index=None,
        placeholder=t("app.select_placeholder", lang),
        key="commune",
        label_visibility="collapsed",
    )
    if code is not None:
        details_col, teams_col = st.columns([1, 2])
        row = maps.commune_table(communes[communes["code"].astype(str) == code], lang=lang).iloc[0]
        details = pd.DataFrame({"": [_display_value(v, lang) for v in row.to_numpy()]}, index=row.index)
        details_col.dataframe(details, key="commune_details")
        here = inputs.teams[inputs.teams["commune_code"].astype(str) == code]
        teams_col.markdown(f"**{t('app.teams_here', lang)}**")
        if here.empty:
            teams_col.caption(t("app.no_teams_here", lang))
        else:
            teams_col.dataframe(
                pd.DataFrame(
                    {
                        t("map.tip.team", lang): here["team_name"].astype(str).to_numpy(),
                        t("map.tip.kind", lang): [t(f"map.mode.{m}", lang) for m in here["mode"]],
                        t("map.tip.members", lang): here["members"].to_numpy(),
                    }
                ),
                hide_index=True,
                key="teams_here",
            )

    st.subheader(t("app.table_heading", lang))
    table = maps.commune_table(communes, lang=lang)
    st.dataframe(
        table,
        hide_index=True,
        key="commune_table",
        column_config={
            str(col): st.column_config.NumberColumn(format="localized")
            for col in table.select_dtypes("number").columns
        },
    )


def _display_value(value: object, lang: Lang) -> str:
    """Show a table cell as text in the language's number format."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return "✓" if value else "–"
    if isinstance(value, numbers.Real):
        number = float(value)
        return format_number(number, lang, decimals=0 if number.is_integer() else 1)
    return str(value)

main()
