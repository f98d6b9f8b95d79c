"""The fast path answers reads itself, and answers every request exactly as the full connexion stack would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.app import MockApp, cors_options, create_app
from mock_server.fast_path import FastPath
from mock_server.garuda import handlers as garuda_handlers
from mock_server.state import MockState
from tests.mock.conftest import (
    ALICE,
    APPROVED_PLAN,
    BOB,
    DEPLOYMENT,
    GARUDA,
    GARUDA_OTHER,
    OTHER_APPROVED_PLAN,
    OTHER_COMPANY_SESSION,
    OTHER_DEPLOYMENT_OF_ACME,
    new_session,
)


@pytest.fixture(scope="module", params=[None, ["http://localhost:3000"]], ids=["any-origin", "one-origin"])
def twins(request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, TestClient]]:
    """The mock with and without its fast path, on equal data (only read here), under both kinds of CORS settings."""
    with (TestClient(create_app(cors_origins=request.param)) as fast,
          TestClient(create_app(fast_path=False, cors_origins=request.param)) as slow):
        yield fast, slow


_STATE = MockState.load(None)
ACME = next(c.company_id for c in _STATE.garuda.companies.values() if c.token == "garuda-demo-token-acme")
FLIGHTS = _STATE.catalog.flight_ids()[:3]
SESSIONS = [s["flight_session_id"] for s in _STATE.garuda.list(next(iter(_STATE.garuda.companies)))][:2]
_id = st.sampled_from([*FLIGHTS, *SESSIONS, OTHER_COMPANY_SESSION, "DL9999ATLBOS2601010000", "0" * 32, "abc",
                       "dl5267gtratl1608260204", "%20"])
_paths = st.one_of(
    st.sampled_from(["/v2/flight_sessions", "/v2/flight_sessions/", "/flights/v1/search", "/flights/v1/search/",
                     "/subscriptions/", "/subscriptions", "/flights/v1/status/", "/v2/nothing"]),
    _id.map(lambda i: f"/v2/flight_sessions/{i}"),
    _id.map(lambda i: f"/flights/v1/status/{i}"),
    _id.map(lambda i: f"/subscriptions/{i}"),
)
_values = {
    "departure_airport": ["ATL", "JFK", "atl", "ZZZ", "", "ATLX"],
    "arrival_airport": ["BOS", "LAX", "1AB"],
    "earliest_departure": ["2000-01-01T00:00:00Z", "2026-06-01T08:00:00-05:00", "2026-06-01 08:00:00+00:00",
                           "yesterday", "2026-06-01T08:00:00"],
    "latest_departure": ["2100-01-01T00:00:00Z", "2000-01-01T00:00:00+01:00"],
    "limit": ["1", "20", "100", "0", "101", "-1", "x", "", "1.5"],
    "offset": ["0", "3", "1000000", "-1", "y"],
    "deployment_id": [DEPLOYMENT, "0" * 32, "nope"],
    "flight_plan_id": ["fc5583b754db73cc526a6ffa919d393a", "F" * 32],
    "unknown": ["1"],
}
_query = st.lists(st.sampled_from(sorted(_values)).flatmap(lambda n: st.tuples(st.just(n),
                                                                              st.sampled_from(_values[n]))),
                  max_size=4)
_headers = st.fixed_dictionaries(
    {"credentials": st.sampled_from([GARUDA, GARUDA_OTHER, ALICE, BOB, {}, {"Authorization": "Token nope"},
                                     {"Authorization": "Bearer garuda-demo-token-acme"}])},
    optional={"Prefer": st.sampled_from(["code=404", "example=nothing", "return=minimal"]),
              "Origin": st.sampled_from(["http://localhost:3000", "https://elsewhere.example"])},
)


def _answer(client: TestClient, method: str, url: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    response = client.request(method, url, headers=headers)
    return response.status_code, dict(response.headers), response.content


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "GET", "GET", "HEAD"]), path=_paths, query=_query, headers=_headers)
def test_every_read_is_answered_as_connexion_answers_it(twins, method, path, query, headers) -> None:
    fast, slow = twins
    sent = {**headers.pop("credentials"), **headers}
    url = path + ("?" + urlencode(query) if query else "")
    assert _answer(fast, method, url, sent) == _answer(slow, method, url, sent)


class _Refusing:
    """The app behind the fast path, counting what reaches it."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _scope(path: str, query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> dict:
    return {"type": "http", "method": "GET", "path": path, "query_string": query, "scheme": "http",
            "server": ("testserver", 80), "root_path": "",
            "headers": [(b"host", b"testserver"), *(headers or [])], "mock.state": _STATE}


def _call(app, scope: dict) -> tuple[int, bytes]:
    return asyncio.run(_call_async(app, scope))


async def _call_async(app, scope: dict) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


ALICE_HEADER = [(b"authorization", ALICE["Authorization"].encode())]
ACME_HEADERS = [(k.lower().encode(), v.encode()) for k, v in GARUDA.items()]


@pytest.mark.parametrize("path, query, headers", [
    (f"/flights/v1/status/{FLIGHTS[0]}", b"", ALICE_HEADER),
    ("/flights/v1/search", b"departure_airport=ATL&limit=5", ALICE_HEADER),
    ("/subscriptions/", b"", ALICE_HEADER),
    ("/v2/flight_sessions", f"deployment_id={DEPLOYMENT}".encode(), ACME_HEADERS),
    (f"/v2/flight_sessions/{SESSIONS[0]}", b"", ACME_HEADERS),
    ("/flights/v1/search", b"", [*ALICE_HEADER, (b"origin", b"http://localhost:3000")]),  # a browser's
])
def test_plain_reads_are_answered_without_connexion(path, query, headers) -> None:
    behind = _Refusing()
    status, body = _call(FastPath(behind, cors_options(None)), _scope(path, query, headers))
    assert (status, behind.calls) == (200, 0)
    json.loads(body)


