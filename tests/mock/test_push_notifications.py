"""Subscriptions that fire: the mock's simulated flights POST their status to subscribers through the real app."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api_contract import load_spec
from api_contract.examples import schema_validator
from mock_server.app import create_app
from tests.mock.conftest import ALICE, BOB
from tests.serving import serving

STATUS_SCHEMA = schema_validator(load_spec("flightsayer", "mock"), {"$ref": "#/components/schemas/FlightStatus"})


class Receiver:
    """A webhook target on loopback that remembers every POST."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []

        async def hook(request: Request) -> Response:
            self.received.append((request.url.path, await request.json()))
            return Response(status_code=204)

        self.app = Starlette(routes=[Route("/{name}", hook, methods=["POST"])])

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    target = Receiver()
    with serving(target.app) as base_url:
        yield target, base_url


@pytest.fixture
def mock_url() -> Iterator[str]:
    # Its own app: the lifespan starts the delivery worker; grace 0 deletes a finished flight's subscriptions at once.
    with serving(create_app(webhook_grace_seconds=0), lifespan="on") as base_url:
        yield base_url


def two_flights(client: httpx.Client) -> list[str]:
    results = client.get("/flights/v1/search", headers=ALICE, params={"limit": 100}).json()["results"]
    waiting = [r["flight"]["id"] for r in results if r["status"]["departure"]["type"] != "actual"
               and not r["status"]["cancelled"]]
    return waiting[:2]


def test_a_forced_change_posts_the_flights_full_status_to_its_subscriber(receiver, mock_url: str) -> None:
    target, target_url = receiver
    with httpx.Client(base_url=mock_url, timeout=10) as client:
        subscribed, other = two_flights(client)
        assert client.put(f"/subscriptions/{subscribed}", headers=ALICE,
                          json={"target": f"{target_url}/alice"}).status_code == 201
        forced = client.post(f"/_mock/flights/{subscribed}/events", json={"kind": "delay", "minutes": 45})
        assert forced.status_code == 200, forced.text
        client.post(f"/_mock/flights/{other}/events", json={"kind": "delay", "minutes": 10})
        received = target.wait_for(1)
        assert [path for path, _ in received] == ["/alice"]
        body = received[0][1]
        assert body["flight"]["id"] == subscribed
        assert list(STATUS_SCHEMA.iter_errors(body)) == []
        assert body == client.get(f"/flights/v1/status/{subscribed}", headers=ALICE).json()
        log = client.get("/_mock/deliveries", params={"flight_id": subscribed}).json()["deliveries"]
        assert log[-1]["outcome"] in {"delivered", "ok", "success"} or log[-1].get("status") == 204


def test_nothing_arrives_after_delete_and_the_subscription_goes_after_the_final_notification(
        receiver, mock_url: str) -> None:
    target, target_url = receiver
    with httpx.Client(base_url=mock_url, timeout=10) as client:
        kept, dropped = two_flights(client)
        for flight_id, headers in ((kept, ALICE), (dropped, BOB)):
            client.put(f"/subscriptions/{flight_id}", headers=headers, json={"target": f"{target_url}/{flight_id}"})
        assert client.delete(f"/subscriptions/{dropped}", headers=BOB).status_code == 204
        client.post(f"/_mock/flights/{dropped}/events", json={"kind": "cancellation"})
        client.post(f"/_mock/flights/{kept}/events", json={"kind": "cancellation"})
        received = target.wait_for(1)
        time.sleep(0.3)  # room for a wrong POST to the deleted subscription to arrive, if one were sent
        assert [path for path, _ in target.received] == [f"/{kept}"]
        assert received[0][1]["status"]["cancelled"] is True
        deadline = time.monotonic() + 5
        while client.get(f"/subscriptions/{kept}", headers=ALICE).status_code != 404:
            assert time.monotonic() < deadline, "the subscription outlived its flight's final notification"
            time.sleep(0.05)


def test_advancing_the_clock_moves_flights_and_notifies(receiver, mock_url: str) -> None:
    target, target_url = receiver
    with httpx.Client(base_url=mock_url, timeout=30) as client:
        flight_id = two_flights(client)[0]
        client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": f"{target_url}/x"})
        before = client.get("/_mock/clock").json()
        moved = client.post("/_mock/clock", json={"advance": "P2D"})
        assert moved.status_code == 200, moved.text
        assert moved.json()["now"] > before["now"] and moved.json()["changes"]
        received = target.wait_for(1)
        assert received and all(body["flight"]["id"] == flight_id for _, body in received)
        final = client.get(f"/flights/v1/status/{flight_id}", headers=ALICE).json()["status"]
        assert final["cancelled"] or final["arrival"]["type"] == "actual"


@pytest.mark.parametrize(("body", "status"), [
    ({"advance": "PT2H", "to": "2030-01-01T00:00:00Z"}, 400),
    ({"advance": "two hours"}, 400),
    ({"to": "2000-01-01T00:00:00Z"}, 400),
    ({}, 400),
])
def test_bad_clock_moves_are_400(mock_url: str, body: dict, status: int) -> None:
    response = httpx.post(f"{mock_url}/_mock/clock", json=body)
    assert response.status_code == status, response.text
    assert "detail" in response.json()


def test_forcing_an_unknown_flight_is_404_and_a_nonsense_event_is_400(mock_url: str) -> None:
    assert httpx.post(f"{mock_url}/_mock/flights/ZZ1AAABBB0001010000/events",
                      json={"kind": "delay", "minutes": 5}).status_code == 404
    with httpx.Client(base_url=mock_url) as client:
        flight_id = two_flights(client)[0]
        assert client.post(f"/_mock/flights/{flight_id}/events", json={"kind": "arrival"}).status_code == 400
