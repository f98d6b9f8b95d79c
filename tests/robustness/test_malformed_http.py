"""Requests that break HTTP itself (a malformed chunked body, a broken request line) are refused by the server before
the app sees them; the refusal is still a 400 in the API's own error format, and nothing changes."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.mock.conftest import ALICE, GARUDA
from tests.mock.live_server import running_mock
from tests.robustness.error_formats import Family, assert_error_format

FLIGHT = "DL5267GTRATL1608260204"


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    # Not "base_url": that fixture is pytest-base-url's, and its session-wide autouse check would request this one.
    with running_mock() as (base, _):
        yield base


def exchange(url: str, request: bytes) -> httpx.Response:
    """Send raw bytes, read until the server closes the connection, and parse the one response."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in header_lines]
    return httpx.Response(int(status_line.split(" ")[1]), headers=headers, content=body)


def head(method: str, path: str, credentials: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             "Transfer-Encoding: chunked", *(f"{name}: {value}" for name, value in credentials.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.mark.parametrize(("request_bytes", "family"), [
    (head("POST", "/v2/flight_sessions", GARUDA) + b"zz\r\n{}\r\n0\r\n\r\n", "garuda"),  # chunk size not hex
    (head("PUT", f"/subscriptions/{FLIGHT}", ALICE) + b"2\r\n{}}}\r\n0\r\n\r\n", "flightsayer"),  # overlong chunk
    (b"GET /v2/flight_sessions\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "control"),  # no path to tell the API by
], ids=["garuda-bad-chunk-size", "flightsayer-overlong-chunk", "broken-request-line"])
def test_a_request_the_server_cannot_parse_is_a_400_in_the_api_format(mock_url: str, request_bytes: bytes,
                                                                        family: Family) -> None:
    before = httpx.get(f"{mock_url}/_mock/state").json()
    response = exchange(mock_url, request_bytes)
    assert response.status_code == 400
    assert_error_format(response, family)
    assert "Invalid HTTP request" in response.text
    assert response.headers["connection"] == "close"
    assert int(response.headers["content-length"]) == len(response.content)
    assert httpx.get(f"{mock_url}/_mock/state").json() == before
    assert httpx.get(f"{mock_url}/v2/flight_sessions", headers=GARUDA).status_code == 200  # still serving
