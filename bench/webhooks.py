"""Measure webhook fan-out: one burst of flight changes to many subscriptions of one flight, against a local receiver.

    python bench/webhooks.py [--subscriptions 1000] [--changes 1] [--runs 3] [--concurrency N] [--per-host N]
        [--receiver-alone SECONDS]

The worker runs here on uvloop, as it does inside the mock (uvicorn picks uvloop when it is installed). The receiver
runs in its own process (so it does not share the worker's interpreter lock) on a socket this script binds to a free
127.0.0.1 port and hands over: a raw asyncio protocol with httptools' parser that answers 204 and notes each POST's
arrival time, lean so that it is not what limits the rate; its CPU share over each burst is printed to show it, and
``--receiver-alone`` loads it with the bench's load generator first, for its capacity on its own.

Latency is change -> arrival: from the ``notify`` call for a change (what the simulator calls when the flight
changes) to the receiver reading that POST, both on this machine's wall clock. Deliveries/s counts acknowledged POSTs
over the time from the first change to the last arrival; every POST must arrive and be logged as delivered, or the
run fails. The receiver is stopped by its PID; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.bundled_mock import stop_process  # noqa: E402
from mock_server.flights import load_catalog  # noqa: E402
from mock_server.flightsayer.subscriptions import SubscriptionStore  # noqa: E402
from mock_server.simulation import FlightSimulator  # noqa: E402
from mock_server.simulation.transitions import SCHEDULED, phase  # noqa: E402
from mock_server.webhooks import DeliveryLog, DeliveryWorker  # noqa: E402
from mock_server.webhooks.worker import DEFAULT_CONCURRENCY, DEFAULT_PER_HOST  # noqa: E402

BOUND = 120.0
NO_CONTENT = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"


def serve(fd: int) -> None:
    """The receiver process: 204 to every POST, its arrival time kept; GET answers them all as JSON."""
    import httptools
    import uvloop

    arrivals: list[tuple[float, str]] = []

    class Receiving(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport
            self.parser = httptools.HttpRequestParser(self)
            self.body: list[bytes] = []

        def data_received(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self.transport.close()

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            arrived = time.time()
            if self.parser.get_method() == b"GET":
                payload = orjson.dumps(arrivals)
                self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                                     b"%d\r\n\r\n%s" % (len(payload), payload))
            else:
                try:  # the bench's FlightStatus: which change this is; a load generator's body: none
                    change = orjson.loads(b"".join(self.body))["status"]["departure"]["latest"]
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    change = ""
                arrivals.append((arrived, change))
                self.transport.write(NO_CONTENT)
            self.body = []

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Receiving, sock=socket.socket(fileno=fd),
                                                                backlog=1024)
        await server.serve_forever()

    uvloop.run(main())


def cpu_s(pid: int) -> float:
    """A process's CPU time so far (user + system), from /proc; NaN where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


@dataclass(frozen=True)
class Burst:
    delivered: int
    expected: int
    deliveries_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    notify_ms: float
    worker_cpu_us: float  # this process's CPU time over the burst, per delivery
    receiver_busy: float  # the receiver's CPU time over the burst / the burst's wall time
    rss_growth_mb: float


async def burst(base: str, receiver_pid: int, subscriptions: int, changes: int, concurrency: int,
                per_host: int) -> Burst:
    simulator = FlightSimulator(load_catalog(ROOT / "fixtures"))
    flight_id = next(f for f in simulator.catalog.flight_ids() if phase(simulator.catalog.realtime(f)) == SCHEDULED)
    store = SubscriptionStore()
    for i in range(subscriptions):
        store.put(f"user{i}", flight_id, f"{base}/hook/{i}")
    worker = DeliveryWorker(store, concurrency=concurrency, per_host=per_host, grace=0,
                            log=DeliveryLog(size=subscriptions * changes))
    notified: dict[str, float] = {}

    def notify(fid: str, status: dict) -> None:
        notified[status["status"]["departure"]["latest"]] = time.time()
        worker.notify(fid, status)

    simulator.add_listener(notify)
    await worker.start()
    rss_before = rss_mb()
    try:
        cpu_before, receiver_before = time.process_time(), cpu_s(receiver_pid)
        wall_before, started = time.perf_counter(), time.time()
        for minutes in range(1, changes + 1):
            simulator.force(flight_id, "delay", minutes=minutes)
        enqueued = time.time()
        await asyncio.wait_for(worker.drain(), BOUND)
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
        receiver_cpu = cpu_s(receiver_pid) - receiver_before
        rss_growth = rss_mb() - rss_before
    finally:
        await worker.stop()
    async with httpx.AsyncClient(timeout=30) as client:
        arrivals = orjson.loads((await client.get(base + "/stats")).content)
    delivered = sum(1 for e in worker.deliveries() if e["outcome"] == "delivered")
    expected = subscriptions * changes
    if delivered != expected or len(arrivals) != expected:
        raise RuntimeError(f"{expected} deliveries expected, {delivered} logged as delivered, {len(arrivals)} "
                           "arrived")
    latencies = sorted((at - notified[change]) * 1000 for at, change in arrivals)
    last = max(at for at, _ in arrivals)
    return Burst(delivered, expected, delivered / (last - started), statistics.median(latencies),
                 latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))], latencies[-1],
                 (enqueued - started) * 1000, cpu / delivered * 1e6, receiver_cpu / wall, rss_growth)


