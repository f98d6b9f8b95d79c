"""Schemathesis over both specs: every operation with generated requests a backend must accept (positive, from the
inputs view) and requests it must refuse (negative, from the contract view), and stateful sequences driven by the
specs' links. What runs, on what, and why: conformance/schema_testing.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import Phase, reject, settings
from hypothesis.errors import Flaky

from conformance.claims import Claims
from conformance.config import ConformanceConfig
from conformance.run import SuiteRun
from conformance.schema_testing import (
    auth_headers,
    checks_for,
    created_by_generated_requests,
    load_schema,
    may_send,
    page_counter,
    prepare,
)

GARUDA = {mode: load_schema("garuda", mode) for mode in ("positive", "negative")}
# Reads are the operations left once the writing methods are taken out: schemathesis's include(method="GET") keeps
# every operation (tests/conformance/test_runner.py holds --read-only to reads only).
WRITES = ["POST", "PUT", "PATCH", "DELETE"]
FLIGHTSAYER = {mode: load_schema("flightsayer", mode) for mode in ("positive", "negative")}


class CreatedResources:
    """What generated requests created: deleted at the end of the test even when a check failed, and noted in the
    run's claims as theirs (generated writes may change it; nothing else of the backend's)."""

    def __init__(self, claims: Claims) -> None:
        self.claims = claims
        self.undo: list[tuple[str, str, dict[str, str]]] = []

    def note(self, api: str, case: schemathesis.Case, response: Any, headers: dict[str, str]) -> None:
        operation = case.operation.definition.raw.get("operationId")
        if api == "garuda" and operation == "createFlightSession" and 200 <= response.status_code < 300:
            try:
                session_id = (response.json().get("data") or {}).get("flight_session_id")
            except (ValueError, AttributeError):
                return
            if isinstance(session_id, str):
                created_by_generated_requests(self.claims, "session", session_id)
                self.undo.append(("DELETE", f"/v2/flight_sessions/{session_id}", headers))
        if api == "flightsayer" and operation == "putSubscription" and response.status_code == 201:
            flight_id = case.path_parameters["flight_id"]
            created_by_generated_requests(self.claims, "subscription", flight_id)
            self.undo.append(("DELETE", f"/subscriptions/{flight_id}", headers))

    def clean_up(self, http: httpx.Client) -> None:
        while self.undo:
            method, path, headers = self.undo.pop()
            http.request(method, path, headers=headers)


@pytest.fixture
def created(run: SuiteRun) -> Iterator[CreatedResources]:
    resources = CreatedResources(run.claims)
    yield resources
    with run.http_client() as http:
        resources.clean_up(http)


@dataclass
class Transport:
    """How generated requests go out: one pool of kept-alive connections (a connection, and a TLS context, per
    request cost more than the request itself) held to the run's rate limit, and the run's claims."""

    session: requests.Session
    claims: Claims

    def reader(self, base_url: str, headers: dict[str, str]) -> Callable[[str], bool]:
        """Whether the resource at a path is there (its GET answers 200), asked with the case's own credentials."""
        return lambda path: self.session.get(base_url + path, headers=headers, timeout=30).status_code == 200

    def counter(self, base_url: str, headers: dict[str, str]) -> Any:
        """How many items a list has (its first page's ``count``), asked with the case's own credentials."""
        return page_counter(lambda path, query: self.session.get(base_url + path, params=query, headers=headers,
                                                                 timeout=30))


@pytest.fixture(scope="session")
def connections(run: SuiteRun) -> Iterator[Transport]:
    with run.requests_session() as session:
        yield Transport(session, run.claims)


def call_and_validate(api: str, case: schemathesis.Case, backend: tuple[str, ConformanceConfig],
                      created: CreatedResources, connections: Transport) -> None:
    base_url, config = backend
    headers = auth_headers(api, config)
    if not may_send(case, connections.claims, connections.reader(base_url, headers)):
        return
    prepare(case, config, connections.counter(base_url, headers))
    transport = {"base_url": base_url, "headers": headers, "session": connections.session}
    response = case.call(**transport)
    created.note(api, case, response, headers)
    case.validate_response(response, checks=checks_for(case), headers=headers, transport_kwargs=transport)


def _marks(api: str, writes: bool) -> pytest.MarkDecorator:
    return pytest.mark.conformance(api=api, writes=writes)


