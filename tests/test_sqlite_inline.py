"""SQLite run inline on the event loop: transactions queue without blocking the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.store import sqlite_inline
from app.store.db import make_engine, make_sessionmaker


async def _ticks_during(work) -> tuple[object, int]:
    """Run work while a ticker counts how often the loop got to run it (every 10 ms)."""
    ticks = 0
    running = True

    async def ticker() -> None:
        nonlocal ticks
        while running:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        result = await work
    finally:
        running = False
        await task
    return result, ticks


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
    path = tmp_path / "inline.db"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE counter (n INTEGER)")
    return path


async def test_concurrent_transactions_in_one_process_queue_and_all_commit(
    database: Path,
) -> None:
    engine = make_engine(f"sqlite:///{database}")

    async def add(n: int) -> None:
        async with engine.begin() as connection:
            await connection.execute(sa.text("INSERT INTO counter (n) VALUES (:n)"), {"n": n})
            await asyncio.sleep(0.001)  # hold the transaction across a real suspension
            await connection.execute(sa.text("UPDATE counter SET n = n WHERE n = :n"), {"n": n})

    await asyncio.gather(*(add(n) for n in range(50)))
    async with engine.connect() as connection:
        rows = (await connection.execute(sa.text("SELECT count(*) FROM counter"))).scalar()
    await engine.dispose()
    assert rows == 50


async def test_a_failed_transaction_releases_the_lock(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    with pytest.raises(sa.exc.OperationalError):
        async with engine.begin() as connection:
            await connection.execute(sa.text("INSERT INTO missing_table VALUES (1)"))
    async with engine.begin() as connection:  # would wait out the lock timeout if still held
        await connection.execute(sa.text("INSERT INTO counter (n) VALUES (1)"))
    await engine.dispose()


async def test_another_writer_is_awaited_without_blocking_the_loop(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(database, 0.3, ready))
    holder.start()
    ready.wait()

    async def write() -> float:
        started = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(sa.text("INSERT INTO counter (n) VALUES (1)"))
        return time.perf_counter() - started

    waited, ticks = await _ticks_during(write())
    holder.join()
    await engine.dispose()
    assert waited >= 0.25  # it did wait for the other writer's commit
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


async def test_the_in_process_queue_also_gives_up_after_the_timeout(database: Path) -> None:
    first = await sqlite_inline.connect(str(database), lock_timeout=0.2)
    second = await sqlite_inline.connect(str(database), lock_timeout=0.2)
    await first.cursor().execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        await second.cursor().execute("BEGIN IMMEDIATE")
    await first.rollback()
    await second.cursor().execute("BEGIN IMMEDIATE")  # free again
    await second.commit()
    await first.close()
    await second.close()


async def test_reading_sessions_take_no_lock_and_refuse_to_write(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    reads = make_sessionmaker(engine, read_only=True)
    async with engine.begin() as writer:  # a writer holds the lock...
        await writer.execute(sa.text("INSERT INTO counter (n) VALUES (1)"))
        async with reads() as session:  # ...and a reader goes ahead (WAL), seeing the last commit
            count = (await session.exec(sa.text("SELECT count(*) FROM counter"))).scalar()
            assert count == 0
            with pytest.raises(sa.exc.ProgrammingError, match="read-only transaction"):
                await session.exec(sa.text("INSERT INTO counter (n) VALUES (2)"))
    await engine.dispose()


async def test_checkpoints_run_in_a_thread_every_few_hundred_commits(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    checkpoint = sqlite_inline._checkpoint

    def recording(path: str) -> None:
        threads.append(threading.current_thread().name)
        checkpoint(path)

    monkeypatch.setattr(sqlite_inline, "_checkpoint", recording)
    monkeypatch.setattr(sqlite_inline, "COMMITS_PER_CHECKPOINT", 5)
    engine = make_engine(f"sqlite:///{database}")
    for n in range(12):
        async with engine.begin() as connection:
            await connection.execute(sa.text("INSERT INTO counter (n) VALUES (:n)"), {"n": n})
        await asyncio.gather(*sqlite_inline._checkpointing.values())  # one at a time
    async with engine.connect() as connection:
        automatic = (await connection.execute(sa.text("PRAGMA wal_autocheckpoint"))).scalar()
    await engine.dispose()
    assert automatic == 0  # never inside a commit on the loop
    assert len(threads) == 2 and threading.main_thread().name not in threads
