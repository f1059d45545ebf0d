"""The planner's pages under Streamlit's AppTest, driven by widget keys.

Each test runs against a temporary data folder that links to the real boundaries,
rosters and indicators but holds its own SQLite store, so the real store is never
written. Flows: colouring and filters, search without diacritics, map selection,
roster edits (good, bad, hostile names, conflicts), suggestions, scenarios,
language switch, restart persistence.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.team_edits import edit_key
from app_pages.widgets import TABLE_CLASS
from coverage import planning
from coverage import settings as cfg
from coverage.storage.store import open_store
from coverage.text.i18n import format_number
from tests.conftest import GiaLai

PROJECT = Path(__file__).resolve().parents[1]
APP = str(PROJECT / os.environ.get("COVERAGE_APP_SCRIPT", "app.py"))
TIMEOUT_S = 240
HOSTILE = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.realdata


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


@pytest.fixture
def app(data_dir: Path) -> Iterator[AppTest]:
    yield start()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str, *, last: bool = False) -> pd.DataFrame:
    """The first (or last) table with ``column``: AppTest exposes no key for tables."""
    tables = [element.value for element in at.dataframe if column in element.value.columns]
    if not tables:
        raise AssertionError(f"no table with column {column!r}")
    return tables[-1] if last else tables[0]


class TableReader(HTMLParser):
    """The header and rows of the tables in an HTML text, as the reader sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", TABLE_CLASS) in attrs:
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table the page draws with ``widgets.show_table``, its text as shown, in order."""
    reader = TableReader()
    for element in at.get("html"):
        reader.feed(element.proto.body)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in reader.tables if rows]


def sample_figures(gia_lai: GiaLai) -> tuple[int, int]:
    """Return the SAMPLE roster's teams and volunteers (what the app opens with).

    The app and ``gia_lai`` read the same data folder; the roster is the one
    :mod:`coverage.inputs.samples` made, so a new sample changes these figures and the
    tests follow instead of silently checking another roster.
    """
    teams = gia_lai.inputs.teams
    assert gia_lai.inputs.teams_is_sample, "the app's tests expect the SAMPLE roster"
    return len(teams), int(pd.to_numeric(teams["members"]).sum())


def vi(number: float) -> str:
    """Return a whole number as the Vietnamese headline writes it (``2.325``)."""
    return format_number(number, "vi")


def commune_list(at: AppTest) -> pd.DataFrame:
    """The map page's list of the communes shown (the last commune table on the page)."""
    return table_with(at, "Xã/phường", last=True)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    )
    parts += [s.value for s in at.success]
    return "\n".join(parts)


# ---------------------------------------------------------------- map overview


def test_opens_in_vietnamese_with_labels_and_headline(app: AppTest, gia_lai: GiaLai) -> None:
    values = metrics(app)
    assert values["Xã/phường"] == "135"
    assert values["Dân số"] == "3.583.691"
    assert values["Đội hình"] == vi(sample_figures(gia_lai)[0])
    assert "%" in values["Nhu cầu được đáp ứng"] and "," in values["Nhu cầu được đáp ứng"]
    assert any("MẪU" in w.value for w in app.warning)
    assert any("ƯỚC TÍNH MINH HOẠ" in i.value for i in app.info)
    assert len(commune_list(app)) == 135
    priority = html_tables(app)[0]  # border, then remote under-served (tests/test_screens.py)
    assert set(priority["Nhóm"]) <= {"Xã biên giới", "Vùng sâu, vùng xa"}
    assert all(reason for reason in priority["Lý do"])


NO_MATCH = "Không có xã/phường nào thoả tất cả điều kiện đã chọn. Bỏ bớt một ô để xem thêm."


def no_match_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Không có xã/phường nào thoả" in w.value]


def flagged_codes(gia_lai: GiaLai, *columns: str) -> set[str]:
    communes = gia_lai.analysis.communes
    mask = communes[list(columns)].astype(bool).all(axis=1)
    return set(communes.loc[mask, "code"].astype(str))


