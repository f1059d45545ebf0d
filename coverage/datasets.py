"""Bring the real data into the data directory and load communes for a province.

The set-up step copies the files listed in :data:`coverage.settings.SHARED_FILES` from
``../shared/data`` into ``<data>/boundaries`` (git-ignored) and writes the illustrative
indicator estimate. Everything else reads only from the data directory.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from coverage import settings as cfg
from coverage.errors import InputError, Problem
from coverage.textnorm import fold

GIA_LAI_COLUMNS = (
    "code", "name", "full_name", "kind", "name_en", "province_code", "province", "area_km2",
    "population", "merged_from", "admin_center", "geometry",
)


@dataclass(frozen=True)
class Province:
    """A province of the national file: its code and name."""

    code: str
    name: str


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
    from coverage.flags import load_land_border, prune_stored_land_borders
    from coverage.samples import write_indicator_estimate

    load_land_border(settings)  # derive the land border once; later runs read it from disk
    prune_stored_land_borders(settings)  # copies derived from earlier versions of the inputs

    indicators = settings.sample_indicators_path
    if force or not indicators.exists() or written:
        indicators.parent.mkdir(parents=True, exist_ok=True)
        write_indicator_estimate(load_communes(settings, province=cfg.DEFAULT_PROVINCE), indicators)
        written.append(indicators)
    return written


def _no_boundaries_problem(settings: cfg.Settings) -> Problem:
    looked = f"{settings.boundaries_dir}, {settings.shared_data_dir}"
    return Problem("no_boundaries", str(settings.boundaries_dir / cfg.GIA_LAI_FILE),
                   params={"looked": looked})


def _require(settings: cfg.Settings, name: str) -> Path:
    path = settings.boundaries_dir / name
    if not path.exists():
        raise InputError([_no_boundaries_problem(settings)])
    return path


def list_provinces(settings: cfg.Settings) -> list[Province]:
    """Return the 34 provinces of the national file, ordered by code."""
    path = _require(settings, cfg.PROVINCES_FILE)
    frame = pd.read_parquet(path, columns=["province_code", "province"])
    return [Province(str(c), str(n)) for c, n in frame.sort_values("province_code").itertuples(index=False)]


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
    raise InputError([
        Problem("unknown_province", "--province", value=province, params={
            "suggestion_vi": f" (có phải '{hint}'?)" if hint else "",
            "suggestion_en": f" (did you mean '{hint}'?)" if hint else "",
        })
    ])


def load_communes(settings: cfg.Settings, *, province: str | None = cfg.DEFAULT_PROVINCE) -> gpd.GeoDataFrame:
    """Load commune polygons for one province, or all 3,321 when ``province`` is None.

    Gia Lai comes from the full-resolution file; other provinces and the whole country
    from the simplified national file (shared edges kept shared).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per commune, with ``code``, ``name``, ``full_name``, ``kind``,
        ``province_code``, ``province``, ``area_km2``, ``population`` (int, missing as 0),
        ``merged_from`` and ``geometry``.
    """
    if province is not None:
        resolved = resolve_province(settings, province)
        if resolved.code == cfg.DEFAULT_PROVINCE_CODE and (settings.boundaries_dir / cfg.GIA_LAI_FILE).exists():
            frame = gpd.read_parquet(settings.boundaries_dir / cfg.GIA_LAI_FILE)
        else:
            frame = gpd.read_parquet(
                _require(settings, cfg.NATIONAL_FILE),
                filters=[("province_code", "==", resolved.code)],
            )
    else:
        frame = gpd.read_parquet(_require(settings, cfg.NATIONAL_FILE))
    keep = [c for c in (*GIA_LAI_COLUMNS, "label_lon", "label_lat") if c in frame.columns]
    frame = frame[keep].copy()
    frame["population"] = frame["population"].fillna(0).astype("int64")
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

    For look-ups that need no polygons (the old-commune crosswalk); reads four columns.
    """
    frame = pd.read_parquet(
        _require(settings, cfg.NATIONAL_FILE), columns=["code", "name", "province", "population"]
    )
    frame["population"] = frame["population"].fillna(0).astype("int64")
    return frame.sort_values("code").reset_index(drop=True)
