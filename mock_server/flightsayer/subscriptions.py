"""Each user's subscriptions to flight status changes. Knows nothing of HTTP.

"The subscriptions endpoint lists all flight status update subscriptions, and allows you to create, update, and
delete subscriptions." Subscriptions are per user: two users subscribing to one flight hold two subscriptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_server.persistence import MEMORY_ONLY, Persistence


@dataclass
class Subscription:
    username: str
    flight_id: str
    target: str
    created: datetime
    updated: datetime

    def public(self) -> dict[str, str]:
        """The FlightSubscription object of the spec."""
        return {"flight_id": self.flight_id, "target": self.target, "created": _iso(self.created),
                "updated": _iso(self.updated)}

    def state(self) -> dict[str, str]:
        """Everything about it as JSON-able values, for a saved state (:meth:`SubscriptionStore.restore` reads it)."""
        # Spelt out rather than dataclasses.asdict, whose deep copy cost ~20 µs of every subscription kept in a file.
        return {"username": self.username, "flight_id": self.flight_id, "target": self.target,
                "created": _iso(self.created), "updated": _iso(self.updated)}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class SubscriptionStore:
    """Subscriptions keyed by (username, flight_id), listed oldest first.

    Methods are synchronous and never yield, so under an event loop each call is atomic. Every change is reported to
    ``persistence`` before it is made; if that raises, nothing changes.
    """

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.persistence: Persistence = MEMORY_ONLY
        self._now = now
        self._by_key: dict[tuple[str, str], Subscription] = {}

    def put(self, username: str, flight_id: str, target: str) -> tuple[Subscription, bool]:
        """Create or replace; returns the subscription and whether it is new. ``created`` survives a replace."""
        key = (username, flight_id)
        existing = self._by_key.get(key)
        if existing is None:
            moment = self._now()
            created = Subscription(username, flight_id, target, moment, moment)
            self.persistence.subscription_saved(created)
            self._by_key[key] = created
            return created, True
        # "updated" must move even when two writes land within the clock's resolution.
        updated = max(self._now(), existing.updated + timedelta(microseconds=1))
        self.persistence.subscription_saved(Subscription(username, flight_id, target, existing.created, updated))
        # Changed in place: whoever holds it (a delivery waiting to retire it) still holds the stored one.
        existing.target, existing.updated = target, updated
        return existing, False

    def get(self, username: str, flight_id: str) -> Subscription | None:
        return self._by_key.get((username, flight_id))

    def delete(self, username: str, flight_id: str) -> Subscription | None:
        if (username, flight_id) not in self._by_key:
            return None
        self.persistence.subscription_deleted(username, flight_id)
        return self._by_key.pop((username, flight_id))

    def list(self, username: str) -> list[Subscription]:
        mine = [s for s in self._by_key.values() if s.username == username]
        mine.sort(key=lambda s: (s.created, s.flight_id))
        return mine

    def subscribers(self, flight_id: str) -> list[Subscription]:
        """Every user's subscription to ``flight_id`` (for push notifications)."""
        return [s for s in self._by_key.values() if s.flight_id == flight_id]

    def export(self) -> list[dict[str, Any]]:
        return [s.state() for s in sorted(self._by_key.values(), key=lambda s: (s.username, s.flight_id))]

    def restore(self, rows: list[dict[str, Any]]) -> None:
        self._by_key = {}
        for row in rows:
            sub = Subscription(row["username"], row["flight_id"], row["target"],
                               datetime.fromisoformat(row["created"]), datetime.fromisoformat(row["updated"]))
            self._by_key[(sub.username, sub.flight_id)] = sub
