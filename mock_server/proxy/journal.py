"""The proxy's memory of contract violations, for ``GET /_mock/violations``: bounded, newest last."""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any

from conformance.contract_validation import BLAME, ContractViolation

DEFAULT_SIZE = 1000


class ViolationJournal:
    """The last ``size`` violations, each with who broke the contract (frontend or backend) and on which call (and,
    for checks that relate calls, the seed sentence and the calls related, earlier first).

    Bounded so a long-running proxy in front of a chatty frontend cannot grow without end; ``dropped`` says how many
    older entries were let go, so a reader knows the list is not everything.
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._lock = threading.Lock()
        self.dropped = 0

    def record(self, method: str, path: str, operation: str | None, violations: list[ContractViolation]) -> None:
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        with self._lock:
            for violation in violations:
                if len(self._entries) == self._entries.maxlen:
                    self.dropped += 1
                entry = {
                    "side": violation.side, "blame": BLAME[violation.side], "method": method, "path": path,
                    "operation": operation, "check": violation.check, "message": violation.message, "time": now,
                }
                if violation.seed:
                    entry["seed"] = violation.seed
                if violation.calls:
                    entry["calls"] = [call.as_dict() for call in violation.calls]
                self._entries.append(entry)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"size": self._entries.maxlen, "dropped": self.dropped, "violations": list(self._entries)}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.dropped = 0
