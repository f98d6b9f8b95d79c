"""In front of the real mock, a well-behaved session of every operation of both APIs breaks nothing."""

from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.proxy.reporting import VIOLATIONS_HEADER
from tests.mock.conftest import ALICE, GARUDA, new_session


def _clean(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert VIOLATIONS_HEADER not in response.headers, response.headers[VIOLATIONS_HEADER]
    return response.json() if response.content else {}


def test_a_session_of_all_eleven_operations_through_the_proxy_has_no_violations(proxied_mock: TestClient) -> None:
    client = proxied_mock
    _clean(client.get("/v2/flight_sessions", headers=GARUDA), 200)
    created = _clean(client.post("/v2/flight_sessions", headers=GARUDA, json=new_session()), 200)["data"]
    session = f"/v2/flight_sessions/{created['flight_session_id']}"
    _clean(client.get(session, headers=GARUDA), 200)
    _clean(client.patch(session, headers=GARUDA, json={"end_date_time": 1527489200000}), 200)
    _clean(client.delete(session, headers=GARUDA), 200)

    found = _clean(client.get("/flights/v1/search", params={"departure_airport": "BOS", "limit": 3}, headers=ALICE),
                   200)
    flight = found["results"][0]["flight"]["id"]
    _clean(client.get(f"/flights/v1/status/{flight}", headers=ALICE), 200)
    _clean(client.put(f"/subscriptions/{flight}", headers=ALICE, json={"target": "https://example.com/hook"}), 201)
    _clean(client.get("/subscriptions/", headers=ALICE), 200)
    _clean(client.get(f"/subscriptions/{flight}", headers=ALICE), 200)
    _clean(client.delete(f"/subscriptions/{flight}", headers=ALICE), 204)

    assert client.get("/_mock/violations").json()["violations"] == []


def test_documented_errors_of_the_mock_are_not_violations(proxied_mock: TestClient) -> None:
    _clean(proxied_mock.get("/v2/flight_sessions/0123456789abcdef0123456789abcdef", headers=GARUDA), 404)
    _clean(proxied_mock.get("/subscriptions/UA576BOSSFO1606092145", headers={"Authorization": "Token wrong"}), 401)


def test_both_trailing_slash_forms_are_the_same_documented_route(proxied_mock: TestClient) -> None:
    _clean(proxied_mock.get("/subscriptions", headers=ALICE), 200)
    _clean(proxied_mock.get("/flights/v1/search/", params={"limit": 1}, headers=ALICE), 200)


def test_the_mocks_own_controls_pass_through_unchecked(proxied_mock: TestClient) -> None:
    assert _clean(proxied_mock.get("/_mock/health"), 200)
