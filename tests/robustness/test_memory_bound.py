"""A flood of requests to unknown paths and of failing requests does not grow the mock without bound: the journal
stays at its size and every cache on the request path stays at its bound.

RSS is measured and printed, not asserted tightly: allocators keep freed memory, so only a gross growth fails.
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.testclient import TestClient

from mock_server import validation
from mock_server.control.faults import MAX_PENDING
from tests.mock.conftest import ALICE, GARUDA
from tests.mock.live_server import running_mock
from tests.robustness.servers import rss_kib

FLOOD = int(os.environ.get("ROBUSTNESS_FLOOD_REQUESTS", "1000"))
JOURNAL_SIZE = 200
GROSS_GROWTH_KIB = 150 * 1024


def unknown_path(i: int) -> tuple[str, str, dict]:
    token = uuid.uuid4().hex * 4
    return ("GET", [f"/v2/{token}", f"/flights/v1/{token}/{i}", f"/{token}", f"/subscriptions/{token}/x"][i % 4],
            GARUDA)


def failing(i: int) -> tuple[str, str, dict]:
    token = uuid.uuid4().hex
    return [("GET", f"/v2/flight_sessions/{token}", GARUDA),  # 404, a new id each time
            ("GET", f"/v2/flight_sessions?deployment_id={token}x", GARUDA),  # 400
            ("GET", f"/flights/v1/search?departure_airport={token}", ALICE),  # 400
            ("GET", f"/flights/v1/status/{token}", {"Authorization": f"Token {token}"}),  # 401
            ("DELETE", f"/subscriptions/{token}", ALICE)][i % 5]  # 400


def test_a_flood_of_unknown_and_failing_requests_keeps_the_journal_at_its_bound() -> None:
    with running_mock(["--journal-size", str(JOURNAL_SIZE)]) as (base, process), \
            httpx.Client(base_url=base, timeout=10) as client:
        warm = [unknown_path(i) for i in range(200)] + [failing(i) for i in range(200)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda call: client.request(call[0], call[1], headers=call[2]).status_code, warm))
        before = rss_kib(process.pid)
        calls = [unknown_path(i) for i in range(FLOOD)] + [failing(i) for i in range(FLOOD)]
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda call: client.request(call[0], call[1], headers=call[2]).status_code,
                                     calls))
        after = rss_kib(process.pid)
        print(f"\nflood of {len(calls)} requests: RSS {before / 1024:.1f} MiB -> {after / 1024:.1f} MiB "
              f"({(after - before) / 1024:+.1f} MiB)")
        assert all(400 <= status < 500 for status in statuses), sorted(set(statuses))
        journal = client.get("/_mock/requests").json()
        assert len(journal["requests"]) == JOURNAL_SIZE == journal["size"]
        assert journal["dropped"] == len(warm) + len(calls) - JOURNAL_SIZE
        assert after - before < GROSS_GROWTH_KIB


def test_the_request_path_caches_stay_bounded_under_a_flood(client: TestClient) -> None:
    def sizes() -> tuple[int, int, int]:
        remembering = validation.RememberingResponseValidator
        return len(validation._PARAMETER_VALIDATORS), len(remembering._validators), len(remembering._valid)

    for i in range(50):  # every schema on the flood's path seen once
        for method, path, headers in (failing(i), unknown_path(i)):
            client.request(method, path, headers=headers)
        client.get("/v2/flight_sessions", headers=GARUDA)
        client.get("/flights/v1/search", params={"limit": 1 + i % 3}, headers=ALICE)
    settled = sizes()
    for i in range(500):
        for method, path, headers in (failing(i), unknown_path(i)):
            client.request(method, path, headers=headers)
    grown = sizes()
    assert grown[:2] == settled[:2]  # one validator per schema, not per request
    assert grown[2] <= validation.RememberingResponseValidator.MAX_REMEMBERED
    assert grown[2] - settled[2] <= 2  # a failing request's body is not a new distinct valid response


def test_pending_faults_are_bounded(client: TestClient) -> None:
    fault = {"operation": "searchFlights", "status": 503}
    for _ in range(MAX_PENDING):
        assert client.post("/_mock/faults", json=fault).status_code == 201
    refused = client.post("/_mock/faults", json=fault)
    assert refused.status_code == 400 and "pending" in refused.json()["detail"]
    assert client.delete("/_mock/faults").status_code == 204
