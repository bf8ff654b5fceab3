"""SQLite on the event loop's own thread, behind aiosqlite's interface.

A statement on a local SQLite file takes tens of microseconds. aiosqlite hands every call
(cursor, execute, fetch, commit) to a thread of its own and back, which costs more than the
statement, several times per statement. Here the calls run inline, and the one thing that can
take long, waiting for the write lock, is awaited instead of blocked on:

- every writing transaction starts with BEGIN IMMEDIATE (see `db._sqlite_begin`); within a
  process, they queue on an asyncio lock per file first, so the loop never blocks on SQLite's
  lock held by another task of its own (reading transactions, a plain BEGIN, take no lock:
  WAL readers never wait, and a write inside one is refused);
- another process's write lock is polled with `asyncio.sleep` (busy_timeout is 0), up to the
  connection's timeout; then the usual "database is locked" error is raised, which the service
  sheds as a 503;
- WAL checkpoints, which fsync, run in a worker thread every few hundred commits instead of
  inside whichever commit crossed SQLite's automatic threshold.

SQLAlchemy's aiosqlite dialect drives these objects through `async_creator`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

log = logging.getLogger(__name__)
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_FIRST_POLL, _LONGEST_POLL = 0.001, 0.05  # seconds between looks at another process's lock
COMMITS_PER_CHECKPOINT = 200
_commits: dict[str, int] = {}  # commits since the last checkpoint, per file
_checkpointing: dict[str, asyncio.Task[None]] = {}  # the running checkpoint, per file


def _write_lock(path: str) -> asyncio.Lock:
    """The lock that queues this loop's transactions on one database file."""
    locks = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault(path, asyncio.Lock())


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


async def _when_not_busy(call: Callable[[], object], *, deadline: float) -> None:
    """Call; while another process holds the lock, sleep and call again until the deadline."""
    pause = _FIRST_POLL
    while True:
        try:
            call()
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() + pause > deadline:
                raise
        await asyncio.sleep(pause)
        pause = min(pause * 2, _LONGEST_POLL)


def _checkpoint(path: str) -> None:
    """Move the WAL's pages into the database file (PASSIVE: waits for no one)."""
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _committed(path: str) -> None:
    """Count a commit; every COMMITS_PER_CHECKPOINT, checkpoint in a thread (one at a time)."""
    loop = asyncio.get_running_loop()
    count = _commits.get(path, 0) + 1
    running = _checkpointing.get(path)
    if count < COMMITS_PER_CHECKPOINT or (running is not None and running.get_loop() is loop):
        _commits[path] = count
        return
    _commits[path] = 0
    task = _checkpointing[path] = loop.create_task(asyncio.to_thread(_checkpoint, path))
    task.add_done_callback(partial(_checkpoint_done, path))


def _checkpoint_done(path: str, task: asyncio.Task[None]) -> None:
    if _checkpointing.get(path) is task:
        del _checkpointing[path]
    if not task.cancelled() and task.exception() is not None:
        # harmless: the WAL keeps the pages until the next checkpoint
        log.warning("a WAL checkpoint of %s failed: %s", path, task.exception())


class Cursor:
    """aiosqlite's cursor interface over a sqlite3 cursor, run inline."""

    def __init__(self, connection: Connection, cursor: sqlite3.Cursor):
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        head = sql.lstrip()[:15].upper()
        if head == "BEGIN IMMEDIATE":
            await self._connection.begin(lambda: self._cursor.execute(sql, parameters or ()))
            return self
        if head.startswith(_WRITES):
            self._connection.refuse_unlocked_write()
        self._cursor.execute(sql, parameters or ())
        return self

    async def executemany(self, sql: str, parameters: Sequence[Sequence[Any]]) -> Cursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class Connection:
    """aiosqlite's connection interface over a sqlite3 connection, run inline."""

    def __init__(self, raw: sqlite3.Connection, *, path: str, timeout: float):
        self._connection: sqlite3.Connection | None = raw
        self._path = path
        self._timeout = timeout
        self._lock: asyncio.Lock | None = None  # held while this connection's transaction is open

    @property
    def isolation_level(self) -> str | None:
        return self._raw().isolation_level

    def _raw(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("Connection closed")
        return self._connection

    def cursor(self) -> Cursor:
        return Cursor(self, self._raw().cursor())

    async def begin(self, start: Callable[[], object]) -> None:
        """Open a write transaction: queue behind this process's, then poll other processes'."""
        deadline = time.monotonic() + self._timeout
        lock = _write_lock(self._path)
        if lock.locked():
            try:
                await asyncio.wait_for(lock.acquire(), self._timeout)
            except TimeoutError:
                raise sqlite3.OperationalError("database is locked") from None
        else:  # the usual case: taken at once, without giving up the loop (wait_for would)
            await lock.acquire()
        try:
            await _when_not_busy(start, deadline=deadline)
        except BaseException:
            lock.release()
            raise
        self._lock = lock

    def refuse_unlocked_write(self) -> None:
        """A write inside a reading transaction (plain BEGIN) could fail on another process's
        lock at any moment: it is a bug, refused at once."""
        if self._raw().in_transaction and self._lock is None:
            raise sqlite3.ProgrammingError(
                "a write in a read-only transaction; use a writing session"
            )

    def _end(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    async def commit(self) -> None:
        writing = self._lock is not None
        try:
            self._raw().commit()
        finally:
            if not self._raw().in_transaction:
                self._end()
        if writing and self._path != ":memory:":
            _committed(self._path)

    async def rollback(self) -> None:
        try:
            self._raw().rollback()
        finally:
            self._end()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (also SQLAlchemy's terminate); closing twice is harmless."""
        connection, self._connection = self._connection, None
        try:
            if connection is not None:
                connection.close()
        finally:
            self._end()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._raw().create_function(*args, **kwargs)


async def connect(path: str, *, lock_timeout: float, uri: bool = False) -> Connection:
    """A connection in autocommit mode (we BEGIN ourselves), WAL, foreign keys, no busy wait."""
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False, uri=uri, timeout=0)
    deadline = time.monotonic() + lock_timeout
    try:
        for pragma in (
            "PRAGMA busy_timeout=0",
            "PRAGMA foreign_keys=ON",
            "PRAGMA journal_mode=WAL",  # needs the lock once per file, when it is not WAL yet
            "PRAGMA synchronous=NORMAL",
            "PRAGMA wal_autocheckpoint=0",  # checkpoints run in a thread (_committed)
        ):
            await _when_not_busy(partial(raw.execute, pragma), deadline=deadline)
    except BaseException:
        raw.close()
        raise
    return Connection(raw, path=path, timeout=lock_timeout)
