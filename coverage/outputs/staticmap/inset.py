"""Draw one commune's close-up inset beside the province map."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from shapely.geometry import box

from coverage.outputs.maps import scales
from coverage.outputs.staticmap.artists import (
    _fit_extent,
    _label_communes,
    _plot_lines,
    _plot_polygons,
)
from coverage.outputs.staticmap.furniture import _nice_length_m
from coverage.outputs.staticmap.model import (
    _NO_DATA,
    _TEAM,
    _UNDERSERVED,
    MapLayers,
    classify,
    map_style,
    projected_crs,
)
from coverage.text.i18n import Lang, format_number


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
    with map_style():
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
            if metric in scales.available_metrics(communes)
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
