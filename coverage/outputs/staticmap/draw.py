"""Draw the whole static map (province, communes, teams, sites, legend) and save it."""

from __future__ import annotations

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
from coverage.outputs.maps import scales as maps  # map symbols, metrics, colour scales
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
    classify,
    crs_label,
    map_style,
    projected_crs,
)
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
