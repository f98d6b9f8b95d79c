"""Start the mock as a real process on a free loopback port, and stop it by its PID."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from conformance.bundled_mock import free_port, running_mock_process

__all__ = ["free_port", "running_mock"]


@contextmanager
def running_mock(args: Sequence[str] = (), *, timeout: float = 30.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (base URL, process) once the mock answers; its stdout (the start-up banner) stays readable."""
    with running_mock_process(args, stdout=subprocess.PIPE, timeout=timeout) as running:
        yield running
