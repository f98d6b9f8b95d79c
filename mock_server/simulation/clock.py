"""The simulated clock the flight simulation runs on.

Three modes, all one clock: *manual* (speed 0, the default: time moves only when told, so tests are deterministic),
*accelerated* (``speed=60`` makes one simulated hour pass per real minute) and *real time* (speed 1). It starts at
the catalog's ``as_of``, the instant the generated statuses describe, and never runs backwards: a simulated world
whose flights have landed cannot un-land them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

MANUAL, ACCELERATED, REAL_TIME = "manual", "accelerated", "realtime"


class SimClock:
    """Simulated time: ``now() = anchor + (wall - wall_anchor) * speed``; re-anchored whenever it is changed."""

    def __init__(self, start: datetime, *, speed: float = 0.0, wall: Callable[[], float] = time.monotonic) -> None:
        if start.utcoffset() is None:
            raise ValueError("the simulated clock needs an aware start instant")
        _check_speed(speed)
        self._wall = wall
        self._anchor = start
        self._wall_anchor = wall()
        self._speed = float(speed)

    @property
    def speed(self) -> float:
        """Simulated seconds per real second; 0 in manual mode."""
        return self._speed

    @property
    def mode(self) -> str:
        """``"manual"``, ``"realtime"`` (speed 1) or ``"accelerated"`` (any other positive speed)."""
        if self._speed == 0:
            return MANUAL
        return REAL_TIME if self._speed == 1 else ACCELERATED

    def now(self) -> datetime:
        """The current simulated instant (aware)."""
        if self._speed == 0:
            return self._anchor
        return self._anchor + timedelta(seconds=(self._wall() - self._wall_anchor) * self._speed)

    def set_speed(self, speed: float) -> None:
        """Switch mode: 0 = manual, 1 = real time, e.g. 60 = one simulated hour per real minute. Time is kept."""
        _check_speed(speed)
        self._reanchor(self.now())
        self._speed = float(speed)

    def advance(self, delta: timedelta) -> datetime:
        """Move simulated time forward by ``delta`` (in any mode); ``ValueError`` for a negative delta."""
        if delta < timedelta(0):
            raise ValueError(f"the simulated clock never runs backwards (asked to advance by {delta})")
        return self._reanchor(self.now() + delta)

    def advance_to(self, instant: datetime) -> datetime:
        """Move simulated time forward to ``instant``; ``ValueError`` if it is naive or before now."""
        if instant.utcoffset() is None:
            raise ValueError(f"{instant.isoformat()} has no UTC offset")
        current = self.now()
        if instant < current:
            raise ValueError(f"the simulated clock never runs backwards: {instant.isoformat()} is before "
                             f"{current.isoformat()}")
        return self._reanchor(instant)

    def _reanchor(self, instant: datetime) -> datetime:
        self._anchor = instant
        self._wall_anchor = self._wall()
        return instant


def _check_speed(speed: float) -> None:
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not speed >= 0 or speed == float("inf"):
        raise ValueError(f"speed is a finite number >= 0 (0 = manual, 1 = real time), not {speed!r}")
