"""One coverage model: what a plan promises is what the analysis gives for the plan's roster.

Every plan made here (new teams, border required, a border minimum, re-site with and
without the guarantee) is applied to the roster (its new teams added, its moves made) and
analysed again; every commune's coverage must match the plan's ``coverage_after`` (and,
for communes the plan does not touch, the coverage before) within 0.1 percentage point,
and the sentences must quote those same numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from coverage.analysis.analyze import AnalysisResult, analyze_coverage
from coverage.analysis.flags import LandBorder
from coverage.cli import main
from coverage.optimize.deploy import suggest_sites
from coverage.optimize.plan import PlanResult, roster_with_plan
from coverage.planning import Inputs
from coverage.text.i18n import format_percent
from tests.synthetic import strip_border, strip_inputs

TOLERANCE_PP = 0.1
"""Largest difference, in percentage points, between a plan's coverage and the analysis's."""


def _expected_after(analysis: AnalysisResult, plan: PlanResult) -> pd.Series:
    expected = analysis.communes.set_index("code")["coverage_ratio"].astype(float).copy()
    after = plan.communes.set_index("commune_code")["coverage_after"].astype(float)
    expected.loc[after.index] = after
    return expected


def check_plan(
    inputs: Inputs, analysis: AnalysisResult, plan: PlanResult, **new_team: Any
) -> float:
    """Analyse the plan's roster; assert it reproduces the plan; return the worst gap (pp)."""
    assert plan.status != "infeasible", plan.status_en
    roster = roster_with_plan(inputs.teams, plan, **new_team)
    after = analyze_coverage(
        replace(inputs, teams=roster), params=analysis.params, land_border=analysis.land_border
    )
    got = after.communes.set_index("code")
    expected = _expected_after(analysis, plan)
    gap_pp = float((got["coverage_ratio"] - expected.reindex(got.index)).abs().max() * 100)
    assert gap_pp <= TOLERANCE_PP
    before = analysis.communes.set_index("code")["coverage_ratio"]
    changed = plan.communes.set_index("commune_code")
    assert np.allclose(
        changed["coverage_before"], before.loc[changed.index], rtol=0, atol=TOLERANCE_PP / 100
    )
    assert (changed["teams_in_reach_after"] == got.loc[changed.index, "teams_in_reach"]).all()
    # moves: the origin and target figures are the analysis's
    for move in plan.moves.to_dict(orient="records"):
        assert (
            abs(move["from_coverage_after"] - got.at[move["from_code"], "coverage_ratio"]) * 100
            <= TOLERANCE_PP
        )
        assert (
            abs(move["to_coverage_after"] - got.at[move["to_code"], "coverage_ratio"]) * 100
            <= TOLERANCE_PP
        )
        assert move["from_left_unreached"] == (got.at[move["from_code"], "teams_in_reach"] == 0)
    # every "from A to B" a sentence quotes is some commune's before and after
    pairs = {
        (
            format_percent(before[c], "en", decimals=0),
            format_percent(got.at[c, "coverage_ratio"], "en", decimals=0),
        )
        for c in got.index
    }
    for reason in plan.sites["reason_en"]:
        for quoted in re.findall(r"from (\S+%) to (\S+%)", reason):
            assert quoted in pairs, (quoted, reason)
    return gap_pp


# ---------------------------------------------------------------- synthetic province


@pytest.mark.parametrize(
    "options",
    [
        {"new_teams": 2, "team_size": 10},
        {"new_teams": 1, "team_size": 10, "require_border": True, "mode": "fixed"},
        {"new_teams": 1, "team_size": 10, "border_min_coverage": 0.05},
        {"new_teams": 1, "team_size": 10, "relocate": 1},
        {"new_teams": 0, "relocate": 2, "keep_reached": False},
        {"new_teams": 2, "team_size": 10, "method": "greedy"},
    ],
)
def test_every_plan_is_what_the_analysis_gives(options: dict[str, Any]) -> None:
    inputs = strip_inputs()
    analysis = analyze_coverage(inputs, land_border=strip_border())
    plan = suggest_sites(analysis, **options)
    check_plan(
        inputs,
        analysis,
        plan,
        team_size=options.get("team_size", 15),
        mode=options.get("mode", "mobile"),
    )


