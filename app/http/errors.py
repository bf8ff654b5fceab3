"""Every error leaves as JSON {detail, code, retryable}, or as a readable page in a browser."""

from __future__ import annotations

import math
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from app.services.errors import Busy, RateLimited, ServiceError, Unavailable

NEEDS_MIGRATION = {
    "detail": "the database needs `onsite migrate`",
    "code": "needs_migration",
    "retryable": False,
}
INTERNAL = {
    "detail": "something went wrong on the server; it is logged, and retrying will not help",
    "code": "internal",
    "retryable": False,
}
# PostgreSQL's undefined_table and undefined_column; SQLite says it in words
_MISSING_SCHEMA_STATES = {"42P01", "42703"}
_MISSING_SCHEMA_WORDS = ("no such table", "no such column")


def error_body(error: ServiceError) -> dict[str, object]:
    """The JSON body for a service error."""
    return {
        "detail": error.message,
        "code": error.code,
        "retryable": isinstance(error, RateLimited)
        or (isinstance(error, Unavailable) and error.retryable),
    }


def error_headers(error: ServiceError) -> dict[str, str]:
    """Retry-After for rate limits and retryable LLM failures."""
    if isinstance(error, RateLimited):
        return {"Retry-After": str(math.ceil(error.retry_after))}
    if isinstance(error, Unavailable) and error.retryable:
        return {"Retry-After": str(math.ceil(error.retry_after or 5))}
    return {}


# renders an error as a page for a browser navigating to one, or returns None for JSON
HtmlErrors = Callable[[Request, int, str], Response | None]


def install(app: FastAPI, *, html: HtmlErrors | None = None) -> None:
    """Register the handlers: JSON bodies, or pages when `html` renders one for the request."""

    def respond(request: Request, status: int, body: dict, headers=None) -> Response:
        rendered = html(request, status, str(body["detail"])) if html else None
        return rendered or JSONResponse(body, status_code=status, headers=headers)

    async def service_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ServiceError)
        return respond(request, error.status, error_body(error), error_headers(error))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        code = {
            401: "unauthorized",
            404: "not_found",
            405: "method_not_allowed",
            408: "timeout",
            413: "too_large",
        }.get(error.status_code, "http_error")
        body = {"detail": error.detail, "code": code, "retryable": False}
        return respond(request, error.status_code, body, getattr(error, "headers", None))

    async def validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in error.errors())
        errors = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()
        ]
        body = {"detail": problems, "code": "invalid", "retryable": False, "errors": errors}
        return respond(request, 422, body)

    async def database_error(request: Request, error: Exception) -> Response:
        if needs_migration(error):
            return respond(request, 503, NEEDS_MIGRATION)
        busy = shed(error)
        if busy is None:
            raise error  # any other database failure is a 500, logged as one
        return respond(request, busy.status, error_body(busy), error_headers(busy))

    async def internal_error(request: Request, error: Exception) -> Response:
        # Starlette logs the exception and re-raises it after this response is sent
        return JSONResponse(INTERNAL, status_code=500)

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(PoolTimeout, database_error)
    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(ProgrammingError, database_error)
    app.add_exception_handler(Exception, internal_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def shed(error: BaseException) -> Busy | None:
    """A database failure that a retry in a moment can cure, as a 503; None for any other."""
    if isinstance(error, PoolTimeout):  # every pooled connection stayed in use too long
        return Busy()
    if not isinstance(error, DBAPIError):
        return None
    if isinstance(error, OperationalError) and "database is locked" in str(error.orig):
        return Busy()  # SQLite gave up waiting for another writer
    if error.connection_invalidated:  # the pool reconnects, and nothing was committed
        return Busy("the connection to the database was lost; retry in a moment")
    return None


def needs_migration(error: BaseException) -> bool:
    """True when a statement failed because a table or column does not exist yet."""
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", None) in _MISSING_SCHEMA_STATES:
        return True
    return isinstance(error, OperationalError) and str(error.orig).startswith(
        _MISSING_SCHEMA_WORDS
    )


def _where(location: tuple) -> str:
    return ".".join(str(part) for part in location if part != "body") or "request"
