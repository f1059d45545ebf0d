"""Bring the real data into the data directory and load communes for a province.

The set-up step copies the files listed in :data:`coverage.settings.SHARED_FILES` from
``../shared/data`` into ``<data>/boundaries`` (git-ignored) and writes the illustrative
indicator estimate. Everything else reads only from the data directory.

Clean commune coverage
----------------------
The upstream commune polygons are each valid, but as a *coverage* they are not: in 11
provinces some neighbours overlap (for example Lào Cai ward, Bát Xát and Cốc San share a
3.5 km2 sliver drawn in all three) or a vertex of one lies on the edge of another
without a matching vertex, so ``shapely.coverage_union_all`` (the province outline)
fails with "CoverageUnion cannot process incorrectly noded inputs". Rather than guard
every union, outline and adjacency, the coverage is cleaned **once**, when the data is
set up (:func:`clean_coverage`): ``shapely.make_valid`` then ``shapely.coverage_clean``
over all 3,321 communes together (GEOS CoverageCleaner: vertices within its automatic
snapping distance, about a millimetre, are snapped; each overlap goes to the neighbour
sharing the longest border; shared edges become identical). The cleaned copies are
written beside the inputs as ``derived_clean_<file>_<version>.parquet`` with a
``.json`` report of the change in area (git-ignored, recomputed when an input changes);
:func:`load_communes` reads only them. The change: 0.002% of the national area (the
overlaps that were counted twice), at most 3.5 km2 for one commune; figures in
``data/boundaries/README.md``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coverage import settings as cfg
from coverage.errors import InputError, Problem
from coverage.inputs.model import Province
from coverage.text.textnorm import fold

GIA_LAI_COLUMNS = (
    "code",
    "name",
    "full_name",
    "kind",
    "name_en",
    "province_code",
    "province",
    "area_km2",
    "population",
    "merged_from",
    "admin_center",
    "geometry",
)


def setup_data(settings: cfg.Settings, *, force: bool = False) -> list[Path]:
    """Copy the real data into ``<data>/boundaries`` and write the indicator estimate.

    Parameters
    ----------
    settings
        Where to copy from and to.
    force
        Copy even when the target already exists with the same size.

    Returns
    -------
    list of Path
        Files written.

    Raises
    ------
    InputError
        If the shared data folder is missing and the data directory holds no boundaries.
    """
    written: list[Path] = []
    target = settings.boundaries_dir
    target.mkdir(parents=True, exist_ok=True)
    if not settings.shared_data_dir.is_dir():
        if (target / cfg.GIA_LAI_FILE).exists():
            return written
        raise InputError([_no_boundaries_problem(settings)])
    for name in cfg.SHARED_FILES:
        src = settings.shared_data_dir / name
        dst = target / name
        if not src.exists():
            continue
        if force or not dst.exists() or dst.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, dst)
            written.append(dst)
    from coverage.analysis.flags import load_land_border, prune_stored_land_borders
    from coverage.inputs.samples import write_indicator_estimate

    for name in CLEANED_FILES:
        if (target / name).exists():
            cleaned_path(settings, name)  # clean the coverage once (about 30 s nationally)
    prune_cleaned(settings)
    if (target / cfg.NATIONAL_FILE).exists():
        province_polygons(settings)  # the 34 provinces of the national overview
    load_land_border(settings)  # derive the land border once; later runs read it from disk
    prune_stored_land_borders(settings)  # copies derived from earlier versions of the inputs

    indicators = settings.sample_indicators_path
    if force or not indicators.exists() or written:
        indicators.parent.mkdir(parents=True, exist_ok=True)
        write_indicator_estimate(load_communes(settings, province=cfg.DEFAULT_PROVINCE), indicators)
        written.append(indicators)
    return written


CLEANED_FILES = (cfg.NATIONAL_FILE, cfg.GIA_LAI_FILE)
"""Commune files whose coverage :func:`cleaned_path` cleans before anything reads them."""

CLEANING_VERSION = "coverage_clean-1"
"""Changes the derived files' names when the cleaning method changes."""

