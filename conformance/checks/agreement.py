"""When two answers describe the same thing, do they agree on what the seeds promise?

A backend may add fields, leave optional ones out or null, and write a timestamp in any offset: two answers agree
when every field both show (non-null) has the same value, timestamps compared as instants and numbers as numbers.
Used where the seed says two answers are one object (a status and the search result for it, an inbound flight and
that flight's own status, a notification and the status after the change).
"""

from __future__ import annotations

from typing import Any

from conformance.checks.timestamps import parse_timestamp


def differences(expected: Any, actual: Any, *, skip: frozenset[str] = frozenset(), where: str = "") -> list[str]:
    """Where ``actual`` disagrees with ``expected`` on a field both show; keys in ``skip`` are not compared at any
    depth. Empty when they agree."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in expected.keys() & actual.keys():
            if key in skip or expected[key] is None or actual[key] is None:
                continue
            found += differences(expected[key], actual[key], skip=skip, where=f"{where}/{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where or '/'}: {len(expected)} items, not {len(actual)}"]
        return [d for index, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, skip=skip, where=f"{where}/{index}")]
    return [] if _same(expected, actual) else [f"{where or '/'}: {expected!r}, not {actual!r}"]


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        instants = parse_timestamp(expected), parse_timestamp(actual)
        if None not in instants:
            return instants[0] == instants[1]
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual
