"""One request beside its answer, and when it happened: what every live check reads.

Times are seconds on one timeline per monitor (the proxy's monotonic clock, or a recording's own timestamps).
Call A *happened before* call B when A's answer had arrived before B's request was sent; only such pairs are ever
related, so requests a client sends concurrently are never taken for a sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs

from conformance.checks.violation import Violation
from conformance.contract_validation import CallRef, RecordedRequest, RecordedResponse


@dataclass(frozen=True, slots=True)
class Span:
    """A call and the interval it took: from its request to its answer."""

    ref: CallRef
    started: float
    ended: float

    def before(self, other: Span) -> bool:
        """Whether this call's answer had arrived before ``other``'s request was sent."""
        return self.ended < other.started


@dataclass(frozen=True, slots=True)
class Finding:
    """A violation, and the earlier call it contradicts when it comes from memory."""

    violation: Violation
    earlier: Span | None = None


@dataclass(frozen=True)
class Exchange:
    """A request of a known operation and the answer it got."""

    request: RecordedRequest
    response: RecordedResponse
    span: Span
    operation: str
    params: tuple[str, ...]  # the path parameters, percent-decoded, in template order

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def succeeded(self) -> bool:
        return 200 <= self.response.status < 300

    @property
    def answer(self) -> Any:
        return self.response.json()

    @cached_property
    def sent(self) -> Any:
        """The request's JSON body, or None."""
        return RecordedResponse(200, (), self.request.body).json()

    @cached_property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.request.query, keep_blank_values=True)

    def single(self, name: str) -> str | None:
        """The value of query parameter ``name`` when it was sent exactly once (a repeated parameter means nothing
        the seeds define, so no check reads it)."""
        values = self.query.get(name)
        return values[0] if values is not None and len(values) == 1 else None

    @property
    def data(self) -> Any:
        """Garuda: what the envelope carries, or None."""
        answer = self.answer
        return answer.get("data") if isinstance(answer, dict) else None


def natural(value: str | None) -> int | None:
    """A non-negative integer written in ASCII digits, or None."""
    return int(value) if value is not None and value.isascii() and value.isdigit() else None
