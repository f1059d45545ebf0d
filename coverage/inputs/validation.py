"""Check tables and boundaries against their documented schemas, all problems at once.

Each check names the file, the spreadsheet row (header = row 1), the column, the bad
value and the fix. Validation collects every problem and returns a clean, typed table;
callers raise :class:`coverage.errors.InputError` once if any problem is an error.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.errors import Problem
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


TEAM_MODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fixed", ("fixed", "co dinh", "tai cho", "mot cua")),
    ("mobile", ("mobile", "luu dong", "di dong")),
)

TEAM_COLUMNS: tuple[Column, ...] = (
    Column("team_id", "text", example="GL-001"),
    Column("team_name", "text", example="Đội TNTN xã Ia Mơ"),
    Column("commune_code", "text", example="23938"),
    Column("latitude", "float", required=False, allow_empty=True, low=-90, high=90, example="13.98"),
    Column("longitude", "float", required=False, allow_empty=True, low=-180, high=180, example="108.01"),
    Column("members", "int", low=1, high=100, example="15"),
    Column("mode", "choice", choices=TEAM_MODES, example="fixed"),
    Column("skills", "list", required=False, allow_empty=True, example="vneid;public_service_portal"),
    Column("languages", "list", required=False, allow_empty=True, example="vi;jrai"),
    Column("weekly_hours", "float", low=0, high=60, example="4"),
)
"""Team roster schema; see ``data/teams/README.md``."""

KNOWN_SKILLS = (
    "vneid",
    "public_service_portal",
    "social_insurance",
    "e_health",
    "cashless_payments",
    "ai_assistant",
)
KNOWN_LANGUAGES = ("vi", "jrai", "bahnar", "xo_dang", "gie_trieng", "cham", "hre", "other")

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("commune_code", "text", example="23938"),
    Column("adult_share_pct", "float", low=0, high=100, example="68"),
    Column("smartphone_adult_pct", "float", low=0, high=100, example="62.5"),
    Column("fixed_broadband_household_pct", "float", low=0, high=100, example="35"),
    Column("mobile_4g_population_pct", "float", low=0, high=100, example="90"),
    Column("vneid_level2_adult_pct", "float", low=0, high=100, example="55"),
    Column("online_filing_pct", "float", low=0, high=100, example="40"),
    Column("ethnic_minority_pct", "float", required=False, allow_empty=True, low=0, high=100, example="45"),
    Column("is_remote_official", "choice", required=False, allow_empty=True,
           choices=(("true", ("true", "1", "yes", "co", "x")), ("false", ("false", "0", "no", "khong"))),
           example="true"),
)
"""Per-commune connectivity and service indicators; see ``data/indicators/README.md``."""

POPULATION = Column("population", "int", low=0, high=10_000_000, example="12345")
AREA = Column("area_km2", "float", required=False, allow_empty=True, low=0, high=100_000, example="118,5")

BOUNDARY_REQUIRED = ("code", "name", "population")
BOUNDARY_OPTIONAL = ("kind", "area_km2", "full_name", "province", "province_code", "merged_from")


def _closest(name: str, candidates: Sequence[str]) -> str | None:
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


def _parse_cells(
    table: pd.DataFrame, schema: Sequence[Column], *, file: str
) -> tuple[dict[str, list[object]], list[Problem]]:
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
            value, problem = _parse_one(text, col, file=file, row=row)
            if problem is not None:
                problems.append(problem)
            values.append(value)
        parsed[col.name] = values
    return parsed, problems


def _parse_one(text: str, col: Column, *, file: str, row: int) -> tuple[object, Problem | None]:
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
        return None, Problem("bad_choice", file, row=row, column=col.name, value=text,
                             params={"choices": choices})
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
        return None, Problem(code, file, row=row, column=col.name, value=text,
                             params={"example": col.example})
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

        params = {"reading_vi": _fmt(vi), "reading_en": _fmt(en), "example": col.example}
        if fitting:
            params |= {"why_vi": t("number.both_fit", "vi"), "why_en": t("number.both_fit", "en")}
        else:
            bounds = {"low": _fmt(col.low), "high": _fmt(col.high)}
            params |= {"why_vi": t("number.none_fit", "vi", kind_vi=t(kind, "vi"), **bounds),
                       "why_en": t("number.none_fit", "en", kind_en=t(kind, "en"), **bounds)}
        return None, Problem("number_two_readings", file, row=row, column=col.name, value=text,
                             params=params)
    number, fraction = readings[0]
    if col.kind == "int" and not (float(number).is_integer() and len(fraction) != 3):
        return None, Problem("not_integer", file, row=row, column=col.name, value=text,
                             params={"example": col.example})
    return None, Problem(
        "out_of_range", file, row=row, column=col.name, value=text,
        params={"low": _fmt(col.low), "high": _fmt(col.high)},
    )


def _fits(value: float, fraction: str, col: Column) -> bool:
    """Whether a reading fits the column: a whole number for ``int`` (three decimals
    such as ``1.000`` are a thousands group, not decimals), within the range."""
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


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return str(int(x)) if float(x).is_integer() else str(x)


def _to_float(text: str) -> float | None:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    # Accept a Vietnamese decimal comma ("12,5") when there is no other separator.
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_duplicates(values: Sequence[object], *, file: str, column: str) -> list[Problem]:
    seen: dict[object, int] = {}
    problems = []
    for i, value in enumerate(values):
        if value is None:
            continue
        key = fold(str(value))
        row = i + FIRST_DATA_ROW
        if key in seen:
            problems.append(Problem("duplicate_id", file, row=row, column=column, value=str(value),
                                    params={"other_row": str(seen[key])}))
        else:
            seen[key] = row
    return problems


def _check_codes(
    codes: Sequence[object], communes: pd.DataFrame, *, file: str, column: str,
    names: Sequence[object] | None = None,
) -> list[Problem]:
    known = dict(zip(communes["code"].astype(str), communes["name"].astype(str), strict=True))
    by_name = {fold(n): c for c, n in known.items()}
    problems = []
    for i, code in enumerate(codes):
        if code is None:
            continue
        row = i + FIRST_DATA_ROW
        text = str(code).strip()
        if text.isdigit() and len(text) < 5:
            text = text.zfill(5)  # spreadsheets drop leading zeros
        if text in known:
            continue
        hint = None
        if names is not None and names[i] is not None and fold(str(names[i])) in by_name:
            c = by_name[fold(str(names[i]))]
            hint = f"{c} {known[c]}"
        else:
            close = difflib.get_close_matches(text, list(known), n=1, cutoff=0.8)
            hint = f"{close[0]} {known[close[0]]}" if close else None
        problems.append(
            Problem(
                "unknown_commune", file, row=row, column=column, value=str(code),
                params={
                    "suggestion_vi": f" (có phải là {hint}?)" if hint else "",
                    "suggestion_en": f" (did you mean {hint}?)" if hint else "",
                },
            )
        )
    return problems


def normalise_code(value: object) -> object:
    """Return a commune code as 5-digit text (spreadsheets drop leading zeros)."""
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def validate_teams(
    table: pd.DataFrame, communes: gpd.GeoDataFrame, *, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a team roster and return it typed, with every problem found.

    Parameters
    ----------
    table
        Roster as read by :func:`coverage.inputs.readers.read_table` (text cells).
    communes
        Commune boundaries in EPSG:4326 with ``code`` and ``name`` columns.
    file
        File name to quote in messages.

    Returns
    -------
    teams, problems
        ``teams`` has the schema's columns typed, codes as 5-digit text, and
        ``latitude``/``longitude`` filled with the home commune's representative point
        where blank (``location_source`` says which). Rows with errors are kept so
        the UI can show them; callers must not use ``teams`` if any problem is an error.
    """
    # The schema is checked first, but the rows of the columns that are present are
    # still checked, so that the user sees every problem in one pass.
    missing = check_columns(list(table.columns), TEAM_COLUMNS, file=file)
    parsed, problems = _parse_cells(table, TEAM_COLUMNS, file=file)
    parsed["commune_code"] = [normalise_code(c) for c in parsed["commune_code"]]
    names = table["commune_name"].tolist() if "commune_name" in table.columns else None
    problems += _check_duplicates(parsed["team_id"], file=file, column="team_id")
    problems += _check_codes(parsed["commune_code"], communes, file=file, column="commune_code",
                             names=names)
    teams = pd.DataFrame(parsed)
    teams, location_problems = _fill_locations(teams, communes, file=file)
    problems += location_problems
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return teams, missing + problems


