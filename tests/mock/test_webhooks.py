"""Push notifications: the right FlightStatus to every subscriber, retried, in order, then the subscription retired;
unsafe targets refused; the log bounded. Real HTTP to a receiver on a free 127.0.0.1 port."""

from __future__ import annotations

import asyncio
import contextlib
import io
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from mock_server.flights import FlightCatalog, load_catalog
from mock_server.flightsayer.subscriptions import SubscriptionStore
from mock_server.receiver import ReceivedRequest, Receiver, summarise
from mock_server.simulation import FlightSimulator
from mock_server.simulation.transitions import SCHEDULED, phase
from mock_server.webhooks import DeliveryLog, DeliveryWorker, ResolvedTarget, TargetPolicy, TargetRefused
from mock_server.webhooks.host_pools import HostPools

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"
BOUND = 20  # seconds any wait may take before the test fails instead of hanging


@contextmanager
def receiving(answer: Callable[[ReceivedRequest], int] = lambda _request: 204) -> Iterator[tuple[str, Receiver]]:
    """A webhook receiver on a free 127.0.0.1 port (uvicorn in a thread), stopped afterwards."""
    receiver = Receiver(out=None, answer=answer)
    server = uvicorn.Server(uvicorn.Config(receiver, host="127.0.0.1", port=0, log_level="error", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + BOUND
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the receiver did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", receiver
    finally:
        server.should_exit = True
        thread.join(timeout=BOUND)


@pytest.fixture(scope="module")
def catalog() -> FlightCatalog:
    """The bundled catalog, for tests that only read it."""
    return load_catalog(FIXTURES)


@pytest.fixture
def simulator() -> FlightSimulator:
    return FlightSimulator(load_catalog(FIXTURES))


def waiting_flights(simulator: FlightSimulator, count: int) -> list[str]:
    catalog = simulator.catalog
    return [f for f in catalog.flight_ids() if phase(catalog.realtime(f)) == SCHEDULED][-count:]


def run(coroutine) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, BOUND))


