"""Measure what the validating proxy adds to each request, with and without its live checks, and whether their memory
makes it grow with traffic.

    python bench/proxy_latency.py [--rounds 100] [--volume 3000] [--memory-records 1000]

The mock and two proxies (live checks on, and ``--no-live-checks``) each run in their own process, on free 127.0.0.1
ports, and are stopped by PID. One keep-alive client:

1. Reads: sends each request of a fixed mix (one per reading operation kind: the Garuda list and get, Flightsayer
   status, search with 10 results, the subscription list) ``rounds`` times, each time direct, through the proxy
   without live checks and through the proxy with them, so all three see the same machine state.
2. Volume: sends ``volume`` requests of a writing mix (Garuda create, get, patch, list, delete, get again; a search,
   a status, a subscription put, get, list and delete, on a new flight each time) through the proxy with live
   checks, each round also sent direct (on its own sessions), and compares the first and the last 300 requests:
   what the live memory holds by then must not make a request slower. The proxy's resident memory is read from
   ``/proc`` (Linux) before and after.
3. Engine alone, in process (no sockets, so this shared machine's noise does not hide microseconds): the same
   writing mix as recorded exchanges, ``volume`` of them fed to a monitor remembering at most ``memory-records`` per
   caller; the time of each ``begin`` + ``finish``, first 300 against last 300, and what the memory holds.

Printed: p50/p99 per request kind and overall for each way, the differences, and the first/last comparison. A
benchmark to read, not a test: nothing fails on slow figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from conformance.bundled_mock import free_port, stop_process
from conformance.contract_validation import RecordedRequest, RecordedResponse
from conformance.live import MemoryLimits, TrafficMonitor

GARUDA = {"Authorization": "Bearer garuda-demo-token-acme", "X-API-Key": "garuda-demo-key-acme"}
ALICE = {"Authorization": "Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b"}
SESSION = "0b28db84d57ea15b5c26e5c3ffce67fc"
NEW_SESSION = {"deployment_id": "9703889c2bb4322025815ed1a0509eba",
               "flight_plan_id": "fc5583b754db73cc526a6ffa919d393a",
               "start_date_time": 1527469200000, "end_date_time": 1527479200000}
WINDOW = 300
WAYS = ("direct", "proxy, no live checks", "proxy, live checks")


def start(args: list[str], probe: str) -> subprocess.Popen[bytes]:
    """Start ``python -m args...`` and wait until ``probe`` answers."""
    process = subprocess.Popen([sys.executable, "-m", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(probe, timeout=1)
            return process
        except httpx.TransportError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    stop_process(process)
    raise RuntimeError(f"{' '.join(args)} did not start")


def rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MB, where /proc tells it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def requests_mix(client: httpx.Client, base: str) -> list[tuple[str, str, dict[str, str], dict[str, str | int]]]:
    """(kind, url, headers, params) of each read measured; the flight comes from the mock itself."""
    search = client.get(f"{base}/flights/v1/search", params={"limit": 1}, headers=ALICE).json()
    flight = search["results"][0]["flight"]["id"]
    return [
        ("listFlightSessions", "/v2/flight_sessions", GARUDA, {}),
        ("getFlightSession", f"/v2/flight_sessions/{SESSION}", GARUDA, {}),
        ("getFlightStatus", f"/flights/v1/status/{flight}", ALICE, {}),
        ("searchFlights (10 results)", "/flights/v1/search", ALICE, {"limit": 10}),
        ("listSubscriptions", "/subscriptions/", ALICE, {}),
    ]


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(send: Callable[[], httpx.Response], way: str, kind: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = send()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 500 or "x-contract-violations" in response.headers:
        raise RuntimeError(f"{way} {kind}: {response.status_code} {response.headers.get('x-contract-violations')}")
    return elapsed, response


def measure_reads(client: httpx.Client, bases: dict[str, str], rounds: int) -> dict[tuple[str, str], list[float]]:
    mix = requests_mix(client, bases["direct"])
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(3):  # warm every path (connections, caches)
        for _kind, path, headers, params in mix:
            for base in bases.values():
                client.get(base + path, headers=headers, params=params)
    for _ in range(rounds):
        for kind, path, headers, params in mix:
            for way, base in bases.items():
                elapsed, _ = timed(lambda b=base, p=path, h=headers, q=params: client.get(b + p, headers=h, params=q),
                                   way, kind)
                timings.setdefault((kind, way), []).append(elapsed)
                timings.setdefault(("all requests", way), []).append(elapsed)
    return timings


def writing_round(client: httpx.Client, base: str, flight: str, way: str) -> list[tuple[str, float]]:
    """One frontend's worth of writes and reads; (kind, ms) of each request."""
    out: list[tuple[str, float]] = []

    def send(kind: str, method: str, path: str, headers: dict[str, str], **options: Any) -> httpx.Response:
        elapsed, response = timed(lambda: client.request(method, base + path, headers=headers, **options), way, kind)
        out.append((kind, elapsed))
        return response

    created = send("createFlightSession", "POST", "/v2/flight_sessions", GARUDA, json=NEW_SESSION).json()["data"]
    one = f"/v2/flight_sessions/{created['flight_session_id']}"
    send("getFlightSession", "GET", one, GARUDA)
    send("updateFlightSession", "PATCH", one, GARUDA, json={"end_date_time": NEW_SESSION["end_date_time"] + 1})
    send("listFlightSessions", "GET", "/v2/flight_sessions", GARUDA)
    send("deleteFlightSession", "DELETE", one, GARUDA)
    send("getFlightSession (404)", "GET", one, GARUDA)
    send("searchFlights (10 results)", "GET", "/flights/v1/search", ALICE, params={"limit": 10})
    send("getFlightStatus", "GET", f"/flights/v1/status/{flight}", ALICE)
    send("putSubscription", "PUT", f"/subscriptions/{flight}", ALICE, json={"target": "https://example.com/hook"})
    send("getSubscription", "GET", f"/subscriptions/{flight}", ALICE)
    send("listSubscriptions", "GET", "/subscriptions/", ALICE)
    send("deleteSubscription", "DELETE", f"/subscriptions/{flight}", ALICE)
    return out


