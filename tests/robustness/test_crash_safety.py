"""kill -9 loses no acknowledged write: concurrent writers against a mock on a ``--state-file``, SIGKILLed at a random
moment, round after round on the same file.

After each restart, every write answered 2xx is there exactly as answered; a write that got no answer is either
wholly applied or absent (a session is its old or its new self, never a mix of the two); nothing else appeared; and
what the mock serves passes the suite's own per-response checks. Writers own disjoint keys, so each key's history is
sequential and its expected value known. ``CRASH_ROUNDS`` and ``CRASH_SEED`` replay or deepen a run.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conformance.checks.garuda_responses import garuda_envelope
from conformance.checks.seed_rules import answer_violations
from tests.mock.conftest import (
    ALICE,
    APPROVED_PLAN,
    BOB,
    DEPLOYMENT,
    GARUDA,
    GARUDA_OTHER,
    OTHER_COMPANY_DEPLOYMENT,
    OTHER_COMPANY_PLAN,
    OTHER_DEPLOYMENT_OF_ACME,
    new_session,
)
from tests.robustness.servers import mock_process

ROUNDS = int(os.environ.get("CRASH_ROUNDS", "20"))
SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(2**32))))
MOCK_ARGS = ["--flights", "60", "--seed", "7"]
SESSIONS = "/v2/flight_sessions"
KILL_WITHIN = 0.5  # seconds of writing before the SIGKILL, at most
TARGET = "http://169.254.169.254/hook"  # refused by the delivery policy: notifications never leave the machine
_unique = itertools.count(1)


class NoAnswer(Exception):
    """The request got no (whole) answer: the mock died under it."""


@dataclass
class Unanswered:
    """A write that got no answer: afterwards its key must hold ``before`` or what ``applied`` accepts."""

    key: Any
    before: dict[str, Any] | None
    applied: Callable[[dict[str, Any] | None], bool]
    sent_at: float = field(default_factory=time.monotonic)


@dataclass
class Writer:
    """One thread's writes to the keys it owns, as ``{key: value}``, applying only what was acknowledged."""

    name: str
    owned: dict[Any, dict[str, Any]] = field(default_factory=dict)
    unanswered: Unanswered | None = None
    answered: int = 0

    def send(self, client: httpx.Client, method: str, path: str, headers: dict[str, str], *,
             json: Any = None, operation: str) -> httpx.Response:
        try:
            response = client.request(method, path, headers=headers, json=json)
        except httpx.TransportError as exc:
            raise NoAnswer from exc
        assert response.status_code < 300, f"{self.name}: {method} {path} answered {response.status_code}"
        body = response.json() if response.content else None
        assert not answer_violations(operation, path, response.status_code, body), (method, path, body)
        self.answered += 1
        return response


