"""A bounded record of webhook delivery attempts, so a developer can see what the mock sent and what came back."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

DEFAULT_LOG_SIZE = 1000

DELIVERED, FAILED, REFUSED, DROPPED = "delivered", "failed", "refused", "dropped"


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One attempt to POST a notification (``attempt`` counts from 1; 0 when nothing was sent: refused/dropped)."""

    username: str
    flight_id: str
    target: str
    attempt: int
    outcome: str  # delivered, failed (will retry or gave up: see ``final``), refused, dropped
    status: int | None  # the receiver's HTTP status, None when there was no response
    error: str | None
    latency_ms: float | None
    final: bool  # no further attempt will be made for this notification
    time: str  # wall-clock UTC instant the attempt ended, ISO 8601 with Z


class DeliveryLog:
    """The last ``size`` attempts, oldest first. Appending is O(1); old entries fall off the front."""

    def __init__(self, size: int = DEFAULT_LOG_SIZE) -> None:
        if size < 1:
            raise ValueError(f"the delivery log holds at least one entry, not {size}")
        self._entries: deque[DeliveryAttempt] = deque(maxlen=size)

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    def record(self, username: str, flight_id: str, target: str, *, attempt: int, outcome: str,
               status: int | None = None, error: str | None = None, latency_ms: float | None = None,
               final: bool = True) -> DeliveryAttempt:
        entry = DeliveryAttempt(username, flight_id, target, attempt, outcome, status, error,
                                None if latency_ms is None else round(latency_ms, 3), final,
                                datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Every kept attempt as a JSON-able dict, oldest first."""
        return [asdict(e) for e in self._entries]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
