"""The bench's Prism install is bounded in time and, when it fails, says why (npm's own error, or the deadline),
instead of hanging for minutes and then blaming node."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.npm_install import install_prism

needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed here")


@pytest.fixture
def isolated_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No cache or user config of this machine can answer for the registry under test."""
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    monkeypatch.setenv("npm_config_userconfig", str(tmp_path / "npmrc"))
    for name in ("npm_config_fetch_retries", "NPM_CONFIG_FETCH_RETRIES", "npm_config_fetch_timeout",
                 "NPM_CONFIG_FETCH_TIMEOUT", "npm_config_offline", "NPM_CONFIG_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "prefix"


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_registry() -> Iterator[int]:
    """A port that accepts connections and never answers: a proxy that swallows requests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


@needs_npm
def test_an_unreachable_registry_fails_fast_naming_npms_error(isolated_npm: Path, closed_port: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{closed_port}/")
    started = time.monotonic()
    installed = install_prism(isolated_npm, timeout=60)
    elapsed = time.monotonic() - started
    assert installed.binary is None
    assert "ECONNREFUSED" in installed.reason, installed.reason
    assert "npm install @stoplight/prism-cli@" in installed.reason
    assert elapsed < 60, f"npm kept retrying for {elapsed:.0f} s"


@needs_npm
def test_a_registry_that_never_answers_is_given_up_at_the_deadline(isolated_npm: Path, silent_registry: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{silent_registry}/")
    started = time.monotonic()
    installed = install_prism(isolated_npm, timeout=4)
    elapsed = time.monotonic() - started
    assert installed.binary is None
    assert "did not finish within 4 s" in installed.reason and "HTTPS_PROXY" in installed.reason
    assert elapsed < 4 + 12  # the deadline, plus the grace stop_process gives before SIGKILL


def test_without_npm_the_reason_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    installed = install_prism(tmp_path / "prefix")
    assert installed.binary is None
    assert installed.reason == "npm is not installed (not found on PATH)"


def test_the_users_npm_settings_win_over_the_bounds(isolated_npm: Path, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    # A fake npm that prints the settings it was started with, then fails.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "npm").write_text("#!/bin/sh\nenv | grep -i '^npm_config_fetch' | sort\nexit 3\n")
    (fake / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    monkeypatch.setenv("NPM_CONFIG_FETCH_RETRIES", "5")
    installed = install_prism(isolated_npm, timeout=30)
    assert "failed with exit code 3" in installed.reason
    assert "npm_config_fetch_retries=5" in installed.reason
    assert "npm_config_fetch_timeout=60000" in installed.reason
    assert "NPM_CONFIG_FETCH_RETRIES" not in installed.reason
