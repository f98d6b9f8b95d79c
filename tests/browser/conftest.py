"""What the browser tests need: Debian's Chromium (``.ci/run`` installs it) and playwright-core from npm, kept in
``.tox/browser`` (git-ignored, outside the package), installed on first use."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".tox" / "browser"
PLAYWRIGHT_CORE_VERSION = "1.65.1"  # only the driver: it downloads no browser, and drives the system's Chromium
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _missing(what: str) -> None:
    # CI installs everything these tests need, so there a missing tool is a failure, not a skip.
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is missing (Debian: apt-get install chromium; npm for playwright-core)")


@pytest.fixture(scope="session")
def playwright_core() -> Path:
    """The playwright-core package folder, installed into the cache with npm if it is not there yet."""
    package = Path(os.environ.get("PLAYWRIGHT_CORE", CACHE / "node_modules" / "playwright-core"))
    if not (package / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                        f"playwright-core@{PLAYWRIGHT_CORE_VERSION}"], check=True, timeout=300,
                       stdout=subprocess.DEVNULL)
    return package


@pytest.fixture(scope="session")
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Chromium ({CHROMIUM})")
    if shutil.which("node") is None:
        _missing("node")
    return CHROMIUM
