"""Size limits on what a client may send, enforced before anything buffers it.

A mock shared by a team must not be knocked over by one client's mistake (a log file posted as a body, a runaway
query string). The body limit is checked twice: against ``Content-Length`` before the body is read at all, and by
counting the chunks as they arrive, for chunked bodies that declare no length. Oversized requests answer 413 (414,
431) in the error format of the API the path belongs to, with ``Connection: close`` so the server stops reading the
rest instead of draining it.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope

from mock_server.errors import ApiError

DEFAULT_MAX_BODY_BYTES = 1 << 20  # 1 MiB: a flight session or a subscription is well under 1 KiB
MAX_TARGET_BYTES = 8 * 1024  # path and query string together, as nginx's default large_client_header_buffers
MAX_HEADER_BYTES = 64 * 1024  # all request headers together

_CLOSE = {"Connection": "close"}


class BodyTooLarge(ApiError):
    """The request body is larger than the configured limit (raised from ``receive``, rendered as a 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body is larger than the limit of {limit} bytes", headers=_CLOSE)


def _content_length(scope: Scope) -> int | None:
    """The declared body length; None if absent. Raises a 400 for a value that is not one non-negative integer."""
    values = [v for k, v in scope.get("headers", []) if k.lower() == b"content-length"]
    if not values:
        return None
    if len(set(values)) != 1 or not values[0].strip().isdigit():
        raise ApiError(400, "Content-Length must be one non-negative integer", headers=_CLOSE)
    return int(values[0])


def check_request_head(scope: Scope, max_body_bytes: int) -> None:
    """Refuse a request from its head alone: an oversized target, header block or declared body."""
    target = len(scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape"))
    target += len(scope.get("query_string", b""))
    if target > MAX_TARGET_BYTES:
        raise ApiError(414, f"Request path and query are longer than {MAX_TARGET_BYTES} bytes", headers=_CLOSE)
    if sum(len(k) + len(v) for k, v in scope.get("headers", [])) > MAX_HEADER_BYTES:
        raise ApiError(431, f"Request headers are larger than {MAX_HEADER_BYTES} bytes", headers=_CLOSE)
    declared = _content_length(scope)
    if declared is not None and declared > max_body_bytes:
        raise BodyTooLarge(max_body_bytes)


def limited_receive(receive: Receive, max_body_bytes: int) -> Receive:
    """``receive``, raising :class:`BodyTooLarge` as soon as the body chunks seen add up to more than the limit."""
    seen = 0

    async def receive_within_limit() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_body_bytes:
                raise BodyTooLarge(max_body_bytes)
        return message

    return receive_within_limit
