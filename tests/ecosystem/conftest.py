"""A mock served over real HTTP for the whole run, and its config as a file: what the suite's three front doors
(the pytest plugin, ``flight-conformance``, ``tox -e conformance``) are pointed at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from mock_server.app import MockApp, create_app
from tests.serving import serving

# One quick read-only check: enough to show the backend and the config reached the suite.
QUICK = ["-k", "search_order_is_stable"]


@pytest.fixture(scope="session")
def served_app() -> MockApp:
    return create_app()


@pytest.fixture(scope="session")
def served_url(served_app: MockApp) -> Iterator[str]:
    with serving(served_app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def config_file(served_app: MockApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "creds.yaml"
    path.write_text(yaml.safe_dump(served_app.state.conformance_config()))
    return path


def operations_seen(app: MockApp) -> set[str]:
    """The operations the mock answered since its journal was last cleared."""
    return {entry.operation for entry in app.control.journal.entries() if entry.operation}