@_marks("garuda", writes=False)
@GARUDA["positive"].exclude(method=WRITES).parametrize()
@settings()
def test_garuda_reads_conform_to_schema(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                        connections: Transport) -> None:
    call_and_validate("garuda", case, backend, created, connections)


@_marks("garuda", writes=False)
@GARUDA["negative"].exclude(method=WRITES).parametrize()
@settings()
def test_garuda_reads_of_invalid_requests_conform(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                                  connections: Transport) -> None:
    call_and_validate("garuda", case, backend, created, connections)


@_marks("garuda", writes=True)
@GARUDA["positive"].exclude(method="GET").parametrize()
@settings()
def test_garuda_writes_conform_to_schema(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                         connections: Transport) -> None:
    call_and_validate("garuda", case, backend, created, connections)


@_marks("garuda", writes=True)
@GARUDA["negative"].exclude(method="GET").parametrize()
@settings()
def test_garuda_writes_of_invalid_requests_conform(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                                   connections: Transport) -> None:
    call_and_validate("garuda", case, backend, created, connections)


@_marks("flightsayer", writes=False)
@FLIGHTSAYER["positive"].exclude(method=WRITES).parametrize()
@settings()
def test_flightsayer_reads_conform_to_schema(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                             connections: Transport) -> None:
    call_and_validate("flightsayer", case, backend, created, connections)


@_marks("flightsayer", writes=False)
@FLIGHTSAYER["negative"].exclude(method=WRITES).parametrize()
@settings()
def test_flightsayer_reads_of_invalid_requests_conform(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                                       connections: Transport) -> None:
    call_and_validate("flightsayer", case, backend, created, connections)


@_marks("flightsayer", writes=True)
@FLIGHTSAYER["positive"].exclude(method="GET").parametrize()
@settings()
def test_flightsayer_writes_conform_to_schema(case: schemathesis.Case, backend: Any, created: CreatedResources,
                                              connections: Transport) -> None:
    call_and_validate("flightsayer", case, backend, created, connections)


@_marks("flightsayer", writes=True)
@FLIGHTSAYER["negative"].exclude(method="GET").parametrize()
@settings()
def test_flightsayer_writes_of_invalid_requests_conform(case: schemathesis.Case, backend: Any,
                                                        created: CreatedResources,
                                                        connections: Transport) -> None:
    call_and_validate("flightsayer", case, backend, created, connections)


def run_state_machine(api: str, schema: Any, backend: tuple[str, ConformanceConfig], created: CreatedResources,
                      connections: Transport) -> None:
    """Follow the specs' links in generated sequences.

    Each step's data depends on the backend's earlier answers, which a live backend does not repeat exactly, so
    Hypothesis can report the generation itself as flaky. As schemathesis's own runner does, that counts as a
    failure only if a check failed along the way; the first such failure is then what is reported. Shrinking is off
    for the same reason: replaying against state that has moved on does not reproduce a sequence.
    """
    base_url, config = backend
    headers = auth_headers(api, config)
    check_failures: list[BaseException] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: schemathesis.Case) -> None:
            if not may_send(case, connections.claims, connections.reader(base_url, headers)):
                reject()
            prepare(case, config, connections.counter(base_url, headers))

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": base_url, "headers": headers, "session": connections.session}

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            created.note(api, case, response, headers)

        def validate_response(self, response: Any, case: schemathesis.Case, additional_checks: Any = None,
                              **kwargs: Any) -> None:
            try:
                case.validate_response(response, checks=checks_for(case), headers=headers, transport_kwargs=kwargs)
            except BaseException as failure:
                check_failures.append(failure)
                raise

    try:
        Workflow.run(settings=settings(max_examples=max(1, settings.default.max_examples // 5),
                                       phases=[Phase.explicit, Phase.reuse, Phase.generate]))
    except Flaky:
        if check_failures:
            raise check_failures[0] from None


@_marks("garuda", writes=True)
def test_garuda_stateful_sequences_conform(backend: Any, created: CreatedResources,
                                           connections: Transport) -> None:
    run_state_machine("garuda", GARUDA["positive"], backend, created, connections)


@_marks("flightsayer", writes=True)
def test_flightsayer_stateful_sequences_conform(backend: Any, created: CreatedResources,
                                                connections: Transport) -> None:
    run_state_machine("flightsayer", FLIGHTSAYER["positive"], backend, created, connections)
