"""Read commune boundaries and tables from paths or uploaded bytes.

One reader per kind of file accepts a path, raw bytes or an uploaded file object
(anything with ``.name`` and ``.getvalue()``). Each inspects the file's schema before
reading rows, and reports problems as :class:`coverage.errors.Problem` objects that
name the file, so nothing the user typed is lost when a file is refused.

Supported formats: boundaries from GeoParquet, GeoPackage, GeoJSON and zipped
Shapefile; tables from CSV (UTF-8 with or without BOM, or Windows-1258 with a warning)
and Excel ``.xlsx``.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd
import pyogrio

from coverage.errors import InputError, Problem
from coverage.textnorm import nfc

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest file accepted (50 MB); above it the reader refuses before parsing."""

MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
"""Largest total uncompressed size of a zipped Shapefile (checked from the zip index)."""

MAX_ZIP_RATIO = 100.0
"""Largest compression ratio of any zip member (a zip bomb has a far higher one)."""

BOUNDARY_FORMATS = (".parquet", ".geoparquet", ".gpkg", ".geojson", ".json", ".zip")
TABLE_FORMATS = (".csv", ".xlsx")


@runtime_checkable
class Upload(Protocol):
    """What Streamlit's ``UploadedFile`` offers: a name and the bytes."""

    name: str

    def getvalue(self) -> bytes: ...


Source = str | Path | bytes | Upload


@dataclass(frozen=True)
class RawFile:
    """A file's bytes and the name to quote in messages."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.lower()).suffix


def raw_from_source(source: Source, *, name: str | None = None) -> RawFile:
    """Return the bytes and display name of a path, bytes or upload.

    Raises
    ------
    InputError
        If the file is larger than :data:`MAX_UPLOAD_BYTES` or cannot be opened.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        display = name or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(
                [Problem("unreadable", display, params={"reason": exc.strerror or str(exc)})]
            ) from exc
        _check_size(display, size)
        return RawFile(display, path.read_bytes())
    if isinstance(source, bytes):
        display = name or "upload"
        _check_size(display, len(source))
        return RawFile(display, source)
    display = name or source.name
    data = source.getvalue()
    _check_size(display, len(data))
    return RawFile(display, data)


def _check_size(name: str, size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise InputError(
            [
                Problem(
                    "too_large",
                    name,
                    value=f"{size / 1024 / 1024:.1f} MB",
                    params={"limit_mb": str(MAX_UPLOAD_BYTES // 1024 // 1024)},
                )
            ]
        )


# --------------------------------------------------------------------------- tables


def read_table(source: Source, *, name: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV or Excel table with every cell as NFC text.

    Parameters
    ----------
    source
        Path, bytes or uploaded file.
    name
        Name to quote in messages (defaults to the file's own name).

    Returns
    -------
    table, warnings
        Cells are strings (empty string for a blank cell); header names are NFC and
        stripped. ``warnings`` holds non-blocking problems such as a Windows-1258
        encoding.

    Raises
    ------
    InputError
        Unsupported format, unreadable file, duplicate header or no data rows.
    """
    raw = raw_from_source(source, name=name)
    warnings: list[Problem] = []
    if raw.suffix == ".csv":
        text, warning = _decode_csv(raw)
        if warning is not None:
            warnings.append(warning)
        try:
            table = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError([Problem("unreadable", raw.name, params={"reason": str(exc)})]) from exc
    elif raw.suffix == ".xlsx":
        try:
            table = pd.read_excel(io.BytesIO(raw.data), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many unrelated types for a bad file
            raise InputError(
                [Problem("unreadable", raw.name, params={"reason": type(exc).__name__})]
            ) from exc
        table = table.fillna("")
    else:
        raise InputError(
            [
                Problem(
                    "unsupported_format",
                    raw.name,
                    value=raw.suffix or "?",
                    params={"formats": ", ".join(TABLE_FORMATS)},
                )
            ]
        )
    headers = [nfc(str(c)) for c in table.columns]
    dupes = sorted({h for h in headers if headers.count(h) > 1 or h.endswith(".1")})
    problems = [Problem("duplicate_column", raw.name, column=h) for h in dupes if h]
    table.columns = pd.Index(headers)
    table = table.map(lambda v: nfc(str(v)) if v is not None else "")
    if table.empty:
        problems.append(Problem("empty_file", raw.name))
    if problems:
        raise InputError(problems + warnings)
    return table.reset_index(drop=True), warnings


def _decode_csv(raw: RawFile) -> tuple[str, Problem | None]:
    try:
        return raw.data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.data.decode("cp1258", errors="replace"), Problem(
            "encoding_cp1258", raw.name, severity="warning"
        )


# ----------------------------------------------------------------------- boundaries


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
    if suffix in (".parquet", ".geoparquet"):
        frame = _read_geoparquet(raw)
    else:
        if suffix == ".zip":
            _check_zip(raw)
        frame = _read_ogr(raw)
    for column in frame.columns:
        if column != frame.geometry.name and pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: nfc(v) if isinstance(v, str) else v)
    return frame, []


def _read_geoparquet(raw: RawFile) -> gpd.GeoDataFrame:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(io.BytesIO(raw.data))
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError subclasses
        raise InputError([Problem("unreadable", raw.name, params={"reason": str(exc)[:120]})]) from exc
    meta = schema.metadata or {}
    if b"geo" not in meta:
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": "Parquet without GeoParquet 'geo' metadata"})]
        )
    import json

    geo = json.loads(meta[b"geo"])
    primary = geo.get("primary_column", "geometry")
    column_meta = geo.get("columns", {}).get(primary, {})
    # GeoParquet: an absent "crs" key means OGC:CRS84; an explicit null means undefined.
    if "crs" in column_meta and column_meta["crs"] is None:
        raise InputError([Problem("missing_crs", raw.name)])
    return gpd.read_parquet(io.BytesIO(raw.data))


def _check_zip(raw: RawFile) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw.data))
    except zipfile.BadZipFile as exc:
        raise InputError([Problem("unreadable", raw.name, params={"reason": "not a zip file"})]) from exc
    total = 0
    for info in archive.infolist():
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InputError(
                [Problem("unsafe_zip", raw.name, value=info.filename, params={"reason": "an unsafe path"})]
            )
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise InputError(
                [
                    Problem(
                        "unsafe_zip",
                        raw.name,
                        value=info.filename,
                        params={"reason": f"a member compressed more than {MAX_ZIP_RATIO:.0f}:1"},
                    )
                ]
            )
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise InputError(
            [
                Problem(
                    "unsafe_zip",
                    raw.name,
                    value=f"{total / 1024 / 1024:.0f} MB",
                    params={"reason": "too large a size when unpacked"},
                )
            ]
        )
    if not any(n.lower().endswith(".shp") for n in archive.namelist()):
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": "the zip holds no .shp file"})]
        )


def _read_ogr(raw: RawFile) -> gpd.GeoDataFrame:
    # GDAL reads bytes through its in-memory file system; a zip stays zipped (/vsizip/).
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("input" + raw.suffix)
        path.write_bytes(raw.data)
        target = f"/vsizip/{path}" if raw.suffix == ".zip" else str(path)
        try:
            info = pyogrio.read_info(target)
        except Exception as exc:  # pyogrio.errors.DataSourceError and friends
            raise InputError(
                [Problem("unreadable", raw.name, params={"reason": str(exc)[:160]})]
            ) from exc
        if not info.get("crs"):
            raise InputError([Problem("missing_crs", raw.name)])
        frame = pyogrio.read_dataframe(target)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError([Problem("unreadable", raw.name, params={"reason": "no geometry column"})])
    return frame
