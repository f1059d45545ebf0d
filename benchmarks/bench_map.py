"""Time the map layer on the real Gia Lai data (not a test; run `python benchmarks/bench_map.py`).

For a few simplification tolerances, prints seconds and sizes of: display simplification;
the base map the app sends once (build, render as streamlit-folium sends it, script size);
one colouring (the style script a colouring or filter change sends); and the exported
self-contained HTML.
"""

from __future__ import annotations

import time

import shapely
import streamlit_folium as sf

from coverage.outputs.maps.build import build_base_map, build_map
from coverage.outputs.maps.export import map_html
from coverage.outputs.maps.geometry import simplify_for_display
from coverage.outputs.maps.style import commune_style, style_script
from coverage.planning import analyze, load_inputs
from coverage.settings import load_settings


def main() -> None:
    settings = load_settings()
    inputs = load_inputs(settings)
    result = analyze(inputs, settings=settings)
    full = int(shapely.get_num_coordinates(inputs.communes.geometry.to_numpy()).sum())
    print(f"communes: {len(inputs.communes)}, vertices at full resolution: {full}")
    for tolerance_m in (50.0, 75.0, 100.0):
        start = time.perf_counter()
        display = simplify_for_display(result.communes, tolerance_m=tolerance_m)
        simplified_s = time.perf_counter() - start
        vertices = int(shapely.get_num_coordinates(display.geometry.to_numpy()).sum())
        start = time.perf_counter()
        base = build_base_map(display, result.teams, title="Gia Lai", simplify_tolerance_m=None)
        built_s = time.perf_counter() - start
        start = time.perf_counter()
        base.render()  # type: ignore[no-untyped-call]
        script = sf._get_map_string(base)
        rendered_s = time.perf_counter() - start
        start = time.perf_counter()
        style = style_script(commune_style(display, metric="coverage_ratio"), map_name="map_div")
        style_s = time.perf_counter() - start
        start = time.perf_counter()
        document = map_html(build_map(display, result.teams, simplify_tolerance_m=None))
        html_s = time.perf_counter() - start
        print(
            f"tolerance {tolerance_m:>5.0f} m: vertices {vertices:>6}, simplify {simplified_s:.2f} "
            f"s | base map: build {built_s:.2f} s, render {rendered_s:.2f} s, script "
            f"{len(script) / 1e3:.0f} kB | colouring: {style_s:.3f} s, {len(style) / 1e3:.0f} kB | "
            f"export: {html_s:.2f} s, {len(document) / 1e6:.2f} MB"
        )
    # The residents-out-of-reach layer (WorldPop demand), side by side with the plain base map.
    display = simplify_for_display(result.communes, tolerance_m=75.0)
    sizes = {}
    for with_layer in (False, True):
        start = time.perf_counter()
        base = build_base_map(
            display,
            result.teams,
            title="Gia Lai",
            simplify_tolerance_m=None,
            demand=result.demand if with_layer else None,
        )
        base.render()  # type: ignore[no-untyped-call]
        sizes[with_layer] = (len(sf._get_map_string(base)), time.perf_counter() - start)
    unreached = int((~result.demand["reached"]).sum())
    print(
        f"demand source: {result.demand_source}; residents-out-of-reach layer: {unreached} "
        f"squares, +{(sizes[True][0] - sizes[False][0]) / 1e3:.0f} kB on the base map the app "
        f"sends ({sizes[False][0] / 1e3:.0f} -> {sizes[True][0] / 1e3:.0f} kB), build+render "
        f"{sizes[False][1]:.2f} -> {sizes[True][1]:.2f} s"
    )
    # The language-gap layer (hatched communes): the same base map without the flag column.
    gaps = int(display["is_language_gap"].sum()) if "is_language_gap" in display.columns else 0
    plain = display.drop(columns=["is_language_gap"], errors="ignore")
    sent = {}
    for name, frame in (("without", plain), ("with", display)):
        start = time.perf_counter()
        base = build_base_map(frame, result.teams, title="Gia Lai", simplify_tolerance_m=None)
        base.render()  # type: ignore[no-untyped-call]
        sent[name] = (len(sf._get_map_string(base)), time.perf_counter() - start)
    print(
        f"language-gap layer: {gaps} hatched communes, "
        f"+{(sent['with'][0] - sent['without'][0]) / 1e3:.1f} kB on the base map the app sends "
        f"({sent['without'][0] / 1e3:.0f} -> {sent['with'][0] / 1e3:.0f} kB), build+render "
        f"{sent['without'][1]:.2f} -> {sent['with'][1]:.2f} s"
    )


if __name__ == "__main__":
    main()
