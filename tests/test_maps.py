"""The map builder, tested on the folium object and on its HTML (no browser).

Small hand-made communes: four 0.1-degree squares in Gia Lai's latitude band, so every
number in a tooltip can be checked by hand.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from folium.map import LayerControl

from coverage import settings as cfg
from coverage.outputs.maps.assets import offline_assets
from coverage.outputs.maps.build import build_base_map, build_map, selection_layer
from coverage.outputs.maps.elements import FitBesideLegend
from coverage.outputs.maps.export import commune_table, map_html
from coverage.outputs.maps.geometry import commune_at, encode_polygons, simplify_for_display
from coverage.outputs.maps.scales import (
    METRICS,
    MISSING_COLOUR,
    ColourScale,
    available_metrics,
    colour_scale,
)
from coverage.outputs.maps.style import CommuneStyle, commune_style, style_script

HOSTILE = "<img src=x onerror=alert(1)>`${alert(2)}`</script>"


def tiny_communes(**columns: Any) -> gpd.GeoDataFrame:
    """Four 0.1° squares (108.0–108.2 E, 13.0–13.2 N) with hand-checkable numbers."""
    squares = [
        shapely.box(108.0 + dx, 13.0 + dy, 108.1 + dx, 13.1 + dy)
        for dy in (0.0, 0.1)
        for dx in (0.0, 0.1)
    ]
    frame = gpd.GeoDataFrame(
        {
            "code": ["00001", "00002", "00003", "00004"],
            "name": ["An Khê", "Ia Grai", "Quy Nhơn", "Đak Pơ"],
            "full_name": ["Phường An Khê", "Xã Ia Grai", "Phường Quy Nhơn", "Xã Đak Pơ"],
            "kind": ["phuong", "xa", "phuong", "xa"],
            "population": [1_234_567, 5_000, 12_000, 800],
            "area_km2": [12.5, 100.0, 40.0, 200.0],
        },
        geometry=squares,
        crs="EPSG:4326",
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def tiny_teams() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team_id": ["T1", "T2"],
            "team_name": ["Đội TNTN Phường An Khê", "Đội lưu động Ia Grai"],
            "commune_code": ["00001", "00002"],
            "latitude": [13.05, 13.05],
            "longitude": [108.05, 108.15],
            "members": [18, 12],
            "mode": ["fixed", "mobile"],
            "weekly_hours": [8.0, 6.0],
        }
    )


def tiny_sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune_code": ["00004"],
            "commune_name": ["Đak Pơ"],
            "lon": [108.15],
            "lat": [13.15],
            "need_served": [1500.0],
            "reason_vi": ["Xa đội gần nhất 25 km"],
            "reason_en": ["25 km from the nearest team"],
        }
    )


def layers(m: folium.Map) -> dict[str, Any]:
    """The map's layers by their name in the layer switch."""
    return {
        child.layer_name: child for child in m._children.values() if hasattr(child, "layer_name")
    }


def features(layer: Any) -> list[dict[str, Any]]:
    return list(layer.data["features"])


def tips(layer: Any) -> list[str]:
    return [f["properties"]["tip"] for f in features(layer)]


def style_of(m: folium.Map) -> CommuneStyle:
    """The colouring :func:`maps.build_map` applied to its communes."""
    (applied,) = [c for c in m._children.values() if type(c).__name__ == "_ApplyStyle"]
    return applied.style


def commune_tips(m: folium.Map) -> list[str]:
    """Commune tooltips in the order of the commune layer."""
    style = style_of(m)
    return [style.tips[code] for code in layers(m)[COMMUNES].codes]


def legend_of(m: folium.Map) -> str:
    return next(c for c in m._children.values() if type(c).__name__ == "_Legend").html


