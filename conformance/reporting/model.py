"""The run report: the findings (failures grouped by cause, :mod:`conformance.verdict.findings`), what was checked
and what was not, per API and check group, the errors of the run apart from the failures, the requests sent, and
which documented answers each operation actually gave, built from what the run recorded. One model, three renderings:
the terminal summary, the HTML page, the JSON file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from api_contract import API_NAMES, load_spec
from api_contract.examples import operations
from api_contract.routing import ROUTES
from conformance.reporting.outcomes import CheckOutcome
from conformance.reporting.traffic import OTHER, TrafficRecord
from conformance.verdict.adoption import BaselineFinding, Waiver, judge
from conformance.verdict.causes import normalise
from conformance.verdict.findings import KNOWN, NEW, WAIVED, FailedTest, Finding, group

GROUP_ORDER = ("scenario", "push notifications", "schemathesis")


@dataclass
class Group:
    """One check group of one API: how many passed, failed and were skipped, and why each skipped one was."""

    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    skip_reasons: dict[str, list[str]] = field(default_factory=dict)  # reason -> the checks it skipped


@dataclass
class StatusCell:
    status: str
    count: int  # 0: documented, never provoked


@dataclass
class OperationCoverage:
    operation: str
    method: str
    path: str
    documented: list[StatusCell]
    other: dict[str, int]  # answered, but not one of the documented statuses


@dataclass
class ApiReport:
    api: str
    requests: int
    groups: list[Group]
    coverage: list[OperationCoverage]
    not_run: list[str] = field(default_factory=list)  # what was left out, and why (--api, --read-only)


@dataclass
class Failure:
    api: str
    group: str
    test: str
    check: str
    seed: str
    expected: str
    actual: str
    curl: str


@dataclass
class RunError:
    """A check the run could not judge, and why: not a verdict on the backend."""

    api: str
    group: str
    test: str
    check: str
    error: str


@dataclass
class CheckResult:
    api: str
    group: str
    check: str
    test: str
    outcome: str  # passed, failed, skipped or error
    reason: str  # why it was skipped, or the error
    seconds: float


@dataclass
class RunReport:
    backend: str
    seed: str
    profile: str
    jobs: int
    passed: int
    failed: int
    skipped: int
    requests: int
    control_requests: int  # to the mock's /_mock control API (the webhook trigger), not to either API
    apis: list[ApiReport]
    failures: list[Failure]
    checks: list[CheckResult]
    errored: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    fixed: list[BaselineFinding] = field(default_factory=list)  # the baseline's findings this run did not see
    baseline: str = ""  # the --baseline file, if any
    waivers: list[dict[str, Any]] = field(default_factory=list)  # the --waivers, each with whether it applied

    @property
    def headline(self) -> str:
        """What the report leads with: ``N findings (M failing tests)``, and the run's errors."""
        counts = [f"{len(self.findings)} finding{'' if len(self.findings) == 1 else 's'} ({self.failed} failing "
                  f"test{'' if self.failed == 1 else 's'})"]
        adopted = [f"{n} {word}" for n, word in ((len(self.new_findings), "new"), (self.count(KNOWN), "known"),
                                                 (self.count(WAIVED), "waived")) if n]
        if adopted and (self.baseline or self.waivers):
            counts[0] += f": {', '.join(adopted)}"
        if self.fixed:
            counts.append(f"{sum(1 for f in self.fixed if f.status == 'fixed')} fixed since the baseline")
        if self.errored:
            counts.append(f"{self.errored} error{'' if self.errored == 1 else 's'} of the run")
        return "; ".join(counts)

    @property
    def new_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == NEW]

    def count(self, status: str) -> int:
        return sum(1 for finding in self.findings if finding.status == status)

    @property
    def nothing_checked(self) -> str:
        """Why nothing was checked, when nothing was ("" otherwise)."""
        if self.passed or self.failed:
            return ""
        if self.errored:
            return "every selected check ended in an error of the run"
        if self.skipped:
            return "every selected check was skipped (the reasons are listed)"
        return "no check was selected"

    def as_json(self) -> dict[str, Any]:
        return {"headline": self.headline, **asdict(self)}

    def redacted(self, secrets: dict[str, str]) -> RunReport:
        """This report with every credential value (``secrets``: value -> what to show instead) replaced in the
        failures, findings and errors: a report file is shared further than the run's own log."""
        def clean(text: str) -> str:
            for value, shown in sorted(secrets.items(), key=lambda item: -len(item[0])):
                text = text.replace(value, shown)
            return text

        failures = [Failure(f.api, f.group, f.test, f.check, f.seed, clean(f.expected), clean(f.actual),
                            clean(f.curl)) for f in self.failures]
        findings = [replace(f, summary=clean(f.summary), reproduction=clean(f.reproduction), cause=clean(f.cause))
                    for f in self.findings]
        errors = [replace(e, error=clean(e.error)) for e in self.errors]
        return replace(self, failures=failures, findings=findings, errors=errors)


