"""``--state-file``: the mock's data in a SQLite database, every change committed before the mock acknowledges it.

The stores in memory stay the serving copy; this file is told of each change first (:mod:`mock_server.persistence`)
and commits it before the store applies it, so nothing a client was answered 2xx for can be missing after a crash.

Layout: ``PRAGMA application_id`` marks the file as the mock's and ``PRAGMA user_version`` is its format. Table
``catalog`` holds the flight generator's inputs (one row); ``flight_statuses`` the flights whose realtime status
changed since; ``flight_sessions`` and ``subscriptions`` one row each. Every record is JSON in the form
``GET /_mock/state`` answers, so the file reads back into such a snapshot and ``MockState.restore`` checks it as it
checks an import.

Durability: WAL journal with ``synchronous=NORMAL``. A commit is a write(2) to the ``-wal`` file without fsync: it
survives the process dying in any way (the kernel holds the bytes), while a power loss or kernel crash may roll
back the last commits (never half of one: the file stays consistent). ``FULL`` would fsync every commit, which the
event loop would wait for (``bench/state_file.py`` measures both). The only fsyncs left are the checkpoints that fold
the ``-wal`` file back into the database; a thread of their own runs them, so no request waits for the disk.

Exclusivity: an advisory lock (``flock``) on the file, held for as long as the mock runs and released by the kernel
however the process ends, refuses a second mock instead of letting two write one file. Other programs may read the
file meanwhile (``sqlite3 state.db .dump``), not write it. Platforms without ``flock`` get no such refusal.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_server.flights.serialise import realtime_state
from mock_server.persistence import Persistence, PersistenceFailed
from mock_server.state import STATE_FORMAT, MockState

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from mock_server.flights.model import RealtimeStatus
    from mock_server.flightsayer.subscriptions import Subscription

FILE_FORMAT = 1
APPLICATION_ID = int.from_bytes(b"FAPM", "big")  # "flight API mock"
SYNCHRONOUS = "NORMAL"
SQLITE_HEADER = b"SQLite format 3\x00"
CHECKPOINT_AFTER_COMMITS = 256  # or after CHECKPOINT_SECONDS, whichever comes first
CHECKPOINT_SECONDS = 1.0
# Should the checkpoint thread fall behind, the writing connection folds the -wal file in itself past this size.
WAL_LIMIT_PAGES = 16384
_log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE catalog (id INTEGER PRIMARY KEY CHECK (id = 1), generator TEXT NOT NULL);
CREATE TABLE flight_statuses (flight_id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE flight_sessions (flight_session_id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE subscriptions (username TEXT NOT NULL, flight_id TEXT NOT NULL, record TEXT NOT NULL,
                            PRIMARY KEY (username, flight_id)) WITHOUT ROWID;
"""
# Each table of one record per key: its key columns, and how a reported object becomes its JSON record.
_TABLES: dict[str, tuple[tuple[str, ...], Callable[[Any], Mapping[str, Any]]]] = {
    "flight_sessions": (("flight_session_id",), dict),
    "subscriptions": (("username", "flight_id"), lambda subscription: subscription.state()),
    "flight_statuses": (("flight_id",), realtime_state),
}
_SAVE = {table: f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}, record) "
                f"VALUES ({', '.join('?' * (len(columns) + 1))})" for table, (columns, _) in _TABLES.items()}
_DELETE = {table: f"DELETE FROM {table} WHERE {' AND '.join(f'{column} = ?' for column in columns)}"
           for table, (columns, _) in _TABLES.items()}


class StateFileError(Exception):
    """The file cannot back this mock; it has not been changed."""


class StateFileInUse(StateFileError):
    """Another running mock holds the file (or another program is writing it)."""


class StateFileFormatError(StateFileError):
    """The file is of another format: an older mock's JSON, a newer mock's database, or not the mock's at all."""


class StateFileCorrupt(StateFileError):
    """The file is damaged or truncated."""


class StateFileMismatch(StateFileError):
    """The file is sound but does not fit these fixtures (a company, user or flight schedule they no longer have)."""


class StateFileUnavailable(StateFileError):
    """The file cannot be opened or created (permissions, a missing folder, a read-only file system)."""


