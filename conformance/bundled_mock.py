"""Start the bundled mock as a subprocess on a free loopback port, read its config, and stop it by its PID."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from conformance.config import ConformanceConfig

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bundled_config() -> ConformanceConfig:
    printed = subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], capture_output=True, text=True,
                             check=True, timeout=STARTUP_SECONDS)
    return ConformanceConfig.from_yaml(printed.stdout)


@contextmanager
def running_bundled_mock() -> Iterator[tuple[str, ConformanceConfig]]:
    """Yield (base URL, config) once ``GET /_mock/health`` answers 200; stop the mock afterwards."""
    config = bundled_config()
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the bundled mock exited with {process.returncode}:\n{process.stderr.read()}")
            try:
                health = httpx.get(f"{base_url}/_mock/health", timeout=1)
            except httpx.TransportError:
                health = None
            if health is not None and health.status_code == 200:
                break
            if health is not None:  # the server is up, so waiting longer will not make its health route appear
                raise RuntimeError(f"the bundled mock answers GET {base_url}/_mock/health with "
                                   f"{health.status_code}, not 200")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bundled mock did not answer {base_url}/_mock/health in {STARTUP_SECONDS} s")
            time.sleep(0.1)
        yield base_url, config
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
