"""Benchmark: the same CLI runs on two checkouts, interleaved, medians and their ratio.

Made for restructures that must not change speed (issue 11: "benchmark medians within
10%"). Each round runs every command once on the baseline and once on the candidate, the
order alternating between rounds, so that load on a shared machine falls on both sides
alike; the figures are wall-clock seconds of whole ``python -m coverage ...`` processes
(start-up and imports included), each checkout with its own ``.venv`` and ``data/``.

A script that prints figures, not a test. Both checkouts need ``make setup`` first; a
baseline can be made with ``git worktree add --detach ../wt-baseline <commit>``.

Usage::

    .venv/bin/python benchmarks/compare_checkouts.py --baseline ../wt-baseline [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# name -> arguments after ``python``; {out} is a fresh temporary directory per run. Standard
# output is captured and dropped (older checkouts' ``plan`` has no ``--out``).
COMMANDS: dict[str, list[str]] = {
    "import the facade": ["-c", "import coverage.planning"],
    "analyze Gia Lai (json)": [
        "-m", "coverage", "analyze", "--format", "json", "--out", "{out}/a.json",
    ],
    "analyze all 3,321 communes (json)": [
        "-m", "coverage", "analyze", "--province", "all", "--format", "json",
        "--out", "{out}/n.json",
    ],
    "plan 10 new teams, border required": [
        "-m", "coverage", "plan", "--new-teams", "10", "--require-border", "--format", "json",
    ],
    "report: every meeting output": ["-m", "coverage", "report", "--out", "{out}/report"],
}  # fmt: skip


def run_once(checkout: Path, args: list[str]) -> float:
    """Run one command in ``checkout`` and return its wall-clock seconds (it must succeed)."""
    with tempfile.TemporaryDirectory() as out:
        argv = [str(checkout / ".venv" / "bin" / "python"), *(a.format(out=out) for a in args)]
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=checkout, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return seconds


def main() -> int:
    """Time every command on both checkouts and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="checkout to compare with")
    parser.add_argument("--candidate", type=Path, default=HERE, help="default: this checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="names (substrings) to run")
    opts = parser.parse_args()
    sides = {"baseline": opts.baseline.resolve(), "candidate": opts.candidate.resolve()}
    names = [n for n in COMMANDS if not opts.only or any(o in n for o in opts.only)]
    times: dict[tuple[str, str], list[float]] = {}
    for name in names:  # one warm-up each: file caches, compiled bytecode
        for path in sides.values():
            run_once(path, COMMANDS[name])
    for r in range(opts.rounds):
        order = list(sides.items()) if r % 2 == 0 else list(reversed(sides.items()))
        for name in names:
            for side, path in order:
                times.setdefault((name, side), []).append(run_once(path, COMMANDS[name]))
        print(f"round {r + 1}/{opts.rounds} done", file=sys.stderr)
    print(f"baseline  {sides['baseline']}\ncandidate {sides['candidate']}")
    print(f"{opts.rounds} interleaved rounds after one warm-up; medians of wall-clock seconds\n")
    print(f"{'command':<38} {'baseline':>9} {'candidate':>10} {'ratio':>7}")
    for name in names:
        base = statistics.median(times[(name, "baseline")])
        cand = statistics.median(times[(name, "candidate")])
        print(f"{name:<38} {base:>9.2f} {cand:>10.2f} {cand / base:>7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
