"""The running simulation: simulator, clock ticker and push-notification worker, tied to the mock's state.

It starts and stops with the app's lifespan, follows the state when a reset or an import replaces the catalog, and
is what the ``/_mock/clock``, ``/_mock/flights/{id}/events`` and ``/_mock/deliveries`` endpoints act on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from mock_server.simulation.runner import SimulationTicker
from mock_server.simulation.simulator import FlightSimulator, StatusChange
from mock_server.state import MockState
from mock_server.webhooks import DeliveryWorker, TargetPolicy


class SimulationService:
    """Builds the simulator on first use: walking 100 000 flights costs a second a mock that never simulates need
    not pay at start-up."""

    def __init__(self, state: MockState, *, clock_speed: float = 0.0, webhook_allow: list[str] | None = None,
                 webhook_attempts: int = 4, webhook_grace_seconds: float = 60.0) -> None:
        self.state = state
        self._clock_speed = clock_speed
        self.worker = DeliveryWorker(lambda: self.state.subscriptions, policy=TargetPolicy.from_args(webhook_allow),
                                     attempts=webhook_attempts, grace=webhook_grace_seconds)
        self._simulator: FlightSimulator | None = None
        self._ticker: SimulationTicker | None = None
        state.on_replaced(self._follow_state)

    @property
    def simulator(self) -> FlightSimulator:
        if self._simulator is None:
            self._simulator = FlightSimulator(self.state.catalog)
            self._simulator.clock.set_speed(self._clock_speed)
            self._simulator.add_listener(self.worker.notify)
        return self._simulator

    def _follow_state(self) -> None:
        if self._simulator is not None:
            speed = self._simulator.clock.speed
            self._simulator.reset(self.state.catalog)
            self._simulator.clock.set_speed(speed)

    # -- lifecycle -----------------------------------------------------------------------------------------------
    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Deliver notifications (and, when the clock runs by itself, tick it) for as long as the app serves."""
        await self.worker.start()
        if self._clock_speed > 0:
            self._ticker = SimulationTicker(self.simulator, within=lambda: self.state.persistence.batch())
            await self._ticker.start()
        try:
            yield
        finally:
            if self._ticker is not None:
                await self._ticker.stop()
                self._ticker = None
            await self.worker.stop()

    # -- what the control API asks -------------------------------------------------------------------------------
    def clock_state(self) -> dict[str, Any]:
        simulator = self.simulator
        upcoming = simulator.next_event_at()
        return {"now": _iso(simulator.clock.now()), "mode": simulator.clock.mode, "speed": simulator.clock.speed,
                "next_event": _iso(upcoming) if upcoming else None}

    def move_clock(self, *, by: timedelta | None = None, to: datetime | None = None,
                   speed: float | None = None) -> list[StatusChange]:
        """Advance the clock (by a duration or to an instant) and/or change its speed; answer what changed.

        The flights it changed are kept together: all of them, or (when keeping fails) none acknowledged."""
        simulator = self.simulator
        changes: list[StatusChange] = []
        with self.state.persistence.batch():
            if by is not None:
                changes = simulator.advance(by)
            elif to is not None:
                changes = simulator.advance_to(to)
        if speed is not None:
            simulator.clock.set_speed(speed)
        return changes

    def force(self, flight_id: str, kind: str, **args: Any) -> dict[str, Any]:
        with self.state.persistence.batch():  # with the events a running clock owed before it
            return self.simulator.force(flight_id, kind, **args)

    def pending(self, flight_id: str) -> list[dict[str, Any]]:
        return [event.public() for event in self.simulator.pending(flight_id)]

    def deliveries(self) -> list[dict[str, Any]]:
        return self.worker.deliveries()


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
