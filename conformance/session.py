"""Setting up and ending a run of the suite, for the plugin (:mod:`conformance.plugin`) to call from pytest's hooks.

The process pytest started hosts the run (:class:`~conformance.run.SuiteRun`); a pytest-xdist worker joins the run of
the process that started it, from what that process handed over. Either way the reporting hooks
(:mod:`conformance.reporting.hooks`) are registered for the process's part. The plugin decides, from pytest's
arguments, whether the suite is being run at all: it is loaded into every pytest run of the environment, and must
start nothing for other projects' tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.options import BY_NAME
from conformance.reporting.hooks import CheckHooks, ReportHooks, WorkerHooks
from conformance.reporting.model import credentials
from conformance.run import ReceiverPlace, SuiteRun


def _option(config: pytest.Config, name: str) -> Any:
    return config.getoption(BY_NAME[name].pytest_dest, None)


def start(config: pytest.Config, shared: dict[str, Any] | None = None) -> SuiteRun:
    """Host the run, or join the hosting process's from ``shared`` (what :meth:`SuiteRun.for_workers` handed a
    pytest-xdist worker), and register the reporting hooks for this process's part."""
    config.pluginmanager.register(CheckHooks(), "flight-conformance-checks")
    if shared is not None:
        run = SuiteRun.join(shared, config.workerinput["workerid"])  # type: ignore[attr-defined]
        config.pluginmanager.register(WorkerHooks(config, run.traffic), "flight-conformance-worker")
        return run
    # pytest-base-url's --base-url, its base_url ini value or PYTEST_BASE_URL; none: the bundled mock, started now.
    base_url = config.getoption("base_url", None) or config.getini("base_url") or None
    run = SuiteRun.host(
        base_url, _option(config, "conformance-config"), rate_limit=_option(config, "rate-limit"),
        processes=getattr(config.option, "numprocesses", None) or 1,
        receiver_place=ReceiverPlace(_option(config, "webhook-host"), _option(config, "webhook-port"),
                                     _option(config, "webhook-public-url")))
    config.pluginmanager.register(ReportHooks(
        config, run.traffic, backend=run.base_url, html=_option(config, "report"),
        as_json=_option(config, "report-json"), apis=_option(config, "api"),
        read_only=bool(_option(config, "read-only")), secrets=credentials(run.config.data)),
        "flight-conformance-report")
    return run
