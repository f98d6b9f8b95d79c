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
from conformance.plugin import RUN, suite_option
from conformance.profiles import CI, DEPTH
from conformance.reporting.hooks import CheckHooks, ReportHooks, WorkerHooks
from conformance.reporting.model import credentials
from conformance.run import WORKER_INPUT, ReceiverPlace, SuiteRun
from conformance.target import Target

# Run as a plain plugin (`pytest --pyargs conformance.suite`) nobody names a profile; the suite's test modules bind
# their settings when imported, right after this file, so the network profile must be in force now.
if settings.get_current_profile_name() == "default":
    settings.load_profile(CI)


def pytest_configure(config: pytest.Config) -> None:
    if config.option.collectonly:
        return
    config.pluginmanager.register(CheckHooks(), "flight-conformance-checks")
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        run = config.stash[RUN] = SuiteRun.join(workerinput[WORKER_INPUT], workerinput["workerid"])
        config.pluginmanager.register(WorkerHooks(config, run.traffic), "flight-conformance-worker")
        return
    # pytest-base-url's --base-url, its base_url ini value or PYTEST_BASE_URL; none: the bundled mock, started now.
    base_url = config.getoption("base_url", None) or config.getini("base_url") or None
    jobs = getattr(config.option, "numprocesses", None) or 1
    run = config.stash[RUN] = SuiteRun.host(
        base_url, suite_option(config, "conformance-config"), rate_limit=suite_option(config, "rate-limit"),
        processes=jobs, receiver_place=ReceiverPlace(suite_option(config, "webhook-host"),
                                                     suite_option(config, "webhook-port"),
                                                     suite_option(config, "webhook-public-url")))
    config.pluginmanager.register(ReportHooks(
        config, run.traffic, backend=run.base_url, html=suite_option(config, "report"),
        as_json=suite_option(config, "report-json"), apis=suite_option(config, "api"),
        read_only=bool(suite_option(config, "read-only")), secrets=credentials(run.config.data)),
        "flight-conformance-report")


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is not None:
        run.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's: hand each worker what it needs to join the run this process hosts."""
    node.workerinput[WORKER_INPUT] = node.config.stash[RUN].for_workers()


@pytest.fixture(scope="session")
def run(request: pytest.FixtureRequest) -> SuiteRun:
    return request.config.stash[RUN]


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
