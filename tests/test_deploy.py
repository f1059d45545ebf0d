"""The bridge from an analysis to an explained deployment plan (synthetic province)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from coverage import settings as cfg
from coverage.analysis.analyze import AnalysisResult, analyze_coverage
from coverage.analysis.flags import LandBorder
from coverage.optimize.deploy import suggest_sites
from coverage.optimize.instance import build_instance
from coverage.optimize.plan import (
    SITE_COLUMNS,
    PlanResult,
    ServiceWeights,
    plan_to_records,
    roster_with_plan,
)
from coverage.optimize.plan_build import describe_status
from coverage.planning import Inputs
from coverage.text.i18n import format_number, format_percent
from tests.conftest import GiaLai
from tests.synthetic import strip_border, strip_inputs


def _well_staffed() -> AnalysisResult:
    # existing teams with capacity to spare: Một and Hai are above the threshold; Ba (far
    # east, remote) is reached by no team
    big = strip_inputs().teams.assign(members=[200, 200], weekly_hours=[40.0, 40.0])
    return analyze_coverage(strip_inputs(teams=big), land_border=LandBorder.none())


def test_the_model_credits_existing_teams_exactly_as_the_analysis() -> None:
    analysis = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    model = build_instance(analysis).model
    communes = analysis.communes
    assert model.baseline_credit.tolist() == pytest.approx(communes["capacity_horizon"].tolist())
    assert model.group_need.tolist() == pytest.approx(communes["need"].tolist())
    assert model.threshold.tolist() == pytest.approx((0.5 * communes["need"]).tolist())


def test_priority_weights_multiply() -> None:
    weights = ServiceWeights()
    got = weights.priority(
        is_border=np.array([True, True, False, False]),
        is_remote=np.array([True, False, True, False]),
        unreached=np.array([True, False, False, False]),
    )
    assert got.tolist() == pytest.approx([1.5 * 1.25 * 1.5, 1.5, 1.25, 1.0])
    # with the defaults, beyond-threshold need never outweighs below-threshold need
    assert got.max() * weights.beyond_threshold_weight < 1.0
    with pytest.raises(ValueError, match="beyond_threshold_weight"):
        ServiceWeights(beyond_threshold_weight=1.5)


def test_new_team_goes_to_the_unreached_remote_commune_with_a_hand_computed_value() -> None:
    analysis = _well_staffed()
    ba = analysis.communes.set_index("code").loc["00003"]
    assert bool(ba["is_remote"]) and int(ba["teams_in_reach"]) == 0
    plan = suggest_sites(analysis, new_teams=1, team_size=10, mode="mobile")
    assert plan.status == "optimal"
    assert plan.status_en == "proven optimal"
    assert list(plan.sites.columns) == list(SITE_COLUMNS)
    row = plan.sites.iloc[0]
    assert row["commune_code"] == "00003"
    # all of Ba's need is served; half is below the threshold (tier A, worth 1), half beyond
    # (worth 0.25); remote x unreached gives priority 1.25 x 1.5
    need = float(ba["need"])
    assert row["need_served"] == pytest.approx(need)
    assert row["value_added"] == pytest.approx(1.25 * 1.5 * (0.5 * need + 0.25 * 0.5 * need))
    assert plan.added == pytest.approx(row["value_added"])
    assert plan.added_need_served == pytest.approx(need)
    assert row["newly_reached"] == ["00003"]
    assert "Ba" in row["reason_en"] and "Ba" in row["reason_vi"]
    # the team reaches Ba alone, so all its capacity is credited there (as the analysis
    # would): far above Ba's need, which is all served
    after = build_instance(analysis, team_size=10).new_capacity / need
    assert f"from 0% to {format_percent(after, 'en', decimals=0)}" in row["reason_en"]
    assert f"từ 0% lên {format_percent(after, 'vi', decimals=0)}" in row["reason_vi"]
    assert "remote commune" in row["reason_en"] and "vùng sâu" in row["reason_vi"]
    assert row["alternative_code"] == "00001"
    assert row["alternative_value"] < row["value_added"]
    assert "Một" in row["alternative_en"] and "Một" in row["alternative_vi"]
    # excluding Ba sends the team to the commune with most need left
    plan = suggest_sites(analysis, new_teams=1, team_size=10, exclude=["00003"])
    assert plan.sites.iloc[0]["commune_code"] == "00001"
    assert plan.sites.iloc[0]["newly_reached"] == []


def test_lower_weights_change_the_value_not_the_need() -> None:
    analysis = _well_staffed()
    flat = ServiceWeights(
        beyond_threshold_weight=1.0, border_weight=1.0, remote_weight=1.0, unreached_weight=1.0
    )
    plan = suggest_sites(analysis, new_teams=1, team_size=10, weights=flat)
    # with every weight 1 the value is the need served; Một and Hai already have more
    # than their need credited, so only Ba (693 residents) gains
    assert plan.sites.iloc[0]["commune_code"] == "00003"
    assert plan.added == pytest.approx(plan.added_need_served) == pytest.approx(693)
    assert plan.weights == flat


def test_at_most_one_new_team_per_commune_by_default() -> None:
    analysis = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    only_mot = ["00002", "00003"]
    plan = suggest_sites(analysis, new_teams=2, team_size=10, exclude=only_mot)
    assert plan.status == "infeasible"
    assert (
        plan.infeasible_en == "2 new teams but only 1 places (1 communes x at most 1 per commune)"
    )
    assert plan.infeasible_vi == "cần đặt 2 đội mới nhưng chỉ có 1 chỗ (1 xã x tối đa 1 đội/xã)"
    stacked = suggest_sites(
        analysis, new_teams=2, team_size=10, exclude=only_mot, max_per_commune=None
    )
    assert stacked.status == "optimal"
    assert stacked.sites["commune_code"].tolist() == ["00001", "00001"]
    spread = suggest_sites(analysis, new_teams=3, team_size=10)
    assert sorted(spread.sites["commune_code"]) == ["00001", "00002", "00003"]


def test_capacity_is_credited_not_population() -> None:
    analysis = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    small = suggest_sites(analysis, new_teams=1, team_size=1, weekly_hours=1.0)
    # one volunteer for one hour a week over the horizon serves at most this many residents
    cap = analysis.params.capacity
    assert (
        small.added_need_served
        <= cap.residents_per_volunteer_hour * cap.planning_horizon_weeks + 1e-6
    )
    assert small.sites.iloc[0]["need_served"] == pytest.approx(small.added_need_served)


def test_border_requirement_reported_with_numbers_when_it_cannot_be_met() -> None:
    empty = strip_inputs().teams.iloc[0:0]
    analysis = analyze_coverage(strip_inputs(teams=empty), land_border=strip_border())
    assert analysis.communes["is_border"].any()
    plan = suggest_sites(analysis, new_teams=0, require_border=True)
    assert plan.status == "infeasible"
    assert plan.sites.empty
    assert plan.infeasible_en == (
        "1 border communes are reached by no team; reaching them all takes at least "
        "1 teams (one team reaches at most 1 of them), but only 0 can be placed"
    )
    assert plan.infeasible_vi.startswith(
        "1 xã biên giới chưa có đội nào phục vụ; cần ít nhất 1 đội"
    )
    assert plan.status_en.startswith("no plan meets the constraints")
    ok = suggest_sites(analysis, new_teams=1, require_border=True, mode="fixed")
    assert ok.status == "optimal"
    border = analysis.communes.loc[analysis.communes["is_border"], "code"].tolist()
    assert [code for codes in ok.sites["newly_reached"] for code in codes] == border == ["00001"]
    # the plan itself reaches the border commune: its table says so, and so does the
    # analysis of the roster with the plan applied
    reached = ok.communes.set_index("commune_code")["teams_in_reach_after"]
    assert int(reached["00001"]) >= 1
    inputs = strip_inputs(teams=empty)
    roster = roster_with_plan(inputs.teams, ok, mode="fixed")
    after = analyze_coverage(replace(inputs, teams=roster), land_border=strip_border())
    assert int(after.communes.set_index("code").at["00001", "teams_in_reach"]) >= 1


def test_json_has_no_nan_and_statuses_are_honest() -> None:
    analysis = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    plan = suggest_sites(analysis, new_teams=1, method="greedy")
    assert plan.status == "greedy"
    data = json.loads(json.dumps(plan_to_records(plan), allow_nan=False, ensure_ascii=False))
    assert data["bound"] is None
    assert data["weights"] == {
        "beyond_threshold_weight": 0.25,
        "border_weight": 1.5,
        "remote_weight": 1.25,
        "unreached_weight": 1.5,
    }
    assert data["threshold_ratio"] == 0.5
    assert data["added_need_served"] == pytest.approx(plan.added_need_served)
    en = describe_status("time_limit", gap=0.004, runtime_s=12.0, lang="en")
    assert en == "best found in 12 s, at most 0.40% below the optimum"
    vi = describe_status("time_limit", gap=0.004, runtime_s=12.0, lang="vi")
    assert "0,40%" in vi and "tối ưu (đã" not in vi
    assert (
        "optimal"
        not in describe_status("gap_limit", gap=0.001, runtime_s=3.0, lang="en").split(",")[0]
    )


def test_vietnamese_numbers_in_reasons() -> None:
    analysis = analyze_coverage(strip_inputs(), land_border=LandBorder.none())
    plan = suggest_sites(analysis, new_teams=2, team_size=10)
    row = plan.sites.set_index("commune_code").loc["00001"]
    assert row["need_served"] >= 1000
    shown = row["reason_vi"].split("khoảng ")[1].split(" ")[0]
    assert shown == format_number(row["need_served"], "vi") and "." in shown  # 1.755
    assert "%" in row["reason_vi"]


# ---------------------------------------------------------------- real data (Gia Lai)


def _analysed_with_plan(inputs: Inputs, plan: PlanResult, settings: cfg.Settings) -> pd.DataFrame:
    """The communes of an analysis of the roster with the plan applied (its new teams added)."""
    roster = roster_with_plan(inputs.teams, plan)
    return analyze_coverage(replace(inputs, teams=roster), settings=settings).communes


@pytest.mark.realdata
def test_gia_lai_ten_teams_with_the_border_requirement(
    gia_lai: GiaLai, real_settings: cfg.Settings
) -> None:
    plan = suggest_sites(gia_lai.analysis, new_teams=10, require_border=True)
    assert plan.status == "optimal" and plan.status_en == "proven optimal"
    sites = plan.sites
    assert len(sites) == 10
    assert sites["commune_code"].nunique() == 10
    assert (sites["reason_vi"].str.len() > 0).all() and (sites["reason_en"].str.len() > 0).all()
    assert (sites["alternative_vi"].str.len() > 0).all() and (
        sites["alternative_en"].str.len() > 0
    ).all()
    # the alternative is another place, never better than the chosen one (the plan is
    # optimal); where it is just as good, the next place after it is strictly worse
    tol = 1e-6 * sites["value_added"].abs().max()
    assert (sites["alternative_code"] != sites["commune_code"]).all()
    assert (sites["alternative_value"] <= sites["value_added"] + tol).all()
    worse = sites["alternative_value"].where(
        sites["alternative_value"] < sites["value_added"] - tol, sites["worse_value"]
    )
    assert (worse < sites["value_added"] - tol).all()
    assert (sites["alternative_value"] < sites["value_added"] - tol).sum() >= 5
    # what each team adds (the value lost without it) sums to at most what the plan adds
    # (diminishing returns where teams share a commune); raw need and value are both reported
    assert sites["value_added"].sum() <= plan.added * (1 + 1e-9)
    assert sites["need_served"].sum() <= plan.added_need_served * (1 + 1e-9)
    assert sites["value_added"].sum() >= 0.9 * plan.added
    # every new team lifts some commune still below the threshold
    assert (sites["need_below_threshold"] > 0).all()
    assert sites["reason_en"].str.contains(" from ").all()
    assert sites["reason_vi"].str.contains(" lên ").all()
    # the border requirement holds in the plan's result: analysing the roster with the ten
    # new teams, every border commune is reached by some team (the sample roster already
    # reaches them all: the next test takes that reach away)
    after = _analysed_with_plan(gia_lai.inputs, plan, real_settings)
    assert after["is_border"].sum() == gia_lai.analysis.communes["is_border"].sum() > 0
    assert (after.loc[after["is_border"], "teams_in_reach"] > 0).all()


@pytest.mark.realdata
def test_gia_lai_border_requirement_reaches_the_border_commune_the_roster_left(
    gia_lai: GiaLai, real_settings: cfg.Settings
) -> None:
    analysis = gia_lai.analysis
    communes = analysis.communes
    # the border commune with fewest teams in reach, and the teams that reach it (reach x
    # commune membership); without them it is the one border commune no team reaches
    reached_by = (analysis.reach.covers.astype(int) @ analysis.commune_membership()).toarray() > 0
    target = int(communes.loc[communes["is_border"], "teams_in_reach"].idxmin())
    gone = analysis.teams.loc[reached_by[:, target], "team_id"]
    assert len(gone) == communes.at[target, "teams_in_reach"] > 0
    inputs = replace(
        gia_lai.inputs, teams=gia_lai.inputs.teams[~gia_lai.inputs.teams["team_id"].isin(gone)]
    )
    cut = analyze_coverage(inputs, settings=real_settings)
    unreached = cut.communes.loc[
        cut.communes["is_border"] & (cut.communes["teams_in_reach"] == 0), "code"
    ]
    assert unreached.tolist() == [communes.at[target, "code"]]
    # with every weight 1 the border is worth no more than any other commune: three new teams
    # go elsewhere and leave it unreached, unless the requirement is set
    flat = ServiceWeights(
        beyond_threshold_weight=1.0, border_weight=1.0, remote_weight=1.0, unreached_weight=1.0
    )
    free = suggest_sites(cut, new_teams=3, weights=flat)
    after_free = _analysed_with_plan(inputs, free, real_settings)
    assert (
        after_free.loc[
            after_free["is_border"] & (after_free["teams_in_reach"] == 0), "code"
        ].tolist()
        == unreached.tolist()
    )
    required = suggest_sites(cut, new_teams=3, weights=flat, require_border=True)
    assert required.status == "optimal"
    after = _analysed_with_plan(inputs, required, real_settings)
    assert (after.loc[after["is_border"], "teams_in_reach"] > 0).all()
    # the plan itself says which commune it newly reaches
    assert [
        code for codes in required.sites["newly_reached"] for code in codes
    ] == unreached.tolist()


@pytest.mark.realdata
def test_gia_lai_greedy_is_never_better_than_exact(gia_lai: GiaLai) -> None:
    exact = suggest_sites(gia_lai.analysis, new_teams=5, explain=False)
    greedy = suggest_sites(gia_lai.analysis, new_teams=5, method="greedy", explain=False)
    assert greedy.status == "greedy"
    assert greedy.added <= exact.added + 1e-6
