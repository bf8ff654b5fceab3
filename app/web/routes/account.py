"""Sign up, sign in, sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from app.http.deps import RuntimeDep, client_address
from app.http.schemas import UserCreate
from app.services import users
from app.services.errors import Conflict, Invalid
from app.web.pages import page
from app.web.session import (
    SESSION_COOKIE,
    CsrfForm,
    MaybeUser,
    end_session,
    start_session,
)

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


def _sentence(message: str) -> str:
    """A service's message as a sentence on the page."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/signup")
async def signup_page(request: Request, user: MaybeUser) -> Response:
    """The sign-up form."""
    return page(request, "signup.html", user=user, error=None, username="")


@router.post("/signup")
async def signup(
    request: Request,
    runtime: RuntimeDep,
    username: FormText,
    password: FormText,
    confirm: FormText,
    _csrf: CsrfForm,
) -> Response:
    """Create an account and sign in."""
    error = None
    try:
        body = UserCreate(username=username, password=password)
    except ValidationError:
        error = (
            "Choose a username of 3-32 letters, digits, '.', '_' or '-', and a password of "
            "8-128 characters."
        )
    if error is None and password != confirm:
        error = "The two passwords differ."
    if error is None:
        try:
            user = await users.register(
                runtime=runtime, username=body.username, password=body.password
            )
        except (Conflict, Invalid) as refused:
            error = _sentence(refused.message)
    if error is not None:
        return page(request, "signup.html", user=None, error=error, username=username, status=422)
    return _signed_in(request, runtime, user, "/")


@router.get("/login")
async def login_page(
    request: Request, user: MaybeUser, next: str | None = None, expired: bool = False
) -> Response:
    """The sign-in form."""
    notice = "Your session expired. Please sign in again." if expired else None
    return page(
        request,
        "login.html",
        user=user,
        error=None,
        notice=notice,
        username="",
        next=_safe_next(next),
    )


@router.post("/login")
async def login(
    request: Request,
    runtime: RuntimeDep,
    username: FormText,
    password: FormText,
    _csrf: CsrfForm,
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the credentials and start a session."""
    user = await users.authenticate(
        runtime=runtime, username=username, password=password, address=client_address(request)
    )
    if user is None:
        return page(
            request,
            "login.html",
            user=None,
            error="Wrong username or password.",
            notice=None,
            username=username,
            next=_safe_next(next),
            status=401,
        )
    return _signed_in(request, runtime, user, _safe_next(next))


def _signed_in(request: Request, runtime: RuntimeDep, user, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    start_session(
        request,
        response,
        users.issue_token(runtime=runtime, user=user),
        runtime.settings.token_minutes,
    )
    return response


@router.post("/logout")
async def logout(request: Request, runtime: RuntimeDep, _csrf: CsrfForm) -> Response:
    """End the session and revoke its token."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await users.revoke(runtime=runtime, token=token)
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response