def measure_volume(client: httpx.Client, direct: str, proxied: str, volume: int) -> tuple[list[float], list[float]]:
    """(direct ms, proxied ms) of ``volume`` requests each way, in sending order."""
    flights = [r["flight"]["id"] for r in client.get(f"{direct}/flights/v1/search", params={"limit": 100},
                                                        headers=ALICE).json()["results"]]
    direct_ms: list[float] = []
    proxied_ms: list[float] = []
    round_number = 0
    while len(proxied_ms) < volume:
        flight = flights[round_number % len(flights)]
        direct_ms += [ms for _, ms in writing_round(client, direct, flight, "direct")]
        proxied_ms += [ms for _, ms in writing_round(client, proxied, flight, "proxied")]
        round_number += 1
    return direct_ms[:volume], proxied_ms[:volume]


def recorded_round(number: int) -> list[tuple[RecordedRequest, RecordedResponse]]:
    """The writing mix of :func:`writing_round` as recorded exchanges, with this round's own session and flight."""
    session_id, flight = f"{number:032x}", f"UA{1 + number % 9999}BOSSFO26060{1 + number // 9999 % 9}1200"
    session = {**NEW_SESSION, "flight_session_id": session_id, "company_id": "ca42ab884a633d6a823b45e6ebe9534c"}
    moment = f"2026-06-01T12:00:00.{number % 1_000_000:06d}Z"
    subscription = {"flight_id": flight, "target": "https://example.com/hook", "created": moment, "updated": moment}
    garuda, alice = list(GARUDA.items()), list(ALICE.items())

    def pair(method: str, path: str, headers: list[tuple[str, str]], status: int, answer: Any, query: str = "",
             sent: Any = None) -> tuple[RecordedRequest, RecordedResponse]:
        body = None if sent is None else json.dumps(sent).encode()
        return (RecordedRequest(method, path, query, headers, body),
                RecordedResponse(status, [("content-type", "application/json")],
                                 None if answer is None else json.dumps(answer).encode()))

    one, envelope = f"/v2/flight_sessions/{session_id}", {"success": True, "data": session}
    return [
        pair("POST", "/v2/flight_sessions", garuda, 200, envelope, sent=NEW_SESSION),
        pair("GET", one, garuda, 200, envelope),
        pair("PATCH", one, garuda, 200, envelope, sent={"end_date_time": NEW_SESSION["end_date_time"]}),
        pair("GET", "/v2/flight_sessions", garuda, 200, {"success": True, "data": [session]}),
        pair("DELETE", one, garuda, 200, envelope),
        pair("GET", one, garuda, 404, {"success": False, "message": "Not found"}),
        pair("GET", "/flights/v1/search", alice, 200, {"count": 0, "next": None, "previous": None, "results": []},
             "limit=10"),
        pair("PUT", f"/subscriptions/{flight}", alice, 201, subscription, sent={"target": subscription["target"]}),
        pair("GET", f"/subscriptions/{flight}", alice, 200, subscription),
        pair("GET", "/subscriptions/", alice, 200, {"count": 1, "next": None, "previous": None,
                                                    "results": [subscription]}),
        pair("DELETE", f"/subscriptions/{flight}", alice, 204, None),
    ]


