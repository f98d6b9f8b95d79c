"""Garuda flight sessions as the seed and docs/decisions.md describe them."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.mock.conftest import (
    APPROVED_PLAN,
    DEPLOYMENT,
    GARUDA,
    GARUDA_OTHER,
    OTHER_APPROVED_PLAN,
    OTHER_COMPANY_DEPLOYMENT,
    OTHER_COMPANY_PLAN,
    OTHER_COMPANY_SESSION,
    OTHER_DEPLOYMENT_OF_ACME,
    UNAPPROVED_PLAN,
    new_session,
)

SESSIONS = "/v2/flight_sessions"


def create(client: TestClient, **overrides: object) -> dict:
    response = client.post(SESSIONS, headers=GARUDA, json=new_session(**overrides))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def ids(response) -> set[str]:
    return {s["flight_session_id"] for s in response.json()["data"]}


def test_list_answers_the_envelope_with_only_the_callers_sessions(client: TestClient) -> None:
    response = client.get(SESSIONS, headers=GARUDA)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert {s["company_id"] for s in body["data"]} == {"ca42ab884a633d6a823b45e6ebe9534c"}
    assert OTHER_COMPANY_SESSION not in ids(response)


def test_create_answers_200_with_the_stored_session_and_a_hex_id(client: TestClient) -> None:
    sent = new_session(start_date_time=1700000000123, end_date_time=1700000999456)
    response = client.post(SESSIONS, headers=GARUDA, json=sent)
    assert response.status_code == 200
    data = response.json()["data"]
    assert re.fullmatch(r"[0-9a-f]{32}", data["flight_session_id"])
    assert {k: data[k] for k in sent} == sent
    assert client.get(f"{SESSIONS}/{data['flight_session_id']}", headers=GARUDA).json()["data"] == data


def test_create_ignores_extra_fields_and_never_takes_the_company_from_the_body(client: TestClient) -> None:
    data = create(client, company_id="640ca85947db426f550babee187be7b9", flight_session_id="0" * 32, colour="red")
    assert data["company_id"] == "ca42ab884a633d6a823b45e6ebe9534c"
    assert data["flight_session_id"] != "0" * 32
    assert "colour" not in data


@pytest.mark.parametrize("missing", ["deployment_id", "flight_plan_id", "start_date_time", "end_date_time"])
def test_create_without_a_required_field_is_a_400_naming_it_and_stores_nothing(client: TestClient,
                                                                               missing: str) -> None:
    before = client.get(SESSIONS, headers=GARUDA).json()
    body = new_session()
    del body[missing]
    response = client.post(SESSIONS, headers=GARUDA, json=body)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert missing in response.json()["message"]
    assert client.get(SESSIONS, headers=GARUDA).json() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deployment_id": "f" * 32}, "deployment_id"),
        ({"deployment_id": OTHER_COMPANY_DEPLOYMENT}, "deployment_id"),
        ({"flight_plan_id": "f" * 32}, "flight_plan_id"),
        ({"flight_plan_id": OTHER_COMPANY_PLAN}, "flight_plan_id"),
        ({"flight_plan_id": UNAPPROVED_PLAN}, "flight_plan_id"),
        ({"start_date_time": 2000, "end_date_time": 1000}, "end_date_time"),
        ({"start_date_time": "1527469200000"}, "start_date_time"),
        ({"end_date_time": -1}, "end_date_time"),
    ],
)
def test_create_with_an_unusable_value_is_a_400_naming_the_field_and_stores_nothing(
        client: TestClient, overrides: dict, field: str) -> None:
    before = client.get(SESSIONS, headers=GARUDA).json()
    response = client.post(SESSIONS, headers=GARUDA, json=new_session(**overrides))
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"{field}:")
    assert client.get(SESSIONS, headers=GARUDA).json() == before


def test_filters_alone_and_together_combine_with_and(client: TestClient) -> None:
    a = create(client)
    b = create(client, flight_plan_id=OTHER_APPROVED_PLAN)
    c = create(client, deployment_id=OTHER_DEPLOYMENT_OF_ACME)
    by_deployment = ids(client.get(SESSIONS, headers=GARUDA, params={"deployment_id": DEPLOYMENT}))
    by_plan = ids(client.get(SESSIONS, headers=GARUDA, params={"flight_plan_id": APPROVED_PLAN}))
    both = ids(client.get(SESSIONS, headers=GARUDA,
                          params={"deployment_id": DEPLOYMENT, "flight_plan_id": APPROVED_PLAN}))
    assert a["flight_session_id"] in both and b["flight_session_id"] in by_deployment
    assert c["flight_session_id"] in by_plan and c["flight_session_id"] not in by_deployment
    assert both == by_deployment & by_plan
    everything = client.get(SESSIONS, headers=GARUDA).json()["data"]
    assert both == {s["flight_session_id"] for s in everything
                    if s["deployment_id"] == DEPLOYMENT and s["flight_plan_id"] == APPROVED_PLAN}


def test_a_filter_matching_nothing_is_an_empty_list(client: TestClient) -> None:
    response = client.get(SESSIONS, headers=GARUDA, params={"deployment_id": "a" * 32})
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": []}


def test_patch_keeps_fields_not_sent_and_persists(client: TestClient) -> None:
    made = create(client)
    url = f"{SESSIONS}/{made['flight_session_id']}"
    response = client.patch(url, headers=GARUDA, json={"end_date_time": 1527480200000})
    assert response.status_code == 200
    assert response.json()["data"] == {**made, "end_date_time": 1527480200000}
    assert client.get(url, headers=GARUDA).json()["data"] == {**made, "end_date_time": 1527480200000}


def test_patch_may_move_a_session_to_another_approved_plan(client: TestClient) -> None:
    made = create(client)
    url = f"{SESSIONS}/{made['flight_session_id']}"
    response = client.patch(url, headers=GARUDA, json={"flight_plan_id": OTHER_APPROVED_PLAN})
    assert response.json()["data"]["flight_plan_id"] == OTHER_APPROVED_PLAN


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"flight_plan_id": UNAPPROVED_PLAN}, "flight_plan_id"),
        ({"company_id": "640ca85947db426f550babee187be7b9"}, "company_id"),
        ({"end_date_tme": 1}, "end_date_tme"),
        ({"end_date_time": 1}, "end_date_time"),
    ],
)
def test_patch_rejecting_a_change_changes_nothing(client: TestClient, change: dict, field: str) -> None:
    made = create(client)
    url = f"{SESSIONS}/{made['flight_session_id']}"
    response = client.patch(url, headers=GARUDA, json=change)
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"{field}:")
    assert client.get(url, headers=GARUDA).json()["data"] == made


def test_empty_patch_is_a_no_op(client: TestClient) -> None:
    made = create(client)
    response = client.patch(f"{SESSIONS}/{made['flight_session_id']}", headers=GARUDA, json={})
    assert response.status_code == 200 and response.json()["data"] == made


def test_delete_returns_the_object_then_it_is_gone_everywhere(client: TestClient) -> None:
    made = create(client)
    url = f"{SESSIONS}/{made['flight_session_id']}"
    response = client.delete(url, headers=GARUDA)
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": made}
    assert client.get(url, headers=GARUDA).status_code == 404
    assert client.patch(url, headers=GARUDA, json={"end_date_time": 1527480200000}).status_code == 404
    assert client.delete(url, headers=GARUDA).status_code == 404
    assert made["flight_session_id"] not in ids(client.get(SESSIONS, headers=GARUDA))


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_companys_session_is_404_like_an_unknown_one_and_untouched(client: TestClient, method: str) -> None:
    url = f"{SESSIONS}/{OTHER_COMPANY_SESSION}"
    before = client.get(url, headers=GARUDA_OTHER).json()
    foreign = client.request(method, url, headers=GARUDA, json={"end_date_time": 1527480200000}
                             if method == "PATCH" else None)
    unknown = client.request(method, f"{SESSIONS}/{'e' * 32}", headers=GARUDA,
                             json={"end_date_time": 1527480200000} if method == "PATCH" else None)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert client.get(url, headers=GARUDA_OTHER).json() == before


def test_malformed_id_is_a_400(client: TestClient) -> None:
    response = client.get(f"{SESSIONS}/not-an-id", headers=GARUDA)
    assert response.status_code == 400
    assert response.json()["message"].startswith("flight_session_id:")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": GARUDA["Authorization"]},
        {"X-API-Key": GARUDA["X-API-Key"]},
        {"Authorization": GARUDA["Authorization"], "X-API-Key": GARUDA_OTHER["X-API-Key"]},
        {"Authorization": "Bearer nope", "X-API-Key": GARUDA["X-API-Key"]},
        {"Authorization": "Token garuda-demo-token-acme", "X-API-Key": GARUDA["X-API-Key"]},
    ],
    ids=["none", "token-only", "key-only", "mixed-companies", "wrong-token", "wrong-scheme"],
)
def test_both_credentials_of_one_company_are_required(client: TestClient, headers: dict) -> None:
    response = client.get(SESSIONS, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"success": False, "message": "Invalid or missing credentials"}


def test_401_comes_before_validation(client: TestClient) -> None:
    assert client.post(SESSIONS, json={"nonsense": True}).status_code == 401
    assert client.get(f"{SESSIONS}/not-an-id").status_code == 401
