"""Static-map layer: residents out of reach, the unreached population cells as grey squares.

The same cells, classes and greys as the interactive layer
(:mod:`coverage.outputs.maps_population`): each demand point no team reaches is drawn as a
square the size of a WorldPop cell (30 arc-seconds, about 0.93 km), centred on the point,
shaded from light grey to black by the residents it stands for. The squares sit above the
commune fills and under the flag outlines, so the outlines and names stay readable.
"""

from __future__ import annotations

from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch

from coverage.outputs.maps_population import CELL_DEG, OUT_OF_REACH_BREAKS, OUT_OF_REACH_COLOURS
from coverage.text.i18n import Lang, format_number, t

CELL_SIDE_M: Final[float] = CELL_DEG * 111_320.0
"""Side of a drawn square in metres (a 30 arc-second cell north to south)."""

GID: Final[str] = "out-of-reach"
"""The squares' collection id (``get_gid()``), to find them in a drawn figure."""

_ALPHA: Final[float] = 0.85
"""As on the interactive map: the commune colour shows faintly through the lighter greys."""


def out_of_reach_classes(residents: np.ndarray) -> np.ndarray:
    """Return each square's class (0 lightest .. 4 darkest) from its residents."""
    return np.searchsorted(np.asarray(OUT_OF_REACH_BREAKS), residents, side="right")


def draw_out_of_reach(ax: Any, cells: pd.DataFrame, crs: Any) -> PolyCollection | None:
    """Draw ``cells`` (``lat``, ``lon`` in degrees, ``residents``) as shaded squares.

    Returns the collection (``None`` when there is no cell to draw).
    """
    if cells is None or not len(cells):
        return None
    points = gpd.GeoSeries.from_xy(cells["lon"], cells["lat"], crs="EPSG:4326").to_crs(crs)
    x = points.x.to_numpy(dtype=float)
    y = points.y.to_numpy(dtype=float)
    half = CELL_SIDE_M / 2
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    verts = np.stack([x, y], axis=1)[:, None, :] + corners[None, :, :]
    colours = np.asarray(OUT_OF_REACH_COLOURS)[
        out_of_reach_classes(cells["residents"].to_numpy(dtype=float))
    ]
    squares = PolyCollection(
        list(verts),
        facecolors=list(colours),
        edgecolors="none",
        linewidths=0.0,
        alpha=_ALPHA,
        zorder=3.5,
    )
    squares.set_gid(GID)
    ax.add_collection(squares, autolim=False)
    return squares


def out_of_reach_key(lang: Lang) -> tuple[str, tuple[Patch, ...], str]:
    """Return the legend's key: title, one patch per grey (lightest first) and its label."""
    patches = tuple(
        Patch(facecolor=colour, edgecolor="none", alpha=_ALPHA) for colour in OUT_OF_REACH_COLOURS
    )
    label = t(
        "staticmap.legend.out_of_reach.scale",
        lang,
        low=format_number(OUT_OF_REACH_BREAKS[0], lang),
        high=format_number(OUT_OF_REACH_BREAKS[-1], lang),
    )
    return t("staticmap.legend.out_of_reach", lang), patches, label


def key_handler() -> dict[type, HandlerTuple]:
    """Return the legend handler that draws a key's patches side by side in one row."""
    return {tuple: HandlerTuple(ndivide=None, pad=0.0)}


__all__ = [
    "CELL_SIDE_M",
    "GID",
    "draw_out_of_reach",
    "key_handler",
    "out_of_reach_classes",
    "out_of_reach_key",
]
