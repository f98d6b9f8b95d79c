"""Connections that hold a descriptor without making a request are shed within their bounds while ordinary traffic
is served: idle ones are closed, request heads trickled a byte at a time are answered 408, keep-alive works as
before, and connections beyond the cap are answered 503 instead of exhausting descriptors."""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import threading
import time

import httpx

from mock_server.connections import HEAD_SECONDS, IDLE_SECONDS
from tests.mock.conftest import ALICE
from tests.mock.live_server import running_mock

IDLE = 300
SLOW = 50
MARGIN = 3.0  # seconds beyond a bound a shared, busy machine may take to act on it
SEARCH = "/flights/v1/search?limit=1"
SLOW_HEAD = b"GET /flights/v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200


def _address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def _request(path: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in ALICE.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _body(answer: bytes) -> dict:
    return json.loads(answer.partition(b"\r\n\r\n")[2])


class _Reads(threading.Thread):
    """Ordinary reads, on one keep-alive client and on fresh connections, until told to stop."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.statuses: list[int] = []
        self.slowest = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=ALICE, timeout=10) as client:
            while not self.stop.is_set():
                for call in (lambda: client.get(SEARCH), lambda: httpx.get(self.base + SEARCH,
                                                                                  headers=ALICE, timeout=10)):
                    started = time.monotonic()
                    self.statuses.append(call().status_code)
                    self.slowest = max(self.slowest, time.monotonic() - started)
                self.stop.wait(0.05)


def test_idle_and_slow_connections_are_shed_within_their_bounds_while_reads_are_served() -> None:
    with running_mock() as (base, _):
        address = _address(base)
        reads = _Reads(base)
        reads.start()
        started = time.monotonic()
        idle = [socket.create_connection(address) for _ in range(IDLE)]
        slow = [socket.create_connection(address) for _ in range(SLOW)]
        for sock in slow:
            sock.sendall(SLOW_HEAD[:1])
        kept_alive = socket.create_connection(address)
        kept_alive.sendall(_request(SEARCH))
        selector = selectors.DefaultSelector()
        for sock in [*idle, *slow, kept_alive]:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        received = {sock: b"" for sock in [*idle, *slow, kept_alive]}
        closed_at: dict[socket.socket, float] = {}
        sent, second_request_at, kept_alive_answers = 1, None, []
        deadline = started + HEAD_SECONDS + IDLE_SECONDS + 2 * MARGIN
        try:
            while len(closed_at) < IDLE + SLOW + 1 and time.monotonic() < deadline:
                now = time.monotonic() - started
                if now > 2 * sent and sent < len(SLOW_HEAD):  # one more byte of each slow head every 2 s
                    for sock in slow:
                        if sock not in closed_at:
                            with contextlib.suppress(OSError):
                                sock.send(SLOW_HEAD[sent:sent + 1])
                    sent += 1
                if second_request_at is None and now > IDLE_SECONDS - 2:  # a real client reuses its connection
                    kept_alive.sendall(_request(SEARCH))
                    second_request_at = now
                for key, _ in selector.select(timeout=0.1):
                    sock = key.fileobj
                    try:
                        chunk = sock.recv(65536)
                    except ConnectionResetError:
                        chunk = b""
                    if chunk:
                        received[sock] += chunk
                        if sock is kept_alive:
                            kept_alive_answers.append(time.monotonic() - started)
                    else:
                        closed_at[sock] = time.monotonic() - started
                        selector.unregister(sock)
        finally:
            reads.stop.set()
            reads.join(timeout=30)
            for sock in received:
                sock.close()

    assert all(sock in closed_at for sock in idle), f"{sum(s not in closed_at for s in idle)} idle still open"
    idle_times = [closed_at[sock] for sock in idle]
    assert min(idle_times) >= IDLE_SECONDS - 0.5 and max(idle_times) <= IDLE_SECONDS + MARGIN, idle_times
    assert not any(received[sock] for sock in idle)  # closed without an answer: there was no request

    assert all(sock in closed_at for sock in slow), f"{sum(s not in closed_at for s in slow)} slow heads still open"
    slow_times = [closed_at[sock] for sock in slow]
    assert min(slow_times) >= HEAD_SECONDS - 0.5 and max(slow_times) <= HEAD_SECONDS + MARGIN, slow_times
    for sock in slow:
        assert _status(received[sock]) == 408
        assert b"\r\nconnection: close\r\n" in received[sock].lower()
        assert set(_body(received[sock])) == {"detail"}

    # Keep-alive as before: the second request on the same connection, sent after 3 s, is answered; the connection
    # is closed only once it has been idle for the keep-alive time after that answer.
    assert received[kept_alive].count(b"HTTP/1.1 200 OK") == 2
    assert closed_at[kept_alive] >= kept_alive_answers[-1] + IDLE_SECONDS - 0.5

    assert reads.statuses and set(reads.statuses) == {200}
    assert len(reads.statuses) >= 20 and reads.slowest < 2.0, (len(reads.statuses), reads.slowest)


def test_connections_beyond_the_cap_are_answered_503_in_the_apis_format_and_closed() -> None:
    cap = 20
    with running_mock(["--max-connections", str(cap)]) as (base, _):
        address = _address(base)
        time.sleep(0.5)  # the readiness probe's connection is gone
        socks = []
        for _ in range(cap + 5):
            socks.append(socket.create_connection(address, timeout=10))
            time.sleep(0.01)  # accepted in order
        answers = []
        for sock in socks:
            sock.sendall(_request("/flights/v1/search?limit=1"))
            answer = b""
            while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < int(
                    answer.lower().partition(b"content-length: ")[2].partition(b"\r\n")[0] or 0):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
            answers.append(answer)
        statuses = [_status(answer) for answer in answers]
        served = statuses.index(503)
        assert cap - 1 <= served <= cap and set(statuses[:served]) == {200} and set(statuses[served:]) == {503}
        refused = answers[-1]
        assert set(_body(refused)) == {"detail"}  # Flightsayer's format
        assert b"\r\nconnection: close\r\n" in refused.lower()
        assert socks[-1].recv(1) == b""  # and closed
        for sock in socks:
            sock.close()
        time.sleep(0.5)
        assert httpx.get(base + "/flights/v1/search?limit=1", headers=ALICE).status_code == 200  # room again
