"""How fast the planner's app feels in a real browser, on Gia Lai.

Starts ``streamlit run app.py`` on a temporary data folder (links to the real data, an
empty store), waits on ``/_stcore/health``, then drives headless Chromium
(``/usr/bin/chromium``, network blocked) and prints medians in seconds:

* start-up: process start to a healthy server;
* first page, cold: the first visit after ``streamlit run app.py`` is healthy, until the
  map's communes are drawn and the headline figures shown (every cache empty);
* first page after ``python -m coverage app`` (what ``make run`` starts) says it is
  ready: that command has the server run the app once before the first visit; timed
  in a fresh browser context on a second server, with its start-up to ready, then
  once more in another fresh context (what is left of the first visit's extra time
  is the browser's, not the server's);
* first page, warm: later visits in new tabs;
* baseline: the same visits of a plain Streamlit hello-world (a title and one metric)
  served by a second server: its first visit in a fresh browser context (the browser
  downloads Streamlit's own scripts then, as for the app's cold visit), and warm visits
  timed in turns with the app's. The machine may be shared and busy: the ratios to this
  baseline are the honest figures;
* interactions on an open page: filter on/off, change the colouring (first time per
  colouring, and again), click a commune (detail panel shown), search without
  diacritics, open the Teams page, go back to the map.

The app makes no request outside this machine (the browser tests check that with the
network blocked); routing every request through Playwright to block it adds latency of
its own, so it is off here unless ``--block-network`` is given.

Opening another page is timed until that page's own title shows and Streamlit has
finished the run (elements of the page left behind do not count).

Run: ``.venv/bin/python benchmarks/bench_app.py [--rounds 5] [--app app.py] [--block-network]
[--no-baseline]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from coverage import settings as cfg

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MAP_FRAME = 'iframe[title*="st_folium"]'
HELLO_WORLD = 'import streamlit as st\n\nst.title("Hello")\nst.metric("Hello", 1)\n'
"""The baseline page: what any Streamlit page costs on this machine and browser."""
TIMEOUT_MS = 120_000
METRIC_LABELS = {
    "coverage_ratio": "Mức đáp ứng (năng lực/nhu cầu)",
    "connectivity_index": "Chỉ số kết nối số (0–100)",
    "density_per_km2": "Mật độ dân số (người/km²)",
    "need": "Nhu cầu hỗ trợ",
}
DEFAULT_METRIC = "coverage_ratio"  # the map page's first colouring
SEARCH_RESULTS = {"ia mo": 1, "quy nhon": 5}
"""Queries typed without diacritics and how many Gia Lai communes each finds."""
FIND_COMMUNE_POINT = """
(skip) => {
  const paths = Array.from(document.querySelectorAll('path.gl-commune'));
  paths.sort((a, b) => {
    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height;
  });
  for (const path of paths.slice(skip)) {
    const r = path.getBoundingClientRect();
    for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
      const x = r.left + r.width * i / 10, y = r.top + r.height * j / 10;
      if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) continue;
      if (document.elementFromPoint(x, y) === path) return {x: x, y: y};
    }
  }
  return null;
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)  # poll interval
    raise TimeoutError(url)


def map_frame(page: Page) -> Frame:
    handle = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
    return frame


def open_page(page: Page, url: str, *, with_map: bool = True) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("[data-testid=stMetric]", timeout=TIMEOUT_MS)
    if with_map:
        map_frame(page)
    return time.perf_counter() - start


