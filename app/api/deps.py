"""Dependencies injected into routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from app.services import users
from app.services.runtime import Runtime
from app.store.models import User

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


async def get_runtime(request: Request) -> Runtime:
    """The runtime built at start-up (async: FastAPI runs a plain def in its thread pool)."""
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def client_address(request: Request) -> str:
    """The peer's address, which sign-in limits count by (behind a reverse proxy, uvicorn puts
    the client's there from X-Forwarded-For when the proxy is in FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


async def current_user(runtime: RuntimeDep, token: Annotated[str, Depends(oauth2)]) -> User:
    """The user the bearer token belongs to; 401 otherwise."""
    user = await users.from_token(runtime=runtime, token=token)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="invalid or expired token; sign in again at POST /api/v1/auth/token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]
