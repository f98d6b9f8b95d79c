"""Injected faults: the next K requests to an operation answer an error status, or lose their connection.

Faults queue per operation in the order they were added, and are taken when a request arrives, so "the next K" means
the next K to arrive, whatever order their answers leave in. With no fault pending, :meth:`FaultRules.take` is one
dict lookup.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

MAX_COUNT = 10_000
MAX_PENDING = 1_000  # faults queued at once: a runaway test loop must not grow the mock without bound
Action = Literal["status", "hangup"]


@dataclass
class Fault:
    id: int
    operation: str
    remaining: int
    action: Action
    status: int | None = None  # for action "status"
    message: str | None = None  # error message in the body; None: the status's reason phrase

    def public(self) -> dict[str, Any]:
        public: dict[str, Any] = {"id": self.id, "operation": self.operation, "remaining": self.remaining,
                                  "action": self.action}
        if self.action == "status":
            public["status"] = self.status
            if self.message is not None:
                public["message"] = self.message
        return public


@dataclass(frozen=True)
class TakenFault:
    """One request's share of a fault."""

    operation: str
    action: Action
    status: int | None
    message: str | None

    @property
    def label(self) -> str:
        return "hangup" if self.action == "hangup" else str(self.status)


class FaultRules:
    def __init__(self) -> None:
        self._pending: dict[str, deque[Fault]] = {}
        self._next_id = 1

    def add(self, operation: str, count: int, *, status: int | None = None, hangup: bool = False,
            message: str | None = None) -> Fault:
        if len(self) >= MAX_PENDING:
            raise ValueError(f"{MAX_PENDING} faults are pending already; DELETE /_mock/faults to clear them")
        if not 1 <= count <= MAX_COUNT:
            raise ValueError(f"count must be between 1 and {MAX_COUNT}")
        if hangup == (status is not None):
            raise ValueError('give either "status" or "action": "hangup"')
        if status is not None and not 400 <= status <= 599:
            raise ValueError("status must be an error status, 400 to 599")
        fault = Fault(self._next_id, operation, count, "hangup" if hangup else "status", status,
                      None if hangup else message)
        self._next_id += 1
        self._pending.setdefault(operation, deque()).append(fault)
        return fault

    def take(self, operation: str | None) -> TakenFault | None:
        """The fault the next request to ``operation`` must suffer, if any, counted as used."""
        queue = self._pending.get(operation) if operation is not None else None
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
            if not queue:
                del self._pending[fault.operation]
        return TakenFault(fault.operation, fault.action, fault.status, fault.message)

    def pending(self) -> list[Fault]:
        return [f for op in sorted(self._pending) for f in self._pending[op]]

    def clear(self) -> None:
        self._pending.clear()

    def __len__(self) -> int:
        return sum(len(q) for q in self._pending.values())
