"""Planning from measured throughput on the synthetic strip, with numbers computed by hand."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from coverage.analysis.analyze import analyze_coverage
from coverage.monitoring.throughput import (
    helped_by_commune,
    measured_rates,
    rate_by_commune,
    with_measured_throughput,
)
from tests.synthetic import strip_border, strip_inputs

TEAMS = pd.DataFrame(
    {
        "team_id": ["T1", "T2", "T3"],
        "team_name": ["Đội 1", "Đội 2", "Đội 3"],
        "commune_code": ["00001", "00002", "00003"],
        "latitude": [0.05, 0.05, 0.05],
        "longitude": [105.05, 105.15, 105.65],
        "members": [10, 12, 8],
        "mode": ["fixed", "mobile", "fixed"],
        "weekly_hours": [4.0, 5.0, 3.0],
    }
)


def _reports() -> pd.DataFrame:
    rows = [
        {
            "day": pd.Timestamp("2026-03-02") + pd.Timedelta(weeks=w),
            "team_id": "T1",
            "commune_code": "00001",
            "volunteers": 5,
            "hours": 2.0,
            "residents_helped": 10,
        }
        for w in range(4)
    ]  # T1: 4 reports, 40 residents in 40 volunteer-hours: 1.0 per hour
    rows.append(
        {
            "day": pd.Timestamp("2026-03-03"),
            "team_id": "T3",
            "commune_code": "00003",
            "volunteers": 4,
            "hours": 2.0,
            "residents_helped": 12,
        }
    )  # T3: one report only
    return pd.DataFrame(rows)


def test_rates_by_hand() -> None:
    rates = measured_rates(_reports(), TEAMS).set_index("team_id")
    # Fixed teams with >= 4 reports: only T1 (1.0/h). Mode rate = (1 x 1.0 + 3 x 1.5) / (1 + 3).
    assert rates.loc["T1", "mode_rate"] == pytest.approx(1.375)
    # T1's own rate shrunk with k = 20 volunteer-hours: (40 + 20 x 1.375) / (40 + 20).
    assert (
        rates.loc["T1", "rate"] == pytest.approx(67.5 / 60)
        and rates.loc["T1", "rate_source"] == "team"
    )
    assert (
        rates.loc["T3", "rate"] == pytest.approx(1.375) and rates.loc["T3", "rate_source"] == "mode"
    )
    assert (
        rates.loc["T2", "rate"] == pytest.approx(1.5)
        and rates.loc["T2", "rate_source"] == "assumed"
    )


def test_measured_throughput_changes_coverage_and_says_which_rate() -> None:
    inputs = strip_inputs(teams=TEAMS)
    assumed = analyze_coverage(inputs, land_border=strip_border())
    reports = _reports()
    measured_inputs = with_measured_throughput(
        inputs, measured_rates(reports, TEAMS), helped_by_commune(reports)
    )
    measured = analyze_coverage(measured_inputs, land_border=strip_border())
    # Team capacity per week: members x weekly hours x rate.
    capacity = measured.teams.set_index("team_id")["capacity_per_week"]
    assert capacity["T1"] == pytest.approx(10 * 4 * 1.125)  # 45 (assumed: 60)
    assert capacity["T2"] == pytest.approx(12 * 5 * 1.5)  # 90, no reports: the assumption
    assert capacity["T3"] == pytest.approx(8 * 3 * 1.375)  # 33 (assumed: 36)
    a = assumed.communes.set_index("code")
    m = measured.communes.set_index("code")
    # Need of commune 3 by hand: 3,000 x 0.7 x 0.6 x (0.4 + 0.5 x 0.2) x (1 + 0.5 x 0.2) = 693;
    # 12 residents already helped there leave 681.
    assert a.loc["00003", "need"] == pytest.approx(693.0)
    assert m.loc["00003", "need"] == pytest.approx(681.0)
    assert m.loc["00001", "need"] == pytest.approx(a.loc["00001", "need"] - 40)
    # Commune 3 is reached by T3 only: coverage = capacity x 26 weeks / need.
    assert a.loc["00003", "coverage_ratio"] == pytest.approx(36 * 26 / 693)
    assert m.loc["00003", "coverage_ratio"] == pytest.approx(33 * 26 / 681)
    assert m.loc["00002", "coverage_ratio"] != pytest.approx(a.loc["00002", "coverage_ratio"])
    rates = rate_by_commune(measured, lang="vi").set_index("code")
    # Commune 1: T1 (measured, weight 40) and T2 (assumed, weight 60) reach it.
    assert rates.loc["00001", "rate_used"] == pytest.approx((40 * 1.125 + 60 * 1.5) / 100)
    assert rates.loc["00001", "rate_source"] == "mixed"
    assert rates.loc["00002", "rate_source"] == "assumed" and rates.loc[
        "00002", "rate_label"
    ].endswith("(giả định)")
    assert rates.loc["00003", "rate_source"] == "measured"
    assert rates.loc["00003", "rate_label"] == "1,38 người/TNV-giờ (đo từ báo cáo)"
    plain = rate_by_commune(assumed, lang="en").set_index("code")
    assert set(plain["rate_source"]) == {"assumed"} and np.allclose(plain["rate_used"], 1.5)


def test_without_reports_nothing_changes() -> None:
    inputs = strip_inputs(teams=TEAMS)
    empty = pd.DataFrame(
        columns=["day", "team_id", "commune_code", "volunteers", "hours", "residents_helped"]
    )
    same = with_measured_throughput(inputs, measured_rates(empty, TEAMS), helped_by_commune(empty))
    a = analyze_coverage(inputs, land_border=strip_border()).communes
    b = analyze_coverage(same, land_border=strip_border()).communes
    np.testing.assert_allclose(a["coverage_ratio"], b["coverage_ratio"])
    assert dataclasses.replace(same).residents_helped is not None
