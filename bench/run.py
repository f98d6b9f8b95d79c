"""Benchmark the mock against the stack's floor and against Prism, in one run, on one load generator.

Every figure is measured here, now, against baselines served the same way: (a) the floor, a bare Starlette app on the
same uvicorn settings answering the same bytes, taking turns with the mock (three rounds, medians kept); (b) Prism's
static mock (`-v silent`) on our specs, when npm can install it (`npm_install.py`; if not, the notes say why).
Ratios, not absolute numbers, are what carry from one machine to another. Search over 100 000 flights, judged on its
p99, takes three rounds on fresh mocks (each first pass cold) against a floor answering one of its pages.

    python bench/run.py [--duration 5] [--connections 16] [--skip-prism] [--prism-install-timeout 180]
        [--skip-conformance] [--skip-100k] [--generator auto|wrk|autocannon|python] [--strict]

Load comes from `wrk` when installed (`apt-get install wrk`), else from autocannon, installed from npm like Prism,
else from a bounded Python generator (`load_generators.py`). When the generator, not the floor, limited the floor's
rate (`bottleneck.py`), no ratio is printed, and `--strict` makes that an exit 1. Every server binds 127.0.0.1 on a
free port and is stopped by its PID; every load run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import yaml

# bench/ is the script's directory, first on sys.path
from bottleneck import judge
from load_generators import CHOICES, Generator, Load, choose_generator, how_to_get_a_real_one
from npm_install import install_autocannon, install_prism
from webhooks import fan_out

from conformance.bundled_mock import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SCRATCH = tempfile.TemporaryDirectory(prefix="bench-")  # removed when the run ends


# -- servers ----------------------------------------------------------------------------------------------------------
class Server:
    """A server process on a free loopback port, stopped by its PID."""

    def __init__(self, name: str, command: Sequence[str], port: int, probe_path: str, headers: dict[str, str]):
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        self.process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        cwd=ROOT, start_new_session=True)
        deadline = started + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.base + probe_path, headers=headers, timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise TimeoutError(f"{name} did not answer")
            time.sleep(0.02)
        self.startup_s = time.perf_counter() - started

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self) -> float:
        """The process's CPU time so far (user + system), from /proc; NaN where there is none."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        stop_process(self.process, group=True)  # started in its own session: Prism's node children go too


def mock_server(*args: str, probe: str = "/v2/openapi.json") -> Server:
    port = free_port()
    return Server("mock", [sys.executable, "-m", "mock_server", "--port", str(port), *args], port, probe, {})


def floor_server(body: bytes) -> Server:
    body_file = Path(tempfile.mkstemp(suffix=".json", dir=SCRATCH.name)[1])
    body_file.write_bytes(body)
    port = free_port()
    return Server("floor", [sys.executable, str(BENCH / "floor_app.py"), str(port), str(body_file)], port, "/", {})


