"""The bench's tools from npm (Prism, autocannon), installed once under ``bench/node_modules``, bounded in time, and
saying why when they cannot be.

Behind a proxy (or its CA) that npm was not told about, npm retries every request for about 70 s and waits up to
5 minutes for each answer: the benchmark looked hung, then said "node/npm not available". Here npm gets one retry and
short fetch timeouts unless the user's own npm settings say otherwise (``npm_config_*`` in the environment win), the
whole install a deadline after which its process group is stopped, and a failure comes back with npm's own last error
lines, or the deadline, for the benchmark to print.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conformance.bundled_mock import stop_process

PRISM_VERSION = "5.16.0"
AUTOCANNON_VERSION = "9.0.0"
INSTALL_SECONDS = 300.0
# npm's defaults are 2 retries, 10-60 s apart, and 5 minutes per request; the user's npm_config_* settings win.
NPM_BOUNDS = {"npm_config_fetch_retries": "1", "npm_config_fetch_retry_mintimeout": "2000",
              "npm_config_fetch_retry_maxtimeout": "10000", "npm_config_fetch_timeout": "60000"}
PROXY_HINT = ("behind a proxy, set HTTPS_PROXY (or npm_config_https_proxy), and NODE_EXTRA_CA_CERTS or "
              "npm_config_cafile for its CA")


@dataclass(frozen=True)
class NpmInstall:
    binary: Path | None
    reason: str = ""  # why there is no binary


def install_prism(prefix: Path, *, timeout: float = INSTALL_SECONDS, version: str = PRISM_VERSION) -> NpmInstall:
    """Prism under ``prefix``: found there, or installed with npm within ``timeout`` seconds."""
    return install_from_npm(prefix, f"@stoplight/prism-cli@{version}", "prism", timeout=timeout)


def install_autocannon(prefix: Path, *, timeout: float = INSTALL_SECONDS,
                       version: str = AUTOCANNON_VERSION) -> NpmInstall:
    """autocannon (the load generator Fastify's benchmarks use) under ``prefix``, as Prism is."""
    return install_from_npm(prefix, f"autocannon@{version}", "autocannon", timeout=timeout)


def install_from_npm(prefix: Path, package: str, binary_name: str, *, timeout: float) -> NpmInstall:
    """``package`` under ``prefix``: its ``binary_name`` found there, or installed with npm within ``timeout`` s."""
    binary = prefix / "node_modules" / ".bin" / binary_name
    if binary.exists():
        return NpmInstall(binary)
    npm = shutil.which("npm")
    if npm is None:
        return NpmInstall(None, "npm is not installed (not found on PATH)")
    environment = {**NPM_BOUNDS, **_npm_settings(os.environ)}
    command = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-progress", package]
    with tempfile.TemporaryFile(mode="w+") as output:  # a file, not a pipe: nobody reads while npm runs
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   env=environment, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_process(process, group=True)  # npm's children go too
            output.seek(0)
            return NpmInstall(None, f"npm install {package} did not finish within {timeout:g} s, stopped "
                                      f"({PROXY_HINT}){_last_lines(output.read())}")
        output.seek(0)
        printed = output.read()
    if code != 0:
        return NpmInstall(None, f"npm install {package} failed with exit code {code}{_last_lines(printed)}")
    if not binary.exists():
        return NpmInstall(None, f"npm install {package} succeeded but {binary} is missing")
    return NpmInstall(binary)


def _npm_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment, with npm's settings in the lower-case spelling npm documents (so ours do not shadow them)."""
    return {(name.lower() if name.lower().startswith("npm_config_") else name): value
            for name, value in environ.items()}


def _last_lines(printed: str, count: int = 8) -> str:
    """npm's error summary (``npm error ...``, ``npm ERR! ...`` before npm 10) without the stack trace and the error
    object's dump; else the last lines printed."""
    summary = []
    for line in printed.splitlines():
        for prefix in ("npm error", "npm ERR!"):
            if line.startswith(prefix):
                text = line[len(prefix):]
                if text.strip() and not text.startswith(("  ", "\t")) and text.strip() != "}":
                    summary.append(text.strip())
    lines = summary or [line.strip() for line in printed.splitlines() if line.strip()]
    return (": " + " | ".join(lines[-count:])) if lines else ""
