"""Draw the whole static map (province, communes, teams, sites, legend) and save it.

:func:`_draw` lays the map out in named steps, each drawing one layer in the order they
stack: the page (title, footer, axes), the grey context, the commune fills, the residents
out of reach (with WorldPop demand), the flag outlines, the province line, teams, then the
numbered sites, moves and a scenario's new teams, the commune names and the legend panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox
from shapely.geometry import box

from coverage.analysis.geo import province_outline
from coverage.outputs.maps import scales
from coverage.outputs.maps.geometry import far_from_view
from coverage.outputs.staticmap.artists import (
    _context_labels,
    _fit_extent,
    _label_communes,
    _numbers_label,
    _plot_lines,
    _plot_polygons,
    _wrap,
)
from coverage.outputs.staticmap.furniture import _legend_panel, _north_arrow, _scale_bar
from coverage.outputs.staticmap.model import (
    _BORDER,
    _LABEL_SCALE,
    _MOVE,
    _NEW_TEAM,
    _NO_DATA,
    _REMOTE,
    _SITE,
    _TEAM,
    _UNDERSERVED,
    LAYOUTS,
    SLIDE_PNG_DPI,
    Layout,
    MapLayers,
    MapText,
    _Classes,
    classify,
    crs_label,
    map_style,
    projected_crs,
)
from coverage.outputs.staticmap.population import draw_out_of_reach, out_of_reach_key
from coverage.text.i18n import Lang, t


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
    with map_style():
        return _draw(layers, text=text, metric=metric, layout=layout, lang=lang)


def save_figure(fig: Figure, path: Path, *, dpi: float = SLIDE_PNG_DPI) -> Path:
    """Save ``fig`` as PNG or PDF (by suffix) with the fonts embedded."""
    fmt = path.suffix.lstrip(".").lower()
    metadata: dict[str, str] | None = None
    if fmt == "pdf":
        title = str(getattr(fig, "_coverage_title", ""))
        metadata = {"Title": title, "Creator": "gialai-coverage"}
    with map_style():
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return path


def _draw(layers: MapLayers, *, text: MapText, metric: str, layout: str, lang: Lang) -> Figure:
    size_in, base_pt, map_share, show_title = LAYOUTS[layout]
    page = _page(text, size_in=size_in, base_pt=base_pt, map_share=map_share, title=show_title)
    fig, ax = page.fig, page.ax
    crs = projected_crs(layers.communes, layers.crs)
    communes = layers.communes.to_crs(crs)
    far = far_from_view(communes)
    xmin, ymin, xmax, ymax = communes[~far].total_bounds
    extent = _fit_extent((xmin, ymin, xmax, ymax), page.map_w_in, page.map_h_in)
    _context(ax, layers, crs, extent, base_pt=base_pt, lang=lang)
    classes, cls = _commune_fills(ax, communes, metric, lang)
    population = None
    if layers.out_of_reach is not None:
        if draw_out_of_reach(ax, layers.out_of_reach, crs) is not None:
            population = out_of_reach_key(lang)
    flag_handles = _flag_outlines(ax, communes, base_pt=base_pt, lang=lang)
    _province_line(ax, communes, base_pt=base_pt)
    point_handles = _team_points(ax, layers, crs, base_pt=base_pt, lang=lang)
    site_boxes: list[Bbox] = []
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    _frame_axes(ax, extent)
    marks = _Marks(ax, crs, base_pt, lang, renderer, site_boxes)
    point_handles += _site_markers(marks, layers)
    point_handles += _move_arrows(marks, layers)
    point_handles += _new_team_markers(marks, layers)
    fig._coverage_labels = _label_communes(  # type: ignore[attr-defined]
        ax,
        communes,
        layers.label_codes,
        base_pt=base_pt * _LABEL_SCALE.get(layout, 1.0),
        renderer=renderer,
        occupied=site_boxes,
    )
    _crs_note(ax, crs, base_pt=base_pt, lang=lang)
    if far.any():
        _far_note(ax, communes.loc[far, "name"].astype(str).tolist(), base_pt=base_pt, lang=lang)
    _legend_panel(
        page.panel,
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
        population=population,
    )
    # scale bar and north arrow beside the map, never over it (the border lies at its edge)
    _scale_bar(page.panel, fig, ax, extent, base_pt, lang)
    _north_arrow(page.panel, base_pt, lang)
    return fig


@dataclass(frozen=True)
class _Page:
    """The figure with its map axes and legend panel; the map box's size in inches."""

    fig: Figure
    ax: Any
    panel: Any
    map_w_in: float
    map_h_in: float


def _page(
    text: MapText,
    *,
    size_in: tuple[float, float],
    base_pt: float,
    map_share: float,
    title: bool,
) -> _Page:
    """Lay out the page: title and subtitle (when shown), sources footer, map and panel axes."""
    fig = Figure(figsize=size_in, facecolor="white")
    FigureCanvasAgg(fig)
    fig._coverage_title = text.title  # type: ignore[attr-defined]
    width_in, height_in = size_in
    pad = 0.22 / width_in
    footer_lines = _wrap(text.sources, width_in * 0.97, base_pt * 0.78)
    footer_h = (len(footer_lines) * base_pt * 0.78 * 1.35 + 6) / 72 / height_in
    top = 1.0 - 0.12 / height_in
    if title:
        top = _title(fig, text, top=top, left=0.5 * pad + 0.01, size_in=size_in, base_pt=base_pt)
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
    return _Page(fig, ax, panel, map_box[2] * width_in, map_box[3] * height_in)