def prism_server(binary: Path, spec: str, probe: str, headers: dict[str, str]) -> Server:
    port = free_port()
    return Server("prism", [str(binary), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent", spec],
                  port, probe, headers)


# -- load -------------------------------------------------------------------------------------------------------------
def pick_generator(requested: str = "auto", *, install_timeout: float = 180.0) -> Generator:
    """The run's load generator: wrk on PATH, else autocannon from npm into bench/node_modules, else Python."""
    return choose_generator(requested, which=shutil.which, scratch=Path(SCRATCH.name),
                            install_autocannon=lambda: _autocannon(install_timeout))


def _autocannon(timeout: float) -> tuple[Path | None, str]:
    installed = install_autocannon(BENCH, timeout=timeout)
    return installed.binary, installed.reason


def measured(generator: Generator, server: Server, paths: Sequence[str], headers: dict[str, str], **run) -> Load:
    """One load run on ``server``, with the server's own CPU time over it (for the bottleneck judgement)."""
    before = server.cpu_s()
    load = generator.load(server.base, paths, headers, **run)
    load.server_cpu_s = server.cpu_s() - before
    return load


def alternating(generator: Generator, targets: Sequence[tuple[Server, list[str], dict[str, str]]], *, rounds: int,
                duration: float, connections: int) -> list[Load]:
    """Load each (server, paths, headers) in turn, ``rounds`` times over; per target, the run of median req/s."""
    runs: list[list[Load]] = [[] for _ in targets]
    for _ in range(rounds):
        for done, (server, paths, headers) in zip(runs, targets, strict=True):
            done.append(measured(generator, server, paths, headers, duration=duration, connections=connections))
    return [sorted(done, key=lambda load: load.rps)[len(done) // 2] for done in runs]


# -- scenarios --------------------------------------------------------------------------------------------------------
def credentials() -> dict:
    output = subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout
    config = yaml.safe_load(output)
    return {
        "garuda": {"Authorization": f"Bearer {config['garuda']['token']}",
                   "X-API-Key": config["garuda"]["api_key"]},
        "flightsayer": {"Authorization": f"Token {config['flightsayer']['token']}"},
    }


def search_paths(base: str, headers: dict[str, str], count: int = 2000) -> list[str]:
    """``count`` distinct search URLs over every filter combination, built from flights the server really has.

    Distinct URLs at spread-out offsets keep most requests cold (a query never parsed, pages never checked), as a
    fleet of clients searching freely would; a handful of URLs repeated would only measure the caches.
    """
    def page(offset: int) -> dict:
        return httpx.get(f"{base}/flights/v1/search", headers=headers, timeout=30,
                         params={"limit": 100, "offset": offset}).json()

    first = page(0)
    pages = -(-count // 100)
    step = max(100, first["count"] // pages)  # flights from across the whole catalog, not just its first day
    statuses = first["results"] + [s for offset in range(step, first["count"], step)[:pages - 1]
                                   for s in page(offset)["results"]]
    paths = []
    for i in range(count):
        flight = statuses[i % len(statuses)]["flight"]
        departure = flight["scheduled_departure"]
        combos = [
            {"departure_airport": flight["origin"]["iata"]},
            {"arrival_airport": flight["destination"]["iata"]},
            {"departure_airport": flight["origin"]["iata"], "arrival_airport": flight["destination"]["iata"]},
            {"earliest_departure": departure},
            {"departure_airport": flight["origin"]["iata"], "earliest_departure": departure,
             "latest_departure": departure},
            {"latest_departure": departure},
        ]
        query = {**combos[i % len(combos)], "limit": 20, "offset": (i * 37) % 200}
        paths.append(str(httpx.URL("/flights/v1/search", params=query)))
    return list(dict.fromkeys(paths))


def write_loads(generator: Generator, mock: Server, creds: dict, flight_ids: list[str],
                **run) -> dict[str, tuple[Load, Load]]:
    """PUT subscription (replacing the subscriptions to ``flight_ids``) and POST session (new sessions, ids of the
    bundled fixtures), each against a floor answering its reply's bytes, three rounds alternating as the reads do:
    ``{scenario: (mock, floor)}``, the medians."""
    config = yaml.safe_load(subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], check=True,
                                           capture_output=True, text=True, cwd=ROOT).stdout)
    put = ([f"/subscriptions/{i}" for i in flight_ids], creds["flightsayer"],
           [json.dumps({"target": f"http://127.0.0.1:9/hook/{n}"}) for n in range(7)], "PUT")
    garuda = config["garuda"]
    post = (["/v2/flight_sessions"], creds["garuda"],
            [json.dumps({"deployment_id": garuda["deployment_id"], "flight_plan_id": garuda["approved_flight_plan_id"],
                         "start_date_time": 1527469200000 + n, "end_date_time": 1527479200000 + n})
             for n in range(16)], "POST")
    loads = {}
    for name, (paths, headers, bodies, method) in (("PUT subscription", put), ("POST session", post)):
        reply = httpx.request(method, mock.base + paths[0], headers={**headers, "Content-Type": "application/json"},
                              content=bodies[0]).content
        floor = floor_server(reply)
        try:
            runs: list[list[Load]] = [[], []]
            for _ in range(3):
                for done, server in zip(runs, (mock, floor), strict=True):
                    done.append(measured(generator, server, paths, headers, method=method, bodies=bodies, **run))
        finally:
            floor.stop()
        mock_load, floor_load = (sorted(done, key=lambda load: load.rps)[1] for done in runs)
        loads[name] = (mock_load, floor_load)
    return loads


def writes_line(writes: dict[str, tuple[Load, Load]]) -> str:
    """The writes' headline: the lower of their ratios to the floor, with each one's figures."""
    ratios = {name: mock.rps / floor.rps if floor.rps else 0.0 for name, (mock, floor) in writes.items()}
    parts = "; ".join(f"{name} {writes[name][0].rps:.0f} req/s, p99 {writes[name][0].p99_ms:.1f} ms, "
                      f"floor {writes[name][1].rps:.0f} req/s ({ratios[name]:.2f})" for name in writes)
    return f"ratio writes/floor: {min(ratios.values()):.2f} ({parts})"


def search_rounds(generator: Generator, creds: dict, size: int, *, rounds: int, duration: float,
                  connections: int) -> tuple[Load, Load, list[str]]:
    """Search over ``size`` flights against a floor answering one of its pages, ``rounds`` times taking turns:
    ``(mock, floor, notes)``, each side's run of median p99.

    Every round starts a fresh mock, so every round's first pass over the queries is cold (statuses never built),
    as on a mock just started; the floor answers the bytes of the scenario's first page (the same bytes on the wire,
    as the read floors do), and runs between the mock's rounds, so both see the same spell of the machine.
    """
    mocks: list[Load] = []
    floors: list[Load] = []
    notes: list[str] = []
    floor = None
    try:
        for round_number in range(rounds):
            server = mock_server("--flights", str(size))
            try:
                paths = search_paths(server.base, creds["flightsayer"])
                if floor is None:
                    page = httpx.get(server.base + paths[0], headers=creds["flightsayer"], timeout=30).content
                    floor = floor_server(page)
                    notes.append(f"{size // 1000}k flights: first answer after {server.startup_s:.2f} s, RSS "
                                 f"{server.rss_mb():.0f} MB; the search floor answers a page of {len(page)} bytes")
                mocks.append(measured(generator, server, paths, creds["flightsayer"], duration=duration,
                                      connections=connections))
                if round_number == 0:
                    notes.append(f"{size // 1000}k flights: RSS {server.rss_mb():.0f} MB after the search load "
                                 "(statuses cached)")
            finally:
                server.stop()
            floors.append(measured(generator, floor, ["/"], {}, duration=duration, connections=connections))
    finally:
        if floor is not None:
            floor.stop()
    mock_load, floor_load = (sorted(done, key=lambda load: load.p99_ms)[len(done) // 2] for done in (mocks, floors))
    notes.append(f"search, {size // 1000}k flights, p99 of each round: mock "
                 f"{', '.join(f'{m.p99_ms:.1f}' for m in mocks)} ms; page floor "
                 f"{', '.join(f'{f.p99_ms:.1f}' for f in floors)} ms")
    return mock_load, floor_load, notes


def row(name: str, load: Load, baseline: Load | None = None, prism: Load | None = None) -> str:
    ratio = f"{load.rps / baseline.rps:5.2f}" if baseline and baseline.rps else "  n/a"
    prism_ratio = f"{load.rps / prism.rps:5.2f}" if prism and prism.rps else "  n/a"
    return (f"| {name:<34} | {load.rps:9.0f} | {load.p50_ms:7.2f} | {load.p99_ms:7.2f} | {load.errors:6d} "
            f"| {ratio} | {prism_ratio} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-prism", action="store_true")
    parser.add_argument("--prism-install-timeout", type=float, default=180.0, metavar="SECONDS",
                        help="give up installing Prism from npm after this long (default: %(default)s)")
    parser.add_argument("--skip-conformance", action="store_true")
    parser.add_argument("--skip-100k", action="store_true")
    parser.add_argument("--generator", choices=CHOICES, default="auto",
                        help="load generator: wrk if on PATH, else autocannon from npm, else Python (auto)")
    parser.add_argument("--autocannon-install-timeout", type=float, default=180.0, metavar="SECONDS")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when the load generator, not the floor, limited the floor's rate")
    args = parser.parse_args(argv)
    run = {"duration": args.duration, "connections": args.connections}
    creds = credentials()
    try:
        generator = pick_generator(args.generator, install_timeout=args.autocannon_install_timeout)
    except LookupError as error:
        parser.error(str(error))
    drive = generator.load
    load_at_start = os.getloadavg()[0]
    print(f"# load generator: {generator.name} ({generator.how}), {args.connections} connections, "
          f"{args.duration:.0f} s per scenario, {os.cpu_count()} cores; Garuda list and status: median of 3 rounds "
          "alternating with the floor")
    table = ["| scenario | req/s | p50 ms | p99 ms | errors | vs floor | vs prism |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    notes: list[str] = []
    results: dict[str, tuple[Load, Load | None, Load | None]] = {}

    mock = mock_server()
    try:
        notes.append(f"start-up to first answer (bundled fixtures): {mock.startup_s:.2f} s")
        garuda_path = "/v2/flight_sessions"
        garuda_body = httpx.get(mock.base + garuda_path, headers=creds["garuda"]).content
        flight_id = httpx.get(f"{mock.base}/flights/v1/search", headers=creds["flightsayer"],
                              params={"limit": 1}).json()["results"][0]["flight"]["id"]
        status_path = f"/flights/v1/status/{flight_id}"
        status_body = httpx.get(mock.base + status_path, headers=creds["flightsayer"]).content
        searches = search_paths(mock.base, creds["flightsayer"])
        floors = [floor_server(garuda_body), floor_server(status_body)]
        try:
            # Mock and floor take turns, three rounds each, and each keeps its median: a shared machine drifts
            # by tens of percent within a minute, and the ratio must not depend on which ran during a slow spell.
            (mock_garuda, floor_garuda), (mock_status, floor_status) = (
                alternating(generator, [(mock, [path], headers), (floor, [path], headers)], rounds=3, **run)
                for floor, path, headers in ((floors[0], garuda_path, creds["garuda"]),
                                             (floors[1], status_path, creds["flightsayer"])))
        finally:
            for floor in floors:
                floor.stop()
        mock_search = drive(mock.base, searches, creds["flightsayer"], **run)
        ids = [s["flight"]["id"] for s in httpx.get(f"{mock.base}/flights/v1/search", headers=creds["flightsayer"],
                                                       params={"limit": 100}).json()["results"]]
        writes = write_loads(generator, mock, creds, ids, **run)
    finally:
        mock.stop()
    # The same reads through the full connexion stack: what the fast path is worth, measured in the same run.
    slow = mock_server("--no-fast-path")
    try:
        slow_garuda = drive(slow.base, [garuda_path], creds["garuda"], **run)
        slow_status = drive(slow.base, [status_path], creds["flightsayer"], **run)
    finally:
        slow.stop()

    prism_garuda = prism_status = None
    prism = None
    if args.skip_prism:
        notes.append("prism: skipped (--skip-prism)")
    else:
        installed = install_prism(BENCH, timeout=args.prism_install_timeout)
        prism = installed.binary
        if prism is None:
            notes.append(f"prism: skipped ({installed.reason})")
    if prism is not None:
        for spec, path, headers in (("specs/garuda.yaml", garuda_path, creds["garuda"]),
                                    ("specs/flightsayer.yaml", status_path, creds["flightsayer"])):
            server = prism_server(prism, spec, path, headers)
            try:
                load = drive(server.base, [path], headers, **run)
            finally:
                server.stop()
            if spec.endswith("garuda.yaml"):
                prism_garuda = load
            else:
                prism_status = load

    results["Garuda list"] = (mock_garuda, floor_garuda, prism_garuda)
    results["Flightsayer status by id"] = (mock_status, floor_status, prism_status)
    results["Garuda list, --no-fast-path"] = (slow_garuda, floor_garuda, prism_garuda)
    results["status by id, --no-fast-path"] = (slow_status, floor_status, prism_status)
    results["search, bundled flights"] = (mock_search, None, None)
    for name, (mock_write, floor_write) in writes.items():
        results[f"{name} (writes)"] = (mock_write, floor_write, None)

    server = mock_server("--flights", "10000")
    try:
        results["search, 10k flights"] = (drive(server.base, search_paths(server.base, creds["flightsayer"]),
                                                creds["flightsayer"], **run), None, None)
    finally:
        server.stop()
    # Search over 100k flights is the one target on a tail: three rounds on fresh mocks, taking turns with a floor.
    search100k = floor_page = None
    if not args.skip_100k:
        search100k, floor_page, page_notes = search_rounds(generator, creds, 100_000, rounds=3, **run)
        notes.extend(page_notes)
        results["search, 100k flights (cold)"] = (search100k, floor_page, None)

    if not args.skip_conformance:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "conformance"], capture_output=True, text=True, cwd=ROOT,
                              timeout=900)
        outcome = "passed" if done.returncode == 0 else f"exit {done.returncode}"
        notes.append(f"conformance default profile against the mock: {time.perf_counter() - started:.1f} s "
                     f"({outcome})")

    fan_out_line = fan_out()  # push notifications: a burst to 1 000 subscribers of one flight, against a lean receiver
    verdict = judge([floor_garuda, floor_status], generator=generator.name, threads=generator.threads)
    notes.append(f"load generator: {verdict.reason}")
    notes.append(f"load average (1 min) at the start and the end: {load_at_start:.1f}, {os.getloadavg()[0]:.1f} "
                 f"on {os.cpu_count()} cores")
    for name, (load, floor_load, prism_load) in results.items():
        if verdict.trusted:
            table.append(row(name, load, floor_load, prism_load))
        else:  # rates the generator held down: no ratio of them means anything
            table.append(row(name, load))
    for name, floor_load in (("floor: Garuda list bytes", floor_garuda), ("floor: status bytes", floor_status),
                             *((f"floor: {name} bytes", floor_write) for name, (_, floor_write) in writes.items()),
                             *((("floor: search page bytes", floor_page),) if floor_page else ())):
        table.append(row(name, floor_load))
    for name, prism_load in (("prism -v silent: Garuda list", prism_garuda),
                             ("prism -v silent: status", prism_status)):
        if prism_load:
            table.append(row(name, prism_load))
    print("\n".join(table))
    print()
    print("\n".join(f"- {note}" for note in notes))
    print()

    if not verdict.trusted:
        print(fan_out_line)  # absolute, and measured against a receiver of its own: no generator in it
        print(f"no ratios: the load generator ({generator.name}) limited the floor's rate, so any ratio would measure "
              f"it, not the servers: {verdict.reason}. For a real one: {how_to_get_a_real_one(generator.name)}")
        return 1 if args.strict else 0
    # The headline is the worse of the two read scenarios the targets name.
    pairs = [(mock_garuda, floor_garuda, prism_garuda), (mock_status, floor_status, prism_status)]
    worst = min(pairs, key=lambda p: p[0].rps / p[1].rps)
    prism_ratios = [m.rps / p.rps for m, _, p in pairs if p and p.rps]
    prism_text = f"{min(prism_ratios):.2f}" if prism_ratios else "n/a"
    p99 = f"{search100k.p99_ms:.1f}" if search100k else "n/a"
    print(f"ratio mock/floor: {worst[0].rps / worst[1].rps:.2f} (mock {worst[0].rps:.0f} req/s, floor "
          f"{worst[1].rps:.0f} req/s); ratio mock/prism: {prism_text}; search100k p99: {p99} ms")
    print(writes_line(writes))
    # The search target is relative: the p99 of a floor answering one of the scenario's pages, measured between the
    # mock's rounds (and, for the record, against the status floor of the reads).
    if search100k and floor_page:
        print(f"search100k p99/floor p99: {search100k.p99_ms / floor_page.p99_ms:.2f} (search100k p50 "
              f"{search100k.p50_ms:.2f} ms, p99 {search100k.p99_ms:.2f} ms; page floor p99 {floor_page.p99_ms:.2f} ms; "
              f"against the status floor's p99 {floor_status.p99_ms:.2f} ms: "
              f"{search100k.p99_ms / floor_status.p99_ms:.2f})")
    print(fan_out_line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
