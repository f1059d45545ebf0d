"""Static maps for print and slides, drawn with matplotlib in a projected CRS (metres).

Everything is drawn in a projected coordinate system whose unit is the metre (the
analysis CRS when there is one, else the local UTM zone), so the scale bar is true.
Text uses DejaVu Sans (shipped with matplotlib), which covers every Vietnamese letter;
PDFs embed it as a TrueType (Type 42) font so the text stays selectable and searchable.

The functions here take plain GeoDataFrames and strings, not the report bundle, so the
map can be drawn for any province or any frame that follows the analysis contract.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox, offset_copy
from pyproj import CRS
from shapely.geometry import box
from shapely.geometry.polygon import orient

from coverage.analysis.geo import province_outline
from coverage.outputs import maps
from coverage.text.i18n import Lang, format_number, register, t

Layout = Literal["slide", "a4", "a3", "briefing", "slide_map"]
"""Page shapes: ``slide`` is a 1920x1080 PNG with title and legend panel; ``a4``/``a3``
landscape pages; ``briefing`` fits the width of an A4 portrait page; ``slide_map`` fills
a 16:9 slide under a text title (no title drawn in the image)."""

Metric = maps.Metric

A4_LANDSCAPE_IN = (297 / 25.4, 210 / 25.4)
A3_LANDSCAPE_IN = (420 / 25.4, 297 / 25.4)
SLIDE_PNG_PX = (1920, 1080)
SLIDE_PNG_DPI = 160

# figure size (in), base font size (pt), map axes share of the width, whether to draw the title
_LAYOUTS: dict[str, tuple[tuple[float, float], float, float, bool]] = {
    "slide": ((SLIDE_PNG_PX[0] / SLIDE_PNG_DPI, SLIDE_PNG_PX[1] / SLIDE_PNG_DPI), 8.5, 0.64, True),
    "a4": (A4_LANDSCAPE_IN, 8.0, 0.64, True),
    "a3": (A3_LANDSCAPE_IN, 11.0, 0.64, True),
    "briefing": ((7.2, 6.3), 7.0, 0.63, False),
    "slide_map": ((12.3, 5.5), 8.5, 0.68, False),
}

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
        Communes to name on the map (every one is placed; see :func:`_label_communes`).
    new_teams
        A scenario's new teams as points, marked N1, N2... (M1... in Vietnamese) in order.
    moves
        A scenario's moved teams: ``from_lon``, ``from_lat``, ``to_lon``, ``to_lat``
        (degrees), drawn as arrows.
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
    pictures: dict[tuple[Any, ...], bytes] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class _Classes:
    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]


# Same symbols as the interactive map (coverage.outputs.maps).
_NO_DATA = maps.MISSING_COLOUR
_UNDERSERVED = str(maps.FLAG_STYLE["is_underserved"]["color"])
_BORDER = str(maps.FLAG_STYLE["is_border"]["color"])
_REMOTE = str(maps.FLAG_STYLE["is_remote"]["color"])
_TEAM = maps.TEAM_COLOUR
_SITE = maps.SITE_COLOUR
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

    Uses :func:`coverage.outputs.maps.colour_scale`, so the static and interactive maps share
    their classes and colours.
    """
    scale = maps.colour_scale(communes, metric)  # type: ignore[arg-type]
    values = maps.metric_values(communes, metric)  # type: ignore[arg-type]
    edges = np.asarray(scale.breaks, dtype=float)
    cls = np.where(
        np.isfinite(values), np.searchsorted(edges, np.nan_to_num(values), side="right"), -1
    )
    labels = tuple(scale.class_labels(lang))
    return _Classes(tuple(scale.breaks), tuple(scale.colours), labels), cls


@contextmanager
def _style() -> Iterator[None]:
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


def draw_map(
    layers: MapLayers,
    *,
    text: MapText,
    metric: str,
    layout: Layout = "slide",
    lang: Lang = "vi",
) -> Figure:
    """Draw the commune map with legend, scale bar, north arrow and sources.

    Parameters
    ----------
    layers
        What to draw (EPSG:4326); projected to ``layers.crs`` (metres) for drawing.
    text
        Title, subtitle, sources and sample-data notice, in ``lang``.
    metric
        Commune column to colour by (e.g. ``coverage_ratio`` or ``density_per_km2``).
    layout
        Page shape (see :data:`Layout`).
    lang
        Language of the legend.

    Returns
    -------
    matplotlib.figure.Figure
        With an Agg canvas attached; save it with :func:`save_figure`.
    """
    with _style():
        return _draw(layers, text=text, metric=metric, layout=layout, lang=lang)


