"""The plugin is loaded by every pytest run of the environment (pytest11 entry point), beside pytest-base-url: it
adds only namespaced options, takes the backend from pytest-base-url (its option, ``base_url`` ini value and
``PYTEST_BASE_URL``), and stays silent in runs that are not the suite's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.options import OPTIONS
from mock_server.app import MockApp
from tests.ecosystem.conftest import QUICK, operations_seen


def pytest_run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd, env={**os.environ, **(env or {})})


def declared(help_text: str) -> set[str]:
    return set(re.findall(r"^\s+(--[a-z][a-z-]*)", help_text, flags=re.MULTILINE))


def test_pytest_help_lists_the_namespaced_options_beside_pytest_base_urls(tmp_path: Path) -> None:
    shown = pytest_run("--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr[-2000:]
    flags = declared(shown.stdout)
    assert {"--base-url", "--verify-base-url"} <= flags  # pytest-base-url's
    assert {option.pytest_flag for option in OPTIONS} <= flags
    ours = {option.pytest_flag for option in OPTIONS if option.owner is None}
    assert all(flag.startswith("--conformance-") for flag in ours)
    assert not {"--api", "--read-only", "--webhook-host", "--webhook-port"} & flags


@pytest.mark.parametrize("how", ["ini", "environment"])
def test_the_suite_takes_the_backend_from_pytest_base_url(how: str, served_url: str, config_file: Path,
                                                          served_app: MockApp, tmp_path: Path) -> None:
    served_app.control.journal.clear()
    given = ["-o", f"base_url={served_url}"] if how == "ini" else []
    env = {"PYTEST_BASE_URL": served_url} if how == "environment" else {}
    shown = pytest_run("--pyargs", "conformance.suite", *given, "--conformance-config", str(config_file),
                       "--conformance-api", "flightsayer", "--conformance-read-only", *QUICK, cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stdout[-3000:]
    assert f"baseurl: {served_url}" in shown.stdout
    assert f"conformance: --conformance-config {config_file} --conformance-api flightsayer --conformance-read-only" \
        in shown.stdout
    assert "searchFlights" in operations_seen(served_app)


def test_a_foreign_pytest_run_keeps_its_base_url_and_sees_nothing_of_the_suite(tmp_path: Path) -> None:
    # A frontend team's browser tests: their --base-url is their app's, and nothing of the suite runs or prints.
    (tmp_path / "test_theirs.py").write_text(
        "def test_theirs(base_url):\n    assert base_url == 'http://frontend.example:3000'\n")
    shown = pytest_run("-q", "--base-url", "http://frontend.example:3000", cwd=tmp_path)
    assert shown.returncode == 0, shown.stdout[-2000:]
    assert "conformance" not in shown.stdout


def test_a_missing_config_file_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    shown = pytest_run("--pyargs", "conformance.suite", "--conformance-config", "missing.yaml", "--collect-only",
                       cwd=tmp_path)
    assert shown.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--conformance-config missing.yaml" in shown.stderr
