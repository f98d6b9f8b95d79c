"""Oversized requests are refused before they are read: 413 for bodies (declared or chunked), 414 and 431 for the
request head, against a real uvicorn, where reading a body costs real memory."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.mock.conftest import GARUDA, new_session
from tests.mock.live_server import running_mock
from tests.robustness.error_formats import assert_error_format

LIMIT = 4096


@pytest.fixture(scope="module")
def limited_url() -> Iterator[str]:
    # Not "base_url": that fixture is pytest-base-url's, and its session-wide autouse check would request this one.
    with running_mock(["--max-body-bytes", str(LIMIT)]) as (base, _):
        yield base


def raw_exchange(limited_url: str, head: str, body: bytes = b"", *, timeout: float = 5.0) -> tuple[int, bytes]:
    """Send a request head and (part of) a body over a bare socket; return the status and the response bytes."""
    host, port = limited_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1") + body)
        received = b""
        while b"\r\n\r\n" not in received or not received.endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    return int(received.split(b" ", 2)[1]), received


def garuda_head(extra: str) -> str:
    return ("POST /v2/flight_sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: {GARUDA['Authorization']}\r\nX-API-Key: {GARUDA['X-API-Key']}\r\n{extra}\r\n")


def test_a_declared_body_above_the_limit_is_refused_before_it_is_sent(limited_url: str) -> None:
    started = time.monotonic()
    status, response = raw_exchange(limited_url, garuda_head("Content-Length: 10000000000\r\n"), b'{"a": ')
    assert status == 413
    assert time.monotonic() - started < 3  # answered from the head: ten gigabytes were never awaited
    assert b"connection: close" in response.lower()
    body = json.loads(response.split(b"\r\n\r\n", 1)[1])
    assert body["success"] is False and str(LIMIT) in body["message"]


def test_a_chunked_body_is_counted_as_it_arrives_and_refused_past_the_limit(limited_url: str) -> None:
    chunk = b"x" * 1024
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8))  # 8 KiB, no end marker sent
    status, response = raw_exchange(limited_url, garuda_head("Transfer-Encoding: chunked\r\n"), chunks)
    assert status == 413
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["success"] is False


def test_a_chunked_body_within_the_limit_is_served(limited_url: str) -> None:
    def pieces() -> Iterator[bytes]:
        text = json.dumps(new_session()).encode()
        yield text[:10]
        yield text[10:]

    response = httpx.post(f"{limited_url}/v2/flight_sessions", headers={**GARUDA, "Content-Type": "application/json"},
                          content=pieces())
    assert response.status_code == 200, response.text
    assert response.json()["data"]["start_date_time"] == new_session()["start_date_time"]


def test_a_body_just_within_the_limit_is_read_and_just_above_is_refused(limited_url: str) -> None:
    headers = {**GARUDA, "Content-Type": "application/json"}
    padded = json.dumps({**new_session(), "pad": ""}).encode()
    exact = padded.replace(b'"pad": ""', b'"pad": "' + b"p" * (LIMIT - len(padded)) + b'"')
    assert len(exact) == LIMIT
    assert httpx.post(f"{limited_url}/v2/flight_sessions", headers=headers, content=exact).status_code == 200
    over = httpx.post(f"{limited_url}/v2/flight_sessions", headers=headers, content=exact + b" ")
    assert over.status_code == 413
    assert_error_format(over, "garuda")


@pytest.mark.parametrize(("path", "family"), [("/v2/flight_sessions", "garuda"), ("/subscriptions/", "flightsayer"),
                                              ("/_mock/health", "control")])
def test_a_huge_query_string_is_414_in_the_api_format(limited_url: str, path: str, family: str) -> None:
    response = httpx.get(f"{limited_url}{path}?q={'a' * 20_000}", headers=GARUDA)
    assert response.status_code == 414
    assert_error_format(response, family)  # type: ignore[arg-type]


def test_huge_headers_are_431_not_a_crash(limited_url: str) -> None:
    response = httpx.get(f"{limited_url}/v2/flight_sessions", headers={**GARUDA, "X-Padding": "p" * 100_000})
    assert response.status_code == 431
    assert_error_format(response, "garuda")
    assert httpx.get(f"{limited_url}/v2/flight_sessions", headers=GARUDA).status_code == 200


def test_a_malformed_content_length_is_a_400_and_the_server_lives_on(limited_url: str) -> None:
    status, _ = raw_exchange(limited_url, garuda_head("Content-Length: ten\r\n"), b"{}")
    assert 400 <= status < 500
    assert httpx.get(f"{limited_url}/v2/flight_sessions", headers=GARUDA).status_code == 200