def _title(
    fig: Figure,
    text: MapText,
    *,
    top: float,
    left: float,
    size_in: tuple[float, float],
    base_pt: float,
) -> float:
    """Write the title (wrapped) and the subtitle; return where the map may start (figure y)."""
    width_in, height_in = size_in
    y = top
    room_in = width_in * (0.99 - left)
    for line in _wrap(text.title, room_in, base_pt * 1.9, bold=True):
        fig.text(left, y, line, fontsize=base_pt * 1.9, fontweight="bold", va="top", ha="left")
        y -= base_pt * 1.9 * 1.25 / 72 / height_in
    subtitle = _wrap(text.subtitle, room_in, base_pt * 1.15)
    for line in subtitle[:-1]:  # a long province name: the subtitle wraps too
        fig.text(left, y, line, fontsize=base_pt * 1.15, va="top", ha="left", color="#333333")
        y -= base_pt * 1.15 * 1.3 / 72 / height_in
    fig.text(left, y, subtitle[-1], fontsize=base_pt * 1.15, va="top", ha="left", color="#333333")
    return y - base_pt * 1.15 * 1.6 / 72 / height_in


def _context(
    ax: Any,
    layers: MapLayers,
    crs: Any,
    extent: tuple[float, float, float, float],
    *,
    base_pt: float,
    lang: Lang,
) -> None:
    """Sea blue behind everything, then neighbouring countries and provinces in grey, named."""
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


def _commune_fills(
    ax: Any, communes: gpd.GeoDataFrame, metric: str, lang: Lang
) -> tuple[_Classes, np.ndarray]:
    """Shade the communes by ``metric``; return its classes and each commune's class (-1: none)."""
    if metric not in scales.available_metrics(communes):
        raise ValueError(
            f"cannot shade the map by '{metric}'; available: {scales.available_metrics(communes)}"
        )
    classes, cls = classify(communes, metric, lang)
    fill = [classes.colors[c] if c >= 0 else _NO_DATA for c in cls]
    _plot_polygons(
        ax, communes.geometry, facecolors=fill, edgecolor="white", linewidth=0.35, zorder=3
    )
    return classes, cls


# Flag outlines, drawn in this order: column, legend key, style (width in base points, the
# rest as matplotlib takes it), extra style of the legend's line only.
_FLAG_LINES: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    ("is_underserved", "underserved", {"color": _UNDERSERVED, "width": 0.30, "zorder": 4}, {}),
    (
        "is_border",
        "border",
        {"color": _BORDER, "width": 0.14, "zorder": 4.1, "linestyle": (0, (4, 2.5))},
        {},
    ),
    (
        "is_remote",
        "remote",
        {"color": _REMOTE, "width": 0.17, "zorder": 4.2, "linestyle": (0, (0.6, 1.8))},
        {"dash_capstyle": "round"},
    ),
)


def _flag_outlines(
    ax: Any, communes: gpd.GeoDataFrame, *, base_pt: float, lang: Lang
) -> list[Line2D]:
    """Outline the under-served, border and remote communes; return their legend lines."""
    handles: list[Line2D] = []
    outline = communes.boundary
    for column, key, style, handle_style in _FLAG_LINES:
        if column not in communes.columns:
            continue
        mask = communes[column].fillna(False).astype(bool)
        if not mask.any():
            continue
        width = base_pt * float(style["width"])
        dashes = {"linestyle": style["linestyle"]} if "linestyle" in style else {}
        _plot_lines(
            ax,
            outline[mask],
            color=style["color"],
            linewidth=width,
            zorder=style["zorder"],
            **dashes,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=style["color"],
                linewidth=width,
                label=t(f"staticmap.legend.{key}", lang),
                **dashes,
                **handle_style,
            )
        )
    return handles


def _province_line(ax: Any, communes: gpd.GeoDataFrame, *, base_pt: float) -> None:
    """Draw the province's outline (the communes' union) in near-black."""
    province = province_outline(communes.geometry.to_numpy())
    _plot_lines(
        ax,
        gpd.GeoSeries([shapely.boundary(province)]),
        color="#222222",
        linewidth=base_pt * 0.14,
        zorder=4.5,
    )


def _team_points(
    ax: Any, layers: MapLayers, crs: Any, *, base_pt: float, lang: Lang
) -> list[Line2D]:
    """Dot every existing team; return the legend's key (none without teams)."""
    if layers.teams is None or not len(layers.teams):
        return []
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
    return [_marker_key("o", base_pt * 0.5, _TEAM, "white", t("staticmap.legend.teams", lang))]


