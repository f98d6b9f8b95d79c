"""operationId → handler: ``createFlightSession`` is ``mock_server.garuda.handlers.create_flight_session``."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from connexion.resolver import Resolver

from api_contract.routing import OPERATION_API


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def handler_for(operation_id: str) -> Callable:
    module = importlib.import_module(f"mock_server.{OPERATION_API[operation_id]}.handlers")
    return getattr(module, snake_case(operation_id))


def resolver() -> Resolver:
    return Resolver(function_resolver=handler_for)