def keep_state_in(path: Path, state: MockState, *, synchronous: str = SYNCHRONOUS) -> StateFile:
    """Restore ``state`` from the file at ``path`` (or create the file from ``state`` when there is none) and report
    every later change of ``state`` to it. Raises a :class:`StateFileError`, leaving the file as it was, when the
    file cannot be used."""
    path = Path(path)
    created = False
    if not path.exists():
        created = _create(path, state)
    held, snapshot = _open(path, synchronous)
    if not created:  # a file just made from ``state`` holds ``state`` already: no need to rebuild it
        try:
            state.restore(snapshot)
        except (LookupError, TypeError, ValueError, AttributeError) as exc:
            held.release()
            raise StateFileMismatch(f"{path} cannot be restored onto these fixtures: {type(exc).__name__}: {exc}"
                                    ) from exc
    try:
        state_file = StateFile(path, held)
    except sqlite3.Error as exc:
        held.release()
        raise _classified(path, exc) from exc
    state.persist_to(state_file)
    return state_file


def read_state_file(path: Path) -> dict[str, Any]:
    """What the file at ``path`` holds, as the snapshot ``GET /_mock/state`` would answer (for tools and tests; the
    file must not be in use). Raises a :class:`StateFileError` as :func:`keep_state_in` does."""
    held, snapshot = _open(Path(path), SYNCHRONOUS)
    held.release()
    return snapshot


class _Held:
    """The file, locked for this process, and the connection that writes it."""

    def __init__(self, lock: int, connection: sqlite3.Connection) -> None:
        self.lock = lock
        self.connection = connection

    def release(self) -> None:
        # In this order: closing any descriptor of the file drops the process's POSIX locks, SQLite's included.
        self.connection.close()
        os.close(self.lock)


class _Checkpoints:
    """Folds the ``-wal`` file back into the database from a thread of its own, through a connection of its own: a
    checkpoint is the one moment ``synchronous=NORMAL`` fsyncs, and a busy disk can take tens of milliseconds."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="state-file-checkpoints", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._connection.close()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(CHECKPOINT_SECONDS)
            self._wake.clear()
            try:
                # PASSIVE: never waits for the writer, never makes it wait.
                self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                _log.exception("state file checkpoint failed (the writer will fold its -wal file in itself)")


class StateFile(Persistence):
    """An open state file, locked: each change reported outside a batch is committed before the call returns, and a
    batch's changes at its end, in one transaction. A failed commit raises :class:`PersistenceFailed`.

    A single change that fails leaves memory and file as they were. A batch that fails leaves memory ahead of the
    file (its changes were applied as they came), so from then on every change is refused until a restart, which
    serves what the file holds: the last acknowledged state.
    """

    def __init__(self, path: Path, held: _Held) -> None:
        self.path = path
        self._held = held
        self._connection: sqlite3.Connection | None = held.connection
        self._checkpoints = _Checkpoints(path)
        self._commits = 0
        self._lock = threading.RLock()  # the event loop writes; tests and start-up may call from other threads
        self._pending: dict[tuple[str, tuple[str, ...]], Any] = {}  # (table, key) -> object to record, None deletes
        self._replacement: Mapping[str, Any] | None = None
        self._depth = 0
        self._broken: str | None = None

    # -- what the stores report ---------------------------------------------------------------------------------
    def session_saved(self, session: Mapping[str, Any]) -> None:
        self._change("flight_sessions", (session["flight_session_id"],), dict(session))

    def session_deleted(self, session_id: str) -> None:
        self._change("flight_sessions", (session_id,), None)

    def subscription_saved(self, subscription: Subscription) -> None:
        self._change("subscriptions", (subscription.username, subscription.flight_id), subscription)

    def subscription_deleted(self, username: str, flight_id: str) -> None:
        self._change("subscriptions", (username, flight_id), None)

    def flight_status_saved(self, flight_id: str, status: RealtimeStatus) -> None:
        self._change("flight_statuses", (flight_id,), status)

    def replaced(self, snapshot: Mapping[str, Any]) -> None:
        with self._lock:
            self._check_usable()
            self._pending.clear()
            self._replacement = snapshot
            if self._depth == 0:
                self._commit(memory_ahead=False)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                # Committed even when the batch failed half-way: what it changed in memory is served from now on.
                if self._depth == 0 and (self._pending or self._replacement is not None):
                    self._commit(memory_ahead=True)

    def close(self) -> None:
        """Release the file, its ``-wal`` file folded back in (closing saves nothing: every change already is);
        later changes are refused."""
        with self._lock:
            if self._connection is not None:
                self._checkpoints.stop()
                self._held.release()
                self._connection = None

    # -- internals ----------------------------------------------------------------------------------------------
    def _change(self, table: str, key: tuple[str, ...], value: Any) -> None:
        with self._lock:
            self._check_usable()
            self._pending[(table, key)] = value
            if self._depth == 0:
                self._commit(memory_ahead=False)

    def _check_usable(self) -> None:
        if self._broken is not None:
            raise PersistenceFailed(self._broken)
        if self._connection is None:
            raise PersistenceFailed(f"the state file {self.path} is closed; nothing was changed")

    def _commit(self, *, memory_ahead: bool) -> None:
        pending, replacement = self._pending, self._replacement
        self._pending, self._replacement = {}, None
        connection = self._connection
        if connection is None:
            raise PersistenceFailed(f"the state file {self.path} is closed")
        self._commits += 1
        if self._commits % CHECKPOINT_AFTER_COMMITS == 0:
            self._checkpoints.nudge()
        try:
            statements = _statements(pending)
            if replacement is None and len(statements) == 1:
                # The common case, one write: a lone statement outside BEGIN is a transaction of its own.
                connection.execute(*statements[0])
                return
            connection.execute("BEGIN IMMEDIATE")
            try:
                if replacement is not None:
                    _write_snapshot(connection, replacement)
                for statement, values in statements:
                    connection.execute(statement, values)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
        except (sqlite3.Error, TypeError, ValueError) as exc:
            if not memory_ahead:
                raise PersistenceFailed(f"the state file {self.path} could not be written ({exc}); nothing was "
                                        "changed") from exc
            self._broken = (f"the state file {self.path} could not be written ({exc}) after changes were made in "
                            "memory; every further change is refused until the mock is restarted on the file")
            raise PersistenceFailed(self._broken) from exc


# -- reading and writing ----------------------------------------------------------------------------------------------
def _dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _statements(pending: Mapping[tuple[str, tuple[str, ...]], Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """One statement (and its values) per pending change: the key's record saved, or deleted."""
    return [(_SAVE[table], (*key, _dumps(_TABLES[table][1](value)))) if value is not None else (_DELETE[table], key)
            for (table, key), value in pending.items()]


