"""A turn's reads and writes as Core statements built once.

An answer is tried, not checked first: one guarded write counts the LLM call only if the
interview is open (active, not awaiting a reply, under its message limit, the Idempotency-Key
unused) and the budget has room, marks the interview only then, and inserts the answer only then;
the caller explains a refusal from the interview as read. No lock is taken in advance. On
PostgreSQL the read and the write are one statement (data-modifying CTEs), and so is the reply's
write: one network round trip each, needing no transaction around it. On SQLite, which has no
data-modifying CTEs and no network, the same steps are a few statements in the caller's
transaction. Only services call these, inside the sessions they open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, bindparam, case, func, insert, literal, select, true, update
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
class Attempt:
    """An answer's try: the interview and its newest messages as read (before the write), and
    what the guarded write did."""

    interview: Interview
    recent: list[Recent]
    message_id: int | None  # None: nothing was written
    counted: Counted | None  # None: not counted (not open, or the budget is spent)

    @property
    def next_seq(self) -> int:
        """The seq the answer takes (took, if written)."""
        return (self.recent[-1].seq if self.recent else 0) + 1


@dataclass(frozen=True)
class CounterKey:
    """Which counter to count in, where its current window starts being stale, and how many
    events a window may count."""

    key: str
    now: datetime
    stale_before: datetime
    limit: int


def _upsert_counter(statement: Any, now: Any) -> Any:
    # count in the window (a new window once it is over); a full window counts nothing and
    # returns no row
    stale = COUNTERS.c.window_start <= bindparam("stale_before", type_=now.type)
    return statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "window_start": case((stale, now), else_=COUNTERS.c.window_start),
            "count": case((stale, 1), else_=COUNTERS.c.count + 1),
        },
        where=stale | (COUNTERS.c.count < bindparam("counter_limit")),
    )


def _counter_upsert(dialect: str) -> Any:
    # create the counter's row, or count in its window
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    now = bindparam("counter_now", type_=COUNTERS.c.window_start.type)
    return _upsert_counter(
        insert_for(COUNTERS).values(key=bindparam("counter_key"), window_start=now, count=1), now
    ).returning(COUNTERS.c.window_start, COUNTERS.c.count)


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


def _insert_message_after(cte: Any, *, seq: Any = None) -> Any:
    # the message is inserted only if the CTE returned a row; `seq`, an SQL expression, replaces
    # the seq parameter
    values = [
        seq if column == "seq" and seq is not None else _message_param(column)
        for column in _MESSAGE_COLUMNS
    ]
    return (
        insert(MESSAGES)
        .from_select(_MESSAGE_COLUMNS, select(*values).select_from(cte))
        .returning(MESSAGES.c.id)
        .cte("inserted")
    )


def _reply_statement() -> Any:
    stored = _STORE_STATE.cte("stored")
    inserted = _insert_message_after(stored)
    return select(stored.c.status, inserted.c.id).select_from(stored.outerjoin(inserted, true()))


def _recent_json(dialect: str) -> Any:
    # the newest messages as one JSON array in a column of the interview's row: the interview's
    # columns are not repeated on every message's row
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
    return select(
        collect(build(recent.c.seq, recent.c.role, recent.c.content), type_=JSON)
    ).scalar_subquery()


_OWNED = (
    INTERVIEWS.c.id == bindparam("interview_id"),
    INTERVIEWS.c.owner_id == bindparam("owner"),
)
_KEY_USED = (
    select(MESSAGES.c.id)
    .where(
        MESSAGES.c.interview_id == bindparam("interview_id"),
        MESSAGES.c.idempotency_key == bindparam("m_idempotency_key"),
    )
    .exists()
)


def _try_answer_statement(*, counted: bool) -> Any:
    # PostgreSQL: read the interview, then count, mark and insert, each step only if the one
    # before it wrote; the final SELECT returns the interview as read and what was written
    newest = (
        select(func.coalesce(func.max(MESSAGES.c.seq), 0))
        .where(MESSAGES.c.interview_id == bindparam("interview_id"))
        .scalar_subquery()
    )
    target = (
        select(INTERVIEWS, _recent_json("postgresql").label("recent"), newest.label("newest"))
        .where(*_OWNED)
        .cte("target")
    )
    opened = (
        select(target.c.newest)
        .where(
            target.c.status == "active",
            target.c.awaiting_reply.is_(False),
            target.c.newest + 2 <= bindparam("max_messages"),
            ~_KEY_USED,
        )
        .cte("opened")
    )
    gate, extra = opened, []
    if counted:
        now = bindparam("counter_now", type_=COUNTERS.c.window_start.type)
        gate = (
            _upsert_counter(
                postgresql_insert(COUNTERS).from_select(
                    ["key", "window_start", "count"],
                    select(bindparam("counter_key"), now, literal(1)).select_from(opened),
                ),
                now,
            )
            .returning(COUNTERS.c.window_start, COUNTERS.c.count)
            .cte("counted")
        )
        extra = [
            select(gate.c.window_start).scalar_subquery(),
            select(gate.c.count).scalar_subquery(),
        ]
    marked = _MARK_AWAITING.where(select(gate.c[0]).exists()).cte("marked")
    inserted = _insert_message_after(marked, seq=select(opened.c.newest + 1).scalar_subquery())
    return select(
        *(target.c[column] for column in _INTERVIEW_COLUMNS),
        target.c.recent,
        select(inserted.c.id).scalar_subquery(),
        *extra,
    )


_WINDOW_START = select(COUNTERS.c.window_start).where(COUNTERS.c.key == bindparam("counter_key"))
_READ = select(INTERVIEWS, _recent_json("sqlite").label("recent")).where(*_OWNED)
_TRY_ANSWER = {counted: _try_answer_statement(counted=counted) for counted in (True, False)}
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


async def count(connection: AsyncConnection, counter: CounterKey) -> Counted | None:
    """Count one event in the counter if its window has room; None (nothing counted) if not."""
    row = (
        await connection.execute(_COUNT[connection.dialect.name], _counter_params(counter))
    ).first()
    return None if row is None else Counted(window_start=row[0], count=row[1])


async def window_start(connection: AsyncConnection, key: str) -> datetime | None:
    """When the counter's current window started, if it has one."""
    return (await connection.execute(_WINDOW_START, {"counter_key": key})).scalar()


