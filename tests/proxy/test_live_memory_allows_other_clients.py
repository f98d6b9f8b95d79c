"""The memory flags only what no other client could have caused: changes made between two proxied calls by a client
that talks to the backend directly are not the backend's fault, and calls in flight together are never a sequence.
With exclusive tenants the user promises there is no such client, and the same changes are flagged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from conformance.contract_validation import ContractValidator, RecordedRequest, RecordedResponse
from conformance.live import TrafficMonitor
from mock_server.app import MockApp
from tests.mock.conftest import ALICE, GARUDA, new_session
from tests.proxy.conftest import proxy_in_front_of

SESSIONS = "/v2/flight_sessions"


@pytest.fixture
def direct(mock: MockApp) -> Iterator[TestClient]:
    """Another client of the same tenants, going straight to the backend."""
    with TestClient(mock) as client:
        yield client


def _checks(client: TestClient) -> list[str]:
    return [v["check"] for v in client.get("/_mock/violations").json()["violations"]]


@pytest.mark.parametrize(("exclusive", "flagged"), [(False, []), (True, ["created_session_stays_readable"])])
def test_a_session_deleted_by_another_client_may_answer_404_and_leave_the_list(
        exclusive: bool, flagged: list[str], mock: MockApp, direct: TestClient, validator: ContractValidator) -> None:
    with proxy_in_front_of(mock, validator, monitor=TrafficMonitor(exclusive_tenants=exclusive)) as proxied:
        created = proxied.post(SESSIONS, headers=GARUDA, json=new_session()).json()["data"]
        direct.delete(f"{SESSIONS}/{created['flight_session_id']}", headers=GARUDA)
        assert proxied.get(f"{SESSIONS}/{created['flight_session_id']}", headers=GARUDA).status_code == 404
        proxied.get(SESSIONS, headers=GARUDA)
        assert _checks(proxied) == flagged


@pytest.mark.parametrize(("exclusive", "flagged"), [(False, []), (True, ["patched_values_persist"])])
def test_a_patch_undone_by_another_client_is_not_the_backends_fault(
        exclusive: bool, flagged: list[str], mock: MockApp, direct: TestClient, validator: ContractValidator) -> None:
    with proxy_in_front_of(mock, validator, monitor=TrafficMonitor(exclusive_tenants=exclusive)) as proxied:
        created = proxied.post(SESSIONS, headers=GARUDA, json=new_session()).json()["data"]
        one = f"{SESSIONS}/{created['flight_session_id']}"
        proxied.patch(one, headers=GARUDA, json={"end_date_time": created["end_date_time"] + 1000})
        direct.patch(one, headers=GARUDA, json={"end_date_time": created["end_date_time"]})
        proxied.get(one, headers=GARUDA)
        assert _checks(proxied) == flagged


@pytest.mark.parametrize("exclusive", [False, True])
def test_a_subscription_deleted_and_made_again_elsewhere_has_a_new_created(
        exclusive: bool, mock: MockApp, direct: TestClient, validator: ContractValidator) -> None:
    flight = direct.get("/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0]["flight"]["id"]
    path = f"/subscriptions/{flight}"
    with proxy_in_front_of(mock, validator, monitor=TrafficMonitor(exclusive_tenants=exclusive)) as proxied:
        first = proxied.put(path, headers=ALICE, json={"target": "https://a.example.com/"}).json()
        direct.delete(path, headers=ALICE)
        direct.put(path, headers=ALICE, json={"target": "https://b.example.com/"})
        again = proxied.put(path, headers=ALICE, json={"target": "https://c.example.com/"})
        assert again.status_code == 200 and again.json()["created"] != first["created"]
        proxied.get(path, headers=ALICE)
        proxied.delete(path, headers=ALICE)
        assert _checks(proxied) == []


def _exchange(monitor: TrafficMonitor, method: str, path: str, status: int, body: Any, started: float,
              ended: float, pending: Any = None) -> list[str]:
    request = RecordedRequest(method, path, "", list(GARUDA.items()))
    pending = pending or monitor.begin(request, started=started)
    answer = RecordedResponse(status, [("content-type", "application/json")], None if body is None else
                              json.dumps(body).encode())
    return [v.check for v in monitor.finish(pending, answer, ended=ended)]


def _session(session_id: str) -> dict[str, Any]:
    return {"success": True, "data": {**new_session(), "flight_session_id": session_id,
                                      "company_id": "ca42ab884a633d6a823b45e6ebe9534c"}}


def test_a_read_in_flight_with_a_delete_is_not_taken_for_a_read_after_it() -> None:
    monitor, session_id = TrafficMonitor(), "a" * 32
    path = f"{SESSIONS}/{session_id}"
    assert _exchange(monitor, "GET", path, 200, _session(session_id), 0, 1) == []
    reading = monitor.begin(RecordedRequest("GET", path, "", list(GARUDA.items())), started=2)
    assert _exchange(monitor, "DELETE", path, 200, _session(session_id), 2.5, 3) == []
    assert _exchange(monitor, "GET", path, 200, _session(session_id), 2, 4, reading) == []  # sent before the delete
    assert _exchange(monitor, "GET", path, 200, _session(session_id), 5, 6) == ["deleted_session_stays_deleted"]


def test_a_write_in_flight_makes_a_read_unjudged_even_with_exclusive_tenants() -> None:
    monitor, session_id = TrafficMonitor(exclusive_tenants=True), "b" * 32
    path = f"{SESSIONS}/{session_id}"
    assert _exchange(monitor, "GET", path, 200, _session(session_id), 0, 1) == []
    patch = monitor.begin(RecordedRequest("PATCH", path, "", list(GARUDA.items()), b'{"end_date_time": 1}'),
                          started=2)
    changed = _session(session_id)
    changed["data"]["end_date_time"] = 1
    assert _exchange(monitor, "GET", path, 200, changed, 2.2, 2.4) == []  # may show the patch in flight, or not
    assert _exchange(monitor, "PATCH", path, 200, changed, 2, 3, patch) == []
    assert _exchange(monitor, "GET", path, 200, _session(session_id), 4, 5) == ["patched_values_persist"]
