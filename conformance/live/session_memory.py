"""What one Garuda caller's earlier calls showed of each flight session, and the checks that read a new answer beside
it.

Other clients of the same company may create, change and delete sessions between any two calls, without passing
through this monitor. So each check flags only what none of them could have caused:

- ``deleted_session_stays_deleted`` (always on). Session ids are handed out by the server (the seed's POST sends
  none and answers one), so no client can bring back a deleted session under its old id. Once a session has been seen
  to exist and then to be gone (its DELETE answered 2xx; or it answered 404/410, or was missing from the full list,
  after an earlier call had shown it), any later answer showing it again (GET, PATCH, DELETE answering 2xx, a list
  holding it) contradicts the call that showed it gone. A second DELETE answering 2xx is the same contradiction.
  A create answering an id is a new session and starts afresh. What stays unflagged: a created session that answers
  404 and is never seen again looks exactly like another client deleting it at once.
- ``created_session_stays_readable`` and ``patched_values_persist`` (only with exclusive tenants: the monitor's user
  says no client it cannot see writes to these credentials' sessions). Then a session this caller created or read
  must answer and be listed until this caller deletes it, and read back with the values this caller last wrote.
  Without that promise both are explained by another client's DELETE or PATCH, so they stay off.

Only calls that happened one after the other are related (see :mod:`conformance.live.exchange`), and with
exclusive tenants a read is compared only when none of this caller's writes to that session was in flight.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from conformance.checks.garuda_responses import TIME_FIELDS
from conformance.checks.query_matching import SESSION_FILTERS, id_key
from conformance.checks.violation import Violation
from conformance.live.bounded import BoundedMap
from conformance.live.exchange import Exchange, Finding, Span
from conformance.live.garuda_exchanges import CREATE_FIELDS, SEED_FIELDS, comparable

BY_ID = ("getFlightSession", "updateFlightSession", "deleteFlightSession")
WRITES = ("updateFlightSession", "deleteFlightSession")
GONE_STATUSES = (404, 410)


@dataclass(slots=True)
class SessionRecord:
    """What this caller's calls showed of one session."""

    seen: Span | None = None  # the latest call showing it exists
    gone: Span | None = None  # the first call showing it gone after it had been seen
    gone_how: str = ""
    known: dict[str, Any] | None = None  # exclusive tenants: its seed fields as last written or read
    known_by: Span | None = None
    deleted_here: bool = False
    last_write_end: float = -math.inf


