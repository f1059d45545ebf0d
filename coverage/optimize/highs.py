"""The HiGHS wrapper: pass a model, run it silently, classify the outcome honestly."""

from __future__ import annotations

import functools
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import highspy
import numpy as np
import scipy.sparse as sp

from coverage.optimize.results import PROVEN_GAP, BoolArray, FloatArray, relative_gap


@dataclass(frozen=True)
class Outcome:
    """What HiGHS ended with: the kind of answer, the solution, objective and bound."""

    kind: Literal["optimal", "time_limit", "gap_limit", "infeasible"]
    x: FloatArray | None
    objective: float
    bound: float
    runtime_s: float
    col_dual: FloatArray | None = None


def as_csr_bool(matrix: Any, shape: tuple[int, int] | None = None) -> sp.csr_matrix:
    """Return ``matrix`` as a canonical boolean CSR matrix (sorted, no explicit zeros)."""
    out = sp.csr_matrix(matrix, shape=shape, dtype=bool)
    out.eliminate_zeros()
    out.sum_duplicates()
    out.sort_indices()
    return out


_BANNER_LOCK = threading.Lock()


@functools.cache
def _silence_banner() -> bool:
    """Create the first Highs object with C-level stdout closed: HiGHS prints a banner then.

    Only the first construction in a process prints it; later ones are silent, so JSON
    written to stdout by the command line stays valid.
    """
    with _BANNER_LOCK:
        try:
            saved = os.dup(1)
        except OSError:
            highspy.Highs()  # type: ignore[no-untyped-call]
            return True
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    return True


def new_highs() -> highspy.Highs:
    """Return a silent HiGHS instance."""
    _silence_banner()
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    return h


def highs_model(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    integer: BoolArray,
    rows: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    time_limit_s: float,
    gap_tolerance: float = PROVEN_GAP,
    start: FloatArray | None = None,
    offset: float = 0.0,
    options: dict[str, Any] | None = None,
) -> highspy.Highs:
    """Return a silent HiGHS instance holding ``max cost @ x + offset``, ready to run.

    Options: the time limit, ``gap_tolerance`` as the relative MIP gap, an absolute gap of
    1e-7, random seed 0, then ``options`` (name to value). The rows are passed column-wise
    (CSC); integrality and the start ``start`` only when some variable is integer.
    """
    h = new_highs()
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    h.setOptionValue("mip_rel_gap", float(gap_tolerance))
    h.setOptionValue("mip_abs_gap", 1e-7)
    h.setOptionValue("random_seed", 0)
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
    lp = highspy.HighsLp()
    n, m = len(cost), rows.shape[0]
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.offset_ = float(offset)
    lp.sense_ = highspy.ObjSense.kMaximize
    csc = sp.csc_matrix(rows, shape=(m, n), dtype=float)
    csc.sort_indices()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    is_mip = bool(integer.any())
    if is_mip:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
            for b in integer
        ]
    h.passModel(lp)
    if is_mip and start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(start, dtype=float).tolist()
        h.setSolution(solution)
    return h


def solve_highs(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    integer: BoolArray,
    rows: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    *,
    time_limit_s: float,
    gap_tolerance: float = PROVEN_GAP,
    start: FloatArray | None = None,
    offset: float = 0.0,
    options: dict[str, Any] | None = None,
) -> Outcome:
    """Maximise ``cost @ x + offset`` with HiGHS and classify the outcome honestly.

    The model is :func:`highs_model`'s; ``options`` are extra HiGHS options (name to
    value), set after the defaults.
    """
    started = time.perf_counter()
    h = highs_model(
        cost,
        lower,
        upper,
        integer,
        rows,
        row_lower,
        row_upper,
        time_limit_s=time_limit_s,
        gap_tolerance=gap_tolerance,
        start=start,
        offset=offset,
        options=options,
    )
    is_mip = bool(integer.any())
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    runtime = time.perf_counter() - started
    has_solution = int(info.primal_solution_status) == 2
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    objective = float(info.objective_function_value) if has_solution else -math.inf
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome("infeasible", None, math.nan, math.nan, runtime)
    if not is_mip:
        if status == highspy.HighsModelStatus.kOptimal:
            dual = np.asarray(h.getSolution().col_dual, dtype=float)
            return Outcome("optimal", x, objective, objective, runtime, dual)
        if status == highspy.HighsModelStatus.kTimeLimit:
            return Outcome("time_limit", x, objective, math.inf, runtime)
        raise RuntimeError(f"HiGHS ended with {h.modelStatusToString(status)} on an LP")
    bound = float(info.mip_dual_bound)
    if status == highspy.HighsModelStatus.kOptimal:
        gap = relative_gap(objective, bound)
        kind: Literal["optimal", "gap_limit"] = "optimal" if gap <= PROVEN_GAP else "gap_limit"
        return Outcome(kind, x, objective, max(bound, objective), runtime)
    if status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
        highspy.HighsModelStatus.kIterationLimit,
        highspy.HighsModelStatus.kSolutionLimit,
    ):
        return Outcome(
            "time_limit", x, objective, bound if math.isfinite(bound) else math.inf, runtime
        )
    raise RuntimeError(f"HiGHS ended with {h.modelStatusToString(status)}")


def stack_rows(blocks: list[sp.coo_matrix], n_rows: int, n_var: int) -> sp.csr_matrix:
    """Stack row blocks (COO, absolute row numbers) into one CSR matrix."""
    r = np.concatenate([b.row for b in blocks]) if blocks else np.zeros(0, int)
    c = np.concatenate([b.col for b in blocks]) if blocks else np.zeros(0, int)
    v = np.concatenate([b.data for b in blocks]) if blocks else np.zeros(0)
    return sp.csr_matrix((v, (r, c)), shape=(n_rows, n_var))


def min_cover(matrix: sp.csr_matrix, *, time_limit_s: float) -> int:
    """Fewest columns reaching every row (a lower bound if the time limit stops it)."""
    n_rows, n_cols = matrix.shape
    if n_rows == 0:
        return 0
    out = solve_highs(
        -np.ones(n_cols),
        np.zeros(n_cols),
        np.ones(n_cols),
        np.ones(n_cols, bool),
        sp.csr_matrix(matrix, dtype=float),
        np.ones(n_rows),
        np.full(n_rows, np.inf),
        time_limit_s=time_limit_s,
    )
    if out.kind == "infeasible":
        return int(n_cols) + 1
    if not math.isfinite(out.bound):
        return 0
    return math.ceil(-float(out.bound) - 1e-6)
