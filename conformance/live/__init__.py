"""Checks no single answer can show: each answer read beside its request, and beside the same caller's earlier calls.

One engine (:class:`TrafficMonitor`) serves the validating proxy (live traffic) and ``python -m conformance.traffic``
(HAR recordings), fed the same way: a request arrives, its answer arrives.

- Request-aware checks (:mod:`.garuda_exchanges`, :mod:`.flightsayer_exchanges`, :mod:`.credentials`): filters
  honoured, writes echoed, the resource asked for answered, page sizes and links, credentials present on a success.
- Memory-aware checks (:mod:`.session_memory`, :mod:`.company_memory`, :mod:`.subscription_memory`): what the
  caller's earlier calls showed must still hold. Other clients may change a tenant's data between any two calls,
  so each module's docstring says why what it flags is something none of them could cause; what only a tenant with
  no unseen writers could promise runs only with ``exclusive_tenants``.

Every violation is the backend's, names its check and the seed sentence it enforces, and the calls it relates.
Proven in ``tests/proxy/``: each check against a backend broken in its way, and the mock and legitimate variants
against all of them.
"""

from conformance.live.monitor import LIVE_CHECKS, MemoryLimits, Pending, TrafficMonitor

__all__ = ["LIVE_CHECKS", "MemoryLimits", "Pending", "TrafficMonitor"]
