"""How each violation is made visible: a response header for the caller, and a log line for whoever runs the proxy.

The header mirrors Prism's ``sl-violations``: a compact JSON list of ``{side, check, message}``, with ``seed`` and
``calls`` (method, path, time; earlier first) for the checks that read an answer beside its request or earlier
calls. Browsers and servers cap header sizes, so the list is cut to :data:`MAX_HEADER_BYTES` with a last entry saying
how many more the journal holds. Neither carries credentials: messages are masked where they are made, and headers
are never logged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from conformance.contract_validation import BLAME, ContractViolation

VIOLATIONS_HEADER = "X-Contract-Violations"
MAX_HEADER_BYTES = 8192

logger = logging.getLogger("mock_server.proxy")


def _compact(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, separators=(",", ":"), ensure_ascii=True)


def violations_header(violations: list[ContractViolation]) -> str:
    """The header's value: ASCII JSON, at most :data:`MAX_HEADER_BYTES` long."""
    items = [v.as_dict() for v in violations]
    value = _compact(items)
    kept = len(items)
    while len(value) > MAX_HEADER_BYTES and kept > 0:
        kept -= 1
        more = {"side": items[kept]["side"], "check": "truncated",
                "message": f"{len(items) - kept} more violations: GET /_mock/violations"}
        value = _compact([*items[:kept], more])
    return value


def log_violations(method: str, path: str, operation: str | None, violations: list[ContractViolation]) -> None:
    """One warning per violation, naming the side to blame; the path is logged without its query string."""
    for violation in violations:
        related = ""
        if violation.seed:
            related += f' (seed: "{violation.seed}")'
        if len(violation.calls) > 1:
            related += " contradicting " + "; ".join(call.describe() for call in violation.calls[:-1])
        logger.warning("contract violation by the %s (%s): %s %s [%s] %s: %s%s", BLAME[violation.side],
                       violation.side, method, path, operation or "unknown operation", violation.check,
                       violation.message, related)
