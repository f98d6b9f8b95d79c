"""The conformance suite at network speed: the default profile against the mock with 0 and 50 ms of injected latency,
``--jobs 1`` and ``--jobs 8``, in one run.

    python bench/suite_latency.py [--latency 0 50] [--jobs 1 8] [--rounds 1]

A backend across a network costs a round trip per request; the suite sends a couple of thousand. The mock's own
``PUT /_mock/latency`` stands in for the network (every API request waits that long before it is answered; the
control API does not). Each run starts from the mock's fixtures (``POST /_mock/reset``) with the same Hypothesis seed,
so runs differ only in latency and jobs. Prints a table of wall times and verdicts, then the ratio line:
``--jobs 8`` over ``--jobs 1`` at each latency (target: at most 0.3 with 50 ms; not slower with 0 ms).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.bundled_mock import bundled_config, running_mock_process  # noqa: E402

SEED = 20261130
RUN_SECONDS = 1800


def suite_run(base_url: str, config: Path, jobs: int) -> tuple[float, int, str]:
    """(wall seconds, exit code, the summary line) of one default-profile run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "conformance", "-q", "-p", "no:randomly", "--base-url", base_url,
                           "--conformance-config", str(config), "--jobs", str(jobs), f"--hypothesis-seed={SEED}"],
                          capture_output=True, text=True, timeout=RUN_SECONDS, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    summary = next((line for line in reversed(done.stdout.splitlines()) if " passed" in line or " failed" in line),
                   done.stdout[-200:])
    return wall, done.returncode, summary.strip("= ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50], help="injected ms per request")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rounds", type=int, default=1, help="runs of each combination (the median is kept)")
    args = parser.parse_args()
    config = bundled_config()
    walls: dict[tuple[int, int], list[float]] = {}
    print("| latency | jobs | wall s | exit | summary |\n| ---: | ---: | ---: | ---: | --- |", flush=True)
    with tempfile.TemporaryDirectory() as folder, running_mock_process(["--webhook-grace-seconds", "1"]) as (url, _):
        config_file = Path(folder) / "conformance.yaml"
        config_file.write_text(__import__("yaml").safe_dump(config.data), encoding="utf-8")
        with httpx.Client(base_url=url, timeout=30) as control:
            for _round in range(args.rounds):
                for latency in args.latency:
                    for jobs in args.jobs:
                        control.post("/_mock/reset", json={}).raise_for_status()
                        control.put("/_mock/latency", json={"fixed_ms": latency}).raise_for_status()
                        wall, code, summary = suite_run(url, config_file, jobs)
                        walls.setdefault((latency, jobs), []).append(wall)
                        print(f"| {latency} ms | {jobs} | {wall:.1f} | {code} | {summary} |", flush=True)
            control.delete("/_mock/latency")
    median = {key: sorted(values)[len(values) // 2] for key, values in walls.items()}
    low, high = min(args.jobs), max(args.jobs)
    ratios = [f"{latency} ms: {median[(latency, high)] / median[(latency, low)]:.2f}" for latency in args.latency]
    print(f"ratio jobs {high}/jobs {low}: {'; '.join(ratios)}")


if __name__ == "__main__":
    main()
