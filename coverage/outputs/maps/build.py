"""Build the coverage map: the base map, teams, sites and the selection layer."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any, TypedDict, Unpack, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure

from coverage.analysis.geo import province_outline
from coverage.outputs.escape import html_text
from coverage.outputs.maps.assets import _MAP_CSS, offline_assets
from coverage.outputs.maps.elements import (
    FitBesideLegend,
    _ApplyStyle,
    _CommuneLayer,
    _Decoder,
    _FlagLayer,
    _LabelLayer,
    _Legend,
    _MapReference,
    _OutlineLayer,
    _ScaleBar,
)
from coverage.outputs.maps.geometry import (
    _feature_collection,
    _label_zoom,
    _point_collection,
    far_from_view,
    simplify_for_display,
)
from coverage.outputs.maps.legend import _STAR_SVG, _legend_html
from coverage.outputs.maps.scales import (
    DEFAULT_METRIC,
    DEFAULT_TOLERANCE_M,
    FLAG_DRAW_ORDER,
    FLAGS,
    SELECTED_COLOUR,
    TEAM_COLOUR,
    Metric,
    available_metrics,
    format_metric,
)
from coverage.outputs.maps.style import commune_style
from coverage.outputs.maps.tooltips import _float, _is_true, _tip
from coverage.text.i18n import Lang, format_number, t

# ----------------------------------------------------------------------- build


class BaseMapOptions(TypedDict, total=False):
    """What both :func:`build_map` and :func:`build_base_map` draw; see :func:`build_map`.

    Every key is optional; the defaults are those of ``_draw_base``: no sites, no reach
    radius, reach hidden and labels shown on opening, labels from zoom 8, no title, no
    SAMPLE/estimate notes, no tiles, no demand layer, no population credit.
    """

    sites: pd.DataFrame | None
    reach_radius_km: float | None
    show_reach: bool
    show_labels: bool
    label_min_zoom: float
    title: str | None
    teams_is_sample: bool
    indicators_is_estimate: bool
    tiles: str | None
    demand: pd.DataFrame | None
    population_credit: str


def build_map(
    communes: gpd.GeoDataFrame,
    teams: pd.DataFrame | None = None,
    *,
    metric: Metric = DEFAULT_METRIC,
    lang: Lang = "vi",
    selected_code: str | None = None,
    shown_codes: Collection[str] | None = None,
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
    **options: Unpack[BaseMapOptions],
) -> folium.Map:
    """Build the coverage map: shaded communes, teams, sites, flags and a legend.

    The map needs no internet (see the module docstring): Leaflet comes from the
    installed ``xstatic-leaflet`` and no other library is used. Show it with
    ``st_folium`` or export it with :func:`map_html`. It is :func:`build_base_map`
    with :func:`commune_style` applied.

    Parameters
    ----------
    communes
        Commune polygons with a CRS (EPSG:4326 from the readers): ``code``, ``name``
        and, when present, ``full_name``, ``kind``, ``population``, ``area_km2``,
        ``label_lon``/``label_lat`` (degrees), the analysis columns (``need``,
        ``coverage_ratio``, ``connectivity_index``, ``density_per_km2``,
        ``reasons_vi``/``reasons_en``) and the flags ``is_border``, ``is_remote``,
        ``is_underserved`` (each drawn as its own outline layer).
    teams
        Roster with ``team_id``, ``team_name``, ``mode`` (``fixed``/``mobile``),
        ``latitude``/``longitude`` (degrees, EPSG:4326), optionally ``members``,
        ``commune_code``, ``weekly_hours`` and ``reach_km``.
    metric
        Column to shade by; must be in :func:`available_metrics`.
    lang
        Language of every label (``"vi"`` or ``"en"``).
    sites
        Suggested new teams (``coverage.optimize.plan.PlanResult.sites``: ``commune_code``,
        ``commune_name``, ``lon``, ``lat`` in degrees, ``need_served``,
        ``reason_vi``/``reason_en``), drawn as stars.
    reach_radius_km
        Radius of every team's reach circle in km (a ``reach_km`` column in ``teams``
        takes precedence per team). Without either, no reach layer is drawn.
    show_reach
        Whether the reach layer is visible on opening (it is always in the layer switch
        when drawn).
    show_labels
        Whether commune names are visible on opening.
    label_min_zoom
        No name shows below this zoom level; above it, each name shows from the zoom
        at which it fits inside its commune.
    selected_code
        Commune code to outline as selected.
    shown_codes
        Codes a filter keeps; the other communes are drawn faint, not dropped, so the
        province outline and the colour classes stay the same. ``None``: none is faint.
    title
        Heading of the legend and ``<title>`` of the exported document.
    teams_is_sample, indicators_is_estimate
        Add the SAMPLE and illustrative-estimate notes to the legend.
    tiles
        Optional folium tile name or URL template shown under the communes. Decoration
        only: offline the map reads the same without it.
    simplify_tolerance_m
        Display simplification in metres (:func:`simplify_for_display`); ``None`` when
        ``communes`` is simplified already.
    demand
        The analysis' demand points (:attr:`coverage.analysis.analyze.AnalysisResult.demand`):
        those no team reaches are drawn as the "residents out of reach" layer
        (:mod:`coverage.outputs.maps_population`), off on opening. ``None``: no such layer.
    population_credit
        Credit line of the population data behind ``demand`` (printed in the legend).

    Returns
    -------
    folium.Map
        Fitted to the communes' bounds.

    Raises
    ------
    ValueError
        If ``metric`` is not available in ``communes`` or the polygons lack a CRS.
    """
    if metric not in available_metrics(communes):
        raise ValueError(
            f"metric '{metric}' is not available; this frame supports {available_metrics(communes)}"
        )
    display = _display_frame(communes, simplify_tolerance_m)
    m = _draw_base(display, teams, lang=lang, selected_code=selected_code, **options)
    if not options.get("title"):
        cast(Figure, m.get_root()).title = t(f"map.metric.{metric}", lang)
    _ApplyStyle(commune_style(display, metric=metric, lang=lang, shown_codes=shown_codes)).add_to(m)
    return m


def build_base_map(
    communes: gpd.GeoDataFrame,
    teams: pd.DataFrame | None = None,
    *,
    lang: Lang = "vi",
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
    **options: Unpack[BaseMapOptions],
) -> folium.Map:
    """Build what a colouring or a filter never changes; shade it with :func:`style_script`.

    The communes are drawn in the no-data grey, with no tooltip and an empty colour
    legend, until a :class:`CommuneStyle` is applied. Parameters are those of
    :func:`build_map`; ``communes`` need not have the analysis columns.

    Raises
    ------
    ValueError
        If the polygons lack a CRS.
    """
    display = _display_frame(communes, simplify_tolerance_m)
    m = _draw_base(display, teams, lang=lang, selected_code=None, **options)
    if not options.get("title"):
        cast(Figure, m.get_root()).title = t("map.legend.heading", lang)
    return m


def _display_frame(
    communes: gpd.GeoDataFrame, simplify_tolerance_m: float | None
) -> gpd.GeoDataFrame:
    if communes.crs is None:
        raise ValueError("commune polygons have no CRS; set one (e.g. EPSG:4326) before mapping")
    display = (
        simplify_for_display(communes, tolerance_m=simplify_tolerance_m)
        if simplify_tolerance_m is not None
        else communes.to_crs(4326)
    )
    return display.reset_index(drop=True)


def _legend_notes(
    far_names: list[str],
    *,
    teams_is_sample: bool,
    indicators_is_estimate: bool,
    population_credit: str,
    lang: Lang,
) -> list[str]:
    """Return the legend's notes (escaped HTML): sample, estimate, far islands, credit."""
    notes = []
    if teams_is_sample:
        notes.append(t("map.legend.sample", lang))
    if indicators_is_estimate:
        notes.append(t("map.legend.estimate", lang))
    if far_names:
        names = ", ".join(html_text(name) for name in far_names)
        notes.append(t("map.legend.off_view", lang, names=names))
    if population_credit:
        notes.append(html_text(population_credit))
    return notes


