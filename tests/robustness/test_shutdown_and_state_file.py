"""SIGTERM lets in-flight requests finish, and ``--state-file`` carries every answered write across a restart."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from mock_server.state_file import read_state_file
from tests.mock.conftest import ALICE, GARUDA, new_session
from tests.robustness.servers import mock_process

SESSIONS = "/v2/flight_sessions"


def test_a_slow_write_in_flight_when_sigterm_arrives_completes_and_is_saved(tmp_path: Path) -> None:
    state_file = tmp_path / "state.db"
    with mock_process(["--state-file", str(state_file)]) as (base, process):
        created = httpx.post(f"{base}{SESSIONS}", headers=GARUDA, json=new_session()).json()["data"]
        url = f"{base}{SESSIONS}/{created['flight_session_id']}"
        assert httpx.put(f"{base}/_mock/latency", json={"fixed_ms": 1500, "operation": "updateFlightSession"}
                         ).status_code == 200
        answer: dict[str, httpx.Response] = {}
        slow = threading.Thread(target=lambda: answer.setdefault(
            "patch", httpx.patch(url, headers=GARUDA, json={"end_date_time": 1999999999999}, timeout=10)))
        slow.start()
        time.sleep(0.5)  # the PATCH is now sleeping in the server
        process.send_signal(signal.SIGTERM)
        slow.join(timeout=10)
        assert process.wait(timeout=10) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert answer["patch"].status_code == 200
    assert answer["patch"].json()["data"]["end_date_time"] == 1999999999999
    saved = read_state_file(state_file)
    [session] = [s for s in saved["garuda"]["flight_sessions"]
                 if s["flight_session_id"] == created["flight_session_id"]]
    assert session["end_date_time"] == 1999999999999


def test_the_state_file_restores_everything_losslessly(tmp_path: Path) -> None:
    state_file = tmp_path / "state.db"
    with mock_process(["--state-file", str(state_file), "--flights", "60", "--seed", "7"]) as (base, process):
        httpx.post(f"{base}{SESSIONS}", headers=GARUDA, json=new_session())
        flight = httpx.get(f"{base}/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0][
            "flight"]["id"]
        httpx.put(f"{base}/subscriptions/{flight}", headers=ALICE, json={"target": "http://e.com/%C3%BCn%C3%AFcode?q=1&r=%20"})
        assert httpx.post(f"{base}/_mock/clock", json={"advance": "PT6H"}).json()["changes"]  # flights move on
        exported = httpx.get(f"{base}/_mock/state").json()
        process.terminate()
        assert process.wait(timeout=10) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert read_state_file(state_file) == exported
    # Nothing left beside it: no temporary file, and SQLite's -wal folded back in at shutdown.
    assert [p.name for p in tmp_path.iterdir()] == ["state.db"]
    with mock_process(["--state-file", str(state_file), "--flights", "60", "--seed", "7"]) as (base, _):
        assert httpx.get(f"{base}/_mock/state").json() == exported
