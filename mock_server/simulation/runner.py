"""Keeps a running simulated clock's flights up to date: a background ticker for accelerated and real-time modes.

In manual mode nothing happens until someone advances the clock; with a running clock something must apply the
events as they fall due, so subscribers hear of them without anyone asking. Start and stop it with the app's
lifespan, next to the delivery worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from mock_server.simulation.clock import MANUAL
from mock_server.simulation.simulator import FlightSimulator

_log = logging.getLogger(__name__)


class SimulationTicker:
    """Every ``interval`` real seconds, applies the events a running clock has made due (none in manual mode), each
    tick inside ``within()`` (e.g. the state file's batch, so a tick's changes are kept together)."""

    def __init__(self, simulator: FlightSimulator, *, interval: float = 0.5,
                 within: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext) -> None:
        self.simulator = simulator
        self.interval = interval
        self.within = within
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="simulation-ticker")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self.simulator.clock.mode != MANUAL:
                try:
                    with self.within():
                        self.simulator.catch_up()
                except Exception:
                    _log.exception("simulation tick failed")
