"""The suite's pytest plugin. Loaded by every pytest run of the project (entry point), so it only adds options and
acts on tests marked ``conformance``, i.e. the suite's own (``conformance.suite``); anything else is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

import conformance.profiles  # noqa: F401 - registers the ci and thorough Hypothesis profiles
from api_contract import API_NAMES
from conformance.checks.violation import ConformanceFailure


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flight-api-conformance", "flight API conformance suite")
    group.addoption("--base-url", default=None, help="backend under test (default: start the bundled mock)")
    group.addoption("--conformance-config", type=Path, default=None,
                    help="YAML with credentials and ids, as `mock-server --print-config` prints it")
    group.addoption("--api", action="append", choices=list(API_NAMES), default=None,
                    help="check only this API (repeatable; default: both)")
    group.addoption("--read-only", action="store_true", default=False,
                    help="run only the checks that write nothing to the backend")
    hooks = parser.getgroup("flight-api-conformance-webhooks", "flight API conformance suite: push notifications")
    hooks.addoption("--webhook-host", default="127.0.0.1",
                    help="interface the webhook receiver binds; one the backend can reach (default: %(default)s)")
    hooks.addoption("--webhook-port", type=int, default=0, help="port of the webhook receiver (default: a free one)")
    hooks.addoption("--webhook-public-url", default=None, metavar="URL",
                    help="base URL the backend reaches the receiver at, when not http://HOST:PORT (NAT, containers)")
    hooks.addoption("--webhook-trigger-cmd", default=None, metavar="CMD",
                    help="command that changes a flight on the backend, e.g. \"./force.sh {flight_id} {kind}\" "
                         "(kind: delay or cancellation; {minutes} too); default: the mock's /_mock/ control API")
    hooks.addoption("--webhook-wait", type=float, default=15.0, metavar="SECONDS",
                    help="how long a due notification may take to arrive (default: %(default)s)")
    hooks.addoption("--webhook-final-grace", type=float, default=90.0, metavar="SECONDS",
                    help="how long after the final notification the subscription may live on (default: %(default)s)")
    hooks.addoption("--webhook-quiet", type=float, default=2.0, metavar="SECONDS",
                    help="how long to listen for a notification that must not come, once a later one came "
                         "(default: %(default)s)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance(api, writes): a check of the flight API conformance suite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    apis, read_only = config.getoption("api"), config.getoption("read_only")
    if not apis and not read_only:
        return
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("conformance")
        if marker is None:
            kept.append(item)
            continue
        api, writes = marker.kwargs.get("api"), marker.kwargs.get("writes", True)
        (dropped if (apis and api not in apis) or (read_only and writes) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    # Only when the suite ran: one seed for the whole run makes every Hypothesis failure replayable.
    session = getattr(terminalreporter, "_session", None)
    ran_suite = any(item.get_closest_marker("conformance") for item in getattr(session, "items", []))
    seed = config.getoption("hypothesis_seed", None)
    if ran_suite and seed is not None:
        terminalreporter.write_line(f"conformance: replay this run with --hypothesis-seed={seed}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    # A failed check reads best as its own message (check, seed sentence, expected, actual, curl), not a traceback.
    if report.failed and call.excinfo is not None and call.excinfo.errisinstance(ConformanceFailure):
        report.longrepr = f"{item.nodeid}\n{call.excinfo.value}"
    return report
