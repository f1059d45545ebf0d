"""What a static map is drawn from: page layouts, texts and layers, colours, CRS and classes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from pyproj import CRS

from coverage.outputs.maps import scales
from coverage.text.i18n import Lang, format_number, register

Layout = Literal["slide", "a4", "a3", "briefing", "slide_map"]
"""Page shapes: ``slide`` is a 1920x1080 PNG with title and legend panel; ``a4``/``a3``
landscape pages; ``briefing`` fits the width of an A4 portrait page; ``slide_map`` fills
a 16:9 slide under a text title (no title drawn in the image)."""

Metric = scales.Metric

A4_LANDSCAPE_IN = (297 / 25.4, 210 / 25.4)
A3_LANDSCAPE_IN = (420 / 25.4, 297 / 25.4)
SLIDE_PNG_PX = (1920, 1080)
SLIDE_PNG_DPI = 160

LAYOUTS: dict[str, tuple[tuple[float, float], float, float, bool]] = {
    "slide": ((SLIDE_PNG_PX[0] / SLIDE_PNG_DPI, SLIDE_PNG_PX[1] / SLIDE_PNG_DPI), 8.5, 0.64, True),
    "a4": (A4_LANDSCAPE_IN, 8.0, 0.64, True),
    "a3": (A3_LANDSCAPE_IN, 11.0, 0.64, True),
    "briefing": ((7.2, 6.3), 7.0, 0.63, False),
    "slide_map": ((12.3, 5.5), 8.5, 0.68, False),
}
"""Per layout: figure size (in), base font size (pt), map axes share of the width, whether to
draw the title (the reports size their pictures from it)."""

_LABEL_SCALE = {"slide": 1.2, "slide_map": 1.2, "a4": 1.1}
"""Commune names are larger on projected maps (1920 x 1080 and the slide picture) and on
A4 (about 7 pt printed)."""

register(
    {
        "staticmap.legend.coverage_ratio": {
            "vi": "Mức đáp ứng nhu cầu\n(năng lực đội / nhu cầu)",
            "en": "Need met\n(team capacity / need)",
        },
        "staticmap.legend.density_per_km2": {
            "vi": "Mật độ dân số (người/km²)",
            "en": "Population density (people/km²)",
        },
        "staticmap.legend.need": {"vi": "Nhu cầu hỗ trợ (người)", "en": "Need for help (people)"},
        "staticmap.legend.connectivity_index": {
            "vi": "Chỉ số kết nối số (0–100)",
            "en": "Connectivity index (0–100)",
        },
        "staticmap.legend.volunteers_per_1000": {
            "vi": "Tình nguyện viên / 1.000 dân",
            "en": "Volunteers per 1,000 people",
        },
        "staticmap.legend.no_data": {"vi": "Không có số liệu", "en": "No data"},
        "staticmap.legend.flags": {"vi": "Đường viền", "en": "Outlines"},
        "staticmap.legend.underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
        "staticmap.legend.border": {"vi": "Xã/phường biên giới", "en": "Border commune"},
        "staticmap.legend.remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote commune"},
        "staticmap.legend.teams": {"vi": "Đội hiện có", "en": "Existing team"},
        "staticmap.legend.sites": {
            "vi": "Đề xuất đặt đội mới (số thứ tự)",
            "en": "Proposed new team (number)",
        },
        "staticmap.legend.province": {"vi": "Ranh giới tỉnh", "en": "Province boundary"},
        "staticmap.north": {"vi": "B", "en": "N"},
        "staticmap.crs": {"vi": "Hệ toạ độ: {crs}", "en": "Coordinate system: {crs}"},
        "staticmap.legend.new_teams": {
            "vi": "Đội mới của kịch bản (M1, M2…)",
            "en": "Scenario's new team (N1, N2…)",
        },
        "staticmap.legend.moves": {
            "vi": "Đội chuyển địa bàn (từ → đến)",
            "en": "Team moved (from → to)",
        },
        "staticmap.new_mark": {"vi": "M", "en": "N"},
        "staticmap.legend.out_of_reach": {
            "vi": "Người dân ngoài tầm với",
            "en": "Residents out of reach",
        },
        "staticmap.legend.out_of_reach.scale": {
            "vi": "ô ~1 km, nhạt → đậm:\ndưới {low} → từ {high} người",
            "en": "~1 km cells, light → dark:\nunder {low} → {high}+ residents",
        },
    }
)


@dataclass(frozen=True)
class MapText:
    """Words printed around the map (already in the reader's language).

    Attributes
    ----------
    title, subtitle
        Heading and the line under it (province, date).
    sources
        Data sources, printed in the footer.
    notice
        Warning box about sample or estimated data; ``None`` when all data are real.
    """

    title: str
    subtitle: str
    sources: str
    notice: str | None = None


@dataclass(frozen=True)
class MapLayers:
    """Layers of the static map, all GeoDataFrames in EPSG:4326.

    Attributes
    ----------
    communes
        Polygons with ``name`` and, when analysed, the metric columns and the flags
        ``is_border``, ``is_remote``, ``is_underserved``; label points from
        ``label_lon``/``label_lat`` when present.
    teams
        Existing teams as points (may be empty).
    sites
        Proposed new teams as points, in the order they are numbered in tables.
    countries, provinces
        Optional grey context: neighbouring countries and provinces.
    crs
        Projected CRS in metres to draw in; ``None`` picks the local UTM zone.
    label_codes
        Communes to name on the map (every one is placed; see
        :func:`~coverage.outputs.staticmap.artists._label_communes`).
    new_teams
        A scenario's new teams as points, marked N1, N2... (M1... in Vietnamese) in order.
    moves
        A scenario's moved teams: ``from_lon``, ``from_lat``, ``to_lon``, ``to_lat``
        (degrees), drawn as arrows.
    out_of_reach
        Population cells no team reaches: ``lat``, ``lon`` (degrees), ``residents``
        (:func:`coverage.outputs.maps_population.out_of_reach_points`), drawn as grey squares
        (:mod:`coverage.outputs.staticmap.population`); ``None`` without population data.
    pictures
        Pictures already drawn from these layers (the inset maps the briefing and the
        slides share), keyed by what they show; filled as a report is written.
    """

    communes: gpd.GeoDataFrame
    teams: gpd.GeoDataFrame | None = None
    sites: gpd.GeoDataFrame | None = None
    countries: gpd.GeoDataFrame | None = None
    provinces: gpd.GeoDataFrame | None = None
    crs: Any = None
    label_codes: tuple[str, ...] = field(default=())
    new_teams: gpd.GeoDataFrame | None = None
    moves: pd.DataFrame | None = None
    out_of_reach: pd.DataFrame | None = None
    pictures: dict[tuple[Any, ...], bytes] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class _Classes:
    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]


# Same symbols as the interactive map (coverage.outputs.maps).
_NO_DATA = scales.MISSING_COLOUR
_UNDERSERVED = str(scales.FLAG_STYLE["is_underserved"]["color"])
_BORDER = str(scales.FLAG_STYLE["is_border"]["color"])
_REMOTE = str(scales.FLAG_STYLE["is_remote"]["color"])
_TEAM = scales.TEAM_COLOUR
_SITE = scales.SITE_COLOUR
_NEW_TEAM = "#6a3d9a"  # a scenario's new teams (purple squares)
_MOVE = "#e6550d"  # arrows of moved teams


def projected_crs(communes: gpd.GeoDataFrame, crs: Any = None) -> CRS:
    """Return ``crs`` if given, else the UTM zone of ``communes``; always in metres.

    Raises
    ------
    ValueError
        If ``crs`` is geographic (degrees): a scale bar would be false.
    """
    chosen = CRS.from_user_input(crs) if crs is not None else communes.estimate_utm_crs()
    if not chosen.is_projected:
        raise ValueError(f"the map must be drawn in a projected CRS in metres (got {chosen}).")
    unit = chosen.axis_info[0].unit_name
    if unit not in ("metre", "meter"):
        raise ValueError(f"the map CRS must use metres (got {unit}).")
    return chosen


def crs_label(crs: CRS, lang: Lang = "vi") -> str:
    """Describe a projected CRS for readers.

    Its EPSG name, or the projection and its central meridian for a custom transverse
    Mercator.
    """
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"{crs.name} (EPSG:{epsg})"
    operation = crs.coordinate_operation
    if operation is not None and operation.method_name == "Transverse Mercator":
        lon0 = next((p.value for p in operation.params if "longitude" in p.name.lower()), None)
        if lon0 is not None:
            meridian = format_number(float(lon0), lang, decimals=1 if float(lon0) % 1 else 0)
            if lang == "vi":
                return f"Transverse Mercator, kinh tuyến trục {meridian}° Đ, WGS 84, đơn vị mét"
            return f"Transverse Mercator, central meridian {meridian}° E, WGS 84, metres"
    return crs.name


def classify(communes: pd.DataFrame, metric: str, lang: Lang) -> tuple[_Classes, np.ndarray]:
    """Return the legend classes of ``metric`` and each commune's class (-1 = no data).

    Uses :func:`coverage.outputs.maps.scales.colour_scale`, so the static and interactive
    maps share their classes and colours.
    """
    # metric is a str: both callers first check it is in scales.available_metrics.
    scale = scales.colour_scale(communes, metric)  # type: ignore[arg-type]
    values = scales.metric_values(communes, metric)  # type: ignore[arg-type]
    edges = np.asarray(scale.breaks, dtype=float)
    cls = np.where(
        np.isfinite(values), np.searchsorted(edges, np.nan_to_num(values), side="right"), -1
    )
    labels = tuple(scale.class_labels(lang))
    return _Classes(tuple(scale.breaks), tuple(scale.colours), labels), cls


@contextmanager
def map_style() -> Iterator[None]:
    """Draw and save within the static maps' matplotlib settings (embedded DejaVu Sans)."""
    # Type 42 embeds the TrueType font: text stays selectable with correct diacritics.
    with matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "none",
            "axes.unicode_minus": False,
        }
    ):
        yield


def points_from_lonlat(frame: pd.DataFrame, *, lon: str, lat: str) -> gpd.GeoDataFrame:
    """Return ``frame`` as points (EPSG:4326) from its ``lon``/``lat`` columns in degrees."""
    valid = frame[
        pd.to_numeric(frame[lon], errors="coerce").notna()
        & pd.to_numeric(frame[lat], errors="coerce").notna()
    ]
    geometry = gpd.points_from_xy(valid[lon].astype(float), valid[lat].astype(float))
    return gpd.GeoDataFrame(valid.copy(), geometry=geometry, crs="EPSG:4326")
