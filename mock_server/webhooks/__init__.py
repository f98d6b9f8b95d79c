"""Webhook delivery of Flightsayer push notifications. No HTTP server here; an HTTP client in background tasks.

What it provides:

- :class:`DeliveryWorker`: ``notify(flight_id, status)`` (sync, O(1)) queues a change for every subscriber;
  ``await start()`` / ``await stop()`` run the background delivery (hook them to the app's lifespan); ``drain()``
  waits until everything queued is sent; ``deliveries()`` is the bounded delivery log.
- :class:`TargetPolicy`: which targets may be called (``TargetPolicy.from_args(["127.0.0.0/8,!*"])``).
- :class:`DeliveryLog`: the ring buffer of attempts.
- :class:`HostPools` (``host_pools``): a keep-alive connection pool and a concurrency limit per target host.
"""

from mock_server.webhooks.log import DEFAULT_LOG_SIZE, DeliveryAttempt, DeliveryLog
from mock_server.webhooks.policy import ResolvedTarget, Rule, TargetPolicy, TargetRefused
from mock_server.webhooks.worker import DeliveryWorker, is_final

__all__ = ["DEFAULT_LOG_SIZE", "DeliveryAttempt", "DeliveryLog", "DeliveryWorker", "ResolvedTarget", "Rule",
           "TargetPolicy", "TargetRefused", "is_final"]
