"""An in-process mock of its own for the robustness tests, reset before each test, with the bundled credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mock_server.app import MockApp, create_app


@pytest.fixture(scope="session")
def robust_app() -> MockApp:
    return create_app()


@pytest.fixture
def client(robust_app: MockApp) -> Iterator[TestClient]:
    robust_app.state.reset()
    robust_app.control.latency.clear()
    robust_app.control.faults.clear()
    with TestClient(robust_app, raise_server_exceptions=False) as test_client:
        yield test_client
