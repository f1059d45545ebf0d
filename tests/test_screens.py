"""The map page answers first, the commune panel explains, and the Vietnamese UI stays Vietnamese.

AppTest (widgets by key) on a temporary data folder linked to the real data, plus small
checks of the helpers behind it: Markdown escaping without double escaping, picker labels
that typing without diacritics finds (the browser's own filter, ported), the commune facts.
The same in a real browser: tests/test_browser_screens.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from app_pages.widgets import markdown_text as plain
from coverage.analysis.commune_facts import commune_facts
from coverage.text.screens import ENGLISH_DEFAULTS, streamlit_defaults
from coverage.text.textnorm import picker_label, without_diacritics
from tests.conftest import GiaLai
from tests.test_app_pages import html_tables, start

DAK_LAK = "66"
CU_MGAR = "24280"

pytestmark = pytest.mark.realdata


def unescape(markdown: str) -> str:
    """What CommonMark shows for text escaped with backslashes and ``&lt;``-style references."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def browser_filter_finds(query: str, label: str) -> bool:
    """Streamlit's picker filter (fuzzy mode): the query's letters appear in order in the label."""
    text, at = label.lower(), 0
    for char in query.lower():
        at = text.find(char, at) + 1
        if at == 0:
            return False
    return True


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "name",
    [
        "Cư M'gar",
        "Ea H'leo",
        "Đội A & B",
        "<script>alert(1)</script>",
        "**đậm** :red[x] {{ 7*7 }} &amp; #1",
        "M'Drắk",
    ],
)
def test_plain_shows_the_text_as_typed_and_never_as_html(name: str) -> None:
    escaped = plain(name)
    assert unescape(escaped) == name
    assert "&#" not in escaped and "<" not in escaped  # no numeric reference, no tag can open


@pytest.mark.parametrize(
    ("query", "name", "found_in_the_name"),
    [  # found_in_the_name: whether the browser finds the query in the bare name
        ("ia puch", "Xã Ia Púch", False),  # what the planners ran into
        ("Dak Lak", "Đắk Lắk", False),
        ("dak lak", "Đắk Lắk", False),
        ("cu m'gar", "Xã Cư M'gar", False),
        ("cu m'ta", "Xã Cư M'ta", False),
        ("Ia Púch", "Xã Ia Púch", True),  # typed with its diacritics
    ],
)
def test_picker_labels_are_found_without_diacritics(
    query: str, name: str, *, found_in_the_name: bool
) -> None:
    assert browser_filter_finds(query, name) is found_in_the_name
    assert (query == without_diacritics(query)) is not found_in_the_name
    assert browser_filter_finds(query, picker_label(name))
    assert picker_label("Gia Lai") == "Gia Lai"


def test_streamlit_defaults_are_replaced_in_vietnamese_only() -> None:
    pairs = dict(streamlit_defaults("vi"))
    for english in (
        "No results",
        "Drag and drop file here",
        "Upload",
        "Select all",
        "Press Enter to submit form",
        "Press Enter to apply",
        "Choose options",
        "Choose an option",
    ):
        assert english in pairs and pairs[english] != english
    limit = next(v for k, v in pairs.items() if k.startswith("^Limit"))
    assert (
        re.sub(r"^Limit (.+) per file(.*)$", limit, "Limit 50MB per file • CSV")
        == "Tối đa 50MB mỗi tệp • CSV"
    )
    assert streamlit_defaults("en") == []


# ---------------------------------------------------------------- commune facts


