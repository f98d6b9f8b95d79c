"""The proxy's front door is the mock's, however permissive the backend behind it: a foreign ``Host`` is refused
before anything is forwarded, a page on a foreign origin gets no CORS grant (the upstream's own is removed) and its
preflight never reaches the upstream, and no page on another origin reads or drives a ``/_mock`` path."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from conformance.contract_validation import ContractValidator
from mock_server.allowed_hosts import AllowedHosts
from mock_server.app import MockApp
from mock_server.cors import CorsPolicy
from mock_server.proxy import ProxyApp
from tests.mock.conftest import ALICE, GARUDA
from tests.proxy.conftest import UPSTREAM
from tests.proxy.upstreams import CannedUpstream
from tests.robustness.error_formats import Family, assert_error_format

EVIL = "https://evil.example"
FRONTEND = "http://localhost:5173"
PERMISSIVE = [(b"content-type", b"application/json"), (b"access-control-allow-origin", b"*"),
              (b"access-control-allow-credentials", b"true")]
PATHS: list[tuple[str, dict[str, str], Family]] = [("/v2/flight_sessions", GARUDA, "garuda"),
                                                    ("/subscriptions/", ALICE, "flightsayer"),
                                                    ("/_mock/state", {}, "control")]


def _proxy(upstream: object, validator: ContractValidator, **options: object) -> TestClient:
    proxy = ProxyApp(UPSTREAM, transport=httpx.ASGITransport(app=upstream), validator=validator,
                     allowed_hosts=AllowedHosts.default("127.0.0.1"), **options)
    return TestClient(proxy, base_url="http://127.0.0.1:8080")


@pytest.fixture
def guarded(canned: CannedUpstream, validator: ContractValidator) -> Iterator[TestClient]:
    canned.answer(200, {"success": True, "data": []}, headers=PERMISSIVE)
    with _proxy(canned, validator) as client:
        yield client


@pytest.mark.parametrize(("path", "credentials", "family"), [*PATHS, ("/_mock/violations", {}, "control")])
def test_a_foreign_host_is_refused_and_never_forwarded(guarded: TestClient, canned: CannedUpstream, path: str,
                                                       credentials: dict[str, str], family: Family) -> None:
    response = guarded.get(path, headers={**credentials, "Host": "attacker.rebind.example"})
    assert response.status_code == 421
    assert_error_format(response, family)
    assert "--allowed-host" in response.text
    assert canned.received == []


def test_a_loopback_host_is_forwarded(guarded: TestClient, canned: CannedUpstream) -> None:
    assert guarded.get("/v2/flight_sessions", headers={**GARUDA, "Host": "localhost:8080"}).status_code == 200
    assert len(canned.received) == 1


def test_a_foreign_origin_never_sees_the_upstreams_cors_grant(guarded: TestClient, canned: CannedUpstream) -> None:
    response = guarded.get("/v2/flight_sessions", headers={**GARUDA, "Origin": EVIL})
    assert response.status_code == 200
    assert not [name for name in response.headers if name.startswith("access-control-")]


def test_a_local_frontend_gets_the_upstreams_answer_as_before(guarded: TestClient, canned: CannedUpstream) -> None:
    response = guarded.get("/v2/flight_sessions", headers={**GARUDA, "Origin": FRONTEND})
    assert response.headers["access-control-allow-origin"] == "*"
    canned.answer(200, {}, headers=[(b"access-control-allow-origin", FRONTEND.encode())])
    preflight = guarded.options("/v2/flight_sessions", headers={"Origin": FRONTEND,
                                                                "Access-Control-Request-Method": "POST"})
    assert preflight.headers["access-control-allow-origin"] == FRONTEND
    assert [r.method for r in canned.received] == ["GET", "OPTIONS"]


@pytest.mark.parametrize(("path", "credentials", "family"), PATHS)
def test_a_foreign_origins_preflight_is_refused_by_the_proxy_itself(guarded: TestClient, canned: CannedUpstream,
                                                                    path: str, credentials: dict[str, str],
                                                                    family: Family) -> None:
    response = guarded.options(path, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 403
    assert_error_format(response, family)
    assert not [name for name in response.headers if name.startswith("access-control-")]
    assert canned.received == []


def test_cors_origin_star_relays_every_origin_as_before(canned: CannedUpstream, validator: ContractValidator) -> None:
    canned.answer(200, {"success": True, "data": []}, headers=PERMISSIVE)
    with _proxy(canned, validator, cors=CorsPolicy(["*"])) as client:
        response = client.get("/v2/flight_sessions", headers={**GARUDA, "Origin": EVIL})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/_mock/state", "/_mock/violations"])
def test_no_page_on_another_origin_reads_a_mock_path_through_the_proxy(guarded: TestClient, canned: CannedUpstream,
                                                                       path: str) -> None:
    response = guarded.get(path, headers={"Origin": FRONTEND})
    assert response.status_code == 403
    assert_error_format(response, "control")
    assert canned.received == []


def test_a_reset_a_cross_site_form_could_send_never_reaches_the_mock(guarded: TestClient,
                                                                     canned: CannedUpstream) -> None:
    for headers in ({"Content-Type": "text/plain"}, {"Origin": EVIL, "Content-Type": "application/json"}):
        assert guarded.post("/_mock/reset", headers=headers, content=b"{}").status_code in {403, 415}
    assert canned.received == []


def test_the_mocks_own_pages_reach_its_control_api_through_the_proxy(mock: MockApp,
                                                                     validator: ContractValidator) -> None:
    with _proxy(mock, validator) as client:
        response = client.post("/_mock/reset", headers={"Origin": "http://127.0.0.1:8080"}, json={})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
