"""A turn's reads and writes as Core statements built once.

The answer reads the interview with its newest messages in one statement, and its writes are
guarded (they store nothing unless the interview still awaits an answer and the LLM budget has
room), so they need no lock taken in advance. On PostgreSQL each write is one statement
(data-modifying CTEs) costing one network round trip, and a single statement needs no
transaction around it. On SQLite, which has no data-modifying CTEs and no network, the same
writes are a few statements in the caller's transaction. Only services call these, inside the
sessions they open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, bindparam, case, func, insert, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from app.store.models import Interview, Message, RateCounter

MESSAGES = Message.__table__  # type: ignore[attr-defined]
INTERVIEWS = Interview.__table__  # type: ignore[attr-defined]
COUNTERS = RateCounter.__table__  # type: ignore[attr-defined]
_MESSAGE_COLUMNS = [c.name for c in MESSAGES.c if c.name != "id"]
_INTERVIEW_COLUMNS = [c.name for c in INTERVIEWS.c]


@dataclass(frozen=True)
class Recent:
    """A message of the newest few a turn reads: its seq, role and content."""

    seq: int
    role: str
    content: str


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


def _counter_upsert(dialect: str) -> Any:
    # create the counter's row, or count in its window (a new window once it is over); a full
    # window counts nothing and returns no row
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


def _message_param(column: str) -> Any:
    return bindparam(f"m_{column}", type_=MESSAGES.c[column].type)


_COUNT = {dialect: _counter_upsert(dialect) for dialect in ("sqlite", "postgresql")}
_INSERT_MESSAGE = (
    insert(MESSAGES)
    .values({column: _message_param(column) for column in _MESSAGE_COLUMNS})
    .returning(MESSAGES.c.id)
)
_MARK_AWAITING = (  # only an active interview that is not awaiting a reply already
    update(INTERVIEWS)
    .where(
        INTERVIEWS.c.id == bindparam("interview_id"),
        INTERVIEWS.c.status == "active",
        INTERVIEWS.c.awaiting_reply.is_(False),
    )
    .values(awaiting_reply=True, updated_at=bindparam("updated_at"))
    .returning(INTERVIEWS.c.id)
)
_STORE_STATE = (
    update(INTERVIEWS)
    .where(
        INTERVIEWS.c.id == bindparam("interview_id"),
        INTERVIEWS.c.owner_id == bindparam("owner"),
        INTERVIEWS.c.awaiting_reply.is_(True),
    )
    .values(state=bindparam("state"), awaiting_reply=False, updated_at=bindparam("updated_at"))
    .returning(INTERVIEWS.c.status)
)


def _insert_message_after(cte: Any) -> Any:
    # the message is inserted only if the CTE returned a row
    return (
        insert(MESSAGES)
        .from_select(
            _MESSAGE_COLUMNS,
            select(*(_message_param(column) for column in _MESSAGE_COLUMNS)).select_from(cte),
        )
        .returning(MESSAGES.c.id)
        .cte("inserted")
    )


def _answer_statement(*, counted: bool) -> Any:
    # count the LLM call if the budget has room, then mark the interview if it still awaits an
    # answer, then insert the answer: each step only if the one before it wrote
    if not counted:
        marked = _MARK_AWAITING.cte("marked")
        return select(select(_insert_message_after(marked).c.id).scalar_subquery())
    counter = _COUNT["postgresql"].cte("counted")
    marked = _MARK_AWAITING.where(select(counter.c.count).exists()).cte("marked")
    inserted = _insert_message_after(marked)
    return select(
        select(inserted.c.id).scalar_subquery(),
        select(counter.c.window_start).scalar_subquery(),
        select(counter.c.count).scalar_subquery(),
    )


def _reply_statement() -> Any:
    stored = _STORE_STATE.cte("stored")
    inserted = _insert_message_after(stored)
    return select(stored.c.status, inserted.c.id).select_from(stored.outerjoin(inserted, true()))


def _interview_with_recent(dialect: str) -> Any:
    # the newest messages come as one JSON array in a column of the interview's row: a single
    # round trip, and the interview's columns are not repeated on every message's row
    recent = (
        select(MESSAGES.c.seq, MESSAGES.c.role, MESSAGES.c.content)
        .where(MESSAGES.c.interview_id == bindparam("interview_id"))
        .order_by(MESSAGES.c.seq.desc())
        .limit(bindparam("last"))
        .subquery("recent")
    )
    build, collect = (
        (func.json_build_array, func.json_agg)
        if dialect == "postgresql"
        else (func.json_array, func.json_group_array)
    )
    history = select(
        collect(build(recent.c.seq, recent.c.role, recent.c.content), type_=JSON)
    ).scalar_subquery()
    return select(INTERVIEWS, history.label("recent")).where(
        INTERVIEWS.c.id == bindparam("interview_id"),
        INTERVIEWS.c.owner_id == bindparam("owner"),
    )


_WINDOW_START = select(COUNTERS.c.window_start).where(COUNTERS.c.key == bindparam("counter_key"))
_READ = {dialect: _interview_with_recent(dialect) for dialect in ("sqlite", "postgresql")}
_ANSWER = {True: _answer_statement(counted=True), False: _answer_statement(counted=False)}
_REPLY = _reply_statement()


def _message_params(message: Message) -> dict[str, Any]:
    return {f"m_{column}": getattr(message, column) for column in _MESSAGE_COLUMNS}


def _counter_params(counter: CounterKey) -> dict[str, Any]:
    return {
        "counter_key": counter.key,
        "counter_now": counter.now,
        "stale_before": counter.stale_before,
        "counter_limit": counter.limit,
    }


async def autocommit_on_postgresql(session: AsyncSession) -> AsyncConnection:
    """The session's connection, in autocommit on PostgreSQL, where each write here is one
    statement, atomic on its own: no BEGIN and COMMIT round trips around it. SQLite's writes
    are several statements, so it keeps its transaction."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return await session.connection()


