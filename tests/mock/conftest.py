"""In-process clients for the mock, with the bundled fixtures' credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mock_server.app import MockApp, create_app

GARUDA = {"Authorization": "Bearer garuda-demo-token-acme", "X-API-Key": "garuda-demo-key-acme"}
GARUDA_OTHER = {"Authorization": "Bearer garuda-demo-token-other", "X-API-Key": "garuda-demo-key-other"}
ALICE = {"Authorization": "Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b"}
BOB = {"Authorization": "Token 31a9485a9462e07b849d88f3ddfe7841bbb9fd14"}

DEPLOYMENT = "9703889c2bb4322025815ed1a0509eba"
OTHER_DEPLOYMENT_OF_ACME = "e7722ba32c6c09d733b97901151dd6c7"
APPROVED_PLAN = "fc5583b754db73cc526a6ffa919d393a"
OTHER_APPROVED_PLAN = "4b5db78077657e62c6519fe7da7779fa"
UNAPPROVED_PLAN = "ab2076b7dbacf700cdb2d1fb61b184df"
OTHER_COMPANY_DEPLOYMENT = "0d28e94f81a24eccd1261c6a496248c9"
OTHER_COMPANY_PLAN = "183d1d997b0a9e6b7c278e254039a9d3"
OTHER_COMPANY_SESSION = "d8f1cb9e8209f2cb6b3ea796e959e5c0"


@pytest.fixture(scope="session")
def shared_app() -> MockApp:
    return create_app()


@pytest.fixture
def app(shared_app: MockApp) -> Iterator[MockApp]:
    """The bundled mock, reset to its fixtures for each test (loading it once is what costs)."""
    shared_app.state.reset()
    yield shared_app


@pytest.fixture
def client(app: MockApp) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def mock(app: MockApp) -> Iterator[TestClient]:
    """The shared mock with an empty journal and no injection rules, left that way afterwards."""
    app.control.journal.clear()
    app.control.latency.clear()
    app.control.faults.clear()
    app.control.inboxes.clear()
    app.control.journal.keep_bodies = False
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.control.latency.clear()
        app.control.faults.clear()


def new_session(**overrides: object) -> dict[str, object]:
    return {"deployment_id": DEPLOYMENT, "flight_plan_id": APPROVED_PLAN, "start_date_time": 1527469200000,
            "end_date_time": 1527479200000, **overrides}
