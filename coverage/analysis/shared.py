"""Analyses shared by every session of one server, computed once per input revision.

Several planners open the app at once (a coordination meeting): the analysis of a
province with a given roster, indicator revision and parameters is the same for all of
them, so it is computed once per process and handed to each caller as a copy-on-write
view (:func:`shared_analysis`). A caller that changes its view (adds a column, assigns a
value) changes its own copy only: pandas copies a shared block on the first write
(copy-on-write is always on from pandas 3), and the reach matrix's arrays are read-only,
so a write to them raises instead of reaching another session.

The key names everything the result depends on (data folder, province, a digest of the
roster's content, the indicator revision, the parameters). A saved roster edit has
another digest and so another entry; an edit not saved yet is analysed under its own
digest and seen only by whoever holds that roster.

Also :func:`release_unused_memory`, which hands memory freed after a large load back to
the system (the server stays under its memory budget with many sessions).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace

from scipy import sparse

from coverage.analysis.analyze import AnalysisResult
from coverage.analysis.reach import ReachMatrix

MAX_ANALYSES = 24
"""Analyses kept per process (least recently used dropped first); about 5 MB each for a province."""


class _Shared:
    """A small least-recently-used store computed once per key, even when asked at once."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._values: OrderedDict[Hashable, AnalysisResult] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], AnalysisResult]) -> AnalysisResult:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:  # a second caller with the same key waits for the first one's result
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self._max:
                    self._values.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


_ANALYSES = _Shared(MAX_ANALYSES)


def _frozen_matrix(matrix: sparse.csr_array) -> sparse.csr_array:
    for array in (matrix.data, matrix.indices, matrix.indptr):
        array.setflags(write=False)
    return matrix


def _freeze(result: AnalysisResult) -> AnalysisResult:
    """Return the result to store: its sparse reach arrays made read-only."""
    reach = ReachMatrix(cost=_frozen_matrix(result.reach.cost), unit=result.reach.unit)
    return replace(result, reach=reach)


def view(result: AnalysisResult) -> AnalysisResult:
    """Return a copy-on-write view of a shared result: new frame objects over the same data.

    Writing to a view's frames copies the written block first (pandas copy-on-write);
    the shared result is never changed.
    """
    return replace(
        result,
        communes=result.communes.copy(deep=False),
        teams=result.teams.copy(deep=False),
        demand=result.demand.copy(deep=False),
    )


def shared_analysis(key: Hashable, compute: Callable[[], AnalysisResult]) -> AnalysisResult:
    """Return the analysis stored under ``key``, computed by ``compute`` the first time only.

    ``key`` must name everything the analysis depends on. Returns a copy-on-write view
    (:func:`view`), so callers may treat it as their own.
    """
    return view(_ANALYSES.get(key, lambda: _freeze(compute())))


def shared_count() -> int:
    """How many analyses are stored (for tests and benchmarks)."""
    return len(_ANALYSES)


def clear_shared() -> None:
    """Forget every stored analysis (tests; a data folder replaced under a running server)."""
    _ANALYSES.clear()


def release_unused_memory() -> None:
    """Give memory freed after a large load back to the system (Arrow's pool, then malloc's)."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    name = ctypes.util.find_library("c")
    if name:
        libc = ctypes.CDLL(name)
        trim = getattr(libc, "malloc_trim", None)
        if trim is not None:  # glibc only
            trim(0)
