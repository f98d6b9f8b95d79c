"""The run report: what was checked and what was not, per API and check group, the requests sent, and which
documented answers each operation actually gave, built from what the run recorded. One model, three renderings: the
terminal summary, the HTML page, the JSON file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from api_contract import API_NAMES, load_spec
from api_contract.examples import operations
from api_contract.routing import ROUTES
from conformance.reporting.outcomes import CheckOutcome
from conformance.reporting.traffic import OTHER, TrafficRecord

GROUP_ORDER = ("scenario", "push notifications", "schemathesis")


@dataclass
class Group:
    """One check group of one API: how many passed, failed and were skipped, and why each skipped one was."""

    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
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
class CheckResult:
    api: str
    group: str
    check: str
    test: str
    outcome: str  # passed, failed or skipped
    reason: str  # why it was skipped
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

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def redacted(self, secrets: dict[str, str]) -> RunReport:
        """This report with every credential value (``secrets``: value -> what to show instead) replaced in the
        failures: a report file is shared further than the run's own log."""
        def clean(text: str) -> str:
            for value, shown in sorted(secrets.items(), key=lambda item: -len(item[0])):
                text = text.replace(value, shown)
            return text

        failures = [Failure(f.api, f.group, f.test, f.check, f.seed, clean(f.expected), clean(f.actual),
                            clean(f.curl)) for f in self.failures]
        return replace(self, failures=failures)


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
          jobs: int, apis: list[str] | None, read_only: bool) -> RunReport:
    groups: dict[tuple[str, str], Group] = {}
    failures = []
    for check in checks:
        group = groups.setdefault((check.api, check.group), Group(check.group))
        if check.outcome == "failed":
            group.failed += 1
            parts = check.failure or {}
            failures.append(Failure(check.api, check.group, check.test, parts.get("check", check.check),
                                    parts.get("seed", ""), parts.get("expected", ""), parts.get("actual", ""),
                                    parts.get("curl", "")))
        elif check.outcome == "skipped":
            group.skipped += 1
            group.skip_reasons.setdefault(check.reason, []).append(check.check)
        else:
            group.passed += 1
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
    return RunReport(backend, seed, profile, jobs, counted["passed"], counted["failed"], counted["skipped"],
                     sum(r.requests for r in reports), traffic.sent(OTHER), reports, failures, results)
