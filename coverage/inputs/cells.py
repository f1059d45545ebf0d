"""Table cells: the column schema type and parsing of text, choices, lists and numbers."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from coverage.errors import Problem
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.text.textnorm import fold, nfc

Kind = Literal["text", "int", "float", "choice", "list"]

FIRST_DATA_ROW = 2
"""Spreadsheet row number of the first data row (the header is row 1)."""


@dataclass(frozen=True)
class Column:
    """One column of a documented table schema.

    Attributes
    ----------
    name
        Header as written in the file.
    kind
        How cells are parsed.
    required
        Whether the column must be present.
    allow_empty
        Whether a cell may be blank (the default is then applied).
    low, high
        Inclusive range for numbers.
    choices
        Allowed values for ``choice`` (keys) with accepted spellings (values).
    example
        Example value quoted in fixes.
    """

    name: str
    kind: Kind
    required: bool = True
    allow_empty: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    example: str = ""


def _closest(name: str, candidates: Sequence[str]) -> str | None:
    """Return the candidate closest to a misspelt column name, or ``None``."""
    folded = {fold(c).replace(" ", "_"): c for c in candidates}
    match = difflib.get_close_matches(fold(name).replace(" ", "_"), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def check_columns(
    found: Sequence[str], schema: Sequence[Column] | Sequence[str], *, file: str
) -> list[Problem]:
    """Report every required column that is missing, suggesting the closest found name."""
    required = [c.name for c in schema if isinstance(c, Column) and c.required] + [
        c for c in schema if isinstance(c, str)
    ]
    present = set(found)
    problems = []
    for name in required:
        if name in present:
            continue
        close = _closest(name, [f for f in found if f not in required])
        problems.append(
            Problem(
                "missing_column",
                file,
                column=name,
                params={
                    "column": name,
                    "found": ", ".join(found) if found else "-",
                    "suggestion_vi": f" (có phải cột '{close}' bị viết sai?)" if close else "",
                    "suggestion_en": f" (is '{close}' a misspelling of it?)" if close else "",
                },
            )
        )
    return problems


def parse_cells(
    table: pd.DataFrame, schema: Sequence[Column], *, file: str
) -> tuple[dict[str, list[object]], list[Problem]]:
    """Parse every cell of the schema's columns (``None`` where absent or blank)."""
    problems: list[Problem] = []
    parsed: dict[str, list[object]] = {}
    for col in schema:
        if col.name not in table.columns:
            parsed[col.name] = [None] * len(table)
            continue
        values: list[object] = []
        for i, cell in enumerate(table[col.name].tolist()):
            row = i + FIRST_DATA_ROW
            text = nfc(str(cell)) if cell is not None else ""
            value, problem = parse_one(text, col, file=file, row=row)
            if problem is not None:
                problems.append(problem)
            values.append(value)
        parsed[col.name] = values
    return parsed, problems


def parse_one(text: str, col: Column, *, file: str, row: int) -> tuple[object, Problem | None]:
    """Parse one cell as its column's kind; return the value or the problem."""
    if text == "":
        if col.allow_empty:
            return None, None
        return None, Problem("missing_value", file, row=row, column=col.name, value="")
    if col.kind == "text":
        return text, None
    if col.kind == "list":
        items = [fold(x).replace(" ", "_") for x in text.replace(",", ";").split(";")]
        return tuple(x for x in items if x), None
    if col.kind == "choice":
        key = fold(text)
        for canonical, spellings in col.choices:
            if key == canonical or key in spellings:
                return canonical, None
        choices = ", ".join(c for c, _ in col.choices)
        return None, Problem(
            "bad_choice", file, row=row, column=col.name, value=text, params={"choices": choices}
        )
    return _parse_number(text, col, file=file, row=row)


