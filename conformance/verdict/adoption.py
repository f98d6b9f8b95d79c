"""Adopting the suite on a backend that is not conformant yet, without switching checks off.

``--baseline FILE`` reads an earlier run's ``--report-json``: its findings are *known* and do not fail the run, new
ones do, and its findings that no longer occur where their tests ran again are reported *fixed*. ``--waivers FILE``
names findings a team accepts for now, each with a reason and optionally an expiry date, after which it fails the
run again::

    waivers:
      - finding: F-1a2b3c4d5e
        reason: the 401 challenge (RFC 9110) is deferred to the auth rework
        expires: 2027-03-31

Both are shown in the report with every finding they cover, so nothing is hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from conformance.verdict.findings import KNOWN, NEW, WAIVED, Finding

FIXED, NOT_RECHECKED = "fixed", "not checked again"


@dataclass(frozen=True)
class Waiver:
    finding: str
    reason: str
    expires: date | None = None

    def applies(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


@dataclass
class BaselineFinding:
    """A finding of the baseline that this run did not see: fixed where its tests ran again, else not rechecked."""

    id: str
    rule: str
    cause: str
    summary: str
    status: str  # FIXED or NOT_RECHECKED
    tests: list[str]


def read_baseline(path: Path) -> dict[str, dict[str, Any]]:
    """id -> finding of an earlier ``--report-json``; ValueError saying what is wrong with the file."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"not a readable JSON report: {error}") from error
    findings = report.get("findings") if isinstance(report, dict) else None
    if not isinstance(findings, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str)
                                                 for f in findings):
        raise ValueError("not a --report-json of this suite: no list of findings with ids")
    return {finding["id"]: finding for finding in findings}


def read_waivers(path: Path) -> list[Waiver]:
    """The waivers of a YAML file (a list, or a mapping with ``waivers:``); ValueError saying what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"not a readable YAML file: {error}") from error
    entries = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError("expected a list of waivers (finding, reason, optional expires)")
    waivers = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("finding"), str) or not str(
                entry.get("reason") or "").strip():
            raise ValueError(f"waiver {number}: needs a finding id and a reason")
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, date):
            try:
                expires = date.fromisoformat(str(expires))
            except ValueError as error:
                raise ValueError(f"waiver {number}: expires {expires!r} is not a date (YYYY-MM-DD)") from error
        waivers.append(Waiver(entry["finding"], str(entry["reason"]).strip(), expires))
    return waivers


def judge(findings: Iterable[Finding], baseline: Mapping[str, Mapping[str, Any]] | None,
          waivers: Iterable[Waiver], outcomes: Mapping[str, str], today: date) -> list[BaselineFinding]:
    """Mark each finding new, known or waived (in place); return the baseline's findings this run did not see.
    ``outcomes``: test -> passed, failed, skipped or error, for this run's tests."""
    by_id = {waiver.finding: waiver for waiver in waivers}
    seen = set()
    for finding in findings:
        seen.add(finding.id)
        waiver = by_id.get(finding.id)
        if waiver is not None and waiver.applies(today):
            finding.status = WAIVED
            finding.note = waiver.reason + (f" (until {waiver.expires.isoformat()})" if waiver.expires else "")
        elif baseline is not None and finding.id in baseline:
            finding.status = KNOWN
        else:
            finding.status = NEW
        if waiver is not None and not waiver.applies(today):
            finding.note = f"waiver expired on {waiver.expires}: {waiver.reason}"
    gone = []
    for finding_id, old in (baseline or {}).items():
        if finding_id in seen:
            continue
        tests = [str(test) for test in old.get("tests", [])]
        rechecked = any(outcomes.get(test) in ("passed", "failed") for test in tests)
        gone.append(BaselineFinding(finding_id, str(old.get("rule", "")), str(old.get("cause", "")),
                                    str(old.get("summary", "")), FIXED if rechecked else NOT_RECHECKED, tests))
    return gone
