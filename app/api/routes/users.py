"""Accounts and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import CurrentUser, oauth2
from app.http.deps import RuntimeDep, client_address
from app.http.present import interview_public
from app.http.schemas import AccountExport, ErrorPublic, TokenPublic, UserCreate, UserPublic
from app.http.settings import settings_public
from app.http.settings_schemas import AccountSettingsPublic, AccountSettingsUpdate
from app.http.speech import recording_public
from app.services import interviews as users_data
from app.services import recordings, scoring, users

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post(
    "/users",
    status_code=201,
    response_model=UserPublic,
    responses={409: {"model": ErrorPublic}, 422: {"model": ErrorPublic}},
)
async def register(body: UserCreate, runtime: RuntimeDep) -> UserPublic:
    """Create an account."""
    user = await users.register(runtime=runtime, username=body.username, password=body.password)
    return UserPublic.model_validate(user)


@router.post(
    "/auth/token",
    response_model=TokenPublic,
    responses={401: {"model": ErrorPublic}, 429: {"model": ErrorPublic}},
)
async def token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep
) -> TokenPublic:
    """Exchange a username and password for a bearer token."""
    user = await users.authenticate(
        runtime=runtime,
        username=form.username,
        password=form.password,
        address=client_address(request),
    )
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenPublic(access_token=users.issue_token(runtime=runtime, user=user))


@router.post("/auth/logout", status_code=204)
async def logout(
    runtime: RuntimeDep, user: CurrentUser, token: Annotated[str, Depends(oauth2)]
) -> Response:
    """Revoke the bearer token used for this request."""
    await users.revoke(runtime=runtime, token=token)
    return Response(status_code=204)


@router.get("/users/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(user)


@router.get("/users/me/settings", response_model=AccountSettingsPublic)
async def read_settings(runtime: RuntimeDep, user: CurrentUser) -> AccountSettingsPublic:
    """Your settings: whether your recordings are kept, and how many are."""
    return await settings_public(runtime, user)


@router.patch(
    "/users/me/settings",
    response_model=AccountSettingsPublic,
    responses={422: {"model": ErrorPublic}},
)
async def change_settings(
    body: AccountSettingsUpdate, runtime: RuntimeDep, user: CurrentUser
) -> AccountSettingsPublic:
    """Change your settings; those left out stay as they are."""
    await users.change_settings(runtime=runtime, user=user, keep_recordings=body.keep_recordings)
    return await settings_public(runtime, user)


@router.get("/users/me/export", response_model=AccountExport)
async def export_account(runtime: RuntimeDep, user: CurrentUser) -> AccountExport:
    """Everything stored about the caller: the account and every interview in full."""
    interviews, kept = [], []
    for interview_id in await users_data.interview_ids(runtime=runtime, owner=user):
        interview, messages, card = await scoring.read_complete(
            runtime=runtime, owner=user, interview_id=interview_id
        )
        interviews.append(interview_public(runtime, interview, messages, card))
        listed = await recordings.listed(runtime=runtime, owner=user, interview_id=interview_id)
        kept += [recording_public("/api/v1", interview_id, each) for each in listed]
    chosen = await users.settings_of(runtime=runtime, user=user)
    return AccountExport(
        user=UserPublic.model_validate(user),
        interviews=interviews,
        keep_recordings=chosen.keep_recordings,
        recordings=kept,
    )


@router.delete("/users/me", status_code=204)
async def delete_account(runtime: RuntimeDep, user: CurrentUser) -> Response:
    """Delete the account with all its interviews, transcripts and scorecards."""
    await users.erase(runtime=runtime, user=user)
    return Response(status_code=204)
