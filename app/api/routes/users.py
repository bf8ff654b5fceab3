"""Accounts and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import CurrentUser, RuntimeDep
from app.api.schemas import ErrorPublic, TokenPublic, UserCreate, UserPublic
from app.services import users

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post(
    "/users", status_code=201, response_model=UserPublic, responses={409: {"model": ErrorPublic}}
)
async def register(body: UserCreate, runtime: RuntimeDep) -> UserPublic:
    """Create an account."""
    user = await users.register(runtime=runtime, username=body.username, password=body.password)
    return UserPublic.model_validate(user)


@router.post("/auth/token", response_model=TokenPublic, responses={401: {"model": ErrorPublic}})
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep
) -> TokenPublic:
    """Exchange a username and password for a bearer token."""
    user = await users.authenticate(runtime=runtime, username=form.username, password=form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenPublic(access_token=users.issue_token(runtime=runtime, user=user))


@router.get("/users/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(user)
