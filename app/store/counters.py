"""Rate counters: events counted per key in a fixed window, shared by every server process.

One upsert creates a key's row or counts in its current window (a new window once the old one is
over), and counts nothing when the window is full; concurrent counters serialise on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.store.models import RateCounter

COUNTERS = RateCounter.__table__  # type: ignore[attr-defined]  # SQLModel adds it at runtime


@dataclass(frozen=True)
class Counted:
    """A rate counter after counting one event."""

    window_start: datetime
    count: int


@dataclass(frozen=True)
class CounterKey:
    """Which counter to count in, where its current window starts being stale, and how many
    events a window may count."""

    key: str
    now: datetime
    stale_before: datetime
    limit: int


def _upsert(dialect: str) -> Any:
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    now = bindparam("counter_now", type_=COUNTERS.c.window_start.type)
    stale = COUNTERS.c.window_start <= bindparam("stale_before", type_=now.type)
    return (
        insert_for(COUNTERS)
        .values(key=bindparam("counter_key"), window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=["key"],
            set_={
                "window_start": case((stale, now), else_=COUNTERS.c.window_start),
                "count": case((stale, 1), else_=COUNTERS.c.count + 1),
            },
            where=stale | (COUNTERS.c.count < bindparam("counter_limit")),
        )
        .returning(COUNTERS.c.window_start, COUNTERS.c.count)
    )


_COUNT = {dialect: _upsert(dialect) for dialect in ("sqlite", "postgresql")}
_WINDOW_START = select(COUNTERS.c.window_start).where(COUNTERS.c.key == bindparam("counter_key"))


async def count(connection: AsyncConnection, counter: CounterKey) -> Counted | None:
    """Count one event in the counter if its window has room; None (nothing counted) if not."""
    params = {
        "counter_key": counter.key,
        "counter_now": counter.now,
        "stale_before": counter.stale_before,
        "counter_limit": counter.limit,
    }
    row = (await connection.execute(_COUNT[connection.dialect.name], params)).first()
    return None if row is None else Counted(window_start=row[0], count=row[1])


async def window_start(connection: AsyncConnection, key: str) -> datetime | None:
    """When the counter's current window started, if it has one."""
    return (await connection.execute(_WINDOW_START, {"counter_key": key})).scalar()
