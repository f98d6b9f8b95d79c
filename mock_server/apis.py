"""Which of the two APIs a request belongs to, decided once from the specs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from api_contract import API_NAMES, load_spec, read_yaml
from api_contract.examples import operations

Api = Literal["garuda", "flightsayer"]

OPERATION_API: dict[str, Api] = {
    op["operationId"]: api for api in API_NAMES for _, _, op, _ in operations(load_spec(api))  # type: ignore[misc]
}


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")


CONTROL_SPEC = Path(__file__).with_name("control") / "openapi.yaml"
SIMULATION_SPEC = Path(__file__).with_name("control") / "simulation.yaml"
CONTROL_BASE_PATH = "/_mock"

_METHODS: list[tuple[re.Pattern[str], set[str]]] = []
for _prefix, _spec in [("", load_spec(api)) for api in API_NAMES] + [
        (CONTROL_BASE_PATH, read_yaml(path)) for path in (CONTROL_SPEC, SIMULATION_SPEC)]:
    _paths: dict[str, set[str]] = {}
    for _path, _method, _, _ in operations(_spec):
        _paths.setdefault(_prefix + _path, set()).add(_method.upper())
    _METHODS += [(_template(p), m) for p, m in _paths.items()]


def allowed_methods(path: str) -> list[str]:
    """The methods the specs define for ``path`` (plus HEAD with GET, and OPTIONS for CORS), for ``Allow``."""
    for pattern, methods in _METHODS:
        if pattern.match(path):
            extra = {"HEAD"} if "GET" in methods else set()
            return sorted(methods | extra | {"OPTIONS"})
    return []

# Unknown paths still answer in the format of the API whose prefix they share.
_PREFIXES: tuple[tuple[str, Api], ...] = (("/v2/", "garuda"), ("/flights/", "flightsayer"),
                                          ("/subscriptions", "flightsayer"))


def api_of_path(path: str) -> Api | None:
    for prefix, api in _PREFIXES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return api
    return None
