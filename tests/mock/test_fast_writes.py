"""The fast path makes writes itself, and answers and changes every write exactly as the full connexion stack would."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.app import MockApp, cors_options, create_app
from mock_server.control.latency import LatencyRule
from mock_server.fast_writes import FastWrites
from mock_server.persistence import Persistence, PersistenceFailed
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
    UNAPPROVED_PLAN,
    new_session,
)

_STATE = MockState.load(None)
FLIGHTS = _STATE.catalog.flight_ids()[:3]
ACME_SESSIONS = [s["flight_session_id"] for s in _STATE.garuda.list(next(iter(_STATE.garuda.companies)))][:2]


def _deterministic(app: MockApp) -> None:
    """New session ids and subscription times from counters, so two apps given the same writes hold the same data
    and send the same bytes."""
    ids = itertools.count(1)
    app.state.garuda._new_id = lambda: f"{next(ids):032x}"  # type: ignore[method-assign]
    moments = itertools.count()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    app.state.subscriptions._now = lambda: start + timedelta(seconds=next(moments))


@pytest.fixture(scope="module", params=[None, ["http://localhost:3000"]], ids=["any-origin", "one-origin"])
def twins(request: pytest.FixtureRequest) -> Iterator[tuple[MockApp, TestClient, MockApp, TestClient]]:
    """The mock with and without its fast path, under both kinds of CORS settings."""
    fast_app, slow_app = create_app(cors_origins=request.param), create_app(fast_path=False,
                                                                           cors_origins=request.param)
    with TestClient(fast_app) as fast, TestClient(slow_app) as slow:
        yield fast_app, fast, slow_app, slow


_session_bodies = st.one_of(
    st.builds(new_session, deployment_id=st.sampled_from([DEPLOYMENT, OTHER_DEPLOYMENT_OF_ACME, "0" * 32, "nope"]),
              flight_plan_id=st.sampled_from([APPROVED_PLAN, OTHER_APPROVED_PLAN, UNAPPROVED_PLAN]),
              start_date_time=st.sampled_from([1527469200000, 1527479200001, -1, "1527469200000", 1.5]),
              end_date_time=st.sampled_from([1527479200000, 1527469100000])),
    st.just(new_session(flight_session_id="f" * 32, company_id="c" * 32, note="ignored")),
    st.just({k: v for k, v in new_session().items() if k != "end_date_time"}),
)
_patch_bodies = st.one_of(
    st.fixed_dictionaries({}, optional={"end_date_time": st.sampled_from([1527479200005, 1527469100000, "x"]),
                                        "start_date_time": st.sampled_from([1527469200005, None]),
                                        "deployment_id": st.sampled_from([OTHER_DEPLOYMENT_OF_ACME, "nope"]),
                                        "flight_plan_id": st.sampled_from([OTHER_APPROVED_PLAN, UNAPPROVED_PLAN]),
                                        "company_id": st.just("c" * 32)}),
)
_subscription_bodies = st.one_of(
    st.fixed_dictionaries({"target": st.sampled_from(["http://127.0.0.1:9/hook", "https://example.com/a?b=c",
                                                      "not a url", "", "http://[::1]:80/x", 5])},
                          optional={"flight_id": st.just("ignored"), "extra": st.just(1)}),
    st.just({}),
)
# Bodies as sent: JSON of the values above, and bodies no JSON object is made of.
_raw = st.sampled_from([b"", b"[]", b"null", b'"text"', b"{", b"\xff\xfe", b"{}", b'{"a": NaN}'])


def _encoded(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(values.map(lambda v: json.dumps(v).encode()), values.map(lambda v: json.dumps(v, indent=1)
                                                                                .encode()), _raw)


_session_id = st.one_of(st.integers(0, 9), st.sampled_from([OTHER_COMPANY_SESSION, "0" * 32, "abc", *ACME_SESSIONS]))
_flight = st.sampled_from([*FLIGHTS, "DL9999ATLBOS2601010000", "abc"])
_write = st.one_of(
    st.tuples(st.just("POST"), st.just(None), _encoded(_session_bodies)),
    st.tuples(st.just("PATCH"), _session_id, _encoded(_patch_bodies)),
    st.tuples(st.just("DELETE"), _session_id, st.just(b"")),
    st.tuples(st.just("PUT"), _flight, _encoded(_subscription_bodies)),
    st.tuples(st.just("DELETE-subscription"), _flight, st.just(b"")),
)
_headers = st.fixed_dictionaries(
    {"credentials": st.sampled_from([GARUDA, GARUDA, GARUDA_OTHER, ALICE, ALICE, BOB, {},
                                     {"Authorization": "Token nope"},
                                     {"Authorization": "Bearer garuda-demo-token-acme"}]),
     "Content-Type": st.sampled_from(["application/json", "application/json", "application/json",
                                      "application/json; charset=utf-8", "text/plain", None])},
    optional={"Prefer": st.sampled_from(["code=404", "example=seed", "return=minimal"]),
              "Origin": st.sampled_from(["http://localhost:3000", "https://elsewhere.example"])},
)


def _request(state: MockState, write: tuple[str, Any, bytes]) -> tuple[str, str, bytes]:
    """Method, URL and body of ``write``; an integer session id picks one of the sessions the company has now."""
    kind, target, body = write
    if kind == "POST":
        return "POST", "/v2/flight_sessions", body
    if kind in ("PATCH", "DELETE"):
        if isinstance(target, int):
            ids = [s["flight_session_id"] for s in state.garuda.list(next(iter(state.garuda.companies)))]
            target = ids[target % len(ids)] if ids else "0" * 32
        return kind, f"/v2/flight_sessions/{target}", body
    return ("PUT" if kind == "PUT" else "DELETE"), f"/subscriptions/{target}", body


def _answer(client: TestClient, method: str, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    response = client.request(method, url, content=body or None, headers=headers)
    return response.status_code, {k: v for k, v in response.headers.items() if k != "date"}, response.content


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(_write, _headers), min_size=1, max_size=8))
def test_every_write_is_answered_and_applied_as_connexion_does_it(twins, steps) -> None:
    fast_app, fast, slow_app, slow = twins
    for app in (fast_app, slow_app):
        app.state.reset()
        _deterministic(app)
    for write, headers in steps:
        sent = {**headers["credentials"], **{k: v for k, v in headers.items() if k != "credentials" and v}}
        method, url, body = _request(slow_app.state, write)
        assert _answer(fast, method, url, body, sent) == _answer(slow, method, url, body, sent), (method, url, body)
        assert fast_app.state.export() == slow_app.state.export()


class _Behind:
    """The app behind the fast path, recording what reaches it and the body it can still read."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope, receive, send) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        self.bodies.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _headers_of(credentials: dict[str, str], body: bytes, content_type: bytes | None = b"application/json",
                extra: tuple[tuple[bytes, bytes], ...] = ()) -> list[tuple[bytes, bytes]]:
    headers = [(k.lower().encode(), v.encode()) for k, v in credentials.items()]
    if body:
        headers.append((b"content-length", str(len(body)).encode()))
    if content_type is not None:
        headers.append((b"content-type", content_type))
    return [(b"host", b"testserver"), *headers, *extra]


