"""Smoke test: the streamlit-folium private API that app_pages/folium_bridge.py uses is still there.

The bridge (see its module docstring) calls streamlit-folium's private functions and its
component with ``st_folium``'s arguments. A new streamlit-folium may rename or change them
silently; this test fails first, with a message that says what changed and where to look.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from importlib.metadata import version
from pathlib import Path

import folium
import geopandas as gpd
import pytest
import shapely

sf = pytest.importorskip("streamlit_folium")

HINT = (
    "streamlit-folium {installed} changed the private API that app_pages/folium_bridge.py "
    "relies on ({what}). Read that module's docstring: adapt the bridge to the new version "
    "(and the pin in pyproject.toml), or replace it with the public st_folium."
)

PRIVATE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "_get_html": ("fig",),
    "_get_header": ("fig",),
    "_get_map_string": ("fig",),
    "get_full_id": ("m",),
    "generate_js_hash": ("js_string", "key", "return_on_hover"),
    "_get_feature_group_string": ("feature_group_to_add", "map"),
}
"""The private functions the bridge calls, with the parameters it passes (by position)."""

COMPONENT_ARGUMENTS = frozenset(
    {
        "script",
        "header",
        "html",
        "id",
        "key",
        "height",
        "width",
        "returned_objects",
        "default",
        "zoom",
        "center",
        "feature_group",
        "return_on_hover",
        "layer_control",
        "pixelated",
        "css_links",
        "js_links",
        "on_change",
        "wrap_longitude",
    }
)
"""The keyword arguments ``folium_bridge.show_map`` passes to ``_component_func``."""


def fail(what: str) -> None:
    pytest.fail(HINT.format(installed=version("streamlit-folium"), what=what))


@pytest.mark.parametrize("name", sorted(PRIVATE_FUNCTIONS))
def test_private_function_is_there(name: str) -> None:
    function = getattr(sf, name, None)
    if not callable(function):
        fail(f"streamlit_folium.{name} is gone")
    parameters = tuple(inspect.signature(function).parameters)
    expected = PRIVATE_FUNCTIONS[name]
    if parameters[: len(expected)] != expected:
        fail(
            f"streamlit_folium.{name}{inspect.signature(function)} no longer starts with {expected}"
        )


def test_component_takes_the_arguments_st_folium_passes() -> None:
    """``st_folium`` still calls ``_component_func`` with exactly the bridge's keywords."""
    if not callable(getattr(sf, "_component_func", None)):
        fail("streamlit_folium._component_func is gone")
    tree = ast.parse(textwrap.dedent(inspect.getsource(sf.st_folium)))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_component_func"
    ]
    if len(calls) != 1:
        fail(f"st_folium calls _component_func {len(calls)} times, not once")
    passed = {keyword.arg for keyword in calls[0].keywords}
    if passed != COMPONENT_ARGUMENTS:
        fail(
            "st_folium now passes _component_func "
            f"{sorted(passed - COMPONENT_ARGUMENTS)} and no longer "
            f"{sorted(COMPONENT_ARGUMENTS - passed)}"
        )


def test_bridge_prepares_a_map_and_a_feature_group() -> None:
    """The bridge's own preparation runs on a small map with the installed version."""
    from app_pages import folium_bridge

    fmap = folium.Map(location=(13.98, 108.0), zoom_start=8, tiles=None)
    folium.Marker((13.98, 108.0), tooltip="Pleiku").add_to(fmap)
    try:
        args = folium_bridge.prepare_map(fmap, "smoke")
        group = sf._get_feature_group_string(
            folium.FeatureGroup(name="x"), map=folium.Map(tiles=None)
        )
    except Exception as error:  # any failure here is the API change this test exists for
        fail(f"preparing a map raised {type(error).__name__}: {error}")
    assert args.map_id and args.script and args.key_hash
    assert "L.marker" in args.script
    assert isinstance(group, str) and group


def test_bridge_passes_the_same_arguments() -> None:
    """``folium_bridge.show_map`` passes the keywords checked above (the test follows it)."""
    from app_pages import folium_bridge

    tree = ast.parse(inspect.getsource(folium_bridge))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "_component_func"
    ]
    assert len(calls) == 1
    assert {keyword.arg for keyword in calls[0].keywords} == COMPONENT_ARGUMENTS


def test_component_page_has_the_map_element_before_any_script() -> None:
    """The served map file draws into ``#map_div`` of the component's own page.

    ``folium_bridge.serve_files`` moves the map's script into a file streamlit-folium
    loads with Leaflet, before it adds the ``html`` argument: the element must be in
    its ``index.html`` already.
    """
    page = Path(sf.__file__).parent / "frontend" / "build" / "index.html"
    if 'id="map_div"' not in page.read_text(encoding="utf-8"):
        fail('its index.html has no element id="map_div"')


