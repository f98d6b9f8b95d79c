"""How the suite makes a flight's status change, so a push notification is due.

The Flightsayer API has no way to do that, so it takes something outside it: the mock's simulation control API
(``POST /_mock/flights/{id}/events``, used when the backend answers ``GET /_mock/health``), or a command the user
gives (``--webhook-trigger-cmd "CMD {flight_id} {kind}"``) that makes the change on their backend. With neither,
the webhook checks are skipped, saying so.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from typing import Protocol

import httpx

DELAY, CANCELLATION = "delay", "cancellation"
KINDS = (DELAY, CANCELLATION)
DELAY_MINUTES = 23
COMMAND_TIMEOUT = 60.0
NO_TRIGGER = ("the webhook checks need a way to change a flight's status: the backend does not answer the mock's "
              "GET /_mock/health (so has no POST /_mock/flights/{id}/events), and no --webhook-trigger-cmd "
              "\"CMD {flight_id} {kind}\" was given")


class TriggerFailed(RuntimeError):
    """The trigger itself broke (the control API refused, the command failed): not a verdict on the backend."""


class Trigger(Protocol):
    description: str

    def __call__(self, flight_id: str, kind: str) -> None:
        """Make ``flight_id`` change: ``delay`` it (by ``DELAY_MINUTES``) or cancel it (``cancellation``)."""


@dataclass
class MockControlTrigger:
    """Forces an event through the mock's simulation control API."""

    http: httpx.Client
    description: str = "POST /_mock/flights/{flight_id}/events"

    def __call__(self, flight_id: str, kind: str) -> None:
        body: dict[str, object] = {"kind": kind}
        if kind == DELAY:
            body["minutes"] = DELAY_MINUTES
        response = self.http.post(f"/_mock/flights/{flight_id}/events", json=body)
        if response.status_code != 200:
            raise TriggerFailed(f"POST /_mock/flights/{flight_id}/events {body} answered "
                                f"{response.status_code}: {response.text[:300]}")


@dataclass
class CommandTrigger:
    """Runs the user's command, its ``{flight_id}``, ``{kind}`` and ``{minutes}`` filled in, split like a shell
    would but without one (no quoting surprises, no injection from a flight id)."""

    template: str
    timeout: float = COMMAND_TIMEOUT

    @property
    def description(self) -> str:
        return f"--webhook-trigger-cmd {self.template!r}"

    def __call__(self, flight_id: str, kind: str) -> None:
        argv = [part.format(flight_id=flight_id, kind=kind, minutes=DELAY_MINUTES) for part in
                shlex.split(self.template)]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise TriggerFailed(f"{' '.join(map(shlex.quote, argv))}: {error}") from error
        if done.returncode != 0:
            raise TriggerFailed(f"{' '.join(map(shlex.quote, argv))} exited {done.returncode}: "
                                f"{(done.stderr or done.stdout)[-500:]}")


def is_mock(http: httpx.Client) -> bool:
    """Whether the backend has the mock's control API: ``GET /_mock/health`` answers 200 (a 404 means it does not)."""
    try:
        return http.get("/_mock/health").status_code == 200
    except httpx.HTTPError:
        return False


def choose_trigger(http: httpx.Client, command: str | None) -> Trigger | None:
    """The user's command if given (it knows their backend best), else the mock's control API if the backend has
    it, else None (the checks then skip with ``NO_TRIGGER``)."""
    if command:
        return CommandTrigger(command)
    if is_mock(http):
        return MockControlTrigger(http)
    return None
