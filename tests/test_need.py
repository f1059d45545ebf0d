"""Need, capacity and need-proportional sharing with hand-computed answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from coverage.analysis.need import (
    CapacityParams,
    NeedParams,
    capacity_per_week,
    connectivity_index,
    need_from_indicators,
    share_by_need,
)


def _indicators(**values: float) -> pd.DataFrame:
    base = {
        "adult_share_pct": 70.0,
        "vneid_level2_adult_pct": 60.0,
        "online_filing_pct": 40.0,
        "smartphone_adult_pct": 80.0,
        "fixed_broadband_household_pct": 50.0,
        "mobile_4g_population_pct": 50.0,
    }
    base.update(values)
    return pd.DataFrame([base])


def test_need_formula_by_hand() -> None:
    # adults 700; lacking 0.4 + 0.5 * (0.6 - 0.4) = 0.5; effort 1 + 0.5 * 0.2 = 1.1
    need = need_from_indicators(np.array([1000.0]), _indicators())
    assert need[0] == pytest.approx(700 * 0.6 * 0.5 * 1.1)


def test_need_parameters_are_used() -> None:
    params = NeedParams(take_up_share=1.0, filing_help_weight=0.0, no_smartphone_extra_effort=0.0)
    need = need_from_indicators(np.array([1000.0]), _indicators(), params=params)
    assert need[0] == pytest.approx(700 * 0.4)
    # filing ahead of VNeID adds nothing for filing
    need = need_from_indicators(
        np.array([1000.0]), _indicators(online_filing_pct=90.0), params=params
    )
    assert need[0] == pytest.approx(280.0)


def test_capacity_per_week() -> None:
    teams = pd.DataFrame({"members": [10, 12], "weekly_hours": [4.0, 5.0]})
    cap = capacity_per_week(teams, params=CapacityParams(residents_per_volunteer_hour=1.5))
    assert cap.tolist() == [60.0, 90.0]


def test_capacity_is_shared_in_proportion_to_need_and_conserved() -> None:
    # team 0 reaches p0, p1; team 1 reaches p1, p2; team 2 reaches only p2 (no need)
    covers = sparse.csr_array(np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool))
    need = np.array([100.0, 300.0, 0.0])
    shared = share_by_need(covers, np.array([40.0, 20.0, 99.0]), need)
    # team 0: 40 * 100/400 = 10 to p0, 30 to p1; team 1: all 20 to p1; team 2: nothing
    assert shared.credited.tolist() == pytest.approx([10.0, 50.0, 0.0])
    assert shared.reached_need.tolist() == [400.0, 300.0, 0.0]
    assert shared.used.tolist() == [40.0, 20.0, 0.0]
    assert shared.credited.sum() == pytest.approx(shared.used.sum())


def test_sharing_several_amounts_at_once() -> None:
    covers = sparse.csr_array(np.array([[1, 1]], dtype=bool))
    shared = share_by_need(covers, np.array([[60.0, 12.0]]), np.array([1.0, 3.0]))
    assert np.allclose(shared.credited, [[15.0, 3.0], [45.0, 9.0]])


def test_connectivity_index() -> None:
    flat = _indicators(smartphone_adult_pct=50, vneid_level2_adult_pct=50, online_filing_pct=50)
    assert connectivity_index(flat)[0] == pytest.approx(50.0)
    only_phone = NeedParams(connectivity_weights=(1, 0, 0, 0, 0))
    assert connectivity_index(_indicators(), params=only_phone)[0] == pytest.approx(80.0)


def test_params_are_checked() -> None:
    with pytest.raises(ValueError, match="take_up_share"):
        NeedParams(take_up_share=1.5)
    with pytest.raises(ValueError):
        CapacityParams(planning_horizon_weeks=0)
