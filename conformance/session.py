"""Setting up and ending a run of the suite, for the plugin (:mod:`conformance.plugin`) to call from pytest's hooks.

The process pytest started hosts the run (:class:`~conformance.run.SuiteRun`); a pytest-xdist worker joins the run of
the process that started it, from what that process handed over. Either way the reporting hooks
(:mod:`conformance.reporting.hooks`) are registered for the process's part. The hosting process also reads
``--baseline`` and ``--waivers`` and runs the preflight (:mod:`conformance.verdict.preflight`, unless the command did
already or ``--no-preflight``): a problem ends the run before any check, with its exit code. The plugin decides, from
pytest's arguments, whether the suite is being run at all: it is loaded into every pytest run of the environment,
and must start nothing for other projects' tests.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from conformance.options import BY_NAME, COMMAND
from conformance.reporting.hooks import CheckHooks, ReportHooks, WorkerHooks
from conformance.reporting.model import credentials
from conformance.run import ReceiverPlace, SuiteRun
from conformance.verdict.adoption import Waiver, read_baseline, read_waivers
from conformance.verdict.exit_codes import DECIDED, Exit
from conformance.verdict.preflight import closing_line, exit_code, run_preflight


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
    try:
        baseline, waivers = _adoption(config)
        if not _option(config, "no-preflight"):
            _preflight(config, run)
    except BaseException:
        run.close()
        raise
    config.pluginmanager.register(ReportHooks(
        config, run.traffic, backend=run.base_url, html=_option(config, "report"),
        as_json=_option(config, "report-json"), apis=_option(config, "api"),
        read_only=bool(_option(config, "read-only")), secrets=credentials(run.config.data), baseline=baseline,
        waivers=waivers, today=datetime.now(UTC).date()),
        "flight-conformance-report")
    return run


def _stop(config: pytest.Config, code: Exit, lines: list[str], summary: str) -> None:
    """End the run before any check: one line per problem on stderr, then the exit code."""
    for line in lines:
        print(f"{COMMAND}: {line}", file=sys.stderr)
    config.stash[DECIDED] = code
    pytest.exit(summary, returncode=code)


def _adoption(config: pytest.Config) -> tuple[dict[str, dict[str, Any]] | None, list[Waiver]]:
    """The --baseline's findings and the --waivers; a file that cannot be read stops the run (exit 3)."""
    problems = []
    baseline, waivers = None, []
    try:
        path = _option(config, "baseline")
        baseline = read_baseline(path) if path is not None else None
    except ValueError as error:
        problems.append(f"--baseline {path}: {error}")
    try:
        path = _option(config, "waivers")
        waivers = read_waivers(path) if path is not None else []
    except ValueError as error:
        problems.append(f"--waivers {path}: {error}")
    if problems:
        _stop(config, Exit.CONFIG, problems, "cannot read the files given")
    return baseline, waivers


def _preflight(config: pytest.Config, run: SuiteRun) -> None:
    problems = run_preflight(run.base_url, run.config, apis=_option(config, "api"),
                             read_only=bool(_option(config, "read-only")),
                             trigger_cmd=_option(config, "webhook-trigger-cmd"))
    if problems:
        _stop(config, exit_code(problems), [problem.line for problem in problems], closing_line(problems))