def run_burst(subscriptions: int = 1000, changes: int = 1, *, concurrency: int = DEFAULT_CONCURRENCY,
              per_host: int = DEFAULT_PER_HOST) -> Burst:
    """One burst against a fresh receiver process, on uvloop like the mock."""
    import uvloop

    process, base = start_receiver()
    try:
        return uvloop.run(burst(base, process.pid, subscriptions, changes, concurrency, per_host))
    finally:
        stop_process(process)


def fan_out(runs: int = 3, subscriptions: int = 1000) -> str:
    """The bench's one line: ``runs`` bursts of one change to ``subscriptions`` subscribers; medians, and spread."""
    bursts = [run_burst(subscriptions) for _ in range(runs)]
    rates = sorted(b.deliveries_per_s for b in bursts)
    p99s = sorted(b.p99_ms for b in bursts)
    cpu = statistics.median(b.worker_cpu_us for b in bursts)
    return (f"fan-out: {statistics.median(rates):.0f} deliveries/s, p99 {statistics.median(p99s):.0f} ms "
            f"({subscriptions} subscribers of one flight, median of {runs}: {rates[0]:.0f}-{rates[-1]:.0f}/s, p99 "
            f"{p99s[0]:.0f}-{p99s[-1]:.0f} ms; worker CPU {cpu:.0f} us a delivery; receiver busy "
            f"{max(b.receiver_busy for b in bursts):.0%} at most; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores)")


def receiver_alone(seconds: float, connections: int) -> str:
    """The receiver's own capacity: the bench's load generator POSTing a FlightStatus to it, no worker."""
    sys.path.insert(0, str(ROOT / "bench"))
    from load_generators import choose_generator

    catalog = load_catalog(ROOT / "fixtures")
    body = orjson.dumps(catalog.status(catalog.flight_ids()[0])).decode()  # what a notification carries
    with tempfile.TemporaryDirectory() as scratch:
        generator = choose_generator("auto", which=shutil.which, scratch=Path(scratch),
                                     install_autocannon=lambda: (None, "not installed by this script"))
        process, base = start_receiver()
        try:
            load = generator.load(base, ["/hook"], {}, method="POST", bodies=[body], duration=seconds,
                                  connections=connections)
        finally:
            stop_process(process)
    return (f"receiver alone ({generator.name}, {connections} connections, {seconds:.0f} s): {load.rps:.0f} POSTs/s, "
            f"p99 {load.p99_ms:.1f} ms, {load.errors} errors")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=1, help="status changes in the burst (default 1)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                        help="the worker's concurrent POSTs in all (default %(default)s)")
    parser.add_argument("--per-host", type=int, default=DEFAULT_PER_HOST,
                        help="the worker's concurrent POSTs to one host (default %(default)s)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--receiver-alone", type=float, default=0, metavar="SECONDS",
                        help="first load the receiver alone for this long")
    parser.add_argument("--serve-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fd is not None:
        serve(args.serve_fd)
        return
    if args.receiver_alone:
        print(receiver_alone(args.receiver_alone, args.per_host), flush=True)
    for run in range(1, args.runs + 1):
        b = run_burst(args.subscriptions, args.changes, concurrency=args.concurrency, per_host=args.per_host)
        print(f"run {run}: {args.subscriptions} subscriptions x {args.changes} change(s), concurrency "
              f"{args.concurrency}, {args.per_host} a host: {b.delivered} delivered, {b.deliveries_per_s:.0f} "
              f"deliveries/s, change->arrival p50 {b.p50_ms:.0f} ms, p99 {b.p99_ms:.0f} ms, max {b.max_ms:.0f} ms; "
              f"notify took {b.notify_ms:.1f} ms; worker CPU {b.worker_cpu_us:.0f} us a delivery; receiver busy "
              f"{b.receiver_busy:.0%}; RSS +{b.rss_growth_mb:.1f} MB", flush=True)


if __name__ == "__main__":
    main()
