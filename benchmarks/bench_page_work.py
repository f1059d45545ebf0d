"""How much work the browser does to draw the map page, against a Streamlit hello-world.

Prints figures; not a test. With several planners on one machine (or one slow laptop), the
browser's own work per page sets how fast a first page can be: ``bench_app.py --sessions``
prints the CPU floor that work sets. This script measures it directly and with little
noise: for each served page it opens fresh headless Chromium contexts in turns (the
servers' caches warmed by one visit first), waits until the map's communes are drawn (the
hello-world: its metric), lets the page settle for 1.5 s and reads Chromium's own
counters (DevTools ``Performance.getMetrics``): the renderer main thread's task time,
the script and the style + layout parts of it, and the DOM nodes. Medians of
``--rounds`` visits, with the wall time of each first page.

``--other NAME=PATH/app.py`` adds the map page of another checkout (run with this
checkout's ``.venv``; its ``app_pages`` and ``coverage`` come from beside that
``app.py``), e.g. a worktree of an earlier commit, to compare a change side by side::

    git worktree add --detach ../wt-base HEAD~1
    .venv/bin/python benchmarks/bench_page_work.py --other before=../wt-base/app.py

Run: ``.venv/bin/python benchmarks/bench_page_work.py [--rounds 6]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from bench_app import (  # noqa: E402  (a plain script: its folder on sys.path first)
    CHROMIUM_ARGS,
    HELLO_WORLD,
    MAP_FRAME,
    TIMEOUT_MS,
    start_server,
    stop_server,
    temporary_data_folder,
    wait_healthy,
)

COLUMNS = ("wall_s", "task_s", "script_s", "layout_s", "dom_nodes")


def visit(browser: Browser, url: str, *, with_map: bool) -> tuple[float, ...]:
    """One first page in a fresh context: wall time, then Chromium's counters (see module)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Performance.enable")
        began = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector("[data-testid=stMetric]", timeout=TIMEOUT_MS)
        if with_map:
            handle = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
            frame = handle.content_frame() if handle is not None else None
            if frame is None:
                raise RuntimeError("the map frame did not load")
            frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
        wall = time.perf_counter() - began
        page.wait_for_timeout(1500)  # what the page still draws after the map
        metrics = {
            m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]
        }
    finally:
        context.close()
    return (
        wall,
        metrics["TaskDuration"],
        metrics["ScriptDuration"],
        metrics["LayoutDuration"] + metrics["RecalcStyleDuration"],
        metrics["Nodes"],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument(
        "--other",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="also measure the map page of another checkout's app.py",
    )
    args = parser.parse_args()

    folder, env = temporary_data_folder("bench-page-")
    hello = folder / "hello.py"
    hello.write_text(HELLO_WORLD, encoding="utf-8")
    pages = {"hello-world": hello, "map page": PROJECT / "app.py"}
    for item in args.other:
        name, _, path = item.partition("=")
        pages[name] = Path(path).resolve()
    servers = {name: start_server(script, env) for name, script in pages.items()}
    rows: dict[str, list[tuple[float, ...]]] = {name: [] for name in pages}
    try:
        for process, url in servers.values():
            wait_healthy(url + "_stcore/health", process)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for name, (_, url) in servers.items():  # every server's caches warm
                visit(browser, url, with_map=name != "hello-world")
            for round_ in range(args.rounds):
                order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
                for name in order:
                    rows[name].append(
                        visit(browser, servers[name][1], with_map=name != "hello-world")
                    )
            browser.close()
    finally:
        for process, _ in servers.values():
            stop_server(process)
        shutil.rmtree(folder, ignore_errors=True)

    print(f"browser work per first page (medians of {args.rounds} fresh visits, in turns)")
    print(f"{'page':24} " + " ".join(f"{c:>9}" for c in COLUMNS))
    medians = {
        name: [statistics.median(col) for col in zip(*r, strict=True)] for name, r in rows.items()
    }
    for name, values in medians.items():
        print(f"{name:24} " + " ".join(f"{v:9.2f}" for v in values[:-1]) + f" {values[-1]:9.0f}")
    base = medians["hello-world"]
    for name, values in medians.items():
        if name != "hello-world":
            print(
                f"{name}: main-thread task time {values[1] / base[1]:.2f}x hello-world's "
                f"(+{values[1] - base[1]:.2f} s); wall {values[0] / base[0]:.2f}x"
            )
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
