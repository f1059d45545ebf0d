r"""The mixed-integer programme of :class:`~coverage.optimize.covering.CapacitatedCovering`.

Builds the arrays HiGHS solves (:class:`Formulation`) with a typed :class:`Layout` that
names where each family of variables sits, and turns a heuristic answer into a start.
The model (notation of the class docstring: need :math:`w_g`, threshold :math:`T_g`,
priority :math:`p_g`, tier-B weight :math:`\beta`):

Symbols
    :math:`G` groups with need :math:`w_g`; :math:`J` placement options (a candidate
    site) with new-team capacity :math:`c_j` and credit :math:`F_{jg} = c_j
    \phi_{jg}`; :math:`E` existing teams with capacity :math:`c_e` and credit
    :math:`L_{eg}`, :math:`X_g = \sum_e L_{eg}`; movable teams :math:`E_m` of reach
    mode :math:`m(e)` with shares :math:`\phi^m_{jg}` at option :math:`j`;
    :math:`K` new teams; :math:`R` the most moves; :math:`h(j)` the commune of
    option :math:`j` (limit :math:`N` per commune), :math:`h(e)` the home commune
    of team :math:`e`; :math:`r_{jg}, r^m_{jg}, r_{eg} = 1` when the option / team
    reaches group :math:`g`; :math:`B` required groups (border communes).

Variables
    :math:`y_j \in \mathbb{Z}_{\ge 0}` new teams at option :math:`j`;
    :math:`x_{ej} \in \{0, 1\}` team :math:`e` moves to option :math:`j` (only when
    re-siting, :math:`h(j) \ne h(e)`); aggregates :math:`M_{mj} = \sum_{e: m(e)=m}
    c_e x_{ej}`, :math:`Z_{mj} = \sum_{e: m(e)=m} x_{ej}`, :math:`d_e = \sum_j
    x_{ej}` (continuous, defined by equality rows); :math:`u^A_g \in [0, T_g]`,
    :math:`u^B_g \in [0, w_g - T_g]`.

Objective (the value the plan adds; the solver proves it)

.. math::

    \max \sum_g p_g (u^A_g + \beta u^B_g) - \sum_g v_g(X_g)

subject to

.. math::

    u^A_g + u^B_g &\le X_g + \sum_j F_{jg} y_j + \sum_{m, j} \phi^m_{jg} M_{mj}
        - \sum_e L_{eg} d_e         && \forall g \quad\text{(credit)}\\
    \sum_j y_j &= K, \qquad \sum_e d_e \le R, \qquad d_e \le 1 \\
    \sum_{j: h(j) = h} \big(y_j + \sum_m Z_{mj}\big) &\le N   && \forall h\\
    \sum_j r_{jg} y_j + \sum_{m,j} r^m_{jg} Z_{mj} - \sum_{e} r_{eg} d_e
        &\ge 1 - \sum_e r_{eg}     && \forall g \in B \text{ (reach)},
        \text{ and every reached } g \text{ when moves may not unreach}\\
    X_g + \sum_j F_{jg} y_j + \sum_{m,j} \phi^m_{jg} M_{mj} - \sum_e L_{eg} d_e
        &\ge \mu w_g               && \forall g \in B \text{ (minimum coverage } \mu)

and :math:`y_j = 0` for excluded options. Since :math:`\beta \le 1` the solver
fills tier A first, so the optimum is :math:`\max \sum_g v_g(S_g)` less the
baseline. With :math:`\beta = 1`, :math:`\rho = 1` and :math:`p = 1` the value is
the need served. The gap is measured on the value the plan adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from coverage.optimize.feasibility import must_reach
from coverage.optimize.highs import stack_rows
from coverage.optimize.model import CoveringModel
from coverage.optimize.results import BoolArray, DeploymentSolution, FloatArray, IntArray

MOVED_CAPACITY_UNIT = 1000.0
"""The capacity moved to a site is a variable in thousands of resident-equivalents: in
plain units (thousands) beside 0/1 move variables the simplex was about 1.5 times slower
on Gia Lai re-site plans."""

MOVE_CLASSES = 4
"""Capacity classes per reach mode that aggregate the move variables of
:class:`~coverage.optimize.covering.CapacitatedCovering` (more classes: a tighter
relaxation but a larger model)."""


@dataclass(frozen=True)
class Layout:
    """Where each family of variables sits in the MIP vector, and what the moves refer to.

    Attributes
    ----------
    new_teams, moves, moved_capacity, moved_count, departed, tier_a, tier_b
        Slices of the variables :math:`y_j`, :math:`x_{ej}`, :math:`M`, :math:`Z`,
        :math:`d_e`, :math:`u^A_g` and :math:`u^B_g`.
    pair_team, pair_option
        The existing team and the option of each move variable :math:`x_{ej}`.
    movers
        Existing teams that may move (one :math:`d_e` each).
    class_of, aggregate_index, n_aggregates
        Move class of each existing team (-1: does not move), the index of the aggregate
        of each (class, option) in :math:`M` and :math:`Z` (-1: none), and their number.
    active
        Groups whose credit can change (one :math:`u^A_g`, :math:`u^B_g` each).
    solver_offset
        Constant added to the solver's objective so that it is the value the plan adds.
    offset
        Service value of the existing teams alone (solver objective + offset = value).
    """

    new_teams: slice
    moves: slice
    moved_capacity: slice
    moved_count: slice
    departed: slice
    tier_a: slice
    tier_b: slice
    pair_team: IntArray
    pair_option: IntArray
    movers: IntArray
    class_of: IntArray
    aggregate_index: IntArray
    n_aggregates: int
    active: IntArray
    solver_offset: float
    offset: float


@dataclass(frozen=True)
class Formulation:
    """The MIP as HiGHS takes it: maximise ``cost @ x`` within bounds and row bounds."""

    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    integer: BoolArray
    rows: sp.csr_matrix
    row_lower: FloatArray
    row_upper: FloatArray
    layout: Layout

    @property
    def n_var(self) -> int:
        """Number of variables."""
        return len(self.cost)


@dataclass(frozen=True)
class _Shape:
    """Index sets and variable offsets shared by the row builders."""

    model: CoveringModel
    cols: IntArray
    movers: IntArray
    pair_team: IntArray
    pair_option: IntArray
    class_mode: IntArray
    class_most: FloatArray
    aggregate_index: IntArray
    active: IntArray
    pos: IntArray
    off_y: int
    off_x: int
    off_m: int
    off_z: int
    off_d: int
    off_a: int
    off_b: int
    n_var: int

    @property
    def n_classes(self) -> int:
        return len(self.class_mode)


class _Rows:
    """Row blocks appended one after another, with their bounds."""

    def __init__(self, n_var: int) -> None:
        self.n_var = n_var
        self.blocks: list[sp.coo_matrix] = []
        self.lo: list[FloatArray] = []
        self.hi: list[FloatArray] = []
        self.row = 0

    def add(self, r: Any, c: Any, v: Any, n_rows: int, low: Any, high: Any) -> None:
        """Append ``n_rows`` rows with entries ``v`` at (``r``, ``c``) and bounds."""
        self.blocks.append(
            sp.coo_matrix(
                (
                    np.asarray(v, float),
                    (np.asarray(r, np.int64) + self.row, np.asarray(c, np.int64)),
                ),
                shape=(self.row + n_rows, self.n_var),
            )
        )
        self.lo.append(np.broadcast_to(np.asarray(low, float), (n_rows,)))
        self.hi.append(np.broadcast_to(np.asarray(high, float), (n_rows,)))
        self.row += n_rows


def move_classes(model: CoveringModel, movers: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Group the teams that may move by mode and capacity (:data:`MOVE_CLASSES` per mode).

    Returns the class of each existing team (-1 when it does not move), the mode of
    each class and its largest capacity. Classes only aggregate variables: each team
    is still credited with its own capacity; the largest one bounds the linking rows.
    """
    class_of = np.full(model.n_existing, -1, dtype=np.int64)
    class_mode: list[int] = []
    class_most: list[float] = []
    for m in np.unique(model.existing_mode[movers]) if len(movers) else []:
        teams = movers[model.existing_mode[movers] == m]
        caps = model.existing_capacity[teams]
        n = min(MOVE_CLASSES, len(np.unique(caps)))
        edges = np.quantile(caps, np.linspace(0, 1, n + 1)[1:-1]) if n > 1 else np.zeros(0)
        bucket = np.searchsorted(edges, caps, side="right")
        for b in np.unique(bucket):
            class_of[teams[bucket == b]] = len(class_mode)
            class_mode.append(int(m))
            class_most.append(float(caps[bucket == b].max()))
    return (
        class_of,
        np.asarray(class_mode, dtype=np.int64),
        np.asarray(class_most, dtype=float),
    )


