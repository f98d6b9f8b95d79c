"""A bounded record of the API requests the mock answered, for tests and people asking "what did my client send?".

It keeps what identifies a call and its outcome (method, path, query, operation, status, timings), never headers, so
credentials cannot leak through it; query values whose names look like credentials are redacted too. Bodies are kept
only while switched on (``keep_bodies``, ``PUT /_mock/journal``), each cut at ``BODY_LIMIT`` bytes: off by default,
so a mock nobody is watching does no extra work per request and holds no payloads.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

DEFAULT_SIZE = 1000
BODY_LIMIT = 16 * 1024  # bytes kept of each request and response body, when bodies are kept
REDACTED = "[redacted]"
# Names a client might (wrongly) use to pass a credential in the URL.
_SECRET_NAME = re.compile(r"token|key|secret|passw|auth|credential|signature", re.IGNORECASE)


def safe_query(query_string: bytes | str) -> dict[str, list[str]]:
    """The query as ``name -> [values]``, with credential-like values replaced by ``[redacted]``."""
    raw = query_string.decode("latin-1") if isinstance(query_string, bytes) else query_string
    query: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        query.setdefault(name, []).append(REDACTED if _SECRET_NAME.search(name) else value)
    return query


@dataclass(frozen=True)
class JournalEntry:
    id: int
    time: str  # arrival, ISO 8601 UTC
    method: str
    path: str
    query: dict[str, list[str]]
    operation: str | None  # None for paths no operation matches
    status: int | None  # None when the connection was closed without an answer
    latency_ms: float  # arrival to last byte sent, injected delay included
    injected_delay_ms: float
    fault: str | None  # "503", "hangup", ... when an injected fault answered

    def public(self) -> dict[str, Any]:
        return asdict(self)


def _text(body: bytes | None) -> dict[str, Any] | None:
    """A kept body as JSON-able text: ``None`` when none was kept, else its (possibly cut) text."""
    if body is None:
        return None
    return {"text": body[:BODY_LIMIT].decode("utf-8", "replace"), "truncated": len(body) > BODY_LIMIT}


class RequestJournal:
    """A ring buffer: the newest ``size`` entries, oldest first; ``dropped`` counts those pushed out."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError("journal size must be at least 1")
        self.size = size
        # Raw fields, turned into entries only when read: recording sits on every request's path.
        self._entries: deque[tuple[Any, ...]] = deque(maxlen=size)
        self._next_id = 1
        self.dropped = 0
        self.keep_bodies = False  # read once per request by the traffic layer

    def record(self, *, method: str, path: str, query_string: bytes | str, operation: str | None,
               status: int | None, arrived: datetime, latency_ms: float, injected_delay_ms: float = 0.0,
               fault: str | None = None, bodies: tuple[bytes, bytes] | None = None) -> None:
        """``bodies`` is (request body, response body) as sent, when kept; only ``BODY_LIMIT`` of each is stored."""
        if len(self._entries) == self.size:
            self.dropped += 1
        if bodies is not None:
            bodies = (bodies[0][:BODY_LIMIT + 1], bodies[1][:BODY_LIMIT + 1])
        self._entries.append((self._next_id, arrived, method, path, query_string, operation, status, latency_ms,
                              injected_delay_ms, fault, bodies))
        self._next_id += 1

    @staticmethod
    def _entry(raw: tuple[Any, ...]) -> JournalEntry:
        entry_id, arrived, method, path, query_string, operation, status, latency_ms, injected_delay_ms, fault, _ = raw
        return JournalEntry(
            id=entry_id,
            time=arrived.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            method=method,
            path=path,
            query=safe_query(query_string),
            operation=operation,
            status=status,
            latency_ms=round(latency_ms, 3),
            injected_delay_ms=round(injected_delay_ms, 3),
            fault=fault,
        )

    def entries(self, *, operation: str | None = None, limit: int | None = None,
                after: int | None = None) -> list[JournalEntry]:
        """Oldest first; with ``after``, only entries with a greater id (what a poller has not seen yet); with
        ``limit``, only the newest ``limit`` of those matching."""
        found = [raw for raw in self._entries
                 if (operation is None or raw[5] == operation) and (after is None or raw[0] > after)]
        return [self._entry(raw) for raw in (found[-limit:] if limit is not None else found)]

    def detail(self, entry_id: int) -> dict[str, Any] | None:
        """One entry with its kept bodies (``None`` each when bodies were not kept), or None if not (or no longer)
        in the journal."""
        for raw in reversed(self._entries):
            if raw[0] == entry_id:
                bodies = raw[10]
                return {**self._entry(raw).public(), "request_body": _text(bodies[0]) if bodies else None,
                        "response_body": _text(bodies[1]) if bodies else None}
            if raw[0] < entry_id:
                break
        return None

    def clear(self) -> None:
        self._entries.clear()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)
