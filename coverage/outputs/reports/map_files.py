"""The bundle's maps as files and pictures: static map layers, PNG/PDF maps, insets, HTML map."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from coverage.analysis.headline import flag_series
from coverage.outputs.reports.content import (
    ReportBundle,
    border_communes,
    teams_reaching,
)
from coverage.outputs.reports.words import (
    data_notice,
    map_title,
    population_credit,
    province_label,
    sources_text,
    subtitle,
)
from coverage.text.i18n import Lang, t

if TYPE_CHECKING:  # the static map is imported where a map is drawn: matplotlib is slow to load
    from coverage.outputs.staticmap.model import Layout, MapLayers

DISPLAY_TOLERANCE_M = 30.0
"""Simplification of the static maps' polygons, metres: under 0,1 mm on an A3 page of a
province, and shared edges stay shared
(:func:`coverage.outputs.maps.geometry.simplify_for_display`)."""


def map_layers(bundle: ReportBundle) -> MapLayers:
    """Return the static-map layers of a bundle: communes, teams, numbered sites, context."""
    from coverage.outputs.maps.geometry import simplify_for_display
    from coverage.outputs.staticmap.model import MapLayers, points_from_lonlat

    communes = simplify_for_display(bundle.communes, tolerance_m=DISPLAY_TOLERANCE_M)
    teams = bundle.teams
    team_points = (
        points_from_lonlat(teams, lon="longitude", lat="latitude")
        if {"longitude", "latitude"} <= set(teams.columns)
        else None
    )
    sites = bundle.sites
    site_points = (
        points_from_lonlat(sites, lon="lon", lat="lat")
        if not sites.empty and {"lon", "lat"} <= set(sites.columns)
        else None
    )
    labels: list[str] = []
    if not sites.empty and "commune_code" in sites.columns:
        labels += [str(c) for c in sites["commune_code"]]
    # every border commune, then every flagged one (under-served border/remote first)
    labels += [str(c) for c in border_communes(communes)["code"]]
    flagged = flag_series(communes, "is_underserved") | flag_series(communes, "is_remote")
    if flagged.any():
        order = communes[flagged].assign(
            _p=~(
                flag_series(communes, "is_underserved")
                & (flag_series(communes, "is_border") | flag_series(communes, "is_remote"))
            )[flagged],
            _u=~flag_series(communes, "is_underserved")[flagged],
        )
        keys = ["_p", "_u"] + (["need"] if "need" in order.columns else [])
        order = order.sort_values(keys, ascending=[True, True, False][: len(keys)])
        labels += [str(c) for c in order["code"]]
    comparison = bundle.comparison
    new_points = moves = None
    if comparison is not None:
        if not comparison.new_teams.empty:
            new_points = points_from_lonlat(comparison.new_teams, lon="lon", lat="lat")
            labels = [str(c) for c in comparison.new_teams["commune_code"]] + labels
        if not comparison.moves.empty:
            moves = comparison.moves
            labels = [str(c) for c in comparison.moves["to_code"]] + labels
    label_codes = tuple(dict.fromkeys(labels))  # first mention of each code, in order
    return MapLayers(
        communes=communes,
        teams=team_points,
        sites=site_points,
        countries=bundle.countries,
        provinces=bundle.provinces,
        crs=bundle.projected_crs,
        label_codes=label_codes,
        new_teams=new_points,
        moves=moves,
        out_of_reach=_out_of_reach(bundle),
    )


def _out_of_reach(bundle: ReportBundle) -> pd.DataFrame | None:
    """Return the unreached population cells when the analysis used WorldPop, else ``None``."""
    demand = _cell_demand(bundle)
    if demand is None:
        return None
    from coverage.outputs.maps_population import out_of_reach_points

    return out_of_reach_points(demand)


def _cell_demand(bundle: ReportBundle) -> pd.DataFrame | None:
    """Return the analysis's demand points when they are raster cells, else ``None``."""
    from coverage.outputs.maps_population import cell_demand

    return cell_demand(
        getattr(bundle.analysis, "demand", None),
        str(getattr(bundle.analysis, "demand_source", "")),
    )


def draw_report_map(
    bundle: ReportBundle,
    *,
    layout: Layout = "slide",
    lang: Lang = "vi",
    layers: MapLayers | None = None,
) -> Any:
    """Draw the bundle's static map (a matplotlib Figure) for ``layout``.

    ``layers`` (from :func:`map_layers`) saves preparing them again for each page.
    """
    from coverage.outputs.staticmap.draw import draw_map
    from coverage.outputs.staticmap.model import MapText

    text = MapText(
        title=map_title(bundle, lang),
        subtitle=subtitle(bundle, lang),
        sources=sources_text(bundle, lang),
        notice=data_notice(bundle, lang),
    )
    return draw_map(
        layers if layers is not None else map_layers(bundle),
        text=text,
        metric=bundle.metric,
        layout=layout,
        lang=lang,
    )


