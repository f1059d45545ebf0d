"""Uploaded indicator tables: kept in the store as revisions, used by the facade.

Hand-checkable: the synthetic three-commune strip, a file that covers two of them, and a
store with a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from coverage import planning
from coverage.analysis.analyze import analyze_coverage
from coverage.errors import InputError
from coverage.storage import store as storage
from coverage.storage.store import Store
from tests.synthetic import strip_border, strip_inputs

HEADER = (
    "commune_code,adult_share_pct,smartphone_adult_pct,fixed_broadband_household_pct,"
    "mobile_4g_population_pct,vneid_level2_adult_pct,online_filing_pct,ethnic_minority_pct,"
    "is_remote_official\n"
)
PROVINCE = "99"


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)


def upload(text: str, *, name: str = "chi_so.csv") -> pd.DataFrame:
    """Read and validate an indicator file for the strip, as the Data page does."""
    table, _ = planning.read_indicators(text.encode("utf-8"), strip_inputs().communes, name=name)
    return table


def two_communes() -> pd.DataFrame:
    return upload(HEADER + "00001,70,80,50,90,100,100,10,false\n2,70,80,50,90,100,100,10,true\n")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "planning.sqlite3", clock=fixed_clock)


def test_upload_round_trips_with_file_name_time_and_author(store: Store) -> None:
    assert store.load_indicators(PROVINCE) is None
    assert store.latest_indicator_revision(PROVINCE) == 0
    info = store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv", author="Lan")
    assert (info.revision, info.kind, info.file_name, info.row_count, info.author) == (
        1,
        "file",
        "chi_so.csv",
        2,
        "Lan",
    )
    assert info.saved_at == "2026-11-23T02:30:00.000000+00:00"
    saved = store.load_indicators(PROVINCE)
    assert saved is not None and saved.info == info
    pd.testing.assert_frame_equal(saved.indicators, two_communes())
    assert store.load_indicators("52") is None  # other provinces keep their estimate


def test_same_file_twice_writes_nothing_and_going_back_keeps_the_upload(store: Store) -> None:
    first = store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv")
    assert store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv") == first
    back = store.reset_indicators(PROVINCE, author="Lan")
    assert back is not None and back.is_estimate and back.revision == 2
    assert store.reset_indicators(PROVINCE) == back  # already on the estimate
    assert store.load_indicators(PROVINCE) is None
    kept = store.load_indicators(PROVINCE, revision=1)
    assert kept is not None and kept.info.file_name == "chi_so.csv"
    assert [(r.revision, r.kind) for r in store.list_indicator_revisions(PROVINCE)] == [
        (2, "estimate"),
        (1, "file"),
    ]
    assert store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv").revision == 3


def test_reset_before_any_upload_writes_nothing(store: Store) -> None:
    assert store.reset_indicators(PROVINCE) is None
    assert store.list_indicator_revisions(PROVINCE) == ()


def test_a_refused_table_leaves_the_stored_one(store: Store) -> None:
    store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv")
    doubled = pd.concat([two_communes(), two_communes()], ignore_index=True)
    with pytest.raises(ValueError, match="duplicate commune codes"):
        store.save_indicators(PROVINCE, doubled, file_name="double.csv")
    with pytest.raises(ValueError, match="no indicator revision 7"):
        store.load_indicators(PROVINCE, revision=7)
    assert store.latest_indicator_revision(PROVINCE) == 1


def test_a_version_1_database_gains_the_indicator_table_and_keeps_its_rosters(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    Store(path)
    with sqlite3.connect(path) as conn:  # make it look like a database written by schema 1
        conn.execute("DROP TABLE indicator_revision")
        conn.execute("DROP TABLE IF EXISTS activity_report")  # later migrations' tables
        conn.execute("DROP TABLE IF EXISTS activity_target")
        conn.execute("ALTER TABLE roster_revision DROP COLUMN kind")  # migration 4's columns
        conn.execute("ALTER TABLE roster_change DROP COLUMN values_json")
        conn.execute("ALTER TABLE roster_revision DROP COLUMN source_file")  # migration 6's
        conn.execute("ALTER TABLE roster_revision DROP COLUMN is_sample")
        conn.execute("DELETE FROM schema_version WHERE version > 1")
        conn.execute(
            "INSERT INTO scenario (province_code, name, name_key, revision, created_at, "
            "updated_at, author, session_id, team_count, teams_json, params_json, summary_json) "
            "VALUES ('99', 'A', 'a', 1, 't', 't', '', '', 0, '{}', '{}', '{}')"
        )
    store = Store(path)
    assert store.schema_version() == storage.SCHEMA_VERSION >= 2
    assert [s.name for s in store.list_scenarios("99")] == ["A"]
    assert store.save_indicators(PROVINCE, two_communes(), file_name="x.csv").revision == 1


def test_bad_files_name_file_row_and_column() -> None:
    cases = {
        "missing.csv": (
            HEADER.replace(",online_filing_pct", "") + "00001,70,80,50,90,60,,\n",
            None,
            "online_filing_pct",
        ),
        "unknown.csv": (
            HEADER + "00001,70,80,50,90,60,40,,\n12345,70,80,50,90,60,40,,\n",
            3,
            "commune_code",
        ),
        "range.csv": (HEADER + "00001,170,80,50,90,60,40,,\n", 2, "adult_share_pct"),
    }
    for name, (text, row, column) in cases.items():
        with pytest.raises(InputError) as caught:
            upload(text, name=name)
        first = caught.value.errors[0]
        assert (first.file, first.row, first.column) == (name, row, column), name


def test_facade_uses_the_upload_and_labels_it(store: Store) -> None:
    base = strip_inputs()
    assert planning.with_saved_indicators(base, None) is base
    store.save_indicators(PROVINCE, two_communes(), file_name="chi_so.csv", author="Lan")
    inputs = planning.with_saved_indicators(base, store.load_indicators(PROVINCE))
    assert not inputs.indicators_is_estimate
    assert (inputs.indicators_source, inputs.indicators_saved_by, inputs.indicators_revision) == (
        "chi_so.csv",
        "Lan",
        1,
    )
    assert inputs.indicators_saved_at == "2026-11-23T02:30:00.000000+00:00"
    assert inputs.indicators_missing == ("00003",)
    assert inputs.communes is base.communes and inputs.teams is base.teams

    before = analyze_coverage(base, land_border=strip_border()).communes.set_index("code")
    after = analyze_coverage(inputs, land_border=strip_border()).communes.set_index("code")
    # VNeID and online filing at 100% in the file: communes 1 and 2 have no need left;
    # commune 3 is not in the file and keeps the documented estimate.
    assert before.loc["00001", "need"] > 0 and after.loc["00001", "need"] == 0
    assert after.loc["00002", "remote_source"] == "official" and bool(
        after.loc["00002", "is_remote"]
    )
    assert after["indicators_estimated"].tolist() == [False, False, True]
