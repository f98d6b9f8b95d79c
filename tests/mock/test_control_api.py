"""The control API under /_mock: health, reset, state export/import, its own spec and its error format."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server.app import MockApp, create_app
from tests.mock.conftest import ALICE, GARUDA, new_session


def a_flight_id(client: TestClient) -> str:
    return client.get("/flights/v1/search", headers=ALICE, params={"limit": 1}).json()["results"][0]["flight"]["id"]


def test_health_reports_what_the_mock_holds(mock: TestClient, app: MockApp) -> None:
    response = mock.get("/_mock/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["flights"] == len(app.state.catalog) > 0
    assert body["flight_sessions"] == len(app.state.garuda.export())
    assert body["journal"] == {"entries": 0, "size": 1000}
    assert (body["latency_rules"], body["pending_faults"]) == (0, 0)


def test_reset_restores_fixture_sessions(mock: TestClient) -> None:
    before = mock.get("/v2/flight_sessions", headers=GARUDA).json()["data"]
    created = mock.post("/v2/flight_sessions", headers=GARUDA, json=new_session()).json()["data"]
    mock.delete(f"/v2/flight_sessions/{before[0]['flight_session_id']}", headers=GARUDA)
    mock.put(f"/subscriptions/{a_flight_id(mock)}", headers=ALICE, json={"target": "https://example.com/hook"})

    response = mock.post("/_mock/reset", json={})

    assert response.status_code == 200
    assert response.json()["subscriptions"] == 0
    assert mock.get("/v2/flight_sessions", headers=GARUDA).json()["data"] == before
    assert mock.get(f"/v2/flight_sessions/{created['flight_session_id']}", headers=GARUDA).status_code == 404
    assert mock.get("/subscriptions/", headers=ALICE).json()["count"] == 0


def test_reset_with_a_seed_regenerates_other_flights() -> None:
    small = create_app(flights=30)  # its own app: a seed stays in force for later resets
    with TestClient(small) as client:
        first = a_flight_id(client)
        assert client.post("/_mock/reset", json={"seed": 12345}).status_code == 200
        assert a_flight_id(client) != first
        assert small.state.seed_override == 12345


def test_reset_keeps_injection_rules_and_journal(mock: TestClient) -> None:
    mock.put("/_mock/latency", json={"fixed_ms": 1})
    mock.post("/_mock/faults", json={"operation": "getFlightSession", "status": 503})
    mock.get("/v2/flight_sessions", headers=GARUDA)

    mock.post("/_mock/reset", json={})

    assert mock.get("/_mock/latency").json()["rules"] != []
    assert len(mock.get("/_mock/faults").json()["faults"]) == 1
    assert len(mock.get("/_mock/requests").json()["requests"]) == 1


def test_state_export_then_import_round_trips_exactly(mock: TestClient) -> None:
    mock.post("/v2/flight_sessions", headers=GARUDA, json=new_session())
    mock.put(f"/subscriptions/{a_flight_id(mock)}", headers=ALICE, json={"target": "https://example.com/hook"})
    saved = mock.get("/_mock/state").json()

    mock.post("/_mock/reset", json={})
    assert mock.get("/_mock/state").json() != saved
    response = mock.put("/_mock/state", json=saved)

    assert response.status_code == 200
    assert response.json() == saved
    assert mock.get("/_mock/state").json() == saved
    assert len(mock.get("/subscriptions/", headers=ALICE).json()["results"]) == 1


@pytest.mark.parametrize("damage", [
    lambda s: {**s, "format": 99},
    lambda s: {key: value for key, value in s.items() if key != "garuda"},
    lambda s: {**s, "garuda": {"flight_sessions": [{"flight_session_id": "x"}]}},
    lambda s: {**s, "flightsayer": {**s["flightsayer"], "flights": {**s["flightsayer"]["flights"], "format": 0}}},
    lambda s: {**s, "flightsayer": {**s["flightsayer"], "subscriptions": [
        {"username": "alice", "flight_id": "x", "target": "t", "created": "not a time", "updated": "no"}]}},
    lambda s: {**s, "garuda": {"flight_sessions": [{**s["garuda"]["flight_sessions"][0], "company_id": "f" * 32}]}},
    lambda s: {**s, "flightsayer": {**s["flightsayer"], "subscriptions": [
        {"username": "mallory", "flight_id": "x", "target": "t", "created": "2016-07-12T19:26:23Z",
         "updated": "2016-07-12T19:26:23Z"}]}},
], ids=["format", "missing-part", "short-session", "catalog-format", "bad-time", "unknown-company", "unknown-user"])
def test_invalid_snapshot_is_400_and_changes_nothing(mock: TestClient, damage) -> None:
    mock.post("/v2/flight_sessions", headers=GARUDA, json=new_session())
    before = mock.get("/_mock/state").json()

    response = mock.put("/_mock/state", json=damage(before))

    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert mock.get("/_mock/state").json() == before


def test_control_errors_are_plain_detail(mock: TestClient) -> None:
    for response in (mock.post("/_mock/reset", json={"seed": "x"}), mock.get("/_mock/nowhere"),
                     mock.put("/_mock/latency", json={"fixed_ms": 10, "min_ms": 1}),
                     mock.post("/_mock/reset", content=b"{", headers={"Content-Type": "application/json"})):
        assert response.status_code in (400, 404), response.text
        assert list(response.json()) == ["detail"], response.text


def test_control_api_serves_its_own_spec_with_the_operation_ids_filled_in(mock: TestClient) -> None:
    document = mock.get("/_mock/openapi.json").json()
    assert document["servers"][0]["url"] == "http://testserver/_mock"
    assert {"/health", "/reset", "/state", "/requests", "/latency", "/faults"} <= set(document["paths"])
    assert "createFlightSession" in document["components"]["schemas"]["Operation"]["enum"]
    assert "change the data only" in document["info"]["description"]


def test_control_requests_need_no_credentials_and_are_not_journaled(mock: TestClient) -> None:
    mock.get("/_mock/health")
    mock.get("/_mock/state")
    assert mock.get("/_mock/requests").json()["requests"] == []


def test_control_api_errors_never_500_on_bad_bodies(client) -> None:
    for content in (b"\xff\xfe", b"{", b"[1]"):
        response = client.put("/_mock/state", content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (content, response.text)
        assert "detail" in response.json()


def test_unsupported_method_on_the_control_api_lists_the_allowed_ones(client) -> None:
    response = client.patch("/_mock/health")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
