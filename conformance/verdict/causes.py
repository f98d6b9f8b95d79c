"""What a failure says is wrong, reduced to its cause: the rule broken and what broke it, with everything that varies
from one request to the next (ids, times, counts, the operation) taken out. Failures with one cause are one finding
(:mod:`conformance.verdict.findings`), whichever check saw them and on whichever operation.

The rule is the most specific normative text a failure cites: an RFC clause when it names one, else the seed
sentence the check enforces, else the schemathesis failure kind (which judges the specs' contract). The cause is
normalised from the failure's structured parts (schemathesis's failure objects, a check's expected and actual).

One kind of cause is the same whoever saw it: an answer without a header it must carry. schemathesis reports it as
``MissingHeaders``, a check as an expectation naming the header, its actual the answer's headers. Either way the
cause is "HTTP 401 without WWW-Authenticate", keyed by the status and the header alone, so every such answer is one
finding whatever rule each check quotes for it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from api_contract.routing import ROUTES, canonical_path
from conformance.checks.violation import ConformanceFailure

_RFC = re.compile(r"RFC ?(\d{3,5})(?:,? (?:section |§ ?)?(\d+(?:\.\d+)*))?")
_STATUS_LINE = re.compile(r"^\s*\|?\s*\[(\d{3})\]", re.M)  # schemathesis: "[401] Unauthorized:"
_STATUS = re.compile(r"\b([1-5]\d\d)\b")
_HTTP_STATUS = re.compile(r"\bHTTP ([1-5]\d\d)\b")
# A header field named in an expectation: hyphenated (WWW-Authenticate, X-API-Key), or one word called a header
# ("an Allow header").
_HEADER_NAME = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*-)+[A-Z][A-Za-z0-9]*\b|\b[A-Z][A-Za-z]+(?= header\b)")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_ID = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{6,}\b")  # a token with a digit: an id, a flight id, a key
_NUMBER = re.compile(r"(?<![\w<.])-?\d+(?:\.\d+)?(?![\w>])")
MISSING_HEADER = "missing header"


@dataclass(frozen=True)
class Cause:
    """One cause of one failure."""

    rule: str  # the rule broken, as the report quotes it
    cause: str  # what broke it, normalised
    operation: str = ""  # "GET /flights/v1/search" where the failure names it
    detail: str = ""  # this occurrence in its own words
    kind: str = ""  # MISSING_HEADER, or "" for a cause judged by its rule

    @property
    def key(self) -> str:
        """The finding's identity: a missing header by status and header alone, anything else by rule and cause."""
        return f"{MISSING_HEADER}\n{self.cause}" if self.kind == MISSING_HEADER else f"{self.rule}\n{self.cause}"


def cited_rule(*texts: str) -> str | None:
    """The first RFC clause ``texts`` cite, as ``RFC 9110, 15.5.2`` (or ``RFC 9110``)."""
    for text in texts:
        match = _RFC.search(text or "")
        if match:
            return f"RFC {match.group(1)}" + (f", {match.group(2)}" if match.group(2) else "")
    return None


def normalise(text: str, limit: int = 200) -> str:
    """``text`` without what varies between occurrences: quoted values, times, ids, numbers (HTTP statuses stay)."""
    flat = " ".join(text.split())
    flat = _TIME.sub("<time>", flat)
    flat = _QUOTED.sub("<value>", flat)
    flat = _ID.sub("<id>", flat)
    flat = _NUMBER.sub(lambda number: number.group() if _STATUS.fullmatch(number.group()) else "<n>", flat)
    return flat[:limit]


def _header_names(text: str) -> dict[str, str]:
    return {name.lower(): name for name in _HEADER_NAME.findall(text)}


