"""The bench's load generators, which one a run gets, and what each one cost in CPU while it ran.

wrk comes first when it is on PATH (C, one thread, the cheapest per request). Without it the bench installs
autocannon from npm into ``bench/node_modules`` (as it installs Prism) and drives it through
``autocannon_driver.js``. The bounded Python generator is the last resort: it tops out near a few hundred requests/s,
which ``bottleneck.judge`` then says. Each run reports the generator's own CPU time during the load, so a run can be
judged on whether it measured the server or the generator.
"""

from __future__ import annotations

import asyncio
import json
import re
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

DRIVER = Path(__file__).resolve().parent / "autocannon_driver.js"
CHOICES = ("auto", "wrk", "autocannon", "python")
WRK_HINT = ("install wrk (`apt-get install wrk` on Debian/Ubuntu, `brew install wrk` on macOS): "
            "the bench uses it first")


def how_to_get_a_real_one(generator: str) -> str:
    """What to install so that the next run's generator can drive the floor."""
    if generator == "python":
        return f"{WRK_HINT}; or node and npm, for the bench to install autocannon"
    return WRK_HINT


@dataclass
class Load:
    """One load run's result, with what the generator itself spent on it."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    generator: str
    cpu_s: float = float("nan")  # the generator's CPU time (user + system, every thread) during the load
    wall_s: float = float("nan")  # how long the load ran
    server_cpu_s: float = float("nan")  # the server's CPU time over the same run, when the caller measured it


class LoadFunction(Protocol):
    def __call__(self, base: str, paths: Sequence[str], headers: dict[str, str], *, duration: float,
                 connections: int, method: str = "GET", bodies: Sequence[str] | None = None) -> Load: ...


@dataclass(frozen=True)
class Generator:
    """The generator a run uses: its name, how many cores it can keep busy at most, and how it got here."""

    name: str
    threads: int
    load: LoadFunction
    how: str  # found on PATH, installed from npm, or why it fell back


def choose_generator(requested: str = "auto", *, which: Callable[[str], str | None],
                     install_autocannon: Callable[[], tuple[Path | None, str]],
                     scratch: Path) -> Generator:
    """wrk when on PATH, else autocannon installed from npm, else the Python generator; ``requested`` forces one.

    ``which`` finds a program on PATH (``shutil.which``); ``install_autocannon`` returns autocannon's binary, or None
    and why not. A generator asked for by name that cannot be had is an error, not a silent substitute.
    """
    if requested not in CHOICES:
        raise ValueError(f"unknown load generator {requested!r}; one of {', '.join(CHOICES)}")
    if requested in ("auto", "wrk"):
        wrk = which("wrk")
        if wrk:
            return Generator("wrk", 1, WrkLoad(wrk, scratch), f"{wrk}, one thread")
        if requested == "wrk":
            raise LookupError("wrk is not installed (not on PATH): `apt-get install wrk` or `brew install wrk`")
    fallback = "wrk is not on PATH"
    if requested in ("auto", "autocannon"):
        node = which("node")
        if node is None:
            reason = "node is not installed (not on PATH)"
        else:
            binary, reason = install_autocannon()
            if binary is not None:
                how = f"from npm, in bench/node_modules; {fallback if requested == 'auto' else 'asked for'}"
                return Generator("autocannon", 1, AutocannonLoad(node, scratch), how)
        if requested == "autocannon":
            raise LookupError(f"autocannon cannot be had: {reason}")
        fallback += f", and autocannon cannot be had: {reason}"
    return Generator("python", 1, python_load, "asked for" if requested == "python" else fallback)


# -- wrk --------------------------------------------------------------------------------------------------------------
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class WrkLoad:
    binary: str
    scratch: Path

    def __call__(self, base: str, paths: Sequence[str], headers: dict[str, str], *, duration: float,
                 connections: int, method: str = "GET", bodies: Sequence[str] | None = None) -> Load:
        lua = ["paths = {" + ",".join(json.dumps(p) for p in paths) + "}",
               "bodies = {" + ",".join(json.dumps(b) for b in (bodies or [])) + "}",
               "i = 0",
               f'wrk.method = "{method}"',
               'wrk.headers["Content-Type"] = "application/json"',
               "request = function()",
               "  i = i + 1",
               "  local body = nil",
               "  if #bodies > 0 then body = bodies[(i % #bodies) + 1] end",
               "  return wrk.format(nil, paths[(i % #paths) + 1], nil, body)",
               "end"]
        script = Path(tempfile.mkstemp(suffix=".lua", dir=self.scratch)[1])
        script.write_text("\n".join(lua))
        command = [self.binary, "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
                   "-s", str(script)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        # wrk is this process's only child that ends during the run, so the children's CPU time grows by its own.
        cpu_before, started = _children_cpu_s(), time.perf_counter()
        output = subprocess.run([*command, base], capture_output=True, text=True, timeout=duration + 60).stdout
        wall, cpu = time.perf_counter() - started, _children_cpu_s() - cpu_before
        rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
        return Load(float(rps.group(1)) if rps else 0.0, _wrk_ms(output, "50%"), _wrk_ms(output, "99%"),
                    (int(bad.group(1)) if bad else 0) + socket_errors, "wrk", cpu, wall)


# -- autocannon -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AutocannonLoad:
    """autocannon in one Node process; ``workers`` > 0 spreads its connections over that many worker threads (the
    bench uses none: on 2 cores shared with the server, more threads of autocannon take more of the server's CPU)."""

    node: str
    scratch: Path
    workers: int = 0

    def __call__(self, base: str, paths: Sequence[str], headers: dict[str, str], *, duration: float,
                 connections: int, method: str = "GET", bodies: Sequence[str] | None = None) -> Load:
        requests = [{"method": method, "path": path, **({"body": bodies[i % len(bodies)]} if bodies else {})}
                    for i, path in enumerate(paths)]
        config = {"url": base, "connections": connections, "duration": max(1, round(duration)),
                  "headers": {**headers, "Content-Type": "application/json"}, "requests": requests,
                  **({"workers": self.workers} if self.workers else {})}
        config_file = Path(tempfile.mkstemp(suffix=".json", dir=self.scratch)[1])
        config_file.write_text(json.dumps(config))
        done = subprocess.run([self.node, str(DRIVER), str(config_file)], capture_output=True, text=True,
                              timeout=duration + 60, cwd=DRIVER.parent)
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"autocannon failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
        return autocannon_result(done.stdout.strip().splitlines()[-1])


def autocannon_result(line: str) -> Load:
    """The driver's JSON line as a Load: rate over the run's own duration, errors and non-2xx answers together."""
    result = json.loads(line)
    rps = result["total"] / result["duration_s"] if result["duration_s"] else 0.0
    return Load(rps, float(result["p50_ms"]), float(result["p99_ms"]), int(result["non2xx"]) + int(result["errors"]),
                "autocannon", float(result["cpu_s"]), float(result["wall_s"]))


# -- python -----------------------------------------------------------------------------------------------------------
def python_load(base: str, paths: Sequence[str], headers: dict[str, str], *, duration: float, connections: int,
                method: str = "GET", bodies: Sequence[str] | None = None) -> Load:
    """A bounded asyncio generator: `connections` workers, each one request at a time, for `duration` seconds."""

    async def run() -> Load:
        latencies: list[float] = []
        errors = 0
        counter = 0
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=base, headers={**headers, "Content-Type": "application/json"},
                                     limits=limits, timeout=10) as client:
            stop = time.perf_counter() + duration

            async def worker() -> None:
                nonlocal errors, counter
                while time.perf_counter() < stop:
                    counter += 1
                    path = paths[counter % len(paths)]
                    body = bodies[counter % len(bodies)] if bodies else None
                    began = time.perf_counter()
                    try:
                        response = await client.request(method, path, content=body)
                        if response.status_code >= 400:
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                    latencies.append((time.perf_counter() - began) * 1000)

            cpu_before, started = time.process_time(), time.perf_counter()  # this process runs only the load now
            await asyncio.gather(*(worker() for _ in range(connections)))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_before
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
        return Load(len(latencies) / elapsed, statistics.median(latencies) if latencies else float("nan"), p99,
                    errors, "python", cpu, elapsed)

    return asyncio.run(run())