def _call(app, state: MockState, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes,
          control: Any = None) -> tuple[int, bytes]:
    scope = {"type": "http", "method": method, "path": path, "query_string": b"", "scheme": "http",
             "server": ("testserver", 80), "root_path": "", "headers": headers, "mock.state": state,
             "mock.control": control}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def state() -> MockState:
    return MockState.load(None)


def _plain_writes(state: MockState) -> list[tuple[str, str, dict[str, str], bytes, int]]:
    session = ACME_SESSIONS[0]
    return [
        ("POST", "/v2/flight_sessions", GARUDA, json.dumps(new_session()).encode(), 200),
        ("PATCH", f"/v2/flight_sessions/{session}", GARUDA, b'{"end_date_time": 1999999999999}', 200),
        ("DELETE", f"/v2/flight_sessions/{session}", GARUDA, b"", 200),
        ("PUT", f"/subscriptions/{FLIGHTS[0]}", ALICE, b'{"target": "http://127.0.0.1:9/hook"}', 201),
        ("PUT", f"/subscriptions/{FLIGHTS[0]}", ALICE, b'{"target": "http://127.0.0.1:9/other"}', 200),
        ("DELETE", f"/subscriptions/{FLIGHTS[0]}", ALICE, b"", 204),
    ]


def test_plain_writes_are_answered_and_made_without_connexion(state: MockState) -> None:
    behind = _Behind()
    layer = FastWrites(behind, cors_options(None))
    for method, path, credentials, body, status in _plain_writes(state):
        before = state.export()
        answered, reply = _call(layer, state, method, path, _headers_of(credentials, body), body)
        assert (answered, behind.bodies) == (status, []), (method, path, reply)
        assert state.export() != before
        if status != 204:
            json.loads(reply)