@dataclass
class SessionMemory:
    """One caller's sessions, the least recently used forgotten first; ``writing`` counts writes in flight per id;
    ``alive`` indexes the sessions seen and not yet gone, so a list is compared with those only, not with every
    session ever remembered."""

    size: int
    sessions: BoundedMap[str, SessionRecord] = field(init=False)
    writing: dict[str, int] = field(default_factory=dict)
    alive: dict[str, None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sessions = BoundedMap(self.size, on_forget=self._forget)

    def _forget(self, session_id: str) -> None:
        self.alive.pop(session_id, None)

    def quiet(self, session_id: str, record: SessionRecord, span: Span) -> bool:
        """Whether no write of this caller to the session was in flight during ``span``."""
        return not self.writing.get(session_id) and record.last_write_end < span.started


@dataclass(frozen=True)
class Observed:
    """What one answer shows about sessions."""

    shown: list[tuple[str, int, dict[str, Any]]]  # (id, index in a list or -1, the session)
    absent: list[str]  # ids answered 404/410
    deleted: str | None  # the id a DELETE answered 2xx for
    full_list: bool  # a list of every session of the company (no query at all)
    filters: dict[str, str] | None  # a list's filters, when its query holds nothing else


def write_target(method: str, operation: str, params: tuple[str, ...]) -> str | None:
    """The session a request writes to, for counting writes in flight."""
    return id_key(params[0]) if operation in WRITES and params else None


def observe(exchange: Exchange) -> Observed:
    shown: list[tuple[str, int, dict[str, Any]]] = []
    data = exchange.data
    if exchange.succeeded:
        items = list(enumerate(data)) if isinstance(data, list) else [(-1, data)]
        shown = [(id_key(item["flight_session_id"]), index, item) for index, item in items
                 if isinstance(item, dict) and isinstance(item.get("flight_session_id"), str)]
    by_id = exchange.operation in BY_ID and bool(exchange.params)
    absent = [id_key(exchange.params[0])] if by_id and exchange.status in GONE_STATUSES else []
    deleted = id_key(exchange.params[0]) if (exchange.operation == "deleteFlightSession" and exchange.succeeded
                                             and exchange.params) else None
    listing = exchange.operation == "listFlightSessions" and exchange.succeeded and isinstance(data, list)
    filters = None
    if listing and set(exchange.query) <= set(SESSION_FILTERS):
        filters = {name: value for name in SESSION_FILTERS if (value := exchange.single(name)) is not None}
        if len(filters) != len(exchange.query):
            filters = None  # a filter sent twice means nothing the seed defines
    return Observed(shown, absent, deleted, listing and not exchange.request.query, filters)


def _where(index: int) -> str:
    return f"data/{index}" if index >= 0 else "data"


def deleted_session_stays_deleted(memory: SessionMemory, exchange: Exchange, seen: Observed) -> list[Finding]:
    """"A successful deletion will return a `200 OK` status and the deleted flight session object in the response
    body." A deleted session is gone for good: it never answers or is listed again, and a second DELETE is a 4xx.
    """
    if exchange.operation == "createFlightSession":
        return []  # a new id starts afresh (see remember)
    found = []
    for session_id, index, _ in seen.shown:
        record = memory.sessions.get(session_id)
        if record is not None and record.gone is not None and record.gone.before(exchange.span):
            found.append(Finding(Violation(deleted_session_stays_deleted.__name__, _where(index),
                                           f"a 4xx or no trace of {session_id}: it was {record.gone_how} earlier",
                                           f"HTTP {exchange.status} showing it"), record.gone))
    return found


def _fields(session: dict[str, Any]) -> dict[str, Any]:
    return {name: comparable(name, session.get(name)) for name in SEED_FIELDS}


def _expected_present(memory: SessionMemory, session_id: str, record: SessionRecord, span: Span) -> bool:
    return (record.known is not None and record.known_by is not None and record.known_by.before(span)
            and not record.deleted_here and memory.quiet(session_id, record, span))


def created_session_stays_readable(memory: SessionMemory, exchange: Exchange, seen: Observed) -> list[Finding]:
    """"Get a specific flight session for a deployment belonging to the company of the user." (Exclusive tenants
    only.) A session this caller created or read answers, and is listed by every list whose filters it matches, until
    this caller deletes it.
    """
    span, found = exchange.span, []
    name = created_session_stays_readable.__name__
    for session_id in seen.absent:
        record = memory.sessions.get(session_id)
        if record is not None and _expected_present(memory, session_id, record, span):
            found.append(Finding(Violation(name, "", f"{session_id} answered 2xx: nothing deleted it since",
                                           f"HTTP {exchange.status}"), record.known_by))
    if seen.filters is not None:
        listed = {session_id for session_id, _, _ in seen.shown}
        for session_id in memory.alive:
            record = memory.sessions.get(session_id)
            if session_id in listed or record is None or not _expected_present(memory, session_id, record, span):
                continue
            assert record.known is not None
            if all(str(record.known.get(key)) == id_key(value) for key, value in seen.filters.items()):
                found.append(Finding(Violation(name, "data", f"{session_id} listed: it matches "
                                               f"{json.dumps(seen.filters)} and nothing deleted it since",
                                               "missing from the list"), record.known_by))
    return found


def patched_values_persist(memory: SessionMemory, exchange: Exchange, seen: Observed) -> list[Finding]:
    """"To update a flight session, you can pass in any subset of the properties of the flight session in the request
    body." (Exclusive tenants only.) What this caller wrote, created or patched, is what later reads show.
    """
    if exchange.operation in ("createFlightSession", "updateFlightSession"):
        return []
    span, found = exchange.span, []
    for session_id, index, session in seen.shown:
        record = memory.sessions.get(session_id)
        if record is None or not _expected_present(memory, session_id, record, span):
            continue
        assert record.known is not None
        shown = _fields(session)
        for key, value in record.known.items():
            if value is not None and shown[key] is not None and shown[key] != value:
                found.append(Finding(Violation(patched_values_persist.__name__, f"{_where(index)}/{key}",
                                               f"{json.dumps(value)} as left by the earlier call",
                                               json.dumps(session.get(key))), record.known_by))
    return found


def remember(memory: SessionMemory, exchange: Exchange, seen: Observed, *, exclusive: bool) -> None:
    """Fold what ``exchange`` showed into ``memory``."""
    span, operation = exchange.span, exchange.operation
    listed = set()
    for session_id, _, session in seen.shown:
        listed.add(session_id)
        if operation == "createFlightSession":
            record = SessionRecord()
            memory.sessions.put(session_id, record)
        else:
            record = memory.sessions.setdefault(session_id, SessionRecord)
        if record.seen is None or record.seen.ended < span.ended:
            record.seen = span
        if record.gone is None:
            memory.alive[session_id] = None
        if not exclusive:
            continue
        if operation in ("createFlightSession", "updateFlightSession"):
            sent = exchange.sent if isinstance(exchange.sent, dict) else {}
            written = CREATE_FIELDS if operation == "createFlightSession" else TIME_FIELDS
            known = _fields(session)
            known.update({key: comparable(key, sent[key]) for key in written if key in sent})
            record.known, record.known_by = known, span
        elif memory.quiet(session_id, record, span):
            record.known, record.known_by = _fields(session), span
    for session_id in seen.absent:
        record = memory.sessions.get(session_id)
        if record is not None:
            _mark_gone(memory, session_id, record, span, f"answered HTTP {exchange.status}")
    if seen.full_list:
        for session_id in [key for key in memory.alive if key not in listed]:
            record = memory.sessions.get(session_id)
            if record is not None:
                _mark_gone(memory, session_id, record, span, "missing from the full list")
    if seen.deleted is not None:
        record = memory.sessions.setdefault(seen.deleted, SessionRecord)
        if record.gone is None:
            record.gone, record.gone_how = span, "deleted"
            memory.alive.pop(seen.deleted, None)
        record.deleted_here, record.known = True, None
    target = write_target(exchange.request.method, operation, exchange.params)
    if target is not None:
        record = memory.sessions.setdefault(target, SessionRecord)
        record.last_write_end = max(record.last_write_end, span.ended)
        if not 400 <= exchange.status < 500 and not exchange.succeeded:
            record.known = None  # a write that failed on the server's side may have applied or not


def _mark_gone(memory: SessionMemory, session_id: str, record: SessionRecord, span: Span, how: str) -> None:
    if record.gone is None and record.seen is not None and record.seen.before(span):
        record.gone, record.gone_how = span, how
        memory.alive.pop(session_id, None)
    if record.known_by is not None and record.known_by.before(span):
        record.known = None  # seen gone: nothing more to expect of it
