"""SQLite store: round trips, conflicts between tabs, history, rollback and crash safety."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from coverage.storage import rosters, scenarios, store as storage
from coverage.text.i18n import CATALOG
from coverage.settings import Settings
from coverage.storage.store import (
    ConflictError,
    DuplicateNameError,
    InvalidNameError,
    RevisionNotFoundError,
    ScenarioNotFoundError,
    SchemaTooNewError,
    Store,
)
from coverage.inputs.validation import validate_teams
from tests.synthetic import roster_rows, three_communes

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GL = "52"


def _clock(start: str = "2026-11-23T02:00:00+00:00") -> Callable[[], dt.datetime]:
    """A clock that moves one minute forward on every call (no sleeps, no real time)."""
    base = dt.datetime.fromisoformat(start)
    ticks = itertools.count()
    return lambda: base + dt.timedelta(minutes=next(ticks))


def _store(path: Path) -> Store:
    return Store(path, clock=_clock())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "planning.sqlite3"


@pytest.fixture
def teams() -> pd.DataFrame:
    rows = roster_rows()
    frame, problems = validate_teams(pd.DataFrame(rows[1:], columns=rows[0]), three_communes(),
                                     file="r.csv")
    assert problems == []
    return frame


def _edit(teams: pd.DataFrame, team_id: str, **values: object) -> pd.DataFrame:
    edited = teams.copy()
    row = edited.index[edited["team_id"] == team_id][0]
    for column, value in values.items():
        edited.at[row, column] = value
    return edited


def _drop(teams: pd.DataFrame, team_id: str) -> pd.DataFrame:
    return teams[teams["team_id"] != team_id].reset_index(drop=True)


# ---------------------------------------------------------------- working roster


def test_roster_round_trip_keeps_dtypes_tuples_and_blanks(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    assert store.load_roster(GL) is None
    assert store.latest_revision(GL) == 0

    info = store.save_roster(GL, teams, base_revision=0, author="Lan", session_id="tab-a",
                             note="first import")

    assert (info.revision, info.team_count, info.author, info.note) == (1, 3, "Lan", "first import")
    assert info.changes.added == ("T1", "T2", "T3")
    assert info.saved_at == "2026-11-23T02:01:00.000000+00:00"  # tick 0 was the migration
    saved = store.load_roster(GL)
    assert saved is not None and saved.revision == 1
    pd.testing.assert_frame_equal(saved.teams, teams)
    assert saved.teams.at[0, "skills"] == ("vneid", "public_service_portal")
    assert isinstance(saved.teams.at[1, "languages"], tuple)
    assert saved.teams.at[2, "skills"] is None  # blank stays blank, not ()


def test_stored_json_never_contains_nan(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    with_nan = teams.assign(latitude=[np.nan, 14.05, np.nan])
    store.save_roster(GL, with_nan, base_revision=0)

    with sqlite3.connect(db) as conn:
        (text,) = conn.execute("SELECT teams_json FROM roster_revision").fetchone()

    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON constant {constant}")

    envelope = json.loads(text, parse_constant=refuse)
    assert envelope["format"] == "records-v1"
    assert envelope["records"][0]["latitude"] is None
    loaded = store.load_roster(GL)
    assert loaded is not None
    pd.testing.assert_frame_equal(loaded.teams, with_nan)


def test_second_tab_saving_from_a_stale_revision_gets_a_conflict(
    db: Path, teams: pd.DataFrame
) -> None:
    tab_a, tab_b = _store(db), Store(db, clock=_clock("2026-11-23T05:00:00+00:00"))
    tab_a.save_roster(GL, teams, base_revision=0, author="Lan", session_id="a")
    base = tab_b.load_roster(GL)
    assert base is not None and base.revision == 1

    tab_a.save_roster(GL, _edit(teams, "T1", members=18), base_revision=1, author="Lan",
                      session_id="a")
    mine = _drop(_edit(base.teams, "T2", weekly_hours=8.0), "T3")
    with pytest.raises(ConflictError) as caught:
        tab_b.save_roster(GL, mine, base_revision=base.revision, author="Minh", session_id="b")

    err = caught.value
    assert (err.kind, err.base_revision, err.current_revision) == ("roster", 1, 2)
    assert (err.saved_by, err.saved_session) == ("Lan", "a")
    assert err.saved_at == "2026-11-23T02:02:00.000000+00:00"
    assert err.differences.team_ids == ("T1", "T2", "T3")  # stored rev 2 versus mine
    assert err.differences.removed == ("T3",)
    assert dict(err.differences.changed_columns) == {"T1": ("members",), "T2": ("weekly_hours",)}
    assert err.their_changes is not None and err.their_changes.changed == ("T1",)
    assert err.both_changed == ()
    assert "T1, T2, T3" in err.message("en") and "Lan" in err.message("vi")
    assert "09:02 23/11/2026" in err.message("vi")  # shown in Vietnam time (UTC+7)
    # Nothing was written: revision 2 is still the newest, with Lan's edit.
    latest = tab_b.load_roster(GL)
    assert latest is not None and latest.revision == 2
    assert latest.teams.loc[latest.teams["team_id"] == "T1", "members"].item() == 18


def test_conflict_names_teams_both_sides_changed(db: Path, teams: pd.DataFrame) -> None:
    tab_a, tab_b = _store(db), _store(db)
    tab_a.save_roster(GL, teams, base_revision=0)
    tab_a.save_roster(GL, _edit(teams, "T1", members=18), base_revision=1, author="Lan")
    with pytest.raises(ConflictError) as caught:
        tab_b.save_roster(GL, _edit(teams, "T1", members=30), base_revision=1, author="Minh")
    assert caught.value.both_changed == ("T1",)


def test_two_first_saves_do_not_overwrite_each_other(db: Path, teams: pd.DataFrame) -> None:
    tab_a, tab_b = _store(db), _store(db)
    tab_a.save_roster(GL, teams, base_revision=0, author="Lan")
    with pytest.raises(ConflictError) as caught:
        tab_b.save_roster(GL, _drop(teams, "T2"), base_revision=0, author="Minh")
    assert caught.value.current_revision == 1
    assert caught.value.differences.removed == ("T2",)
    assert tab_a.latest_revision(GL) == 1


def test_concurrent_saves_from_one_revision_let_exactly_one_win(
    db: Path, teams: pd.DataFrame
) -> None:
    _store(db).save_roster(GL, teams, base_revision=0)
    start = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(members: int) -> None:
        store = Store(db)  # one store per "browser tab"
        start.wait()
        try:
            store.save_roster(GL, _edit(teams, "T1", members=members), base_revision=1)
            result = "saved"
        except ConflictError:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(m,)) for m in (21, 22, 23, 24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    assert Store(db).latest_revision(GL) == 2


def test_saving_an_unchanged_roster_writes_no_revision(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0)
    again = store.save_roster(GL, teams.copy(), base_revision=1, note="nothing changed")
    assert again.revision == 1
    assert len(store.list_roster_revisions(GL)) == 1


def test_history_lists_every_revision_with_its_audit_and_restores(
    db: Path, teams: pd.DataFrame
) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0, note="import")
    second = _edit(teams, "T2", members=13, team_name="Đội Đak Pơ 2")
    store.save_roster(GL, second, base_revision=1, note="T2 grew")
    extra = pd.concat([_drop(second, "T3"), teams.iloc[[2]].assign(team_id="T4")],
                      ignore_index=True)
    store.save_roster(GL, extra, base_revision=2, note="T3 renamed T4")

    history = store.list_roster_revisions(GL)
    assert [h.revision for h in history] == [3, 2, 1]
    assert [h.note for h in history] == ["T3 renamed T4", "T2 grew", "import"]
    assert history[1].changes.changed_columns == (("T2", ("team_name", "members")),)
    assert (history[0].changes.added, history[0].changes.removed) == (("T4",), ("T3",))
    first = store.load_roster(GL, revision=1)
    assert first is not None
    pd.testing.assert_frame_equal(first.teams, teams)

    restored = store.restore_roster(GL, 1, base_revision=3, author="Lan", note="undo")
    assert (restored.revision, restored.restored_from) == (4, 1)
    assert restored.changes.team_ids == ("T2", "T3", "T4")
    latest = store.load_roster(GL)
    assert latest is not None and latest.info.restored_from == 1
    pd.testing.assert_frame_equal(latest.teams, teams)
    assert len(store.list_roster_revisions(GL)) == 4  # history is never rewritten

    with pytest.raises(ConflictError):
        store.restore_roster(GL, 2, base_revision=3)
    with pytest.raises(RevisionNotFoundError) as missing:
        store.restore_roster(GL, 9, base_revision=4)
    assert missing.value.latest_revision == 4
    with pytest.raises(RevisionNotFoundError):
        store.load_roster(GL, revision=9)


def test_provinces_have_separate_rosters(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0)
    store.save_roster("01", _drop(teams, "T1"), base_revision=0)
    assert store.latest_revision(GL) == 1 and store.latest_revision("01") == 1
    other = store.load_roster("01")
    assert other is not None and other.teams["team_id"].tolist() == ["T2", "T3"]


def test_a_table_that_is_not_a_validated_roster_is_a_bug(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    with pytest.raises(ValueError, match="columns missing"):
        store.save_roster(GL, teams.drop(columns=["team_id"]), base_revision=0)
    with pytest.raises(ValueError, match="duplicate team_id"):
        store.save_roster(GL, teams.assign(team_id=["T1", "T1", "T3"]), base_revision=0)


# ---------------------------------------------------------------- scenarios


def _per_commune() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["23938", "23995", "00001"],
            "name": ["Ia Mơ", "Đak Pơ", "Ia Zero"],
            "population": np.array([12000, 30000, 5000], dtype=np.int64),
            "coverage_ratio": [0.5, np.nan, 1.25],
            "nearest_team_km": [1.5, math.inf, 0.0],
            "is_border": [True, False, False],
            "newly_reached": [["23995"], [], ["00001", "23938"]],
        },
        geometry=list(three_communes().geometry),
        crs="EPSG:4326",
    )


def _params() -> dict[str, object]:
    return {"radius_km": 10.0, "modes": ("fixed", "mobile"), "new_teams": np.int64(3),
            "travel": {"speed_kmh": 30, "max_min": None}}


def test_scenario_round_trip(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0)
    summary = {"population_covered": 42000, "coverage_pct": np.float64(87.5), "gap": np.nan}

    info = store.save_scenario(" Phương  án A ", GL, teams, _params(), summary, _per_commune(),
                               roster_revision=1, author="Lan", session_id="a")

    assert (info.name, info.revision, info.team_count, info.roster_revision) == (
        "Phương án A", 1, 3, 1)
    scenario = store.load_scenario("phương án a", GL)
    assert scenario.name == "Phương án A"
    assert scenario.created_at == scenario.updated_at == info.created_at
    assert dt.datetime.fromisoformat(scenario.created_at).utcoffset() == dt.timedelta(0)
    pd.testing.assert_frame_equal(scenario.teams, teams)
    assert scenario.params == {"radius_km": 10.0, "modes": ["fixed", "mobile"], "new_teams": 3,
                               "travel": {"speed_kmh": 30, "max_min": None}}
    assert scenario.summary == {"population_covered": 42000, "coverage_pct": 87.5, "gap": None}
    expected = pd.DataFrame(_per_commune().drop(columns="geometry"))
    assert scenario.per_commune is not None
    pd.testing.assert_frame_equal(scenario.per_commune, expected)
    assert scenario.per_commune.at[1, "nearest_team_km"] == math.inf
    assert [s.name for s in store.list_scenarios(GL)] == ["Phương án A"]
    assert store.list_scenarios("01") == ()


def test_scenario_without_per_commune_table(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_scenario("B", GL, teams, {}, {})
    assert store.load_scenario("B", GL).per_commune is None


def test_duplicate_scenario_name_needs_overwrite(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    first = store.save_scenario("Phương án A", GL, teams, _params(), {"n": 1}, author="Lan")
    with pytest.raises(DuplicateNameError) as caught:
        store.save_scenario("PHƯƠNG ÁN  A", GL, _drop(teams, "T1"), {}, {"n": 2}, author="Minh")
    assert (caught.value.name, caught.value.saved_by) == ("Phương án A", "Lan")
    assert "Phương án A" in caught.value.message("vi")
    assert store.load_scenario("Phương án A", GL).summary == {"n": 1}

    replaced = store.save_scenario("Phương án A", GL, _drop(teams, "T1"), {}, {"n": 2},
                                   overwrite=True, expected_revision=first.revision)
    assert replaced.revision == 2
    assert replaced.created_at == first.created_at and replaced.updated_at > first.updated_at
    assert store.load_scenario("Phương án A", GL).summary == {"n": 2}
    # The same name in another province is a different scenario.
    assert store.save_scenario("Phương án A", "01", teams, {}, {}).revision == 1


def test_overwriting_a_scenario_from_a_stale_revision_is_a_conflict(
    db: Path, teams: pd.DataFrame
) -> None:
    tab_a, tab_b = _store(db), _store(db)
    tab_a.save_scenario("A", GL, teams, _params(), {}, author="Lan")
    loaded = tab_b.load_scenario("A", GL)
    tab_a.save_scenario("A", GL, _edit(teams, "T1", members=40), _params(), {}, overwrite=True,
                        author="Lan", session_id="a")

    with pytest.raises(ConflictError) as caught:
        tab_b.save_scenario("A", GL, teams, {**_params(), "radius_km": 15.0}, {}, overwrite=True,
                            expected_revision=loaded.revision, author="Minh")
    err = caught.value
    assert (err.kind, err.name, err.base_revision, err.current_revision) == ("scenario", "A", 1, 2)
    assert err.saved_by == "Lan" and err.differences.changed == ("T1",)
    assert err.differing_params == ("radius_km",)
    assert "radius_km" in err.message("en")
    assert tab_b.load_scenario("A", GL).teams.at[0, "members"] == 40


def test_saving_over_a_scenario_deleted_elsewhere_is_reported(
    db: Path, teams: pd.DataFrame
) -> None:
    tab_a, tab_b = _store(db), _store(db)
    tab_a.save_scenario("A", GL, teams, {}, {})
    tab_b.delete_scenario("A", GL, expected_revision=1)
    with pytest.raises(ScenarioNotFoundError):
        tab_a.save_scenario("A", GL, teams, {}, {}, overwrite=True, expected_revision=1)
    with pytest.raises(ScenarioNotFoundError):
        tab_a.load_scenario("A", GL)
    with pytest.raises(ScenarioNotFoundError):
        tab_a.delete_scenario("A", GL)


def test_rename_and_delete_scenarios(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_scenario("A", GL, teams, {}, {})
    store.save_scenario("B", GL, teams, {}, {})
    with pytest.raises(DuplicateNameError):
        store.rename_scenario("A", GL, new_name="b")
    renamed = store.rename_scenario("A", GL, new_name="C", expected_revision=1, author="Lan")
    assert (renamed.name, renamed.revision, renamed.author) == ("C", 2, "Lan")
    assert store.rename_scenario("c", GL, new_name="c").name == "c"  # only the case changes
    with pytest.raises(ConflictError):
        store.delete_scenario("c", GL, expected_revision=1)
    store.delete_scenario("c", GL, expected_revision=3)
    assert [s.name for s in store.list_scenarios(GL)] == ["B"]


def test_invalid_scenario_names_and_unknown_roster_revision(
    db: Path, teams: pd.DataFrame
) -> None:
    store = _store(db)
    with pytest.raises(InvalidNameError) as empty:
        store.save_scenario("   ", GL, teams, {}, {})
    assert empty.value.code == "storage.invalid_name.empty"
    with pytest.raises(InvalidNameError, match="longer than"):
        store.save_scenario("x" * 121, GL, teams, {}, {})
    with pytest.raises(RevisionNotFoundError):
        store.save_scenario("A", GL, teams, {}, {}, roster_revision=5)
    with pytest.raises(TypeError, match=r"params\.path"):
        store.save_scenario("A", GL, teams, {"path": Path("x")}, {})
    assert store.list_scenarios(GL) == ()


# ---------------------------------------------------------------- transactions and crashes


def test_an_error_inside_the_transaction_keeps_the_previous_state(
    db: Path, teams: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0)
    store.save_scenario("A", GL, teams, {}, {"n": 1})

    def fail(*args: object) -> None:
        raise OSError("disk full")

    # The revision row is inserted before the audit rows; failing there must undo both.
    monkeypatch.setattr(rosters, "_insert_changes", fail)
    with pytest.raises(OSError, match="disk full"):
        store.save_roster(GL, _drop(teams, "T1"), base_revision=1)
    # The scenario is updated before it is read back; failing there must undo the update.
    monkeypatch.setattr(scenarios, "_scenario_info", fail)
    with pytest.raises(OSError, match="disk full"):
        store.save_scenario("A", GL, _drop(teams, "T1"), {}, {"n": 2}, overwrite=True)
    monkeypatch.undo()

    fresh = Store(db)
    assert fresh.latest_revision(GL) == 1
    assert len(fresh.list_roster_revisions(GL)) == 1
    loaded = fresh.load_roster(GL)
    assert loaded is not None
    pd.testing.assert_frame_equal(loaded.teams, teams)
    scenario = fresh.load_scenario("A", GL)
    assert (scenario.revision, scenario.summary, scenario.teams.shape[0]) == (1, {"n": 1}, 3)
    assert fresh.save_roster(GL, _drop(teams, "T1"), base_revision=1).revision == 2


CRASH_SCRIPT = """
import os, sys
import pandas as pd
from coverage.storage import rosters, scenarios, store as storage
from coverage.inputs.validation import validate_teams
from tests.synthetic import roster_rows, three_communes

