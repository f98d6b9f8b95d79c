"""The control API can be switched off or put behind a token, for a mock shared by a team."""

from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.control.access import ControlAccess
from tests.mock.conftest import GARUDA
from tests.robustness.error_formats import assert_error_format
from tests.robustness.servers import mock_process

TOKEN = "s3cret-control-token"
CONTROL_CALLS = [("GET", "/_mock/health"), ("GET", "/_mock/state"), ("PUT", "/_mock/state"),
                 ("POST", "/_mock/reset"), ("GET", "/_mock/requests"), ("DELETE", "/_mock/requests"),
                 ("PUT", "/_mock/latency"), ("POST", "/_mock/faults"), ("GET", "/_mock/openapi.json"),
                 ("GET", "/_mock/clock"), ("GET", "/_mock/nothing"), ("OPTIONS", "/_mock/state"),
                 ("GET", "/_mock/requests/1"), ("PUT", "/_mock/journal"), ("GET", "/_mock/flights"),
                 ("GET", "/_mock/inbox"), ("GET", "/_mock/inbox/hook"), ("DELETE", "/_mock/inbox/hook"),
                 ("POST", "/_mock/inbox/hook/more")]
# What needs no token: files of the console page (no data in them), and a POST into an inbox.
OPEN_CALLS = [("GET", "/_mock/"), ("GET", "/_mock/ui"), ("GET", "/_mock/ui/"), ("GET", "/_mock/ui/console.js"),
              ("GET", "/_mock/ui/console.css"), ("POST", "/_mock/inbox/hook")]


@pytest.fixture(scope="module")
def guarded() -> TestClient:
    app = create_app()
    app.control.access = ControlAccess(token=TOKEN)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Token {TOKEN}", f"Bearer {TOKEN}x", "Bearer ",
                                           f"Bearer {TOKEN[:-1]}"])
def test_control_calls_without_the_token_are_401_and_do_nothing(guarded: TestClient, method: str, path: str,
                                                                authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    before = guarded.get("/_mock/state", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    response = guarded.request(method, path, headers=headers, json={"format": 1} if method in {"PUT", "POST"}
                               else None)
    assert response.status_code == 401
    assert_error_format(response, "control")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert guarded.get("/_mock/state", headers={"Authorization": f"Bearer {TOKEN}"}).json() == before


def test_the_token_opens_the_control_api(guarded: TestClient) -> None:
    assert guarded.get("/_mock/health", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.post("/_mock/reset", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200  # not simple


def test_the_apis_need_no_control_token(guarded: TestClient) -> None:
    assert guarded.get("/v2/flight_sessions", headers=GARUDA).status_code == 200


def test_a_cors_preflight_to_the_control_api_is_refused_with_or_without_the_token(guarded: TestClient) -> None:
    preflight = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT"}
    for headers in (preflight, {**preflight, "Authorization": f"Bearer {TOKEN}"}):
        response = guarded.options("/_mock/state", headers=headers)
        assert response.status_code in {401, 403}
        assert "access-control-allow-origin" not in response.headers


def test_an_empty_control_token_is_refused() -> None:
    with pytest.raises(ValueError):
        ControlAccess(token=" ")


def test_the_console_files_and_an_inbox_post_need_no_token(guarded: TestClient) -> None:
    for method, path in OPEN_CALLS:
        response = guarded.request(method, path, json={"n": 1} if method == "POST" else None, follow_redirects=False)
        assert response.status_code in (200, 201, 307), (method, path, response.status_code)
    page = guarded.get("/_mock/ui/")
    assert "text/html" in page.headers["content-type"]
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_an_inbox_post_without_the_token_is_read_back_only_with_it(guarded: TestClient) -> None:
    guarded.post("/_mock/inbox/tokenless", json={"sent": "without token"})
    assert guarded.get("/_mock/inbox/tokenless").status_code == 401
    read = guarded.get("/_mock/inbox/tokenless", headers={"Authorization": f"Bearer {TOKEN}"})
    assert [m["body"] for m in read.json()["messages"]] == ['{"sent":"without token"}']


def test_the_cli_switches_the_control_api_off() -> None:
    with mock_process(["--no-control"]) as (base, _):
        for method, path in CONTROL_CALLS + OPEN_CALLS:
            response = httpx.request(method, f"{base}{path}", json={})
            assert response.status_code == 404, (method, path)
            assert_error_format(response, "control")
        assert httpx.get(f"{base}/v2/flight_sessions", headers=GARUDA).status_code == 200


def test_the_cli_protects_the_control_api_with_a_token_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("MOCK_CONTROL_TOKEN", TOKEN)
    with mock_process() as (base, _):
        assert httpx.get(f"{base}/_mock/health").status_code == 401
        assert httpx.get(f"{base}/_mock/health", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
