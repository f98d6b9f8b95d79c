"""The suite's pytest plugin. Loaded by every pytest run of every environment the package is installed in (entry
point), so it only adds namespaced options (``conformance.options``), builds on pytest-base-url's ``--base-url``, and
acts on tests marked ``conformance``, i.e. the suite's own (``conformance.suite``); anything else is left alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml

import conformance.profiles  # noqa: F401 - registers the ci and thorough Hypothesis profiles
from conformance.checks.violation import ConformanceFailure
from conformance.config import ConformanceConfig
from conformance.options import BY_NAME, GROUPS, OPTIONS, SuiteOption, options_in

if TYPE_CHECKING:
    pass

# The suite's run (conformance.run), on the config of every process of it; set by the suite's conftest. Kept here,
# not in conformance.run, so loading this plugin into other projects' pytest runs imports nothing heavy.
RUN = pytest.StashKey["SuiteRun"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    # Namespaced (conformance.options says why); --base-url and --hypothesis-profile belong to their own plugins.
    for group_name, description in GROUPS.items():
        group = parser.getgroup("flight-api-conformance" + ("" if group_name == "suite" else f"-{group_name}"),
                                description)
        for option in options_in(group_name):
            if option.owner is None:
                kwargs = option.argparse_kwargs(with_default=True)
                group.addoption(option.pytest_flag, dest=option.pytest_dest, **kwargs)


def suite_option(config: pytest.Config, name: str) -> Any:
    """The value of the suite's option ``name`` (as the command spells it: ``"webhook-host"``), whoever defines it."""
    return config.getoption(BY_NAME[name].pytest_dest, None)


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config):  # type: ignore[no-untyped-def]
    # --conformance-jobs N is pytest-xdist's -n N, set before xdist reads it (a wrapper runs before every plain
    # implementation). An explicit -n wins; a worker never spawns workers of its own.
    jobs = suite_option(config, "jobs") or 1
    if (jobs > 1 and config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput")
            and getattr(config.option, "numprocesses", None) is None):
        config.option.numprocesses = jobs
        if getattr(config.option, "dist", "no") == "no":
            config.option.dist = "worksteal"  # checks take from a second to a minute: idle workers take over
    return (yield)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance(api, writes): a check of the flight API conformance suite")
    path = suite_option(config, "conformance-config")
    if path is not None:
        try:
            ConformanceConfig.from_file(path)
        except (OSError, ValueError, yaml.YAMLError) as error:
            raise pytest.UsageError(f"{BY_NAME['conformance-config'].pytest_flag} {path}: {error}") from error


def pytest_report_header(config: pytest.Config) -> str | None:
    # Only when the suite's options were given: every pytest run of the environment loads this plugin.
    given = [arg for option in OPTIONS if option.owner is None
             for arg in option.as_args(_non_default(option, suite_option(config, option.name)), option.pytest_flag)]
    return f"conformance: {' '.join(given)}" if given else None


def _non_default(option: SuiteOption, value: Any) -> Any:
    return None if value == option.default else value


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    apis, read_only = suite_option(config, "api"), suite_option(config, "read-only")
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    # A failed check reads best as its own message (check, seed sentence, expected, actual, curl), not a traceback.
    if report.failed and call.excinfo is not None and call.excinfo.errisinstance(ConformanceFailure):
        report.longrepr = f"{item.nodeid}\n{call.excinfo.value}"
    return report