class RecordedSleep:
    """Stands in for asyncio.sleep: remembers the backoff asked for and does not wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


async def delivered(worker: DeliveryWorker, act: Callable[[], None]) -> None:
    await worker.start()
    try:
        act()
        await worker.drain()
    finally:
        await worker.stop()


def test_every_subscriber_gets_the_flights_full_status_and_nobody_else_gets_anything(simulator) -> None:
    subscribed, other = waiting_flights(simulator, 2)
    store = SubscriptionStore()
    with receiving() as (base, receiver):
        store.put("alice", subscribed, f"{base}/alice")
        store.put("bob", subscribed, f"{base}/bob?x=1")
        store.put("carol", other, f"{base}/carol")
        store.delete("carol", other)
        worker = DeliveryWorker(store, grace=0)
        simulator.add_listener(worker.notify)
        statuses = []
        run(delivered(worker, lambda: statuses.extend([simulator.force(subscribed, "delay", minutes=20),
                                                      simulator.force(other, "delay", minutes=20)])))
    assert sorted(r.path for r in receiver.received) == ["/alice", "/bob"]
    for request in receiver.received:
        assert request.method == "POST"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["host"] == base.removeprefix("http://")
        assert request.json() == statuses[0]
        assert request.json()["flight"]["id"] == subscribed
    assert {(e["username"], e["outcome"], e["status"], e["attempt"]) for e in worker.deliveries()} == \
        {("alice", "delivered", 204, 1), ("bob", "delivered", 204, 1)}


def test_failed_posts_are_retried_with_exponential_backoff_until_one_succeeds(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    sleep = RecordedSleep()
    codes = iter([500, 503, 204])
    with receiving(lambda _request: next(codes)) as (base, receiver):
        store.put("alice", flight_id, f"{base}/hook")
        worker = DeliveryWorker(store, attempts=4, backoff=0.25, backoff_factor=2, sleep=sleep, grace=0)
        simulator.add_listener(worker.notify)
        run(delivered(worker, lambda: simulator.force(flight_id, "delay", minutes=10)))
    assert len(receiver.received) == 3
    assert len({r.body for r in receiver.received}) == 1  # the same notification each time
    log = worker.deliveries()
    assert [(e["attempt"], e["status"], e["outcome"], e["final"]) for e in log] == \
        [(1, 500, "failed", False), (2, 503, "failed", False), (3, 204, "delivered", True)]
    assert log[0]["error"] == "HTTP 500" and all(e["latency_ms"] >= 0 for e in log)
    assert sleep.delays == [0.25, 0.5]


def test_a_notification_is_given_up_after_the_last_attempt_and_the_next_one_still_goes(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    codes = iter([500, 500, 204])
    with receiving(lambda _request: next(codes)) as (base, receiver):
        store.put("alice", flight_id, f"{base}/hook")
        worker = DeliveryWorker(store, attempts=2, sleep=RecordedSleep(), grace=0)
        simulator.add_listener(worker.notify)
        run(delivered(worker, lambda: [simulator.force(flight_id, "delay", minutes=m) for m in (10, 20)]))
    log = worker.deliveries()
    assert [(e["attempt"], e["status"], e["final"]) for e in log] == [(1, 500, False), (2, 500, True), (1, 204, True)]
    delays = [r.json()["status"]["departure"]["latest"] for r in receiver.received]
    assert delays[0] == delays[1] != delays[2]


def test_order_per_subscription_holds_under_retries_while_subscriptions_run_in_parallel(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    seen: set[tuple[str, bytes]] = set()

    def fail_each_first_try(request: ReceivedRequest) -> int:
        key = (request.path, request.body)
        if key in seen:
            return 204
        seen.add(key)
        return 500

    with receiving(fail_each_first_try) as (base, receiver):
        users = [f"user{i}" for i in range(5)]
        for user in users:
            store.put(user, flight_id, f"{base}/{user}")
        worker = DeliveryWorker(store, attempts=3, sleep=RecordedSleep(), concurrency=3, grace=0)
        simulator.add_listener(worker.notify)
        sent: list[str] = []

        def burst() -> None:
            for minutes in range(1, 8):
                sent.append(simulator.force(flight_id, "delay", minutes=minutes)["status"]["departure"]["latest"])

        run(delivered(worker, burst))
    for user in users:
        attempts = [json.loads(r.body)["status"]["departure"]["latest"] for r in receiver.received
                    if r.path == f"/{user}"]
        # each notification: the first try fails, the retry succeeds, and only then is the next one sent
        assert attempts[::2] == sent and attempts[1::2] == sent


def test_the_subscription_is_deleted_after_the_final_notification(simulator) -> None:
    landing, cancelled = waiting_flights(simulator, 2)
    store = SubscriptionStore()
    with receiving() as (base, receiver):
        store.put("alice", landing, f"{base}/landing")
        store.put("bob", landing, f"{base}/landing-bob")
        store.put("alice", cancelled, f"{base}/cancelled")
        worker = DeliveryWorker(lambda: store, grace=0)
        simulator.add_listener(worker.notify)

        async def scenario() -> None:
            await worker.start()
            try:
                simulator.force(landing, "departure")
                simulator.force(cancelled, "delay", minutes=30)
                await worker.drain()
                assert store.get("alice", landing) and store.get("bob", landing) and store.get("alice", cancelled)
                simulator.advance(timedelta(hours=1))
                simulator.force(landing, "arrival")
                simulator.force(cancelled, "cancellation")
                await worker.drain()
            finally:
                await worker.stop()

        run(scenario())
    assert store.get("alice", landing) is None and store.get("bob", landing) is None
    assert store.get("alice", cancelled) is None
    finals = [r.json() for r in receiver.received if r.path in ("/landing", "/cancelled")][-2:]
    assert {f["status"]["arrival"]["type"] for f in finals if not f["status"]["cancelled"]} == {"actual"}
    assert any(f["status"]["cancelled"] for f in finals)


def test_a_link_local_target_is_refused_and_logged_not_attempted(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    store.put("mallory", flight_id, "http://169.254.169.254/latest/meta-data/")
    store.put("trent", flight_id, "http://metadata.google.internal/computeMetadata/v1/")
    worker = DeliveryWorker(store, grace=0)
    simulator.add_listener(worker.notify)
    run(delivered(worker, lambda: simulator.force(flight_id, "delay", minutes=5)))
    log = worker.deliveries()
    assert sorted((e["username"], e["outcome"], e["attempt"], e["status"]) for e in log) == \
        [("mallory", "refused", 0, None), ("trent", "refused", 0, None)]
    assert all("policy" in e["error"] for e in log)


def test_the_delivery_log_keeps_only_the_latest_attempts(simulator) -> None:
    log = DeliveryLog(size=3)
    for attempt in range(1, 6):
        log.record("alice", "F", "http://x", attempt=attempt, outcome="failed", status=500)
    assert [e["attempt"] for e in log.entries()] == [3, 4, 5] and len(log) == 3
    with pytest.raises(ValueError):
        DeliveryLog(size=0)

    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    with receiving() as (base, _receiver):
        store.put("alice", flight_id, f"{base}/hook")
        worker = DeliveryWorker(store, log=DeliveryLog(size=2), grace=0)
        simulator.add_listener(worker.notify)
        run(delivered(worker, lambda: [simulator.force(flight_id, "delay", minutes=m) for m in (1, 2, 3, 4)]))
    assert len(worker.deliveries()) == 2


def test_notify_never_waits_and_changes_before_start_are_delivered_after_it(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    with receiving() as (base, receiver):
        store.put("alice", flight_id, f"{base}/hook")
        worker = DeliveryWorker(store, grace=0)
        status = simulator.force(flight_id, "delay", minutes=5)
        worker.notify(flight_id, status)  # no loop, no worker running: only queued

        async def later() -> None:
            await worker.start()
            try:
                await worker.drain()
            finally:
                await worker.stop()

        run(later())
    assert [r.json() for r in receiver.received] == [status]


# -- the target policy -------------------------------------------------------------------------------------------

def resolve(policy: TargetPolicy, url: str):
    return asyncio.run(policy.resolve(url))


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
    "http://metadata.google.internal/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:9000/", "ftp://x/",
])
def test_the_default_policy_refuses_link_local_and_metadata_targets(url: str) -> None:
    with pytest.raises(TargetRefused):
        resolve(TargetPolicy(), url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hook", "http://[::1]:9000/", "http://10.1.2.3/",
                                 "http://192.168.0.10:8080/", "https://172.16.0.1/", "http://8.8.8.8/"])
def test_the_default_policy_allows_loopback_private_and_public_addresses(url: str) -> None:
    target = resolve(TargetPolicy(), url)
    assert ipaddress.ip_address(target.address)


def test_allow_rules_widen_or_narrow_the_defaults() -> None:
    lab = TargetPolicy.from_args(["169.254.10.0/24"])
    assert resolve(lab, "http://169.254.10.7/").address == "169.254.10.7"
    with pytest.raises(TargetRefused):
        resolve(lab, "http://169.254.169.254/")
    loopback_only = TargetPolicy.from_args(["127.0.0.0/8,::1", "!*"])
    assert resolve(loopback_only, "http://127.0.0.1:9000/").address == "127.0.0.1"
    for url in ("http://10.0.0.1/", "http://8.8.8.8/"):
        with pytest.raises(TargetRefused):
            resolve(loopback_only, url)
    no_lan = TargetPolicy.from_args(["!10.0.0.0/8", "!.corp.example"])
    with pytest.raises(TargetRefused):
        resolve(no_lan, "http://10.9.9.9/")
    with pytest.raises(TargetRefused):
        resolve(no_lan, "http://hooks.corp.example/")
    with pytest.raises(ValueError):
        TargetPolicy.from_args(["!"])


def test_host_names_are_resolved_checked_and_pinned_to_the_checked_address(monkeypatch) -> None:
    answers = {"rebind.test": ["93.184.216.34", "169.254.169.254"], "good.test": ["127.0.0.1"]}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(TargetRefused, match=r"169\.254\.169\.254"):
        resolve(TargetPolicy(), "http://rebind.test/hook")
    target = resolve(TargetPolicy(), "http://good.test:8080/hook?a=1")
    assert target.connect_url == "http://127.0.0.1:8080/hook?a=1"
    assert target.host_header == "good.test:8080" and target.hostname == "good.test"


def test_a_remembered_address_verdict_still_answers_each_urls_own_path_and_refusals_are_never_remembered() -> None:
    policy = TargetPolicy()

    async def twice() -> list[str]:
        return [(await policy.resolve(url)).connect_url
                for url in ("http://127.0.0.1:9000/a?x=1", "http://127.0.0.1:9000/b", "http://127.0.0.1:9000/a?x=1")]

    assert asyncio.run(twice()) == ["http://127.0.0.1:9000/a?x=1", "http://127.0.0.1:9000/b",
                                    "http://127.0.0.1:9000/a?x=1"]
    for _ in range(2):
        with pytest.raises(TargetRefused):
            resolve(policy, "http://169.254.169.254/latest/")


# -- the receiver ------------------------------------------------------------------------------------------------

def test_the_receiver_prints_each_post_and_answers_204(catalog) -> None:
    out = io.StringIO()
    receiver = Receiver(out=out)
    flight_id = catalog.flight_ids()[0]

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(receiver), base_url="http://receiver") as client:
            return await client.post("/hook", json=catalog.status(flight_id))

    response = run(post())
    assert response.status_code == 204
    assert out.getvalue().startswith(f"POST /hook -> 204: {flight_id} departure ")
    assert summarise({"nope": 1}) == "not a FlightStatus"



def test_notify_may_come_from_another_thread(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    with receiving() as (base, receiver):
        store.put("alice", flight_id, f"{base}/hook")
        worker = DeliveryWorker(store, grace=0)
        status = simulator.force(flight_id, "delay", minutes=5)

        async def from_a_thread() -> None:
            await worker.start()
            try:
                await asyncio.to_thread(worker.notify, flight_id, status)
                while not receiver.received:  # bounded by run()'s timeout
                    await asyncio.sleep(0.01)
                await worker.drain()
            finally:
                await worker.stop()

        run(from_a_thread())
    assert [r.json() for r in receiver.received] == [status]


def test_a_target_that_stays_down_keeps_at_most_max_pending_notifications(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    store.put("alice", flight_id, "http://127.0.0.1:9/hook")
    blocked = asyncio.Event()

    async def never_returns(_seconds: float) -> None:
        await blocked.wait()  # the first failed attempt's backoff never ends: the target stays down

    async def flood() -> tuple[int, list[dict]]:
        worker = DeliveryWorker(store, attempts=10, sleep=never_returns, grace=0, max_pending=5)
        await worker.start()
        try:
            status = simulator.catalog.status(flight_id)
            for _ in range(200):
                worker.notify(flight_id, status)
                await asyncio.sleep(0)
            for _ in range(50):  # let the dispatcher fan everything out
                await asyncio.sleep(0.01)
            return worker.pending("alice", flight_id), worker.deliveries()
        finally:
            blocked.set()
            await worker.stop()

    pending, log = run(flood())
    assert pending == 5
    dropped = [e for e in log if e["outcome"] == "dropped"]
    assert len(dropped) == 195  # one in flight and four waiting kept; every other one dropped, and logged


# -- a pool per target host --------------------------------------------------------------------------------------

class HangingHost:
    """A target that accepts connections and reads, and never answers: counts how many connections it holds."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> str:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            with contextlib.suppress(ConnectionError):
                await reader.read()  # until the worker gives up and closes
            writer.close()

        self.server = await asyncio.start_server(hold, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *_exc: object) -> None:
        assert self.server is not None
        self.server.close()


