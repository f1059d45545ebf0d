"""Check WorldPop demand on every province as a planner would run it (one line per province).

For each of the 34 provinces this runs ``python -m coverage analyze --province P
--format json`` in-process (the sample roster the app uses for that province), then the
same analysis through the facade, and checks:

- no crash, and ``demand_source`` is ``worldpop`` on every row;
- the demand points of each commune carry exactly its population (to 1e-6 of a person);
- ``residents_out_of_reach`` is within ``0 .. population`` for every commune;
- every commune has at least one demand point, and the point of a commune with no raster
  cell centre inside (nearest-cell rule) lies near the commune: the script prints the
  largest distance from any demand point to its own commune's polygon (km).

Usage::

    .venv/bin/python benchmarks/check_worldpop_provinces.py [--province NAME ...]
        [--max-km 5] [--grid-fallback]

``--grid-fallback`` also runs one province with the raster file hidden and checks that
``demand_source`` says ``grid``. Exits 1 when any check fails. Needs the data folder
made by ``make setup``; timings are wall-clock seconds for the facade load + analysis.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from coverage import cli, planning


@dataclasses.dataclass
class Row:
    """One province's figures and the checks that failed."""

    name: str
    communes: int = 0
    population: int = 0
    points: int = 0
    nearest_rule: int = 0
    worst_km: float = 0.0
    worst_commune: str = ""
    out_of_reach: int = 0
    seconds: float = 0.0
    failures: list[str] = dataclasses.field(default_factory=list)


def run_cli(province: str) -> list[dict[str, object]]:
    """Run ``analyze --format json`` for ``province`` in-process and return its rows."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "analyze.json"
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = cli.main(
                ["analyze", "--province", province, "--format", "json", "--out", str(out)]
            )
        if code != 0:
            raise RuntimeError(f"analyze exited {code}: {err.getvalue().strip()[:300]}")
        rows: list[dict[str, object]] = json.loads(out.read_text(encoding="utf-8"))
        return rows


def check_province(settings: planning.Settings, name: str, *, max_km: float) -> Row:
    """Run the checks of the module docstring on one province."""
    row = Row(name=name)
    try:
        records = run_cli(name)
    except Exception as exc:  # a crash is what this script looks for
        row.failures.append(f"CLI crashed: {type(exc).__name__}: {exc}")
        return row
    sources = {str(r["demand_source"]) for r in records}
    if sources != {"worldpop"}:
        row.failures.append(f"demand_source {sorted(sources)}")
    start = time.perf_counter()
    try:
        inputs = planning.load_inputs(settings, province=name)
        result = planning.analyze(inputs, settings=settings)
    except Exception as exc:
        row.failures.append(f"facade crashed: {type(exc).__name__}: {exc}")
        return row
    row.seconds = time.perf_counter() - start
    communes = result.communes
    demand = result.demand
    n = len(communes)
    row.communes = n
    population = communes["population"].to_numpy(dtype=float)
    row.population = int(population.sum())
    row.points = len(demand)
    ci = demand["commune_index"].to_numpy(dtype=np.int64)
    carried = np.bincount(ci, weights=demand["population"].to_numpy(dtype=float), minlength=n)
    off = np.abs(carried - population)
    if (off > 1e-6 * np.maximum(population, 1.0)).any():
        worst = int(np.argmax(off))
        row.failures.append(
            f"population not carried: {communes['name'].iloc[worst]} "
            f"{carried[worst]:.1f} vs {population[worst]:.0f}"
        )
    if not math.isclose(float(carried.sum()), float(population.sum()), rel_tol=1e-9):
        row.failures.append(f"total {carried.sum():.1f} vs {population.sum():.0f}")
    points_per = np.bincount(ci, minlength=n)
    if (points_per == 0).any():
        row.failures.append(f"{int((points_per == 0).sum())} communes without a point")
    out = communes["residents_out_of_reach"].to_numpy(dtype=float)
    row.out_of_reach = int(out.sum())
    if (out < 0).any() or (out > population + 0.5).any():
        row.failures.append("residents_out_of_reach outside 0..population")
    json_out = np.array([float(str(r["residents_out_of_reach"])) for r in records])
    if not np.array_equal(json_out, out):
        row.failures.append("CLI residents_out_of_reach differ from the facade's")
    # distance from each demand point to its own commune (metres in the analysis CRS)
    projected = communes.to_crs(result.crs).geometry.to_numpy()
    pts = shapely.points(demand[["x_m", "y_m"]].to_numpy(dtype=float))
    dist_km = shapely.distance(projected[ci], pts) / 1000.0
    row.nearest_rule = int((dist_km > 0).sum())
    if len(dist_km):
        worst = int(np.argmax(dist_km))
        row.worst_km = float(dist_km[worst])
        row.worst_commune = str(communes["name"].iloc[ci[worst]])
        if row.worst_km > max_km:
            row.failures.append(f"point {row.worst_km:.0f} km from {row.worst_commune}")
    return row


def grid_fallback(settings: planning.Settings, name: str) -> str:
    """Analyse ``name`` with the raster file hidden; return the demand source it says."""
    with tempfile.TemporaryDirectory() as tmp:
        hidden = dataclasses.replace(settings, data_dir=Path(tmp))
        # the same boundaries, read through a data folder that has no raster
        for sub in ("boundaries", "teams", "indicators", "activity"):
            (Path(tmp) / sub).mkdir()
            for f in (settings.data_dir / sub).iterdir():
                if f.name != settings.population_raster_path.name:
                    (Path(tmp) / sub / f.name).symlink_to(f)
        inputs = planning.load_inputs(hidden, province=name)
        result = planning.analyze(inputs, settings=hidden)
        return str(result.demand_source)


def main(argv: list[str] | None = None) -> int:
    """Check every province (or those named) and print one line per province."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", action="append", help="only these provinces")
    parser.add_argument("--max-km", type=float, default=5.0, help="worst distance allowed")
    parser.add_argument("--grid-fallback", action="store_true")
    args = parser.parse_args(argv)
    settings = planning.load_settings()
    names = args.province or [p.name for p in planning.list_provinces(settings)]
    print(
        f"{'province':<14}{'communes':>9}{'population':>12}{'points':>8}{'off-poly':>9}"
        f"{'worst km':>9}  {'worst commune':<18}{'out of reach':>13}{'time s':>7}  result"
    )
    failed = 0
    for name in names:
        r = check_province(settings, name, max_km=args.max_km)
        failed += bool(r.failures)
        print(
            f"{r.name:<14}{r.communes:>9}{r.population:>12,}{r.points:>8}{r.nearest_rule:>9}"
            f"{r.worst_km:>9.2f}  {r.worst_commune[:17]:<18}{r.out_of_reach:>13,}"
            f"{r.seconds:>7.2f}  {'; '.join(r.failures) or 'ok'}",
            flush=True,
        )
    if args.grid_fallback:
        source = grid_fallback(settings, names[0])
        ok = source == "grid"
        failed += not ok
        print(f"raster absent ({names[0]}): demand_source={source} {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
