"""The per-response checks, dispatched by operation: what any single answer of either API must satisfy.

Used on every response schemathesis provokes, so generated traffic is held to the seeds' data rules (FlightId
agreement, distribution sums, the envelope...) and not only to the schemas.
"""

from __future__ import annotations

from typing import Any

from conformance.checks.flightsayer_responses import (
    page_results_agree_with_count,
    page_shape,
    response_violations,
    subscription_times_are_ordered,
)
from conformance.checks.garuda_responses import garuda_envelope, session_fields_have_documented_form
from conformance.checks.violation import Violation

FLIGHT_ANSWERS = {"getFlightStatus", "searchFlights"}
SUBSCRIPTION_ANSWERS = {"putSubscription", "getSubscription"}


def answer_violations(operation_id: str, path: str, status_code: int, body: Any) -> list[Violation]:
    """Every per-response check that applies to this answer of this operation; empty when it holds."""
    if path.startswith("/v2/"):
        violations = garuda_envelope(status_code, body)
        if violations or not 200 <= status_code < 300:
            return violations
        data = body["data"]
        sessions = data if isinstance(data, list) else [data]
        return [v for session in sessions for v in session_fields_have_documented_form(session)]
    if not 200 <= status_code < 300:
        return []
    if operation_id in FLIGHT_ANSWERS:
        return response_violations(body)
    if operation_id in SUBSCRIPTION_ANSWERS:
        return subscription_times_are_ordered(body)
    if operation_id == "listSubscriptions" and isinstance(body, dict):
        subscriptions = [s for s in body.get("results") or [] if isinstance(s, dict)]
        return (page_shape(body) + page_results_agree_with_count(body)
                + [v for s in subscriptions for v in subscription_times_are_ordered(s)])
    return []