async def with_recent(
    connection: AsyncConnection, *, interview_id: uuid.UUID, owner_id: uuid.UUID, last: int
) -> tuple[Interview, list[Recent]] | None:
    """The owner's interview and its newest `last` messages oldest first; None if the owner has
    no such interview."""
    row = (
        await connection.execute(
            _READ[connection.dialect.name],
            {"interview_id": interview_id, "owner": owner_id, "last": last},
        )
    ).first()
    if row is None:
        return None
    interview = Interview(**{column: row[index] for index, column in enumerate(_INTERVIEW_COLUMNS)})
    recent = sorted((Recent(*message) for message in row[-1] or ()), key=lambda m: m.seq)
    return interview, recent


async def count(connection: AsyncConnection, counter: CounterKey) -> Counted | None:
    """Count one event in the counter if its window has room; None (nothing counted) if not."""
    row = (
        await connection.execute(_COUNT[connection.dialect.name], _counter_params(counter))
    ).first()
    return None if row is None else Counted(window_start=row[0], count=row[1])


async def window_start(connection: AsyncConnection, key: str) -> datetime | None:
    """When the counter's current window started, if it has one."""
    return (await connection.execute(_WINDOW_START, {"counter_key": key})).scalar()


async def store_answer(
    connection: AsyncConnection,
    *,
    interview_id: uuid.UUID,
    updated_at: datetime,
    message: Message,
    counter: CounterKey | None,
) -> tuple[int | None, Counted | None]:
    """Count the LLM call if the budget has room, mark the interview as awaiting a reply if it
    is active and not awaiting one already, and insert the answer, each only if the step before
    wrote: the message's id (None if not stored) and the counter (None if the budget is spent).
    On PostgreSQL a call counted for an interview that another request changed meanwhile stays
    counted; on SQLite the caller's rollback undoes it."""
    params = {"interview_id": interview_id, "updated_at": updated_at, **_message_params(message)}
    if connection.dialect.name == "postgresql":
        if counter is not None:
            params |= _counter_params(counter)
        row = (await connection.execute(_ANSWER[counter is not None], params)).one()
        counted = (
            Counted(window_start=row[1], count=row[2])
            if counter is not None and row[1] is not None
            else None
        )
        return row[0], counted
    counted = None
    if counter is not None:
        counted = await count(connection, counter)
        if counted is None:
            return None, None
    if (await connection.execute(_MARK_AWAITING, params)).first() is None:
        return None, counted
    return (await connection.execute(_INSERT_MESSAGE, params)).scalar_one(), counted


async def store_reply(
    session: AsyncSession,
    *,
    interview_id: uuid.UUID,
    owner_id: uuid.UUID,
    state: dict[str, Any],
    updated_at: datetime,
    message: Message,
) -> tuple[str, int] | None:
    """Store the director's new state and the reply if the interview (the owner's) still awaits
    it: the interview's status and the reply's id, or None. The caller commits."""
    params = {
        "interview_id": interview_id,
        "owner": owner_id,
        "state": state,
        "updated_at": updated_at,
        **_message_params(message),
    }
    connection = await autocommit_on_postgresql(session)
    if connection.dialect.name == "postgresql":
        row = (await connection.execute(_REPLY, params)).first()
        return None if row is None else (row[0], row[1])
    updated = (await connection.execute(_STORE_STATE, params)).first()
    if updated is None:
        return None
    return updated[0], (await connection.execute(_INSERT_MESSAGE, params)).scalar_one()
