"""What one Flightsayer token's earlier calls showed of each of its subscriptions, and the checks that read a new
answer beside it.

A subscription is keyed by its flight, and any client of the same user may delete it and PUT it again between two
calls (so may the backend: it deletes a subscription "sometime after the final POST request"). A re-created
subscription is a new object with a new ``created``, later than anything seen before the deletion. So a
subscription's identity is its ``created`` instant, and it is trusted as an identity only when written to the
microsecond: two writes one after the other never share one, while a clock that stamps whole seconds (the seed's
own form) or milliseconds could give a deletion and a re-creation the reading an earlier call showed.

- ``subscription_created_is_kept`` (always on): ``created`` never goes back to an instant before the one seen
  earlier; and an update answered 200 whose ``created`` has moved to its own ``updated`` (both to the microsecond)
  moved it: a re-creation by another client would have stamped ``created`` strictly before this update.
- ``deleted_subscription_stays_deleted`` (always on): after this token's DELETE answered 2xx, or after a 404/410 for
  a subscription seen before, the same subscription (a ``created`` no later than the one it had, to the microsecond,
  or certainly earlier at any precision) never answers again. A second DELETE answering 204 has no body to tell a
  re-created subscription from the old one, so it is not flagged.
- ``subscription_target_reads_back`` and ``subscriptions_stay_with_their_user`` (only with exclusive tenants, where
  each token is its own user and no unseen client writes for it): the target last PUT is what later reads show, and
  a subscription one token created never shows for another. Without that promise another client of the same user
  may PUT another target, and two tokens may be one user's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from conformance.checks.timestamps import parse_timestamp
from conformance.checks.violation import Violation
from conformance.live.bounded import BoundedMap
from conformance.live.credentials import Caller
from conformance.live.exchange import Exchange, Finding, Span
from conformance.live.flightsayer_exchanges import normalised_url

WRITES = ("putSubscription", "deleteSubscription")
GONE_STATUSES = (404, 410)
_FRACTION = re.compile(r"T\d{2}:\d{2}:\d{2}(?:[.,](\d+))?")

Identities = BoundedMap[tuple[str, datetime], tuple[bytes, Span]]


def resolution(value: str) -> timedelta:
    """How finely ``value`` (an ISO 8601 time) is written: a second, or its last fractional digit."""
    match = _FRACTION.search(value)
    digits = len(match.group(1) or "") if match else 0
    return timedelta(seconds=10 ** -min(digits, 6))


def exact(value: Any) -> datetime | None:
    """The instant ``value`` names when it is written to the microsecond (so it identifies one write), else None."""
    parsed = parse_timestamp(value)
    return parsed if parsed is not None and resolution(value) <= timedelta(microseconds=1) else None


def certainly_before(earlier: Any, later: Any) -> bool:
    """Whether the instant ``earlier`` was written for is before ``later``'s, whatever either's precision (a clock
    reading is the start of the interval it was truncated to)."""
    first, second = parse_timestamp(earlier), parse_timestamp(later)
    return first is not None and second is not None and first + resolution(earlier) <= second


@dataclass(slots=True)
class SubscriptionRecord:
    created: str | None = None
    created_by: Span | None = None
    gone: Span | None = None
    gone_created: str | None = None  # the created it had when it went
    gone_how: str = ""
    target: str | None = None  # exclusive tenants: as last written or read, normalised
    target_by: Span | None = None
    last_write_end: float = -math.inf


@dataclass
class SubscriptionMemory:
    """One token's subscriptions by flight id, the least recently used forgotten first."""

    size: int
    subscriptions: BoundedMap[str, SubscriptionRecord] = field(init=False)
    writing: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.subscriptions = BoundedMap(self.size)

    def quiet(self, flight_id: str, record: SubscriptionRecord, span: Span) -> bool:
        return not self.writing.get(flight_id) and record.last_write_end < span.started


@dataclass(frozen=True)
class Observed:
    shown: list[tuple[str, str, dict[str, Any]]]  # (flight id, where, the subscription)
    absent: list[str]
    deleted: str | None


def write_target(method: str, operation: str, params: tuple[str, ...]) -> str | None:
    return params[0].upper() if operation in WRITES and params else None


def observe(exchange: Exchange) -> Observed:
    answer, operation = exchange.answer, exchange.operation
    shown: list[tuple[str, str, dict[str, Any]]] = []
    if exchange.succeeded and operation in ("putSubscription", "getSubscription") and isinstance(answer, dict):
        shown = [("", "", answer)]
    elif exchange.succeeded and operation == "listSubscriptions" and isinstance(answer, dict):
        results = answer.get("results")
        shown = [("", f"results/{i}", s) for i, s in enumerate(results if isinstance(results, list) else [])]
    shown = [(s["flight_id"].upper(), where, s) for _, where, s in shown
             if isinstance(s, dict) and isinstance(s.get("flight_id"), str) and isinstance(s.get("created"), str)]
    by_id = operation in ("getSubscription", "deleteSubscription") and bool(exchange.params)
    absent = [exchange.params[0].upper()] if by_id and exchange.status in GONE_STATUSES else []
    deleted = exchange.params[0].upper() if operation == "deleteSubscription" and exchange.succeeded else None
    return Observed(shown, absent, deleted)


def _recreated(exchange: Exchange) -> bool:
    return exchange.operation == "putSubscription" and exchange.status == 201