def measure_engine(volume: int, memory_records: int) -> tuple[list[float], dict[str, int]]:
    """Microseconds of each exchange's begin + finish, in order, and what the monitor remembers at the end."""
    monitor = TrafficMonitor(limits=MemoryLimits(per_caller=memory_records))
    timings: list[float] = []
    clock, number = 0.0, 0
    while len(timings) < volume:
        for request, response in recorded_round(number):
            started = time.perf_counter_ns()
            violations = monitor.finish(monitor.begin(request, started=clock), response, ended=clock + 0.5)
            timings.append((time.perf_counter_ns() - started) / 1000)
            clock += 1
            if violations:
                raise RuntimeError(f"the engine flagged a correct exchange: {violations}")
        number += 1
    return timings[:volume], monitor.stats()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="times each read is sent each way (max 2000)")
    parser.add_argument("--volume", type=int, default=3000, help="requests of the writing mix (max 20000)")
    parser.add_argument("--memory-records", type=int, default=MemoryLimits.per_caller,
                        help="the live proxy's --memory-records")
    args = parser.parse_args(argv)
    rounds, volume = max(1, min(args.rounds, 2000)), max(2 * WINDOW, min(args.volume, 20000))
    ports = [free_port() for _ in WAYS]
    bases = {way: f"http://127.0.0.1:{port}" for way, port in zip(WAYS, ports, strict=True)}
    mock = start(["mock_server", "--port", str(ports[0])], f"{bases['direct']}/_mock/health")
    proxies: list[subprocess.Popen[bytes]] = []
    try:
        for way, extra in ((WAYS[1], ["--no-live-checks"]), (WAYS[2], ["--memory-records", str(args.memory_records)])):
            port = bases[way].rsplit(":", 1)[1]
            proxies.append(start(["mock_server.proxy", "--upstream", bases["direct"], "--port", port,
                                  "--log-level", "error", *extra], f"{bases[way]}/_mock/violations"))
        with httpx.Client(timeout=30) as client:
            reads = measure_reads(client, bases, rounds)
            rss_before = rss_mb(proxies[1].pid)
            direct_ms, proxied_ms = measure_volume(client, bases["direct"], bases[WAYS[2]], volume)
            rss_after = rss_mb(proxies[1].pid)
            journal = client.get(f"{bases[WAYS[2]]}/_mock/violations").json()
    finally:
        for process in proxies:
            stop_process(process)
        stop_process(mock)
    print_reads(reads, rounds)
    print_volume(direct_ms, proxied_ms, rss_before, rss_after, len(journal["violations"]))
    engine, stats = measure_engine(max(volume, 17 * args.memory_records), args.memory_records)  # 1.5x the cap
    print(f"\nengine alone, in process: {len(engine)} exchanges of the writing mix, at most {args.memory_records} "
          f"records per caller; microseconds per exchange")
    for name, part in (("first 300", slice(0, WINDOW)), ("last 300", slice(-WINDOW, None))):
        print(f"{name:18} p50 {percentile(engine[part], .5):7.1f}  p90 {percentile(engine[part], .9):7.1f}  "
              f"mean {statistics.fmean(engine[part]):7.1f}")
    print(f"remembered at the end: {stats}")
    return 0


def print_reads(timings: dict[tuple[str, str], list[float]], rounds: int) -> None:
    print(f"reads: {rounds} rounds of each request, each way; milliseconds")
    print(f"{'request':28} {'direct p50':>10} {'p99':>7} {'no live p50':>11} {'p99':>7} {'live p50':>9} {'p99':>7}"
          f" {'added p50 no live/live':>23}")
    kinds = [k for k in dict.fromkeys(k for k, _ in timings) if k != "all requests"] + ["all requests"]
    for kind in kinds:
        cells = [(percentile(timings[(kind, way)], .5), percentile(timings[(kind, way)], .99)) for way in WAYS]
        added = f"{cells[1][0] - cells[0][0]:.2f} / {cells[2][0] - cells[0][0]:.2f}"
        print(f"{kind:28} {cells[0][0]:10.2f} {cells[0][1]:7.2f} {cells[1][0]:11.2f} {cells[1][1]:7.2f} "
              f"{cells[2][0]:9.2f} {cells[2][1]:7.2f} {added:>23}")
    means = [statistics.fmean(timings[("all requests", way)]) for way in WAYS]
    print(f"mean added: {means[1] - means[0]:.2f} ms without live checks, {means[2] - means[0]:.2f} ms with them")


def print_volume(direct_ms: list[float], proxied_ms: list[float], rss_before: float | None,
                 rss_after: float | None, violations: int) -> None:
    print(f"\nvolume: {len(proxied_ms)} requests of the writing mix through the proxy with live checks "
          f"(and as many direct); milliseconds")
    print(f"{'window':18} {'direct p50':>10} {'p99':>7} {'proxied p50':>11} {'p99':>7} {'added p50':>9}")
    for name, part in (("first 300", slice(0, WINDOW)), ("last 300", slice(-WINDOW, None))):
        d, p = direct_ms[part], proxied_ms[part]
        print(f"{name:18} {percentile(d, .5):10.2f} {percentile(d, .99):7.2f} {percentile(p, .5):11.2f} "
              f"{percentile(p, .99):7.2f} {percentile(p, .5) - percentile(d, .5):9.2f}")
    if rss_before is not None and rss_after is not None:
        print(f"proxy RSS: {rss_before:.1f} MB before the volume, {rss_after:.1f} MB after")
    print(f"violations journaled: {violations}")


if __name__ == "__main__":
    raise SystemExit(main())
