"""Serve an ASGI app with uvicorn in a thread on a free 127.0.0.1 port, so checks talk real HTTP to it."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from conformance.bundled_mock import free_port


@contextmanager
def serving(app: object, *, lifespan: str = "off") -> Iterator[str]:
    """Yield the base URL while ``app`` answers on it; stop the server afterwards."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", access_log=False,
                                           lifespan=lifespan))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the in-process server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_until_answering(process: subprocess.Popen, url: str, *, what: str, log: Path, timeout: float,
                         ready: Callable[[httpx.Response], bool] = lambda response: True) -> None:
    """Return once ``url`` answers as ``ready`` wants (any answer by default); raise, with the end of ``log``, if
    ``process`` (``what``) exits first, or if ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if ready(httpx.get(url, timeout=2)):
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not answer {url} in {timeout:.0f} s")
        time.sleep(0.05)
