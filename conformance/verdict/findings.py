"""Findings, not test counts: the failures of a run grouped by cause (:mod:`conformance.verdict.causes`).

A finding is one defect of the backend: a stable id (the same cause gets the same id in every run, so a baseline
and a waiver can name it), the rule it breaks, one reproduction, and the operations, tests and occurrences under it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.verdict.causes import cited_rule

NEW, KNOWN, WAIVED = "new", "known", "waived"


@dataclass
class Finding:
    id: str
    rule: str  # the seed sentence or RFC clause broken
    cause: str  # what broke it, normalised
    summary: str  # one occurrence in its own words
    reproduction: str  # a curl line of one occurrence
    apis: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    occurrences: int = 0
    status: str = NEW  # NEW, KNOWN (in the --baseline) or WAIVED (--waivers)
    note: str = ""  # the waiver's reason and expiry, or why a waiver no longer applies

    @property
    def fails_the_run(self) -> bool:
        return self.status == NEW


def finding_id(key: str) -> str:
    return "F-" + hashlib.sha256(key.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class FailedTest:
    """What a failed test contributes: its identity, its causes (as ``Cause`` dicts), a curl line."""

    api: str
    test: str
    check: str
    causes: list[Mapping[str, Any]]
    curl: str = ""


def group(failed: Iterable[FailedTest]) -> list[Finding]:
    """One finding per cause key, in the order they were first seen."""
    found: dict[str, Finding] = {}
    for test in failed:
        for cause in test.causes:
            key = cause["key"]
            finding = found.get(key)
            if finding is None:
                finding = found[key] = Finding(finding_id(key), cause["rule"], cause["cause"], cause["detail"],
                                               test.curl)
            finding.occurrences += 1
            rule = cited_rule(cause["rule"])
            if rule and not cited_rule(finding.rule):
                finding.rule = rule  # an RFC clause names the rule better than any one check's sentence
            for values, value in ((finding.apis, test.api), (finding.operations, cause.get("operation", "")),
                                  (finding.checks, test.check), (finding.tests, test.test)):
                if value and value not in values:
                    values.append(value)
            if not finding.reproduction and test.curl:
                finding.reproduction = test.curl
    for finding in found.values():
        finding.operations.sort()
    return list(found.values())
