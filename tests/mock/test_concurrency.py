"""Concurrent writers against a real server never lose an update or mint a duplicate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.mock.conftest import ALICE, BOB, GARUDA, new_session
from tests.mock.live_server import running_mock

WORKERS = 16


def test_concurrent_writes_keep_every_invariant() -> None:
    with running_mock() as (base, _), httpx.Client(base_url=base, timeout=10) as client:
        # Racing creates: every one stored, every id distinct.
        with ThreadPoolExecutor(WORKERS) as pool:
            made = list(pool.map(lambda i: client.post("/v2/flight_sessions", headers=GARUDA,
                                                       json=new_session(start_date_time=i)), range(64)))
        ids = [r.json()["data"]["flight_session_id"] for r in made]
        assert len(set(ids)) == 64

        # Disjoint-field PATCHes of one session: both survive.
        target = ids[0]
        url = f"/v2/flight_sessions/{target}"

        def patch(i: int) -> int:
            body = {"start_date_time": 1000 + i} if i % 2 else {"end_date_time": 10**12 + i}
            return client.patch(url, headers=GARUDA, json=body).status_code

        with ThreadPoolExecutor(WORKERS) as pool:
            assert set(pool.map(patch, range(64))) == {200}
        final = client.get(url, headers=GARUDA).json()["data"]
        assert final["start_date_time"] in {1000 + i for i in range(1, 64, 2)}
        assert final["end_date_time"] in {10**12 + i for i in range(0, 64, 2)}

        # Racing DELETEs of one session: exactly one succeeds.
        with ThreadPoolExecutor(WORKERS) as pool:
            statuses = list(pool.map(lambda _: client.delete(url, headers=GARUDA).status_code, range(16)))
        assert sorted(statuses) == [200] + [404] * 15

        # Racing PUTs of one new subscription: exactly one 201.
        flight_id = client.get("/flights/v1/search", headers=ALICE, params={"limit": 1}).json()["results"][0][
            "flight"]["id"]
        with ThreadPoolExecutor(WORKERS) as pool:
            puts = list(pool.map(lambda i: client.put(f"/subscriptions/{flight_id}", headers=ALICE,
                                                      json={"target": f"http://e.com/{i}"}).status_code, range(32)))
        assert sorted(puts) == [200] * 31 + [201]
        assert client.get("/subscriptions/", headers=ALICE).json()["count"] == 1
        assert client.get("/subscriptions/", headers=BOB).json()["count"] == 0
