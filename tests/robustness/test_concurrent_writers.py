"""Racing writers against a real uvicorn, beyond tests/mock/test_concurrency.py: two tenants at once, every write
kind racing reads and deletes, with injected jitter so requests overlap in the server. Nothing is lost, minted
twice, leaked across tenants, or answered with a 5xx."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.mock.conftest import (
    ALICE,
    BOB,
    GARUDA,
    GARUDA_OTHER,
    OTHER_COMPANY_DEPLOYMENT,
    OTHER_COMPANY_PLAN,
    OTHER_DEPLOYMENT_OF_ACME,
    new_session,
)
from tests.mock.live_server import running_mock

WORKERS = 24
SESSIONS = "/v2/flight_sessions"


@pytest.fixture(scope="module")
def live() -> Iterator[httpx.Client]:
    started = time.monotonic()
    with running_mock() as (base, _), httpx.Client(base_url=base, timeout=15,
                                                   limits=httpx.Limits(max_connections=WORKERS)) as client:
        assert client.put("/_mock/latency", json={"min_ms": 0, "max_ms": 15}).status_code == 200
        yield client
    assert time.monotonic() - started < 30


@pytest.fixture
def fresh(live: httpx.Client) -> httpx.Client:
    assert live.post("/_mock/reset", json={}).status_code == 200
    return live


def race(calls: list, *, workers: int = WORKERS) -> list[httpx.Response]:
    with ThreadPoolExecutor(workers) as pool:
        responses = list(pool.map(lambda call: call(), calls))
    assert not [r for r in responses if r.status_code >= 500], "5xx under concurrency"
    return responses


def test_two_tenants_creating_at_once_each_see_exactly_their_own(fresh: httpx.Client) -> None:
    other = new_session(deployment_id=OTHER_COMPANY_DEPLOYMENT, flight_plan_id=OTHER_COMPANY_PLAN)
    before = {name: len(fresh.get(SESSIONS, headers=h).json()["data"]) for name, h in (("a", GARUDA),
                                                                                       ("b", GARUDA_OTHER))}
    calls = [(lambda i=i: fresh.post(SESSIONS, headers=GARUDA, json=new_session(start_date_time=i)))
             for i in range(40)]
    calls += [(lambda i=i: fresh.post(SESSIONS, headers=GARUDA_OTHER, json={**other, "start_date_time": i}))
              for i in range(40)]
    made = race(calls)
    assert {r.status_code for r in made} == {200}
    ids = [r.json()["data"]["flight_session_id"] for r in made]
    assert len(set(ids)) == 80
    mine = {s["flight_session_id"] for s in fresh.get(SESSIONS, headers=GARUDA).json()["data"]}
    theirs = {s["flight_session_id"] for s in fresh.get(SESSIONS, headers=GARUDA_OTHER).json()["data"]}
    assert set(ids[:40]) <= mine and set(ids[40:]) <= theirs and not mine & theirs
    assert (len(mine), len(theirs)) == (before["a"] + 40, before["b"] + 40)


def test_patches_of_four_disjoint_fields_all_land(fresh: httpx.Client) -> None:
    session = fresh.post(SESSIONS, headers=GARUDA, json=new_session(start_date_time=10, end_date_time=10**12)
                         ).json()["data"]
    url = f"{SESSIONS}/{session['flight_session_id']}"
    bodies = [{"start_date_time": 100 + i} for i in range(15)] + [{"end_date_time": 10**12 + i} for i in range(15)]
    bodies += [{"deployment_id": OTHER_DEPLOYMENT_OF_ACME}] * 15 + [{"flight_plan_id": session["flight_plan_id"]}] * 15
    statuses = Counter(r.status_code for r in race([(lambda b=b: fresh.patch(url, headers=GARUDA, json=b))
                                                    for b in bodies]))
    assert statuses == {200: 60}
    final = fresh.get(url, headers=GARUDA).json()["data"]
    assert final["start_date_time"] in range(100, 115) and final["end_date_time"] in range(10**12, 10**12 + 15)
    assert final["deployment_id"] == OTHER_DEPLOYMENT_OF_ACME


def test_deletes_racing_reads_and_patches_succeed_exactly_once(fresh: httpx.Client) -> None:
    session = fresh.post(SESSIONS, headers=GARUDA, json=new_session()).json()["data"]
    url = f"{SESSIONS}/{session['flight_session_id']}"
    calls = [(lambda: fresh.delete(url, headers=GARUDA))] * 12
    calls += [(lambda: fresh.get(url, headers=GARUDA))] * 12 + [(lambda: fresh.patch(url, headers=GARUDA,
                                                                                      json={}))] * 12
    responses = race(calls)
    deletes = Counter(r.status_code for r in responses[:12])
    assert deletes == {200: 1, 404: 11}
    assert {r.status_code for r in responses[12:]} <= {200, 404}
    assert fresh.get(url, headers=GARUDA).status_code == 404


def test_subscription_puts_of_two_users_make_one_subscription_each(fresh: httpx.Client) -> None:
    flight = fresh.get("/flights/v1/search", params={"limit": 1}, headers=ALICE).json()["results"][0]["flight"]["id"]
    url = f"/subscriptions/{flight}"
    calls = [(lambda i=i, who=who: fresh.put(url, headers=who, json={"target": f"http://e.com/{i}"}))
             for i in range(20) for who in (ALICE, BOB)]
    statuses = Counter(r.status_code for r in race(calls))
    assert statuses == {201: 2, 200: 38}
    for who in (ALICE, BOB):
        assert fresh.get("/subscriptions/", headers=who).json()["count"] == 1
    deletes = Counter(r.status_code for r in race([(lambda: fresh.delete(url, headers=ALICE))] * 16))
    assert deletes == {204: 1, 404: 15}
    assert fresh.get(url, headers=BOB).status_code == 200  # bob's survives alice's deletes


def test_resets_and_imports_racing_traffic_never_answer_5xx(fresh: httpx.Client) -> None:
    snapshot = fresh.get("/_mock/state").json()
    calls = [(lambda: fresh.post("/_mock/reset", json={}))] * 5
    calls += [(lambda: fresh.put("/_mock/state", json=snapshot))] * 5
    calls += [(lambda i=i: fresh.post(SESSIONS, headers=GARUDA, json=new_session(start_date_time=i)))
              for i in range(30)]
    calls += [(lambda: fresh.get("/flights/v1/search", headers=ALICE))] * 30
    responses = race(calls)
    assert {r.status_code for r in responses} == {200}
