"""Which API and which operation a request is, compiled once from the specs' paths.

The mock (its front door, fast path, traffic layer and proxy) and the conformance suite (judging recorded or live
traffic) all route through here, so they can never disagree about what a request calls.

Trailing slashes: Flightsayer is a Django REST framework service. Its list route is written with the slash
(``/subscriptions/``), its own ``next`` link points at ``/flights/v1/search/`` while the route is written without,
and clients write both. So every Flightsayer path is reached with or without a trailing slash, and
:func:`canonical_path` rewrites either form to the one the spec declares. Garuda's paths are taken as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from api_contract.examples import operations
from api_contract.loading import API_NAMES, load_spec

Api = Literal["garuda", "flightsayer"]

# Unknown paths still belong to the API whose prefix they share (they answer in its error format).
_PREFIXES: tuple[tuple[str, Api], ...] = (("/v2/", "garuda"), ("/flights/", "flightsayer"),
                                          ("/subscriptions", "flightsayer"))
# APIs whose paths answer with or without a trailing slash (see the module docstring).
_EITHER_SLASH: frozenset[Api] = frozenset({"flightsayer"})


@dataclass(frozen=True)
class Operation:
    """One operation of one spec: where it lives and how it is called."""

    api: Api
    operation_id: str
    method: str  # upper case
    path: str  # the spec's template, e.g. "/subscriptions/{flight_id}"


def path_pattern(template: str) -> re.Pattern[str]:
    """A regex matching ``template``'s concrete paths, one group per path parameter (a parameter never spans a
    ``/``)."""
    return re.compile("^" + re.sub(r"\\{[^}]+\\}", "([^/]+)", re.escape(template)) + "$")


class Routes:
    """Every operation of both specs, indexed for lookups by method and concrete path."""

    def __init__(self) -> None:
        self.operations: dict[str, Operation] = {}
        self._static: dict[tuple[str, str], Operation] = {}
        self._templated: list[tuple[str, re.Pattern[str], Operation]] = []
        self._paths: dict[str, set[str]] = {}  # spec path template -> its methods
        self._path_patterns: list[tuple[re.Pattern[str], str]] = []
        self._alternate: dict[str, str] = {}  # a static path in its other slash form -> the spec's form
        self._alternate_templates: list[re.Pattern[str]] = []  # templated paths that may carry an extra slash
        for api in API_NAMES:
            for template, method, operation, _ in operations(load_spec(api)):
                found = Operation(api, operation["operationId"], method.upper(), template)  # type: ignore[arg-type]
                self.operations[found.operation_id] = found
                self._paths.setdefault(template, set()).add(found.method)
                if "{" in template:
                    self._templated.append((found.method, path_pattern(template), found))
                else:
                    self._static[(found.method, template)] = found
                if api in _EITHER_SLASH:
                    self._add_other_slash_form(template)
        self._path_patterns = [(path_pattern(t), t) for t in self._paths if "{" in t]

    def _add_other_slash_form(self, template: str) -> None:
        if "{" not in template:
            self._alternate[template[:-1] if template.endswith("/") else template + "/"] = template
        elif not template.endswith("/"):
            pattern = path_pattern(template + "/")
            if pattern not in self._alternate_templates:
                self._alternate_templates.append(pattern)

    def canonical_path(self, path: str) -> str:
        """``path`` in the trailing-slash form its spec declares (unchanged when it already is, or is no API's)."""
        found = self._alternate.get(path)
        if found is not None:
            return found
        if path.endswith("/"):
            for pattern in self._alternate_templates:
                if pattern.match(path):
                    return path[:-1]
        return path

    def match(self, method: str, path: str) -> tuple[Operation, tuple[str, ...]] | None:
        """The operation ``method path`` calls and its path parameters' raw values, in template order; ``path``
        already canonical (see :meth:`canonical_path`). HEAD is routed as the path's GET."""
        method = "GET" if method == "HEAD" else method
        found = self._static.get((method, path))
        if found is not None:
            return found, ()
        for verb, pattern, operation in self._templated:
            if verb == method:
                matched = pattern.match(path)
                if matched is not None:
                    return operation, matched.groups()
        return None

    def operation_of(self, method: str, path: str) -> str | None:
        """The operationId ``method path`` calls (``path`` already canonical), if any."""
        found = self.match(method, path)
        return found[0].operation_id if found is not None else None

    def methods_of(self, path: str) -> frozenset[str]:
        """The methods the specs define for ``path`` (already canonical); empty for a path no spec has."""
        methods = self._paths.get(path)
        if methods is not None:
            return frozenset(methods)
        for pattern, template in self._path_patterns:
            if pattern.match(path):
                return frozenset(self._paths[template])
        return frozenset()


ROUTES = Routes()
OPERATION_API: dict[str, Api] = {op.operation_id: op.api for op in ROUTES.operations.values()}


def api_of_path(path: str) -> Api | None:
    """The API ``path`` belongs to by its prefix, known operation or not; None for paths of neither."""
    for prefix, api in _PREFIXES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return api
    return None


def canonical_path(path: str) -> str:
    return ROUTES.canonical_path(path)


def operation_of(method: str, path: str) -> str | None:
    return ROUTES.operation_of(method, path)
