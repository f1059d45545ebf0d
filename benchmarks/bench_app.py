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

With ``--sessions N [M ...]`` it also starts one ``python -m coverage app`` server and,
once the server is idle (its background warm-ups done), opens the map page in one fresh
headless Chromium, then in N browsers at the same moment (then M...): it prints each
session's first page, the median, the ratio to the single session of the same run, the
errors (a failed load or a Streamlit exception shown), the CPU the server and the
browsers used, the server's peak resident memory (with its children, from /proc), and
the same single/concurrent visits of a hello-world page (what the browsers cost on this
machine by themselves), and the app's ratio divided by hello-world's (the part of the
slow-down that is the app's, not the browsers'). It also prints the CPU every process used
while the pages loaded and, from one session's CPU, the floor of the ratio on this
machine: N sessions need N times that CPU on its cores, however well they share. Then,
with no browser running, it has one client, then N (then M...) at once, speak Streamlit's
websocket protocol to the same server (ask for the first page's run, read every message
until the run finishes): the server's own time per session and how it shares its work,
apart from the browsers' CPU on this 2-core machine. ``--profile DIR`` records the server
with py-spy (``.venv/bin/pip install py-spy``) during the single first page and the 5
concurrent ones and prints the functions with the most samples. The machine is shared: the
load average is printed with each phase.

Run: ``.venv/bin/python benchmarks/bench_app.py [--rounds 5] [--app app.py] [--block-network]
[--no-baseline] [--sessions 5 10 [--sessions-only] [--profile DIR]]``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Locator, Page, sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from coverage import settings as cfg  # noqa: E402  (project on sys.path first: a plain script)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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
    command = [
        streamlit,
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
    ]
    process = subprocess.Popen(
        command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return process, f"http://127.0.0.1:{port}/"


def start_launcher(env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """``python -m coverage app`` on a free port; returns it, its URL and start-up to ready (s)."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "coverage", "app", "--port", str(port), "--address", "127.0.0.1"],
        cwd=PROJECT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "sẵn sàng" in line:
            return process, f"http://127.0.0.1:{port}/", time.perf_counter() - start
    raise RuntimeError(
        f"`python -m coverage app` stopped before it was ready (exit {process.wait()})"
    )


def stop_server(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def press_mouse(page: Page) -> None:
    """Press and release the mouse where it is (a click on what lies under it)."""
    page.mouse.down()
    page.mouse.up()


def type_and_enter(box: Locator, text: str) -> None:
    box.fill(text)
    box.press("Enter")


def timed(action: Callable[[], object], done: Callable[[], object]) -> float:
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
            return !!legend && legend.innerText.includes(label)
                && !!doc.querySelector('path.gl-commune');
        }""",
        arg=[MAP_FRAME, label],
        timeout=TIMEOUT_MS,
    )


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && document.querySelectorAll('[data-stale=true]').length === 0",
        timeout=TIMEOUT_MS,
    )


def choose_metric(page: Page, metric: str) -> None:
    page.locator(".st-key-map_metric [role=combobox]").click()
    page.get_by_role("option", name=METRIC_LABELS[metric], exact=True).click()


