"""The one workaround on streamlit-folium: a map prepared once, sent through its component.

``streamlit_folium.st_folium`` renders the whole folium map to HTML and JavaScript on
every rerun (about 2.5 s for Gia Lai's 135 communes), although what it sends depends only
on the map. This module prepares those arguments once per map content (cached on the
inputs, never on the selection) and calls the same browser component itself, adding the
selected commune's outline and the colouring script as streamlit-folium's "feature
group", so a click or a new colouring restyles the map in the browser instead of
rebuilding it.

Leaflet, its stylesheet and the map's own script do not travel in the message: they are
written once per content to files that Streamlit serves from this machine (the folder
of a declared component that is never shown, see :func:`serve_files`), and the message
carries links to them. A click or a new colouring then sends about 120 kB instead of
about 770 kB (Gia Lai), and the browser compiles Leaflet and the map from files instead
of decoding ``data:`` links. The exported map (:func:`coverage.outputs.maps.export.map_html`)
still inlines everything.

Private API used (streamlit-folium 0.27; ``pyproject.toml`` pins ``<0.28`` for it):

- ``_get_html``, ``_get_header``, ``_get_map_string``: the pieces ``st_folium`` renders;
- ``get_full_id``, ``generate_js_hash``: the map's id and the component key ``st_folium``
  derives (the click value is read back from session state under that key);
- ``_get_feature_group_string``: a layer rendered as a feature group script;
- ``_component_func``: the declared Streamlit component, with ``st_folium``'s arguments.

``tests/test_folium_bridge.py`` fails with a clear message when an installed
streamlit-folium no longer has these with the expected parameters.

What would let it go: a public ``st_folium`` that accepts a pre-rendered (cacheable) map
or caches its own rendering, and that takes an extra script or feature group per call
without rebuilding the map (upstream ``feature_group_to_add`` almost does, but renders
the whole map again each time). Then :func:`show_map` becomes one ``st_folium`` call.
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages.state import (
    indicators_revision,
    lang,
    province_code,
    select_commune,
    selected_commune,
)
from coverage import planning

FoliumMap = folium.Map
"""What a page's map builder returns (pages name it without importing folium)."""


@dataclass(frozen=True)
class MapArgs:
    """What ``st_folium`` sends to the browser, prepared once per map content.

    ``streamlit_folium.st_folium`` renders the whole folium map on every rerun (about
    2.5 s for Gia Lai's 135 polygons); the arguments it sends depend only on the map,
    so they are prepared once here, cached, and passed to the same component.
    """

    script: str
    header: str
    html: str
    map_id: str
    key_hash: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    zoom: Any


CLICK_AT_ONCE = """
(function (map) {
    var keys = ['last_object_clicked', 'last_object_clicked_count', 'last_object_clicked_tooltip'];
    map.on('click', function () {
        Promise.resolve().then(function () {
            var g = window.__GLOBAL_DATA__, streamlit = window.Streamlit;
            if (!g || !streamlit || !g.last_object_clicked) { return; }
            var asked = g.returned_objects || [];
            if (asked.some(function (k) { return keys.indexOf(k) < 0; })) { return; }
            var data = {};
            keys.forEach(function (k) { if (asked.indexOf(k) >= 0) { data[k] = g[k]; } });
            if (JSON.stringify(g.previous_data) !== JSON.stringify(data)) {
                g.previous_data = data;
                streamlit.setComponentValue(data);
            }
        });
    });
})(%s);
"""
"""Report a click on a commune at once (streamlit-folium waits 250 ms after the last event).

Leaflet fires a click on the layer under the pointer (streamlit-folium's handler records
it there) and then on the map, where this sends the same value streamlit-folium would
send after its 250 ms debounce, in the same key order; the debounced call then finds the
value unchanged and sends nothing. Other returned objects keep the debounced path.
"""


def prepare_map(fmap: folium.Map, key: str) -> MapArgs:
    """Replicate ``st_folium``'s preparation (streamlit-folium 0.27) for a plain map.

    The map's script ends with :data:`CLICK_AT_ONCE`, so a click on a commune reaches the
    app without streamlit-folium's 250 ms wait.
    """
    import streamlit_folium as sf

    fmap.render()  # type: ignore[no-untyped-call]  # only the map's own parts are sent
    html_text = sf._get_html(fmap)
    header = sf._get_header(fmap)
    map_id = sf.get_full_id(fmap)
    script = sf._get_map_string(fmap) + CLICK_AT_ONCE % STREAMLIT_FOLIUM_MAP
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> Any:
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return MapArgs(
        script=script,
        header=header,
        html=html_text,
        map_id=map_id,
        key_hash=sf.generate_js_hash(script, key, False),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        zoom=fmap.options.get("zoom"),
    )


