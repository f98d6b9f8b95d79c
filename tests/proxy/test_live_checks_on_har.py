"""``python -m conformance.traffic FILE.har`` runs the live checks too: a HAR recorded by a frontend talking straight to
a broken backend shows what the proxy would have shown, in the order of the recording's timestamps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conformance.contract_validation import ContractValidator
from conformance.live import LIVE_CHECKS
from conformance.traffic import judge_entries, read_har
from conformance.traffic.__main__ import main
from tests.conformance.breakage import Breakage, BreakingMiddleware
from tests.proxy.backend_variants import broken, legitimate
from tests.proxy.live_traffic import HarRecorder, client_call, frontend_session

LIVE = {check.__name__ for check in LIVE_CHECKS}
# One of each kind: request-aware, memory-aware, and one only exclusive tenants can tell.
SAMPLE = ["Garuda filters combine with OR", "Garuda DELETE keeps the session", "subscription created moves on update",
          "Garuda PATCH answered but not stored"]


def record(backend: BreakingMiddleware, breakage: Breakage, path: Path) -> Path:
    backend.app.state.reset()  # type: ignore[attr-defined]
    backend.breakage = breakage
    with TestClient(backend) as client:
        recorder = HarRecorder(client_call(client))
        frontend_session(recorder)
    return recorder.write(path)


def live_checks_in(har: Path, validator: ContractValidator, *, exclusive: bool = False) -> list[dict[str, Any]]:
    report = judge_entries(read_har(har), validator, exclusive_tenants=exclusive)
    return [v for v in report.violations() if v["check"] in LIVE]


@pytest.mark.parametrize("name", SAMPLE)
def test_a_recording_of_a_broken_backend_shows_the_same_live_violations_as_the_proxy(
        name: str, varied_mock: BreakingMiddleware, validator: ContractValidator, tmp_path: Path) -> None:
    breakage, expected, exclusive = broken("unused")[name]
    found = live_checks_in(record(varied_mock, breakage, tmp_path / "broken.har"), validator, exclusive=exclusive)
    assert {v["check"] for v in found} >= expected
    for violation in (v for v in found if v["check"] in expected):
        assert violation["blame"] == "backend" and violation["seed"]
        assert violation["calls"][-1]["entry"] == violation["entry"]
        assert all(call["entry"] < violation["entry"] for call in violation["calls"][:-1])


@pytest.mark.parametrize("name", ["the mock", "410 after delete", "Garuda times as digit strings"])
def test_a_recording_of_a_legitimate_backend_shows_no_live_violation(
        name: str, varied_mock: BreakingMiddleware, validator: ContractValidator, tmp_path: Path) -> None:
    har = record(varied_mock, legitimate()[name], tmp_path / "good.har")
    assert live_checks_in(har, validator, exclusive=True) == []


def test_without_timestamps_the_entries_are_taken_in_file_order(varied_mock: BreakingMiddleware,
                                                                validator: ContractValidator, tmp_path: Path) -> None:
    har = record(varied_mock, broken("unused")["Garuda DELETE keeps the session"][0], tmp_path / "broken.har")
    document = json.loads(har.read_text())
    for entry in document["log"]["entries"]:
        del entry["startedDateTime"]
    har.write_text(json.dumps(document))
    assert "deleted_session_stays_deleted" in {v["check"] for v in live_checks_in(har, validator)}


def test_a_sanitised_recording_skips_the_credential_checks_and_says_so(
        varied_mock: BreakingMiddleware, validator: ContractValidator, tmp_path: Path) -> None:
    har = record(varied_mock, legitimate()["the mock"], tmp_path / "sanitised.har")
    document = json.loads(har.read_text())
    for entry in document["log"]["entries"]:
        entry["request"]["headers"] = [h for h in entry["request"]["headers"]
                                       if h["name"].lower() not in ("authorization", "x-api-key")]
    har.write_text(json.dumps(document))
    report = judge_entries(read_har(har), validator)
    assert not report.credentials_recorded
    assert [v for v in report.violations() if v["check"] in LIVE] == []
    assert "no credentials recorded" in report.as_text()


def test_the_command_names_the_earlier_call_and_the_seed(varied_mock: BreakingMiddleware, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    har = record(varied_mock, broken("unused")["Garuda second DELETE answers 200"][0], tmp_path / "broken.har")
    assert main([str(har)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "deleted_session_stays_deleted" in line)
    follows = out.splitlines()[out.splitlines().index(line) + 1]
    assert "contradicting #" in follows and "DELETE /v2/flight_sessions/" in follows and "seed:" in follows
    done = subprocess.run([sys.executable, "-m", "conformance.traffic", str(har), "--json", "--exclusive-tenants"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "deleted_session_stays_deleted" in {v["check"] for v in json.loads(done.stdout)["violations"]}
