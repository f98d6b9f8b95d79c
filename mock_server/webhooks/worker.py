"""Push notifications: every status change of a subscribed flight POSTed to each subscriber's target.

"When you subscribe to a flight status update, you will receive push notifications whenever the status of the flight
in question changes, sent to a specified URL ... the flight subscription will be automatically deleted sometime
after the final POST request is sent to the target URL (this occurs after the flight lands or is cancelled)."

Request handling must never wait on a subscriber's server, so :meth:`DeliveryWorker.notify` only appends to an inbox
(sync, O(1), callable from any thread) and background tasks do the rest:

- a dispatcher fans each change out to every subscription to that flight (all users'), at dispatch time;
- each subscription has its own FIFO and at most one sender task, so a later notification never overtakes an earlier
  one for the same subscription, while different subscriptions proceed in parallel: up to ``per_host`` requests to
  one target host (its own keep-alive pool, :mod:`mock_server.webhooks.host_pools`), ``concurrency`` in all, so a
  target that hangs holds only its own host's slots, each for at most ``timeout`` seconds;
- an attempt that fails (transport error, timeout, non-2xx) is retried after ``backoff * backoff_factor**(n-1)``
  seconds, up to ``attempts`` attempts in all; then the worker gives up on it and moves to the next notification;
- after the final notification (landed or cancelled) is delivered or given up, the subscription is deleted once
  ``grace`` *real* seconds have passed. Real, not simulated: delivery, timeouts and retries all run on the wall
  clock, and a manual simulated clock might never move again, which would keep the subscription forever.

Hook it into the app's lifespan: ``await worker.start()`` on startup, ``await worker.stop()`` on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mock_server.flights.serialise import dumps
from mock_server.flightsayer.subscriptions import Subscription, SubscriptionStore
from mock_server.persistence import PersistenceFailed
from mock_server.webhooks.host_pools import HostPools
from mock_server.webhooks.log import DELIVERED, DROPPED, FAILED, REFUSED, DeliveryLog
from mock_server.webhooks.policy import TargetPolicy, TargetRefused

DEFAULT_TIMEOUT = 5.0
DEFAULT_ATTEMPTS = 4
DEFAULT_BACKOFF = 0.5
DEFAULT_BACKOFF_FACTOR = 2.0
DEFAULT_CONCURRENCY = 128
DEFAULT_PER_HOST = 32
DEFAULT_MAX_PENDING = 100  # per subscription
DEFAULT_GRACE = 60.0
USER_AGENT = "flight-api-mock-webhooks"
_log = logging.getLogger(__name__)

SubscriptionKey = tuple[str, str]  # (username, flight_id)


@dataclass(frozen=True, slots=True)
class Notification:
    """One change to send: the FlightStatus bytes (shared by every subscriber) and whether it is the last one."""

    body: bytes
    final: bool
    queued_at: float  # time.monotonic() when the change was notified


def is_final(status: Mapping[str, Any]) -> bool:
    """True for the status the seed's "final POST" carries: the flight landed or was cancelled."""
    realtime = status.get("status") or {}
    return bool(realtime.get("cancelled")) or (realtime.get("arrival") or {}).get("type") == "actual"


