"""Browser sessions: a signed token in an HttpOnly cookie, and double-submit CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Form, Header, Request
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.services import users
from app.store.models import User

SESSION_COOKIE = "onsite_session"
CSRF_COOKIE = "onsite_csrf"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """The page needs a signed-in user; the handler redirects to the sign-in page."""

    def __init__(self, next_url: str, expired: bool):
        self.next_url = next_url
        self.expired = expired


class CsrfFailed(Exception):
    """A state-changing request without a matching CSRF token."""


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (issued on first sight, see `remember_csrf`)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def remember_csrf(request: Request, response: Response) -> None:
    """Set the CSRF cookie when this request issued a new token."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse unless the submitted token equals this browser's cookie."""
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfFailed


def start_session(request: Request, response: Response, token: str, minutes: int) -> None:
    """Sign the browser in."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=minutes * 60,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def end_session(response: Response) -> None:
    """Sign the browser out."""
    response.delete_cookie(SESSION_COOKIE, path="/")


async def optional_user(request: Request, runtime: RuntimeDep) -> User | None:
    """The signed-in user, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    return await users.from_token(runtime=runtime, token=token) if token else None


async def browser_user(request: Request, runtime: RuntimeDep) -> User:
    """The signed-in user; otherwise a redirect to sign in (saying when a session expired)."""
    user = await optional_user(request, runtime)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target, expired=SESSION_COOKIE in request.cookies)
    return user


BrowserUser = Annotated[User, Depends(browser_user)]
MaybeUser = Annotated[User | None, Depends(optional_user)]


async def _form_token(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> None:
    check_csrf(request, csrf_token)


async def _header_token(
    request: Request, x_csrf_token: Annotated[str | None, Header()] = None
) -> None:
    check_csrf(request, x_csrf_token)


# every state-changing page route declares one of these: a form field or a header (scripts)
CsrfForm = Annotated[None, Depends(_form_token)]
CsrfHeader = Annotated[None, Depends(_header_token)]
