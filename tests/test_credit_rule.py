"""The optimiser's credit matrices apply the analysis's share-by-need rule, checked by hand.

:func:`coverage.optimize.credit.site_shares` builds, per candidate site, what one team
there credits each commune; :func:`coverage.analysis.need.share_by_need` credits each
demand point for a roster. The shapes differ, so the code is not shared: this test ties
them on a small case computed by hand, and shows that it would fail if either side used
another rule.

The case: four demand points, two communes (A: points 0 and 1, B: points 2 and 3); half
of B's need mainly speaks Jrai, the interpreter rate is 0.5, so a team without a Jrai
speaker (class 0) credits B at 0.75 and a team with one (class 1) at 1. The plan: two new
teams (class 0, capacity 10) at site 0, which reaches points 0, 1, 2; existing team 1
(class 0, capacity 6) moved to site 1, which reaches points 2 and 3; existing team 0
(class 1, capacity 12, points 1, 2, 3) stays.

By hand: each new team reaches need 1 + 3 + 2 = 6 and credits 10/6 x (1, 3, 2 x 0.75) =
(1.667, 5, 2.5); team 0 reaches need 9 and credits 12/9 x (3, 2, 4) = (4, 2.667, 5.333);
the moved team reaches need 6 and credits 6/6 x (2, 4) x 0.75 = (1.5, 3). Per point:
(3.333, 14, 9.167, 8.333); per commune: A 17.333, B 17.5.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import sparse

from coverage.analysis.need import (
    SharedCapacity,
    factor_on_pairs,
    language_factor,
    share_by_need,
)
from coverage.optimize import credit
from coverage.optimize.model import CoveringModel

NEED = np.array([1.0, 3.0, 2.0, 4.0])
COMMUNE = np.array([0, 0, 1, 1])
SITE_REACH = np.array([[1, 0], [1, 0], [1, 1], [0, 1]], dtype=bool)  # points x sites
EXISTING_REACH = np.array([[0, 1], [1, 0], [1, 0], [1, 0]], dtype=bool)  # points x teams
EXISTING_CAPACITY = np.array([12.0, 6.0])
EXISTING_CLASS = np.array([1, 0])
NEW_CAPACITY = 10.0
COUNTS = np.array([2, 0])  # two new teams at site 0
MOVED_TO = np.array([-1, 1])  # existing team 1 moves to site 1
# classes (0: no Jrai speaker, 1: one) by communes (A: no Jrai, B: half its need speaks it)
FACTOR = language_factor(
    np.array([[False], [True]]), np.array([[0.0], [0.5]]), interpreter_rate=0.5
)
BY_HAND_POINTS = [10 / 3, 14.0, 5.0 + 8 / 3 + 1.5, 16 / 3 + 3.0]
BY_HAND_COMMUNES = [10 / 3 + 14.0, 5.0 + 8 / 3 + 1.5 + 16 / 3 + 3.0]

Rule = Callable[..., SharedCapacity]


def analysis_credit(rule: Rule = share_by_need) -> np.ndarray:
    """Credit per demand point of the roster after the plan, by ``rule`` (the analysis's)."""
    new_rows = np.repeat(SITE_REACH[:, [0]].T, COUNTS[0], axis=0)
    moved_row = SITE_REACH[:, [MOVED_TO[1]]].T
    covers = sparse.csr_array(np.vstack([EXISTING_REACH[:, [0]].T, moved_row, new_rows]))
    amounts = np.array([EXISTING_CAPACITY[0], EXISTING_CAPACITY[1], NEW_CAPACITY, NEW_CAPACITY])
    team_class = np.array([EXISTING_CLASS[0], EXISTING_CLASS[1], 0, 0])
    factor = factor_on_pairs(covers, FACTOR, team_class, COMMUNE)
    return np.asarray(rule(covers, amounts, NEED, factor=factor).credited, dtype=float)


def optimiser_credit(*, per_point: bool) -> np.ndarray:
    """Credit per group (points or communes) of the same plan from :class:`CoveringModel`."""
    group = np.arange(4) if per_point else COMMUNE
    factor = FACTOR[:, COMMUNE] if per_point else FACTOR
    model = CoveringModel(
        sparse.csr_matrix(SITE_REACH),
        NEED,
        NEW_CAPACITY,
        group=group,
        existing_reach=sparse.csr_matrix(EXISTING_REACH),
        existing_capacity=EXISTING_CAPACITY,
        move_reach=[sparse.csr_matrix(SITE_REACH)],
        existing_mode=np.array([0, 0]),
        language_factor=factor,
        new_class=0,
        existing_class=EXISTING_CLASS,
        move_class=[0],
    )
    return np.asarray(model.evaluate(COUNTS, MOVED_TO).credit, dtype=float)


def rules_agree(rule: Rule = share_by_need) -> bool:
    """Whether the optimiser's credits equal ``rule``'s, per point and per commune."""
    points = analysis_credit(rule)
    communes = np.bincount(COMMUNE, weights=points, minlength=2)
    return bool(
        np.allclose(optimiser_credit(per_point=True), points, rtol=0, atol=1e-12)
        and np.allclose(optimiser_credit(per_point=False), communes, rtol=0, atol=1e-12)
    )


def test_share_by_need_gives_the_hand_computed_credit() -> None:
    assert analysis_credit() == pytest.approx(BY_HAND_POINTS, abs=1e-12)


def test_optimiser_credit_of_a_plan_is_share_by_need_per_point_and_per_commune() -> None:
    assert optimiser_credit(per_point=True) == pytest.approx(BY_HAND_POINTS, abs=1e-12)
    assert optimiser_credit(per_point=False) == pytest.approx(BY_HAND_COMMUNES, abs=1e-12)
    assert rules_agree()


@pytest.mark.parametrize(
    "perturbed",
    [
        # hours shared equally between the reached points with need, not by need
        pytest.param(
            lambda covers, amounts, need, factor: share_by_need(
                covers, amounts, (need > 0).astype(float), factor=factor
            ),
            id="equal-split",
        ),
        # the language factor forgotten
        pytest.param(
            lambda covers, amounts, need, factor: share_by_need(covers, amounts, need),
            id="no-language-factor",
        ),
        # need weighted twice
        pytest.param(
            lambda covers, amounts, need, factor: share_by_need(
                covers, amounts, need**2, factor=factor
            ),
            id="need-squared",
        ),
    ],
)
def test_the_check_fails_when_the_analysis_rule_changes(perturbed: Rule) -> None:
    assert not rules_agree(perturbed)


def test_the_check_fails_when_the_optimiser_rule_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    real = credit.site_shares

    def without_language(
        reach: sparse.csr_matrix, need: np.ndarray, membership: sparse.csr_matrix, **_: object
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        return real(reach, need, membership)

    monkeypatch.setattr(credit, "site_shares", without_language)
    assert not rules_agree()
