"""Garuda answers read beside their requests: filters honoured, writes echoed, the session asked for answered.

Tolerances (seed-rule): times compare as numbers, a JSON integer or a string of its digits alike; ids in any case;
extra fields and unknown query parameters are ignored; only successes are judged (how a refusal looks is the
per-answer checks' business).
"""

from __future__ import annotations

import json
from typing import Any

from conformance.checks.garuda_responses import TIME_FIELDS, epoch_millis
from conformance.checks.query_matching import SESSION_FILTERS, id_key, session_matches_filters
from conformance.checks.violation import Violation
from conformance.live.exchange import Exchange

REFERENCE_FIELDS = ("deployment_id", "flight_plan_id")
CREATE_FIELDS = (*REFERENCE_FIELDS, *TIME_FIELDS)
SEED_FIELDS = CREATE_FIELDS  # what a session's reads are compared on (the company and the id never change)


def comparable(field: str, value: Any) -> Any:
    """``value`` of ``field`` in the form two readings of one session are compared in."""
    if field in TIME_FIELDS:
        return epoch_millis(value)
    return id_key(value) if isinstance(value, str) else value


def _shown(value: Any) -> str:
    return json.dumps(value)


def garuda_list_honours_every_filter(exchange: Exchange) -> list[Violation]:
    """"If both query strings are specified, only `flight sessions` that match both will be fetched." Every session
    listed matches every filter sent, whichever order the list comes in.
    """
    filters = {name: value for name in SESSION_FILTERS if (value := exchange.single(name)) is not None}
    sessions = exchange.data
    if not exchange.succeeded or not filters or not isinstance(sessions, list):
        return []
    return [Violation(garuda_list_honours_every_filter.__name__, f"data/{index}", f"a session matching {filters}",
                      _shown({name: session.get(name) for name in filters}))
            for index, session in enumerate(sessions)
            if isinstance(session, dict) and not session_matches_filters(session, filters)]


def garuda_write_echoes_what_was_sent(exchange: Exchange) -> list[Violation]:
    """"start_date_time ... Start time of flight session in epoch (Unix timestamp), converted to milliseconds": a
    created or updated session answers the times sent as the same milliseconds, and a created one the references
    sent. A PATCH is judged on the two times only (the seed's PATCH table lists no other field).
    """
    fields = CREATE_FIELDS if exchange.operation == "createFlightSession" else TIME_FIELDS
    sent, session = exchange.sent, exchange.data
    if not exchange.succeeded or not isinstance(sent, dict) or not isinstance(session, dict):
        return []
    found = []
    for field in fields:
        wanted = comparable(field, sent.get(field))
        got = comparable(field, session.get(field))
        if field in sent and wanted is not None and got is not None and got != wanted:
            found.append(Violation(garuda_write_echoes_what_was_sent.__name__, f"data/{field}",
                                   f"{_shown(sent[field])} as sent", _shown(session[field])))
    return found


def garuda_answer_is_the_session_asked(exchange: Exchange) -> list[Violation]:
    """"Get a specific flight session for a deployment belonging to the company of the user." GET, PATCH and DELETE
    of an id answer that session, not another.
    """
    session = exchange.data
    if not exchange.succeeded or not isinstance(session, dict) or not exchange.params:
        return []
    asked, answered = exchange.params[0], session.get("flight_session_id")
    if isinstance(answered, str) and id_key(answered) == id_key(asked):
        return []
    return [Violation(garuda_answer_is_the_session_asked.__name__, "data/flight_session_id", _shown(asked),
                      _shown(answered))]