def test_the_guarantee_keeps_every_reached_commune_reached() -> None:
    inputs = strip_inputs()
    analysis = analyze_coverage(inputs, land_border=LandBorder.none())
    plan = suggest_sites(analysis, new_teams=0, relocate=2)
    reached = analysis.communes.set_index("code")["teams_in_reach"] > 0
    after = plan.communes.set_index("commune_code")
    assert (
        after.loc[after.index.intersection(reached[reached].index), "teams_in_reach_after"] > 0
    ).all()
    assert plan.keep_reached and any("no team in reach" in note for note in plan.notes_en)


# ---------------------------------------------------------------- Gia Lai


GIA_LAI_PLANS = {
    "new5": {"new_teams": 5},
    "new10_border": {"new_teams": 10, "require_border": True},
    "new5_relocate2": {"new_teams": 5, "relocate": 2},
}


@pytest.fixture(scope="session")
def gia_lai_plans(gia_lai_session: tuple[Inputs, AnalysisResult]) -> dict[str, PlanResult]:
    _, analysis = gia_lai_session
    return {name: suggest_sites(analysis, **options) for name, options in GIA_LAI_PLANS.items()}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(GIA_LAI_PLANS))
def test_gia_lai_plans_are_what_analyze_gives(
    name: str, gia_lai: tuple[Inputs, AnalysisResult], gia_lai_plans: dict[str, PlanResult]
) -> None:
    inputs, analysis = gia_lai
    plan = gia_lai_plans[name]
    assert plan.status == "optimal", plan.status_en
    check_plan(inputs, analysis, plan)


@pytest.mark.realdata
def test_gia_lai_resite_lists_its_moves_and_keeps_nhon_chau_reached(
    gia_lai: tuple[Inputs, AnalysisResult], gia_lai_plans: dict[str, PlanResult]
) -> None:
    _, analysis = gia_lai
    plan = gia_lai_plans["new5_relocate2"]
    assert 1 <= len(plan.moves) <= 2
    assert (plan.moves["reason_vi"].str.contains("→")).all()
    assert not plan.moves["from_left_unreached"].any()
    communes = analysis.communes.set_index("name")
    assert int(communes.at["Nhơn Châu", "teams_in_reach"]) >= 1
    # after the plan: the plan's figure if it changes the commune, else the analysis's
    after = plan.communes.set_index("commune_name")["teams_in_reach_after"]
    assert int(after.get("Nhơn Châu", communes.at["Nhơn Châu", "teams_in_reach"])) >= 1
    # the guarantee and what it costs are stated
    assert any("Guarantee" in note for note in plan.notes_en)
    assert any("guarantee" in note.lower() and "cost" in note.lower() for note in plan.notes_en)


@pytest.mark.realdata
def test_gia_lai_border_requirement_says_what_it_guarantees(
    gia_lai_plans: dict[str, PlanResult],
) -> None:
    notes = " ".join(gia_lai_plans["new10_border"].notes_en)
    assert "reach, not" in notes
    assert "already had a team in reach" in notes  # all 7 were reached before


@pytest.mark.realdata
def test_gia_lai_cli_plan_then_analyze_reproduces_coverage(
    gia_lai: tuple[Inputs, AnalysisResult], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, _ = gia_lai
    assert main(["plan", "--new-teams", "5", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    sites = pd.DataFrame(data["sites"])
    plan = PlanResult(
        sites=sites,
        moves=pd.DataFrame(data["moves"], columns=["team_id", "to_code", "lon", "lat"]),
        status="optimal",
        status_vi="",
        status_en="",
        objective=0.0,
        baseline=0.0,
        added=0.0,
        bound=0.0,
        gap=0.0,
        runtime_s=0.0,
        horizon_weeks=26.0,
    )
    roster = roster_with_plan(inputs.teams, plan)
    table = roster.assign(
        skills=roster["skills"].map(lambda v: ";".join(v or ())),
        languages=roster["languages"].map(lambda v: ";".join(v or ())),
    )
    path = tmp_path / "roster_after.csv"
    table.drop(columns=[c for c in ("location_source",) if c in table.columns]).to_csv(
        path, index=False
    )
    assert main(["analyze", "--teams", str(path), "--format", "json"]) == 0
    analysed = json.loads(capsys.readouterr().out)
    rows = analysed["communes"] if isinstance(analysed, dict) else analysed
    got = {str(r["code"]): float(r["coverage_ratio"]) for r in rows}
    for commune in data["communes"]:
        assert abs(got[commune["commune_code"]] - commune["coverage_after"]) * 100 <= TOLERANCE_PP
