"""The run report as the lines printed at the end of every run (the command, tox, or pytest with the plugin)."""

from __future__ import annotations

from collections.abc import Iterator

from conformance.reporting.model import ApiReport, RunReport

ANSWERED, NEVER = "✔", "✘"


def summary_lines(report: RunReport) -> Iterator[str]:
    yield (f"flight API conformance of {report.backend}: {report.passed} passed, {report.failed} failed, "
           f"{report.skipped} skipped; {report.requests} requests sent"
           + (f" (+{report.control_requests} to the mock's control API)" if report.control_requests else ""))
    for api in report.apis:
        yield from _api_lines(api)
    if report.failures:
        yield "failures (the check, what the seed says, expected vs actual, how to reproduce):"
        for failure in report.failures:
            yield f"  {failure.api} {failure.group}: {failure.check} ({failure.test})"
            yield f"    expected {failure.expected}; got {_short(failure.actual)}"
    replay = f"--hypothesis-seed={report.seed}" if report.seed else "no --hypothesis-seed given, so none to replay"
    yield f"replay: {replay} (profile {report.profile}, --jobs {report.jobs})"


def _api_lines(api: ApiReport) -> Iterator[str]:
    yield f"{api.api}: {api.requests} requests"
    for reason in api.not_run:
        yield f"  {reason}"
    for group in api.groups:
        counts = ", ".join(f"{n} {word}" for n, word in ((group.passed, "passed"), (group.failed, "failed"),
                                                        (group.skipped, "skipped")) if n)
        yield f"  {group.name}: {counts}"
        for reason, checks in group.skip_reasons.items():
            yield f"    not checked ({reason}): {', '.join(checks)}"
    yield f"  answers seen ({ANSWERED} answered, {NEVER} documented but never provoked):"
    width = max(len(f"{row.method} {row.path}") for row in api.coverage)
    for row in api.coverage:
        cells = [f"{cell.status} {ANSWERED if cell.count else NEVER}" + (f"{cell.count}" if cell.count else "")
                 for cell in row.documented]
        other = ", ".join(f"{status} x{count}" for status, count in row.other.items())
        line = f"    {row.method + ' ' + row.path:<{width}}  {'  '.join(cells)}"
        yield line + (f"  other: {other}" if other else "")


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."
