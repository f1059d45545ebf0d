"""Read commune boundaries and tables from paths or uploaded bytes.

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

import codecs
import csv
import io
import itertools
import math
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd
import pyogrio

from coverage.errors import InputError, Problem
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.text.textnorm import nfc

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest file accepted (50 MB); above it the reader refuses before parsing."""

MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
"""Largest total uncompressed size of a zipped Shapefile (checked from the zip index)."""

MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
"""Largest total uncompressed size of an ``.xlsx`` workbook (checked from the zip index).

A roster or indicator workbook unpacks to well under 10 MB; 256 MB leaves room for
large legitimate files and refuses a "zip bomb" before anything is decompressed."""

MAX_ZIP_RATIO = 100.0
"""Largest compression ratio of a zip member that unpacks to more than
:data:`ZIP_RATIO_FLOOR_BYTES` (a zip bomb has ~1000:1; spreadsheets ~5-20:1)."""

ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
"""Members smaller than this unpacked are not held to the ratio limit (harmless)."""

BOUNDARY_FORMATS = (".parquet", ".geoparquet", ".gpkg", ".geojson", ".json", ".zip")
TABLE_FORMATS = (".csv", ".xlsx")


@runtime_checkable
class Upload(Protocol):
    """What Streamlit's ``UploadedFile`` offers: a name and the bytes."""

    name: str

    def getvalue(self) -> bytes:
        """Return the uploaded file's bytes."""
        ...


Source = str | Path | bytes | Upload


@dataclass(frozen=True)
class RawFile:
    """A file's bytes and the name to quote in messages."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        """The file name's extension, lower case (``.csv``)."""
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
        table, csv_warnings = _parse_csv(text, file=raw.name)
        warnings += csv_warnings
    elif raw.suffix == ".xlsx":
        check_zip_index(raw, limit_bytes=MAX_XLSX_UNCOMPRESSED_BYTES)
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


SEPARATORS: dict[str, tuple[str, str]] = {
    ",": ("dấu phẩy (,)", "a comma (,)"),
    ";": ("dấu chấm phẩy (;)", "a semicolon (;)"),
    "\t": ("dấu tab", "a tab"),
}
"""Column separators a CSV may use, with their names in Vietnamese and English."""

_SPLIT_NUMBER = re.compile(r"^[+-]?\d+$")
_SPLIT_DIGITS = re.compile(r"^\d+$")


def detect_separator(text: str) -> str:
    """Return the column separator of CSV ``text``: the one that splits the header most.

    The header (first non-blank line) holds column names, never decimal commas, so it
    decides between ``,`` ``;`` and tab; a tie keeps the comma.
    """
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))