def _draw_base(
    display: gpd.GeoDataFrame,
    teams: pd.DataFrame | None,
    *,
    lang: Lang,
    selected_code: str | None,
    sites: pd.DataFrame | None = None,
    reach_radius_km: float | None = None,
    show_reach: bool = False,
    show_labels: bool = True,
    label_min_zoom: float = 8.0,
    title: str | None = None,
    teams_is_sample: bool = False,
    indicators_is_estimate: bool = False,
    tiles: str | None = None,
    demand: pd.DataFrame | None = None,
    population_credit: str = "",
) -> folium.Map:
    """Draw the base map on display polygons (the defaults of :class:`BaseMapOptions`)."""
    far = far_from_view(display)
    if len(display) > 0:
        minx, miny, maxx, maxy = (float(v) for v in display[~far].total_bounds)
    else:
        minx, miny, maxx, maxy = 102.1, 8.2, 109.5, 23.4  # Viet Nam
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=8,
        tiles=None,
        control_scale=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    assets = offline_assets()
    m.default_js = [("leaflet", assets.javascript_uri)]
    m.default_css = [("leaflet_css", assets.stylesheet_uri)]
    root = cast(Figure, m.get_root())
    root.title = html_text(title) if title else ""  # branca does not escape
    root.header.add_child(Element(_MAP_CSS), name="coverage_map_css")
    setattr(m, "_coverage_lang", lang)  # noqa: B010 - read by map_html for <html lang>

    # Fit first: layers added afterwards are projected once, at the final zoom (fitted
    # last, every polygon was projected twice, a third of the time to draw the map).
    FitBesideLegend([[miny, minx], [maxy, maxx]]).add_to(m)

    if tiles is not None:
        folium.TileLayer(tiles, name=tiles, overlay=False, control=True).add_to(m)

    _Decoder().add_to(m)
    communes = _CommuneLayer(display, name=t("map.layer.communes", lang))
    communes.add_to(m)
    if len(display) > 0:
        _OutlineLayer(
            province_outline(display.geometry.to_numpy()),
            name=t("map.layer.province", lang),
            style={"fill": False, "color": "#222222", "weight": 2.5},
            class_name="gl-province",
        ).add_to(m)

    symbols: list[tuple[str, str]] = []
    codes = display["code"].astype(str)
    # Drawn in FLAG_DRAW_ORDER, so the border line comes last, on top of the other
    # outlines (the under-served one covers most of a province); the legend keeps FLAGS' order.
    flagged_codes: dict[str, list[str]] = {}
    for flag in FLAGS:
        if flag not in display.columns:
            continue
        flagged = codes[display[flag].map(_is_true).to_numpy(dtype=bool)]
        if not flagged.empty:
            flagged_codes[flag] = flagged.tolist()
            symbols.append((flag, t(f"map.flag.{flag}", lang)))
    symbols += _add_language_gaps(m, display, communes, codes, lang=lang)
    for flag in FLAG_DRAW_ORDER:
        if flag in flagged_codes:
            _FlagLayer(
                communes, flagged_codes[flag], flag=flag, name=t(f"map.flag.{flag}", lang)
            ).add_to(m)

    if show_labels and len(display) > 0:
        if {"label_lon", "label_lat"} <= set(display.columns):
            points = list(
                zip(
                    display["label_lon"].astype(float),
                    display["label_lat"].astype(float),
                    strict=True,
                )
            )
        else:
            reps = shapely.point_on_surface(display.geometry.to_numpy())
            points = list(
                zip(shapely.get_x(reps).tolist(), shapely.get_y(reps).tolist(), strict=True)
            )
        areas = (
            pd.to_numeric(display["area_km2"], errors="coerce").to_numpy(dtype=float)
            if "area_km2" in display.columns
            else np.full(len(display), np.nan)
        )
        labels = [
            (
                html_text(name),
                round(lat, 5),
                round(lon, 5),
                _label_zoom(str(name), float(area), lat, floor=label_min_zoom),
            )
            for name, (lon, lat), area in zip(display["name"], points, areas, strict=True)
            if math.isfinite(lon) and math.isfinite(lat)
        ]
        _LabelLayer(labels, name=t("map.layer.labels", lang)).add_to(m)

    if selected_code is not None:
        layer = selection_layer(display, selected_code, lang=lang, simplify_tolerance_m=None)
        if layer is not None:
            layer.add_to(m)
            symbols.append(("selected", t("map.layer.selected", lang)))

    if teams is not None and len(teams) > 0:
        names = dict(zip(codes, display["name"].astype(str), strict=True))
        symbols += _add_teams(
            m, teams, names=names, lang=lang, reach_radius_km=reach_radius_km, show_reach=show_reach
        )

    if sites is not None and len(sites) > 0:
        _add_sites(m, sites, lang=lang)
        symbols.append(("site", t("map.layer.sites", lang)))

    extra_legend = ""
    if demand is not None:
        from coverage.outputs.maps_population import (
            OutOfReachLayer,
            out_of_reach_legend,
            out_of_reach_points,
        )

        unreached = out_of_reach_points(demand)
        if len(unreached):
            OutOfReachLayer(unreached, name=t("map.layer.out_of_reach", lang)).add_to(m)
            extra_legend = out_of_reach_legend(lang)

    symbols.append(("province", t("map.layer.province", lang)))
    notes = _legend_notes(
        display.loc[far, "name"].astype(str).tolist(),
        teams_is_sample=teams_is_sample,
        indicators_is_estimate=indicators_is_estimate,
        population_credit=population_credit,
        lang=lang,
    )
    _Legend(
        _legend_html(title=title, symbols=symbols, notes=notes, lang=lang, extra=extra_legend)
    ).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _ScaleBar().add_to(m)
    return m


