"""The live memory stays within its limits, forgetting only makes it flag less, and it keeps no credential."""

from __future__ import annotations

import json
import pickle
from typing import Any

from conformance.contract_validation import ContractValidator, RecordedRequest, RecordedResponse
from conformance.live import MemoryLimits, TrafficMonitor
from mock_server.app import MockApp
from tests.mock.conftest import ALICE, BOB, GARUDA, GARUDA_OTHER, new_session
from tests.proxy.conftest import proxy_in_front_of
from tests.proxy.live_traffic import client_call, frontend_session

SESSIONS = "/v2/flight_sessions"
COMPANY = "ca42ab884a633d6a823b45e6ebe9534c"


def _call(monitor: TrafficMonitor, clock: list[float], method: str, path: str, status: int, data: Any,
          headers: dict[str, str] = GARUDA) -> list[str]:
    clock[0] += 1
    pending = monitor.begin(RecordedRequest(method, path, "", list(headers.items())), started=clock[0])
    body = json.dumps({"success": 200 <= status < 300, "data": data}).encode()
    clock[0] += 1
    return [v.check for v in monitor.finish(pending, RecordedResponse(status, [], body), ended=clock[0])]


def _session(session_id: str) -> dict[str, Any]:
    return {**new_session(), "flight_session_id": session_id, "company_id": COMPANY}


def _deleted_then_read_after(monitor: TrafficMonitor, sessions_between: int) -> list[str]:
    clock = [0.0]
    gone = "0" * 31 + "a"
    _call(monitor, clock, "POST", SESSIONS, 200, _session(gone))
    _call(monitor, clock, "DELETE", f"{SESSIONS}/{gone}", 200, _session(gone))
    for number in range(sessions_between):
        _call(monitor, clock, "POST", SESSIONS, 200, _session(f"{number:032x}"))
    return _call(monitor, clock, "GET", f"{SESSIONS}/{gone}", 200, _session(gone))  # a backend that kept it


def test_forgetting_a_deleted_session_only_means_its_return_goes_unflagged() -> None:
    assert _deleted_then_read_after(TrafficMonitor(), 10) == ["deleted_session_stays_deleted"]
    small = TrafficMonitor(limits=MemoryLimits(per_caller=5))
    assert _deleted_then_read_after(small, 10) == []
    assert small.stats()["records"] == 5 and small.stats()["forgotten"] == 7


def test_callers_and_their_records_are_bounded() -> None:
    monitor = TrafficMonitor(limits=MemoryLimits(callers=2, per_caller=3, credentials=3))
    clock = [0.0]
    for caller in range(6):
        headers = {"Authorization": f"Bearer token-{caller}", "X-API-Key": f"key-{caller}"}
        for number in range(4):
            _call(monitor, clock, "POST", SESSIONS, 200, _session(f"{caller}{number:031x}"), headers)
    stats = monitor.stats()
    assert (stats["callers"], stats["records"], stats["credentials"]) == (2, 6, 3)


def test_the_memory_holds_hashes_of_credentials_never_the_credentials(mock: MockApp,
                                                                      validator: ContractValidator) -> None:
    monitor = TrafficMonitor(exclusive_tenants=True)
    with proxy_in_front_of(mock, validator, monitor=monitor) as client:
        frontend_session(client_call(client))
    remembered = pickle.dumps([monitor._sessions, monitor._subscriptions, monitor._companies, monitor._identities])
    assert monitor.stats()["records"] > 5 and COMPANY.encode() in remembered  # it does remember the traffic
    for headers in (GARUDA, GARUDA_OTHER, ALICE, BOB):
        for value in headers.values():
            for secret in {value, value.split()[-1]}:
                assert secret.encode() not in remembered
