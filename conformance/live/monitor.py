"""The live monitor: one engine, fed request by request, for the validating proxy and for recorded HAR traffic.

:meth:`TrafficMonitor.begin` is called when a request arrives and :meth:`TrafficMonitor.finish` when its answer does
(the HAR reader replays the same two events from the recording's timestamps). ``finish`` runs the request-aware
checks of that operation, then the memory-aware ones against what the same caller's earlier calls showed, and
returns every violation as a backend's, quoting the seed sentence and naming the calls it relates.

The memory is bounded (:class:`MemoryLimits`; the least recently used caller or record is forgotten first, which
only ever makes it flag less) and keyed by salted hashes of the credentials, never by the credentials.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from conformance.checks.violation import Violation, seed_sentence
from conformance.contract_validation import (
    CallRef,
    ContractViolation,
    RecordedRequest,
    RecordedResponse,
    masked_violations,
)
from conformance.live import company_memory, session_memory, subscription_memory
from conformance.live.bounded import BoundedMap
from conformance.live.company_memory import credentials_answer_for_one_company
from conformance.live.credentials import (
    Caller,
    Hasher,
    flightsayer_success_needs_a_token,
    garuda_success_needs_both_credentials,
)
from conformance.live.exchange import Exchange, Finding, Span
from conformance.live.flightsayer_exchanges import (
    page_links_keep_the_query,
    page_respects_limit_and_offset,
    put_subscription_echoes_the_target,
    search_results_honour_every_filter,
    status_is_the_flight_asked,
    subscription_is_the_flight_asked,
)
from conformance.live.garuda_exchanges import (
    garuda_answer_is_the_session_asked,
    garuda_list_honours_every_filter,
    garuda_write_echoes_what_was_sent,
)
from conformance.live.session_memory import (
    SessionMemory,
    created_session_stays_readable,
    deleted_session_stays_deleted,
    patched_values_persist,
)
from conformance.live.subscription_memory import (
    SubscriptionMemory,
    deleted_subscription_stays_deleted,
    subscription_created_is_kept,
    subscription_target_reads_back,
    subscriptions_stay_with_their_user,
)

logger = logging.getLogger("conformance.live")

RequestCheck = Callable[[Exchange], list[Violation]]
_GARUDA = garuda_success_needs_both_credentials
_TOKEN = flightsayer_success_needs_a_token
REQUEST_CHECKS: dict[str, tuple[RequestCheck, ...]] = {
    "listFlightSessions": (_GARUDA, garuda_list_honours_every_filter),
    "createFlightSession": (_GARUDA, garuda_write_echoes_what_was_sent),
    "getFlightSession": (_GARUDA, garuda_answer_is_the_session_asked),
    "updateFlightSession": (_GARUDA, garuda_write_echoes_what_was_sent, garuda_answer_is_the_session_asked),
    "deleteFlightSession": (_GARUDA, garuda_answer_is_the_session_asked),
    "getFlightStatus": (_TOKEN, status_is_the_flight_asked),
    "searchFlights": (_TOKEN, search_results_honour_every_filter, page_respects_limit_and_offset,
                      page_links_keep_the_query),
    "listSubscriptions": (_TOKEN, page_respects_limit_and_offset, page_links_keep_the_query),
    "putSubscription": (_TOKEN, subscription_is_the_flight_asked, put_subscription_echoes_the_target),
    "getSubscription": (_TOKEN, subscription_is_the_flight_asked),
    "deleteSubscription": (_TOKEN,),
}
CREDENTIAL_CHECKS = frozenset({_GARUDA, _TOKEN})
MEMORY_CHECKS = (deleted_session_stays_deleted, credentials_answer_for_one_company, subscription_created_is_kept,
                 deleted_subscription_stays_deleted)
EXCLUSIVE_CHECKS = (created_session_stays_readable, patched_values_persist, subscription_target_reads_back,
                    subscriptions_stay_with_their_user)
LIVE_CHECKS: tuple[Callable[..., object], ...] = (
    *dict.fromkeys(check for checks in REQUEST_CHECKS.values() for check in checks), *MEMORY_CHECKS,
    *EXCLUSIVE_CHECKS)
SEEDS = {check.__name__: seed_sentence(check) for check in LIVE_CHECKS}
SUBSCRIPTION_OPERATIONS = frozenset({"listSubscriptions", "putSubscription", "getSubscription", "deleteSubscription"})


@dataclass(frozen=True)
class MemoryLimits:
    """How much the monitor remembers: callers per API, records (sessions or subscriptions) per caller, credentials
    whose company is known, subscription identities (exclusive tenants only). A record takes about 0.9 KB
    (``bench/RESULTS.md``), so the defaults cap the memory near 60 MB, and a few callers' traffic takes a few MB."""

    callers: int = 32
    per_caller: int = 1000
    credentials: int = 4096
    identities: int = 20000


