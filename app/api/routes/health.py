"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.http.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    """The database answers; says which interviewer is in use and whether code can run."""
    llm = "offline" if runtime.llm is None else f"openai:{runtime.llm.model}"
    reason = await runtime.runner.check()
    code = {"runner": runtime.runner.mode, "available": reason is None, "reason": reason}
    try:
        async with runtime.reading() as session:  # no write lock, connection back at once
            await session.exec(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
        return JSONResponse(
            {"status": "error", "database": str(error), "llm": llm, "code": code},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": "ok", "llm": llm, "code": code})
