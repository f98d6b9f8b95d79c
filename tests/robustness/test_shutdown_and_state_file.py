"""SIGTERM lets in-flight requests finish, and ``--state-file`` carries every answered write across a restart."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from mock_server.state import MockState, write_state_file
from tests.mock.conftest import ALICE, GARUDA, new_session
from tests.robustness.servers import mock_process

SESSIONS = "/v2/flight_sessions"


def test_a_slow_write_in_flight_when_sigterm_arrives_completes_and_is_saved(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
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
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    [session] = [s for s in saved["garuda"]["flight_sessions"]
                 if s["flight_session_id"] == created["flight_session_id"]]
    assert session["end_date_time"] == 1999999999999


def test_the_state_file_restores_everything_losslessly(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    with mock_process(["--state-file", str(state_file), "--flights", "60", "--seed", "7"]) as (base, process):
        httpx.post(f"{base}{SESSIONS}", headers=GARUDA, json=new_session())
        flight = httpx.get(f"{base}/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0][
            "flight"]["id"]
        httpx.put(f"{base}/subscriptions/{flight}", headers=ALICE, json={"target": "http://e.com/%C3%BCn%C3%AFcode?q=1&r=%20"})
        exported = httpx.get(f"{base}/_mock/state").json()
        process.terminate()
        assert process.wait(timeout=10) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert json.loads(state_file.read_text(encoding="utf-8")) == exported
    assert not [p for p in tmp_path.iterdir() if p.name != "state.json"]  # no temporary file left behind
    with mock_process(["--state-file", str(state_file), "--flights", "60", "--seed", "7"]) as (base, _):
        assert httpx.get(f"{base}/_mock/state").json() == exported


def test_an_unreadable_state_file_stops_the_start_and_is_left_as_it_was(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text('{"format": 1, "garuda": ', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mock_server", "--port", "1", "--state-file", str(state_file)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "cannot restore" in result.stderr
    assert state_file.read_text(encoding="utf-8") == '{"format": 1, "garuda": '


def test_a_failed_save_keeps_the_previous_file_whole(tmp_path: Path, monkeypatch) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text("previous", encoding="utf-8")
    state = MockState.load()

    def broken_export() -> dict:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(state, "export", broken_export)
    with pytest.raises(RuntimeError):
        write_state_file(state, state_file)
    assert state_file.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
