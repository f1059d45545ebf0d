"""How fast the national overview (Toàn quốc) feels in a real browser.

Starts ``python -m coverage app`` (what ``make run`` starts: the server runs the app once,
says "sẵn sàng", then computes the national overview in the background) on a temporary
data folder linked to the real data, and drives headless Chromium (``/usr/bin/chromium``).
Prints medians in seconds:

* national analysis in this process, cold and cached (``load_inputs(province=None)`` +
  ``analyze`` + aggregation by province), for reference;
* first view right after "sẵn sàng" (the background computation may still run: the
  planner's worst case), once;
* first view after the warm-up has finished (fresh browser context each round): page
  opened until the 34 provinces are drawn and coloured;
* interactions on the open page: switch the language (whole page rerun), click a
  province until its own map is drawn, back to "Toàn quốc" until the 34 provinces show.

Run: ``.venv/bin/python benchmarks/bench_national.py [--rounds 5] [--settle-s 20]``.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from bench_app import (  # noqa: E402
    CHROMIUM_ARGS,
    FIND_COMMUNE_POINT,
    MAP_FRAME,
    TIMEOUT_MS,
    idle,
    start_launcher,
    stop_server,
    timed,
)
from coverage import settings as cfg  # noqa: E402

PAGE = "national-overview"
COLOURED = (
    "() => { const f = document.querySelector('" + MAP_FRAME + "');"
    " const d = f && f.contentDocument; if (!d) return false;"
    " const p = Array.from(d.querySelectorAll('path.gl-commune'));"
    " return p.length === 34 && p.every(x => (x.getAttribute('fill') || '').startsWith('#')); }"
)


def national_in_process(settings: cfg.Settings) -> tuple[float, float]:
    """Cold and cached seconds of the overview's computation in this process."""
    from coverage import planning
    from coverage.analysis import national
    from coverage.outputs.maps.geometry import province_shapes

    start = time.perf_counter()
    inputs = planning.load_inputs(settings, province=None)
    result = planning.analyze(inputs, settings=settings)
    national.national_overview(result.communes, result.teams, province_shapes(settings))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    national.national_overview(result.communes, result.teams, province_shapes(settings))
    return cold, time.perf_counter() - start


def open_national(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url + PAGE, wait_until="commit")
    page.wait_for_function(COLOURED, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def one_round(browser: Browser, url: str, record: Callable[[str, float], None]) -> None:
    """Open the national page in a fresh context, switch language, open a province, go back."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    record("first view after warm-up (fresh context)", open_national(page, url))
    idle(page)
    english = page.locator("[data-testid=stSidebar] label").filter(has_text="English").first
    vietnamese = page.locator("[data-testid=stSidebar] label").filter(has_text="Tiếng Việt").first

    def heading_shown(name: str) -> None:
        page.get_by_role("heading", name=name).first.wait_for(timeout=TIMEOUT_MS)
        idle(page)

    record(
        "switch to English (page rerun)",
        timed(english.click, functools.partial(heading_shown, "Whole country")),
    )
    record(
        "switch back to Vietnamese",
        timed(vietnamese.click, functools.partial(heading_shown, "Toàn quốc")),
    )
    frame = page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS).content_frame()  # type: ignore[union-attr]
    assert frame is not None
    point = frame.evaluate(FIND_COMMUNE_POINT, 3)
    box = frame.frame_element().bounding_box()
    assert point is not None and box is not None

    def click() -> None:
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def province_shown() -> None:
        page.get_by_role("heading", name="Bản đồ tổng quan", exact=True).first.wait_for(
            timeout=TIMEOUT_MS
        )
        page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
        idle(page)

    record("click a province (its map page drawn)", timed(click, province_shown))

    def back() -> None:
        page.locator("[data-testid=stSidebarNav] a").filter(has_text="Toàn quốc").first.click()

    def coloured() -> None:
        page.wait_for_function(COLOURED, timeout=TIMEOUT_MS)
        idle(page)

    record(
        "back to Toàn quốc (34 provinces shown)",
        timed(back, coloured),
    )
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--settle-s",
        type=float,
        default=20.0,
        help="wait after 'ready' for the background computation (default 20 s)",
    )
    args = parser.parse_args()
    settings = cfg.load_settings()
    times: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)
        print(f"  {name}: {seconds:.2f} s", flush=True)

    cold, cached = national_in_process(settings)
    record("national analysis + overview in process, cold", cold)
    record("overview from a cached analysis, in process", cached)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        for name in ("boundaries", "teams", "indicators"):
            (folder / name).symlink_to(settings.data_dir / name, target_is_directory=True)
        env = {
            **os.environ,
            cfg.DATA_DIR_ENV: str(folder),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        process, url, ready_s = start_launcher(env)
        record("launcher start to 'sẵn sàng'", ready_s)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                context = browser.new_context(viewport={"width": 1400, "height": 1400})
                record(
                    "first view right after 'sẵn sàng' (worst case)",
                    open_national(context.new_page(), url),
                )
                context.close()
                time.sleep(args.settle_s)  # let the background warm-up finish (benchmark only)
                for _ in range(args.rounds):
                    one_round(browser, url, record)
                browser.close()
        finally:
            stop_server(process)

    print("\nmedians (s):")
    for name, values in times.items():
        print(f"  {name:55s} {statistics.median(values):6.2f}  (n={len(values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
