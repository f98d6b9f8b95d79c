"""The run report as the lines printed at the end of every run (the command, tox, or pytest with the plugin)."""

from __future__ import annotations

from collections.abc import Iterator

from conformance.reporting.model import ApiReport, RunReport
from conformance.verdict.findings import NEW

ANSWERED, NEVER = "✔", "✘"


def summary_lines(report: RunReport, *, verbose: bool = False) -> Iterator[str]:
    """The summary: the headline (findings, failing tests, errors), each finding once and briefly (in full with
    ``verbose``), the errors of the run apart, then per API what was checked."""
    yield f"flight API conformance of {report.backend}: {report.headline}"
    yield (f"  {report.passed} passed, {report.failed} failed, {report.skipped} skipped, {report.errored} errors; "
           f"{report.requests} requests sent"
           + (f" (+{report.control_requests} to the mock's control API)" if report.control_requests else ""))
    if report.nothing_checked:
        yield f"nothing was checked: {report.nothing_checked}"
    yield from _finding_lines(report, verbose)
    if report.errors:
        yield "errors of the run (not verdicts on the backend: these checks could not be judged):"
        for error in report.errors:
            yield f"  {error.api} {error.group}: {error.check} ({error.test}): {_short(error.error)}"
    for api in report.apis:
        yield from _api_lines(api)
    if verbose and report.failures:
        yield "failures (the check, what the seed says, expected vs actual, how to reproduce):"
        for failure in report.failures:
            yield f"  {failure.api} {failure.group}: {failure.check} ({failure.test})"
            yield f"    expected {failure.expected}; got {_short(failure.actual)}"
    replay = f"--hypothesis-seed={report.seed}" if report.seed else "no --hypothesis-seed given, so none to replay"
    yield f"replay: {replay} (profile {report.profile}, --jobs {report.jobs})"


def _finding_lines(report: RunReport, verbose: bool) -> Iterator[str]:
    if report.findings:
        yield "findings (one per cause; the report files and -v give every occurrence):"
    for finding in report.findings:
        status = "" if finding.status == NEW and not (report.baseline or report.waivers) else f" [{finding.status}]"
        where = ", ".join(finding.operations[:3]) + (f" +{len(finding.operations) - 3}"
                                                     if len(finding.operations) > 3 else "")
        seen_by = finding.checks[0] + (f" +{len(finding.checks) - 1}" if len(finding.checks) > 1 else "")
        yield (f"  {finding.id}{status} {finding.cause} ({len(finding.tests)} test"
               f"{'' if len(finding.tests) == 1 else 's'}: {seen_by}{'; ' + where if where else ''})")
        if finding.note:
            yield f"    {finding.note}"
        if verbose:
            yield f"    rule: {_short(finding.rule)}"
            yield f"    e.g.: {_short(finding.summary)}"
            if finding.reproduction:
                yield f"    reproduce: {finding.reproduction}"
            yield f"    tests: {', '.join(finding.tests)}"
    for gone in report.fixed:
        yield f"  {gone.id} [{gone.status}] {gone.cause}"


def _api_lines(api: ApiReport) -> Iterator[str]:
    yield f"{api.api}: {api.requests} requests"
    for reason in api.not_run:
        yield f"  {reason}"
    for group in api.groups:
        counts = ", ".join(f"{n} {word}" for n, word in ((group.passed, "passed"), (group.failed, "failed"),
                                                        (group.skipped, "skipped"), (group.errors, "errors")) if n)
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
