"""A page whose results disagree with its count once, because a write of another check landed between the backend's
count query and its page query (Django REST framework makes two), passes; a backend that miscounts on every read
fails. The suite's checks run concurrently for one user, so the first must not be a finding."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest

from conformance.schema_testing import load_schema, seed_rules_hold

SUBSCRIPTION = {"flight_id": "UA576BOSSFO1606092145", "target": "http://example.com/hook",
                "created": "2016-07-12T19:26:23Z", "updated": "2016-07-12T19:29:34Z"}
RACED = {"count": 1, "next": None, "previous": None, "results": [SUBSCRIPTION, SUBSCRIPTION]}
AT_REST = {"count": 2, "next": None, "previous": None, "results": [SUBSCRIPTION, SUBSCRIPTION]}
BAD_TIMES = {"count": 1, "next": None, "previous": None,
             "results": [{**SUBSCRIPTION, "updated": "2016-07-12T19:00:00Z"}]}


@contextmanager
def answering(*bodies: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """A server answering GETs with ``bodies`` in turn, the last one for ever after; yields its URL and the paths
    it was asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(bodies[min(len(asked), len(bodies) - 1)]).encode()
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def judge(first: dict[str, Any], base_url: str) -> None:
    """seed_rules_hold on ``first`` as the answer to a list of subscriptions, with re-reads going to ``base_url``."""
    case = load_schema("flightsayer")["/subscriptions/"]["GET"].Case(query={})
    ctx = SimpleNamespace(internals=SimpleNamespace(transport_kwargs={"base_url": base_url}))
    seed_rules_hold(ctx, SimpleNamespace(json=lambda: first, status_code=200), case)


def test_a_page_that_met_a_concurrent_write_passes_once_a_reread_holds() -> None:
    with answering(AT_REST) as (base_url, asked):
        judge(RACED, base_url)
    assert asked == ["/subscriptions/"]


def test_a_page_that_disagrees_with_its_count_on_every_read_fails() -> None:
    with answering(RACED) as (base_url, asked), pytest.raises(AssertionError, match="page_results_agree_with_count"):
        judge(RACED, base_url)
    assert len(asked) == 3


def test_a_reread_that_breaks_another_rule_reports_that_rule() -> None:
    with answering(BAD_TIMES) as (base_url, _), pytest.raises(AssertionError, match="subscription_times_are_ordered"):
        judge(RACED, base_url)


def test_a_page_breaking_another_rule_is_not_read_again() -> None:
    with answering(AT_REST) as (base_url, asked), pytest.raises(AssertionError, match="subscription_times_are_ordered"):
        judge(BAD_TIMES, base_url)
    assert asked == []
