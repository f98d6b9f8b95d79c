"""Judge recorded exchanges and summarise them per operation, for people (a table) and for tools (JSON).

Each exchange is judged as the proxy judges it: against the spec and the per-answer rules, then by the live checks
(:mod:`conformance.live`), replayed in the order the recording's timestamps give (each request arriving, each answer
arriving), so a later answer is read beside the earlier calls of the same caller.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from conformance.contract_validation import BLAME, CREDENTIAL_HEADERS, ContractValidator, Verdict
from conformance.live import Pending, TrafficMonitor
from conformance.traffic.har import HarEntry

UNKNOWN_OPERATION = "(undocumented)"


@dataclass
class TrafficReport:
    """Each judged entry with its verdict, and how many entries no spec speaks about (other hosts' assets, CORS
    preflights, HEAD)."""

    judged: list[tuple[HarEntry, Verdict]] = field(default_factory=list)
    ignored: int = 0
    credentials_recorded: bool = True

    @property
    def violation_count(self) -> int:
        return sum(len(verdict.violations) for _, verdict in self.judged)

    def summary(self) -> list[dict[str, Any]]:
        """Per operation: requests seen, and the violations of each side, operations in order of first use."""
        rows: dict[str, Counter[str]] = {}
        for _, verdict in self.judged:
            row = rows.setdefault(verdict.operation or UNKNOWN_OPERATION, Counter())
            row["requests"] += 1
            row["request_violations"] += len(verdict.request)
            row["response_violations"] += len(verdict.response)
        return [{"operation": operation, "requests": row["requests"],
                 "request_violations": row["request_violations"],
                 "response_violations": row["response_violations"]} for operation, row in rows.items()]

    def violations(self) -> list[dict[str, Any]]:
        """Every violation with the entry it was found in."""
        return [{"entry": entry.index, "method": entry.request.method, "url": entry.url,
                 "operation": verdict.operation, "side": v.side, "blame": BLAME[v.side], "check": v.check,
                 "message": v.message, **({"seed": v.seed} if v.seed else {}),
                 **({"calls": [call.as_dict() for call in v.calls]} if v.calls else {})}
                for entry, verdict in self.judged for v in verdict.violations]

    def as_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "violations": self.violations(), "ignored_entries": self.ignored,
                "credentials_recorded": self.credentials_recorded}

    def as_text(self) -> str:
        header = ("operation", "requests", "request violations", "response violations")
        rows = [(r["operation"], str(r["requests"]), str(r["request_violations"]), str(r["response_violations"]))
                for r in self.summary()]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
                 for row in [header, *rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"\n{len(self.judged)} API requests judged, {self.ignored} other entries ignored, "
                     f"{self.violation_count} violations")
        if not self.credentials_recorded:
            lines.append("no credentials recorded (a sanitised export?): callers cannot be told apart, so the "
                         "credential and memory-aware checks were skipped")
        for v in self.violations():
            lines.append(f"#{v['entry']} {v['method']} {v['url']} [{v['operation'] or UNKNOWN_OPERATION}] "
                         f"{v['side']} ({v['blame']}) {v['check']}: {v['message']}")
            if len(v.get("calls", [])) > 1:
                earlier = v["calls"][0]
                lines.append(f"    contradicting #{earlier.get('entry')} {earlier['method']} {earlier['path']} "
                             f"at {earlier['time']}; seed: \"{v['seed']}\"")
        return "\n".join(lines)


def judge_entries(entries: list[HarEntry], validator: ContractValidator | None = None, *,
                  exclusive_tenants: bool = False) -> TrafficReport:
    """Judge each entry both ways, as the proxy would have; entries no spec speaks about are only counted."""
    validator = validator or ContractValidator()
    report = TrafficReport()
    verdicts: dict[int, Verdict] = {}
    for entry in entries:
        if not entry.request.validated:
            report.ignored += 1
            continue
        verdicts[entry.index] = validator.judge(entry.request, entry.response)
        report.judged.append((entry, verdicts[entry.index]))
    judged = [entry for entry, _ in report.judged]
    report.credentials_recorded = any(name.lower() in CREDENTIAL_HEADERS for entry in judged
                                      for name, _ in entry.request.headers)
    monitor = TrafficMonitor(exclusive_tenants=exclusive_tenants, credentials_recorded=report.credentials_recorded)
    times = _times(judged)
    events = sorted(((times[entry.index][kind == "finish"], kind, entry) for entry in judged
                     for kind in ("begin", "finish")),
                    key=lambda event: (event[0], event[1] != "finish", event[2].index))  # answers first at a tie
    pending: dict[int, Pending] = {}
    for time, kind, entry in events:
        if kind == "begin":
            pending[entry.index] = monitor.begin(entry.request, started=time, wall=entry.wall, entry=entry.index)
        else:
            verdicts[entry.index].response += monitor.finish(pending.pop(entry.index), entry.response, ended=time)
    return report


def _times(entries: list[HarEntry]) -> dict[int, tuple[float, float]]:
    """When each entry began and ended on the recording's timeline; in file order, one after the other, when any
    entry lacks its timestamps."""
    timed = {entry.index: (entry.started.timestamp(), entry.started.timestamp() + entry.duration)
             for entry in entries if entry.started is not None and entry.duration is not None}
    if len(timed) == len(entries):
        return timed
    return {entry.index: (float(entry.index), entry.index + 0.5) for entry in entries}