@dataclass
class GarudaWriter(Writer):
    headers: dict[str, str] = field(default_factory=dict)
    deployments: tuple[str, str] = ("", "")
    plan: str = ""

    def step(self, client: httpx.Client, rng: random.Random) -> None:
        choice = rng.random()
        if not self.owned or choice < 0.4:
            start = 10**12 + next(_unique) * 1000
            body = new_session(deployment_id=self.deployments[0], flight_plan_id=self.plan, start_date_time=start,
                               end_date_time=start + 500)
            # Its id is unknown until answered: the unique start time finds it after a restart.
            self.unanswered = Unanswered(("new", start), None, lambda got, body=body: got is not None and all(
                got[k] == v for k, v in body.items()))
            made = self.send(client, "POST", SESSIONS, self.headers, json=body,
                             operation="createFlightSession").json()["data"]
            self.owned[made["flight_session_id"]] = made
        elif choice < 0.75:
            session_id = rng.choice(list(self.owned))
            before = self.owned[session_id]
            start = 10**12 + next(_unique) * 1000
            changes = {"start_date_time": start, "end_date_time": start + 500,
                       "deployment_id": self.deployments[start // 1000 % 2]}
            self.unanswered = Unanswered(session_id, before, lambda got, after={**before, **changes}: got == after)
            patched = self.send(client, "PATCH", f"{SESSIONS}/{session_id}", self.headers, json=changes,
                                operation="updateFlightSession").json()["data"]
            assert patched == {**before, **changes}
            self.owned[session_id] = patched
        else:
            session_id = rng.choice(list(self.owned))
            self.unanswered = Unanswered(session_id, self.owned[session_id], lambda got: got is None)
            self.send(client, "DELETE", f"{SESSIONS}/{session_id}", self.headers, operation="deleteFlightSession")
            del self.owned[session_id]
        self.unanswered = None


@dataclass
class SubscriptionWriter(Writer):
    headers: dict[str, str] = field(default_factory=dict)
    flights: list[str] = field(default_factory=list)

    def step(self, client: httpx.Client, rng: random.Random) -> None:
        flight_id = rng.choice(self.flights)
        before = self.owned.get(flight_id)
        path = f"/subscriptions/{flight_id}"
        if before is None or rng.random() < 0.7:
            target = f"{TARGET}/{self.name}/{next(_unique)}"
            self.unanswered = Unanswered(flight_id, before, lambda got: got is not None and got["target"] == target
                                         and (before is None or got["created"] == before["created"]))
            answer = self.send(client, "PUT", path, self.headers, json={"target": target},
                               operation="putSubscription")
            assert answer.status_code == (201 if before is None else 200)
            self.owned[flight_id] = answer.json()
        else:
            self.unanswered = Unanswered(flight_id, before, lambda got: got is None)
            self.send(client, "DELETE", path, self.headers, operation="deleteSubscription")
            del self.owned[flight_id]
        self.unanswered = None


@dataclass
class EventWriter(Writer):
    """Forces delays through the control API: each changes one flight's stored realtime status."""

    flights: list[str] = field(default_factory=list)

    def step(self, client: httpx.Client, rng: random.Random) -> None:
        flight_id = rng.choice(self.flights)
        before = self.owned[flight_id]
        minutes = rng.randint(1, 5)
        self.unanswered = Unanswered(flight_id, before, lambda got: got is not None and _latest(got) == _latest(
            before) + timedelta(minutes=minutes))
        status = self.send(client, "POST", f"/_mock/flights/{flight_id}/events", {},
                           json={"kind": "delay", "minutes": minutes}, operation="forceFlightEvent").json()
        self.owned[flight_id] = status["status"]
        self.unanswered = None


def _latest(realtime: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(realtime["departure"]["latest"])


# -- reading back -----------------------------------------------------------------------------------------------------
def served(client: httpx.Client, writer: Writer) -> dict[Any, dict[str, Any]]:
    """What the restarted mock serves for the kind of keys ``writer`` owns, every answer held to the per-response
    checks on the way."""
    def get(path: str, headers: dict[str, str], operation: str, **params: Any) -> Any:
        response = client.get(path, headers=headers, params=params)
        assert response.status_code == 200, (path, response.text)
        assert not answer_violations(operation, path, 200, response.json()), (path, response.text)
        return response.json()

    if isinstance(writer, GarudaWriter):
        listed = get(SESSIONS, writer.headers, "listFlightSessions")
        assert not garuda_envelope(200, listed)
        return {s["flight_session_id"]: s for s in listed["data"]}
    if isinstance(writer, SubscriptionWriter):
        page = get("/subscriptions/", writer.headers, "listSubscriptions", limit=100)
        assert page["next"] is None
        return {s["flight_id"]: s for s in page["results"]}
    assert isinstance(writer, EventWriter)
    return {flight_id: get(f"/flights/v1/status/{flight_id}", ALICE, "getFlightStatus")["status"]
            for flight_id in writer.flights}


def check_restored(client: httpx.Client, writer: Writer, untouched: dict[Any, dict[str, Any]]) -> None:
    """Compare what is served with what ``writer`` was answered; settle its unanswered write, if any, by what the
    mock kept."""
    actual = served(client, writer)
    expected = {**untouched, **writer.owned}
    pending = writer.unanswered
    if pending is not None and isinstance(pending.key, tuple):  # an unanswered create: found by its start time
        found = [s for s in actual.values() if s["start_date_time"] == pending.key[1]]
        assert len(found) <= 1 and (not found or pending.applied(found[0])), f"{writer.name}: half a create {found}"
        if found:
            expected[found[0]["flight_session_id"]] = writer.owned[found[0]["flight_session_id"]] = found[0]
    elif pending is not None:
        got = actual.get(pending.key)
        assert got == pending.before or pending.applied(got), (
            f"{writer.name}: {pending.key} is {got}, neither as before ({pending.before}) nor wholly changed")
        expected.pop(pending.key, None)
        if got is not None:
            expected[pending.key] = writer.owned[pending.key] = got
        else:
            writer.owned.pop(pending.key, None)
    writer.unanswered = None
    assert actual == expected, f"{writer.name}: what the mock kept differs from what it acknowledged"


# -- the test ---------------------------------------------------------------------------------------------------------
def writers_for(base: str) -> list[Writer]:
    flights = [s["flight"]["id"] for s in httpx.get(
        f"{base}/flights/v1/search", headers=ALICE, params={"limit": 60, "earliest_departure": "2026-06-02T06:00:00Z"}
    ).json()["results"] if not s["status"]["cancelled"]]
    assert len(flights) >= 12
    statuses = {f: httpx.get(f"{base}/flights/v1/status/{f}", headers=ALICE).json()["status"] for f in flights[8:12]}
    # One writer per company and per user: each owns every key it can see, so what it sees is what it wrote.
    return [
        GarudaWriter("acme", headers=GARUDA, deployments=(DEPLOYMENT, OTHER_DEPLOYMENT_OF_ACME), plan=APPROVED_PLAN),
        GarudaWriter("other", headers=GARUDA_OTHER, deployments=(OTHER_COMPANY_DEPLOYMENT, OTHER_COMPANY_DEPLOYMENT),
                     plan=OTHER_COMPANY_PLAN),
        SubscriptionWriter("alice", headers=ALICE, flights=flights[0:4]),
        SubscriptionWriter("bob", headers=BOB, flights=flights[4:8]),
        EventWriter("events-1", flights=flights[8:10], owned={f: statuses[f] for f in flights[8:10]}),
        EventWriter("events-2", flights=flights[10:12], owned={f: statuses[f] for f in flights[10:12]}),
    ]


def write_until_killed(writers: list[Writer], base: str, rng: random.Random, process) -> float:
    """Write from one thread per writer until the mock is SIGKILLed at a random moment; answer that moment."""
    stop = threading.Event()
    # The kill's clock starts once every writer is ready: building a client takes a loaded machine a while.
    ready = threading.Barrier(len(writers) + 1, timeout=30)

    def run(writer: Writer, thread_rng: random.Random) -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            ready.wait()
            while not stop.is_set():
                try:
                    writer.step(client, thread_rng)  # type: ignore[attr-defined]
                except NoAnswer:
                    return

    threads = [threading.Thread(target=run, args=(w, random.Random(rng.random())), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    ready.wait()
    time.sleep(rng.uniform(0, KILL_WITHIN))
    killed_at = time.monotonic()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
        assert not thread.is_alive(), "a writer hung after the kill"
    return killed_at


def untouched_by(writers: list[Writer], base: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """Per writer, what it sees at the start and does not own (the fixtures' sessions): it must stay as it is."""
    with httpx.Client(base_url=base, timeout=10) as client:
        return {w.name: {k: v for k, v in served(client, w).items() if k not in w.owned} for w in writers}


@pytest.fixture
def state_file(tmp_path: Path) -> Iterator[Path]:
    print(f"CRASH_SEED={SEED} CRASH_ROUNDS={ROUNDS}")
    yield tmp_path / "state.db"


def test_no_acknowledged_write_is_lost_and_none_unanswered_is_half_applied(state_file: Path) -> None:
    rng = random.Random(SEED)
    writers: list[Writer] = []
    untouched: dict[str, dict[Any, dict[str, Any]]] = {}
    killed_mid_write = 0
    started = time.monotonic()
    for round_number in range(ROUNDS + 1):
        with mock_process(["--state-file", str(state_file), *MOCK_ARGS]) as (base, process):
            if round_number == 0:
                writers = writers_for(base)
                untouched = untouched_by(writers, base)
            with httpx.Client(base_url=base, timeout=10) as client:
                for writer in writers:
                    check_restored(client, writer, untouched[writer.name])
            if round_number == ROUNDS:
                break
            before = sum(w.answered for w in writers)
            killed_at = write_until_killed(writers, base, rng, process)
            in_flight = sum(1 for w in writers if w.unanswered and w.unanswered.sent_at < killed_at)
            killed_mid_write += in_flight > 0
            assert process.returncode == -signal.SIGKILL
        print(f"round {round_number}: {sum(w.answered for w in writers) - before} writes answered, "
              f"{in_flight} in flight at the kill")
    answered = sum(w.answered for w in writers)
    print(f"{ROUNDS} kills, {answered} acknowledged writes, {killed_mid_write} kills with writes in flight, "
          f"{time.monotonic() - started:.1f} s")
    assert killed_mid_write >= ROUNDS // 2, "most kills must land while writes are in flight, or nothing is proven"
    assert answered >= ROUNDS * 10