@pytest.mark.parametrize("path, query, headers", [
    (f"/flights/v1/status/{FLIGHTS[0]}", b"", []),  # no credentials
    ("/flights/v1/status/DL9999ATLBOS2601010000", b"", ALICE_HEADER),  # unknown flight
    ("/flights/v1/search", b"limit=0", ALICE_HEADER),  # invalid parameter
    ("/flights/v1/search", b"limit=1&limit=2", ALICE_HEADER),  # repeated parameter
    ("/flights/v1/search", b"earliest_departure=2026-06-01T08:00:00", ALICE_HEADER),  # no offset
    ("/flights/v1/search", b"", [*ALICE_HEADER, (b"prefer", b"code=404")]),
    (f"/v2/flight_sessions/{OTHER_COMPANY_SESSION}", b"", ACME_HEADERS),  # another company's
    ("/v2/flight_sessions/", b"", ACME_HEADERS),  # not in the spec's form (the front door rewrites it)
])
def test_anything_but_a_plain_success_goes_to_the_full_stack(path, query, headers) -> None:
    behind = _Refusing()
    status, _ = _call(FastPath(behind, cors_options(None)), _scope(path, query, headers))
    assert (status, behind.calls) == (599, 1)


def test_a_read_sees_a_write_made_just_before(client: TestClient) -> None:
    fast = client
    created = fast.post("/v2/flight_sessions", headers=GARUDA, json=new_session()).json()["data"]
    try:
        listed = fast.get("/v2/flight_sessions", headers=GARUDA).json()["data"]
        assert created in listed
        assert fast.get(f"/v2/flight_sessions/{created['flight_session_id']}", headers=GARUDA).json()["data"] == created
    finally:
        fast.delete(f"/v2/flight_sessions/{created['flight_session_id']}", headers=GARUDA)
    assert fast.get(f"/v2/flight_sessions/{created['flight_session_id']}", headers=GARUDA).status_code == 404


def test_a_changed_flight_is_answered_as_changed(app: MockApp, client: TestClient) -> None:
    fast = client
    flight_id = FLIGHTS[1]
    before = fast.get(f"/flights/v1/status/{flight_id}", headers=ALICE).json()
    app.state.catalog.update(flight_id, departure_gate="Z99")  # the fixture resets the state afterwards
    after = fast.get(f"/flights/v1/status/{flight_id}", headers=ALICE).json()
    assert after["status"]["departure"]["gate"] == "Z99" != before["status"]["departure"].get("gate")


_writes = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from([DEPLOYMENT, OTHER_DEPLOYMENT_OF_ACME]),
              st.sampled_from([APPROVED_PLAN, OTHER_APPROVED_PLAN])),
    st.tuples(st.just("patch"), st.integers(0, 5), st.integers(1_500_000_000_000, 1_600_000_000_000)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("reset")),
), min_size=1, max_size=8)
_FILTERS = [{}, {"deployment_id": DEPLOYMENT}, {"flight_plan_id": APPROVED_PLAN},
            {"deployment_id": OTHER_DEPLOYMENT_OF_ACME, "flight_plan_id": OTHER_APPROVED_PLAN}]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=_writes)
def test_a_session_list_is_never_older_than_the_last_write(app: MockApp, client: TestClient, writes) -> None:
    """The fast path keeps session lists serialised; every kind of write must make it build them again."""
    app.state.reset()
    for write in writes:
        ids = [s["flight_session_id"] for s in app.state.garuda.list(ACME)]
        response = None
        if write[0] == "create":
            response = client.post("/v2/flight_sessions", headers=GARUDA,
                                   json=new_session(deployment_id=write[1], flight_plan_id=write[2]))
        elif write[0] == "patch" and ids:
            response = client.patch(f"/v2/flight_sessions/{ids[write[1] % len(ids)]}", headers=GARUDA,
                                    json={"end_date_time": write[2] + 10**13, "start_date_time": write[2]})
        elif write[0] == "delete" and ids:
            response = client.delete(f"/v2/flight_sessions/{ids[write[1] % len(ids)]}", headers=GARUDA)
        elif write[0] == "reset":
            response = client.post("/_mock/reset", json={})
        assert response is None or response.status_code == 200, response.text
        for filters in _FILTERS:
            served = client.get("/v2/flight_sessions", headers=GARUDA, params=filters).json()
            assert served == garuda_handlers.sessions_reply(app.state.garuda, ACME, **filters)


def test_statuses_the_fast_path_serves_are_proven_valid_as_they_are_encoded(app: MockApp, client: TestClient) -> None:
    """The fast path has the catalog encode statuses through the FlightStatus check, so a page of statuses never
    seen before is not parsed back to be checked; the bytes are the full stack's."""
    catalog = app.state.catalog
    page = client.get("/flights/v1/search", headers=ALICE, params={"limit": 5, "offset": 7})
    assert page.status_code == 200
    check = catalog.encode_status.__self__
    ids = [status["flight"]["id"] for status in page.json()["results"]]
    assert ids and all(check.remembers(catalog.status_json(i)) for i in ids)
    assert client.get(f"/flights/v1/status/{ids[0]}", headers=ALICE).content == catalog.status_json(ids[0])
