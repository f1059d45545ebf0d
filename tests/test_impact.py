"""The impact of a roster change, on the synthetic strip (tests/synthetic.py).

The strip: Một (border, need 4,620), Hai (need 1,155) and Ba (an island far east, need
693, no team). T1 is fixed in Một (10 members x 4 h x 1.5 residents/h = 60 a week, all
of it in Một); T2 is mobile in Hai (90 a week, of which 56.25 reach Một and 33.75 Hai).
Coverage = weekly capacity x 26 weeks / need, so every figure below is checked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coverage import planning
from coverage.analysis.impact import island_codes
from tests.synthetic import strip_border, strip_inputs


def impact(after: pd.DataFrame) -> planning.RosterImpact:
    inputs = strip_inputs()
    return planning.roster_impact(inputs, inputs.teams, after, land_border=strip_border())


def teams() -> pd.DataFrame:
    return strip_inputs().teams.copy()


def by_code(result: planning.RosterImpact) -> dict[str, object]:
    return {c.code: c for c in result.communes}


def test_the_island_is_the_commune_that_touches_no_other() -> None:
    inputs = strip_inputs()
    result = planning.analyze(inputs, land_border=strip_border())
    assert island_codes(result.communes, crs=result.crs) == frozenset({"00003"})


def test_an_unchanged_roster_changes_nothing() -> None:
    result = impact(teams())
    assert result.communes == () and result.harms == ()
    assert not result.needs_confirmation
    assert result.need_met_change_points == pytest.approx(0.0)


def test_moving_the_border_communes_only_team_to_the_island() -> None:
    moved = teams()
    moved.loc[0, ["commune_code", "longitude"]] = ["00003", 105.65]
    result = impact(moved)
    communes = by_code(result)
    assert set(communes) == {"00001", "00003"}  # Hai keeps T2's 33.75 a week
    ba, mot = communes["00003"], communes["00001"]
    assert ba.is_island and not ba.is_border
    assert ba.coverage_before == 0.0
    assert ba.coverage_after == pytest.approx(60 * 26 / 693)  # 225.1 %
    assert (ba.teams_in_reach_before, ba.teams_in_reach_after) == (0, 1)
    assert ba.underserved_before and not ba.underserved_after
    assert mot.coverage_before == pytest.approx((60 + 56.25) * 26 / 4620)  # 65.4 %
    assert mot.coverage_after == pytest.approx(56.25 * 26 / 4620)  # 31.7 %
    assert mot.coverage_change_points == pytest.approx(-60 * 26 / 4620 * 100)
    assert (mot.teams_based_before, mot.teams_based_after) == (1, 0)
    assert not mot.underserved_before and mot.underserved_after
    assert [c.code for c in result.status_changes] == ["00003", "00001"]  # largest change first
    # Một is a border commune: it loses its only team and falls below the 50 % threshold.
    assert [(h.code, h.commune.code) for h in result.harms] == [
        ("loses_only_team", "00001"),
        ("border_below_threshold", "00001"),
    ]
    assert result.needs_confirmation
    # Province: need met = sum(need x min(coverage, 1)) / 6,468.
    assert result.before.need_met_share == pytest.approx(
        (116.25 * 26 + 33.75 * 26) / 6468
    )  # 60.3 %
    assert result.after.need_met_share == pytest.approx(
        (56.25 * 26 + 33.75 * 26 + 693) / 6468
    )  # 46.9 %
    assert result.need_met_change_points == pytest.approx((3033 - 3900) / 6468 * 100)
    assert (result.before.teams, result.after.teams) == (2, 2)
    assert (result.before.underserved, result.after.underserved) == (1, 1)


def test_removing_the_mobile_team_leaves_a_commune_with_no_team_in_reach() -> None:
    result = impact(teams().iloc[[0]].reset_index(drop=True))
    communes = by_code(result)
    hai, mot = communes["00002"], communes["00001"]
    assert (hai.teams_in_reach_before, hai.teams_in_reach_after) == (1, 0)
    assert hai.coverage_after == 0.0 and hai.underserved_after
    assert mot.coverage_after == pytest.approx(60 * 26 / 4620)  # 33.8 %
    assert (mot.teams_based_before, mot.teams_based_after) == (
        1,
        1,
    )  # T1 stays: no "only team" harm
    assert [(h.code, h.commune.code) for h in result.harms] == [
        ("border_below_threshold", "00001"),
        ("no_team_in_reach", "00002"),
    ]
    assert (result.before.teams, result.after.teams) == (2, 1)
    assert (result.before.volunteers, result.after.volunteers) == (22, 10)


def test_a_bigger_team_raises_coverage_without_warnings() -> None:
    bigger = teams()
    bigger.loc[0, "members"] = 20
    result = impact(bigger)
    (mot,) = result.communes
    assert mot.code == "00001"
    assert mot.coverage_after == pytest.approx((120 + 56.25) * 26 / 4620)  # 99.2 %
    assert not mot.status_changed
    assert result.harms == ()
    assert result.after.need_met_share == pytest.approx((176.25 * 26 + 33.75 * 26) / 6468)
    assert (result.before.volunteers, result.after.volunteers) == (22, 32)
