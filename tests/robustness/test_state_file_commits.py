"""Every change the mock makes is in its ``--state-file`` by the time it is answered; a change the file cannot take is
answered 503 in the API's own format and not made; a group of changes lands whole or not at all."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.state import MockState
from mock_server.state_file import StateFile, keep_state_in, read_state_file
from tests.mock.conftest import ALICE, GARUDA, OTHER_DEPLOYMENT_OF_ACME, new_session

SESSIONS = "/v2/flight_sessions"
REFUSED_TARGET = "http://169.254.169.254/hook"  # cloud metadata: never called, so a delivery ends at once


@dataclass
class Kept:
    client: TestClient
    state: MockState
    state_file: StateFile
    path: Path

    def file_after_close(self) -> dict:
        """What the file holds: closing commits nothing (each change already was), it only releases the lock."""
        self.state_file.close()
        return read_state_file(self.path)

    def limit_file_growth(self) -> None:
        """Let the file grow by no page more: the next write needing one fails as on a full disk."""
        connection = self.state_file._connection
        assert connection is not None
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Kept]:
    state = MockState.load(flights=60)
    path = tmp_path / "state.db"
    state_file = keep_state_in(path, state)
    app = create_app(state=state, webhook_grace_seconds=0)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Kept(client, state, state_file, path)
    finally:
        state_file.close()


def flight_ids(client: TestClient, count: int) -> list[str]:
    """Flights still ahead of the clock and not cancelled: every forced event applies to them."""
    found = client.get("/flights/v1/search", params={"limit": 50, "earliest_departure": "2026-06-02T08:00:00Z"},
                       headers=ALICE).json()["results"]
    return [s["flight"]["id"] for s in found if not s["status"]["cancelled"]][:count]


def test_every_kind_of_write_is_in_the_file_once_answered(kept: Kept) -> None:
    client = kept.client
    made = [client.post(SESSIONS, headers=GARUDA, json=new_session(start_date_time=n)).json()["data"]
            for n in range(3)]
    assert client.patch(f"{SESSIONS}/{made[0]['flight_session_id']}", headers=GARUDA,
                        json={"deployment_id": OTHER_DEPLOYMENT_OF_ACME}).status_code == 200
    assert client.delete(f"{SESSIONS}/{made[1]['flight_session_id']}", headers=GARUDA).status_code == 200
    first, second, third = flight_ids(client, 3)
    for flight_id in (first, second):
        assert client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": "http://e.com/a"}
                          ).status_code == 201
    assert client.put(f"/subscriptions/{first}", headers=ALICE, json={"target": "http://e.com/b"}).status_code == 200
    assert client.delete(f"/subscriptions/{second}", headers=ALICE).status_code == 204
    assert client.post(f"/_mock/flights/{third}/events", json={"kind": "delay", "minutes": 25}).status_code == 200
    assert client.post("/_mock/clock", json={"advance": "PT2H"}).json()["changes"]
    expected = client.get("/_mock/state").json()

    saved = kept.file_after_close()
    assert saved == expected
    sessions = {s["flight_session_id"]: s for s in saved["garuda"]["flight_sessions"]}
    assert sessions[made[0]["flight_session_id"]]["deployment_id"] == OTHER_DEPLOYMENT_OF_ACME
    assert made[1]["flight_session_id"] not in sessions and made[2]["flight_session_id"] in sessions
    assert [(s["flight_id"], s["target"]) for s in saved["flightsayer"]["subscriptions"]] == [(first, "http://e.com/b")]
    assert third in saved["flightsayer"]["flights"]["realtime"]


def test_a_reset_and_an_import_replace_the_whole_file(kept: Kept) -> None:
    client = kept.client
    fixtures = client.get("/_mock/state").json()
    client.post(SESSIONS, headers=GARUDA, json=new_session())
    client.post("/_mock/clock", json={"advance": "PT3H"})
    snapshot = client.get("/_mock/state").json()
    assert client.post("/_mock/reset", json={}).status_code == 200
    assert client.get("/_mock/state").json() == fixtures
    assert client.put("/_mock/state", json=snapshot).status_code == 200
    assert kept.file_after_close() == snapshot

    state = MockState.load(flights=60)
    keep_state_in(kept.path, state).close()
    assert state.export() == snapshot


def test_a_json_state_file_of_an_older_mock_carries_over_through_put_state(kept: Kept, tmp_path: Path) -> None:
    older = MockState.load(flights=60)
    older.garuda.create(next(iter(older.garuda.companies)), new_session(start_date_time=42))
    older.subscriptions.put("alice", flight_ids(kept.client, 1)[0], "http://e.com/kept")
    assert kept.client.put("/_mock/state", json=older.export()).status_code == 200
    assert kept.file_after_close() == older.export()


def test_a_write_the_file_cannot_take_is_answered_503_in_the_api_format_and_not_made(kept: Kept) -> None:
    client = kept.client
    kept.limit_file_growth()
    answers = []
    for n in range(500):  # a page holds a few dozen sessions
        answers.append(client.post(SESSIONS, headers=GARUDA, json=new_session(start_date_time=n)))
        if answers[-1].status_code != 200:
            break
    refused = answers[-1]
    assert refused.status_code == 503
    assert refused.json()["success"] is False and "nothing was changed" in refused.json()["message"]
    served = {s["start_date_time"] for s in client.get(SESSIONS, headers=GARUDA).json()["data"]}
    assert set(range(len(answers) - 1)) <= served and len(answers) - 1 not in served
    assert client.get("/_mock/health").json()["status"] == "ok"  # reads go on
    flight_id = flight_ids(client, 1)[0]
    refused = client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": "http://e.com/" + "x" * 2000})
    assert refused.status_code == 503 and "nothing was changed" in refused.json()["detail"]
    assert client.get(f"/subscriptions/{flight_id}", headers=ALICE).status_code == 404
    expected = client.get("/_mock/state").json()
    assert kept.file_after_close() == expected


def test_a_clock_move_the_file_cannot_take_stops_every_later_change_until_a_restart(kept: Kept) -> None:
    client = kept.client
    before = client.get("/_mock/state").json()
    kept.limit_file_growth()
    moved = client.post("/_mock/clock", json={"advance": "P2D"})  # every flight lands: more than one page
    assert moved.status_code == 503 and "until the mock is restarted" in moved.json()["detail"]
    later = client.post(SESSIONS, headers=GARUDA, json=new_session())
    assert later.status_code == 503 and "until the mock is restarted" in later.json()["message"]
    assert kept.file_after_close() == before  # a restart serves the last acknowledged state


def test_the_subscription_a_final_notification_retires_leaves_the_file(kept: Kept) -> None:
    client = kept.client
    flight_id = flight_ids(client, 1)[0]
    assert client.put(f"/subscriptions/{flight_id}", headers=ALICE, json={"target": REFUSED_TARGET}
                      ).status_code == 201
    assert client.post(f"/_mock/flights/{flight_id}/events", json={"kind": "cancellation"}).status_code == 200
    deadline = time.monotonic() + 10
    while client.get(f"/subscriptions/{flight_id}", headers=ALICE).status_code == 200:
        assert time.monotonic() < deadline, "the finished flight's subscription was never retired"
        time.sleep(0.05)
    assert kept.file_after_close()["flightsayer"]["subscriptions"] == []


@pytest.mark.parametrize("crash_inside", [True, False])
def test_a_batch_cut_short_by_a_crash_leaves_none_of_its_changes(tmp_path: Path, crash_inside: bool) -> None:
    path = tmp_path / "state.db"
    state = MockState.load(flights=60)
    keep_state_in(path, state).close()
    script = textwrap.dedent(f"""
        import os
        from mock_server.state import MockState
        from mock_server.state_file import keep_state_in
        state = MockState.load(flights=60)
        keep_state_in({str(path)!r}, state)
        company = next(iter(state.garuda.companies))
        with state.persistence.batch():
            for n in range(5):
                state.garuda.create(company, {new_session()!r} | {{"start_date_time": n}})
            if {crash_inside!r}:
                os._exit(9)
        os._exit(9)
    """)
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 9
    after = MockState.load(flights=60)
    keep_state_in(path, after).close()
    added = len(after.export()["garuda"]["flight_sessions"]) - len(state.export()["garuda"]["flight_sessions"])
    assert added == (0 if crash_inside else 5)
