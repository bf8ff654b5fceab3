"""Dependencies injected into routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from app.http.deps import RuntimeDep
from app.services import users
from app.store.models import User

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


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
