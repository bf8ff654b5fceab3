"""Errors on pages are readable pages; sign-in problems redirect to the sign-in form."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from app.web.pages import page
from app.web.session import CsrfFailed, LoginRequired

TITLES = {
    400: "That request did not work",
    403: "That form has expired",
    404: "Not found",
    409: "That cannot be done right now",
    413: "That is too large",
    422: "Please check what you entered",
    429: "Too many requests",
    502: "The interviewer model failed",
    503: "The interviewer model is unavailable",
}


def wants_html(request: Request) -> bool:
    """True for a browser navigating to a page (not the API, not the chat's fetches)."""
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accept


def error_page(request: Request, status: int, message: str) -> Response | None:
    """A readable error page for a browser; None for API and script requests."""
    if not wants_html(request):
        return None
    return page(
        request,
        "error.html",
        user=None,
        status=status,
        title=TITLES.get(status, "Something went wrong"),
        message=message,
    )


async def _login_required(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    query = {"next": error.next_url, **({"expired": "1"} if error.expired else {})}
    if not wants_html(request):
        return JSONResponse(
            {
                "detail": "Your session expired; sign in again.",
                "code": "unauthorized",
                "retryable": False,
            },
            status_code=401,
        )
    return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)


async def _csrf_failed(request: Request, _error: Exception) -> Response:
    message = (
        "This form was open for too long or came from another site. Reload the page and try again."
    )
    body = {"detail": message, "code": "csrf", "retryable": False}
    return error_page(request, 403, message) or JSONResponse(body, status_code=403)


def install(app: FastAPI) -> None:
    """Register the page-specific handlers."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)


def form_problems(error: ValidationError) -> str:
    """A form's validation errors in one line: "field: problem; field: problem"."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in error.errors()
    )
