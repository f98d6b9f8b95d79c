"""Which requests the contract speaks about: the rule every judge of an answer follows.

An answer is judged by the rules of the operation the request called. A request the specs do not define is no call
of any operation, and its answer may be judged only by HTTP and JSON themselves (``conformance/checks/http_rules.py``),
never by a seed rule written for another operation:

- a method the specs do not document for that path (``OPTIONS``, ``TRACE``, ``PROPFIND``...; ``HEAD`` is HTTP's own
  form of ``GET``): Django REST framework answers ``OPTIONS`` with its metadata document, Express with its ``Allow``
  list, FastAPI with a 405, and the seeds define none of these;
- an ``Accept`` that prefers a media type the specs do not document: both APIs answer ``application/json`` only, and
  a browser's ``text/html,...`` may get a framework's browsable page instead (Django REST framework's).

The third kind, parameter values beyond anything the seeds show, is a property of how a request was made, not of
the request alone: the suite's generated negative requests are such, and are judged by HTTP plus the refusal the
seeds require where they define the form (``conformance/schema_testing.py``). Positive requests are kept inside what
every implementation must accept (``api_contract/accepted_inputs.py``).
"""

from __future__ import annotations

from api_contract.routing import ROUTES, api_of_path, canonical_path

JSON_TYPES = ("application/json", "application/*", "*/*")


def undocumented_method(method: str, path: str) -> bool:
    """Whether ``method`` is one the specs do not document at ``path`` of either API (HEAD counts as GET)."""
    return ROUTES.operation_of(method.upper(), canonical_path(path)) is None


def prefers_other_than_json(accept: str | None) -> bool:
    """Whether an ``Accept`` header ranks some media type the specs do not document above JSON (RFC 9110, 12.5.1):
    JSON, ``application/*`` or ``*/*`` must be among its highest-weighted ranges. No ``Accept`` means anything."""
    if accept is None or not accept.strip():
        return False
    ranked: list[tuple[float, str]] = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if media:
            ranked.append((weight, media.lower()))
    if not ranked:
        return False
    best = max(weight for weight, _ in ranked)
    return best <= 0 or not any(weight == best and media in JSON_TYPES for weight, media in ranked)


def outside_contract(method: str, path: str, accept: str | None = None) -> str | None:
    """Why the specs do not define this request (a sentence for a report), or None when it calls an operation of
    theirs. Paths of neither API are outside both."""
    if api_of_path(path) is None:
        return f"{path} is no path of either API"
    if undocumented_method(method, path):
        return f"{method.upper()} is not a method the specs document for {path}"
    if prefers_other_than_json(accept):
        return f"Accept: {accept} prefers a media type the specs do not document (both APIs answer JSON)"
    return None
