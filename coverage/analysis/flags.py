"""Border, remote and under-served flags, each with reasons in Vietnamese and English.

Land border
-----------
Vietnam's land border is one continuous stretch of the mainland's outline, from the
mouth of the Bắc Luân river at Móng Cái (China) round the west to Hà Tiên (Cambodia);
everything else on the outline, and every island, is coast. So the border is found from
the data itself: the outline of the national commune coverage (the union of all 3,321
communes, taken from the province polygons that were dissolved from them) is cut at the
two points where the land border meets the sea (:data:`VIETNAM_SEA_ENDS`), and the arc
through the country's westernmost point (:data:`VIETNAM_INLAND_POINT`, A Pa Chải) is the
land border. No outside line is needed, so the China border is handled exactly like the
others. The Natural Earth lines (1-3.5 km off) are used only to name the neighbour of
each stretch: within 15 km of the Cambodia or Laos line it is that country; the rest of
the land border is China's. Limitations: the boundaries are a reference map, not legal
boundaries, and the two sea ends are fixed to within a few hundred metres, so the
coastal wards next to them (Móng Cái, Hà Tiên) depend on that choice.

A commune is a border commune when at least ``border_min_length_km`` of its own boundary
lies within ``border_tolerance_m`` of the land border (the national file is simplified by
about 11 m, the Gia Lai file is not).

Remote
------
``remote_index`` (0-100) = 100 * (``remote_hub_weight`` * clip(hub_km / remote_hub_far_km)
+ (1 - ``remote_hub_weight``) * sparse), where ``hub_km`` is the travel distance (straight
line times detour) from the commune's representative point to the nearest ward (phường,
where the one-stop offices and most services are) of the analysed area, and ``sparse`` is
1 at or below ``remote_density_low`` residents/km2, 0 at or above ``remote_density_high``,
log-linear in between. ``is_remote`` is ``remote_index >= remote_threshold``; the official
column ``is_remote_official`` of the indicators overrides it where filled.

Under-served
------------
A commune with need is under-served when no team reaches it, or when its
``coverage_ratio`` is below ``underserved_ratio``.

Language gap
------------
At least ``language_gap_min_residents`` residents mainly speak a minority language and
no team in reach has a speaker of it (:mod:`coverage.analysis.languages`, which writes its reason).
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely
from scipy.spatial import cKDTree

from coverage import settings as cfg
from coverage.analysis.geo import WGS84, FloatArray, Projection, province_outline
from coverage.errors import InputError, Problem
from coverage.text import i18n
from coverage.text.i18n import Lang, format_number, format_percent

VIETNAM_SEA_ENDS: tuple[tuple[float, float], tuple[float, float]] = (
    (108.035, 21.545),  # Bắc Luân river mouth, Móng Cái (China)
    (104.447, 10.420),  # Hà Tiên / Prek Chak (Cambodia)
)
"""Lon/lat (EPSG:4326) where Vietnam's land border meets the sea."""

VIETNAM_INLAND_POINT: tuple[float, float] = (102.144, 22.400)
"""Lon/lat of A Pa Chải, the westernmost point: the land-border arc passes through it."""

NEIGHBOUR_NAME_DISTANCE_KM = 15.0
"""A border stretch within this distance of a Natural Earth line takes that line's country."""

COUNTRY_CODES = ("KHM", "LAO", "CHN", "")

