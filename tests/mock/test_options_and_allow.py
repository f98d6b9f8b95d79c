"""OPTIONS and Allow agree on every path of both APIs and the control API: a plain OPTIONS is answered (204, with the
path's methods in Allow), every method Allow lists is served (never a 405), and a 405 lists the same methods. CORS
preflights to the two APIs are still answered by the CORS middleware, with the fast path on or off; the control API
answers none."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api_contract import read_yaml
from api_contract.examples import operations
from api_contract.routing import ROUTES
from mock_server.apis import CONTROL_BASE_PATH, CONTROL_SPEC, SIMULATION_SPEC
from mock_server.app import MockApp, create_app
from tests.mock.conftest import ALICE, GARUDA

BROWSER = {"Origin": "http://localhost:3000"}


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "UA576BOSSFO1606092145", template)


API_PATHS = sorted({_concrete(operation.path) for operation in ROUTES.operations.values()})
CONTROL_PATHS = sorted({_concrete(CONTROL_BASE_PATH + path) for spec in (CONTROL_SPEC, SIMULATION_SPEC)
                        for path, _, _, _ in operations(read_yaml(spec))})
EVERY_PATH = [*API_PATHS, *CONTROL_PATHS, f"{CONTROL_BASE_PATH}/openapi.json"]


@pytest.fixture(scope="module", params=[True, False], ids=["fast-path", "no-fast-path"])
def options_app(request: pytest.FixtureRequest) -> MockApp:
    return create_app(fast_path=request.param)


@pytest.fixture
def client(options_app: MockApp) -> Iterator[TestClient]:
    options_app.state.reset()
    with TestClient(options_app) as test_client:
        yield test_client
    options_app.control.faults.clear()
    options_app.control.latency.clear()


def _allow(response) -> list[str]:
    return [method.strip() for method in response.headers["allow"].split(",")]


def test_every_api_and_control_path_is_covered() -> None:
    # The parametrisations below would pass vacuously on an empty list.
    assert "/v2/flight_sessions/UA576BOSSFO1606092145" in API_PATHS and "/subscriptions/" in API_PATHS
    assert f"{CONTROL_BASE_PATH}/health" in CONTROL_PATHS and f"{CONTROL_BASE_PATH}/clock" in CONTROL_PATHS


@pytest.mark.parametrize("path", EVERY_PATH)
def test_a_plain_options_is_answered_with_the_paths_methods(client: TestClient, path: str) -> None:
    response = client.options(path)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert "OPTIONS" in _allow(response)
    assert "content-type" not in response.headers


@pytest.mark.parametrize("path", EVERY_PATH)
def test_every_method_allow_lists_is_served_and_no_other(client: TestClient, path: str) -> None:
    allow = _allow(client.options(path))
    for method in allow:
        served = client.request(method, path, headers={**GARUDA, **ALICE})
        assert served.status_code != 405, (method, path, served.text)
    refused = next(m for m in ("PATCH", "PUT", "POST", "DELETE", "TRACE") if m not in allow)
    response = client.request(refused, path, headers={**GARUDA, **ALICE})
    assert response.status_code == 405, (refused, path)
    assert sorted(_allow(response)) == sorted(allow)


@pytest.mark.parametrize(("path", "allow"), [
    ("/v2/flight_sessions/0b28db84d57ea15b5c26e5c3ffce67fc", "DELETE, GET, HEAD, OPTIONS, PATCH"),
    ("/subscriptions/", "GET, HEAD, OPTIONS"),
    ("/subscriptions", "GET, HEAD, OPTIONS"),
    ("/flights/v1/search/", "GET, HEAD, OPTIONS"),
    ("/_mock/state", "GET, HEAD, OPTIONS, PUT"),
])
def test_options_needs_no_credentials_and_lists_the_specs_methods(client: TestClient, path: str, allow: str) -> None:
    response = client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allow


def test_options_from_a_browser_without_a_preflight_carries_cors_headers(client: TestClient) -> None:
    response = client.options("/v2/flight_sessions", headers=BROWSER)
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.headers["access-control-allow-origin"] in {"*", BROWSER["Origin"]}


@pytest.mark.parametrize("path", ["/v2/flight_sessions/0b28db84d57ea15b5c26e5c3ffce67fc", "/subscriptions/"])
def test_a_cors_preflight_is_still_the_cors_middlewares_answer(client: TestClient, path: str) -> None:
    response = client.options(path, headers={**BROWSER, "Access-Control-Request-Method": "PATCH",
                                             "Access-Control-Request-Headers": "authorization"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in {"*", BROWSER["Origin"]}
    assert "PATCH" in response.headers["access-control-allow-methods"]


def test_a_cors_preflight_to_the_control_api_is_refused_even_from_a_local_origin(client: TestClient) -> None:
    response = client.options("/_mock/state", headers={**BROWSER, "Access-Control-Request-Method": "PUT",
                                                       "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert not [name for name in response.headers if name.startswith("access-control-")]


def test_options_on_an_unknown_path_is_a_404_in_the_apis_format(client: TestClient) -> None:
    response = client.options("/v2/nothing")
    assert response.status_code == 404
    assert response.json() == {"success": False, "message": "No such endpoint"}


def test_the_proxys_violation_journal_agrees_too(options_app: MockApp) -> None:
    from conformance.contract_validation import ContractValidator
    from tests.proxy.conftest import proxy_in_front_of

    with proxy_in_front_of(options_app, ContractValidator()) as proxy:
        answered = proxy.options("/_mock/violations")
        refused = proxy.post("/_mock/violations", json={})
    assert answered.status_code == 204
    assert refused.status_code == 405
    assert answered.headers["allow"] == refused.headers["allow"] == "DELETE, GET, HEAD, OPTIONS"
