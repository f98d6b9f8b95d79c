"""Push notifications: a change of a flight is POSTed, as its full FlightStatus, to every subscription of that flight.

One asyncio queue and worker task per subscription keeps each subscriber's notifications in order and lets a slow or
failing target delay no one else. After the final notification (the flight cancelled), the flight's subscriptions
are deleted ``final_delete_seconds`` later: "sometime after the final POST request is sent to the target URL".
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from flightapp import mutants
from flightapp.flightsayer.models import FlightStatus
from flightapp.flightsayer.subscriptions import Subscription, SubscriptionStore

log = logging.getLogger("flightapp.notifications")

Key = tuple[str, str]


@dataclass(frozen=True)
class Notification:
    subscription: Subscription
    body: dict[str, Any]
    final: bool


class Notifier:
    def __init__(self, store: SubscriptionStore, client: httpx.AsyncClient, final_delete_seconds: float) -> None:
        self.store = store
        self.client = client
        self.final_delete_seconds = final_delete_seconds
        self._queues: dict[Key, asyncio.Queue[Notification]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def publish(self, status: FlightStatus, final: bool) -> None:
        """Queue ``status`` for every subscriber of its flight; returns at once."""
        flight_id = status.flight.id
        subscribers = self.store.of_flight(flight_id)
        if mutants.active("cross_user_leak") and subscribers:
            users = {s.user for s in subscribers}
            subscribers += [s for s in self.store.all() if s.user not in users and s.flight_id != flight_id]
        body = status.model_dump(mode="json")
        for sub in subscribers:
            self._queue(sub).put_nowait(Notification(sub, body, final))

    def _queue(self, sub: Subscription) -> asyncio.Queue[Notification]:
        key = (sub.user, sub.flight_id)
        if key not in self._queues:
            self._queues[key] = asyncio.Queue()
            self._spawn(self._work(self._queues[key]))
        return self._queues[key]

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _work(self, queue: asyncio.Queue[Notification]) -> None:
        while True:
            note = await queue.get()
            sub = self.store.get(note.subscription.user, note.subscription.flight_id)
            if sub is None:  # deleted since the change: nothing more goes out
                continue
            try:
                answer = await self.client.post(sub.target, json=note.body)
                log.info("notified %s of %s: %s", sub.target, sub.flight_id, answer.status_code)
            except httpx.HTTPError as error:
                log.warning("could not notify %s of %s: %r", sub.target, sub.flight_id, error)
            if note.final and not mutants.active("subscriptions_never_retired"):
                self._spawn(self._retire(sub, self.final_delete_seconds))
            elif not note.final and mutants.active("early_retirement"):
                self._spawn(self._retire(sub, 5))

    async def _retire(self, sub: Subscription, after: float) -> None:
        await asyncio.sleep(after)
        self.store.retire(sub)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
