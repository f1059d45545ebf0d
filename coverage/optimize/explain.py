"""Explanations of a placement: what each new team adds and the best other site instead."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from coverage.optimize.feasibility import must_reach, options_with_room
from coverage.optimize.model import CoveringModel
from coverage.optimize.results import Alternative, BoolArray, DeploymentSolution


def alternatives(
    model: CoveringModel,
    solution: DeploymentSolution,
    *,
    allowed: ArrayLike | None = None,
    max_per_group: int | None = None,
    require: bool = False,
    keep_reached: bool = True,
    relocate: int = 0,
    min_coverage: float = 0.0,
    must: BoolArray | None = None,
) -> list[Alternative]:
    """For each option holding a new team, what it adds and the best other option instead.

    Both are measured with every other team as in ``solution``: ``adds`` is the
    service value lost if one team at that option were left out, and
    ``alternative_adds`` what one team at the best other allowed option adds then.
    Options that would break the per-commune limit, leave a group that must be
    reached unreached or a required group below the minimum coverage are skipped.
    """
    mask = (
        np.ones(model.n_options, dtype=bool) if allowed is None else np.asarray(allowed, dtype=bool)
    )
    if must is None:
        must = must_reach(model, require=require, keep_reached=keep_reached, relocate=relocate)
    hits_csr = sp.csr_matrix(model.new_hits, dtype=np.int64)
    out: list[Alternative] = []
    for j in np.flatnonzero(solution.counts > 0):
        row = model.new_credit[[j]]
        rest = solution.credit - row.toarray().ravel()
        rest_hits = solution.teams_in_reach - hits_csr[[j]].toarray().ravel()
        adds = model.value_of(solution.credit) - model.value_of(rest)
        adds_served = model.served_of(solution.credit) - model.served_of(rest)
        without = solution.counts.copy()
        without[j] -= 1
        ok = options_with_room(model, without, solution.moved_to, mask, max_per_group)
        if solution.counts[j] == 1:
            ok[j] = False
        missing = np.flatnonzero(must & (rest_hits <= 0))
        if len(missing):
            ok &= np.asarray(hits_csr[:, missing].sum(axis=1)).ravel() == len(missing)
        if min_coverage > 0 and len(model.required):
            b = model.required
            short = np.maximum(min_coverage * model.group_need[b] - rest[b], 0.0)
            need_fix = np.flatnonzero(short > 1e-9 * np.maximum(1.0, model.group_need[b]))
            if len(need_fix):
                sub = model.new_credit[:, b[need_fix]].toarray()
                ok &= (sub >= short[need_fix] - 1e-9).all(axis=1)
        gains = np.where(ok, model.gains(rest, model.new_credit), -math.inf)
        if not np.isfinite(gains).any():
            out.append(Alternative(int(j), adds, adds_served, None, math.nan, math.nan))
            continue
        best = int(np.argmax(gains))
        best_served = model.served_of(
            rest + model.new_credit[[best]].toarray().ravel()
        ) - model.served_of(rest)
        tol = 1e-6 * max(1.0, abs(adds))
        lower = gains[gains < adds - tol]
        worse = (
            float(lower.max())
            if gains[best] >= adds - tol and np.isfinite(lower).any()
            else math.nan
        )
        out.append(
            Alternative(int(j), adds, adds_served, best, float(gains[best]), best_served, worse)
        )
    return out
