"""The commune style: fill colours, tooltips and dimming, sent alone on a new colouring."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from coverage.outputs.escape import script_json
from coverage.outputs.maps.legend import _legend_rows
from coverage.outputs.maps.scales import (
    DEFAULT_METRIC,
    Metric,
    available_metrics,
    colour_scale,
    metric_values,
)
from coverage.outputs.maps.tooltips import _commune_tip
from coverage.text.i18n import Lang, t

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
    return f"{map_name}._glCommunes.glRestyle({script_json(style.spec(), in_html=False)});\n"
