"""Where people live: a population raster turned into weighted demand points.

The commune table says *how many* people live in a commune; a population raster (WorldPop
2020, ~1 km cells) says *where* inside it they live. Each raster cell whose centre falls
in a commune becomes a demand point weighted by its share of the commune's raster
population, so the points of a commune always carry exactly its official population
(dasymetric weights). Forest and mountain cells carry little or nothing; villages and
towns carry most of it.

Rules
-----
- A cell belongs to the commune that contains its centre; cells whose centre falls in no
  commune (the sea along the coast, the neighbouring country) are dropped.
- A commune with no cell centre inside (a tiny urban ward, an islet) gets its nearest
  cell, at that cell's centre, with all its population. When that cell is more than
  ``NEAREST_CELL_MAX_KM`` from the commune (an island beyond the raster's edge, such as
  Trường Sa or Hoàng Sa, whose nearest cell is on the mainland 200 km away), the raster
  says nothing about it: the commune gets its representative point (inside it) instead,
  as in the grid fallback.
- Empty cells (zero population) are not points: nobody lives there. A commune whose
  cells are all empty spreads its population equally over its cells.
- A commune with more than ``max_points`` cells has neighbouring cells merged into square
  blocks (weights summed, the point at the population-weighted centre) until it has at
  most ``max_points``.
- Cells holding nodata (or a negative or non-finite value) are holes: never points.

The raster is read with rasterio (any CRS with a definition, any resolution); its cell
centres are moved to EPSG:4326 with pyproj. A raster without a CRS is refused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyproj
import shapely
from affine import Affine
from scipy.spatial import cKDTree

import coverage.text.population  # noqa: F401  (registers the messages)
from coverage.analysis.geo import WGS84, FloatArray, Projection
from coverage.analysis.reach import DemandPoints
from coverage.errors import InputError, Problem

IntArray = npt.NDArray[np.int64]

WORLDPOP_ATTRIBUTION = "WorldPop (www.worldpop.org), 2020, CC BY 4.0"
"""Attribution required wherever the WorldPop raster is used (CC BY 4.0)."""

NEAREST_CELL_MAX_KM = 5.0
"""Farthest a commune's nearest cell may lie (km) before its own point is used instead.

