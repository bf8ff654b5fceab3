"""Liveness and readiness."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.http.deps import RuntimeDep
from app.http.errors import NEEDS_MIGRATION, needs_migration
from app.services.speech_checks import ROLES
from app.store.migrate import alembic_config

router = APIRouter(tags=["health"])


@functools.cache
def migration_revisions(root: Path) -> tuple[str | None, frozenset[str]]:
    """The newest migration and every known one (read once per process)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://", root=root))
    return scripts.get_current_head(), frozenset(s.revision for s in scripts.walk_revisions())


def is_behind(current: str | None, *, root: Path) -> bool:
    """True when the database's migration is missing or older than the newest one; a revision
    this code does not know is a newer schema (a deploy that migrated first), which is fine."""
    head, known = migration_revisions(root)
    return current is None or (current in known and current != head)


@router.get("/healthz")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    """The database answers with the newest schema; which interviewer is in use; whether code
    can run; whether the speech servers answer. 503 when the database is unreachable or needs
    `onsite migrate` (code and speech are reported, never a 503: the interview works without)."""
    llm = "offline" if runtime.llm is None else f"openai:{runtime.llm.model}"
    reason = await runtime.runner.check()
    code = {"runner": runtime.runner.mode, "available": reason is None, "reason": reason}
    checks = await runtime.speech_checks.latest()
    # null: not configured (the browser's own recognition and voice are used)
    speech = {role: checks[role].public() if role in checks else None for role in ROLES}
    try:
        async with runtime.reading() as session:  # no write lock, connection back at once
            connection = await session.connection()
            query = text("SELECT version_num FROM alembic_version")
            version = (await connection.execute(query)).first()
    except (SQLAlchemyError, OSError) as error:
        if needs_migration(error):  # no alembic_version table: never migrated
            return JSONResponse({**NEEDS_MIGRATION, "llm": llm, "code_runner": code}, 503)
        return JSONResponse(
            {"status": "error", "database": str(error), "llm": llm, "code": code},
            status_code=503,
        )
    if is_behind(version[0] if version else None, root=runtime.settings.content_dir):
        return JSONResponse({**NEEDS_MIGRATION, "llm": llm, "code_runner": code}, 503)
    return JSONResponse(
        {"status": "ok", "database": "ok", "llm": llm, "code": code, "speech": speech}
    )