def _interview(row: Any) -> Interview:
    return Interview(**{column: row[index] for index, column in enumerate(_INTERVIEW_COLUMNS)})


def _recent(messages: list[list[Any]] | None) -> list[Recent]:
    return sorted((Recent(*message) for message in messages or ()), key=lambda m: m.seq)


async def try_answer(
    connection: AsyncConnection,
    *,
    owner_id: uuid.UUID,
    message: Message,
    now: datetime,
    last: int,
    max_messages: int,
    counter: CounterKey | None,
) -> Attempt | None:
    """Read the owner's interview with its newest `last` messages and, if it is open, count the
    LLM call if the budget has room and store the answer with the next seq; None if the owner has
    no such interview. On PostgreSQL a call counted for an interview another request changed in
    the same instant stays counted; on SQLite the caller's rollback undoes it."""
    params = {
        "interview_id": message.interview_id,
        "owner": owner_id,
        "last": last,
        "max_messages": max_messages,
        "updated_at": now,
        **_message_params(message),
    }
    if counter is not None:
        params |= _counter_params(counter)
    if connection.dialect.name == "postgresql":
        row = (await connection.execute(_TRY_ANSWER[counter is not None], params)).first()
        if row is None:
            return None
        at = len(_INTERVIEW_COLUMNS)
        counted = (
            Counted(window_start=row[at + 2], count=row[at + 3])
            if counter is not None and row[at + 2] is not None
            else None
        )
        return Attempt(_interview(row), _recent(row[at]), row[at + 1], counted)
    row = (await connection.execute(_READ, params)).first()
    if row is None:
        return None
    interview, recent = _interview(row), _recent(row[-1])
    refused = Attempt(interview, recent, message_id=None, counted=None)
    if (
        interview.status != "active"
        or interview.awaiting_reply
        or refused.next_seq + 1 > max_messages
        or (
            message.idempotency_key is not None
            and (await connection.execute(select(_KEY_USED), params)).scalar()
        )
    ):
        return refused
    counted = await count(connection, counter) if counter is not None else None
    if counter is not None and counted is None:
        return refused
    params["m_seq"] = refused.next_seq
    if (await connection.execute(_MARK_AWAITING, params)).first() is None:
        return Attempt(interview, recent, message_id=None, counted=counted)
    message_id = (await connection.execute(_INSERT_MESSAGE, params)).scalar_one()
    return Attempt(interview, recent, message_id=message_id, counted=counted)


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