@dataclass
class Pending:
    """A request the monitor has seen arrive and not yet seen answered."""

    request: RecordedRequest
    started: float
    wall: str
    entry: int | None
    caller: Caller | None
    writing: tuple[dict[str, int], str] | None = None  # the in-flight counter this request holds a place in


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TrafficMonitor:
    """See the module docstring. Thread-safe: the proxy calls it from a thread pool."""

    def __init__(self, *, exclusive_tenants: bool = False, limits: MemoryLimits | None = None,
                 credentials_recorded: bool = True, clock: Callable[[], float] = time.monotonic,
                 salt: bytes | None = None) -> None:
        self.exclusive_tenants = exclusive_tenants
        self.credentials_recorded = credentials_recorded
        self.limits = limits or MemoryLimits()
        self._clock = clock
        self._hasher = Hasher(salt)
        self._lock = threading.Lock()
        self._sessions: BoundedMap[bytes, SessionMemory] = BoundedMap(self.limits.callers)
        self._subscriptions: BoundedMap[bytes, SubscriptionMemory] = BoundedMap(self.limits.callers)
        self._companies: company_memory.CompanyMemory = BoundedMap(self.limits.credentials)
        self._identities: subscription_memory.Identities | None = (
            BoundedMap(self.limits.identities) if exclusive_tenants else None)

    def begin(self, request: RecordedRequest, *, started: float | None = None, wall: str | None = None,
              entry: int | None = None) -> Pending:
        """Note that ``request`` has arrived (``started`` on the monitor's timeline, now by default)."""
        pending = Pending(request, self._clock() if started is None else started, wall or _now_iso(), entry,
                          self._caller(request))
        route = request.route if request.validated else None
        if pending.caller is not None and route is not None:
            operation, params = route
            session = session_memory.write_target(request.method, operation.operation_id, params)
            flight = subscription_memory.write_target(request.method, operation.operation_id, params)
            if session is not None or flight is not None:
                with self._lock:
                    counter = (self._session_memory(pending.caller).writing if session is not None
                               else self._subscription_memory(pending.caller).writing)
                    target = session or flight
                    assert target is not None
                    counter[target] = counter.get(target, 0) + 1
                    pending.writing = (counter, target)
        return pending

    def finish(self, pending: Pending, response: RecordedResponse | None, *,
               ended: float | None = None) -> list[ContractViolation]:
        """Judge ``pending``'s answer, ``ended`` being when it arrived (None when there was none: nothing is judged)."""
        ended = self._clock() if ended is None else ended
        with self._lock:
            self._release(pending)
        request = pending.request
        route = request.route if request.validated else None
        if response is None or route is None:
            return []
        span = Span(CallRef(request.method.upper(), request.path, pending.wall, pending.entry), pending.started, ended)
        exchange = Exchange(request, response, span, route[0].operation_id, route[1])
        try:
            findings = [Finding(violation) for check in REQUEST_CHECKS.get(exchange.operation, ())
                        if self.credentials_recorded or check not in CREDENTIAL_CHECKS
                        for violation in check(exchange)]
            if pending.caller is not None:
                with self._lock:
                    findings += self._remember(pending.caller, exchange)
        except Exception:  # a monitor's own bug must never break the traffic it watches
            logger.exception("live checks failed on %s %s", request.method, request.path)
            return []
        return masked_violations(request, [self._violation(finding, span) for finding in findings])

    def abandon(self, pending: Pending) -> None:
        """Let ``pending`` go without judging it (no answer came, or it was refused before forwarding)."""
        with self._lock:
            self._release(pending)

    def stats(self) -> dict[str, int]:
        """How much is remembered now, and how much has been forgotten to stay within the limits."""
        with self._lock:
            sessions = [memory for _, memory in self._sessions.items()]
            subscriptions = [memory for _, memory in self._subscriptions.items()]
            return {
                "callers": len(sessions) + len(subscriptions),
                "records": sum(len(m.sessions) for m in sessions) + sum(len(m.subscriptions) for m in subscriptions),
                "credentials": len(self._companies),
                "identities": len(self._identities) if self._identities is not None else 0,
                "forgotten": (self._sessions.forgotten + self._subscriptions.forgotten + self._companies.forgotten
                              + sum(m.sessions.forgotten for m in sessions)
                              + sum(m.subscriptions.forgotten for m in subscriptions)),
            }

    def _caller(self, request: RecordedRequest) -> Caller | None:
        api = request.api
        if api is None or not request.validated:
            return None
        if not self.credentials_recorded:  # callers cannot be told apart, so no memory can be kept for them
            return None
        return self._hasher.caller(api, request.headers)

    def _session_memory(self, caller: Caller) -> SessionMemory:
        return self._sessions.setdefault(caller.key, lambda: SessionMemory(self.limits.per_caller))

    def _subscription_memory(self, caller: Caller) -> SubscriptionMemory:
        return self._subscriptions.setdefault(caller.key, lambda: SubscriptionMemory(self.limits.per_caller))

    @staticmethod
    def _release(pending: Pending) -> None:
        if pending.writing is not None:
            counter, target = pending.writing
            left = counter.get(target, 0) - 1
            if left > 0:
                counter[target] = left
            else:
                counter.pop(target, None)
            pending.writing = None

    def _remember(self, caller: Caller, exchange: Exchange) -> list[Finding]:
        exclusive = self.exclusive_tenants
        if caller.api == "garuda":
            sessions = self._session_memory(caller)
            seen = session_memory.observe(exchange)
            found = deleted_session_stays_deleted(sessions, exchange, seen)
            if exclusive:
                found += created_session_stays_readable(sessions, exchange, seen)
                found += patched_values_persist(sessions, exchange, seen)
            found += credentials_answer_for_one_company(self._companies, caller, exchange)
            session_memory.remember(sessions, exchange, seen, exclusive=exclusive)
            company_memory.remember(self._companies, caller, exchange)
            return found
        if exchange.operation not in SUBSCRIPTION_OPERATIONS:
            return []
        subscriptions = self._subscription_memory(caller)
        observed = subscription_memory.observe(exchange)
        found = deleted_subscription_stays_deleted(subscriptions, exchange, observed)
        found += subscription_created_is_kept(subscriptions, exchange, observed)
        if exclusive and self._identities is not None:
            found += subscription_target_reads_back(subscriptions, exchange, observed)
            found += subscriptions_stay_with_their_user(self._identities, caller, exchange, observed)
        subscription_memory.remember(subscriptions, self._identities, caller, exchange, observed, exclusive=exclusive)
        return found

    @staticmethod
    def _violation(finding: Finding, span: Span) -> ContractViolation:
        check = finding.violation.check
        calls = (finding.earlier.ref, span.ref) if finding.earlier is not None else (span.ref,)
        return ContractViolation("response", check, finding.violation.describe(), SEEDS.get(check, ""), calls)
