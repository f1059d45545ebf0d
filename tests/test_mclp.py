"""The plain maximal covering model: known optima, brute force, honest statuses."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
import scipy.sparse as sp

from benchmarks import mclp
from benchmarks.mclp import MaximalCovering
from coverage.optimize.results import PROVEN_GAP


def _reach(rows: list[list[int]]) -> sp.csr_matrix:
    return sp.csr_matrix(np.array(rows, dtype=bool))


def test_mclp_three_points_two_sites() -> None:
    # site 0 reaches points 0, 1; site 1 reaches points 1, 2
    model = MaximalCovering(_reach([[1, 0], [1, 1], [0, 1]]), [10, 5, 8])
    one = model.solve(1)
    assert one.status == "optimal"
    assert one.sites.tolist() == [0] and one.objective == 15
    two = model.solve(2)
    assert two.objective == 23 and two.sites.tolist() == [0, 1]


def test_mclp_dominated_site_and_more_sites_than_useful() -> None:
    # site 1 covers a subset of site 0; three sites asked, two exist that matter
    model = MaximalCovering(_reach([[1, 1, 0], [1, 0, 0], [0, 0, 1]]), [4, 4, 1])
    red = model.reduce()
    assert 1 not in red.sites.tolist()
    sol = model.solve(3)
    assert sol.objective == 9 and len(sol.sites) == 3


def _random_instance(
    rng: np.random.Generator, n_d: int, n_s: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    dense = rng.random((n_d, n_s)) < 0.3
    return sp.csr_matrix(dense), rng.integers(0, 20, size=n_d).astype(float)


def _brute_mclp(reach: sp.csr_matrix, w: np.ndarray, p: int) -> float:
    dense = reach.toarray()
    best = 0.0
    for combo in itertools.combinations(range(dense.shape[1]), p):
        best = max(best, float(w[dense[:, list(combo)].any(axis=1)].sum()))
    return best


def test_mclp_exact_equals_brute_force_and_greedy_never_beats_it() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        n_d, n_s = int(rng.integers(3, 12)), int(rng.integers(2, 8))
        reach, w = _random_instance(rng, n_d, n_s)
        p = int(rng.integers(1, n_s + 1))
        model = MaximalCovering(reach, w)
        exact = model.solve(p)
        greedy = model.solve(p, method="greedy")
        assert exact.status == "optimal"
        assert exact.objective == pytest.approx(_brute_mclp(reach, w, p))
        assert model.value(exact.sites) == pytest.approx(exact.objective)
        assert greedy.objective <= exact.objective + 1e-9
        assert greedy.bound >= exact.objective - 1e-9
        assert greedy.status == "greedy"


def test_mclp_components_are_solved_exactly() -> None:
    # three disjoint blocks: the knapsack over value curves must match brute force
    rng = np.random.default_rng(3)
    blocks = [rng.random((4, 3)) < 0.5 for _ in range(3)]
    reach = sp.block_diag([sp.csr_matrix(b) for b in blocks], format="csr")
    w = rng.integers(1, 30, size=reach.shape[0]).astype(float)
    model = MaximalCovering(reach, w)
    red = model.reduce()
    labels = mclp._components(red.reach)
    assert labels.max() + 1 >= 3  # at least one per block (a block may split further)
    for p in range(1, 6):
        sol = model.solve(p)  # small: one MIP
        assert sol.status == "optimal"
        assert sol.objective == pytest.approx(_brute_mclp(reach, w, p))
        # value curves per component combined by the knapsack
        chosen, obj, bound, kind = mclp._solve_by_components(
            red, labels, p, time.perf_counter() + 30.0, PROVEN_GAP
        )
        assert kind == "optimal" and len(chosen) <= p
        assert obj == pytest.approx(_brute_mclp(reach, w, p)) and bound >= obj - 1e-9
        assert mclp._objective(red, chosen) == pytest.approx(obj)


def test_tiny_time_limit_on_a_hard_instance() -> None:
    rng = np.random.default_rng(5)
    xy = rng.random((600, 2)) * 100
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    reach = sp.csr_matrix(d2 < 9.0**2)
    model = MaximalCovering(reach, rng.integers(1, 1000, size=600).astype(float))
    sol = model.solve(40, time_limit_s=0.05, polish=False)
    assert sol.status in ("time_limit", "optimal")
    assert sol.status != "optimal" or sol.gap <= PROVEN_GAP
    assert sol.bound >= sol.objective
    assert model.value(sol.sites) == pytest.approx(sol.objective)


def test_gap_tolerance_is_not_called_optimal() -> None:
    model = MaximalCovering(_reach([[1, 0], [1, 1], [0, 1]]), [10, 5, 8])
    sol = model.solve(1, gap_tolerance=0.5)
    assert sol.status in ("optimal", "gap_limit")
    assert (sol.status == "optimal") == (sol.gap <= PROVEN_GAP)


def _reduced_random(
    seed: int, n_d: int, n_s: int
) -> tuple[MaximalCovering, sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    reach, w = _random_instance(rng, n_d, n_s)
    w = w + 1.0  # keep every point so reduced and original objectives line up
    return MaximalCovering(reach, w), reach, w


def test_window_reoptimisation_of_everything_is_exact() -> None:
    # a window holding every site is the whole problem: the answer is the optimum
    for seed in range(15):
        model, reach, w = _reduced_random(seed, 10, 7)
        red = model.reduce()
        p = min(3, len(red.sites))
        start = mclp._lazy_greedy(red, p)
        everything = np.arange(len(red.sites), dtype=np.int64)
        best = mclp._reoptimise_window(red, start, everything, time_limit_s=10.0)
        assert len(set(best)) == p
        assert mclp._objective(red, best) == pytest.approx(_brute_mclp(reach, w, p))


def test_window_search_never_worsens_and_keeps_p_sites() -> None:
    rng = np.random.default_rng(11)
    xy = rng.random((300, 2)) * 100
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    model = MaximalCovering(
        sp.csr_matrix(d2 < 12.0**2), rng.integers(1, 1000, size=300).astype(float)
    )
    red = model.reduce()
    p = 8
    for start in (list(range(p)), mclp._lazy_greedy(red, p)):
        before = mclp._objective(red, start)
        after = mclp._window_search(red, start, deadline=time.perf_counter() + 30.0, sizes=(15, 40))
        assert len(set(after)) == p
        assert mclp._objective(red, after) >= before - 1e-9
    # windows are balls of the site graph around their centre, at most the size asked
    graph = mclp._site_graph(red)
    window = mclp._window(graph, 0, 20)
    assert 0 in window.tolist() and len(window) <= 20


def test_swap_search_never_worsens() -> None:
    for seed in range(10):
        model, _, _ = _reduced_random(seed, 12, 7)
        red = model.reduce()
        p = min(2, len(red.sites))
        start = list(range(p))
        assert (
            mclp._objective(red, mclp._swap_search(red, start))
            >= mclp._objective(red, start) - 1e-9
        )


def test_progress_log_is_increasing_and_ends_at_the_answer() -> None:
    rng = np.random.default_rng(5)
    xy = rng.random((200, 2)) * 100
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    model = MaximalCovering(
        sp.csr_matrix(d2 < 10.0**2), rng.integers(1, 1000, size=200).astype(float)
    )
    sol = model.solve(12, decompose=False)
    log = sol.details["progress"]
    values = [v for _, v, _ in log]
    assert values == sorted(values) and values[-1] <= sol.objective + 1e-9
    assert (sol.status == "optimal") == (sol.gap <= PROVEN_GAP)


def _assert_logs_monotone(sol: mclp.CoveringSolution) -> None:
    """Plans only rise and bounds only fall in the logs, and both end at the answer."""
    plans = [v for _, v, _ in sol.details["progress"]]
    bounds = [v for _, v, _ in sol.details["bound_progress"]]
    assert plans == sorted(plans) and plans[-1] <= sol.objective + 1e-9
    assert bounds == sorted(bounds, reverse=True) and bounds[-1] >= sol.objective - 1e-6


def test_highs_beside_the_window_search_keeps_honest_words_and_logs() -> None:
    # at least 400 reduced sites: HiGHS runs on the whole model in its own thread while
    # the window search trades plans with it
    rng = np.random.default_rng(8)
    xy = rng.random((700, 2)) * 100
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    model = MaximalCovering(
        sp.csr_matrix(d2 < 6.0**2), rng.integers(1, 1000, size=700).astype(float)
    )
    assert len(model.reduce().sites) >= 400
    sol = model.solve(60, time_limit_s=3.0, decompose=False)
    assert "window_search_s" in sol.details
    assert len(sol.sites) == 60 and model.value(sol.sites) == pytest.approx(sol.objective)
    assert sol.bound >= sol.objective - 1e-9
    assert (sol.status == "optimal") == (sol.gap <= PROVEN_GAP)
    assert sol.status in ("optimal", "time_limit")
    _assert_logs_monotone(sol)


def _disc_instance(n: int, radius: float, seed: int) -> MaximalCovering:
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2)) * 100
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    return MaximalCovering(sp.csr_matrix(d2 < radius**2), rng.integers(0, 1000, size=n))


def test_every_dropped_site_maps_to_a_kept_site_covering_all_it_covers() -> None:
    model = _disc_instance(300, 9.0, 11)
    red, full = model.reduce(), model._unreduced()
    assert len(red.sites) < model.n_sites  # the instance has dominated sites
    dominators = mclp._dominators(full, red)
    weighted = sp.csc_matrix(model.reach[model.weights > 0])
    for j in range(model.n_sites):
        covers = set(weighted[:, j].indices)
        if not covers:
            assert dominators[j] == -1
            continue
        kept = int(red.sites[dominators[j]])
        assert covers <= set(weighted[:, kept].indices)
    rng = np.random.default_rng(3)
    for _ in range(20):
        plan = [int(j) for j in rng.choice(model.n_sites, size=15, replace=False)]
        mapped = mclp._to_reduced(red, dominators, plan, 15)
        assert len(set(mapped)) == 15
        assert mclp._objective(red, mapped) >= model.value(plan) - 1e-9


def test_lazy_greedy_from_a_start_keeps_the_start_and_fills_to_p() -> None:
    red = _disc_instance(200, 10.0, 4).reduce()
    filled = mclp._lazy_greedy(red, 12, [5, 9, 5])
    assert filled[:2] == [5, 9] and len(set(filled)) == 12


def test_second_highs_on_the_unreduced_model_keeps_honest_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the window search ends at once, leaving the time to two HiGHS runs, the second on
    # the unreduced model, trading plans (HiGHS alone needs a few seconds to prove this one)
    monkeypatch.setattr(mclp, "_WINDOW_MAX_S", 0.3)
    monkeypatch.setattr(mclp, "_SECOND_MIP_MIN_S", 0.5)
    monkeypatch.setattr(mclp.os, "sched_getaffinity", lambda _pid: {0, 1})
    model = _disc_instance(700, 8.0, 8)
    assert len(model.reduce().sites) >= 400
    sol = model.solve(40, time_limit_s=3.0, decompose=False)
    assert "second_mip_s" in sol.details
    assert len(sol.sites) == 40 and model.value(sol.sites) == pytest.approx(sol.objective)
    assert sol.bound >= sol.objective - 1e-9
    assert (sol.status == "optimal") == (sol.gap <= PROVEN_GAP)
    _assert_logs_monotone(sol)


def test_two_highs_runs_reach_the_proven_optimum_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mclp, "_WINDOW_MAX_S", 0.3)
    monkeypatch.setattr(mclp, "_SECOND_MIP_MIN_S", 0.5)
    monkeypatch.setattr(mclp.os, "sched_getaffinity", lambda _pid: {0, 1})
    model = _disc_instance(800, 7.0, 8)
    assert len(model.reduce().sites) >= 400
    reference = model.solve(80, polish=False, decompose=False, time_limit_s=120.0)
    assert reference.status == "optimal"
    sol = model.solve(80, decompose=False, time_limit_s=120.0)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(reference.objective, rel=PROVEN_GAP)


def test_stopping_a_background_highs_interrupts_it() -> None:
    model = _disc_instance(800, 10.0, 8)  # HiGHS needs far more than a second here
    red = model.reduce()
    start, _ = mclp._greedy_swap(red, 30)
    run = mclp._BackgroundMip(
        red,
        mclp._mclp_arrays(red, 30),
        start,
        time_limit_s=600.0,
        gap_tolerance=PROVEN_GAP,
        progress=None,
    )
    run.stop()
    assert not run.running()
    assert run.finish().kind == "time_limit"  # interrupted, never called optimal
    assert run.h.getModelStatus() == mclp.highspy.HighsModelStatus.kInterrupt