def test_colouring_and_filters(app: AppTest, gia_lai: GiaLai) -> None:
    assert app.selectbox(key="map_metric").value == "coverage_ratio"
    app.selectbox(key="map_metric").set_value("need").run()
    assert not app.exception
    app.checkbox(key="map_only_border").check().run()
    border = commune_list(app)
    assert set(border["Mã"]) == flagged_codes(gia_lai, "is_border")
    assert 0 < len(border) < 135
    assert set(border["Biên giới"]) == {"Có"}
    app.checkbox(key="map_only_border").uncheck().run()
    app.checkbox(key="map_only_underserved").check().run()
    under = commune_list(app)
    assert set(under["Mã"]) == flagged_codes(gia_lai, "is_underserved")
    assert set(under["Thiếu hỗ trợ"]) == {"Có"}
    app.checkbox(key="map_only_border").check().run()
    assert not app.exception
    both = commune_list(app)
    # the sample roster leaves every border commune under-served: both filters show them all
    assert (
        set(both["Mã"])
        == set(under["Mã"]) & set(border["Mã"])
        == flagged_codes(gia_lai, "is_border")
    )
    assert no_match_warnings(app) == []


def test_filters_that_leave_no_commune_say_so(data_dir: Path, gia_lai: GiaLai) -> None:
    # a strong team (50 volunteers, 40 hours a week) in every border commune: none of them
    # is under-served any more, so "border" and "under-served" together match nothing
    teams = gia_lai.inputs.teams
    border = flagged_codes(gia_lai, "is_border")
    strong = teams[teams["commune_code"].astype(str).isin(border)].drop_duplicates("commune_code")
    strong = strong.assign(team_id=strong["team_id"] + "-B", members=50, weekly_hours=40.0)
    assert set(strong["commune_code"].astype(str)) == border
    open_store(cfg.load_settings()).save_roster(
        gia_lai.inputs.province.code,
        pd.concat([teams, strong], ignore_index=True),
        base_revision=0,
        author="Chị Lan",
    )
    at = start()
    at.checkbox(key="map_only_border").check().run()
    assert not at.exception, at.exception
    assert set(commune_list(at)["Mã"]) == border
    assert set(commune_list(at)["Thiếu hỗ trợ"]) == {"Không"}
    assert no_match_warnings(at) == []
    at.checkbox(key="map_only_underserved").check().run()
    assert not at.exception, at.exception
    assert commune_list(at).empty
    assert no_match_warnings(at) == [NO_MATCH]
    at.checkbox(key="map_only_border").uncheck().run()  # under-served alone: some again
    assert not commune_list(at).empty and no_match_warnings(at) == []


def test_search_without_diacritics_selects_the_commune(app: AppTest) -> None:
    app.text_input(key="map_search").input("ia mo").run()  # one match: selected at once
    assert not app.exception
    pick = app.selectbox(key="map_search_pick")
    assert pick.options == ["Xã Ia Mơ (Xa Ia Mo)"] and pick.value == "23938"
    assert "Xã Ia Mơ" in [s.value for s in app.subheader]
    body = texts(app)
    assert "Vì sao được đánh dấu" in body
    assert "Hình thành từ các đơn vị trước sáp nhập" in body
    numbers = next(t for t in html_tables(app) if "Chỉ tiêu" in t.columns)
    assert "Dân số" in numbers["Chỉ tiêu"].tolist()


