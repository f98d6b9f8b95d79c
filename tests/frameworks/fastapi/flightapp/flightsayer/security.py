"""``Authorization: Token <token>``, the seed's scheme. FastAPI has no helper for the ``Token`` scheme, so the header
is read with ``APIKeyHeader`` (its default answers a missing header) and the scheme checked here."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import APIKeyHeader

USERS = {
    "0d5f4c7e9b2a41f3a8c6e1d2b3f4a5c6": "concerned-passenger",
    "7a1b2c3d4e5f60718293a4b5c6d7e8f9": "travel-desk",
}

authorization = APIKeyHeader(name="Authorization", scheme_name="TokenAuth",
                             description="The word `Token`, a space, and the token")


def current_user(header: Annotated[str, Depends(authorization)]) -> str:
    scheme, _, token = header.partition(" ")
    user = USERS.get(token.strip()) if scheme.lower() == "token" else None
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid token.", headers={"WWW-Authenticate": "Token"})
    return user


CurrentUser = Annotated[str, Depends(current_user)]
