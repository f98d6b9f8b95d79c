"""The contract layer's routing: which API and operation a method and path are, in either trailing-slash form."""

from __future__ import annotations

import pytest

from api_contract.routing import OPERATION_API, ROUTES, api_of_path, canonical_path, operation_of

FLIGHT = "UA576BOSSFO1606092145"
SESSION = "0b28db84d57ea15b5c26e5c3ffce67fc"


@pytest.mark.parametrize(("written", "canonical"), [
    ("/subscriptions", "/subscriptions/"),
    ("/subscriptions/", "/subscriptions/"),
    (f"/subscriptions/{FLIGHT}/", f"/subscriptions/{FLIGHT}"),
    ("/flights/v1/search/", "/flights/v1/search"),
    (f"/flights/v1/status/{FLIGHT}/", f"/flights/v1/status/{FLIGHT}"),
    # Garuda's paths are taken as written; so are paths of no API and deeper paths.
    ("/v2/flight_sessions/", "/v2/flight_sessions/"),
    (f"/v2/flight_sessions/{SESSION}/", f"/v2/flight_sessions/{SESSION}/"),
    ("/elsewhere/", "/elsewhere/"),
    (f"/flights/v1/status/{FLIGHT}/extra/", f"/flights/v1/status/{FLIGHT}/extra/"),
])
def test_flightsayer_paths_answer_in_either_slash_form(written: str, canonical: str) -> None:
    assert canonical_path(written) == canonical


@pytest.mark.parametrize(("method", "path", "operation"), [
    ("GET", "/v2/flight_sessions", "listFlightSessions"),
    ("POST", "/v2/flight_sessions", "createFlightSession"),
    ("PATCH", f"/v2/flight_sessions/{SESSION}", "updateFlightSession"),
    ("HEAD", f"/flights/v1/status/{FLIGHT}", "getFlightStatus"),
    ("GET", "/flights/v1/search", "searchFlights"),
    ("GET", "/subscriptions/", "listSubscriptions"),
    ("PUT", f"/subscriptions/{FLIGHT}", "putSubscription"),
    ("DELETE", f"/subscriptions/{FLIGHT}", "deleteSubscription"),
    ("POST", f"/subscriptions/{FLIGHT}", None),
    ("GET", "/v2/flight_sessions/a/b", None),
    ("GET", "/_mock/health", None),
])
def test_operation_of_a_method_and_canonical_path(method: str, path: str, operation: str | None) -> None:
    assert operation_of(method, path) == operation


def test_match_gives_the_path_parameters_in_template_order() -> None:
    found = ROUTES.match("GET", f"/subscriptions/{FLIGHT}")
    assert found is not None
    assert (found[0].api, found[0].path, found[1]) == ("flightsayer", "/subscriptions/{flight_id}", (FLIGHT,))


def test_every_operation_belongs_to_the_api_of_its_path() -> None:
    assert len(OPERATION_API) == 11
    for operation in ROUTES.operations.values():
        assert api_of_path(operation.path) == operation.api


@pytest.mark.parametrize(("path", "methods"), [
    (f"/v2/flight_sessions/{SESSION}", {"GET", "PATCH", "DELETE"}),
    ("/subscriptions/", {"GET"}),
    ("/nowhere", set()),
])
def test_methods_of_a_path_are_the_specs(path: str, methods: set[str]) -> None:
    assert ROUTES.methods_of(path) == methods
