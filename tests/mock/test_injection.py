"""Latency and fault injection, and the request journal, as the control spec describes them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.app import MockApp, create_app
from mock_server.traffic import HangUp
from tests.mock.conftest import ALICE, GARUDA
from tests.serving import serving


def journal(client: TestClient, **params: object) -> list[dict]:
    return client.get("/_mock/requests", params=params).json()["requests"]


def test_fault_answers_next_k_requests_then_stops(mock: TestClient) -> None:
    created = mock.post("/_mock/faults", json={"operation": "listFlightSessions", "count": 2, "status": 503})
    assert created.status_code == 201
    assert created.json()["remaining"] == 2

    statuses = [mock.get("/v2/flight_sessions", headers=GARUDA) for _ in range(3)]

    assert [r.status_code for r in statuses] == [503, 503, 200]
    assert statuses[0].json() == {"success": False, "message": "Service Unavailable"}
    assert mock.get("/_mock/faults").json() == {"faults": []}
    assert [e["fault"] for e in journal(mock)] == ["503", "503", None]


def test_fault_touches_only_its_operation_and_comes_before_auth(mock: TestClient) -> None:
    mock.post("/_mock/faults", json={"operation": "searchFlights", "status": 429, "message": "Slow down"})

    assert mock.get("/v2/flight_sessions", headers=GARUDA).status_code == 200
    answer = mock.get("/flights/v1/search")  # no credentials: a failing proxy answers before the service
    assert answer.status_code == 429
    assert answer.json() == {"detail": "Slow down"}
    assert mock.get("/flights/v1/search").status_code == 401


def test_faults_queue_in_order_and_can_be_cleared(mock: TestClient) -> None:
    mock.post("/_mock/faults", json={"operation": "getSubscription", "status": 500})
    mock.post("/_mock/faults", json={"operation": "getSubscription", "count": 3, "status": 502})
    pending = mock.get("/_mock/faults").json()["faults"]
    assert [(f["status"], f["remaining"]) for f in pending] == [(500, 1), (502, 3)]

    assert mock.get("/subscriptions/UA1BOSSFO1606092145", headers=ALICE).status_code == 500
    assert mock.get("/subscriptions/UA1BOSSFO1606092145", headers=ALICE).status_code == 502
    assert mock.delete("/_mock/faults").status_code == 204
    assert mock.get("/subscriptions/UA1BOSSFO1606092145", headers=ALICE).status_code == 404


@pytest.mark.parametrize("rule", [
    {"operation": "noSuchOperation", "status": 503},
    {"operation": "listFlightSessions", "status": 200},
    {"operation": "listFlightSessions", "status": 503, "action": "hangup"},
    {"operation": "listFlightSessions"},
    {"operation": "listFlightSessions", "status": 503, "count": 0},
], ids=["unknown-operation", "success-status", "status-and-hangup", "neither", "zero-count"])
def test_invalid_fault_is_400_and_queues_nothing(mock: TestClient, rule: dict) -> None:
    response = mock.post("/_mock/faults", json=rule)
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert mock.get("/_mock/faults").json() == {"faults": []}


def test_unknown_operation_fault_lists_the_known_ones(mock: TestClient) -> None:
    detail = mock.post("/_mock/faults", json={"operation": "nope", "status": 503}).json()["detail"]
    assert "nope" in detail
    assert "createFlightSession" in detail


@pytest.fixture
def live_mock(app: MockApp) -> Iterator[str]:
    """The shared mock behind a real uvicorn on a free loopback port, stopped afterwards."""
    try:
        with serving(app) as base_url:
            yield base_url
    finally:
        app.control.faults.clear()


def test_hangup_fault_closes_without_response(live_mock: str, app: MockApp) -> None:
    app.control.journal.clear()
    with httpx.Client(base_url=live_mock, timeout=5) as client:
        client.post("/_mock/faults", json={"operation": "getFlightStatus", "action": "hangup"}).raise_for_status()
        with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
            client.get("/flights/v1/status/UA1BOSSFO1606092145", headers=ALICE)
        # Only that one request: the next is answered, on a new connection.
        assert client.get("/flights/v1/status/UA1BOSSFO1606092145", headers=ALICE).status_code == 404
        entries = client.get("/_mock/requests").json()["requests"]
    assert [(e["status"], e["fault"]) for e in entries] == [(None, "hangup"), (404, None)]


def test_hangup_in_process_raises_where_there_is_no_connection_to_close(mock: TestClient) -> None:
    mock.post("/_mock/faults", json={"operation": "getFlightStatus", "action": "hangup"})
    with pytest.raises(HangUp):
        mock.get("/flights/v1/status/UA1BOSSFO1606092145", headers=ALICE)
    assert journal(mock)[-1]["fault"] == "hangup"


def test_latency_rule_applies_only_to_its_operation(mock: TestClient) -> None:
    assert mock.put("/_mock/latency", json={"operation": "listSubscriptions", "fixed_ms": 150}).status_code == 200

    started = time.perf_counter()
    assert mock.get("/subscriptions/", headers=ALICE).status_code == 200
    delayed = time.perf_counter() - started
    assert mock.get("/v2/flight_sessions", headers=GARUDA).status_code == 200

    assert delayed >= 0.15
    slow, fast = journal(mock)
    assert (slow["operation"], slow["injected_delay_ms"]) == ("listSubscriptions", 150)
    assert slow["latency_ms"] >= 150
    assert (fast["operation"], fast["injected_delay_ms"]) == ("listFlightSessions", 0)


def test_operation_latency_wins_over_global_and_ranges_stay_in_bounds(mock: TestClient) -> None:
    mock.put("/_mock/latency", json={"min_ms": 5, "max_ms": 20})
    mock.put("/_mock/latency", json={"operation": "listFlightSessions", "fixed_ms": 0})
    rules = mock.get("/_mock/latency").json()["rules"]
    assert rules == [{"operation": None, "min_ms": 5, "max_ms": 20},
                     {"operation": "listFlightSessions", "min_ms": 0, "max_ms": 0}]

    for _ in range(3):
        mock.get("/subscriptions/", headers=ALICE)
    mock.get("/v2/flight_sessions", headers=GARUDA)

    *ranged, own = journal(mock)
    assert all(5 <= e["injected_delay_ms"] <= 20 for e in ranged)
    assert own["injected_delay_ms"] == 0
    assert mock.delete("/_mock/latency", params={"operation": "listFlightSessions"}).status_code == 204
    assert [r["operation"] for r in mock.get("/_mock/latency").json()["rules"]] == [None]
    assert mock.delete("/_mock/latency").status_code == 204
    assert mock.get("/_mock/latency").json() == {"rules": []}


@pytest.mark.parametrize("rule", [{"fixed_ms": 60_001}, {"min_ms": 10, "max_ms": 5}, {"min_ms": 10},
                                  {"fixed_ms": 1, "max_ms": 2}, {"fixed_ms": -1}, {"fixed_ms": 1, "operation": "x"}])
def test_invalid_latency_rule_is_400_and_sets_nothing(mock: TestClient, rule: dict) -> None:
    response = mock.put("/_mock/latency", json=rule)
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert mock.get("/_mock/latency").json() == {"rules": []}


def test_journal_records_each_api_request_with_its_outcome(mock: TestClient) -> None:
    mock.get("/v2/flight_sessions", headers=GARUDA, params={"deployment_id": "9703889c2bb4322025815ed1a0509eba"})
    mock.get("/flights/v1/search/", headers={"Authorization": "Token wrong"})
    mock.get("/v2/nowhere", headers=GARUDA)

    first, second, third = journal(mock)
    assert first["method"] == "GET"
    assert first["path"] == "/v2/flight_sessions"
    assert first["query"] == {"deployment_id": ["9703889c2bb4322025815ed1a0509eba"]}
    assert (first["operation"], first["status"], first["fault"]) == ("listFlightSessions", 200, None)
    assert first["latency_ms"] > 0
    assert first["time"].endswith("Z")
    assert (second["path"], second["operation"], second["status"]) == ("/flights/v1/search", "searchFlights", 401)
    assert (third["operation"], third["status"]) == (None, 404)
    assert [e["id"] for e in journal(mock, operation="searchFlights")] == [second["id"]]
    assert journal(mock, limit=1) == [third]
    assert mock.delete("/_mock/requests").status_code == 204
    assert journal(mock) == []


def test_journal_is_bounded_and_omits_credentials() -> None:
    small = create_app(flights=10, journal_size=3)
    with TestClient(small) as client:
        for _ in range(4):
            client.get("/v2/flight_sessions", headers=GARUDA)
        client.get("/flights/v1/search", headers=ALICE, params={"token": "leak-me", "limit": 5, "api_key": "k"})
        body = client.get("/_mock/requests").json()

    assert body["size"] == 3
    assert body["dropped"] == 2
    assert [e["id"] for e in body["requests"]] == [3, 4, 5]
    assert body["requests"][-1]["query"] == {"token": ["[redacted]"], "limit": ["5"], "api_key": ["[redacted]"]}
    text = str(body)
    for secret in ("garuda-demo-token-acme", "garuda-demo-key-acme", ALICE["Authorization"].split()[1], "leak-me"):
        assert secret not in text
