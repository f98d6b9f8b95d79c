"""A shell line that replays a request exactly as sent, credentials included (they are the user's own config)."""

from __future__ import annotations

import shlex

import httpx

_REPLAYED_HEADERS = ("authorization", "x-api-key", "content-type")


def curl_line(request: httpx.Request) -> str:
    parts = ["curl", "-X", request.method, shlex.quote(str(request.url))]
    for name, value in request.headers.items():
        if name.lower() in _REPLAYED_HEADERS:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    try:
        body = request.content
    except httpx.RequestNotRead:  # a request httpx built to follow a redirect: its body is still a stream
        body = request.read()
    if body:
        parts += ["-d", shlex.quote(body.decode("utf-8", "replace"))]
    return " ".join(parts)