i18n.register(
    {
        "analysis.country.KHM": {"vi": "Campuchia", "en": "Cambodia"},
        "analysis.country.LAO": {"vi": "Lào", "en": "Laos"},
        "analysis.country.CHN": {"vi": "Trung Quốc", "en": "China"},
        "analysis.country.": {"vi": "nước láng giềng", "en": "a neighbouring country"},
        "analysis.reason.border": {
            "vi": "Giáp biên giới {country} ({length_km} km đường biên)",
            "en": "On the border with {country} ({length_km} km of border)",
        },
        "analysis.reason.remote_index": {
            "vi": "Vùng xa: cách phường gần nhất {hub_km} km, mật độ {density} người/km² "
            "(chỉ số vùng xa {index}/100)",
            "en": "Remote: {hub_km} km from the nearest ward, {density} residents/km² "
            "(remoteness index {index}/100)",
        },
        "analysis.reason.population_worldpop_estimate": {
            "vi": "Dữ liệu xã không có số dân: {population} người là ước tính từ WorldPop 2020 "
            "(số người sống trong xã theo ảnh dân cư), có thể thấp hơn thực tế",
            "en": "The commune data has no population: {population} residents is an estimate "
            "from WorldPop 2020 (people living inside the commune), possibly too low",
        },
        "analysis.reason.population_missing": {
            "vi": "Dữ liệu xã không có số dân và WorldPop không phủ tới xã này: số dân được tính "
            "là 0, nên mức đáp ứng 100% không có ý nghĩa",
            "en": "The commune data has no population and WorldPop does not reach this commune: "
            "it counts as 0 residents, so its 100% coverage means nothing",
        },
        "analysis.reason.remote_official": {
            "vi": "Vùng xa theo danh sách chính thức",
            "en": "Remote according to the official list",
        },
        "analysis.reason.no_team": {
            "vi": "Không có đội nào trong tầm với: người dân cách đội gần nhất trung bình {km} km, "
            "{need} người cần hỗ trợ",
            "en": "No team within reach: residents are on average {km} km from the nearest team, "
            "{need} residents need help",
        },
        "analysis.reason.low_ratio": {
            "vi": "Thiếu năng lực: {teams} đội ({volunteers} tình nguyện viên) trong tầm với cho "
            "{need} người cần hỗ trợ, chỉ đáp ứng {ratio} trong {weeks} tuần (ngưỡng {threshold})",
            "en": "Short of capacity: {teams} team(s) ({volunteers} volunteers) within reach for "
            "{need} residents needing help, covering only {ratio} in {weeks} weeks "
            "(threshold {threshold})",
        },
    }
)


@dataclass(frozen=True)
class FlagParams:
    """Thresholds of the border, remote and under-served flags.

    Attributes
    ----------
    border_tolerance_m
        A commune boundary point this close (metres) to the land border lies on it.
    border_min_length_km
        Shared length (km) needed to count as a border commune (corner touches do not).
    remote_hub_far_km
        Travel distance (km) to the nearest ward at which the distance part of the
        remoteness index is full.
    remote_density_low, remote_density_high
        Residents/km2 at or below which the density part is full, and at or above which
        it is zero.
    remote_hub_weight
        Weight of the distance part (the density part has the rest).
    remote_threshold
        Index (0-100) at or above which a commune is remote.
    underserved_ratio
        Coverage ratio below which a commune with need is under-served.
    language_gap_min_residents
        Fewest residents mainly speaking one minority language, with no speaker of it in
        any team in reach, that raise the language-gap flag (:mod:`coverage.analysis.languages`);
        fewer are left to the teams' interpreters without a flag.
    """

    border_tolerance_m: float = 60.0
    border_min_length_km: float = 0.5
    remote_hub_far_km: float = 50.0
    remote_density_low: float = 50.0
    remote_density_high: float = 500.0
    remote_hub_weight: float = 0.6
    remote_threshold: float = 60.0
    underserved_ratio: float = 0.5
    language_gap_min_residents: float = 200.0

    def __post_init__(self) -> None:
        if not 0 <= self.remote_hub_weight <= 1:
            raise ValueError("remote_hub_weight must be between 0 and 1")
        if not 0 < self.remote_density_low < self.remote_density_high:
            raise ValueError("need 0 < remote_density_low < remote_density_high")
        if self.remote_hub_far_km <= 0 or self.border_tolerance_m <= 0:
            raise ValueError("remote_hub_far_km and border_tolerance_m must be positive")


@dataclass(frozen=True)
class LandBorder:
    """The national land border, EPSG:4326.

    Attributes
    ----------
    lines
        GeoDataFrame (EPSG:4326) of border stretches with a ``country`` column
        (``KHM``, ``LAO``, ``CHN``, or empty when unnamed).
    source
        Where it was derived from, for reports.
    """

    lines: gpd.GeoDataFrame
    source: str

    @classmethod
    def none(cls) -> LandBorder:
        """Return an empty border (no commune is a border commune), e.g. for tests."""
        return cls(gpd.GeoDataFrame({"country": []}, geometry=[], crs=WGS84), "none")


