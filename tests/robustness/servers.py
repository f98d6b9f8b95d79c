"""A real mock process for tests whose flags close the control API, so readiness cannot be its health route."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from conformance.bundled_mock import running_mock_process


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError("no VmRSS")


def mock_process(args: Sequence[str] = (), *,
                 timeout: float = 60.0) -> AbstractContextManager[tuple[str, subprocess.Popen]]:
    """Yield (base URL, process) once the mock answers; stop it by its PID afterwards (the suite's own starter)."""
    return running_mock_process(args, timeout=timeout)
