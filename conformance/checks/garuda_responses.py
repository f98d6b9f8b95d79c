"""Per-response checks of Garuda answers: pure functions over one status code and parsed JSON body."""

from __future__ import annotations

import re
from typing import Any

from conformance.checks.violation import Violation

SESSION_FIELDS = ("flight_session_id", "company_id", "deployment_id", "flight_plan_id", "start_date_time",
                  "end_date_time")
ID_FIELDS = SESSION_FIELDS[:4]
TIME_FIELDS = SESSION_FIELDS[4:]
_DIGITS = re.compile(r"-?[0-9]+")


def epoch_millis(value: Any) -> int | None:
    """A session time as the integer it stands for: a JSON integer or a string of its decimal digits (the seed's
    tables say "String", its examples are integers; both readings conform). None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def garuda_envelope(status_code: int, body: Any) -> list[Violation]:
    """"{"success": true, "data": ...}": every successful answer is wrapped in the envelope. The seed shows no error
    body, so errors are not judged here.
    """
    name = garuda_envelope.__name__
    if not 200 <= status_code < 300:
        return []
    if not isinstance(body, dict) or body.get("success") is not True or "data" not in body:
        return [Violation(name, "", '{"success": true, "data": ...}', repr(body))]
    return []


def session_fields_have_documented_form(session: Any) -> list[Violation]:
    """"start_date_time ... Start time of flight session in epoch (Unix timestamp), converted to milliseconds": times
    are epoch milliseconds (an integer, or its digits as a string), and every property the seed lists is there,
    ids as non-empty strings ("company_id | String", "deployment_id | String", "flight_plan_id | String").
    """
    name = session_fields_have_documented_form.__name__
    if not isinstance(session, dict):
        return [Violation(name, "data", "a flight session object", repr(session))]
    violations = [Violation(name, f"data/{field}", "a non-empty string", repr(session.get(field)))
                  for field in ID_FIELDS if not (isinstance(session.get(field), str) and session[field])]
    violations += [Violation(name, f"data/{field}", "epoch milliseconds (an integer, or a string of its digits)",
                             repr(session.get(field)))
                   for field in TIME_FIELDS if epoch_millis(session.get(field)) is None]
    return violations