def decode_ring(text: str) -> list[tuple[float, float]]:
    """Reference decoder of the Google polyline algorithm (x, y per vertex, 1e-5)."""
    values, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 63
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < 0x20:
            values.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    points, x, y = [], 0, 0
    for dx, dy in zip(values[::2], values[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append((x / 1e5, y / 1e5))
    return points


COMMUNES = "Xã/phường (tô màu)"


# --------------------------------------------------------------------- assets


def test_offline_assets_come_from_the_installed_leaflet() -> None:
    assets = offline_assets()
    assert assets.version.startswith("1.9")
    assert f"Leaflet {assets.version}," in assets.javascript[:500]  # the package's own build
    assert "url(images/" not in assets.stylesheet
    assert "data:image/png;base64," in assets.stylesheet
    assert assets.javascript_uri.startswith("data:text/javascript;")


def test_map_links_no_cdn_asset() -> None:
    m = build_map(tiny_communes(), tiny_teams())
    urls = [url for _, url in m.default_js + m.default_css]
    assert len(urls) == 2
    assert all(url.startswith("data:") for url in urls)


# ----------------------------------------------------------------- structure


def test_layers_switch_scale_and_legend() -> None:
    m = build_map(tiny_communes(), tiny_teams(), sites=tiny_sites(), reach_radius_km=5)
    names = layers(m)
    for expected in (
        "Xã/phường (tô màu)",
        "Ranh giới tỉnh",
        "Tên xã/phường",
        "Đội cố định",
        "Đội lưu động",
        "Phạm vi hỗ trợ của đội",
        "Vị trí đề xuất đội mới",
    ):
        assert expected in names, sorted(names)
    kinds = [type(child).__name__ for child in m._children.values()]
    assert kinds.count("LayerControl") == 1
    assert "_ScaleBar" in kinds and "_Legend" in kinds
    assert not any(type(child).__name__ == "TileLayer" for child in m._children.values())
    html = map_html(m)
    assert "L.control.scale({imperial: false" in html
    assert "L.control.layers(" in html


def test_map_is_fitted_to_the_commune_bounds() -> None:
    m = build_map(tiny_communes(), simplify_tolerance_m=None)
    fits = [child for child in m._children.values() if isinstance(child, FitBesideLegend)]
    assert len(fits) == 1
    (south, west), (north, east) = fits[0].bounds
    assert (west, south, east, north) == pytest.approx((108.0, 13.0, 108.2, 13.2))


def test_commune_tooltip_in_vietnamese_number_format() -> None:
    m = build_map(tiny_communes(), simplify_tolerance_m=None)
    tip = commune_tips(m)[0]
    assert "Phường An Khê" in tip
    assert "<th>Loại</th><td>Phường</td>" in tip
    assert "<th>Dân số</th><td>1.234.567</td>" in tip
    assert "<th>Diện tích</th><td>12,5 km²</td>" in tip
    # 1 234 567 / 12.5 = 98 765.36 people per km²
    assert "<th>Mật độ dân số (người/km²)</th><td>98.765 người/km²</td>" in tip


def test_english_labels_by_lang() -> None:
    m = build_map(tiny_communes(), tiny_teams(), lang="en", simplify_tolerance_m=None)
    names = layers(m)
    assert {"Communes (shaded)", "Fixed teams", "Mobile teams"} <= set(names)
    tip = style_of(m).tips["00001"]
    assert "<th>Population</th><td>1,234,567</td>" in tip
    assert "<th>Type</th><td>Ward</td>" in tip
    assert 'lang="en"' in map_html(m)


def test_teams_fixed_and_mobile_are_drawn_differently() -> None:
    m = build_map(tiny_communes(), tiny_teams())
    fixed, mobile = layers(m)["Đội cố định"], layers(m)["Đội lưu động"]
    assert [f["id"] for f in features(fixed)] == ["T1"]
    assert [f["id"] for f in features(mobile)] == ["T2"]
    fixed_style = fixed.style_function(features(fixed)[0])
    mobile_style = mobile.style_function(features(mobile)[0])
    assert fixed_style["fillColor"] != mobile_style["fillColor"]
    assert "<th>Thành viên</th><td>18</td>" in tips(fixed)[0]
    assert "<th>Xã/phường</th><td>An Khê</td>" in tips(fixed)[0]
    assert "Đội lưu động" in tips(mobile)[0]


def test_reach_circles_are_in_metres_and_hidden_unless_asked() -> None:
    m = build_map(tiny_communes(), tiny_teams(), reach_radius_km=5)
    reach = layers(m)["Phạm vi hỗ trợ của đội"]
    assert reach.show is False
    assert isinstance(reach.marker, folium.Circle)
    assert {f["properties"]["radius"] for f in features(reach)} == {5000.0}
    shown = build_map(tiny_communes(), tiny_teams(), reach_radius_km=5, show_reach=True)
    assert layers(shown)["Phạm vi hỗ trợ của đội"].show is True
    assert "Phạm vi hỗ trợ của đội" not in layers(build_map(tiny_communes(), tiny_teams()))


def test_suggested_sites_are_stars_not_team_markers() -> None:
    m = build_map(tiny_communes(), tiny_teams(), sites=tiny_sites())
    sites = layers(m)["Vị trí đề xuất đội mới"]
    assert isinstance(sites.marker, folium.Marker)
    assert "<polygon" in sites.marker.icon.options["html"]
    tip = tips(sites)[0]
    assert "Đề xuất đội mới số 1" in tip and "Đak Pơ" in tip and "1.500" in tip and "25 km" in tip


def test_flag_outlines_only_when_the_columns_exist() -> None:
    plain = build_map(tiny_communes())
    assert not {"Xã biên giới", "Vùng sâu, vùng xa", "Thiếu hỗ trợ"} & set(layers(plain))
    flagged = tiny_communes(
        is_border=[True, False, False, False],
        is_remote=[False, True, True, False],
        is_underserved=[False, False, False, False],
    )
    m = build_map(flagged)
    names = layers(m)
    assert names["Xã biên giới"].codes == ["00001"]
    assert names["Vùng sâu, vùng xa"].codes == ["00002", "00003"]
    assert "Thiếu hỗ trợ" not in names  # no commune flagged: no empty layer
    border, remote = names["Xã biên giới"].style, names["Vùng sâu, vùng xa"].style
    assert border["dashArray"] != remote["dashArray"] and border["fill"] is False
    # Outlines reuse the commune polygons in the browser: no second copy of the geometry.
    html = map_html(m)
    assert html.count(names[COMMUNES].shapes[0][0][0]) == 1
    assert "interactive: false, className: className" in html
    assert "Xã biên giới" in style_of(m).tips["00001"]


def test_analysis_metrics_when_present_and_absent() -> None:
    plain = tiny_communes()
    assert available_metrics(plain) == ("density_per_km2",)
    with pytest.raises(ValueError, match="coverage_ratio"):
        build_map(plain, metric="coverage_ratio")
    analysed = tiny_communes(
        need=[500.0, 20.0, np.nan, 3.0],
        coverage_ratio=[0.1, 0.6, 1.2, np.nan],
        connectivity_index=[90.0, 35.0, 55.0, 10.0],
    )
    assert available_metrics(analysed) == tuple(m for m in METRICS if m != "progress_ratio")
    m = build_map(analysed, metric="coverage_ratio", simplify_tolerance_m=None)
    style = style_of(m)
    scale = colour_scale(analysed, "coverage_ratio")
    assert [style.fills[code] for code in layers(m)[COMMUNES].codes] == [
        scale.colours[0],  # 10% < 25%
        scale.colours[2],  # 50% <= 60% < 75%
        scale.colours[4],  # 120% >= 100%
        MISSING_COLOUR,
    ]
    assert "<th>Mức đáp ứng (năng lực/nhu cầu)</th><td>60%</td>" in style.tips["00002"]
    assert (
        "Không có số liệu" in style.legend and "≥ 100%" in style.legend and "< 25%" in style.legend
    )
    assert style.label == "Mức đáp ứng (năng lực/nhu cầu)"


def test_base_map_is_drawn_once_and_restyled_by_a_colouring() -> None:
    analysed = tiny_communes(
        need=[500.0, 20.0, 80.0, 3.0],
        coverage_ratio=[0.1, 0.6, 1.2, 0.3],
        connectivity_index=[90.0, 35.0, 55.0, 10.0],
        is_border=[True, False, False, False],
        is_remote=[False, True, False, False],
        is_underserved=[True, False, False, True],
    )
    base = build_base_map(analysed, tiny_teams(), reach_radius_km=5, simplify_tolerance_m=None)
    names = layers(base)
    assert {COMMUNES, "Ranh giới tỉnh", "Xã biên giới", "Phạm vi hỗ trợ của đội"} <= set(names)
    assert not any(type(c).__name__ == "_ApplyStyle" for c in base._children.values())
    assert "gl-classes" in legend_of(base) and "Xã biên giới" in legend_of(base)

    need = commune_style(analysed, metric="need", lang="vi", show_reach=True)
    coverage = commune_style(analysed, metric="coverage_ratio", lang="vi")
    assert need.fills != coverage.fills and need.legend != coverage.legend
    assert set(need.tips) == set(need.fills) == {"00001", "00002", "00003", "00004"}
    assert need.dimmed == () and need.show_reach is True and coverage.show_reach is None
    script = style_script(coverage, map_name="map_div")
    assert script.startswith("map_div._glCommunes.glRestyle({") and script.rstrip().endswith(");")
    spec = json.loads(script[len("map_div._glCommunes.glRestyle(") : script.rindex(")")])
    assert (
        spec["fill"] == dict(coverage.fills) and spec["label"] == "Mức đáp ứng (năng lực/nhu cầu)"
    )
    assert "<th>Mức đáp ứng (năng lực/nhu cầu)</th><td>60%</td>" in spec["tip"]["00002"]
    with pytest.raises(ValueError, match="JavaScript"):
        style_script(coverage, map_name="map; alert(1)")
    with pytest.raises(ValueError, match="connectivity_index"):
        commune_style(tiny_communes(), metric="connectivity_index")
    # A colouring is a small fraction of the map it restyles.
    assert len(script) < len(map_html(base)) / 10


def test_filter_dims_communes_and_keeps_the_colour_classes() -> None:
    analysed = tiny_communes(need=[500.0, 20.0, 80.0, 3.0])
    everything = commune_style(analysed, metric="need")
    filtered = commune_style(analysed, metric="need", shown_codes=["00002", "00004"])
    assert filtered.dimmed == ("00001", "00003")
    assert filtered.fills == everything.fills and filtered.legend == everything.legend
    m = build_map(analysed, metric="need", shown_codes=["00002"], simplify_tolerance_m=None)
    assert layers(m)[COMMUNES].codes == ["00001", "00002", "00003", "00004"]  # dimmed, not dropped
    assert style_of(m).dimmed == ("00001", "00003", "00004")
    assert commune_style(analysed, metric="need", shown_codes=[]).dimmed == (
        "00001",
        "00002",
        "00003",
        "00004",
    )


def test_legend_is_compact_on_a_narrow_map() -> None:
    m = build_map(tiny_communes(), tiny_teams(), title="Gia Lai", teams_is_sample=True)
    legend = next(c for c in m._children.values() if type(c).__name__ == "_Legend")
    assert legend.wide_px > legend.open_px > 0
    assert (
        '<details class="gl-main" open>' in legend.html
        and '<details class="gl-more" open>' in legend.html
    )
    assert legend.html.index("gl-classes") < legend.html.index("gl-more") < legend.html.index("MẪU")
    html = map_html(m)
    assert ".gl-legend.gl-compact" in html and "max-height: calc(100vh" in html


def test_colour_scale_classes_and_labels() -> None:
    scale = colour_scale(tiny_communes(), "density_per_km2")
    assert list(scale.breaks) == sorted(scale.breaks)
    assert len(scale.colours) == len(scale.breaks) + 1
    assert scale.colour_for(float("nan")) == MISSING_COLOUR
    fixed = colour_scale(
        tiny_communes(connectivity_index=[1.0, 2.0, 3.0, 4.0]), "connectivity_index"
    )
    assert fixed.class_labels("vi") == ["< 20", "20 – 40", "40 – 60", "60 – 80", "≥ 80"]
    big = ColourScale("density_per_km2", (1000.0, 2500.0), ("#a", "#b", "#c"))
    assert big.class_labels("vi") == ["< 1.000", "1.000 – 2.500", "≥ 2.500"]
    assert big.class_labels("en") == ["< 1,000", "1,000 – 2,500", "≥ 2,500"]


def test_selected_commune_is_outlined() -> None:
    communes = tiny_communes()
    m = build_map(communes, selected_code="00003")
    assert "Xã/phường đang chọn" in layers(m)
    group = selection_layer(communes, "00003")
    assert isinstance(group, folium.FeatureGroup)
    (outline,) = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    assert [f["id"] for f in features(outline)] == ["00003"]
    assert selection_layer(communes, "99999") is None


def test_polygons_are_sent_as_encoded_polylines() -> None:
    # The example of the algorithm's documentation, vertices given as (x, y).
    documented = shapely.Polygon([(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)])
    assert encode_polygons([documented]) == [[["_p~iF~ps|U_ulLnnqC_mqNvxq`@"]]]
    holed = shapely.Polygon(
        [(108.0, 13.0), (108.2, 13.0), (108.2, 13.2), (108.0, 13.2)],
        holes=[[(108.05, 13.05), (108.1, 13.05), (108.1, 13.1)]],
    )
    two = shapely.MultiPolygon(
        [shapely.box(108.0, 13.0, 108.1, 13.1), shapely.box(108.3, 13.0, 108.4, 13.1)]
    )
    encoded = encode_polygons([holed, None, shapely.Polygon(), two])
    assert [len(polygons) for polygons in encoded] == [1, 0, 0, 2]
    exterior, hole = (decode_ring(ring) for ring in encoded[0][0])
    assert exterior == [
        (108.0, 13.0),
        (108.2, 13.0),
        (108.2, 13.2),
        (108.0, 13.2),
    ]  # closing vertex left out
    assert hole == [(108.05, 13.05), (108.1, 13.05), (108.1, 13.1)]
    assert decode_ring(encoded[3][1][0]) == list(two.geoms[1].exterior.coords)[:-1]


def test_commune_at_finds_the_clicked_commune() -> None:
    communes = tiny_communes()
    assert commune_at(communes, lon=108.15, lat=13.15) == "00004"
    assert commune_at(communes, lon=108.05, lat=13.02) == "00001"
    assert commune_at(communes, lon=110.0, lat=13.0) is None


def test_commune_table_shows_the_map_numbers() -> None:
    table = commune_table(tiny_communes(), lang="vi")
    assert list(table.columns[:6]) == [
        "Mã",
        "Xã/phường",
        "Loại",
        "Dân số",
        "Diện tích (km²)",
        "Mật độ dân số (người/km²)",
    ]
    assert table.loc[0, "Mật độ dân số (người/km²)"] == round(1_234_567 / 12.5)


# ------------------------------------------------------------------- escaping


def test_names_from_files_are_escaped() -> None:
    communes = tiny_communes(reasons_vi=[HOSTILE, "", "", ""])
    communes.loc[1, "name"] = HOSTILE
    communes.loc[1, "full_name"] = HOSTILE
    teams = tiny_teams()
    teams.loc[0, "team_name"] = HOSTILE
    sites = tiny_sites()
    sites.loc[0, "commune_name"] = HOSTILE
    sites.loc[0, "reason_vi"] = HOSTILE
    m = build_map(communes, teams, sites=sites, title=HOSTILE)
    names = layers(m)
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert escaped in tips(names["Đội cố định"])[0]
    assert escaped in commune_tips(m)[0]
    assert escaped in commune_tips(m)[1]
    assert escaped in tips(names["Vị trí đề xuất đội mới"])[0]
    assert any(escaped in label[0] for label in names["Tên xã/phường"].labels)
    html = map_html(m)
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html
    assert "</script>`" not in html
    # JSON in scripts is escaped again (\u003c, \u0026); the title is escaped for HTML.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    assert "<title>&lt;img src=x" in html


# --------------------------------------------------------------------- export


def test_template_syntax_in_names_is_text_not_code() -> None:
    """branca parses rendered scripts again as Jinja: names must stay text, never run."""
    communes = tiny_communes()
    communes.loc[0, "name"] = "A{{ 7 * 7 }}B"
    communes.loc[0, "full_name"] = "{% if true %}x{% endif %}{#"
    teams = tiny_teams()
    teams.loc[0, "team_name"] = "C{{ 6 * 7 }}D"
    html = map_html(build_map(communes, teams, title="E{{ 5 * 5 }}F"))
    assert "A49B" not in html and "C42D" not in html and "E25F" not in html
    # Braces are character references (and the & is escaped again inside scripts).
    assert "A\\u0026#123;\\u0026#123; 7 * 7 \\u0026#125;\\u0026#125;B" in html
    assert "C\\u0026#123;\\u0026#123; 6 * 7 \\u0026#125;\\u0026#125;D" in html
    assert "<title>E&#123;&#123; 5 * 5 &#125;&#125;F</title>" in html


def test_exported_html_is_self_contained() -> None:
    m = build_map(
        tiny_communes(), tiny_teams(), sites=tiny_sites(), reach_radius_km=5, title="Gia Lai"
    )
    html = map_html(m)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    assert "<title>Gia Lai</title>" in html
    external = re.findall(
        r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
        html,
        re.IGNORECASE,
    )
    assert external == []
    assert re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", html) is None
    assert "data:text/javascript" not in html and "data:text/css" not in html
    assert "L.map(" in html and ".leaflet-container" in html
    assert html.count("<script>") >= 2  # Leaflet inline + the map


def test_tiles_are_optional_decoration() -> None:
    m = build_map(tiny_communes(), tiles="OpenStreetMap")
    assert any(type(c).__name__ == "TileLayer" for c in m._children.values())
    html = map_html(m)
    assert re.findall(r"<script\b[^>]*\bsrc=", html) == []


# ------------------------------------------------------------------ geometry


def _jagged_pair() -> gpd.GeoDataFrame:
    """Two neighbours in UTM 49N (metres) sharing a zig-zag edge with 5 m teeth."""
    ys = np.arange(0, 2001, 10.0)
    xs = 1000 + np.where(np.arange(ys.size) % 2 == 0, 0.0, 5.0)
    edge = list(zip(xs, ys, strict=True))
    left = shapely.Polygon([(0, 0), *edge, (0, 2000)])
    right = shapely.Polygon([(2000, 0), (2000, 2000), *reversed(edge)])
    frame = gpd.GeoDataFrame(
        {"code": ["L", "R"], "name": ["L", "R"]}, geometry=[left, right], crs="EPSG:32649"
    )
    return frame.to_crs(4326)


def test_display_simplification_keeps_neighbours_gap_free() -> None:
    pair = _jagged_pair()
    simplified = simplify_for_display(pair, tolerance_m=50)
    assert simplified.crs.to_epsg() == 4326
    before = shapely.get_num_coordinates(pair.geometry.to_numpy()).sum()
    after = shapely.get_num_coordinates(simplified.geometry.to_numpy()).sum()
    assert after < before / 10
    metric = simplified.to_crs(32649).geometry.to_numpy()
    union = shapely.union_all(metric)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no gap
    assert math.isclose(union.area, shapely.area(metric).sum(), rel_tol=1e-6)  # no overlap
    assert math.isclose(union.area, 4_000_000, rel_tol=1e-3)


def test_missing_crs_is_an_error() -> None:
    communes = tiny_communes().set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="CRS"):
        simplify_for_display(communes)
    with pytest.raises(ValueError, match="CRS"):
        build_map(communes)


# ----------------------------------------------------------------- real data


@pytest.mark.realdata
def test_gia_lai_map_has_every_commune_and_fits_the_province(real_settings: cfg.Settings) -> None:
    from coverage.planning import load_inputs

    inputs = load_inputs(real_settings)
    m = build_map(inputs.communes, inputs.teams, teams_is_sample=True, indicators_is_estimate=True)
    names = layers(m)
    shaded = names[COMMUNES].codes
    assert len(shaded) == 135
    assert set(shaded) == set(inputs.communes["code"]) == set(style_of(m).fills)
    assert (
        len(features(names["Đội cố định"])) + len(features(names["Đội lưu động"]))
        == len(inputs.teams)
        == len(pd.read_csv(real_settings.sample_roster_path, dtype=str))
    )
    fit = next(c for c in m._children.values() if isinstance(c, FitBesideLegend))
    (south, west), (north, east) = fit.bounds
    minx, miny, maxx, maxy = inputs.communes.total_bounds
    assert (west, south, east, north) == pytest.approx((minx, miny, maxx, maxy), abs=0.01)
    legend = legend_of(m)
    assert "MẪU" in legend and "ước tính minh hoạ" in legend
    # Simplified, encoded geometry keeps the file small (2.3 MB as GeoJSON with copies
    # of the flagged communes; about 0.55 MB now, a fifth of it Leaflet itself).
    assert len(map_html(m)) < 800_000
    assert any(isinstance(c, LayerControl) for c in m._children.values())


def _with_island(dx_deg: float, *, province_codes: list[str] | None = None) -> gpd.GeoDataFrame:
    """The four tiny squares and a fifth, small island ``dx_deg`` east of them."""
    communes = tiny_communes()
    island = gpd.GeoDataFrame(
        {"code": ["00005"], "name": ["Đảo <b>xa</b>"], "full_name": ["Đặc khu Đảo xa"]},
        geometry=[shapely.box(108.2 + dx_deg, 13.0, 108.22 + dx_deg, 13.02)],
        crs="EPSG:4326",
    )
    frame = gpd.GeoDataFrame(pd.concat([communes, island], ignore_index=True), crs="EPSG:4326")
    if province_codes is not None:
        frame["province_code"] = province_codes
    return frame


def test_far_islands_leave_the_first_view_and_are_named() -> None:
    from coverage.outputs.maps.geometry import far_from_view

    # 4 degrees east (about 430 km): the view without it is far smaller, so it leaves
    far = _with_island(4.0)
    assert far_from_view(far).tolist() == [False, False, False, False, True]
    m = build_map(far, tiny_teams())
    fits = [c for c in m._children.values() if isinstance(c, FitBesideLegend)]
    (south, west), (north, east) = fits[0].bounds
    assert east == pytest.approx(108.2) and west == pytest.approx(108.0)
    legend = legend_of(m)
    assert "Ngoài khung nhìn đầu (đảo xa): Đảo &lt;b&gt;xa&lt;/b&gt;" in legend
    assert "<b>xa</b>" not in legend

    # 0.6 degrees (about 65 km) from the rest: far, but it widens the view only 4 times;
    # 0.3 degrees (about 32 km): not far at all; a map of several provinces keeps everything
    assert far_from_view(_with_island(0.6)).tolist() == [False, False, False, False, True]
    assert not far_from_view(_with_island(0.3)).any()
    assert not far_from_view(_with_island(4.0, province_codes=["1", "1", "2", "2", "2"])).any()
    near = build_map(_with_island(0.3), tiny_teams())
    assert "đảo xa" not in legend_of(near)


def test_static_map_frames_the_mainland_and_names_the_far_island() -> None:
    from coverage.outputs.staticmap.draw import draw_map
    from coverage.outputs.staticmap.model import MapLayers, MapText

    text = MapText(title="Bản đồ", subtitle="Tỉnh thử", sources="Nguồn: thử")
    fig = draw_map(MapLayers(communes=_with_island(4.0)), text=text, metric="density_per_km2")
    words = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "Không vẽ trong khung (đảo xa): Đảo <b>xa</b>" in words
    left, right = fig.axes[0].get_xlim()
    assert right - left < 100_000  # metres: the four squares (22 km), not the 450 km to the island
    plain = draw_map(MapLayers(communes=_with_island(0.3)), text=text, metric="density_per_km2")
    assert not any("đảo xa" in t.get_text() for ax in plain.axes for t in ax.texts)
