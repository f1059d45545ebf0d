"""Quick answers that warm start HiGHS: a greedy placement improved by single swaps."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from coverage.optimize.explain import alternatives
from coverage.optimize.feasibility import must_reach, options_with_room, placement_ok
from coverage.optimize.model import CoveringModel
from coverage.optimize.results import BoolArray, DeploymentSolution, FloatArray, IntArray


def greedy(
    model: CoveringModel,
    n_new: int,
    *,
    allowed: BoolArray,
    max_per_group: int | None,
    require: bool,
    relocate: int = 0,
    keep_reached: bool = True,
    min_coverage: float = 0.0,
) -> tuple[IntArray, IntArray] | None:
    """Place greedily on the value a team adds: required groups first, then the best step.

    Each step is the best of a new team or a move (a move only if it adds value and
    breaks no guarantee).
    """
    counts = np.zeros(model.n_options, dtype=np.int64)
    moved = np.full(model.n_existing, -1, dtype=np.int64)
    credit, hits = model.baseline_credit.copy(), model.baseline_reach.copy()
    new_hits_csr = sp.csr_matrix(model.new_hits, dtype=np.int64)

    def place(j: int) -> None:
        nonlocal credit, hits
        counts[j] += 1
        credit = credit + model.new_credit[[j]].toarray().ravel()
        hits = hits + new_hits_csr[[j]].toarray().ravel()

    placed = 0
    if require and len(model.required):
        todo = np.zeros(model.n_groups, dtype=bool)
        todo[model.required] = True
        while placed < n_new:
            todo &= hits <= 0
            if not todo.any():
                break
            room = options_with_room(model, counts, moved, allowed, max_per_group)
            hit_count = np.asarray(new_hits_csr @ todo.astype(np.int64)).ravel()
            score = np.where(room & (hit_count > 0), hit_count, -1)
            if score.max(initial=-1) <= 0:
                return None
            gains = model.gains(credit, model.new_credit)
            best = np.flatnonzero(score == score.max())
            place(int(best[np.argmax(gains[best])]))
            placed += 1
    if min_coverage > 0 and len(model.required):
        b = model.required
        while placed < n_new:
            short = np.maximum(min_coverage * model.group_need[b] - credit[b], 0.0)
            if not (short > 1e-9).any():
                break
            room = options_with_room(model, counts, moved, allowed, max_per_group)
            cut = np.asarray(
                sp.csr_matrix(model.new_credit[:, b])
                .minimum(sp.csr_matrix(np.broadcast_to(short, (model.n_options, len(b)))))
                .sum(axis=1)
            ).ravel()
            cut = np.where(room, cut, -1.0)
            if cut.max(initial=-1.0) <= 1e-12:
                break
            place(int(np.argmax(cut)))
            placed += 1
    must = must_reach(model, require=require, keep_reached=keep_reached, relocate=relocate)
    moves_left = relocate if (model.existing_mode >= 0).any() else 0
    while placed < n_new or moves_left:
        room = options_with_room(model, counts, moved, allowed, max_per_group)
        new_gain = -math.inf
        best_new = -1
        if placed < n_new and room.any():
            gains = np.where(room, model.gains(credit, model.new_credit), -math.inf)
            best_new = int(np.argmax(gains))
            new_gain = float(gains[best_new])
        move = (
            best_move(model, credit, hits, moved, room, must, min_coverage) if moves_left else None
        )
        if move is not None and move[0] > max(new_gain, 0.0):
            _, e, j = move
            moved[e] = j
            credit, hits = model.state(counts, moved)
            moves_left -= 1
            continue
        if best_new < 0:
            break
        place(best_new)
        placed += 1
    if placed < n_new or not placement_ok(model, credit, hits, must, min_coverage):
        return None
    return counts, moved


def best_move(
    model: CoveringModel,
    credit: FloatArray,
    hits: IntArray,
    moved: IntArray,
    room: BoolArray,
    must: BoolArray,
    min_coverage: float,
    *,
    teams_per_mode: int = 1000,
    tries: int = 40,
) -> tuple[float, int, int] | None:
    """Return the move that adds the most value (checked exactly), or ``None`` if none adds any."""
    movers = np.flatnonzero((model.existing_mode >= 0) & (moved < 0))
    if len(movers) == 0 or not room.any():
        return None
    loss = -model.gains(credit, sp.csr_matrix(model.existing_credit[movers]), sign=-1.0)
    pairs: list[tuple[float, int, int]] = []
    for m in np.unique(model.existing_mode[movers]):
        of_mode = np.flatnonzero(model.existing_mode[movers] == m)
        for i in of_mode[np.argsort(loss[of_mode], kind="stable")[:teams_per_mode]]:
            e = int(movers[i])
            without = credit - model.existing_credit[[e]].toarray().ravel()
            ok = room & (model.option_group != model.existing_group[e])
            gains = np.where(
                ok,
                model.gains(without, model.move_share[int(m)], float(model.existing_capacity[e])),
                -math.inf,
            )
            for j in np.argsort(-gains, kind="stable")[:3]:
                if np.isfinite(gains[j]):
                    pairs.append((float(gains[j] - loss[i]), e, int(j)))
    best: tuple[float, int, int] | None = None
    base_value = model.value_of(credit)
    for _, e, j in sorted(pairs, reverse=True)[:tries]:
        m = int(model.existing_mode[e])
        c = (
            credit
            - model.existing_credit[[e]].toarray().ravel()
            + model.existing_capacity[e] * model.move_share[m][[j]].toarray().ravel()
        )
        h = (
            hits
            - model.existing_hits[[e]].toarray().ravel().astype(np.int64)
            + model.move_hits[m][[j]].toarray().ravel().astype(np.int64)
        )
        if not placement_ok(model, c, h, must, min_coverage):
            continue
        gain = model.value_of(c) - base_value
        if gain > 1e-9 * max(1.0, abs(base_value)) and (best is None or gain > best[0]):
            best = (gain, e, j)
    return best


def improve(
    model: CoveringModel,
    solution: DeploymentSolution,
    *,
    allowed: BoolArray,
    max_per_group: int | None,
    require: bool,
    keep_reached: bool = True,
    relocate: int = 0,
    min_coverage: float = 0.0,
    rounds: int = 20,
) -> DeploymentSolution:
    """Improve a placement by single swaps (one new team to another option) while any helps."""
    must = must_reach(model, require=require, keep_reached=keep_reached, relocate=relocate)
    for _ in range(rounds):
        swaps = alternatives(
            model,
            solution,
            allowed=allowed,
            max_per_group=max_per_group,
            require=require,
            keep_reached=keep_reached,
            relocate=relocate,
            min_coverage=min_coverage,
            must=must,
        )
        gains = [(a.alternative_adds - a.adds, a) for a in swaps if a.alternative is not None]
        if not gains:
            break
        gain, best = max(gains, key=lambda pair: pair[0])
        if not gain > 1e-9 * max(1.0, abs(solution.added)) or best.alternative is None:
            break
        counts = solution.counts.copy()
        counts[best.option] -= 1
        counts[best.alternative] += 1
        solution = model.evaluate(counts, solution.moved_to)
    return solution