def test_commune_facts_share_the_capacity_and_name_the_nearest_team_outside(
    gia_lai: GiaLai,
) -> None:
    inputs, result = gia_lai
    communes = result.communes.set_index(result.communes["code"].astype(str))
    for code in ("21553", "23734", "23938"):
        facts = commune_facts(result, code, indicators=inputs.indicators)
        row = communes.loc[code]
        # What the shares credit is the analysis' capacity, and the volunteers in reach its count.
        assert sum(t.capacity_per_week for t in facts.teams) == pytest.approx(
            float(row["capacity"]), rel=1e-9
        )
        assert facts.volunteers_in_reach == int(row["volunteers_in_reach"])
        assert 0 < facts.volunteer_equivalent <= facts.volunteers_in_reach
        assert all(0 < t.share <= 1 for t in facts.teams)
        # The team based here is not the "nearest team outside", which is never nearer than
        # the nearest team.
        home = inputs.teams[inputs.teams["commune_code"].astype(str) == code]["team_name"].tolist()
        assert list(facts.teams_based_here) == home and home
        assert facts.nearest_outside_team not in home
        assert facts.nearest_outside_commune != code
        assert facts.nearest_outside_km >= float(row["nearest_team_km"]) - 1e-9
        expected = inputs.indicators.set_index("commune_code").loc[code, "ethnic_minority_pct"]
        assert facts.minority_pct == pytest.approx(float(expected))
        assert facts.languages and set(facts.languages) <= {
            lang for t in facts.teams for lang in t.languages
        }


# ---------------------------------------------------------------- the app


def test_priority_table_puts_border_first_and_follows_the_filters(data_dir: Path) -> None:
    at = start()
    assert at.selectbox(key="map_metric").value == "coverage_ratio"
    table = html_tables(at)[0]
    groups = table["Nhóm"].tolist()
    assert groups == sorted(groups, key=lambda g: g != "Xã biên giới")  # border first, then remote
    assert "Xã biên giới" in groups and "Vùng sâu, vùng xa" in groups
    reasons = table["Lý do"]
    assert all(len(r) > 20 for r in reasons) and not any(r.endswith("…") for r in reasons)
    coverage = [
        float(v.rstrip("%").replace(",", ".").removeprefix("> ")) for v in table["Mức đáp ứng"]
    ]
    border = [c for g, c in zip(groups, coverage, strict=True) if g == "Xã biên giới"]
    assert border == sorted(border)

    at.checkbox(key="map_only_remote").check().run()
    remote_only = html_tables(at)[0]
    shown = [d.value for d in at.dataframe if "Vùng sâu, vùng xa" in d.value.columns][-1]
    expected = shown[(shown["Thiếu hỗ trợ"] == "Có")]
    assert len(remote_only) == len(expected) and set(remote_only["Xã/phường"]) == set(
        expected["Xã/phường"]
    )
    at.checkbox(key="map_only_remote").uncheck().run()
    at.checkbox(key="map_only_border").check().run()
    assert not at.exception
    border_only = html_tables(at)[0]["Nhóm"]
    assert set(border_only) == {"Xã biên giới"} and len(border_only) == groups.count("Xã biên giới")


def test_commune_panel_says_languages_minority_sharing_and_nearest_outside(data_dir: Path) -> None:
    at = start("commune_detail")
    at.selectbox(key="detail_commune").set_value(
        "23734"
    ).run()  # Ia Ly: its own team is based there
    assert not at.exception
    body = "\n".join(unescape(m.value) for m in at.markdown)
    assert "Ngôn ngữ của các đội trong tầm:" in body and "Tiếng Jrai (Gia Rai)" in body
    assert re.search(
        r"\d+ đội \(\d+ tình nguyện viên\) có Xã Ia Ly trong tầm, nhưng mỗi đội chia thời gian",
        body,
    )
    assert "tương đương" in body and "người mỗi tuần" in body
    numbers = next(t for t in html_tables(at) if "Chỉ tiêu" in t.columns)
    values = dict(zip(numbers["Chỉ tiêu"], numbers["Giá trị"], strict=True))
    assert values["Đội đặt tại xã/phường này"] == "Đội TNTN Xã Ia Ly"
    outside = values["Đội gần nhất đặt ngoài xã/phường (km, trung bình từ nơi dân ở)"]
    assert re.fullmatch(r"\d+,\d km: Đội TNTN .+ \(Xã .+\)", outside) and "Ia Ly" not in outside
    assert values["Tỷ lệ đồng bào dân tộc thiểu số"].endswith("%")
    teams = next(d.value for d in at.dataframe if "Phần dành cho xã/phường này" in d.value.columns)
    assert "Ngôn ngữ" in teams.columns and len(teams) > 1


