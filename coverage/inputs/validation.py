"""Check tables and boundaries against their documented schemas, all problems at once.

Each check names the file, the spreadsheet row (header = row 1), the column, the bad
value and the fix. Validation collects every problem and returns a clean, typed table;
callers raise :class:`coverage.errors.InputError` once if any problem is an error.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coverage.errors import Problem
from coverage.inputs.cells import (
    FIRST_DATA_ROW,
    Column,
    check_columns,
    fmt,
    parse_cells,
    parse_one,
)
from coverage.inputs.languages import MINORITY_LANGUAGES, validate_language_cells
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)
from coverage.text.textnorm import fold, nfc

TEAM_MODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fixed", ("fixed", "co dinh", "tai cho", "mot cua")),
    ("mobile", ("mobile", "luu dong", "di dong")),
)

TEAM_COLUMNS: tuple[Column, ...] = (
    Column("team_id", "text", example="GL-001"),
    Column("team_name", "text", example="Đội TNTN xã Ia Mơ"),
    Column("commune_code", "text", example="23938"),
    Column(
        "latitude", "float", required=False, allow_empty=True, low=-90, high=90, example="13.98"
    ),
    Column(
        "longitude", "float", required=False, allow_empty=True, low=-180, high=180, example="108.01"
    ),
    Column("members", "int", low=1, high=100, example="15"),
    Column("mode", "choice", choices=TEAM_MODES, example="fixed"),
    Column(
        "skills", "list", required=False, allow_empty=True, example="vneid;public_service_portal"
    ),
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
KNOWN_LANGUAGES = ("vi", *MINORITY_LANGUAGES)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("commune_code", "text", example="23938"),
    Column("adult_share_pct", "float", low=0, high=100, example="68"),
    Column("smartphone_adult_pct", "float", low=0, high=100, example="62.5"),
    Column("fixed_broadband_household_pct", "float", low=0, high=100, example="35"),
    Column("mobile_4g_population_pct", "float", low=0, high=100, example="90"),
    Column("vneid_level2_adult_pct", "float", low=0, high=100, example="55"),
    Column("online_filing_pct", "float", low=0, high=100, example="40"),
    Column(
        "ethnic_minority_pct",
        "float",
        required=False,
        allow_empty=True,
        low=0,
        high=100,
        example="45",
    ),
    Column(
        "is_remote_official",
        "choice",
        required=False,
        allow_empty=True,
        choices=(
            ("true", ("true", "1", "yes", "co", "x")),
            ("false", ("false", "0", "no", "khong")),
        ),
        example="true",
    ),
    Column("minority_languages", "text", required=False, allow_empty=True, example="jrai;bahnar"),
)
"""Per-commune connectivity and service indicators; see ``data/indicators/README.md``."""

POPULATION = Column("population", "int", low=0, high=10_000_000, example="12345")
AREA = Column(
    "area_km2", "float", required=False, allow_empty=True, low=0, high=100_000, example="118,5"
)

BOUNDARY_REQUIRED = ("code", "name", "population")
BOUNDARY_OPTIONAL = ("kind", "area_km2", "full_name", "province", "province_code", "merged_from")


def _check_duplicates(values: Sequence[object], *, file: str, column: str) -> list[Problem]:
    seen: dict[object, int] = {}
    problems = []
    for i, value in enumerate(values):
        if value is None:
            continue
        key = fold(str(value))
        row = i + FIRST_DATA_ROW
        if key in seen:
            problems.append(
                Problem(
                    "duplicate_id",
                    file,
                    row=row,
                    column=column,
                    value=str(value),
                    params={"other_row": str(seen[key])},
                )
            )
        else:
            seen[key] = row
    return problems


def _check_codes(
    codes: Sequence[object],
    communes: pd.DataFrame,
    *,
    file: str,
    column: str,
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
                "unknown_commune",
                file,
                row=row,
                column=column,
                value=str(code),
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
        Roster as read by :func:`coverage.inputs.tables.read_table` (text cells).
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
    parsed, problems = parse_cells(table, TEAM_COLUMNS, file=file)
    parsed["commune_code"] = [normalise_code(c) for c in parsed["commune_code"]]
    names = table["commune_name"].tolist() if "commune_name" in table.columns else None
    problems += _check_duplicates(parsed["team_id"], file=file, column="team_id")
    problems += _check_codes(
        parsed["commune_code"], communes, file=file, column="commune_code", names=names
    )
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
                    Problem(
                        "outside_province",
                        file,
                        row=row,
                        column="latitude",
                        value=f"{lat[i]}, {lon[i]}",
                    )
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
    parsed, problems = parse_cells(table, INDICATOR_COLUMNS, file=file)
    parsed["commune_code"] = [normalise_code(c) for c in parsed["commune_code"]]
    problems += _check_duplicates(parsed["commune_code"], file=file, column="commune_code")
    problems += _check_codes(parsed["commune_code"], communes, file=file, column="commune_code")
    if (
        "minority_languages" in table.columns
    ):  # absent: the estimate fills it (coverage.inputs.languages)
        cells, language_problems = validate_language_cells(
            [parsed["minority_languages"][i] for i in range(len(table))],
            file=file,
            column="minority_languages",
            first_row=FIRST_DATA_ROW,
        )
        parsed["minority_languages"] = list(cells)
        problems += language_problems
    frame = pd.DataFrame(parsed)
    frame["is_remote_official"] = (
        frame["is_remote_official"]
        .map({"true": True, "false": False, None: pd.NA})
        .astype("boolean")
    )
    for col in INDICATOR_COLUMNS:
        if col.kind == "float":
            frame[col.name] = pd.to_numeric(frame[col.name], errors="coerce").astype(float)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return frame, missing + problems


def validate_boundaries(
    frame: gpd.GeoDataFrame, *, file: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
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
            problems.append(
                Problem(
                    "empty_geometry",
                    file,
                    row=row,
                    column="geometry",
                    value=str(frame.at[frame.index[i], "code"]),
                )
            )
        elif shapely.get_type_id(geom) not in (3, 6):
            problems.append(
                Problem("not_polygon", file, row=row, column="geometry", value=geom.geom_type)
            )
        elif not shapely.is_valid(geom):
            reason = shapely.is_valid_reason(geom)
            problems.append(
                Problem(
                    "invalid_geometry",
                    file,
                    row=row,
                    column="geometry",
                    value=str(frame.at[frame.index[i], "code"]),
                    params={"reason": reason},
                )
            )
    population = frame["population"].tolist()
    clean_pop = []
    for i, value in enumerate(population):
        row = i + FIRST_DATA_ROW
        text = (
            ""
            if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
            else nfc(str(value)).strip()
        )
        number, problem = parse_one(text, POPULATION, file=file, row=row)
        if problem is not None:
            problems.append(problem)
        clean_pop.append(number if isinstance(number, int) else 0)
    if "area_km2" in frame.columns and not pd.api.types.is_numeric_dtype(frame["area_km2"]):
        areas = []
        for i, value in enumerate(frame["area_km2"].tolist()):
            text = (
                ""
                if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
                else nfc(str(value)).strip()
            )
            number, problem = parse_one(text, AREA, file=file, row=i + FIRST_DATA_ROW)
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
    return [
        Problem(
            "outside_vietnam",
            file,
            value=extent,
            params={
                "extent": extent,
                "lon_min": fmt(lon_min),
                "lon_max": fmt(lon_max),
                "lat_min": fmt(lat_min),
                "lat_max": fmt(lat_max),
            },
        )
    ]