@pytest.mark.parametrize("method, path, credentials, body, content_type, extra", [
    ("POST", "/v2/flight_sessions", GARUDA, json.dumps(new_session(flight_plan_id=UNAPPROVED_PLAN)).encode(),
     b"application/json", ()),  # the store refuses it
    ("POST", "/v2/flight_sessions", GARUDA, b'{"deployment_id": 1}', b"application/json", ()),  # invalid body
    ("POST", "/v2/flight_sessions", GARUDA, b"[]", b"application/json", ()),  # not an object
    ("POST", "/v2/flight_sessions", GARUDA, b"{", b"application/json", ()),  # not JSON
    ("POST", "/v2/flight_sessions", GARUDA, json.dumps(new_session()).encode(), None, ()),  # no content type
    ("POST", "/v2/flight_sessions", GARUDA, json.dumps(new_session()).encode(), b"application/json; charset=utf-8",
     ()),
    ("POST", "/v2/flight_sessions", GARUDA, json.dumps(new_session()).encode(), b"application/json",
     ((b"prefer", b"code=400"),)),
    ("POST", "/v2/flight_sessions", {}, json.dumps(new_session()).encode(), b"application/json", ()),  # no auth
    ("PATCH", f"/v2/flight_sessions/{OTHER_COMPANY_SESSION}", GARUDA, b'{"end_date_time": 1999999999999}',
     b"application/json", ()),  # another company's
    ("PATCH", f"/v2/flight_sessions/{ACME_SESSIONS[0]}", GARUDA, b'{"company_id": "x"}', b"application/json", ()),
    ("DELETE", "/v2/flight_sessions/" + "0" * 32, GARUDA, b"", None, ()),  # unknown
    ("DELETE", f"/v2/flight_sessions/{ACME_SESSIONS[0]}", GARUDA, b"{}", b"application/json", ()),  # with a body
    ("PUT", "/subscriptions/DL9999ATLBOS2601010000", ALICE, b'{"target": "http://127.0.0.1:9/"}',
     b"application/json", ()),  # unknown flight
    ("PUT", f"/subscriptions/{FLIGHTS[0]}", ALICE, b'{"target": "not a url"}', b"application/json", ()),
    ("PUT", f"/subscriptions/{FLIGHTS[0]}", GARUDA, b'{"target": "http://127.0.0.1:9/"}', b"application/json", ()),
    ("PUT", f"/subscriptions/{FLIGHTS[0]}", ALICE, b'{"target": "http://127.0.0.1:9/"}', b"application/json",
     ((b"transfer-encoding", b"chunked"),)),
    ("DELETE", f"/subscriptions/{FLIGHTS[1]}", BOB, b"", None, ()),  # none to delete
])
def test_anything_but_a_plain_write_goes_to_the_full_stack_unchanged_with_its_body(
        state: MockState, method, path, credentials, body, content_type, extra) -> None:
    behind = _Behind()
    before = state.export()
    answered, _ = _call(FastWrites(behind, cors_options(None)), state, method, path,
                        _headers_of(credentials, body, content_type, extra), body)
    assert (answered, behind.bodies) == (599, [body])
    assert state.export() == before


@pytest.mark.parametrize("rule", ["fault", "latency"])
def test_a_write_takes_the_full_stack_while_a_fault_or_latency_rule_is_set(state: MockState, rule: str) -> None:
    app = create_app(state=state)
    if rule == "fault":
        app.control.faults.add("listFlightSessions", 1, status=503)  # any rule, even another operation's
    else:
        app.control.latency.set(LatencyRule(0, 0, "listFlightSessions"))
    behind = _Behind()
    body = json.dumps(new_session()).encode()
    answered, _ = _call(FastWrites(behind, cors_options(None)), state, "POST", "/v2/flight_sessions",
                        _headers_of(GARUDA, body), body, control=app.control)
    assert (answered, behind.bodies) == (599, [body])