def land_border_from_outline(
    outline: shapely.Geometry,
    *,
    sea_ends: tuple[tuple[float, float], tuple[float, float]] = VIETNAM_SEA_ENDS,
    inland_point: tuple[float, float] = VIETNAM_INLAND_POINT,
    neighbour_lines: gpd.GeoDataFrame | None = None,
    chunk_vertices: int = 200,
    source: str = "",
) -> LandBorder:
    """Cut the land border out of a country's outline (see the module docstring).

    Parameters
    ----------
    outline
        Polygon or MultiPolygon of the country, EPSG:4326. Its largest part is the
        mainland; only the mainland's exterior ring can hold the land border.
    sea_ends
        Lon/lat of the two points where the land border meets the sea; each snaps to
        the nearest vertex of the mainland ring.
    inland_point
        Lon/lat of a point on the land border, to tell the land arc from the coastal one.
    neighbour_lines
        Optional lines (any CRS) with ``adm0_a3_l`` / ``adm0_a3_r`` naming the countries on
        each side (Natural Earth); stretches near them take the foreign code, the rest
        ``CHN`` when given, else empty.
    chunk_vertices
        Vertices per output stretch.
    source
        Text kept in :attr:`LandBorder.source`.
    """
    parts = shapely.get_parts(outline)
    projection = Projection.for_longitudes(shapely.bounds(parts)[:, [0, 2]].ravel())
    crs = projection.crs
    areas = shapely.area(projection.project_geometries(parts))
    ring_lonlat = shapely.get_coordinates(shapely.get_exterior_ring(parts[int(np.argmax(areas))]))[
        :-1
    ]
    ring_m = projection.to_metres(ring_lonlat[:, 0], ring_lonlat[:, 1])
    tree = cKDTree(ring_m)
    anchors = projection.to_metres(
        [sea_ends[0][0], sea_ends[1][0], inland_point[0]],
        [sea_ends[0][1], sea_ends[1][1], inland_point[1]],
    )
    _, (i0, i1) = tree.query(anchors[:2])
    n = ring_m.shape[0]
    one = np.arange(int(i0), int(i0) + ((int(i1) - int(i0)) % n) + 1) % n
    other = np.arange(int(i1), int(i1) + ((int(i0) - int(i1)) % n) + 1) % n
    inland = shapely.points(anchors[2])
    forward = (
        one
        if shapely.distance(_line(ring_m[one]), inland)
        <= shapely.distance(_line(ring_m[other]), inland)
        else other[::-1]
    )
    arc = ring_lonlat[forward]
    starts = range(0, max(arc.shape[0] - 1, 1), chunk_vertices)
    pieces = [arc[s : s + chunk_vertices + 1] for s in starts]
    pieces = [p for p in pieces if p.shape[0] >= 2]
    country = _name_neighbours(pieces, neighbour_lines, crs=crs)
    lines = gpd.GeoDataFrame(
        {"country": country}, geometry=[shapely.linestrings(p) for p in pieces], crs=WGS84
    )
    return LandBorder(lines=lines, source=source)


def _line(xy: FloatArray) -> shapely.Geometry:
    line = shapely.linestrings(xy) if xy.shape[0] >= 2 else shapely.points(xy[0])
    return cast(shapely.Geometry, line)


