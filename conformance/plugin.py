"""The suite's pytest plugin. Loaded by every pytest run of every environment the package is installed in (entry
point), so it only adds namespaced options (``conformance.options``), builds on pytest-base-url's ``--base-url``, and
acts only when pytest is asked to run the suite (``conformance.suite``, by path or ``--pyargs``): then it sets up the
run (:mod:`conformance.session`, imported only then) in the process pytest started and in each pytest-xdist worker;
anything else is left alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

import conformance.profiles  # noqa: F401 - registers the ci and thorough Hypothesis profiles
from conformance.checks.violation import ConformanceFailure
from conformance.config import ConformanceConfig
from conformance.options import BY_NAME, GROUPS, OPTIONS, SuiteOption, options_in
from conformance.verdict.run_errors import RUN_ERROR, describe, is_verdict

if TYPE_CHECKING:
    from conformance.run import SuiteRun

# The suite's run (conformance.run), on the config of every process of it. Kept here, not in conformance.run, so
# loading this plugin into other projects' pytest runs imports nothing heavy.
RUN: pytest.StashKey[SuiteRun] = pytest.StashKey()
WORKER_INPUT = "flight_api_conformance_run"  # what a pytest-xdist worker is handed to join the run
SUITE = Path(__file__).resolve().parent / "suite"


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


def runs_the_suite(config: pytest.Config) -> bool:
    """Whether pytest was asked to run the suite: ``conformance.suite`` (or a module of it) with ``--pyargs``, or
    its folder (or a file in it) by path."""
    for arg in config.args:
        target = arg.split("::")[0]
        if target == "conformance.suite" or target.startswith("conformance.suite."):
            return True
        path = (config.invocation_params.dir / target).resolve()
        if path == SUITE or SUITE in path.parents:
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance(api, writes): a check of the flight API conformance suite")
    path = suite_option(config, "conformance-config")
    if path is not None:
        try:
            ConformanceConfig.from_file(path)
        except (OSError, ValueError, yaml.YAMLError) as error:
            raise pytest.UsageError(f"{BY_NAME['conformance-config'].pytest_flag} {path}: {error}") from error
    if config.option.collectonly:
        return
    shared = getattr(config, "workerinput", {}).get(WORKER_INPUT)
    if shared is not None or (not hasattr(config, "workerinput") and runs_the_suite(config)):
        from conformance.session import start

        config.stash[RUN] = start(config, shared)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is not None:
        run.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's, in the process that starts the workers: hand each what it needs to join the run."""
    run = node.config.stash.get(RUN, None)
    if run is not None:
        node.workerinput[WORKER_INPUT] = run.for_workers()


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
    # What a check raises that is no assertion is the run's trouble, not a verdict on the backend.
    if (report.failed and report.when == "call" and call.excinfo is not None
            and item.get_closest_marker("conformance") is not None and not is_verdict(call.excinfo.value)):
        report.user_properties.append((RUN_ERROR, describe(call.excinfo.value)))
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """A check that could not be judged shows as ERROR, as a fixture that could not be set up does."""
    if report.when == "call" and report.failed and RUN_ERROR in dict(report.user_properties):
        return "error", "E", "ERROR"
    return None
