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


def test_tiers_break_the_tie_that_raw_need_leaves() -> None:
    # both options serve 10 (capacity binds); below the threshold at point 0 there are 8,
    # at point 1 nothing: 8 + 0.25 * 2 = 8.5 against 0.25 * 10 = 2.5
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [10, 20], [10, 10], tier_a=[8, 0],
                                beyond_threshold_weight=0.25)
    sol = model.solve(1)
    assert sol.status == "optimal"
    assert sol.counts.tolist() == [1, 0]
    assert sol.added == pytest.approx(8.5)
    assert sol.added_served == pytest.approx(10)
    assert sol.value_by_option.tolist() == pytest.approx([8.5, 0])
    assert sol.below_threshold_at_demand.tolist() == pytest.approx([8, 0])
    # a priority of 4 on point 1 makes its tier B worth 1 per unit: 10 > 8.5
    weighted = CapacitatedCovering(reach, [10, 20], [10, 10], tier_a=[8, 0], priority=[1, 4],
                                   beyond_threshold_weight=0.25)
    sol = weighted.solve(1)
    assert sol.counts.tolist() == [0, 1] and sol.added == pytest.approx(10)


def test_one_team_fills_tier_a_first_across_points() -> None:
    # one option reaches both points: 6 below the threshold at point 0 (priority 1.5),
    # 3 at point 1 (priority 1); capacity 12 serves 6*1.5 + 3*1 + 3 beyond at 0.25*1.5
    reach = _reach([[1], [1]])
    model = CapacitatedCovering(reach, [10, 5], [12], tier_a=[6, 3], priority=[1.5, 1.0])
    sol = model.solve(1)
    assert sol.added == pytest.approx(9 + 3 + 3 * 0.25 * 1.5)
    assert sol.added_served == pytest.approx(12)
    assert sol.below_threshold_at_demand.tolist() == pytest.approx([6, 3])


def test_existing_teams_are_credited_in_proportion_to_need() -> None:
    # an existing team with capacity 6 reaches needs 10 and 20: credits 2 and 4 (as the
    # analysis does); tier A defaults to all the need left
    reach = _reach([[1], [1]])
    model = CapacitatedCovering(reach, [10, 20], [100], existing_reach=_reach([[1], [1]]),
                                existing_capacity=[6])
    assert model.existing_served.tolist() == pytest.approx([2, 4])
    assert model.tier_a.tolist() == pytest.approx([8, 16])
    sol = model.solve(1)
    assert sol.baseline_served == pytest.approx(6) and sol.added_served == pytest.approx(24)
    # over-credited points are capped at their need
    over = CapacitatedCovering(reach, [1, 1], [1], existing_reach=_reach([[1], [1]]),
                               existing_capacity=[50])
    assert over.existing_served.tolist() == pytest.approx([1, 1])


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
    for trial in range(30):
        n_d, n_o = int(rng.integers(3, 8)), int(rng.integers(2, 5))
        reach, need = _random_instance(rng, n_d, n_o)
        capacity = rng.integers(3, 25, size=n_o).astype(float)
        n_e = int(rng.integers(0, 3))
        existing = sp.csr_matrix(rng.random((n_d, n_e)) < 0.3)
        required = sp.csr_matrix(rng.random((2, n_o)) < 0.5) if trial % 2 else None
        tiered = trial % 3 != 2
        model = CapacitatedCovering(
            reach, need, capacity, existing_reach=existing,
            existing_capacity=rng.integers(1, 10, size=n_e).astype(float), required=required,
            tier_a=need * rng.random(n_d) if tiered else None,
            priority=rng.choice([1.0, 1.25, 1.5, 1.875], size=n_d) if tiered else None,
            beyond_threshold_weight=float(rng.choice([0.0, 0.25, 0.5])))
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


def test_reduced_cost_fixing_keeps_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    # large models first solve the LP relaxation and drop options by reduced cost; force
    # that path on small random instances and compare with brute force
    from coverage import optimize

    monkeypatch.setattr(optimize, "LARGE_MODEL_COLUMNS", 0)
    rng = np.random.default_rng(3)
    for _ in range(12):
        reach, need = _random_instance(rng, 8, 5)
        model = CapacitatedCovering(reach, need, rng.integers(5, 30, size=5).astype(float),
                                    tier_a=need * rng.random(8),
                                    priority=rng.choice([1.0, 1.5], size=8))
        expected = _brute_capacitated(model, 2, max_per_group=1, require=False)
        sol = model.solve(2, max_per_group=1)
        assert sol.status == "optimal"
        assert sol.objective == pytest.approx(expected, abs=1e-6)
        assert sol.bound >= expected - 1e-6


