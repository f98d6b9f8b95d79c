"""The proxy in process (starlette's TestClient), in front of the real mock or a canned backend over httpx's
ASGITransport; only the tests of timeouts and of the command line use real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from conformance.contract_validation import ContractValidator
from mock_server.app import MockApp, create_app
from mock_server.proxy import ProxyApp
from tests.conformance.breakage import NO_BREAKAGE, BreakingMiddleware
from tests.proxy.upstreams import CannedUpstream

UPSTREAM = "http://upstream.test"


@pytest.fixture(scope="session")
def validator() -> ContractValidator:
    return ContractValidator()


@pytest.fixture(scope="session")
def shared_mock() -> MockApp:
    return create_app()


@pytest.fixture
def mock(shared_mock: MockApp) -> MockApp:
    shared_mock.state.reset()
    return shared_mock


@contextmanager
def proxy_in_front_of(upstream: Any, validator: ContractValidator, **options: Any) -> Iterator[TestClient]:
    """A client of a proxy forwarding to the ASGI app ``upstream``."""
    proxy = ProxyApp(UPSTREAM, transport=httpx.ASGITransport(app=upstream), validator=validator, **options)
    with TestClient(proxy) as client:
        client.proxy = proxy  # type: ignore[attr-defined]
        yield client


@pytest.fixture
def canned() -> CannedUpstream:
    return CannedUpstream()


@pytest.fixture
def proxied_canned(canned: CannedUpstream, validator: ContractValidator) -> Iterator[TestClient]:
    with proxy_in_front_of(canned, validator) as client:
        yield client


@pytest.fixture
def strict_canned(canned: CannedUpstream, validator: ContractValidator) -> Iterator[TestClient]:
    with proxy_in_front_of(canned, validator, strict=True) as client:
        yield client


@pytest.fixture
def proxied_mock(mock: MockApp, validator: ContractValidator) -> Iterator[TestClient]:
    with proxy_in_front_of(mock, validator) as client:
        yield client


@pytest.fixture(scope="session")
def breaking(shared_mock: MockApp) -> BreakingMiddleware:
    """The shared mock behind a middleware that breaks (or varies) one behaviour at a time."""
    return BreakingMiddleware(shared_mock)


@pytest.fixture
def varied_mock(breaking: BreakingMiddleware, mock: MockApp) -> Iterator[BreakingMiddleware]:
    """The wrapped mock, reset; the test sets ``breakage`` and it is undone afterwards."""
    try:
        yield breaking
    finally:
        breaking.breakage = NO_BREAKAGE
