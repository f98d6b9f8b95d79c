"""Prism-compatible `Prefer: code=` / `example=`: documented examples straight from the spec, after authentication."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api_contract import load_spec
from api_contract.examples import iter_examples
from tests.mock.conftest import ALICE, GARUDA, new_session

FLIGHT = "DL5267GTRATL1608260204"


def documented(api: str, operation: str, status: int, name: str) -> object:
    return next(e.value for e in iter_examples(load_spec(api, "mock"))
                if (e.operation, e.where, e.name) == (operation, f"response {status}", name))


def test_prefer_code_answers_documented_example(client: TestClient) -> None:
    response = client.get(f"/flights/v1/status/{FLIGHT}", headers={**ALICE, "Prefer": "code=200"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == documented("flightsayer", "getFlightStatus", 200, "seed")
    assert response.headers["preference-applied"] == "code=200"


def test_prefer_code_of_an_error_answers_its_example_with_its_headers(client: TestClient) -> None:
    response = client.get(f"/flights/v1/status/{FLIGHT}", headers={**ALICE, "Prefer": "code=401"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Token"
    assert response.json() == documented("flightsayer", "getFlightStatus", 401, "missing")


def test_prefer_example_alone_finds_it_in_any_documented_status(client: TestClient) -> None:
    response = client.get("/v2/flight_sessions/0b28db84d57ea15b5c26e5c3ffce67fc",
                          headers={**GARUDA, "Prefer": "example=notFound"})

    assert response.status_code == 404
    assert response.json() == documented("garuda", "getFlightSession", 404, "notFound")


def test_prefer_code_and_example_together_pick_that_example(client: TestClient) -> None:
    response = client.put(f"/subscriptions/{FLIGHT}", headers={**ALICE, "Prefer": 'code=200, example="seed"'},
                          json={"target": "https://example.com/hook"})

    assert response.status_code == 200
    assert response.json() == documented("flightsayer", "putSubscription", 200, "seed")


def test_prefer_documented_bodyless_status_answers_without_body(client: TestClient) -> None:
    response = client.delete(f"/subscriptions/{FLIGHT}", headers={**ALICE, "Prefer": "code=204"})

    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_prefer_answers_without_touching_the_data(client: TestClient) -> None:
    before = client.get("/v2/flight_sessions", headers=GARUDA).json()

    response = client.post("/v2/flight_sessions", headers={**GARUDA, "Prefer": "code=200"}, json=new_session())

    assert response.json() == documented("garuda", "createFlightSession", 200, "seed")
    assert client.get("/v2/flight_sessions", headers=GARUDA).json() == before


def test_prefer_unknown_example_is_a_clear_400(client: TestClient) -> None:
    response = client.post("/v2/flight_sessions", headers={**GARUDA, "Prefer": "example=nope"}, json=new_session())

    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["message"].startswith("Prefer: no example named 'nope' for createFlightSession; available: ")
    assert "seed (200)" in body["message"]
    assert "unauthorized (401)" in body["message"]


def test_prefer_unknown_example_for_a_status_lists_that_status_examples(client: TestClient) -> None:
    response = client.post("/v2/flight_sessions", headers={**GARUDA, "Prefer": "code=400, example=seed"},
                           json=new_session())

    assert response.status_code == 400
    assert response.json()["message"] == ("Prefer: no example named 'seed' for status 400 of createFlightSession; "
                                          "available: unapprovedFlightPlan, missingField")


@pytest.mark.parametrize(("prefer", "message"), [
    ("code=418", "Prefer: getFlightStatus does not document status 418; documented: 200, 400, 401, 404"),
    ("code=abc", "Prefer: code must be a three-digit HTTP status, not 'abc'"),
])
def test_prefer_undocumented_or_unreadable_code_is_a_clear_400(client: TestClient, prefer: str,
                                                               message: str) -> None:
    response = client.get(f"/flights/v1/status/{FLIGHT}", headers={**ALICE, "Prefer": prefer})

    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_prefer_does_not_bypass_auth(client: TestClient) -> None:
    garuda = client.get("/v2/flight_sessions", headers={"Prefer": "code=200"})
    flightsayer = client.get(f"/flights/v1/status/{FLIGHT}", headers={"Prefer": "example=seed"})

    assert garuda.status_code == 401
    assert garuda.json() == {"success": False, "message": "Invalid or missing credentials"}
    assert flightsayer.status_code == 401
    assert flightsayer.json() == {"detail": "Authentication credentials were not provided."}


def test_other_preferences_are_ignored(client: TestClient) -> None:
    plain = client.get("/v2/flight_sessions", headers=GARUDA)
    preferred = client.get("/v2/flight_sessions", headers={**GARUDA, "Prefer": "return=minimal, respond-async"})

    assert preferred.status_code == 200
    assert preferred.json() == plain.json()
    assert "preference-applied" not in preferred.headers


def test_prefer_is_not_applied_to_the_control_api(client: TestClient) -> None:
    response = client.get("/_mock/health", headers={"Prefer": "code=500"})
    assert response.status_code == 200
