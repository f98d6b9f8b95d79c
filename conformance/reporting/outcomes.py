"""What became of each check: passed, failed (and how, as the report shows it) or skipped (and why).

A check's identity (its API, its group, its name) is attached to the test item where it is collected, and its
failure's parts where the failure is reported, as ``user_properties``: pytest copies those onto every report, and
pytest-xdist carries reports from the worker that ran a check to the process that reports. So the one that reports
reads everything off the reports themselves.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import pytest

from conformance.checks.violation import ConformanceFailure
from conformance.verdict.causes import causes_of, operation_of_curl
from conformance.verdict.run_errors import RUN_ERROR

IDENTITY = "flight_conformance_check"
FAILURE = "flight_conformance_failure"
GROUPS = {"test_garuda_scenarios.py": "scenario", "test_flightsayer_scenarios.py": "scenario",
          "test_webhooks.py": "push notifications", "test_schema.py": "schemathesis"}
CONTRACT = "the specs' contract: what the seeds state (api_contract/policy.py, contract view)"
_SCHEMATHESIS_KIND = re.compile(r"^- (ST\d+ .+)$", re.M)


def identity(item: pytest.Item) -> dict[str, str] | None:
    """The API, group and name of the suite's check ``item``; None for a test that is no check of the suite."""
    marker = item.get_closest_marker("conformance")
    group = GROUPS.get(item.path.name)
    if marker is None or group is None:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    check = getattr(params.get("check"), "__name__", None) or item.name
    return {"api": marker.kwargs.get("api", ""), "group": group, "check": check, "test": item.name}


def failure_parts(error: BaseException) -> dict[str, Any]:
    """The parts of a failure the report shows: the check, the seed sentence it enforces, expected and actual, how to
    reproduce it. A failed check of ours carries them; a schemathesis failure names its kinds and a curl line."""
    parts = _parts(error)
    operation = operation_of_curl(str(parts["curl"]))
    parts["causes"] = [{**asdict(cause), "key": cause.key} for cause in causes_of(error, operation)]
    return parts


def _parts(error: BaseException) -> dict[str, Any]:
    if isinstance(error, ConformanceFailure):
        return {"check": error.check, "seed": error.seed, "expected": error.expected, "actual": error.actual,
                "curl": error.curl or ""}
    text = str(error)
    kinds = _SCHEMATHESIS_KIND.findall(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    curl = next((line for line in lines if line.startswith("curl ")), "")
    detail = next((line for line in lines[1:] if not line.startswith(("- ST", "Schemathesis found", "[", "curl",
                                                                       "Reproduce with"))), "")
    return {"check": "; ".join(kinds) or type(error).__name__, "seed": CONTRACT,
            "expected": "an answer the contract and the seeds' rules allow", "actual": detail[:2000] or text[:2000],
            "curl": curl}


@dataclass
class CheckOutcome:
    nodeid: str
    api: str
    group: str
    check: str
    test: str  # the test's name: schemathesis's items of one function share a node id
    outcome: str = "passed"  # passed, failed, skipped, or error: the run could not judge it
    reason: str = ""  # why it was skipped, or what the error was
    duration: float = 0.0
    failure: dict[str, Any] | None = None


class Outcomes:
    """Every check's outcome, from its reports (setup, call and teardown), in the order they finished."""

    def __init__(self) -> None:
        self.checks: dict[tuple[str, str], CheckOutcome] = {}

    def note(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        found = properties.get(IDENTITY)
        if found is None:
            return
        outcome = self.checks.setdefault((report.nodeid, found["test"]), CheckOutcome(report.nodeid, **found))
        outcome.duration += report.duration
        if report.failed and outcome.outcome not in ("failed", "error"):
            if report.when != "call" or RUN_ERROR in properties:
                # Not judged: the check's own error, or a fixture that could not set it up or clean up after it.
                lines = _text(report.longrepr).strip().splitlines() or [""]
                outcome.outcome = "error"
                outcome.reason = properties.get(RUN_ERROR) or f"{report.when}: {lines[-1][:500]}"
            else:
                outcome.outcome = "failed"
                outcome.failure = properties.get(FAILURE) or {"check": outcome.check, "seed": "", "expected": "",
                                                              "actual": _text(report.longrepr)[:2000], "curl": ""}
        elif report.skipped and outcome.outcome == "passed":
            outcome.outcome, outcome.reason = "skipped", _skip_reason(report.longrepr)


def _skip_reason(longrepr: Any) -> str:
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else _text(longrepr)
    return str(reason).removeprefix("Skipped: ")


def _text(longrepr: Any) -> str:
    return str(longrepr) if longrepr is not None else ""