def _write_snapshot(connection: sqlite3.Connection, snapshot: Mapping[str, Any]) -> None:
    flights = dict(snapshot["flightsayer"]["flights"])
    realtime = flights.pop("realtime")
    for table in ("catalog", *_TABLES):
        connection.execute(f"DELETE FROM {table}")
    connection.execute("INSERT INTO catalog (id, generator) VALUES (1, ?)", (_dumps(flights),))
    connection.executemany("INSERT INTO flight_statuses (flight_id, record) VALUES (?, ?)",
                           [(flight_id, _dumps(record)) for flight_id, record in realtime.items()])
    connection.executemany("INSERT INTO flight_sessions (flight_session_id, record) VALUES (?, ?)",
                           [(s["flight_session_id"], _dumps(s)) for s in snapshot["garuda"]["flight_sessions"]])
    connection.executemany("INSERT INTO subscriptions (username, flight_id, record) VALUES (?, ?, ?)",
                           [(s["username"], s["flight_id"], _dumps(s))
                            for s in snapshot["flightsayer"]["subscriptions"]])


def _read_snapshot(connection: sqlite3.Connection) -> dict[str, Any]:
    """The file's content in the form ``MockState.restore`` reads; ``StateFileCorrupt`` if a record is unreadable."""
    try:
        (generator,) = connection.execute("SELECT generator FROM catalog WHERE id = 1").fetchone()
        flights = {**json.loads(generator), "realtime": {
            flight_id: json.loads(record)
            for flight_id, record in connection.execute("SELECT flight_id, record FROM flight_statuses")}}
        sessions = [json.loads(record) for (record,) in connection.execute(
            "SELECT record FROM flight_sessions ORDER BY flight_session_id")]
        subscriptions = [json.loads(record) for (record,) in connection.execute(
            "SELECT record FROM subscriptions ORDER BY username, flight_id")]
    except (TypeError, ValueError) as exc:  # no catalog row, or a record that is not JSON
        raise StateFileCorrupt(f"a record cannot be read: {type(exc).__name__}: {exc}") from exc
    return {"format": STATE_FORMAT, "garuda": {"flight_sessions": sessions},
            "flightsayer": {"flights": flights, "subscriptions": subscriptions}}


