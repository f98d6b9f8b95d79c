"""``python -m conformance`` end to end: exit code, failure report, and the bundled-mock mode."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.cli import Exit
from tests.conformance.breakage import Breakage, BreakingMiddleware, Exchange
from tests.conformance.variant_server import SUITE_ARGS


def run_suite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "--jobs", "1", *SUITE_ARGS,
                           *args], capture_output=True, text=True, timeout=600)


@pytest.fixture
def config_file(tmp_path: Path, mock_config: dict[str, Any]) -> Path:
    path = tmp_path / "conformance.yaml"
    path.write_text(yaml.safe_dump(mock_config))
    return path


def times_as_dates(x: Exchange) -> None:
    """Epoch milliseconds answered as ISO dates: neither reading of the seed ("String", or the integer examples)."""
    if x.path.startswith("/v2/flight_sessions") and x.status == 200 and isinstance(x.response, dict):
        sessions = x.response["data"] if isinstance(x.response["data"], list) else [x.response["data"]]
        for session in sessions:
            when = datetime.fromtimestamp(session["start_date_time"] / 1000, UTC)
            session["start_date_time"] = when.isoformat()


def test_suite_passes_against_the_mock_and_exits_zero(broken_base_url: str, config_file: Path, mock_app: Any) -> None:
    mock_app.state.reset()
    result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config_file))
    assert result.returncode == 0, result.stdout[-6000:]


def test_schemathesis_and_scenario_checks_fail_when_garuda_sends_times_as_dates(
        broken_base_url: str, breaking: BreakingMiddleware, config_file: Path, mock_app: Any) -> None:
    mock_app.state.reset()
    breaking.breakage = Breakage("dates", response=times_as_dates)
    try:
        result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config_file), "--api", "garuda")
    finally:
        breaking.breakage = Breakage("none")
    assert result.returncode == 1
    assert "test_garuda_reads_conform_to_schema" in result.stdout  # schemathesis's response_schema_conformance
    assert "check:    created_session_reads_back_equal" in result.stdout
    assert "seed:     \"" in result.stdout and "reproduce: curl -X POST" in result.stdout
    assert "Bearer garuda-demo-token-acme" in result.stdout  # the user's own credentials, replayable


def test_missing_config_keys_skip_with_the_key_named(broken_base_url: str, tmp_path: Path,
                                                       mock_config: dict[str, Any]) -> None:
    partial = {"garuda": {k: v for k, v in mock_config["garuda"].items() if k != "other_company"}}
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(partial))
    result = run_suite("--base-url", broken_base_url, "--conformance-config", str(path), "--api", "garuda", "-rs",
                       "-k", "other_companys")
    assert result.returncode == Exit.NOTHING_CHECKED, result.stdout[-3000:]  # every selected check was skipped
    assert "needs garuda.other_company.token" in result.stdout or "needs garuda.other_company" in result.stdout


def test_suite_starts_the_bundled_mock_without_a_base_url() -> None:
    result = run_suite("--api", "flightsayer", "--read-only", "-k", "malformed or order")
    assert result.returncode == 0, result.stdout[-3000:]


def test_stateful_sequences_fail_when_garuda_sends_times_as_dates(
        broken_base_url: str, breaking: BreakingMiddleware, config_file: Path, mock_app: Any) -> None:
    mock_app.state.reset()
    breaking.breakage = Breakage("dates", response=times_as_dates)
    try:
        result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config_file), "--api", "garuda",
                           "-k", "stateful")
    finally:
        breaking.breakage = Breakage("none")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "test_garuda_stateful_sequences_conform" in result.stdout


def test_the_suite_runs_as_a_plain_pytest_plugin(broken_base_url: str, config_file: Path, tmp_path: Path,
                                                 mock_app: Any) -> None:
    mock_app.state.reset()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--base-url",
                             broken_base_url, "--conformance-config", str(config_file), "--pyargs",
                             "conformance.suite", "--conformance-api", "flightsayer", "--conformance-read-only"],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]


def crash_without_a_token(x: Exchange) -> None:
    """A request without credentials crashes the backend instead of being refused: no 2xx, but no refusal either."""
    if x.path.startswith(("/flights/", "/subscriptions")) and "authorization" not in x.headers:
        x.status, x.response_headers, x.response = 500, {"content-type": "application/json"}, {"detail": "boom"}


def search_crashes_on_an_arrival_filter(x: Exchange) -> None:
    if x.path.startswith("/flights/v1/search") and "arrival_airport" in x.query:
        x.status, x.response = 500, {"detail": "boom"}


@pytest.mark.parametrize(("breakage", "selection", "reported"), [
    (Breakage("crash", request=crash_without_a_token), "invalid_requests",
     "Missing required header accepted"),
    (Breakage("crash", request=search_crashes_on_an_arrival_filter), "flightsayer_reads_conform", "Server error"),
])
def test_schemathesis_checks_fail_a_backend_that_breaks_them(breakage: Breakage, selection: str, reported: str,
                                                               broken_base_url: str, breaking: BreakingMiddleware,
                                                               config_file: Path, mock_app: Any) -> None:
    mock_app.state.reset()
    breaking.breakage = breakage
    try:
        result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config_file), "--api",
                           "flightsayer", "-k", selection)
    finally:
        breaking.breakage = Breakage("none")
    assert result.returncode == 1, result.stdout[-3000:]
    assert reported in result.stdout


def test_read_only_runs_no_generated_write() -> None:
    # schemathesis's include(method="GET") keeps every operation: a read-only run must still send no write.
    listed = subprocess.run([sys.executable, "-m", "conformance", "--read-only", "--collect-only", "--jobs", "1",
                             "-p", "no:randomly"], capture_output=True, text=True, timeout=300).stdout
    generated = [line.strip() for line in listed.splitlines() if "SchemathesisFunction" in line]
    assert generated and all("[GET /" in line for line in generated), generated


def test_the_rate_limit_spaces_every_request_of_a_run(broken_base_url: str, config_file: Path, mock_app: Any) -> None:
    mock_app.state.reset()
    mock_app.control.journal.clear()
    result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config_file), "--api",
                       "flightsayer", "--rate-limit", "8", "-k", "search_order_is_stable or status_endpoint")
    assert result.returncode == 0, result.stdout[-3000:]
    arrived = sorted(datetime.fromisoformat(entry.time.replace("Z", "+00:00"))
                     for entry in mock_app.control.journal.entries())
    seconds = [(at - arrived[0]).total_seconds() for at in arrived]
    assert len(seconds) >= 8
    # Requests leave 1/8 s apart; arriving, one may be held up a little and crowd the next, never the whole run.
    assert seconds[-1] >= (len(seconds) - 1) / 8 - 0.05
    assert max(sum(1 for later in seconds if at <= later < at + 1) for at in seconds) <= 8 + 1
