"""Every operation of both APIs by every way of being the wrong caller: the right status, nothing of the other
tenant in the answer, and nothing of theirs changed.

Tenant A is Garuda company ACME (owning ``OWN_SESSION``) and Flightsayer user alice (subscribed to one flight).
The callers: nobody, wrong credentials, mixed credentials (A's token with B's key, two users' tokens at once), the
other API's credentials, a wrong scheme, and the other tenant with valid credentials of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.mock.conftest import ALICE, BOB, GARUDA, GARUDA_OTHER, new_session
from tests.robustness.error_formats import assert_error_format

ACME_COMPANY = "ca42ab884a633d6a823b45e6ebe9534c"
OWN_SESSION = "0b28db84d57ea15b5c26e5c3ffce67fc"
ALICE_TARGET = "http://alice.example/private-hook"
Headers = list[tuple[str, str]]

GARUDA_CALLERS: dict[str, Headers] = {
    "nobody": [],
    "wrong-credentials": [("Authorization", "Bearer garuda-demo-token-nope"), ("X-API-Key", "garuda-demo-key-nope")],
    "token-without-key": [("Authorization", GARUDA["Authorization"])],
    "key-without-token": [("X-API-Key", GARUDA["X-API-Key"])],
    "mixed-token-a-key-b": [("Authorization", GARUDA["Authorization"]), ("X-API-Key", GARUDA_OTHER["X-API-Key"])],
    "mixed-token-b-key-a": [("Authorization", GARUDA_OTHER["Authorization"]), ("X-API-Key", GARUDA["X-API-Key"])],
    "key-sent-twice": [("Authorization", GARUDA["Authorization"]), ("X-API-Key", GARUDA["X-API-Key"]),
                       ("X-API-Key", GARUDA_OTHER["X-API-Key"])],
    "wrong-scheme": [("Authorization", "Token garuda-demo-token-acme"), ("X-API-Key", GARUDA["X-API-Key"])],
    "flightsayer-credentials": [("Authorization", ALICE["Authorization"])],
    "other-tenant": list(GARUDA_OTHER.items()),
}
FLIGHTSAYER_CALLERS: dict[str, Headers] = {
    "nobody": [],
    "wrong-token": [("Authorization", "Token " + "0" * 40)],
    "token-of-a-and-b": [("Authorization", ALICE["Authorization"]), ("Authorization", BOB["Authorization"])],
    "wrong-scheme": [("Authorization", ALICE["Authorization"].replace("Token", "Bearer"))],
    "token-with-extra-word": [("Authorization", ALICE["Authorization"] + " extra")],
    "garuda-credentials": list(GARUDA.items()),
    "other-tenant": list(BOB.items()),
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None


GARUDA_CALLS = {
    "listFlightSessions": Call("GET", "/v2/flight_sessions"),
    "createFlightSession": Call("POST", "/v2/flight_sessions", new_session()),
    "getFlightSession": Call("GET", f"/v2/flight_sessions/{OWN_SESSION}"),
    "updateFlightSession": Call("PATCH", f"/v2/flight_sessions/{OWN_SESSION}", {"start_date_time": 1}),
    "deleteFlightSession": Call("DELETE", f"/v2/flight_sessions/{OWN_SESSION}"),
}
# What the other tenant, with valid credentials of its own, must get: A's session is as good as unknown, and a
# session of B cannot be made with A's deployment and flight plan.
GARUDA_OTHER_TENANT = {"listFlightSessions": 200, "createFlightSession": 400, "getFlightSession": 404,
                       "updateFlightSession": 404, "deleteFlightSession": 404}
FLIGHTSAYER_CALLS = {
    "getFlightStatus": Call("GET", "/flights/v1/status/{flight}"),
    "searchFlights": Call("GET", "/flights/v1/search?limit=5"),
    "listSubscriptions": Call("GET", "/subscriptions/"),
    "getSubscription": Call("GET", "/subscriptions/{flight}"),
    "putSubscription": Call("PUT", "/subscriptions/{flight}", {"target": "http://bob.example/hook"}),
    "deleteSubscription": Call("DELETE", "/subscriptions/{flight}"),
}
# Flight data is not tenant-owned; subscriptions are, per user. B's PUT makes B's own subscription.
FLIGHTSAYER_OTHER_TENANT = {"getFlightStatus": 200, "searchFlights": 200, "listSubscriptions": 200,
                            "getSubscription": 404, "putSubscription": 201, "deleteSubscription": 404}


@pytest.fixture
def flight(client: TestClient) -> Iterator[str]:
    """A flight alice is subscribed to."""
    flight_id = client.get("/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0]["flight"][
        "id"]
    assert client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": ALICE_TARGET}).status_code == 201
    yield flight_id


def tenant_a(client: TestClient) -> dict[str, Any]:
    """Everything tenant A owns, from the state export."""
    state = client.get("/_mock/state").json()
    return {"sessions": [s for s in state["garuda"]["flight_sessions"] if s["company_id"] == ACME_COMPANY],
            "subscriptions": [s for s in state["flightsayer"]["subscriptions"] if s["username"] == "alice"]}


def assert_nothing_of_a_leaks(text: str) -> None:
    for secret in (OWN_SESSION, ACME_COMPANY, ALICE_TARGET, "garuda-demo-token-acme", "garuda-demo-key-acme",
                   ALICE["Authorization"].split()[1]):
        assert secret not in text, secret


@pytest.mark.parametrize("caller", GARUDA_CALLERS)
@pytest.mark.parametrize("operation", GARUDA_CALLS)
def test_garuda_wrong_callers_get_401_or_404_and_tenant_a_is_untouched(client: TestClient, flight: str,
                                                                       operation: str, caller: str) -> None:
    call, before = GARUDA_CALLS[operation], tenant_a(client)
    response = client.request(call.method, call.path, headers=GARUDA_CALLERS[caller], json=call.body)
    expected = GARUDA_OTHER_TENANT[operation] if caller == "other-tenant" else 401
    assert response.status_code == expected, response.text
    if expected != 200:
        assert_error_format(response, "garuda")
    if expected == 401:  # one answer for every kind of wrong credential: nothing says which one was wrong
        assert response.json() == {"success": False, "message": "Invalid or missing credentials"}
    assert_nothing_of_a_leaks(response.text)
    assert tenant_a(client) == before


@pytest.mark.parametrize("caller", FLIGHTSAYER_CALLERS)
@pytest.mark.parametrize("operation", FLIGHTSAYER_CALLS)
def test_flightsayer_wrong_callers_get_401_or_404_and_tenant_a_is_untouched(client: TestClient, flight: str,
                                                                            operation: str, caller: str) -> None:
    call, before = FLIGHTSAYER_CALLS[operation], tenant_a(client)
    response = client.request(call.method, call.path.format(flight=flight), headers=FLIGHTSAYER_CALLERS[caller],
                              json=call.body)
    expected = FLIGHTSAYER_OTHER_TENANT[operation] if caller == "other-tenant" else 401
    assert response.status_code == expected, response.text
    if expected == 401:
        assert_error_format(response, "flightsayer")
        assert response.headers["www-authenticate"] == "Token"
        assert set(response.json()) == {"detail"}
    if expected == 404:
        assert response.json() == {"detail": "Not found."}  # exactly as for a flight nobody subscribed to
    if operation == "listSubscriptions" and expected == 200:
        assert response.json()["count"] == 0
    assert_nothing_of_a_leaks(response.text)
    assert tenant_a(client) == before


def test_another_tenants_session_answers_exactly_like_an_unknown_one(client: TestClient) -> None:
    foreign = client.get(f"/v2/flight_sessions/{OWN_SESSION}", headers=GARUDA_OTHER)
    unknown = client.get(f"/v2/flight_sessions/{'f' * 32}", headers=GARUDA_OTHER)
    assert (foreign.status_code, foreign.content) == (unknown.status_code, unknown.content)
    assert dict(foreign.headers) == dict(unknown.headers)
