"""The pytest hooks that gather the run report, registered by the suite's conftest for the run's processes.

In every process that runs checks: each check's identity is attached to its test item, and a failure's parts to its
report. In a pytest-xdist worker: the traffic record goes back to the hosting process when the worker finishes. In
the process that reports (the only one, or the one hosting the workers): every outcome is read off the reports, the
workers' traffic merged in, and at the end the summary printed and the files written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from conformance.reporting import render_html
from conformance.reporting.model import RunReport, build
from conformance.reporting.outcomes import FAILURE, IDENTITY, Outcomes, failure_parts, identity
from conformance.reporting.terminal import summary_lines
from conformance.reporting.traffic import TrafficRecord
from conformance.verdict.adoption import Waiver
from conformance.verdict.exit_codes import DECIDED, Exit

WORKER_OUTPUT = "flight_conformance_traffic"


class CheckHooks:
    """In every process that runs checks."""

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            found = identity(item)
            if found is not None:
                item.user_properties.append((IDENTITY, found))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
        report = yield
        if report.failed and call.excinfo is not None and dict(item.user_properties).get(IDENTITY):
            report.user_properties.append((FAILURE, failure_parts(call.excinfo.value)))
        return report


class WorkerHooks:
    """In a pytest-xdist worker: hand the traffic record to the hosting process when done."""

    def __init__(self, config: pytest.Config, traffic: TrafficRecord) -> None:
        self.config, self.traffic = config, traffic

    def pytest_sessionfinish(self) -> None:
        self.config.workeroutput[WORKER_OUTPUT] = self.traffic.as_data()  # type: ignore[attr-defined]


class ReportHooks:
    """In the process that reports."""

    def __init__(self, config: pytest.Config, traffic: TrafficRecord, *, backend: str, html: Path | None,
                 as_json: Path | None, apis: list[str] | None, read_only: bool, secrets: dict[str, str],
                 baseline: dict[str, dict[str, Any]] | None = None, waivers: list[Waiver] | None = None,
                 today: date | None = None) -> None:
        self.config, self.traffic, self.backend, self.secrets = config, traffic, backend, secrets
        self.html, self.as_json, self.apis, self.read_only = html, as_json, apis, read_only
        self.baseline, self.waivers, self.today = baseline, waivers or [], today
        self.outcomes = Outcomes()
        self.report: RunReport | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.outcomes.note(report)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object | None) -> None:
        self.traffic.merge(getattr(node, "workeroutput", {}).get(WORKER_OUTPUT, []))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        option = self.config.option
        baseline_path = getattr(option, "conformance_baseline", None)
        self.report = build(list(self.outcomes.checks.values()), self.traffic, backend=self.backend,
                            seed=str(getattr(option, "hypothesis_seed", "") or ""),
                            profile=settings.get_current_profile_name(),
                            jobs=getattr(option, "numprocesses", None) or 1, apis=self.apis, read_only=self.read_only,
                            baseline=self.baseline, baseline_path=str(baseline_path or ""), waivers=self.waivers,
                            today=self.today)
        decided = verdict(self.report, session.exitstatus)
        if decided is not None:
            session.exitstatus = decided
            self.config.stash[DECIDED] = decided
        # The files leave the run (CI artifacts, dashboards): no credential in them; the run's own log keeps its curl
        # lines replayable as they are.
        shared = self.report.redacted(self.secrets)
        if self.html is not None:
            self.html.write_text(render_html(shared), encoding="utf-8")
        if self.as_json is not None:
            self.as_json.write_text(json.dumps(shared.as_json(), indent=2) + "\n", encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.report is None or not self.outcomes.checks:
            return
        terminalreporter.section("flight API conformance")
        for line in summary_lines(self.report, verbose=self.config.option.verbose > 0):
            terminalreporter.write_line(line)
        for path in (self.html, self.as_json):
            if path is not None:
                terminalreporter.write_line(f"report: {path}")


def verdict(report: RunReport, pytest_status: int) -> Exit | None:
    """The run's exit code from its findings, errors and what was checked; None to leave pytest's (interrupted, an
    internal or usage error, nothing collected)."""
    if pytest_status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return None
    if report.new_findings:
        return Exit.FAILED
    if report.errored:
        return Exit.RUN_ERRORS
    if report.nothing_checked:
        return Exit.NOTHING_CHECKED
    return Exit.PASSED
