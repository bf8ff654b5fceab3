"""Every error leaves as JSON: {detail, code, retryable}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.services.errors import ServiceError, Unavailable


def error_body(error: ServiceError) -> dict[str, object]:
    """The JSON body for a service error."""
    return {
        "detail": error.message,
        "code": error.code,
        "retryable": isinstance(error, Unavailable) and error.retryable,
    }


def error_headers(error: ServiceError) -> dict[str, str]:
    """Retry-After for retryable LLM failures."""
    if isinstance(error, Unavailable) and error.retryable:
        return {"Retry-After": str(round(error.retry_after or 5))}
    return {}


async def _service_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    return JSONResponse(error_body(error), status_code=error.status, headers=error_headers(error))


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(
        error.status_code, "http_error"
    )
    return JSONResponse(
        {"detail": error.detail, "code": code, "retryable": False},
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


def _where(location: tuple) -> str:
    return ".".join(str(part) for part in location if part != "body") or "request"


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in error.errors())
    return JSONResponse(
        {
            "detail": problems,
            "code": "invalid",
            "retryable": False,
            "errors": [
                {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()
            ],
        },
        status_code=422,
    )


def install(app: FastAPI) -> None:
    """Register the handlers."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
