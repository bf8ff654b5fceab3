"""The OpenAPI document, describing the error bodies and statuses the app really sends."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.http.schemas import ErrorPublic, ValidationErrorPublic

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_GENERAL = {
    "401": "missing, invalid, expired or revoked bearer token",
    "413": "request body too large",
    "429": "rate limited; see Retry-After",
}


def _document(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["HTTPValidationError"] = ValidationErrorPublic.model_json_schema()
    schemas.pop("ValidationError", None)
    schemas["Error"] = ErrorPublic.model_json_schema()
    for operations in document["paths"].values():
        for operation in operations.values():
            statuses = []
            if operation.get("security"):
                statuses.append("401")
            if "requestBody" in operation:
                statuses += ["413", "429"]
            for status in statuses:
                operation["responses"].setdefault(
                    status, {"description": _GENERAL[status], **_ERROR}
                )
    return document


def install(app: FastAPI) -> None:
    """Replace FastAPI's generated document with one that lists our real error responses."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
