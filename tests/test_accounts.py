"""Accounts, roles and permissions: hashing, sign-in slowing, enforcement where data is written."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from coverage import cli
from coverage.inputs.validation import TEAM_COLUMNS
from coverage.storage.accounts import (
    ACTIONS,
    ANONYMOUS,
    FREE_ATTEMPTS,
    IDLE_TIMEOUT_S,
    MAX_SESSION_S,
    MAX_WAIT_S,
    Account,
    AccountBook,
    AccountError,
    PermissionDeniedError,
    SignInError,
    can,
    is_local_address,
    require,
    session_expired,
    wait_after,
)
from coverage.storage.store import Store

GL = "52"
PASSWORD = "mật khẩu đủ dài 2026"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
"""Cheap Argon2 parameters for tests (the app uses argon2-cffi's defaults)."""

PLANNER = Account("lan", "planner")
VIEWER = Account("phong_hop", "viewer")
REPORTER = Account("xa.iapuch", "reporter", communes=("23416",))
ADMIN = Account("admin", "administrator")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def roster() -> pd.DataFrame:
    row = {c.name: None for c in TEAM_COLUMNS}
    row.update(
        team_id="T1",
        team_name="Đội 1",
        commune_code="23416",
        latitude=13.9,
        longitude=108.0,
        members=12,
        mode="fixed",
        skills=("vneid",),
        languages=("vi",),
        weekly_hours=4.0,
    )
    return pd.DataFrame([row])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "planning.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def book(store: Store, clock: Clock) -> AccountBook:
    return AccountBook(store, clock=clock, hasher=FAST)


# ---------------------------------------------------------------- roles


def test_each_role_may_do_exactly_its_own_actions() -> None:
    allowed = {
        role.role: {a for a in ACTIONS if can(role, a, commune_code="23416")}
        for role in (ADMIN, PLANNER, REPORTER, VIEWER)
    }
    assert allowed["administrator"] == set(ACTIONS)
    assert allowed["planner"] == set(ACTIONS) - {"manage_users"}
    assert allowed["reporter"] == {"write_activity"}
    assert allowed["viewer"] == set()
    assert not any(can(None, a) for a in ACTIONS)
    assert not any(can(ANONYMOUS, a) for a in ACTIONS)
    assert not can(Account("old", "planner", disabled=True), "write_roster")


def test_a_reporter_writes_activity_for_its_own_communes_only() -> None:
    assert can(REPORTER, "write_activity", commune_code="23416")
    assert not can(REPORTER, "write_activity", commune_code="23419")
    assert not can(REPORTER, "write_activity")  # the commune must be named
    assert can(PLANNER, "write_activity", commune_code="23419")
    with pytest.raises(PermissionDeniedError) as caught:
        require(REPORTER, "write_activity", commune_code="23419")
    assert "23416" in caught.value.message("vi") and "23419" in caught.value.message("vi")
    assert "only for the communes 23416, not 23419" in caught.value.message("en")


def test_only_loopback_addresses_are_local() -> None:
    assert all(is_local_address(a) for a in ("localhost", "127.0.0.1", "::1", "[::1]", "127.0.0.2"))
    assert not any(
        is_local_address(a) for a in ("0.0.0.0", "::", "", None, "192.168.1.20", "tinhdoan.local")
    )


def test_sessions_expire_when_idle_or_old() -> None:
    assert not session_expired(0, 0, IDLE_TIMEOUT_S - 1)
    assert session_expired(0, 0, IDLE_TIMEOUT_S + 1)
    assert not session_expired(0, MAX_SESSION_S - 10, MAX_SESSION_S - 5)
    assert session_expired(0, MAX_SESSION_S, MAX_SESSION_S + 1)


# ---------------------------------------------------------------- enforcement in the store


def test_a_viewer_cannot_write_anything_through_the_store(store: Store) -> None:
    viewer = store.for_account(VIEWER)
    with pytest.raises(PermissionDeniedError) as caught:
        viewer.save_roster(GL, roster(), base_revision=0)
    assert "phong_hop" in caught.value.message("vi") and "chỉ xem" in caught.value.message("vi")
    for write in (
        lambda: viewer.save_scenario("A", GL, roster(), {}, {}),
        lambda: viewer.save_indicators(
            GL, pd.DataFrame({"commune_code": ["23416"]}), file_name="x.csv"
        ),
        lambda: viewer.reset_indicators(GL),
        lambda: viewer.delete_scenario("A", GL),
        lambda: viewer.rename_scenario("A", GL, new_name="B"),
        lambda: viewer.restore_roster(GL, 1, base_revision=1),
    ):
        with pytest.raises(PermissionDeniedError):
            write()
    assert store.latest_revision(GL) == 0 and store.list_scenarios(GL) == ()
    assert viewer.load_roster(GL) is None  # reading is allowed


def test_a_reporter_cannot_change_the_roster_or_scenarios(store: Store) -> None:
    reporter = store.for_account(REPORTER)
    with pytest.raises(PermissionDeniedError):
        reporter.save_roster(GL, roster(), base_revision=0)
    with pytest.raises(PermissionDeniedError):
        reporter.save_scenario("A", GL, roster(), {}, {})
    assert store.latest_revision(GL) == 0


def test_the_signed_in_account_is_recorded_never_a_typed_name(store: Store) -> None:
    info = store.for_account(PLANNER).save_roster(
        GL, roster(), base_revision=0, author="Bí thư tỉnh"
    )
    assert info.author == "lan"
    assert [r.author for r in store.list_roster_revisions(GL)] == ["lan"]
    saved = store.for_account(PLANNER).save_scenario("A", GL, roster(), {}, {}, author="someone")
    assert saved.author == "lan"


# ---------------------------------------------------------------- the account book


def test_passwords_are_stored_as_argon2id_hashes(book: AccountBook, store: Store) -> None:
    book.add("Lan.Nguyen", PASSWORD, role="planner", full_name="Nguyễn  Thị Lan")
    with store._transaction(write=False) as conn:
        digest = conn.execute("SELECT password_hash FROM account").fetchone()[0]
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    account = book.sign_in("lan.nguyen", PASSWORD)  # user names ignore case
    assert (account.username, account.role, account.full_name) == (
        "Lan.Nguyen",
        "planner",
        "Nguyễn Thị Lan",
    )


def test_bad_accounts_are_refused_with_the_fix(book: AccountBook) -> None:
    for username, password, role, communes, code in (
        ("[xem](http://evil.example)", PASSWORD, "planner", (), "accounts.error.bad_username"),
        ("lan", "ngắn", "planner", (), "accounts.error.weak_password"),
        ("lan", PASSWORD, "boss", (), "accounts.error.bad_role"),
        ("xa", PASSWORD, "reporter", (), "accounts.error.reporter_communes"),
    ):
        with pytest.raises(AccountError) as caught:
            book.add(username, password, role=role, communes=communes)
        assert caught.value.code == code
    book.add("lan", PASSWORD, role="planner")
    with pytest.raises(AccountError, match="already exists"):
        book.add("LAN", PASSWORD, role="viewer")


def test_repeated_failed_sign_ins_are_slowed(book: AccountBook, clock: Clock) -> None:
    book.add("lan", PASSWORD, role="planner")
    for attempt in range(1, FREE_ATTEMPTS):
        with pytest.raises(SignInError) as caught:
            book.sign_in("lan", "sai mật khẩu")
        assert (caught.value.reason, caught.value.failures) == ("failed", attempt)
    with pytest.raises(SignInError) as caught:
        book.sign_in("lan", "sai mật khẩu")
    assert (caught.value.reason, caught.value.wait_s) == ("wait", wait_after(FREE_ATTEMPTS))
    # During the wait even the right password is not checked.
    with pytest.raises(SignInError) as caught:
        book.sign_in("lan", PASSWORD)
    assert caught.value.reason == "wait"
    assert "đợi" in caught.value.message("vi") and "wait" in caught.value.message("en")
    clock.advance(wait_after(FREE_ATTEMPTS))
    assert book.sign_in("lan", PASSWORD).username == "lan"
    with pytest.raises(SignInError) as caught:  # a success starts the count again
        book.sign_in("lan", "sai mật khẩu")
    assert caught.value.reason == "failed"


def test_waits_double_up_to_a_limit() -> None:
    waits = [wait_after(n) for n in range(FREE_ATTEMPTS + 12)]
    assert waits[:FREE_ATTEMPTS] == [0] * FREE_ATTEMPTS
    assert waits[FREE_ATTEMPTS : FREE_ATTEMPTS + 3] == [2, 4, 8]
    assert max(waits) == MAX_WAIT_S


def test_an_unknown_name_fails_like_a_wrong_password(book: AccountBook) -> None:
    book.add("lan", PASSWORD, role="planner")
    with pytest.raises(SignInError) as unknown:
        book.sign_in("khong.co", PASSWORD)
    with pytest.raises(SignInError) as wrong:
        book.sign_in("lan", "sai mật khẩu")
    assert unknown.value.message("en") == wrong.value.message("en")


def test_disabled_accounts_cannot_sign_in_and_the_last_admin_stays(book: AccountBook) -> None:
    book.add("admin", PASSWORD, role="administrator")
    book.add("lan", PASSWORD, role="planner")
    book.set_disabled("lan")
    with pytest.raises(SignInError) as caught:
        book.sign_in("lan", PASSWORD)
    assert caught.value.reason == "disabled"
    with pytest.raises(AccountError) as last:
        book.set_disabled("admin")
    assert last.value.code == "accounts.error.last_administrator"
    book.set_disabled("lan", disabled=False)
    assert book.sign_in("lan", PASSWORD).role == "planner"
    book.reset_password("lan", "một mật khẩu mới hơn")
    with pytest.raises(SignInError):
        book.sign_in("lan", PASSWORD)
    assert book.sign_in("lan", "một mật khẩu mới hơn").username == "lan"


def test_only_an_administrator_manages_accounts_in_the_app(store: Store, clock: Clock) -> None:
    AccountBook(store, hasher=FAST).add("admin", PASSWORD, role="administrator")
    as_planner = AccountBook(store.for_account(PLANNER), clock=clock, hasher=FAST)
    with pytest.raises(PermissionDeniedError):
        as_planner.add("minh", PASSWORD, role="administrator")
    with pytest.raises(PermissionDeniedError):
        as_planner.reset_password("admin", "chiếm quyền quản trị")
    as_admin = AccountBook(store.for_account(ADMIN), clock=clock, hasher=FAST)
    as_admin.add("minh", PASSWORD, role="viewer")
    assert [a.username for a in as_admin.list()] == ["admin", "minh"]


# ---------------------------------------------------------------- command line


def test_users_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COVERAGE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["users", "add", "admin", "--role", "administrator", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main(
            [
                "--lang",
                "en",
                "users",
                "add",
                "xa1",
                "--role",
                "reporter",
                "--communes",
                "23416,23419",
                "--full-name",
                "Xã Ia Púch",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert cli.main(["--lang", "en", "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "admin | administrator | – | active" in out
    assert "xa1 | commune reporter | 23416,23419 | active | Xã Ia Púch" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(["users", "reset-password", "xa1", "--password-stdin"]) == 2
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    assert cli.main(["users", "disable", "xa1"]) == 0
    assert cli.main(["--lang", "en", "users", "disable", "admin"]) == 2
    assert "only active administrator" in capsys.readouterr().err
    assert AccountBook(Store(tmp_path / "planning.sqlite3")).get("xa1") == Account(
        "xa1", "reporter", ("23416", "23419"), "Xã Ia Púch", disabled=True
    )


def _app(address: str, data_dir: Path, lang: str = "vi") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COVERAGE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "--lang",
            lang,
            "app",
            "--address",
            address,
            "--port",
            "8599",
            "--no-warm-up",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_app_refuses_the_network_without_an_administrator(tmp_path: Path, lang: str) -> None:
    AccountBook(Store(tmp_path / "planning.sqlite3"), hasher=FAST).add(
        "lan", PASSWORD, role="planner"
    )
    done = _app("0.0.0.0", tmp_path, lang)
    assert done.returncode == 2
    assert "python -m coverage users add" in done.stderr and "--role administrator" in done.stderr
    assert ("quản trị viên" if lang == "vi" else "administrator") in done.stderr


# ---------------------------------------------------------------- activity reports and targets


def test_activity_reports_are_checked_where_they_are_written(tmp_path: Path) -> None:
    """A reporter writes its own commune's teams' reports; others' and a viewer's are refused."""
    from coverage.monitoring.loop import import_activity
    from coverage.storage.activity_store import ActivityStore
    from tests.synthetic import three_communes
    from tests.test_activity import CLEAN, TEAMS, TODAY

    store = Store(tmp_path / "p.sqlite3")
    t1_only = CLEAN.decode().splitlines()
    own = ("\n".join([t1_only[0], t1_only[1], t1_only[3]]) + "\n").encode()  # T1 of commune 23938
    reporter = Account("xa.23938", "reporter", communes=("23938",))

    def load(account: Account, data: bytes) -> object:
        return import_activity(
            ActivityStore(store.for_account(account)),
            GL,
            data,
            teams=TEAMS,
            communes=three_communes(),
            today=TODAY,
            name="log.csv",
            author="gõ tay",
        )

    for refused, data in (
        (VIEWER, own),
        (Account("xa.khac", "reporter", communes=("23995",)), own),
        (reporter, CLEAN),
    ):  # CLEAN also holds T2, a team of commune 23995
        with pytest.raises(PermissionDeniedError):
            load(refused, data)
    assert ActivityStore(store).count_reports(GL) == 0  # nothing stored by any refused import
    result, _ = load(reporter, own)
    assert result.added == 2  # type: ignore[attr-defined]
    assert set(ActivityStore(store).current_reports(GL)["author"]) == {"xa.23938"}
    with pytest.raises(PermissionDeniedError):
        ActivityStore(store.for_account(reporter)).save_target(
            GL, metric="online_filing_share", value=0.8
        )
    ActivityStore(store.for_account(PLANNER)).save_target(
        GL, metric="online_filing_share", value=0.8, author="gõ tay"
    )
    assert ActivityStore(store).target_history(GL)["author"].tolist() == ["lan"]


def test_signing_in_works_from_a_read_only_store(book: AccountBook, store: Store) -> None:
    book.add("lan", PASSWORD, role="planner")
    reader = AccountBook(Store(store.path, read_only=True), hasher=FAST)
    assert reader.sign_in("lan", PASSWORD).username == "lan"
    with pytest.raises(SignInError):
        reader.sign_in("lan", "sai mật khẩu")
