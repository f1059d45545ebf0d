r"""Build folium maps of commune coverage that draw with no internet.

One builder, :func:`build_map`, serves both the app (shown with ``st_folium``) and the
export (:func:`map_html`, one self-contained HTML file). Display geometry is simplified
here (:func:`simplify_for_display`); every analysis stays on full-resolution polygons.

Base map and colouring
----------------------
A map is two parts. The *base map* (:func:`build_base_map`) holds what a colouring or a
filter never changes: commune polygons, province outline, flag outlines, names, teams,
reach circles, suggested sites, the legend's symbols. The *commune style*
(:func:`commune_style`) holds what they do change: each commune's fill colour, tooltip
and whether a filter dims it, the legend's colour classes and whether the reach circles
show. :func:`build_map` draws both. The app sends the base map once and, on a new
colouring or filter, only the style (:func:`style_script`, passed to ``st_folium`` the
way :func:`selection_layer` is), which restyles the polygons already drawn: a few tens
of kilobytes instead of the whole map, and Leaflet keeps the view.

Polygons travel as encoded polylines (the Google polyline algorithm, 1e-5 degrees;
:func:`encode_polygons`), about a fifth of the size of GeoJSON text; the flag outlines
reuse the commune polygons in the browser instead of carrying copies.

Offline assets
--------------
folium links Leaflet, jQuery, Bootstrap, Font Awesome and the awesome-markers plugin
from CDNs; with no internet such a map is an empty grey box. This module keeps real
folium and swaps the links of the one asset it needs, Leaflet 1.9.3, for ``data:`` URIs
read at run time from the installed ``xstatic-leaflet`` package (the same Leaflet
version folium 0.20 pins). The images Leaflet's CSS refers to (layer-switch icon,
default marker) are inlined into the CSS as ``data:`` URIs too. Nothing needs Bootstrap,
jQuery or an icon font: markers are ``CircleMarker``\s and inline-SVG ``DivIcon``\s,
the legend is a plain Leaflet control, the scale bar is Leaflet's own.

- In the app, ``streamlit_folium`` removes every ``<script src>`` and
  ``<link rel=stylesheet>`` from the map's header and loads the element's
  ``default_js``/``default_css`` URLs itself, one ``<script src=...>`` at a time inside
  its iframe; it then appends the rest of the header with ``head.innerHTML +=``, where
  inline ``<style>`` applies but inline ``<script>`` never runs. A ``data:`` URI in
  ``default_js`` therefore loads Leaflet from the page itself, with no request at all,
  and needs no files under ``static/`` nor a server route.
- :func:`map_html` renders the same map and replaces each ``data:`` link by an inline
  ``<script>``/``<style>`` element, so the exported file is one readable document
  that opens from a USB stick.

Why not ``folium-offline``: it is a whole copy of folium (import name
``offlinefolium``) that writes every asset as an inline ``<script>`` into the header.
That suits saved files, but ``st_folium`` drops inline header scripts (they are
inserted through ``innerHTML``) and only walks real ``folium`` classes for
``default_js``, so Leaflet would never load in the app; it would also add about 1.4 MB
of Bootstrap, jQuery and fonts to every map, and pin the project to a second
packager's release cadence for folium fixes. Keeping real folium and replacing one
link costs about 40 lines here and keeps ``streamlit-folium`` working unchanged.

Base-map tiles are decoration only (``tiles=None`` by default): with no tiles the map
has a plain light background, commune outlines, a province outline and commune
labels, and reads the same offline and online.

Safety
------
Every text that comes from a file (commune, team and site names, reasons) is
HTML-escaped before it reaches the map; Leaflet puts tooltip and label text into
``innerHTML``, so an unescaped ``<img onerror=...>`` in a roster would run.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast, get_args

import folium
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template

from coverage.analysis.geo import province_outline
from coverage.text.i18n import Lang, format_number, format_percent, register, t

Metric = Literal[
    "density_per_km2", "need", "coverage_ratio", "connectivity_index", "progress_ratio"
]
"""Commune columns the map can colour by."""

METRICS: Final[tuple[Metric, ...]] = get_args(Metric)
DEFAULT_METRIC: Final[Metric] = "density_per_km2"
DEFAULT_TOLERANCE_M: Final[float] = 75.0
"""Display simplification, metres; about one pixel at zoom 11."""

FLAGS: Final[tuple[str, ...]] = ("is_border", "is_remote", "is_underserved", "is_behind")
FLAG_DRAW_ORDER: Final[tuple[str, ...]] = ("is_behind", "is_underserved", "is_remote", "is_border")
"""Flag outlines bottom to top: the border line is drawn last, visible over the others."""
TOOLTIP_MAX_PX: Final[int] = 340
"""Widest a commune tooltip gets; longer text (the reasons) wraps."""

MISSING_COLOUR: Final[str] = "#d9d9d9"
BACKGROUND_COLOUR: Final[str] = "#f4f2ee"
TEAM_COLOUR: Final[str] = "#08306b"
SITE_COLOUR: Final[str] = "#1a9850"
SELECTED_COLOUR: Final[str] = "#00b7ff"

_SEQUENTIAL: Final[tuple[str, ...]] = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
_GOOD_HIGH: Final[tuple[str, ...]] = ("#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571")

FLAG_STYLE: Final[dict[str, dict[str, Any]]] = {  # shared with the static maps (staticmap.py)
    "is_border": {"color": "#111111", "weight": 3, "dashArray": "10 6"},
    "is_remote": {"color": "#6a3d9a", "weight": 3, "dashArray": "2 5", "lineCap": "round"},
    "is_underserved": {"color": "#d4006a", "weight": 3.5},
    "is_behind": {"color": "#e66101", "weight": 2.5, "dashArray": "6 3"},  # progress pages
}

register(
    {
        "map.metric.density_per_km2": {
            "vi": "Mật độ dân số (người/km²)",
            "en": "Population density (people/km²)",
        },
        "map.metric.need": {"vi": "Nhu cầu hỗ trợ", "en": "Need for help"},
        "map.metric.coverage_ratio": {
            "vi": "Mức đáp ứng (năng lực/nhu cầu)",
            "en": "Coverage (capacity/need)",
        },
        "map.metric.connectivity_index": {
            "vi": "Chỉ số kết nối số (0–100)",
            "en": "Digital connectivity index (0–100)",
        },
        "map.kind.xa": {"vi": "Xã", "en": "Commune"},
        "map.kind.phuong": {"vi": "Phường", "en": "Ward"},
        "map.kind.dac_khu": {"vi": "Đặc khu", "en": "Special zone"},
        "map.tip.kind": {"vi": "Loại", "en": "Type"},
        "map.tip.population": {"vi": "Dân số", "en": "Population"},
        "map.tip.area": {"vi": "Diện tích", "en": "Area"},
        "map.tip.team": {"vi": "Đội", "en": "Team"},
        "map.tip.members": {"vi": "Thành viên", "en": "Members"},
        "map.tip.commune": {"vi": "Xã/phường", "en": "Commune"},
        "map.tip.hours": {"vi": "Giờ/tuần", "en": "Hours/week"},
        "map.tip.need_served": {"vi": "Nhu cầu được đáp ứng thêm", "en": "Extra need served"},
        "map.tip.site": {"vi": "Đề xuất đội mới số {n}", "en": "Suggested new team {n}"},
        "map.unit.km2": {"vi": "km²", "en": "km²"},
        "map.unit.density": {"vi": "người/km²", "en": "people/km²"},
        "map.layer.communes": {"vi": "Xã/phường (tô màu)", "en": "Communes (shaded)"},
        "map.layer.labels": {"vi": "Tên xã/phường", "en": "Commune names"},
        "map.layer.province": {"vi": "Ranh giới tỉnh", "en": "Province boundary"},
        "map.layer.fixed": {"vi": "Đội cố định", "en": "Fixed teams"},
        "map.layer.mobile": {"vi": "Đội lưu động", "en": "Mobile teams"},
        "map.layer.reach": {"vi": "Phạm vi hỗ trợ của đội", "en": "Team reach"},
        "map.layer.sites": {"vi": "Vị trí đề xuất đội mới", "en": "Suggested new teams"},
        "map.layer.selected": {"vi": "Xã/phường đang chọn", "en": "Selected commune"},
        "map.flag.is_border": {"vi": "Xã biên giới", "en": "Border commune"},
        "map.flag.is_remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote area"},
        "map.flag.is_underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
        "map.flag.is_behind": {"vi": "Chậm so với chỉ tiêu", "en": "Behind target"},
        "map.metric.progress_ratio": {
            "vi": "Tiến độ so với chỉ tiêu (người được hỗ trợ/tuần)",
            "en": "Progress against target (residents helped/week)",
        },
        "map.mode.fixed": {"vi": "Đội cố định", "en": "Fixed team"},
        "map.mode.mobile": {"vi": "Đội lưu động", "en": "Mobile team"},
        "map.legend.no_data": {"vi": "Không có số liệu", "en": "No data"},
        "map.legend.symbols": {"vi": "Ký hiệu", "en": "Symbols"},
        "map.legend.heading": {"vi": "Chú giải", "en": "Legend"},
        "map.legend.reach": {
            "vi": "Phạm vi hỗ trợ ({radius} km)",
            "en": "Team reach ({radius} km)",
        },
        "map.legend.reach_column": {"vi": "Phạm vi hỗ trợ của đội", "en": "Team reach"},
        "map.legend.sample": {
            "vi": "Danh sách đội là dữ liệu MẪU, không phải danh sách thật.",
            "en": "The team roster is SAMPLE data, not the real roster.",
        },
        "map.legend.estimate": {
            "vi": "Chỉ số kết nối số là ước tính minh hoạ.",
            "en": "Digital indicators are an illustrative estimate.",
        },
    }
)


# ---------------------------------------------------------------------------- assets


@dataclass(frozen=True)
class OfflineAssets:
    """Leaflet's code and stylesheet, read from the installed ``xstatic-leaflet``.

    Attributes
    ----------
    version
        Leaflet version of the package.
    javascript
        ``leaflet.js``.
    stylesheet
        ``leaflet.css`` with its images inlined as ``data:`` URIs.
    """

    version: str
    javascript: str
    stylesheet: str

    @property
    def javascript_uri(self) -> str:
        """``data:`` URI of the code, for ``default_js``."""
        return _data_uri(self.javascript, "text/javascript")

    @property
    def stylesheet_uri(self) -> str:
        """``data:`` URI of the stylesheet, for ``default_css``."""
        return _data_uri(self.stylesheet, "text/css")


def _data_uri(text: str, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(text.encode()).decode("ascii")


@functools.cache
def offline_assets() -> OfflineAssets:
    """Return Leaflet's assets from the installed ``xstatic-leaflet`` package.

    Read once per process; the result is immutable.
    """
    from xstatic.pkg import leaflet as xstatic_leaflet

    base = Path(xstatic_leaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{encoded}")'

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    return OfflineAssets(
        version=str(xstatic_leaflet.VERSION),
        javascript=(base / "leaflet.js").read_text(encoding="utf-8"),
        stylesheet=css,
    )


_MAP_CSS: Final[str] = f"""
<style>
.leaflet-container {{ background: {BACKGROUND_COLOUR};
  font-family: "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }}
.gl-label {{ background: none; border: none; }}
.gl-label span {{ position: absolute; left: 0; top: 0; transform: translate(-50%, 7px);
  white-space: nowrap; font-size: 11px; line-height: 1; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.gl-legend {{ background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 12px; line-height: 1.35;
  max-width: 250px; max-height: calc(100vh - 60px); overflow-y: auto; color: #222; }}
.gl-legend summary {{ cursor: pointer; margin-bottom: 3px; font-size: 13px; }}
.gl-legend .gl-more > summary {{ margin: 5px 0 2px; font-size: 12px; font-weight: 700; }}
.gl-legend.gl-compact {{ padding: 4px 7px; font-size: 11px; line-height: 1.2; max-width: 185px; }}
.gl-legend.gl-compact summary {{ font-size: 12px; margin-bottom: 1px; }}
.gl-legend.gl-compact .gl-row {{ margin: 1px 0; gap: 4px; }}
.gl-legend.gl-compact .gl-sw {{ width: 12px; height: 9px; }}
.gl-legend.gl-compact .gl-note {{ font-size: 10px; }}
.gl-legend .gl-row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.gl-legend .gl-sw {{ width: 16px; height: 12px; border: 1px solid #777; flex: none; }}
.gl-legend svg {{ flex: none; }}
.gl-legend .gl-note {{ margin-top: 5px; font-size: 11px; color: #8a3b00; }}
.gl-tip {{ font-size: 12px; white-space: normal; width: max-content; max-width: {TOOLTIP_MAX_PX}px; }}
.gl-tip .gl-reasons {{ margin-top: 3px; overflow-wrap: anywhere; }}
.gl-tip .gl-reasons div {{ margin-top: 2px; }}
.gl-tip table {{ border-collapse: collapse; }}
.gl-tip th {{ text-align: left; font-weight: 600; padding: 0 8px 0 0; }}
.gl-tip td {{ padding: 0; }}
.gl-tip .gl-title {{ font-weight: 700; font-size: 13px; margin-bottom: 2px; }}
.gl-tip .gl-flag {{ color: #a3004f; font-weight: 600; }}
.gl-site {{ background: none; border: none; }}
</style>
"""


# ----------------------------------------------------------------- colour scales


@dataclass(frozen=True)
class ColourScale:
    """Classes of one metric and their colours.

    Attributes
    ----------
    metric
        Column the scale colours.
    breaks
        Inner class limits, ascending; class ``i`` holds values ``>= breaks[i-1]`` and
        ``< breaks[i]``, so there are ``len(breaks) + 1`` classes.
    colours
        One hex colour per class, lowest first.
    """

    metric: Metric
    breaks: tuple[float, ...]
    colours: tuple[str, ...]

    def colour_for(self, value: float | None) -> str:
        """Return the class colour of ``value`` (grey when missing)."""
        if value is None or not math.isfinite(value):
            return MISSING_COLOUR
        index = int(np.searchsorted(np.asarray(self.breaks), value, side="right"))
        return self.colours[index]

    def class_labels(self, lang: Lang = "vi") -> list[str]:
        """Return one label per class, e.g. ``< 50``, ``50 – 100``, ``≥ 1.000``."""
        fmt = functools.partial(format_metric, self.metric, lang=lang, unit=False)
        if not self.breaks:
            return ["–"]
        labels = [f"< {fmt(self.breaks[0])}"]
        labels += [
            f"{fmt(a)} – {fmt(b)}" for a, b in zip(self.breaks, self.breaks[1:], strict=False)
        ]
        labels.append(f"≥ {fmt(self.breaks[-1])}")
        return labels


_FIXED_BREAKS: Final[dict[Metric, tuple[float, ...]]] = {
    "coverage_ratio": (0.25, 0.5, 0.75, 1.0),
    "connectivity_index": (20.0, 40.0, 60.0, 80.0),
    "progress_ratio": (0.5, 0.8, 1.0, 1.2),
}


def _nice(value: float) -> float:
    """Round to two significant figures (3 456 -> 3 500; 0.0456 -> 0.046)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def colour_scale(communes: pd.DataFrame, metric: Metric = DEFAULT_METRIC) -> ColourScale:
    """Return the colour classes of ``metric`` for these communes.

    Density and need use quintiles rounded to two significant figures (so a legend
    reads ``250 – 1.200``); coverage ratio and the connectivity index use fixed limits
    so maps of different runs compare. Reports should use the same scale.

    Parameters
    ----------
    communes
        Frame with the ``metric`` column, or ``population`` and ``area_km2`` for the
        density.
    metric
        One of :data:`METRICS`.
    """
    palette = (
        _GOOD_HIGH
        if metric in ("coverage_ratio", "connectivity_index", "progress_ratio")
        else _SEQUENTIAL
    )
    if metric in _FIXED_BREAKS:
        return ColourScale(metric, _FIXED_BREAKS[metric], palette)
    values = metric_values(communes, metric)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return ColourScale(metric, (), palette[:1])
    quantiles = np.quantile(finite, [0.2, 0.4, 0.6, 0.8])
    breaks = sorted({_nice(float(q)) for q in quantiles if float(q) > float(finite.min())})
    step = max(1, len(palette) // (len(breaks) + 1))
    colours = palette[::step][: len(breaks) + 1] if len(breaks) + 1 < len(palette) else palette
    return ColourScale(metric, tuple(breaks), tuple(colours))


def available_metrics(communes: pd.DataFrame) -> tuple[Metric, ...]:
    """Return the metrics this frame can be coloured by, density first.

    Density needs ``density_per_km2`` or ``population`` and ``area_km2``; the others
    need their own column (added by the analysis).
    """
    found: list[Metric] = []
    for metric in METRICS:
        derivable = metric == "density_per_km2" and {"population", "area_km2"} <= set(
            communes.columns
        )
        if metric in communes.columns or derivable:
            found.append(metric)
    return tuple(found)


def metric_values(communes: pd.DataFrame, metric: Metric) -> npt.NDArray[np.float64]:
    """Return ``metric`` per commune as floats (NaN where missing).

    Raises
    ------
    KeyError
        If the frame cannot provide the metric (see :func:`available_metrics`).
    """
    if metric in communes.columns:
        column = pd.to_numeric(communes[metric], errors="coerce")
        return np.asarray(column, dtype=np.float64)
    if metric == "density_per_km2" and {"population", "area_km2"} <= set(communes.columns):
        area = pd.to_numeric(communes["area_km2"], errors="coerce").to_numpy(dtype=float)
        population = pd.to_numeric(communes["population"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            density = np.where(area > 0, population / area, np.nan)
        return cast("npt.NDArray[np.float64]", density.astype(np.float64))
    raise KeyError(
        f"column '{metric}' is not in the commune frame; found: {list(communes.columns)}"
    )


def format_metric(
    metric: Metric, value: float | None, *, lang: Lang = "vi", unit: bool = True
) -> str:
    """Format one metric value the way the map and the tables show it."""
    if value is None or not math.isfinite(value):
        return "–"
    if metric in ("coverage_ratio", "progress_ratio"):
        return format_percent(value, lang, decimals=0)
    if metric == "density_per_km2":
        text = format_number(value, lang, decimals=0 if abs(value) >= 10 else 1)
        return f"{text} {t('map.unit.density', lang)}" if unit else text
    if metric == "connectivity_index":
        return format_number(value, lang, decimals=0)
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return format_number(value, lang, decimals=decimals)


# --------------------------------------------------------------------- geometry


def simplify_for_display(
    communes: gpd.GeoDataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Simplify commune polygons for drawing, keeping shared edges shared.

    Uses ``shapely.coverage_simplify`` in the frame's UTM zone, so neighbours keep one
    common edge and no gaps or slivers open between them. For display only: analysis
    uses the full-resolution polygons.

    Parameters
    ----------
    communes
        Commune polygons with a CRS (any; EPSG:4326 from the readers).
    tolerance_m
        Simplification tolerance in metres (50–100 m reads well at province scale).

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows and columns in EPSG:4326, coordinates rounded to 1e-5 degrees.

    Raises
    ------
    ValueError
        If the frame has no CRS (the tool never guesses one).
    """
    if communes.crs is None:
        raise ValueError("commune polygons have no CRS; set one (e.g. EPSG:4326) before mapping")
    out = communes.copy()
    if len(out) == 0:
        return out.to_crs(4326)
    projected = (
        out.geometry.to_crs(out.geometry.estimate_utm_crs())
        if not out.crs.is_projected
        else out.geometry
    )
    geometries = projected.to_numpy()
    simplified = (
        shapely.coverage_simplify(geometries, tolerance_m) if tolerance_m > 0 else geometries
    )
    lost = shapely.is_empty(simplified) & ~shapely.is_empty(geometries)
    simplified = np.where(lost, geometries, simplified)
    display = gpd.GeoSeries(simplified, index=out.index, crs=projected.crs).to_crs(4326)
    rounded = shapely.transform(display.to_numpy(), lambda xy: np.round(xy, 5))
    return out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs="EPSG:4326"))


def commune_at(communes: gpd.GeoDataFrame, *, lon: float, lat: float) -> str | None:
    """Return the code of the commune containing a point, or ``None``.

    Parameters
    ----------
    communes
        Commune polygons, EPSG:4326.
    lon, lat
        The point in degrees (EPSG:4326), e.g. a map click.
    """
    point = shapely.Point(lon, lat)
    hits = communes.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return str(communes.iloc[int(hits[0])]["code"])


def encode_polygons(
    geometries: npt.ArrayLike | Sequence[shapely.Geometry],
) -> list[list[list[str]]]:
    """Encode polygons as polylines, the compact form the map sends to the browser.

    Each ring becomes one string of the Google polyline algorithm (precision 1e-5
    degrees, about 1 m): x and y of every vertex in turn, each the difference from the
    previous vertex, zig-zag encoded in 5-bit groups as characters 63-126. The closing
    vertex is left out (Leaflet closes rings). Polygons shrink to about a fifth of
    their GeoJSON text.

    Parameters
    ----------
    geometries
        Polygons or multipolygons in EPSG:4326 (x = longitude, y = latitude, degrees).
        Other geometry types and empty or missing geometries encode as no polygon.

    Returns
    -------
    list
        Per geometry, a list of polygons; per polygon, its rings (exterior first), each
        an encoded string.
    """
    shapes = np.asarray(geometries, dtype=object)
    result: list[list[list[str]]] = [[] for _ in range(len(shapes))]
    present = np.flatnonzero(~shapely.is_missing(shapes) & ~shapely.is_empty(shapes))
    if present.size == 0:
        return result
    parts, owner = shapely.get_parts(shapes[present], return_index=True)
    polygonal = shapely.get_type_id(parts) == 3  # Polygon
    parts, owner = parts[polygonal], present[owner[polygonal]]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    last = np.r_[ring_of[1:] != ring_of[:-1], True]  # the closing vertex of each ring
    coords, ring_of = coords[~last], ring_of[~last]
    if coords.size == 0:
        return result
    ints = np.rint(coords * 1e5).astype(np.int64)
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    deltas = np.diff(ints, axis=0, prepend=ints[:1])
    deltas[first] = ints[first]
    values = deltas.ravel()
    zigzag = (values << 1) ^ (values >> 63)
    groups = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> 5
    while rest.any():
        groups += rest > 0
        rest >>= 5
    width = int(groups.max())
    index = np.arange(width)
    chunks = (zigzag[:, None] >> (5 * index)) & 0x1F
    more = index[None, :] < (groups[:, None] - 1)
    chars = (chunks | (more * 0x20)) + 63
    text = chars[index[None, :] < groups[:, None]].astype(np.uint8).tobytes().decode("ascii")
    per_vertex = groups.reshape(-1, 2).sum(axis=1)
    ring_ids, starts = np.unique(ring_of, return_index=True)
    lengths = np.add.reduceat(per_vertex, starts)
    offsets = np.r_[0, np.cumsum(lengths)]
    encoded = {int(r): text[offsets[i] : offsets[i + 1]] for i, r in enumerate(ring_ids)}
    polygons: dict[int, list[str]] = {}
    for ring, part in enumerate(ring_part.tolist()):
        if ring in encoded:
            polygons.setdefault(part, []).append(encoded[ring])
    for part, geometry in enumerate(owner.tolist()):
        if part in polygons:
            result[geometry].append(polygons[part])
    return result


# ------------------------------------------------------------------------ text


def _esc(value: object) -> str:
    """HTML-escape text from a file (names, reasons) for Leaflet's ``innerHTML``.

    Braces become character references too: branca parses every rendered script again
    as a Jinja template, so a ``{{ ... }}`` in a roster would otherwise be evaluated on
    the server (or break the map with a syntax error).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _is_true(value: object) -> bool:
    return (
        bool(value)
        if value is not None and not (isinstance(value, float) and math.isnan(value))
        else False
    )


def _kind_label(kind: object, lang: Lang) -> str:
    key = f"map.kind.{kind}"
    try:
        return t(key, lang)
    except KeyError:
        return _esc(kind)


def _tip(title: str, rows: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> str:
    """Build tooltip HTML; ``title``, row values and ``extra`` must be escaped already."""
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    tail = "".join(extra)
    return f'<div class="gl-title">{title}</div><table>{body}</table>{tail}'


def _commune_title(row: Mapping[str, Any], lang: Lang) -> str:
    if lang == "vi" and str(row.get("full_name") or ""):
        return _esc(row["full_name"])
    return _esc(row.get("name", row.get("code", "")))


def _commune_tip(row: Mapping[str, Any], metric: Metric, value: float, lang: Lang) -> str:
    rows: list[tuple[str, str]] = []
    if "kind" in row:
        rows.append((t("map.tip.kind", lang), _kind_label(row["kind"], lang)))
    if "population" in row:
        rows.append((t("map.tip.population", lang), format_number(_float(row["population"]), lang)))
    if "area_km2" in row:
        area = format_number(_float(row["area_km2"]), lang, decimals=1)
        rows.append((t("map.tip.area", lang), f"{area} {t('map.unit.km2', lang)}"))
    rows.append((t(f"map.metric.{metric}", lang), format_metric(metric, value, lang=lang)))
    if metric != "density_per_km2" and "density_per_km2" in row:
        rows.append(
            (
                t("map.metric.density_per_km2", lang),
                format_metric("density_per_km2", _float(row["density_per_km2"]), lang=lang),
            )
        )
    flags = [t(f"map.flag.{flag}", lang) for flag in FLAGS if _is_true(row.get(flag))]
    extra = [f'<div class="gl-flag">{" · ".join(flags)}</div>'] if flags else []
    reason = row.get(f"reasons_{lang}")
    if reason is not None and _esc(reason):
        lines = "".join(
            f"<div>{_esc(part)}</div>" for part in str(reason).split("; ") if part.strip()
        )
        extra.append(f'<div class="gl-reasons">{lines}</div>')
    return _tip(_commune_title(row, lang), rows, extra)


def _float(value: object) -> float:
    try:
        return float(cast(Any, value))
    except (TypeError, ValueError):
        return float("nan")


# --------------------------------------------------------------- map elements


LEGEND_WIDE_PX: Final[int] = 760
"""Maps at least this wide get the full legend (at most 250 px wide); narrower, the compact
one (at most 185 px)."""


class FitBesideLegend(MacroElement):
    """Fit the map to ``bounds``, beside the legend (bottom left) when that is cheap.

    The province is kept clear of the legend's widest size when that costs at most a
    quarter zoom step; on a narrow map it would shrink the province too much, and the
    legend (compact there) may overlap its corner. One fit, before any layer is drawn,
    so no polygon is projected twice.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.bounds_json }});
            var legend = map.getSize().x >= {{ this.wide_px }} ? 285 : 210;  // widest legend + margins
            var plain = map.getBoundsZoom(bounds, false, L.point(16, 16));
            var beside = map.getBoundsZoom(bounds, false, L.point(legend + 8, 16));
            var options = beside >= plain - 0.25
                ? {paddingTopLeft: [legend, 8], paddingBottomRight: [8, 8], animate: false}
                : {padding: [8, 8], animate: false};
            map.fitBounds(bounds, options);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FitBesideLegend"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.bounds_json = _script_json([[float(v) for v in corner] for corner in bounds])
        self.wide_px = LEGEND_WIDE_PX


class _Legend(MacroElement):
    """A Leaflet control holding prepared (escaped) legend HTML.

    On a map narrower than ``wide_px`` the legend is compact (smaller type, symbols and
    notes folded away); narrower than ``open_px`` it starts folded to its heading. The
    planner opens and folds it by clicking the heading; a new colouring keeps that.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'gl-legend');
            div.innerHTML = {{ this.html_json }};
            var width = map.getSize().x;
            var wide = width >= {{ this.wide_px }};
            if (!wide) { L.DomUtil.addClass(div, 'gl-compact'); }
            var main = div.querySelector('details.gl-main');
            if (main) { main.open = width >= {{ this.open_px }}; }
            var more = div.querySelector('details.gl-more');
            if (more) { more.open = wide; }
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            map._glLegend = div;
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html_text: str,
        *,
        position: str = "bottomleft",
        wide_px: int = LEGEND_WIDE_PX,
        open_px: int = 420,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.html = html_text
        self.html_json = _script_json(html_text)
        self.position = position
        self.wide_px = int(wide_px)
        self.open_px = int(open_px)


_DECODER_JS: Final[str] = """
function glDecodeRing(text) {
    var points = [], x = 0, y = 0, i = 0, n = text.length;
    while (i < n) {
        var pair = [0, 0];
        for (var k = 0; k < 2; k++) {
            var shift = 0, value = 0, b;
            do { b = text.charCodeAt(i++) - 63; value |= (b & 31) << shift; shift += 5; } while (b >= 32);
            pair[k] = (value & 1) ? ~(value >> 1) : (value >> 1);
        }
        x += pair[0]; y += pair[1];
        points.push([x / 1e5, y / 1e5]);
    }
    return points;
}
function glDecodePolygons(polygons) {
    return polygons.map(function (rings) { return rings.map(glDecodeRing); });
}
"""


class _Decoder(MacroElement):
    """Defines ``glDecodePolygons``, the browser side of :func:`encode_polygons`."""

    _template = Template("{% macro script(this, kwargs) %}" + _DECODER_JS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PolylineDecoder"


_COMMUNE_NORMAL: Final[dict[str, Any]] = {
    "color": "#5f5f5f",
    "weight": 0.8,
    "opacity": 1.0,
    "fillOpacity": 0.78,
}
_COMMUNE_DIMMED: Final[dict[str, Any]] = {
    "color": "#a0a0a0",
    "weight": 0.5,
    "opacity": 0.7,
    "fillOpacity": 0.12,
}
_COMMUNE_HIGHLIGHT: Final[dict[str, Any]] = {
    "weight": 3,
    "color": "#000000",
    "opacity": 1.0,
    "fillOpacity": 0.9,
}
_FLAG_DIMMED_OPACITY: Final[float] = 0.12


class _CommuneLayer(Layer):
    """Commune polygons (encoded) that a :class:`CommuneStyle` shades, dims and labels.

    The layer keeps each commune's fill, tooltip and dimming in one place and exposes
    ``glRestyle(spec)`` (also as ``map._glCommunes``) to change them in place, and
    ``glFlagLayer(codes, style, className)`` to outline some communes with the same
    polygons. Until a style is applied, communes are drawn in the no-data grey.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map, data) {
            var features = data.codes.map(function (code, i) {
                return {type: 'Feature', id: code, properties: {},
                        geometry: {type: 'MultiPolygon', coordinates: glDecodePolygons(data.shapes[i])}};
            });
            var state = {fill: {}, tip: {}, dim: {}, reach: null};
            function style(feature) {
                var base = state.dim[feature.id] ? data.dimmed : data.normal;
                return L.extend({}, base, {fillColor: state.fill[feature.id] || data.missing});
            }
            var layer = L.geoJSON(features, {style: style, className: 'gl-commune', smoothFactor: 0.5});
            layer.bindTooltip(function (target) {
                var div = L.DomUtil.create('div');
                div.innerHTML = state.tip[target.feature.id] || '';
                return div;
            }, {sticky: true, className: 'gl-tip'});
            // A tooltip opens on the side of the pointer where it fits inside the map
            // (Leaflet's 'auto' only looks at which half the pointer is in).
            layer.on('mousemove', function (e) {
                var tip = layer.getTooltip();
                var box = tip && tip.getElement && tip.getElement();
                if (!box) { return; }
                var room = map.getSize().x, width = box.offsetWidth + 24, x = e.containerPoint.x;
                var side = x + width <= room ? 'right' : (x - width >= 0 ? 'left' : 'top');
                if (side !== tip.options.direction) {
                    tip.options.direction = side;
                    if (tip.isOpen()) { tip.setLatLng(e.latlng); }
                }
            });
            layer.on('mouseover', function (e) { e.layer.setStyle(data.highlight); });
            layer.on('mouseout', function (e) { layer.resetStyle(e.layer); });
            var flags = [];
            layer.glFlagLayer = function (codes, flagStyle, className) {
                var keep = {};
                codes.forEach(function (code) { keep[code] = true; });
                var group = L.geoJSON(features.filter(function (f) { return keep[f.id] === true; }), {
                    style: function (f) {
                        return L.extend({}, flagStyle, {opacity: state.dim[f.id] ? data.flagDimmed : 1});
                    },
                    interactive: false, className: className, smoothFactor: 0.5
                });
                flags.push(group);
                return group;
            };
            layer.glRestyle = function (spec) {
                state.fill = spec.fill;
                state.tip = spec.tip;
                state.dim = {};
                spec.dim.forEach(function (code) { state.dim[code] = true; });
                layer.resetStyle();
                flags.forEach(function (group) { group.resetStyle(); });
                var legend = map._glLegend;
                if (legend) {
                    var heading = legend.querySelector('.gl-heading');
                    var classes = legend.querySelector('.gl-classes');
                    if (classes) {
                        classes.innerHTML = spec.legend;
                        if (heading && heading.getAttribute('data-fixed')) {
                            var line = document.createElement('div');
                            var bold = document.createElement('b');
                            bold.textContent = spec.label;
                            line.appendChild(bold);
                            classes.insertBefore(line, classes.firstChild);
                        } else if (heading) {
                            heading.textContent = spec.label;
                        }
                    }
                }
                var reach = map._glReach;
                if (reach && spec.reach !== null && spec.reach !== state.reach) {
                    if (spec.reach) { map.addLayer(reach); } else { map.removeLayer(reach); }
                    state.reach = spec.reach;
                }
            };
            map._glCommunes = layer;
            return layer;
        })({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, display: gpd.GeoDataFrame, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "CommuneLayer"
        shapes = encode_polygons(display.geometry.to_numpy())
        kept = [
            (str(code), shape) for code, shape in zip(display["code"], shapes, strict=True) if shape
        ]
        self.codes = [code for code, _ in kept]
        self.shapes = [shape for _, shape in kept]
        self.data = {
            "codes": self.codes,
            "shapes": self.shapes,
            "normal": _COMMUNE_NORMAL,
            "dimmed": _COMMUNE_DIMMED,
            "highlight": _COMMUNE_HIGHLIGHT,
            "missing": MISSING_COLOUR,
            "flagDimmed": _FLAG_DIMMED_OPACITY,
        }
        self.data_json = _script_json(self.data)


class _FlagLayer(Layer):
    """Outlines of the communes carrying one flag, drawn from the commune layer's polygons."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.communes.get_name() }}.glFlagLayer(
            {{ this.codes_json }}, {{ this.style_json }}, {{ this.class_name_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self, communes: _CommuneLayer, codes: Sequence[str], *, flag: str, name: str
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "FlagLayer"
        self.communes = communes
        self.flag = flag
        self.codes = [str(code) for code in codes]
        self.style = {"fill": False, **FLAG_STYLE[flag]}
        self.class_name = f"gl-flag-{flag.removeprefix('is_').replace('_', '-')}"
        self.codes_json = _script_json(self.codes)
        self.style_json = _script_json(self.style)
        self.class_name_json = _script_json(self.class_name)


class _OutlineLayer(Layer):
    """One encoded (multi)polygon drawn as an outline, not interactive."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(
            {type: 'Feature', properties: {},
             geometry: {type: 'MultiPolygon', coordinates: glDecodePolygons({{ this.shape_json }})}},
            {style: function () { return {{ this.style_json }}; }, interactive: false,
             className: {{ this.class_name_json }}});
        {% endmacro %}
        """
    )

    def __init__(
        self, geometry: shapely.Geometry, *, name: str, style: Mapping[str, Any], class_name: str
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "OutlineLayer"
        self.shape = encode_polygons([geometry])[0]
        self.style = dict(style)
        self.class_name = class_name
        self.shape_json = _script_json(self.shape)
        self.style_json = _script_json(self.style)
        self.class_name_json = _script_json(class_name)


class _MapReference(MacroElement):
    """Stores a layer on the Leaflet map as ``map._gl<Key>`` so a style can find it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}._gl{{ this.key }} = {{ this.layer.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self, layer: MacroElement, *, key: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if not key.isidentifier():
            raise ValueError(f"not a JavaScript name: {key!r}")
        self._name = "MapReference"
        self.layer = layer
        self.key = key


class _ApplyStyle(MacroElement):
    """Applies a :class:`CommuneStyle` to the map's commune layer (in the exported map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}._glCommunes.glRestyle({{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, style: CommuneStyle) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "CommuneStyle"
        self.style = style
        self.spec_json = _script_json(style.spec())


class _LabelLayer(Layer):
    """Commune names as non-interactive text markers (escaped), one toggleable layer.

    Each label carries the zoom from which it fits inside its commune; the layer shows
    only those, so names never pile up at province scale.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group, labels, map) {
            var markers = labels.map(function (d) {
                return [L.marker([d[1], d[2]], {
                    icon: L.divIcon({className: 'gl-label', html: '<span>' + d[0] + '</span>', iconSize: null}),
                    interactive: false, keyboard: false
                }), d[3]];
            });
            function update() {
                var zoom = map.getZoom();
                markers.forEach(function (pair) {
                    if (zoom >= pair[1]) { group.addLayer(pair[0]); } else { group.removeLayer(pair[0]); }
                });
            }
            map.on('zoomend', update);
            update();
        })({{ this.get_name() }}, {{ this.labels|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, labels: list[tuple[str, float, float, float]], *, name: str, show: bool = True
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "CommuneLabels"
        self.labels = labels


def _label_zoom(name: str, area_km2: float, lat: float, *, floor: float) -> float:
    """Return the zoom from which ``name`` (about 6.2 px a letter) fits its commune.

    The commune's size is taken as the side of a square of its area; Web Mercator has
    ``156543 * cos(lat) / 2**zoom`` metres per pixel.
    """
    if not (area_km2 > 0 and math.isfinite(area_km2)):
        return max(floor, 11.0)
    text_px = 6.2 * len(name) + 6
    side_m = math.sqrt(area_km2) * 1000.0
    zoom = math.log2(text_px * 156543.03 * math.cos(math.radians(lat)) / side_m)
    return round(max(floor, zoom), 2)


def _feature_collection(
    frame: gpd.GeoDataFrame,
    properties: Callable[[Mapping[str, Any]], dict[str, Any]],
    *,
    id_column: str,
) -> dict[str, Any]:
    geometries = shapely.to_geojson(frame.geometry.to_numpy())
    features = []
    for (_, row), geometry in zip(frame.iterrows(), geometries, strict=True):
        if geometry is None:
            continue
        record = row.to_dict()
        features.append(
            {
                "type": "Feature",
                "id": str(record[id_column]),
                "geometry": json.loads(geometry),
                "properties": properties(record),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _point_collection(
    lons: Sequence[float],
    lats: Sequence[float],
    ids: Sequence[str],
    properties: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(ident),
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon), 6), round(float(lat), 6)],
                },
                "properties": props,
            }
            for lon, lat, ident, props in zip(lons, lats, ids, properties, strict=True)
        ],
    }


_STAR_SVG: Final[str] = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24">'
    '<polygon points="12,1.5 15,8.8 22.9,9.4 16.9,14.6 18.7,22.3 12,18.2 5.3,22.3 7.1,14.6 1.1,9.4 9,8.8" '
    f'fill="{SITE_COLOUR}" stroke="#111" stroke-width="1.3" stroke-linejoin="round"/></svg>'
)


def _symbol_svg(kind: str) -> str:
    if kind == "fixed":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="5.5" '
            f'fill="{TEAM_COLOUR}" stroke="#fff" stroke-width="1.5"/></svg>'
        )
    if kind == "mobile":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="5" '
            f'fill="#fff" stroke="{TEAM_COLOUR}" stroke-width="3"/></svg>'
        )
    if kind == "site":
        return _STAR_SVG.replace('width="26" height="26"', 'width="18" height="18"')
    if kind == "reach":
        return (
            '<svg width="16" height="16"><circle cx="8" cy="8" r="6.5" fill="rgba(8,48,107,0.08)" '
            f'stroke="{TEAM_COLOUR}" stroke-width="1.2" stroke-dasharray="3 2"/></svg>'
        )
    if kind == "selected":
        return f'<svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" fill="none" stroke="{SELECTED_COLOUR}" stroke-width="3"/></svg>'
    if kind == "province":
        return '<svg width="22" height="12"><line x1="0" y1="6" x2="22" y2="6" stroke="#222" stroke-width="2.5"/></svg>'
    style = FLAG_STYLE[kind]
    dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
    cap = ' stroke-linecap="round"' if style.get("lineCap") == "round" else ""
    return (
        f'<svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" fill="none" '
        f'stroke="{style["color"]}" stroke-width="{style["weight"]}"{dash}{cap}/></svg>'
    )


def _legend_html(
    *,
    title: str | None,
    symbols: Sequence[tuple[str, str]],
    notes: Sequence[str],
    lang: Lang,
    extra: str = "",
) -> str:
    """Return the legend's fixed part.

    The colour classes go into ``.gl-classes`` (:func:`_legend_rows`).

    ``extra`` is prepared (escaped) HTML of another layer's key, placed last.
    """
    if title:
        heading = f'<b class="gl-heading" data-fixed="1">{_esc(title)}</b>'
    else:
        heading = f'<b class="gl-heading">{t("map.legend.heading", lang)}</b>'
    parts: list[str] = [
        f'<details class="gl-main" open><summary>{heading}</summary><div class="gl-classes"></div>'
    ]
    if symbols or notes:
        parts.append(
            f'<details class="gl-more" open><summary>{t("map.legend.symbols", lang)}</summary>'
        )
        parts.extend(
            f'<div class="gl-row">{_symbol_svg(kind)}{label}</div>' for kind, label in symbols
        )
        parts.extend(f'<div class="gl-note">{note}</div>' for note in notes)
        parts.append("</details>")
    parts.append(extra)
    parts.append("</details>")
    return "".join(parts)


def _legend_rows(scale: ColourScale, *, has_missing: bool, lang: Lang) -> str:
    """Return the legend's colour classes of one colouring."""
    parts = [
        f'<div class="gl-row"><span class="gl-sw" style="background:{colour}"></span>{label}</div>'
        for colour, label in zip(scale.colours, scale.class_labels(lang), strict=True)
    ]
    if has_missing:
        parts.append(
            f'<div class="gl-row"><span class="gl-sw" style="background:{MISSING_COLOUR}"></span>'
            f"{t('map.legend.no_data', lang)}</div>"
        )
    return "".join(parts)


# -------------------------------------------------------------------- colouring


@dataclass(frozen=True)
class CommuneStyle:
    """What a colouring and a filter change on the map, ready for the browser.

    Attributes
    ----------
    metric
        The column the communes are shaded by.
    label
        The metric's name in the map's language (plain text).
    legend
        The legend's colour classes (escaped HTML).
    fills
        Commune code -> fill colour.
    tips
        Commune code -> tooltip (escaped HTML).
    dimmed
        Codes of the communes a filter leaves out, drawn faint.
    show_reach
        Show (``True``) or hide (``False``) the teams' reach circles; ``None`` leaves
        them as they are.
    """

    metric: Metric
    label: str
    legend: str
    fills: Mapping[str, str]
    tips: Mapping[str, str]
    dimmed: tuple[str, ...]
    show_reach: bool | None = None

    def spec(self) -> dict[str, Any]:
        """Return the style as the JSON object the commune layer's ``glRestyle`` takes."""
        return {
            "metric": self.metric,
            "label": self.label,
            "legend": self.legend,
            "fill": dict(self.fills),
            "tip": dict(self.tips),
            "dim": list(self.dimmed),
            "reach": self.show_reach,
        }


def commune_style(
    communes: pd.DataFrame,
    *,
    metric: Metric = DEFAULT_METRIC,
    lang: Lang = "vi",
    shown_codes: Collection[str] | None = None,
    show_reach: bool | None = None,
) -> CommuneStyle:
    """Return the shading, tooltips, dimming and legend classes of one colouring.

    The colour classes come from every commune in ``communes``, so filtering (which
    only dims) never changes them.

    Parameters
    ----------
    communes
        The communes of the base map (``code``, ``name`` and the columns described in
        :func:`build_map`); geometry is not needed.
    metric
        Column to shade by; must be in :func:`available_metrics`.
    lang
        Language of the tooltips and the legend.
    shown_codes
        Codes a filter keeps; the other communes are dimmed. ``None``: none is dimmed.
    show_reach
        Show or hide the reach circles; ``None`` leaves them as the base map has them.

    Raises
    ------
    ValueError
        If ``metric`` is not available in ``communes``.
    """
    if metric not in available_metrics(communes):
        raise ValueError(
            f"metric '{metric}' is not available; this frame supports {available_metrics(communes)}"
        )
    values = metric_values(communes, metric)
    scale = colour_scale(communes, metric)
    codes = communes["code"].astype(str).tolist()
    records = cast(
        "list[dict[str, Any]]",
        communes.drop(columns="geometry", errors="ignore").to_dict("records"),
    )
    fills = {
        code: scale.colour_for(float(value)) for code, value in zip(codes, values, strict=True)
    }
    tips = {
        code: _commune_tip(row, metric, float(value), lang)
        for code, row, value in zip(codes, records, values, strict=True)
    }
    keep = None if shown_codes is None else {str(code) for code in shown_codes}
    dimmed = () if keep is None else tuple(code for code in codes if code not in keep)
    return CommuneStyle(
        metric=metric,
        label=t(f"map.metric.{metric}", lang),
        legend=_legend_rows(scale, has_missing=bool(np.isnan(values).any()), lang=lang),
        fills=fills,
        tips=tips,
        dimmed=dimmed,
        show_reach=show_reach,
    )


def style_script(style: CommuneStyle, *, map_name: str) -> str:
    """Return JavaScript that applies ``style`` to the map named ``map_name``.

    For a map already drawn from :func:`build_base_map`: pass it to ``st_folium`` the
    way a ``feature_group_to_add`` is passed (streamlit-folium names its map
    ``map_div``), and only this (tens of kilobytes) travels on a new colouring.
    Text is escaped for HTML already. The script is meant for ``eval`` (as
    streamlit-folium runs it), not for a ``<script>`` element in a page.
    """
    if not map_name.isidentifier():
        raise ValueError(f"not a JavaScript name: {map_name!r}")
    return f"{map_name}._glCommunes.glRestyle({_script_json(style.spec(), in_html=False)});\n"


_JINJA_OPENING = re.compile(r"\{(?=[{%#])")


def _script_json(value: object, *, in_html: bool = True) -> str:
    r"""JSON safe inside ``<script>`` and inside a branca template.

    As Jinja's ``tojson``, ``<``, ``>``, ``&`` and ``'`` are escaped. So is a ``{``
    that would open a Jinja tag (``{{``, ``{%``, ``{#``): branca parses rendered scripts
    again as templates. Outside strings JSON never has these pairs, so every match is
    inside a string, where ``\u007b`` is the same character. With ``in_html=False``
    (a script run with ``eval``, never parsed as HTML) ``<``, ``>``, ``&`` and ``'``
    stay as they are, which keeps tooltips a third smaller.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    escapes = (
        (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")) if in_html else ()
    )
    for char, escape in (*escapes, ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return _JINJA_OPENING.sub(r"\\u007b", text)


# ----------------------------------------------------------------------- build


def build_map(
    communes: gpd.GeoDataFrame,
    teams: pd.DataFrame | None = None,
    *,
    metric: Metric = DEFAULT_METRIC,
    lang: Lang = "vi",
    sites: pd.DataFrame | None = None,
    reach_radius_km: float | None = None,
    show_reach: bool = False,
    show_labels: bool = True,
    label_min_zoom: float = 8.0,
    selected_code: str | None = None,
    shown_codes: Collection[str] | None = None,
    title: str | None = None,
    teams_is_sample: bool = False,
    indicators_is_estimate: bool = False,
    tiles: str | None = None,
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
    demand: pd.DataFrame | None = None,
    population_credit: str = "",
) -> folium.Map:
    """Build the coverage map: shaded communes, teams, sites, flags and a legend.

    The map needs no internet (see the module docstring): Leaflet comes from the
    installed ``xstatic-leaflet`` and no other library is used. Show it with
    ``st_folium`` or export it with :func:`map_html`. It is :func:`build_base_map`
    with :func:`commune_style` applied.

    Parameters
    ----------
    communes
        Commune polygons with a CRS (EPSG:4326 from the readers): ``code``, ``name``
        and, when present, ``full_name``, ``kind``, ``population``, ``area_km2``,
        ``label_lon``/``label_lat`` (degrees), the analysis columns (``need``,
        ``coverage_ratio``, ``connectivity_index``, ``density_per_km2``,
        ``reasons_vi``/``reasons_en``) and the flags ``is_border``, ``is_remote``,
        ``is_underserved`` (each drawn as its own outline layer).
    teams
        Roster with ``team_id``, ``team_name``, ``mode`` (``fixed``/``mobile``),
        ``latitude``/``longitude`` (degrees, EPSG:4326), optionally ``members``,
        ``commune_code``, ``weekly_hours`` and ``reach_km``.
    metric
        Column to shade by; must be in :func:`available_metrics`.
    lang
        Language of every label (``"vi"`` or ``"en"``).
    sites
        Suggested new teams (``coverage.optimize.deploy.PlanResult.sites``: ``commune_code``,
        ``commune_name``, ``lon``, ``lat`` in degrees, ``need_served``,
        ``reason_vi``/``reason_en``), drawn as stars.
    reach_radius_km
        Radius of every team's reach circle in km (a ``reach_km`` column in ``teams``
        takes precedence per team). Without either, no reach layer is drawn.
    show_reach
        Whether the reach layer is visible on opening (it is always in the layer switch
        when drawn).
    show_labels
        Whether commune names are visible on opening.
    label_min_zoom
        No name shows below this zoom level; above it, each name shows from the zoom
        at which it fits inside its commune.
    selected_code
        Commune code to outline as selected.
    shown_codes
        Codes a filter keeps; the other communes are drawn faint, not dropped, so the
        province outline and the colour classes stay the same. ``None``: none is faint.
    title
        Heading of the legend and ``<title>`` of the exported document.
    teams_is_sample, indicators_is_estimate
        Add the SAMPLE and illustrative-estimate notes to the legend.
    tiles
        Optional folium tile name or URL template shown under the communes. Decoration
        only: offline the map reads the same without it.
    simplify_tolerance_m
        Display simplification in metres (:func:`simplify_for_display`); ``None`` when
        ``communes`` is simplified already.
    demand
        The analysis' demand points (:attr:`coverage.analysis.analyze.AnalysisResult.demand`):
        those no team reaches are drawn as the "residents out of reach" layer
        (:mod:`coverage.outputs.maps_population`), off on opening. ``None``: no such layer.
    population_credit
        Credit line of the population data behind ``demand`` (printed in the legend).

    Returns
    -------
    folium.Map
        Fitted to the communes' bounds.

    Raises
    ------
    ValueError
        If ``metric`` is not available in ``communes`` or the polygons lack a CRS.
    """
    if metric not in available_metrics(communes):
        raise ValueError(
            f"metric '{metric}' is not available; this frame supports {available_metrics(communes)}"
        )
    display = _display_frame(communes, simplify_tolerance_m)
    m = _draw_base(
        display,
        teams,
        lang=lang,
        sites=sites,
        reach_radius_km=reach_radius_km,
        show_reach=show_reach,
        show_labels=show_labels,
        label_min_zoom=label_min_zoom,
        selected_code=selected_code,
        title=title,
        teams_is_sample=teams_is_sample,
        indicators_is_estimate=indicators_is_estimate,
        tiles=tiles,
        demand=demand,
        population_credit=population_credit,
    )
    if not title:
        cast(Figure, m.get_root()).title = t(f"map.metric.{metric}", lang)
    _ApplyStyle(commune_style(display, metric=metric, lang=lang, shown_codes=shown_codes)).add_to(m)
    return m


def build_base_map(
    communes: gpd.GeoDataFrame,
    teams: pd.DataFrame | None = None,
    *,
    lang: Lang = "vi",
    sites: pd.DataFrame | None = None,
    reach_radius_km: float | None = None,
    show_reach: bool = False,
    show_labels: bool = True,
    label_min_zoom: float = 8.0,
    title: str | None = None,
    teams_is_sample: bool = False,
    indicators_is_estimate: bool = False,
    tiles: str | None = None,
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
    demand: pd.DataFrame | None = None,
    population_credit: str = "",
) -> folium.Map:
    """Build what a colouring or a filter never changes; shade it with :func:`style_script`.

    The communes are drawn in the no-data grey, with no tooltip and an empty colour
    legend, until a :class:`CommuneStyle` is applied. Parameters are those of
    :func:`build_map`; ``communes`` need not have the analysis columns.

    Raises
    ------
    ValueError
        If the polygons lack a CRS.
    """
    display = _display_frame(communes, simplify_tolerance_m)
    m = _draw_base(
        display,
        teams,
        lang=lang,
        sites=sites,
        reach_radius_km=reach_radius_km,
        show_reach=show_reach,
        show_labels=show_labels,
        label_min_zoom=label_min_zoom,
        selected_code=None,
        title=title,
        teams_is_sample=teams_is_sample,
        indicators_is_estimate=indicators_is_estimate,
        tiles=tiles,
        demand=demand,
        population_credit=population_credit,
    )
    if not title:
        cast(Figure, m.get_root()).title = t("map.legend.heading", lang)
    return m


def _display_frame(
    communes: gpd.GeoDataFrame, simplify_tolerance_m: float | None
) -> gpd.GeoDataFrame:
    if communes.crs is None:
        raise ValueError("commune polygons have no CRS; set one (e.g. EPSG:4326) before mapping")
    display = (
        simplify_for_display(communes, tolerance_m=simplify_tolerance_m)
        if simplify_tolerance_m is not None
        else communes.to_crs(4326)
    )
    return display.reset_index(drop=True)


def _draw_base(
    display: gpd.GeoDataFrame,
    teams: pd.DataFrame | None,
    *,
    lang: Lang,
    sites: pd.DataFrame | None,
    reach_radius_km: float | None,
    show_reach: bool,
    show_labels: bool,
    label_min_zoom: float,
    selected_code: str | None,
    title: str | None,
    teams_is_sample: bool,
    indicators_is_estimate: bool,
    tiles: str | None,
    demand: pd.DataFrame | None = None,
    population_credit: str = "",
) -> folium.Map:
    if len(display) > 0:
        minx, miny, maxx, maxy = (float(v) for v in display.total_bounds)
    else:
        minx, miny, maxx, maxy = 102.1, 8.2, 109.5, 23.4  # Viet Nam
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=8,
        tiles=None,
        control_scale=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    assets = offline_assets()
    m.default_js = [("leaflet", assets.javascript_uri)]
    m.default_css = [("leaflet_css", assets.stylesheet_uri)]
    root = cast(Figure, m.get_root())
    root.title = _esc(title) if title else ""  # branca does not escape
    root.header.add_child(Element(_MAP_CSS), name="coverage_map_css")
    setattr(m, "_coverage_lang", lang)  # noqa: B010 - read by map_html for <html lang>

    # Fit first: layers added afterwards are projected once, at the final zoom (fitted
    # last, every polygon was projected twice, a third of the time to draw the map).
    FitBesideLegend([[miny, minx], [maxy, maxx]]).add_to(m)

    if tiles is not None:
        folium.TileLayer(tiles, name=tiles, overlay=False, control=True).add_to(m)

    _Decoder().add_to(m)
    communes = _CommuneLayer(display, name=t("map.layer.communes", lang))
    communes.add_to(m)
    if len(display) > 0:
        _OutlineLayer(
            province_outline(display.geometry.to_numpy()),
            name=t("map.layer.province", lang),
            style={"fill": False, "color": "#222222", "weight": 2.5},
            class_name="gl-province",
        ).add_to(m)

    symbols: list[tuple[str, str]] = []
    codes = display["code"].astype(str)
    # Drawn in FLAG_DRAW_ORDER, so the border line comes last, on top of the other
    # outlines (the under-served one covers most of a province); the legend keeps FLAGS' order.
    flagged_codes: dict[str, list[str]] = {}
    for flag in FLAGS:
        if flag not in display.columns:
            continue
        flagged = codes[display[flag].map(_is_true).to_numpy(dtype=bool)]
        if not flagged.empty:
            flagged_codes[flag] = flagged.tolist()
            symbols.append((flag, t(f"map.flag.{flag}", lang)))
    for flag in FLAG_DRAW_ORDER:
        if flag in flagged_codes:
            _FlagLayer(
                communes, flagged_codes[flag], flag=flag, name=t(f"map.flag.{flag}", lang)
            ).add_to(m)

    if show_labels and len(display) > 0:
        if {"label_lon", "label_lat"} <= set(display.columns):
            points = list(
                zip(
                    display["label_lon"].astype(float),
                    display["label_lat"].astype(float),
                    strict=True,
                )
            )
        else:
            reps = shapely.point_on_surface(display.geometry.to_numpy())
            points = list(
                zip(shapely.get_x(reps).tolist(), shapely.get_y(reps).tolist(), strict=True)
            )
        areas = (
            pd.to_numeric(display["area_km2"], errors="coerce").to_numpy(dtype=float)
            if "area_km2" in display.columns
            else np.full(len(display), np.nan)
        )
        labels = [
            (
                _esc(name),
                round(lat, 5),
                round(lon, 5),
                _label_zoom(str(name), float(area), lat, floor=label_min_zoom),
            )
            for name, (lon, lat), area in zip(display["name"], points, areas, strict=True)
            if math.isfinite(lon) and math.isfinite(lat)
        ]
        _LabelLayer(labels, name=t("map.layer.labels", lang)).add_to(m)

    if selected_code is not None:
        layer = selection_layer(display, selected_code, lang=lang, simplify_tolerance_m=None)
        if layer is not None:
            layer.add_to(m)
            symbols.append(("selected", t("map.layer.selected", lang)))

    if teams is not None and len(teams) > 0:
        names = dict(zip(codes, display["name"].astype(str), strict=True))
        symbols += _add_teams(
            m, teams, names=names, lang=lang, reach_radius_km=reach_radius_km, show_reach=show_reach
        )

    if sites is not None and len(sites) > 0:
        _add_sites(m, sites, lang=lang)
        symbols.append(("site", t("map.layer.sites", lang)))

    extra_legend = ""
    if demand is not None:
        from coverage.outputs.maps_population import (
            OutOfReachLayer,
            out_of_reach_legend,
            out_of_reach_points,
        )

        unreached = out_of_reach_points(demand)
        if len(unreached):
            OutOfReachLayer(unreached, name=t("map.layer.out_of_reach", lang)).add_to(m)
            extra_legend = out_of_reach_legend(lang)

    symbols.append(("province", t("map.layer.province", lang)))
    notes = []
    if teams_is_sample:
        notes.append(t("map.legend.sample", lang))
    if indicators_is_estimate:
        notes.append(t("map.legend.estimate", lang))
    if population_credit:
        notes.append(_esc(population_credit))
    _Legend(
        _legend_html(title=title, symbols=symbols, notes=notes, lang=lang, extra=extra_legend)
    ).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _ScaleBar().add_to(m)
    return m


class _ScaleBar(MacroElement):
    """Leaflet's metric scale bar (folium's own adds an imperial one too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 160, position: 'bottomleft'}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ScaleBar"


def _add_teams(
    m: folium.Map,
    teams: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: Lang,
    reach_radius_km: float | None,
    show_reach: bool,
) -> list[tuple[str, str]]:
    located = teams[
        pd.to_numeric(teams["latitude"], errors="coerce").notna()
        & pd.to_numeric(teams["longitude"], errors="coerce").notna()
    ]
    symbols: list[tuple[str, str]] = []
    radius_km: pd.Series[float] | None = None
    if "reach_km" in located.columns:
        radius_km = pd.to_numeric(located["reach_km"], errors="coerce")
        if reach_radius_km is not None:
            radius_km = radius_km.fillna(reach_radius_km)
    elif reach_radius_km is not None:
        radius_km = pd.Series(float(reach_radius_km), index=located.index)
    if radius_km is not None and radius_km.notna().any():
        reach = located[radius_km.notna()]
        radii = radius_km[radius_km.notna()]
        data = _point_collection(
            reach["longitude"].astype(float).tolist(),
            reach["latitude"].astype(float).tolist(),
            reach["team_id"].astype(str).tolist(),
            [{"radius": float(r) * 1000.0} for r in radii],
        )
        reach_layer = folium.GeoJson(
            data,
            name=t("map.layer.reach", lang),
            marker=folium.Circle(radius=1000.0),
            style_function=lambda f: {
                "radius": f["properties"]["radius"],
                "color": TEAM_COLOUR,
                "weight": 1,
                "dashArray": "4 3",
                "fillColor": TEAM_COLOUR,
                "fillOpacity": 0.05,
                "className": "gl-reach",
            },
            interactive=False,
            show=show_reach,
        )
        reach_layer.add_to(m)
        _MapReference(reach_layer, key="Reach").add_to(m)  # a style shows or hides it
        if reach_radius_km is not None and "reach_km" not in located.columns:
            symbols.append(
                (
                    "reach",
                    t(
                        "map.legend.reach",
                        lang,
                        radius=format_number(
                            reach_radius_km, lang, decimals=1 if reach_radius_km % 1 else 0
                        ),
                    ),
                )
            )
        else:
            symbols.append(("reach", t("map.legend.reach_column", lang)))

    styles: dict[str, dict[str, Any]] = {
        # className sits in the style: point layers take their options from the marker
        # and the style, not from the GeoJson layer.
        "fixed": {
            "radius": 6,
            "color": "#ffffff",
            "weight": 1.5,
            "fillColor": TEAM_COLOUR,
            "fillOpacity": 1.0,
            "className": "gl-team gl-team-fixed",
        },
        "mobile": {
            "radius": 5.5,
            "color": TEAM_COLOUR,
            "weight": 3,
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
            "className": "gl-team gl-team-mobile",
        },
    }
    for mode in ("fixed", "mobile"):
        subset = located[located["mode"].astype(str) == mode]
        if subset.empty:
            continue
        rows = cast("list[dict[str, Any]]", subset.to_dict("records"))
        props = [_team_props(row, names=names, lang=lang) for row in rows]
        data = _point_collection(
            subset["longitude"].astype(float).tolist(),
            subset["latitude"].astype(float).tolist(),
            subset["team_id"].astype(str).tolist(),
            props,
        )
        style = styles[mode]
        folium.GeoJson(
            data,
            name=t(f"map.layer.{mode}", lang),
            marker=folium.CircleMarker(**style),
            style_function=lambda _, style=style: style,
            tooltip=folium.GeoJsonTooltip(
                fields=["tip"], labels=False, sticky=False, class_name="gl-tip"
            ),
        ).add_to(m)
        symbols.append((mode, t(f"map.layer.{mode}", lang)))
    return symbols


def _team_props(row: Mapping[str, Any], *, names: Mapping[str, str], lang: Lang) -> dict[str, Any]:
    rows = [(t("map.tip.team", lang), t(f"map.mode.{row.get('mode')}", lang))]
    if "members" in row:
        rows.append((t("map.tip.members", lang), format_number(_float(row["members"]), lang)))
    if "commune_code" in row and str(row["commune_code"]) in names:
        rows.append((t("map.tip.commune", lang), _esc(names[str(row["commune_code"])])))
    if "weekly_hours" in row and math.isfinite(_float(row["weekly_hours"])):
        rows.append(
            (t("map.tip.hours", lang), format_number(_float(row["weekly_hours"]), lang, decimals=0))
        )
    title = _esc(row.get("team_name") or row.get("team_id"))
    return {"tip": _tip(title, rows)}


def _add_sites(m: folium.Map, sites: pd.DataFrame, *, lang: Lang) -> None:
    props = []
    for number, row in enumerate(sites.to_dict("records"), start=1):
        rows: list[tuple[str, str]] = []
        if "commune_name" in row:
            rows.append((t("map.tip.commune", lang), _esc(row["commune_name"])))
        if "need_served" in row and math.isfinite(_float(row["need_served"])):
            rows.append(
                (
                    t("map.tip.need_served", lang),
                    format_metric("need", _float(row["need_served"]), lang=lang),
                )
            )
        reason = row.get(f"reason_{lang}")
        extra = [f"<div>{_esc(reason)}</div>"] if reason is not None and _esc(reason) else []
        props.append({"tip": _tip(t("map.tip.site", lang, n=number), rows, extra)})
    ids = [f"site-{i}" for i in range(1, len(sites) + 1)]
    data = _point_collection(
        sites["lon"].astype(float).tolist(), sites["lat"].astype(float).tolist(), ids, props
    )
    folium.GeoJson(
        data,
        name=t("map.layer.sites", lang),
        marker=folium.Marker(
            icon=folium.DivIcon(
                html=_STAR_SVG, icon_size=(26, 26), icon_anchor=(13, 13), class_name="gl-site"
            )
        ),
        tooltip=folium.GeoJsonTooltip(
            fields=["tip"], labels=False, sticky=False, class_name="gl-tip"
        ),
    ).add_to(m)


def selection_layer(
    communes: gpd.GeoDataFrame,
    code: str,
    *,
    lang: Lang = "vi",
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
) -> folium.FeatureGroup | None:
    """Return a layer outlining one commune, or ``None`` if the code is unknown.

    In the app, pass it to ``st_folium(feature_group_to_add=...)`` so selecting a
    commune redraws only this outline, not the whole map.

    Parameters
    ----------
    communes
        Commune polygons with a CRS.
    code
        Commune code to outline.
    simplify_tolerance_m
        As in :func:`build_map`; ``None`` when already simplified.
    """
    chosen = communes[communes["code"].astype(str) == str(code)]
    if chosen.empty:
        return None
    if simplify_tolerance_m is not None:
        chosen = simplify_for_display(chosen, tolerance_m=simplify_tolerance_m)
    group = folium.FeatureGroup(name=t("map.layer.selected", lang))
    folium.GeoJson(
        _feature_collection(
            chosen[["code", "geometry"]].to_crs(4326), lambda _: {}, id_column="code"
        ),
        style_function=lambda _: {"fill": False, "color": SELECTED_COLOUR, "weight": 4},
        interactive=False,
        className="gl-selected",
    ).add_to(group)
    return group


# ----------------------------------------------------------------------- export

_DATA_SCRIPT = re.compile(
    r'<script src="data:text/javascript;charset=utf-8;base64,([A-Za-z0-9+/=]+)"></script>'
)
_DATA_STYLE = re.compile(
    r'<link rel="stylesheet" href="data:text/css;charset=utf-8;base64,([A-Za-z0-9+/=]+)"/>'
)


def map_html(m: folium.Map) -> str:
    """Return the map as one self-contained HTML document.

    Leaflet's code and stylesheet are inlined; the document makes no request to the
    internet (tiles excepted, if the map was built with ``tiles``). Render a freshly
    built map: ``st_folium`` renames a map's elements when it shows it.

    Returns
    -------
    str
        ``<!DOCTYPE html>`` document, UTF-8, ``lang`` set to the map's language.
    """
    document = str(m.get_root().render())

    def script(match: re.Match[str]) -> str:
        code = base64.b64decode(match.group(1)).decode("utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + base64.b64decode(match.group(1)).decode("utf-8") + "</style>"

    document = _DATA_SCRIPT.sub(script, document)
    document = _DATA_STYLE.sub(style, document)
    lang = getattr(m, "_coverage_lang", "vi")
    document = document.replace("<html>", f'<html lang="{lang}">', 1)
    return document.replace("<head>", '<head>\n<meta charset="utf-8">', 1)


def commune_table(communes: pd.DataFrame, *, lang: Lang = "vi") -> pd.DataFrame:
    """Return the numbers the map shows per commune, as a table for the UI.

    Columns (translated): name, type, population, area (km²), density and, when
    present, need, coverage and connectivity. Values stay numeric for sorting.
    """
    headers = {
        "vi": {
            "code": "Mã",
            "name": "Xã/phường",
            "kind": "Loại",
            "population": "Dân số",
            "area_km2": "Diện tích (km²)",
        },
        "en": {
            "code": "Code",
            "name": "Commune",
            "kind": "Type",
            "population": "Population",
            "area_km2": "Area (km²)",
        },
    }[lang]
    table = pd.DataFrame(
        {
            headers["code"]: communes["code"].astype(str).to_numpy(),
            headers["name"]: communes["name"].astype(str).to_numpy(),
        }
    )
    if "kind" in communes.columns:
        table[headers["kind"]] = [_kind_label(k, lang) for k in communes["kind"]]
    if "population" in communes.columns:
        table[headers["population"]] = pd.to_numeric(
            communes["population"], errors="coerce"
        ).to_numpy()
    if "area_km2" in communes.columns:
        table[headers["area_km2"]] = (
            pd.to_numeric(communes["area_km2"], errors="coerce").round(1).to_numpy()
        )
    for metric in available_metrics(communes):
        values = metric_values(communes, metric)
        table[t(f"map.metric.{metric}", lang)] = np.round(
            values, 0 if metric == "density_per_km2" else 2
        )
    for flag in FLAGS:
        if flag in communes.columns:
            table[t(f"map.flag.{flag}", lang)] = communes[flag].map(_is_true).to_numpy()
    return table


__all__ = [
    "DEFAULT_METRIC",
    "DEFAULT_TOLERANCE_M",
    "FLAGS",
    "FLAG_STYLE",
    "METRICS",
    "ColourScale",
    "CommuneStyle",
    "Metric",
    "OfflineAssets",
    "available_metrics",
    "build_base_map",
    "build_map",
    "colour_scale",
    "commune_at",
    "commune_style",
    "commune_table",
    "encode_polygons",
    "format_metric",
    "map_html",
    "metric_values",
    "offline_assets",
    "selection_layer",
    "simplify_for_display",
    "style_script",
]