Cells are about 1 km, so the nearest cell of a commune the raster covers lies within a
kilometre or two of it; farther means the raster does not cover the commune."""


@dataclass(frozen=True)
class CellAssignment:
    """The cells of a raster window that lie in communes, and which commune holds each.

    Attributes
    ----------
    codes
        Codes of the communes, in the table order the assignment was made for.
    row, col
        Cell positions in the window.
    commune_index
        Row position (0-based) of the commune holding each cell's centre.
    """

    codes: tuple[str, ...]
    row: IntArray
    col: IntArray
    commune_index: IntArray


@dataclass(frozen=True)
class PopulationCells:
    """A window of a population raster: persons per cell, with the grid's georeference.

    Attributes
    ----------
    value
        Shape ``(rows, cols)``: persons per cell; NaN where the raster holds nodata or
        a negative or non-finite value (holes).
    transform
        Affine transform of the window (cell corner coordinates in ``crs``).
    crs
        The raster's CRS.
    file
        The raster's file name, for labels.
    attribution
        The credit line to print wherever the cells are used.
    assignment
        Which commune holds each cell's centre, for the communes it was made for
        (:func:`assign_cells`); ``None`` until assigned.
    """

    value: FloatArray
    transform: Affine
    crs: pyproj.CRS
    file: str
    attribution: str = WORLDPOP_ATTRIBUTION
    assignment: CellAssignment | None = None

    def __len__(self) -> int:
        return int(np.isfinite(self.value).sum())

    @property
    def shape(self) -> tuple[int, int]:
        """(Rows, columns) of the raster window."""
        return (int(self.value.shape[0]), int(self.value.shape[1]))


def read_population_raster(
    path: Path, *, bounds: tuple[float, float, float, float] | None = None
) -> PopulationCells:
    """Read a population raster, or the window of it that covers ``bounds``.

    Parameters
    ----------
    path
        A single-band raster (GeoTIFF) of persons per cell, with a CRS.
    bounds
        ``(west, south, east, north)`` in degrees (EPSG:4326); ``None`` reads it whole.

    Raises
    ------
    InputError
        The file cannot be read, has no CRS, or holds no usable cell over ``bounds``.
    """
    import rasterio
    from rasterio.windows import Window, from_bounds

    name = path.name
    try:
        with rasterio.open(path) as source:
            if source.crs is None:
                raise InputError([Problem("population.no_crs", name)])
            crs = pyproj.CRS.from_user_input(source.crs.to_wkt())
            window = Window(0, 0, source.width, source.height)
            if bounds is not None:
                west, south, east, north = bounds
                if not crs.equals(WGS84):
                    west, south, east, north = pyproj.Transformer.from_crs(
                        WGS84, crs, always_xy=True
                    ).transform_bounds(west, south, east, north)
                exact = from_bounds(west, south, east, north, transform=source.transform)
                col0, row0 = math.floor(exact.col_off), math.floor(exact.row_off)
                window = Window(
                    col0,
                    row0,
                    math.ceil(exact.col_off + exact.width) - col0,
                    math.ceil(exact.row_off + exact.height) - row0,
                ).intersection(Window(0, 0, source.width, source.height))
            band = source.read(1, window=window, masked=True)
            transform = source.window_transform(window)
    except rasterio.errors.WindowError as exc:
        raise InputError([Problem("population.empty", name)]) from exc
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(
            [Problem("population.unreadable", name, params={"reason": type(exc).__name__})]
        ) from exc
    value = np.ma.filled(band.astype(float), np.nan)
    value[~np.isfinite(value) | (value < 0)] = np.nan
    if not np.isfinite(value).any():
        raise InputError([Problem("population.empty", name)])
    return PopulationCells(value=value, transform=transform, crs=crs, file=name)


def demand_points_from_cells(
    polygons: npt.NDArray[np.object_],
    cells: PopulationCells,
    *,
    projection: Projection,
    codes: Sequence[str] | None = None,
    max_points_per_commune: int = 150,
) -> DemandPoints:
    """Turn raster cells into demand points weighted by where people live.

    Parameters
    ----------
    polygons
        Commune polygons in EPSG:4326, in table order.
    cells
        Population raster window over the communes; its :class:`CellAssignment` is
        used when it was made for these ``codes``, otherwise cells are assigned here.
    codes
        The communes' codes, in table order (to recognise a stored assignment).
    projection
        Transform from EPSG:4326 to the analysis CRS (metres).
    max_points_per_commune
        Upper bound on points per commune; more cells are merged into square blocks.

    Returns
    -------
    DemandPoints
        Ordered by commune; each commune's weights sum to 1 (see the module rules).
    """
    geoms = np.asarray(polygons, dtype=object)
    n = geoms.shape[0]
    assignment = cells.assignment
    if (
        assignment is None
        or (codes is not None and assignment.codes != tuple(codes))
        or len(assignment.codes) != n
    ):
        assignment = assign_cells(geoms, cells, codes=codes).assignment
        assert assignment is not None
    rows, cols = assignment.row, assignment.col
    owner = assignment.commune_index
    value = cells.value[rows, cols]
    # Points where people live: empty cells only where a commune has no populated cell.
    populated = value > 0
    keep = populated | (np.bincount(owner, weights=populated, minlength=n) == 0)[owner]
    rows, cols, owner, value = rows[keep], cols[keep], owner[keep], value[keep]

    lonlat = _cell_centres_degrees(cells, rows, cols)
    empty = np.flatnonzero(np.bincount(owner, minlength=n) == 0)
    if empty.size:
        reps = shapely.get_coordinates(shapely.point_on_surface(geoms[empty]))
        near_rows, near_cols, near_lonlat = _nearest_cells(
            cells, reps, projection=projection, max_km=NEAREST_CELL_MAX_KM
        )
        owner = np.concatenate([owner, empty.astype(np.int64)])
        rows = np.concatenate([rows, near_rows])
        cols = np.concatenate([cols, near_cols])
        lonlat = np.concatenate([lonlat, near_lonlat])
        value = np.concatenate([value, np.ones(empty.size)])  # all of the commune's people

    owner, lonlat, value = _merge_blocks(
        owner,
        lonlat,
        value,
        rows.astype(np.int64),
        cols.astype(np.int64),
        n=n,
        max_points=max_points_per_commune,
    )
    xy = projection.to_metres(lonlat[:, 0], lonlat[:, 1])
    total = np.bincount(owner, weights=value, minlength=n)
    count = np.bincount(owner, minlength=n).astype(float)
    has = total[owner] > 0
    weight = np.where(has, value / np.where(has, total[owner], 1.0), 1.0 / count[owner])
    return DemandPoints(xy_m=xy, commune_index=owner, weight=weight)


def assign_cells(
    polygons: npt.NDArray[np.object_],
    cells: PopulationCells,
    *,
    codes: Sequence[str] | None = None,
) -> PopulationCells:
    """Return ``cells`` with the commune holding each cell's centre (cells with a value).

    Each polygon (EPSG:4326) tests the cell centres inside its bounding box with a
    prepared point-in-polygon test; a centre on a shared edge goes to the later commune.
    This is the costly step (about 0.5 s for the 3,321 communes), so it runs once when
    the inputs are loaded and the analysis reuses it.
    """
    geoms = np.asarray(polygons, dtype=object)
    if not cells.crs.equals(WGS84):
        to_raster = pyproj.Transformer.from_crs(WGS84, cells.crs, always_xy=True)
        geoms = shapely.transform(
            geoms, lambda xy: np.column_stack(to_raster.transform(xy[:, 0], xy[:, 1]))
        )
    n_rows, n_cols = cells.shape
    owner_grid = np.full(cells.shape, -1, dtype=np.int64)
    bounds = shapely.bounds(geoms)
    inverse = ~cells.transform
    col_a, row_a = _apply(inverse, bounds[:, 0], bounds[:, 3])
    col_b, row_b = _apply(inverse, bounds[:, 2], bounds[:, 1])
    col0 = np.clip(np.floor(np.minimum(col_a, col_b)), 0, n_cols).astype(np.int64)
    col1 = np.clip(np.ceil(np.maximum(col_a, col_b)), 0, n_cols).astype(np.int64)
    row0 = np.clip(np.floor(np.minimum(row_a, row_b)), 0, n_rows).astype(np.int64)
    row1 = np.clip(np.ceil(np.maximum(row_a, row_b)), 0, n_rows).astype(np.int64)
    shapely.prepare(geoms)
    for i, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom) or row0[i] >= row1[i] or col0[i] >= col1[i]:
            continue
        rr, cc = np.mgrid[row0[i] : row1[i], col0[i] : col1[i]]
        rr, cc = rr.ravel(), cc.ravel()
        x, y = _apply(cells.transform, cc + 0.5, rr + 0.5)
        inside = shapely.contains_xy(geom, x, y)
        owner_grid[rr[inside], cc[inside]] = i
    rows, cols = np.nonzero((owner_grid >= 0) & np.isfinite(cells.value))
    assigned = CellAssignment(
        codes=tuple(str(c) for c in codes)
        if codes is not None
        else tuple(map(str, range(len(geoms)))),
        row=rows.astype(np.int64),
        col=cols.astype(np.int64),
        commune_index=owner_grid[rows, cols],
    )
    return replace(cells, assignment=assigned)


def _nearest_cells(
    cells: PopulationCells, reps: FloatArray, *, projection: Projection, max_km: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """Return the nearest cell with a value to each point (rows, cols, lon/lat of the point).

    The lon/lat is the cell's centre, or the point itself where the nearest cell lies more
    than ``max_km`` away (or the window has no cell with a value): the raster does not
    cover that commune. The nearest cell is picked on a local equirectangular plane (cells
    are ~1 km: exact enough); its distance is measured in the analysis CRS.
    """
    all_rows, all_cols = np.nonzero(np.isfinite(cells.value))
    if all_rows.size == 0:
        zeros = np.zeros(reps.shape[0], dtype=np.int64)
        return zeros, zeros, np.asarray(reps, dtype=float)
    all_lonlat = _cell_centres_degrees(cells, all_rows, all_cols)
    scale = np.array([np.cos(np.radians(np.mean(reps[:, 1]))), 1.0])
    _, found = cKDTree(all_lonlat * scale).query(reps * scale)
    nearest = np.asarray(found, dtype=np.int64)
    centres = all_lonlat[nearest]
    gap_m = np.hypot(
        *(
            projection.to_metres(centres[:, 0], centres[:, 1])
            - projection.to_metres(reps[:, 0], reps[:, 1])
        ).T
    )
    far = gap_m > max_km * 1000.0
    lonlat = np.where(far[:, None], reps, centres)
    return all_rows[nearest].astype(np.int64), all_cols[nearest].astype(np.int64), lonlat


def _apply(transform: Affine, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Apply an affine transform to arrays (``x' = a x + b y + c``, ``y' = d x + e y + f``)."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return (
        transform.a * xa + transform.b * ya + transform.c,
        transform.d * xa + transform.e * ya + transform.f,
    )


def _cell_centres_degrees(cells: PopulationCells, rows: IntArray, cols: IntArray) -> FloatArray:
    """Centres of the given cells as ``(n, 2)`` lon, lat (EPSG:4326)."""
    x, y = _apply(cells.transform, cols + 0.5, rows + 0.5)
    if not cells.crs.equals(WGS84):
        x, y = pyproj.Transformer.from_crs(cells.crs, WGS84, always_xy=True).transform(x, y)
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


def _merge_blocks(
    owner: IntArray,
    xy: FloatArray,
    value: FloatArray,
    row: IntArray,
    col: IntArray,
    *,
    n: int,
    max_points: int,
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Merge cells into s x s blocks in communes with more than ``max_points`` cells.

    ``s`` starts at ``ceil(sqrt(cells / max_points))`` and grows until the commune has at
    most ``max_points`` blocks. A block's point is the population-weighted centre of its
    cells (their plain centre when all are empty); its value is their sum.
    """
    count = np.bincount(owner, minlength=n)
    size = np.where(count > max_points, np.ceil(np.sqrt(count / max(max_points, 1))), 1).astype(
        np.int64
    )
    span = int(max(row.max(initial=0), col.max(initial=0))) + 1
    while True:
        # one int64 key per (commune, block row, block column): a 1-D unique is fast
        keys = (owner * span + row // size[owner]) * span + col // size[owner]
        unique, group = np.unique(keys, return_inverse=True)
        blocks = np.bincount(unique // (span * span), minlength=n)
        over = blocks > max_points
        if not over.any():
            break
        size[over] += 1
    group = group.ravel()
    groups = unique.shape[0]
    total = np.bincount(group, weights=value, minlength=groups)
    members = np.bincount(group, minlength=groups).astype(float)
    has = total > 0
    w = np.where(has[group], value, 1.0)
    denom = np.where(has, total, members)
    out = np.column_stack(
        [
            np.bincount(group, weights=w * xy[:, 0], minlength=groups) / denom,
            np.bincount(group, weights=w * xy[:, 1], minlength=groups) / denom,
        ]
    )
    return (unique // (span * span)).astype(np.int64), out, total.astype(float)
