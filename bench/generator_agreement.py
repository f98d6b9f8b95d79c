"""Do two load generators agree on the mock/floor ratio? Both measured in one run, taking turns.

    python bench/generator_agreement.py [--generators wrk autocannon] [--rounds 5] [--duration 5]

For each of the two headline reads (Garuda list, Flightsayer status), every round loads the mock and then the floor
with each generator in turn (which generator goes first swaps every round), so a shared machine's slow spells touch
every generator alike. Per generator: the median round's ratio with the lowest and highest, the median rates, the
generator's share of the CPU it and the floor spent, and `bottleneck.judge`'s verdict. Every server binds 127.0.0.1
on a free port and is stopped by its PID; every load run is bounded in time.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bottleneck import judge  # noqa: E402
from load_generators import CHOICES, Generator, Load  # noqa: E402
from run import credentials, floor_server, measured, mock_server, pick_generator  # noqa: E402


def with_workers(name: str) -> Generator:
    """``autocannon:N``: autocannon on N worker threads (able to keep N cores busy); any other name as the bench
    picks it."""
    base, _, workers = name.partition(":")
    generator = pick_generator(base)
    if not workers:
        return generator
    count = int(workers)
    return dataclasses.replace(generator, name=f"{generator.name} -w {count}", threads=max(1, count),
                               load=dataclasses.replace(generator.load, workers=count))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generators", nargs="+", default=["wrk", "autocannon"],
                        help=f"any of {', '.join(CHOICES[1:])}; autocannon:N for autocannon with N worker threads")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    generators = [with_workers(name) for name in args.generators]
    creds = credentials()
    run = {"duration": args.duration, "connections": args.connections}
    print(f"# {', '.join(g.name for g in generators)}: {args.rounds} rounds of mock then floor per generator, "
          f"{args.connections} connections, {args.duration:.0f} s per run, {os.cpu_count()} cores; "
          f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| read | generator | ratio (rounds) | mock req/s | floor req/s | generator's CPU share | verdict |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    mock = mock_server()
    try:
        flight_id = httpx.get(f"{mock.base}/flights/v1/search", headers=creds["flightsayer"],
                              params={"limit": 1}).json()["results"][0]["flight"]["id"]
        reads = {"Garuda list": ("/v2/flight_sessions", creds["garuda"]),
                 "status by id": (f"/flights/v1/status/{flight_id}", creds["flightsayer"])}
        for read, (path, headers) in reads.items():
            floor = floor_server(httpx.get(mock.base + path, headers=headers).content)
            try:
                runs: dict[str, list[tuple[Load, Load]]] = {g.name: [] for g in generators}
                for round_number in range(args.rounds):
                    order = generators if round_number % 2 == 0 else list(reversed(generators))
                    for generator in order:
                        runs[generator.name].append(
                            (measured(generator, mock, [path], headers, **run),
                             measured(generator, floor, [path], headers, **run)))
            finally:
                floor.stop()
            for generator in generators:
                pairs = runs[generator.name]
                ratios = sorted(m.rps / f.rps for m, f in pairs if f.rps)
                floors = [f for _, f in pairs]
                verdict = judge(floors, generator=generator.name, threads=generator.threads)
                shares = [f.cpu_s / (f.cpu_s + f.server_cpu_s) for f in floors if f.cpu_s + f.server_cpu_s > 0]
                print(f"| {read} | {generator.name} | {statistics.median(ratios):.2f} "
                      f"({ratios[0]:.2f}-{ratios[-1]:.2f}) | {statistics.median(m.rps for m, _ in pairs):.0f} "
                      f"| {statistics.median(f.rps for f in floors):.0f} | {statistics.median(shares):.2f} "
                      f"| {'trusted' if verdict.trusted else 'no ratio'}: {verdict.reason} |")
    finally:
        mock.stop()
    print(f"\nload average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
