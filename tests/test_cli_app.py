"""``python -m coverage app``: the server starts, runs the app once, then says it is ready."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from coverage import settings as cfg
from coverage.commands.app import streamlit_command
from tests.conftest import PROJECT_ROOT, data_env, free_port, make_data_dir

START_TIMEOUT_S = 180.0


def linked_data(real_settings: cfg.Settings, folder: Path) -> dict[str, str]:
    """A data folder linking to the real data (an empty store), as the environment to run in."""
    return data_env(make_data_dir(folder, real_settings), real_settings)


def run(port: int, env: dict[str, str], lang: str = "vi") -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "coverage",
        "--lang",
        lang,
        "app",
        "--port",
        str(port),
        "--address",
        "127.0.0.1",
    ]
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.terminate()
    try:
        return process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def ready_line(process: subprocess.Popen[str], marker: str) -> str:
    """The line on stdout (after Streamlit's own) saying the app is ready."""
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        if marker in line:
            return line
        seen.append(line)
    pytest.fail(f"no ready line; stdout:\n{''.join(seen)}")


@pytest.fixture()
def app_process(
    real_settings: cfg.Settings, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    port = free_port()
    process = run(port, linked_data(real_settings, tmp_path))
    try:
        yield process, port, tmp_path
    finally:
        stop(process)


@pytest.mark.realdata
def test_the_app_is_ready_with_its_data_loaded_before_the_first_visit(
    app_process: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, folder = app_process
    line = ready_line(process, "sẵn sàng")
    assert f"http://127.0.0.1:{port}/" in line, line
    # The warm-up was a real run of the app: it opened the planner's store in the data folder.
    assert (folder / "planning.sqlite3").exists()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as response:
        assert response.status == 200
    assert process.poll() is None  # still serving


@pytest.mark.realdata
def test_a_port_in_use_is_reported_not_hidden(real_settings: cfg.Settings, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        process = run(port, linked_data(real_settings, tmp_path), lang="en")
        try:
            code = process.wait(timeout=START_TIMEOUT_S)
        finally:
            _, err = stop(process)
    assert code == 1
    assert f"Port {port} is in use" in err and f"--port {port + 1}" in err


def test_the_server_runs_the_checkout_app_with_the_warm_up_check_on() -> None:
    command = streamlit_command(port=8765, address="127.0.0.1")
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(command[4]) == PROJECT_ROOT / "app.py"
    assert command[command.index("--server.scriptHealthCheckEnabled") + 1] == "true"
    assert command[command.index("--server.port") + 1] == "8765"