def temporary_data_folder(prefix: str) -> tuple[Path, dict[str, str]]:
    """Return a data folder linking to the real data (empty store) and the server's env."""
    real = cfg.load_settings()
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    for name in ("boundaries", "teams", "indicators"):
        (folder / name).symlink_to(real.data_dir / name, target_is_directory=True)
    env = {
        **os.environ,
        cfg.DATA_DIR_ENV: str(folder),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    return folder, env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--block-network",
        action="store_true",
        help="route every request through Playwright and abort non-local ones "
        "(the tests do this; it adds latency to every request, so timings are off by default)",
    )
    parser.add_argument("--app", default=os.environ.get("COVERAGE_APP_SCRIPT", "app.py"))
    parser.add_argument("--no-baseline", action="store_true", help="skip the hello-world baseline")
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also open the map page in N headless browsers at the same moment (several N: "
        "one group after another) on one `coverage app` server, after one browser alone",
    )
    parser.add_argument(
        "--sessions-only",
        action="store_true",
        help="with --sessions: skip the single-browser measures above",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="with --sessions: record the server with py-spy during the single first page and "
        "the 5 concurrent ones (raw stacks in DIR, summary printed)",
    )
    args = parser.parse_args()
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)

    folder, env = temporary_data_folder("bench-app-")
    results: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append(seconds)

    sessions_report = sessions_phase(env, args.sessions, args.profile) if args.sessions else []
    if args.sessions_only:
        shutil.rmtree(folder, ignore_errors=True)
        print("\n".join(sessions_report))
        return 0

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
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1400})
            if args.block_network:
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(
                            ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
                        )
                        else route.abort()
                    ),
                )
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
        print(
            f"{name:<{width}}  {statistics.median(values):8.2f} {min(values):7.2f} "
            f"{max(values):7.2f} {len(values):3d}"
        )
    if BASELINE_COLD in results and COLD in results:
        cold, hello_cold = results[COLD][0], results[BASELINE_COLD][0]
        print(
            f"first page, cold / hello-world first visit: {cold / hello_cold:.2f}; "
            f"over the baseline: {cold - hello_cold:+.2f} s"
        )
    if BASELINE_COLD in results and LAUNCHER_FIRST in results:
        first, hello_cold = results[LAUNCHER_FIRST][0], results[BASELINE_COLD][0]
        print(
            f"`coverage app` first visit / hello-world first visit (both fresh browsers): "
            f"{first / hello_cold:.2f}; over the baseline: {first - hello_cold:+.2f} s"
        )
    if BASELINE in results and WARM in results:
        hello = statistics.median(results[BASELINE])
        warm = statistics.median(results[WARM])
        pairs = [a / b for a, b in zip(results[WARM], results[BASELINE], strict=True)]
        print(
            f"first page, warm / hello-world baseline: {warm / hello:.2f} (ratio of medians); per "
            f"round {', '.join(f'{r:.2f}' for r in pairs)}; over the baseline: {warm - hello:+.2f} "
            "s"
        )
    if sessions_report:
        print("\n".join(sessions_report))
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
        record(
            "filter 'border only' on",
            timed(
                border.click,
                lambda: page.get_by_text("Đang hiện 7/135").first.wait_for(timeout=TIMEOUT_MS),
            ),
        )
        record(
            "filter 'border only' off",
            timed(
                border.click,
                lambda: page.get_by_text("Đang hiện 7/135").first.wait_for(
                    state="detached", timeout=TIMEOUT_MS
                ),
            ),
        )
        legend_is(page, METRIC_LABELS[DEFAULT_METRIC])
    for round_number in range(rounds):
        name = "change colouring, first time" if round_number == 0 else "change colouring, again"
        for metric in ("need", "connectivity_index", "density_per_km2", DEFAULT_METRIC):
            record(
                name,
                timed(
                    functools.partial(choose_metric, page, metric),
                    functools.partial(legend_is, page, METRIC_LABELS[metric]),
                ),
            )
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
        heading = page.get_by_role("heading", name=title).first
        record(
            "click a commune (detail shown)",
            timed(
                functools.partial(press_mouse, page),
                functools.partial(heading.wait_for, timeout=TIMEOUT_MS),
            ),
        )
        idle(page)
    search = page.locator(".st-key-map_search input")
    expected = {query: f"Kết quả tìm ({count})" for query, count in SEARCH_RESULTS.items()}
    for n in range(rounds):
        query = list(SEARCH_RESULTS)[n % len(SEARCH_RESULTS)]
        results = page.locator(".st-key-map_search_pick").filter(has_text=expected[query]).first
        record(
            "search without diacritics",
            timed(
                functools.partial(type_and_enter, search, query),
                functools.partial(results.wait_for, timeout=TIMEOUT_MS),
            ),
        )
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
        page.locator("[data-testid=stSidebarNav] a").filter(
            has_text="Bản đồ tổng quan"
        ).first.click()

    def map_shown() -> None:
        shown("Bản đồ tổng quan")
        legend_is(page, METRIC_LABELS[DEFAULT_METRIC])

    for _ in range(rounds):
        record("open the Teams page", timed(open_teams, teams_shown))
        record("back to the map", timed(open_map, map_shown))


