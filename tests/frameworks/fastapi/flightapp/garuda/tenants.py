"""The companies this service knows: their credentials, deployments and flight plans.

Ids are 32 lowercase hex characters, the form the seed shows; they are derived from readable names so the data stays
the same from one start to the next.
"""

import hashlib
from dataclasses import dataclass, field


def hex_id(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()


@dataclass(frozen=True)
class Company:
    company_id: str
    token: str
    api_key: str
    deployments: frozenset[str]
    approved_plans: frozenset[str]
    unapproved_plans: frozenset[str] = field(default_factory=frozenset)


def _company(name: str, deployments: int, approved: int, unapproved: int) -> Company:
    return Company(
        company_id=hex_id(f"company:{name}"),
        token=f"{name}-bearer-token",
        api_key=f"{name}-api-key",
        deployments=frozenset(hex_id(f"deployment:{name}:{n}") for n in range(deployments)),
        approved_plans=frozenset(hex_id(f"plan:{name}:approved:{n}") for n in range(approved)),
        unapproved_plans=frozenset(hex_id(f"plan:{name}:pending:{n}") for n in range(unapproved)),
    )


COMPANIES = (
    _company("skyline-survey", deployments=2, approved=2, unapproved=1),
    _company("harbour-drones", deployments=2, approved=1, unapproved=1),
)


def company_for(token: str, api_key: str) -> Company | None:
    """The company both credentials belong to, or None: one company's token with another's key is no one."""
    for company in COMPANIES:
        if company.token == token and company.api_key == api_key:
            return company
    return None


def company_by_token(token: str) -> Company | None:
    """Only the ``api_key_optional`` mutant asks this: the token alone is not enough."""
    return next((company for company in COMPANIES if company.token == token), None)
