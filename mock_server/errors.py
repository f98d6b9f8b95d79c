"""Every error leaves the mock in the format of the API it concerns, never as problem+json.

Garuda: ``{"success": false, "message": "..."}``. Flightsayer (Django REST framework): ``{"detail": "..."}``, or
``{"field": ["message"]}`` for invalid input. Every 401 carries the challenge HTTP requires (RFC 9110, 15.5.2):
``WWW-Authenticate: Bearer`` for Garuda, ``Token`` for Flightsayer (as DRF's TokenAuthentication answers).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from api_contract.routing import Api, api_of_path
from mock_server.apis import allowed_methods
from mock_server.persistence import PersistenceFailed

logger = logging.getLogger("mock_server")


class ApiError(Exception):
    """An error answer; ``field`` names the offending input where there is one."""

    def __init__(self, status: int, message: str, *, field: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


class FieldProblem(ProblemException):
    """A connexion validation failure that remembers which input it was about."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(status=400, title="Bad Request", detail=f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


_CHALLENGES: dict[Api | None, str] = {"garuda": "Bearer", "flightsayer": "Token"}


def challenge(api: Api | None) -> str:
    """The ``WWW-Authenticate`` value of a 401 from ``api``."""
    return _CHALLENGES.get(api, "Token")


def error_body(api: Api | None, status: int, message: str, field: str | None = None) -> dict:
    if api == "garuda":
        return {"success": False, "message": f"{field}: {message}" if field else message}
    if api == "flightsayer" and field is not None:
        return {field: [message]}
    # The control API (and any path outside both APIs) keeps one plain shape.
    return {"detail": f"{field}: {message}" if field else message}


def error_response(api: Api | None, error: ApiError) -> ConnexionResponse:
    headers = dict(error.headers)
    if error.status == 401:
        headers.setdefault("WWW-Authenticate", challenge(api))
    return ConnexionResponse(
        status_code=error.status,
        body=json.dumps(error_body(api, error.status, error.message, error.field)).encode(),
        mimetype="application/json",
        content_type="application/json",
        headers=headers,
    )


def _as_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, FieldProblem):
        return ApiError(400, exc.message, field=exc.field)
    if isinstance(exc, ProblemException):
        return ApiError(exc.status, str(exc.detail or exc.title), headers=exc.headers or {})
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return ApiError(404, "No such endpoint")
        return ApiError(exc.status_code, str(exc.detail), headers=exc.headers or {})
    if isinstance(exc, PersistenceFailed):  # the disk, not the request: the client may retry
        logger.error("%s", exc)
        return ApiError(503, str(exc))
    logger.exception("unhandled error", exc_info=exc)
    return ApiError(500, "Internal server error")


def handle_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """The one error handler: convert whatever was raised into the API's own format."""
    api = api_of_path(request.url.path)
    error = _as_api_error(exc)
    if error.status == 405:
        error.headers["Allow"] = ", ".join(allowed_methods(request.url.path))
        error.message = f"Method {request.method} is not allowed here"
    if api == "flightsayer" and error.status == 404:
        error.message = "Not found."  # DRF says exactly this for any 404
    return error_response(api, error)