def save_figure(fig: Figure, path: Path, *, dpi: float = SLIDE_PNG_DPI) -> Path:
    """Save ``fig`` as PNG or PDF (by suffix) with the fonts embedded."""
    fmt = path.suffix.lstrip(".").lower()
    metadata: dict[str, str] | None = None
    if fmt == "pdf":
        title = str(getattr(fig, "_coverage_title", ""))
        metadata = {"Title": title, "Creator": "gialai-coverage"}
    with _style():
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return path


def _draw(layers: MapLayers, *, text: MapText, metric: str, layout: str, lang: Lang) -> Figure:
    size_in, base_pt, map_share, show_title = _LAYOUTS[layout]
    fig = Figure(figsize=size_in, facecolor="white")
    FigureCanvasAgg(fig)
    fig._coverage_title = text.title  # type: ignore[attr-defined]
    width_in, height_in = size_in
    pad = 0.22 / width_in
    footer_lines = _wrap(text.sources, width_in * 0.98, base_pt * 0.78)
    footer_h = (len(footer_lines) * base_pt * 0.78 * 1.35 + 6) / 72 / height_in
    top = 1.0 - 0.12 / height_in
    if show_title:
        title_lines = _wrap(text.title, width_in * 0.96, base_pt * 1.9)
        y = top
        for line in title_lines:
            fig.text(
                0.5 * pad + 0.01,
                y,
                line,
                fontsize=base_pt * 1.9,
                fontweight="bold",
                va="top",
                ha="left",
            )
            y -= base_pt * 1.9 * 1.25 / 72 / height_in
        fig.text(
            0.5 * pad + 0.01,
            y,
            text.subtitle,
            fontsize=base_pt * 1.15,
            va="top",
            ha="left",
            color="#333333",
        )
        top = y - base_pt * 1.15 * 1.6 / 72 / height_in
    bottom = footer_h + 0.06 / height_in
    fig.text(
        0.01,
        0.05 / height_in,
        "\n".join(footer_lines),
        fontsize=base_pt * 0.78,
        va="bottom",
        ha="left",
        color="#444444",
        linespacing=1.35,
    )
    map_box = (pad * 0.5, bottom, map_share - pad, top - bottom)
    ax = fig.add_axes(map_box)
    panel = fig.add_axes((map_share + pad * 0.2, bottom, 1 - map_share - pad * 0.7, top - bottom))
    panel.set_axis_off()

    crs = projected_crs(layers.communes, layers.crs)
    communes = layers.communes.to_crs(crs)
    xmin, ymin, xmax, ymax = communes.total_bounds
    extent = _fit_extent((xmin, ymin, xmax, ymax), map_box[2] * width_in, map_box[3] * height_in)
    frame = box(*extent)
    ax.set_facecolor("#dcebf5")  # sea / outside every known polygon
    skip = (
        set(layers.communes["province"].astype(str))
        if "province" in layers.communes.columns
        else set()
    )

    for ctx, colour in ((layers.countries, "#e7e5df"), (layers.provinces, "#f4f3ef")):
        if ctx is not None and len(ctx):
            shown = ctx.to_crs(crs).clip(frame)
            shown = shown[~shown.geometry.is_empty]
            if len(shown):
                _plot_polygons(
                    ax,
                    shown.geometry,
                    facecolors=colour,
                    edgecolor="#b5b3ac",
                    linewidth=0.5,
                    zorder=1,
                )
                _context_labels(ax, shown, extent, base_pt, lang=lang, skip=skip)

    if metric not in maps.available_metrics(communes):
        raise ValueError(
            f"cannot shade the map by '{metric}'; available: {maps.available_metrics(communes)}"
        )
    classes, cls = classify(communes, metric, lang)
    fill = [classes.colors[c] if c >= 0 else _NO_DATA for c in cls]
    _plot_polygons(
        ax, communes.geometry, facecolors=fill, edgecolor="white", linewidth=0.35, zorder=3
    )

    flag_handles: list[Any] = []
    outline = communes.boundary
    if (
        "is_underserved" in communes.columns
        and communes["is_underserved"].fillna(False).astype(bool).any()
    ):
        mask = communes["is_underserved"].fillna(False).astype(bool)
        _plot_lines(ax, outline[mask], color=_UNDERSERVED, linewidth=base_pt * 0.30, zorder=4)
        flag_handles.append(
            Line2D(
                [],
                [],
                color=_UNDERSERVED,
                linewidth=base_pt * 0.30,
                label=t("staticmap.legend.underserved", lang),
            )
        )
    if "is_border" in communes.columns and communes["is_border"].fillna(False).astype(bool).any():
        mask = communes["is_border"].fillna(False).astype(bool)
        _plot_lines(
            ax,
            outline[mask],
            color=_BORDER,
            linewidth=base_pt * 0.14,
            zorder=4.1,
            linestyle=(0, (4, 2.5)),
        )
        flag_handles.append(
            Line2D(
                [],
                [],
                color=_BORDER,
                linewidth=base_pt * 0.14,
                linestyle=(0, (4, 2.5)),
                label=t("staticmap.legend.border", lang),
            )
        )
    if "is_remote" in communes.columns and communes["is_remote"].fillna(False).astype(bool).any():
        mask = communes["is_remote"].fillna(False).astype(bool)
        _plot_lines(
            ax,
            outline[mask],
            color=_REMOTE,
            linewidth=base_pt * 0.17,
            linestyle=(0, (0.6, 1.8)),
            zorder=4.2,
        )
        flag_handles.append(
            Line2D(
                [],
                [],
                color=_REMOTE,
                linewidth=base_pt * 0.17,
                dash_capstyle="round",
                linestyle=(0, (0.6, 1.8)),
                label=t("staticmap.legend.remote", lang),
            )
        )
    province = province_outline(communes.geometry.to_numpy())
    _plot_lines(
        ax,
        gpd.GeoSeries([shapely.boundary(province)]),
        color="#222222",
        linewidth=base_pt * 0.14,
        zorder=4.5,
    )

    point_handles: list[Any] = []
    if layers.teams is not None and len(layers.teams):
        teams = layers.teams.to_crs(crs)
        ax.scatter(
            teams.geometry.x,
            teams.geometry.y,
            s=base_pt * 1.3,
            c=_TEAM,
            edgecolors="white",
            linewidths=0.4,
            zorder=5,
        )
        point_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=base_pt * 0.5,
                markerfacecolor=_TEAM,
                markeredgecolor="white",
                label=t("staticmap.legend.teams", lang),
            )
        )
    site_boxes: list[Bbox] = []
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if layers.sites is not None and len(layers.sites):
        sites = layers.sites.to_crs(crs)
        # sites at the same place (several teams in one commune) share one numbered marker
        groups: dict[tuple[float, float], list[int]] = {}
        for number, (x, y) in enumerate(
            zip(sites.geometry.x, sites.geometry.y, strict=True), start=1
        ):
            groups.setdefault((round(float(x)), round(float(y))), []).append(number)
        for (x, y), numbers in groups.items():
            text_label = _numbers_label(numbers)
            label = ax.text(
                x,
                y,
                text_label,
                ha="center",
                va="center",
                fontsize=base_pt * 0.95,
                fontweight="bold",
                color="white",
                zorder=9.6,
                bbox={
                    "boxstyle": "round,pad=0.35,rounding_size=0.8",
                    "facecolor": _SITE,
                    "edgecolor": "#1a1a1a",
                    "linewidth": 0.8,
                },
            )
            site_boxes.append(label.get_window_extent(renderer).expanded(1.6, 1.8))
        point_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=base_pt * 1.2,
                markerfacecolor=_SITE,
                markeredgecolor="#1a1a1a",
                label=t("staticmap.legend.sites", lang),
            )
        )

    if layers.moves is not None and len(layers.moves):
        moves = layers.moves
        start = gpd.GeoSeries.from_xy(moves["from_lon"], moves["from_lat"], crs="EPSG:4326").to_crs(
            crs
        )
        end = gpd.GeoSeries.from_xy(moves["to_lon"], moves["to_lat"], crs="EPSG:4326").to_crs(crs)
        for a, b in zip(start, end, strict=True):
            if a.is_empty or b.is_empty or not (np.isfinite(a.x) and np.isfinite(b.x)):
                continue
            ax.annotate(
                "",
                xy=(b.x, b.y),
                xytext=(a.x, a.y),
                zorder=7.5,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": _MOVE,
                    "linewidth": base_pt * 0.22,
                    "mutation_scale": base_pt * 2.0,
                    "shrinkA": 0,
                    "shrinkB": 2,
                },
            )
        point_handles.append(
            Line2D(
                [],
                [],
                color=_MOVE,
                linewidth=base_pt * 0.22,
                marker=">",
                markersize=base_pt * 0.6,
                label=t("staticmap.legend.moves", lang),
            )
        )
    if layers.new_teams is not None and len(layers.new_teams):
        new = layers.new_teams.to_crs(crs)
        mark = t("staticmap.new_mark", lang)
        for number, (x, y) in enumerate(zip(new.geometry.x, new.geometry.y, strict=True), start=1):
            label = ax.text(
                x,
                y,
                f"{mark}{number}",
                ha="center",
                va="center",
                fontsize=base_pt * 0.85,
                fontweight="bold",
                color="white",
                zorder=9.6,
                bbox={
                    "boxstyle": "square,pad=0.3",
                    "facecolor": _NEW_TEAM,
                    "edgecolor": "#1a1a1a",
                    "linewidth": 0.8,
                },
            )
            site_boxes.append(label.get_window_extent(renderer).expanded(1.3, 1.4))
        point_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="s",
                markersize=base_pt * 1.1,
                markerfacecolor=_NEW_TEAM,
                markeredgecolor="#1a1a1a",
                label=t("staticmap.legend.new_teams", lang),
            )
        )

    fig._coverage_labels = _label_communes(  # type: ignore[attr-defined]
        ax,
        communes,
        layers.label_codes,
        base_pt=base_pt * _LABEL_SCALE.get(layout, 1.0),
        renderer=renderer,
        occupied=site_boxes,
    )
    ax.text(
        0.995,
        0.005,
        t("staticmap.crs", lang, crs=crs_label(crs, lang)),
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=base_pt * 0.62,
        color="#555555",
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.2},
    )
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)

    _legend_panel(
        panel,
        fig,
        classes=classes,
        metric=metric,
        has_no_data=bool((cls < 0).any()),
        flag_handles=flag_handles,
        point_handles=point_handles,
        notice=text.notice,
        subtitle=None,
        base_pt=base_pt,
        lang=lang,
        renderer=renderer,
    )
    # scale bar and north arrow beside the map, never over it (the border lies at its edge)
    _scale_bar(panel, fig, ax, extent, base_pt, lang)
    _north_arrow(panel, base_pt, lang)
    return fig