def _add_language_gaps(
    m: folium.Map,
    display: gpd.GeoDataFrame,
    communes: _CommuneLayer,
    codes: pd.Series,
    *,
    lang: Lang,
) -> list[tuple[str, str]]:
    """Hatch the communes with a language gap (on when opened); return the legend's key.

    On, like the other flags: a gap asks the planner to act (a team with a speaker), it is
    rare (11 of Gia Lai's 135 communes) and the hatch lets the colouring show through.
    """
    from coverage.outputs.maps.language_gap import LANGUAGE_GAP_FLAG, LanguageGapLayer

    if LANGUAGE_GAP_FLAG not in display.columns:
        return []
    flagged = codes[display[LANGUAGE_GAP_FLAG].map(_is_true).to_numpy(dtype=bool)]
    if flagged.empty:
        return []
    name = t("map.flag.is_language_gap", lang)
    LanguageGapLayer(communes, flagged.tolist(), name=name).add_to(m)
    return [("language_gap", t("map.legend.language_gap", lang))]


def _add_teams(
    m: folium.Map,
    teams: pd.DataFrame,
    *,
    names: Mapping[str, str],
    lang: Lang,
    reach_radius_km: float | None,
    show_reach: bool,
) -> list[tuple[str, str]]:
    located = teams[
        pd.to_numeric(teams["latitude"], errors="coerce").notna()
        & pd.to_numeric(teams["longitude"], errors="coerce").notna()
    ]
    symbols: list[tuple[str, str]] = []
    radius_km: pd.Series[float] | None = None
    if "reach_km" in located.columns:
        radius_km = pd.to_numeric(located["reach_km"], errors="coerce")
        if reach_radius_km is not None:
            radius_km = radius_km.fillna(reach_radius_km)
    elif reach_radius_km is not None:
        radius_km = pd.Series(float(reach_radius_km), index=located.index)
    if radius_km is not None and radius_km.notna().any():
        reach = located[radius_km.notna()]
        radii = radius_km[radius_km.notna()]
        data = _point_collection(
            reach["longitude"].astype(float).tolist(),
            reach["latitude"].astype(float).tolist(),
            reach["team_id"].astype(str).tolist(),
            [{"radius": float(r) * 1000.0} for r in radii],
        )
        reach_layer = folium.GeoJson(
            data,
            name=t("map.layer.reach", lang),
            marker=folium.Circle(radius=1000.0),
            style_function=lambda f: {
                "radius": f["properties"]["radius"],
                "color": TEAM_COLOUR,
                "weight": 1,
                "dashArray": "4 3",
                "fillColor": TEAM_COLOUR,
                "fillOpacity": 0.05,
                "className": "gl-reach",
            },
            interactive=False,
            show=show_reach,
        )
        reach_layer.add_to(m)
        _MapReference(reach_layer, key="Reach").add_to(m)  # a style shows or hides it
        if reach_radius_km is not None and "reach_km" not in located.columns:
            symbols.append(
                (
                    "reach",
                    t(
                        "map.legend.reach",
                        lang,
                        radius=format_number(
                            reach_radius_km, lang, decimals=1 if reach_radius_km % 1 else 0
                        ),
                    ),
                )
            )
        else:
            symbols.append(("reach", t("map.legend.reach_column", lang)))

    styles: dict[str, dict[str, Any]] = {
        # className sits in the style: point layers take their options from the marker
        # and the style, not from the GeoJson layer.
        "fixed": {
            "radius": 6,
            "color": "#ffffff",
            "weight": 1.5,
            "fillColor": TEAM_COLOUR,
            "fillOpacity": 1.0,
            "className": "gl-team gl-team-fixed",
        },
        "mobile": {
            "radius": 5.5,
            "color": TEAM_COLOUR,
            "weight": 3,
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
            "className": "gl-team gl-team-mobile",
        },
    }
    for mode in ("fixed", "mobile"):
        subset = located[located["mode"].astype(str) == mode]
        if subset.empty:
            continue
        rows = cast("list[dict[str, Any]]", subset.to_dict("records"))
        props = [_team_props(row, names=names, lang=lang) for row in rows]
        data = _point_collection(
            subset["longitude"].astype(float).tolist(),
            subset["latitude"].astype(float).tolist(),
            subset["team_id"].astype(str).tolist(),
            props,
        )
        style = styles[mode]
        folium.GeoJson(
            data,
            name=t(f"map.layer.{mode}", lang),
            marker=folium.CircleMarker(**style),
            style_function=lambda _, style=style: style,
            tooltip=folium.GeoJsonTooltip(
                fields=["tip"], labels=False, sticky=False, class_name="gl-tip"
            ),
        ).add_to(m)
        symbols.append((mode, t(f"map.layer.{mode}", lang)))
    return symbols


