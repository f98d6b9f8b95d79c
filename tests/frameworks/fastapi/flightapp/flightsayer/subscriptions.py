"""Each user's subscriptions, keyed by (user, FlightId): two users of one flight hold two subscriptions."""

import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from flightapp import mutants


@dataclass(frozen=True)
class Subscription:
    user: str
    flight_id: str
    target: str
    created: datetime
    updated: datetime


class SubscriptionStore:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Subscription] = {}
        self._lock = threading.Lock()

    def put(self, user: str, flight_id: str, target: str) -> tuple[Subscription, bool]:
        """(the subscription, whether it is new)."""
        now = datetime.now(UTC)
        with self._lock:
            old = self._items.get((user, flight_id))
            sub = (Subscription(user, flight_id, target, now, now) if old is None
                   else replace(old, target=target, updated=now))
            self._items[(user, flight_id)] = sub
        return sub, old is None

    def get(self, user: str, flight_id: str) -> Subscription | None:
        return self._items.get((user, flight_id))

    def of_user(self, user: str) -> list[Subscription]:
        everyone = mutants.active("other_users_subscriptions_listed")
        mine = [s for s in list(self._items.values()) if everyone or s.user == user]
        return sorted(mine, key=lambda s: (s.created, s.flight_id, s.user))

    def of_flight(self, flight_id: str) -> list[Subscription]:
        return [s for s in list(self._items.values()) if s.flight_id == flight_id]

    def all(self) -> list[Subscription]:
        return list(self._items.values())

    def delete(self, user: str, flight_id: str) -> bool:
        with self._lock:
            return self._items.pop((user, flight_id), None) is not None

    def retire(self, sub: Subscription) -> None:
        """Delete ``sub``, unless it was deleted and subscribed anew meanwhile (another ``created``)."""
        with self._lock:
            current = self._items.get((sub.user, sub.flight_id))
            if current is not None and current.created == sub.created:
                del self._items[(sub.user, sub.flight_id)]
