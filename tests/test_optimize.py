"""Known optima of the covering models, brute force on random instances, honest statuses."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp

from coverage.optimize import (
    PROVEN_GAP,
    CapacitatedCovering,
    relative_gap,
    status_from_highs,
)


def _reach(rows: list[list[int]]) -> sp.csr_matrix:
    return sp.csr_matrix(np.array(rows, dtype=bool))


# ---------------------------------------------------------------- hand-solved


def test_capacity_binds() -> None:
    # one option reaches 10 + 5 need but can serve only 12; the other reaches 5 + 8
    reach = _reach([[1, 0], [1, 1], [0, 1]])
    model = CapacitatedCovering(reach, [10, 5, 8], [12, 12])
    one = model.solve(1)
    assert one.status == "optimal"
    assert one.counts.tolist() == [1, 0] and one.objective == pytest.approx(12)
    two = model.solve(2)
    assert two.objective == pytest.approx(23)          # 24 capacity, 23 need
    assert two.served_by_option.sum() == pytest.approx(23)


def test_existing_team_need_not_counted_twice() -> None:
    # an existing team already serves point 0 fully; the best new option is the other one
    reach = _reach([[1, 0], [0, 1]])
    existing = _reach([[1], [0]])
    model = CapacitatedCovering(reach, [10, 6], [10, 10], existing_reach=existing,
                                existing_capacity=[10])
    sol = model.solve(1)
    assert sol.baseline == pytest.approx(10)
    assert sol.counts.tolist() == [0, 1]
    assert sol.added == pytest.approx(6)
    assert sol.served_by_option.tolist() == pytest.approx([0, 6])


def test_border_requirement_changes_the_choice() -> None:
    # option 0 has the most need; option 1 reaches the border commune (group 0)
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [100, 5], [100, 100], required=_reach([[0, 1]]))
    assert model.solve(1).counts.tolist() == [1, 0]
    sol = model.solve(1, require=True)
    assert sol.status == "optimal"
    assert sol.counts.tolist() == [0, 1] and sol.objective == pytest.approx(5)


def test_border_too_few_teams_is_reported_with_numbers() -> None:
    # three border groups, each reachable by its own option only; two teams
    eye = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(eye, [1, 1, 1], [5, 5, 5], required=eye)
    sol = model.solve(2, require=True)
    assert sol.status == "infeasible"
    assert sol.infeasibility is not None
    assert sol.infeasibility.reason == "border_too_few"
    assert sol.infeasibility.params == {"unreached": 3, "needed": 3, "available": 2,
                                        "most_per_team": 1}


def test_border_unreachable_and_too_many_teams() -> None:
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [1, 1], [1, 1], required=_reach([[0, 1]]))
    sol = model.solve(1, require=True, allowed=[True, False])
    assert sol.infeasibility is not None and sol.infeasibility.reason == "border_unreachable"
    assert sol.infeasibility.params["groups"] == [0]
    sol = model.solve(3, max_per_group=1)
    assert sol.infeasibility is not None and sol.infeasibility.reason == "too_many_teams"
    assert sol.infeasibility.params["places"] == 2


def test_per_commune_limit_and_exclusion() -> None:
    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [30, 9, 8], [10, 10, 10], option_group=[0, 1, 2])
    assert model.solve(2, tie_break=False).counts.tolist() == [2, 0, 0]
    assert model.solve(2, max_per_group=1).counts.tolist() == [1, 1, 0]
    sol = model.solve(2, max_per_group=1, allowed=[False, True, True])
    assert sol.counts.tolist() == [0, 1, 1] and sol.objective == pytest.approx(17)


def test_relocation_moves_an_idle_team() -> None:
    # the existing team reaches no need; moving it (class 1) to option 2 serves 7 more
    reach = _reach([[1, 0], [0, 1]])
    existing = sp.csr_matrix((2, 1), dtype=bool)
    model = CapacitatedCovering(reach, [10, 7], [10, 10], existing_reach=existing,
                                existing_capacity=[10], option_class=[0, 1], existing_class=[1])
    fixed = model.solve(1, allowed=[True, False])
    assert fixed.objective == pytest.approx(10)
    moved = model.solve(1, relocate=1)
    assert moved.objective == pytest.approx(17)
    assert moved.kept.tolist() == [False]


def test_alternatives_report_what_a_site_adds() -> None:
    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [9, 7, 3], [10, 10, 10])
    sol = model.solve(1)
    (alt,) = model.alternatives(sol)
    assert alt.option == 0 and alt.adds == pytest.approx(9)
    assert alt.alternative == 1 and alt.alternative_adds == pytest.approx(7)


# ---------------------------------------------------------------- brute force


def _random_instance(rng: np.random.Generator, n_d: int, n_s: int) -> tuple[sp.csr_matrix, np.ndarray]:
    dense = rng.random((n_d, n_s)) < 0.3
    return sp.csr_matrix(dense), rng.integers(0, 20, size=n_d).astype(float)


def _brute_capacitated(model: CapacitatedCovering, k: int, *, max_per_group: int | None,
                       require: bool) -> float:
    best = -math.inf
    n = model.n_options
    cap = k if max_per_group is None else max_per_group
    for counts in itertools.product(range(cap + 1), repeat=n):
        if sum(counts) != k:
            continue
        arr = np.array(counts)
        if require and model.required.shape[0]:
            hit = (model.required @ (arr > 0).astype(int)) + (model.required_existing @ np.ones(
                model.n_existing, dtype=int))
            if (np.asarray(hit).ravel() == 0).any():
                continue
        best = max(best, model.evaluate(arr).objective)
    return best


def test_capacitated_exact_equals_brute_force() -> None:
    rng = np.random.default_rng(11)
    for trial in range(25):
        n_d, n_o = int(rng.integers(3, 8)), int(rng.integers(2, 5))
        reach, need = _random_instance(rng, n_d, n_o)
        capacity = rng.integers(3, 25, size=n_o).astype(float)
        n_e = int(rng.integers(0, 3))
        existing = sp.csr_matrix(rng.random((n_d, n_e)) < 0.3)
        required = sp.csr_matrix(rng.random((2, n_o)) < 0.5) if trial % 2 else None
        model = CapacitatedCovering(reach, need, capacity, existing_reach=existing,
                                    existing_capacity=rng.integers(1, 10, size=n_e).astype(float),
                                    required=required)
        k = int(rng.integers(1, 4))
        per = 1 if trial % 3 == 0 else None
        require = required is not None
        expected = _brute_capacitated(model, k, max_per_group=per, require=require)
        exact = model.solve(k, max_per_group=per, require=require)
        if expected == -math.inf:
            assert exact.status == "infeasible"
            continue
        assert exact.status == "optimal"
        assert exact.objective == pytest.approx(expected, abs=1e-6)
        greedy = model.solve(k, max_per_group=per, require=require, method="greedy")
        if greedy.status != "infeasible":
            assert greedy.objective <= exact.objective + 1e-6


# ---------------------------------------------------------------- statuses


def test_time_limit_is_never_labelled_optimal() -> None:
    assert status_from_highs("Time limit reached", 99.0, 100.0) == "time_limit"
    assert status_from_highs("Time limit reached", 100.0, 100.0) == "time_limit"
    assert status_from_highs("Optimal", 100.0, 100.0) == "optimal"
    # HiGHS says optimal when it reaches a requested gap: that is not proven optimal
    assert status_from_highs("Optimal", 99.0, 100.0) == "gap_limit"
    assert status_from_highs("Infeasible", math.nan, math.nan) == "infeasible"
    assert relative_gap(99.0, 100.0) == pytest.approx(0.01)
    assert relative_gap(100.0, 100.0) <= PROVEN_GAP


