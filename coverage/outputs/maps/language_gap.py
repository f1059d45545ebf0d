"""Map layer: communes with a language gap, hatched over their colouring.

A commune has a language gap when many of its residents mainly speak a minority language
and no team in reach has a speaker of it (:mod:`coverage.analysis.languages`); the reason,
in plain words, is in the commune's tooltip and panel. The hatch is drawn from the commune
layer's own polygons (``glFlagLayer`` of :class:`coverage.outputs.maps.elements._CommuneLayer`,
the ``communes`` a :class:`LanguageGapLayer` is given), so the layer adds only the
flagged codes and a small pattern to what the map sends, and it draws offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from folium.map import Layer
from folium.template import Template

from coverage.outputs.escape import js_string, script_json

LANGUAGE_GAP_FLAG: Final[str] = "is_language_gap"
"""Column of the analysis that flags a language gap."""

HATCH_COLOUR: Final[str] = "#262626"
"""Near-black diagonal lines: they read over every colouring and leave it visible."""

HATCH_ID: Final[str] = "gl-hatch-language"
"""Id of the SVG pattern the hatched communes are filled with."""

_HATCH_PATTERN: Final[str] = (
    f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" height="7" '
    'patternTransform="rotate(45)">'
    f'<line x1="0" y1="0" x2="0" y2="7" stroke="{HATCH_COLOUR}" stroke-width="1.6"/>'
    "</pattern></defs>"
)

HATCH_STYLE: Final[dict[str, Any]] = {
    "stroke": False,
    "fill": True,
    "fillColor": f"url(#{HATCH_ID})",
    "fillOpacity": 0.85,
}


def language_gap_symbol() -> str:
    """Return the legend's key: a small hatched box like the communes on the map."""
    lines = "".join(
        f'<line x1="{x}" y1="12" x2="{x + 12}" y2="0" stroke="{HATCH_COLOUR}" stroke-width="1.4"/>'
        for x in (-8, -3, 2, 7, 12, 17)
    )
    return (
        '<svg width="22" height="12"><rect x="0.5" y="0.5" width="21" height="11" fill="#fff" '
        f'stroke="{HATCH_COLOUR}" stroke-width="1"/>{lines}</svg>'
    )


class LanguageGapLayer(Layer):
    """Hatch over the communes with a language gap (in the layer switch; on when opened)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (id, pattern) {
            if (document.getElementById(id)) { return; }
            var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
            svg.setAttribute('width', '0');
            svg.setAttribute('height', '0');
            svg.setAttribute('aria-hidden', 'true');
            svg.style.position = 'absolute';
            svg.innerHTML = pattern;
            document.body.appendChild(svg);
        })({{ this.id_json }}, {{ this.pattern_json }});
        var {{ this.get_name() }} = {{ this.communes.get_name() }}.glFlagLayer(
            {{ this.codes_json }}, {{ this.style_json }}, 'gl-flag-language-gap');
        {% endmacro %}
        """
    )

    def __init__(
        self, communes: Layer, codes: Sequence[str], *, name: str, show: bool = True
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LanguageGapLayer"
        self.communes = communes
        self.codes = [str(code) for code in codes]
        self.codes_json = script_json(self.codes)
        self.style_json = script_json(HATCH_STYLE)
        self.id_json = js_string(HATCH_ID)
        self.pattern_json = js_string(_HATCH_PATTERN)


__all__ = [
    "HATCH_COLOUR",
    "HATCH_STYLE",
    "LANGUAGE_GAP_FLAG",
    "LanguageGapLayer",
    "language_gap_symbol",
]
