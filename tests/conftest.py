"""Shared fixtures: the real data, a `streamlit run` server and an offline Chromium page.

Browser fixtures (reuse them in any browser test):

- ``chromium_executable``: ``/usr/bin/chromium``; skips locally when it is missing, fails
  when ``CI=true``.
- ``browser``: one headless Chromium per session (Playwright sync API).
- ``offline_page``: a fresh page whose requests to anything but 127.0.0.1, localhost,
  ``file:``, ``data:`` and ``blob:`` are aborted and recorded in ``offline_page.blocked``.
- ``streamlit_server``: ``streamlit run app.py`` on a free port with
  ``COVERAGE_DATA_DIR`` set to a temporary folder linked to the real data (so the
  store starts empty); waits on ``/_stcore/health`` (polling, no fixed sleep) and
  stops the process it started.

Data fixtures (one of each; do not write your own copies):

- ``data_dir``: a fresh data folder per test, made by :func:`make_data_dir` (the real
  ``boundaries``, ``teams`` and ``indicators`` linked, or copied for a test marked
  ``@pytest.mark.data_copy("teams")`` that writes there; no store, so the app's SQLite
  store starts empty and the real one is never written), with ``COVERAGE_DATA_DIR`` and
  ``COVERAGE_SHARED_DATA`` pointing at it for the test (subprocesses inherit them).
  Module-scoped fixtures call :func:`make_data_dir` themselves.
- ``gia_lai``: the real Gia Lai inputs and their ``planning`` analysis, computed once per
  session (``gia_lai_session``) and shared read-only: each test using ``gia_lai`` fails if
  it changed them (their pickled bytes are compared after the test); a test that needs to
  change a table works on a ``.copy()``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from coverage import planning
from coverage import settings as cfg

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
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
APP_SCRIPT = os.environ.get("COVERAGE_APP_SCRIPT", "app.py")

# Find a point inside a commune polygon that is not covered by a marker or label: sample a
# grid over each path's box (largest first) and keep the first point whose topmost element
# is that path. Returns page-independent viewport coordinates of the document it runs in.
FIND_COMMUNE_POINT = """
() => {
  const paths = Array.from(document.querySelectorAll('path.gl-commune'));
  paths.sort((a, b) => {
    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height;
  });
  for (const path of paths) {
    const r = path.getBoundingClientRect();
    for (let i = 1; i < 10; i++) {
      for (let j = 1; j < 10; j++) {
        const x = r.left + r.width * i / 10, y = r.top + r.height * j / 10;
        if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) continue;
        if (document.elementFromPoint(x, y) === path) return {x: x, y: y};
      }
    }
  }
  return null;
}
"""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SERVER_START_TIMEOUT_S = 90.0


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI, where a missing prerequisite is a broken set-up."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def real_settings() -> cfg.Settings:
    """Settings for the real data prepared by `make data`; skips locally if absent."""
    settings = cfg.load_settings()
    if not (settings.boundaries_dir / cfg.GIA_LAI_FILE).exists():
        skip_or_fail(f"real data missing in {settings.boundaries_dir}; run 'make data'")
    return settings


DATA_PARTS = ("boundaries", "teams", "indicators")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "data_copy(*parts): the data_dir fixture copies these parts of the real data "
        "(e.g. 'teams') instead of linking them, for a test that writes there",
    )


def make_data_dir(folder: Path, real: cfg.Settings, *, copy: Iterable[str] = ()) -> Path:
    """An isolated data folder: the real ``boundaries``, ``teams`` and ``indicators``
    linked (those named in ``copy`` copied), and no store of its own yet."""
    copy = set(copy)
    unknown = copy - set(DATA_PARTS)
    if unknown:
        raise ValueError(f"data_copy: unknown parts {sorted(unknown)}; choose from {DATA_PARTS}")
    folder.mkdir(parents=True, exist_ok=True)
    for name in DATA_PARTS:
        if name in copy:
            shutil.copytree(real.data_dir / name, folder / name)
        else:
            (folder / name).symlink_to(real.data_dir / name, target_is_directory=True)
    return folder


def data_env(folder: Path, real: cfg.Settings) -> dict[str, str]:
    """The environment a subprocess (CLI, ``streamlit run``) needs to use ``folder``."""
    return {
        **os.environ,
        cfg.DATA_DIR_ENV: str(folder),
        cfg.SHARED_DATA_ENV: str(real.shared_data_dir),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }


@pytest.fixture
def data_dir(
    real_settings: cfg.Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Path:
    """A data folder of the test's own (see :func:`make_data_dir`), set in the environment."""
    marker = request.node.get_closest_marker("data_copy")
    folder = make_data_dir(tmp_path / "data", real_settings, copy=marker.args if marker else ())
    monkeypatch.setenv(cfg.DATA_DIR_ENV, str(folder))
    monkeypatch.setenv(cfg.SHARED_DATA_ENV, str(real_settings.shared_data_dir))
    return folder