def draw_inset(
    layers: MapLayers,
    code: str,
    *,
    teams: gpd.GeoDataFrame | None,
    metric: str,
    size_in: tuple[float, float] = (3.4, 3.0),
    lang: Lang = "vi",
) -> Figure:
    """Draw a small map of commune ``code`` for the border-commune packets.

    Its fill, its neighbours (named), the teams that reach it (dots) and a scale bar.

    Parameters
    ----------
    layers
        The report's layers (EPSG:4326); projected to ``layers.crs`` (metres).
    code
        The commune to centre on.
    teams
        The teams that reach the commune, as points (EPSG:4326), or ``None``.
    metric
        Column the commune is shaded by (same classes as the main map).
    size_in
        Figure size in inches.
    """
    with _style():
        crs = projected_crs(layers.communes, layers.crs)
        communes = layers.communes.to_crs(crs)
        fig = Figure(figsize=size_in, facecolor="white")
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
        ax.set_facecolor("#dcebf5")
        codes = communes["code"].astype(str)
        target = communes[codes == str(code)]
        if target.empty:
            ax.set_axis_off()
            return fig
        xmin, ymin, xmax, ymax = target.total_bounds
        if teams is not None and len(teams):
            tx = teams.to_crs(crs)
            xmin, ymin = (
                min(xmin, float(tx.geometry.x.min())),
                min(ymin, float(tx.geometry.y.min())),
            )
            xmax, ymax = (
                max(xmax, float(tx.geometry.x.max())),
                max(ymax, float(tx.geometry.y.max())),
            )
        pad = max(xmax - xmin, ymax - ymin) * 0.08 + 1500
        extent = _fit_extent(
            (xmin - pad, ymin - pad, xmax + pad, ymax + pad), size_in[0] * 0.98, size_in[1] * 0.98
        )
        frame = box(*extent)
        if layers.countries is not None and len(layers.countries):
            shown = layers.countries.to_crs(crs).clip(frame)
            shown = shown[~shown.geometry.is_empty]
            if len(shown):
                _plot_polygons(
                    ax,
                    shown.geometry,
                    facecolors="#e7e5df",
                    edgecolor="#b5b3ac",
                    linewidth=0.5,
                    zorder=1,
                )
        classes, cls = (
            classify(communes, metric, lang)
            if metric in maps.available_metrics(communes)
            else (None, None)
        )
        fills = ["#f4f3ef"] * len(communes)
        if classes is not None and cls is not None:
            fills = [classes.colors[c] if c >= 0 else _NO_DATA for c in cls]
        is_target = (codes == str(code)).to_numpy()
        faded = [f if hit else "#eeeeee" for f, hit in zip(fills, is_target, strict=True)]
        _plot_polygons(
            ax, communes.geometry, facecolors=faded, edgecolor="#9a9a9a", linewidth=0.4, zorder=2
        )
        _plot_lines(
            ax,
            target.boundary,
            color=_UNDERSERVED
            if bool(
                target.get("is_underserved", pd.Series([False])).fillna(False).astype(bool).iloc[0]
            )
            else "#222222",
            linewidth=1.6,
            zorder=4,
        )
        province = shapely.coverage_union_all(communes.geometry.to_numpy())
        _plot_lines(
            ax, gpd.GeoSeries([province.boundary]), color="#222222", linewidth=0.9, zorder=4.5
        )
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        occupied: list[Bbox] = []
        if teams is not None and len(teams):
            tx = teams.to_crs(crs)
            ax.scatter(
                tx.geometry.x,
                tx.geometry.y,
                s=22,
                c=_TEAM,
                edgecolors="white",
                linewidths=0.6,
                zorder=9.5,
            )
            for x, y in ax.transData.transform(np.column_stack([tx.geometry.x, tx.geometry.y])):
                occupied.append(Bbox.from_extents(x - 4, y - 4, x + 4, y + 4))
        inside = communes[communes.intersects(frame)]
        order = [str(code)] + [c for c in inside["code"].astype(str) if c != str(code)]
        _label_communes(
            ax, inside, order, base_pt=7.0, renderer=renderer, occupied=occupied, required=1
        )
        width = extent[2] - extent[0]
        length = _nice_length_m(width)
        x0, y0 = extent[0] + width * 0.05, extent[1] + (extent[3] - extent[1]) * 0.05
        ax.add_patch(
            Rectangle(
                (x0 - width * 0.02, y0 - width * 0.02),
                length + width * 0.12,
                width * 0.08,
                facecolor="white",
                alpha=0.85,
                edgecolor="none",
                zorder=10,
            )
        )
        ax.plot([x0, x0 + length], [y0, y0], color="#222222", linewidth=2.0, zorder=11)
        ax.text(
            x0 + length / 2,
            y0 + width * 0.012,
            format_number(length / 1000, lang, decimals=0 if (length / 1000).is_integer() else 1)
            + " km",
            ha="center",
            va="bottom",
            fontsize=6.5,
            zorder=12,
        )
        for spine in ax.spines.values():
            spine.set_edgecolor("#888888")
            spine.set_linewidth(0.6)
        return fig