def start_server(script: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run script`` on a free port; returns the process and its URL."""
    port = free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    command = [streamlit, "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--global.developmentMode", "false"]
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}/"


def start_launcher(env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """``python -m coverage app`` on a free port; returns it, its URL and start-up to ready (s)."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "coverage", "app", "--port", str(port), "--address", "127.0.0.1"],
                               cwd=PROJECT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    for line in process.stdout:
        if "sẵn sàng" in line:
            return process, f"http://127.0.0.1:{port}/", time.perf_counter() - start
    raise RuntimeError(f"`python -m coverage app` stopped before it was ready (exit {process.wait()})")


def stop_server(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def timed(action: Callable[[], None], done: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start


def legend_is(page: Page, label: str) -> None:
    page.wait_for_function(
        """([selector, label]) => {
            const frame = document.querySelector(selector);
            const doc = frame && frame.contentDocument;
            const legend = doc && doc.querySelector('.gl-legend');
            return !!legend && legend.innerText.includes(label) && !!doc.querySelector('path.gl-commune');
        }""",
        arg=[MAP_FRAME, label],
        timeout=TIMEOUT_MS,
    )


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')"
                           " && document.querySelectorAll('[data-stale=true]').length === 0",
                           timeout=TIMEOUT_MS)


def choose_metric(page: Page, metric: str) -> None:
    page.locator(".st-key-map_metric [role=combobox]").click()
    page.get_by_role("option", name=METRIC_LABELS[metric], exact=True).click()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--block-network", action="store_true",
                        help="route every request through Playwright and abort non-local ones "
                        "(the tests do this; it adds latency to every request, so timings are off by default)")
    parser.add_argument("--app", default=os.environ.get("COVERAGE_APP_SCRIPT", "app.py"))
    parser.add_argument("--no-baseline", action="store_true", help="skip the hello-world baseline")
    args = parser.parse_args()

    real = cfg.load_settings()
    folder = Path(tempfile.mkdtemp(prefix="bench-app-"))
    for name in ("boundaries", "teams", "indicators"):
        (folder / name).symlink_to(real.data_dir / name, target_is_directory=True)
    env = {**os.environ, cfg.DATA_DIR_ENV: str(folder), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    results: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append(seconds)

    baseline: subprocess.Popen[bytes] | None = None
    hello_url = ""
    if not args.no_baseline:
        (folder / "hello.py").write_text(HELLO_WORLD, encoding="utf-8")
        baseline, hello_url = start_server(folder / "hello.py", env)
    start = time.perf_counter()
    process, url = start_server(PROJECT / args.app, env)
    try:
        wait_healthy(url + "_stcore/health", process)
        record("start-up to healthy server", time.perf_counter() - start)
        if baseline is not None:
            wait_healthy(hello_url + "_stcore/health", baseline)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1400})
            if args.block_network:
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")) else route.abort())
            if baseline is not None:  # in a context of its own: nothing cached in the browser
                fresh = browser.new_context(viewport={"width": 1400, "height": 1400})
                page = fresh.new_page()
                record(BASELINE_COLD, open_page(page, hello_url, with_map=False))
                fresh.close()
            page = context.new_page()
            record(COLD, open_page(page, url))
            page.close()
            launcher, ready_url, ready_s = start_launcher(env)
            try:
                record(LAUNCHER_READY, ready_s)
                for name in (LAUNCHER_FIRST, LAUNCHER_FRESH):
                    fresh = browser.new_context(viewport={"width": 1400, "height": 1400})
                    page = fresh.new_page()
                    record(name, open_page(page, ready_url))
                    fresh.close()
            finally:
                stop_server(launcher)
            for _ in range(args.rounds):
                if baseline is not None:
                    page = context.new_page()
                    record(BASELINE, open_page(page, hello_url, with_map=False))
                    page.close()
                page = context.new_page()
                record(WARM, open_page(page, url))
                page.close()

            page = context.new_page()
            open_page(page, url)
            try:
                interact(page, args.rounds, record)
            except Exception:
                (PROJECT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(PROJECT / "tests" / "artifacts" / "bench_failure.png"))
                raise
            browser.close()
    finally:
        stop_server(process)
        if baseline is not None:
            stop_server(baseline)
        shutil.rmtree(folder, ignore_errors=True)

    width = max(len(name) for name in results)
    print(f"{'measure (Gia Lai, headless Chromium)':<{width}}  median_s   min_s   max_s   n")
    for name, values in results.items():
        print(f"{name:<{width}}  {statistics.median(values):8.2f} {min(values):7.2f} {max(values):7.2f} {len(values):3d}")
    if BASELINE_COLD in results and COLD in results:
        cold, hello_cold = results[COLD][0], results[BASELINE_COLD][0]
        print(f"first page, cold / hello-world first visit: {cold / hello_cold:.2f}; "
              f"over the baseline: {cold - hello_cold:+.2f} s")
    if BASELINE in results and WARM in results:
        hello = statistics.median(results[BASELINE])
        warm = statistics.median(results[WARM])
        pairs = [a / b for a, b in zip(results[WARM], results[BASELINE], strict=True)]
        print(f"first page, warm / hello-world baseline: {warm / hello:.2f} (ratio of medians); "
              f"per round {', '.join(f'{r:.2f}' for r in pairs)}; over the baseline: {warm - hello:+.2f} s")
    return 0


