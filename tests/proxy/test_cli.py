"""``python -m mock_server.proxy`` serves the proxy on a real port in front of a real mock server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from conformance.bundled_mock import free_port
from mock_server.app import MockApp
from mock_server.proxy.cli import build_parser
from tests.mock.conftest import GARUDA
from tests.robustness.error_formats import Family, assert_error_format
from tests.robustness.test_malformed_http import exchange, head
from tests.serving import serving


@pytest.fixture
def proxy_url(mock: MockApp) -> Iterator[str]:
    with serving(mock) as upstream:
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "mock_server.proxy", "--upstream", upstream, "--port",
                                    str(port), "--strict"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(url + "/_mock/violations", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("the proxy did not start") from None
                    time.sleep(0.1)
            yield url
        finally:
            os.kill(process.pid, signal.SIGTERM)
            process.communicate(timeout=10)


def test_the_command_line_proxy_forwards_over_http_and_refuses_bad_requests_when_strict(proxy_url: str) -> None:
    good = httpx.get(proxy_url + "/v2/flight_sessions", headers=GARUDA)
    assert good.status_code == 200 and "x-contract-violations" not in good.headers
    bad = httpx.post(proxy_url + "/v2/flight_sessions", json={"deployment_id": "nope"}, headers=GARUDA)
    assert bad.status_code == 400 and bad.json()["success"] is False
    assert json.loads(bad.headers["x-contract-violations"])[0]["side"] == "request"
    journal = httpx.get(proxy_url + "/_mock/violations").json()
    assert [v["blame"] for v in journal["violations"]] == ["frontend"]


def test_the_upstream_must_be_an_absolute_http_url() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--upstream", "localhost:8080"])


def test_the_command_line_proxy_refuses_a_foreign_host_before_forwarding(proxy_url: str) -> None:
    refused = httpx.get(proxy_url + "/v2/flight_sessions", headers={**GARUDA, "Host": "evil.example"})
    assert refused.status_code == 421
    assert_error_format(refused, "garuda")
    assert "--allowed-host" in refused.json()["message"]
    assert httpx.get(proxy_url + "/_mock/violations").json()["violations"] == []  # nothing was forwarded or judged


@pytest.mark.parametrize(("request_bytes", "family"), [
    (head("POST", "/v2/flight_sessions", GARUDA) + b"zz\r\n{}\r\n0\r\n\r\n", "garuda"),  # chunk size not hex
    (b"GET /flights/v1/search\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "control"),  # no path to tell the API by
], ids=["garuda-bad-chunk-size", "broken-request-line"])
def test_the_command_line_proxy_answers_malformed_http_in_the_apis_format(proxy_url: str, request_bytes: bytes,
                                                                          family: Family) -> None:
    response = exchange(proxy_url, request_bytes)
    assert response.status_code == 400
    assert_error_format(response, family)
    assert response.headers["connection"] == "close"
    assert httpx.get(proxy_url + "/v2/flight_sessions", headers=GARUDA).status_code == 200  # still serving