def test_cu_mgar_keeps_its_apostrophe_and_pickers_have_vietnamese_words(data_dir: Path) -> None:
    at = start("commune_detail")
    at.selectbox(key="province").set_value(DAK_LAK).run()
    assert not at.exception
    province = at.selectbox(key="province")
    assert province.format_func(DAK_LAK) == "Đắk Lắk (Dak Lak)"
    picker = at.selectbox(key="detail_commune")
    assert picker.proto.placeholder == "Gõ tên xã/phường (có dấu hoặc không dấu)…"
    assert browser_filter_finds("cu m'gar", picker.format_func(CU_MGAR))
    picker.set_value(CU_MGAR).run()
    assert not at.exception
    shown = [unescape(s.value) for s in at.subheader] + [unescape(m.value) for m in at.markdown]
    assert "Xã Cư M'gar" in shown
    assert not any("&#" in text or "&amp;" in text for text in shown)


PAGES = (
    "map_overview",
    "commune_detail",
    "suggestions",
    "scenarios",
    "data_import",
    "reports",
    "teams",
)


EMPTY_PICKERS = {
    "commune_detail": {"detail_commune"},
    "suggestions": {"sugg_languages", "sugg_exclude"},
}
"""The pickers each page shows empty on opening (so the placeholder check below sees them)."""

ENTER_TO_SUBMIT = {"teams_add_form", "teams_remove_form"}
"""Forms that may still offer "Press Enter to submit": the teams page is reworked separately
and the page-wide replacement of Streamlit's English covers their hint."""


@pytest.mark.parametrize("page", PAGES)
def test_vietnamese_pages_leave_no_streamlit_default_english(data_dir: Path, page: str) -> None:
    at = start(None if page == "map_overview" else page)
    # Pickers that can be empty carry their own placeholder; forms do not offer "Press Enter".
    empty = [w for w in [*at.selectbox, *at.multiselect] if w.value in (None, [])]
    assert {w.key for w in empty} == EMPTY_PICKERS.get(page, set())
    for widget in empty:
        placeholder = widget.proto.placeholder
        assert placeholder and placeholder not in ENGLISH_DEFAULTS, (page, widget.key)
    for form in at.get("form"):
        form_id = form.proto.form.form_id
        assert not form.proto.form.enter_to_submit or form_id in ENTER_TO_SUBMIT, (page, form_id)
    # The page carries the replacement of Streamlit's browser-side English, in Vietnamese.
    scripts = [h.proto.body for h in at.get("html") if "glStreamlitDefaults" in h.proto.body]
    assert (
        len(scripts) == 1
        and "Kéo thả tệp vào đây" in scripts[0]
        and "Không có kết quả phù hợp" in scripts[0]
    )
    visible = [
        *(m.value for m in at.markdown),
        *(c.value for c in at.caption),
        *(s.label for s in at.selectbox),
        *(b.label for b in at.button),
    ]
    for text in visible:
        for english in ENGLISH_DEFAULTS:
            assert english not in text, (page, text)


def test_widget_values_follow_the_language_switch(data_dir: Path) -> None:
    at = start()
    at.selectbox(key="map_metric").set_value("need").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    metric = at.selectbox(key="map_metric")
    assert metric.value == "need"
    # The browser is told the value again, with its English label.
    assert metric.proto.set_value and metric.proto.raw_value == "Need for help"
    assert at.selectbox(key="province").proto.raw_value == "Gia Lai"
    at.radio(key="lang").set_value("vi").run()
    assert at.selectbox(key="map_metric").proto.raw_value == "Nhu cầu hỗ trợ"
    html = [h.proto.body for h in at.get("html") if "glStreamlitDefaults" in h.proto.body]
    assert html and "Kéo thả" in html[0]


def test_english_pages_keep_streamlit_words(data_dir: Path) -> None:
    at = start()
    at.radio(key="lang").set_value("en").run()
    scripts = [h.proto.body for h in at.get("html") if "glStreamlitDefaults" in h.proto.body]
    assert scripts and "})([]);" in scripts[0]
    table = html_tables(at)[0]
    assert list(table.columns)[:2] == ["Group", "Commune"]
