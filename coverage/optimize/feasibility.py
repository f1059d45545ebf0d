"""Whether a placement meets the guarantees, and quick necessary checks before solving."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from coverage.optimize.highs import min_cover
from coverage.optimize.model import CoveringModel
from coverage.optimize.results import BoolArray, FloatArray, Infeasibility, IntArray


def must_reach(
    model: CoveringModel, *, require: bool, keep_reached: bool, relocate: int
) -> BoolArray:
    """Return the groups that must have a team in reach after the plan."""
    must = np.zeros(model.n_groups, dtype=bool)
    if require:
        must[model.required] = True
    if keep_reached and relocate > 0:
        must |= model.baseline_reach > 0
    return must


def placement_ok(
    model: CoveringModel, credit: FloatArray, hits: IntArray, must: BoolArray, min_coverage: float
) -> bool:
    """Return whether a placement's credit and reach meet the guarantees."""
    if (hits[must] <= 0).any():
        return False
    if min_coverage > 0 and len(model.required):
        b = model.required
        return bool(
            (
                credit[b]
                >= min_coverage * model.group_need[b] - 1e-9 * np.maximum(1.0, model.group_need[b])
            ).all()
        )
    return True


def check(
    model: CoveringModel,
    n_new: int,
    *,
    allowed: BoolArray,
    max_per_group: int | None,
    relocate: int,
    require: bool,
    min_coverage: float = 0.0,
) -> Infeasibility | None:
    """Check simple necessary conditions; return the first that fails, with numbers."""
    if n_new > 0 and not allowed.any():
        return Infeasibility("no_sites", {"new_teams": n_new})
    if max_per_group is not None:
        places = int(len(np.unique(model.option_group[allowed])) * max_per_group)
        if n_new > places:
            return Infeasibility(
                "too_many_teams",
                {
                    "new_teams": n_new,
                    "places": places,
                    "per_commune": max_per_group,
                    "communes": len(np.unique(model.option_group[allowed])),
                },
            )
    movable = (model.existing_mode >= 0) & (relocate > 0)
    cols = np.flatnonzero(allowed)
    if require and len(model.required):
        open_groups = model.required[model.baseline_reach[model.required] == 0]
        if len(open_groups):
            sub = sp.csc_matrix(model.new_hits[cols][:, open_groups])
            reachable = np.asarray(sub.sum(axis=0)).ravel() > 0
            for m in np.unique(model.existing_mode[movable]):
                reachable |= (
                    np.asarray(model.move_hits[int(m)][cols][:, open_groups].sum(axis=0)).ravel()
                    > 0
                )
            cannot = open_groups[~reachable]
            if len(cannot):
                return Infeasibility(
                    "border_unreachable", {"groups": [int(g) for g in cannot], "count": len(cannot)}
                )
            hits = sp.csr_matrix(model.new_hits[cols][:, open_groups].T)
            for m in np.unique(model.existing_mode[movable]):
                hits = sp.csr_matrix(
                    sp.hstack([hits, model.move_hits[int(m)][cols][:, open_groups].T])
                )
            budget = n_new + (relocate if movable.any() else 0)
            most = int(np.asarray(hits.sum(axis=0)).max())
            needed = min_cover(hits, time_limit_s=5.0)
            if needed > budget:
                return Infeasibility(
                    "border_too_few",
                    {
                        "unreached": len(open_groups),
                        "needed": needed,
                        "available": budget,
                        "most_per_team": most,
                    },
                )
    if min_coverage > 0 and len(model.required):
        b = model.required
        target = min_coverage * model.group_need[b]
        per_team = model.new_credit[cols][:, b].toarray()  # options x required
        per_opt = n_new if max_per_group is None else min(n_new, max_per_group)
        best_new = np.zeros(len(b))
        for col in range(len(b)):
            top = np.sort(per_team[:, col])[::-1]
            best_new[col] = np.repeat(top, per_opt)[:n_new].sum()
        best_move: FloatArray = np.zeros(len(b))
        movers = np.flatnonzero(movable)
        if len(movers) and relocate > 0:
            gains = np.zeros((len(movers), len(b)))
            for i, e in enumerate(movers):
                m = int(model.existing_mode[e])
                gains[i] = model.existing_capacity[e] * model.move_share[m][cols][
                    :, b
                ].toarray().max(axis=0, initial=0.0)
            best_move = np.sort(gains, axis=0)[::-1][:relocate].sum(axis=0)
        at_most = model.baseline_credit[b] + best_new + best_move
        short = np.flatnonzero(at_most < target - 1e-9 * np.maximum(1.0, target))
        if len(short):
            share = np.divide(
                at_most[short],
                model.group_need[b[short]],
                out=np.ones(len(short)),
                where=model.group_need[b[short]] > 0,
            )
            return Infeasibility(
                "border_min_unreachable",
                {
                    "groups": [int(g) for g in b[short]],
                    "count": len(short),
                    "most": [float(v) for v in share],
                    "min_coverage": float(min_coverage),
                    "new_teams": n_new,
                    "relocate": relocate,
                },
            )
    return None


def options_with_room(
    model: CoveringModel,
    counts: IntArray,
    moved_to: IntArray,
    allowed: BoolArray,
    max_per_group: int | None,
) -> BoolArray:
    """Options that may take one more team under the per-commune limit."""
    if max_per_group is None:
        return allowed.copy()
    placed = counts + np.bincount(moved_to[moved_to >= 0], minlength=model.n_options)
    used = np.bincount(
        model.option_group, weights=placed, minlength=int(model.option_group.max(initial=0)) + 1
    )
    room: BoolArray = allowed & (used[model.option_group] < max_per_group)
    return room
