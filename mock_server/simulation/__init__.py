"""Flight simulation: a simulated clock and each flight's deterministic life, applied to the flight catalog.

Pure Python, no HTTP. What it provides:

- :class:`SimClock`: manual (default), accelerated or real-time simulated time, starting at the catalog's ``as_of``.
- :class:`FlightSimulator`: ``advance(delta)`` / ``advance_to(instant)`` apply every due event in time order through
  ``FlightCatalog.update`` and answer the :class:`StatusChange` list; ``force(flight_id, kind, **args)`` makes a
  delay, gate, departure, arrival or cancellation happen now; ``add_listener(fn)`` hears every change (connect a
  ``DeliveryWorker.notify`` here).
- :class:`SimulationTicker`: the background task that keeps a running clock's events applied.
"""

from mock_server.simulation.clock import SimClock
from mock_server.simulation.plan import PlannedEvent
from mock_server.simulation.runner import SimulationTicker
from mock_server.simulation.simulator import FORCE_KINDS, FlightSimulator, StatusChange

__all__ = ["FORCE_KINDS", "FlightSimulator", "PlannedEvent", "SimClock", "SimulationTicker", "StatusChange"]
