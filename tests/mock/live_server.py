"""Start the mock as a real process on a free loopback port, and stop it by its PID."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_mock(args: Sequence[str] = (), *, timeout: float = 30.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (base URL, process) once ``/v2/openapi.json`` answers; terminate the process afterwards."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "--host", "127.0.0.1", "--port", str(port),
                                *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mock exited early:\n{process.stdout.read() if process.stdout else ''}")
            try:
                if httpx.get(f"{base}/v2/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"mock did not answer within {timeout} s")
            time.sleep(0.05)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
