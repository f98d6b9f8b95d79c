"""Valid answers taken from the specs' own examples, for a canned backend to send as they are or spoiled."""

from __future__ import annotations

import copy
from typing import Any

from api_contract import load_spec
from api_contract.examples import iter_examples


def spec_example(api: str, operation: str, where: str) -> Any:
    """A fresh copy of the ``seed`` example of ``operation`` at ``where`` (e.g. "response 200")."""
    for example in iter_examples(load_spec(api)):
        if (example.operation, example.where, example.name) == (operation, where, "seed"):
            return copy.deepcopy(example.value)
    raise LookupError(f"no seed example for {operation} {where}")


def flight_status() -> dict[str, Any]:
    return spec_example("flightsayer", "getFlightStatus", "response 200")


def flight_session() -> dict[str, Any]:
    return spec_example("garuda", "getFlightSession", "response 200")
