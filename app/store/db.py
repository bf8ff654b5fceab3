"""Database engines: one async engine for the app, sync URLs for migrations."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}
SQLITE_LOCK_TIMEOUT = 10.0  # seconds a transaction waits for SQLite's write lock
READ_ONLY = "onsite_read_only"  # execution option of the engine that reading sessions use
_IDLE_SINCE = "onsite_idle_since"  # key in a pooled connection's info


def _with_driver(database_url: str, drivers: dict[str, str]) -> URL:
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return url.set(drivername=drivers[backend])


def async_url(database_url: str) -> URL:
    """The URL with the async driver the app uses (aiosqlite or psycopg)."""
    return _with_driver(database_url, _ASYNC_DRIVERS)


def sync_url(database_url: str) -> URL:
    """The URL with a sync driver, for migrations."""
    return _with_driver(database_url, _SYNC_DRIVERS)


def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
    # the driver's own transaction handling off (we BEGIN ourselves, below); WAL so readers
    # never wait for the writer; a writer waits up to SQLITE_LOCK_TIMEOUT for another's lock
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        f"PRAGMA busy_timeout={int(SQLITE_LOCK_TIMEOUT * 1000)}",
        "PRAGMA foreign_keys=ON",
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
    ):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # a writing transaction takes the write lock at the start, so concurrent writers queue
    # instead of failing when a read transaction later tries to write; a reading one takes none
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    # a connection used within the last second is alive; pinging it would cost a network round
    # trip on every checkout, two per turn. One that rested longer is pinged, and a dead one
    # makes the pool reconnect it and drop every older connection (as a pre-ping would)
    dialect = engine.dialect

    def checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error
            raise

    event.listen(engine.sync_engine.pool, "checkin", checked_in)
    event.listen(engine.sync_engine.pool, "checkout", checked_out)


def make_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    pool_timeout: float = 30.0,
    ping_after_idle: float = 1.0,
) -> AsyncEngine:
    """An async engine with pooling; SQLite gets foreign keys, WAL and writers that queue."""
    url = async_url(database_url)
    pooling: dict[str, Any] = (
        {"poolclass": NullPool}
        if pool_size == 0
        else {"pool_timeout": pool_timeout, "pool_size": pool_size, "max_overflow": 2 * pool_size}
    )
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if path == ":memory:":
            pooling = {}  # one shared connection (SQLAlchemy's StaticPool)
        engine = create_async_engine(url, **pooling)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    engine = create_async_engine(url, **pooling)
    if pool_size:
        _ping_when_idle(engine, ping_after_idle)
    return engine


def make_sessionmaker(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit; read-only ones take no write
    lock on SQLite (and refuse to write)."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return async_sessionmaker(bind, class_=AsyncSession, expire_on_commit=False)
