"""``tox -e conformance --base-url URL --conformance-config FILE`` (no ``--``), through ``toxfile.py``; the ``--``
form keeps working. Runs the real tox on the project's ``conformance`` environment: created or brought up to date
once, then reused with ``--skip-pkg-install``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.options import OPTIONS
from mock_server.app import MockApp
from tests.ecosystem.conftest import QUICK, operations_seen

ROOT = Path(__file__).resolve().parents[2]


def tox(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # Not the variables of a tox run this test may itself be in (TOX_WORK_DIR would be read as --workdir).
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("TOX_") and name not in {"VIRTUAL_ENV", "PYTEST_ADDOPTS", "PYTEST_BASE_URL"}}
    return subprocess.run([sys.executable, "-m", "tox", "-c", str(ROOT), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def conformance_env(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The conformance environment, with the package as it is now (the first time: a full install)."""
    made = tox("-e", "conformance", "--notest", cwd=tmp_path_factory.mktemp("tox"), timeout=600)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]


def test_tox_help_lists_the_suites_options(tmp_path: Path) -> None:
    shown = tox("--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr[-2000:]
    for option in OPTIONS:
        assert option.flag in shown.stdout, option.flag


def test_tox_refuses_a_bad_value_before_running_anything(tmp_path: Path) -> None:
    shown = tox("-e", "conformance", "--api", "bogus", cwd=tmp_path)
    assert shown.returncode == 2
    assert "invalid choice: 'bogus'" in shown.stderr


def _assert_ran_against(shown: subprocess.CompletedProcess[str], url: str, config: Path, app: MockApp) -> None:
    assert shown.returncode == 0, shown.stdout[-4000:] + shown.stderr[-2000:]
    assert f"baseurl: {url}" in shown.stdout
    assert f"conformance: --conformance-config {config} --conformance-api flightsayer --conformance-read-only" \
        in shown.stdout
    assert "1 passed" in shown.stdout
    assert "searchFlights" in operations_seen(app)


def test_the_suites_options_go_straight_to_tox(conformance_env: None, served_url: str, config_file: Path,
                                               served_app: MockApp) -> None:
    served_app.control.journal.clear()
    # As in a CI job: tox started elsewhere (-c), the config path relative to where it was started.
    shown = tox("-e", "conformance", "--skip-pkg-install", "--base-url", served_url, "--conformance-config",
                config_file.name, "--api", "flightsayer", "--read-only", "--jobs", "1", "--", *QUICK,
                cwd=config_file.parent)
    _assert_ran_against(shown, served_url, config_file, served_app)


def test_the_suites_options_after_a_double_dash_still_work(conformance_env: None, served_url: str,
                                                           config_file: Path, served_app: MockApp,
                                                           tmp_path: Path) -> None:
    served_app.control.journal.clear()
    shown = tox("-e", "conformance", "--skip-pkg-install", "--", "--base-url", served_url, "--conformance-config",
                str(config_file), "--api", "flightsayer", "--read-only", "--jobs", "1", *QUICK, cwd=tmp_path)
    _assert_ran_against(shown, served_url, config_file, served_app)


def test_an_environment_that_does_not_run_the_suite_says_it_ignores_its_options(tmp_path: Path) -> None:
    shown = tox("-e", "lint", "--base-url", "http://127.0.0.1:9", cwd=tmp_path)
    assert shown.returncode == 0, shown.stdout[-2000:]
    said = shown.stdout + shown.stderr
    assert "lint: runs no flight-conformance, so it ignores --base-url http://127.0.0.1:9" in said
