"""Progress counts on hand-made reports: completeness, timeliness, silence, outliers, targets."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from coverage.errors import InputError
from coverage.monitoring.periods import parse_period
from coverage.monitoring.progress import compute_progress

TEAMS = pd.DataFrame(
    {
        "team_id": ["A", "B"],
        "team_name": ["Đội A", "Đội B"],
        "commune_code": ["00001", "00002"],
        "mode": ["fixed", "mobile"],
        "members": [10, 4],
        "weekly_hours": [2.0, 5.0],
    }
)
COMMUNES = pd.DataFrame({"code": ["00001", "00002"], "name": ["Một", "Hai"]})


def _report(
    day: str,
    team: str,
    residents: int,
    *,
    submitted: str,
    volunteers: int = 5,
    hours: float = 2.0,
    commune: str | None = None,
) -> dict[str, object]:
    when = pd.Timestamp(day)
    year, week, _ = when.isocalendar()
    return {
        "day": when,
        "week": f"{year}-W{week:02d}",
        "is_weekly": False,
        "team_id": team,
        "commune_code": commune or ("00001" if team == "A" else "00002"),
        "volunteers": volunteers,
        "hours": hours,
        "residents_helped": residents,
        "vneid_level2": residents // 2,
        "working_model": "one_to_one" if team == "A" else "mobile_visit",
        "submitted_at": submitted,
        "is_sample": False,
    }


def test_periods() -> None:
    assert parse_period("2026-W10..2026-W13").weeks == (
        "2026-W10",
        "2026-W11",
        "2026-W12",
        "2026-W13",
    )
    march = parse_period("2026-03")  # ISO weeks whose Thursday is in March
    assert march.weeks == ("2026-W10", "2026-W11", "2026-W12", "2026-W13")
    assert march.start == dt.date(2026, 3, 2) and march.end == dt.date(2026, 3, 29)
    with pytest.raises(InputError) as caught:
        parse_period("tháng 3")
    assert caught.value.problems[0].column is None and "2026-W10" in caught.value.problems[
        0
    ].message("vi")


def test_counts_by_hand() -> None:
    # Team A reports weeks 10, 11, 12, 13 (week 11 late, week 13 a 10x slip); B only week 10.
    reports = pd.DataFrame(
        [
            _report("2026-03-03", "A", 10, submitted="2026-03-05T10:00:00"),  # W10 on time
            _report("2026-03-10", "A", 12, submitted="2026-03-20T10:00:00"),  # W11 late (> Sun + 3)
            _report(
                "2026-03-17", "A", 8, submitted="2026-03-23T10:00:00"
            ),  # W12 on time (Mon 23 <= 25)
            _report(
                "2026-03-24", "A", 100, submitted="2026-03-25T10:00:00"
            ),  # W13, 10 per vol-hour
            _report("2026-03-04", "B", 6, submitted="2026-03-06T10:00:00", volunteers=3, hours=2.0),
        ]
    )
    progress = compute_progress(
        reports, teams=TEAMS, communes=COMMUNES, period=parse_period("2026-W10..2026-W13")
    )
    teams = progress.teams.set_index("team_id")
    assert teams.loc["A", "reports"] == 4 and teams.loc["A", "reports_on_time"] == 3
    assert teams.loc["B", "reporting_rate"] == pytest.approx(0.25)
    # B last reported in W10; the period ends in W13: 3 weeks silent.
    assert teams.loc["B", "weeks_silent"] == 3 and bool(teams.loc["B", "is_silent"])
    assert not bool(teams.loc["A", "is_silent"])
    # The W13 report is flagged (10 residents per volunteer-hour > 6) and left out of throughput:
    # A's throughput is (10 + 12 + 8) / (3 * 10 volunteer-hours) = 1.0.
    assert len(progress.outliers) == 1 and progress.outliers["residents_helped"].iloc[0] == 100
    assert teams.loc["A", "throughput"] == pytest.approx(1.0)
    assert teams.loc["A", "residents_helped"] == 130  # still counted in the totals
    s = progress.summary
    assert (s["expected_reports"], s["reports"], s["reports_on_time"]) == (8, 5, 4)
    assert s["reporting_rate"] == pytest.approx(5 / 8) and s["timeliness"] == pytest.approx(4 / 8)
    # Default targets: members x weekly hours x 1.5 = 30 (A) and 30 (B) residents per week.
    communes = progress.communes.set_index("code")
    assert communes.loc["00001", "target_residents_per_week"] == pytest.approx(30.0)
    assert communes.loc["00002", "residents_per_week"] == pytest.approx(6 / 4)
    assert bool(communes.loc["00002", "is_behind"])
    reason = communes.loc["00002", "behind_reasons_vi"]
    assert "mới đạt 5% chỉ tiêu" in reason and "1 đội không báo cáo từ 2 tuần trở lên (B)" in reason
    assert communes.loc["00001", "residents_per_week"] == pytest.approx(130 / 4)
    assert not bool(communes.loc["00001", "is_behind"])


def test_stored_targets_win() -> None:
    reports = pd.DataFrame([_report("2026-03-03", "A", 10, submitted="2026-03-05T10:00:00")])
    targets = pd.DataFrame(
        {
            "commune_code": ["00001", ""],
            "metric": ["residents_per_week", "online_filing_share"],
            "value": [5.0, 0.9],
        }
    )
    progress = compute_progress(
        reports, teams=TEAMS, communes=COMMUNES, period=parse_period("2026-W10"), targets=targets
    )
    row = progress.communes.set_index("code").loc["00001"]
    assert row["target_source"] == "stored" and row["progress_ratio"] == pytest.approx(2.0)
    assert progress.summary["online_filing_target"] == pytest.approx(0.9)
