"""Injected latency: a delay drawn per request, for one operation or for all of them.

An operation's own rule wins over the global one. With no rule set, :meth:`LatencyRules.delay_ms` is one truth test,
so the mock pays nothing for the feature when nobody uses it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

MAX_MS = 60_000


@dataclass(frozen=True)
class LatencyRule:
    min_ms: int
    max_ms: int
    operation: str | None = None  # None: every API request

    def __post_init__(self) -> None:
        if not 0 <= self.min_ms <= self.max_ms <= MAX_MS:
            raise ValueError(f"need 0 <= min_ms <= max_ms <= {MAX_MS}; got min_ms={self.min_ms}, "
                             f"max_ms={self.max_ms}")

    def public(self) -> dict[str, Any]:
        return {"operation": self.operation, "min_ms": self.min_ms, "max_ms": self.max_ms}


class LatencyRules:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._global: LatencyRule | None = None
        self._by_operation: dict[str, LatencyRule] = {}
        self._rng = rng or random.Random()
        self._any = False

    def set(self, rule: LatencyRule) -> None:
        """Set (replace) the rule for ``rule.operation``, or the global rule."""
        if rule.operation is None:
            self._global = rule
        else:
            self._by_operation[rule.operation] = rule
        self._any = True

    def clear(self, operation: str | None = None) -> None:
        """Drop one operation's rule, or every rule (the global one included) when ``operation`` is None."""
        if operation is None:
            self._global = None
            self._by_operation.clear()
        else:
            self._by_operation.pop(operation, None)
        self._any = self._global is not None or bool(self._by_operation)

    def rules(self) -> list[LatencyRule]:
        return ([self._global] if self._global else []) + [self._by_operation[k] for k in sorted(self._by_operation)]

    def delay_ms(self, operation: str | None) -> float:
        """The delay for one request to ``operation`` (None when no operation matched): 0 without a rule."""
        if not self._any:
            return 0.0
        rule = self._by_operation.get(operation) if operation is not None else None
        rule = rule or self._global
        if rule is None:
            return 0.0
        return float(rule.min_ms) if rule.min_ms == rule.max_ms else self._rng.uniform(rule.min_ms, rule.max_ms)

    def __len__(self) -> int:
        return len(self._by_operation) + (self._global is not None)