def _shape(model: CoveringModel, *, allowed: BoolArray, relocate: int) -> tuple[_Shape, IntArray]:
    """Index sets and offsets of the model; also the move class of each existing team."""
    n_o, n_g = model.n_options, model.n_groups
    movers = (
        np.flatnonzero(model.existing_mode >= 0) if relocate > 0 else np.zeros(0, dtype=np.int64)
    )
    cols = np.flatnonzero(allowed)
    pe_grid, pj_grid = np.meshgrid(movers, cols, indexing="ij")
    pe, pj = pe_grid.ravel().astype(np.int64), pj_grid.ravel().astype(np.int64)
    keep = model.option_group[pj] != model.existing_group[pe]
    pe, pj = pe[keep], pj[keep]
    modes = np.unique(model.existing_mode[movers]) if len(movers) else np.zeros(0, dtype=np.int64)
    class_of, class_mode, class_most = move_classes(model, movers)
    n_cls = len(class_mode)
    aggregate_index = np.full((max(n_cls, 1), n_o), -1, dtype=np.int64)
    agg_t_grid, agg_j_grid = np.meshgrid(np.arange(n_cls), cols, indexing="ij")
    agg_t, agg_j = agg_t_grid.ravel().astype(np.int64), agg_j_grid.ravel().astype(np.int64)
    n_agg = len(agg_t)
    aggregate_index[agg_t, agg_j] = np.arange(n_agg)
    # groups whose credit can change
    touched = np.asarray(model.new_credit[cols].sum(axis=0)).ravel() > 0
    for m in modes:
        touched |= np.asarray(model.move_share[int(m)][cols].sum(axis=0)).ravel() > 0
    if len(movers):
        touched |= np.asarray(model.existing_credit[movers].sum(axis=0)).ravel() > 0
    active = np.flatnonzero(touched & (model.group_need > 0))
    n_a = len(active)
    pos = np.full(n_g, -1, dtype=np.int64)
    pos[active] = np.arange(n_a)
    off_x = n_o
    off_m = off_x + len(pe)
    off_z = off_m + n_agg
    off_d = off_z + n_agg
    off_a = off_d + len(movers)
    off_b = off_a + n_a
    shape = _Shape(
        model=model,
        cols=cols,
        movers=movers,
        pair_team=pe,
        pair_option=pj,
        class_mode=class_mode,
        class_most=class_most,
        aggregate_index=aggregate_index,
        active=active,
        pos=pos,
        off_y=0,
        off_x=off_x,
        off_m=off_m,
        off_z=off_z,
        off_d=off_d,
        off_a=off_a,
        off_b=off_b,
        n_var=off_b + n_a,
    )
    return shape, class_of


