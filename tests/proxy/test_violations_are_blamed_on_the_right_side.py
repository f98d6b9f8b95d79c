"""In front of a backend that answers what each test sets: every kind of violation is reported on the side that
broke the contract, in the header, the journal and the log."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

from mock_server.proxy.reporting import MAX_HEADER_BYTES, VIOLATIONS_HEADER
from tests.mock.conftest import ALICE, GARUDA, new_session
from tests.proxy.payloads import flight_session, flight_status
from tests.proxy.upstreams import CannedUpstream

STATUS_PATH = "/flights/v1/status/DL5267GTRATL1608260204"
SESSION_PATH = "/v2/flight_sessions/0b28db84d57ea15b5c26e5c3ffce67fc"


def reported(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return json.loads(response.headers.get(VIOLATIONS_HEADER, "[]"))


def sides_and_checks(response) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(v["side"], v["check"]) for v in reported(response)}


def test_a_valid_answer_to_a_valid_request_reports_nothing(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(200, flight_status())
    response = proxied_canned.get(STATUS_PATH, headers=ALICE)
    assert response.status_code == 200
    assert VIOLATIONS_HEADER not in response.headers


def test_a_bad_request_body_is_blamed_on_the_frontend(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(400, {"success": False, "message": "start_date_time: must be an integer"})
    response = proxied_canned.post("/v2/flight_sessions", headers=GARUDA,
                                   json=new_session(start_date_time="yesterday"))
    assert response.status_code == 400  # forwarded: the backend's own answer comes back
    assert sides_and_checks(response) == {("request", "request-body")}
    assert "start_date_time" in reported(response)[0]["message"]
    assert len(canned.received) == 1


def test_missing_credentials_are_blamed_on_the_frontend(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(401, {"detail": "Authentication credentials were not provided."},
                  headers=[(b"content-type", b"application/json"), (b"www-authenticate", b"Token")])
    response = proxied_canned.get(STATUS_PATH)
    assert sides_and_checks(response) == {("request", "security")}


def test_an_undocumented_status_is_blamed_on_the_backend(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(500, {"success": False, "message": "boom"})
    response = proxied_canned.get(SESSION_PATH, headers=GARUDA)
    assert response.status_code == 500
    assert sides_and_checks(response) == {("response", "undocumented-status")}


def test_a_body_breaking_the_schema_is_blamed_on_the_backend(proxied_canned: TestClient,
                                                             canned: CannedUpstream) -> None:
    body = flight_session()
    body["data"]["start_date_time"] = "2018-05-28T01:00:00Z"  # a date, where the seed says epoch milliseconds
    canned.answer(200, body)
    response = proxied_canned.get(SESSION_PATH, headers=GARUDA)
    assert ("response", "response-body") in sides_and_checks(response)
    assert all(v["side"] == "response" for v in reported(response))


def test_a_flight_id_disagreeing_with_its_flight_is_blamed_on_the_backend(proxied_canned: TestClient,
                                                                           canned: CannedUpstream) -> None:
    status = flight_status()
    status["flight"]["number"] = 5268  # the id still says 5267
    canned.answer(200, status)
    response = proxied_canned.get(STATUS_PATH, headers=ALICE)
    assert sides_and_checks(response) == {("response", "flight_id_agrees_with_flight")}


def test_a_distribution_not_summing_to_one_is_blamed_on_the_backend(proxied_canned: TestClient,
                                                                    canned: CannedUpstream) -> None:
    status = flight_status()
    status["prediction"]["distribution"] = [0.5, 0.5, 0.5, 0]
    canned.answer(200, status)
    response = proxied_canned.get(STATUS_PATH, headers=ALICE)
    assert sides_and_checks(response) == {("response", "distribution_sums_to_one")}


def test_both_sides_can_be_wrong_in_one_exchange(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(500, {"detail": "boom"})
    response = proxied_canned.get("/flights/v1/search", params={"limit": 0}, headers=ALICE)
    assert sides_and_checks(response) == {("request", "parameter"), ("response", "undocumented-status")}


def test_the_answer_is_relayed_unchanged_with_the_violations_added(proxied_canned: TestClient,
                                                                    canned: CannedUpstream) -> None:
    canned.answer(500, {"success": False, "message": "boom"},
                  headers=[(b"content-type", b"application/json"), (b"x-upstream", b"yes"),
                           (b"set-cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"keep-alive", b"timeout=5")])
    response = proxied_canned.get(SESSION_PATH, headers=GARUDA)
    assert (response.status_code, response.content) == (500, canned.body)
    assert response.headers["x-upstream"] == "yes"
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "keep-alive" not in response.headers


def test_credentials_and_body_reach_the_backend_untouched(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(200, flight_session())
    body = json.dumps(new_session(), separators=(",", ":")).encode()
    proxied_canned.post("/v2/flight_sessions?trace=1", content=body,
                        headers={**GARUDA, "Content-Type": "application/json", "Connection": "keep-alive, X-Hop",
                                 "X-Hop": "1", "X-Request-Id": "abc"})
    sent = canned.received[-1]
    assert sent.header("authorization") == [GARUDA["Authorization"]]
    assert sent.header("x-api-key") == [GARUDA["X-API-Key"]]
    assert (sent.method, sent.path, sent.query, sent.body) == ("POST", "/v2/flight_sessions", "trace=1", body)
    assert sent.header("x-request-id") == ["abc"]
    assert sent.header("x-hop") == []
    assert sent.header("user-agent") == ["testclient"]  # the client's, not httpx's


def test_the_journal_records_side_blame_method_path_operation_check_and_time(proxied_canned: TestClient,
                                                                           canned: CannedUpstream) -> None:
    canned.answer(500, {"success": False, "message": "boom"})
    proxied_canned.get(SESSION_PATH, headers=GARUDA)
    canned.answer(400, {"success": False, "message": "bad"})
    proxied_canned.post("/v2/flight_sessions", headers=GARUDA, json={})
    entries = proxied_canned.get("/_mock/violations").json()["violations"]
    assert [(e["side"], e["blame"], e["method"], e["path"], e["operation"]) for e in entries] == [
        ("response", "backend", "GET", SESSION_PATH, "getFlightSession"),
        ("request", "frontend", "POST", "/v2/flight_sessions", "createFlightSession"),
    ]
    assert all(e["check"] and e["message"] and e["time"].endswith("Z") for e in entries)
    assert proxied_canned.delete("/_mock/violations").status_code == 204
    assert proxied_canned.get("/_mock/violations").json()["violations"] == []


def test_the_journal_is_bounded(canned: CannedUpstream, validator) -> None:  # type: ignore[no-untyped-def]
    from tests.proxy.conftest import proxy_in_front_of

    canned.answer(500, {"success": False, "message": "boom"})
    with proxy_in_front_of(canned, validator, journal_size=3) as client:
        for _ in range(5):
            client.get(SESSION_PATH, headers=GARUDA)
        journal = client.get("/_mock/violations").json()
    assert (len(journal["violations"]), journal["dropped"]) == (3, 2)


def test_violations_are_logged_without_any_credential(proxied_canned: TestClient, canned: CannedUpstream,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    canned.answer(500, {"detail": "boom"})
    token = ALICE["Authorization"].removeprefix("Token ")
    secret_query = {"departure_airport": token}  # echoed by the schema's complaint, must be masked
    with caplog.at_level(logging.WARNING, logger="mock_server.proxy"):
        response = proxied_canned.get("/flights/v1/search", params=secret_query, headers=ALICE)
    logged = caplog.text
    assert "contract violation by the frontend" in logged and "contract violation by the backend" in logged
    journal = json.dumps(proxied_canned.get("/_mock/violations").json())
    for secret in (*ALICE.values(), token):
        assert secret not in logged
        assert secret not in response.headers[VIOLATIONS_HEADER]
        assert secret not in journal


def test_the_violations_header_is_bounded(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    status = flight_status()
    page = {"count": 300, "next": None, "previous": None, "results": [status] * 300}
    for result in page["results"]:
        result["prediction"]["distribution"] = [0.5, 0.5, 0.5, 0]
    canned.answer(200, page)
    response = proxied_canned.get("/flights/v1/search", headers=ALICE)
    value = response.headers[VIOLATIONS_HEADER]
    assert len(value) <= MAX_HEADER_BYTES
    assert json.loads(value)[-1]["check"] == "truncated"


def test_strict_mode_refuses_a_bad_garuda_request_in_garudas_format(strict_canned: TestClient,
                                                                     canned: CannedUpstream) -> None:
    response = strict_canned.post("/v2/flight_sessions", headers=GARUDA, json=new_session(start_date_time="x"))
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and "start_date_time" in body["message"]
    assert sides_and_checks(response) == {("request", "request-body")}
    assert canned.received == []


def test_strict_mode_refuses_a_bad_flightsayer_request_in_drf_format(strict_canned: TestClient,
                                                                      canned: CannedUpstream) -> None:
    response = strict_canned.put("/subscriptions/DL5267GTRATL1608260204", headers=ALICE, json={"target": 5})
    assert response.status_code == 400
    assert set(response.json()) == {"detail"} and "target" in response.json()["detail"]
    assert canned.received == []


def test_strict_mode_forwards_a_good_request(strict_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(200, flight_status())
    assert strict_canned.get(STATUS_PATH, headers=ALICE).status_code == 200
    assert len(canned.received) == 1


def test_scripts_of_another_origin_may_read_the_violations(proxied_canned: TestClient, canned: CannedUpstream) -> None:
    canned.answer(500, {"success": False, "message": "boom"},
                  headers=[(b"content-type", b"application/json"), (b"access-control-allow-origin", b"*"),
                           (b"access-control-expose-headers", b"Allow")])
    response = proxied_canned.get(SESSION_PATH, headers={**GARUDA, "Origin": "http://localhost:3000"})
    assert response.headers["access-control-expose-headers"] == f"Allow, {VIOLATIONS_HEADER}"
