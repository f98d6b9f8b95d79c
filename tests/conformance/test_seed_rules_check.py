"""The seed rules run on schemathesis's own traffic: they pass on the mock and catch what no schema can see."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from api_contract import load_spec
from api_contract.examples import iter_examples
from conformance.checks.seed_rules import answer_violations
from tests.conformance.breakage import Breakage, BreakingMiddleware
from tests.conformance.broken_variants import _local_time_id, _on_statuses
from tests.conformance.test_runner import run_suite

STATUS = next(e.value for e in iter_examples(load_spec("flightsayer"))
              if e.operation == "getFlightStatus" and e.where == "response 200")


def test_answer_violations_pass_the_spec_examples() -> None:
    for api in ("garuda", "flightsayer"):
        for example in iter_examples(load_spec(api)):
            if not example.where.startswith("response"):
                continue
            path = "/v2/flight_sessions" if api == "garuda" else "/flights/v1/search"
            status = int(example.where.split()[1])
            assert answer_violations(example.operation, path, status, example.value) == [], example


@pytest.mark.parametrize(("operation", "path", "status", "body", "check"), [
    ("getFlightStatus", "/flights/v1/status/X", 200,
     {**copy.deepcopy(STATUS), "flight": {**STATUS["flight"], "number": 5268}}, "flight_id_agrees_with_flight"),
    ("searchFlights", "/flights/v1/search", 200, {"count": 0, "next": None, "previous": None, "results": [STATUS]},
     "page_results_agree_with_count"),
    ("getSubscription", "/subscriptions/X", 200,
     {"flight_id": "UA576BOSSFO1606092145", "target": "http://e.com", "created": "2016-07-12T19:29:34Z",
      "updated": "2016-07-12T19:26:23Z"}, "subscription_times_are_ordered"),
    ("getFlightSession", "/v2/flight_sessions/X", 200, {"data": {}}, "garuda_envelope"),
    ("listFlightSessions", "/v2/flight_sessions", 200, {"success": True, "data": [{"flight_session_id": "X"}]},
     "session_fields_have_documented_form"),
])
def test_answer_violations_dispatch_to_the_right_check(operation: str, path: str, status: int, body: Any,
                                                       check: str) -> None:
    assert check in {v.check for v in answer_violations(operation, path, status, body)}


def test_schemathesis_traffic_fails_on_local_time_flight_ids(broken_base_url: str, breaking: BreakingMiddleware,
                                                            tmp_path: Path, mock_config: dict[str, Any],
                                                            mock_app: Any) -> None:
    config = tmp_path / "conformance.yaml"
    config.write_text(yaml.safe_dump(mock_config))
    mock_app.state.reset()
    breaking.breakage = Breakage("local ids", response=_on_statuses(_local_time_id))
    try:
        result = run_suite("--base-url", broken_base_url, "--conformance-config", str(config), "--api",
                           "flightsayer", "-k", "test_flightsayer_reads_conform_to_schema")
    finally:
        breaking.breakage = Breakage("none")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Seed rules broken" in result.stdout and "flight_id_agrees_with_flight" in result.stdout
