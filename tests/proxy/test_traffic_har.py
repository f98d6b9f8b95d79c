"""``python -m conformance.traffic``: recorded traffic is judged as the proxy judges live traffic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.contract_validation import ContractValidator
from conformance.traffic import judge_entries, read_har
from conformance.traffic.__main__ import main

SESSION_HAR = Path(__file__).parent.parent / "fixtures" / "traffic" / "session.har"
# The fixture's entries that break the contract: a date for epoch milliseconds (the frontend), an undocumented 500
# and a distribution summing to 1.5 (the backend). Everything else is good, a CORS preflight or a static asset.
BAD_ENTRIES = [(1, "request", "request-body"), (3, "response", "undocumented-status"),
               (6, "response", "distribution_sums_to_one")]


def test_the_report_lists_exactly_the_bad_entries(validator: ContractValidator) -> None:
    report = judge_entries(read_har(SESSION_HAR), validator)
    assert [(v["entry"], v["side"], v["check"]) for v in report.violations()] == BAD_ENTRIES
    assert report.ignored == 2  # the preflight and the asset


def test_the_summary_counts_requests_and_each_sides_violations_per_operation(validator: ContractValidator) -> None:
    rows = {r["operation"]: r for r in judge_entries(read_har(SESSION_HAR), validator).summary()}
    assert rows["createFlightSession"] == {"operation": "createFlightSession", "requests": 2,
                                           "request_violations": 1, "response_violations": 0}
    assert rows["getFlightStatus"]["response_violations"] == 1
    assert rows["searchFlights"] == {"operation": "searchFlights", "requests": 1, "request_violations": 0,
                                     "response_violations": 0}  # its body is base64 in the HAR


def test_the_command_exits_1_and_prints_the_table_and_violations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SESSION_HAR)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["operation", "requests", "request", "violations", "response",
                                           "violations"]
    assert "#1 POST" in out and "#3 GET" in out and "#6 GET" in out and "#5 GET" not in out


def test_a_har_without_violations_exits_0(tmp_path: Path) -> None:
    document = json.loads(SESSION_HAR.read_text())
    document["log"]["entries"] = [e for i, e in enumerate(document["log"]["entries"]) if i not in (1, 3, 6)]
    clean = tmp_path / "clean.har"
    clean.write_text(json.dumps(document))
    done = subprocess.run([sys.executable, "-m", "conformance.traffic", str(clean), "--json"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["violations"] == []
