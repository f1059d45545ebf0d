"""How fast, and in how little memory, an .xlsx zip bomb is refused.

A ~3 MB workbook whose one sheet unpacks to 3 GiB is written on the fly into a
temporary folder (never committed). Each run starts a fresh Python process that
imports the readers, then calls ``coverage.inputs.tables.read_table`` on the bomb; the process
prints how long the refusal took and its peak memory (resident set, which includes
the ~150 MB of imported libraries). The whole CLI (``python -m coverage validate
--teams bomb.xlsx``) is timed the same way. Target: refused in under 1 s with a peak
under 300 MB.

Run: ``.venv/bin/python benchmarks/bench_xlsx_bomb.py [--runs 5] [--gib 3]``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_files import write_xlsx_bomb  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from coverage.errors import InputError
from coverage.inputs import readers  # the boundary readers' libraries too, as in the app
from coverage.inputs.tables import read_table
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_table(sys.argv[1])
    codes = []
except InputError as error:
    codes = [p.code for p in error.problems]
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"elapsed_s": elapsed, "peak_mb": peak / 1024, "imports_mb": before / 1024,
                  "codes": codes}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gib", type=float, default=3.0, help="unpacked size of the sheet in GiB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bomb.xlsx"
        started = time.perf_counter()
        write_xlsx_bomb(bomb, unpacked_bytes=int(args.gib * 1024**3))
        print(
            f"bomb: {bomb.stat().st_size / 1e6:.1f} MB on disk, sheet unpacks to {args.gib:g} GiB "
            f"(written in {time.perf_counter() - started:.1f} s)"
        )
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(bomb)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            runs.append(json.loads(out.stdout))
        elapsed = [r["elapsed_s"] for r in runs]
        peaks = [r["peak_mb"] for r in runs]
        print(f"read_table refused it with {runs[0]['codes']}")
        print(
            f"  refusal time: median {statistics.median(elapsed) * 1000:.1f} ms, "
            f"max {max(elapsed) * 1000:.1f} ms over {len(runs)} runs (target < 1000 ms)"
        )
        print(
            f"  peak memory of the process: median {statistics.median(peaks):.0f} MB, max "
            f"{max(peaks):.0f} MB (after imports "
            f"{statistics.median(r['imports_mb'] for r in runs):.0f} MB; target < 300 MB)"
        )
        cli_times = []
        for _ in range(max(1, args.runs // 2)):
            before = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "coverage",
                    "--lang",
                    "en",
                    "validate",
                    "--teams",
                    str(bomb),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            cli_times.append(time.perf_counter() - before)
        cli_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"CLI 'validate --teams bomb.xlsx': exit {done.returncode}, wall median "
            f"{statistics.median(cli_times):.2f} s (Python start-up and imports included), "
            f"peak of any child process {cli_peak:.0f} MB"
        )
        print("  " + done.stdout.strip().splitlines()[0][:200])


if __name__ == "__main__":
    main()