def _parse_number(text: str, col: Column, *, file: str, row: int) -> tuple[object, Problem | None]:
    """Parse a number written the Vietnamese or the English way, never guessing.

    ``1.234,5`` (Vietnamese) and ``1,234.5`` (English) each have one reading; ``1.000``
    or ``1,234`` have two (see :func:`number_readings`). A number is accepted when its
    readings that fit the column's type and range agree; otherwise the cell is reported,
    with both readings when there are two.
    """
    readings = number_readings(text)
    if not readings:
        code = "not_integer" if col.kind == "int" else "not_number"
        return None, Problem(
            code, file, row=row, column=col.name, value=text, params={"example": col.example}
        )
    fitting = {value for value, fraction in readings if _fits(value, fraction, col)}
    if len(fitting) == 1:
        number = fitting.pop()
        return (int(number) if col.kind == "int" else number), None
    values = sorted({value for value, _ in readings})
    if len(values) == 2:
        vi = number_reading(text, "vi")
        en = number_reading(text, "en")
        kind = f"number.kind.{'int' if col.kind == 'int' else 'float'}"
        from coverage.text.i18n import t

        params = {"reading_vi": fmt(vi), "reading_en": fmt(en), "example": col.example}
        if fitting:
            params |= {"why_vi": t("number.both_fit", "vi"), "why_en": t("number.both_fit", "en")}
        else:
            bounds = {"low": fmt(col.low), "high": fmt(col.high)}
            params |= {
                "why_vi": t("number.none_fit", "vi", kind_vi=t(kind, "vi"), **bounds),
                "why_en": t("number.none_fit", "en", kind_en=t(kind, "en"), **bounds),
            }
        return None, Problem(
            "number_two_readings", file, row=row, column=col.name, value=text, params=params
        )
    number, fraction = readings[0]
    if col.kind == "int" and not (float(number).is_integer() and len(fraction) != 3):
        return None, Problem(
            "not_integer",
            file,
            row=row,
            column=col.name,
            value=text,
            params={"example": col.example},
        )
    return None, Problem(
        "out_of_range",
        file,
        row=row,
        column=col.name,
        value=text,
        params={"low": fmt(col.low), "high": fmt(col.high)},
    )


def _fits(value: float, fraction: str, col: Column) -> bool:
    """Return whether a reading fits the column's kind and range.

    An ``int`` column needs a whole number (three decimals such as ``1.000`` are a
    thousands group, not decimals).
    """
    if col.kind == "int" and not (float(value).is_integer() and len(fraction) != 3):
        return False
    return (col.low is None or value >= col.low) and (col.high is None or value <= col.high)


_GROUPED = {
    "en": re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.(?P<frac>\d+))?$"),
    "vi": re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,(?P<frac>\d+))?$"),
}
_PLAIN = {
    "en": re.compile(r"^[+-]?\d*(\.(?P<frac>\d*))?$"),
    "vi": re.compile(r"^[+-]?\d*(,(?P<frac>\d*))?$"),
}


def _reading(text: str, style: Literal["vi", "en"]) -> tuple[float, str] | None:
    thousands, point = (".", ",") if style == "vi" else (",", ".")
    match = _GROUPED[style].match(text) or _PLAIN[style].match(text)
    if match is None or not any(ch.isdigit() for ch in text):
        return None
    fraction = match.group("frac")
    try:
        value = float(text.replace(thousands, "").replace(point, "."))
    except ValueError:
        return None
    return (value, fraction or "") if math.isfinite(value) else None


def number_reading(text: str, style: Literal["vi", "en"]) -> float | None:
    """Read ``text`` as a Vietnamese (``1.234,5``) or English (``1,234.5``) number, or None."""
    reading = _reading(text.replace(" ", "").replace("\u00a0", ""), style)
    return None if reading is None else reading[0]


def number_readings(text: str) -> list[tuple[float, str]]:
    """Every reading of a number cell as (value, digits after the decimal mark).

    ``"12"`` has one reading; ``"5,5"`` only the Vietnamese one (5.5); ``"1,234.5"``
    only the English one; ``"1.000"`` two: 1000 (Vietnamese thousands) and 1.0
    (English decimals). Spaces between digit groups are ignored; ``1e3`` is accepted.
    """
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    found = [r for r in (_reading(cleaned, "vi"), _reading(cleaned, "en")) if r is not None]
    if not found and "," not in cleaned:
        try:
            value = float(cleaned)
        except ValueError:
            return []
        if math.isfinite(value):
            found = [(value, "")]
    unique: dict[float, tuple[float, str]] = {}
    for value, fraction in found:
        unique.setdefault(value, (value, fraction))
    return list(unique.values())


def fmt(x: float | None) -> str:
    """Write a bound for a message: ``-`` for none, no ``.0`` for a whole number."""
    if x is None:
        return "-"
    return str(int(x)) if float(x).is_integer() else str(x)
