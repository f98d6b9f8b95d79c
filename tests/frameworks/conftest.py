"""Framework backends: installed once per session, each served in a process of its own."""

from __future__ import annotations

import pytest

from tests.frameworks.harness import Backend, Installed, backends, install


@pytest.fixture(scope="session")
def installed_backends() -> dict[str, Installed | BaseException]:
    """Every backend installed (or why it could not be), so one failed install fails only its own tests."""
    found: dict[str, Installed | BaseException] = {}
    for name, backend in backends().items():
        try:
            found[name] = install(backend)
        except (RuntimeError, OSError) as error:
            found[name] = error
    return found


def installed(installed_backends: dict[str, Installed | BaseException], backend: Backend) -> Installed:
    found = installed_backends[backend.name]
    if isinstance(found, BaseException):
        raise AssertionError(f"{backend.name} could not be installed: {found}")
    return found


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The power table (conformance/POWER.md's form): each mutant run, the check that was to kill it, the outcome."""
    rows = [(dict(report.user_properties)["power"], outcome)
            for outcome in ("passed", "failed") for report in terminalreporter.stats.get(outcome, [])
            if report.when == "call" and "power" in dict(report.user_properties)]
    if not rows:
        return
    terminalreporter.section("power: mutants of the framework backends")
    terminalreporter.line("| backend | mutant | defect | killed by | seed sentence | outcome |")
    terminalreporter.line("| --- | --- | --- | --- | --- | --- |")
    for row, outcome in sorted(rows, key=lambda r: (r[0]["backend"], r[0]["mutant"])):
        verdict = "killed" if outcome == "passed" else "SURVIVED"
        terminalreporter.line(f"| {row['backend']} | `{row['mutant']}` | {row['defect']} | `{row['killed_by']}` | "
                              f"\"{row['seed']}\" | {verdict} |")
