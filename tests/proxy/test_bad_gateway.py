"""An upstream that cannot be reached, or never answers, is a quick 502 in the API's own format, never a hang."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from conformance.bundled_mock import free_port
from mock_server.proxy import ProxyApp
from mock_server.proxy.forwarding import Timeouts
from tests.mock.conftest import ALICE, GARUDA
from tests.proxy.upstreams import StalledUpstream
from tests.serving import serving


@pytest.fixture
def stalled_url() -> Iterator[str]:
    upstream = StalledUpstream()
    with serving(upstream) as url:
        try:
            yield url
        finally:
            upstream.released.set()


def test_an_unreachable_upstream_is_a_fast_502_in_each_apis_format() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with TestClient(ProxyApp(nobody)) as client:
        started = time.monotonic()
        garuda = client.get("/v2/flight_sessions", headers=GARUDA)
        flightsayer = client.get("/flights/v1/search", headers=ALICE)
        elapsed = time.monotonic() - started
    assert (garuda.status_code, flightsayer.status_code) == (502, 502)
    assert garuda.json()["success"] is False and "upstream" in garuda.json()["message"]
    assert set(flightsayer.json()) == {"detail"}
    assert elapsed < 2


def test_an_upstream_that_never_answers_is_a_502_once_the_read_timeout_passes(stalled_url: str) -> None:
    with TestClient(ProxyApp(stalled_url, timeouts=Timeouts(connect=1, read=0.5))) as client:
        started = time.monotonic()
        response = client.get("/flights/v1/status/DL5267GTRATL1608260204", headers=ALICE)
        elapsed = time.monotonic() - started
    assert response.status_code == 502
    assert "ReadTimeout" in response.json()["detail"]
    assert 0.4 < elapsed < 3
