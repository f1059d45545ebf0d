"""One-off comparison: Gia Lai coverage under the equal-weight grid and under WorldPop.

Prints, for the province on its default inputs (SAMPLE roster, ILLUSTRATIVE indicators),
the totals under each demand source and every commune whose under-served flag changes,
with the numbers that explain why: the share of its residents within reach of a team and
its coverage (need met) under each source. Population distribution: WorldPop
(www.worldpop.org), 2020, CC BY 4.0.

Usage: ``.venv/bin/python benchmarks/compare_demand_sources.py [--province "Gia Lai"]``
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from coverage import settings as cfg
from coverage.planning import analyze, load_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default=cfg.DEFAULT_PROVINCE)
    args = parser.parse_args()
    settings = cfg.load_settings()
    inputs = load_inputs(settings, province=args.province)
    if inputs.population is None:
        raise SystemExit("no population raster in the data folder: run 'make data'")
    raster = analyze(inputs, settings=settings).communes.set_index("code")
    grid = analyze(replace(inputs, population=None), settings=settings).communes.set_index("code")
    for name, c in (("grid", grid), ("worldpop", raster)):
        reached = 1 - c.residents_out_of_reach.sum() / c.population.sum()
        met = (c.capacity_horizon.clip(upper=c.need)).sum() / c.need.sum()
        print(
            f"{name:<9} under-served {int(c.is_underserved.sum()):>3}  border "
            f"{int(c.is_border.sum())}  remote {int(c.is_remote.sum()):>3}  residents within "
            f"reach {reached:6.1%}  need met {met:6.1%}"
        )
    changed = grid.index[grid.is_underserved != raster.is_underserved]
    print(f"\n{len(changed)} communes change their under-served flag (grid -> worldpop):")
    for code in changed:
        g, r = grid.loc[code], raster.loc[code]
        share_g = 1 - g.residents_out_of_reach / g.population
        share_r = 1 - r.residents_out_of_reach / r.population
        verdict = "now under-served" if r.is_underserved else "no longer under-served"
        print(
            f"  {r['name']:<14} {verdict}: coverage {g.coverage_ratio:6.1%} -> "
            f"{r.coverage_ratio:6.1%}; residents within reach {share_g:6.1%} -> {share_r:6.1%}; "
            f"teams in reach {int(g.teams_in_reach)} -> {int(r.teams_in_reach)}"
        )
    print("\nWhy it moves: a team's weekly hours are shared among the demand points it reaches")
    print("in proportion to their need. On the grid every 2 km point of forest counts like a")
    print("village; with WorldPop the points are where people live, so a commune whose people")
    print("live near a team gets more of that team's hours, and one whose villages lie beyond")
    print("the teams' reach gets less.")
    changes = (raster.coverage_ratio - grid.coverage_ratio).abs()
    print(
        f"median change in coverage: {changes.median() * 100:.1f} percentage points; "
        f"largest {changes.max() * 100:.1f} pp "
        f"({raster.loc[changes.idxmax(), 'name']})"
    )
    print("Population distribution: WorldPop (www.worldpop.org), 2020, CC BY 4.0")


if __name__ == "__main__":
    main()
