"""Matplotlib helpers of a static map: polygons, lines, extents, halo text and labels."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox, offset_copy
from shapely.geometry import box
from shapely.geometry.polygon import orient

from coverage.outputs.text_wrap import wrap_words
from coverage.text.i18n import Lang


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


def _text_width_in(text: str, font_pt: float, *, bold: bool = False) -> float:
    """Return the width of ``text`` in inches, in the maps' font (DejaVu Sans) at ``font_pt``.

    Hinting makes a text a few per cent wider or narrower with the resolution, so this is
    the widest of the resolutions the maps are drawn and saved at, plus 1 per cent.
    """
    font = FontProperties(family="DejaVu Sans", size=font_pt, weight="bold" if bold else "normal")
    # matplotlib's RendererAgg has no annotations (hence the ignores, here and below)
    widths = [
        renderer.get_text_width_height_descent(text, font, ismath=False)[0]  # type: ignore[no-untyped-call]
        / renderer.dpi
        for renderer in _renderers()
    ]
    return 1.01 * float(max(widths))


@functools.cache
def _renderers() -> tuple[RendererAgg, ...]:
    """Agg renderers at 72, 100 (the figures') and 200 dots per inch, to measure text."""
    return tuple(RendererAgg(8, 8, dpi) for dpi in (72, 100, 200))  # type: ignore[no-untyped-call]


def _wrap(text: str, width_in: float, font_pt: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width_in`` at ``font_pt`` (measured).

    Lines break between words; a word wider than a line on its own (a long web address
    or file name) is cut between characters. Newlines in ``text`` are kept.
    """

    def fits(line: str) -> bool:
        return _text_width_in(line, font_pt, bold=bold) <= width_in

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(wrap_words(paragraph, fits))
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
