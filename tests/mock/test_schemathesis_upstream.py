"""Upstream `schemathesis run`, every check, both specs, real credentials, against a real mock process.

This is what a team would run before trusting the mock: if schemathesis finds the mock breaking its own contract
(undocumented status, wrong schema, a 5xx, auth ignored...), this fails and prints schemathesis's report.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api_contract import load_spec
from tests.mock.live_server import running_mock

# Enough to exercise every phase on every operation within CI's budget; raise it for a deeper run.
MAX_EXAMPLES = os.environ.get("MOCK_SCHEMATHESIS_MAX_EXAMPLES", "30")

CONFIG = Path(__file__).with_name("schemathesis.toml")
CREDENTIALS = {
    "garuda": ["-H", "Authorization: Bearer garuda-demo-token-acme", "-H", "X-API-Key: garuda-demo-key-acme"],
    "flightsayer": ["-H", "Authorization: Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b"],
}


def mock_spec_file(api: str, folder: Path) -> Path:
    """The spec as the mock implements it (the contract with the mock's ``x-mock`` choices applied), for tools that
    read a file: the mock is held to everything it documents, not only to the contract."""
    path = folder / f"{api}.mock.json"
    path.write_text(json.dumps(load_spec(api, "mock")), encoding="utf-8")
    return path


@pytest.mark.parametrize("api", ["garuda", "flightsayer"])
def test_schemathesis_finds_no_failure_in_the_mock(api: str, tmp_path: Path) -> None:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    with running_mock() as (base, _):
        result = subprocess.run(
            [str(schemathesis), "--no-color", "--config-file", str(CONFIG), "run", str(mock_spec_file(api, tmp_path)),
             "--url", base,
             *CREDENTIALS[api], "--checks", "all", "--max-examples", MAX_EXAMPLES, "--seed", "1", "--workers", "1"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
    summary = "\n".join(line for line in result.stdout.splitlines() if re.search(r"passed|failed|error", line, re.I))
    print(summary)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
