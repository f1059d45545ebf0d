"""The Leaflet elements of a map: fit, legend, decoder, commune, flag, outline and label layers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import shapely
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from coverage.outputs.escape import js_string, script_json
from coverage.outputs.maps.geometry import encode_polygons
from coverage.outputs.maps.scales import FLAG_STYLE, MISSING_COLOUR
from coverage.outputs.maps.style import CommuneStyle

# --------------------------------------------------------------- map elements


LEGEND_WIDE_PX: Final[int] = 760
"""Maps at least this wide get the full legend (at most 250 px wide); narrower, the compact
one (at most 185 px)."""


class FitBesideLegend(MacroElement):
    """Fit the map to ``bounds``, beside the legend (bottom left) when that is cheap.

    The province is kept clear of the legend's widest size when that costs at most a
    quarter zoom step; on a narrow map it would shrink the province too much, and the
    legend (compact there) may overlap its corner. One fit, before any layer is drawn,
    so no polygon is projected twice.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.bounds_json }});
            var legend = map.getSize().x >= {{ this.wide_px }} ? 285 : 210;  // widest legend + margins
            var plain = map.getBoundsZoom(bounds, false, L.point(16, 16));
            var beside = map.getBoundsZoom(bounds, false, L.point(legend + 8, 16));
            var options = beside >= plain - 0.25
                ? {paddingTopLeft: [legend, 8], paddingBottomRight: [8, 8], animate: false}
                : {padding: [8, 8], animate: false};
            map.fitBounds(bounds, options);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FitBesideLegend"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.bounds_json = script_json([[float(v) for v in corner] for corner in bounds])
        self.wide_px = LEGEND_WIDE_PX