# ---------------------------------------------------------------- concurrent sessions


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB (VmRSS from /proc)."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def tree_cpu_s(pid: int) -> float:
    """CPU time (user + system, s) used so far by ``pid`` and its children, living or ended."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime, stime, and of reaped children
    return ticks / os.sysconf("SC_CLK_TCK")


class PeakMemory:
    """Samples the server's resident memory (with children) every 0.1 s; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self._stop.wait(0.1)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def wait_server_idle(pid: int, *, quiet_s: float = 4.0, timeout_s: float = 180.0) -> None:
    """Wait until the server has used almost no CPU for ``quiet_s`` (background warm-ups done).

    Longer than the quiet moment the app waits for before its national warm-up
    (``app_pages.national_data.QUIET_S``, 3 s), so that warm-up is over, not about to start.
    """
    deadline = time.monotonic() + timeout_s
    last, quiet_since = tree_cpu_s(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = tree_cpu_s(pid)
        if now - last > 0.05:  # more than 20% of a core in this quarter second
            quiet_since = time.monotonic()
        last = now
        if time.monotonic() - quiet_since >= quiet_s:
            return


@dataclass
class SessionResult:
    seconds: float | None
    error: str = ""


async def _one_session(
    browser: Any, url: str, start: asyncio.Event, *, with_map: bool
) -> SessionResult:
    context = await browser.new_context(viewport={"width": 1400, "height": 1400})
    page = await context.new_page()
    await start.wait()
    began = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit")
        await page.wait_for_selector("[data-testid=stMetric]", timeout=TIMEOUT_MS)
        if with_map:
            handle = await page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
            frame = await handle.content_frame()
            await frame.wait_for_selector("path.gl-commune", timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - began
        problems = await page.locator("[data-testid=stException]").count()
        return SessionResult(seconds, f"{problems} exception(s) shown" if problems else "")
    except Exception as error:  # a failed session is counted, not fatal
        return SessionResult(None, f"{type(error).__name__}: {str(error).splitlines()[0][:120]}")
    finally:
        await context.close()


@dataclass
class SessionsRun:
    """Sessions opened at once, with the CPU every process of this run used meanwhile."""

    results: list[SessionResult]
    cpu_s: float
    """CPU (user + system) of this script's process tree (browsers, servers it started)
    from the moment the sessions start until the last one has its page."""


async def _sessions(url: str, count: int, *, with_map: bool) -> SessionsRun:
    """``count`` headless Chromium browsers (one each) open ``url`` at the same moment."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browsers = await asyncio.gather(
            *(
                playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for _ in range(count)
            )
        )
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(_one_session(b, url, start, with_map=with_map)) for b in browsers
        ]
        await asyncio.sleep(0.5)  # every context and page is open before the clock starts
        cpu = tree_cpu_s(os.getpid())
        start.set()
        results = await asyncio.gather(*tasks)
        cpu = tree_cpu_s(os.getpid()) - cpu
        await asyncio.gather(*(b.close() for b in browsers))
    return SessionsRun(list(results), cpu)


def open_sessions(url: str, count: int, *, with_map: bool = True) -> SessionsRun:
    return asyncio.run(_sessions(url, count, with_map=with_map))


CORES = len(os.sched_getaffinity(0))
"""The cores this benchmark and the processes it starts may use."""


def cpu_floor(single: SessionsRun, count: int) -> str:
    """Say how slow ``count`` sessions at once must be, from the CPU one session needs.

    One session used ``single.cpu_s`` of CPU (its browser, the server, this script) while
    its page loaded; ``count`` of them need ``count`` times that, shared by :data:`CORES`
    cores, so even perfectly shared their median cannot beat that wall time: the ratio to
    one session's first page can be no lower than this floor (at least 1).
    """
    seconds = single.results[0].seconds or float("nan")
    wall = count * single.cpu_s / CORES
    return (
        f"CPU floor: 1 session used {single.cpu_s:.2f} s of CPU in {seconds:.2f} s; "
        f"{count} need {count * single.cpu_s:.1f} s on {CORES} cores, at least {wall:.2f} s "
        f"each: ratio >= {max(1.0, wall / seconds):.2f}"
    )


@dataclass
class ProtocolRun:
    seconds: float
    messages: int
    size_bytes: int


async def _protocol_run(url: str, start: asyncio.Event) -> ProtocolRun:
    """Open a session over Streamlit's websocket, ask for the first page; time its whole run."""
    stream = url.replace("http://", "ws://", 1) + "_stcore/stream"
    async with connect(stream, subprotocols=[Subprotocol("streamlit")], max_size=None) as socket:
        await start.wait()
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = ""
        began = time.perf_counter()
        await socket.send(request.SerializeToString())
        messages = size = 0
        while True:
            raw = await socket.recv()
            messages, size = messages + 1, size + len(raw)
            message = ForwardMsg()
            message.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            if message.WhichOneof("type") == "script_finished":
                return ProtocolRun(time.perf_counter() - began, messages, size)


async def _protocol_runs(url: str, count: int) -> list[ProtocolRun]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(_protocol_run(url, start)) for _ in range(count)]
    await asyncio.sleep(0.5)  # every connection is open before the clock starts
    start.set()
    return list(await asyncio.gather(*tasks))


def protocol_sessions(url: str, count: int) -> list[ProtocolRun]:
    """``count`` sessions at once, with no browser: each run's seconds, messages and bytes."""
    return asyncio.run(_protocol_runs(url, count))


class Profiler:
    """``py-spy record`` on the server's process tree while a phase runs (raw stacks)."""

    def __init__(self, pid: int, out: Path) -> None:
        spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which(
            "py-spy"
        )
        if spy is None:
            raise RuntimeError("py-spy is not installed (.venv/bin/pip install py-spy)")
        self.out = out
        self.process = subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--subprocesses",
                "--rate",
                "100",
                "--format",
                "raw",
                "--output",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)  # py-spy attaches

    def stop(self) -> list[str]:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return summarise_profile(self.out) if self.out.exists() else ["(no profile written)"]


