"""Build the mock: one connexion app serving both APIs on one port, at their real paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import ProblemException
from connexion.middleware import MiddlewarePosition
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.options import SwaggerUIOptions
from starlette.exceptions import HTTPException

from api_contract import API_NAMES, load_spec, read_yaml
from mock_server.allow import OptionsMiddleware
from mock_server.allowed_hosts import AllowedHosts
from mock_server.apis import SIMULATION_SPEC
from mock_server.auth import AuthMiddleware
from mock_server.console import console_routes
from mock_server.control import ControlState
from mock_server.control.api import BASE_PATH, ControlHandlers, control_resolver, control_routes, control_spec
from mock_server.control.journal import DEFAULT_SIZE
from mock_server.control.simulation_api import SimulationHandlers, simulation_resolver
from mock_server.cors import ApiCorsMiddleware, CorsPolicy
from mock_server.docs import docs_routes
from mock_server.errors import handle_error
from mock_server.fast_path import FastPath
from mock_server.fast_writes import FastWrites
from mock_server.front import FrontMiddleware
from mock_server.prefer import PreferMiddleware
from mock_server.resolver import resolver
from mock_server.simulation.service import SimulationService
from mock_server.state import MockState
from mock_server.traffic import TrafficMiddleware
from mock_server.validation import validator_map

# Connexion's default stack, with its security middleware replaced by ours: we authenticate after routing (to know
# the API) and before validation (so a 401 comes before any 400). Prefer-ed examples answer right after a caller is
# authenticated, before the request is validated or handled. A plain OPTIONS is answered before routing (it needs no
# credentials, like a preflight), inside the CORS middleware that add_middleware puts before ExceptionMiddleware.
MIDDLEWARES = [
    ServerErrorMiddleware,
    ExceptionMiddleware,
    OptionsMiddleware,
    RoutingMiddleware,
    AuthMiddleware,
    PreferMiddleware,
    RequestValidationMiddleware,
    ResponseValidationMiddleware,
    LifespanMiddleware,
    ContextMiddleware,
]


class MockApp:
    """The ASGI application, with its state (data, and the control API's journal and rules) reachable for the CLI
    and tests."""

    def __init__(self, connexion_app: AsyncApp, state: MockState, control: ControlState | None = None,
                 simulation: SimulationService | None = None, *, fast_path: bool = True,
                 cors: dict[str, Any] | None = None, allowed_hosts: AllowedHosts | None = None) -> None:
        self.connexion_app = connexion_app
        self.state = state
        self.control = control or ControlState()
        self.simulation = simulation or SimulationService(state)
        cors = cors or cors_options(None)
        api = FastPath(FastWrites(connexion_app, cors), cors) if fast_path else connexion_app
        self._asgi = FrontMiddleware(TrafficMiddleware(api, self.control), state,
                                     docs_routes() + control_routes() + console_routes(), control=self.control,
                                     allowed_hosts=allowed_hosts)

    async def __call__(self, scope, receive, send) -> None:
        await self._asgi(scope, receive, send)


def cors_options(origins: list[str] | None) -> dict[str, Any]:
    """Starlette ``CORSMiddleware`` settings: local origins, and ``origins`` (``*``: any; :mod:`mock_server.cors`)."""
    return CorsPolicy(origins or ()).middleware_options()


def create_app(fixtures_dir: Path | None = None, *, flights: int | None = None, seed: int | None = None,
               cors_origins: list[str] | None = None, state: MockState | None = None,
               journal_size: int = DEFAULT_SIZE, clock_speed: float = 0.0, webhook_allow: list[str] | None = None,
               webhook_grace_seconds: float = 60.0, fast_path: bool = True,
               allowed_hosts: AllowedHosts | None = None) -> MockApp:
    """The mock. ``fast_path=False`` sends every request through connexion (:mod:`mock_server.fast_path` says what
    the fast path answers itself). ``allowed_hosts`` None answers any ``Host``: in process (a test client names
    ``testserver``, a proxy's transport its upstream) nothing can rebind a name to it; the command line passes
    :meth:`AllowedHosts.default`."""
    state = state or MockState.load(fixtures_dir, flights=flights, seed=seed)
    control = ControlState.with_journal_size(journal_size)
    simulation = SimulationService(state, clock_speed=clock_speed, webhook_allow=webhook_allow,
                                   webhook_grace_seconds=webhook_grace_seconds)
    app = AsyncApp(__name__, middlewares=list(MIDDLEWARES), lifespan=lambda _app: simulation.running())
    # The control API first: the APIs' mount at the root would otherwise swallow /_mock. Its errors take the plain
    # {"detail": ...} form (errors.py renders paths outside both APIs that way).
    app.add_api(
        control_spec(),
        base_path=BASE_PATH,
        name="control",
        resolver=control_resolver(ControlHandlers(state, control)),
        validate_responses=True,
        strict_validation=True,
        validator_map=validator_map(),
        swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False),
    )
    app.add_api(
        read_yaml(SIMULATION_SPEC),
        base_path=BASE_PATH,
        name="simulation",
        resolver=simulation_resolver(SimulationHandlers(simulation)),
        validate_responses=True,
        strict_validation=True,
        validator_map=validator_map(),
        swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False),
    )
    for api in API_NAMES:
        app.add_api(
            load_spec(api, "mock"),  # parsed already; connexion would parse the file again, ~10x slower
            base_path="",
            name=api,
            resolver=resolver(),
            validate_responses=True,
            strict_validation=False,
            validator_map=validator_map(),
            swagger_ui_options=SwaggerUIOptions(serve_spec=False, swagger_ui=False),
        )
    # Connexion registers its own problem+json handlers for these; ours must replace each, not sit behind them.
    for error in (ProblemException, HTTPException, Exception):
        app.add_error_handler(error, handle_error)
    cors = cors_options(cors_origins)
    app.add_middleware(ApiCorsMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, **cors)
    return MockApp(app, state, control, simulation, fast_path=fast_path, cors=cors, allowed_hosts=allowed_hosts)
