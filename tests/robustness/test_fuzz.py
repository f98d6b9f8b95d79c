"""Upstream ``schemathesis run`` with every check on, both specs, against a real mock: no failure and no 5xx.

The budget is ``ROBUSTNESS_FUZZ_EXAMPLES`` (examples per operation; small by default so the suite stays quick).
``ROBUSTNESS_FUZZ_EXAMPLES=1000`` sends about 11 700 requests (7 minutes). Requests and 5xx are counted from
schemathesis's HAR report, and cross-checked with the mock's own request journal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.mock.live_server import running_mock
from tests.mock.test_schemathesis_upstream import CONFIG, CREDENTIALS, mock_spec_file

EXAMPLES = os.environ.get("ROBUSTNESS_FUZZ_EXAMPLES", "5")
JOURNAL_SIZE = 500_000


def fuzz(api: str, base: str, workdir: Path) -> tuple[subprocess.CompletedProcess, list[int]]:
    """Run schemathesis against ``api``; return its result and the status of every request it sent."""
    har = workdir / f"{api}.har"
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(schemathesis), "--no-color", "--config-file", str(CONFIG), "run", str(mock_spec_file(api, workdir)),
         "--url", base,
         *CREDENTIALS[api], "--checks", "all", "--max-examples", EXAMPLES, "--seed", "1", "--workers", "1",
         "--report", "har", "--report-har-path", str(har)],
        capture_output=True, text=True, timeout=3600, cwd=workdir,
    )
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"] if har.exists() else []
    return result, [entry["response"]["status"] for entry in entries]


def test_fuzzing_both_apis_finds_no_failure_and_no_5xx(tmp_path: Path) -> None:
    with running_mock(["--journal-size", str(JOURNAL_SIZE)]) as (base, _):
        runs = {api: fuzz(api, base, tmp_path) for api in ("garuda", "flightsayer")}
        journal = httpx.get(f"{base}/_mock/requests", timeout=60).json()
    statuses = [status for _, sent in runs.values() for status in sent]
    server_errors = [status for status in statuses if status >= 500]
    journal_errors = [entry for entry in journal["requests"] if (entry["status"] or 0) >= 500]
    print(f"\nfuzzed {len(statuses)} requests ({EXAMPLES} examples per operation), 5xx seen: {len(server_errors)}; "
          f"mock journal: {len(journal['requests'])} requests, {len(journal_errors)} 5xx")
    for api, (result, _) in runs.items():
        assert result.returncode == 0, f"{api}:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
    assert statuses, "schemathesis sent nothing (no HAR report?)"
    assert server_errors == [] and journal_errors == []


@pytest.mark.parametrize("api", ["garuda", "flightsayer"])
def test_the_fuzz_credentials_are_the_bundled_ones(api: str) -> None:
    assert any("Authorization" in part for part in CREDENTIALS[api])
