"""Both credentials of the seed's curl lines, ``Authorization: Bearer`` and ``X-API-Key``, must name one company.

FastAPI's ``HTTPBearer`` and ``APIKeyHeader`` answer a missing credential themselves (their default 401)."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from flightapp import mutants
from flightapp.garuda.tenants import Company, company_by_token, company_for

bearer = HTTPBearer(description="Garuda AUTH_TOKEN")
api_key_header = APIKeyHeader(name="X-API-Key", description="Garuda API_KEY",
                              auto_error=not mutants.active("api_key_optional"))


def current_company(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
                    api_key: Annotated[str | None, Depends(api_key_header)]) -> Company:
    if api_key is None:  # only reachable with the api_key_optional mutant
        company = company_by_token(credentials.credentials)
    else:
        company = company_for(credentials.credentials, api_key)
    if company is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid authentication credentials",
                            headers={"WWW-Authenticate": "Bearer"})
    return company


CurrentCompany = Annotated[Company, Depends(current_company)]
