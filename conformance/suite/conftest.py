"""Fixtures of the suite: the run (:mod:`conformance.run`: the backend under test, given or the bundled mock started
for the run, shared by every process of a ``--jobs`` run) and a fresh :class:`~conformance.target.Target` per check
whose creations are undone afterwards, pass or fail."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

from conformance.config import ConformanceConfig
from conformance.plugin import RUN
from conformance.profiles import CI, DEPTH
from conformance.run import SuiteRun
from conformance.target import Target

# Run as a plain plugin (`pytest --pyargs conformance.suite`) nobody names a profile; the suite's test modules bind
# their settings when imported, right after this file, so the network profile must be in force now.
if settings.get_current_profile_name() == "default":
    settings.load_profile(CI)


@pytest.fixture(scope="session")
def run(request: pytest.FixtureRequest) -> SuiteRun:
    """The run this process belongs to, set up by the plugin (:mod:`conformance.session`) as pytest started."""
    found = request.config.stash.get(RUN, None)
    if found is None:
        raise pytest.UsageError("the conformance suite runs only as its own tests: flight-conformance, python -m "
                                "conformance, or pytest --pyargs conformance.suite")
    return found


@pytest.fixture(scope="session")
def backend(run: SuiteRun) -> tuple[str, ConformanceConfig]:
    """(base URL, config) of the backend under test."""
    return run.base_url, run.config


@pytest.fixture
def target(run: SuiteRun) -> Iterator[Target]:
    with run.http_client() as http:
        target = Target(run.base_url, run.config, http, claims=run.claims)
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