# -- opening and creating ---------------------------------------------------------------------------------------------
def _create(path: Path, state: MockState) -> bool:
    """Write ``state`` to a new file at ``path``; False when another process created one first (it is kept).

    The file is built under a temporary name in the same folder and linked into place whole, so no reader ever sees
    half of one, and a link never replaces a file that appeared meanwhile (a rename would).
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:
        raise StateFileUnavailable(f"cannot create {path}: {exc}") from exc
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {FILE_FORMAT}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            connection.execute("BEGIN")
            _write_snapshot(connection, state.export())
            connection.execute("COMMIT")
        finally:
            connection.close()  # folds its -wal file into it
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    except (OSError, sqlite3.Error) as exc:
        raise StateFileUnavailable(f"cannot create {path}: {type(exc).__name__}: {exc}") from exc
    finally:
        for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm"):
            with suppress(FileNotFoundError):
                os.unlink(leftover)


def _open(path: Path, synchronous: str) -> tuple[_Held, dict[str, Any]]:
    """The file, locked for this process, with its writing connection, and its content; a :class:`StateFileError`
    otherwise."""
    _check_is_sqlite(path)
    lock = _lock(path)
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=1, check_same_thread=False)
    except sqlite3.Error as exc:
        os.close(lock)
        raise _classified(path, exc) from exc
    held = _Held(lock, connection)
    try:
        connection.execute("BEGIN")  # one consistent read of everything below
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if application_id != APPLICATION_ID:
            raise StateFileFormatError(f"{path} is a SQLite database, but not a mock's state file "
                                       f"(application_id {application_id})")
        if version != FILE_FORMAT:
            age = "an older" if version < FILE_FORMAT else "a newer"
            raise StateFileFormatError(f"{path} is a state file of {age} format ({version}; this mock reads "
                                       f"{FILE_FORMAT}); start the mock version that wrote it and export it with "
                                       "GET /_mock/state")
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StateFileCorrupt(f"{path} is damaged: {'; '.join(problems[:3])}")
        try:
            snapshot = _read_snapshot(connection)
        except StateFileCorrupt as exc:
            raise StateFileCorrupt(f"{path} is damaged: {exc}") from exc
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA synchronous = {synchronous}")
        connection.execute(f"PRAGMA wal_autocheckpoint = {WAL_LIMIT_PAGES}")
    except StateFileError:
        held.release()
        raise
    except sqlite3.Error as exc:
        held.release()
        raise _classified(path, exc) from exc
    return held, snapshot


def _lock(path: Path) -> int:
    """A descriptor of ``path`` holding an exclusive advisory lock as long as it stays open: the mark of a running
    mock, which the kernel removes however the process ends (kill -9 included)."""
    try:
        lock = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise StateFileUnavailable(f"cannot open {path}: {exc}") from exc
    if fcntl is None:
        return lock
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise StateFileInUse(f"{path} is in use by another running mock") from None
    except OSError as exc:
        os.close(lock)
        raise StateFileUnavailable(f"cannot lock {path}: {exc}") from exc
    return lock


def _check_is_sqlite(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a database: an older mock's JSON, or a damaged file."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StateFileUnavailable(f"cannot read {path}: {exc}") from exc
    if head == SQLITE_HEADER:
        return
    if not head:
        raise StateFileCorrupt(f"{path} is empty, not a state file (truncated?); remove it to start afresh")
    if head.lstrip().startswith(b"{"):
        try:
            old = json.loads(path.read_bytes())
        except (OSError, ValueError):
            old = None
        if isinstance(old, dict) and "garuda" in old and "flightsayer" in old:
            raise StateFileFormatError(
                f"{path} is a JSON state file of an older mock (format {old.get('format')!r}); this mock keeps its "
                "state in SQLite. To carry it over, start the mock with --state-file on a new path and send the "
                f"JSON file to it: curl -X PUT -H 'Content-Type: application/json' --data-binary @{path} "
                "http://HOST:PORT/_mock/state")
        raise StateFileCorrupt(f"{path} is neither a SQLite database nor a whole JSON state snapshot (truncated?)")
    raise StateFileCorrupt(f"{path} is not a SQLite database (damaged, or another kind of file)")


def _classified(path: Path, exc: sqlite3.Error) -> StateFileError:
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StateFileInUse(f"{path} is in use by another program writing it")
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_IOERR",
                        "SQLITE_FULL", "SQLITE_NOMEM")):
        return StateFileUnavailable(f"cannot use {path}: {exc}")
    return StateFileCorrupt(f"{path} is damaged: {exc}")