class DeliveryWorker:
    """Sends push notifications in the background; see the module docstring for the guarantees.

    ``subscriptions`` is the store, or a callable answering the current one (``lambda: state.subscriptions``), which
    survives ``MockState.reset`` replacing the store.
    """

    def __init__(self, subscriptions: SubscriptionStore | Callable[[], SubscriptionStore], *,
                 policy: TargetPolicy | None = None, log: DeliveryLog | None = None,
                 timeout: float = DEFAULT_TIMEOUT, attempts: int = DEFAULT_ATTEMPTS, backoff: float = DEFAULT_BACKOFF,
                 backoff_factor: float = DEFAULT_BACKOFF_FACTOR, concurrency: int = DEFAULT_CONCURRENCY,
                 grace: float = DEFAULT_GRACE, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 per_host: int = DEFAULT_PER_HOST, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        if attempts < 1 or concurrency < 1 or per_host < 1 or timeout <= 0 or backoff < 0 or backoff_factor < 1 \
                or grace < 0:
            raise ValueError("need attempts >= 1, concurrency >= 1, per_host >= 1, timeout > 0, backoff >= 0, "
                             "backoff_factor >= 1 and grace >= 0")
        if max_pending < 2:
            raise ValueError("need max_pending >= 2 (one in flight, one waiting)")
        self.max_pending = max_pending
        self._store = subscriptions if callable(subscriptions) else (lambda: subscriptions)
        self.policy = policy if policy is not None else TargetPolicy()
        self.log = log if log is not None else DeliveryLog()  # an empty log is falsy
        self.timeout, self.attempts, self.backoff, self.backoff_factor = timeout, attempts, backoff, backoff_factor
        self.concurrency, self.per_host, self.grace = concurrency, min(per_host, concurrency), grace
        self._sleep = sleep
        self._inbox: deque[tuple[str, Mapping[str, Any], float]] = deque()
        self._queues: dict[SubscriptionKey, deque[Notification]] = {}
        self._senders: dict[SubscriptionKey, asyncio.Task[None]] = {}
        self._deletions: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._wakeup: asyncio.Event | None = None
        self._idle: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._pools: HostPools | None = None

    # -- public --------------------------------------------------------------------------------------------------

    def pending(self, username: str, flight_id: str) -> int:
        """Notifications queued for one subscription (the one in flight included)."""
        return len(self._queues.get((username, flight_id), ()))

    def notify(self, flight_id: str, status: Mapping[str, Any]) -> None:
        """Queue a status change of ``flight_id`` for its subscribers; returns at once (never does I/O).

        ``status`` is the full FlightStatus dict (what ``FlightCatalog.update`` answers). Safe to call from any
        thread; before :meth:`start` changes wait in the inbox.
        """
        self._inbox.append((flight_id, status, time.monotonic()))
        if self._wakeup is None or self._loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self._wakeup.set()
        else:
            self._loop.call_soon_threadsafe(self._wakeup.set)

    def deliveries(self) -> list[dict[str, Any]]:
        """The delivery log: every attempt (bounded, oldest first) as JSON-able dicts."""
        return self.log.entries()

    @property
    def running(self) -> bool:
        return self._dispatcher is not None

    async def start(self) -> None:
        """Start the background tasks on the running loop (call from the app's lifespan startup)."""
        if self._dispatcher is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._wakeup, self._idle = asyncio.Event(), asyncio.Event()
        self._pools = HostPools(per_host=self.per_host, total=self.concurrency, timeout=self.timeout,
                                user_agent=USER_AGENT)
        self._dispatcher = asyncio.create_task(self._dispatch(), name="webhook-dispatcher")
        self._wakeup.set()  # changes notified before start

    async def stop(self) -> None:
        """Cancel the background tasks and close the connections (call from the lifespan shutdown). Notifications
        still queued are dropped and pending grace-period deletions do not happen; ``drain()`` first to avoid that."""
        tasks = [t for t in (self._dispatcher, *self._senders.values(), *self._deletions) if t is not None]
        self._dispatcher = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._senders.clear()
        self._queues.clear()
        self._deletions.clear()
        if self._pools is not None:
            await self._pools.close()
        self._pools = None
        self._wakeup = self._idle = None
        self._loop = self._loop_thread = None

    async def drain(self) -> None:
        """Wait until every notified change has been delivered, given up or dropped (grace deletions excepted)."""
        if self._idle is None:
            raise RuntimeError("the delivery worker is not started")
        while self._inbox or self._senders:
            self._idle.clear()
            await self._idle.wait()

    # -- dispatching ---------------------------------------------------------------------------------------------

    async def _dispatch(self) -> None:
        assert self._wakeup is not None
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._inbox:
                flight_id, status, queued_at = self._inbox.popleft()
                try:
                    self._fan_out(flight_id, status, queued_at)
                except Exception:
                    _log.exception("could not queue notifications for %s", flight_id)
            self._maybe_idle()

    def _fan_out(self, flight_id: str, status: Mapping[str, Any], queued_at: float) -> None:
        subscribers = self._store().subscribers(flight_id)
        if not subscribers:
            return
        notification = Notification(dumps(status), is_final(status), queued_at)
        for subscription in subscribers:
            key = (subscription.username, subscription.flight_id)
            queue = self._queues.setdefault(key, deque())
            if len(queue) >= self.max_pending:
                # A target that stays down must not grow memory without bound. The head is in flight; each
                # notification is the flight's full status, so the oldest one waiting behind it is the one to lose.
                del queue[1]
                self.log.record(*key, subscription.target, attempt=0, outcome=DROPPED,
                                error=f"{self.max_pending} notifications pending; the oldest waiting one dropped")
            queue.append(notification)
            if key not in self._senders:
                self._senders[key] = asyncio.create_task(self._send_all(key), name=f"webhook:{key[0]}:{key[1]}")

    async def _send_all(self, key: SubscriptionKey) -> None:
        """Send this subscription's notifications strictly one after another: order per subscription holds."""
        queue = self._queues[key]
        try:
            while queue:
                notification = queue[0]
                subscription = self._store().get(*key)
                if subscription is None:  # deleted (by its owner, or a reset) while notifications were queued
                    self.log.record(*key, "", attempt=0, outcome=DROPPED,
                                    error=f"subscription deleted; {len(queue)} notification(s) dropped")
                    queue.clear()
                    break
                await self._deliver(key, notification)
                queue.popleft()
                if notification.final:
                    queue.clear()  # nothing follows a landing or a cancellation
                    await self._retire(subscription)
        finally:
            self._queues.pop(key, None)
            self._senders.pop(key, None)
            self._maybe_idle()

    async def _deliver(self, key: SubscriptionKey, notification: Notification) -> None:
        assert self._pools is not None
        for attempt in range(1, self.attempts + 1):
            subscription = self._store().get(*key)
            if subscription is None:
                return
            target = subscription.target  # re-read: a PUT may have fixed a broken target between retries
            started = time.monotonic()
            status: int | None = None
            try:
                resolved = await self.policy.resolve(target)
            except TargetRefused as refused:
                self.log.record(*key, target, attempt=0, outcome=REFUSED, error=str(refused))
                return
            except OSError as failure:
                error: str | None = f"cannot resolve {target}: {failure}"
                latency = (time.monotonic() - started) * 1000
            else:
                answer = await self._pools.post(resolved, notification.body,
                                                {"Content-Type": "application/json", "Host": resolved.host_header})
                status, error, latency = answer.status, answer.error, answer.seconds * 1000
            delivered = status is not None and 200 <= status < 300
            last = delivered or attempt == self.attempts
            if status is not None and not delivered:
                error = f"HTTP {status}"
            self.log.record(*key, target, attempt=attempt, outcome=DELIVERED if delivered else FAILED, status=status,
                            error=error, latency_ms=latency, final=last)
            if last:
                return
            await self._sleep(self.backoff * self.backoff_factor ** (attempt - 1))

    async def _retire(self, subscription: Subscription) -> None:
        """Delete the subscription ``grace`` seconds after its final POST: "automatically deleted sometime after the
        final POST request is sent"."""
        if self.grace == 0:
            self._delete(subscription)
            return
        task = asyncio.create_task(self._delete_later(subscription), name=f"webhook-retire:{subscription.flight_id}")
        self._deletions.add(task)
        task.add_done_callback(self._deletions.discard)

    async def _delete_later(self, subscription: Subscription) -> None:
        await asyncio.sleep(self.grace)
        self._delete(subscription)

    def _delete(self, subscription: Subscription) -> None:
        store = self._store()
        if store.get(subscription.username, subscription.flight_id) is subscription:  # not replaced by a reset
            try:
                store.delete(subscription.username, subscription.flight_id)
            except PersistenceFailed as failure:  # kept, in memory and in the file alike
                _log.error("could not retire subscription %s/%s: %s", subscription.username, subscription.flight_id,
                           failure)

    def _maybe_idle(self) -> None:
        if self._idle is not None and not self._inbox and not self._senders:
            self._idle.set()
