"""Inboxes: webhook targets the mock serves itself, bounded, and fed by its own push notifications."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.app import MockApp, create_app
from mock_server.control.access import ControlAccess
from mock_server.control.inbox import Inboxes
from tests.mock.conftest import ALICE
from tests.serving import serving


def test_a_post_is_recorded_with_its_headers_and_body(mock: TestClient) -> None:
    answer = mock.post("/_mock/inbox/hook", content=b'{"a": 1}', headers={"Content-Type": "application/json",
                                                                           "X-Signature": "abc"})
    assert answer.status_code == 201
    [message] = mock.get("/_mock/inbox/hook").json()["messages"]
    assert message["id"] == answer.json()["id"]
    assert (message["method"], message["body"], message["bytes"], message["truncated"]) == ("POST", '{"a": 1}', 8,
                                                                                            False)
    assert ["x-signature", "abc"] in message["headers"]


def test_any_content_type_is_recorded_as_sent(mock: TestClient) -> None:
    # A webhook sender's own header marks the POST as no cross-site form's (mock_server/control/browsers.py).
    mock.post("/_mock/inbox/hook", content="naïve text".encode(), headers={"Content-Type": "text/plain",
                                                                            "X-Delivery": "1"})
    mock.post("/_mock/inbox/hook", headers={"X-Delivery": "2"})
    bodies = [m["body"] for m in mock.get("/_mock/inbox/hook").json()["messages"]]
    assert bodies == ["naïve text", ""]


def test_a_post_a_cross_site_form_could_send_is_refused_and_not_recorded(mock: TestClient) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    refused = mock.post("/_mock/inbox/hook", content=b"a=1", headers=form)
    assert refused.status_code == 415
    assert mock.get("/_mock/inbox/hook").json()["messages"] == []


def test_credential_headers_are_redacted(mock: TestClient) -> None:
    mock.post("/_mock/inbox/hook", json={}, headers={"Authorization": "Bearer secret", "Cookie": "s=1",
                                                     "X-API-Key": "k"})
    headers = dict(mock.get("/_mock/inbox/hook").json()["messages"][0]["headers"])
    assert headers["authorization"] == headers["cookie"] == headers["x-api-key"] == "[redacted]"


def test_an_inbox_nothing_was_sent_to_is_empty(mock: TestClient) -> None:
    assert mock.get("/_mock/inbox/never").json() == {"name": "never", "messages": []}


def test_after_answers_only_newer_messages(mock: TestClient) -> None:
    first = mock.post("/_mock/inbox/hook", json={"n": 1}).json()["id"]
    mock.post("/_mock/inbox/hook", json={"n": 2})
    newer = mock.get("/_mock/inbox/hook", params={"after": first}).json()["messages"]
    assert [json.loads(m["body"]) for m in newer] == [{"n": 2}]


def test_inboxes_are_bounded_in_messages_and_names(mock: TestClient, app: MockApp) -> None:
    kept = app.control.inboxes
    app.control.inboxes = Inboxes(size=2, max_inboxes=2)
    try:
        for n in range(3):
            mock.post("/_mock/inbox/a", json={"n": n})
        assert [json.loads(m["body"])["n"] for m in mock.get("/_mock/inbox/a").json()["messages"]] == [1, 2]
        mock.post("/_mock/inbox/b", json={})
        mock.post("/_mock/inbox/c", json={})
        listed = mock.get("/_mock/inbox").json()["inboxes"]
        assert [(i["name"], i["messages"]) for i in listed] == [("b", 1), ("c", 1)]
    finally:
        app.control.inboxes = kept


def test_inboxes_are_bounded_in_messages_in_all(mock: TestClient, app: MockApp) -> None:
    kept = app.control.inboxes
    app.control.inboxes = Inboxes(size=3, max_inboxes=10, max_messages=4)
    try:
        for name in ("a", "a", "b", "b", "c"):
            mock.post(f"/_mock/inbox/{name}", json={"to": name})
        listed = mock.get("/_mock/inbox").json()["inboxes"]
        assert [(i["name"], i["messages"]) for i in listed] == [("a", 1), ("b", 2), ("c", 1)]
    finally:
        app.control.inboxes = kept


def test_a_long_body_is_cut(mock: TestClient, app: MockApp) -> None:
    mock.post("/_mock/inbox/hook", content=b"y" * 100_000, headers={"Content-Type": "text/plain", "X-Delivery": "1"})
    message = mock.get("/_mock/inbox/hook").json()["messages"][0]
    assert (len(message["body"]), message["bytes"], message["truncated"]) == (16 * 1024, 100_000, True)


def test_a_bad_name_is_refused(mock: TestClient) -> None:
    assert mock.post("/_mock/inbox/" + "n" * 65, json={}).status_code == 400
    assert mock.get("/_mock/inbox/bad%20name").status_code == 400


def test_clearing_an_inbox_empties_it(mock: TestClient) -> None:
    mock.post("/_mock/inbox/hook", json={})
    assert mock.delete("/_mock/inbox/hook").status_code == 204
    assert mock.get("/_mock/inbox/hook").json()["messages"] == []
    assert mock.get("/_mock/inbox").json()["inboxes"] == []


@pytest.fixture
def served() -> Iterator[tuple[MockApp, str]]:
    app = create_app(flights=200, webhook_grace_seconds=60)
    with serving(app, lifespan="on") as base_url:
        yield app, base_url


def scheduled_flight(client: httpx.Client) -> str:
    flights = client.get("/_mock/flights", params={"limit": 200}).json()["flights"]
    return next(f["flight_id"] for f in flights if f["state"] == "scheduled")


def wait_for(client: httpx.Client, path: str, key: str, params: dict | None = None, timeout: float = 10.0) -> list:
    """The non-empty list ``key`` of a control API answer, polled until one arrives."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = client.get(path, params=params).json()[key]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"nothing in {path} after {timeout} s")


