"""What a failed check reports: its name, the seed sentence it enforces, expected vs actual, and how to reproduce."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_QUOTED = re.compile(r'"([^"]{12,})"', re.S)


def seed_sentence(check: Callable[..., Any]) -> str:
    """The first quoted sentence of ``check``'s docstring: the seed's words it enforces."""
    match = _QUOTED.search(check.__doc__ or "")
    return " ".join(match.group(1).split()) if match else "(no seed sentence quoted)"


@dataclass(frozen=True)
class Violation:
    """One way a response breaks one check."""

    check: str
    where: str  # a path into the response, e.g. "results/3/inbound/flight/id"
    expected: str
    actual: str

    def describe(self) -> str:
        return f"{self.check} at {self.where or '<root>'}: expected {self.expected}, got {self.actual}"


class ConformanceFailure(AssertionError):
    """A check failed. The message is what a CI log must show to act on it."""

    def __init__(self, check: str, seed: str, expected: str, actual: str, curl: str | None = None) -> None:
        self.check, self.seed, self.expected, self.actual, self.curl = check, seed, expected, actual, curl
        lines = [f"check:    {check}", f"seed:     \"{seed}\"", f"expected: {expected}", f"actual:   {actual}"]
        if curl:
            lines.append(f"reproduce: {curl}")
        super().__init__("\n".join(lines))
