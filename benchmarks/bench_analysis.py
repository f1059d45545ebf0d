"""Benchmark: coverage analysis of all 3,321 communes with a 4,821-team national roster.

Demand from the WorldPop raster and from the equal-weight grid fallback are timed side
by side (interleaved runs, medians and their ratio), nationally and for Gia Lai. The
raster's cells are assigned to communes once, when the inputs are loaded (timed apart).

A script that prints figures, not a test. The roster is generated: one SAMPLE team per
commune (:func:`coverage.inputs.samples.make_sample_roster`) plus 1,500 extra teams placed at
seeded random points inside the 300 most populous communes. Indicators are the
documented estimate. Inputs are built directly (the validated national loader is timed
separately with ``--with-load``), then :func:`coverage.analysis.analyze.analyze_coverage` runs
``--runs`` times after one warm-up run that also fills the land-border cache.

Usage: ``.venv/bin/python benchmarks/bench_analysis.py [--runs 5] [--with-load]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from coverage import settings as cfg
from coverage.analysis.analyze import analyze_coverage
from coverage.analysis.flags import load_land_border
from coverage.inputs.datasets import load_communes
from coverage.inputs.samples import estimate_indicators, make_sample_roster
from coverage.inputs.validation import representative_points
from coverage.planning import Inputs, load_inputs, load_population

EXTRA_TEAMS = 1500
TOP_COMMUNES = 300
SEED = 2025


def national_roster(communes: gpd.GeoDataFrame, *, seed: int = SEED) -> pd.DataFrame:
    """Return the typed 4,821-team roster (EPSG:4326 lon/lat filled)."""
    rng = np.random.default_rng(seed)
    base = make_sample_roster(communes, seed=seed, prefix="VN")
    points = representative_points(communes)
    base["longitude"] = points.loc[base["commune_code"], "lon"].to_numpy()
    base["latitude"] = points.loc[base["commune_code"], "lat"].to_numpy()
    top = communes.nlargest(TOP_COMMUNES, "population").reset_index(drop=True)
    picks = rng.choice(len(top), size=EXTRA_TEAMS, p=top["population"] / top["population"].sum())
    rows = []
    for k, i in enumerate(picks):
        geom = top.geometry.iloc[i]
        minx, miny, maxx, maxy = geom.bounds
        while True:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(geom, x, y):
                break
        rows.append(
            {
                "team_id": f"VN-X{k + 1:04d}",
                "team_name": f"Đội bổ sung {k + 1}",
                "commune_code": top["code"].iloc[i],
                "latitude": y,
                "longitude": x,
                "members": int(rng.integers(10, 21)),
                "mode": str(rng.choice(["fixed", "mobile"])),
                "weekly_hours": float(rng.integers(3, 9)),
            }
        )
    roster = pd.concat([base, pd.DataFrame(rows)], ignore_index=True)
    roster["members"] = roster["members"].astype(int)
    roster["weekly_hours"] = roster["weekly_hours"].astype(float)
    roster["location_source"] = np.where(
        roster["team_id"].str.startswith("VN-X"), "file", "commune_point"
    )
    return roster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--with-load",
        action="store_true",
        help="also time planning.load_inputs(province=None) (slow: validation)",
    )
    args = parser.parse_args()
    settings = cfg.load_settings()

    t0 = time.perf_counter()
    communes = load_communes(settings, province=None)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    teams = national_roster(communes)
    indicators = estimate_indicators(communes)
    indicators["is_remote_official"] = pd.Series(pd.NA, index=indicators.index, dtype="boolean")
    t_inputs = time.perf_counter() - t0
    inputs = Inputs(
        province=None,
        communes=communes,
        teams=teams,
        indicators=indicators,
        teams_is_sample=True,
        indicators_is_estimate=True,
        teams_source="bench",
        indicators_source="bench",
    )
    t0 = time.perf_counter()
    load_land_border(settings)
    t_border = time.perf_counter() - t0

    t0 = time.perf_counter()
    cells = load_population(settings, communes)
    t_cells = time.perf_counter() - t0
    print(
        f"read communes {t_read:.2f} s; build roster+indicators {t_inputs:.2f} s; "
        f"land border first computation (cached afterwards) {t_border:.2f} s; "
        f"raster read + cells assigned to communes {t_cells:.2f} s"
    )
    gia_lai = load_inputs(settings)
    cases = {
        "national, worldpop": replace(inputs, population=cells),
        "national, grid": replace(inputs, population=None),
        "Gia Lai, worldpop": gia_lai,
        "Gia Lai, grid": replace(gia_lai, population=None),
    }
    totals: dict[str, list[float]] = {name: [] for name in cases}
    stages: dict[str, dict[str, list[float]]] = {name: {} for name in cases}
    results = {}
    for case in cases.values():
        analyze_coverage(case, settings=settings)  # warm-up
    for _ in range(args.runs):
        for name, case in cases.items():  # interleaved, so load affects all alike
            t0 = time.perf_counter()
            results[name] = analyze_coverage(case, settings=settings)
            totals[name].append(time.perf_counter() - t0)
            for stage, seconds in results[name].timings_s:
                stages[name].setdefault(stage, []).append(seconds)
    print(f"teams {len(teams):,} (national)")
    for name in cases:
        result = results[name]
        c = result.communes
        print(
            f"{name:<20} median {statistics.median(totals[name]):.3f} s of {args.runs} "
            f"(min {min(totals[name]):.3f}, max {max(totals[name]):.3f}); "
            f"demand points {len(result.demand):,}; reach pairs {result.reach.cost.nnz:,}; "
            f"under-served {int(c.is_underserved.sum())}; border {int(c.is_border.sum())}; "
            f"residents out of reach {int(c.residents_out_of_reach.sum()):,}"
        )
        print(
            "    "
            + ", ".join(f"{stage} {statistics.median(v):.3f}" for stage, v in stages[name].items())
        )
    for area in ("national", "Gia Lai"):
        ratio = statistics.median(totals[f"{area}, worldpop"]) / statistics.median(
            totals[f"{area}, grid"]
        )
        print(f"{area}: worldpop / grid median time = {ratio:.2f}")
    if args.with_load:
        t0 = time.perf_counter()
        load_inputs(settings, province=None)
        print(f"planning.load_inputs(province=None): {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
