"""One mock, wrapped in the breaking middleware and served over real HTTP for the whole module run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conformance.config import ConformanceConfig
from conformance.target import Target, make_http_client
from mock_server.app import MockApp, create_app
from tests.conformance.breakage import NO_BREAKAGE, BreakingMiddleware
from tests.serving import serving


@pytest.fixture(scope="session")
def mock_app() -> MockApp:
    # A short grace, as the bundled mock has, so the webhook checks need not wait a minute for a deletion.
    return create_app(webhook_grace_seconds=1)


@pytest.fixture(scope="session")
def mock_config(mock_app: MockApp) -> dict[str, Any]:
    return mock_app.state.conformance_config()


@pytest.fixture(scope="session")
def breaking(mock_app: MockApp) -> BreakingMiddleware:
    return BreakingMiddleware(mock_app)


@pytest.fixture(scope="session")
def broken_base_url(breaking: BreakingMiddleware) -> Iterator[str]:
    # Lifespan on: the mock's delivery worker must run for the push-notification checks.
    with serving(breaking, lifespan="on") as base_url:
        yield base_url


@pytest.fixture
def broken_target(broken_base_url: str, breaking: BreakingMiddleware, mock_app: MockApp,
                  mock_config: dict[str, Any]) -> Iterator[Target]:
    """A target on the wrapped mock, reset to its fixtures; the test sets ``breaking.breakage``."""
    mock_app.state.reset()
    with make_http_client(broken_base_url) as http:
        target = Target(broken_base_url, ConformanceConfig(mock_config), http)
        yield target
        breaking.breakage = NO_BREAKAGE
        target.clean_up()
