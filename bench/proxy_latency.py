"""Measure what the validating proxy adds to each request: the same requests, direct to the mock and through the proxy.

    python bench/proxy_latency.py [--rounds 100]

The mock and the proxy each run in their own process (as in use), on free 127.0.0.1 ports, and are stopped by PID.
One keep-alive client sends each request of a fixed mix (one per operation kind that reads: the Garuda list and get,
Flightsayer status, search with 10 results, the subscription list) ``rounds`` times, alternating direct and proxied
so both see the same machine state. Printed: p50/p99 per request kind and overall, direct vs proxied, and the
difference. A benchmark to read, not a test: nothing fails on slow figures.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

import httpx

from conformance.bundled_mock import free_port, stop_process

GARUDA = {"Authorization": "Bearer garuda-demo-token-acme", "X-API-Key": "garuda-demo-key-acme"}
ALICE = {"Authorization": "Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b"}
SESSION = "0b28db84d57ea15b5c26e5c3ffce67fc"


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


def requests_mix(client: httpx.Client, base: str) -> list[tuple[str, str, dict[str, str], dict[str, str | int]]]:
    """(kind, url, headers, params) of each request measured; the flight comes from the mock itself."""
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="times each request is sent each way (max 2000)")
    args = parser.parse_args(argv)
    rounds = max(1, min(args.rounds, 2000))
    mock_port, proxy_port = free_port(), free_port()
    direct, proxied = f"http://127.0.0.1:{mock_port}", f"http://127.0.0.1:{proxy_port}"
    mock = start(["mock_server", "--port", str(mock_port)], f"{direct}/_mock/health")
    proxy = None
    try:
        proxy = start(["mock_server.proxy", "--upstream", direct, "--port", str(proxy_port), "--log-level", "error"],
                      f"{proxied}/_mock/violations")
        timings: dict[tuple[str, str], list[float]] = {}
        with httpx.Client(timeout=30) as client:
            mix = requests_mix(client, direct)
            for _ in range(3):  # warm both paths (connections, caches)
                for _kind, path, headers, params in mix:
                    client.get(direct + path, headers=headers, params=params)
                    client.get(proxied + path, headers=headers, params=params)
            for _ in range(rounds):
                for kind, path, headers, params in mix:
                    for way, base in (("direct", direct), ("proxied", proxied)):
                        started = time.perf_counter()
                        response = client.get(base + path, headers=headers, params=params)
                        elapsed = (time.perf_counter() - started) * 1000
                        if response.status_code != 200 or "x-contract-violations" in response.headers:
                            raise RuntimeError(f"{way} {kind}: {response.status_code} "
                                               f"{response.headers.get('x-contract-violations')}")
                        timings.setdefault((kind, way), []).append(elapsed)
                        timings.setdefault(("all requests", way), []).append(elapsed)
    finally:
        if proxy is not None:
            stop_process(proxy)
        stop_process(mock)
    print(f"{rounds} rounds of each request, each way; milliseconds")
    print(f"{'request':28} {'direct p50':>10} {'p99':>7} {'proxied p50':>11} {'p99':>7} {'added p50':>9} {'p99':>7}")
    kinds = [k for k in dict.fromkeys(k for k, _ in timings) if k != "all requests"] + ["all requests"]
    for kind in kinds:
        d, p = timings[(kind, "direct")], timings[(kind, "proxied")]
        d50, d99, p50, p99 = percentile(d, .5), percentile(d, .99), percentile(p, .5), percentile(p, .99)
        print(f"{kind:28} {d50:10.2f} {d99:7.2f} {p50:11.2f} {p99:7.2f} {p50 - d50:9.2f} {p99 - d99:7.2f}")
    everything = ("all requests", "proxied"), ("all requests", "direct")
    added = statistics.fmean(timings[everything[0]]) - statistics.fmean(timings[everything[1]])
    print(f"mean added: {added:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