EQUAL_AREA_CRS = "EPSG:6933"
"""World cylindrical equal-area (metres), for the areas of the cleaning report."""


@dataclass(frozen=True)
class CleaningReport:
    """How much cleaning the commune coverage changed (areas in km2, EPSG:6933).

    Attributes
    ----------
    file
        The input file's name.
    communes
        Number of communes (cleaning never adds or drops one).
    changed
        Communes whose area changed by more than 0.001 km2 (1,000 m2).
    area_before_km2, area_after_km2
        Sum of the communes' areas before and after; the difference is the overlaps that
        were counted twice, less the slivers of gap that were closed.
    max_change_km2, max_change_pct, max_change_commune
        The largest change of one commune (absolute, km2 and % of its area) and its
        ``code name (province)``.
    """

    file: str
    communes: int
    changed: int
    area_before_km2: float
    area_after_km2: float
    max_change_km2: float
    max_change_pct: float
    max_change_commune: str

    def describe(self) -> str:
        """One line for the set-up log."""
        total = self.area_after_km2 - self.area_before_km2
        share = 100 * total / self.area_before_km2 if self.area_before_km2 else 0.0
        return (
            f"{self.file}: {self.communes} communes, {self.changed} changed; total area "
            f"{self.area_before_km2:,.1f} -> {self.area_after_km2:,.1f} km2 ({total:+.2f} km2, "
            f"{share:+.4f}%); largest change {self.max_change_km2:.3f} km2 "
            f"({self.max_change_pct:.2f}%) in {self.max_change_commune}"
        )


def clean_coverage(
    frame: gpd.GeoDataFrame, *, file: str = ""
) -> tuple[gpd.GeoDataFrame, CleaningReport]:
    """Make a commune coverage valid and cleanly noded (see the module docstring).

    Parameters
    ----------
    frame
        Commune polygons in EPSG:4326 with ``code``, ``name`` and ``province``; cleaned
        together, so clean a whole country at once to node the edges between provinces.
    file
        Name for the report.

    Returns
    -------
    (geopandas.GeoDataFrame, CleaningReport)
        The same rows and columns with cleaned geometry (Polygon or MultiPolygon; shared
        edges identical, no overlaps, so ``shapely.coverage_union_all`` works on any
        subset), and the change in area.
    """
    geoms = shapely.make_valid(frame.geometry.to_numpy())
    # keep the polygonal parts make_valid may put in a collection with stray lines
    parts = [
        shapely.union_all([p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)])
        if shapely.get_type_id(g) == 7
        else g
        for g in geoms
    ]
    # types-shapely 2.1 predates coverage_clean (shapely 2.2)
    cleaned = shapely.coverage_clean(np.asarray(parts, dtype=object))  # type: ignore[attr-defined]
    out = frame.copy()
    out["geometry"] = gpd.GeoSeries(cleaned, index=frame.index, crs=frame.crs)
    before = frame.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    after = out.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    change = np.abs(after - before)
    worst = int(np.argmax(change)) if len(change) else 0
    row = frame.iloc[worst] if len(frame) else None
    report = CleaningReport(
        file=file,
        communes=len(frame),
        changed=int((change > 1e-3).sum()),
        area_before_km2=round(float(before.sum()), 3),
        area_after_km2=round(float(after.sum()), 3),
        max_change_km2=round(float(change[worst]), 3) if len(change) else 0.0,
        max_change_pct=round(float(100 * change[worst] / max(before[worst], 1e-9)), 3)
        if len(change)
        else 0.0,
        max_change_commune=(
            f"{row['code']} {row['name']} ({row['province']})" if row is not None else ""
        ),
    )
    return out, report


