"""Every error comes out in the API's own format, never problem+json, and never as a 5xx."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.mock.conftest import ALICE, GARUDA, new_session


@pytest.mark.parametrize(("content", "content_type"), [
    (b"\xff\xfe\x00", "application/json"),
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"null", "application/json"),
    (b"", "application/json"),
    (b'{"a": ' * 5000, "application/json"),
])
def test_bad_garuda_bodies_are_400_in_the_envelope(client: TestClient, content: bytes, content_type: str) -> None:
    response = client.post("/v2/flight_sessions", headers={**GARUDA, "Content-Type": content_type}, content=content)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["success"] is False and body["message"]


def test_wrong_content_type_is_415_in_the_envelope(client: TestClient) -> None:
    response = client.post("/v2/flight_sessions", headers={**GARUDA, "Content-Type": "text/plain"}, content=b"x")
    assert response.status_code == 415
    assert response.json()["success"] is False


def test_huge_numbers_are_400_not_500(client: TestClient) -> None:
    response = client.post("/v2/flight_sessions", headers=GARUDA, json=new_session(end_date_time=10**40))
    assert response.status_code == 400


def test_bad_flightsayer_body_is_a_drf_error(client: TestClient) -> None:
    response = client.put("/subscriptions/UA576BOSSFO1606092145", headers={**ALICE, "Content-Type":
                                                                           "application/json"}, content=b"{")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(("path", "body"), [
    ("/v2/nothing", {"success": False, "message": "No such endpoint"}),
    ("/flights/v1/nothing", {"detail": "Not found."}),
])
def test_unknown_paths_are_404_in_the_api_format(client: TestClient, path: str, body: dict) -> None:
    response = client.get(path, headers=GARUDA)
    assert response.status_code == 404
    assert response.json() == body


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/v2/flight_sessions", "GET, HEAD, OPTIONS, POST"),
    ("POST", "/v2/flight_sessions/0b28db84d57ea15b5c26e5c3ffce67fc", "DELETE, GET, HEAD, OPTIONS, PATCH"),
    ("POST", "/subscriptions/UA576BOSSFO1606092145", "DELETE, GET, HEAD, OPTIONS, PUT"),
    ("DELETE", "/flights/v1/search", "GET, HEAD, OPTIONS"),
])
def test_unsupported_method_is_405_with_a_correct_allow(client: TestClient, method: str, path: str,
                                                        allow: str) -> None:
    response = client.request(method, path, headers={**GARUDA, **ALICE})
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert "application/problem+json" not in response.headers["content-type"]


def test_cors_preflight_is_answered(client: TestClient) -> None:
    response = client.options("/v2/flight_sessions", headers={"Origin": "http://localhost:3000",
                                                              "Access-Control-Request-Method": "POST",
                                                              "Access-Control-Request-Headers": "x-api-key"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in {"*", "http://localhost:3000"}


@pytest.mark.parametrize("prefix", ["/v2", "/flights/v1"])
def test_each_api_serves_its_own_spec_and_ui(client: TestClient, prefix: str) -> None:
    spec = client.get(f"{prefix}/openapi.json").json()
    assert any(path.startswith(prefix) for path in spec["paths"])
    assert spec["servers"][0]["url"] == "http://testserver"
    assert "SwaggerUIBundle" in client.get(f"{prefix}/ui/").text


@pytest.mark.parametrize(("path", "headers", "field"), [
    ("/v2/flight_sessions?deployment_id=" + "a" * 32 + "&deployment_id=" + "b" * 32, GARUDA, "deployment_id"),
    ("/flights/v1/search?limit=1&limit=2", ALICE, "limit"),
])
def test_a_repeated_query_parameter_is_a_400_naming_it(client: TestClient, path: str, headers: dict,
                                                       field: str) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 400
    assert field in response.text and "only once" in response.text


@pytest.mark.parametrize(("path", "headers", "challenge"), [
    ("/v2/flight_sessions", {}, "Bearer"),
    ("/v2/flight_sessions", {"Authorization": GARUDA["Authorization"]}, "Bearer"),
    ("/flights/v1/search", {}, "Token"),
])
def test_every_401_carries_the_challenge_http_requires(client: TestClient, path: str, headers: dict[str, str],
                                                       challenge: str) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
