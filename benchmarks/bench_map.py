"""Time the map layer on the real Gia Lai data (not a test; run `python benchmarks/bench_map.py`).

Prints seconds for display simplification, map building, HTML export and the HTML size,
for a few simplification tolerances.
"""

from __future__ import annotations

import time

import shapely

from coverage import maps
from coverage.planning import load_inputs
from coverage.settings import load_settings


def main() -> None:
    inputs = load_inputs(load_settings())
    full = int(shapely.get_num_coordinates(inputs.communes.geometry.to_numpy()).sum())
    print(f"communes: {len(inputs.communes)}, vertices at full resolution: {full}")
    for tolerance_m in (50.0, 75.0, 100.0):
        start = time.perf_counter()
        display = maps.simplify_for_display(inputs.communes, tolerance_m=tolerance_m)
        simplified_s = time.perf_counter() - start
        vertices = int(shapely.get_num_coordinates(display.geometry.to_numpy()).sum())
        start = time.perf_counter()
        fmap = maps.build_map(display, inputs.teams, simplify_tolerance_m=None)
        built_s = time.perf_counter() - start
        start = time.perf_counter()
        document = maps.map_html(fmap)
        html_s = time.perf_counter() - start
        print(
            f"tolerance {tolerance_m:>5.0f} m: vertices {vertices:>6}, simplify {simplified_s:.2f} s, "
            f"build {built_s:.2f} s, html {html_s:.2f} s, size {len(document) / 1e6:.2f} MB"
        )


if __name__ == "__main__":
    main()
