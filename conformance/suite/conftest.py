"""Fixtures of the suite: the backend under test (given, or the bundled mock started for the run) and a fresh
:class:`~conformance.target.Target` per check whose creations are undone afterwards, pass or fail."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

from conformance.bundled_mock import running_bundled_mock
from conformance.config import ConformanceConfig
from conformance.plugin import suite_option
from conformance.profiles import CI, DEPTH
from conformance.target import Target, make_http_client

# Run as a plain plugin (`pytest --pyargs conformance.suite`) nobody names a profile; the suite's test modules bind
# their settings when imported, right after this file, so the network profile must be in force now.
if settings.get_current_profile_name() == "default":
    settings.load_profile(CI)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest, base_url: str | None) -> Iterator[tuple[str, ConformanceConfig]]:
    """(base URL, config) of the backend under test; ``base_url`` is pytest-base-url's (``--base-url``, the
    ``base_url`` ini value or ``PYTEST_BASE_URL``)."""
    config_path = suite_option(request.config, "conformance-config")
    if base_url:
        yield base_url.rstrip("/"), ConformanceConfig.from_file(config_path) if config_path else ConformanceConfig({})
        return
    with running_bundled_mock() as (mock_url, mock_config):
        yield mock_url, ConformanceConfig.from_file(config_path) if config_path else mock_config


@pytest.fixture
def target(backend: tuple[str, ConformanceConfig]) -> Iterator[Target]:
    base_url, config = backend
    with make_http_client(base_url) as http:
        target = Target(base_url, config, http)
        yield target
        errors = target.clean_up()
    if errors:
        warnings.warn(f"could not delete what the check created: {errors}", stacklevel=1)


@pytest.fixture(scope="session")
def depth(request: pytest.FixtureRequest) -> dict[str, int]:
    """How far walking checks go: pages and sampled flights, by Hypothesis profile."""
    return DEPTH.get(request.config.getoption("hypothesis_profile", None) or CI, DEPTH[CI])


def run_check(check: Callable[..., Any], target: Target, depth: dict[str, int]) -> None:
    accepted = inspect.signature(check).parameters
    check(target, **{name: value for name, value in depth.items() if name in accepted})


def check_params(checks: list[Callable[..., Any]], api: str) -> list[Any]:
    """One pytest param per check, named after it and marked with its API and whether it writes."""
    return [pytest.param(check, id=check.__name__,
                         marks=pytest.mark.conformance(api=api, writes=getattr(check, "writes", True)))
            for check in checks]