def cleaned_path(settings: cfg.Settings, name: str) -> Path:
    """Path of the cleaned copy of commune file ``name``, cleaning it if not done yet.

    The copy sits beside the real input (so data folders that link to the same input
    share it), named after the input's path, time and size; its report is the ``.json``
    of the same name (:func:`cleaning_report`).

    Raises
    ------
    InputError
        If the input is not in the data directory.
    """
    source = _require(settings, name)
    stored = _cleaned_name(source)
    if not stored.exists():
        frame = gpd.read_parquet(source)
        cleaned, report = clean_coverage(frame, file=name)
        try:
            _write_cleaned(cleaned, report, stored)
        except OSError:  # a read-only data directory: keep the copy in the temporary folder
            stored = Path(tempfile.gettempdir()) / "coverage-derived" / stored.name
            stored.parent.mkdir(parents=True, exist_ok=True)
            _write_cleaned(cleaned, report, stored)
    return stored


def _write_cleaned(cleaned: gpd.GeoDataFrame, report: CleaningReport, stored: Path) -> None:
    partial = stored.with_suffix(f".{os.getpid()}.tmp")
    try:
        cleaned.to_parquet(partial, row_group_size=256)
        stored.with_suffix(".json").write_text(
            json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        os.replace(partial, stored)
    finally:
        partial.unlink(missing_ok=True)


def province_polygons(settings: cfg.Settings) -> gpd.GeoDataFrame:
    """Return the 34 provinces as the outlines of their cleaned communes (EPSG:4326).

    Each is :func:`coverage.analysis.geo.province_outline` of the province's communes in the
    cleaned national file, so together they are a clean coverage too (unlike the
    provinces file shipped with the data, dissolved from the uncleaned communes). Made
    once and stored beside the cleaned communes (``derived_clean_provinces_<version>``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``code`` (province code), ``name``, ``geometry``, ordered by code.
    """
    from coverage.analysis.geo import province_outline

    communes_path = cleaned_path(settings, cfg.NATIONAL_FILE)
    stored = communes_path.with_name(
        communes_path.name.replace("derived_clean_", "derived_clean_provinces_", 1)
    )
    if not stored.exists():
        communes = gpd.read_parquet(
            communes_path, columns=["province_code", "province", "geometry"]
        )
        rows = [
            (str(code), str(group["province"].iloc[0]), province_outline(group.geometry.to_numpy()))
            for code, group in communes.groupby("province_code", sort=True)
        ]
        frame = gpd.GeoDataFrame(
            {"code": [r[0] for r in rows], "name": [r[1] for r in rows]},
            geometry=[r[2] for r in rows],
            crs=communes.crs,
        )
        partial = stored.with_suffix(f".{os.getpid()}.tmp")
        try:
            frame.to_parquet(partial)
            os.replace(partial, stored)
        except OSError:
            partial.unlink(missing_ok=True)
            return frame
    return gpd.read_parquet(stored)


def _cleaned_name(source: Path) -> Path:
    real = source.resolve()
    stat = real.stat()
    digest = hashlib.sha1(
        repr((str(real), stat.st_mtime_ns, stat.st_size, CLEANING_VERSION)).encode()
    )
    return real.parent / f"derived_clean_{real.stem}_{digest.hexdigest()[:12]}.parquet"


def cleaning_report(settings: cfg.Settings, name: str) -> CleaningReport:
    """Return the change in area made by cleaning commune file ``name`` (cleans it if needed)."""
    path = cleaned_path(settings, name).with_suffix(".json")
    return CleaningReport(**json.loads(path.read_text(encoding="utf-8")))


def prune_cleaned(settings: cfg.Settings) -> list[Path]:
    """Delete cleaned copies (and reports) of earlier input versions; return them."""
    keep: set[str] = set()
    for name in CLEANED_FILES:
        if (settings.boundaries_dir / name).exists():
            stem = _cleaned_name(settings.boundaries_dir / name).stem
            keep |= {stem, stem.replace("derived_clean_", "derived_clean_provinces_", 1)}
    stale = [
        p
        for p in settings.boundaries_dir.resolve().glob("derived_clean_*")
        if p.stem not in keep and p.suffix in (".parquet", ".json")
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _no_boundaries_problem(settings: cfg.Settings) -> Problem:
    looked = f"{settings.boundaries_dir}, {settings.shared_data_dir}"
    return Problem(
        "no_boundaries", str(settings.boundaries_dir / cfg.GIA_LAI_FILE), params={"looked": looked}
    )


def _require(settings: cfg.Settings, name: str) -> Path:
    path = settings.boundaries_dir / name
    if not path.exists():
        raise InputError([_no_boundaries_problem(settings)])
    return path


def list_provinces(settings: cfg.Settings) -> list[Province]:
    """Return the 34 provinces of the national file, ordered by code."""
    path = _require(settings, cfg.PROVINCES_FILE)
    frame = pd.read_parquet(path, columns=["province_code", "province"])
    return [
        Province(str(c), str(n))
        for c, n in frame.sort_values("province_code").itertuples(index=False)
    ]


def resolve_province(settings: cfg.Settings, province: str) -> Province:
    """Find a province by code or by name, with or without diacritics.

    Raises
    ------
    InputError
        If nothing matches; the fix names the closest province.
    """
    provinces = list_provinces(settings)
    key = fold(province)
    for p in provinces:
        if key in (fold(p.code), fold(p.name), fold(p.code).lstrip("0")):
            return p
    import difflib

    close = difflib.get_close_matches(key, [fold(p.name) for p in provinces], n=1)
    hint = next((p.name for p in provinces if close and fold(p.name) == close[0]), None)
    raise InputError(
        [
            Problem(
                "unknown_province",
                "--province",
                value=province,
                params={
                    "suggestion_vi": f" (có phải '{hint}'?)" if hint else "",
                    "suggestion_en": f" (did you mean '{hint}'?)" if hint else "",
                },
            )
        ]
    )


def load_communes(
    settings: cfg.Settings, *, province: str | None = cfg.DEFAULT_PROVINCE
) -> gpd.GeoDataFrame:
    """Load commune polygons for one province, or all 3,321 when ``province`` is None.

    Gia Lai comes from the full-resolution file; other provinces and the whole country
    from the simplified national file (shared edges kept shared). Both are read from
    their cleaned copies (:func:`cleaned_path`), so the communes of any province form a
    valid coverage: :func:`coverage.analysis.geo.province_outline` and adjacency work on them.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per commune, with ``code``, ``name``, ``full_name``, ``kind``,
        ``province_code``, ``province``, ``area_km2``, ``population`` (int),
        ``population_source`` (see :func:`fill_missing_population`), ``merged_from`` and
        ``geometry``.
    """
    if province is not None:
        resolved = resolve_province(settings, province)
        if (
            resolved.code == cfg.DEFAULT_PROVINCE_CODE
            and (settings.boundaries_dir / cfg.GIA_LAI_FILE).exists()
        ):
            frame = gpd.read_parquet(cleaned_path(settings, cfg.GIA_LAI_FILE))
        else:
            frame = gpd.read_parquet(
                cleaned_path(settings, cfg.NATIONAL_FILE),
                filters=[("province_code", "==", resolved.code)],
            )
    else:
        frame = gpd.read_parquet(cleaned_path(settings, cfg.NATIONAL_FILE))
    keep = [c for c in (*GIA_LAI_COLUMNS, "label_lon", "label_lat") if c in frame.columns]
    frame = fill_missing_population(settings, frame[keep].copy())
    for col in ("merged_from", "admin_center", "full_name", "name_en"):
        if col in frame.columns:
            frame[col] = frame[col].fillna("").astype(str)
    return frame.sort_values("code").reset_index(drop=True)


def load_national_communes(settings: cfg.Settings) -> gpd.GeoDataFrame:
    """Load all 3,321 communes (simplified geometry), EPSG:4326."""
    return load_communes(settings, province=None)


def load_border_lines(settings: cfg.Settings) -> gpd.GeoDataFrame:
    """Load the Natural Earth land-border lines (display and coast/land test only)."""
    return gpd.read_file(_require(settings, cfg.BORDER_LINES_FILE))


def load_countries(settings: cfg.Settings) -> gpd.GeoDataFrame:
    """Load the coarse Natural Earth polygons of Vietnam, Cambodia and Laos."""
    return gpd.read_file(_require(settings, cfg.COUNTRIES_FILE))


def load_commune_table(settings: cfg.Settings) -> pd.DataFrame:
    """All 3,321 communes without geometry: ``code``, ``name``, ``province``, ``population``.

    For look-ups that need no polygons (the old-commune crosswalk); reads four columns, and
    the polygons of the communes whose population is missing, to estimate it as
    :func:`load_communes` does (``population_source`` says which).
    """
    path = _require(settings, cfg.NATIONAL_FILE)
    frame = pd.read_parquet(path, columns=["code", "name", "province", "population"])
    missing = frame.loc[frame["population"].isna(), "code"].astype(str).tolist()
    if missing:
        shapes = gpd.read_parquet(
            cleaned_path(settings, cfg.NATIONAL_FILE),
            columns=["code", "geometry"],
            filters=[("code", "in", missing)],
        )
        frame = frame.merge(shapes, on="code", how="left")
    frame = fill_missing_population(settings, frame)
    return (
        frame.drop(columns="geometry", errors="ignore").sort_values("code").reset_index(drop=True)
    )


POPULATION_SOURCES = ("official", "worldpop_estimate", "missing")
"""Values of ``population_source``: the data's own figure; the WorldPop 2020 people living
inside the commune (the data has no figure); no figure at all (population 0)."""


def fill_missing_population(settings: cfg.Settings, frame: pd.DataFrame) -> pd.DataFrame:
    """Fill the communes the data gives no population, and say where each figure comes from.

    Two communes of the national file have none (06994 Vân Đồn, 20333 Hoàng Sa; see
    ``PROVENANCE.md``). Counting them as 0 residents would show them fully served. Where
    the population raster (WorldPop 2020, set up beside the communes) has cells whose
    centre lies in the commune, their sum is the estimate (``"worldpop_estimate"``:
    Vân Đồn, about 28,500; WorldPop counts fewer people than the commune data in most
    places); where it has none (Hoàng Sa lies beyond the raster) the population stays 0,
    ``"missing"``, and the screens say it is not known.

    Parameters
    ----------
    frame
        Communes with ``code``, ``population`` (NA where missing) and, for the estimate,
        ``geometry`` (EPSG:4326).

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``population`` as int64 and a ``population_source`` column.
    """
    population = pd.to_numeric(frame["population"], errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(population)
    source = np.where(missing, "missing", "official").astype(object)
    raster = settings.population_raster_path
    if missing.any() and "geometry" in frame.columns and raster.exists():
        stat = raster.stat()
        for i in np.flatnonzero(missing):
            geom = frame["geometry"].iloc[i]
            if geom is None or shapely.is_empty(geom):
                continue
            estimate = _raster_population(
                str(raster), stat.st_mtime_ns, stat.st_size, shapely.to_wkb(geom)
            )
            if estimate is not None:
                population[i] = estimate
                source[i] = "worldpop_estimate"
    frame["population"] = np.nan_to_num(population, nan=0.0).astype("int64")
    frame["population_source"] = source
    return frame


@functools.lru_cache(maxsize=64)
def _raster_population(raster: str, mtime_ns: int, size: int, wkb: bytes) -> int | None:
    """People of the raster cells whose centre lies in the polygon, or ``None`` if no cell."""
    from coverage.inputs.population import assign_cells, read_population_raster

    geom = shapely.from_wkb(wkb)
    try:
        cells = read_population_raster(Path(raster), bounds=tuple(shapely.bounds(geom)))
    except InputError:  # the raster does not reach the commune
        return None
    found = assign_cells(np.array([geom], dtype=object), cells).assignment
    if found is None or len(found.row) == 0:
        return None
    return round(float(np.nansum(cells.value[found.row, found.col])))