def test_selecting_a_commune_does_not_recompute(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coverage.analysis import analyze as analysis
    from coverage.outputs.maps import build, style

    calls: list[str] = []
    real_analyze, real_build = analysis.analyze_coverage, build.build_map
    real_base, real_style = build.build_base_map, style.commune_style
    monkeypatch.setattr(
        analysis,
        "analyze_coverage",
        lambda *a, **k: calls.append("analyze") or real_analyze(*a, **k),
    )
    monkeypatch.setattr(
        build, "build_map", lambda *a, **k: calls.append("map") or real_build(*a, **k)
    )
    monkeypatch.setattr(
        build, "build_base_map", lambda *a, **k: calls.append("base map") or real_base(*a, **k)
    )
    monkeypatch.setattr(
        style, "commune_style", lambda *a, **k: calls.append("style") or real_style(*a, **k)
    )
    app.text_input(key="map_search").input("quy nhon bac").run()
    app.selectbox(key="map_search_pick").set_value("21553").run()
    assert not app.exception
    assert "Phường Quy Nhơn Bắc" in [s.value for s in app.subheader]
    assert calls == []


def test_english_switch_formats_numbers(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    values = metrics(app)
    assert values["Population"] == "3,583,691"
    assert app.title[0].value == "Map overview"
    assert any("SAMPLE" in w.value for w in app.warning)
    assert any("ILLUSTRATIVE ESTIMATE" in i.value for i in app.info)


def test_other_province(app: AppTest) -> None:
    app.selectbox(key="province").set_value("01").run()
    assert not app.exception
    assert metrics(app)["Xã/phường"] != "135"


# ---------------------------------------------------------------- commune detail


def test_commune_detail_page(data_dir: Path) -> None:
    at = start()
    at.text_input(key="map_search").input("ia mo").run()
    at.selectbox(key="map_search_pick").set_value("23938").run()
    at.switch_page("app_pages/commune_detail.py").run()
    assert not at.exception
    assert at.selectbox(key="detail_commune").value == "23938"
    assert "Các đội hỗ trợ được xã/phường này" in texts(at)


# ---------------------------------------------------------------- roster editing


def save_preview(at: AppTest) -> None:
    """Press save under the preview of a change (every change is previewed first)."""
    assert at.button(key="teams_preview_save"), "no preview was shown"
    at.button(key="teams_preview_save").click().run()
    assert not at.exception, at.exception


def test_add_team_is_validated_previewed_saved_and_analysed(
    data_dir: Path, gia_lai: GiaLai
) -> None:
    teams = sample_figures(gia_lai)[0]
    new_id = planning.next_team_id(gia_lai.inputs.teams, default_prefix="GL")
    at = start("teams")
    at.selectbox(key="teams_add_commune_0").set_value("23938")
    at.text_input(key="teams_add_name_0").input("Đội Ia Mơ")
    at.multiselect(key="teams_add_languages_0_vi").select("jrai")
    at.button(key="teams_add_submit").click().run()
    assert not at.exception
    assert open_store(cfg.load_settings()).load_roster("52") is None  # previewed, not saved yet
    assert f"Thêm {new_id} (Đội Ia Mơ, Ia Mơ)" in texts(at).replace("\\", "")
    save_preview(at)
    assert any("phiên bản 1" in s.value for s in at.success)
    saved = open_store(cfg.load_settings()).load_roster("52")
    assert saved is not None and len(saved.teams) == teams + 1
    added = saved.teams.set_index("team_id").loc[new_id]
    assert added["team_name"] == "Đội Ia Mơ" and added["languages"] == ("vi", "jrai")
    assert added["skills"] == ("vneid", "public_service_portal")
    at.switch_page("app_pages/map_overview.py").run()
    assert metrics(at)["Đội hình"] == vi(teams + 1)


def test_bad_move_is_rejected_with_its_message_and_kept(data_dir: Path) -> None:
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-001").run()
    at.text_input(key=edit_key("lat", "GL-001", 0)).input("10.5")
    at.text_input(key=edit_key("lon", "GL-001", 0)).input("abc")
    at.button(key="teams_edit_submit").click().run()
    assert not at.exception
    assert any("CHƯA được lưu" in e.value for e in at.error)
    problems = table_with(at, "Vấn đề")
    assert any("không phải là số" in p for p in problems["Vấn đề"])
    assert at.text_input(key=edit_key("lon", "GL-001", 0)).value == "abc"
    assert at.text_input(key=edit_key("lat", "GL-001", 0)).value == "10.5"
    assert open_store(cfg.load_settings()).load_roster("52") is None


def test_script_in_a_team_name_is_shown_as_text(data_dir: Path) -> None:
    at = start("teams")
    at.text_input(key="teams_add_name_0").input(HOSTILE)
    at.button(key="teams_add_submit").click().run()
    assert not at.exception
    for (
        element
    ) in at.markdown:  # every "<" is escaped (app_pages.widgets.markdown_text), so no tag can form
        assert "<img" not in element.value.replace("\\<", "")
    save_preview(at)
    saved = open_store(cfg.load_settings()).load_roster("52")
    assert saved is not None and HOSTILE in saved.teams["team_name"].tolist()
    code = saved.teams.loc[saved.teams["team_name"] == HOSTILE, "commune_code"].iloc[0]
    at.switch_page("app_pages/commune_detail.py").run()
    at.selectbox(key="detail_commune").set_value(code).run()
    assert not at.exception
    reaching = table_with(at, "Tên đội")
    assert HOSTILE in reaching["Tên đội"].tolist()
    for (
        element
    ) in at.markdown:  # every "<" is escaped (app_pages.widgets.markdown_text), so no tag can form
        assert "<img" not in element.value.replace("\\<", "")


def test_resize_and_remove(data_dir: Path) -> None:
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-002").run()
    at.number_input(key=edit_key("members", "GL-002", 0)).set_value(40)
    at.button(key="teams_edit_submit").click().run()
    assert not at.exception
    save_preview(at)
    at.selectbox(key="teams_remove_team_1").set_value("GL-003")
    at.button(key="teams_remove_submit").click().run()
    assert not at.exception
    save_preview(at)
    saved = open_store(cfg.load_settings()).load_roster("52")
    assert saved is not None and saved.revision == 2
    teams = saved.teams.set_index("team_id")
    assert teams.at["GL-002", "members"] == 40
    assert "GL-003" not in teams.index


def test_each_edit_starts_from_the_teams_current_values(data_dir: Path) -> None:
    """Issue 17: a resize after a move must not move the resized team too."""
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-100").run()
    assert at.selectbox(key=edit_key("commune", "GL-100", 0)).value == "23857"  # Đức Cơ
    at.selectbox(key=edit_key("commune", "GL-100", 0)).set_value("23917").run()  # Ia Púch
    at.button(key="teams_edit_submit").click().run()
    save_preview(at)
    at.selectbox(key="teams_edit_team_1").set_value("GL-103").run()
    assert (
        at.selectbox(key=edit_key("commune", "GL-103", 1)).value == "23872"
    )  # Ia Dom, not the last target
    assert (
        at.number_input(key=edit_key("members", "GL-103", 1)).value == 9
    )  # the sample: Ia Dom is sparse, a thin team
    at.number_input(key=edit_key("members", "GL-103", 1)).set_value(18)
    at.button(key="teams_edit_submit").click().run()
    save_preview(at)
    store = open_store(cfg.load_settings())
    saved = store.load_roster("52")
    assert saved is not None and saved.revision == 2
    teams = saved.teams.set_index("team_id")
    assert teams.at["GL-103", "commune_code"] == "23872" and teams.at["GL-103", "members"] == 18
    assert teams.at["GL-100", "commune_code"] == "23917"
    assert teams.at["GL-100", "team_name"] == "Đội TNTN Xã Ia Púch"  # renamed, as offered
    history = table_with(at, "Thay đổi")
    assert history["Thay đổi"].tolist() == [
        "GL-103: thành viên 9 → 18",
        "GL-100: Đức Cơ → Ia Púch; GL-100: tên “Đội TNTN Xã Đức Cơ” → “Đội TNTN Xã Ia Púch”",
    ]
    grid = table_with(at, "commune_name").set_index("team_id")  # the roster grid
    assert grid.at["GL-103", "commune_name"] == "Xã Ia Dom"
    assert grid.at["GL-100", "commune_name"] == "Xã Ia Púch"  # the name follows the code


def test_a_harmful_change_needs_a_confirmation(data_dir: Path) -> None:
    """Moving the island's only team (Nhơn Châu) away warns and asks for a confirmation."""
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-006").run()
    at.selectbox(key=edit_key("commune", "GL-006", 0)).set_value("21553").run()
    at.button(key="teams_edit_submit").click().run()
    assert not at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert "Nhơn Châu (xã đảo) mất đội đặt tại xã" in warning.replace("\\", "")
    assert "Nhơn Châu không còn đội nào trong tầm" in warning.replace("\\", "")
    status = table_with(at, "Trạng thái trước → sau")
    assert "Nhơn Châu" in status["Xã/phường"].tolist()
    assert "Nhơn Châu (đảo): đủ hỗ trợ → thiếu hỗ trợ; mức đáp ứng 1.174,2% → 0,0%" in texts(
        at
    ).replace("\\", "")
    at.button(key="teams_preview_save").click().run()  # not confirmed: nothing is saved
    assert any("đánh dấu ô xác nhận" in e.value for e in at.error)
    assert open_store(cfg.load_settings()).load_roster("52") is None
    assert at.button(key="teams_preview_cancel")  # the planner can still cancel
    at.checkbox(key="teams_preview_confirm").check().run()
    save_preview(at)
    saved = open_store(cfg.load_settings()).load_roster("52")
    assert (
        saved is not None
        and saved.teams.set_index("team_id").at["GL-006", "commune_code"] == "21553"
    )


def test_a_harmless_change_saves_without_confirmation_and_cancel_keeps_nothing(
    data_dir: Path, gia_lai: GiaLai
) -> None:
    volunteers = sample_figures(gia_lai)[1]
    teams = gia_lai.inputs.teams
    members = int(teams.loc[teams["team_id"].astype(str) == "GL-002", "members"].iloc[0])
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-002").run()
    at.number_input(key=edit_key("members", "GL-002", 0)).set_value(30)
    at.button(key="teams_edit_submit").click().run()
    assert not any(c.key == "teams_preview_confirm" for c in at.checkbox)  # nothing to confirm
    totals = table_with(at, "Chênh lệch")
    after = volunteers - members + 30  # GL-002's members -> 30
    assert totals.iloc[1].tolist()[1:] == [vi(volunteers), vi(after), f"+{vi(30 - members)}"]
    assert "điểm %" in totals.iloc[3, 3]
    at.button(key="teams_preview_cancel").click().run()
    assert not at.exception
    assert not any(b.key == "teams_preview_save" for b in at.button)
    assert open_store(cfg.load_settings()).load_roster("52") is None


def test_team_words_follow_the_language_and_keep_what_was_typed(data_dir: Path) -> None:
    at = start("teams")
    at.selectbox(key="teams_edit_team_0").set_value("GL-002").run()
    skills = edit_key("skills", "GL-002", 0)
    assert "Trợ lý AI" in at.multiselect(key=f"{skills}_vi").options
    at.multiselect(key=f"{skills}_vi").select("ai_assistant").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    english = at.multiselect(key=f"{skills}_en")
    assert (
        "AI assistant" in english.options and "ai_assistant" in english.value
    )  # kept across the switch
    mode = at.selectbox(key=f"{edit_key('mode', 'GL-002', 0)}_en")
    assert mode.options == ["Fixed (at the one-stop desk)", "Mobile (visits villages)"]


def test_conflict_shows_who_changed_and_offers_reload_or_keep(data_dir: Path) -> None:
    at = start("teams")
    other = open_store(cfg.load_settings())
    from coverage import planning

    teams = planning.load_inputs(cfg.load_settings()).teams
    other.save_roster("52", teams[teams["team_id"] != "GL-010"], base_revision=0, author="Chị Lan")
    at.selectbox(key="teams_remove_team_0").set_value("GL-011")
    at.button(key="teams_remove_submit").click().run()
    assert not at.exception
    at.button(key="teams_preview_save").click().run()
    assert not at.exception
    assert any("Chị Lan" in e.value for e in at.error)
    at.button(key="teams_conflict_keep").click().run()
    assert not at.exception
    saved = other.load_roster("52")
    assert saved is not None and saved.revision == 2
    assert "GL-011" not in saved.teams["team_id"].tolist()
    assert "GL-010" in saved.teams["team_id"].tolist()  # "keep mine" restores what I had


# ---------------------------------------------------------------- suggestions and scenarios


def run_suggestions(at: AppTest, count: int = 3) -> None:
    at.number_input(key="sugg_count").set_value(count)
    at.radio(key="sugg_method").set_value("greedy")
    at.button(key="sugg_run").click().run()
    assert not at.exception, at.exception


def test_suggestions_save_compare_and_survive_a_restart(data_dir: Path, gia_lai: GiaLai) -> None:
    teams = sample_figures(gia_lai)[0]
    at = start("suggestions")
    run_suggestions(at)
    sites = table_with(at, "Xã/phường")
    assert len(sites) == 3
    assert any("Kết quả tính" in s.value for s in at.success)
    assert metrics(at)["Đội hình"] == vi(teams + 3)
    at.text_input(key="sugg_name").input("Ba đội mới")
    at.button(key="sugg_accept").click().run()
    assert any("Ba đội mới" in s.value for s in at.success)

    at.switch_page("app_pages/scenarios.py").run()
    assert not at.exception
    assert at.selectbox(key="scen_a").value == "__current__"
    assert at.selectbox(key="scen_b").value == "Ba đội mới"
    compare = table_with(at, "Chỉ tiêu").copy()
    teams_row = compare[compare["Chỉ tiêu"].str.contains("đội", case=False)].iloc[0]
    assert teams_row.iloc[1] == vi(teams) and teams_row.iloc[2] == vi(teams + 3)

    again = start("scenarios")  # a new session on the same store: a restart
    assert again.selectbox(key="scen_b").value == "Ba đội mới"
    assert table_with(again, "Chỉ tiêu").equals(compare)


def test_save_current_plan_and_duplicate_name(data_dir: Path) -> None:
    at = start("scenarios")
    at.text_input(key="scen_save_name").input("Hiện trạng")
    at.button(key="FormSubmitter:scen_save_form-Lưu").click().run()
    assert any("Hiện trạng" in s.value for s in at.success)
    at.text_input(key="scen_save_name").input("hiện  trạng")
    at.button(key="FormSubmitter:scen_save_form-Lưu").click().run()
    assert not at.exception
    assert any("đã có kịch bản" in e.value for e in at.error)


def test_english_suggestions(data_dir: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("app_pages/suggestions.py").run()
    run_suggestions(at, count=2)
    assert any("Solver result" in s.value for s in at.success)
    assert at.title[0].value == "Suggestions"


# ---------------------------------------------------------------- data page


def test_data_page_lists_sources(data_dir: Path) -> None:
    at = start("data_import")
    sources = table_with(at, "Nguồn")
    assert len(sources) == 3
    assert any("MẪU" in str(v) for v in sources["Ghi chú"])


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Excel's "CSV (Windows-1258)" writes it: tone marks as combining characters."""
    import unicodedata

    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def indicator_file(real_settings: cfg.Settings, *, vneid_pct: str) -> pd.DataFrame:
    """Gia Lai's indicator table (names with diacritics) with VNeID level 2 set to ``vneid_pct``."""
    table = pd.read_csv(real_settings.sample_indicators_path, dtype=str, keep_default_na=False)
    table = table.drop(columns="data_status")
    table["vneid_level2_adult_pct"] = vneid_pct
    return table


def upload_indicators(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key="data_upload_indicators").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception


def test_uploaded_indicators_drive_the_analysis_and_survive_a_restart(
    data_dir: Path, real_settings: cfg.Settings
) -> None:
    at = start()
    need_met_estimate = metrics(at)["Nhu cầu được đáp ứng"]
    at.switch_page("app_pages/data_import.py").run()
    assert any("ƯỚC TÍNH MINH HOẠ" in i.value for i in at.info)
    assert table_with(at, "Nguồn").iloc[2]["Ghi chú"] == "ước tính minh hoạ"

    # A good file saved by Excel in Windows-1258: a warning, then used on request.
    good = indicator_file(real_settings, vneid_pct="95")
    upload_indicators(at, "chiso.csv", windows_1258(good.to_csv(index=False)))
    assert any("hợp lệ" in s.value for s in at.success)
    assert "Windows-1258" in " ".join(table_with(at, "Vấn đề")["Vấn đề"])
    assert (
        open_store(cfg.load_settings()).latest_indicator_revision("52") == 0
    )  # checked, not used yet
    at.button(key="data_use_indicators").click().run()
    assert not at.exception, at.exception
    assert any("chiso" in s.value and "135" in s.value for s in at.success)
    assert any("chiso" in i.value and "lấy từ tệp" in i.value for i in at.info)
    assert not any("ƯỚC TÍNH MINH HOẠ" in i.value for i in at.info)
    assert any(
        "đang dùng đúng bộ chỉ số" in c.value for c in at.caption
    )  # the file still in the uploader
    assert not [b for b in at.button if b.key == "data_use_indicators"]
    sources = table_with(at, "Nguồn")
    assert sources.iloc[2]["Nguồn"] == "chiso.csv" and "tệp nạp lúc" in sources.iloc[2]["Ghi chú"]
    saved = open_store(cfg.load_settings()).load_indicators("52")
    assert (
        saved is not None and saved.info.file_name == "chiso.csv" and len(saved.indicators) == 135
    )
    assert set(saved.indicators["vneid_level2_adult_pct"]) == {95.0}

    # A bad file: every problem in a table, and the indicators in use stay.
    bad = indicator_file(real_settings, vneid_pct="95")
    bad.loc[3, "commune_code"] = "00004"  # Ba Đình, Hà Nội: another province
    bad.loc[5, "online_filing_pct"] = "140"
    upload_indicators(at, "bad.csv", bad.to_csv(index=False).encode("utf-8"))
    problems = table_with(at, "Vấn đề")
    assert set(problems.columns) >= {"Tệp", "Dòng", "Cột", "Vấn đề"}
    found = {(r["Tệp"], r["Dòng"], r["Cột"]) for r in problems.to_dict(orient="records")}
    assert found == {("bad.csv", 5, "commune_code"), ("bad.csv", 7, "online_filing_pct")}
    assert not [b for b in at.button if b.key == "data_use_indicators"]
    assert any("được giữ nguyên" in i.value for i in at.info)
    missing = indicator_file(real_settings, vneid_pct="95").drop(columns="online_filing_pct")
    upload_indicators(at, "thieu_cot.csv", missing.to_csv(index=False).encode("utf-8"))
    assert "online_filing_pct" in " ".join(table_with(at, "Vấn đề")["Cột"].astype(str))
    assert open_store(cfg.load_settings()).latest_indicator_revision("52") == 1

    # The analysis uses the file, in this session and after a restart.
    at.switch_page("app_pages/map_overview.py").run()
    need_met_file = metrics(at)["Nhu cầu được đáp ứng"]
    assert need_met_file != need_met_estimate
    again = start()
    assert metrics(again)["Nhu cầu được đáp ứng"] == need_met_file
    assert any("chiso" in i.value for i in again.info)

    # Back to the estimate: the upload stays in the history.
    again.switch_page("app_pages/data_import.py").run()
    again.button(key="data_indicators_estimate").click().run()
    assert not again.exception, again.exception
    assert any("quay lại dùng ƯỚC TÍNH MINH HOẠ" in s.value for s in again.success)
    assert any("ƯỚC TÍNH MINH HOẠ" in i.value for i in again.info)
    history = table_with(again, "Người nạp")
    assert history["Nguồn"].tolist() == ["ước tính minh hoạ", "chiso.csv"]
    again.switch_page("app_pages/map_overview.py").run()
    assert metrics(again)["Nhu cầu được đáp ứng"] == need_met_estimate


def test_a_file_missing_communes_says_so_before_it_is_used(
    data_dir: Path, real_settings: cfg.Settings
) -> None:
    at = start()
    at.switch_page("app_pages/data_import.py").run()
    partial = indicator_file(real_settings, vneid_pct="80").iloc[:-5]
    upload_indicators(at, "thieu_xa.csv", partial.to_csv(index=False).encode("utf-8"))
    assert any("Tệp thiếu 5 xã/phường" in i.value for i in at.info)
    assert [b for b in at.button if b.key == "data_use_indicators"]  # still usable


def test_reports_page_makes_an_html_map(data_dir: Path) -> None:
    at = start("reports")
    assert at.multiselect(key="rep_formats").value == ["html", "pdf"]
    at.multiselect(key="rep_formats").set_value(["html"])
    at.button(key="rep_make").click().run()
    assert not at.exception, at.exception
    assert any("Đã tạo 1 tệp" in s.value for s in at.success)
