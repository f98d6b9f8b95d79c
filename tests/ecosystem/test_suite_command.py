"""``flight-conformance`` (and ``python -m conformance``, the same command): short option names translated to the
plugin's, a proper --help, and exit codes a CI script can act on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api_contract import API_NAMES
from conformance.cli import Exit
from conformance.options import API_CHOICES, BY_NAME, OPTIONS, PROFILE_CHOICES, command_args, pytest_args
from conformance.profiles import PROFILES
from mock_server.app import MockApp
from tests.ecosystem.conftest import QUICK, operations_seen

COMMAND = shutil.which("flight-conformance", path=str(Path(sys.executable).parent))


def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    assert COMMAND is not None, "the flight-conformance console script is not installed beside this Python"
    # One process unless a test asks otherwise: workers cost more to start than a few checks take.
    jobs = [] if any(arg.startswith("--jobs") for arg in args) else ["--jobs", "1"]
    return subprocess.run([COMMAND, "-p", "no:randomly", *jobs, *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def test_the_console_script_is_installed() -> None:
    assert COMMAND is not None


def test_help_lists_every_option_and_the_exit_codes() -> None:
    shown = run("--help")
    assert shown.returncode == 0
    for option in OPTIONS:
        assert f"  {option.flag}" in shown.stdout, option.flag
    assert "--conformance-api" not in shown.stdout  # the command's own, short names
    for code in Exit:
        assert f"  {code.value:d}  " in shown.stdout
    assert "exit codes:" in shown.stdout and "-- pytest args" in shown.stdout


def test_version_names_the_package() -> None:
    shown = run("--version")
    assert shown.returncode == 0 and shown.stdout.startswith("flight-conformance ")


def test_the_choices_are_the_projects() -> None:
    assert tuple(API_NAMES) == API_CHOICES
    assert tuple(PROFILES) == PROFILE_CHOICES


def test_short_names_become_the_plugins_namespaced_flags() -> None:
    given = {"base-url": "http://h", "api": ["garuda", "flightsayer"], "read-only": True, "webhook-port": 0,
             "webhook-wait": 3.0, "conformance-config": Path("/c.yaml"), "webhook-quiet": None}
    assert pytest_args(given) == ["--base-url", "http://h", "--conformance-api", "garuda", "--conformance-api",
                                  "flightsayer", "--conformance-read-only", "--conformance-webhook-port", "0",
                                  "--conformance-webhook-wait", "3.0", "--conformance-config", "/c.yaml"]
    assert command_args(given)[:6] == ["--base-url", "http://h", "--api", "garuda", "--api", "flightsayer"]
    assert command_args({"webhook-trigger-cmd": "-x {flight_id}"}) == ["--webhook-trigger-cmd=-x {flight_id}"]
    assert BY_NAME["hypothesis-profile"].pytest_flag == "--hypothesis-profile"


def test_the_selection_options_reach_the_plugin() -> None:
    shown = run("--api", "garuda", "--read-only", "--collect-only", "-q")
    assert shown.returncode == 0, shown.stdout[-2000:]
    collected = [line for line in shown.stdout.splitlines() if "::" in line]
    assert collected and all("garuda" in line for line in collected)
    assert not any("test_webhook" in line or "stateful" in line for line in collected)


def test_the_suite_passes_against_a_backend_and_exits_zero(served_url: str, config_file: Path,
                                                           served_app: MockApp) -> None:
    served_app.control.journal.clear()
    shown = run("--base-url", served_url, "--conformance-config", str(config_file), "--api", "flightsayer",
                "--read-only", *QUICK)
    assert shown.returncode == Exit.PASSED, shown.stdout[-3000:]
    assert "1 passed" in shown.stdout
    assert "searchFlights" in operations_seen(served_app)


def test_everything_after_a_double_dash_goes_to_pytest(served_url: str, config_file: Path) -> None:
    shown = run("--base-url", served_url, "--conformance-config", str(config_file), "--", "-k",
                "no_check_is_called_this")
    assert shown.returncode == Exit.NOTHING_RAN, shown.stdout[-2000:]


@pytest.mark.parametrize("args", [["--api", "bogus"], ["--base-url", "staging.example.com"], ["--no-such-option"],
                                  ["--webhook-wait", "-1"]])
def test_a_usage_error_exits_2(args: list[str]) -> None:
    shown = run(*args, "--collect-only", "-q")
    assert shown.returncode == Exit.USAGE, shown.stdout[-2000:] + shown.stderr[-2000:]


@pytest.mark.parametrize(("content", "says"), [(None, "No such file"), ("garuda: [unclosed", "not valid YAML"),
                                               ("- a list", "must be a YAML mapping")])
def test_a_bad_config_file_exits_3_naming_it(tmp_path: Path, content: str | None, says: str) -> None:
    path = tmp_path / "creds.yaml"
    if content is not None:
        path.write_text(content)
    shown = run("--conformance-config", "creds.yaml", cwd=tmp_path)
    assert shown.returncode == Exit.CONFIG
    assert str(path) in shown.stderr and says in shown.stderr, shown.stderr