def _name_neighbours(
    pieces: list[FloatArray], neighbour_lines: gpd.GeoDataFrame | None, *, crs: pyproj.CRS
) -> list[str]:
    if neighbour_lines is None or neighbour_lines.empty:
        return [""] * len(pieces)
    lines = neighbour_lines.to_crs(crs)
    names = []
    for left, right in zip(
        lines.get("adm0_a3_l", pd.Series([""] * len(lines))),
        lines.get("adm0_a3_r", pd.Series([""] * len(lines))),
        strict=True,
    ):
        names.append(str(right) if str(left) == "VNM" else str(left) if str(right) == "VNM" else "")
    mids = np.array([p[len(p) // 2] for p in pieces]) if pieces else np.empty((0, 2))
    mids_m = Projection(crs).to_metres(mids[:, 0], mids[:, 1]) if len(mids) else mids
    points: Any = shapely.points(mids_m)
    out = []
    vn_lines = [(g, c) for g, c in zip(lines.geometry, names, strict=True) if c]
    for point in points:
        best, best_d = "CHN", NEIGHBOUR_NAME_DISTANCE_KM * 1000.0
        for geom, code in vn_lines:
            d = float(shapely.distance(point, geom))
            if d <= best_d:
                best, best_d = code, d
        out.append(best)
    return out


def load_land_border(settings: cfg.Settings) -> LandBorder:
    """Load Vietnam's land border from the data directory, computed once per file version.

    The outline is the union of the 34 province polygons dissolved from the national
    communes (faster than dissolving 3,321 communes, same edges). The result is cached
    in memory keyed by the files' paths, sizes and modification times.

    Raises
    ------
    InputError
        If the national files are not in the data directory.
    """
    keys = land_border_input_keys(settings)
    if not keys:
        outline_file = settings.boundaries_dir / cfg.NATIONAL_FILE
        raise InputError(
            [
                Problem(
                    "no_boundaries",
                    str(outline_file),
                    params={"looked": str(settings.boundaries_dir)},
                )
            ]
        )
    return _land_border_cached(*keys[0])


def land_border_input_keys(
    settings: cfg.Settings,
) -> list[tuple[tuple[str, int, int], tuple[str, int, int]]]:
    """Keys (outline file, border lines file) of the land border's inputs; none if missing."""
    provinces = settings.boundaries_dir / cfg.PROVINCES_FILE
    national = settings.boundaries_dir / cfg.NATIONAL_FILE
    outline_file = provinces if provinces.exists() else national
    if not outline_file.exists():
        return []
    return [(_file_key(outline_file), _file_key(settings.boundaries_dir / cfg.BORDER_LINES_FILE))]


def _file_key(path: Path) -> tuple[str, int, int]:
    # the real file, so data folders that link to the same inputs share one derived copy
    if not path.exists():
        return (str(path), -1, -1)
    real = path.resolve()
    stat = real.stat()
    return (str(real), stat.st_mtime_ns, stat.st_size)


def stored_land_border_name(
    outline_key: tuple[str, int, int], lines_key: tuple[str, int, int]
) -> str:
    """File name of the derived land border for these inputs (their path, time and size)."""
    digest = hashlib.sha1(repr((outline_key, lines_key)).encode()).hexdigest()[:12]
    return f"derived_land_border_{digest}.parquet"


def prune_stored_land_borders(settings: cfg.Settings) -> list[Path]:
    """Delete derived land borders of earlier input versions; return what was deleted."""
    current = {stored_land_border_name(*keys) for keys in land_border_input_keys(settings)}
    stale = [
        p
        for p in settings.boundaries_dir.resolve().glob("derived_land_border_*.parquet")
        if p.name not in current
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@functools.lru_cache(maxsize=2)
def _land_border_cached(
    outline_key: tuple[str, int, int], lines_key: tuple[str, int, int]
) -> LandBorder:
    # A copy on disk beside the inputs (the data directory is git-ignored) spares the
    # 1-4 s union on every cold start; its name changes with the inputs' versions.
    stored = Path(outline_key[0]).parent / stored_land_border_name(outline_key, lines_key)
    source = (
        f"outline of {Path(outline_key[0]).name}; neighbours named from "
        f"{Path(lines_key[0]).name if lines_key[1] >= 0 else 'nothing'}"
    )
    if stored.exists():
        return LandBorder(gpd.read_parquet(stored), source)
    border = _compute_land_border(outline_key, lines_key, source)
    partial = stored.with_suffix(f".{os.getpid()}.tmp")
    try:
        border.lines.to_parquet(partial)
        os.replace(partial, stored)
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only data directory only costs time
    return border


def _compute_land_border(
    outline_key: tuple[str, int, int], lines_key: tuple[str, int, int], source: str
) -> LandBorder:
    polygons = gpd.read_parquet(outline_key[0], columns=["geometry"])
    geoms = polygons.geometry.to_numpy()
    outline = province_outline(geoms)  # the 34 provinces tile the country cleanly
    lines = gpd.read_file(lines_key[0]) if lines_key[1] >= 0 else None
    return land_border_from_outline(outline, neighbour_lines=lines, source=source)


@dataclass(frozen=True)
class BorderContact:
    """How much of each commune's boundary lies on the land border.

    Attributes
    ----------
    length_km
        Shared length (km) per commune.
    country
        Code of the neighbour along most of that length (empty when none).
    """

    length_km: FloatArray
    country: npt.NDArray[np.object_]


def border_contact(
    polygons: npt.NDArray[np.object_],
    border: LandBorder,
    *,
    projection: Projection,
    tolerance_m: float = FlagParams.border_tolerance_m,
) -> BorderContact:
    """Measure each commune's boundary length on the land border.

    Parameters
    ----------
    polygons
        Commune polygons, EPSG:4326.
    border
        The land border (EPSG:4326).
    projection
        Transform to the analysis CRS; every distance is measured there, in metres.
    tolerance_m
        Boundary vertices within this distance (metres) of the border count as on it.

    Notes
    -----
    Communes are first short-listed by comparing their metric bounding boxes (padded by
    the tolerance) with the border's; only the short-listed communes' vertices are
    projected and tested against the border densified to ``tolerance_m / 2``.
    """
    geoms = np.asarray(polygons, dtype=object)
    n = geoms.shape[0]
    length = np.zeros(n)
    country = np.full(n, "", dtype=object)
    if border.lines.empty or n == 0:
        return BorderContact(length, country)
    lines_m = projection.project_geometries(border.lines.geometry.to_numpy())
    dense = shapely.segmentize(lines_m, tolerance_m / 2.0)
    coords, which = shapely.get_coordinates(dense, return_index=True)
    vertex_country = border.lines["country"].to_numpy(dtype=object)[which]
    b = shapely.bounds(geoms)
    corners = projection.to_metres(b[:, [0, 0, 2, 2]].ravel(), b[:, [1, 3, 1, 3]].ravel())
    cx, cy = corners[:, 0].reshape(n, 4), corners[:, 1].reshape(n, 4)
    pad = tolerance_m + 1000.0  # generous: the lon/lat box is not exactly the metric box
    boxes = shapely.box(
        cx.min(axis=1) - pad, cy.min(axis=1) - pad, cx.max(axis=1) + pad, cy.max(axis=1) + pad
    )
    # Envelopes of a few long border lines cover most of the country: test the boxes
    # against the lines themselves so only communes near the border are short-listed.
    candidates = np.unique(shapely.STRtree(lines_m).query(boxes, predicate="intersects")[0])
    if candidates.size == 0:
        return BorderContact(length, country)
    parts, part_owner = shapely.get_parts(geoms[candidates], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    lonlat, ring_of = shapely.get_coordinates(rings, return_index=True)
    xy = projection.to_metres(lonlat[:, 0], lonlat[:, 1])
    dist, nearest = cKDTree(coords).query(xy, distance_upper_bound=tolerance_m * 1.1)
    on = np.isfinite(dist)
    both = on[1:] & on[:-1] & (ring_of[1:] == ring_of[:-1])
    seg_len = np.hypot(*(xy[1:] - xy[:-1]).T)[both]
    seg_owner = candidates[part_owner[ring_part[ring_of[:-1][both]]]]
    length = np.bincount(seg_owner, weights=seg_len, minlength=n) / 1000.0
    seg_country = vertex_country[nearest[:-1][both]]
    codes = np.array(COUNTRY_CODES, dtype=object)
    by_country = np.column_stack(
        [np.bincount(seg_owner, weights=seg_len * (seg_country == c), minlength=n) for c in codes]
    )
    country = np.where(length > 0, codes[np.argmax(by_country, axis=1)], "").astype(object)
    return BorderContact(length, country)


def remote_index(
    hub_km: FloatArray, density_per_km2: FloatArray, *, params: FlagParams = FlagParams()
) -> FloatArray:
    """Return the 0-100 remoteness index (see the module docstring)."""
    hub = np.clip(np.asarray(hub_km, dtype=float) / params.remote_hub_far_km, 0.0, 1.0)
    hub = np.where(np.isfinite(hub), hub, 1.0)
    low, high = math.log10(params.remote_density_low), math.log10(params.remote_density_high)
    dens = np.log10(np.maximum(np.asarray(density_per_km2, dtype=float), 1e-3))
    sparse_part = np.clip((high - dens) / (high - low), 0.0, 1.0)
    w = params.remote_hub_weight
    return np.asarray(100.0 * (w * hub + (1.0 - w) * sparse_part), dtype=float)


def population_reasons(communes: pd.DataFrame, *, lang: Lang) -> list[str]:
    """Say where a commune's population comes from when the data gave none ("" otherwise).

    ``communes`` needs ``population`` and ``population_source``
    (:data:`coverage.inputs.datasets.POPULATION_SOURCES`); without the latter every
    figure is the data's own.
    """
    if "population_source" not in communes.columns:
        return [""] * len(communes)
    out = []
    for source, population in zip(
        communes["population_source"], communes["population"], strict=True
    ):
        if source in ("worldpop_estimate", "missing"):
            out.append(
                i18n.t(
                    f"analysis.reason.population_{source}",
                    lang,
                    population=format_number(population, lang),
                )
            )
        else:
            out.append("")
    return out


def reasons_for(
    communes: pd.DataFrame, *, lang: Lang, params: FlagParams, horizon_weeks: float
) -> list[str]:
    """Write the plain-language reasons of each commune's flags, sentences joined by "; ".

    ``communes`` needs the analysis columns (is_border, border_km, border_country,
    is_remote, remote_source, hub_km, density_per_km2, remote_index, is_underserved,
    teams_in_reach, volunteers_in_reach, need, coverage_ratio, nearest_team_km).
    Communes with no flag get an empty string.
    """
    cols = {
        c: communes[c].to_numpy()
        for c in (
            "is_border",
            "border_km",
            "border_country",
            "is_remote",
            "remote_source",
            "hub_km",
            "density_per_km2",
            "remote_index",
            "is_underserved",
            "teams_in_reach",
            "volunteers_in_reach",
            "need",
            "coverage_ratio",
            "nearest_team_km",
        )
    }
    out = [""] * len(communes)
    flagged = np.flatnonzero(cols["is_border"] | cols["is_remote"] | cols["is_underserved"])
    threshold = format_percent(params.underserved_ratio, lang, decimals=0)
    for i in flagged:
        parts: list[str] = []
        if cols["is_border"][i]:
            parts.append(
                i18n.t(
                    "analysis.reason.border",
                    lang,
                    country=i18n.t(f"analysis.country.{cols['border_country'][i]}", lang),
                    length_km=format_number(cols["border_km"][i], lang, decimals=1),
                )
            )
        if cols["is_remote"][i]:
            if cols["remote_source"][i] == "official":
                parts.append(i18n.t("analysis.reason.remote_official", lang))
            else:
                parts.append(
                    i18n.t(
                        "analysis.reason.remote_index",
                        lang,
                        hub_km=format_number(cols["hub_km"][i], lang),
                        density=format_number(cols["density_per_km2"][i], lang),
                        index=format_number(cols["remote_index"][i], lang),
                    )
                )
        if cols["is_underserved"][i]:
            km = format_number(float(cols["nearest_team_km"][i]), lang, decimals=1)
            need = format_number(cols["need"][i], lang)
            if cols["teams_in_reach"][i] == 0:
                parts.append(i18n.t("analysis.reason.no_team", lang, km=km, need=need))
            else:
                parts.append(
                    i18n.t(
                        "analysis.reason.low_ratio",
                        lang,
                        teams=format_number(cols["teams_in_reach"][i], lang),
                        volunteers=format_number(cols["volunteers_in_reach"][i], lang),
                        need=need,
                        ratio=format_percent(float(cols["coverage_ratio"][i]), lang),
                        weeks=format_number(horizon_weeks, lang),
                        threshold=threshold,
                    )
                )
        out[i] = "; ".join(parts)
    return out


__all__ = [
    "VIETNAM_INLAND_POINT",
    "VIETNAM_SEA_ENDS",
    "BorderContact",
    "FlagParams",
    "LandBorder",
    "border_contact",
    "land_border_from_outline",
    "load_land_border",
    "reasons_for",
    "remote_index",
]
