"""Which commune a click on the interactive map chose (from what the map component reports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd

from coverage.outputs.maps.geometry import commune_at


def clicked_commune(communes: gpd.GeoDataFrame, value: Mapping[str, Any]) -> str | None:
    """Return the commune a map click chose: the tooltip's, else the one under the point.

    The tooltip names the shape the planner saw under the pointer; near a boundary the
    click point can fall a pixel inside the neighbour (outlines are drawn a few pixels
    wide), so the tooltip wins when it names exactly one commune.
    """
    tooltip = " ".join(str(value.get("last_object_clicked_tooltip") or "").split())
    if tooltip:
        names = (
            communes["full_name"].astype(str)
            if "full_name" in communes.columns
            else communes["name"].astype(str)
        )
        matches = [
            (len(n), str(c))
            for c, n in zip(communes["code"], names, strict=True)
            if tooltip.startswith(" ".join(n.split()))
        ]
        if matches:
            longest = max(length for length, _ in matches)
            best = [code for length, code in matches if length == longest]
            if len(best) == 1:
                return best[0]
    clicked = value.get("last_object_clicked")
    if isinstance(clicked, dict) and "lat" in clicked and "lng" in clicked:
        return commune_at(communes, lon=float(clicked["lng"]), lat=float(clicked["lat"]))
    return None
