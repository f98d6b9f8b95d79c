"""What the mock adds to the contract's routing (:mod:`api_contract.routing`): its own control API's paths, and the
methods an ``Allow`` header lists."""

from __future__ import annotations

import re
from pathlib import Path

from api_contract import read_yaml
from api_contract.examples import operations
from api_contract.routing import ROUTES, path_pattern

CONTROL_SPEC = Path(__file__).with_name("control") / "openapi.yaml"
SIMULATION_SPEC = Path(__file__).with_name("control") / "simulation.yaml"
CONTROL_BASE_PATH = "/_mock"


def _control_methods() -> list[tuple[re.Pattern[str], frozenset[str]]]:
    paths: dict[str, set[str]] = {}
    for spec in (read_yaml(CONTROL_SPEC), read_yaml(SIMULATION_SPEC)):
        for path, method, _, _ in operations(spec):
            paths.setdefault(CONTROL_BASE_PATH + path, set()).add(method.upper())
    return [(path_pattern(path), frozenset(methods)) for path, methods in paths.items()]


_CONTROL_METHODS = _control_methods()


def allowed_methods(path: str) -> list[str]:
    """The methods the specs define for ``path``, plus HEAD with GET and OPTIONS (answered on every path, see
    :mod:`mock_server.allow`), for ``Allow``; empty for a path of no spec."""
    methods = ROUTES.methods_of(path)
    if not methods:
        methods = next((m for pattern, m in _CONTROL_METHODS if pattern.match(path)), frozenset())
    if not methods:
        return []
    extra = {"HEAD"} if "GET" in methods else set()
    return sorted(methods | extra | {"OPTIONS"})
