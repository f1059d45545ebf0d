"""Faults of the database file become plain vi/en messages, and nothing saved is lost.

The tests run as root in CI, where ``chmod`` does not stop writes, so read-only files are
also simulated the way SQLite sees them (``mode=ro``), a lock is held by a real second
connection, a full disk by ``PRAGMA max_page_count``; the read-only folder test drops to
an unprivileged user in a child process when it runs as root.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from coverage.inputs.validation import TEAM_COLUMNS
from coverage.storage import store as storage
from coverage.storage.store import (
    LOCK_WAIT_S,
    Store,
    StoreFullError,
    StoreLockedError,
    StoreMissingError,
    StoreReadOnlyError,
    StoreUnusableError,
)

GL = "52"
PROJECT = Path(__file__).resolve().parents[1]


def roster(n: int = 2, *, name: str = "Đội") -> pd.DataFrame:
    rows = []
    for i in range(1, n + 1):
        row = {c.name: None for c in TEAM_COLUMNS}
        row.update(
            team_id=f"T{i}",
            team_name=f"{name} {i}",
            commune_code="23416",
            latitude=13.9,
            longitude=108.0,
            members=12,
            mode="fixed",
            skills=("vneid",),
            languages=("vi",),
            weekly_hours=4.0,
        )
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def saved(tmp_path: Path) -> Store:
    """A store with one saved roster revision."""
    store = Store(tmp_path / "planning.sqlite3")
    store.save_roster(GL, roster(), base_revision=0, author="Lan")
    return store


def test_the_lock_wait_is_short_and_named() -> None:
    assert 1 <= LOCK_WAIT_S <= 10
    assert storage.open_store.__kwdefaults__ == {"timeout_s": LOCK_WAIT_S}


def _write_while_locked(saved: Store) -> StoreLockedError:
    """Try to save while another connection holds the write lock; return the error."""
    holder = sqlite3.connect(saved.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        impatient = Store(saved.path, timeout_s=0.2)
        with pytest.raises(StoreLockedError) as caught:
            impatient.save_roster(GL, roster(3), base_revision=1, author="Minh")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return caught.value


@pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="the lock's holders are found through /proc (Linux)"
)
def test_a_held_lock_names_who_holds_it(saved: Store) -> None:
    error = _write_while_locked(saved)
    assert [pid for pid, _ in error.holders] == [os.getpid()]  # this test's own connection
    assert "chính ứng dụng này" in error.message("vi")


def test_a_held_lock_says_how_long_it_waited(saved: Store) -> None:
    error = _write_while_locked(saved)
    assert error.waited_s == 0.2
    vi, en = error.message("vi"), error.message("en")
    assert "đang bị một chương trình khác khoá" in vi and "0,2 giây" in vi
    assert "locked for writing" in en and "0.2 s" in en and "still on the page" in en
    assert "Traceback" not in vi and "OperationalError" not in en
    assert saved.load_roster(GL).revision == 1  # type: ignore[union-attr]  # nothing lost, nothing half-written
    assert (
        Store(saved.path).save_roster(GL, roster(3), base_revision=1).revision == 2
    )  # and it works after


def test_a_read_only_file_can_be_read_and_refuses_writes_with_a_message(saved: Store) -> None:
    reader = Store(saved.path, read_only=True)
    assert reader.read_only
    assert reader.load_roster(GL).teams["team_name"].tolist() == ["Đội 1", "Đội 2"]  # type: ignore[union-attr]
    with pytest.raises(StoreReadOnlyError) as caught:
        reader.save_roster(GL, roster(3), base_revision=1)
    assert "chỉ cho phép đọc" in caught.value.message("vi")
    assert "COVERAGE_DATA_DIR" in caught.value.message("en")


def test_sqlite_refusing_a_write_becomes_the_read_only_message(
    saved: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What SQLite itself says about a read-only file (``mode=ro``) maps to the same message."""
    uri = f"file:{saved.path}?mode=ro"
    monkeypatch.setattr(Store, "_connect", lambda self, create=False: self._open(uri))
    with pytest.raises(StoreReadOnlyError) as caught:
        saved.save_roster(GL, roster(3), base_revision=1)
    assert "attempt to write a readonly database" in caught.value.detail
    assert saved.load_roster(GL).revision == 1  # type: ignore[union-attr]


class _Chmod:
    """Make a folder and its files read-only, and restore them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        for path in self.folder.iterdir():
            path.chmod(0o444)
        self.folder.chmod(0o555)

    def __exit__(self, *exc: object) -> None:
        self.folder.chmod(0o755)
        for path in self.folder.iterdir():
            path.chmod(0o644)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="coverage-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
            path.unlink()
        folder.rmdir()


CHILD = textwrap.dedent("""
    import sys
    from coverage.storage.store import Store, StoreReadOnlyError
    store = Store(sys.argv[1])
    saved = store.load_roster("52")
    names = saved.teams["team_name"].tolist()
    print("read-only" if store.read_only else "writable", saved.revision, names)
    try:
        store.save_roster("52", saved.teams.iloc[:1], base_revision=saved.revision)
    except StoreReadOnlyError as error:
        print(error.message("en"))
""")


def test_a_read_only_folder_still_allows_reading(shared_folder: Path) -> None:
    store = Store(shared_folder / "planning.sqlite3")
    store.save_roster(GL, roster(), base_revision=0, author="Lan")
    as_nobody: list[str] = []
    if os.geteuid() == 0:  # root writes anywhere: read as an unprivileged user instead
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop privileges")
        as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    with _Chmod(shared_folder):
        done = subprocess.run(
            [*as_nobody, sys.executable, "-c", CHILD, str(shared_folder / "planning.sqlite3")],
            capture_output=True,
            text=True,
            cwd=PROJECT,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        )
    assert done.returncode == 0, done.stderr
    first, message = done.stdout.splitlines()[:2]
    assert first == "read-only 1 ['Đội 1', 'Đội 2']"
    assert "is read-only" in message
    assert stat.S_IMODE(shared_folder.stat().st_mode) == 0o755
    assert store.load_roster(GL).revision == 1  # type: ignore[union-attr]


def test_a_full_disk_says_so_and_keeps_what_was_saved(
    saved: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = Store._open

    def capped(self: Store, uri: str) -> sqlite3.Connection:
        conn = opened(self, uri)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        return conn

    monkeypatch.setattr(Store, "_open", capped)
    with pytest.raises(StoreFullError) as caught:
        saved.save_roster(GL, roster(400, name="Đội hình rất dài " * 5), base_revision=1)
    assert "ổ đĩa đã đầy" in caught.value.message("vi") and "MB" in caught.value.message("vi")
    assert "Free some disk space" in caught.value.message("en")
    monkeypatch.undo()
    after = Store(saved.path)
    assert after.load_roster(GL).revision == 1  # type: ignore[union-attr]
    with sqlite3.connect(saved.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_vanished_file_is_reported_not_silently_recreated(saved: Store) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(saved.path) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreMissingError) as caught:
        saved.load_roster(GL)
    assert "planning.sqlite3" in caught.value.message("vi") and "sao lưu" in caught.value.message(
        "vi"
    )
    assert not saved.path.exists()


def test_a_data_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StoreMissingError):
        Store(blocker / "data" / "planning.sqlite3")


def test_a_damaged_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "planning.sqlite3"
    path.write_bytes(b"this is not a database " * 100)
    with pytest.raises(StoreUnusableError) as caught:
        Store(path)
    assert "bị hỏng" in caught.value.message("vi") and "backup" in caught.value.message("en")
