"""A fair pool of worker slots: one user holds at most a share of them, the rest wait in turn.

Without a share, one user's burst of slow runs holds every slot and fills the queue, and
everyone else waits or is refused. Here a user runs on at most `share` slots at once
(half of them, rounded up), may have a bounded number of runs in flight, and a freed slot
goes to the longest-waiting run whose user is under the share.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


class SlotsBusy(Exception):
    """Too many runs are in flight (in all, or for this user)."""


@dataclass
class FairSlots:
    """Slots 0..workers-1, handed out first come first served within each user's share."""

    workers: int
    queue_limit: int
    _free: list[int] = field(default_factory=list)
    _running: Counter[str] = field(default_factory=Counter)
    _in_flight: Counter[str] = field(default_factory=Counter)
    _waiters: deque[tuple[str, asyncio.Future[int]]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._free = list(range(self.workers - 1, -1, -1))

    @property
    def share(self) -> int:
        """How many slots one user may hold at once."""
        return max(1, math.ceil(self.workers / 2))

    @property
    def per_user(self) -> int:
        """How many runs one user may have running or waiting."""
        return self.share + max(1, self.queue_limit // 2)

    @asynccontextmanager
    async def hold(self, user: str) -> AsyncIterator[int]:
        """A slot for one run of user's; raise SlotsBusy when too many are in flight."""
        total = sum(self._in_flight.values())
        if total >= self.workers + self.queue_limit:
            raise SlotsBusy(f"{total} code runs are queued on this server; try again shortly")
        if self._in_flight[user] >= self.per_user:
            raise SlotsBusy(
                f"you already have {self._in_flight[user]} code runs running or waiting; "
                "wait for them to finish"
            )
        self._in_flight[user] += 1
        try:
            slot = await self._acquire(user)
            try:
                yield slot
            finally:
                self._release(user, slot)
        finally:
            self._in_flight[user] -= 1
            if not self._in_flight[user]:
                del self._in_flight[user]

    async def _acquire(self, user: str) -> int:
        if self._free and self._running[user] < self.share and not self._eligible_waiter():
            self._running[user] += 1
            return self._free.pop()
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        entry = (user, future)
        self._waiters.append(entry)
        try:
            return await future
        except asyncio.CancelledError:
            if entry in self._waiters:
                self._waiters.remove(entry)
            elif future.done() and not future.cancelled():
                self._release(user, future.result())  # handed a slot just as it was cancelled
            raise

    def _eligible_waiter(self) -> bool:
        return any(self._running[u] < self.share for u, _ in self._waiters)

    def _release(self, user: str, slot: int) -> None:
        self._running[user] -= 1
        if not self._running[user]:
            del self._running[user]
        self._free.append(slot)
        self._dispatch()

    def _dispatch(self) -> None:
        """Give free slots to the longest-waiting runs whose users are under their share."""
        while self._free:
            chosen = next(
                (w for w in self._waiters if self._running[w[0]] < self.share), None
            )
            if chosen is None:
                return
            self._waiters.remove(chosen)
            user, future = chosen
            self._running[user] += 1
            future.set_result(self._free.pop())
