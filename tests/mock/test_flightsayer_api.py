"""Flightsayer status, search and subscriptions as the seed and docs/decisions.md describe them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.mock.conftest import ALICE, BOB

SEARCH = "/flights/v1/search"


def all_flights(client: TestClient, **params: str) -> list[dict]:
    """Walk every page of a search."""
    found: list[dict] = []
    url: str | None = SEARCH
    query: dict | None = {"limit": 100, **params}
    while url:
        body = client.get(url, headers=ALICE, params=query).json()
        found += body["results"]
        url, query = body["next"], None
    return found


def departure(status: dict) -> datetime:
    return datetime.fromisoformat(status["flight"]["scheduled_departure"])


@pytest.fixture
def a_flight(client: TestClient) -> dict:
    return client.get(SEARCH, headers=ALICE, params={"limit": 1}).json()["results"][0]


def test_status_answers_the_flight_its_id_names(client: TestClient, a_flight: dict) -> None:
    flight_id = a_flight["flight"]["id"]
    response = client.get(f"/flights/v1/status/{flight_id}", headers=ALICE)
    assert response.status_code == 200
    assert response.json() == a_flight


def test_unknown_well_formed_flight_is_404_not_found(client: TestClient) -> None:
    response = client.get("/flights/v1/status/ZZ9999AAABBB0001010000", headers=ALICE)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("flight_id", ["UA576BOSSFO", "ua576bossfo1606092145", "UA0576BOSSFO1606092145",
                                       "UA576BOSSFO1613092145"])
def test_malformed_flight_id_is_400_naming_the_field(client: TestClient, flight_id: str) -> None:
    response = client.get(f"/flights/v1/status/{flight_id}", headers=ALICE)
    assert response.status_code == 400
    assert list(response.json()) == ["flight_id"]


def test_search_without_filters_pages_through_every_flight_once_in_order(client: TestClient, app) -> None:
    flights = all_flights(client)
    assert len(flights) == len(app.state.catalog)
    assert len({f["flight"]["id"] for f in flights}) == len(flights)
    keys = [(departure(f).astimezone(UTC), f["flight"]["id"]) for f in flights]
    assert keys == sorted(keys)


def test_search_filters_combine_with_and_and_bounds_are_inclusive(client: TestClient, a_flight: dict) -> None:
    flight = a_flight["flight"]
    moment = departure(a_flight).astimezone(timezone(timedelta(hours=5, minutes=30)))
    exact = all_flights(client, departure_airport=flight["origin"]["iata"],
                        arrival_airport=flight["destination"]["iata"],
                        earliest_departure=moment.isoformat(), latest_departure=moment.isoformat())
    assert flight["id"] in {f["flight"]["id"] for f in exact}
    for found in exact:
        assert found["flight"]["origin"]["iata"] == flight["origin"]["iata"]
        assert found["flight"]["destination"]["iata"] == flight["destination"]["iata"]
        assert departure(found) == departure(a_flight)


def test_search_by_origin_matches_a_brute_force_filter(client: TestClient) -> None:
    everything = all_flights(client)
    origin = everything[len(everything) // 2]["flight"]["origin"]["iata"]
    expected = [f["flight"]["id"] for f in everything if f["flight"]["origin"]["iata"] == origin]
    assert [f["flight"]["id"] for f in all_flights(client, departure_airport=origin)] == expected


def test_earliest_after_latest_is_an_empty_page(client: TestClient) -> None:
    body = client.get(SEARCH, headers=ALICE, params={"earliest_departure": "2030-01-02T00:00:00Z",
                                                     "latest_departure": "2030-01-01T00:00:00Z"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_page_links_are_absolute_keep_filters_and_lead_back(client: TestClient) -> None:
    first = client.get(SEARCH, headers=ALICE, params={"limit": 2, "earliest_departure": "2000-01-01T00:00:00Z"})
    body = first.json()
    assert body["previous"] is None and body["count"] > 2
    next_url = urlsplit(body["next"])
    assert next_url.scheme == "http" and next_url.netloc == "testserver"
    assert parse_qs(next_url.query) == {"limit": ["2"], "earliest_departure": ["2000-01-01T00:00:00Z"],
                                        "offset": ["2"]}
    second = client.get(body["next"], headers=ALICE).json()
    assert second["count"] == body["count"]
    assert client.get(second["previous"], headers=ALICE).json() == body


def test_trailing_slash_forms_are_the_same_resource(client: TestClient) -> None:
    assert client.get(f"{SEARCH}/", headers=ALICE).json() == client.get(SEARCH, headers=ALICE).json()
    assert client.get("/subscriptions", headers=ALICE).status_code == 200


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"departure_airport": "bos"},
                                    {"earliest_departure": "yesterday"}, {"latest_departure": "2016-06-24T18:30:00"}])
def test_search_rejects_bad_parameters_naming_them(client: TestClient, params: dict) -> None:
    response = client.get(SEARCH, headers=ALICE, params=params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_put_creates_then_replaces_keeping_created(client: TestClient, a_flight: dict) -> None:
    url = f"/subscriptions/{a_flight['flight']['id']}"
    created = client.put(url, headers=ALICE, json={"target": "http://example.com/hook"})
    assert created.status_code == 201
    first = created.json()
    assert first["created"] == first["updated"]
    replaced = client.put(url, headers=ALICE, json={"target": "https://example.com/other"})
    assert replaced.status_code == 200
    second = replaced.json()
    assert second["created"] == first["created"] and second["updated"] > first["updated"]
    assert second["target"] == "https://example.com/other"
    assert client.get(url, headers=ALICE).json() == second
    assert client.get("/subscriptions/", headers=ALICE).json()["results"] == [second]


def test_delete_answers_204_with_an_empty_body_then_404(client: TestClient, a_flight: dict) -> None:
    url = f"/subscriptions/{a_flight['flight']['id']}"
    client.put(url, headers=ALICE, json={"target": "http://example.com/hook"})
    deleted = client.delete(url, headers=ALICE)
    assert deleted.status_code == 204
    assert deleted.content == b"" and "content-type" not in deleted.headers
    assert client.get(url, headers=ALICE).status_code == 404
    assert client.delete(url, headers=ALICE).status_code == 404


@pytest.mark.parametrize("target", ["/relative", "ftp://example.com/x", "not a url", "http://", ""])
def test_invalid_target_is_400_and_leaves_no_trace(client: TestClient, a_flight: dict, target: str) -> None:
    response = client.put(f"/subscriptions/{a_flight['flight']['id']}", headers=ALICE, json={"target": target})
    assert response.status_code == 400
    assert response.json() == {"target": ["Enter a valid URL."]}
    assert client.get("/subscriptions/", headers=ALICE).json()["count"] == 0


def test_subscribing_to_an_unknown_flight_is_404_and_leaves_no_trace(client: TestClient) -> None:
    response = client.put("/subscriptions/ZZ9999AAABBB0001010000", headers=ALICE, json={"target": "http://e.com"})
    assert response.status_code == 404
    assert client.get("/subscriptions/", headers=ALICE).json()["count"] == 0


def test_subscriptions_are_per_user(client: TestClient, a_flight: dict) -> None:
    url = f"/subscriptions/{a_flight['flight']['id']}"
    client.put(url, headers=ALICE, json={"target": "http://alice.example.com"})
    assert client.get(url, headers=BOB).status_code == 404
    assert client.delete(url, headers=BOB).status_code == 404
    assert client.get("/subscriptions/", headers=BOB).json()["count"] == 0
    assert client.put(url, headers=BOB, json={"target": "http://bob.example.com"}).status_code == 201
    assert client.get(url, headers=ALICE).json()["target"] == "http://alice.example.com"
    assert client.get(url, headers=BOB).json()["target"] == "http://bob.example.com"


def test_subscription_list_is_oldest_first_and_paginated(client: TestClient) -> None:
    flights = client.get(SEARCH, headers=ALICE, params={"limit": 3}).json()["results"]
    for status in flights:
        client.put(f"/subscriptions/{status['flight']['id']}", headers=ALICE, json={"target": "http://e.com"})
    page = client.get("/subscriptions/", headers=ALICE, params={"limit": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    rest = client.get(page["next"], headers=ALICE).json()["results"]
    assert [s["flight_id"] for s in page["results"] + rest] == [f["flight"]["id"] for f in flights]


@pytest.mark.parametrize(("headers", "detail"), [
    ({}, "Authentication credentials were not provided."),
    ({"Authorization": "Token wrong"}, "Invalid token."),
    ({"Authorization": "Bearer 3918a4f305ac8df7cebe0dbb90526085b233ca3b"}, "Authentication credentials were not "
                                                                           "provided."),
    ({"Authorization": "Token"}, "Invalid token header. No credentials provided."),
])
@pytest.mark.parametrize("path", [SEARCH, "/subscriptions/", "/flights/v1/status/UA576BOSSFO1606092145",
                                  "/subscriptions/UA576BOSSFO1606092145"])
def test_every_endpoint_refuses_a_missing_or_wrong_token(client: TestClient, headers: dict, detail: str,
                                                         path: str) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == "Token"
