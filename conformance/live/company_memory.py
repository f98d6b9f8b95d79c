"""Which company each Garuda credential has been answered for, and the check that reads a new answer beside it.

``credentials_answer_for_one_company``: the seed's lists hold the sessions "belonging to your company", and the token
and the API key must be of one company (seed-rule). So one answer never mixes companies, and a token or an API key
answered with company A's sessions is never answered with company B's: that is another company's data, or a pair of
two companies' credentials let in. Nothing another client does changes which company a credential belongs to, and a
session another client moves elsewhere leaves this company's view rather than changing company in it. Credentials
are remembered only as salted hashes (:mod:`conformance.live.credentials`).
"""

from __future__ import annotations

import json
from typing import Any

from conformance.checks.query_matching import id_key
from conformance.checks.violation import Violation
from conformance.live.bounded import BoundedMap
from conformance.live.credentials import Caller
from conformance.live.exchange import Exchange, Finding, Span

CompanyMemory = BoundedMap[bytes, tuple[str, Span]]
LABELS = ("token", "API key")


def companies_in(exchange: Exchange) -> list[str]:
    data = exchange.data
    sessions: list[Any] = data if isinstance(data, list) else [data]
    return [id_key(s["company_id"]) for s in sessions if isinstance(s, dict) and isinstance(s.get("company_id"), str)]


def credentials_answer_for_one_company(memory: CompanyMemory, caller: Caller, exchange: Exchange) -> list[Finding]:
    """"You can get all the flight sessions belonging to your company": an answer holds one company's sessions, and
    each token and API key is only ever answered with the sessions of one company.
    """
    name = credentials_answer_for_one_company.__name__
    companies = sorted(set(companies_in(exchange))) if exchange.succeeded else []
    if len(companies) > 1:
        return [Finding(Violation(name, "data", "the sessions of one company", f"companies {json.dumps(companies)}"))]
    if not companies:
        return []
    for label, part in zip(LABELS, caller.parts, strict=True):
        known = memory.get(part) if part is not None else None
        if known is not None and known[0] != companies[0] and known[1].before(exchange.span):
            return [Finding(Violation(name, "data/company_id", f"company {known[0]}, which this {label} was answered "
                                      "for earlier", f"company {companies[0]}"), known[1])]
    return []


def remember(memory: CompanyMemory, caller: Caller, exchange: Exchange) -> None:
    companies = set(companies_in(exchange)) if exchange.succeeded else set()
    if len(companies) != 1:
        return
    company = companies.pop()
    for part in caller.parts:
        if part is not None and memory.get(part) is None:
            memory.put(part, (company, exchange.span))
