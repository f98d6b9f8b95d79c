"""Measure webhook delivery: one burst of flight changes fanned out to many subscriptions, against a local receiver.

    python bench/webhooks.py [--subscriptions 1000] [--changes 1] [--concurrency 64] [--receivers 1]

The receiver runs in its own process (so it does not share the worker's interpreter lock), on a socket this script
binds to a free 127.0.0.1 port and hands over; it answers 204 and notes each POST's arrival time. Latency is
event -> POST: from the ``notify`` call for a change to the receiver reading that POST (both wall clocks of this
machine). Deliveries/s counts acknowledged POSTs over the time from the first notify to the last arrival. The
receiver is stopped by its PID; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.bundled_mock import stop_process  # noqa: E402
from mock_server.flights import load_catalog  # noqa: E402
from mock_server.flightsayer.subscriptions import SubscriptionStore  # noqa: E402
from mock_server.simulation import FlightSimulator  # noqa: E402
from mock_server.simulation.transitions import SCHEDULED, phase  # noqa: E402
from mock_server.webhooks import DeliveryLog, DeliveryWorker  # noqa: E402

BOUND = 120.0


def serve(fd: int) -> None:
    """The receiver process: 204 to every POST, its arrival time kept; GET /stats answers them all as JSON."""
    import uvicorn
    from starlette.requests import Request

    arrivals: list[tuple[float, str]] = []

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = await Request(scope, receive).body()
        if scope["method"] == "GET":
            payload = json.dumps(arrivals).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": payload})
            return
        arrivals.append((time.time(), json.loads(body)["status"]["departure"]["latest"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    uvicorn.run(app, fd=fd, log_level="error", access_log=False, lifespan="off")


def start_receiver() -> tuple[subprocess.Popen, str]:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    process = subprocess.Popen([sys.executable, __file__, "--serve-fd", str(listener.fileno())],
                               pass_fds=(listener.fileno(),))
    listener.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/stats", timeout=1).raise_for_status()
            return process, base
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                stop_process(process)
                raise RuntimeError("the receiver did not start") from None
            time.sleep(0.05)


async def burst(base: str, subscriptions: int, changes: int, concurrency: int) -> dict[str, float]:
    simulator = FlightSimulator(load_catalog(ROOT / "fixtures"))
    flight_id = next(f for f in simulator.catalog.flight_ids() if phase(simulator.catalog.realtime(f)) == SCHEDULED)
    store = SubscriptionStore()
    for i in range(subscriptions):
        store.put(f"user{i}", flight_id, f"{base}/hook/{i}")
    worker = DeliveryWorker(store, concurrency=concurrency, grace=0, log=DeliveryLog(size=subscriptions * changes))
    notified: dict[str, float] = {}

    def notify(fid: str, status: dict) -> None:
        notified[status["status"]["departure"]["latest"]] = time.time()
        worker.notify(fid, status)

    simulator.add_listener(notify)
    await worker.start()
    try:
        started = time.time()
        for minutes in range(1, changes + 1):
            simulator.force(flight_id, "delay", minutes=minutes)
        enqueued = time.time()
        await asyncio.wait_for(worker.drain(), BOUND)
    finally:
        await worker.stop()
    async with httpx.AsyncClient(timeout=30) as client:
        arrivals = (await client.get(base + "/stats")).json()
    delivered = sum(1 for e in worker.deliveries() if e["outcome"] == "delivered")
    latencies = sorted((at - notified[latest]) * 1000 for at, latest in arrivals)
    last = max(at for at, _ in arrivals)
    return {
        "posts": len(arrivals),
        "delivered": delivered,
        "failed_attempts": sum(1 for e in worker.deliveries() if e["outcome"] != "delivered"),
        "notify_ms": (enqueued - started) * 1000,
        "deliveries_per_s": delivered / (last - started),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))],
        "max_ms": latencies[-1],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=1, help="status changes in the burst (default 1)")
    parser.add_argument("--concurrency", type=int, default=64, help="the worker's concurrent POSTs (default 64)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fd is not None:
        serve(args.serve_fd)
        return
    for run in range(1, args.runs + 1):
        process, base = start_receiver()
        try:
            figures = asyncio.run(burst(base, args.subscriptions, args.changes, args.concurrency))
        finally:
            stop_process(process)
        print(f"run {run}: {args.subscriptions} subscriptions x {args.changes} change(s), concurrency "
              f"{args.concurrency}: {figures['delivered']} delivered ({figures['failed_attempts']} failed attempts), "
              f"{figures['deliveries_per_s']:.0f} deliveries/s, event->POST p50 {figures['p50_ms']:.0f} ms, "
              f"p99 {figures['p99_ms']:.0f} ms, max {figures['max_ms']:.0f} ms; notify took "
              f"{figures['notify_ms']:.2f} ms", flush=True)


if __name__ == "__main__":
    main()
