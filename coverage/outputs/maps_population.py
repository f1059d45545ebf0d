"""Map layer: residents out of reach, where people live that no team reaches.

Each demand point that no team reaches is drawn as a square the size of a population
raster cell (about 1 km; merged blocks of a large commune are drawn at their centre),
shaded by how many residents it stands for (the key in the legend gives the classes; the
squares let clicks through to the commune underneath). The layer is one compact array of
``[lat, lon, residents]`` drawn by a small script on a canvas, so it adds little to what
the map sends and draws offline. The credit line of the population data goes into the
legend with it.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
from folium.map import Layer
from jinja2 import Template

import coverage.text.population  # noqa: F401  (registers the layer's words)
from coverage.text.i18n import Lang, format_number, t

CELL_DEG: Final[float] = 1 / 120
"""Side of a WorldPop cell (30 arc-seconds) in degrees."""

OUT_OF_REACH_BREAKS: Final[tuple[float, ...]] = (10.0, 50.0, 200.0, 500.0)
"""Residents per square at which the shade steps up (4 breaks, 5 classes)."""

OUT_OF_REACH_COLOURS: Final[tuple[str, ...]] = (
    "#bdbdbd",
    "#969696",
    "#636363",
    "#363636",
    "#000000",
)
"""Greys to black: they read over every colouring of the communes underneath."""


def cell_demand(demand: pd.DataFrame | None, demand_source: str) -> pd.DataFrame | None:
    """Return ``demand`` when its points are population raster cells, else ``None``.

    The layer draws each point as a cell of about 1 km: that is true of WorldPop cells
    only. The grid fallback's points stand 2 km apart for an even spread that nobody
    measured, so every map (in the app, the HTML export, the static maps) leaves the layer
    out with them, and says instead that the spread is an estimate
    (:func:`coverage.text.population.demand_note`).
    """
    return demand if demand_source == "worldpop" else None


def out_of_reach_points(demand: pd.DataFrame) -> pd.DataFrame:
    """Return the demand points no team reaches: ``lat``, ``lon`` (EPSG:4326), ``residents``.

    ``demand`` is :attr:`coverage.analysis.analyze.AnalysisResult.demand`. Points standing for
    fewer than one resident are left out (nobody to show).
    """
    if "reached" not in demand.columns:
        return pd.DataFrame({"lat": [], "lon": [], "residents": []})
    out = demand.loc[~demand["reached"].astype(bool), ["lat", "lon", "population"]]
    out = out[out["population"] >= 1]
    return pd.DataFrame(
        {
            "lat": out["lat"].round(5).to_numpy(),
            "lon": out["lon"].round(5).to_numpy(),
            "residents": out["population"].round().astype(np.int64).to_numpy(),
        }
    )


class OutOfReachLayer(Layer):
    """Squares shaded by residents no team reaches (toggleable; hidden until switched on)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (map, group, cells, half, breaks, colours) {
            // its own pane, above the commune fills (overlay pane, 400) and below markers
            if (!map.getPane('glOutOfReach')) {
                map.createPane('glOutOfReach').style.zIndex = 450;
                map.getPane('glOutOfReach').style.pointerEvents = 'none';
            }
            var renderer = L.canvas({padding: 0.3, pane: 'glOutOfReach'});
            cells.forEach(function (c) {
                var k = 0;
                while (k < breaks.length && c[2] >= breaks[k]) { k += 1; }
                var dlon = half / Math.cos(c[0] * Math.PI / 180);
                L.rectangle([[c[0] - half, c[1] - dlon], [c[0] + half, c[1] + dlon]], {
                    renderer: renderer, pane: 'glOutOfReach', stroke: false,
                    fillColor: colours[k], fillOpacity: 0.85, interactive: false
                }).addTo(group);
            });
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.cells|tojson }}, {{ this.half }},
           {{ this.breaks|tojson }}, {{ this.colours|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, points: pd.DataFrame, *, name: str, show: bool = False) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "OutOfReach"
        self.cells = [
            [float(a), float(b), int(c)]
            for a, b, c in zip(points["lat"], points["lon"], points["residents"], strict=True)
        ]
        self.half = CELL_DEG / 2
        self.breaks = list(OUT_OF_REACH_BREAKS)
        self.colours = list(OUT_OF_REACH_COLOURS)


def out_of_reach_legend(lang: Lang) -> str:
    """Legend rows of the layer: one swatch per class, residents per square."""
    edges = [0.0, *OUT_OF_REACH_BREAKS]
    rows = []
    for k, colour in enumerate(OUT_OF_REACH_COLOURS):
        low = format_number(edges[k], lang)
        label = f"{low}–{format_number(edges[k + 1], lang)}" if k + 1 < len(edges) else f"≥ {low}"
        rows.append(
            f'<div class="gl-row"><span class="gl-sw" style="background:{colour}">'
            f"</span>{label}</div>"
        )
    return (
        f'<details class="gl-more"><summary>{t("map.layer.out_of_reach", lang)} '
        f"({t('map.out_of_reach.unit', lang)})</summary>" + "".join(rows) + "</details>"
    )


__all__ = ["OutOfReachLayer", "out_of_reach_legend", "out_of_reach_points"]