def _fill_locations(
    teams: pd.DataFrame, communes: gpd.GeoDataFrame, *, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    points = representative_points(communes)
    # Containment only, no measuring in degrees: the point must lie in (or on the
    # edge of) one of the province's communes.
    tree = shapely.STRtree(communes.geometry.to_numpy())
    lat = teams["latitude"].to_numpy(dtype=object, copy=True)
    lon = teams["longitude"].to_numpy(dtype=object, copy=True)
    source = []
    codes = teams["commune_code"].tolist()
    for i in range(len(teams)):
        row = i + FIRST_DATA_ROW
        code = codes[i]
        has_lat, has_lon = not pd.isna(lat[i]), not pd.isna(lon[i])
        if has_lat != has_lon:
            missing = "latitude" if not has_lat else "longitude"
            problems.append(Problem("partial_location", file, row=row, column=missing, value=""))
            source.append("invalid")
            continue
        if has_lat and has_lon:
            point = shapely.Point(float(lon[i]), float(lat[i]))
            if len(tree.query(point, predicate="intersects")) == 0:
                problems.append(
                    Problem("outside_province", file, row=row, column="latitude",
                            value=f"{lat[i]}, {lon[i]}")
                )
            source.append("file")
            continue
        if code in points.index:
            lon[i], lat[i] = points.at[code, "lon"], points.at[code, "lat"]
        source.append("commune_point")
    teams = teams.assign(
        latitude=pd.to_numeric(pd.Series(lat), errors="coerce"),
        longitude=pd.to_numeric(pd.Series(lon), errors="coerce"),
        location_source=source,
    )
    return teams, problems


def representative_points(communes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return one point inside each commune (its label point where the file has one).

    Parameters
    ----------
    communes
        Boundaries in EPSG:4326.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code`` with ``lon`` and ``lat`` in degrees (EPSG:4326).
    """
    if {"label_lon", "label_lat"} <= set(communes.columns) and communes["label_lon"].notna().all():
        lon = communes["label_lon"].to_numpy(dtype=float)
        lat = communes["label_lat"].to_numpy(dtype=float)
    else:
        pts = communes.geometry.representative_point()
        lon, lat = pts.x.to_numpy(), pts.y.to_numpy()
    return pd.DataFrame({"lon": lon, "lat": lat}, index=communes["code"].astype(str).to_numpy())


def validate_indicators(
    table: pd.DataFrame, communes: gpd.GeoDataFrame, *, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a per-commune indicator table; return it typed with every problem found."""
    missing = check_columns(list(table.columns), INDICATOR_COLUMNS, file=file)
    parsed, problems = _parse_cells(table, INDICATOR_COLUMNS, file=file)
    parsed["commune_code"] = [normalise_code(c) for c in parsed["commune_code"]]
    problems += _check_duplicates(parsed["commune_code"], file=file, column="commune_code")
    problems += _check_codes(parsed["commune_code"], communes, file=file, column="commune_code")
    frame = pd.DataFrame(parsed)
    frame["is_remote_official"] = frame["is_remote_official"].map(
        {"true": True, "false": False, None: pd.NA}
    ).astype("boolean")
    for col in INDICATOR_COLUMNS:
        if col.kind == "float":
            frame[col.name] = pd.to_numeric(frame[col.name], errors="coerce").astype(float)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return frame, missing + problems


def validate_boundaries(frame: gpd.GeoDataFrame, *, file: str) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Check commune boundaries: columns, CRS, codes, geometries and population.

    Returns the boundaries reprojected to EPSG:4326 with ``code`` as 5-digit text and
    ``population`` as integers, and every problem found.
    """
    problems = check_columns(
        [c for c in frame.columns if c != frame.geometry.name], list(BOUNDARY_REQUIRED), file=file
    )
    if frame.crs is None:
        problems.append(Problem("missing_crs", file))
    if problems:
        return frame, problems
    frame = frame.copy()
    frame["code"] = [normalise_code(c) for c in frame["code"]]
    problems += _check_duplicates(frame["code"].tolist(), file=file, column="code")
    geoms = frame.geometry.to_numpy()
    for i, geom in enumerate(geoms):
        row = i + FIRST_DATA_ROW
        if geom is None or shapely.is_empty(geom):
            problems.append(Problem("empty_geometry", file, row=row, column="geometry",
                                    value=str(frame.at[frame.index[i], "code"])))
        elif shapely.get_type_id(geom) not in (3, 6):
            problems.append(Problem("not_polygon", file, row=row, column="geometry", value=geom.geom_type))
        elif not shapely.is_valid(geom):
            reason = shapely.is_valid_reason(geom)
            problems.append(Problem("invalid_geometry", file, row=row, column="geometry",
                                    value=str(frame.at[frame.index[i], "code"]),
                                    params={"reason": reason}))
    population = frame["population"].tolist()
    clean_pop = []
    for i, value in enumerate(population):
        row = i + FIRST_DATA_ROW
        text = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) \
            else nfc(str(value)).strip()
        number, problem = _parse_one(text, POPULATION, file=file, row=row)
        if problem is not None:
            problems.append(problem)
        clean_pop.append(number if isinstance(number, int) else 0)
    if "area_km2" in frame.columns and not pd.api.types.is_numeric_dtype(frame["area_km2"]):
        areas = []
        for i, value in enumerate(frame["area_km2"].tolist()):
            text = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) \
                else nfc(str(value)).strip()
            number, problem = _parse_one(text, AREA, file=file, row=i + FIRST_DATA_ROW)
            if problem is not None:
                problems.append(problem)
            areas.append(number)
        frame["area_km2"] = pd.to_numeric(pd.Series(areas, index=frame.index), errors="coerce")
    frame["population"] = np.asarray(clean_pop, dtype=np.int64)
    frame["name"] = frame["name"].astype(str).map(nfc)
    if "kind" not in frame.columns:
        frame["kind"] = "xa"
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    problems += check_in_vietnam(frame, file=file)
    return frame, problems


VIETNAM_EXTENT = (101.5, 6.0, 118.5, 24.0)
"""Longitude/latitude box (EPSG:4326, degrees) holding Vietnam, its islands included."""


def check_in_vietnam(frame: gpd.GeoDataFrame, *, file: str) -> list[Problem]:
    """Report boundaries (EPSG:4326) that reach outside Vietnam's extent.

    A wrong CRS label (metres called degrees, X and Y swapped, a wrong EPSG code)
    puts the communes elsewhere on Earth; they are refused rather than misplaced.
    """
    if frame.empty or frame.geometry.isna().all():
        return []
    xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds)
    lon_min, lat_min, lon_max, lat_max = VIETNAM_EXTENT
    if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))):
        return []
    if lon_min <= xmin and xmax <= lon_max and lat_min <= ymin and ymax <= lat_max:
        return []
    extent = f"{xmin:.2f}…{xmax:.2f}°E, {ymin:.2f}…{ymax:.2f}°N"
    return [Problem("outside_vietnam", file, value=extent,
                    params={"extent": extent, "lon_min": _fmt(lon_min), "lon_max": _fmt(lon_max),
                            "lat_min": _fmt(lat_min), "lat_max": _fmt(lat_max)})]