def _numbers_label(numbers: Sequence[int]) -> str:
    """``[1, 2, 3]`` -> ``1–3``; ``[1, 4]`` -> ``1, 4``."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _polygon_path(geom: Any) -> MplPath:
    rings: list[MplPath] = []
    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        poly = orient(poly, sign=1.0)  # holes wind the other way: nonzero fill leaves them open
        for ring in (poly.exterior, *poly.interiors):
            rings.append(MplPath(np.asarray(ring.coords)[:, :2], closed=True))
    return MplPath.make_compound_path(*rings) if rings else MplPath(np.zeros((0, 2)))


def _plot_polygons(
    ax: Any,
    geoms: gpd.GeoSeries,
    *,
    facecolors: Any,
    edgecolor: str,
    linewidth: float,
    zorder: float,
) -> None:
    paths = [_polygon_path(g) for g in geoms]
    collection = PathCollection(
        paths, facecolors=facecolors, edgecolors=edgecolor, linewidths=linewidth, zorder=zorder
    )
    ax.add_collection(collection, autolim=False)


def _plot_lines(
    ax: Any,
    geoms: gpd.GeoSeries,
    *,
    color: str,
    linewidth: float,
    zorder: float,
    linestyle: Any = "solid",
) -> None:
    segments: list[np.ndarray] = []
    for geom in geoms:
        for line in getattr(geom, "geoms", [geom]):
            if not line.is_empty:
                segments.append(np.asarray(line.coords)[:, :2])
    ax.add_collection(
        LineCollection(
            segments,
            colors=color,
            linewidths=linewidth,
            linestyles=linestyle,
            zorder=zorder,
            capstyle="round",
            joinstyle="round",
        ),
        autolim=False,
    )


def _fit_extent(
    bounds: tuple[float, float, float, float], box_w_in: float, box_h_in: float
) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = bounds
    w, h = (xmax - xmin) * 1.06, (ymax - ymin) * 1.06
    target = box_w_in / box_h_in
    if w / h < target:
        w = h * target
    else:
        h = w / target
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _wrap(text: str, width_in: float, font_pt: float) -> list[str]:
    chars = max(20, int(width_in * 72 / (font_pt * 0.55)))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, chars) or [""])
    return lines


def _halo_text(
    ax: Any, x: float, y: float, text: str, *, halo_pt: float = 2.2, **kwargs: Any
) -> Any:
    """Draw ``text`` over a white halo.

    The halo is a separate path-only artist so the text itself stays real (selectable)
    text in PDFs. Returns the text artist; its halo
    is kept in ``text._coverage_halo`` so both move and disappear together.
    """
    halo = ax.text(
        x,
        y,
        text,
        path_effects=[patheffects.Stroke(linewidth=halo_pt, foreground="white")],
        **kwargs,
    )
    halo.set_color("white")
    label = ax.text(x, y, text, **kwargs)
    label.set_zorder(halo.get_zorder() + 0.01)
    label._coverage_halo = halo
    return label


_COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "KHM": {"vi": "CAMPUCHIA", "en": "CAMBODIA"},
    "LAO": {"vi": "LÀO", "en": "LAOS"},
}


def _context_labels(
    ax: Any,
    frame: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float],
    base_pt: float,
    *,
    lang: Lang,
    skip: set[str],
) -> None:
    xmin, ymin, xmax, ymax = extent
    w, h = xmax - xmin, ymax - ymin
    inner = box(xmin + w * 0.12, ymin + h * 0.1, xmax - w * 0.12, ymax - h * 0.1)
    for _, row in frame.iterrows():
        if "iso_a3" in frame.columns:
            iso = str(row["iso_a3"])
            if iso not in _COUNTRY_NAMES:
                continue
            name = _COUNTRY_NAMES[iso][lang]
        elif "province" in frame.columns:
            name = str(row["province"])
            if name in skip:
                continue
        else:
            continue
        geom = row.geometry.intersection(inner)
        if geom.is_empty or geom.area < inner.area * 0.02:
            continue
        point = geom.representative_point()
        _halo_text(
            ax,
            point.x,
            point.y,
            name,
            halo_pt=1.5,
            fontsize=base_pt * 0.9,
            color="#8a877e",
            style="italic",
            ha="center",
            va="center",
            zorder=2,
            clip_on=True,
        )


_RINGS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((0, 0),),
    ((0, 1), (0, -1), (1.5, 0), (-1.5, 0), (1.2, 1), (-1.2, -1), (1.2, -1), (-1.2, 1)),
    ((0, 2), (0, -2), (2.6, 0), (-2.6, 0), (2.2, 1.6), (-2.2, -1.6), (2.2, -1.6), (-2.2, 1.6)),
    ((0, 3), (0, -3), (3.6, 0), (-3.6, 0), (3.0, 2.4), (-3.0, -2.4), (3.0, -2.4), (-3.0, 2.4)),
    ((0, 4.2), (0, -4.2), (4.6, 0), (-4.6, 0), (4.0, 3.2), (-4.0, -3.2), (4.0, -3.2), (-4.0, 3.2)),
)
"""Label offsets tried in turn, in steps of 1.2 x the base font size (x, y)."""


def _label_communes(
    ax: Any,
    communes: gpd.GeoDataFrame,
    codes: Sequence[str],
    *,
    base_pt: float,
    renderer: Any,
    occupied: list[Bbox],
    required: int | None = None,
) -> list[dict[str, Any]]:
    """Name the communes ``codes`` with labels that never overlap each other or ``occupied``.

    Placement rule (in order of ``codes``, the first ``required`` of them must be named,
    all of them by default): try the commune's label point, then rings of 8 positions
    further out (:data:`_RINGS`); from the third ring on, a thin leader line joins the
    label to its commune. A required label that still finds no free place is tried again
    at 80% of the size; only then is it put where it overlaps least. Optional labels
    (after ``required``) are dropped when no free place exists. Labels stay inside the map.

    Returns
    -------
    list of dict
        One per label drawn: ``code``, ``name``, ``bbox`` (display units), ``overlaps``.
    """
    from coverage.outputs.safe_output import display_name

    out: list[dict[str, Any]] = []
    if not codes:
        return out
    required = len(codes) if required is None else required
    by_code = communes.set_index(communes["code"].astype(str))
    placed = list(occupied)
    ax_box = ax.get_window_extent(renderer)
    step = base_pt * 1.2  # points, so offsets scale with the text at any dpi
    for index, code in enumerate(codes):
        if code not in by_code.index:
            continue
        row = by_code.loc[code]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        if "label_lon" in by_code.columns and pd.notna(row.get("label_lon")):
            pt = gpd.GeoSeries.from_xy([row["label_lon"]], [row["label_lat"]], crs="EPSG:4326")
            pt = pt.to_crs(communes.crs).iloc[0]
        else:
            pt = row.geometry.representative_point()
        name = display_name(row["name"], 40)
        must = index < required
        best: tuple[float, Any, Any, Bbox, tuple[float, float]] | None = None
        done = False
        for scale in (1.0, 0.8) if must else (1.0,):
            label = _halo_text(
                ax,
                pt.x,
                pt.y,
                name,
                fontsize=base_pt * 0.78 * scale,
                ha="center",
                va="center",
                zorder=9,
                color="#111111",
            )
            halo = label._coverage_halo
            for ring_no, ring in enumerate(_RINGS):
                for dx, dy in ring:
                    transform = offset_copy(
                        ax.transData, fig=ax.figure, x=dx * step, y=dy * step, units="points"
                    )
                    label.set_transform(transform)
                    halo.set_transform(transform)
                    bb = label.get_window_extent(renderer).expanded(1.04, 1.1)
                    inside = (
                        bb.x0 >= ax_box.x0
                        and bb.x1 <= ax_box.x1
                        and bb.y0 >= ax_box.y0
                        and bb.y1 <= ax_box.y1
                    )
                    if not inside:
                        continue
                    clash = sum(_overlap_area(bb, o) for o in placed)
                    if clash == 0:
                        _leader(ax, pt, (dx, dy), step, ring_no)
                        placed.append(bb)
                        out.append({"code": code, "name": name, "bbox": bb, "overlaps": False})
                        done = True
                        break
                    if best is None or clash < best[0]:
                        best = (clash, label, halo, bb, (dx, dy))
                if done:
                    break
            if done:
                break
            if must and scale != 0.8:
                label.remove()
                halo.remove()
                best = None
        if done:
            continue
        if must and best is not None:
            _, label, halo, bb, (dx, dy) = best
            transform = offset_copy(
                ax.transData, fig=ax.figure, x=dx * step, y=dy * step, units="points"
            )
            label.set_transform(transform)
            halo.set_transform(transform)
            _leader(ax, pt, (dx, dy), step, 2 if (dx, dy) != (0, 0) else 0)
            placed.append(bb)
            out.append({"code": code, "name": name, "bbox": bb, "overlaps": True})
        else:
            label.remove()
            halo.remove()
    return out


def _overlap_area(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(w * h) if w > 0 and h > 0 else 0.0


def _leader(ax: Any, pt: Any, offset: tuple[float, float], step: float, ring_no: int) -> None:
    """Return a thin line from a commune's label point towards a label placed far from it."""
    if ring_no < 2:
        return
    dx, dy = offset
    ax.plot([pt.x], [pt.y], marker="o", markersize=1.6, color="#333333", zorder=8.9)
    ax.annotate(
        "",
        xy=(pt.x, pt.y),
        xytext=(dx * step * 0.72, dy * step * 0.72),
        textcoords="offset points",
        arrowprops={
            "arrowstyle": "-",
            "color": "#444444",
            "linewidth": 0.5,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        zorder=8.8,
    )


def _nice_length_m(width_m: float) -> float:
    target = width_m * 0.16
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if km * 1000 >= target:
            return km * 1000.0
    return 1000_000.0


def _scale_bar(
    panel: Any,
    fig: Figure,
    ax: Any,
    extent: tuple[float, float, float, float],
    base_pt: float,
    lang: Lang,
) -> None:
    """Return a true scale bar in the legend panel (bottom left), measured on the map axes."""
    xmin, _, xmax, _ = extent
    width = xmax - xmin
    length = _nice_length_m(width)
    map_w_in = ax.get_position().width * fig.get_figwidth()
    panel_w_in = panel.get_position().width * fig.get_figwidth()
    panel_h_in = panel.get_position().height * fig.get_figheight()
    bar_w = (length / width) * map_w_in / panel_w_in  # panel fraction
    x0, y0 = 0.02, 0.035
    bar_h = base_pt * 0.45 / 72 / panel_h_in
    half = bar_w / 2
    for i, colour in enumerate(("#222222", "white", "#222222", "white")):
        panel.add_patch(
            Rectangle(
                (x0 + i * half / 2, y0),
                half / 2,
                bar_h,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.6,
                transform=panel.transAxes,
                clip_on=False,
                zorder=11,
            )
        )
    km = length / 1000
    for pos, value in ((0.0, 0.0), (half, km / 2), (bar_w, km)):
        label = format_number(value, lang, decimals=0 if float(value).is_integer() else 1)
        panel.text(
            x0 + pos,
            y0 + bar_h * 1.6,
            label + (" km" if pos == bar_w else ""),
            ha="center",
            va="bottom",
            fontsize=base_pt * 0.8,
            transform=panel.transAxes,
            clip_on=False,
            zorder=12,
        )


def _north_arrow(panel: Any, base_pt: float, lang: Lang) -> None:
    """North arrow in the legend panel, right of the scale bar (the map is drawn north up)."""
    x, y = 0.86, 0.035
    panel.add_patch(
        FancyArrow(
            x,
            y,
            0,
            0.07,
            width=0.018,
            head_width=0.05,
            head_length=0.03,
            length_includes_head=True,
            transform=panel.transAxes,
            facecolor="#222222",
            edgecolor="#222222",
            zorder=11,
            clip_on=False,
        )
    )
    panel.text(
        x,
        y + 0.075,
        t("staticmap.north", lang),
        transform=panel.transAxes,
        ha="center",
        va="bottom",
        fontsize=base_pt * 1.1,
        fontweight="bold",
        zorder=12,
    )


def _legend_panel(
    panel: Any,
    fig: Figure,
    *,
    classes: _Classes,
    metric: str,
    has_no_data: bool,
    flag_handles: list[Any],
    point_handles: list[Any],
    notice: str | None,
    subtitle: str | None,
    base_pt: float,
    lang: Lang,
    renderer: Any,
) -> None:
    fill_handles = [
        Patch(facecolor=c, edgecolor="#999999", linewidth=0.4, label=lab)
        for c, lab in zip(classes.colors, classes.labels, strict=False)
    ]
    if has_no_data:
        fill_handles.append(
            Patch(
                facecolor=_NO_DATA,
                edgecolor="#999999",
                linewidth=0.4,
                label=t("staticmap.legend.no_data", lang),
            )
        )
    y = 1.0
    if subtitle:
        txt = panel.text(
            0.0,
            y,
            subtitle,
            transform=panel.transAxes,
            fontsize=base_pt * 1.05,
            va="top",
            ha="left",
            color="#333333",
        )
        y -= _height_axes(txt, panel, renderer) + 0.02
    key = f"staticmap.legend.{metric}"
    legends = [
        (t(key, lang) if key in _legend_keys() else metric, fill_handles),
        (
            t("staticmap.legend.flags", lang),
            [
                *flag_handles,
                Line2D(
                    [],
                    [],
                    color="#222222",
                    linewidth=base_pt * 0.14,
                    label=t("staticmap.legend.province", lang),
                ),
            ],
        ),
    ]
    if point_handles:
        legends.append(("", point_handles))
    for title, handles in legends:
        leg = Legend(
            panel,
            handles,
            [h.get_label() for h in handles],
            title=title or None,
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            frameon=False,
            fontsize=base_pt * 1.0,
            title_fontsize=base_pt * 1.08,
            alignment="left",
            borderaxespad=0.0,
            handlelength=2.2,
            handleheight=1.1,
            labelspacing=0.45,
        )
        leg.get_title().set_fontweight("bold")
        panel.add_artist(leg)
        y -= _height_axes(leg, panel, renderer) + 0.035
    if notice:
        width_in = panel.get_position().width * fig.get_figwidth()
        lines = _wrap(notice, width_in * 0.9, base_pt * 0.95)
        panel.text(
            0.0,
            y - 0.01,
            "\n".join(lines),
            transform=panel.transAxes,
            fontsize=base_pt * 0.95,
            va="top",
            ha="left",
            color="#7a1d00",
            linespacing=1.3,
            bbox={"facecolor": "#fff3e0", "edgecolor": "#e08a3c", "boxstyle": "round,pad=0.5"},
        )


def _legend_keys() -> set[str]:
    return {
        f"staticmap.legend.{m}"
        for m in (
            "coverage_ratio",
            "density_per_km2",
            "need",
            "connectivity_index",
            "volunteers_per_1000",
        )
    }


def _height_axes(artist: Any, panel: Any, renderer: Any) -> float:
    bb = artist.get_window_extent(renderer)
    return float(bb.height / panel.get_window_extent(renderer).height)


def points_from_lonlat(frame: pd.DataFrame, *, lon: str, lat: str) -> gpd.GeoDataFrame:
    """Return ``frame`` as points (EPSG:4326) from its ``lon``/``lat`` columns in degrees."""
    valid = frame[
        pd.to_numeric(frame[lon], errors="coerce").notna()
        & pd.to_numeric(frame[lat], errors="coerce").notna()
    ]
    geometry = gpd.points_from_xy(valid[lon].astype(float), valid[lat].astype(float))
    return gpd.GeoDataFrame(valid.copy(), geometry=geometry, crs="EPSG:4326")


__all__ = [
    "A3_LANDSCAPE_IN",
    "A4_LANDSCAPE_IN",
    "SLIDE_PNG_DPI",
    "SLIDE_PNG_PX",
    "MapLayers",
    "MapText",
    "classify",
    "draw_map",
    "points_from_lonlat",
    "projected_crs",
    "save_figure",
]
