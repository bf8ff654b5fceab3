"""A turn's reads and writes as Core statements built once.

The answer reads the interview (locked) with its newest messages in one statement. On PostgreSQL
each write is one statement too (data-modifying CTEs), so it costs one network round trip; the
reply's, being one statement, needs no transaction around it. On SQLite, which has no
data-modifying CTEs and no network, the same writes are a few statements in the caller's
transaction. Only services call these, inside the transactions they open.
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
    """Which counter to count in, and where its current window starts being stale."""

    key: str
    now: datetime
    stale_before: datetime


def _counter_upsert(dialect: str) -> Any:
    # create the counter's row, or count in its window (a new window once it is over)
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
_MARK_AWAITING = (
    update(INTERVIEWS)
    .where(INTERVIEWS.c.id == bindparam("interview_id"))
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


def _answer_statement(*, counted: bool) -> Any:
    marked = _MARK_AWAITING.cte("marked")
    inserted = _INSERT_MESSAGE.cte("inserted")
    if not counted:
        return select(inserted.c.id).select_from(inserted.join(marked, true()))
    counter = _COUNT["postgresql"].cte("counted")
    return select(inserted.c.id, counter.c.window_start, counter.c.count).select_from(
        inserted.join(marked, true()).join(counter, true())
    )


def _reply_statement() -> Any:
    stored = _STORE_STATE.cte("stored")
    inserted = (
        insert(MESSAGES)
        .from_select(
            _MESSAGE_COLUMNS,
            select(*(_message_param(column) for column in _MESSAGE_COLUMNS)).select_from(stored),
        )
        .returning(MESSAGES.c.id)
        .cte("inserted")
    )
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
    return (
        select(INTERVIEWS, history.label("recent"))
        .where(
            INTERVIEWS.c.id == bindparam("interview_id"),
            INTERVIEWS.c.owner_id == bindparam("owner"),
        )
        .with_for_update(of=INTERVIEWS)  # SQLite's writing transaction holds the write lock
    )


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
    }


async def lock_with_recent(
    connection: AsyncConnection, *, interview_id: uuid.UUID, owner_id: uuid.UUID, last: int
) -> tuple[Interview, list[Recent]] | None:
    """The owner's interview, locked until the caller's transaction ends, and its newest `last`
    messages oldest first; None if the owner has no such interview."""
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


async def count(connection: AsyncConnection, counter: CounterKey) -> Counted:
    """Count one event in the counter, inside the caller's transaction (its row stays locked)."""
    row = (
        await connection.execute(_COUNT[connection.dialect.name], _counter_params(counter))
    ).one()
    return Counted(window_start=row[0], count=row[1])


async def store_answer(
    connection: AsyncConnection,
    *,
    interview_id: uuid.UUID,
    updated_at: datetime,
    message: Message,
    counter: CounterKey | None,
) -> tuple[int, Counted | None]:
    """Mark the interview as awaiting a reply, insert the answer and count the LLM call, in
    the caller's transaction: the message's id and the counter after counting."""
    params = {"interview_id": interview_id, "updated_at": updated_at, **_message_params(message)}
    if connection.dialect.name == "postgresql":
        if counter is not None:
            params |= _counter_params(counter)
        row = (await connection.execute(_ANSWER[counter is not None], params)).one()
        counted = Counted(window_start=row[1], count=row[2]) if counter is not None else None
        return row[0], counted
    await connection.execute(_MARK_AWAITING, params)
    message_id = (await connection.execute(_INSERT_MESSAGE, params)).scalar_one()
    return message_id, (await count(connection, counter) if counter is not None else None)


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
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # one statement is atomic on its own: no BEGIN and COMMIT round trips around it
        connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        row = (await connection.execute(_REPLY, params)).first()
        return None if row is None else (row[0], row[1])
    connection = await session.connection()
    updated = (await connection.execute(_STORE_STATE, params)).first()
    if updated is None:
        return None
    return updated[0], (await connection.execute(_INSERT_MESSAGE, params)).scalar_one()
