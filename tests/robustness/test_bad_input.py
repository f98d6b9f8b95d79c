"""Bad input of every kind: a 4xx in the API's own error format that says what is wrong, and nothing changes.

Each row sends one malformed request (body, field, number, content type, size, path, query, method) and checks the
status, the error format (:mod:`tests.robustness.error_formats`) and that ``GET /_mock/state`` is byte-for-byte what
it was before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from tests.mock.conftest import (
    ALICE,
    APPROVED_PLAN,
    DEPLOYMENT,
    GARUDA,
    OTHER_COMPANY_DEPLOYMENT,
    OTHER_COMPANY_PLAN,
    UNAPPROVED_PLAN,
    new_session,
)
from tests.robustness.error_formats import Family, assert_error_format

SESSIONS = "/v2/flight_sessions"
OWN_SESSION = f"{SESSIONS}/0b28db84d57ea15b5c26e5c3ffce67fc"
FLIGHT = "DL5267GTRATL1608260204"  # the seed's example flight, in the bundled catalog
SUBSCRIPTION = f"/subscriptions/{FLIGHT}"
JSON = "application/json"


@dataclass(frozen=True)
class BadInput:
    name: str
    method: str
    path: str
    status: int
    body: bytes | None = None
    content_type: str | None = JSON
    headers: dict[str, str] = field(default_factory=dict)
    mentions: str | None = None  # a word the error must contain (the field it is about)


def raw(value: Any) -> bytes:
    return json.dumps(value).encode()


def garuda(name: str, method: str, path: str, status: int, body: Any = None, **kw: Any) -> BadInput:
    return BadInput(f"garuda-{name}", method, path, status, body if body is None or isinstance(body, bytes)
                    else raw(body), headers={**GARUDA, **kw.pop("headers", {})}, **kw)


def flightsayer(name: str, method: str, path: str, status: int, body: Any = None, **kw: Any) -> BadInput:
    return BadInput(f"flightsayer-{name}", method, path, status, body if body is None or isinstance(body, bytes)
                    else raw(body), headers={**ALICE, **kw.pop("headers", {})}, **kw)


def control(name: str, method: str, path: str, status: int, body: Any = None, **kw: Any) -> BadInput:
    return BadInput(f"control-{name}", method, path, status, body if body is None or isinstance(body, bytes)
                    else raw(body), **kw)


TOO_LARGE = b"[" + b"0," * (DEFAULT_MAX_BODY_BYTES // 2) + b"0]"

GARUDA_BODIES = [
    garuda("malformed-json", "POST", SESSIONS, 400, b"{not json"),
    garuda("truncated-json", "POST", SESSIONS, 400, b'{"deployment_id": "'),
    garuda("non-utf8", "POST", SESSIONS, 400, b"\xff\xfe\x00{}"),
    garuda("utf8-with-lone-surrogate", "POST", SESSIONS, 400, b'{"deployment_id": "\xed\xa0\x80"}'),
    garuda("top-level-array", "POST", SESSIONS, 400, [new_session()]),
    garuda("top-level-string", "POST", SESSIONS, 400, "session"),
    garuda("top-level-number", "POST", SESSIONS, 400, 42),
    garuda("top-level-null", "POST", SESSIONS, 400, b"null"),
    garuda("top-level-true", "POST", SESSIONS, 400, b"true"),
    garuda("empty-body", "POST", SESSIONS, 400, b""),
    garuda("whitespace-body", "POST", SESSIONS, 400, b"  \n "),
    garuda("deeply-nested", "POST", SESSIONS, 400, b'{"a": ' * 100_000),
    garuda("empty-object", "POST", SESSIONS, 400, {}, mentions="deployment_id"),
    garuda("missing-flight-plan", "POST", SESSIONS, 400, {k: v for k, v in new_session().items()
                                                          if k != "flight_plan_id"}, mentions="flight_plan_id"),
    garuda("deployment-null", "POST", SESSIONS, 400, new_session(deployment_id=None), mentions="deployment_id"),
    garuda("deployment-integer", "POST", SESSIONS, 400, new_session(deployment_id=7), mentions="deployment_id"),
    garuda("deployment-object", "POST", SESSIONS, 400, new_session(deployment_id={"id": DEPLOYMENT}),
           mentions="deployment_id"),
    garuda("deployment-upper-hex", "POST", SESSIONS, 400, new_session(deployment_id=DEPLOYMENT.upper()),
           mentions="deployment_id"),
    garuda("deployment-10k-chars", "POST", SESSIONS, 400, new_session(deployment_id="a" * 10_000),
           mentions="deployment_id"),
    garuda("deployment-unicode", "POST", SESSIONS, 400, new_session(deployment_id="é" * 32), mentions="deployment_id"),
    garuda("start-as-string", "POST", SESSIONS, 400, new_session(start_date_time="1527469200000"),
           mentions="start_date_time"),
    garuda("start-fractional", "POST", SESSIONS, 400, new_session(start_date_time=1527469200000.5),
           mentions="start_date_time"),
    garuda("start-negative", "POST", SESSIONS, 400, new_session(start_date_time=-1), mentions="start_date_time"),
    garuda("start-boolean", "POST", SESSIONS, 400, new_session(start_date_time=True), mentions="start_date_time"),
    garuda("end-enormous-integer", "POST", SESSIONS, 400, new_session(end_date_time=10**40),
           mentions="end_date_time"),
    garuda("end-10k-digit-integer", "POST", SESSIONS, 400, b'{"end_date_time": ' + b"9" * 10_000 + b"}"),
    garuda("end-enormous-float", "POST", SESSIONS, 400, new_session(end_date_time=1e308), mentions="end_date_time"),
    garuda("end-nan", "POST", SESSIONS, 400, raw(new_session()).replace(b"1527479200000", b"NaN")),
    garuda("end-infinity", "POST", SESSIONS, 400, raw(new_session()).replace(b"1527479200000", b"-Infinity")),
    garuda("end-before-start", "POST", SESSIONS, 400, new_session(end_date_time=1), mentions="end_date_time"),
    garuda("unknown-deployment", "POST", SESSIONS, 400, new_session(deployment_id="f" * 32),
           mentions="deployment_id"),
    garuda("other-company-deployment", "POST", SESSIONS, 400, new_session(deployment_id=OTHER_COMPANY_DEPLOYMENT),
           mentions="deployment_id"),
    garuda("unapproved-plan", "POST", SESSIONS, 400, new_session(flight_plan_id=UNAPPROVED_PLAN),
           mentions="flight_plan_id"),
    garuda("other-company-plan", "POST", SESSIONS, 400, new_session(flight_plan_id=OTHER_COMPANY_PLAN),
           mentions="flight_plan_id"),
    garuda("text-plain", "POST", SESSIONS, 415, raw(new_session()), content_type="text/plain"),
    garuda("form-encoded", "POST", SESSIONS, 415, b"deployment_id=x", content_type="application/x-www-form-urlencoded"),
    garuda("no-content-type", "POST", SESSIONS, 415, raw(new_session()), content_type=None),
    garuda("oversized-body", "POST", SESSIONS, 413, TOO_LARGE),
    garuda("patch-unknown-field", "PATCH", OWN_SESSION, 400, {"colour": "red"}, mentions="colour"),
    garuda("patch-company-id", "PATCH", OWN_SESSION, 400, {"company_id": "0" * 32}, mentions="company_id"),
    garuda("patch-start-null", "PATCH", OWN_SESSION, 400, {"start_date_time": None}, mentions="start_date_time"),
    garuda("patch-array", "PATCH", OWN_SESSION, 400, [{"start_date_time": 1}]),
    garuda("patch-empty-body", "PATCH", OWN_SESSION, 400, b""),
    garuda("patch-end-before-start", "PATCH", OWN_SESSION, 400, {"end_date_time": 0}, mentions="end_date_time"),
    garuda("patch-unapproved-plan", "PATCH", OWN_SESSION, 400, {"flight_plan_id": UNAPPROVED_PLAN},
           mentions="flight_plan_id"),
    garuda("patch-oversized-body", "PATCH", OWN_SESSION, 413, TOO_LARGE),
]

GARUDA_PATHS_AND_QUERIES = [
    garuda("id-upper-hex", "GET", OWN_SESSION.upper().replace("/V2/FLIGHT_SESSIONS", SESSIONS), 400),
    garuda("id-too-short", "GET", f"{SESSIONS}/0b28db84", 400),
    garuda("id-unicode", "GET", f"{SESSIONS}/{'ü' * 32}", 400),
    garuda("id-percent-encoded-slash", "GET", f"{SESSIONS}/0b28db84%2Fd57ea15b5c26e5c3ffce67fc", 404),
    garuda("id-percent-encoded-nul", "DELETE", f"{SESSIONS}/%00b28db84d57ea15b5c26e5c3ffce67fc", 400),
    garuda("id-4k-segment", "PATCH", f"{SESSIONS}/{'a' * 4000}", 400, {}),
    garuda("id-huge-segment", "GET", f"{SESSIONS}/{'a' * 20_000}", 414),
    garuda("filter-malformed", "GET", f"{SESSIONS}?deployment_id=nope", 400, mentions="deployment_id"),
    garuda("filter-repeated", "GET", f"{SESSIONS}?flight_plan_id={APPROVED_PLAN}&flight_plan_id={APPROVED_PLAN}",
           400, mentions="flight_plan_id"),
    garuda("filter-unicode", "GET", f"{SESSIONS}?deployment_id={'٣' * 32}", 400, mentions="deployment_id"),
    garuda("unknown-path", "GET", "/v2/flight_sessionz", 404),
    garuda("put-collection", "PUT", SESSIONS, 405, new_session()),
    garuda("post-item", "POST", OWN_SESSION, 405, new_session()),
    garuda("trace-collection", "TRACE", SESSIONS, 405),
]

FLIGHTSAYER = [
    flightsayer("status-malformed-id", "GET", "/flights/v1/status/not-a-flight", 400),
    flightsayer("status-lower-case-id", "GET", f"/flights/v1/status/{FLIGHT.lower()}", 400),
    flightsayer("status-too-long-id", "GET", f"/flights/v1/status/{FLIGHT}0", 400),
    flightsayer("status-unicode-id", "GET", "/flights/v1/status/\uff24\uff2c5267GTRATL1608260204", 400),
    flightsayer("status-percent-encoded-id", "GET", "/flights/v1/status/DL5267%00TRATL1608260204", 400),
    flightsayer("status-huge-id", "GET", f"/flights/v1/status/{'A' * 20_000}", 414),
    flightsayer("search-limit-zero", "GET", "/flights/v1/search?limit=0", 400, mentions="limit"),
    flightsayer("search-limit-above-max", "GET", "/flights/v1/search?limit=101", 400, mentions="limit"),
    flightsayer("search-limit-negative", "GET", "/flights/v1/search?limit=-1", 400, mentions="limit"),
    flightsayer("search-limit-not-a-number", "GET", "/flights/v1/search?limit=ten", 400, mentions="limit"),
    flightsayer("search-limit-float", "GET", "/flights/v1/search?limit=1.5", 400, mentions="limit"),
    flightsayer("search-limit-enormous", "GET", f"/flights/v1/search?limit={10**30}", 400, mentions="limit"),
    flightsayer("search-limit-empty", "GET", "/flights/v1/search?limit=", 400, mentions="limit"),
    flightsayer("search-offset-negative", "GET", "/flights/v1/search?offset=-5", 400, mentions="offset"),
    flightsayer("search-limit-repeated", "GET", "/flights/v1/search?limit=1&limit=2", 400, mentions="limit"),
    flightsayer("search-airport-lower-case", "GET", "/flights/v1/search?departure_airport=bos", 400,
                mentions="departure_airport"),
    flightsayer("search-airport-unicode", "GET", "/flights/v1/search?arrival_airport=%C3%9CBB", 400,
                mentions="arrival_airport"),
    flightsayer("search-bound-not-a-date", "GET", "/flights/v1/search?earliest_departure=yesterday", 400,
                mentions="earliest_departure"),
    flightsayer("search-bound-unencoded-plus", "GET", "/flights/v1/search?latest_departure=2016-08-25T21:04:00+05:00",
                400, mentions="latest_departure"),
    flightsayer("subscriptions-limit-not-a-number", "GET", "/subscriptions/?limit=x", 400, mentions="limit"),
    flightsayer("put-malformed-json", "PUT", SUBSCRIPTION, 400, b"{"),
    flightsayer("put-non-utf8", "PUT", SUBSCRIPTION, 400, b'{"target": "\xff"}'),
    flightsayer("put-empty-body", "PUT", SUBSCRIPTION, 400, b""),
    flightsayer("put-top-level-array", "PUT", SUBSCRIPTION, 400, [{"target": "http://e.com/"}]),
    flightsayer("put-top-level-null", "PUT", SUBSCRIPTION, 400, b"null"),
    flightsayer("put-missing-target", "PUT", SUBSCRIPTION, 400, {}, mentions="target"),
    flightsayer("put-target-null", "PUT", SUBSCRIPTION, 400, {"target": None}, mentions="target"),
    flightsayer("put-target-integer", "PUT", SUBSCRIPTION, 400, {"target": 80}, mentions="target"),
    flightsayer("put-target-ftp", "PUT", SUBSCRIPTION, 400, {"target": "ftp://e.com/x"}, mentions="target"),
    flightsayer("put-target-relative", "PUT", SUBSCRIPTION, 400, {"target": "/hooks"}, mentions="target"),
    flightsayer("put-target-too-long", "PUT", SUBSCRIPTION, 400, {"target": "http://e.com/" + "a" * 3000},
                mentions="target"),
    flightsayer("put-target-control-character", "PUT", SUBSCRIPTION, 400, {"target": "https://e.com/\x0e"},
                mentions="target"),
    flightsayer("put-target-not-ascii", "PUT", SUBSCRIPTION, 400, {"target": "https://\U000f0d2e.com/"},
                mentions="target"),
    flightsayer("put-target-bad-percent-escape", "PUT", SUBSCRIPTION, 400, {"target": "https://e.com/%zz"},
                mentions="target"),
    flightsayer("put-text-plain", "PUT", SUBSCRIPTION, 415, b'{"target": "http://e.com/"}', content_type="text/plain"),
    flightsayer("put-oversized-body", "PUT", SUBSCRIPTION, 413, TOO_LARGE),
    flightsayer("put-unknown-flight", "PUT", "/subscriptions/ZZ9999AAABBB0001010000", 404,
                {"target": "http://e.com/"}),
    flightsayer("put-malformed-flight-id", "PUT", "/subscriptions/nope", 400, {"target": "http://e.com/"}),
    flightsayer("delete-unknown-subscription", "DELETE", SUBSCRIPTION, 404),
    flightsayer("post-subscription", "POST", SUBSCRIPTION, 405, {"target": "http://e.com/"}),
    flightsayer("delete-search", "DELETE", "/flights/v1/search", 405),
    flightsayer("patch-status", "PATCH", f"/flights/v1/status/{FLIGHT}", 405, {}),
    flightsayer("unknown-path", "GET", "/flights/v1/statuses", 404),
]

CONTROL = [
    control("state-not-a-snapshot", "PUT", "/_mock/state", 400, {"format": 1}),
    control("state-wrong-format", "PUT", "/_mock/state", 400, {"format": 99, "garuda": {}, "flightsayer": {}}),
    control("state-array", "PUT", "/_mock/state", 400, []),
    control("state-malformed-json", "PUT", "/_mock/state", 400, b"{"),
    control("reset-seed-negative", "POST", "/_mock/reset", 400, {"seed": -1}),
    control("reset-seed-string", "POST", "/_mock/reset", 400, {"seed": "1"}),
    control("latency-above-max", "PUT", "/_mock/latency", 400, {"fixed_ms": 10**9}),
    control("fault-unknown-operation", "POST", "/_mock/faults", 400, {"operation": "nope", "status": 500}),
    control("fault-count-zero", "POST", "/_mock/faults", 400, {"operation": "searchFlights", "count": 0,
                                                               "status": 503}),
    control("fault-success-status", "POST", "/_mock/faults", 400, {"operation": "searchFlights", "status": 200}),
    control("state-oversized", "PUT", "/_mock/state", 413, TOO_LARGE),
]

CASES = GARUDA_BODIES + GARUDA_PATHS_AND_QUERIES + FLIGHTSAYER + CONTROL


def family_of(case: BadInput) -> Family:
    return case.name.split("-", 1)[0]  # type: ignore[return-value]


def test_the_table_covers_every_kind_of_bad_input() -> None:
    assert len(CASES) >= 50
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input_is_a_4xx_in_the_api_format_and_changes_nothing(client: TestClient, case: BadInput) -> None:
    before = client.get("/_mock/state").json()
    headers = dict(case.headers)
    if case.content_type is not None and case.body is not None:
        headers["Content-Type"] = case.content_type
    response = client.request(case.method, case.path, headers=headers, content=case.body)
    assert response.status_code == case.status, response.text[:500]
    assert_error_format(response, family_of(case))
    if case.mentions is not None:
        assert case.mentions in response.text, response.text
    assert client.get("/_mock/state").json() == before


def test_a_405_lists_exactly_the_methods_the_path_has(client: TestClient) -> None:
    response = client.request("TRACE", SESSIONS, headers=GARUDA)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    response = client.post(SUBSCRIPTION, headers=ALICE, json={})
    assert response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PUT"


@pytest.mark.parametrize(("path", "headers"), [(SESSIONS, GARUDA), ("/flights/v1/status/{flight}", ALICE),
                                                ("/subscriptions/", ALICE), ("/flights/v1/search?limit=1", ALICE)])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str, headers: dict) -> None:
    flight = client.get("/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0]["flight"]["id"]
    path = path.format(flight=flight)
    get, head = client.get(path, headers=headers), client.head(path, headers=headers)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_options_answers_the_allowed_methods_without_credentials(client: TestClient) -> None:
    response = client.options(OWN_SESSION, headers={"Origin": "http://localhost:3000",
                                                    "Access-Control-Request-Method": "PATCH"})
    assert response.status_code == 200
    assert "PATCH" in response.headers["access-control-allow-methods"] or \
        response.headers["access-control-allow-methods"] == "*"