def _team_props(row: Mapping[str, Any], *, names: Mapping[str, str], lang: Lang) -> dict[str, Any]:
    rows = [(t("map.tip.team", lang), t(f"map.mode.{row.get('mode')}", lang))]
    if "members" in row:
        rows.append((t("map.tip.members", lang), format_number(_float(row["members"]), lang)))
    if "commune_code" in row and str(row["commune_code"]) in names:
        rows.append((t("map.tip.commune", lang), html_text(names[str(row["commune_code"])])))
    if "weekly_hours" in row and math.isfinite(_float(row["weekly_hours"])):
        rows.append(
            (t("map.tip.hours", lang), format_number(_float(row["weekly_hours"]), lang, decimals=0))
        )
    title = html_text(row.get("team_name") or row.get("team_id"))
    return {"tip": _tip(title, rows)}


def _add_sites(m: folium.Map, sites: pd.DataFrame, *, lang: Lang) -> None:
    props = []
    for number, row in enumerate(sites.to_dict("records"), start=1):
        rows: list[tuple[str, str]] = []
        if "commune_name" in row:
            rows.append((t("map.tip.commune", lang), html_text(row["commune_name"])))
        if "need_served" in row and math.isfinite(_float(row["need_served"])):
            rows.append(
                (
                    t("map.tip.need_served", lang),
                    format_metric("need", _float(row["need_served"]), lang=lang),
                )
            )
        reason = row.get(f"reason_{lang}")
        extra = (
            [f"<div>{html_text(reason)}</div>"] if reason is not None and html_text(reason) else []
        )
        props.append({"tip": _tip(t("map.tip.site", lang, n=number), rows, extra)})
    ids = [f"site-{i}" for i in range(1, len(sites) + 1)]
    data = _point_collection(
        sites["lon"].astype(float).tolist(), sites["lat"].astype(float).tolist(), ids, props
    )
    folium.GeoJson(
        data,
        name=t("map.layer.sites", lang),
        marker=folium.Marker(
            icon=folium.DivIcon(
                html=_STAR_SVG, icon_size=(26, 26), icon_anchor=(13, 13), class_name="gl-site"
            )
        ),
        tooltip=folium.GeoJsonTooltip(
            fields=["tip"], labels=False, sticky=False, class_name="gl-tip"
        ),
    ).add_to(m)


