"""Installed from scratch beside pytest-base-url, pytest-playwright and pytest-xdist (what a frontend team has; no
browsers needed), the package must not break pytest, and the suite must run: in a fresh venv, ``pytest --help``
works and lists the suite's options, and the suite passes against a mock as a plain plugin (under xdist) and as
``flight-conformance``.

Slow (a full install, about a minute with pip's cache warm): ``tox -e ecosystem`` runs it, and ``.ci/run`` runs that
environment after the default ones.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.fresh_venv

ROOT = Path(__file__).resolve().parents[2]
BESIDE = ["pytest-base-url", "pytest-playwright", "pytest-xdist"]
INSTALL_SECONDS = 600
RUN_SECONDS = 180
QUICK = ["--conformance-api", "flightsayer", "--conformance-read-only", "-k", "search_order_is_stable"]


def run(command: list[str | Path], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items()
           if name not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_BASE_URL"}}
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a new venv holding the package, built from this checkout, and the three plugins."""
    root = tmp_path_factory.mktemp("fresh")
    made = run([sys.executable, "-m", "venv", root / "venv"], cwd=root, timeout=120)
    assert made.returncode == 0, made.stderr[-2000:]
    bin_dir = root / "venv" / "bin"
    installed = run([bin_dir / "python", "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q",
                     ROOT, *BESIDE], cwd=root, timeout=INSTALL_SECONDS)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return bin_dir


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Somewhere outside the checkout: only what was installed can be imported."""
    return tmp_path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def installed_mock(venv: Path, workdir: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, config file) of the installed mock-server, stopped by its PID afterwards."""
    config = workdir / "creds.yaml"
    printed = run([venv / "mock-server", "--print-config"], cwd=workdir, timeout=120)
    assert printed.returncode == 0, printed.stderr[-2000:]
    config.write_text(printed.stdout)
    port = _free_port()
    process = subprocess.Popen([venv / "mock-server", "--host", "127.0.0.1", "--port", str(port)], cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/v2/openapi.json", timeout=1):
                    break
            except OSError:
                assert process.poll() is None, "the installed mock exited"
                assert time.monotonic() < deadline, "the installed mock did not answer in 60 s"
                time.sleep(0.1)
        yield base_url, config
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_pytest_help_works_and_lists_every_plugins_options(venv: Path, workdir: Path) -> None:
    shown = run([venv / "pytest", "--help"], cwd=workdir, timeout=RUN_SECONDS)
    assert shown.returncode == 0, shown.stderr[-3000:]
    for flag in ("--base-url", "--browser", "--numprocesses", "--conformance-config", "--conformance-api",
                 "--conformance-read-only", "--conformance-webhook-host"):
        assert f" {flag}" in shown.stdout, flag


def test_the_suite_runs_as_a_plain_plugin_under_xdist(venv: Path, workdir: Path,
                                                      installed_mock: tuple[str, Path]) -> None:
    base_url, config = installed_mock
    shown = run([venv / "pytest", "-p", "no:cacheprovider", "--pyargs", "conformance.suite", "--base-url", base_url,
                 "--conformance-config", config, *QUICK, "-n", "2"], cwd=workdir, timeout=RUN_SECONDS)
    assert shown.returncode == 0, shown.stdout[-3000:] + shown.stderr[-2000:]
    assert "1 passed" in shown.stdout


def test_the_console_script_runs_the_suite_against_the_bundled_mock(venv: Path, workdir: Path) -> None:
    shown = run([venv / "flight-conformance", "--jobs", "1", "--api", "flightsayer", "--read-only", "-k",
                 "search_order_is_stable"],
                cwd=workdir, timeout=RUN_SECONDS)
    assert shown.returncode == 0, shown.stdout[-3000:] + shown.stderr[-2000:]
    assert "1 passed" in shown.stdout


def test_the_installed_mock_serves_its_console(installed_mock: tuple[str, Path]) -> None:
    base_url, _ = installed_mock
    for name, marker in (("", b"<title>Mock console</title>"), ("console.js", b'"use strict"'),
                         ("console.css", b":root")):
        with urllib.request.urlopen(f"{base_url}/_mock/ui/{name}", timeout=5) as response:
            assert marker in response.read(), name
