"""The control API (every path under ``/_mock``) answers its own pages and non-browser clients, no other origin.

Whoever can drive it can read every tenant's data and the request journal, and wipe, replace or fault the mock; a
page on another origin must do neither. So, for every ``/_mock`` path alike (the console, the inbox and any later
page inherit it):

- a CORS preflight is refused, so no cross-origin request that needs one (a JSON body, a custom header, PUT or
  DELETE) is ever sent, and no answer carries ``Access-Control-Allow-Origin`` (the ``Origin`` of an accepted
  request is removed before the CORS middleware sees it);
- a request whose ``Origin`` is not the mock's own (scheme aside, the same host and port as ``Host``) is refused,
  reads included; browsers send ``Origin`` on every cross-origin request but a plain GET, and a GET's answer stays
  unreadable without ``Access-Control-Allow-Origin``;
- a ``POST`` (the one write a browser sends cross-origin without a preflight: a form, ``fetch`` in ``no-cors`` mode,
  ``sendBeacon``) must say it is not one: ``Content-Type: application/json``, an ``Authorization`` or any ``X-``
  header. No cross-site form can add them, so a browser too old to send ``Origin`` cannot make a write either.

curl, scripts and test runners send no ``Origin``; their requests pass as before (a ``POST`` with ``-H 'Content-Type:
application/json'`` or ``--json '{}'``).
"""

from __future__ import annotations

from starlette.types import Scope

from mock_server.errors import ApiError

_DEFAULT_PORTS = {"http": ":80", "https": ":443"}

PREFLIGHT_REFUSED = "The control API answers no cross-origin request: CORS preflight refused"
WRITE_NOT_MARKED = ("A POST to the control API must send Content-Type: application/json (a JSON body; {} will do) "
                    "or an X- header, so that no cross-site form can make it")


def _is_json(content_type: bytes | None) -> bool:
    media = (content_type or b"").partition(b";")[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def same_origin(origin: bytes, host: bytes | None) -> bool:
    """Whether ``origin`` is the origin of a page this server served under ``Host: host``."""
    scheme, separator, authority = origin.decode("latin-1").strip().lower().partition("://")
    if not separator or host is None:
        return False  # "null" (a sandboxed page, a file) or no Host to compare with
    here = host.decode("latin-1").strip().lower()
    default = _DEFAULT_PORTS.get(scheme, "")
    return authority.removesuffix(default) == here.removesuffix(default) if default else authority == here


def check_browser_rules(scope: Scope) -> None:
    """Raise the refusal a control request from a browser on another origin gets (403), or a POST a cross-site
    form could have sent (415)."""
    origin = host = content_type = None
    marked = preflight = False
    for name, value in scope["headers"]:
        if name == b"origin":
            origin = value
        elif name == b"host":
            host = value
        elif name == b"content-type":
            content_type = value
        elif name == b"authorization" or name.startswith(b"x-"):
            marked = True
        elif name == b"access-control-request-method":
            preflight = True
    if origin is not None and scope["method"] == "OPTIONS" and preflight:
        raise ApiError(403, PREFLIGHT_REFUSED)
    if origin is not None and not same_origin(origin, host):
        shown = origin.decode("latin-1")[:100]
        raise ApiError(403, f"Cross-origin request from {shown!r} refused: the control API answers only its own "
                            "pages and clients that are not browsers")
    if scope["method"] == "POST" and not marked and not _is_json(content_type):
        raise ApiError(415, WRITE_NOT_MARKED)


def without_origin(scope: Scope) -> Scope:
    """``scope`` without its ``Origin``, so that nothing behind grants it CORS access."""
    if not any(name == b"origin" for name, _ in scope["headers"]):
        return scope
    return {**scope, "headers": [(name, value) for name, value in scope["headers"] if name != b"origin"]}
