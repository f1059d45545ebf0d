"""Time the meeting outputs on the real Gia Lai data.

Not a test; run `python benchmarks/bench_report.py`.

Builds one bundle (sample roster, estimate, a greedy plan of 5 new teams), then writes
each format on its own and all of them together, ``REPEATS`` times, and prints the median
seconds, the files and their sizes. The whole command (``python -m coverage report``) adds
loading and analysing the data (printed once).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from coverage.outputs import bundle as report_bundle
from coverage.outputs.reports.content import FORMATS, ReportBundle
from coverage.planning import analyze, context_layer, load_inputs, suggest
from coverage.settings import load_settings

REPEATS = 3


def main() -> None:
    settings = load_settings()
    start = time.perf_counter()
    inputs = load_inputs(settings)
    result = analyze(inputs, settings=settings)
    plan = suggest(result, new_teams=5, method="greedy")
    prepared_s = time.perf_counter() - start
    bundle = ReportBundle(
        inputs=inputs,
        analysis=result,
        plan=plan,
        countries=context_layer(settings, "countries"),
        provinces=context_layer(settings, "provinces"),
    )
    print(f"load + analyse + greedy plan: {prepared_s:.1f} s (once)")
    rows: list[tuple[str, float, list[tuple[str, int]]]] = []
    for formats in [(f,) for f in FORMATS] + [FORMATS]:
        times = []
        files: list[tuple[str, int]] = []
        for _ in range(REPEATS):
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                written = report_bundle.write_report(bundle, Path(folder), formats=formats)
                times.append(time.perf_counter() - start)
                files = [(p.name, p.stat().st_size) for p in written]
        rows.append((",".join(formats), statistics.median(times), files))
    print(f"{'formats':<28} {'median s':>9}  files")
    for label, seconds, files in rows:
        listing = ", ".join(f"{name} ({size / 1e6:.2f} MB)" for name, size in files)
        print(f"{label:<28} {seconds:>9.2f}  {listing}")
    single = sum(seconds for label, seconds, _ in rows[:-1])
    print(
        f"sum of single formats {single:.2f} s; all together {rows[-1][1]:.2f} s "
        f"(ratio {rows[-1][1] / single:.2f})"
    )


if __name__ == "__main__":
    main()