def write_map_png(
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: MapLayers | None = None,
) -> Path:
    """Write the 1920 x 1080 PNG map for slides."""
    from coverage.outputs.staticmap.draw import save_figure
    from coverage.outputs.staticmap.model import SLIDE_PNG_DPI

    fig = draw_report_map(bundle, layout="slide", lang=lang, layers=layers)
    return save_figure(fig, path, dpi=SLIDE_PNG_DPI)


def write_map_pdf(
    bundle: ReportBundle,
    path: Path,
    *,
    paper: Literal["a4", "a3"] = "a4",
    lang: Lang = "vi",
    layers: MapLayers | None = None,
) -> Path:
    """Write the map as a one-page landscape PDF (A4 or A3), fonts embedded."""
    from coverage.outputs.staticmap.draw import save_figure

    fig = draw_report_map(bundle, layout=paper, lang=lang, layers=layers)
    return save_figure(fig, path, dpi=200)


def map_png_bytes(
    bundle: ReportBundle,
    *,
    layout: Layout,
    lang: Lang,
    dpi: float,
    layers: MapLayers | None = None,
) -> bytes:
    """Return the static map for ``layout`` as PNG bytes."""
    from coverage.outputs.staticmap.model import map_style

    fig = draw_report_map(bundle, layout=layout, lang=lang, layers=layers)
    buffer = io.BytesIO()
    with map_style():
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


INSET_IN = (4.6, 4.2)
"""Size of a border commune's inset map (inches): on its slide at full size, in the
briefing 78 mm wide."""


INSET_DPI = 150


def inset_png_bytes(
    bundle: ReportBundle,
    code: str,
    *,
    layers: MapLayers | None,
    lang: Lang,
    size_in: tuple[float, float],
    dpi: float,
) -> bytes:
    """Return a small map of commune ``code`` with its neighbours and the teams that reach it.

    PNG.
    """
    from coverage.outputs.staticmap.inset import draw_inset
    from coverage.outputs.staticmap.model import map_style, points_from_lonlat

    layers = layers if layers is not None else map_layers(bundle)
    key = ("inset", code, lang, size_in, dpi, bundle.metric)
    if key in layers.pictures:  # the briefing and the slides show the same inset
        return layers.pictures[key]
    reaching = teams_reaching(bundle, code)
    points = (
        points_from_lonlat(reaching, lon="longitude", lat="latitude")
        if {"longitude", "latitude"} <= set(reaching.columns) and len(reaching)
        else None
    )
    fig = draw_inset(layers, code, teams=points, metric=bundle.metric, size_in=size_in, lang=lang)
    buffer = io.BytesIO()
    with map_style():
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    layers.pictures[key] = buffer.getvalue()
    return layers.pictures[key]


def map_html_document(bundle: ReportBundle, *, lang: Lang = "vi") -> str:
    """Return the interactive map as one self-contained HTML document.

    Built with :func:`coverage.outputs.maps.build.build_map` and
    :func:`coverage.outputs.maps.export.map_html`:
    Leaflet is inlined and no request leaves the file; ``build_map`` escapes the title.
    """
    from coverage.outputs.maps.build import build_map
    from coverage.outputs.maps.export import map_html
    from coverage.outputs.maps.scales import DEFAULT_METRIC, available_metrics

    communes = bundle.communes
    metric = bundle.metric if bundle.metric in available_metrics(communes) else DEFAULT_METRIC
    sites = bundle.sites
    if sites.empty and bundle.comparison is not None and not bundle.comparison.new_teams.empty:
        new = bundle.comparison.new_teams  # a scenario's new teams, marked like proposed sites
        label = t("report.new_teams.title", lang)
        sites = pd.DataFrame(
            {
                "commune_code": new["commune_code"],
                "commune_name": new["commune_name"],
                "lon": new["lon"],
                "lat": new["lat"],
                f"reason_{lang}": [f"{label}: {n}" for n in new["team_name"]],
            }
        )
    title = f"{map_title(bundle, lang)} – {province_label(bundle, lang)}"
    m = build_map(
        communes,
        bundle.teams,
        metric=metric,
        lang=lang,
        sites=sites if not sites.empty else None,
        title=title,
        teams_is_sample=bundle.inputs.teams_is_sample,
        indicators_is_estimate=bundle.inputs.indicators_is_estimate,
        demand=_cell_demand(bundle),
        population_credit=population_credit(bundle, lang),
    )
    return map_html(m)


def crs_name(bundle: ReportBundle, lang: Lang) -> str:
    """Return the name of the projected CRS distances are measured in."""
    from coverage.outputs.staticmap.model import crs_label, projected_crs

    return crs_label(projected_crs(bundle.communes, bundle.projected_crs), lang)


__all__ = [
    "DISPLAY_TOLERANCE_M",
    "INSET_DPI",
    "INSET_IN",
    "crs_name",
    "draw_report_map",
    "inset_png_bytes",
    "map_html_document",
    "map_layers",
    "map_png_bytes",
    "write_map_pdf",
    "write_map_png",
]
