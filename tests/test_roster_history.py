"""The roster history says precisely what changed.

Per field, old -> new, and an import is one entry.

Synthetic roster (tests/synthetic.py): T1 in Ia Mơ (15 members), T2 in Đak Pơ (12,
fixed), T3 in Ia Zero (20, mobile).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from coverage.inputs.validation import validate_teams
from coverage.storage import store as storage
from coverage.storage.roster_history import describe_diff, describe_revision, is_import
from coverage.storage.store import FieldChange, Store, diff_rosters
from tests.synthetic import roster_rows, three_communes

GL = "52"
NAMES = {"23938": "Ia Mơ", "23995": "Đak Pơ", "00001": "Ia Zero"}


@pytest.fixture
def teams() -> pd.DataFrame:
    rows = roster_rows()
    frame, problems = validate_teams(
        pd.DataFrame(rows[1:], columns=rows[0]), three_communes(), file="r.csv"
    )
    assert problems == []
    return frame


def _edit(teams: pd.DataFrame, team_id: str, **values: object) -> pd.DataFrame:
    edited = teams.copy()
    row = edited.index[edited["team_id"] == team_id][0]
    for column, value in values.items():
        edited.at[row, column] = value
    return edited


def test_a_resize_is_recorded_with_old_and_new_value(tmp_path: Path, teams: pd.DataFrame) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.save_roster(GL, teams, base_revision=0, kind="import", note="file:r.csv")
    store.save_roster(GL, _edit(teams, "T2", members=18), base_revision=1)
    latest, first = store.list_roster_revisions(GL)
    assert latest.changes.changed == ("T2",)
    assert latest.changes.values_of("T2") == (FieldChange("members", 12, 18),)
    assert describe_revision(latest, lang="vi", commune_names=NAMES) == "T2: thành viên 12 → 18"
    assert describe_revision(latest, lang="en", commune_names=NAMES) == "T2: members 12 → 18"
    # The import is one entry, not three "added" teams.
    assert first.kind == "import" and is_import(first)
    assert describe_revision(first, lang="vi", commune_names=NAMES) == "Nhập cả danh sách: 3 đội"
    assert (
        describe_revision(first, lang="en", commune_names=NAMES)
        == "Imported a whole roster: 3 teams"
    )


def test_a_move_names_the_communes_and_not_the_coordinates(
    tmp_path: Path, teams: pd.DataFrame
) -> None:
    store = Store(tmp_path / "s.sqlite3")
    moved = _edit(teams, "T1", commune_code="23995", latitude=14.06, longitude=108.15)
    info = store.save_roster(GL, moved, base_revision=0, previous=teams)
    # Measured against the original roster (revision 0), the first save lists the move only.
    assert info.changes.added == () and info.changes.changed == ("T1",)
    assert {f.column for f in info.changes.values_of("T1")} == {
        "commune_code",
        "latitude",
        "longitude",
    }
    (saved,) = store.list_roster_revisions(GL)
    assert not is_import(saved)
    assert describe_revision(saved, lang="vi", commune_names=NAMES) == "T1: Ia Mơ → Đak Pơ"
    assert describe_revision(saved, lang="en", commune_names=NAMES) == "T1: Ia Mơ → Đak Pơ"


def test_added_removed_and_lists_in_plain_words(teams: pd.DataFrame) -> None:
    new = pd.concat(
        [teams, teams.iloc[[0]].assign(team_id="T4", team_name="Đội mới")], ignore_index=True
    )
    new = _edit(
        new[new["team_id"] != "T3"],
        "T2",
        skills=("vneid", "e_health"),
        mode="mobile",
        weekly_hours=7.5,
    )
    lines = describe_diff(diff_rosters(teams, new), lang="vi", commune_names=NAMES)
    assert lines == [
        "Thêm T4 (Đội mới, Ia Mơ)",
        "Xoá T3 (Đội Ia Zero, Ia Zero)",
        "T2: hình thức cố định → lưu động",
        "T2: kỹ năng thêm Sổ sức khoẻ điện tử",
        "T2: giờ/tuần 5,5 → 7,5",
    ]
    english = describe_diff(diff_rosters(teams, new), lang="en", commune_names=NAMES)
    assert english[2:] == [
        "T2: mode fixed → mobile",
        "T2: skills added Electronic health record",
        "T2: hours a week 5.5 → 7.5",
    ]


def test_a_first_revision_saved_before_kinds_were_kept_reads_as_an_import(
    tmp_path: Path, teams: pd.DataFrame
) -> None:
    path = tmp_path / "old.sqlite3"
    # A database at schema 2 (before this change), with one revision listing all teams as added.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        for version, statements in enumerate(storage._MIGRATIONS[:2], start=1):
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version VALUES (?, '2026-11-01T00:00:00+00:00')", (version,)
            )
        text = storage._encode_frame(teams, where="t").text
        conn.execute(
            "INSERT INTO roster_revision (id, province_code, revision, saved_at, author, "
            "session_id, note, team_count, teams_json) VALUES (1, ?, 1, "
            "'2026-11-01T00:00:00+00:00', 'Lan', '', 'sample-edit', 3, ?)",
            (GL, text),
        )
        conn.executemany(
            "INSERT INTO roster_change VALUES (1, ?, 'added', '[]')", [("T1",), ("T2",), ("T3",)]
        )
        conn.execute(
            "INSERT INTO roster_revision (id, province_code, revision, saved_at, author, "
            "session_id, note, team_count, teams_json) VALUES (2, ?, 2, "
            "'2026-11-01T01:00:00+00:00', 'Lan', '', 'sample-edit', 3, ?)",
            (GL, text),
        )
        conn.execute("INSERT INTO roster_change VALUES (2, 'T2', 'changed', '[\"members\"]')")
    store = Store(path)  # migrates to the current schema
    assert store.schema_version() == storage.SCHEMA_VERSION
    second, first = store.list_roster_revisions(GL)
    assert first.kind == "edit" and is_import(first)
    assert describe_revision(first, lang="vi", commune_names=NAMES) == "Nhập cả danh sách: 3 đội"
    # Old audits kept only the column names: the history names them.
    assert describe_revision(second, lang="vi", commune_names=NAMES) == "T2: thành viên"
    info = store.save_roster(GL, _edit(teams, "T1", members=16), base_revision=2)
    assert info.changes.values_of("T1") == (FieldChange("members", 15, 16),)
