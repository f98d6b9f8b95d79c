"""Limit/offset pages with absolute ``next``/``previous`` links that keep every other query parameter.

The seed's example: "next": "https://api.flightsayer.com/flights/v1/search/?limit=50&earliest_departure=...&offset=50".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.datastructures import URL


def page_link(url: URL, query: list[tuple[str, str]], *, limit: int, offset: int) -> str:
    kept = [(k, v) for k, v in query if k not in ("limit", "offset")]
    return str(url.replace(query=urlencode([("limit", str(limit)), *kept, ("offset", str(offset))])))


def _links(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int) -> dict[str, str | None]:
    has_next = offset + limit < count
    has_previous = offset > 0
    if not (has_next or has_previous):
        return {"next": None, "previous": None}
    # page_link's result, with the URL and the kept parameters encoded once for both links.
    base = str(url.replace(query=""))
    kept = urlencode([(k, v) for k, v in query if k not in ("limit", "offset")])
    middle = f"&{kept}" if kept else ""
    return {
        "next": f"{base}?limit={limit}{middle}&offset={offset + limit}" if has_next else None,
        "previous": f"{base}?limit={limit}{middle}&offset={max(0, min(offset, count) - limit)}"
        if has_previous else None,
    }


def page_head(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int) -> dict[str, Any]:
    """Every field of the DRF page but ``results``: the slice at ``offset`` of ``count`` matches."""
    return {"count": count, **_links(url, query, count=count, offset=offset, limit=limit)}


def page(url: URL, query: list[tuple[str, str]], *, count: int, offset: int, limit: int,
         results: list[Any]) -> dict[str, Any]:
    """The DRF page object for ``results``, the slice at ``offset`` of ``count`` matches."""
    return {**page_head(url, query, count=count, offset=offset, limit=limit), "results": results}


def _head_bytes(head: dict[str, Any]) -> bytes:
    # orjson writes what the standard library does for printable ASCII strings, ints and null (~10x faster); other
    # strings (a Host header can hold anything) the standard library escapes, as pages always had them.
    if all(not isinstance(v, str) or (v.isascii() and v.isprintable()) for v in head.values()):
        return orjson.dumps(head)
    return json.dumps(head, separators=(",", ":")).encode()


def page_json(head: dict[str, Any], results: Iterable[bytes]) -> bytes:
    """The page made of ``head`` (from :func:`page_head`) and results already serialised as JSON."""
    return _head_bytes(head)[:-1] + b',"results":[' + b",".join(results) + b"]}"
