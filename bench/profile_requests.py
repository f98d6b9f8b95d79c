"""Where a request's time goes, in process: no server, no sockets, just the ASGI app called in a loop.

    python bench/profile_requests.py [--requests 3000] [--profile SCENARIO] [--sort tottime|cumulative]

Prints microseconds per request for each read and write scenario through the mock (fast path on and off) and through
the floor (a bare Starlette app answering the same bytes), so the app's own cost is seen apart from the server's. With
``--profile`` it prints cProfile's top functions for one scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.simplefilter("ignore")

from floor_app import build as build_floor  # noqa: E402

from mock_server.app import create_app  # noqa: E402

GARUDA = [(b"authorization", b"Bearer garuda-demo-token-acme"), (b"x-api-key", b"garuda-demo-key-acme")]
SESSION_BODY = (b'{"deployment_id": "9703889c2bb4322025815ed1a0509eba", "flight_plan_id": '
                b'"fc5583b754db73cc526a6ffa919d393a", "start_date_time": 1527469200000, '
                b'"end_date_time": 1527479200000}')
FLIGHTSAYER = [(b"authorization", b"Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b")]


def scope(path: str, headers: list[tuple[bytes, bytes]], method: str = "GET", body: bytes = b"") -> dict:
    path, _, query = path.partition("?")
    if body:
        headers = [*headers, (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8080), "profile.body": body}


async def call(app: Callable, request: dict) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": request["profile.body"], "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(dict(request), receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def per_request_us(app: Callable, request: dict, count: int) -> float:
    for _ in range(50):
        await call(app, request)
    started = time.perf_counter()
    for _ in range(count):
        await call(app, request)
    return (time.perf_counter() - started) / count * 1e6


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", help="scenario name to profile (e.g. 'status')")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    args = parser.parse_args(argv)
    fast, slow = create_app(), create_app(fast_path=False)
    _, found = await call(fast, scope("/flights/v1/search?limit=1", FLIGHTSAYER))
    flight_id = found.split(b'"id":"')[1].split(b'"')[0].decode()
    scenarios = {
        "Garuda list": scope("/v2/flight_sessions", GARUDA),
        "status": scope(f"/flights/v1/status/{flight_id}", FLIGHTSAYER),
        "search": scope("/flights/v1/search?departure_airport=ATL&limit=20", FLIGHTSAYER),
        # Writes: the same subscription replaced, and new sessions (the store grows by one per request).
        "PUT subscription": scope(f"/subscriptions/{flight_id}", FLIGHTSAYER, "PUT",
                                  b'{"target": "http://127.0.0.1:9/hook"}'),
        "POST session": scope("/v2/flight_sessions", GARUDA, "POST", SESSION_BODY),
    }
    print(f"| scenario | fast path µs | connexion µs | floor µs | ({args.requests} requests in process) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, request in scenarios.items():
        status, body = await call(fast, request)
        assert status in (200, 201), (name, status, body[:200])
        floor = build_floor(body)
        figures = [await per_request_us(app, request, args.requests) for app in (fast, slow, floor)]
        print(f"| {name} | {figures[0]:.0f} | {figures[1]:.0f} | {figures[2]:.0f} | |")
    if args.profile:
        request = scenarios[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            await call(fast, request)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