def test_a_hanging_host_holds_only_its_own_slots_and_the_other_hosts_are_served_meanwhile(simulator) -> None:
    flight_id, = waiting_flights(simulator, 1)
    store = SubscriptionStore()
    hanging = HangingHost()
    with receiving() as (base, receiver):
        async def scenario() -> tuple[float, int, list[dict]]:
            async with hanging as stuck:
                for i in range(4):
                    store.put(f"stuck{i}", flight_id, f"{stuck}/hook/{i}")
                for i in range(4):
                    store.put(f"fine{i}", flight_id, f"{base}/hook/{i}")
                worker = DeliveryWorker(store, per_host=2, concurrency=3, timeout=2, attempts=1, grace=0)
                simulator.add_listener(worker.notify)
                await worker.start()
                started = time.monotonic()
                try:
                    simulator.force(flight_id, "delay", minutes=5)
                    while len(receiver.received) < 4:  # bounded by run()'s timeout
                        await asyncio.sleep(0.01)
                    served_after = time.monotonic() - started
                    held = hanging.connections
                    await worker.drain()
                finally:
                    await worker.stop()
                return served_after, held, worker.deliveries()

        served_after, held, log = run(scenario())
    assert served_after < 1.5  # well before the hanging host's first timeout (2 s)
    assert held == 2  # per_host: the hanging host never got a third connection
    assert {(e["username"].rstrip("0123456789"), e["outcome"]) for e in log} == \
        {("fine", "delivered"), ("stuck", "failed")}
    assert all("Timeout" in e["error"] for e in log if e["outcome"] == "failed")


