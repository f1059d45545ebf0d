"""Read CSV and Excel tables as NFC text cells, naming rows a decimal comma split."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pandas as pd

from coverage.errors import InputError, Problem
from coverage.inputs.encodings import guess_codec
from coverage.inputs.sources import RawFile, Source, check_zip_index, raw_from_source
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.text.textnorm import nfc

MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
"""Largest total uncompressed size of an ``.xlsx`` workbook (checked from the zip index).

A roster or indicator workbook unpacks to well under 10 MB; 256 MB leaves room for
large legitimate files and refuses a "zip bomb" before anything is decompressed."""

TABLE_FORMATS = (".csv", ".xlsx")


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
        text, warning = decode_csv(raw)
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


def decode_csv(raw: RawFile) -> tuple[str, Problem | None]:
    """Decode UTF-8 (with or without BOM), else Windows-1258 or 1252 as guessed, with a warning."""
    try:
        return raw.data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        codec = guess_codec(raw.data) or "cp1258"
        code = "encoding_cp1252" if codec == "cp1252" else "encoding_cp1258"
        return raw.data.decode(codec if codec != "utf-8" else "cp1258", errors="replace"), Problem(
            code, raw.name, severity="warning"
        )
