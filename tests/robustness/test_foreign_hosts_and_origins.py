"""No website can read or drive the mock: a foreign ``Host`` (DNS rebinding) is refused, pages on other origins get
no CORS grant from the APIs, and none at all from the control API, whose writes a cross-site form cannot make;
while a frontend on ``http://localhost:5173`` works as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mock_server.allowed_hosts import AllowedHosts
from mock_server.app import MockApp, create_app
from tests.mock.conftest import ALICE, GARUDA, new_session
from tests.robustness.error_formats import Family, assert_error_format

HERE = "127.0.0.1:8080"
FRONTEND = "http://localhost:5173"
EVIL = "https://evil.example"
READS: list[tuple[str, dict[str, str], Family]] = [
    ("/v2/flight_sessions", GARUDA, "garuda"),
    ("/flights/v1/search?limit=1", ALICE, "flightsayer"),
    ("/_mock/state", {}, "control"),
    ("/_mock/requests", {}, "control"),
]


def _cors_headers(response) -> list[str]:
    return [name for name in response.headers if name.startswith("access-control-")]


@pytest.fixture(scope="module")
def guarded_app() -> MockApp:
    """The mock as the command line starts it: loopback names and addresses only."""
    return create_app(allowed_hosts=AllowedHosts.default("127.0.0.1"))


@pytest.fixture
def client(guarded_app: MockApp) -> Iterator[TestClient]:
    guarded_app.state.reset()
    with TestClient(guarded_app, base_url=f"http://{HERE}", raise_server_exceptions=False) as test_client:
        yield test_client


def _sessions(client: TestClient) -> list[dict]:
    return client.get("/v2/flight_sessions", headers=GARUDA).json()["data"]


# -- Host --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "credentials", "family"), READS)
@pytest.mark.parametrize("host", ["evil.example", "attacker.rebind.example:8080", "localhost.evil.example",
                                  "127.0.0.1.nip.io", "EVIL.example."])
def test_a_foreign_host_is_refused_421_in_the_apis_format_naming_the_option(client: TestClient, path: str,
                                                                            credentials: dict[str, str],
                                                                            family: Family, host: str) -> None:
    response = client.get(path, headers={**credentials, "Host": host})
    assert response.status_code == 421
    assert_error_format(response, family)
    assert "--allowed-host" in response.text
    assert not _cors_headers(response)


def test_a_foreign_host_changes_nothing(client: TestClient) -> None:
    before = client.get("/_mock/state").json()
    assert client.post("/v2/flight_sessions", headers={**GARUDA, "Host": "evil.example"},
                       json=new_session()).status_code == 421
    assert client.post("/_mock/reset", headers={"Host": "evil.example"}, json={"seed": 3}).status_code == 421
    assert client.get("/_mock/state").json() == before


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "localhost.:8080",
                                  "app.localhost:8080", "[::1]:8080", "127.1.2.3", "192.168.1.20:8080", "[fe80::1]"])
def test_loopback_names_and_ip_addresses_are_served(client: TestClient, host: str) -> None:
    assert client.get("/v2/flight_sessions", headers={**GARUDA, "Host": host}).status_code == 200


@pytest.mark.parametrize(("allowed", "host", "served"), [
    (["mock.team.example"], "mock.team.example:8080", True),
    (["mock.team.example"], "other.team.example", False),
    ([".team.example"], "mock.team.example", True),
    ([".team.example"], "team.example", True),
    ([".team.example"], "evilteam.example", False),
    (["*"], "anything.example", True),
])
def test_allowed_host_adds_names_domains_or_any(allowed: list[str], host: str, served: bool) -> None:
    hosts = AllowedHosts.default("127.0.0.1", allowed)
    assert hosts.allows(host.encode()) is served
    assert hosts.allows(host.encode()) is served  # remembered, same verdict


def test_the_bound_name_is_served() -> None:
    assert AllowedHosts.default("devbox.internal").allows(b"devbox.internal:8080")


# -- the two APIs' CORS ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "credentials"), [(p, c) for p, c, f in READS if f != "control"])
def test_a_local_frontend_reads_the_apis_as_before(client: TestClient, path: str, credentials: dict[str, str]) -> None:
    response = client.get(path, headers={**credentials, "Origin": FRONTEND})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND
    preflight = client.options(path, headers={"Origin": FRONTEND, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "authorization, x-api-key"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == FRONTEND


@pytest.mark.parametrize(("path", "credentials", "family"), [r for r in READS if r[2] != "control"])
@pytest.mark.parametrize("origin", [EVIL, "http://localhost.evil.example:5173", "null", "http://10.0.0.5:3000"])
def test_a_foreign_origin_gets_no_grant_and_its_preflight_is_refused(client: TestClient, path: str,
                                                                    credentials: dict[str, str], family: Family,
                                                                    origin: str) -> None:
    read = client.get(path, headers={**credentials, "Origin": origin})
    # Answered, but without Access-Control-Allow-Origin the page's script cannot read it.
    assert read.status_code == 200 and "access-control-allow-origin" not in read.headers
    preflight = client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 403
    assert_error_format(preflight, family)
    assert "--cors-origin" in preflight.text
    assert not _cors_headers(preflight)


def test_a_private_network_access_preflight_is_not_granted(client: TestClient) -> None:
    for origin in (FRONTEND, EVIL):
        response = client.options("/v2/flight_sessions", headers={
            "Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true"})
        assert response.status_code == 403
        assert "access-control-allow-private-network" not in response.headers


def test_cors_origin_adds_an_origin_and_star_allows_any() -> None:
    listed = create_app(cors_origins=["https://app.team.example"])
    anyone = create_app(cors_origins=["*"])
    with TestClient(listed) as listed_client, TestClient(anyone) as any_client:
        for origin in ("https://app.team.example", FRONTEND):
            got = listed_client.get("/v2/flight_sessions", headers={**GARUDA, "Origin": origin})
            assert got.headers["access-control-allow-origin"] == origin
        assert "access-control-allow-origin" not in listed_client.get(
            "/v2/flight_sessions", headers={**GARUDA, "Origin": EVIL}).headers
        assert any_client.get("/v2/flight_sessions",
                              headers={**GARUDA, "Origin": EVIL}).headers["access-control-allow-origin"] == "*"
        # Not even '*' opens the control API to other origins.
        assert any_client.get("/_mock/state", headers={"Origin": EVIL}).status_code == 403
        assert any_client.options("/_mock/reset", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}
                                  ).status_code == 403


# -- the control API ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/_mock/state", "/_mock/requests", "/_mock/health", "/_mock/openapi.json",
                                  "/_mock/deliveries", "/_mock/anything/new"])
@pytest.mark.parametrize("origin", [EVIL, FRONTEND, "http://127.0.0.1:9999", "null"])
def test_a_page_on_another_origin_cannot_read_the_control_api(client: TestClient, path: str, origin: str) -> None:
    response = client.get(path, headers={"Origin": origin})
    assert response.status_code == 403
    assert_error_format(response, "control")
    assert not _cors_headers(response)
    preflight = client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 403 and not _cors_headers(preflight)


@pytest.mark.parametrize("origin", [f"http://{HERE}", f"https://{HERE}"])
def test_the_mocks_own_pages_use_the_control_api_without_a_cors_grant(client: TestClient, origin: str) -> None:
    read = client.get("/_mock/state", headers={"Origin": origin})
    assert read.status_code == 200 and not _cors_headers(read)
    reset = client.post("/_mock/reset", headers={"Origin": origin}, json={})
    assert reset.status_code == 200 and not _cors_headers(reset)


@pytest.mark.parametrize(("headers", "body"), [
    ({"Origin": EVIL, "Content-Type": "application/json"}, b"{}"),  # what a preflighted fetch would send
    ({"Origin": EVIL, "Content-Type": "text/plain"}, b"{}"),  # fetch in no-cors mode, no preflight
    ({"Origin": "null", "Content-Type": "application/x-www-form-urlencoded"}, b"seed=1"),  # a sandboxed form
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"seed=1"),  # a form, from a browser sending no Origin
    ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--"),
    ({"Content-Type": "text/plain"}, b"{}"),
    ({}, b""),  # sendBeacon() without data
], ids=["cross-origin-json", "no-cors-text", "null-origin-form", "form", "multipart", "text-plain", "bare"])
def test_a_reset_a_cross_site_page_could_send_is_refused_and_changes_nothing(client: TestClient,
                                                                           headers: dict[str, str],
                                                                           body: bytes) -> None:
    created = client.post("/v2/flight_sessions", headers=GARUDA, json=new_session()).json()["data"]
    response = client.post("/_mock/reset", headers=headers, content=body)
    assert response.status_code in {403, 415}
    assert_error_format(response, "control")
    assert not _cors_headers(response)
    assert created in _sessions(client)


@pytest.mark.parametrize(("headers", "body"), [({"Content-Type": "application/json"}, b"{}"),
                                               ({"Content-Type": "application/json; charset=utf-8"}, b"{}"),
                                               ({"X-Mock-Control": "1"}, None)])
def test_a_reset_no_form_could_send_passes(client: TestClient, headers: dict[str, str], body: bytes | None) -> None:
    created = client.post("/v2/flight_sessions", headers=GARUDA, json=new_session()).json()["data"]
    assert client.post("/_mock/reset", headers=headers, content=body).status_code == 200
    assert created not in _sessions(client)