ASSETS_COMPONENT = "map_assets"
"""The component whose folder serves the map's files (never shown; its route is used)."""


@functools.cache
def _asset_folder() -> tuple[Path, str]:
    """Return the folder the map's files are written to and the name it is served under.

    Streamlit serves a declared component's folder at ``/component/<name>/`` (from this
    machine, no internet); the map's iframe (``/component/streamlit_folium.st_folium/``)
    reaches it by a relative link, so a path prefix before the app changes nothing.
    """
    import streamlit.components.v1 as components

    folder = Path(tempfile.mkdtemp(prefix="coverage-map-assets-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder, components.declare_component(ASSETS_COMPONENT, path=folder).name


MAP_FILES_KEPT = 96
"""Map files kept in the served folder, newest first: twice the maps :func:`map_args` caches.

Each roster edit draws a new base map, about 650 kB for Gia Lai; a server that runs for
weeks in an office would otherwise fill its temporary folder (often memory) with them."""


def _served(stem: str, text: str) -> str:
    """Write ``text`` as a served file named by its content; return its link from the iframe.

    A file already there is marked as used again (its time is what pruning keeps by); a
    new ``map`` file prunes the oldest beyond :data:`MAP_FILES_KEPT`. The folder is made
    again if a temporary-files cleaner removed it while the server ran.
    """
    folder, name = _asset_folder()
    data = text.encode("utf-8")
    path = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:20]}.js"
    try:
        os.utime(path)
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{threading.get_ident()}.part")
        partial.write_bytes(data)
        partial.replace(path)
        if stem == "map":
            _prune(folder, stem, keep=MAP_FILES_KEPT)
    return _link_prefix(name) + path.name


def _link_prefix(name: str) -> str:
    """Return how the map's iframe links to the served folder of component ``name``."""
    return f"../{urllib.parse.quote(name)}/"


