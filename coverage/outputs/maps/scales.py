"""Colour scales: the metrics a map can shade by, their classes and the map's words."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Final, Literal, cast, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from coverage.text.i18n import Lang, format_number, format_percent, t

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

FLAG_STYLE: Final[dict[str, dict[str, Any]]] = {  # shared with the static maps (staticmap/model.py)
    "is_border": {"color": "#111111", "weight": 3, "dashArray": "10 6"},
    "is_remote": {"color": "#6a3d9a", "weight": 3, "dashArray": "2 5", "lineCap": "round"},
    "is_underserved": {"color": "#d4006a", "weight": 3.5},
    "is_behind": {"color": "#e66101", "weight": 2.5, "dashArray": "6 3"},  # progress pages
}


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
