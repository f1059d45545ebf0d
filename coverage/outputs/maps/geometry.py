"""Display geometry: simplified polygons, encoded polylines and GeoJSON-like collections."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from coverage import settings as cfg
from coverage.outputs.maps.scales import DEFAULT_TOLERANCE_M

PROVINCE_TOLERANCE_M = 300.0
"""Display simplification of the province polygons (metres; shared edges kept shared)."""

# --------------------------------------------------------------------- geometry


def _in_metres(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Return the geometries in their UTM zone (as they are if already projected)."""
    if geometry.crs.is_projected:
        return geometry
    return geometry.to_crs(geometry.estimate_utm_crs())


def simplify_for_display(
    communes: gpd.GeoDataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Simplify commune polygons for drawing, keeping shared edges shared.

    Uses ``shapely.coverage_simplify`` in the frame's UTM zone, so neighbours keep one
    common edge and no gaps or slivers open between them. For display only: analysis
    uses the full-resolution polygons.

    Parameters
    ----------
    communes
        Commune polygons with a CRS (any; EPSG:4326 from the readers).
    tolerance_m
        Simplification tolerance in metres (50–100 m reads well at province scale).

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows and columns in EPSG:4326, coordinates rounded to 1e-5 degrees.

    Raises
    ------
    ValueError
        If the frame has no CRS (the tool never guesses one).
    """
    if communes.crs is None:
        raise ValueError("commune polygons have no CRS; set one (e.g. EPSG:4326) before mapping")
    out = communes.copy()
    if len(out) == 0:
        return out.to_crs(4326)
    projected = _in_metres(out.geometry)
    geometries = projected.to_numpy()
    simplified = (
        shapely.coverage_simplify(geometries, tolerance_m) if tolerance_m > 0 else geometries
    )
    lost = shapely.is_empty(simplified) & ~shapely.is_empty(geometries)
    simplified = np.where(lost, geometries, simplified)
    display = gpd.GeoSeries(simplified, index=out.index, crs=projected.crs).to_crs(4326)
    rounded = shapely.transform(display.to_numpy(), lambda xy: np.round(xy, 5))
    return out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs="EPSG:4326"))


FAR_GAP_KM = 50.0
"""A commune at least this far from every other commune of the map may be left out of the view."""
FAR_SHRINK = 2.0
"""...when leaving the far communes out shrinks the view's area at least this many times."""


def far_from_view(communes: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Mark the far islands a map's first view leaves out, so the rest is not a sliver.

    A commune is far when it lies at least :data:`FAR_GAP_KM` from every other commune
    of the frame (Trường Sa 389 km from the Khánh Hòa coast, Hoàng Sa 266 km from Đà
    Nẵng, Côn Đảo 175 km, Bạch Long Vĩ 75 km); the far communes are left out only when
    that shrinks the bounding box of the view at least :data:`FAR_SHRINK` times (Khánh
    Hòa 37 times; Phú Quý 1.1 and Thổ Châu 1.3 stay in). They are still drawn, and the
    maps name them. Distances are in the frame's UTM zone.
    """
    far = np.zeros(len(communes), dtype=bool)
    if len(communes) < 2 or communes.crs is None:
        return far
    if "province_code" in communes.columns and communes["province_code"].nunique() > 1:
        return far  # a map of the country shows all of it, Hoàng Sa and Trường Sa included
    geometries = _in_metres(communes.geometry).to_numpy()
    tree = shapely.STRtree(geometries)
    (ours, _), gaps = tree.query_nearest(geometries, exclusive=True, return_distance=True)
    nearest = np.full(len(geometries), np.inf)
    np.minimum.at(nearest, ours, gaps)
    candidates = nearest >= FAR_GAP_KM * 1000.0
    if not candidates.any() or candidates.all():
        return far

    def box_area(mask: npt.NDArray[np.bool_]) -> float:
        minx, miny, maxx, maxy = shapely.total_bounds(geometries[mask])
        return float((maxx - minx) * (maxy - miny))

    if box_area(~candidates) * FAR_SHRINK <= box_area(np.ones(len(geometries), dtype=bool)):
        far = candidates
    return far


def province_shapes(settings: cfg.Settings) -> gpd.GeoDataFrame:
    """Return the 34 province polygons (EPSG:4326), simplified for display.

    Columns ``code``, ``name`` and the geometry (the national overview's map).
    """
    from coverage.inputs.datasets import province_polygons

    return simplify_for_display(province_polygons(settings), tolerance_m=PROVINCE_TOLERANCE_M)


def commune_at(communes: gpd.GeoDataFrame, *, lon: float, lat: float) -> str | None:
    """Return the code of the commune containing a point, or ``None``.

    Parameters
    ----------
    communes
        Commune polygons, EPSG:4326.
    lon, lat
        The point in degrees (EPSG:4326), e.g. a map click.
    """
    point = shapely.Point(lon, lat)
    hits = communes.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return str(communes.iloc[int(hits[0])]["code"])


def encode_polygons(
    geometries: npt.ArrayLike | Sequence[shapely.Geometry],
) -> list[list[list[str]]]:
    """Encode polygons as polylines, the compact form the map sends to the browser.

    Each ring becomes one string of the Google polyline algorithm (precision 1e-5
    degrees, about 1 m): x and y of every vertex in turn, each the difference from the
    previous vertex, zig-zag encoded in 5-bit groups as characters 63-126. The closing
    vertex is left out (Leaflet closes rings). Polygons shrink to about a fifth of
    their GeoJSON text.

    Parameters
    ----------
    geometries
        Polygons or multipolygons in EPSG:4326 (x = longitude, y = latitude, degrees).
        Other geometry types and empty or missing geometries encode as no polygon.

    Returns
    -------
    list
        Per geometry, a list of polygons; per polygon, its rings (exterior first), each
        an encoded string.
    """
    shapes = np.asarray(geometries, dtype=object)
    result: list[list[list[str]]] = [[] for _ in range(len(shapes))]
    present = np.flatnonzero(~shapely.is_missing(shapes) & ~shapely.is_empty(shapes))
    if present.size == 0:
        return result
    parts, owner = shapely.get_parts(shapes[present], return_index=True)
    polygonal = shapely.get_type_id(parts) == 3  # Polygon
    parts, owner = parts[polygonal], present[owner[polygonal]]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    last = np.r_[ring_of[1:] != ring_of[:-1], True]  # the closing vertex of each ring
    coords, ring_of = coords[~last], ring_of[~last]
    if coords.size == 0:
        return result
    ints = np.rint(coords * 1e5).astype(np.int64)
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    deltas = np.diff(ints, axis=0, prepend=ints[:1])
    deltas[first] = ints[first]
    values = deltas.ravel()
    zigzag = (values << 1) ^ (values >> 63)
    groups = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> 5
    while rest.any():
        groups += rest > 0
        rest >>= 5
    width = int(groups.max())
    index = np.arange(width)
    chunks = (zigzag[:, None] >> (5 * index)) & 0x1F
    more = index[None, :] < (groups[:, None] - 1)
    chars = (chunks | (more * 0x20)) + 63
    text = chars[index[None, :] < groups[:, None]].astype(np.uint8).tobytes().decode("ascii")
    per_vertex = groups.reshape(-1, 2).sum(axis=1)
    ring_ids, starts = np.unique(ring_of, return_index=True)
    lengths = np.add.reduceat(per_vertex, starts)
    offsets = np.r_[0, np.cumsum(lengths)]
    encoded = {int(r): text[offsets[i] : offsets[i + 1]] for i, r in enumerate(ring_ids)}
    polygons: dict[int, list[str]] = {}
    for ring, part in enumerate(ring_part.tolist()):
        if ring in encoded:
            polygons.setdefault(part, []).append(encoded[ring])
    for part, geometry in enumerate(owner.tolist()):
        if part in polygons:
            result[geometry].append(polygons[part])
    return result


def _label_zoom(name: str, area_km2: float, lat: float, *, floor: float) -> float:
    """Return the zoom from which ``name`` (about 6.2 px a letter) fits its commune.

    The commune's size is taken as the side of a square of its area; Web Mercator has
    ``156543 * cos(lat) / 2**zoom`` metres per pixel.
    """
    if not (area_km2 > 0 and math.isfinite(area_km2)):
        return max(floor, 11.0)
    text_px = 6.2 * len(name) + 6
    side_m = math.sqrt(area_km2) * 1000.0
    zoom = math.log2(text_px * 156543.03 * math.cos(math.radians(lat)) / side_m)
    return round(max(floor, zoom), 2)


def _feature_collection(
    frame: gpd.GeoDataFrame,
    properties: Callable[[Mapping[str, Any]], dict[str, Any]],
    *,
    id_column: str,
) -> dict[str, Any]:
    geometries = shapely.to_geojson(frame.geometry.to_numpy())
    features = []
    for (_, row), geometry in zip(frame.iterrows(), geometries, strict=True):
        if geometry is None:
            continue
        record = row.to_dict()
        features.append(
            {
                "type": "Feature",
                "id": str(record[id_column]),
                "geometry": json.loads(geometry),
                "properties": properties(record),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _point_collection(
    lons: Sequence[float],
    lats: Sequence[float],
    ids: Sequence[str],
    properties: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(ident),
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon), 6), round(float(lat), 6)],
                },
                "properties": props,
            }
            for lon, lat, ident, props in zip(lons, lats, ids, properties, strict=True)
        ],
    }
