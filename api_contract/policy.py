"""Contract and mock policy in one document: what the seeds state, and what the mock chose where they are silent.

Each spec in ``specs/`` is written as the *contract*: only what the seeds state (or HTTP and JSON themselves), so
any backend that follows the seeds conforms to it. Where the seeds leave a choice open and the mock makes one (a
bound, a pattern, a required error status, an error body), that choice sits in an ``x-mock`` mapping next to the
keywords it tightens::

    EpochMillis:
      type: integer
      x-mock:
        minimum: 0
        maximum: 253402300799999

Two views come out of one file:

- the **contract view** drops every ``x-mock`` mapping. It is what the conformance suite and the validating proxy
  judge backends by. Tools that read the file directly (Prism, schemathesis, openapi-core) ignore ``x-`` extensions,
  so for them the file *is* the contract.
- the **mock view** merges each ``x-mock`` mapping into the object that holds it: its keys are added or replace the
  contract's (mappings merge recursively, anything else is replaced). It is what the mock serves, validates and
  documents. A mock choice can only add to or narrow the contract, never loosen it (``tests/test_specs.py`` checks
  that every example of the mock view is valid in the contract view).

The suite also needs inputs that every reasonable backend accepts, so its positive requests are generated from the
**inputs view**: what both the contract and the mock accept. The mock's choices apply to request parameters and
bodies only (the responses stay the contract's), and a bound keeps the tighter of the two: the contract may admit
only the page size the seed shows while the mock serves larger ones, and a backend need not.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from api_contract.examples import HTTP_METHODS, resolve

MOCK = "x-mock"
View = Literal["contract", "mock", "inputs"]
VIEWS: tuple[View, ...] = ("contract", "mock", "inputs")


def contract_view(node: Any) -> Any:
    """A copy of ``node`` without any ``x-mock`` mapping: the seeds' contract."""
    if isinstance(node, dict):
        return {key: contract_view(value) for key, value in node.items() if key != MOCK}
    if isinstance(node, list):
        return [contract_view(value) for value in node]
    return copy.deepcopy(node)


def mock_view(node: Any) -> Any:
    """A copy of ``node`` with every ``x-mock`` mapping merged into the object holding it: the mock's behaviour."""
    if isinstance(node, list):
        return [mock_view(value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    merged = {key: mock_view(value) for key, value in node.items() if key != MOCK}
    return _merge(merged, mock_view(node[MOCK])) if MOCK in node else merged


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        base[key] = _merge(base[key], value) if isinstance(base.get(key), dict) and isinstance(value, dict) else value
    return base


def inputs_view(spec: dict[str, Any]) -> dict[str, Any]:
    """The contract, with the mock's choices applied to what a client sends: every operation's parameters and
    request body carry the mock's constraints (inlined, so the responses' shared schemas stay the contract's)."""
    inputs = contract_view(spec)
    for path, item in spec["paths"].items():
        target = inputs["paths"][path]
        if "parameters" in item:
            target["parameters"] = [_mocked_inline(spec, p) for p in item["parameters"]]
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation, out = item[method], target[method]
            if "parameters" in operation:
                out["parameters"] = [_mocked_inline(spec, p) for p in operation["parameters"]]
            if "requestBody" in operation:
                out["requestBody"] = _mocked_inline(spec, operation["requestBody"])
    return inputs


def _mocked_inline(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with every local ``$ref`` followed and the mock's choices merged in (request schemas hold no cycle)."""
    node = resolve(spec, node)
    if isinstance(node, list):
        return [_mocked_inline(spec, value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    if MOCK in node:
        node = _narrowed({k: v for k, v in node.items() if k != MOCK}, copy.deepcopy(node[MOCK]))
    return {key: _mocked_inline(spec, value) for key, value in node.items()}


_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")


def _narrowed(contract: dict[str, Any], mock: dict[str, Any]) -> dict[str, Any]:
    """``contract`` with ``mock``'s keys merged in, each bound the tighter of the two."""
    bounds = {key: (min if key in _UPPER_BOUNDS else max)(contract[key], mock[key])
              for key in (*_UPPER_BOUNDS, *_LOWER_BOUNDS) if key in contract and key in mock}
    return {**_merge(contract, mock), **bounds}


def view_of(spec: dict[str, Any], view: View) -> dict[str, Any]:
    if view == "contract":
        return contract_view(spec)
    if view == "mock":
        return mock_view(spec)
    if view == "inputs":
        return inputs_view(spec)
    raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
