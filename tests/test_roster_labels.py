"""Where a saved roster comes from is data: its revision's ``is_sample`` and ``source_file``.

Before schema 6 the app read it from the note ("file:NAME", "sample-edit"); the migration
reads those notes once, and nothing reads a note afterwards. Synthetic roster
(tests/synthetic.py) for the store; the app tests use the Gia Lai data folder.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from app_pages.team_edits import edit_key
from coverage import settings as cfg
from coverage.inputs.validation import validate_teams
from coverage.storage import store as storage
from coverage.storage.store import Store, open_store
from tests.synthetic import roster_rows, three_communes
from tests.test_app_pages import save_preview, start, table_with

GL = "52"


@pytest.fixture
def teams() -> pd.DataFrame:
    rows = roster_rows()
    frame, problems = validate_teams(
        pd.DataFrame(rows[1:], columns=rows[0]), three_communes(), file="r.csv"
    )
    assert problems == []
    return frame


def _old_database(path: Path, teams: pd.DataFrame, notes: list[str]) -> None:
    """Write a database at schema 5 (before the labels) with one revision per note."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        for version, statements in enumerate(storage._MIGRATIONS[:5], start=1):
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version VALUES (?, '2026-11-01T00:00:00+00:00')", (version,)
            )
        text = storage._encode_frame(teams, where="t").text
        for revision, note in enumerate(notes, start=1):
            conn.execute(
                "INSERT INTO roster_revision (province_code, revision, saved_at, author, "
                "session_id, note, team_count, teams_json) VALUES (?, ?, "
                "'2026-11-01T00:00:00+00:00', 'Lan', '', ?, 3, ?)",
                (GL, revision, note, text),
            )


def test_an_old_database_gets_its_labels_from_the_notes_once(
    tmp_path: Path, teams: pd.DataFrame
) -> None:
    path = tmp_path / "old.sqlite3"
    notes = ["sample-edit", "file:doi_hinh.csv", "edit", "file:sample_doi_hinh.csv", "sample"]
    _old_database(path, teams, notes)
    store = Store(path)  # migrates to the current schema
    assert store.schema_version() == storage.SCHEMA_VERSION
    labels = {r.revision: (r.is_sample, r.source_file) for r in store.list_roster_revisions(GL)}
    assert labels == {
        1: (True, None),
        2: (False, "doi_hinh.csv"),
        3: (None, None),  # no label in the note: like the province's original roster
        4: (False, "sample_doi_hinh.csv"),  # a file whose name starts with "sample"
        5: (True, None),
    }
    loaded = store.load_roster(GL, revision=2)
    assert loaded is not None and loaded.info.source_file == "doi_hinh.csv"
    # The notes stay as they were (the history shows them); nothing reads them any more.
    assert [r.note for r in store.list_roster_revisions(GL)] == notes[::-1]


def test_a_new_save_records_its_labels_and_a_restore_brings_them_back(
    tmp_path: Path, teams: pd.DataFrame
) -> None:
    store = Store(tmp_path / "s.sqlite3")
    first = store.save_roster(
        GL, teams, base_revision=0, kind="import", is_sample=False, source_file="sample_x.csv"
    )
    assert (first.is_sample, first.source_file) == (False, "sample_x.csv")
    edited = teams.assign(members=teams["members"] + 1)
    second = store.save_roster(GL, edited, base_revision=1, is_sample=True)
    assert (second.is_sample, second.source_file) == (True, None)
    loaded = store.load_roster(GL)
    assert loaded is not None and (loaded.info.is_sample, loaded.info.source_file) == (True, None)
    restored = store.restore_roster(GL, 1, base_revision=2)
    assert (restored.is_sample, restored.source_file) == (False, "sample_x.csv")
    unsaid = store.save_roster(GL, edited, base_revision=3)
    assert unsaid.is_sample is None and unsaid.source_file is None
    with sqlite3.connect(store.path) as conn:
        rows = conn.execute(
            "SELECT revision, is_sample, source_file FROM roster_revision ORDER BY revision"
        ).fetchall()
    assert rows == [(1, 0, "sample_x.csv"), (2, 1, None), (3, 0, "sample_x.csv"), (4, None, None)]


@pytest.mark.realdata
def test_a_roster_file_named_sample_is_not_the_sample(
    data_dir: Path, real_settings: cfg.Settings
) -> None:
    """Import a roster from "sample_doi_hinh.csv": labelled by where it came from, not its name.

    An edit made to it keeps its file and stays not the SAMPLE.
    """
    data = real_settings.sample_roster_path.read_bytes()
    at = start("data_import")
    assert any("MẪU" in w.value for w in at.warning)
    at.file_uploader(key="data_upload_roster").set_value(("sample_doi_hinh.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    at.button(key="data_use_roster").click().run()
    assert not at.exception, at.exception
    saved = open_store(cfg.load_settings()).load_roster(GL)
    assert saved is not None and saved.revision == 1
    assert (saved.info.is_sample, saved.info.source_file) == (False, "sample_doi_hinh.csv")
    assert saved.info.note == "file:sample_doi_hinh.csv"
    at.run()  # the page as it shows the roster now in use
    assert not at.exception, at.exception
    sources = table_with(at, "Nguồn")
    rows = sources[sources["Nguồn"].str.contains("sample_doi_hinh.csv", regex=False)]
    assert len(rows) == 1 and "MẪU" not in rows.iloc[0]["Ghi chú"]
    assert not any("MẪU" in w.value for w in at.warning)

    edit = start("teams")
    edit.selectbox(key="teams_edit_team_1").set_value("GL-002").run()
    edit.number_input(key=edit_key("members", "GL-002", 1)).set_value(40)
    edit.button(key="teams_edit_submit").click().run()
    assert not edit.exception, edit.exception
    save_preview(edit)
    saved = open_store(cfg.load_settings()).load_roster(GL)
    assert saved is not None and saved.revision == 2
    assert (saved.info.is_sample, saved.info.source_file) == (False, "sample_doi_hinh.csv")
    assert saved.info.note == "edit"
    assert not any("MẪU" in w.value for w in edit.warning)