def _prune(folder: Path, stem: str, *, keep: int) -> None:
    """Remove the ``stem`` files of ``folder`` beyond the ``keep`` most recently used."""
    used = []
    for path in folder.glob(f"{stem}-*.js"):
        try:
            used.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:  # another session pruned it first
            continue
    for _, path in sorted(used, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def _files_present(args: MapArgs) -> bool:
    """Say whether every served file ``args`` links to is still in the folder."""
    folder, name = _asset_folder()
    prefix = _link_prefix(name)
    return all(
        (folder / link.removeprefix(prefix)).exists()
        for link in args.js_links
        if link.startswith(prefix)
    )


def _data_text(link: str) -> str | None:
    """Return the text of a base64 ``data:`` link (what :mod:`coverage.outputs.maps` sets)."""
    head, _, body = link.partition(",")
    if not link.startswith("data:") or not head.endswith(";base64"):
        return None
    return base64.b64decode(body).decode("utf-8")


def serve_files(args: MapArgs) -> MapArgs:
    """Move Leaflet, its stylesheet and the map's script out of the message into served files.

    Sent inline, they make every message that carries the map about 650 kB (Gia Lai),
    again after each click or restyle, and the browser decodes them from ``data:`` links.
    Served, the message carries two links: the browser fetches and compiles Leaflet and
    the map from files (named by their content, so a new map is a new file). The map file
    adds the stylesheets and the header first, in the order streamlit-folium would, then
    draws the map; the script left in the message only hands the map to streamlit-folium.
    """
    scripts = [_data_text(link) for link in args.js_links]
    sheets = [_data_text(link) for link in args.css_links]
    if args.html.strip() or any(text is None for text in (*scripts, *sheets)):
        return args  # elements before the script, or a link elsewhere: sent as it is
    lines = [
        f"(function (sheet) {{ var style = document.createElement('style'); "
        f"style.textContent = sheet; document.head.appendChild(style); }})({json.dumps(text)});"
        for text in sheets
    ]
    lines.append(f"document.head.insertAdjacentHTML('beforeend', {json.dumps(args.header)});")
    links = [_served("lib", str(text)) for text in scripts]
    links.append(_served("map", "\n".join([*lines, args.script])))
    return replace(
        args, script=f"/* {links[-1]} */", header="", css_links=(), js_links=tuple(links)
    )


@st.cache_data(show_spinner=False, max_entries=48)
def _map_args(cache_key: str, key: str, _build: Callable[[], folium.Map]) -> MapArgs:
    return serve_files(prepare_map(_build(), key))


def _map_key(cache_key: tuple[Any, ...]) -> str:
    """Return a map cache key as text, with the indicator revision (colours follow it)."""
    return json.dumps([str(part) for part in (*cache_key, indicators_revision())])


def map_args(cache_key: tuple[Any, ...], key: str, build: Callable[[], folium.Map]) -> MapArgs:
    """Return prepared map arguments, cached on ``cache_key`` (inputs only, never the selection).

    A cached map whose files were pruned (:data:`MAP_FILES_KEPT`) or cleaned away is
    dropped from the cache and prepared again.
    """
    text_key = _map_key(cache_key)
    args = _map_args(text_key, key, build)
    if not _files_present(args):
        _map_args.clear(text_key, key, build)
        args = _map_args(text_key, key, build)
    return args


STREAMLIT_FOLIUM_MAP = "map_div"
"""The name streamlit-folium gives the map in the browser (what a style script addresses)."""


@st.cache_data(show_spinner=False, max_entries=64)
def _map_style(cache_key: str, _build: Callable[[], planning.CommuneStyle]) -> str:
    return planning.style_script(_build(), map_name=STREAMLIT_FOLIUM_MAP)


def map_style(cache_key: tuple[Any, ...], build: Callable[[], planning.CommuneStyle]) -> str:
    """Return the script that shades a base map (colouring, filter, reach), cached on ``cache_key``.

    Shown with :func:`show_map` (``style=``) over a map from
    :func:`coverage.outputs.maps.build.build_base_map`: a new colouring or filter sends only this.
    """
    return _map_style(_map_key(cache_key), build)


def _selection_script(communes: gpd.GeoDataFrame, code: str | None) -> str | None:
    if code is None:
        return None
    return _selection_cached(
        province_code(), code, lang(), communes[communes["code"].astype(str) == code]
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _selection_cached(
    province: str, code: str, language: str, _chosen: gpd.GeoDataFrame
) -> str | None:
    import streamlit_folium as sf

    layer = planning.selection_layer(
        _chosen, code, lang="en" if language == "en" else "vi", simplify_tolerance_m=None
    )
    if layer is None:
        return None
    holder = folium.Map(tiles=None)
    return str(sf._get_feature_group_string(layer, map=holder))


def show_map(
    args: MapArgs,
    *,
    key: str,
    communes: gpd.GeoDataFrame,
    height: int = 600,
    on_click: Callable[[str], None] | None = None,
    style: str | None = None,
) -> None:
    """Show a prepared map; a click selects the commune under it (no recomputation).

    ``style`` (from :func:`map_style`) shades a base map. It travels with the selected
    commune's outline as streamlit-folium's feature group: when only they change, the
    map in the browser stays and is restyled, not rebuilt.
    """
    import streamlit_folium as sf

    def changed() -> None:
        value = st.session_state.get(args.key_hash) or {}
        if not isinstance(value, dict):
            return
        code = planning.clicked_commune(communes, value)
        if code is not None:
            select_commune(code)
            if on_click is not None:
                on_click(code)

    # The click count makes every click a change, so clicking the same commune again
    # (after clearing the selection or choosing another one elsewhere) still selects it.
    returned = ["last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip"]
    # What the map reports before any click, in the order it reports it: the same value
    # means no change, so opening the map does not trigger a second run of the page.
    defaults: dict[str, Any] = {
        "last_object_clicked": None,
        "last_object_clicked_count": 0,
        "last_object_clicked_tooltip": None,
    }
    extra = "".join(
        part for part in (_selection_script(communes, selected_commune()), style) if part
    )
    sf._component_func(
        script=args.script,
        header=args.header,
        html=args.html,
        id=args.map_id,
        key=args.key_hash,
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=None,
        center=None,
        feature_group=extra or None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(args.css_links),
        js_links=list(args.js_links),
        on_change=changed,
        wrap_longitude=False,
    )
