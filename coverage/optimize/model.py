"""The capacitated covering model on arrays: who credits what to each commune, and its value.

What a team at each site credits each commune (the share-by-need rule per site) is built
by :mod:`coverage.optimize.credit`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from coverage.optimize.credit import move_shares, site_credit
from coverage.optimize.highs import as_csr_bool
from coverage.optimize.results import DeploymentSolution, FloatArray, IntArray

HIGHS_OPTIONS: dict[str, Any] = {}
"""Extra HiGHS options for :class:`~coverage.optimize.covering.CapacitatedCovering` (none:
with one credit row per commune the model is small and HiGHS's defaults prove Gia Lai
plans in well under a second; see ``benchmarks/bench_relocate.py``)."""


def _indices(values: ArrayLike | None, default: IntArray) -> IntArray:
    """Return ``values`` as integer indices, or ``default`` when not given."""
    return default if values is None else np.asarray(values, dtype=np.int64)


class CoveringModel:
    r"""The capacitated covering model: credit shares, the tiered, weighted value, evaluation.

    **One coverage model.** Every team, existing, new or moved, shares its capacity over
    the horizon among the demand points it reaches in proportion to their need,
    independently of the other teams (:func:`coverage.analysis.need.share_by_need`, the rule of
    the analysis). A team of capacity :math:`c` at site :math:`j` thus credits group
    (commune) :math:`g` with :math:`c\,\phi_{jg}`, where :math:`\phi_{jg}` is the need
    it reaches in :math:`g` divided by all the need it reaches. A commune's credit is the
    sum over the teams in place, and its coverage is credit / need: exactly the
    analysis's ``coverage_ratio`` of the roster the plan gives. A planner can check it by
    hand: "this team reaches 4,000 residents-in-need, 1,000 of them in Gào, so a quarter
    of its hours go to Gào".

    **Value.** The credit :math:`S_g` of group :math:`g` is worth

    .. math::

        v_g(S_g) = p_g \left[ \min(S_g, T_g) + \beta \min\big((S_g - T_g)^+,\,
                   w_g - T_g\big) \right],

    :math:`p_g` per resident-equivalent up to the threshold :math:`T_g = \rho w_g`
    (tier A, :math:`\rho` the adequacy ratio), :math:`\beta p_g` beyond it up to the need
    :math:`w_g` (tier B), nothing beyond the need: a concave, diminishing-returns value.


    The mixed-integer programme is in :mod:`coverage.optimize.formulation`.


    Parameters
    ----------
    reach
        Sparse boolean matrix, demand points by options (reach of a new team).
    need
        Need at each demand point over the horizon (:math:`w`).
    capacity
        Capacity of one new team at each option over the horizon (same unit as ``need``).
    group
        Group (commune) of each demand point; default each point its own group.
    n_groups
        Number of groups (default ``group.max() + 1``).
    existing_reach, existing_capacity
        Reach matrix (demand points by existing teams) and capacities of existing teams.
    threshold_ratio
        Adequacy ratio :math:`\rho` (scalar or one per group); default 1 (all need is tier A).
    priority
        Priority weight of each group (:math:`p`); default 1.
    beyond_threshold_weight
        Value of a unit credited beyond the threshold (:math:`\beta`).
    option_group
        Commune of each option, for the per-commune limit (default: each option its own).
    existing_group
        Home commune of each existing team in the same numbering (-1: none).
    move_reach, existing_mode
        Reach matrices (demand points by options) of a moved team, one per reach mode,
        and the mode of each existing team as an index into ``move_reach`` (-1: the team
        cannot move). Default: no team can move.
    required
        Indices of the groups that must be reached (border communes) or reach a minimum
        coverage.
    language_factor
        Optional ``(team classes, groups)`` capacity factor
        (:func:`coverage.analysis.need.language_factor`): a team of class ``k`` credits group
        :math:`g` with ``language_factor[k, g]`` times its share, in :math:`F`,
        :math:`L` and :math:`\phi^m` alike. Default: 1 everywhere.
    new_class, existing_class, move_class
        The class of the new teams, of each existing team, and of each entry of
        ``move_reach`` (a moved team keeps its languages: ``move_reach`` has one entry
        per reach mode and class).
    """

    def __init__(
        self,
        reach: Any,
        need: ArrayLike,
        capacity: ArrayLike,
        *,
        group: ArrayLike | None = None,
        n_groups: int | None = None,
        existing_reach: Any | None = None,
        existing_capacity: ArrayLike | None = None,
        threshold_ratio: float | ArrayLike = 1.0,
        priority: ArrayLike | None = None,
        beyond_threshold_weight: float = 0.25,
        option_group: ArrayLike | None = None,
        existing_group: ArrayLike | None = None,
        move_reach: Sequence[Any] = (),
        existing_mode: ArrayLike | None = None,
        required: ArrayLike | None = None,
        language_factor: ArrayLike | None = None,
        new_class: int = 0,
        existing_class: ArrayLike | None = None,
        move_class: Sequence[int] = (),
    ) -> None:
        self.reach = as_csr_bool(reach)
        n_d, n_o = self.reach.shape
        self.need = np.asarray(need, dtype=float)
        self.capacity = np.broadcast_to(np.asarray(capacity, dtype=float), (n_o,)).copy()
        if self.need.shape != (n_d,):
            raise ValueError(f"need has shape {self.need.shape}; expected ({n_d},)")
        if (self.need < 0).any() or (self.capacity < 0).any():
            raise ValueError("need and capacity must be non-negative")
        if not 0.0 <= beyond_threshold_weight <= 1.0:
            raise ValueError(
                f"beyond_threshold_weight must be between 0 and 1 (got {beyond_threshold_weight})"
            )
        self.beyond_threshold_weight = float(beyond_threshold_weight)
        self.group = (
            np.arange(n_d, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
        )
        if self.group.shape != (n_d,):
            raise ValueError(f"group must have {n_d} values")
        n_g = int(n_groups) if n_groups is not None else int(self.group.max(initial=-1)) + 1
        self.membership = sp.csr_matrix(
            (np.ones(n_d), (np.arange(n_d), self.group)), shape=(n_d, n_g)
        )
        self.group_need: FloatArray = np.asarray(self.membership.T @ self.need, dtype=float).ravel()
        ratio = np.broadcast_to(np.asarray(threshold_ratio, dtype=float), (n_g,))
        if (ratio < 0).any() or (ratio > 1).any():
            raise ValueError("threshold_ratio must be between 0 and 1")
        self.threshold: FloatArray = ratio * self.group_need
        self.priority: FloatArray = (
            np.ones(n_g) if priority is None else np.asarray(priority, dtype=float).copy()
        )
        if self.priority.shape != (n_g,) or (self.priority < 0).any():
            raise ValueError(f"priority must be {n_g} non-negative values (one per group)")
        self.language_factor = (
            None if language_factor is None else np.asarray(language_factor, dtype=float)
        )
        self.new_credit, self.new_hits = site_credit(
            self.reach,
            self.capacity,
            self.need,
            self.membership,
            self.language_factor,
            int(new_class),
        )
        if existing_reach is None:
            existing_reach = sp.csr_matrix((n_d, 0), dtype=bool)
        self.existing_reach = as_csr_bool(existing_reach)
        n_e = self.existing_reach.shape[1]
        if self.existing_reach.shape[0] != n_d:
            raise ValueError("existing_reach must have one row per demand point")
        self.existing_capacity = (
            np.zeros(0) if existing_capacity is None else np.asarray(existing_capacity, dtype=float)
        )
        if self.existing_capacity.shape != (n_e,):
            raise ValueError(f"existing_capacity must have {n_e} values")
        self.existing_credit, self.existing_hits = site_credit(
            self.existing_reach,
            self.existing_capacity,
            self.need,
            self.membership,
            self.language_factor,
            existing_class,
        )
        self.baseline_credit: FloatArray = np.asarray(
            self.existing_credit.sum(axis=0), dtype=float
        ).ravel()
        self.baseline_reach: IntArray = (
            np.asarray(self.existing_hits.sum(axis=0)).ravel().astype(np.int64)
        )
        self.option_group = _indices(option_group, np.arange(n_o, dtype=np.int64))
        self.existing_group = _indices(existing_group, np.full(n_e, -1, dtype=np.int64))
        self.move_share, self.move_hits = move_shares(
            move_reach, move_class, self.need, self.membership, factor=self.language_factor
        )
        self.existing_mode = _indices(existing_mode, np.full(n_e, -1, dtype=np.int64))
        if (self.existing_mode >= len(self.move_share)).any():
            raise ValueError("existing_mode refers to a reach mode not given in move_reach")
        self.required = _indices(required, np.zeros(0, dtype=np.int64))
        self.highs_options: dict[str, Any] = dict(HIGHS_OPTIONS)

    @property
    def n_options(self) -> int:
        """Number of placement options."""
        return int(self.reach.shape[1])

    @property
    def n_existing(self) -> int:
        """Number of existing teams."""
        return int(self.existing_reach.shape[1])

    @property
    def n_groups(self) -> int:
        """Number of groups (communes)."""
        return int(self.membership.shape[1])

    # ---------------------------------------------------------------- value

    def group_value(self, credit: FloatArray, groups: IntArray | slice = slice(None)) -> FloatArray:
        """Value of each group's credit (elementwise :math:`v_g`)."""
        s = np.maximum(credit, 0.0)
        b = self.beyond_threshold_weight
        out: FloatArray = self.priority[groups] * (
            (1.0 - b) * np.minimum(s, self.threshold[groups])
            + b * np.minimum(s, self.group_need[groups])
        )
        return out

    def value_of(self, credit: ArrayLike) -> float:
        """Service value of a credit per group (the objective)."""
        return float(self.group_value(np.asarray(credit, dtype=float)).sum())

    def served_of(self, credit: ArrayLike) -> float:
        """Need served: each group's credit counted up to its need."""
        return float(
            np.minimum(np.maximum(np.asarray(credit, dtype=float), 0.0), self.group_need).sum()
        )

    def gains(
        self,
        credit: FloatArray,
        rows: sp.csr_matrix,
        scale: FloatArray | float = 1.0,
        *,
        sign: float = 1.0,
    ) -> FloatArray:
        """Value each row adds (``sign=1``) to, or removes (``sign=-1``) from, ``credit``."""
        coo = rows.tocoo()
        amount = coo.data * (np.asarray(scale)[coo.row] if np.ndim(scale) else scale)
        base = credit[coo.col]
        delta = self.group_value(base + sign * amount, coo.col) - self.group_value(base, coo.col)
        return np.asarray(
            sign * np.bincount(coo.row, weights=delta, minlength=rows.shape[0]), dtype=float
        )

    def served_gains(
        self, credit: FloatArray, rows: sp.csr_matrix, *, sign: float = 1.0
    ) -> FloatArray:
        """Need each row adds (``sign=1``) to, or removes from, ``credit`` (capped by need)."""
        coo = rows.tocoo()
        base = np.maximum(credit[coo.col], 0.0)
        cap = self.group_need[coo.col]
        delta = np.minimum(np.maximum(base + sign * coo.data, 0.0), cap) - np.minimum(base, cap)
        return np.asarray(
            sign * np.bincount(coo.row, weights=delta, minlength=rows.shape[0]), dtype=float
        )

    # ---------------------------------------------------------------- evaluation

    def state(self, counts: IntArray, moved_to: IntArray) -> tuple[FloatArray, IntArray]:
        """Credit and teams in reach of each group with a placement."""
        credit = self.baseline_credit + np.asarray(self.new_credit.T @ counts.astype(float)).ravel()
        hits = self.baseline_reach + np.asarray(self.new_hits.T @ counts.astype(np.int64)).ravel()
        for e in np.flatnonzero(moved_to >= 0):
            j, m = int(moved_to[e]), int(self.existing_mode[e])
            credit = credit - self.existing_credit[[e]].toarray().ravel()
            credit = credit + self.existing_capacity[e] * self.move_share[m][[j]].toarray().ravel()
            hits = hits - self.existing_hits[[e]].toarray().ravel().astype(np.int64)
            hits = hits + self.move_hits[m][[j]].toarray().ravel().astype(np.int64)
        return credit, hits

    def evaluate(self, counts: ArrayLike, moved_to: ArrayLike | None = None) -> DeploymentSolution:
        """Credit, value and need served of a placement (new teams and moves), no solver needed."""
        started = time.perf_counter()
        counts_arr = np.asarray(counts, dtype=np.int64)
        moved = (
            np.full(self.n_existing, -1, dtype=np.int64)
            if moved_to is None
            else np.asarray(moved_to, dtype=np.int64)
        )
        credit, hits = self.state(counts_arr, moved)
        open_cols = np.flatnonzero(counts_arr > 0)
        value_by = np.zeros(self.n_options)
        served_by = np.zeros(self.n_options)
        if len(open_cols):
            rows = sp.csr_matrix(
                sp.diags(counts_arr[open_cols].astype(float)) @ self.new_credit[open_cols]
            )
            value_by[open_cols] = self.gains(credit, rows, sign=-1.0)
            served_by[open_cols] = self.served_gains(credit, rows, sign=-1.0)
        return DeploymentSolution(
            counts=counts_arr,
            moved_to=moved,
            credit=credit,
            baseline_credit=self.baseline_credit,
            teams_in_reach=hits,
            baseline_teams_in_reach=self.baseline_reach,
            served_by_option=served_by,
            value_by_option=value_by,
            objective=self.value_of(credit),
            baseline=self.value_of(self.baseline_credit),
            served=self.served_of(credit),
            baseline_served=self.served_of(self.baseline_credit),
            bound=math.nan,
            gap=math.nan,
            status="greedy",
            method="greedy",
            runtime_s=time.perf_counter() - started,
        )

    def baseline(self) -> float:
        """Service value of the existing teams on their own (no new team, none moved)."""
        return self.value_of(self.baseline_credit)
