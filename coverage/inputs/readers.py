"""Read commune boundaries (vector layers) from paths or uploaded bytes.

One reader per kind of file accepts a path, raw bytes or an uploaded file object
(anything with ``.name`` and ``.getvalue()``). Each inspects the file's schema before
reading rows, and reports problems as :class:`coverage.errors.Problem` objects that
name the file, so nothing the user typed is lost when a file is refused.

Supported formats: boundaries from GeoParquet, GeoPackage, GeoJSON and zipped
Shapefile; tables from CSV (UTF-8 with or without BOM, or Windows-1258 with a warning;
``,`` ``;`` or tab separated, said when not ``,``) and Excel ``.xlsx``.

Nothing is silently misread: every zipped format (``.xlsx``, zipped Shapefile) is
checked from its zip index before anything is decompressed (total unpacked size and
compression ratio); a CSV row shifted by an unquoted decimal comma is reported as such;
a layer labelled in degrees whose coordinates cannot be degrees is refused; a
Shapefile's code page is read from its ``.cpg`` (Windows-1258 decoded here, since
GDAL's conversion drops the last character) or guessed with a warning.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from coverage.errors import InputError, Problem
from coverage.inputs.encodings import decode_text, shapefile_codepage
from coverage.inputs.sources import (
    RawFile,
    Source,
    check_zip_index,
    raw_from_source,
)
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.text.textnorm import nfc

MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
"""Largest total uncompressed size of a zipped Shapefile (checked from the zip index)."""

BOUNDARY_FORMATS = (".parquet", ".geoparquet", ".gpkg", ".geojson", ".json", ".zip")


def read_boundaries(
    source: Source, *, name: str | None = None
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read commune polygons; see :func:`read_geodata` (the rows are checked by validation)."""
    return read_geodata(source, name=name)


def read_geodata(
    source: Source, *, name: str | None = None
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read a vector layer from GeoParquet, GeoPackage, GeoJSON or a zipped Shapefile.

    The schema (columns, CRS) is inspected before rows are read. Text columns are
    converted to NFC. The CRS is kept as found; a missing CRS is an error (never assumed).

    Returns
    -------
    layer, warnings
        The layer in the file's own CRS.

    Raises
    ------
    InputError
        Unsupported format, unsafe zip, unreadable file or missing CRS.
    """
    raw = raw_from_source(source, name=name)
    suffix = raw.suffix
    if suffix not in BOUNDARY_FORMATS:
        raise InputError(
            [
                Problem(
                    "unsupported_format",
                    raw.name,
                    value=suffix or "?",
                    params={"formats": ", ".join(BOUNDARY_FORMATS)},
                )
            ]
        )
    warnings: list[Problem] = []
    if suffix in (".parquet", ".geoparquet"):
        frame = _read_geoparquet(raw)
    else:
        codepage: tuple[str | None, bool] = (None, True)
        if suffix == ".zip":
            codepage = shapefile_codepage(_check_zip(raw))
        frame = _read_ogr(raw, codec=codepage[0], declared=codepage[1])
        frame, warnings = decode_text(frame, raw.name, codec=codepage[0], declared=codepage[1])
    _check_degrees(frame, raw.name)
    for column in frame.columns:
        if column != frame.geometry.name and pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: nfc(v) if isinstance(v, str) else v)
    return frame, warnings


def _check_degrees(frame: gpd.GeoDataFrame, file: str) -> None:
    """Refuse a layer labelled in degrees whose coordinates are outside ±180/±90.

    A GeoJSON without a CRS is labelled EPSG:4326 by definition, so a file in metres
    (VN-2000 / UTM) would otherwise pass as degrees.
    """
    if frame.crs is None or not frame.crs.is_geographic or frame.empty:
        return
    xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds)
    if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))):
        return
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        extent = f"x {xmin:.0f}…{xmax:.0f}, y {ymin:.0f}…{ymax:.0f}"
        raise InputError([Problem("not_degrees", file, value=extent, params={"extent": extent})])


def _read_geoparquet(raw: RawFile) -> gpd.GeoDataFrame:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(io.BytesIO(raw.data))
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError subclasses
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": clean_reason(str(exc))})]
        ) from exc
    meta = schema.metadata or {}
    if b"geo" not in meta:
        raise InputError(
            [
                Problem(
                    "unreadable",
                    raw.name,
                    params={"reason": "Parquet without GeoParquet 'geo' metadata"},
                )
            ]
        )
    import json

    geo = json.loads(meta[b"geo"])
    primary = geo.get("primary_column", "geometry")
    column_meta = geo.get("columns", {}).get(primary, {})
    # GeoParquet: an absent "crs" key means OGC:CRS84; an explicit null means undefined.
    if "crs" in column_meta and column_meta["crs"] is None:
        raise InputError([Problem("missing_crs", raw.name)])
    return gpd.read_parquet(io.BytesIO(raw.data))


def _check_zip(raw: RawFile) -> zipfile.ZipFile:
    archive = check_zip_index(raw, limit_bytes=MAX_ZIP_UNCOMPRESSED_BYTES)
    if not any(n.lower().endswith(".shp") for n in archive.namelist()):
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": "the zip holds no .shp file"})]
        )
    return archive


def _read_ogr(raw: RawFile, *, codec: str | None = None, declared: bool = True) -> gpd.GeoDataFrame:
    # GDAL reads bytes through its in-memory file system; a zip stays zipped (/vsizip/).
    # A single-byte code page (declared or not) is read as Latin-1, which keeps every
    # byte, and decoded here (GDAL's Windows-1258 conversion drops the last character).
    as_bytes = {"encoding": "latin1"} if (codec is not None or not declared) else {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("input" + raw.suffix)
        path.write_bytes(raw.data)
        target = f"/vsizip/{path}" if raw.suffix == ".zip" else str(path)
        try:
            with warnings.catch_warnings():
                # GDAL's warnings quote the temporary path; they are not for the user.
                warnings.simplefilter("ignore", RuntimeWarning)
                info = pyogrio.read_info(target, **as_bytes)
                if not info.get("crs"):
                    raise InputError([Problem("missing_crs", raw.name)])
                frame = pyogrio.read_dataframe(target, **as_bytes)
        except InputError:
            raise
        except Exception as exc:  # pyogrio.errors.DataSourceError and friends
            reason = clean_reason(
                str(exc).replace(target, raw.name).replace(str(path), raw.name).replace(tmp, "")
            )
            raise InputError([Problem("unreadable", raw.name, params={"reason": reason})]) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError([Problem("unreadable", raw.name, params={"reason": "no geometry column"})])
    return frame


_SERVER_PATH = re.compile(r"(/vsi[a-z]+)?(/[\w.+-]+){2,}/?")


def clean_reason(text: str, *, limit: int = 160) -> str:
    """Make a library message fit for the user: no server paths, cut at a word.

    Paths on the server (a temporary folder, ``/vsizip/...``) are replaced by ``…``;
    a long message is cut at the last space before ``limit`` characters.
    """
    text = " ".join(_SERVER_PATH.sub("…", text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
