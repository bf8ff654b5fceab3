"""SQLite through the stock aiosqlite driver: writers queue, readers never wait, the loop runs."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.store.db import make_engine, make_sessionmaker
from tests.conftest import app_client, make_settings


def _hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    """Another process's writer, as far as SQLite can tell: its own connection and thread."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO counter (n) VALUES (-1)")
    ready.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "onsite.db"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")  # as the app leaves every file it opened
        setup.execute("CREATE TABLE counter (n INTEGER)")
    return path


async def test_writers_of_two_engines_on_one_file_queue_and_all_commit(database: Path) -> None:
    # two engines stand for two server processes: each increment reads then writes, so a lost
    # update would show if two writing transactions ever overlapped
    engines = [make_engine(f"sqlite:///{database}") for _ in range(2)]
    async with engines[0].begin() as connection:
        await connection.execute(sa.text("INSERT INTO counter (n) VALUES (0)"))

    async def increment(engine: sa.ext.asyncio.AsyncEngine) -> None:
        async with engine.begin() as connection:
            n = (await connection.execute(sa.text("SELECT max(n) FROM counter"))).scalar_one()
            await asyncio.sleep(0)  # let the other writers try to get in between
            await connection.execute(sa.text("INSERT INTO counter (n) VALUES (:n)"), {"n": n + 1})

    await asyncio.gather(*(increment(engines[i % 2]) for i in range(40)))
    async with engines[1].connect() as connection:
        assert (await connection.execute(sa.text("SELECT max(n) FROM counter"))).scalar() == 40
    for engine in engines:
        await engine.dispose()


async def test_another_writer_is_waited_for_without_blocking_the_loop(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, 0.3, ready))
    holder.start()
    ready.wait()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    started = time.monotonic()
    async with engine.begin() as connection:  # BEGIN IMMEDIATE waits in the driver's thread
        await connection.execute(sa.text("INSERT INTO counter (n) VALUES (1)"))
    waited = time.monotonic() - started
    ticking.cancel()
    holder.join()
    await engine.dispose()
    assert waited >= 0.2  # it did wait for the other writer's commit
    assert ticks >= 10  # and the loop ran other work meanwhile (a blocked loop ticks ~0)


async def test_a_lock_held_too_long_is_the_usual_database_is_locked(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.store.db.SQLITE_LOCK_TIMEOUT", 0.2)
    engine = make_engine(f"sqlite:///{database}")
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, 1.0, ready))
    holder.start()
    ready.wait()
    with pytest.raises(sa.exc.OperationalError, match="database is locked"):
        async with engine.begin() as connection:
            await connection.execute(sa.text("INSERT INTO counter (n) VALUES (1)"))
    holder.join()
    await engine.dispose()


async def test_reading_sessions_take_no_lock(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, 1.0, ready))
    holder.start()
    ready.wait()
    started = time.monotonic()
    async with make_sessionmaker(engine, read_only=True)() as session:
        connection = await session.connection()
        rows = (await connection.execute(sa.text("SELECT count(*) FROM counter"))).scalar()
        await session.commit()
    assert rows == 0 and time.monotonic() - started < 0.5  # WAL: the writer is not waited for
    holder.join()
    await engine.dispose()


async def test_one_process_writers_queue_on_the_loop_not_in_sqlites_busy_handler(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's busy handler sleeps in growing steps (up to 100 ms a try) and gives up at the
    # timeout; a process's own writers wait their turn on the loop instead, so twenty writers
    # each holding the lock for 20 ms all commit though the timeout is shorter than their queue
    monkeypatch.setattr("app.store.db.SQLITE_LOCK_TIMEOUT", 0.1)
    shutil.copy(sqlite_template, tmp_path / "onsite.db")
    url = f"sqlite:///{tmp_path / 'onsite.db'}"
    async with app_client(make_settings(url)) as client:
        runtime = client.runtime

        async def write(n: int) -> None:
            async with runtime.writing() as session:
                connection = await session.connection()
                await connection.execute(
                    sa.text("INSERT INTO revokedtoken (jti, expires_at) VALUES (:j, :e)"),
                    {"j": f"t{n}", "e": "2030-01-01 00:00:00"},
                )
                await asyncio.sleep(0.02)
                await session.commit()

        await asyncio.gather(*(write(n) for n in range(20)))
        async with runtime.reading() as session:
            connection = await session.connection()
            stored = await connection.execute(sa.text("SELECT count(*) FROM revokedtoken"))
            assert stored.scalar() == 20
