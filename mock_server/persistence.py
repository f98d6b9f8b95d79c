"""Where the stores report each change to the mock's data just before they make it, so it can outlive the process.

The stores (flight sessions, subscriptions, the flight catalog) tell their ``persistence`` what they are about to
change; when it raises :class:`PersistenceFailed` they change nothing, and the caller answers an error instead of a
success. :data:`MEMORY_ONLY`, the default, keeps nothing and costs one method call per write.
:class:`mock_server.state_file.StateFile` commits each change to SQLite before it returns, so a write the mock
acknowledges is in the file before the client hears of it.

Several changes that must land together (a clock move, a tick of a running clock) run inside :meth:`batch`: they are
committed at once when the outermost batch ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_server.flights.model import RealtimeStatus
    from mock_server.flightsayer.subscriptions import Subscription


class PersistenceFailed(RuntimeError):
    """A change could not be kept (e.g. the disk is full); the message says whether the data in memory is unchanged."""


class Persistence:
    """Keeps nothing: the mock's data lives in memory only. Subclasses keep it somewhere durable."""

    def session_saved(self, session: Mapping[str, Any]) -> None:
        """A flight session created or changed (all of its fields)."""

    def session_deleted(self, session_id: str) -> None:
        """A flight session deleted."""

    def subscription_saved(self, subscription: Subscription) -> None:
        """A subscription created or replaced, as it will be once applied."""

    def subscription_deleted(self, username: str, flight_id: str) -> None:
        """A subscription deleted (by its owner, or after its flight's final notification)."""

    def flight_status_saved(self, flight_id: str, status: RealtimeStatus) -> None:
        """A flight's realtime status changed (simulated or forced)."""

    def replaced(self, snapshot: Mapping[str, Any]) -> None:
        """Everything replaced (a reset or an import) by ``snapshot``, in the form ``MockState.export`` answers."""

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Changes reported inside are kept together, when the outermost batch ends."""
        yield


MEMORY_ONLY = Persistence()
