"""What the run sent the backend and what it answered, counted as it happens.

Every client the suite talks to the backend through (the checks' httpx clients, the requests session schemathesis
sends through) reports each answer here, so the report says what was exercised from what happened, not from a list
typed by hand: requests per API, and for each operation each status the backend answered. Requests to paths of
neither API (the mock's ``/_mock`` control API, which the webhook trigger uses) are counted apart.

Counts only, no bodies and no headers: the record crosses from worker processes to the one that reports
(``as_data``/``merge``), and it must never carry a credential.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import httpx
import requests

from api_contract.routing import ROUTES, api_of_path, canonical_path

OTHER = "other"  # requests to no API's path


class TrafficRecord:
    def __init__(self) -> None:
        self.statuses: Counter[tuple[str, str, int]] = Counter()  # (api, operation or "", status)
        self._lock = threading.Lock()

    def note(self, method: str, url: str, status: int) -> None:
        path = canonical_path(urlsplit(url).path)
        api = api_of_path(path) or OTHER
        routed = ROUTES.match(method.upper(), path)
        operation = routed[0].operation_id if routed is not None else ""
        with self._lock:
            self.statuses[(api, operation, status)] += 1

    def httpx_hook(self, response: httpx.Response) -> None:
        self.note(response.request.method, str(response.request.url), response.status_code)

    def requests_hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.note(response.request.method or "", response.request.url or "", response.status_code)
        return response

    def sent(self, api: str) -> int:
        with self._lock:
            return sum(count for (of, _, _), count in self.statuses.items() if of == api)

    def observed(self, operation: str) -> Counter[int]:
        """How often the backend answered each status to ``operation``."""
        with self._lock:
            return Counter({status: count for (_, of, status), count in self.statuses.items() if of == operation})

    def as_data(self) -> list[list[Any]]:
        with self._lock:
            return [[api, operation, status, count] for (api, operation, status), count in self.statuses.items()]

    def merge(self, data: list[list[Any]]) -> None:
        with self._lock:
            for api, operation, status, count in data:
                self.statuses[(api, operation, int(status))] += int(count)