def wait_for_messages(client: httpx.Client, name: str, timeout: float = 10.0) -> list[dict]:
    return wait_for(client, f"/_mock/inbox/{name}", "messages", timeout=timeout)


@pytest.mark.parametrize("token", [None, "inbox-token"])
def test_the_mocks_own_notifications_land_in_its_inbox_token_or_not(served: tuple[MockApp, str],
                                                                    token: str | None) -> None:
    app, base_url = served
    app.control.access = ControlAccess(token=token)
    control = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=base_url, headers=control) as client:
        flight_id = scheduled_flight(client)
        target = f"{base_url}/_mock/inbox/own"
        assert client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": target}).status_code == 201
        assert client.post(f"/_mock/flights/{flight_id}/events", json={"kind": "delay", "minutes": 20}).is_success
        [message] = wait_for_messages(client, "own")
        # The worker logs a delivery once the inbox has answered, so the log may lag the message by a moment.
        delivered = wait_for(client, "/_mock/deliveries", "deliveries", params={"flight_id": flight_id})
    assert json.loads(message["body"])["flight"]["id"] == flight_id
    assert [(d["target"], d["outcome"], d["status"]) for d in delivered] == [(target, "delivered", 201)]


def test_the_picker_lists_subscribed_flights_with_their_subscribers(mock: TestClient) -> None:
    flights = mock.get("/_mock/flights", params={"limit": 3}).json()["flights"]
    assert len(flights) == 3 and all(f["subscribers"] == [] for f in flights)
    chosen = flights[1]["flight_id"]
    mock.put(f"/subscriptions/{chosen}", headers=ALICE, json={"target": "https://example.com/hook"})
    picked = mock.get("/_mock/flights", params={"subscribed": "true"}).json()
    assert picked["total"] == 1
    assert picked["flights"][0]["flight_id"] == chosen
    assert picked["flights"][0]["subscribers"] == [{"username": "alice", "target": "https://example.com/hook"}]


def test_the_picker_filters_by_airport(mock: TestClient) -> None:
    first = mock.get("/_mock/flights", params={"limit": 1}).json()["flights"][0]
    found = mock.get("/_mock/flights", params={"departure_airport": first["departure_airport"].lower()}).json()
    assert found["total"] >= 1
    assert {f["departure_airport"] for f in found["flights"]} == {first["departure_airport"]}
    assert mock.get("/_mock/flights", params={"departure_airport": "12"}).status_code == 400