def _parse_csv(text: str, *, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Split CSV text into a table of text cells, naming rows that do not fit the header.

    Blank lines are skipped (as a spreadsheet's empty rows), a short row is padded
    with empty cells, and a row with more cells than the header is an error: when two
    neighbouring cells are digits (``5`` and ``5`` from ``5,5``), the message says a
    decimal comma split the number.
    """
    separator = detect_separator(text)
    warnings: list[Problem] = []
    if separator != ",":
        vi, en = SEPARATORS[separator]
        warnings.append(
            Problem(
                "csv_separator",
                file,
                severity="warning",
                value="tab" if separator == "\t" else separator,
                params={"separator_vi": vi, "separator_en": en},
            )
        )
    records = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if r]
    if not records:
        raise InputError([Problem("empty_file", file)])
    header = [h.strip() for h in records[0]]
    while header and header[-1] == "":  # trailing separators after the last column
        header.pop()
    width = len(header)
    body = records[1:]
    kinds = _column_kinds([r for r in body if len(r) <= width], width)
    rows: list[list[str]] = []
    problems: list[Problem] = []
    for i, cells in enumerate(body):
        row_number = i + 2  # header = row 1, as a spreadsheet shows
        if any(c.strip() for c in cells[width:]):
            problems.append(
                _shifted_row(cells, header, kinds, file=file, row=row_number, separator=separator)
            )
            cells = cells[:width]
        rows.append(cells[:width] + [""] * (width - len(cells)))
    if problems:
        raise InputError(problems + warnings)
    return pd.DataFrame(rows, columns=header, dtype=object), warnings


def _cell_kind(cell: str) -> str:
    """``int`` (digits), ``number`` (digits with separators) or ``text``."""
    if _SPLIT_NUMBER.match(cell):
        return "int"
    return "number" if re.match(r"^[+-]?[\d.,]*\d[\d.,]*$", cell) else "text"


def _column_kinds(rows: list[list[str]], width: int) -> list[frozenset[str]]:
    """Return the kinds of cell each column holds in the rows that fit the header."""
    return [
        frozenset(_cell_kind(r[j].strip()) for r in rows if j < len(r) and r[j].strip())
        for j in range(width)
    ]


def _best_merges(cells: list[str], width: int, kinds: list[frozenset[str]]) -> list[int] | None:
    """Positions j where joining cells j and j+1 with a comma best restores the row.

    Only neighbouring digit cells are joined (``5`` and ``5`` from an unquoted ``5,5``);
    of all ways to join enough of them, the one whose cells best match the kinds of
    the other rows' cells wins (ties: the rightmost). None if no way fits.
    """
    extra = len(cells) - width
    candidates = [
        j
        for j in range(len(cells) - 1)
        if _SPLIT_NUMBER.match(cells[j]) and _SPLIT_DIGITS.match(cells[j + 1])
    ]
    if extra > 3 or len(candidates) > 24:
        return None
    best: tuple[int, tuple[int, ...]] | None = None
    for combo in itertools.combinations(candidates, extra):
        if any(b - a < 2 for a, b in itertools.pairwise(combo)):
            continue
        joined = list(cells)
        for j in reversed(combo):
            joined[j : j + 2] = [f"{joined[j]},{joined[j + 1]}"]
        agree = 0
        for k, cell in enumerate(joined):
            kind = _cell_kind(cell) if cell else ""
            if kind and (kind in kinds[k] or (kind == "int" and "number" in kinds[k])):
                agree += 1
        if best is None or (agree, combo) >= best:
            best = (agree, combo)
    return None if best is None else list(best[1])


def _shifted_row(
    cells: list[str],
    header: list[str],
    kinds: list[frozenset[str]],
    *,
    file: str,
    row: int,
    separator: str,
) -> Problem:
    """Describe a row with more cells than the header (a decimal comma, if it looks like one).

    An unquoted ``5,5`` in a comma-separated file arrives as the two cells ``5`` and
    ``5``. Neighbouring digit cells are joined back in the way that makes the row's
    cells most like the other rows' (see :func:`_best_merges`); if the row then fits
    the header, the message names the numbers and the column of the first.
    """
    width = len(header)
    params = {"found": str(len(cells)), "expected": str(width), "separator": separator}
    stripped = [c.strip() for c in cells]
    merges = _best_merges(stripped, width, kinds) if separator == "," else None
    if merges:
        numbers = [f"{stripped[j]},{stripped[j + 1]}" for j in merges]
        column = header[merges[0]]  # cells before the first split number are in place
        return Problem(
            "csv_decimal_comma",
            file,
            row=row,
            column=column,
            value="; ".join(numbers),
            params={**params, "example": numbers[0], "example_dot": numbers[0].replace(",", ".")},
        )
    shown = separator.join(cells)
    return Problem(
        "csv_row_too_long",
        file,
        row=row,
        value=shown if len(shown) <= 80 else shown[:79] + "…",
        params=params,
    )


def _decode_csv(raw: RawFile) -> tuple[str, Problem | None]:
    """Decode UTF-8 (with or without BOM), else Windows-1258 or 1252 as guessed, with a warning."""
    try:
        return raw.data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        codec = _guess_codec(raw.data) or "cp1258"
        code = "encoding_cp1252" if codec == "cp1252" else "encoding_cp1258"
        return raw.data.decode(codec if codec != "utf-8" else "cp1258", errors="replace"), Problem(
            code, raw.name, severity="warning"
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
    warnings: list[Problem] = []
    if suffix in (".parquet", ".geoparquet"):
        frame = _read_geoparquet(raw)
    else:
        codepage: tuple[str | None, bool] = (None, True)
        if suffix == ".zip":
            codepage = _shapefile_codepage(_check_zip(raw))
        frame = _read_ogr(raw, codec=codepage[0], declared=codepage[1])
        frame, warnings = _decode_text(frame, raw.name, codec=codepage[0], declared=codepage[1])
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


def check_zip_index(raw: RawFile, *, limit_bytes: int) -> zipfile.ZipFile:
    """Refuse an unsafe or "zip bomb" archive from its index, before decompressing anything.

    Only the central directory is read: member names (no absolute paths, ``..`` or drive
    letters), the total unpacked size (at most ``limit_bytes``) and each member's
    compression ratio (at most :data:`MAX_ZIP_RATIO` for members over
    :data:`ZIP_RATIO_FLOOR_BYTES`). Python's ``zipfile`` (used by openpyxl) never
    unpacks more than the size the index declares, so a lying index cannot get past.

    Returns
    -------
    zipfile.ZipFile
        The open archive, for further checks of its member list.

    Raises
    ------
    InputError
        Not a zip, an unsafe path, too large unpacked, or compressed too much.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw.data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": "not a zip file"})]
        ) from exc
    total = 0
    for info in archive.infolist():
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InputError(
                [
                    Problem(
                        "unsafe_zip",
                        raw.name,
                        value=info.filename,
                        params={"reason": "an unsafe path"},
                    )
                ]
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > MAX_ZIP_RATIO:
            raise InputError(
                [
                    Problem(
                        "zip_ratio_too_high",
                        raw.name,
                        value=f"{ratio:.0f}:1",
                        params={
                            "member": info.filename[:80],
                            "ratio": f"{ratio:.0f}",
                            "limit": f"{MAX_ZIP_RATIO:.0f}",
                        },
                    )
                ]
            )
    if total > limit_bytes:
        raise InputError(
            [
                Problem(
                    "zip_unpacked_too_large",
                    raw.name,
                    value=f"{total / 1024 / 1024:.0f} MB",
                    params={
                        "unpacked_mb": f"{total / 1024 / 1024:.0f}",
                        "limit_mb": str(limit_bytes // 1024 // 1024),
                    },
                )
            ]
        )
    return archive


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


_VI_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_VI_LETTERS = frozenset(_VI_LOWER + _VI_LOWER.upper())
_CP1258_ONLY = frozenset(b"\xc3\xcc\xd0\xd2\xd5\xdd\xde\xe3\xec\xf0\xf2\xf5\xfd\xfe")
"""Bytes that Windows-1258 and Windows-1252 read differently (ă, đ, ơ, ư, tone marks)."""


def _shapefile_codepage(archive: zipfile.ZipFile) -> tuple[str | None, bool]:
    """Return (Python codec, declared?) of a zipped Shapefile's attribute text.

    The ``.cpg`` file names the code page; without one, a non-zero language driver
    byte in the ``.dbf`` header declares it (GDAL reads those); otherwise nothing is
    declared and the text will be guessed.
    """
    names = archive.namelist()
    stem = next(n for n in names if n.lower().endswith(".shp"))[:-4].lower()
    cpg = next((n for n in names if n.lower() == stem + ".cpg"), None)
    if cpg is not None:
        return _codec_from_cpg(archive.read(cpg)[:64].decode("ascii", "replace")), True
    dbf = next((n for n in names if n.lower() == stem + ".dbf"), None)
    if dbf is None:
        return None, True
    with archive.open(dbf) as handle:
        head = handle.read(32)
    return None, len(head) > 29 and head[29] != 0


def _codec_from_cpg(text: str) -> str | None:
    """Python codec of a ``.cpg`` text (``1258``, ``ANSI 1258``, ``UTF-8``...), or None."""
    value = (
        text.strip().upper().replace("ANSI", "").replace("WINDOWS-", "").replace("CP", "").strip()
    )
    if value in ("UTF-8", "UTF8", "65001"):
        return "utf-8"
    for name in (f"cp{value}" if value.isdigit() else "", text.strip()):
        if not name:
            continue
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def _guess_codec(data: bytes) -> str | None:
    """Guess the code page of undeclared Shapefile text: UTF-8, Windows-1258 or 1252.

    ASCII needs no guess (None). Text that decodes as UTF-8 is UTF-8. Otherwise,
    if the bytes where the two Windows code pages differ are present and at least
    80 % of the non-ASCII letters read as Windows-1258 are Vietnamese letters, it is
    Windows-1258; else Windows-1252.
    """
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if not _CP1258_ONLY.intersection(data):
        return "cp1252"
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    wide = [c for c in text if ord(c) > 127]
    vietnamese = sum(c in _VI_LETTERS for c in wide)
    return "cp1258" if vietnamese >= 0.8 * len(wide) else "cp1252"


_CODEC_NAMES = {
    "cp1258": ("Windows-1258", "1258"),
    "cp1252": ("Windows-1252", "1252"),
    "utf-8": ("UTF-8", "UTF-8"),
}


def _decode_text(
    frame: gpd.GeoDataFrame, file: str, *, codec: str | None, declared: bool
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Decode text read as Latin-1 bytes with the declared or guessed code page."""
    if codec is None and declared:
        return frame, []  # GDAL decoded it (no zip, or a language driver byte in the .dbf)
    columns = [
        c
        for c in frame.columns
        if c != frame.geometry.name
        and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))
    ]
    warnings: list[Problem] = []
    data = b"\n".join(
        v.encode("latin1", errors="replace")
        for c in columns
        for v in frame[c].tolist()
        if isinstance(v, str)
    ) + "\n".join(map(str, frame.columns)).encode("latin1", errors="replace")
    wrong = False
    if declared and codec is not None:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            wrong = True
    if not declared or wrong:
        declared_codec, codec = codec, _guess_codec(data)
        if codec is None:
            return frame, []
        label, cpg = _CODEC_NAMES.get(codec, (codec, codec))
        code = "encoding_declared_wrong" if wrong else "encoding_guessed"
        warnings.append(
            Problem(
                code,
                file,
                severity="warning",
                value=label,
                params={"encoding": label, "cpg": cpg, "declared": str(declared_codec)},
            )
        )
    assert codec is not None

    def decode(value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.encode("latin1", errors="replace").decode(codec, errors="replace")

    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(decode)
    frame.columns = pd.Index([c if c == frame.geometry.name else decode(c) for c in frame.columns])
    return frame, warnings
