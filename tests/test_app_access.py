"""The app's sign-in gate, roles in the pages, store faults in forms, and hostile names as text.

AppTest runs the real app in this process against a temporary data folder (links to the
real inputs, a store of its own). ``COVERAGE_SIGN_IN=required`` stands for a non-local
address (the browser test starts a real server on 0.0.0.0).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from app_pages.widgets import markdown_text as plain
from coverage import settings as cfg
from coverage.storage.accounts import AccountBook
from coverage.storage.store import open_store
from tests.test_app_pages import APP, TIMEOUT_S, texts

PASSWORD = "mật khẩu đủ dài 2026"
HOSTILE = "[xem](http://evil.example) **đậm** $x$ <script>alert(1)</script> # tiêu đề"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

pytestmark = pytest.mark.realdata


def accounts() -> AccountBook:
    return AccountBook(open_store(cfg.load_settings()), hasher=FAST)


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, at.exception
    return at


def assert_literal(at: AppTest, text: str) -> None:
    """Every element that shows ``text`` shows it escaped; none renders it as Markdown."""
    shown = texts(at) + "\n".join(s.value for s in at.subheader)
    assert plain(text) in shown
    rest = shown.replace(plain(text), "")  # what is left must not hold the name unescaped
    for raw in ("[xem](", "**đậm**", "$x$", "<script>", "# tiêu", "evil.example"):
        assert raw not in rest, raw


@pytest.fixture
def signed_in_mode(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COVERAGE_SIGN_IN", "required")
    return data_dir


def test_without_an_administrator_only_the_how_to_is_shown(signed_in_mode: Path) -> None:
    at = start()
    assert any("python -m coverage users add" in e.value for e in at.error)
    assert not at.text_input  # no sign-in form, no page
    assert not at.metric


def test_sign_in_refusal_sign_out(signed_in_mode: Path) -> None:
    book = accounts()
    book.add("admin", PASSWORD, role="administrator")
    book.add("phong_hop", PASSWORD, role="viewer")
    at = start()
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert not at.metric  # an anonymous visitor sees only the sign-in page
    sign_in(at, "phong_hop", "sai mật khẩu")
    assert any("không đúng" in e.value for e in at.error)
    sign_in(at, "phong_hop", PASSWORD)
    assert at.metric, "the map page after signing in"
    assert any("phong\\_hop" in c.value for c in at.sidebar.caption)

    at.switch_page("app_pages/teams.py").run()
    at.text_input(key="teams_add_name_0").input("Đội mới của phòng họp")
    at.button(key="teams_add_submit").click().run()
    at.button(key="teams_preview_save").click().run()
    assert not at.exception
    assert any("không được sửa danh sách đội" in e.value for e in at.error)
    assert at.button(key="teams_preview_save")  # the change is still there, with the reason
    assert "Đội mới của phòng họp" in texts(at)
    assert open_store(cfg.load_settings()).load_roster("52") is None  # nothing written

    at.button(key="sign_out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Đăng nhập"]
    assert not at.metric


def test_a_locked_store_keeps_the_form_and_says_so(data_dir: Path) -> None:
    at = start("teams")
    at.text_input(key="teams_add_name_0").input("Đội Ia Púch 2")
    at.button(key="teams_add_submit").click().run()
    holder = sqlite3.connect(cfg.load_settings().store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        at.button(key="teams_preview_save").click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert any("đang bị một chương trình khác khoá" in e.value for e in at.error)
    assert "Đội Ia Púch 2" in texts(at)  # the change is still there
    at.button(key="teams_preview_save").click().run()  # the planner presses save again
    saved = open_store(cfg.load_settings()).load_roster("52")
    assert saved is not None and "Đội Ia Púch 2" in saved.teams["team_name"].tolist()


def test_hostile_names_are_text_in_every_message(data_dir: Path) -> None:
    from coverage import planning

    store = open_store(cfg.load_settings())
    teams = planning.load_inputs(cfg.load_settings()).teams
    store.save_roster("52", teams, base_revision=0, author=HOSTILE)
    store.save_scenario(HOSTILE, "52", teams, {}, {}, author=HOSTILE)

    at = start("teams")  # who saved the revision
    assert_literal(at, HOSTILE)

    at = start("scenarios")  # the duplicate-name error names the scenario and its author
    at.text_input(key="scen_save_name").input(HOSTILE)
    at.button[0].click().run()
    assert not at.exception
    assert any("đã có kịch bản" in e.value for e in at.error)
    assert_literal(at, HOSTILE)

    at = start()  # a search that finds nothing repeats the query
    at.text_input(key="map_search").input(HOSTILE).run()
    assert_literal(at, HOSTILE)


def _team_of(code: str) -> str:
    import pandas as pd

    roster = pd.read_csv(cfg.load_settings().sample_roster_path, dtype=str)
    return str(roster.loc[roster["commune_code"] == code, "team_id"].iloc[0])


def test_a_commune_reporter_reports_only_for_its_own_teams(signed_in_mode: Path) -> None:
    from coverage.storage.activity_store import ActivityStore

    book = accounts()
    book.add("admin", PASSWORD, role="administrator")
    book.add("xa.23938", PASSWORD, role="reporter", communes=["23938"])
    at = sign_in(start(), "xa.23938", PASSWORD)
    at.switch_page("app_pages/activity.py").run()
    assert not at.exception, at.exception
    reports = ActivityStore(open_store(cfg.load_settings()))
    sample_rows = reports.count_reports("52")
    assert sample_rows > 0  # the SAMPLE log is written by the tool, whoever opens the page

    for team, saved in ((_team_of("23995"), False), (_team_of("23938"), True)):
        at.selectbox(key="act_f_team").set_value(team)
        at.number_input(key="act_f_residents").set_value(40)
        at.button(key="FormSubmitter:act_form-Lưu báo cáo").click().run()
        assert not at.exception, at.exception
        if not saved:
            refusal = plain("chỉ được nhập báo cáo hoạt động cho các xã/phường 23938")
            assert any(refusal in e.value for e in at.error), [e.value for e in at.error]
            assert at.number_input(key="act_f_residents").value == 40  # the form keeps it
            assert reports.count_reports("52") == sample_rows
    stored = reports.current_reports("52")
    assert stored[stored["source"] == "form"]["author"].tolist() == ["xa.23938"]


def test_an_idle_session_expires(signed_in_mode: Path) -> None:
    from coverage.storage.accounts import IDLE_TIMEOUT_S

    book = accounts()
    book.add("admin", PASSWORD, role="administrator")
    at = sign_in(start(), "admin", PASSWORD)
    assert at.metric
    username, signed_in_at, last_seen_at = at.session_state["auth"]
    at.session_state["auth"] = (
        username,
        signed_in_at - IDLE_TIMEOUT_S - 60,
        last_seen_at - IDLE_TIMEOUT_S - 60,
    )
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Đăng nhập"] and not at.metric
    assert any("hết hạn" in i.value for i in at.info)


def test_a_disabled_account_is_signed_out_at_once(signed_in_mode: Path) -> None:
    book = accounts()
    book.add("admin", PASSWORD, role="administrator")
    book.add("lan", PASSWORD, role="planner")
    at = sign_in(start(), "lan", PASSWORD)
    assert at.metric
    book.set_disabled("lan")
    at.run()
    assert [t.value for t in at.title] == ["Đăng nhập"] and not at.metric


def test_html_tables_show_hostile_text_as_typed() -> None:
    from app_pages.widgets import table_html
    from tests.test_app_pages import TableReader
    from tests.test_maps import HOSTILE as MAP_HOSTILE

    table = pd.DataFrame({HOSTILE: [MAP_HOSTILE, "Cư M'gar & Ia O"], "Lý do": ["a < b", HOSTILE]})
    text = table_html(table, nowrap=(HOSTILE,))
    assert "<script" not in text.replace("<style>", "") and "<img" not in text
    reader = TableReader()
    reader.feed(text)
    header, *rows = reader.tables[0]
    assert header == [HOSTILE, "Lý do"]
    assert rows == [[MAP_HOSTILE, "a < b"], ["Cư M'gar & Ia O", HOSTILE]]
