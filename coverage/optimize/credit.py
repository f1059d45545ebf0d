"""Credit shares per site: what one team at each site credits each commune (share by need).

Why :func:`site_shares` does not call :func:`coverage.analysis.need.share_by_need`: both
apply the one rule (a team's capacity is shared among the demand points it reaches in
proportion to their need, times the language factor), but the analysis needs totals per
demand point for the roster it has, while the optimiser needs, for every candidate site, a
sparse site-by-commune matrix of credit per unit of capacity before any team is placed.
What ties them is a test, not shared code: ``tests/test_credit_rule.py`` builds a plan
by hand and checks that :class:`~coverage.optimize.model.CoveringModel`'s credits, per
point and per commune, are exactly ``share_by_need``'s totals for the roster with the plan
(and that the check fails when either rule is perturbed); ``tests/test_plan_consistency.py``
checks that every plan's promised coverage is what ``analyze`` gives (random small cases
and Gia Lai).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from coverage.optimize.highs import as_csr_bool
from coverage.optimize.results import FloatArray


def site_shares(
    reach: sp.csr_matrix,
    need: FloatArray,
    membership: sp.csr_matrix,
    *,
    factor: FloatArray | None = None,
    column_class: ArrayLike | None = None,
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Share of one unit of capacity that each column credits to each group, and group reach.

    ``reach`` is (points, columns); returns ``(columns, groups)`` matrices: the share of a
    column's capacity credited to each group (need reached in the group / need reached in
    all, the rule of :func:`coverage.analysis.need.share_by_need`; rows sum to 1, or 0 when the
    column reaches no need) and whether the column reaches any point of the group.
    ``factor`` (team classes by groups, :func:`coverage.analysis.need.language_factor`) scales
    what column ``j`` credits to group ``g`` by ``factor[column_class[j], g]``, exactly as
    the analysis scales each point of ``g`` (its ``factor``).
    """
    r = sp.csc_matrix(reach, dtype=float)
    reached = np.asarray(r.T @ need).ravel()
    per_unit = np.divide(1.0, reached, out=np.zeros(len(reached)), where=reached > 0)
    share = sp.csr_matrix(sp.diags(per_unit) @ r.T @ sp.diags(need) @ membership)
    share.eliminate_zeros()
    if factor is not None:
        classes = (
            np.zeros(share.shape[0], dtype=np.int64)
            if column_class is None
            else np.broadcast_to(np.asarray(column_class, dtype=np.int64), (share.shape[0],))
        )
        coo = share.tocoo()
        scaled = coo.data * np.asarray(factor, dtype=float)[classes[coo.row], coo.col]
        share = sp.csr_matrix((scaled, (coo.row, coo.col)), shape=share.shape)
    hits = sp.csr_matrix((r.T @ membership) > 0, dtype=bool)
    return share, hits


def site_credit(
    reach: sp.csr_matrix,
    capacity: FloatArray,
    need: FloatArray,
    membership: sp.csr_matrix,
    factor: FloatArray | None,
    column_class: ArrayLike | None,
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Credit each column's capacity gives each group (:func:`site_shares` scaled), and reach."""
    share, hits = site_shares(reach, need, membership, factor=factor, column_class=column_class)
    return sp.csr_matrix(sp.diags(capacity) @ share), hits


def move_shares(
    move_reach: Sequence[Any],
    move_class: Sequence[int],
    need: FloatArray,
    membership: sp.csr_matrix,
    *,
    factor: FloatArray | None,
) -> tuple[list[sp.csr_matrix], list[sp.csr_matrix]]:
    """Return :func:`site_shares` for each reach matrix of a moved team (per mode and class).

    ``move_class`` is the language class of each entry of ``move_reach`` (empty: all 0).
    """
    shares: list[sp.csr_matrix] = []
    hits: list[sp.csr_matrix] = []
    classes = list(move_class) or [0] * len(move_reach)
    for matrix, k in zip(move_reach, classes, strict=True):
        share, hit = site_shares(
            as_csr_bool(matrix), need, membership, factor=factor, column_class=int(k)
        )
        shares.append(share)
        hits.append(hit)
    return shares, hits
