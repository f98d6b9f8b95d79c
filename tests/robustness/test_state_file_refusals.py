"""A ``--state-file`` the mock cannot use stops the start with a clear message and an exit code of its own, and the
file is left exactly as it was: starting on the fixtures instead would lose the data it holds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mock_server.cli import main
from mock_server.state import MockState
from mock_server.state_file import keep_state_in
from tests.mock.conftest import new_session
from tests.robustness.servers import mock_process

FLIGHTS = ["--flights", "60"]


def valid_state_file(path: Path) -> Path:
    state = MockState.load(flights=60)
    state_file = keep_state_in(path, state)
    state.garuda.create(next(iter(state.garuda.companies)), new_session())
    state_file.close()
    return path


def older_json_file(path: Path) -> Path:
    path.write_text(json.dumps(MockState.load(flights=60).export()), encoding="utf-8")
    return path


def truncated_json_file(path: Path) -> Path:
    path.write_text('{"format": 1, "garuda": ', encoding="utf-8")
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated_database(path: Path) -> Path:
    valid_state_file(path)
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size // 2)
    return path


def another_programs_database(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    return path


def _edited(path: Path, statement: str) -> Path:
    valid_state_file(path)
    with sqlite3.connect(path) as connection:
        connection.execute(statement)
    connection.close()
    return path


def newer_format(path: Path) -> Path:
    return _edited(path, "PRAGMA user_version = 99")


def unknown_company(path: Path) -> Path:
    return _edited(path, "UPDATE flight_sessions SET record = json_set(record, '$.company_id', 'gone')")


def record_not_json(path: Path) -> Path:
    return _edited(path, "UPDATE flight_sessions SET record = '{\"flight_session_id\": '")


@pytest.mark.parametrize(("make", "code", "says"), [
    (older_json_file, 4, "JSON state file of an older mock"),
    (truncated_json_file, 5, "neither a SQLite database nor a whole JSON state snapshot"),
    (empty_file, 5, "is empty"),
    (truncated_database, 5, "damaged"),
    (record_not_json, 5, "a record cannot be read"),
    (another_programs_database, 4, "not a mock's state file"),
    (newer_format, 4, "newer format"),
    (unknown_company, 6, "companies not in the fixtures: gone"),
])
def test_a_state_file_that_cannot_be_restored_stops_the_start_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], Path], code: int,
        says: str) -> None:
    path = make(tmp_path / "state.db")
    before = path.read_bytes()
    assert main(["--port", "1", "--state-file", str(path), *FLIGHTS]) == code
    assert says in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["state.db"]  # no -wal, no temporary file


def test_the_older_json_format_is_refused_with_how_to_carry_it_over(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = older_json_file(tmp_path / "state.json")
    assert main(["--port", "1", "--state-file", str(path), *FLIGHTS]) == 4
    told = capsys.readouterr().err
    assert f"curl -X PUT -H 'Content-Type: application/json' --data-binary @{path}" in told
    assert told.rstrip().endswith("/_mock/state")


def test_a_state_file_in_a_folder_that_does_not_exist_cannot_be_created(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "1", "--state-file", str(tmp_path / "missing" / "state.db"), *FLIGHTS]) == 7
    assert "cannot create" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_a_state_file_held_by_a_running_mock_is_refused_to_a_second_one(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "state.db"
    with mock_process(["--state-file", str(path), *FLIGHTS]):
        assert main(["--port", "1", "--state-file", str(path), *FLIGHTS]) == 3
        assert "in use by another running mock" in capsys.readouterr().err


def test_the_process_itself_exits_with_the_code(tmp_path: Path) -> None:
    path = truncated_json_file(tmp_path / "state.json")
    result = subprocess.run([sys.executable, "-m", "mock_server", "--port", "1", "--state-file", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 5
    assert result.stderr.startswith(f"mock-server: {path} is neither")
    assert path.read_text(encoding="utf-8") == '{"format": 1, "garuda": '
