"""Known optima of the covering models, brute force on random instances, honest statuses."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp

from coverage.optimize.covering import CapacitatedCovering
from coverage.optimize.feasibility import must_reach, placement_ok
from coverage.optimize.highs import Outcome
from coverage.optimize.results import PROVEN_GAP, relative_gap, status_from_highs


def _reach(rows: list[list[int]]) -> sp.csr_matrix:
    return sp.csr_matrix(np.array(rows, dtype=bool))


# ---------------------------------------------------------------- hand-solved


def test_capacity_is_shared_in_proportion_to_need_and_counts_up_to_the_need() -> None:
    # option 0 (capacity 30) reaches needs 10 and 5: credits 20 and 10, worth 10 + 5 (no
    # value beyond the need); option 1 (capacity 12) reaches 5 and 8: credits 12*5/13 and
    # 12*8/13, worth 12
    reach = _reach([[1, 0], [1, 1], [0, 1]])
    model = CapacitatedCovering(reach, [10, 5, 8], [30, 12])
    one = model.solve(1)
    assert one.status == "optimal"
    assert one.counts.tolist() == [1, 0] and one.objective == pytest.approx(15)
    assert one.credit.tolist() == pytest.approx([20, 10, 0])
    two = model.solve(2, max_per_group=1)
    # point 1 is credited 10 + 12*5/13 but worth only its need, 5
    assert two.credit.tolist() == pytest.approx([20, 10 + 60 / 13, 96 / 13])
    assert two.objective == pytest.approx(10 + 5 + 96 / 13)
    assert two.served == pytest.approx(10 + 5 + 96 / 13)


def test_existing_team_need_not_counted_twice() -> None:
    # an existing team already serves point 0 fully; the best new option is the other one
    reach = _reach([[1, 0], [0, 1]])
    existing = _reach([[1], [0]])
    model = CapacitatedCovering(
        reach, [10, 6], [10, 10], existing_reach=existing, existing_capacity=[10]
    )
    sol = model.solve(1)
    assert sol.baseline == pytest.approx(10)
    assert sol.counts.tolist() == [0, 1]
    assert sol.added == pytest.approx(6)
    assert sol.served_by_option.tolist() == pytest.approx([0, 6])


def test_border_requirement_changes_the_choice() -> None:
    # option 0 has the most need; option 1 reaches the border commune (group 1)
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [100, 5], [100, 100], required=[1])
    assert model.solve(1).counts.tolist() == [1, 0]
    sol = model.solve(1, require=True)
    assert sol.status == "optimal"
    assert sol.counts.tolist() == [0, 1] and sol.objective == pytest.approx(5)


def test_border_too_few_teams_is_reported_with_numbers() -> None:
    # three border groups, each reachable by its own option only; two teams
    eye = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(eye, [1, 1, 1], [5, 5, 5], required=[0, 1, 2])
    sol = model.solve(2, require=True)
    assert sol.status == "infeasible"
    assert sol.infeasibility is not None
    assert sol.infeasibility.reason == "border_too_few"
    assert sol.infeasibility.params == {
        "unreached": 3,
        "needed": 3,
        "available": 2,
        "most_per_team": 1,
    }


def test_border_unreachable_and_too_many_teams() -> None:
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [1, 1], [1, 1], required=[1])
    sol = model.solve(1, require=True, allowed=[True, False])
    assert sol.infeasibility is not None and sol.infeasibility.reason == "border_unreachable"
    assert sol.infeasibility.params["groups"] == [1]
    sol = model.solve(3, max_per_group=1)
    assert sol.infeasibility is not None and sol.infeasibility.reason == "too_many_teams"
    assert sol.infeasibility.params["places"] == 2


def test_border_minimum_coverage_is_met_or_reported() -> None:
    # group 1 (border, need 20) is reached only by option 1 (capacity 6): one team gives
    # it 30%; option 0 is worth more elsewhere (priority 2)
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [100, 20], [6, 6], required=[1], priority=[2.0, 1.0])
    assert model.solve(1).counts.tolist() == [1, 0]
    sol = model.solve(1, min_coverage=0.25)
    assert sol.status == "optimal" and sol.counts.tolist() == [0, 1]
    assert sol.credit[1] / 20 == pytest.approx(0.3)
    # 50% needs two teams at option 1: impossible with one team, or one per commune
    for n_new, per in ((1, None), (2, 1)):
        sol = model.solve(n_new, min_coverage=0.5, max_per_group=per)
        assert sol.status == "infeasible" and sol.infeasibility is not None
        assert sol.infeasibility.reason == "border_min_unreachable"
        assert sol.infeasibility.params["groups"] == [1]
        assert sol.infeasibility.params["most"] == pytest.approx([0.3])
    assert model.solve(2, min_coverage=0.5).counts.tolist() == [0, 2]


def test_per_commune_limit_and_exclusion() -> None:
    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [30, 9, 8], [10, 10, 10], option_group=[0, 1, 2])
    assert model.solve(2).counts.tolist() == [2, 0, 0]
    assert model.solve(2, max_per_group=1).counts.tolist() == [1, 1, 0]
    sol = model.solve(2, max_per_group=1, allowed=[False, True, True])
    assert sol.counts.tolist() == [0, 1, 1] and sol.objective == pytest.approx(17)


def test_relocation_moves_an_idle_team() -> None:
    # the existing team reaches no need; moving it to option 1 serves 7 more
    reach = _reach([[1, 0], [0, 1]])
    existing = sp.csr_matrix((2, 1), dtype=bool)
    model = CapacitatedCovering(
        reach,
        [10, 7],
        [10, 10],
        existing_reach=existing,
        existing_capacity=[10],
        move_reach=[reach],
        existing_mode=[0],
    )
    fixed = model.solve(1, allowed=[True, False])
    assert fixed.objective == pytest.approx(10)
    moved = model.solve(1, relocate=1)
    assert moved.objective == pytest.approx(17)
    assert moved.kept.tolist() == [False] and moved.moved_to.tolist() == [1]


def test_no_move_leaves_a_commune_unreached_unless_allowed() -> None:
    # the team on the island (group 0, need 2) is worth more on the mainland (group 1,
    # need 50): by default it stays; lifting the guarantee moves it
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(
        reach,
        [2, 50],
        [10, 10],
        existing_reach=_reach([[1], [0]]),
        existing_capacity=[10],
        move_reach=[reach],
        existing_mode=[0],
        existing_group=[0],
        option_group=[0, 1],
    )
    kept = model.solve(0, relocate=1)
    assert kept.status == "optimal" and kept.kept.tolist() == [True]
    assert kept.teams_in_reach.tolist() == [1, 0]
    lifted = model.solve(0, relocate=1, keep_reached=False)
    assert lifted.moved_to.tolist() == [1]
    assert lifted.added == pytest.approx(10 - 2)
    assert lifted.teams_in_reach.tolist() == [0, 1]
    # a new team on the mainland lets the guarantee hold at no cost
    both = model.solve(1, relocate=1)
    assert both.kept.tolist() == [True] and both.counts.tolist() == [0, 1]


def test_tiers_break_the_tie_that_raw_need_leaves() -> None:
    # both options credit 10 (capacity binds); the threshold is 8 at point 0 and 0 at
    # point 1: 8 + 0.25 * 2 = 8.5 against 0.25 * 10 = 2.5
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(
        reach, [10, 20], [10, 10], threshold_ratio=[0.8, 0.0], beyond_threshold_weight=0.25
    )
    sol = model.solve(1)
    assert sol.status == "optimal"
    assert sol.counts.tolist() == [1, 0]
    assert sol.added == pytest.approx(8.5)
    assert sol.added_served == pytest.approx(10)
    assert sol.value_by_option.tolist() == pytest.approx([8.5, 0])
    # a priority of 4 on point 1 makes its tier B worth 1 per unit: 10 > 8.5
    weighted = CapacitatedCovering(
        reach,
        [10, 20],
        [10, 10],
        threshold_ratio=[0.8, 0.0],
        priority=[1, 4],
        beyond_threshold_weight=0.25,
    )
    sol = weighted.solve(1)
    assert sol.counts.tolist() == [0, 1] and sol.added == pytest.approx(10)


def test_the_share_is_fixed_by_need_not_chosen_by_priority() -> None:
    # one option reaches both points (needs 10 and 5, priorities 1.5 and 1): its 12 are
    # credited 8 and 4 whatever the priorities, worth 1.5 * 8 + 4
    reach = _reach([[1], [1]])
    model = CapacitatedCovering(reach, [10, 5], [12], priority=[1.5, 1.0])
    sol = model.solve(1)
    assert sol.credit.tolist() == pytest.approx([8, 4])
    assert sol.added == pytest.approx(1.5 * 8 + 4)
    assert sol.added_served == pytest.approx(12)


def test_groups_add_up_their_points() -> None:
    # two points of one commune (group 0) and one of another: a commune's credit is the
    # sum over its points, its threshold a share of its total need
    reach = _reach([[1], [1], [1]])
    model = CapacitatedCovering(
        reach, [10, 10, 20], [20], group=[0, 0, 1], threshold_ratio=0.5, beyond_threshold_weight=0.0
    )
    sol = model.solve(1)
    assert sol.credit.tolist() == pytest.approx([10, 10])
    assert model.threshold.tolist() == pytest.approx([10, 10])
    assert sol.added == pytest.approx(20)


def test_existing_teams_are_credited_in_proportion_to_need() -> None:
    # an existing team with capacity 6 reaches needs 10 and 20: credits 2 and 4 (as the
    # analysis does)
    reach = _reach([[1], [1]])
    model = CapacitatedCovering(
        reach, [10, 20], [100], existing_reach=_reach([[1], [1]]), existing_capacity=[6]
    )
    assert model.baseline_credit.tolist() == pytest.approx([2, 4])
    sol = model.solve(1)
    assert sol.baseline_served == pytest.approx(6) and sol.added_served == pytest.approx(24)
    # credit beyond the need stays credited (coverage above 100%) but serves no one more
    over = CapacitatedCovering(
        reach, [1, 1], [1], existing_reach=_reach([[1], [1]]), existing_capacity=[50]
    )
    assert over.baseline_credit.tolist() == pytest.approx([25, 25])
    assert over.served_of(over.baseline_credit) == pytest.approx(2)


def test_alternatives_report_what_a_site_adds() -> None:
    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [9, 7, 3], [10, 10, 10])
    sol = model.solve(1)
    (alt,) = model.alternatives(sol)
    assert alt.option == 0 and alt.adds == pytest.approx(9)
    assert alt.alternative == 1 and alt.alternative_adds == pytest.approx(7)


# ---------------------------------------------------------------- brute force


def _random_model(
    rng: np.random.Generator, trial: int, *, moves: bool = False
) -> CapacitatedCovering:
    n_d, n_o = int(rng.integers(3, 8)), int(rng.integers(2, 4 if moves else 5))
    n_g = int(rng.integers(2, n_d + 1))
    group = np.r_[np.arange(n_g), rng.integers(0, n_g, size=n_d - n_g)]
    reach = sp.csr_matrix(rng.random((n_d, n_o)) < 0.4)
    need = rng.integers(0, 20, size=n_d).astype(float)
    n_e = int(rng.integers(1 if moves else 0, 4))
    tiered = trial % 3 != 2
    kwargs: dict[str, object] = {}
    if moves:
        fixed = reach.toarray() & (rng.random((n_d, n_o)) < 0.7)
        kwargs = {
            "move_reach": [reach, sp.csr_matrix(fixed)],
            "existing_mode": rng.integers(-1, 2, size=n_e),
            "existing_group": rng.integers(-1, n_o, size=n_e),
        }
    return CapacitatedCovering(
        reach,
        need,
        rng.integers(3, 25, size=n_o).astype(float),
        group=group,
        n_groups=n_g,
        existing_reach=sp.csr_matrix(rng.random((n_d, n_e)) < 0.4),
        existing_capacity=rng.integers(1, 12, size=n_e).astype(float),
        required=rng.choice(n_g, size=min(2, n_g), replace=False) if trial % 2 else None,
        threshold_ratio=rng.random(n_g) if tiered else 1.0,
        priority=rng.choice([1.0, 1.25, 1.5, 1.875], size=n_g) if tiered else None,
        beyond_threshold_weight=float(rng.choice([0.0, 0.25, 0.5, 1.0])),
        **kwargs,
    )  # type: ignore[arg-type]


def _brute(
    model: CapacitatedCovering,
    k: int,
    relocate: int,
    *,
    max_per_group: int | None,
    require: bool,
    keep_reached: bool = True,
    min_coverage: float = 0.0,
) -> float:
    """Best plan by enumeration: new-team counts, which teams move, and where to."""
    best = -math.inf
    n = model.n_options
    movable = np.flatnonzero(model.existing_mode >= 0) if relocate else np.zeros(0, dtype=np.int64)
    must = must_reach(model, require=require, keep_reached=keep_reached, relocate=relocate)
    cap = k if max_per_group is None else max_per_group
    for counts in itertools.product(range(cap + 1), repeat=n):
        if sum(counts) != k:
            continue
        for r in range(min(relocate, len(movable)) + 1):
            for who in itertools.combinations(movable, r):
                targets = [
                    [j for j in range(n) if model.option_group[j] != model.existing_group[e]]
                    for e in who
                ]
                for where in itertools.product(*targets):
                    moved = np.full(model.n_existing, -1, dtype=np.int64)
                    moved[list(who)] = list(where)
                    placed = np.array(counts) + np.bincount(
                        np.array(where, dtype=np.int64), minlength=n
                    )
                    if (
                        max_per_group is not None
                        and np.bincount(model.option_group, weights=placed).max(initial=0)
                        > max_per_group
                    ):
                        continue
                    sol = model.evaluate(np.array(counts), moved)
                    if placement_ok(model, sol.credit, sol.teams_in_reach, must, min_coverage):
                        best = max(best, sol.objective)
    return best


def test_capacitated_exact_equals_brute_force() -> None:
    rng = np.random.default_rng(11)
    for trial in range(30):
        model = _random_model(rng, trial)
        k = int(rng.integers(1, 4))
        per = 1 if trial % 3 == 0 else None
        require = len(model.required) > 0
        minimum = 0.3 if trial % 4 == 3 else 0.0
        expected = _brute(model, k, 0, max_per_group=per, require=require, min_coverage=minimum)
        exact = model.solve(k, max_per_group=per, require=require, min_coverage=minimum)
        assert (exact.status == "infeasible") == (expected == -math.inf), trial
        if expected == -math.inf:
            continue
        assert exact.status == "optimal", trial
        assert exact.objective == pytest.approx(expected, abs=1e-6), trial
        greedy = model.solve(
            k, max_per_group=per, require=require, min_coverage=minimum, method="greedy"
        )
        # an infeasible greedy answer is the existing teams alone, never above the optimum
        assert greedy.status in ("greedy", "infeasible"), trial
        assert greedy.objective <= exact.objective + 1e-6, trial


def test_greedy_never_beats_exact_on_larger_instances() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        reach = sp.csr_matrix(rng.random((60, 15)) < 0.2)
        need = rng.integers(0, 50, size=60).astype(float)
        model = CapacitatedCovering(
            reach,
            need,
            60.0,
            group=np.arange(60) // 4,
            threshold_ratio=0.5,
            priority=rng.choice([1.0, 1.5], size=15),
            option_group=np.arange(15) // 2,
        )
        exact = model.solve(4, max_per_group=1)
        greedy = model.solve(4, max_per_group=1, method="greedy")
        assert exact.status == "optimal" and greedy.status == "greedy"
        assert greedy.objective <= exact.objective + 1e-6
        assert exact.bound >= exact.objective - 1e-6
        # the per-group limit holds
        assert np.bincount(np.arange(15) // 2, weights=exact.counts).max() <= 1


# ---------------------------------------------------------------- statuses


def test_a_time_limited_solve_is_never_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage.optimize import covering as optimize

    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [9, 7, 3], [10, 10, 10])
    real = optimize.solve_highs

    def stopped_with_answer(*args: object, **kwargs: object) -> Outcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        return Outcome("time_limit", out.x, out.objective, out.objective, 0.5)

    monkeypatch.setattr(optimize, "solve_highs", stopped_with_answer)
    sol = model.solve(1)
    # even with the bound equal to the objective, a stopped search is not a proof
    assert sol.status == "time_limit"
    assert sol.counts.tolist() == [1, 0, 0]

    def stopped_without_answer(*args: object, **kwargs: object) -> Outcome:
        real(*args, **kwargs)  # type: ignore[arg-type]
        return Outcome("time_limit", None, -math.inf, 12.0, 0.5)

    monkeypatch.setattr(optimize, "solve_highs", stopped_without_answer)
    sol = model.solve(1)
    assert sol.status == "time_limit"  # the greedy answer, with the solver's bound
    assert sol.objective == pytest.approx(9) and sol.bound == pytest.approx(12)
    assert sol.gap == pytest.approx(3 / 12)


def test_time_limit_is_never_labelled_optimal() -> None:
    assert status_from_highs("Time limit reached", 99.0, 100.0) == "time_limit"
    assert status_from_highs("Time limit reached", 100.0, 100.0) == "time_limit"
    assert status_from_highs("Optimal", 100.0, 100.0) == "optimal"
    # HiGHS says optimal when it reaches a requested gap: that is not proven optimal
    assert status_from_highs("Optimal", 99.0, 100.0) == "gap_limit"
    assert status_from_highs("Infeasible", math.nan, math.nan) == "infeasible"
    assert relative_gap(99.0, 100.0) == pytest.approx(0.01)
    assert relative_gap(100.0, 100.0) <= PROVEN_GAP


# ---------------------------------------------------------------- re-siting


def test_a_moved_team_is_refilled_by_a_new_team() -> None:
    # the existing team serves point 0 fully; new teams reach point 0 only, a moved team
    # reaches point 1 only: keeping it, the new team adds nothing; moving it to point 1
    # while the new team refills point 0 adds 10
    reach = _reach([[1, 0], [0, 0]])
    moved_reach = _reach([[0, 0], [0, 1]])
    model = CapacitatedCovering(
        reach,
        [10, 10],
        [10, 10],
        existing_reach=_reach([[1], [0]]),
        existing_capacity=[10],
        move_reach=[moved_reach],
        existing_mode=[0],
    )
    kept = model.solve(1)
    assert kept.status == "optimal" and kept.added == pytest.approx(0)
    moved = model.solve(1, relocate=1)
    assert moved.status == "optimal"
    assert moved.moved_to.tolist() == [1] and moved.counts.tolist() == [1, 0]
    assert moved.added == pytest.approx(10)
    assert moved.bound == pytest.approx(moved.objective)


def test_resite_exact_equals_brute_force() -> None:
    rng = np.random.default_rng(7)
    for trial in range(24):
        model = _random_model(rng, trial, moves=True)
        k, relocate = int(rng.integers(0, 3)), int(rng.integers(1, 3))
        per = 1 if trial % 2 == 0 else None
        require = len(model.required) > 0
        keep = trial % 3 != 1
        minimum = 0.2 if trial % 5 == 4 else 0.0
        expected = _brute(
            model,
            k,
            relocate,
            max_per_group=per,
            require=require,
            keep_reached=keep,
            min_coverage=minimum,
        )
        exact = model.solve(
            k,
            relocate=relocate,
            max_per_group=per,
            require=require,
            keep_reached=keep,
            min_coverage=minimum,
        )
        assert (exact.status == "infeasible") == (expected == -math.inf), trial
        if expected == -math.inf:
            continue
        assert exact.status == "optimal", trial
        assert exact.objective == pytest.approx(expected, abs=1e-6), trial
        assert exact.bound >= expected - 1e-6
        assert int((~exact.kept).sum()) <= relocate
        assert exact.kept[model.existing_mode < 0].all()  # teams without a mode never move
        greedy = model.solve(
            k,
            relocate=relocate,
            max_per_group=per,
            require=require,
            keep_reached=keep,
            min_coverage=minimum,
            method="greedy",
        )
        # an infeasible greedy answer is the existing teams alone, never above the optimum
        assert greedy.status in ("greedy", "infeasible"), trial
        assert greedy.objective <= exact.objective + 1e-6, trial


def test_a_time_limited_resite_is_never_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage.optimize import covering as optimize

    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(
        reach,
        [10, 10],
        [10, 10],
        existing_reach=_reach([[1], [0]]),
        existing_capacity=[10],
        move_reach=[reach],
        existing_mode=[0],
        existing_group=[0],
        option_group=[0, 1],
    )
    real = optimize.solve_highs

    def stopped(*args: object, **kwargs: object) -> Outcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        return Outcome("time_limit", out.x, out.objective, out.objective, 0.5)

    monkeypatch.setattr(optimize, "solve_highs", stopped)
    sol = model.solve(1, relocate=1, keep_reached=False)
    # the search found the answer but did not prove it: the answer is labelled as such
    assert sol.status == "time_limit"
    assert sol.added == pytest.approx(10)
    assert sol.bound >= sol.objective - 1e-9