def _answered_headers(actual: str) -> set[str] | None:
    """The header names of an answer when ``actual`` is the answer's headers (a mapping of strings), else None."""
    try:
        value = ast.literal_eval(actual.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return {key.lower() for key in value}
    return None


def of_check(failure: ConformanceFailure, operation: str = "") -> list[Cause]:
    """The cause of one of the suite's own failed checks."""
    detail = f"expected {failure.expected}; got {failure.actual}"
    answered = _answered_headers(failure.actual)
    if answered is not None:
        missing = [name for lower, name in _header_names(failure.expected).items() if lower not in answered]
        status = _STATUS.search(failure.expected)
        if missing and status:
            rule = cited_rule(failure.expected, failure.seed) or failure.seed
            return [Cause(rule, f"HTTP {status.group(1)} without {name}", operation, detail, MISSING_HEADER)
                    for name in missing]
    rule = cited_rule(failure.expected) or failure.seed or failure.check
    got = _HTTP_STATUS.match(failure.actual.strip())
    cause = normalise(failure.expected) + (f"; got HTTP {got.group(1)}" if got else "")
    return [Cause(rule, cause, operation, detail)]


def of_schemathesis(failure: BaseException, status: str | None) -> list[Cause]:
    """The causes of one schemathesis failure (``schemathesis.core.failures.Failure``), ``status`` the answer's."""
    code, title = getattr(failure, "code", ""), getattr(failure, "kind_title", "") or type(failure).__name__
    rule = cited_rule(getattr(failure, "message", "")) or f"{code} {title}".strip()
    operation = getattr(failure, "operation", "") or ""
    detail = " ".join(str(getattr(failure, "message", "") or failure).split())[:300]
    missing = getattr(failure, "missing_headers", None)
    if isinstance(missing, list) and missing:
        return [Cause(rule, f"HTTP {status or '?'} without {name}", operation, detail, MISSING_HEADER)
                for name in missing]
    if hasattr(failure, "schema_path") and hasattr(failure, "instance_path"):
        fields = [str(part) for part in failure.instance_path if not isinstance(part, int)]
        keyword = str(list(failure.schema_path)[-1]) if list(failure.schema_path) else "schema"
        cause = f"{fields[-1] if fields else '<root>'}: {keyword}"
    else:
        unique = getattr(failure, "_unique_key", "") or ""
        cause = normalise(str(unique)) if unique and unique != operation else title
    return [Cause(rule, cause + (f" (HTTP {status})" if status else ""), operation, detail)]


def _is_schemathesis(error: BaseException) -> bool:
    """A schemathesis failure (``schemathesis.core.failures.Failure``), told by its stable code and kind."""
    return isinstance(getattr(error, "code", None), str) and hasattr(error, "kind_title")


def causes_of(error: BaseException, operation: str = "") -> list[Cause]:
    """Every cause ``error`` (what a failed check raised) reports: one for a check of ours, one or more for each
    failure schemathesis found (a group of them, or Hypothesis's group of such groups)."""
    if isinstance(error, ConformanceFailure):
        return of_check(error, operation)
    if isinstance(error, BaseExceptionGroup):
        status = _STATUS_LINE.search(str(error))
        found: list[Cause] = []
        for inner in error.exceptions:
            if _is_schemathesis(inner) and not isinstance(inner, BaseExceptionGroup):
                found += of_schemathesis(inner, status.group(1) if status else None)
            else:
                found += causes_of(inner, operation)
        return found
    if _is_schemathesis(error):
        status = _STATUS_LINE.search(str(error))
        return of_schemathesis(error, status.group(1) if status else None)
    text = str(error) or type(error).__name__
    return [Cause(cited_rule(text) or type(error).__name__, normalise(text.splitlines()[0] if text else ""),
                  operation, " ".join(text.split())[:300])]


_CURL = re.compile(r"curl(?:\s+-X\s+(\w+))?.*?\s'?(https?://[^\s']+)")


def operation_of_curl(curl: str) -> str:
    """The operation a curl line calls, as schemathesis names operations (``GET /flights/v1/status/{flight_id}``);
    "" when it calls none of the specs'."""
    match = _CURL.search(curl or "")
    if match is None:
        return ""
    method = (match.group(1) or "GET").upper()
    routed = ROUTES.match(method, canonical_path(urlsplit(match.group(2)).path))
    if routed is None:
        return ""
    route = ROUTES.operations[routed[0].operation_id]
    return f"{route.method} {route.path}"