def _variables(
    s: _Shape, *, n_new: int, allowed: BoolArray, max_per_group: int | None
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """Cost, bounds and integrality of every variable."""
    model, active = s.model, s.active
    cost = np.zeros(s.n_var)
    cost[s.off_a : s.off_b] = model.priority[active]
    cost[s.off_b :] = model.beyond_threshold_weight * model.priority[active]
    lower = np.zeros(s.n_var)
    upper = np.full(s.n_var, np.inf)
    cap_y = n_new if max_per_group is None else min(n_new, max_per_group)
    upper[s.off_y : s.off_x] = np.where(allowed, cap_y, 0)
    upper[s.off_x : s.off_m] = 1.0
    upper[s.off_d : s.off_a] = 1.0
    upper[s.off_a : s.off_b] = model.threshold[active]
    upper[s.off_b :] = model.group_need[active] - model.threshold[active]
    integer = np.zeros(s.n_var, dtype=bool)
    integer[s.off_y : s.off_m] = True
    return cost, lower, upper, integer


def _credit_terms(
    s: _Shape, groups: IntArray, rowpos: IntArray, sign: float
) -> tuple[list[Any], list[Any], list[Any]]:
    """Terms ``sign * credit change`` of the groups ``groups`` (rows ``rowpos``)."""
    model, cols = s.model, s.cols
    where = np.full(model.n_groups, -1, dtype=np.int64)
    where[groups] = rowpos
    rs, cs, vs = [], [], []
    f = model.new_credit[cols].tocoo()
    k = where[f.col] >= 0
    rs.append(where[f.col[k]])
    cs.append(s.off_y + cols[f.row[k]])
    vs.append(sign * f.data[k])
    for t in range(s.n_classes):
        sh = model.move_share[int(s.class_mode[t])][cols].tocoo()
        k = where[sh.col] >= 0
        rs.append(where[sh.col[k]])
        cs.append(s.off_m + s.aggregate_index[t, cols[sh.row[k]]])
        vs.append(sign * sh.data[k] * MOVED_CAPACITY_UNIT)
    if len(s.movers):
        lm = model.existing_credit[s.movers].tocoo()
        k = where[lm.col] >= 0
        rs.append(where[lm.col[k]])
        cs.append(s.off_d + lm.row[k])
        vs.append(-sign * lm.data[k])
    return rs, cs, vs


def _credit_rows(s: _Shape, rows: _Rows) -> None:
    """Credit rows: ``uA + uB - (credit change) <= X``."""
    n_a = len(s.active)
    rs, cs, vs = _credit_terms(s, s.active, np.arange(n_a), -1.0)
    rows.add(
        np.concatenate([np.arange(n_a), np.arange(n_a), *rs]),
        np.concatenate([s.off_a + np.arange(n_a), s.off_b + np.arange(n_a), *cs]),
        np.concatenate([np.ones(2 * n_a), *vs]),
        n_a,
        -np.inf,
        s.model.baseline_credit[s.active],
    )


def _linking_rows(s: _Shape, rows: _Rows) -> None:
    """Strong linking rows (valid for integer teams, they tighten the relaxation).

    What arrives in a group fills its room below the threshold (and below its need) at
    most by each team's own credit or the room, whichever is smaller, per team placed.
    """
    model, active, cols, pos = s.model, s.active, s.cols, s.pos
    n_a = len(active)
    x_a = np.minimum(model.baseline_credit[active], model.threshold[active])
    x_n = np.minimum(model.baseline_credit[active], model.group_need[active])
    threshold, need = model.threshold[active], model.group_need[active]
    cuts = [(x_a, threshold, [s.off_a], False), (x_n, need, [s.off_a, s.off_b], False)]
    if len(s.movers):
        # the same with what moving a team out takes from the tier (at the baseline, a
        # lower bound on the loss with other moves: the value is concave), arrivals
        # capped by the whole tier instead of the room left (moves can free room)
        cuts += [(x_a, threshold, [s.off_a], True), (x_n, need, [s.off_a, s.off_b], True)]
    for kept, cap, first, with_loss in cuts:
        room = cap if with_loss else np.maximum(cap - kept, 0.0)
        rs: list[Any] = [np.arange(n_a)] * len(first)
        cs: list[Any] = [o + np.arange(n_a) for o in first]
        vs: list[Any] = [np.ones(n_a)] * len(first)
        f = model.new_credit[cols].tocoo()
        k = pos[f.col] >= 0
        rs.append(pos[f.col[k]])
        cs.append(s.off_y + cols[f.row[k]])
        vs.append(-np.minimum(f.data[k], room[pos[f.col[k]]]))
        for t in range(s.n_classes):
            # moved teams of a class arrive with at most the class's largest capacity
            sh = model.move_share[int(s.class_mode[t])][cols].tocoo()
            k = pos[sh.col] >= 0
            rs.append(pos[sh.col[k]])
            cs.append(s.off_z + s.aggregate_index[t, cols[sh.row[k]]])
            vs.append(-np.minimum(s.class_most[t] * sh.data[k], room[pos[sh.col[k]]]))
        if with_loss:
            lm = model.existing_credit[s.movers].tocoo()
            k = pos[lm.col] >= 0
            g_at = pos[lm.col[k]]
            x_full = model.baseline_credit[active][g_at]
            loss = np.minimum(x_full, cap[g_at]) - np.minimum(
                np.maximum(x_full - lm.data[k], 0.0), cap[g_at]
            )
            rs.append(g_at)
            cs.append(s.off_d + lm.row[k])
            vs.append(loss)
        rows.add(np.concatenate(rs), np.concatenate(cs), np.concatenate(vs), n_a, -np.inf, kept)


def _count_rows(s: _Shape, rows: _Rows, *, n_new: int, relocate: int, class_of: IntArray) -> None:
    """Add the rows of the number of new teams, the move aggregates and the number of moves."""
    model, cols = s.model, s.cols
    rows.add(np.zeros(len(cols), int), s.off_y + cols, np.ones(len(cols)), 1, n_new, n_new)
    n_m = len(s.movers)
    if not n_m:
        return
    pe, pj = s.pair_team, s.pair_option
    n_agg = s.off_z - s.off_m
    a_of = s.aggregate_index[class_of[pe], pj]
    mpos = np.full(model.n_existing, -1, dtype=np.int64)
    mpos[s.movers] = np.arange(n_m)
    x_idx = s.off_x + np.arange(len(pe))
    # M = sum c_e x, Z = sum x, d = sum_j x
    rows.add(
        np.r_[np.arange(n_agg), a_of],
        np.r_[s.off_m + np.arange(n_agg), x_idx],
        np.r_[np.ones(n_agg), -model.existing_capacity[pe] / MOVED_CAPACITY_UNIT],
        n_agg,
        0.0,
        0.0,
    )
    rows.add(
        np.r_[np.arange(n_agg), a_of],
        np.r_[s.off_z + np.arange(n_agg), x_idx],
        np.r_[np.ones(n_agg), -np.ones(len(pe))],
        n_agg,
        0.0,
        0.0,
    )
    rows.add(
        np.r_[np.arange(n_m), mpos[pe]],
        np.r_[s.off_d + np.arange(n_m), x_idx],
        np.r_[np.ones(n_m), -np.ones(len(pe))],
        n_m,
        0.0,
        0.0,
    )
    rows.add(np.zeros(n_m, int), s.off_d + np.arange(n_m), np.ones(n_m), 1, -np.inf, relocate)


def _per_group_rows(s: _Shape, rows: _Rows, max_per_group: int) -> None:
    """At most ``max_per_group`` teams, new or moved, per commune."""
    cols = s.cols
    groups, inverse = np.unique(s.model.option_group[cols], return_inverse=True)
    r = [inverse]
    c = [s.off_y + cols]
    for t in range(s.n_classes):
        r.append(inverse)
        c.append(s.off_z + s.aggregate_index[t, cols])
    rows.add(
        np.concatenate(r),
        np.concatenate(c),
        np.ones(sum(len(x) for x in r)),
        len(groups),
        -np.inf,
        max_per_group,
    )


def _reach_rows(s: _Shape, rows: _Rows, must: BoolArray) -> None:
    """Every group that must be reached (and is not by the teams that stay) is reached."""
    model, cols, movers = s.model, s.cols, s.movers
    moved_hits = np.asarray(model.existing_hits[movers].sum(axis=0)).ravel() if len(movers) else 0
    fixed_hits = model.baseline_reach - moved_hits
    need_rows = np.flatnonzero(must & (fixed_hits <= 0))
    if not len(need_rows):
        return
    where = np.full(model.n_groups, -1, dtype=np.int64)
    where[need_rows] = np.arange(len(need_rows))
    rs, cs, vs = [], [], []
    h = model.new_hits[cols].tocoo()
    k = where[h.col] >= 0
    rs.append(where[h.col[k]])
    cs.append(s.off_y + cols[h.row[k]])
    vs.append(np.ones(int(k.sum())))
    for t in range(s.n_classes):
        h = model.move_hits[int(s.class_mode[t])][cols].tocoo()
        k = where[h.col] >= 0
        rs.append(where[h.col[k]])
        cs.append(s.off_z + s.aggregate_index[t, cols[h.row[k]]])
        vs.append(np.ones(int(k.sum())))
    if len(movers):
        h = model.existing_hits[movers].tocoo()
        k = where[h.col] >= 0
        rs.append(where[h.col[k]])
        cs.append(s.off_d + h.row[k])
        vs.append(-np.ones(int(k.sum())))
    rows.add(
        np.concatenate(rs),
        np.concatenate(cs),
        np.concatenate(vs),
        len(need_rows),
        1.0 - model.baseline_reach[need_rows],
        np.inf,
    )


def _min_coverage_rows(s: _Shape, rows: _Rows, min_coverage: float) -> None:
    """Every required group reaches ``min_coverage`` of its need."""
    model = s.model
    req = model.required
    rs, cs, vs = _credit_terms(s, req, np.arange(len(req)), 1.0)
    rows.add(
        np.concatenate(rs) if rs else np.zeros(0),
        np.concatenate(cs) if cs else np.zeros(0),
        np.concatenate(vs) if vs else np.zeros(0),
        len(req),
        min_coverage * model.group_need[req] - model.baseline_credit[req],
        np.inf,
    )


def formulate(
    model: CoveringModel,
    n_new: int,
    *,
    allowed: BoolArray,
    max_per_group: int | None,
    relocate: int,
    require: bool,
    keep_reached: bool,
    min_coverage: float,
) -> Formulation:
    """Build the MIP of the module docstring; the solver's objective is the value added."""
    s, class_of = _shape(model, allowed=allowed, relocate=relocate)
    cost, lower, upper, integer = _variables(
        s, n_new=n_new, allowed=allowed, max_per_group=max_per_group
    )
    rows = _Rows(s.n_var)
    _credit_rows(s, rows)
    _linking_rows(s, rows)
    _count_rows(s, rows, n_new=n_new, relocate=relocate, class_of=class_of)
    if max_per_group is not None:
        _per_group_rows(s, rows, max_per_group)
    _reach_rows(
        s, rows, must_reach(model, require=require, keep_reached=keep_reached, relocate=relocate)
    )
    if min_coverage > 0 and len(model.required):
        _min_coverage_rows(s, rows, min_coverage)
    inactive = np.setdiff1d(np.arange(model.n_groups), s.active)
    constant = float(model.group_value(model.baseline_credit[inactive], inactive).sum())
    base = model.baseline()
    layout = Layout(
        new_teams=slice(s.off_y, s.off_x),
        moves=slice(s.off_x, s.off_m),
        moved_capacity=slice(s.off_m, s.off_z),
        moved_count=slice(s.off_z, s.off_d),
        departed=slice(s.off_d, s.off_a),
        tier_a=slice(s.off_a, s.off_b),
        tier_b=slice(s.off_b, s.n_var),
        pair_team=s.pair_team,
        pair_option=s.pair_option,
        movers=s.movers,
        class_of=class_of,
        aggregate_index=s.aggregate_index,
        n_aggregates=s.off_z - s.off_m,
        active=s.active,
        solver_offset=constant - base,
        offset=base,
    )
    return Formulation(
        cost=cost,
        lower=lower,
        upper=upper,
        integer=integer,
        rows=stack_rows(rows.blocks, rows.row, s.n_var),
        row_lower=np.concatenate(rows.lo),
        row_upper=np.concatenate(rows.hi),
        layout=layout,
    )


def start_vector(
    model: CoveringModel, warm: DeploymentSolution, formulation: Formulation
) -> FloatArray:
    """Return a placement (new teams and moves) as a full MIP vector, to start HiGHS from."""
    lay = formulation.layout
    start = np.zeros(formulation.n_var)
    start[lay.new_teams] = warm.counts
    pair_e, pair_j = lay.pair_team, lay.pair_option
    x = (warm.moved_to[pair_e] == pair_j).astype(float)
    start[lay.moves] = x
    class_of_pair = lay.class_of[pair_e]
    agg = lay.aggregate_index
    if len(pair_e):
        m_val = np.bincount(
            agg[class_of_pair, pair_j],
            weights=x * model.existing_capacity[pair_e] / MOVED_CAPACITY_UNIT,
            minlength=lay.n_aggregates,
        )
        z_val = np.bincount(agg[class_of_pair, pair_j], weights=x, minlength=lay.n_aggregates)
        start[lay.moved_capacity] = m_val
        start[lay.moved_count] = z_val
        start[lay.departed] = (warm.moved_to[lay.movers] >= 0).astype(float)
    g = lay.active
    s = np.maximum(warm.credit[g], 0.0)
    ua = np.minimum(s, model.threshold[g])
    start[lay.tier_a] = ua
    start[lay.tier_b] = np.minimum(s - ua, model.group_need[g] - model.threshold[g])
    return start