class _Legend(MacroElement):
    """A Leaflet control holding prepared (escaped) legend HTML.

    On a map narrower than ``wide_px`` the legend is compact (smaller type, symbols and
    notes folded away); narrower than ``open_px`` it starts folded to its heading. The
    planner opens and folds it by clicking the heading; a new colouring keeps that.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'gl-legend');
            div.innerHTML = {{ this.html_json }};
            var width = map.getSize().x;
            var wide = width >= {{ this.wide_px }};
            if (!wide) { L.DomUtil.addClass(div, 'gl-compact'); }
            var main = div.querySelector('details.gl-main');
            if (main) { main.open = width >= {{ this.open_px }}; }
            var more = div.querySelector('details.gl-more');
            if (more) { more.open = wide; }
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            map._glLegend = div;
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        legend_html: str,
        *,
        position: str = "bottomleft",
        wide_px: int = LEGEND_WIDE_PX,
        open_px: int = 420,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.html = legend_html
        self.html_json = js_string(legend_html)
        self.position = position
        self.wide_px = int(wide_px)
        self.open_px = int(open_px)


_DECODER_JS: Final[str] = """
function glDecodeRing(text) {
    var points = [], x = 0, y = 0, i = 0, n = text.length;
    while (i < n) {
        var pair = [0, 0];
        for (var k = 0; k < 2; k++) {
            var shift = 0, value = 0, b;
            do { b = text.charCodeAt(i++) - 63; value |= (b & 31) << shift; shift += 5; } while (b >= 32);
            pair[k] = (value & 1) ? ~(value >> 1) : (value >> 1);
        }
        x += pair[0]; y += pair[1];
        points.push([x / 1e5, y / 1e5]);
    }
    return points;
}
function glDecodePolygons(polygons) {
    return polygons.map(function (rings) { return rings.map(glDecodeRing); });
}
"""


class _Decoder(MacroElement):
    """Defines ``glDecodePolygons``, the browser side of :func:`encode_polygons`."""

    _template = Template("{% macro script(this, kwargs) %}" + _DECODER_JS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PolylineDecoder"


_COMMUNE_NORMAL: Final[dict[str, Any]] = {
    "color": "#5f5f5f",
    "weight": 0.8,
    "opacity": 1.0,
    "fillOpacity": 0.78,
}
_COMMUNE_DIMMED: Final[dict[str, Any]] = {
    "color": "#a0a0a0",
    "weight": 0.5,
    "opacity": 0.7,
    "fillOpacity": 0.12,
}
_COMMUNE_HIGHLIGHT: Final[dict[str, Any]] = {
    "weight": 3,
    "color": "#000000",
    "opacity": 1.0,
    "fillOpacity": 0.9,
}
_FLAG_DIMMED_OPACITY: Final[float] = 0.12


class _CommuneLayer(Layer):
    """Commune polygons (encoded) that a :class:`CommuneStyle` shades, dims and labels.

    The layer keeps each commune's fill, tooltip and dimming in one place and exposes
    ``glRestyle(spec)`` (also as ``map._glCommunes``) to change them in place, and
    ``glFlagLayer(codes, style, className)`` to outline some communes with the same
    polygons. Until a style is applied, communes are drawn in the no-data grey.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map, data) {
            var features = data.codes.map(function (code, i) {
                return {type: 'Feature', id: code, properties: {},
                        geometry: {type: 'MultiPolygon', coordinates: glDecodePolygons(data.shapes[i])}};
            });
            var state = {fill: {}, tip: {}, dim: {}, reach: null};
            function style(feature) {
                var base = state.dim[feature.id] ? data.dimmed : data.normal;
                return L.extend({}, base, {fillColor: state.fill[feature.id] || data.missing});
            }
            var layer = L.geoJSON(features, {style: style, className: 'gl-commune', smoothFactor: 0.5});
            layer.bindTooltip(function (target) {
                var div = L.DomUtil.create('div');
                div.innerHTML = state.tip[target.feature.id] || '';
                return div;
            }, {sticky: true, className: 'gl-tip'});
            // A tooltip opens on the side of the pointer where it fits inside the map
            // (Leaflet's 'auto' only looks at which half the pointer is in).
            layer.on('mousemove', function (e) {
                var tip = layer.getTooltip();
                var box = tip && tip.getElement && tip.getElement();
                if (!box) { return; }
                var room = map.getSize().x, width = box.offsetWidth + 24, x = e.containerPoint.x;
                var side = x + width <= room ? 'right' : (x - width >= 0 ? 'left' : 'top');
                if (side !== tip.options.direction) {
                    tip.options.direction = side;
                    if (tip.isOpen()) { tip.setLatLng(e.latlng); }
                }
            });
            layer.on('mouseover', function (e) { e.layer.setStyle(data.highlight); });
            layer.on('mouseout', function (e) { layer.resetStyle(e.layer); });
            var flags = [];
            layer.glFlagLayer = function (codes, flagStyle, className) {
                var keep = {};
                codes.forEach(function (code) { keep[code] = true; });
                var group = L.geoJSON(features.filter(function (f) { return keep[f.id] === true; }), {
                    style: function (f) {
                        var shown = state.dim[f.id] ? data.flagDimmed : 1;
                        var look = L.extend({}, flagStyle, {opacity: shown});
                        if (flagStyle.fill) { look.fillOpacity = flagStyle.fillOpacity * shown; }
                        return look;
                    },
                    interactive: false, className: className, smoothFactor: 0.5
                });
                flags.push(group);
                return group;
            };
            layer.glRestyle = function (spec) {
                state.fill = spec.fill;
                state.tip = spec.tip;
                state.dim = {};
                spec.dim.forEach(function (code) { state.dim[code] = true; });
                layer.resetStyle();
                flags.forEach(function (group) { group.resetStyle(); });
                var legend = map._glLegend;
                if (legend) {
                    var heading = legend.querySelector('.gl-heading');
                    var classes = legend.querySelector('.gl-classes');
                    if (classes) {
                        classes.innerHTML = spec.legend;
                        if (heading && heading.getAttribute('data-fixed')) {
                            var line = document.createElement('div');
                            var bold = document.createElement('b');
                            bold.textContent = spec.label;
                            line.appendChild(bold);
                            classes.insertBefore(line, classes.firstChild);
                        } else if (heading) {
                            heading.textContent = spec.label;
                        }
                    }
                }
                var reach = map._glReach;
                if (reach && spec.reach !== null && spec.reach !== state.reach) {
                    if (spec.reach) { map.addLayer(reach); } else { map.removeLayer(reach); }
                    state.reach = spec.reach;
                }
            };
            map._glCommunes = layer;
            return layer;
        })({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, display: gpd.GeoDataFrame, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "CommuneLayer"
        shapes = encode_polygons(display.geometry.to_numpy())
        kept = [
            (str(code), shape) for code, shape in zip(display["code"], shapes, strict=True) if shape
        ]
        self.codes = [code for code, _ in kept]
        self.shapes = [shape for _, shape in kept]
        self.data = {
            "codes": self.codes,
            "shapes": self.shapes,
            "normal": _COMMUNE_NORMAL,
            "dimmed": _COMMUNE_DIMMED,
            "highlight": _COMMUNE_HIGHLIGHT,
            "missing": MISSING_COLOUR,
            "flagDimmed": _FLAG_DIMMED_OPACITY,
        }
        self.data_json = script_json(self.data)


class _FlagLayer(Layer):
    """Outlines of the communes carrying one flag, drawn from the commune layer's polygons."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.communes.get_name() }}.glFlagLayer(
            {{ this.codes_json }}, {{ this.style_json }}, {{ this.class_name_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self, communes: _CommuneLayer, codes: Sequence[str], *, flag: str, name: str
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "FlagLayer"
        self.communes = communes
        self.flag = flag
        self.codes = [str(code) for code in codes]
        self.style = {"fill": False, **FLAG_STYLE[flag]}
        self.class_name = f"gl-flag-{flag.removeprefix('is_').replace('_', '-')}"
        self.codes_json = script_json(self.codes)
        self.style_json = script_json(self.style)
        self.class_name_json = js_string(self.class_name)


class _OutlineLayer(Layer):
    """One encoded (multi)polygon drawn as an outline, not interactive."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(
            {type: 'Feature', properties: {},
             geometry: {type: 'MultiPolygon', coordinates: glDecodePolygons({{ this.shape_json }})}},
            {style: function () { return {{ this.style_json }}; }, interactive: false,
             className: {{ this.class_name_json }}});
        {% endmacro %}
        """
    )

    def __init__(
        self, geometry: shapely.Geometry, *, name: str, style: Mapping[str, Any], class_name: str
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "OutlineLayer"
        self.shape = encode_polygons([geometry])[0]
        self.style = dict(style)
        self.class_name = class_name
        self.shape_json = script_json(self.shape)
        self.style_json = script_json(self.style)
        self.class_name_json = js_string(class_name)


class _MapReference(MacroElement):
    """Stores a layer on the Leaflet map as ``map._gl<Key>`` so a style can find it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}._gl{{ this.key }} = {{ this.layer.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self, layer: MacroElement, *, key: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if not key.isidentifier():
            raise ValueError(f"not a JavaScript name: {key!r}")
        self._name = "MapReference"
        self.layer = layer
        self.key = key


class _ApplyStyle(MacroElement):
    """Applies a :class:`CommuneStyle` to the map's commune layer (in the exported map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}._glCommunes.glRestyle({{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, style: CommuneStyle) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "CommuneStyle"
        self.style = style
        self.spec_json = script_json(style.spec())


class _LabelLayer(Layer):
    """Commune names as non-interactive text markers (escaped), one toggleable layer.

    Each label carries the zoom from which it fits inside its commune; the layer shows
    only those, so names never pile up at province scale.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group, labels, map) {
            var markers = labels.map(function (d) {
                return [L.marker([d[1], d[2]], {
                    icon: L.divIcon({className: 'gl-label', html: '<span>' + d[0] + '</span>', iconSize: null}),
                    interactive: false, keyboard: false
                }), d[3]];
            });
            function update() {
                var zoom = map.getZoom();
                markers.forEach(function (pair) {
                    if (zoom >= pair[1]) { group.addLayer(pair[0]); } else { group.removeLayer(pair[0]); }
                });
            }
            map.on('zoomend', update);
            update();
        })({{ this.get_name() }}, {{ this.labels|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, labels: list[tuple[str, float, float, float]], *, name: str, show: bool = True
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "CommuneLabels"
        self.labels = labels


class _ScaleBar(MacroElement):
    """Leaflet's metric scale bar (folium's own adds an imperial one too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 160, position: 'bottomleft'}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ScaleBar"
