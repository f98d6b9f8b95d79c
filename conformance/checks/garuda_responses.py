"""Per-response checks of Garuda answers: pure functions over one status code and parsed JSON body."""

from __future__ import annotations

import re
from typing import Any

from conformance.checks.violation import Violation

ID = re.compile(r"^[0-9a-f]{32}$")
SESSION_FIELDS = ("flight_session_id", "company_id", "deployment_id", "flight_plan_id", "start_date_time",
                  "end_date_time")
ID_FIELDS = SESSION_FIELDS[:4]
TIME_FIELDS = SESSION_FIELDS[4:]


def garuda_envelope(status_code: int, body: Any) -> list[Violation]:
    """"{"success": true, "data": ...}": every success is wrapped in the envelope; an error carries
    `"success": false` and a message (docs/decisions.md, "Error body").
    """
    name = garuda_envelope.__name__
    if not isinstance(body, dict):
        return [Violation(name, "", "a JSON object envelope", repr(body))]
    if 200 <= status_code < 300:
        if body.get("success") is not True or "data" not in body:
            return [Violation(name, "", '{"success": true, "data": ...}', repr(body))]
        return []
    message = body.get("message")
    if body.get("success") is not False or not isinstance(message, str) or not message:
        return [Violation(name, "", f'{{"success": false, "message": "..."}} for HTTP {status_code}', repr(body))]
    return []


def session_fields_have_documented_form(session: Any) -> list[Violation]:
    """"start_date_time ... Start time of flight session in epoch (Unix timestamp), converted to milliseconds": times
    are integer milliseconds, and every id has the form every example shows (32 lowercase hex characters).
    """
    name = session_fields_have_documented_form.__name__
    if not isinstance(session, dict):
        return [Violation(name, "data", "a flight session object", repr(session))]
    violations = [Violation(name, f"data/{field}", "32 lowercase hexadecimal characters", repr(session.get(field)))
                  for field in ID_FIELDS if not (isinstance(session.get(field), str) and ID.match(session[field]))]
    violations += [Violation(name, f"data/{field}", "an integer number of milliseconds", repr(session.get(field)))
                   for field in TIME_FIELDS
                   if not isinstance(session.get(field), int) or isinstance(session.get(field), bool)]
    return violations
