"""Read HAR 1.2 files into the exchanges :mod:`conformance.contract_validation` judges.

Browsers write the request's body in ``postData.text`` and the response's, already decoded from any
content-encoding, in ``content.text`` (base64 when ``content.encoding`` says so). HTTP/2 pseudo-headers (``:path``...)
are dropped; the query is taken from the URL itself, which keeps its original encoding. ``startedDateTime`` and
``time`` say when each exchange began and how long it took, so the live checks can tell which calls followed which.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conformance.contract_validation import RecordedRequest, RecordedResponse


@dataclass(frozen=True)
class HarEntry:
    """One recorded exchange; ``index`` is its position in ``log.entries``, counted from 0."""

    index: int
    url: str
    request: RecordedRequest
    response: RecordedResponse | None  # None when the browser got no answer (status 0)
    started: datetime | None = None  # ``startedDateTime``, when the recording has it
    duration: float | None = None  # seconds, from ``time``

    @property
    def wall(self) -> str:
        if self.started is None:
            return ""
        return self.started.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _headers(items: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    return [(str(h["name"]), str(h.get("value", ""))) for h in items or [] if not str(h["name"]).startswith(":")]


def _request_body(request: dict[str, Any]) -> bytes | None:
    post = request.get("postData") or {}
    text = post.get("text")
    return text.encode("utf-8") if text else None


def _response_body(content: dict[str, Any]) -> bytes | None:
    text = content.get("text")
    if text is None or text == "":
        return None
    if content.get("encoding") == "base64":
        return base64.b64decode(text)
    return text.encode("utf-8")


def _response(entry: dict[str, Any]) -> RecordedResponse | None:
    response = entry.get("response") or {}
    status = int(response.get("status") or 0)
    if status <= 0:
        return None
    return RecordedResponse(status, _headers(response.get("headers")), _response_body(response.get("content") or {}))


def _started(entry: dict[str, Any]) -> datetime | None:
    try:
        started = datetime.fromisoformat(str(entry.get("startedDateTime")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return started if started.tzinfo is not None else None


def _duration(entry: dict[str, Any]) -> float | None:
    total = entry.get("time")
    return total / 1000 if isinstance(total, int | float) and not isinstance(total, bool) and total >= 0 else None


def entry_of(index: int, entry: dict[str, Any]) -> HarEntry:
    request = entry["request"]
    url = urlsplit(request["url"])
    recorded = RecordedRequest(request["method"].upper(), url.path or "/", url.query, _headers(request.get("headers")),
                               _request_body(request))
    return HarEntry(index, request["url"], recorded, _response(entry), _started(entry), _duration(entry))


def read_har(path: Path) -> list[HarEntry]:
    """Every entry of the HAR file at ``path``, in recorded order."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [entry_of(i, entry) for i, entry in enumerate(document["log"]["entries"])]
