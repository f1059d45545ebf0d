r"""Build folium maps of commune coverage that draw with no internet.

One builder, :func:`~coverage.outputs.maps.build.build_map`, serves both the app (shown
with ``st_folium``) and the export (:func:`~coverage.outputs.maps.export.map_html`, one
self-contained HTML file). Display geometry is simplified in
:mod:`~coverage.outputs.maps.geometry`; every analysis stays on full-resolution polygons.
Each module is imported by its own name: this ``__init__`` imports nothing.

Base map and colouring
----------------------
A map is two parts. The *base map* (:func:`~coverage.outputs.maps.build.build_base_map`)
holds what a colouring or a filter never changes: commune polygons, province outline, flag
outlines, names, teams, reach circles, suggested sites, the legend's symbols. The *commune
style* (:func:`~coverage.outputs.maps.style.commune_style`) holds what they do change:
each commune's fill colour, tooltip and whether a filter dims it, the legend's colour
classes and whether the reach circles show. ``build_map`` draws both. The app sends the
base map once and, on a new colouring or filter, only the style
(:func:`~coverage.outputs.maps.style.style_script`, passed to ``st_folium`` the way
:func:`~coverage.outputs.maps.build.selection_layer` is), which restyles the polygons
already drawn: a few tens of kilobytes instead of the whole map, and Leaflet keeps the
view.

Polygons travel as encoded polylines (the Google polyline algorithm, 1e-5 degrees;
:func:`~coverage.outputs.maps.geometry.encode_polygons`), about a fifth of the size of
GeoJSON text; the flag outlines reuse the commune polygons in the browser instead of
carrying copies.

Offline assets
--------------
folium links Leaflet, jQuery, Bootstrap, Font Awesome and the awesome-markers plugin
from CDNs; with no internet such a map is an empty grey box. This package keeps real
folium and swaps the links of the one asset it needs, Leaflet 1.9.3, for ``data:`` URIs
read at run time from the installed ``xstatic-leaflet`` package (the same Leaflet
version folium 0.20 pins; :mod:`~coverage.outputs.maps.assets`). The images Leaflet's
CSS refers to (layer-switch icon, default marker) are inlined into the CSS as ``data:``
URIs too. Nothing needs Bootstrap, jQuery or an icon font: markers are
``CircleMarker``\s and inline-SVG ``DivIcon``\s, the legend is a plain Leaflet control,
the scale bar is Leaflet's own.

- In the app, ``app_pages.folium_bridge`` takes the ``data:`` links out of the message and
  serves their text as files from the folder of a hidden Streamlit component (from this
  machine, no internet); the map's iframe loads Leaflet from there by a relative link.
- ``map_html`` renders the same map and replaces each ``data:`` link by an inline
  ``<script>``/``<style>`` element, so the exported file is one readable document
  that opens from a USB stick.

Why not ``folium-offline``: it is a whole copy of folium (import name
``offlinefolium``) that writes every asset as an inline ``<script>`` into the header.
That suits saved files, but ``st_folium`` drops inline header scripts (they are
inserted through ``innerHTML``) and only walks real ``folium`` classes for
``default_js``, so Leaflet would never load in the app; it would also add about 1.4 MB
of Bootstrap, jQuery and fonts to every map, and pin the project to a second
packager's release cadence for folium fixes. Keeping real folium and replacing one
link costs about 40 lines here and keeps ``streamlit-folium`` working unchanged.

Base-map tiles are decoration only (``tiles=None`` by default): with no tiles the map
has a plain light background, commune outlines, a province outline and commune
labels, and reads the same offline and online.

Safety
------
Every text that comes from a file (commune, team and site names, reasons) is
HTML-escaped before it reaches the map; Leaflet puts tooltip and label text into
``innerHTML``, so an unescaped ``<img onerror=...>`` in a roster would run.
"""
