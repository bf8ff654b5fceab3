"""Limits against unbounded consumption, counted in the database so every process shares them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, case, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.services.errors import RateLimited
from app.services.runtime import Runtime
from app.store.models import Interview, RateCounter
from app.store.types import utcnow

DAY = timedelta(days=1)


async def count(
    *, runtime: Runtime, key: str, limit: int, window_seconds: int, message: str
) -> None:
    """Count one event for key in a fixed window; refuse with Retry-After past the limit."""
    async with runtime.sessions() as session:
        await count_within(
            session, key=key, limit=limit, window_seconds=window_seconds, message=message
        )
        await session.commit()


def _upsert_statement(dialect: str) -> Any:
    """Create the counter's row, or count in its window (a new window once it is over)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = RateCounter.__table__  # type: ignore[attr-defined]
    now = bindparam("now", type_=table.c.window_start.type)
    stale = table.c.window_start <= bindparam("stale_before", type_=table.c.window_start.type)
    return (
        insert(table)
        .values(key=bindparam("key"), window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=["key"],
            set_={
                "window_start": case((stale, now), else_=table.c.window_start),
                "count": case((stale, 1), else_=table.c.count + 1),
            },
        )
        .returning(table.c.window_start, table.c.count)
    )


# built once per dialect: building the statement cost more than running it
_UPSERTS = {dialect: _upsert_statement(dialect) for dialect in ("sqlite", "postgresql")}


async def count_within(
    session: AsyncSession, *, key: str, limit: int, window_seconds: int, message: str
) -> None:
    """Count one event for key inside the caller's transaction (it commits or rolls back both)."""
    now = utcnow()
    window = timedelta(seconds=window_seconds)
    connection = await session.connection()
    # one statement; the row stays locked until the caller's transaction ends
    counted = (
        await connection.execute(
            _UPSERTS[connection.dialect.name],
            {"key": key, "now": now, "stale_before": now - window},
        )
    ).one()
    window_start, events = counted
    if events > limit:  # the caller's transaction rolls back, and this count with it
        retry_after = (window_start + window - now).total_seconds()
        raise RateLimited(message, retry_after=max(1.0, retry_after))


async def refuse_if_spent(
    *, runtime: Runtime, key: str, limit: int, window_seconds: int, message: str
) -> None:
    """Refuse (429) while the key's current window has already counted `limit` events."""
    async with runtime.reading() as session:
        counter = await session.get(RateCounter, key)
    if counter is None or counter.count < limit:
        return
    end = counter.window_start + timedelta(seconds=window_seconds)
    if end > utcnow():
        raise RateLimited(message, retry_after=max(1.0, (end - utcnow()).total_seconds()))


async def forget(*, runtime: Runtime, key: str) -> None:
    """Reset a counter (e.g. after a successful sign-in)."""
    async with runtime.sessions() as session:
        counter = await session.get(RateCounter, key)
        if counter is not None:
            await session.delete(counter)
            await session.commit()


def _llm_budget(runtime: Runtime, user_id: uuid.UUID) -> dict:
    limit = runtime.settings.max_llm_calls_per_minute
    return {
        "key": f"llm:{user_id}",
        "limit": limit,
        "window_seconds": 60,
        "message": f"you have reached {limit} interviewer replies a minute; wait a moment",
    }


async def llm_call(*, runtime: Runtime, user_id: uuid.UUID) -> None:
    """Count one LLM call for the user (only when an LLM is configured)."""
    if runtime.llm is None:
        return
    await count(runtime=runtime, **_llm_budget(runtime, user_id))


async def llm_call_within(session: AsyncSession, *, runtime: Runtime, user_id: uuid.UUID) -> None:
    """Count one LLM call inside the caller's transaction (only when an LLM is configured)."""
    if runtime.llm is not None:
        await count_within(session, **_llm_budget(runtime, user_id))


async def new_interview(*, runtime: Runtime, user_id: uuid.UUID) -> None:
    """Refuse a new interview past the daily limit (a rolling 24 hours)."""
    limit = runtime.settings.max_interviews_per_day
    since = utcnow() - DAY
    async with runtime.reading() as session:
        recent = (
            await session.exec(
                select(func.count(), func.min(Interview.created_at))
                .select_from(Interview)
                .where(Interview.owner_id == user_id, col(Interview.created_at) > since)
            )
        ).one()
    started, oldest = recent
    if started >= limit:
        retry_after = (oldest + DAY - utcnow()).total_seconds()
        raise RateLimited(
            f"you have started {limit} interviews in the last 24 hours, the daily limit",
            retry_after=max(1.0, retry_after),
        )
