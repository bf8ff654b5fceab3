"""Limits against unbounded consumption, counted in the database so every process shares them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select

from app.services.errors import RateLimited
from app.services.runtime import Runtime
from app.store import counters
from app.store.counters import CounterKey
from app.store.models import Interview, RateCounter
from app.store.types import utcnow

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Budget:
    """A limit on events per key in a fixed window, and what a refusal says."""

    key: str
    limit: int
    window_seconds: int
    message: str

    def counter(self, now: datetime) -> CounterKey:
        """The counter to count one event in at `now`, if its window has room."""
        return CounterKey(
            key=self.key,
            now=now,
            stale_before=now - timedelta(seconds=self.window_seconds),
            limit=self.limit,
        )

    def refusal(self, window_start: datetime | None, now: datetime) -> RateLimited:
        """The 429 for a full window, with Retry-After until the window ends."""
        end = (window_start or now) + timedelta(seconds=self.window_seconds)
        return RateLimited(self.message, retry_after=max(1.0, (end - now).total_seconds()))

    async def refuse(self, connection: AsyncConnection, now: datetime) -> NoReturn:
        """Raise the refusal for this budget's full window (reads when the window started)."""
        raise self.refusal(await counters.window_start(connection, self.key), now)


async def count(
    *, runtime: Runtime, key: str, limit: int, window_seconds: int, message: str
) -> None:
    """Count one event for key in a fixed window; refuse with Retry-After past the limit."""
    budget = Budget(key=key, limit=limit, window_seconds=window_seconds, message=message)
    await _count(runtime, budget)


async def take(connection: AsyncConnection, budget: Budget, now: datetime) -> None:
    """Count one event in the caller's transaction; refuse (429) when the window is full."""
    if await counters.count(connection, budget.counter(now)) is None:  # nothing counted
        await budget.refuse(connection, now)


async def _count(runtime: Runtime, budget: Budget) -> None:
    async with runtime.writing() as session:
        await take(await session.connection(), budget, utcnow())
        await session.commit()


@dataclass(frozen=True)
class Reservation:
    """One event counted in a key's window, which `refund` can take back."""

    key: str
    window_start: datetime


async def reserve(*, runtime: Runtime, budgets: Sequence[Budget]) -> list[Reservation]:
    """Count one event against every budget, or against none (429 for the first full one).

    Counting before the work it limits (a password check) is what makes the limit hold under
    concurrency: each count is one atomic statement, so `limit` requests at most get through."""
    now = utcnow()
    held = []
    async with runtime.writing() as session:  # leaving with the refusal rolls back every count
        connection = await session.connection()
        for budget in budgets:  # always in the same order: no deadlock between two reservers
            counted = await counters.count(connection, budget.counter(now))
            if counted is None:
                await budget.refuse(connection, now)
            held.append(Reservation(key=budget.key, window_start=counted.window_start))
        await session.commit()
    return held


async def refund(*, runtime: Runtime, reservations: Sequence[Reservation]) -> None:
    """Take back reserved events (e.g. a sign-in that succeeded), if their windows still run."""
    async with runtime.writing() as session:
        for held in reservations:
            await session.exec(
                update(RateCounter)
                .where(
                    col(RateCounter.key) == held.key,
                    col(RateCounter.window_start) == held.window_start,
                    col(RateCounter.count) > 0,
                )
                .values(count=col(RateCounter.count) - 1)
            )
        await session.commit()


def llm_budget(*, runtime: Runtime, user_id: uuid.UUID) -> Budget | None:
    """The user's budget of LLM calls, or None when no LLM is configured."""
    if runtime.llm is None:
        return None
    limit = runtime.settings.max_llm_calls_per_minute
    return Budget(
        key=f"llm:{user_id}",
        limit=limit,
        window_seconds=60,
        message=f"you have reached {limit} interviewer replies a minute; wait a moment",
    )


async def llm_call(*, runtime: Runtime, user_id: uuid.UUID) -> None:
    """Count one LLM call for the user (only when an LLM is configured)."""
    budget = llm_budget(runtime=runtime, user_id=user_id)
    if budget is not None:
        await _count(runtime, budget)


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