rows = roster_rows()
teams, _ = validate_teams(pd.DataFrame(rows[1:], columns=rows[0]), three_communes(), file="r")
store = storage.Store(sys.argv[1])

def crash(conn, revision_id, changes):
    conn.execute("SELECT 1")  # the new revision row is written but not committed
    os._exit(17)              # the process dies here, as on a power cut of the app

rosters._insert_changes = crash
store.save_roster("52", teams.iloc[:1], base_revision=1, author="crash")
"""


def test_a_process_that_dies_mid_write_loses_nothing(db: Path, teams: pd.DataFrame) -> None:
    _store(db).save_roster(GL, teams, base_revision=0, author="Lan")

    done = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(db)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)

    assert done.returncode == 17, done.stderr
    store = Store(db)
    assert [h.author for h in store.list_roster_revisions(GL)] == ["Lan"]
    loaded = store.load_roster(GL)
    assert loaded is not None
    pd.testing.assert_frame_equal(loaded.teams, teams)
    assert store.save_roster(GL, teams.iloc[:2], base_revision=1).revision == 2  # not locked


def test_a_new_store_object_sees_everything(db: Path, teams: pd.DataFrame) -> None:
    store = _store(db)
    store.save_roster(GL, teams, base_revision=0)
    store.save_roster(GL, _drop(teams, "T3"), base_revision=1)
    store.save_scenario("A", GL, teams, _params(), {"n": 1}, _per_commune())
    del store

    reloaded = Store(db)
    assert [h.revision for h in reloaded.list_roster_revisions(GL)] == [2, 1]
    latest = reloaded.load_roster(GL)
    assert latest is not None and latest.teams["team_id"].tolist() == ["T1", "T2"]
    assert reloaded.load_scenario("A", GL).summary == {"n": 1}


# ---------------------------------------------------------------- schema and messages


def test_schema_is_created_once_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh", shared_data_dir=tmp_path / "shared")
    store = storage.open_store(settings)
    assert store.path == settings.store_path and store.path.exists()
    Store(store.path)  # opening again applies nothing twice
    assert store.schema_version() == storage.SCHEMA_VERSION
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == storage.SCHEMA_VERSION
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO roster_change (revision_id, team_id, change, columns_json) "
                         "VALUES (999, 'T1', 'added', '[]')")


def test_a_database_from_a_newer_version_is_refused(db: Path) -> None:
    Store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00+00:00')")
    with pytest.raises(SchemaTooNewError) as caught:
        Store(db)
    assert caught.value.found_version == 99
    assert "planning.sqlite3" in caught.value.message("vi")


def test_every_storage_message_is_translated() -> None:
    keys = {k for k in CATALOG if k.startswith("storage.")}
    problems = {k for k in keys if not k.endswith(".fix") and k + ".fix" in keys}
    assert {"storage.roster_conflict", "storage.scenario_conflict", "storage.duplicate_name",
            "storage.scenario_not_found", "storage.revision_not_found",
            "storage.invalid_name.empty", "storage.invalid_name.too_long",
            "storage.schema_too_new"} <= problems
    errors = [
        ScenarioNotFoundError(province_code=GL, name="A"),
        RevisionNotFoundError(province_code=GL, revision=3, latest_revision=2),
        DuplicateNameError(province_code=GL, name="A", existing_revision=1, saved_by="",
                           saved_at="2026-11-23T02:00:00+00:00"),
    ]
    for error in errors:
        for lang in ("vi", "en"):
            assert error.message(lang)
    assert "một người khác" in errors[2].message("vi")