def selection_layer(
    communes: gpd.GeoDataFrame,
    code: str,
    *,
    lang: Lang = "vi",
    simplify_tolerance_m: float | None = DEFAULT_TOLERANCE_M,
) -> folium.FeatureGroup | None:
    """Return a layer outlining one commune, or ``None`` if the code is unknown.

    In the app, pass it to ``st_folium(feature_group_to_add=...)`` so selecting a
    commune redraws only this outline, not the whole map.

    Parameters
    ----------
    communes
        Commune polygons with a CRS.
    code
        Commune code to outline.
    simplify_tolerance_m
        As in :func:`build_map`; ``None`` when already simplified.
    """
    chosen = communes[communes["code"].astype(str) == str(code)]
    if chosen.empty:
        return None
    if simplify_tolerance_m is not None:
        chosen = simplify_for_display(chosen, tolerance_m=simplify_tolerance_m)
    group = folium.FeatureGroup(name=t("map.layer.selected", lang))
    folium.GeoJson(
        _feature_collection(
            chosen[["code", "geometry"]].to_crs(4326), lambda _: {}, id_column="code"
        ),
        style_function=lambda _: {"fill": False, "color": SELECTED_COLOUR, "weight": 4},
        interactive=False,
        className="gl-selected",
    ).add_to(group)
    return group
