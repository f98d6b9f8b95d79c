"""The journal keeps request and response bodies only while asked to, bounded, and is polled by id."""

from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.control.journal import BODY_LIMIT
from tests.mock.conftest import ALICE, GARUDA, new_session


def last_entry(mock: TestClient) -> dict:
    return mock.get("/_mock/requests", params={"limit": 1}).json()["requests"][0]


def test_bodies_are_not_kept_until_switched_on(mock: TestClient) -> None:
    assert mock.get("/_mock/journal").json()["bodies"] is False
    mock.post("/v2/flight_sessions", headers=GARUDA, json=new_session())
    detail = mock.get(f"/_mock/requests/{last_entry(mock)['id']}").json()
    assert (detail["request_body"], detail["response_body"]) == (None, None)


def test_kept_bodies_show_what_was_sent_and_answered(mock: TestClient) -> None:
    assert mock.put("/_mock/journal", json={"bodies": True}).json()["bodies"] is True
    sent = new_session()
    answer = mock.post("/v2/flight_sessions", headers=GARUDA, json=sent)
    detail = mock.get(f"/_mock/requests/{last_entry(mock)['id']}").json()
    assert detail["operation"] == "createFlightSession"
    assert detail["request_body"]["text"] == answer.request.content.decode()
    assert detail["response_body"] == {"text": answer.text, "truncated": False}


def test_a_refusal_keeps_its_validation_messages(mock: TestClient) -> None:
    mock.put("/_mock/journal", json={"bodies": True})
    refused = mock.get("/flights/v1/search", headers=ALICE, params={"departure_airport": "12"})
    detail = mock.get(f"/_mock/requests/{last_entry(mock)['id']}").json()
    assert refused.status_code == detail["status"] == 400
    assert "departure_airport" in detail["response_body"]["text"]


def test_kept_bodies_are_cut_at_the_limit(mock: TestClient) -> None:
    mock.put("/_mock/journal", json={"bodies": True})
    mock.post("/v2/flight_sessions", headers={**GARUDA, "Content-Type": "application/json"},
              content=b"x" * (BODY_LIMIT * 3))
    body = mock.get(f"/_mock/requests/{last_entry(mock)['id']}").json()["request_body"]
    assert body == {"text": "x" * BODY_LIMIT, "truncated": True}


def test_switching_bodies_off_stops_keeping_them(mock: TestClient) -> None:
    mock.put("/_mock/journal", json={"bodies": True})
    mock.put("/_mock/journal", json={"bodies": False})
    mock.get("/v2/flight_sessions", headers=GARUDA)
    assert mock.get(f"/_mock/requests/{last_entry(mock)['id']}").json()["response_body"] is None


def test_after_answers_only_newer_entries(mock: TestClient) -> None:
    for _ in range(3):
        mock.get("/v2/flight_sessions", headers=GARUDA)
    ids = [e["id"] for e in mock.get("/_mock/requests").json()["requests"]]
    newer = mock.get("/_mock/requests", params={"after": ids[0]}).json()["requests"]
    assert [e["id"] for e in newer] == ids[1:]
    assert mock.get("/_mock/requests", params={"after": ids[-1]}).json()["requests"] == []


def test_an_entry_no_longer_in_the_journal_is_404(mock: TestClient) -> None:
    response = mock.get("/_mock/requests/999999")
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]


def test_journal_settings_refuse_anything_but_a_boolean(mock: TestClient) -> None:
    assert mock.put("/_mock/journal", json={"bodies": "yes"}).status_code == 400
    assert mock.put("/_mock/journal", json={}).status_code == 400
    assert mock.get("/_mock/journal").json()["bodies"] is False


def test_an_entry_id_that_is_not_a_number_is_400(mock: TestClient) -> None:
    assert mock.get("/_mock/requests/abc").status_code == 400
