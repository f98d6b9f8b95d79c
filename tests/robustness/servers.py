"""A real mock process for tests whose flags close the control API, so readiness cannot be its health route."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.mock.live_server import free_port


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError("no VmRSS")


@contextmanager
def mock_process(args: Sequence[str] = (), *, timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (base URL, process) once the mock serves its Garuda spec; stop it by its PID afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen([sys.executable, "-m", "mock_server", "--port", str(port), *args],
                                   stdout=subprocess.DEVNULL, stderr=errors, text=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    raise RuntimeError(f"the mock exited with {process.returncode}: {errors.read()[-3000:]}")
                try:
                    if httpx.get(f"{base}/v2/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError("the mock did not start")
                time.sleep(0.05)
            yield base, process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
