"""Write throughput with and without ``--state-file``, in one run: what committing every write before answering costs.

    python bench/state_file.py [--duration 3] [--connections 16] [--rounds 5]

Two mocks, one memory-only and one on a fresh state file in a temporary folder, take turns under the same load (PUT a
subscription, POST a Garuda session, and a flight status read to show reads do not pay), ``--rounds`` times each.
Each round's ratio file/memory compares two runs seconds apart (who goes first swaps every round), so a shared
machine's drift touches both alike; the ratio printed is the median round's, with the lowest and highest beside it.
Then, in process, what one write costs with SQLite's ``synchronous=NORMAL`` (what the mock uses) and ``FULL`` (an
fsync per commit).

Load comes from bench/run.py's generator (wrk when installed, else autocannon from npm, else Python; `--generator`
forces one). Every server binds 127.0.0.1 on a free port and is stopped by its PID; every load run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from load_generators import CHOICES  # noqa: E402
from run import Load, mock_server, pick_generator  # noqa: E402

from mock_server.state import MockState  # noqa: E402
from mock_server.state_file import keep_state_in  # noqa: E402

TARGET = 0.7


def config() -> dict:
    printed = subprocess.run([sys.executable, "-m", "mock_server", "--print-config"], capture_output=True, text=True,
                             check=True, cwd=BENCH.parent).stdout
    return yaml.safe_load(printed)


def scenarios(base: str, settings: dict) -> dict[str, dict]:
    """Per scenario: what the load generator sends (method, paths, bodies, headers)."""
    garuda = settings["garuda"]
    flightsayer = {"Authorization": f"Token {settings['flightsayer']['token']}"}
    ids = [s["flight"]["id"] for s in httpx.get(f"{base}/flights/v1/search", headers=flightsayer,
                                                 params={"limit": 100}).json()["results"]]
    session = {"deployment_id": garuda["deployment_id"], "flight_plan_id": garuda["approved_flight_plan_id"],
               "end_date_time": 1527479200000}
    return {
        "GET status (read)": {"method": "GET", "paths": [f"/flights/v1/status/{ids[0]}"], "headers": flightsayer,
                              "bodies": None},
        "PUT subscription": {"method": "PUT", "paths": [f"/subscriptions/{i}" for i in ids], "headers": flightsayer,
                             "bodies": [json.dumps({"target": f"http://127.0.0.1:9/hook/{n}"}) for n in range(7)]},
        "POST session": {"method": "POST", "paths": ["/v2/flight_sessions"],
                         "headers": {"Authorization": f"Bearer {garuda['token']}", "X-API-Key": garuda["api_key"]},
                         "bodies": [json.dumps({**session, "start_date_time": 1527469200000 + n}) for n in range(7)]},
    }


def row(name: str, load: Load) -> str:
    return f"| {name:<34} | {load.rps:9.0f} | {load.p50_ms:7.2f} | {load.p99_ms:7.2f} | {load.errors:6d} |"


def per_write_us(folder: Path, synchronous: str | None, count: int = 3000) -> float:
    """Microseconds per Garuda create in process: memory only (``synchronous`` None) or committed to a state file."""
    state = MockState.load()
    state_file = None if synchronous is None else keep_state_in(folder / f"{synchronous}.db", state,
                                                                 synchronous=synchronous)
    company = state.conformance_config()["garuda"]
    owner = next(c for c in state.garuda.companies.values() if c.token == company["token"]).company_id
    body = {"deployment_id": company["deployment_id"], "flight_plan_id": company["approved_flight_plan_id"],
            "start_date_time": 1, "end_date_time": 2}
    started = time.perf_counter()
    for _ in range(count):
        state.garuda.create(owner, body)
    elapsed = time.perf_counter() - started
    if state_file is not None:
        state_file.close()
    return elapsed / count * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5, help="runs per mock and scenario, alternating")
    parser.add_argument("--generator", choices=CHOICES, default="auto")
    args = parser.parse_args(argv)
    generator = pick_generator(args.generator)
    settings = config()
    with tempfile.TemporaryDirectory(prefix="bench-state-") as folder:
        memory = mock_server()
        kept = mock_server("--state-file", str(Path(folder) / "state.db"))
        try:
            loads = scenarios(memory.base, settings)
            results: dict[str, tuple[list[Load], list[Load]]] = {}
            for name, load in loads.items():
                runs: tuple[list[Load], list[Load]] = ([], [])
                for round_number in range(args.rounds):
                    turns = list(zip(runs, (memory, kept), strict=True))
                    for done, server in turns if round_number % 2 == 0 else reversed(turns):  # who goes first swaps
                        done.append(generator.load(server.base, load["paths"], load["headers"], method=load["method"],
                                         bodies=load["bodies"], duration=args.duration,
                                         connections=args.connections))
                results[name] = runs
            state_file_mb = (Path(folder) / "state.db").stat().st_size / 2**20
        finally:
            memory.stop()
            kept.stop()
        micro = {mode: per_write_us(Path(folder), mode) for mode in (None, "NORMAL", "FULL")}

    print(f"# load generator: {generator.name}, {args.connections} connections, "
          f"{args.duration:.0f} s per run, {args.rounds} rounds alternating memory-only and --state-file; "
          "each mock's median run shown")
    print("| scenario | req/s | p50 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    ratios = {}
    for name, (memory_runs, kept_runs) in results.items():
        middle = [sorted(runs, key=lambda load: load.rps)[len(runs) // 2] for runs in (memory_runs, kept_runs)]
        print(row(f"{name}, memory only", middle[0]))
        print(row(f"{name}, --state-file", middle[1]))
        per_round = sorted(k.rps / m.rps for m, k in zip(memory_runs, kept_runs, strict=True) if m.rps)
        ratios[name] = (per_round[len(per_round) // 2], per_round[0], per_round[-1])
    print()
    print(f"- state file after the run: {state_file_mb:.1f} MB")
    print(f"- in process, one Garuda create: memory only {micro[None]:.1f} µs; committed with synchronous=NORMAL "
          f"{micro['NORMAL']:.1f} µs; with FULL {micro['FULL']:.1f} µs")
    print()
    print("; ".join(f"ratio file/memory, {name}: {median:.2f} (rounds {low:.2f}-{high:.2f})"
                    for name, (median, low, high) in ratios.items()) + f"; target >= {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
