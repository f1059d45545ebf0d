"""Static maps for print and slides, drawn with matplotlib in a projected CRS (metres).

Everything is drawn in a projected coordinate system whose unit is the metre (the
analysis CRS when there is one, else the local UTM zone), so the scale bar is true.
Text uses DejaVu Sans (shipped with matplotlib), which covers every Vietnamese letter;
PDFs embed it as a TrueType (Type 42) font so the text stays selectable and searchable.

The functions here take plain GeoDataFrames and strings, not the report bundle, so the
map can be drawn for any province or any frame that follows the analysis contract.
"""

from __future__ import annotations

from coverage.outputs.staticmap.draw import draw_map, save_figure
from coverage.outputs.staticmap.inset import draw_inset
from coverage.outputs.staticmap.model import _LAYOUTS as _LAYOUTS  # used by reports
from coverage.outputs.staticmap.model import (
    A3_LANDSCAPE_IN,
    A4_LANDSCAPE_IN,
    SLIDE_PNG_DPI,
    SLIDE_PNG_PX,
    Layout,
    MapLayers,
    MapText,
    Metric,
    classify,
    crs_label,
    points_from_lonlat,
    projected_crs,
)
from coverage.outputs.staticmap.model import _style as _style  # used by reports

__all__ = [
    "A3_LANDSCAPE_IN",
    "A4_LANDSCAPE_IN",
    "Layout",
    "MapLayers",
    "MapText",
    "Metric",
    "SLIDE_PNG_DPI",
    "SLIDE_PNG_PX",
    "classify",
    "crs_label",
    "draw_inset",
    "draw_map",
    "points_from_lonlat",
    "projected_crs",
    "save_figure",
]
