"""Whether a run measured the servers or its own load generator, judged from the CPU each of them spent.

A ratio of two servers' requests/s is the servers' only while the generator is not what limits them. Two ways it can:

- **it ran flat out**: its CPU time over the run reached the cores it can use (one thread: one core), so the rate
  is the generator's, and both servers of a ratio are held to it (the ratio drifts towards 1);
- **it took the server's CPU**: on a machine where the cores are contended (2 cores, the server, the generator and
  whatever else runs), the rate is the CPU the pair gets divided by what one request costs both of them. With the
  generator's share of that cost ``x`` on the floor and a true ratio ``r``, the measured ratio is
  ``r / (1 - x (1 - r))``: at ``x = 1/3`` and ``r = 0.75``, 9% too high, which is this machine's run-to-run noise.
  wrk spends ~0.2 of the pair's CPU on the floor here, autocannon (Node) ~0.45.

Where the server itself ran flat out on a core of its own, the generator took nothing from it, whatever its share.
The floor is judged because it is the fastest server a ratio divides by: the generator's share is highest there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

FLAT_OUT = 0.9  # of the cores a process can use: it was busy the whole run
MAX_SHARE = 1 / 3  # of the CPU the generator and the server spent together


class Measured(Protocol):
    rps: float
    cpu_s: float  # the generator's
    wall_s: float
    server_cpu_s: float


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    reason: str  # why not, or what was checked
    share: float = float("nan")  # the generator's highest share of the CPU spent, over the runs judged


def judge(floor_runs: Sequence[Measured], *, generator: str, threads: int = 1) -> Verdict:
    """Whether ``generator`` (able to keep ``threads`` cores busy) left every floor run's rate to the floor."""
    if not floor_runs:
        return Verdict(False, f"{generator}: no floor run to judge it by")
    shares, exposed = [], []  # every run's share; the shares of runs whose server did not have a core to itself
    for run in floor_runs:
        if not all(math.isfinite(v) for v in (run.cpu_s, run.wall_s, run.server_cpu_s)) or run.wall_s <= 0:
            return Verdict(False, f"{generator}: its CPU time or the floor's was not measured")
        busy = run.cpu_s / run.wall_s
        if busy >= FLAT_OUT * threads:
            return Verdict(False, f"{generator} ran flat out ({busy:.2f} cores over {run.wall_s:.1f} s, "
                                  f"{threads} usable) driving the floor at {run.rps:.0f} req/s: "
                                  "that rate is the generator's, not the floor's")
        share = run.cpu_s / (run.cpu_s + run.server_cpu_s) if run.cpu_s + run.server_cpu_s > 0 else 1.0
        shares.append(share)
        if run.server_cpu_s / run.wall_s < FLAT_OUT:  # a floor flat out on a core of its own lost nothing to it
            exposed.append(share)
    worst = max(exposed, default=0.0)
    if worst > MAX_SHARE:
        return Verdict(False, f"{generator} spent {worst:.0%} of the CPU it and the floor used (at most "
                              f"{MAX_SHARE:.0%} for a ratio within noise on contended cores)", max(shares))
    spared = " (the floor ran flat out where it took more)" if max(shares) > MAX_SHARE else ""
    return Verdict(True, f"{generator}: at most {max(shares):.0%} of the CPU it and the floor used{spared}, never "
                         "flat out", max(shares))