def test_greedy_never_beats_exact_on_larger_instances() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        reach = sp.csr_matrix(rng.random((60, 15)) < 0.2)
        need = rng.integers(0, 50, size=60).astype(float)
        model = CapacitatedCovering(reach, need, 60.0, tier_a=need * rng.random(60),
                                    priority=rng.choice([1.0, 1.5], size=60),
                                    option_group=np.arange(15) // 2)
        exact = model.solve(4, max_per_group=1)
        greedy = model.solve(4, max_per_group=1, method="greedy")
        assert exact.status == "optimal" and greedy.status == "greedy"
        assert greedy.objective <= exact.objective + 1e-6
        assert exact.bound >= exact.objective - 1e-6
        # the per-group limit holds
        assert np.bincount(np.arange(15) // 2, weights=exact.counts).max() <= 1


# ---------------------------------------------------------------- statuses


def test_a_time_limited_solve_is_never_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage import optimize

    reach = _reach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    model = CapacitatedCovering(reach, [9, 7, 3], [10, 10, 10])
    real = optimize._solve_highs

    def stopped_with_answer(*args: object, **kwargs: object) -> optimize._Outcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        if not bool(np.asarray(args[3]).any()):
            return out                       # LPs (evaluations) run as usual
        return optimize._Outcome("time_limit", out.x, out.objective, out.objective, 0.5)

    monkeypatch.setattr(optimize, "_solve_highs", stopped_with_answer)
    sol = model.solve(1)
    # even with the bound equal to the objective, a stopped search is not a proof
    assert sol.status == "time_limit"
    assert sol.counts.tolist() == [1, 0, 0]

    def stopped_without_answer(*args: object, **kwargs: object) -> optimize._Outcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        if not bool(np.asarray(args[3]).any()):
            return out
        return optimize._Outcome("time_limit", None, -math.inf, 12.0, 0.5)

    monkeypatch.setattr(optimize, "_solve_highs", stopped_without_answer)
    sol = model.solve(1)
    assert sol.status == "time_limit"           # the greedy answer, with the solver's bound
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
    # the existing team (class 1) serves point 0 fully; the only new-team site reaches
    # point 0 alone, the moved-team site point 1 alone: keeping it, the new team adds
    # nothing; moving it to point 1 while the new team refills point 0 adds 10
    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [10, 10], [10, 10], existing_reach=_reach([[1], [0]]),
                                existing_capacity=[10], option_class=[0, 1], existing_class=[1])
    kept = model.solve(1)
    assert kept.status == "optimal" and kept.added == pytest.approx(0)
    moved = model.solve(1, relocate=1)
    assert moved.status == "optimal"
    assert moved.kept.tolist() == [False] and moved.counts.tolist() == [1, 1]
    assert moved.added == pytest.approx(10)
    assert moved.bound == pytest.approx(moved.objective)


def _resite_instance(rng: np.random.Generator, trial: int) -> tuple[CapacitatedCovering, int, int]:
    """Three sites, each with a new-team option and one option per class of movable team."""
    n_d, n_sites, n_classes = int(rng.integers(4, 7)), 3, int(rng.integers(1, 3))
    site_reach = rng.random((n_d, n_sites)) < 0.45
    fixed_reach = site_reach & (rng.random((n_d, n_sites)) < 0.7)   # a smaller reach, for class 2
    blocks = [site_reach] + [site_reach if t == 0 else fixed_reach for t in range(n_classes)]
    reach = sp.csr_matrix(np.hstack(blocks))
    need = rng.integers(0, 20, size=n_d).astype(float)
    capacity = np.concatenate([np.full(n_sites, float(rng.integers(4, 15)))]
                              + [np.full(n_sites, float(rng.integers(3, 12))) for _ in range(n_classes)])
    n_e = int(rng.integers(2, 4))
    existing = sp.csr_matrix(rng.random((n_d, n_e)) < 0.4)
    tiered = trial % 3 != 2
    model = CapacitatedCovering(
        reach, need, capacity, existing_reach=existing,
        existing_capacity=rng.integers(2, 12, size=n_e).astype(float),
        tier_a=need * rng.random(n_d) if tiered else None,
        priority=rng.choice([1.0, 1.5, 1.875], size=n_d) if tiered else None,
        beyond_threshold_weight=float(rng.choice([0.0, 0.25, 1.0])),
        option_group=np.tile(np.arange(n_sites), n_classes + 1),
        option_class=np.repeat(np.arange(n_classes + 1), n_sites),
        existing_class=rng.integers(0, n_classes + 1, size=n_e),
        required=sp.csr_matrix(rng.random((2, reach.shape[1])) < 0.5) if trial % 4 == 1 else None,
        required_existing=(sp.csr_matrix(rng.random((2, n_e)) < 0.5) if trial % 4 == 1 else None))
    return model, int(rng.integers(0, 3)), int(rng.integers(1, 3))


def _brute_resite(model: CapacitatedCovering, k: int, relocate: int, *, max_per_group: int | None,
                  require: bool) -> float:
    """Best plan by enumeration: which teams move, then where every team goes."""
    best = -math.inf
    movable = np.flatnonzero(model.existing_class > 0)
    by_class = {t: np.flatnonzero(model.option_class == t) for t in np.unique(model.option_class)}
    for r in range(relocate + 1):
        for moved in itertools.combinations(movable, r):
            kept = np.ones(model.n_existing, dtype=bool)
            kept[list(moved)] = False
            wanted = {0: k} | {int(t): int((model.existing_class[list(moved)] == t).sum())
                               for t in by_class if t > 0}
            choices = [itertools.combinations_with_replacement(by_class.get(t, []), n)
                       for t, n in wanted.items()]
            for picks in itertools.product(*choices):
                counts = np.bincount(np.array([j for p in picks for j in p], dtype=np.int64),
                                     minlength=model.n_options)
                if max_per_group is not None and np.bincount(
                        model.option_group, weights=counts).max(initial=0) > max_per_group:
                    continue
                if require and model.required.shape[0] and not model._covers_required(counts, kept):
                    continue
                best = max(best, model.evaluate(counts, kept).objective)
    return best


def test_resite_exact_equals_brute_force() -> None:
    rng = np.random.default_rng(7)
    for trial in range(24):
        model, k, relocate = _resite_instance(rng, trial)
        per = 1 if trial % 2 == 0 else None
        require = model.required.shape[0] > 0
        expected = _brute_resite(model, k, relocate, max_per_group=per, require=require)
        exact = model.solve(k, relocate=relocate, max_per_group=per, require=require)
        if expected == -math.inf:
            assert exact.status == "infeasible"
            continue
        assert exact.status == "optimal", trial
        assert exact.objective == pytest.approx(expected, abs=1e-6), trial
        assert exact.bound >= expected - 1e-6
        assert int((~exact.kept).sum()) <= relocate
        assert exact.kept[model.existing_class == 0].all()        # class 0 never moves
        greedy = model.solve(k, relocate=relocate, max_per_group=per, require=require,
                             method="greedy")
        if greedy.status != "infeasible":
            assert greedy.objective <= exact.objective + 1e-6


def test_a_time_limited_resite_is_never_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage import optimize

    reach = _reach([[1, 0], [0, 1]])
    model = CapacitatedCovering(reach, [10, 10], [10, 10], existing_reach=_reach([[1], [0]]),
                                existing_capacity=[10], option_class=[0, 1], existing_class=[1])
    real = optimize._solve_highs

    def stopped(*args: object, **kwargs: object) -> optimize._Outcome:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        if not bool(np.asarray(args[3]).any()):
            return out
        return optimize._Outcome("time_limit", out.x, out.objective, out.objective, 0.5)

    monkeypatch.setattr(optimize, "_solve_highs", stopped)
    sol = model.solve(1, relocate=1)
    # the search found the move but did not prove it: the answer is labelled as such
    assert sol.status == "time_limit"
    assert sol.kept.tolist() == [False] and sol.added == pytest.approx(10)
    assert sol.bound >= sol.objective - 1e-9


def test_reduced_cost_fixing_keeps_the_resite_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    # the fixing also keeps teams in place by reduced cost: force it on small instances
    from coverage import optimize

    monkeypatch.setattr(optimize, "LARGE_MODEL_COLUMNS", 0)
    rng = np.random.default_rng(19)
    for trial in range(8):
        model, k, relocate = _resite_instance(rng, trial)
        require = model.required.shape[0] > 0
        expected = _brute_resite(model, k, relocate, max_per_group=1, require=require)
        sol = model.solve(k, relocate=relocate, max_per_group=1, require=require)
        if expected == -math.inf:
            assert sol.status == "infeasible"
            continue
        assert sol.status == "optimal"
        assert sol.objective == pytest.approx(expected, abs=1e-6)