IDLE_FRAMES = (
    "Condition.wait ",
    "EpollSelector.select ",
    "Queue.get ",
    "DelayedQueue.get ",
    "Event.wait ",
    "_worker (concurrent",
    "WorkerThread.run ",
    "select (selectors",
    "PollingPathWatcher._schedule.<locals>.task (streamlit/watcher/polling_path_watcher.py:90)",
)
"""Leaf frames of a thread that is waiting, not working."""
FRAME_NOISE = (
    "threading.py",
    "<frozen runpy>",
    "click/core.py",
    "asyncio/",
    "streamlit/__main__.py",
    "streamlit/web/cli.py",
    "streamlit/web/bootstrap.py",
    "concurrent/futures",
)
"""Frames every sample goes through (thread start, event loop): not informative."""


def summarise_profile(path: Path, top: int = 25) -> list[str]:
    """List the functions that took the most samples (inclusive and own) in py-spy raw stacks."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f and not f.startswith(("process ", "thread "))]
        if not frames or frames[-1].startswith(IDLE_FRAMES):
            continue  # a thread waiting (py-spy cannot always tell an idle thread)
        total += count
        for frame in dict.fromkeys(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count

    def short(frame: str) -> str:
        return frame.replace(str(PROJECT) + "/", "").replace(str(Path(sys.prefix)) + "/", "")

    lines = [
        f"{total} busy samples (100 per second per busy thread; waits left out)",
        "",
        "inclusive (share of busy samples; the server's start-up and loop frames left out):",
    ]
    chosen = [(f, c) for f, c in inclusive.items() if not any(part in f for part in FRAME_NOISE)]
    for frame, count in sorted(chosen, key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * count / max(total, 1):5.1f}%  {short(frame)}")
    lines += ["", "own time (share of samples, top):"]
    for frame, count in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * count / max(total, 1):5.1f}%  {short(frame)}")
    return lines


def server_only(server: int, url: str, counts: list[int]) -> list[str]:
    """Time the server's own run of the first page, alone and N at once, with no browser."""
    wait_server_idle(server)
    alone = [protocol_sessions(url, 1)[0] for _ in range(3)]
    one = statistics.median(run.seconds for run in alone)
    lines = [
        f"  server only (Streamlit's websocket protocol, no browser): 1 session's run "
        f"{one:.2f} s (median of 3; {alone[0].messages} messages, "
        f"{alone[0].size_bytes / 1e3:.0f} kB); load average {os.getloadavg()[0]:.2f}"
    ]
    for count in counts:
        wait_server_idle(server)
        cpu = tree_cpu_s(server)
        runs = protocol_sessions(url, count)
        cpu = tree_cpu_s(server) - cpu
        middle = statistics.median(run.seconds for run in runs)
        lines.append(
            f"    {count} at once: each {', '.join(f'{run.seconds:.2f}' for run in runs)} s; "
            f"median {middle:.2f} s, {middle / one:.2f}x one; server CPU {cpu:.1f} s "
            f"({cpu / count:.2f} s a session); load average {os.getloadavg()[0]:.2f}"
        )
    return lines