def _frame_axes(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """Fix the map's extent (north up, true aspect) and hide the ticks."""
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


@dataclass(frozen=True)
class _Marks:
    """What the point marks share: axes, CRS, type size, language, renderer, boxes to avoid.

    ``occupied`` collects the window boxes of the numbered marks; commune names keep clear.
    """

    ax: Any
    crs: Any
    base_pt: float
    lang: Lang
    renderer: Any
    occupied: list[Bbox]

    def boxed(
        self,
        x: float,
        y: float,
        label: str,
        *,
        size: float,
        boxstyle: str,
        colour: str,
        margin: tuple[float, float],
    ) -> None:
        """Write ``label`` in white bold on a ``colour`` box at (x, y); keep names clear of it."""
        text = self.ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=self.base_pt * size,
            fontweight="bold",
            color="white",
            zorder=9.6,
            bbox={
                "boxstyle": boxstyle,
                "facecolor": colour,
                "edgecolor": "#1a1a1a",
                "linewidth": 0.8,
            },
        )
        self.occupied.append(text.get_window_extent(self.renderer).expanded(*margin))


def _marker_key(marker: str, size: float, face: str, edge: str, label: str) -> Line2D:
    """Return a legend key showing one marker."""
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=size,
        markerfacecolor=face,
        markeredgecolor=edge,
        label=label,
    )


def _site_markers(marks: _Marks, layers: MapLayers) -> list[Line2D]:
    """Draw the numbered markers of the proposed sites (one per place, numbers shared)."""
    if layers.sites is None or not len(layers.sites):
        return []
    sites = layers.sites.to_crs(marks.crs)
    # sites at the same place (several teams in one commune) share one numbered marker
    groups: dict[tuple[float, float], list[int]] = {}
    for number, (x, y) in enumerate(zip(sites.geometry.x, sites.geometry.y, strict=True), start=1):
        groups.setdefault((round(float(x)), round(float(y))), []).append(number)
    for (x, y), numbers in groups.items():
        marks.boxed(
            x,
            y,
            _numbers_label(numbers),
            size=0.95,
            boxstyle="round,pad=0.35,rounding_size=0.8",
            colour=_SITE,
            margin=(1.6, 1.8),
        )
    label = t("staticmap.legend.sites", marks.lang)
    return [_marker_key("o", marks.base_pt * 1.2, _SITE, "#1a1a1a", label)]


def _move_arrows(marks: _Marks, layers: MapLayers) -> list[Line2D]:
    """Draw an arrow from each moved team's old site to its new one."""
    if layers.moves is None or not len(layers.moves):
        return []
    moves, crs, base_pt = layers.moves, marks.crs, marks.base_pt
    start = gpd.GeoSeries.from_xy(moves["from_lon"], moves["from_lat"], crs="EPSG:4326").to_crs(crs)
    end = gpd.GeoSeries.from_xy(moves["to_lon"], moves["to_lat"], crs="EPSG:4326").to_crs(crs)
    for a, b in zip(start, end, strict=True):
        if a.is_empty or b.is_empty or not (np.isfinite(a.x) and np.isfinite(b.x)):
            continue
        marks.ax.annotate(
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
    return [
        Line2D(
            [],
            [],
            color=_MOVE,
            linewidth=base_pt * 0.22,
            marker=">",
            markersize=base_pt * 0.6,
            label=t("staticmap.legend.moves", marks.lang),
        )
    ]


def _new_team_markers(marks: _Marks, layers: MapLayers) -> list[Line2D]:
    """Mark a scenario's new teams N1, N2... (M1... in Vietnamese) on purple squares."""
    if layers.new_teams is None or not len(layers.new_teams):
        return []
    new = layers.new_teams.to_crs(marks.crs)
    mark = t("staticmap.new_mark", marks.lang)
    for number, (x, y) in enumerate(zip(new.geometry.x, new.geometry.y, strict=True), start=1):
        marks.boxed(
            x,
            y,
            f"{mark}{number}",
            size=0.85,
            boxstyle="square,pad=0.3",
            colour=_NEW_TEAM,
            margin=(1.3, 1.4),
        )
    label = t("staticmap.legend.new_teams", marks.lang)
    return [_marker_key("s", marks.base_pt * 1.1, _NEW_TEAM, "#1a1a1a", label)]


def _far_note(ax: Any, names: list[str], *, base_pt: float, lang: Lang) -> None:
    """Name the far islands left out of the frame (:func:`far_from_view`), bottom left."""
    _corner_note(ax, t("staticmap.off_view", lang, names=", ".join(names)), "left", base_pt)


def _corner_note(ax: Any, text: str, side: str, base_pt: float) -> None:
    """Small grey text on a white ground in a bottom corner of the map (``side``)."""
    ax.text(
        0.005 if side == "left" else 0.995,
        0.005,
        text,
        transform=ax.transAxes,
        ha=side,
        va="bottom",
        fontsize=base_pt * 0.62,
        color="#555555",
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.2},
    )


def _crs_note(ax: Any, crs: Any, *, base_pt: float, lang: Lang) -> None:
    """Name the coordinate system in the map's bottom-right corner; frame the map in grey."""
    _corner_note(ax, t("staticmap.crs", lang, crs=crs_label(crs, lang)), "right", base_pt)
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