class GiaLai(NamedTuple):
    """The real Gia Lai inputs and their analysis, shared by the whole session: read only."""

    inputs: planning.Inputs
    analysis: planning.AnalysisResult


def fingerprint(shared: GiaLai) -> str:
    """A digest of everything in ``shared`` (tables, reach, border, parameters)."""
    return hashlib.sha256(pickle.dumps(tuple(shared), protocol=5)).hexdigest()


@pytest.fixture(scope="session")
def gia_lai_session(real_settings: cfg.Settings) -> Iterator[GiaLai]:
    """Gia Lai analysed once per session; prefer ``gia_lai``, which checks each test."""
    inputs = planning.load_inputs(real_settings, province=cfg.DEFAULT_PROVINCE)
    shared = GiaLai(inputs, planning.analyze(inputs, settings=real_settings))
    digest = fingerprint(shared)
    yield shared
    assert fingerprint(shared) == digest, (
        "the shared Gia Lai inputs or analysis were changed during the session"
    )


@pytest.fixture
def gia_lai(gia_lai_session: GiaLai, request: pytest.FixtureRequest) -> Iterator[GiaLai]:
    """The shared Gia Lai inputs and analysis; the test fails if it changes them."""
    before = fingerprint(gia_lai_session)
    yield gia_lai_session
    if fingerprint(gia_lai_session) != before:
        pytest.fail(
            f"{request.node.nodeid} changed the shared Gia Lai inputs or analysis; "
            "work on a .copy() of the table instead",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """tests/artifacts/ (git-ignored) for screenshots and server logs."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} not found; install it with 'make browser-deps'")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        skip_or_fail("the playwright package is not installed (pip install -e '.[test]')")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class OfflinePage:
    """A page with the network blocked, and what it tried to fetch from outside."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    if url.startswith(("file:", "data:", "blob:", "about:")):
        return True
    from urllib.parse import urlsplit

    host = urlsplit(url).netloc.rsplit("@", 1)[-1]
    host = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return host in LOCAL_HOSTS


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[OfflinePage]:
    """A 1280x900 page that aborts every request not to this machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    result = OfflinePage(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if _is_local(url):
            request_route.continue_()
        else:
            result.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: result.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        result.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield result
    finally:
        context.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(
    url: str, process: subprocess.Popen[bytes], *, timeout_s: float, log: Path
) -> None:
    """Poll ``url`` until it answers 200 ``ok``; fail early if the process exits."""
    deadline = time.monotonic() + timeout_s
    last_error = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with {process.returncode}; "
                f"log:\n{log.read_text(errors='replace')[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.25)  # poll interval, not a wait for readiness
    pytest.fail(
        f"{url} not healthy after {timeout_s:.0f} s ({last_error}); "
        f"log:\n{log.read_text(errors='replace')[-4000:]}"
    )


@dataclass(frozen=True)
class StreamlitServer:
    """A running app: its address, log and the temporary data folder it writes to."""

    url: str
    port: int
    log: Path
    data_dir: Path


@pytest.fixture(scope="module")
def streamlit_server(
    real_settings: cfg.Settings, artifacts_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """Run ``streamlit run app.py`` on a free port; stop it after.

    The data folder is a temporary one whose ``boundaries``, ``teams`` and
    ``indicators`` link to the real data, so the app's SQLite store starts empty and
    the real one is never written.
    """
    folder = make_data_dir(tmp_path_factory.mktemp("app-data"), real_settings)
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    port = free_port()
    log = artifacts_dir / "streamlit_server.log"
    env = data_env(folder, real_settings)
    command = [
        streamlit,
        "run",
        str(PROJECT_ROOT / APP_SCRIPT),
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
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            wait_for_health(
                f"http://127.0.0.1:{port}/_stcore/health",
                process,
                timeout_s=SERVER_START_TIMEOUT_S,
                log=log,
            )
            yield StreamlitServer(
                url=f"http://127.0.0.1:{port}/", port=port, log=log, data_dir=folder
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
