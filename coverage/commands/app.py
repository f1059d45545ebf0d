"""``app``: start the planner's app, with its caches filled before the first visit.

``streamlit run app.py`` runs nothing until a browser connects, so the first planner to
open the page waits for the imports, the boundaries, the analysis and the display
geometry (about 2 s more than any later visit). This command starts the same server,
waits until it answers, then has it run the app once on its own (Streamlit's
script-health check, enabled here) so those caches are filled when the first planner
arrives, and says when it is ready. If that warm-up fails, the app still runs and the
reason is printed.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from coverage.planning import (
    AccountBook,
    StorageError,
    is_local_address,
    load_settings,
    open_store,
)
from coverage.text.i18n import Lang, register, t

APP_SCRIPT = Path(__file__).resolve().parents[2] / "app.py"
"""The Streamlit script, at the root of the checkout."""

HEALTH = "_stcore/health"
SCRIPT_CHECK = "_stcore/script-health-check"
"""Streamlit endpoint that runs the app once in a session of its own (option
``server.scriptHealthCheckEnabled``)."""

register(
    {
        "cli.app.missing": {
            "vi": "Không tìm thấy {path}: lệnh này chạy từ bản sao mã nguồn (git clone) của dự án.",
            "en": "{path} not found: this command runs from a checkout (git clone) of the project.",
        },
        "cli.app.ready": {
            "vi": "Ứng dụng đã sẵn sàng tại {url} (dữ liệu nạp sẵn trong {seconds} giây). Ctrl+C "
            "để dừng.",
            "en": "The app is ready at {url} (data loaded in {seconds} s). Ctrl+C stops it.",
        },
        "cli.app.warm_failed": {
            "vi": "Ứng dụng chạy tại {url}, nhưng chưa nạp sẵn được dữ liệu ({reason}); "
            "lần mở đầu tiên sẽ chậm hơn. Xem thông báo lỗi trong trang.",
            "en": "The app runs at {url}, but the data could not be loaded ahead ({reason}); "
            "the first visit will be slower. See the message in the page.",
        },
        "cli.app.port_in_use": {
            "vi": "Cổng {port} đang được dùng (có thể ứng dụng đã chạy ở {url}). Mở địa chỉ đó, "
            "hoặc chọn cổng khác: --port {other}.",
            "en": "Port {port} is in use (the app may already run at {url}). Open that address, "
            "or choose another port: --port {other}.",
        },
        "cli.app.no_server": {
            "vi": "Máy chủ Streamlit không khởi động được (mã thoát {code}).",
            "en": "The Streamlit server did not start (exit code {code}).",
        },
    }
)


def add_parser(sub: Any) -> None:
    """Register ``app``."""
    p = sub.add_parser("app", help="start the planner's app (Streamlit) with its data loaded ahead")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument(
        "--address",
        default="localhost",
        help="address to listen on (default localhost; 0.0.0.0 for the whole network)",
    )
    p.add_argument(
        "--no-warm-up", action="store_true", help="do not load the data before the first visit"
    )
    p.set_defaults(func=run_app)


def streamlit_command(*, port: int, address: str, script: Path = APP_SCRIPT) -> list[str]:
    """Return the ``streamlit run`` command line.

    The project's ``.streamlit/config.toml`` applies.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.scriptHealthCheckEnabled",
        "true",
    ]


def port_is_free(address: str, port: int) -> bool:
    """Return whether a server could listen on ``address:port``.

    Checked before starting one, so the readiness checks never talk to another server
    already there.
    """
    try:
        with socket.create_server((address, port)):
            return True
    except OSError:
        return False


def wait_until_up(url: str, process: subprocess.Popen[bytes], *, timeout_s: float = 120.0) -> bool:
    """Poll ``url`` until it answers 200; False if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)  # poll interval
    return False


def warm_up(base_url: str, *, timeout_s: float = 180.0) -> str | None:
    """Have the server run the app once; return None on success, else the reason."""
    try:
        with urllib.request.urlopen(base_url + SCRIPT_CHECK, timeout=timeout_s) as response:
            body = response.read().decode("utf-8", "replace").strip()
            return None if response.status == 200 else f"{response.status} {body}"
    except urllib.error.HTTPError as error:  # 503: the app raised; the page shows why
        return f"{error.code} {error.read().decode('utf-8', 'replace').strip()}"
    except (OSError, urllib.error.URLError) as error:
        return str(error)


ADD_ADMIN_COMMAND = "python -m coverage users add TEN_DANG_NHAP --role administrator"
"""How to create the first administrator (shown when the app refuses to start)."""


def sign_in_refusal(address: str, lang: Lang) -> str | None:
    """Why the app must not start on ``address`` (no administrator to sign in), else ``None``.

    On a non-local address everyone must sign in; with no active administrator nobody
    could manage accounts, so the app refuses to start and says how to create one. On
    ``localhost`` the app runs for the local planner without sign-in.
    """
    if is_local_address(address):
        return None
    settings = load_settings()
    try:
        book = AccountBook(open_store(settings))
        if book.has_administrator():
            print(
                t("accounts.cli.sign_in_on", lang, address=address, count=book.active_count()),
                flush=True,
            )
            return None
    except StorageError as error:
        return error.message(lang)
    return t(
        "accounts.cli.no_admin",
        lang,
        address=address,
        file=settings.store_path,
        command=ADD_ADMIN_COMMAND
        if lang == "vi"
        else ADD_ADMIN_COMMAND.replace("TEN_DANG_NHAP", "USERNAME"),
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_app(args: argparse.Namespace) -> int:
    """Start the app with its caches filled before the first visit."""
    lang: Lang = args.lang
    if not APP_SCRIPT.exists():
        print(t("cli.app.missing", lang, path=APP_SCRIPT), file=sys.stderr)
        return 2
    refusal = sign_in_refusal(args.address, lang)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    host = "localhost" if args.address in ("0.0.0.0", "::") else args.address
    base_url = f"http://{host}:{args.port}/"
    if not port_is_free(args.address, args.port):
        print(
            t("cli.app.port_in_use", lang, port=args.port, url=base_url, other=args.port + 1),
            file=sys.stderr,
        )
        return 1
    # after the warm-up the server computes the national overview in the background
    env = {**os.environ, "COVERAGE_WARM_NATIONAL": "1"}
    process = subprocess.Popen(streamlit_command(port=args.port, address=args.address), env=env)
    signal.signal(signal.SIGTERM, _interrupt)  # a terminated launcher stops its server too
    try:
        if not wait_until_up(base_url + HEALTH, process):
            if process.poll() is None:
                process.terminate()
            print(t("cli.app.no_server", lang, code=process.wait()), file=sys.stderr)
            return 1
        if not args.no_warm_up:
            start = time.perf_counter()
            reason = warm_up(base_url)
            if reason is None:
                seconds = f"{time.perf_counter() - start:.1f}"
                print(
                    t(
                        "cli.app.ready",
                        lang,
                        url=base_url,
                        seconds=seconds.replace(".", ",") if lang == "vi" else seconds,
                    ),
                    flush=True,
                )
            else:
                print(
                    t("cli.app.warm_failed", lang, url=base_url, reason=reason),
                    file=sys.stderr,
                    flush=True,
                )
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
