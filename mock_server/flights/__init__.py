"""Flightsayer flights for the mock: a deterministic generator, the flight model and a search index.

Pure Python, no HTTP. What it provides:

- :func:`load_catalog` generates flights from ``fixtures/flightsayer/{airports,carriers,schedule}.yaml``
  (same seed and count, byte-identical statuses).
- :class:`FlightCatalog` answers ``status(id)`` (a FlightStatus dict, ``inbound`` nested), ``status_json(id)``
  (the same as cached compact bytes), ``search(...)`` (total and one page of FlightIds, from sorted indexes),
  ``flight_ids()``, ``flight(id)`` / ``realtime(id)`` (the schedule and a copy of the realtime status),
  ``update(id, **changes)`` (change the realtime status; caches of the flight and every flight embedding it as
  ``inbound`` are dropped), ``as_of`` (the instant the generated statuses describe) and ``to_state()`` /
  ``from_state()`` (a lossless JSON-able round trip).
- :class:`RealtimeStatus` and :class:`Prediction` (build one with ``Prediction.of(distribution, reasons)``) are
  the values ``update`` takes.
"""

from mock_server.flights.catalog import FlightCatalog, load_catalog
from mock_server.flights.model import Flight, Prediction, RealtimeStatus

__all__ = ["Flight", "FlightCatalog", "Prediction", "RealtimeStatus", "load_catalog"]