def sessions_phase(env: dict[str, str], counts: list[int], profile_dir: Path | None) -> list[str]:
    """Single and concurrent first pages on one ``python -m coverage app`` server; report lines."""
    launcher, url, ready_s = start_launcher(env)
    report = [
        f"concurrent sessions (one `coverage app` server, ready in {ready_s:.1f} s; "
        f"load average at start {os.getloadavg()[0]:.2f})"
    ]
    try:
        server = launcher.pid
        wait_server_idle(server)
        memory = PeakMemory(server)
        profiles: list[tuple[str, list[str]]] = []

        def phase(name: str, count: int) -> SessionsRun:
            wait_server_idle(server)
            profiler = None
            if profile_dir is not None and count in (1, 5) and name not in dict(profiles):
                profiler = Profiler(server, profile_dir / f"profile_{count}.txt")
            server_cpu, all_cpu = tree_cpu_s(server), tree_cpu_s(os.getpid())
            wall = time.perf_counter()
            run = open_sessions(url, count)
            wall = time.perf_counter() - wall
            server_cpu = tree_cpu_s(server) - server_cpu
            browsers_cpu = tree_cpu_s(os.getpid()) - all_cpu - server_cpu
            report.append(
                f"  [{name}] wall {wall:.1f} s; CPU used: server {server_cpu:.1f} s, "
                f"browsers (and this script) {browsers_cpu:.1f} s (launch and close included; "
                "processes reaped outside this tree are missed); "
                f"while the pages loaded, everything {run.cpu_s:.1f} s "
                f"({run.cpu_s / count:.2f} s a session); load average {os.getloadavg()[0]:.2f}"
            )
            if profiler is not None:
                profiles.append((name, profiler.stop()))
            return run

        ratios: dict[int, float] = {}
        single_run = phase("1 session, first page", 1)
        single = single_run.results[0]
        if single.seconds is None:
            raise RuntimeError(f"the single session failed: {single.error}")
        report.append(f"  1 session, first page (fresh browser): {single.seconds:.2f} s")
        for count in counts:
            results = phase(f"{count} sessions at once", count).results
            times = [r.seconds for r in results if r.seconds is not None]
            errors = [r.error for r in results if r.error]
            median = statistics.median(times) if times else float("nan")
            each = ", ".join("FAILED" if r.seconds is None else f"{r.seconds:.2f}" for r in results)
            report.append(f"  {count} sessions at once: each {each} s")
            ratios[count] = median / single.seconds
            report.append(
                f"    median {median:.2f} s; "
                f"median / single first page {median / single.seconds:.2f}; "
                f"errors {len(errors)}{': ' + '; '.join(errors) if errors else ''}"
            )
            report.append(f"    {cpu_floor(single_run, count)}")
        peak = memory.stop()
        # The same on a hello-world page: what N browsers on this machine cost by themselves.
        hello_script = Path(env[cfg.DATA_DIR_ENV]) / "hello.py"
        hello_script.write_text(HELLO_WORLD, encoding="utf-8")
        hello, hello_url = start_server(hello_script, env)
        try:
            wait_healthy(hello_url + "_stcore/health", hello)
            wait_server_idle(hello.pid)
            alone_run = open_sessions(hello_url, 1, with_map=False)
            alone = alone_run.results[0].seconds or float("nan")
            for count in counts:
                hello_run = open_sessions(hello_url, count, with_map=False)
                together = [r.seconds for r in hello_run.results if r.seconds]
                middle = statistics.median(together) if together else float("nan")
                report.append(
                    f"  hello-world (floor of this machine and browsers): 1 session {alone:.2f} s; "
                    f"{count} at once median {middle:.2f} s; ratio {middle / alone:.2f}; "
                    f"load average {os.getloadavg()[0]:.2f}"
                )
                report.append(
                    f"    {count} sessions: the app's ratio / hello-world's ratio (normalised): "
                    f"{ratios[count] / (middle / alone):.2f}; the app's first page / "
                    f"hello-world's, 1 session: {single.seconds / alone:.2f}"
                )
                report.append(
                    f"    hello-world {cpu_floor(alone_run, count)}; {count} at once used "
                    f"{hello_run.cpu_s / count:.2f} s of CPU a session (the app: "
                    f"{single_run.cpu_s:.2f} s for one session)"
                )
        finally:
            stop_server(hello)
        report += server_only(server, url, counts)
        report.append(
            f"  server peak memory (RSS, with children) over these phases: {peak:.0f} MB; "
            f"load average at end {os.getloadavg()[0]:.2f}"
        )
        for name, lines in profiles:
            report += ["", f"profile of the server during: {name}", *lines]
    finally:
        stop_server(launcher)
    return report


if __name__ == "__main__":
    raise SystemExit(main())