def test_pools_no_request_uses_are_closed_beyond_the_bound_of_idle_hosts() -> None:
    with receiving() as (first, _), receiving() as (second, receiver):
        async def scenario() -> list[int]:
            pools = HostPools(per_host=2, total=4, timeout=5, user_agent="test", max_idle_hosts=1)
            policy = TargetPolicy()
            try:
                sizes = []
                for url in (f"{first}/a", f"{second}/b", f"{second}/c"):
                    answer = await pools.post(await policy.resolve(url), b"{}", {"Content-Type": "application/json"})
                    assert answer.status == 204 and answer.error is None
                    sizes.append(len(pools))
                return sizes
            finally:
                await pools.close()

        assert run(scenario()) == [1, 1, 1]
    assert [r.path for r in receiver.received] == ["/b", "/c"]


def test_an_https_target_is_reached_at_the_checked_address_and_verified_against_its_own_host_name() -> None:
    heads: list[bytes] = []

    async def scenario() -> tuple[Any, Any]:
        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            heads.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
            writer.close()

        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_tls.load_cert_chain(TLS / "hooks.test.pem", TLS / "hooks.test.key")
        server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=server_tls)
        port = server.sockets[0].getsockname()[1]
        # hooks.test "resolves" to the checked loopback address, as the policy would pin it
        pinned = ResolvedTarget(f"https://hooks.test:{port}/hook", f"https://127.0.0.1:{port}/hook",
                                f"hooks.test:{port}", "hooks.test", "127.0.0.1", "https", port)
        trusting = HostPools(per_host=1, total=1, timeout=5, user_agent="test",
                             tls=ssl.create_default_context(cafile=TLS / "hooks.test.pem"))
        default = HostPools(per_host=1, total=1, timeout=5, user_agent="test")
        try:
            return (await trusting.post(pinned, b"{}", {"Host": pinned.host_header}),
                    await default.post(pinned, b"{}", {"Host": pinned.host_header}))
        finally:
            await trusting.close()
            await default.close()
            server.close()

    trusted, untrusted = run(scenario())
    assert trusted.status == 204 and trusted.error is None
    assert b"\r\nHost: hooks.test:" in heads[0]
    assert untrusted.status is None and "certificate verify failed" in untrusted.error  # the CA bundle, not ours
