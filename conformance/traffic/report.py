"""Judge recorded exchanges and summarise them per operation, for people (a table) and for tools (JSON)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from conformance.contract_validation import BLAME, ContractValidator, Verdict
from conformance.traffic.har import HarEntry

UNKNOWN_OPERATION = "(undocumented)"


@dataclass
class TrafficReport:
    """Each judged entry with its verdict, and how many entries no spec speaks about (other hosts' assets, CORS
    preflights, HEAD)."""

    judged: list[tuple[HarEntry, Verdict]] = field(default_factory=list)
    ignored: int = 0

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
                 "message": v.message}
                for entry, verdict in self.judged for v in verdict.violations]

    def as_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "violations": self.violations(), "ignored_entries": self.ignored}

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
        for v in self.violations():
            lines.append(f"#{v['entry']} {v['method']} {v['url']} [{v['operation'] or UNKNOWN_OPERATION}] "
                         f"{v['side']} ({v['blame']}) {v['check']}: {v['message']}")
        return "\n".join(lines)


def judge_entries(entries: list[HarEntry], validator: ContractValidator | None = None) -> TrafficReport:
    """Judge each entry both ways, as the proxy would have; entries no spec speaks about are only counted."""
    validator = validator or ContractValidator()
    report = TrafficReport()
    for entry in entries:
        if not entry.request.validated:
            report.ignored += 1
            continue
        report.judged.append((entry, validator.judge(entry.request, entry.response)))
    return report
