"""Start the bundled mock as a subprocess on a free loopback port, read its config, and stop it by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import IO

import httpx

from conformance.config import ConformanceConfig

STARTUP_SECONDS = 60.0
READY_PATH = "/v2/openapi.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bundled_config() -> ConformanceConfig:
    printed = subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], capture_output=True, text=True,
                             check=True, timeout=STARTUP_SECONDS)
    return ConformanceConfig.from_yaml(printed.stdout)


@contextmanager
def running_mock_process(args: Sequence[str] = (), *, stdout: int = subprocess.DEVNULL,
                         timeout: float = STARTUP_SECONDS) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (base URL, process) once the mock serves its Garuda spec; stop it by its PID afterwards (unless the caller
    already stopped it). The spec route answers whatever the flags, even with the control API switched off."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # A file, not a pipe: nobody reads stderr while the mock runs, and a full pipe would block the server.
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen([sys.executable, "-m", "mock_server", "--host", "127.0.0.1", "--port", str(port),
                                    *args], stdout=stdout, stderr=errors, text=True)
        try:
            _wait_until_healthy(base_url, process, errors, timeout)
            yield base_url, process
        finally:
            stop_process(process)


def stop_process(process: subprocess.Popen, *, group: bool = False) -> None:
    """Stop ``process`` by its PID (its whole process group with ``group``, for one started in a new session):
    SIGTERM, then SIGKILL if it is still running 10 s later."""
    def send(signal_number: int) -> None:
        if not group:
            process.send_signal(signal_number)  # does nothing once the process has exited
            return
        with suppress(ProcessLookupError):  # exited meanwhile
            os.killpg(process.pid, signal_number)

    if process.poll() is None:
        send(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            send(signal.SIGKILL)
            process.wait(timeout=10)


def _wait_until_healthy(base_url: str, process: subprocess.Popen, errors: IO[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"the mock exited with {process.returncode}:\n{errors.read()[-4000:]}")
        try:
            ready = httpx.get(f"{base_url}{READY_PATH}", timeout=1)
        except httpx.TransportError:
            ready = None
        if ready is not None and ready.status_code == 200:
            return
        if ready is not None:  # the server is up, so waiting longer will not make the route appear
            raise RuntimeError(f"the mock answers GET {base_url}{READY_PATH} with {ready.status_code}, not 200")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the mock did not answer {base_url}{READY_PATH} in {timeout} s")
        time.sleep(0.05)


@contextmanager
def running_bundled_mock() -> Iterator[tuple[str, ConformanceConfig]]:
    """Yield (base URL, config) of the bundled mock, started for the run and stopped afterwards."""
    config = bundled_config()
    # A short grace: the suite waits for a finished flight's subscription to go, and the bundled mock is its own.
    with running_mock_process(["--webhook-grace-seconds", "1"]) as (base_url, _process):
        yield base_url, config
