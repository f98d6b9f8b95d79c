"""The README's first two commands (start the mock; run the tests) work from a fresh clone with the machine's own,
externally managed ``python3`` (PEP 668: its pip refuses ``pip install tox``) first on PATH, and ``.ci/run`` runs the
same test command.

Slow (the launcher's venv, then tox's environments, installed from the registry): ``tox -e ecosystem`` runs it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.fresh_venv

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_BIN = "/usr/bin"
INSTALL_SECONDS = 900  # the launcher's venv and one tox environment, from an empty pip cache
GARUDA = {"Authorization": "Bearer garuda-demo-token-acme", "X-API-Key": "garuda-demo-key-acme"}
NARROWED = ["tests/test_specs.py", "-k", "valid_openapi"]


def readme_commands() -> tuple[list[str], list[str]]:
    """(start the mock, run the tests): the two command lines of the README's first shell block."""
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "the README has no shell block"
    lines = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    mock, tests = (shlex.split(line) for line in lines if line)
    assert "mock" in mock, mock
    return mock, tests


def clean_environment() -> dict[str, str]:
    """This environment without tox's or a venv's traces, ``/usr/bin`` first on PATH."""
    kept = {name: value for name, value in os.environ.items()
            if name not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTEST_ADDOPTS", "CONDA_PREFIX"}
            and not name.startswith("TOX_")}
    rest = [part for part in os.environ.get("PATH", "").split(os.pathsep)
            if part and part != SYSTEM_BIN and "/.tox/" not in part and "venv" not in part]
    return {**kept, "PATH": os.pathsep.join([SYSTEM_BIN, *rest])}


@pytest.fixture(scope="module")
def system_python() -> Path:
    python = Path(SYSTEM_BIN) / "python3"
    if not python.exists():
        pytest.skip(f"no {python} on this machine")
    stdlib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not (Path(stdlib) / "EXTERNALLY-MANAGED").exists():
        pytest.skip(f"{python} is not externally managed (PEP 668): nothing to prove with it")
    return python


@pytest.fixture(scope="module")
def clone(system_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of this repository's committed state."""
    target = tmp_path_factory.mktemp("fresh-clone") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answer(url: str, headers: dict[str, str]) -> tuple[int, object] | None:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2) as response:
            return response.status, json.loads(response.read())
    except OSError:
        return None


def test_the_system_python_refuses_pip_install(system_python: Path) -> None:
    """What the README's commands must get around (PEP 668), or this module proves nothing."""
    refused = subprocess.run([system_python, "-m", "pip", "install", "--dry-run", "tox"], capture_output=True,
                             text=True, env=clean_environment(), timeout=120)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stdout + refused.stderr


def test_the_readme_mock_command_serves_the_fixtures_and_stops_on_ctrl_c(clone: Path) -> None:
    mock, _ = readme_commands()
    port = _free_port()
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen([*mock, "--", "--port", str(port)], cwd=clone, env=clean_environment(),
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + INSTALL_SECONDS
            while (answer := _answer(f"http://127.0.0.1:{port}/v2/flight_sessions", GARUDA)) is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    pytest.fail(f"{shlex.join(mock)} never answered (exit {process.poll()}):\n{output.read()[-4000:]}")
                time.sleep(0.5)
            status, body = answer
            assert status == 200 and body["success"] is True and body["data"], body
            process.send_signal(signal.SIGINT)  # Ctrl-C, to the PID the launcher handed to tox
            process.wait(timeout=60)
            assert _answer(f"http://127.0.0.1:{port}/v2/openapi.json", {}) is None, "the mock outlived its tox"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def test_the_readme_test_command_runs_lint_and_pytest(clone: Path) -> None:
    _, tests = readme_commands()
    ran = subprocess.run([*tests, "--", *NARROWED], cwd=clone, env=clean_environment(), capture_output=True,
                         text=True, timeout=INSTALL_SECONDS)
    shown = ran.stdout + ran.stderr
    assert ran.returncode == 0, shown[-5000:]
    assert re.search(r"lint: OK", shown) and re.search(r"py: OK", shown), shown[-3000:]
    assert re.search(r"\b\d+ passed", shown), shown[-3000:]


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = readme_commands()
    script = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert shlex.join(tests) in script, f"{shlex.join(tests)!r} is not a line of .ci/run"
    assert shlex.join([*tests, "-e", "ecosystem"]) in script
