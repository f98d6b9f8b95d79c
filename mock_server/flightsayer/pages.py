"""Limit/offset pages with absolute ``next``/``previous`` links that keep every other query parameter.

The seed's example: "next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=...&offset=50".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL


def page_link(url: URL, query: list[tuple[str, str]], *, limit: int, offset: int) -> str:
    kept = [(k, v) for k, v in query if k not in ("limit", "offset")]
    return str(url.replace(query=urlencode([("limit", str(limit)), *kept, ("offset", str(offset))])))


def _links(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int) -> dict[str, str | None]:
    has_next = offset + limit < count
    has_previous = offset > 0
    return {
        "next": page_link(url, query, limit=limit, offset=offset + limit) if has_next else None,
        "previous": page_link(url, query, limit=limit, offset=max(0, min(offset, count) - limit))
        if has_previous else None,
    }


def page(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int,
         results: list[Any]) -> dict[str, Any]:
    """The DRF page object for ``results``, the slice at ``offset`` of ``count`` matches."""
    links = _links(url, query, count=count, offset=offset, limit=limit)
    return {"count": count, "next": links["next"], "previous": links["previous"], "results": results}


def page_json(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int,
              results: Iterable[bytes]) -> bytes:
    """The same page as :func:`page`, assembled from results already serialised as JSON."""
    links = _links(url, query, count=count, offset=offset, limit=limit)
    head = json.dumps({"count": count, **links}, separators=(",", ":"))[:-1].encode()
    return head + b',"results":[' + b",".join(results) + b"]}"
