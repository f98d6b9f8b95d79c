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

An operation's ``x-mock`` holds the mock's own error responses (``x-mock: {responses: {"404": ...}}``), beside the
Responses Object rather than inside it: every key there is a status code to code generators, so an extension inside
it would become a bogus ``"x-mock"`` status in a typed client.

Where the contract admits more than a typed client can use, the file's plain text says what the mock does and an
``x-contract`` mapping holds the contract's wider reading. One schema needs it: the seed names the four
probabilities of a prediction both ``distribution`` and ``prediction``; the plain text requires ``distribution`` (so
openapi-typescript types it ``number[]``), its ``x-contract`` accepts either name.

Two views come out of one file:

- the **contract view** drops every ``x-mock`` mapping and merges each ``x-contract`` mapping into the object that
  holds it. It is what the conformance suite and the validating proxy judge backends by. Tools that read the file
  directly (Prism, schemathesis, openapi-core, code generators) ignore ``x-`` extensions, so for them the file is
  the contract, narrowed only where an ``x-contract`` mapping sits.
- the **mock view** drops every ``x-contract`` mapping and merges each ``x-mock`` mapping into the object that holds
  it: its keys are added or replace the contract's (mappings merge recursively, anything else is replaced). It is
  what the mock serves, validates and documents. A mock choice can only add to or narrow the contract, never loosen
  it (``tests/test_specs.py`` checks that every example of the mock view is valid in the contract view).

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
CONTRACT = "x-contract"
_EXTENSIONS = (MOCK, CONTRACT)
View = Literal["contract", "mock", "inputs"]
VIEWS: tuple[View, ...] = ("contract", "mock", "inputs")


def contract_view(node: Any) -> Any:
    """A copy of ``node`` without any ``x-mock`` mapping and with every ``x-contract`` one merged in: the seeds'
    contract."""
    if isinstance(node, list):
        return [contract_view(value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    kept = {key: contract_view(value) for key, value in node.items() if key not in _EXTENSIONS}
    return _merge(kept, contract_view(node[CONTRACT])) if CONTRACT in node else kept


def mock_view(node: Any) -> Any:
    """A copy of ``node`` without any ``x-contract`` mapping and with every ``x-mock`` one merged into the object
    holding it: the mock's behaviour."""
    if isinstance(node, list):
        return [mock_view(value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    merged = {key: mock_view(value) for key, value in node.items() if key not in _EXTENSIONS}
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
    """``node`` with every local ``$ref`` followed and the mock's choices merged in (request schemas hold no cycle).
    An ``x-contract`` reading is wider than the plain text by definition, so what both accept is the plain text."""
    node = resolve(spec, node)
    if isinstance(node, list):
        return [_mocked_inline(spec, value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    node = {k: v for k, v in node.items() if k != CONTRACT}
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
