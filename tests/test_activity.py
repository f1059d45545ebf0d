"""Activity reports: reading, checking, storing (revisions, idempotent imports), CLI."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from coverage.errors import InputError
from coverage.monitoring.activity import read_activity
from coverage.monitoring.activity_columns import COLUMNS, canonical_headers
from coverage.monitoring.activity_sample import make_sample_activity
from coverage.monitoring.loop import enter_report, import_activity
from coverage.storage.activity_store import ActivityStore
from coverage.storage.store import SCHEMA_VERSION, Store
from tests.synthetic import three_communes

TODAY = dt.date(2026, 3, 31)
TEAMS = pd.DataFrame(
    {
        "team_id": ["T1", "T2"],
        "team_name": ["Đội 1", "Đội 2"],
        "commune_code": ["23938", "23995"],
        "mode": ["fixed", "mobile"],
        "members": [10, 12],
        "weekly_hours": [4.0, 5.0],
    }
)
HEADER = (
    "date,team_id,commune_code,place_kind,volunteers,hours,residents_helped,vneid_level2,"
    "working_model\n"
)


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


CLEAN = _csv(
    [
        "2026-03-02,T1,23938,one_stop_office,5,3,20,8,1-1",
        "03/03/2026,T2,23995,thăm thôn,6,4,30,10,lưu động",
        "2026-03-09,T1,23938,Bộ phận một cửa,5,3,18,6,one_to_one",
    ]
)


def test_bad_log_lists_all_four_problems_by_row_and_column(tmp_path: Path) -> None:
    data = _csv(
        [
            "2026-03-02,T1,23938,one_stop_office,5,3,20,8,1-1",  # row 2, fine
            "2026-03-02,T9,23938,one_stop_office,5,3,20,8,1-1",  # row 3: unknown team
            "2027-01-05,T2,23995,village_visit,5,3,20,8,mobile_visit",  # row 4: future date
            "2026-03-02,T1,23938,one_stop_office,4,2,10,3,1-1",  # row 5: duplicate of row 2
            "2026-03-04,T2,23995,village_visit,5,30,20,8,mobile_visit",  # row 6: 30 hours in a day
        ]
    )
    communes = three_communes()
    with pytest.raises(InputError) as caught:
        import_activity(
            ActivityStore(Store(tmp_path / "p.sqlite3")),
            "52",
            data,
            teams=TEAMS,
            communes=communes,
            today=TODAY,
            name="log.csv",
        )
    found = {(p.code, p.row, p.column) for p in caught.value.errors}
    assert ("activity.unknown_team", 3, "team_id") in found
    assert ("activity.future_date", 4, "date") in found
    assert ("activity.duplicate", 5, "team_id") in found
    assert ("out_of_range", 6, "hours") in found
    messages = [p.message("vi") for p in caught.value.errors]
    assert any("log.csv: dòng 6, cột 'hours'" in m and "(giá trị: 30)" in m for m in messages)
    duplicates = [p for p in caught.value.errors if p.code == "activity.duplicate"]
    assert [(p.row, p.params["other_row"]) for p in duplicates] == [(5, "2")]
    assert "Đã có ở dòng 2;" in duplicates[0].message("vi")
    assert "Already on row 2;" in duplicates[0].message("en")


def test_hours_of_one_team_in_one_day_add_up() -> None:
    data = _csv(
        [
            "2026-03-02,T1,23938,one_stop_office,5,14,20,8,1-1",
            "2026-03-02,T1,23995,village_visit,5,16,20,8,1-1",
        ]
    )
    log = read_activity(data, teams=TEAMS, communes=three_communes(), today=TODAY, name="x.csv")
    assert [(p.code, p.row, p.column) for p in log.errors] == [
        ("activity.hours_per_day", 2, "hours"),
        ("activity.hours_per_day", 3, "hours"),
    ]
    assert "Rows 2, 3 of team T1 on 02/03/2026 add up to 30 hours" in log.errors[0].message("en")


def test_implausible_residents_is_a_warning_only() -> None:
    data = _csv(["2026-03-02,T1,23938,one_stop_office,1,1,50,8,1-1"])
    log = read_activity(data, teams=TEAMS, communes=three_communes(), today=TODAY, name="x.csv")
    assert not log.errors
    assert [p.code for p in log.problems] == ["activity.implausible"]
    assert log.problems[0].severity == "warning"


def test_importing_a_clean_file_twice_leaves_totals_unchanged(tmp_path: Path) -> None:
    astore = ActivityStore(Store(tmp_path / "p.sqlite3"))
    assert Store(tmp_path / "p.sqlite3").schema_version() == SCHEMA_VERSION
    first, _ = import_activity(
        astore,
        "52",
        CLEAN,
        teams=TEAMS,
        communes=three_communes(),
        today=TODAY,
        name="clean.csv",
        author="An",
    )
    total = astore.current_reports("52")["residents_helped"].sum()
    second, _ = import_activity(
        astore,
        "52",
        CLEAN,
        teams=TEAMS,
        communes=three_communes(),
        today=TODAY,
        name="clean.csv",
        author="An",
    )
    assert (first.added, first.unchanged) == (3, 0)
    assert (second.added, second.corrected, second.unchanged) == (0, 0, 3)
    reports = astore.current_reports("52")
    assert len(reports) == 3 and reports["residents_helped"].sum() == total == 68
    assert set(reports["author"]) == {"An"} and set(reports["source"]) == {"clean.csv"}


def test_a_correction_is_a_new_revision_with_history(tmp_path: Path) -> None:
    astore = ActivityStore(Store(tmp_path / "p.sqlite3"))
    import_activity(
        astore,
        "52",
        CLEAN,
        teams=TEAMS,
        communes=three_communes(),
        today=TODAY,
        name="clean.csv",
        author="An",
    )
    values = {
        "date": "2026-03-02",
        "team_id": "T1",
        "commune_code": "23938",
        "volunteers": "5",
        "hours": "3",
        "residents_helped": "25",
        "place_kind": "one_stop_office",
    }
    result, _ = enter_report(
        astore, "52", values, teams=TEAMS, communes=three_communes(), author="Bình", today=TODAY
    )
    assert (result.added, result.corrected) == (0, 1)
    reports = astore.current_reports("52")
    assert len(reports) == 3 and reports["residents_helped"].sum() == 68 - 20 + 25
    history = astore.report_history("52", "T1|2026-03-02|23938")
    assert history["revision"].tolist() == [1, 2]
    assert history["author"].tolist() == ["An", "Bình"]
    assert history["residents_helped"].tolist() == [20, 25]


def test_a_key_twice_in_one_file_is_refused_whole_and_keeps_what_was_entered(
    tmp_path: Path,
) -> None:
    """Two rows with one report key: an error naming the file, both rows, the key, the fix.

    Before the fix, the store kept both rows as revisions 1 and 2 of the key, both marked
    current, so the day counted twice. The file checks refuse it; the store refuses it too
    (whoever calls it), and what the planner entered before stays as it was.
    """
    astore = ActivityStore(Store(tmp_path / "p.sqlite3"))
    import_activity(
        astore, "52", CLEAN, teams=TEAMS, communes=three_communes(), today=TODAY, name="clean.csv"
    )
    enter_report(
        astore,
        "52",
        {
            "date": "2026-03-02",
            "team_id": "T1",
            "commune_code": "23938",
            "volunteers": "5",
            "hours": "3",
            "residents_helped": "25",
            "place_kind": "one_stop_office",
        },
        teams=TEAMS,
        communes=three_communes(),
        today=TODAY,
    )
    before = astore.current_reports("52")
    twice = _csv(
        [
            "2026-03-16,T2,23995,village_visit,6,4,30,10,mobile_visit",  # row 2: new key
            "2026-03-02,T1,23938,one_stop_office,5,3,40,8,1-1",  # row 3: corrects 25 -> 40
            "2026-03-02,T1,23938,one_stop_office,4,2,10,3,1-1",  # row 4: same key as row 3
        ]
    )
    with pytest.raises(InputError) as through_import:
        import_activity(
            astore, "52", twice, teams=TEAMS, communes=three_communes(), today=TODAY, name="w.csv"
        )
    checked = read_activity(
        twice, teams=TEAMS, communes=three_communes(), today=TODAY, name="w.csv"
    )
    with pytest.raises(InputError) as through_store:
        astore.store_reports("52", checked.reports, source="w.csv")
    for caught in (through_import, through_store):
        duplicates = [p for p in caught.value.errors if p.code == "activity.duplicate"]
        assert [(p.file, p.row, p.column, p.value) for p in duplicates] == [
            ("w.csv", 4, "team_id", "T1")
        ]
        assert duplicates[0].params == {"other_row": "3"}
        english = duplicates[0].message("en")
        assert english.startswith("w.csv: row 4, column 'team_id': ")
        for words in ("team_id", "date or week", "commune_code", "row 3", "keep one of the two"):
            assert words in english
        assert "dòng 4" in duplicates[0].message("vi") and "dòng 3" in duplicates[0].message("vi")
    after = astore.current_reports("52")
    pd.testing.assert_frame_equal(after, before)
    assert astore.report_history("52", "T1|2026-03-02|23938")["residents_helped"].tolist() == [
        20,
        25,
    ]
    assert astore.count_reports("52") == 3


def test_google_forms_export_is_read() -> None:
    headers = [
        "Dấu thời gian",
        "Ngày hoạt động / Date",
        "Mã đội (team_id)",
        "Mã xã (commune_code)",
        "Số tình nguyện viên",
        "Số giờ",
        "Số người dân được hỗ trợ",
        "Mô hình",
    ]
    assert canonical_headers(headers) == [
        "submitted_at",
        "date",
        "team_id",
        "commune_code",
        "volunteers",
        "hours",
        "residents_helped",
        "working_model",
    ]
    frame = pd.DataFrame(
        [
            [
                "05/03/2026 19:02:11",
                "04/03/2026",
                "T2",
                "23995",
                "4",
                "2,5",
                "11",
                "Phiên dịch viên công nghệ",
            ]
        ],
        columns=headers,
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    log = read_activity(
        buffer.getvalue(), teams=TEAMS, communes=three_communes(), today=TODAY, name="form.xlsx"
    )
    assert not log.errors, [p.message("en") for p in log.problems]
    row = log.reports.iloc[0]
    assert row["submitted_at"] == "2026-03-05T19:02:11" and row["hours"] == 2.5
    assert row["working_model"] == "tech_interpreter" and row["week"] == "2026-W10"


def test_a_weekly_row_and_the_template() -> None:
    data = (
        b"week,team_id,commune_code,volunteers,hours,residents_helped\n"
        b"2026-W10,T1,23938,6,12,40\n2026-W11,T1,23938,6,200,40\n"
    )
    log = read_activity(data, teams=TEAMS, communes=three_communes(), today=TODAY, name="w.csv")
    assert [(p.code, p.row) for p in log.errors] == [("out_of_range", 3)]
    assert (
        bool(log.reports["is_weekly"].iloc[0])
        and str(log.reports["day"].iloc[0].date()) == "2026-03-02"
    )
    template = (
        Path(__file__).resolve().parent.parent / "data" / "activity" / "template_activity.csv"
    )
    assert template.read_text(encoding="utf-8").strip().split(",") == list(COLUMNS)


def test_sample_log_is_seeded_labelled_and_valid() -> None:
    teams = TEAMS.assign(team_id=["T1", "T2"])
    a = make_sample_activity(teams, border_codes=["23995"], weeks=12)
    b = make_sample_activity(teams, border_codes=["23995"], weeks=12)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["data_status"]) == {"SAMPLE (dữ liệu mẫu), not real reports"}
    log = read_activity(
        a.drop(columns="data_status").to_csv(index=False).encode(),
        teams=teams,
        communes=three_communes(),
        today=TODAY,
        name="sample.csv",
    )
    assert not log.errors
    border = log.reports[log.reports["team_id"] == "T2"]
    inland = log.reports[log.reports["team_id"] == "T1"]
    assert border["hours"].mean() > inland["hours"].mean()  # fewer but longer sessions
    assert border.groupby("week").size().max() == 1


@pytest.mark.realdata
@pytest.mark.data_copy("teams")  # a fresh folder with its own copy of the committed roster
def test_cli_summary_on_a_fresh_folder_shows_the_sample_and_import_validate(
    tmp_path: Path, data_dir: Path
) -> None:
    import json

    from tests.test_cli_data import run_cli

    env: dict[str, str] = {}  # data_dir has set the folder in the environment the CLI inherits
    out = run_cli(
        "activity", "summary", "--period", "2026-W10..2026-W13", "--format", "json", env=env
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 135 and {"progress_ratio", "reporting_rate", "behind_reasons"} <= set(
        rows[0]
    )
    table = run_cli("activity", "summary", "--period", "2026-03", env=env)
    assert table.stdout.startswith("DỮ LIỆU MẪU") and "2026-03 (4 tuần)" in table.stdout
    sample = tmp_path / "sample.csv"
    assert run_cli("activity", "sample", "--out", str(sample), env=env).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        sample.read_text(encoding="utf-8").replace("GL-001,", "GL-999,", 1), encoding="utf-8"
    )
    checked = run_cli("--lang", "en", "activity", "validate", str(bad), env=env)
    assert checked.returncode == 1 and "row 2, column 'team_id'" in checked.stdout
    imported = run_cli("--lang", "en", "activity", "import", str(bad), env=env)
    assert imported.returncode == 2 and "team id is not in the roster" in imported.stderr


@pytest.mark.realdata
@pytest.mark.data_copy("teams")
def test_analyze_and_plan_say_which_rate_they_used(data_dir: Path) -> None:
    import json

    from tests.test_cli_data import run_cli

    env: dict[str, str] = {}  # data_dir has set the folder in the environment the CLI inherits
    assumed = json.loads(run_cli("analyze", "--format", "json", env=env).stdout)
    measured_run = run_cli("analyze", "--format", "json", "--throughput", "measured", env=env)
    assert measured_run.returncode == 0, measured_run.stderr[-2000:]
    measured = json.loads(measured_run.stdout)
    assert {r["throughput_source"].split("(")[-1] for r in assumed} == {"giả định)"}
    sources = {r["throughput_source"].split("(")[-1] for r in measured}
    assert "đo từ báo cáo)" in sources
    changed = [
        a["code"]
        for a, m in zip(assumed, measured, strict=True)
        if a["coverage_ratio"] != m["coverage_ratio"]
    ]
    assert len(changed) > 50
    plan = run_cli(
        "plan", "--new-teams", "2", "--method", "greedy", "--throughput", "measured", env=env
    )
    assert plan.returncode == 0 and "đo từ báo cáo" in plan.stdout


def test_a_row_split_by_a_decimal_comma_gets_the_readers_message() -> None:
    data = (HEADER + "2026-03-02,T1,23938,one_stop_office,5,2,5,20,8,1-1\n").encode()
    with pytest.raises(InputError) as caught:
        read_activity(data, teams=TEAMS, communes=three_communes(), today=TODAY, name="comma.csv")
    assert caught.value.errors[0].row == 2
    semicolons = (
        HEADER.replace(",", ";") + "2026-03-02;T1;23938;one_stop_office;5;2,5;20;8;1-1\n"
    ).encode()
    log = read_activity(
        semicolons, teams=TEAMS, communes=three_communes(), today=TODAY, name="semi.csv"
    )
    assert not log.errors and log.reports["hours"].iloc[0] == 2.5
    assert [p.code for p in log.problems] == ["csv_separator"]


def test_weekly_reports_are_keyed_alike_by_the_log_check_and_the_store(tmp_path: Path) -> None:
    weekly = (
        HEADER.replace("date,", "week,")
        + "2026-W10,T1,23938,one_stop_office,5,12,60,20,1-1\n"  # row 2
        + "2026-W11,T1,23938,one_stop_office,5,12,60,20,1-1\n"  # row 3: another week
        + "2026-W10,T1,23995,one_stop_office,5,12,60,20,1-1\n"  # row 4: another commune
        + "2026-W10,T1,23938,one_stop_office,4,10,50,10,1-1\n"  # row 5: same key as row 2
    ).encode("utf-8")
    checked = read_activity(
        weekly, teams=TEAMS, communes=three_communes(), today=TODAY, name="w.csv"
    )
    by_check = [(p.row, p.params) for p in checked.problems if p.code == "activity.duplicate"]
    assert by_check == [(5, {"other_row": "2"})]
    astore = ActivityStore(Store(tmp_path / "p.sqlite3"))
    with pytest.raises(InputError) as caught:
        astore.store_reports("52", checked.reports, source="w.csv")
    by_store = [(p.row, p.params) for p in caught.value.errors if p.code == "activity.duplicate"]
    assert by_store == by_check
