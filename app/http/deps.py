"""The runtime, injected into routes of the API and the web app alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.services.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    """The runtime built at start-up (async: FastAPI runs a plain def in its thread pool)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def client_address(request: Request) -> str:
    """The peer's address, which sign-in limits count by (behind a reverse proxy, uvicorn puts
    the client's there from X-Forwarded-For when the proxy is in FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"