def deleted_subscription_stays_deleted(memory: SubscriptionMemory, exchange: Exchange,
                                       seen: Observed) -> list[Finding]:
    """"Delete the subscription for the specified flight." Once deleted (or answered 404 after it was seen), the same
    subscription never answers again; only a new one, created later, may.
    """
    found = []
    for flight_id, where, subscription in seen.shown:
        record = memory.subscriptions.get(flight_id)
        if record is None or record.gone is None or not record.gone.before(exchange.span) or _recreated(exchange):
            continue
        created, before = subscription["created"], record.gone_created
        same = exact(created) is not None and exact(before) is not None and exact(created) <= exact(before)
        if before is not None and (same or certainly_before(created, before)):
            found.append(Finding(Violation(deleted_subscription_stays_deleted.__name__, f"{where}/created".lstrip("/"),
                                           f"a 404, or a subscription created after {before}: {flight_id}'s was "
                                           f"{record.gone_how} earlier", f"created {created}"), record.gone))
    return found


def subscription_created_is_kept(memory: SubscriptionMemory, exchange: Exchange, seen: Observed) -> list[Finding]:
    """"created (timestamp, required) - timestamp at which the subscription was created": an update ("Existing
    subscription updated") keeps it, and it never moves back.
    """
    found = []
    name = subscription_created_is_kept.__name__
    for flight_id, where, subscription in seen.shown:
        record = memory.subscriptions.get(flight_id)
        if record is None or record.created is None or record.created_by is None:
            continue
        if not record.created_by.before(exchange.span) or (record.gone is not None
                                                            and record.gone.before(exchange.span)):
            continue
        earlier, created = record.created, subscription["created"]
        now, before = exact(created), exact(earlier)
        moved_to_update = (exchange.operation == "putSubscription" and exchange.status == 200 and now is not None
                           and before is not None and now != before and exact(subscription.get("updated")) == now)
        if certainly_before(created, earlier) or moved_to_update:
            actual = created + (" (this update's own time)" if moved_to_update else "")
            expected = f"{earlier} as the earlier call showed"
            found.append(Finding(Violation(name, f"{where}/created".lstrip("/"), expected, actual), record.created_by))
    return found


def subscription_target_reads_back(memory: SubscriptionMemory, exchange: Exchange, seen: Observed) -> list[Finding]:
    """"target (string, required) - url to which POST requests indicating change to flight status will be sent."
    (Exclusive tenants only.) The target last PUT is the one later reads show.
    """
    if exchange.operation == "putSubscription":
        return []
    found = []
    for flight_id, where, subscription in seen.shown:
        record = memory.subscriptions.get(flight_id)
        if (record is None or record.target is None or record.target_by is None
                or not record.target_by.before(exchange.span) or not memory.quiet(flight_id, record, exchange.span)):
            continue
        target = subscription.get("target")
        if isinstance(target, str) and normalised_url(target) != record.target:
            found.append(Finding(Violation(subscription_target_reads_back.__name__, f"{where}/target".lstrip("/"),
                                           f"{record.target} as the earlier call left it", target), record.target_by))
    return found


def subscriptions_stay_with_their_user(identities: Identities, caller: Caller, exchange: Exchange,
                                       seen: Observed) -> list[Finding]:
    """"Retrieve all current flight subscriptions" (Exclusive tenants only, each token its own user.) A subscription
    one token created or read never shows for another token.
    """
    found = []
    for flight_id, where, subscription in seen.shown:
        created = exact(subscription["created"])
        owner = identities.get((flight_id, created)) if created is not None else None
        if owner is not None and owner[0] != caller.key and owner[1].before(exchange.span):
            found.append(Finding(Violation(subscriptions_stay_with_their_user.__name__, where or "<root>",
                                           "only this token's own subscriptions",
                                           f"{flight_id}'s subscription created {subscription['created']} for "
                                           "another token"), owner[1]))
    return found


def remember(memory: SubscriptionMemory, identities: Identities | None, caller: Caller, exchange: Exchange,
             seen: Observed, *, exclusive: bool) -> None:
    span = exchange.span
    for flight_id, _, subscription in seen.shown:
        record = memory.subscriptions.setdefault(flight_id, SubscriptionRecord)
        if record.gone is not None and record.gone.before(span):
            record.gone = record.gone_created = None  # seen again: a new one (or flagged as the old one)
        if record.created_by is None or record.created_by.ended <= span.ended:
            record.created, record.created_by = subscription["created"], span
        created = exact(subscription["created"])
        if identities is not None and created is not None and identities.get((flight_id, created)) is None:
            identities.put((flight_id, created), (caller.key, span))
        if not exclusive:
            continue
        target = subscription.get("target")
        if exchange.operation == "putSubscription" and isinstance(exchange.sent, dict) and isinstance(
                exchange.sent.get("target"), str):
            record.target, record.target_by = normalised_url(exchange.sent["target"]), span
        elif isinstance(target, str) and memory.quiet(flight_id, record, span):
            record.target, record.target_by = normalised_url(target), span
    for flight_id in seen.absent:
        record = memory.subscriptions.get(flight_id)
        if record is not None and record.gone is None and record.created_by is not None and record.created_by.before(
                span):
            record.gone, record.gone_created, record.gone_how = span, record.created, f"answered {exchange.status}"
    if seen.deleted is not None:
        record = memory.subscriptions.setdefault(seen.deleted, SubscriptionRecord)
        record.gone, record.gone_created, record.gone_how = span, record.created, "deleted"
        record.target = None
    target = write_target(exchange.request.method, exchange.operation, exchange.params)
    if target is not None:
        record = memory.subscriptions.setdefault(target, SubscriptionRecord)
        record.last_write_end = max(record.last_write_end, span.ended)