def test_served_map_carries_links_not_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leaflet and the map's script go to served files; the message keeps two links."""
    from app_pages import folium_bridge
    from coverage.outputs.maps.build import build_base_map

    monkeypatch.setattr(folium_bridge, "_asset_folder", lambda: (tmp_path, "pkg.map_assets"))
    communes = gpd.GeoDataFrame(
        {"code": ["1", "2"], "name": ["Ia Mơ", "Pleiku"], "area_km2": [1.0, 1.0]},
        geometry=[shapely.box(108.0, 13.0, 108.1, 13.1), shapely.box(108.1, 13.0, 108.2, 13.1)],
        crs=4326,
    )
    args = folium_bridge.prepare_map(build_base_map(communes, simplify_tolerance_m=None), "k")
    served = folium_bridge.serve_files(args)
    assert served.key_hash == args.key_hash and served.css_links == () and served.header == ""
    assert len(served.js_links) == 2 and len(served.script) < 200
    assert all(link.startswith("../pkg.map_assets/") for link in served.js_links)
    lib, drawn = (tmp_path / link.rsplit("/", 1)[1] for link in served.js_links)
    assert "Leaflet" in lib.read_text(encoding="utf-8")
    text = drawn.read_text(encoding="utf-8")
    assert text.endswith(args.script) and "insertAdjacentHTML" in text and ".leaflet-" in text
    assert folium_bridge.serve_files(args) == served  # named by content: the same files
    assert len(list(tmp_path.iterdir())) == 2


def _two_communes(name: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["1", "2"], "name": [name, "Pleiku"], "area_km2": [1.0, 1.0]},
        geometry=[shapely.box(108.0, 13.0, 108.1, 13.1), shapely.box(108.1, 13.0, 108.2, 13.1)],
        crs=4326,
    )


def test_served_folder_keeps_the_most_recently_used_maps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-running server keeps a bounded number of map files, and never Leaflet's away."""
    import os

    from app_pages import folium_bridge
    from coverage.outputs.maps.build import build_base_map

    monkeypatch.setattr(folium_bridge, "_asset_folder", lambda: (tmp_path, "pkg.map_assets"))
    monkeypatch.setattr(folium_bridge, "MAP_FILES_KEPT", 2)
    maps = [
        folium_bridge.prepare_map(build_base_map(_two_communes(n), simplify_tolerance_m=None), "k")
        for n in ("Ia Mơ", "Ia O", "Ia Pnôn")
    ]

    def map_file(args: folium_bridge.MapArgs) -> Path:
        return tmp_path / folium_bridge.serve_files(args).js_links[-1].rsplit("/", 1)[1]

    first, second = map_file(maps[0]), map_file(maps[1])
    past = first.stat().st_mtime - 60
    os.utime(second, (past, past))  # the second map was drawn a minute before the first
    assert map_file(maps[0]) == first  # drawn again: used now, kept
    third = map_file(maps[2])
    assert sorted(p.name for p in tmp_path.glob("map-*.js")) == sorted([first.name, third.name])
    assert len(list(tmp_path.glob("lib-*.js"))) == 1
    # a temporary-files cleaner removed the folder: the next map writes it again
    for path in tmp_path.iterdir():
        path.unlink()
    tmp_path.rmdir()
    assert map_file(maps[1]).exists() and len(list(tmp_path.glob("lib-*.js"))) == 1


def test_cached_map_whose_file_went_away_is_served_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared cache may outlive a pruned file: the map is prepared again, not left blank."""
    from app_pages import folium_bridge
    from coverage.outputs.maps.build import build_base_map

    monkeypatch.setattr(folium_bridge, "_asset_folder", lambda: (tmp_path, "pkg.map_assets"))
    monkeypatch.setattr(folium_bridge, "indicators_revision", lambda: 0)
    builds: list[str] = []

    def build() -> folium.Map:
        builds.append("built")
        return build_base_map(_two_communes("Ia Mơ"), simplify_tolerance_m=None)

    key = ("test_cached_map_whose_file_went_away", str(tmp_path))
    args = folium_bridge.map_args(key, "k", build)
    assert folium_bridge.map_args(key, "k", build) == args and builds == ["built"]  # cached
    (tmp_path / args.js_links[-1].rsplit("/", 1)[1]).unlink()
    again = folium_bridge.map_args(key, "k", build)
    assert builds == ["built", "built"]
    assert (tmp_path / again.js_links[-1].rsplit("/", 1)[1]).exists()
    assert folium_bridge.map_args(key, "k", build) == again and len(builds) == 2  # cached anew