class _Recording(Persistence):
    def __init__(self) -> None:
        self.saved: list[str] = []

    def session_saved(self, session) -> None:
        self.saved.append(session["flight_session_id"])


class _Failing(Persistence):
    def subscription_saved(self, subscription) -> None:
        raise PersistenceFailed("disk full; nothing changed")


def test_a_fast_write_is_persisted_before_its_answer_is_sent(state: MockState) -> None:
    persistence = _Recording()
    state.persist_to(persistence)
    persisted_at_answer: list[list[str]] = []
    body = json.dumps(new_session()).encode()
    scope = {"type": "http", "method": "POST", "path": "/v2/flight_sessions", "query_string": b"", "scheme": "http",
             "server": ("testserver", 80), "root_path": "", "headers": _headers_of(GARUDA, body),
             "mock.state": state}

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            persisted_at_answer.append(list(persistence.saved))

    asyncio.run(FastWrites(_Behind(), cors_options(None))(scope, receive, send))
    assert len(persisted_at_answer) == 1 and len(persisted_at_answer[0]) == 1


def test_a_write_persistence_refuses_is_answered_by_the_full_stack_as_a_503(state: MockState) -> None:
    state.persist_to(_Failing())
    with TestClient(create_app(state=state)) as client:
        response = client.put(f"/subscriptions/{FLIGHTS[0]}", headers=ALICE, json={"target": "http://127.0.0.1:9/"})
    assert response.status_code == 503 and state.subscriptions.get("alice", FLIGHTS[0]) is None


def test_fast_writes_are_in_the_journal_with_their_bodies(state: MockState) -> None:
    app = create_app(state=state)
    app.control.journal.keep_bodies = True
    with TestClient(app) as client:
        created = client.post("/v2/flight_sessions", headers=GARUDA, json=new_session())
    assert created.status_code == 200
    entry = app.control.journal.entries()[-1]
    detail = app.control.journal.detail(entry.id)
    assert (entry.operation, entry.status) == ("createFlightSession", 200)
    assert json.loads(detail["request_body"]["text"]) == new_session()
    assert detail["response_body"]["text"] == created.text


def test_a_browser_write_gets_the_same_cors_headers_as_through_connexion() -> None:
    origin = {"Origin": "http://localhost:3000"}
    answers = []
    for fast_path in (True, False):
        with TestClient(create_app(fast_path=fast_path)) as client:
            response = client.put(f"/subscriptions/{FLIGHTS[0]}", headers={**ALICE, **origin},
                                  json={"target": "http://127.0.0.1:9/"})
            answers.append((response.status_code, response.headers.get("access-control-allow-origin"),
                            response.headers.get("vary")))
    assert answers[0] == answers[1] == (201, "http://localhost:3000", "Origin")


def test_no_fast_path_sends_writes_through_connexion(monkeypatch: pytest.MonkeyPatch, state: MockState) -> None:
    async def refuse(*args, **kwargs):
        raise AssertionError("the fast path answered")

    monkeypatch.setattr(FastWrites, "answer", refuse)
    with TestClient(create_app(state=state, fast_path=False)) as client:
        assert client.post("/v2/flight_sessions", headers=GARUDA, json=new_session()).status_code == 200


def test_a_body_that_arrives_in_pieces_is_read_whole_and_one_cut_short_is_handed_on(state: MockState) -> None:
    body = json.dumps(new_session()).encode()
    for pieces, answered in (([body[:10], body[10:]], 200), ([body[:10]], 599)):
        behind = _Behind()
        messages = [{"type": "http.request", "body": piece, "more_body": i < len(pieces) - 1}
                    for i, piece in enumerate(pieces)]
        scope = {"type": "http", "method": "POST", "path": "/v2/flight_sessions", "query_string": b"",
                 "scheme": "http", "server": ("testserver", 80), "root_path": "",
                 "headers": _headers_of(GARUDA, body), "mock.state": state}
        sent: list[dict] = []

        async def receive(messages=messages) -> dict:
            return messages.pop(0)

        async def send(message: dict, sent=sent) -> None:
            sent.append(message)

        asyncio.run(FastWrites(behind, cors_options(None))(scope, receive, send))
        assert sent[0]["status"] == answered
        assert behind.bodies == ([] if answered == 200 else [b"".join(pieces)])