def credentials(config: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every credential in the suite's config (tokens and API keys), value -> ``<its.key>``, to redact them."""
    found = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            found.update(credentials(value, dotted + "."))
        elif isinstance(value, str) and value and ("token" in key or "key" in key):
            found[value] = f"<{dotted}>"
    return found


def documented_statuses(api: str) -> dict[str, list[str]]:
    """operationId -> the statuses its spec documents one by one (as the project publishes it, mock choices too)."""
    return {operation["operationId"]: sorted(code for code in operation["responses"] if code.isdigit())
            for _, _, operation, _ in operations(load_spec(api, "mock"))}


def _coverage(api: str, traffic: TrafficRecord) -> list[OperationCoverage]:
    rows = []
    for operation_id, statuses in documented_statuses(api).items():
        route = ROUTES.operations[operation_id]
        seen = traffic.observed(operation_id)
        rows.append(OperationCoverage(operation_id, route.method, route.path,
                                      [StatusCell(code, seen.get(int(code), 0)) for code in statuses],
                                      {str(code): count for code, count in sorted(seen.items())
                                       if str(code) not in statuses}))
    return rows


def build(checks: list[CheckOutcome], traffic: TrafficRecord, *, backend: str, seed: str, profile: str,
          jobs: int, apis: list[str] | None, read_only: bool, baseline: Mapping[str, Mapping[str, Any]] | None = None,
          baseline_path: str = "", waivers: list[Waiver] | None = None, today: date | None = None) -> RunReport:
    groups: dict[tuple[str, str], Group] = {}
    failures, failed, errors = [], [], []
    for check in checks:
        group_of = groups.setdefault((check.api, check.group), Group(check.group))
        if check.outcome == "failed":
            group_of.failed += 1
            parts = check.failure or {}
            failures.append(Failure(check.api, check.group, check.test, parts.get("check", check.check),
                                    parts.get("seed", ""), parts.get("expected", ""), parts.get("actual", ""),
                                    parts.get("curl", "")))
            failed.append(FailedTest(check.api, check.test, check.check, _causes(check, parts), parts.get("curl", "")))
        elif check.outcome == "error":
            group_of.errors += 1
            errors.append(RunError(check.api, check.group, check.test, check.check, check.reason))
        elif check.outcome == "skipped":
            group_of.skipped += 1
            group_of.skip_reasons.setdefault(check.reason, []).append(check.check)
        else:
            group_of.passed += 1
    reports = []
    for api in API_NAMES:
        not_run = []
        if apis and api not in apis:
            not_run.append(f"not checked: --api {' --api '.join(apis)}")
        if read_only:
            not_run.append("checks that write (subscriptions, sessions, push notifications) not run: --read-only")
        ordered = sorted((g for (of, _), g in groups.items() if of == api),
                         key=lambda g: GROUP_ORDER.index(g.name) if g.name in GROUP_ORDER else len(GROUP_ORDER))
        reports.append(ApiReport(api, traffic.sent(api), ordered, _coverage(api, traffic), not_run))
    counted = Counter(check.outcome for check in checks)
    results = [CheckResult(c.api, c.group, c.check, c.test, c.outcome, c.reason, round(c.duration, 3))
               for c in sorted(checks, key=lambda c: (c.api, c.group, c.test))]
    findings = group(failed)
    waivers = waivers or []
    fixed = judge(findings, baseline, waivers, {c.test: c.outcome for c in checks}, today or date.today())
    seen = {finding.id for finding in findings}
    shown_waivers = [{"finding": w.finding, "reason": w.reason, "expires": w.expires.isoformat() if w.expires else "",
                      "applies": w.applies(today or date.today()), "seen": w.finding in seen} for w in waivers]
    return RunReport(backend, seed, profile, jobs, counted["passed"], counted["failed"], counted["skipped"],
                     sum(r.requests for r in reports), traffic.sent(OTHER), reports, failures, results,
                     counted["error"], findings, errors, fixed, baseline_path, shown_waivers)


def _causes(check: CheckOutcome, parts: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The failure's causes, or one made of what pytest reported when the failure carried none."""
    causes = parts.get("causes")
    if causes:
        return list(causes)
    cause = normalise(str(parts.get("actual", "")).strip().splitlines()[-1:][0] if parts.get("actual") else "")
    return [{"rule": parts.get("seed") or check.check, "cause": cause, "operation": "", "kind": "",
             "detail": str(parts.get("actual", ""))[:300], "key": f"{check.check}\n{cause}"}]