COLD = "first page, cold (first visit after start-up)"
LAUNCHER_READY = "`coverage app`: start-up to ready (app run once)"
LAUNCHER_FIRST = "`coverage app`: first visit after ready (fresh browser)"
LAUNCHER_FRESH = "`coverage app`: second visit (another fresh browser)"
BASELINE_COLD = "baseline: hello-world, first visit"
WARM = "first page, warm (new tab)"
BASELINE = "baseline: hello-world, warm (new tab)"


def interact(page: Page, rounds: int, record: Callable[[str, float], None]) -> None:
    """Time the interactions on an open map page."""
    border = page.locator(".st-key-map_only_border label").first
    for _ in range(rounds):
        record("filter 'border only' on", timed(border.click, lambda: page.get_by_text("Đang hiện 7/135").first.wait_for(timeout=TIMEOUT_MS)))
        record("filter 'border only' off", timed(border.click, lambda: page.get_by_text("Đang hiện 7/135").first.wait_for(state="detached", timeout=TIMEOUT_MS)))
        legend_is(page, METRIC_LABELS[DEFAULT_METRIC])
    for round_number in range(rounds):
        name = "change colouring, first time" if round_number == 0 else "change colouring, again"
        for metric in ("need", "connectivity_index", "density_per_km2", DEFAULT_METRIC):
            record(name, timed(lambda metric=metric: choose_metric(page, metric), lambda metric=metric: legend_is(page, METRIC_LABELS[metric])))
    for n in range(rounds):
        frame = map_frame(page)
        frame.frame_element().evaluate("element => element.scrollIntoView({block: 'start'})")
        point = frame.evaluate(FIND_COMMUNE_POINT, n + 1)
        box = frame.frame_element().bounding_box()
        assert point is not None and box is not None
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        tip = frame.locator(".leaflet-tooltip.gl-tip").first
        tip.wait_for(state="visible", timeout=TIMEOUT_MS)
        title = tip.inner_text().splitlines()[0].strip()
        record("click a commune (detail shown)", timed(
            lambda: (page.mouse.down(), page.mouse.up()),
            lambda title=title: page.get_by_role("heading", name=title).first.wait_for(timeout=TIMEOUT_MS)))
        idle(page)
    search = page.locator(".st-key-map_search input")
    expected = {query: f"Kết quả tìm ({count})" for query, count in SEARCH_RESULTS.items()}
    for n in range(rounds):
        query = list(SEARCH_RESULTS)[n % len(SEARCH_RESULTS)]
        record("search without diacritics", timed(
            lambda query=query: (search.fill(query), search.press("Enter")),
            lambda query=query: page.locator(".st-key-map_search_pick").filter(
                has_text=expected[query]).first.wait_for(timeout=TIMEOUT_MS)))
        idle(page)
    def shown(title: str) -> None:
        page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT_MS)
        idle(page)

    def open_teams() -> None:
        page.locator("[data-testid=stSidebarNav] a").filter(has_text="Đội hình").first.click()

    def teams_shown() -> None:
        shown("Đội hình")
        page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=TIMEOUT_MS)

    def open_map() -> None:
        page.locator("[data-testid=stSidebarNav] a").filter(has_text="Bản đồ tổng quan").first.click()

    def map_shown() -> None:
        shown("Bản đồ tổng quan")
        legend_is(page, METRIC_LABELS[DEFAULT_METRIC])

    for _ in range(rounds):
        record("open the Teams page", timed(open_teams, teams_shown))
        record("back to the map", timed(open_map, map_shown))


if __name__ == "__main__":
    raise SystemExit(main())
